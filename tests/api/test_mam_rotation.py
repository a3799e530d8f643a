"""MyAnonamouse session rotation: only a live mam_id meant for the tracker replaces ours.

Each case is an answer from a loopback server with real ``Set-Cookie`` lines
(RFC 6265: expiry, Max-Age, Domain, Path, deleted values), on any status.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    MAMClient,
    TrackerError,
    TrackerRateLimitError,
)
from custom_components.tracker_stats.api._cookies import (
    domain_matches,
    parse_set_cookie,
    path_matches,
    session_cookie,
)
from demo_tracker import fixtures

from .conftest import ScriptedReply, ScriptedTracker

OLD = "old-session-value"
NEW = "new-session-value"
GOOD = json.dumps(fixtures.load("mam", "json_load"))
# Fixed dates keep the test ids stable (pytest-xdist compares them).
FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT"
PAST = "Sat, 01 Jan 2000 00:00:00 GMT"
NETSCAPE_PAST = "Thu, 01-Jan-1970 00:00:01 GMT"
NETSCAPE_FUTURE = "Fri, 01-Jan-2100 00:00:00 GMT"


async def poll(
    session: aiohttp.ClientSession, scripted: ScriptedTracker, reply: ScriptedReply
) -> MAMClient:
    """Poll once against ``reply``; whatever the outcome, return the client."""
    scripted.reply = reply
    client = MAMClient(session, scripted.url, OLD)
    with contextlib.suppress(TrackerError):
        await client.async_get_stats()
    return client


@pytest.mark.parametrize(
    "set_cookie",
    [
        f"mam_id={NEW}",
        f"mam_id={NEW}; Path=/; HttpOnly; Secure",
        f"mam_id={NEW}; Max-Age=2592000; Path=/",
        f"mam_id={NEW}; Expires={FUTURE}; Path=/",
        f"mam_id={NEW}; Expires={NETSCAPE_FUTURE}",
        # Max-Age wins over an Expires in the past.
        f"mam_id={NEW}; Expires={PAST}; Max-Age=60",
        f"mam_id={NEW}; Domain=127.0.0.1; Path=/jsonLoad.php",
        f"mam_id={NEW}; Expires=not a date",
        f'mam_id="{NEW}"; path=/',
    ],
)
async def test_a_live_cookie_rotates(
    session: aiohttp.ClientSession, scripted: ScriptedTracker, set_cookie: str
) -> None:
    """A live mam_id for this host and path replaces the secret at once."""
    client = await poll(
        session, scripted, ScriptedReply(200, GOOD, set_cookies=(set_cookie,))
    )
    assert client.api_key == NEW


@pytest.mark.parametrize(
    "set_cookie",
    [
        "mam_id=deleted; Max-Age=0; Path=/",
        "mam_id=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        f"mam_id={NEW}; Max-Age=0",
        f"mam_id={NEW}; Max-Age=-1",
        f"mam_id={NEW}; Expires={PAST}",
        f"mam_id={NEW}; Expires={NETSCAPE_PAST}",
        # Max-Age wins over an Expires in the future.
        f"mam_id={NEW}; Expires={FUTURE}; Max-Age=0",
        "mam_id=; Path=/",
        "mam_id=deleted",
        f"mam_id={NEW}; Domain=evil.example",
        f"mam_id={NEW}; Domain=.0.0.1",
        f"mam_id={NEW}; Path=/other",
        f"mam_id={NEW}; Path=/json",
        f"other={NEW}; Path=/",
        "mam_id=bad value; Path=/",
    ],
)
async def test_a_dead_or_foreign_cookie_is_no_rotation(
    session: aiohttp.ClientSession, scripted: ScriptedTracker, set_cookie: str
) -> None:
    """Deleted, expired, for another host or path: the old session stays."""
    client = await poll(
        session, scripted, ScriptedReply(200, GOOD, set_cookies=(set_cookie,))
    )
    assert client.api_key == OLD


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (429, '{"error": "slow down"}', "application/json"),
        (500, "oops", "text/plain"),
        (403, "<html>Not signed in</html>", "text/html"),
        (200, "{broken", "application/json"),
    ],
)
async def test_any_answer_status_may_rotate(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    status: int,
    body: str,
    content_type: str,
) -> None:
    """A new session on a 429, an error or a broken body is kept all the same."""
    client = await poll(
        session,
        scripted,
        ScriptedReply(
            status,
            body,
            content_type=content_type,
            set_cookies=(f"mam_id={NEW}; Max-Age=60; Path=/",),
        ),
    )
    assert client.api_key == NEW


async def test_the_last_cookie_decides(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A rotation deleted again in the same answer is no rotation; and back."""
    deleted_last = (f"mam_id={NEW}; Path=/", "mam_id=deleted; Max-Age=0; Path=/")
    client = await poll(
        session, scripted, ScriptedReply(200, GOOD, set_cookies=deleted_last)
    )
    assert client.api_key == OLD
    live_last = (*deleted_last, f"mam_id={NEW}; Path=/", "mam_id=x; Domain=a.b")
    client = await poll(
        session, scripted, ScriptedReply(200, GOOD, set_cookies=live_last)
    )
    assert client.api_key == NEW


