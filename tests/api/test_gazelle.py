"""Gazelle client against the demo tracker over real HTTP, row by row of the seed."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    AuthStyle,
    GazelleClient,
    TrackerAuthError,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.api.gazelle import (
    SPEC,
    enrich_with_profile,
    parse_index,
)
from demo_tracker.testing import DemoTracker


def client(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    account: str,
    auth_style: AuthStyle,
    *,
    enrich: bool = True,
) -> GazelleClient:
    """Return a Gazelle client for one demo account."""
    return GazelleClient(
        session, demo.url, demo.keys[account], auth_style=auth_style, enrich=enrich
    )


def calls(demo: DemoTracker) -> list[str | None]:
    """Return the action of every request the demo tracker saw."""
    return [record.action for record in demo.state.requests]


async def test_index_mapping_matches_seed(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Every row of the seed's action=index table, enrichment off."""
    stats = await client(
        session, demo, "red", AuthStyle.RAW, enrich=False
    ).async_get_stats()
    assert stats == TrackerStats(
        username="JohnDoe",
        group="Power User",
        remote_user_id=12345,
        uploaded_bytes=536870912000,
        downloaded_bytes=134217728000,
        ratio=4.0,
        buffer_bytes=536870912000 - 134217728000,
        seeding_count=42,
        leeching_count=1,
        bonus_points=12500,
        hit_and_runs=None,
        required_ratio=0.6,
        warned=None,
        unread_messages=0,
        freeleech_tokens=3,
        share_score=None,
        joined_date=None,
        last_access_date=None,
        avatar_url=None,
    )
    assert stats.platform_meta == {}
    assert calls(demo) == ["index"]


