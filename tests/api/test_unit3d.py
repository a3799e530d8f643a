"""UNIT3D client against the demo tracker over real HTTP, both answer shapes."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
    Unit3dClient,
    create_client,
)
from custom_components.tracker_stats.api._parse import as_bytes
from custom_components.tracker_stats.api.unit3d import SPEC, count_of
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply, ScriptedTracker

GIB = 1024**3


def client_for(
    session: aiohttp.ClientSession, demo: DemoTracker, account: str
) -> Unit3dClient:
    return Unit3dClient(session, demo.url, demo.keys[account])


async def test_old_shape_field_by_field(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """v8.3.4: unit strings, string ratio, torrent lists counted, buffer ignored."""
    raw = fixtures.load("unit3d", "user_v834")
    account = demo.state.accounts["aither"]
    stats = await client_for(session, demo, "aither").async_get_stats()
    assert stats.username == raw["username"]
    assert stats.group == raw["group"]
    assert stats.remote_user_id is None
    assert stats.uploaded_bytes == account.uploaded == int(500.25 * GIB)
    assert stats.downloaded_bytes == account.downloaded == int(125.5 * GIB)
    assert stats.ratio == float(raw["ratio"])  # the tracker's own ratio wins
    # Our buffer is upload minus download, not UNIT3D's download headroom.
    assert stats.buffer_bytes == account.uploaded - account.downloaded
    assert stats.seeding_count == len(raw["seeding"])
    assert stats.leeching_count == len(raw["leeching"])
    assert stats.bonus_points == float(raw["seedbonus"])
    assert stats.hit_and_runs == raw["hit_and_runs"]
    assert stats.freeleech_tokens is None
    assert stats.seed_size_bytes is None
    assert stats.warned is None
    assert stats.required_ratio is None
    assert stats.joined_date is None
    assert stats.platform_meta == {}


async def test_new_shape_field_by_field(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Newer sites: integers, float ratio, counts, fl_tokens, seedsize."""
    raw = fixtures.load("unit3d", "user")
    stats = await client_for(session, demo, "blutopia").async_get_stats()
    assert stats.username == raw["username"]
    assert stats.group == raw["group"]
    assert stats.uploaded_bytes == raw["uploaded"]
    assert stats.downloaded_bytes == raw["downloaded"]
    assert stats.ratio == raw["ratio"]
    assert stats.buffer_bytes == raw["uploaded"] - raw["downloaded"]
    assert stats.buffer_bytes != int(raw["buffer"])
    assert stats.seeding_count == raw["seeding"]
    assert stats.leeching_count == raw["leeching"]
    assert stats.bonus_points == float(raw["seedbonus"])
    assert stats.hit_and_runs == raw["hit_and_runs"]
    assert stats.freeleech_tokens == raw["fl_tokens"]
    assert stats.seed_size_bytes == raw["seedsize"]
    assert stats.remote_user_id is None


