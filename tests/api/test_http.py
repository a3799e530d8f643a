"""Wire-level behaviour shared by both clients, against a scripted server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import json
import logging

import aiohttp
from aiohttp import web
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    GazelleClient,
    GGnClient,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
    __version__,
)
from custom_components.tracker_stats.api._answer import parse_retry_after
from custom_components.tracker_stats.api._http import parse_base_url
from custom_components.tracker_stats.api.const import MAX_BODY_BYTES

from .conftest import ScriptedReply, ScriptedTracker

# The library's loggers: custom_components.tracker_stats.api.*, or
# tracker_stats_api.* when scripts/test runs these tests on the built wheel.
LIBRARY_LOGGER = api_library.__name__
KEY = "Zx9Qw8Er7Ty6Ui5Op4As3Df2"
SUCCESS_INDEX = json.dumps(
    {"status": "success", "response": {"username": "U", "id": 1, "userstats": {}}}
)


def gazelle(
    session: aiohttp.ClientSession, url: str, **kwargs: object
) -> GazelleClient:
    """Build a Gazelle client without enrichment unless asked."""
    kwargs.setdefault("enrich", False)
    return GazelleClient(session, url, KEY, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reply", "error", "fragment"),
    [
        (
            ScriptedReply(302, headers={"Location": "login.php"}),
            TrackerResponseError,
            "redirected",
        ),
        (
            ScriptedReply(401, '{"status":"failure","error":"bad credentials"}'),
            TrackerAuthError,
            "HTTP 401",
        ),
        (
            ScriptedReply(403, "<html>forbidden</html>", "text/html"),
            TrackerAuthError,
            "HTTP 403",
        ),
        (ScriptedReply(429), TrackerRateLimitError, "HTTP 429"),
        (
            ScriptedReply(500, "<html>oops</html>", "text/html"),
            TrackerConnectionError,
            "HTTP 500",
        ),
        (ScriptedReply(503), TrackerConnectionError, "HTTP 503"),
        (
            ScriptedReply(404, "Not Found", "text/plain"),
            TrackerResponseError,
            "HTTP 404",
        ),
        (
            ScriptedReply(400, '{"status":"failure","error":"bad action"}'),
            TrackerResponseError,
            "bad action",
        ),
        (
            # An error status whose body names no error: the status says it.
            ScriptedReply(400, '{"status":"success","response":{}}'),
            TrackerResponseError,
            "answered HTTP 400",
        ),
        (
            ScriptedReply(200, "<!DOCTYPE html><form action=login.php>", "text/html"),
            TrackerResponseError,
            "HTML",
        ),
        (
            ScriptedReply(200, "<html>", "application/json"),
            TrackerResponseError,
            "HTML",
        ),
        (
            ScriptedReply(200, '{"status": "success", "response": {"username": '),
            TrackerResponseError,
            "not valid JSON",
        ),
        (
            ScriptedReply(200, "[" * 100_000 + "]" * 100_000),
            TrackerResponseError,
            "not valid JSON",
        ),
        (ScriptedReply(200, "[]"), TrackerResponseError, "unexpected JSON shape"),
        (
            ScriptedReply(200, '{"status":"success","response":[]}'),
            TrackerResponseError,
            "unexpected JSON shape",
        ),
        (
            ScriptedReply(200, '{"response":{"username":"x"}}'),
            TrackerResponseError,
            "unexpected JSON shape",
        ),
        (
            ScriptedReply(200, '{"status":"failure","error":"Rate limit exceeded"}'),
            TrackerRateLimitError,
            "rate limiting",
        ),
        (
            ScriptedReply(
                200, '{"status":"failure","error":"Too many requests, slow down"}'
            ),
            TrackerRateLimitError,
            "rate limiting",
        ),
        (
            ScriptedReply(
                200, '{"status":"failure","error":"Your API key is invalid or revoked"}'
            ),
            TrackerAuthError,
            "rejected the key",
        ),
        (
            ScriptedReply(200, '{"status":"failure","error":"bad token"}'),
            TrackerAuthError,
            "rejected the key",
        ),
        (
            ScriptedReply(200, '{"status":"failure","error":"no such user"}'),
            TrackerResponseError,
            "no such user",
        ),
        (
            ScriptedReply(200, '{"status":"failure"}'),
            TrackerResponseError,
            "no reason given",
        ),
        (
            ScriptedReply(200, '{"status":"failure","error":{"code":3}}'),
            TrackerResponseError,
            "no reason given",
        ),
        (
            ScriptedReply(200, '{"status":"success","response":{"notifications":{}}}'),
            TrackerResponseError,
            "no user statistics",
        ),
    ],
)
async def test_failure_modes(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    reply: ScriptedReply,
    error: type[TrackerError],
    fragment: str,
) -> None:
    """Each way a tracker can misbehave maps to one exception, key-free."""
    scripted.reply = reply
    with pytest.raises(error) as caught:
        await gazelle(session, scripted.url).async_get_stats()
    assert type(caught.value) is error
    assert fragment in str(caught.value)
    assert KEY not in str(caught.value)
    assert "?" not in str(caught.value)


async def test_failure_text_echo_is_redacted_and_short(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A tracker echoing our key in its error text never gets it into a message."""
    scripted.reply = ScriptedReply(
        200,
        json.dumps({"status": "failure", "error": f"unknown user {KEY} " + "x" * 500}),
    )
    with pytest.raises(TrackerResponseError) as caught:
        await gazelle(session, scripted.url).async_get_stats()
    assert KEY not in str(caught.value)
    assert "[redacted]" in str(caught.value)
    assert len(str(caught.value)) < 250


