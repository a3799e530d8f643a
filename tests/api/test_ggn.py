"""GGn client against the demo tracker over real HTTP, row by row of the seed."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    GGnClient,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.api.ggn import parse_user
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

SEED_STATS = TrackerStats(
    username="ExampleUser",
    group="Elite Gamer",
    remote_user_id=74360,
    uploaded_bytes=372518353895,
    downloaded_bytes=373640248681,
    ratio=0.99699,
    buffer_bytes=0,
    seeding_count=312,
    leeching_count=1,
    bonus_points=39858,
    bonus_points_per_hour=9,
    snatched_count=4425,
    hit_and_runs=0,
    required_ratio=0.012,
    warned=False,
    freeleech_tokens=None,
    share_score=10.82,
    seed_size_bytes=1893471338496,
    joined_date=datetime(2025, 2, 18, 8, 59, 21, tzinfo=UTC),
    last_access_date=datetime(2026, 3, 7, 17, 3, 24, tzinfo=UTC),
    next_class="Legendary Gamer",
    next_class_points=900,
    avatar_url=None,
)


def requests_seen(demo: DemoTracker) -> list[tuple[str | None, str | None]]:
    """Return (request, id) of every call the demo tracker saw."""
    return [(record.action, record.user_id) for record in demo.state.requests]


async def test_first_poll_resolves_id_then_reads_user(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """No stored id: quick_user, then user — every row of the seed's table."""
    stats = await GGnClient(session, demo.url, demo.keys["ggn"]).async_get_stats()
    assert stats == SEED_STATS
    assert requests_seen(demo) == [("quick_user", None), ("user", "74360")]
    assert all(record.auth_style == "query" for record in demo.state.requests)


async def test_stored_id_skips_quick_user(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """With the id stored, each poll is exactly one request=user."""
    stats = await GGnClient(
        session, demo.url, demo.keys["ggn"], remote_user_id=74360
    ).async_get_stats()
    assert stats == SEED_STATS
    assert requests_seen(demo) == [("user", "74360")]


async def test_platform_meta_keeps_ggn_blocks_without_secrets(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """personal/community/buffs/achievements: the allow-listed numbers and flags."""
    stats = await GGnClient(
        session, demo.url, demo.keys["ggn"], remote_user_id=74360
    ).async_get_stats()
    assert set(stats.platform_meta) == {
        "personal",
        "community",
        "buffs",
        "achievements",
    }
    assert stats.platform_meta["buffs"]["Upload"] == 2
    assert stats.platform_meta["achievements"]["pointsToNextLvl"] == 900
    personal = stats.platform_meta["personal"]
    assert personal["warned"] is False
    for secret in ("ip", "passkey", "invites"):
        assert secret not in personal
    assert "invited" not in stats.platform_meta["community"]
    assert "203.0.113." not in repr(stats)
    assert "demopasskey" not in repr(stats)


async def test_key_travels_in_query_only(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """GGn takes the key as ?key=, with no Authorization header."""
    await GGnClient(
        session, demo.url, demo.keys["ggn"], remote_user_id=74360
    ).async_get_stats()
    assert demo.state.requests[0].auth_style == "query"
    assert demo.state.requests[0].key_accepted


async def test_unknown_stored_id(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A stored id the tracker does not know is a response error."""
    with pytest.raises(TrackerResponseError, match="no such user"):
        await GGnClient(
            session, demo.url, demo.keys["ggn"], remote_user_id=1
        ).async_get_stats()


async def test_quick_user_without_id(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A quick_user answer without an id cannot go further."""
    scripted.reply = ScriptedReply(
        200, '{"status": "success", "response": {"username": "ExampleUser"}}'
    )
    with pytest.raises(TrackerResponseError, match="no user id"):
        await GGnClient(session, scripted.url, "k").async_get_stats()
    assert len(scripted.seen) == 1


def test_parse_user_edge_cases() -> None:
    """Fallback username, numeric ratio, paranoia nulls, missing blocks."""
    stats = parse_user(
        {
            "stats": {"uploaded": 2**60, "downloaded": 2**59, "ratio": 2, "gold": "12"},
            "personal": {"hnrs": 3, "warned": True},
            "community": {"seeding": 5, "leeching": None},
        },
        42,
        fallback_username="Quick",
    )
    assert stats.username == "Quick"
    assert stats.remote_user_id == 42
    assert stats.uploaded_bytes == 2**60  # exact past 2**53
    assert stats.ratio == 2.0
    assert stats.bonus_points == 12
    assert (stats.hit_and_runs, stats.warned) == (3, True)
    assert (stats.seeding_count, stats.leeching_count) == (5, None)
    assert stats.group == "Unknown"
    with pytest.raises(TrackerResponseError):
        parse_user({"id": 1}, 1)