async def test_one_bearer_request_per_poll(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Each poll is one GET api/user with the token as Bearer."""
    client = client_for(session, demo, "blutopia")
    await client.async_get_stats()
    await client.async_get_stats()
    assert [
        (r.endpoint, r.auth_style, r.key_accepted) for r in demo.state.requests
    ] == [("api/user", "bearer", True)] * 2
    assert client.remote_user_id is None
    assert client.auth_style is None


async def test_infinite_ratio_is_unknown(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Nothing downloaded: the tracker's "∞" becomes an unknown ratio."""
    account = demo.state.accounts["aither"]
    account.set_bytes(account.uploaded, 0)
    assert account.ratio == "∞"
    stats = await client_for(session, demo, "aither").async_get_stats()
    assert (stats.downloaded_bytes, stats.ratio) == (0, None)
    assert stats.buffer_bytes == stats.uploaded_bytes


async def test_bad_token_is_an_auth_error(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """401 {"message": "Unauthenticated."}: the JSON answer, not a login redirect."""
    with pytest.raises(TrackerAuthError) as caught:
        await Unit3dClient(session, demo.url, "not-a-token").async_get_stats()
    assert "not-a-token" not in str(caught.value)
    assert demo.state.requests[-1].status == 401


async def test_banned_user_is_an_auth_error_with_a_redacted_message(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """HTTP 200 with only a message: no stats, the account needs staff."""
    key = demo.keys["u3d-banned"]
    with pytest.raises(TrackerAuthError, match="banned") as caught:
        await Unit3dClient(session, demo.url, key).async_get_stats()
    assert demo.state.requests[-1].status == 200
    demo.state.accounts["u3d-banned"].documents["banned"]["message"] = (
        f"Banned. Your token {key} is\nlogged."
    )
    with pytest.raises(TrackerAuthError) as caught:
        await Unit3dClient(session, demo.url, key).async_get_stats()
    assert key not in str(caught.value)
    assert "[redacted]" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("Too Many Attempts.", TrackerRateLimitError),
        ("Down for maintenance", TrackerConnectionError),
        ("Unauthenticated.", TrackerAuthError),
        (None, TrackerAuthError),
    ],
)
async def test_message_only_answers_keep_their_meaning(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    message: str | None,
    error: type[Exception],
) -> None:
    """A rate limit or maintenance text is no ban."""
    scripted.reply = ScriptedReply(200, json.dumps({"message": message}))
    with pytest.raises(error):
        await Unit3dClient(session, scripted.url, "t").async_get_stats()


async def test_rate_limit_with_retry_after(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """429 with Retry-After, as Laravel's throttle sends it."""
    demo.state.set_fault("rate_limit", times=1, retry_after=42)
    with pytest.raises(TrackerRateLimitError) as caught:
        await client_for(session, demo, "aither").async_get_stats()
    assert caught.value.retry_after == 42
    assert len(demo.state.requests) == 1


async def test_wrong_types_are_unknown(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Values of the wrong type become None, never a traceback or a 0."""
    demo.state.set_fault("wrong_types")
    stats = await client_for(session, demo, "aither").async_get_stats()
    assert stats.username == "DemoAither"
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
    assert stats.group == "Unknown"
    assert stats.leeching_count == 1


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        (ScriptedReply(404, '{"message": "Not Found"}'), "needs UNIT3D 8.3.4"),
        (ScriptedReply(400, '{"message": "Bad Request"}'), "HTTP 400"),
        (ScriptedReply(404, "<html>404</html>", "text/html"), "HTTP 404"),
        (ScriptedReply(200, '{"uploaded": 1, "group": "User"}'), "no username"),
        (ScriptedReply(200, '{"username": "Someone"}'), "no user statistics"),
        (ScriptedReply(200, "[1, 2]"), "unexpected JSON shape"),
    ],
)
async def test_unusable_answers(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    reply: ScriptedReply,
    match: str,
) -> None:
    """Old installs, other errors, answers without a username or stats."""
    scripted.reply = reply
    with pytest.raises(TrackerResponseError, match=match):
        await Unit3dClient(session, scripted.url + "/", "t").async_get_stats()
    request = scripted.seen[-1]
    assert request.path == "/api/user"
    assert request.headers["Authorization"] == "Bearer t"
    assert request.headers["Accept"] == "application/json"


async def test_forks_variants(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """A data wrapper, seeding_size, numbers as strings, a bare seed_size."""
    answer: dict[str, Any] = {
        "data": {
            "username": "Fork",
            "uploaded": "1.5 TiB",
            "downloaded": 0,
            "ratio": "∞",
            "seeding": [],
            "leeching": "2",
            "seedbonus": "10.5",
            "seeding_size": "2 TiB",
            "seed_size": 5,
        }
    }
    scripted.reply = ScriptedReply(200, json.dumps(answer))
    stats = await Unit3dClient(session, scripted.url, "t").async_get_stats()
    assert stats.username == "Fork"
    assert stats.uploaded_bytes == int(1.5 * 1024 * GIB)
    assert (stats.downloaded_bytes, stats.ratio) == (0, None)
    assert (stats.seeding_count, stats.leeching_count) == (0, 2)
    assert stats.bonus_points == 10.5
    assert stats.seed_size_bytes == 2 * 1024 * GIB


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("500.25 GiB", 537139347456),
        ("50 GiB", 50 * GIB),
        ("125.5GiB", int(125.5 * GIB)),
        ("512 B", 512),
        ("1.5 KiB", 1536),
        ("1 MiB", 1024**2),
        ("1 PiB", 1024**5),
        (" 2 TiB ", 2 * 1024**4),
        ("0.001 KiB", 1),
        (12345, 12345),
        ("12345", 12345),
        ("8192 PiB", None),  # 2**63: out of range
        ("8191 PiB", 8191 * 1024**5),
        ("-1 GiB", None),
        ("1 GB", GIB),  # what PHP prints as GB is binary too
        ("1e9 GiB", None),
        ("∞", None),
        ("1" * 40 + " GiB", None),
        (None, None),
        (True, None),
    ],
)
def test_unit3d_byte_strings(value: Any, expected: int | None) -> None:
    """Binary unit strings as PHP prints them; anything else bounded or None."""
    assert as_bytes(value) == expected


def test_count_of() -> None:
    """A torrent list counts its entries; a number stays a count."""
    assert count_of([{}, {}]) == 2
    assert count_of(3) == 3
    assert count_of(-1) is None
    assert count_of({"a": 1}) is None


def test_constructor_and_factory(session: aiohttp.ClientSession) -> None:
    """create_client builds the UNIT3D client; a token with a line break is refused."""
    client = create_client(
        "unit3d", session, url="https://aither.cc/", api_key="t", user_agent="HA"
    )
    assert isinstance(client, Unit3dClient)
    assert str(client.base_url) == "https://aither.cc"
    assert client.api_key == "t"
    with pytest.raises(ValueError, match="control character"):
        Unit3dClient(session, "https://aither.cc", "t\r\nX-Evil: 1")
    with pytest.raises(ValueError):
        create_client("unit3d", session, url="ftp://aither.cc", api_key="t")


def test_a_rejected_secret_has_its_own_error() -> None:
    """The setup form's error when the key is rejected: UNIT3D calls its secret an API token."""
    assert SPEC.rejected_key_error == "invalid_token"
