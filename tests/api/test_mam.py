"""MyAnonamouse client against the demo tracker over real HTTP, cookie rotation included."""

from __future__ import annotations

from datetime import UTC, datetime
import json
import logging
from typing import Any

import aiohttp
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORMS,
    STAT_FIELDS,
    MAMClient,
    TrackerAuthError,
    TrackerError,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.api._parse import as_bytes, as_utc_datetime
from custom_components.tracker_stats.api.mam import SPEC, parse_json_load
from demo_tracker import fixtures
from demo_tracker.platforms.mam import ROTATE_MINUTES
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker


def expected(document: dict[str, Any], buckets: dict[str, Any]) -> TrackerStats:
    """Return what a jsonLoad answer must map to, from the fixture's own values."""
    uploaded, downloaded = document["uploaded_bytes"], document["downloaded_bytes"]
    return TrackerStats(
        username=document["username"],
        group=document["classname"],
        remote_user_id=document["uid"],
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=document["ratio"] if downloaded else None,
        buffer_bytes=uploaded - downloaded,
        # upAct is not seeding.
        seeding_count=sum(
            buckets[name]["count"] for name in ("sSat", "seedUnsat", "seedHnr")
        ),
        leeching_count=buckets["leeching"]["count"],
        bonus_points=document["seedbonus"],
        hit_and_runs=buckets["inactHnr"]["count"],
        freeleech_tokens=document["wedges"],
        unread_messages=document["notifs"]["pms"],
        unsatisfied_count=buckets["unsat"]["count"],
        unsatisfied_limit=buckets["unsat"]["limit"],
        vip_until=as_utc_datetime(document["vip_until"]),
    )


