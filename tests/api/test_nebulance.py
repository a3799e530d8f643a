"""Nebulance client against the demo tracker over real HTTP, both envelopes."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    PLATFORMS,
    STAT_FIELDS,
    NebulanceClient,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.api.nebulance import parse_user_info
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

SECRET_FIELDS = ("IRCKey", "Email", "Inviter")


def gazelle_time(text: str) -> datetime:
    """Return Gazelle's naive UTC time string as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def expected(user: dict[str, Any]) -> TrackerStats:
    """Return what a getuserinfo answer must map to, from the fixture's own values."""
    uploaded, downloaded = user["Uploaded"], user["Downloaded"]
    return TrackerStats(
        username=user["Username"],
        group=user["Class"],
        remote_user_id=user["ID"],
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=uploaded / downloaded,
        buffer_bytes=uploaded - downloaded,
        seeding_count=user["SeedCount"],
        bonus_points=user.get("Orbs"),
        hit_and_runs=user["HnR"],
        snatched_count=user["Snatched"],
        seed_size_bytes=user["SeedSize"],
        joined_date=gazelle_time(user["JoinDate"]),
        last_access_date=gazelle_time(user["LastAccess"]),
    )


def assert_no_secret(text: str, user: dict[str, Any]) -> None:
    """Fail if ``text`` holds one of the answer's secrets."""
    for name in SECRET_FIELDS:
        assert str(user[name]) not in text, name


def selectors(demo: DemoTracker) -> list[tuple[str | None, str | None]]:
    """Return (method, user) of every request the demo tracker saw."""
    return [(r.action, r.user_id) for r in demo.state.requests]


@pytest.mark.parametrize(
    ("account", "fixture"), [("nbl", "user_info"), ("nblbare", "user_info_bare")]
)
async def test_every_field_in_both_envelopes(
    session: aiohttp.ClientSession, demo: DemoTracker, account: str, fixture: str
) -> None:
    """Wrapped (with Orbs) and bare (without): every field, no secret kept."""
    seed = fixtures.load("nebulance", fixture)
    client = NebulanceClient(session, demo.url, demo.keys[account])
    stats = await client.async_get_stats()
    assert stats == expected(seed)
    # UnreadMail is a flag, never a message count.
    assert stats.unread_messages is None
    assert stats.platform_meta == {"unread_mail": seed["UnreadMail"]}
    assert_no_secret(repr(stats) + repr(stats.platform_meta), seed)
    filled = {n for n in STAT_FIELDS if getattr(stats, n) not in (None, "Unknown")}
    assert filled <= PLATFORMS["nebulance"]
    assert client.remote_user_id == seed["ID"]


async def test_user_one_first_then_the_own_id(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """No id known: name user 1; afterwards the account's own id, one request a poll."""
    client = NebulanceClient(session, demo.url, demo.keys["nbl"])
    await client.async_get_stats()
    await client.async_get_stats()
    assert selectors(demo) == [("getuserinfo", "1"), ("getuserinfo", "4321")]
    assert {r.endpoint for r in demo.state.requests} == {"api.php"}
    assert all(r.auth_style == "query" for r in demo.state.requests)


async def test_orbs_fill_bonus_points(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The platform's field set holds everything the newer deployment sends."""
    stats = await NebulanceClient(session, demo.url, demo.keys["nbl"]).async_get_stats()
    assert PLATFORMS["nebulance"] == {
        n for n in STAT_FIELDS if getattr(stats, n) not in (None, "Unknown")
    }


async def test_unknown_user_and_bad_key(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """404 User not found is a response error (an unknown key: test_every_platform)."""
    with pytest.raises(TrackerResponseError, match="User not found"):
        await NebulanceClient(
            session, demo.url, demo.keys["nbl"], remote_user_id=999
        ).async_get_stats()


async def test_missing_and_mistyped_fields(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Unknown, never invented."""
    client = NebulanceClient(session, demo.url, demo.keys["nbl"])
    demo.state.set_fault("missing_fields", times=1)
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes is stats.seeding_count is stats.bonus_points is None
    assert stats.username == "DemoWatcher"
    demo.state.set_fault("wrong_types", times=1)
    stats = await client.async_get_stats()
    assert (stats.uploaded_bytes, stats.downloaded_bytes, stats.ratio) == (None,) * 3
    assert (stats.group, stats.seeding_count, stats.bonus_points) == (
        "Unknown",
        None,
        None,
    )
    assert stats.joined_date is None


async def test_connection_error_does_not_quote_the_url(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    """Nothing listens: aiohttp's message (which quotes the URL) is not passed on."""
    client = NebulanceClient(
        session, f"http://127.0.0.1:{unused_tcp_port}", "query-secret-key"
    )
    with pytest.raises(TrackerConnectionError) as caught:
        await client.async_get_stats()
    assert "query-secret-key" not in str(caught.value)
    assert "api.php" not in str(caught.value)


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (400, "Invalid API key", TrackerAuthError),
        (400, "Missing parameters", TrackerResponseError),
        (404, "User not found", TrackerResponseError),
    ],
)
async def test_error_objects(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    status: int,
    message: str,
    error: type[TrackerError],
) -> None:
    """``{"error": {"code", "message"}}`` at 400/404 says what went wrong."""
    body = {"error": {"code": status, "message": message}}
    scripted.reply = ScriptedReply(status, json.dumps(body))
    with pytest.raises(error):
        await NebulanceClient(session, scripted.url, "k").async_get_stats()
    query = scripted.seen[0].query
    assert dict(query) == {
        "action": "user",
        "method": "getuserinfo",
        "type": "id",
        "user": "1",
        "api_key": "k",
    }


def test_parse_edge_cases() -> None:
    """Gazelle's zero date, no download, an answer without a user."""
    stats = parse_user_info(
        {"Username": "x", "Uploaded": 1, "Downloaded": 0, "JoinDate": "0000-00-00"}
    )
    assert stats.joined_date is None
    assert stats.ratio is None
    assert stats.platform_meta == {}
    with pytest.raises(TrackerResponseError):
        parse_user_info({"ID": 1})
