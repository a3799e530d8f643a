"""AnimeBytes client against the demo tracker: both key forms, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
import json

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    AnimeBytesClient,
    AuthStyle,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
    create_client,
)
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker


def client_for(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    account: str,
    auth_style: AuthStyle | str | None = None,
) -> AnimeBytesClient:
    return AnimeBytesClient(
        session, demo.url, demo.keys[account], auth_style=auth_style
    )


def styles_seen(demo: DemoTracker) -> list[tuple[str | None, int]]:
    return [(r.auth_style, r.status) for r in demo.state.requests]


@pytest.mark.parametrize("account", ["ab", "ab-raw"])
async def test_field_by_field(
    session: aiohttp.ClientSession, demo: DemoTracker, account: str
) -> None:
    """Every mapped field of the answer the account serves; no name, no id."""
    raw = demo.state.accounts[account].documents["personal"]
    stats = await client_for(session, demo, account).async_get_stats()
    uploaded, downloaded = raw["upload"]["account"], raw["download"]["account"]
    assert stats.username is None
    assert stats.remote_user_id is None
    assert stats.group == raw["class"]
    assert (stats.uploaded_bytes, stats.downloaded_bytes) == (uploaded, downloaded)
    assert stats.uploaded_bytes != raw["upload"]["raw"]
    assert stats.ratio == uploaded / downloaded
    assert stats.buffer_bytes == uploaded - downloaded
    assert stats.seeding_count == raw["tracker"]["seeding"]
    assert stats.leeching_count == raw["tracker"]["leeching"]
    assert stats.snatched_count == raw["tracker"]["snatched"]
    assert stats.seed_size_bytes == raw["tracker"]["seed_size"]
    assert stats.bonus_points == raw["yen"]["current"]
    assert stats.bonus_points_per_hour == raw["yen"]["per_hour"]
    assert stats.hit_and_runs == raw["hnrs"]["active"]
    assert stats.platform_meta["hnrs_potential"] == raw["hnrs"]["potential"]
    assert (stats.warned, stats.required_ratio, stats.joined_date) == (
        None,
        None,
        None,
    )


async def test_freeleech_end_in_platform_meta(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """0 is no personal freeleech; a unix time is its end."""
    bearer = await client_for(session, demo, "ab").async_get_stats()
    assert bearer.platform_meta["freeleech_ends"] is None
    raw = await client_for(session, demo, "ab-raw").async_get_stats()
    end = demo.state.accounts["ab-raw"].documents["personal"]["freeleech"]
    assert raw.platform_meta["freeleech_ends"] == (
        datetime.fromtimestamp(end, UTC).isoformat()
    )


async def test_bearer_account_needs_one_request(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Bearer works at once and is remembered."""
    client = client_for(session, demo, "ab")
    assert client.auth_style is None
    await client.async_get_stats()
    assert client.auth_style is AuthStyle.BEARER
    await client.async_get_stats()
    assert styles_seen(demo) == [("bearer", 200), ("bearer", 200)]


