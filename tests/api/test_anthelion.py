"""Anthelion client against the demo tracker over real HTTP, and scripted answers."""

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
from custom_components.tracker_stats.api.anthelion import AnthelionClient
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

KEY = "An7Wm2Xp9Lr4Tz8Vn3Bc6Hd1Fs5Jg0Ay"
SECRET_FIELDS = ("IRCKey", "Email", "Inviter")


def gazelle_time(text: str) -> datetime:
    """Return Gazelle's naive UTC time string as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def enveloped(payload: Any) -> str:
    """Return the Gazelle envelope of a successful answer."""
    return json.dumps({"status": "success", "response": payload})


def failure(error: str) -> str:
    """Return the envelope of a refusal."""
    return json.dumps({"status": "failure", "error": error})


def client_for(
    url: str, session: aiohttp.ClientSession, key: str, **options: Any
) -> AnthelionClient:
    """Return an Anthelion client."""
    client = create_client("anthelion", session, url=url, api_key=key, **options)
    assert isinstance(client, AnthelionClient)
    return client


def expected(user: dict[str, Any]) -> TrackerStats:
    """Return what a getuserinfo answer maps to, from the fixture's own values."""
    uploaded, downloaded = int(user["Uploaded"]), int(user["Downloaded"])
    return TrackerStats(
        username=user["Username"],
        group=user["Class"],
        remote_user_id=int(user["ID"]),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=uploaded / downloaded,
        buffer_bytes=uploaded - downloaded,
        seeding_count=int(user["SeedCount"]),
        seed_size_bytes=int(user["SeedSize"]),
        bonus_points=float(user["Orbs"]),
        snatched_count=int(user["Snatched"]),
        joined_date=gazelle_time(user["JoinDate"]),
        last_access_date=gazelle_time(user["LastAccess"]),
    )


async def test_field_by_field_and_then_by_id(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The first poll names user 1, later ones the account's own id; key in api_key."""
    user = fixtures.load("anthelion", "user_info")
    client = client_for(demo.url, session, demo.keys["ant"])
    stats = await client.async_get_stats()
    assert stats == expected(user)
    assert stats.platform_meta == {"unread_mail": False}
    assert stats.unread_messages is None
    await client.async_get_stats()
    assert [(r.user_id, r.auth_style) for r in demo.state.requests] == [
        ("1", "query"),
        (str(user["ID"]), "query"),
    ]
    text = repr(stats) + str(stats.platform_meta)
    for name in SECRET_FIELDS:
        assert str(user[name]) not in text, name


async def test_numbers_as_strings(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """The other shape: every number a string, UnreadMail "1"."""
    user = fixtures.load("anthelion", "user_info_strings")
    scripted.reply = ScriptedReply(200, enveloped(user))
    stats = await client_for(scripted.url, session, KEY).async_get_stats()
    assert stats == expected(user)
    assert stats.platform_meta == {"unread_mail": True}
    request = scripted.seen[0]
    assert request.query["api_key"] == KEY
    assert "apikey" not in request.query
    assert (request.query["type"], request.query["user"]) == ("id", "1")


@pytest.mark.parametrize(
    ("account_key", "why"),
    [("wrong-ant-key", "rejected the key"), ("", "rejected the key")],
)
async def test_unknown_or_missing_key_is_rejected(
    session: aiohttp.ClientSession, demo: DemoTracker, account_key: str, why: str
) -> None:
    """An unknown or missing key on the demo host: a rejected key."""
    client = client_for(demo.url, session, account_key)
    with pytest.raises(TrackerAuthError, match=why):
        await client.async_get_stats()


async def test_an_account_without_two_factor_authentication(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The MFA refusal is a rejected key whose message says what to turn on."""
    client = client_for(demo.url, session, demo.keys["ant-nomfa"])
    with pytest.raises(TrackerAuthError, match="two-factor authentication"):
        await client.async_get_stats()


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        ("Unrecognized key", TrackerAuthError),
        ("No API_KEY provided", TrackerAuthError),
        ("User does not have MFA enabled", TrackerAuthError),
        ("Rate limit exceeded", TrackerRateLimitError),
        ("User not found", TrackerResponseError),
    ],
)
async def test_documented_errors(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    error: str,
    raised: type[Exception],
) -> None:
    """Each documented failure text is its error."""
    scripted.reply = ScriptedReply(200, failure(error))
    with pytest.raises(raised):
        await client_for(scripted.url, session, KEY).async_get_stats()


async def test_a_bare_answer_is_no_answer(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Anthelion always sends the envelope: a bare object is an unexpected shape."""
    scripted.reply = ScriptedReply(
        200, json.dumps(fixtures.load("anthelion", "user_info"))
    )
    with pytest.raises(TrackerResponseError, match="unexpected JSON shape"):
        await client_for(scripted.url, session, KEY).async_get_stats()