async def test_rate_limited_answer_rotates_and_still_backs_off(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """The 429 stays a rate limit; the session it hands out is used next."""
    scripted.reply = ScriptedReply(
        429,
        "{}",
        headers={"Retry-After": "30"},
        set_cookies=(f"mam_id={NEW}; Path=/",),
    )
    client = MAMClient(session, scripted.url, OLD)
    with pytest.raises(TrackerRateLimitError) as caught:
        await client.async_get_stats()
    assert caught.value.retry_after == 30
    scripted.reply = ScriptedReply(200, GOOD)
    await client.async_get_stats()
    assert scripted.seen[-1].cookies["mam_id"] == NEW


async def test_overlapping_polls_keep_the_newest_session(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Two polls with one key: the slower answer to the old key loses."""
    scripted.queue = [
        # The first request's answer comes last and rotates to a stale value.
        ScriptedReply(
            200, GOOD, set_cookies=("mam_id=stale-value; Path=/",), delay=0.3
        ),
        ScriptedReply(200, GOOD, set_cookies=(f"mam_id={NEW}; Path=/",)),
    ]
    client = MAMClient(session, scripted.url, OLD)
    slow = asyncio.create_task(client.async_get_stats())
    await asyncio.sleep(0.1)
    await client.async_get_stats()
    assert client.api_key == NEW
    await slow
    assert client.api_key == NEW
    assert [request.cookies["mam_id"] for request in scripted.seen] == [OLD, OLD]


async def test_a_poll_sent_with_the_new_key_may_rotate_again(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Rotations in sequence all count: each answers the key in use."""
    scripted.queue = [
        ScriptedReply(200, GOOD, set_cookies=(f"mam_id={NEW}; Path=/",)),
        ScriptedReply(200, GOOD, set_cookies=("mam_id=third-value; Path=/",)),
    ]
    client = MAMClient(session, scripted.url, OLD)
    await client.async_get_stats()
    await client.async_get_stats()
    assert client.api_key == "third-value"


def test_cookie_rules() -> None:
    """The RFC 6265 pieces that decide, one by one."""
    assert parse_set_cookie("no-equals-sign") is None
    assert parse_set_cookie("=value") is None
    assert parse_set_cookie("a=" + "x" * 9000) is None
    cookie = parse_set_cookie("a=b; DOMAIN=.Tracker.Example; path=/x; Max-Age=abc")
    assert cookie is not None
    assert (cookie.domain, cookie.path, cookie.live) == ("tracker.example", "/x", True)
    # A Path not starting with "/" is the default path: it matches.
    assert parse_set_cookie("a=b; Path=x") == parse_set_cookie("a=b")
    assert domain_matches("www.tracker.example", "tracker.example")
    assert not domain_matches("www.tracker.example", "other.example")
    assert not domain_matches("eviltracker.example", "tracker.example")
    assert not domain_matches("10.0.0.1", "0.0.1")
    assert path_matches("/jsonLoad.php", "/")
    assert path_matches("/a/b", "/a")
    assert not path_matches("/ab", "/a")
    assert not path_matches("/", "/a")
    assert session_cookie(["a=1", "a=2"], "a", "h", "/") == "2"
    assert session_cookie(["a=1; Max-Age=0"], "a", "h", "/") is None