async def test_enrichment_overrides_per_seed(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The seed's action=user table: warned, dates, buffer, counts, avatar, meta."""
    stats = await client(session, demo, "red", AuthStyle.RAW).async_get_stats()
    assert stats.warned is False
    assert stats.joined_date == datetime(2021, 4, 12, 9, 34, tzinfo=UTC)
    assert stats.last_access_date == datetime(2026, 3, 19, 14, 22, 11, tzinfo=UTC)
    assert stats.buffer_bytes == 402653184000
    assert (stats.seeding_count, stats.leeching_count) == (42, 1)
    assert stats.avatar_url == "https://example.com/avatars/johndoe.jpg"
    assert set(stats.platform_meta) == {"personal", "ranks", "community"}
    assert stats.platform_meta["ranks"]["overall"] == 980
    assert stats.platform_meta["community"]["snatched"] == 1204
    assert stats.platform_meta["personal"] == {
        "paranoia": 0,
        "donor": False,
        "warned": False,
        "enabled": True,
    }
    # Fields the enrichment does not own keep the index's values.
    assert (stats.username, stats.group, stats.ratio) == ("JohnDoe", "Power User", 4.0)
    assert calls(demo) == ["index", "user"]
    assert demo.state.requests[1].user_id == "12345"


async def test_platform_meta_is_scrubbed(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Passkey, authkey, IP, e-mail and invites never reach platform_meta."""
    stats = await client(session, demo, "red", AuthStyle.RAW).async_get_stats()
    personal = stats.platform_meta["personal"]
    for secret in ("passkey", "authkey", "ip", "email"):
        assert secret not in personal
    assert "invited" not in stats.platform_meta["community"]
    text = repr(stats)
    for needle in ("demopasskey", "demoauthkey", "203.0.113.", "@example.invalid"):
        assert needle not in text


@pytest.mark.parametrize(
    ("account", "good", "bad"),
    [("red", AuthStyle.RAW, AuthStyle.TOKEN), ("ops", AuthStyle.TOKEN, AuthStyle.RAW)],
)
async def test_auth_header_styles(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    account: str,
    good: AuthStyle,
    bad: AuthStyle,
) -> None:
    """`token KEY` and raw `KEY` headers; the wrong style is an auth error."""
    await client(session, demo, account, good, enrich=False).async_get_stats()
    assert demo.state.requests[-1].auth_style == good.value
    with pytest.raises(TrackerAuthError):
        await client(session, demo, account, bad, enrich=False).async_get_stats()
    assert demo.state.requests[-1].auth_style == bad.value


async def test_wrong_key_is_auth_error(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A rotated key gets what the real site sends: 401, an auth error."""
    old_key = demo.keys["red"]
    demo.state.rotate_key("red")
    with pytest.raises(TrackerAuthError) as caught:
        await GazelleClient(
            session, demo.url, old_key, auth_style=AuthStyle.RAW
        ).async_get_stats()
    assert old_key not in str(caught.value)


async def test_fork_without_counts_uses_gift_tokens(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Missing seeding/leeching default to 0; giftTokens stands in for FL tokens."""
    stats = await client(
        session, demo, "ops", AuthStyle.TOKEN, enrich=False
    ).async_get_stats()
    assert (stats.seeding_count, stats.leeching_count) == (0, 0)
    assert stats.freeleech_tokens == 2
    assert stats.bonus_points == 800
    assert stats.ratio == 0.5
    assert stats.required_ratio == 0.6
    assert stats.warned is None
    enriched = await client(session, demo, "ops", AuthStyle.TOKEN).async_get_stats()
    assert enriched.warned is True
    assert (enriched.seeding_count, enriched.leeching_count) == (7, 0)
    assert enriched.buffer_bytes == 0


async def test_generic_fork_variations(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Lower-case bonuspoints, no class, no required ratio, "∞" with 0 downloaded."""
    stats = await client(session, demo, "fork", AuthStyle.TOKEN).async_get_stats()
    assert stats.bonus_points == 55.5
    assert stats.group == "Unknown"
    assert stats.required_ratio is None
    assert stats.downloaded_bytes == 0
    assert stats.ratio is None  # never a fake 0
    assert stats.buffer_bytes == stats.uploaded_bytes == 1073741824
    # Its user endpoint answers 500: the index stats stand.
    assert calls(demo) == ["index", "user"]
    assert stats.joined_date is None
    assert stats.platform_meta == {}


async def test_enrichment_failure_keeps_index_stats(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Any failure of the enrichment call leaves the index stats untouched."""
    plain = await client(
        session, demo, "red", AuthStyle.RAW, enrich=False
    ).async_get_stats()
    for mode in (
        "server_error",
        "html_login",
        "rate_limit",
        "malformed_json",
        "redirect",
    ):
        demo.state.set_fault(mode, actions={"user"})
        stats = await client(session, demo, "red", AuthStyle.RAW).async_get_stats()
        assert stats == plain, mode
        demo.state.clear_fault()


async def test_stored_id_used_only_when_index_has_none(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The index's id wins; a caller's stored id fills a gap."""
    stats = await client(
        session, demo, "red", AuthStyle.RAW, enrich=False
    ).async_get_stats()
    assert stats.remote_user_id == 12345


def test_index_without_id_uses_stored_id_and_skips_bad_shapes() -> None:
    """Parsing edge cases that the demo tracker does not serve."""
    stats = parse_index({"username": "u", "userstats": {"uploaded": "10"}})
    assert stats.remote_user_id is None
    assert stats.uploaded_bytes == 10
    assert stats.ratio is None
    with pytest.raises(TrackerResponseError):
        parse_index({"userstats": []})
    enriched = enrich_with_profile(
        stats,
        {"stats": {"buffer": -5}, "personal": {"warned": "maybe"}, "community": None},
    )
    assert enriched.buffer_bytes == 0
    # The index does not say whether the account is warned: unknown, not off.
    assert enriched.warned is None


async def test_missing_and_mistyped_fields_are_unknown(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A fork that drops or mistypes fields gives unknowns, never fake values."""
    demo.state.set_fault("missing_fields", times=1)
    stats = await client(
        session, demo, "red", AuthStyle.RAW, enrich=False
    ).async_get_stats()
    assert stats.username == "JohnDoe"
    assert stats.uploaded_bytes is None
    assert stats.ratio is None
    assert stats.buffer_bytes is None
    demo.state.set_fault("wrong_types", times=1)
    stats = await client(
        session, demo, "red", AuthStyle.RAW, enrich=False
    ).async_get_stats()
    assert stats.uploaded_bytes is None
    assert stats.downloaded_bytes is None
    assert stats.ratio is None
    assert stats.group == "Unknown"
    assert stats.seeding_count == 0


def test_a_rejected_secret_has_its_own_error() -> None:
    """The setup form's error when the key is rejected: a rejected key may be sent in the wrong header style."""
    assert SPEC.rejected_key_error == "invalid_auth_gazelle"
