"""Milkie against the demo tracker and scripted answers."""

from __future__ import annotations

from datetime import UTC, datetime
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

KEY = "Mk7Wm2Xp9Lr4Tz8Vn3Bc6Hd1Fs5Jg0Ay"


async def test_field_by_field(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The user object maps field by field; ratio and buffer come from the bytes."""
    user = fixtures.load("milkie", "auth")["user"]
    client = create_client("milkie", session, url=demo.url, api_key=demo.keys["milkie"])
    stats = await client.async_get_stats()
    uploaded, downloaded = user["uploaded"], user["downloaded"]
    assert stats == TrackerStats(
        username=user["displayName"],
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=uploaded / downloaded,
        buffer_bytes=uploaded - downloaded,
        joined_date=datetime(2020, 10, 4, 16, 20, tzinfo=UTC),
    )
    assert stats.platform_meta == {}
    assert user["apiKey"] not in repr(stats)
    assert [r.auth_style for r in demo.state.requests] == ["header"]


async def test_the_key_travels_in_its_header_only(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """x-milkie-auth, never Authorization nor the URL."""
    scripted.reply = ScriptedReply(200, json.dumps(fixtures.load("milkie", "auth")))
    client = create_client("milkie", session, url=scripted.url, api_key=KEY)
    await client.async_get_stats()
    request = scripted.seen[0]
    assert request.headers["x-milkie-auth"] == KEY
    assert "Authorization" not in request.headers
    assert str(request.rel_url) == "/api/v1/auth"


async def test_numbers_as_strings(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Byte counts sent as digit strings are read the same."""
    answer = fixtures.load("milkie", "auth")
    user = answer["user"]
    user.update(uploaded=str(user["uploaded"]), downloaded=str(user["downloaded"]))
    scripted.reply = ScriptedReply(200, json.dumps(answer))
    client = create_client("milkie", session, url=scripted.url, api_key=KEY)
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes == int(user["uploaded"])


async def test_a_wrong_key_is_rejected(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """HTTP 401: a rejected key."""
    client = create_client("milkie", session, url=demo.url, api_key="wrong")
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()


@pytest.mark.parametrize(
    ("body", "raised"),
    [
        ({"error": "Unauthorized"}, TrackerAuthError),
        ({"error": "Too many requests"}, TrackerRateLimitError),
        ({"error": "Something else"}, TrackerResponseError),
        ({"user": {"displayName": "x"}}, TrackerResponseError),
        ({"user": {"uploaded": 1, "downloaded": 1}}, TrackerResponseError),
        ({"user": None}, TrackerResponseError),
    ],
)
async def test_refusals_and_answers_without_the_account(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    body: dict[str, Any],
    raised: type[Exception],
) -> None:
    """An error text says why; a user without name or bytes is no answer."""
    scripted.reply = ScriptedReply(200, json.dumps(body))
    client = create_client("milkie", session, url=scripted.url, api_key=KEY)
    with pytest.raises(raised):
        await client.async_get_stats()
