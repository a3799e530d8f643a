"""No key is reachable from a raised error: its message, its chain, its traceback.

aiohttp's errors hold the request URL (GGn's ``key=``, Nebulance's
``api_key=``) and the request headers (``Authorization``, ``Cookie: mam_id=``).
``raise ... from None`` only hides them from a printed traceback; they stay
``__context__``. Every platform is asked once per broken wire answer.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORMS,
    TrackerError,
    TrackerResponseError,
    btn,
    create_client,
)
from demo_tracker.testing import DemoTracker

from .conftest import RawTracker, Responder, head
from .leaks import Collector, assert_no_secret, error_texts, log_texts

KEY = "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm"


def _writes(data: bytes) -> Responder:
    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(data)

    return respond


BROKEN_ANSWERS = {
    "status_line": _writes(b"HTTP/1.1 2x0 BROKEN\r\n\r\n"),
    "header_line": _writes(b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"),
    "chunked_body": _writes(
        head("200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked")
        + b"zz\r\nabc\r\n"
    ),
    "content_length": _writes(
        head("200 OK", "Content-Type: application/json", "Content-Length: 100")
        + b'{"a":'
    ),
    "closed": _writes(b""),
}


@pytest.mark.parametrize("broken", list(BROKEN_ANSWERS))
@pytest.mark.parametrize("platform", sorted(PLATFORMS))
async def test_broken_wire_errors_hold_no_key(
    session: aiohttp.ClientSession, raw: RawTracker, platform: str, broken: str
) -> None:
    """Malformed status line, header, chunked body, Content-Length, closed socket."""
    raw.respond = BROKEN_ANSWERS[broken]
    collector = Collector()
    logger = logging.getLogger(api_library.__name__)
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        client = create_client(
            platform,
            session,
            url=raw.url,
            api_key=KEY,
            remote_user_id=5 if platform in ("ggn", "nebulance") else None,
        )
        with pytest.raises(TrackerError) as caught:
            await client.async_get_stats()
    finally:
        logger.removeHandler(collector)
        logger.setLevel(logging.NOTSET)
    error = caught.value
    assert error.__cause__ is None
    assert error.__context__ is None
    assert_no_secret(error_texts(error), [KEY])
    assert_no_secret(log_texts(collector.records), [KEY])


async def test_an_unforeseen_error_leaves_as_a_tracker_error(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug in a mapping is a TrackerResponseError naming its class, nothing more."""

    def broken(_payload: object) -> None:
        raise KeyError(demo.keys["btn"])

    monkeypatch.setattr(btn, "parse_user_info", broken)
    client = create_client("btn", session, url=demo.url, api_key=demo.keys["btn"])
    with pytest.raises(
        TrackerResponseError, match=r"could not be read \(KeyError\)"
    ) as caught:
        await client.async_get_stats()
    assert caught.value.__context__ is None
    assert_no_secret(error_texts(caught.value), [demo.keys["btn"]])
