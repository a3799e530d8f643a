"""SpeedApp software (SpeedApp, RetroFlix) against the demo tracker and scripted answers."""

from __future__ import annotations

from datetime import datetime
import json
from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    TrackerAuthError,
    TrackerRateLimitError,
    TrackerResponseError,
    TrackerStats,
    create_client,
)
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

KEY = "Sp7Wm2Xp9Lr4Tz8Vn3Bc6Hd1Fs5Jg0Ay"


def expected(me: dict[str, Any]) -> TrackerStats:
    """Return what an api/me answer maps to, from the fixture's own values."""
    uploaded, downloaded = me["uploaded"], me["downloaded"]
    return TrackerStats(
        username=me["username"],
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=me.get("ratio", uploaded / downloaded),
        buffer_bytes=uploaded - downloaded,
        bonus_points=float(me["seed_bonus"]),
        hit_and_runs=me["hit_and_run_count"],
        unread_messages=me["unread_private_message_count"],
        joined_date=datetime.fromisoformat(me["created_at"]),
        seeding_count=me.get("seeding_count"),
        seed_size_bytes=me.get("seeding_size"),
        freeleech_tokens=me.get("free_leech_tokens"),
        warned=me.get("warned"),
    )


@pytest.mark.parametrize(
    ("account", "fixture"),
    [("speedapp", "me_speedapp"), ("retroflix", "me_retroflix")],
)
async def test_both_shapes_field_by_field(
    session: aiohttp.ClientSession, demo: DemoTracker, account: str, fixture: str
) -> None:
    """SpeedApp (no ratio, seeding figures) and RetroFlix (a ratio, no extras)."""
    me = fixtures.load("speedapp", fixture)
    client = create_client(
        "speedapp", session, url=demo.url, api_key=demo.keys[account]
    )
    stats = await client.async_get_stats()
    assert stats == expected(me)
    # The class is a number whose names are the site's: no group is invented.
    assert stats.group == "Unknown"
    assert stats.platform_meta == {"class_id": me["class"]}
    assert [r.auth_style for r in demo.state.requests] == ["bearer"]
    text = repr(stats) + str(stats.platform_meta)
    assert me["passkey"] not in text
    assert me["email"] not in text


async def test_a_wrong_token_is_rejected(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """HTTP 401 with a message: a rejected key."""
    client = create_client("speedapp", session, url=demo.url, api_key="wrong")
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()


@pytest.mark.parametrize(
    ("body", "raised"),
    [
        ({"message": "Invalid credentials."}, TrackerAuthError),
        ({"code": 429, "message": "Too many requests"}, TrackerRateLimitError),
        ({"error": {"message": "Unauthenticated"}}, TrackerAuthError),
        ({"message": "Something else"}, TrackerResponseError),
        ({"username": "x", "class": 1}, TrackerResponseError),
        ({"uploaded": 1, "downloaded": 1}, TrackerResponseError),
    ],
)
async def test_refusals_in_a_200(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    body: dict[str, Any],
    raised: type[Exception],
) -> None:
    """A message without the account says why; an object without stats is no answer."""
    scripted.reply = ScriptedReply(200, json.dumps(body))
    client = create_client("speedapp", session, url=scripted.url, api_key=KEY)
    with pytest.raises(raised):
        await client.async_get_stats()
    assert scripted.seen[0].headers["Authorization"] == f"Bearer {KEY}"


async def test_a_class_by_name_is_the_group(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A site that names the class: that is the user class."""
    me = {**fixtures.load("speedapp", "me_retroflix"), "class": "Power User"}
    scripted.reply = ScriptedReply(200, json.dumps(me))
    client = create_client("speedapp", session, url=scripted.url, api_key=KEY)
    stats = await client.async_get_stats()
    assert stats.group == "Power User"
    assert stats.platform_meta == {}