async def test_buckets_under_snatch_summary(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The newer layout: every field; the cookie carries the session."""
    seed = fixtures.load("mam", "json_load")
    stats = await MAMClient(session, demo.url, demo.keys["mam"]).async_get_stats()
    assert stats == expected(seed, seed["snatch_summary"])
    assert stats.unsatisfied_count == 14
    assert stats.unsatisfied_limit == 50
    assert stats.vip_until == datetime(2026, 12, 31, tzinfo=UTC)
    assert PLATFORMS["mam"] == {
        name for name in STAT_FIELDS if getattr(stats, name) not in (None, "Unknown")
    }
    assert [(r.endpoint, r.auth_style, r.status) for r in demo.state.requests] == [
        ("jsonLoad.php", "cookie", 200)
    ]


async def test_buckets_at_top_level_and_infinite_ratio(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The older layout; "∞" with nothing downloaded is an unknown ratio."""
    seed = fixtures.load("mam", "json_load_top_level")
    stats = await MAMClient(session, demo.url, demo.keys["mamflat"]).async_get_stats()
    assert stats == expected(seed, seed)
    assert stats.ratio is None
    assert (stats.unsatisfied_count, stats.unsatisfied_limit) == (7, 20)
    assert stats.vip_until is None


async def test_client_follows_the_rotated_cookie(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Set-Cookie mam_id=NEW: used at once; the old value is dead (403)."""
    caplog.set_level(logging.DEBUG, logger=api_library.__name__)
    client = MAMClient(session, demo.url, demo.keys["mam"])
    await client.async_get_stats()
    assert client.api_key == "demo-mam-key"
    demo.state.advance(ROTATE_MINUTES)
    await client.async_get_stats()
    new_value = demo.keys["mam"]
    assert new_value != "demo-mam-key"
    assert client.api_key == new_value
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes == demo.state.accounts["mam"].uploaded
    assert [r.key_accepted for r in demo.state.requests] == [True, True, True]
    with pytest.raises(TrackerAuthError) as caught:
        await MAMClient(session, demo.url, "demo-mam-key").async_get_stats()
    assert demo.state.requests[-1].status == 403
    assert "demo-mam-key" not in str(caught.value)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "rotated" in logged
    assert new_value not in logged
    assert "demo-mam-key" not in logged


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("malformed_json", TrackerResponseError),
        ("html_login", TrackerAuthError),
        ("wrong_shape", TrackerResponseError),
    ],
)
async def test_rotation_survives_a_failed_answer(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    fault: str,
    error: type[TrackerError],
) -> None:
    """The answer that rotates is broken: the new cookie is kept all the same."""
    client = MAMClient(session, demo.url, demo.keys["mam"])
    demo.state.advance(ROTATE_MINUTES)
    demo.state.set_fault(fault, times=1)
    with pytest.raises(error) as caught:
        await client.async_get_stats()
    assert demo.keys["mam"] not in str(caught.value)
    assert client.api_key == demo.keys["mam"] != "demo-mam-key"
    assert (await client.async_get_stats()).username == "DemoReader"


async def test_expired_session(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A session that died without a new cookie (403) asks the user for one."""
    client = MAMClient(session, demo.url, demo.keys["mam"])
    demo.state.rotate_key("mam")
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert client.api_key == "demo-mam-key"


async def test_missing_and_mistyped_fields(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Unknown, never invented: a garbled bucket makes seeding unknown."""
    client = MAMClient(session, demo.url, demo.keys["mam"])
    demo.state.set_fault("missing_fields", times=1)
    stats = await client.async_get_stats()
    assert (stats.uploaded_bytes, stats.ratio, stats.buffer_bytes) == (None,) * 3
    assert stats.seeding_count == 325
    demo.state.set_fault("wrong_types", times=1)
    stats = await client.async_get_stats()
    assert stats.seeding_count is stats.leeching_count is stats.hit_and_runs is None
    assert stats.unread_messages is stats.bonus_points is None
    assert stats.group == "Unknown"
    # uploaded_bytes is garbled, the unit string still says 1.203 TiB.
    assert stats.uploaded_bytes == as_bytes("1.203 TiB")


async def test_json_without_username_is_a_dead_session(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """MAM answers a session it does not know without a user; flags are sent."""
    scripted.reply = ScriptedReply(200, json.dumps({"uid": 5}))
    with pytest.raises(TrackerAuthError):
        await MAMClient(session, scripted.url, "c00kie").async_get_stats()
    request = scripted.seen[0]
    assert request.path == "/jsonLoad.php"
    assert set(request.query) == {"snatch_summary", "notif"}
    assert request.cookies["mam_id"] == "c00kie"
    assert "c00kie" not in request.path_qs


@pytest.mark.parametrize(
    "set_cookie",
    [
        "mam_id=bad value; Path=/",
        "mam_id=; Path=/",
        "other=1; Path=/",
    ],
)
async def test_unusable_cookies_are_ignored(
    session: aiohttp.ClientSession, scripted: ScriptedTracker, set_cookie: str
) -> None:
    """Only a well-formed new mam_id replaces the secret."""
    body = json.dumps(fixtures.load("mam", "json_load"))
    scripted.reply = ScriptedReply(200, body, headers={"Set-Cookie": set_cookie})
    client = MAMClient(session, scripted.url, "c00kie")
    await client.async_get_stats()
    assert client.api_key == "c00kie"


def test_unit_strings_and_fallbacks() -> None:
    """Byte counts from unit strings only when the exact counts are absent."""
    assert as_bytes("1.5 GiB") == 1610612736
    assert as_bytes("0 B") == 0
    assert as_bytes("12 KB") == 12288
    for bad in ("lots", "-1 GiB", "1 XiB", "9" * 70 + " B"):
        assert as_bytes(bad) is None
    stats = parse_json_load(
        {"username": "u", "uploaded": "2 MiB", "downloaded": "1 MiB", "ratio": "2"}
    )
    assert (stats.uploaded_bytes, stats.downloaded_bytes) == (2 * 1024**2, 1024**2)
    assert stats.ratio == 2.0
    assert stats.seeding_count is None
    assert stats.platform_meta == {}


def test_a_rejected_secret_has_its_own_error() -> None:
    """The setup form's error when the key is rejected: a session, which can expire."""
    assert SPEC.rejected_key_error == "invalid_session"
