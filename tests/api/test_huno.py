"""HUNO client against the demo tracker over real HTTP, and scripted answers."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    AuthStyle,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
    TrackerStats,
    create_client,
)
from custom_components.tracker_stats.api.huno import HunoClient
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

KEY = "Hn7Wm2Xp9Lr4Tz8Vn3Bc6Hd1Fs5Jg0Ay"


def wrapped(profile: Any, *, success: bool = True, message: str = "ok") -> str:
    """Return HUNO's ``{success, data, message}`` answer."""
    return json.dumps({"success": success, "data": profile, "message": message})


def client_for(url: str, session: aiohttp.ClientSession, key: str, **options: Any):  # type: ignore[no-untyped-def]
    """Return a HUNO client."""
    client = create_client("huno", session, url=url, api_key=key, **options)
    assert isinstance(client, HunoClient)
    return client


def styles_seen(demo: DemoTracker) -> list[tuple[str | None, int]]:
    """Return how each request carried the token, and the answer's status."""
    return [(r.auth_style, r.status) for r in demo.state.requests]


async def test_field_by_field_with_bearer(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The documented answer maps field by field; Bearer is kept after one request."""
    profile = fixtures.load("huno", "profile")
    client = client_for(demo.url, session, demo.keys["huno"])
    stats = await client.async_get_stats()
    uploaded, downloaded = profile["uploaded"], profile["downloaded"]
    assert stats == TrackerStats(
        username=profile["username"],
        group=profile["group"],
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=profile["ratio"],
        buffer_bytes=uploaded - downloaded,
        seeding_count=profile["active_seeds"],
        leeching_count=profile["active_leeches"],
        bonus_points=profile["hunos"],
        hit_and_runs=profile["hit_and_runs"],
        warned=False,
        joined_date=datetime(2022, 1, 1, tzinfo=UTC),
    )
    assert stats.platform_meta == {"warnings": 0}
    assert client.auth_style is AuthStyle.BEARER
    assert styles_seen(demo) == [("bearer", 200)]


async def test_x_api_token_is_found_and_remembered(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Bearer refused (the login page): X-Api-Token once, then only that form."""
    client = client_for(demo.url, session, demo.keys["huno-token"])
    stats = await client.async_get_stats()
    assert client.auth_style is AuthStyle.RAW
    await client.async_get_stats()
    assert styles_seen(demo) == [("bearer", 200), ("header", 200), ("header", 200)]
    # "Inf" with nothing downloaded: the ratio is unknown, the buffer the upload.
    assert stats.ratio is None
    assert stats.downloaded_bytes == 0
    assert stats.buffer_bytes == stats.uploaded_bytes
    assert stats.warned is True
    assert stats.platform_meta == {"warnings": 1}
    assert stats.hit_and_runs == 1


async def test_a_known_form_refused_is_a_rejected_key(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A stored form that fails now asks for a new key; the other is not tried."""
    client = client_for(
        demo.url, session, demo.keys["huno-token"], auth_style=AuthStyle.BEARER
    )
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert styles_seen(demo) == [("bearer", 200)]


async def test_a_wrong_key_tries_both_forms_once(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Both forms refused: a rejected key after exactly two requests."""
    client = client_for(demo.url, session, "not-a-huno-token")
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert [style for style, _ in styles_seen(demo)] == ["bearer", "header"]
    assert client.auth_style is None


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (
            ScriptedReply(429, "{}", headers={"Retry-After": "30"}),
            TrackerRateLimitError,
        ),
        (ScriptedReply(500, "oops", content_type="text/html"), TrackerConnectionError),
        (ScriptedReply(503, "down", content_type="text/plain"), TrackerConnectionError),
        (
            ScriptedReply(
                200, wrapped(None, success=False, message="Too many requests")
            ),
            TrackerRateLimitError,
        ),
    ],
)
async def test_a_rate_limit_or_server_error_is_no_refusal(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    reply: ScriptedReply,
    error: type[Exception],
) -> None:
    """Neither tries the other form, nor settles on one."""
    scripted.reply = reply
    client = client_for(scripted.url, session, KEY)
    with pytest.raises(error):
        await client.async_get_stats()
    assert len(scripted.seen) == 1
    assert client.auth_style is None


async def test_the_token_never_goes_in_the_url(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Both forms are headers; the request's URL carries no token."""
    scripted.reply = ScriptedReply(401, "{}")
    client = client_for(scripted.url, session, KEY)
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert [dict(request.query) for request in scripted.seen] == [{}, {}]
    assert scripted.seen[0].headers["Authorization"] == f"Bearer {KEY}"
    assert scripted.seen[1].headers["X-Api-Token"] == KEY
    assert "Authorization" not in scripted.seen[1].headers
    assert all(str(r.rel_url) == "/api/profile" for r in scripted.seen)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("Invalid API token", TrackerAuthError),
        ("Unauthenticated.", TrackerAuthError),
        ("Site under maintenance", TrackerConnectionError),
        ("Something else went wrong", TrackerResponseError),
    ],
)
async def test_success_false_says_why(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    message: str,
    error: type[Exception],
) -> None:
    """``success: false`` with a message: the message decides the error."""
    scripted.reply = ScriptedReply(200, wrapped(None, success=False, message=message))
    client = client_for(scripted.url, session, KEY, auth_style=AuthStyle.BEARER)
    with pytest.raises(error):
        await client.async_get_stats()


async def test_the_bare_profile_is_read_too(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """An answer without the wrapper is the profile itself."""
    profile = fixtures.load("huno", "profile")
    scripted.reply = ScriptedReply(200, json.dumps(profile))
    stats = await client_for(scripted.url, session, KEY).async_get_stats()
    assert stats.username == profile["username"]
    assert stats.uploaded_bytes == profile["uploaded"]


@pytest.mark.parametrize(
    ("profile", "why"),
    [
        ({"uploaded": 5, "downloaded": 1}, "no username"),
        ({"username": "x", "group": "Member"}, "no user statistics"),
    ],
)
async def test_an_answer_without_the_account_is_refused(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    profile: dict[str, Any],
    why: str,
) -> None:
    """No name or no byte counts: a response error, not empty stats."""
    scripted.reply = ScriptedReply(200, wrapped(profile))
    with pytest.raises(TrackerResponseError, match=why):
        await client_for(scripted.url, session, KEY).async_get_stats()


async def test_warnings_absent_is_unknown_and_the_buffer_is_never_negative(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """No warnings field: warned unknown; more down than up: buffer 0, not HUNO's."""
    profile = fixtures.load("huno", "profile")
    del profile["warnings"]
    profile.update(uploaded=10, downloaded=40, ratio=0.25, buffer=-30)
    scripted.reply = ScriptedReply(200, wrapped(profile))
    stats = await client_for(scripted.url, session, KEY).async_get_stats()
    assert stats.warned is None
    assert stats.platform_meta == {}
    assert stats.buffer_bytes == 0
    assert stats.ratio == 0.25