async def test_redirect_is_not_followed(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Expired sessions redirect to login.php: one request, no follow."""
    scripted.reply = ScriptedReply(302, headers={"Location": "/login.php"})
    with pytest.raises(TrackerResponseError):
        await gazelle(session, scripted.url).async_get_stats()
    assert [request.path for request in scripted.seen] == ["/ajax.php"]


async def test_oversized_body_is_refused(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A body far larger than any stats answer is not buffered whole."""
    scripted.reply = ScriptedReply(200, b" " * (MAX_BODY_BYTES + 10))
    with pytest.raises(TrackerResponseError, match="too large"):
        await gazelle(session, scripted.url).async_get_stats()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), ("1.5", 1.5), ("-3", 0.0), (None, None), ("soon", None)],
)
async def test_retry_after_seconds(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    header: str | None,
    expected: float | None,
) -> None:
    """Retry-After in seconds is passed on; garbage is ignored."""
    scripted.reply = ScriptedReply(
        429, headers={"Retry-After": header} if header else {}
    )
    with pytest.raises(TrackerRateLimitError) as caught:
        await gazelle(session, scripted.url).async_get_stats()
    assert caught.value.retry_after == expected


def test_retry_after_http_date() -> None:
    """Retry-After may be an HTTP date; past dates mean now."""
    later = datetime.now(UTC) + timedelta(seconds=90)
    seconds = parse_retry_after(format_datetime(later, usegmt=True))
    assert seconds is not None
    assert 80 <= seconds <= 90
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00") == 0.0


async def test_timeout(session: aiohttp.ClientSession) -> None:
    """A tracker that never answers fails after the request timeout."""
    released = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        await released.wait()
        return web.Response()

    app = web.Application()
    app.router.add_get("/ajax.php", hang)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        client = gazelle(session, url, request_timeout=0.2)
        with pytest.raises(
            TrackerConnectionError,
            match=r"did not answer the action=index request within 0\.2 s",
        ):
            await client.async_get_stats()
    finally:
        released.set()
        await runner.cleanup()


async def test_connection_refused(session: aiohttp.ClientSession) -> None:
    """Nothing listening: a connection error naming the host, not the URL."""
    with pytest.raises(TrackerConnectionError) as caught:
        await GGnClient(session, "http://127.0.0.1:9", KEY).async_get_stats()
    assert "Cannot connect to 127.0.0.1" in str(caught.value)
    assert KEY not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


async def test_tls_failure(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Speaking TLS to a plain HTTP port is a connection error."""
    url = scripted.url.replace("http://", "https://")
    with pytest.raises(TrackerConnectionError) as caught:
        await GGnClient(session, url, KEY, remote_user_id=5).async_get_stats()
    assert KEY not in str(caught.value)


async def test_request_shape(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """User-Agent names the library; base URL paths and api_path are kept."""
    scripted.reply = ScriptedReply(200, SUCCESS_INDEX)
    client = GazelleClient(
        session,
        f"{scripted.url}/tracker/?junk=1#frag",
        KEY,
        api_path="/custom/api.php",
        enrich=False,
        user_agent="HomeAssistant-tracker_stats/9.9",
    )
    await client.async_get_stats()
    request = scripted.seen[0]
    assert request.path == "/tracker/custom/api.php"
    assert dict(request.query) == {"action": "index"}
    assert request.headers["User-Agent"] == (
        f"HomeAssistant-tracker_stats/9.9 tracker-stats-api/{__version__}"
    )
    assert request.headers["Accept"] == "application/json"


@pytest.mark.parametrize("url", ["redacted.sh", "ftp://host", "https://", "/ajax.php"])
def test_bad_url_is_a_value_error(url: str) -> None:
    """Only absolute http(s) URLs make a client."""
    with pytest.raises(ValueError, match="absolute"):
        parse_base_url(url)


async def test_debug_log_has_path_and_status_only(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logs show the path, call and status; never the key or query."""
    caplog.set_level(logging.DEBUG, logger=LIBRARY_LOGGER)
    scripted.reply = ScriptedReply(500)
    with pytest.raises(TrackerConnectionError):
        await GGnClient(session, scripted.url, KEY, remote_user_id=3).async_get_stats()
    with pytest.raises(TrackerConnectionError):
        await GGnClient(
            session, "http://127.0.0.1:9", KEY, remote_user_id=3
        ).async_get_stats()
    ours = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(LIBRARY_LOGGER)
    )
    assert "GET /api.php (request=user) -> HTTP 500" in ours
    assert "GET /api.php (request=user) failed: ClientConnectorError" in ours
    assert KEY not in ours
    assert "key=" not in ours