async def test_raw_account_falls_back_once_then_stays_raw(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Bearer rejected, raw tried once and remembered: later polls are one request."""
    client = client_for(session, demo, "ab-raw")
    await client.async_get_stats()
    assert client.auth_style is AuthStyle.RAW
    await client.async_get_stats()
    assert styles_seen(demo) == [("bearer", 401), ("raw", 200), ("raw", 200)]


@pytest.mark.parametrize(
    ("account", "style"), [("ab", "bearer"), ("ab-raw", AuthStyle.RAW)]
)
async def test_stored_style_is_used_directly(
    session: aiohttp.ClientSession, demo: DemoTracker, account: str, style: str
) -> None:
    """A style stored by the integration: one request, no probing."""
    client = client_for(session, demo, account, style)
    assert client.auth_style == style
    await client.async_get_stats()
    assert styles_seen(demo) == [(str(style), 200)]


async def test_stored_style_that_fails_is_an_auth_error(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """No flip-flop: a known form that is rejected is a rejected key."""
    client = client_for(session, demo, "ab-raw", AuthStyle.BEARER)
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert client.auth_style is AuthStyle.BEARER
    assert styles_seen(demo) == [("bearer", 401)]


async def test_wrong_key_tries_each_form_once(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A bad key: Bearer, then raw, then an auth error naming no key."""
    client = AnimeBytesClient(session, demo.url, "not-a-real-key")
    with pytest.raises(TrackerAuthError) as caught:
        await client.async_get_stats()
    assert "not-a-real-key" not in str(caught.value)
    assert client.auth_style is None
    assert styles_seen(demo) == [("bearer", 401), ("raw", 401)]


async def test_rate_limit_is_not_a_reason_to_switch_forms(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A 429 is raised as it is, Retry-After kept, no form remembered."""
    demo.state.set_fault("rate_limit", times=2, retry_after=7)
    client = client_for(session, demo, "ab")
    with pytest.raises(TrackerRateLimitError) as caught:
        await client.async_get_stats()
    assert caught.value.retry_after == 7
    assert client.auth_style is None
    assert styles_seen(demo) == [("bearer", 429)]
    # On the raw try too: raised, and the form is not remembered yet.
    client = client_for(session, demo, "ab-raw")
    with pytest.raises(TrackerRateLimitError):
        await client.async_get_stats()
    assert client.auth_style is None
    assert styles_seen(demo)[1:] == [("bearer", 401), ("raw", 429)]


async def test_wrong_types_are_unknown(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Values of the wrong type become None, never a traceback or a 0."""
    demo.state.set_fault("wrong_types")
    stats = await client_for(session, demo, "ab").async_get_stats()
    assert (stats.uploaded_bytes, stats.downloaded_bytes, stats.ratio) == (
        None,
        None,
        None,
    )
    assert (stats.seeding_count, stats.bonus_points, stats.hit_and_runs) == (
        None,
        None,
        None,
    )
    assert stats.seed_size_bytes is None
    assert stats.group == "Unknown"
    assert stats.snatched_count == 1022


async def test_nothing_downloaded_has_no_ratio(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Zero download: ratio unknown, buffer the whole upload."""
    account = demo.state.accounts["ab"]
    account.set_bytes(account.uploaded, 0)
    stats = await client_for(session, demo, "ab").async_get_stats()
    assert (stats.downloaded_bytes, stats.ratio) == (0, None)
    assert stats.buffer_bytes == account.uploaded


@pytest.mark.parametrize(
    ("reply", "error", "match"),
    [
        (
            ScriptedReply(200, '{"success": false, "error": "Down for maintenance"}'),
            TrackerConnectionError,
            "maintenance",
        ),
        (
            ScriptedReply(200, '{"success": false}'),
            TrackerResponseError,
            "no reason given",
        ),
        (ScriptedReply(404, "{}"), TrackerResponseError, "HTTP 404"),
        (ScriptedReply(200, '{"class": "User"}'), TrackerResponseError, "no user"),
    ],
)
async def test_unusable_answers(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    reply: ScriptedReply,
    error: type[Exception],
    match: str,
) -> None:
    """Failure texts keep their meaning; empty answers are response errors."""
    scripted.reply = reply
    client = AnimeBytesClient(session, scripted.url, "k", auth_style="raw")
    with pytest.raises(error, match=match):
        await client.async_get_stats()
    assert scripted.seen[-1].path == "/api/stats/personal"
    assert scripted.seen[-1].headers["Authorization"] == "k"


async def test_partial_answer(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Blocks that are missing are unknown; negative freeleech is no end time."""
    scripted.reply = ScriptedReply(
        200, json.dumps({"upload": {"account": 5}, "freeleech": -3})
    )
    stats = await AnimeBytesClient(session, scripted.url, "k").async_get_stats()
    assert stats.uploaded_bytes == 5
    assert (stats.downloaded_bytes, stats.ratio, stats.buffer_bytes) == (
        None,
        None,
        None,
    )
    assert stats.platform_meta == {"hnrs_potential": None, "freeleech_ends": None}
    assert scripted.seen[-1].headers["Authorization"] == "Bearer k"


def test_constructor_and_factory(session: aiohttp.ClientSession) -> None:
    """create_client passes the stored style; only Bearer and raw exist here."""
    client = create_client(
        "animebytes",
        session,
        url="https://animebytes.tv",
        api_key="k",
        auth_style="raw",
    )
    assert isinstance(client, AnimeBytesClient)
    assert client.auth_style is AuthStyle.RAW
    fresh = create_client(
        "animebytes", session, url="https://animebytes.tv", api_key="k"
    )
    assert fresh.auth_style is None
    with pytest.raises(ValueError, match="bearer"):
        AnimeBytesClient(session, "https://animebytes.tv", "k", auth_style="token")
    with pytest.raises(ValueError):
        AnimeBytesClient(session, "https://animebytes.tv", "k", auth_style="cookie")
    with pytest.raises(ValueError, match="control character"):
        AnimeBytesClient(session, "https://animebytes.tv", "k\nX: y")
