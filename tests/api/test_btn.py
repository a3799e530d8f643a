"""BTN client against the demo tracker over real HTTP, field by field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
import json
import logging
from typing import Any

import aiohttp
from aiohttp import web
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORMS,
    STAT_FIELDS,
    BTNClient,
    TrackerAuthError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.api.btn import parse_user_info
from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .conftest import ScriptedReply

SEED = fixtures.load("btn", "user_info")
EMAIL = SEED["Email"]


def seed_stats() -> TrackerStats:
    """Return what the seed answer must map to, from the fixture's own values."""
    uploaded, downloaded = int(SEED["Upload"]), int(SEED["Download"])
    return TrackerStats(
        username=SEED["Username"],
        group=SEED["Class"],
        remote_user_id=int(SEED["UserID"]),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=uploaded / downloaded,
        buffer_bytes=uploaded - downloaded,
        bonus_points=float(SEED["Bonus"]),
        hit_and_runs=int(SEED["HnR"]),
        snatched_count=int(SEED["Snatches"]),
        joined_date=datetime.fromtimestamp(int(SEED["JoinDate"]), UTC),
    )


def client(session: aiohttp.ClientSession, demo: DemoTracker) -> BTNClient:
    """Return a client with the demo account's key."""
    return BTNClient(session, demo.url, demo.keys["btn"])


async def test_every_field_of_the_seed(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """One userInfo call; every value a string in, typed out; no e-mail kept."""
    stats = await client(session, demo).async_get_stats()
    assert stats == seed_stats()
    assert stats.platform_meta == {
        "Lumens": int(SEED["Lumens"]),
        "ClassLevel": int(SEED["ClassLevel"]),
    }
    assert EMAIL not in repr(stats)
    assert EMAIL not in repr(stats.platform_meta)
    assert "Invites" not in stats.platform_meta
    assert [(r.endpoint, r.action, r.auth_style) for r in demo.state.requests] == [
        ("/", "userInfo", "rpc")
    ]
    # The seed fills exactly the fields the platform says it can.
    assert PLATFORMS["btn"] == {
        name for name in STAT_FIELDS if getattr(stats, name) not in (None, "Unknown")
    }


async def test_stats_move_with_the_demo(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Advancing the demo changes the byte strings; the ratio follows exactly."""
    demo.state.advance(10)
    demo.state.drop_ratio("btn", 0.5)
    stats = await client(session, demo).async_get_stats()
    account = demo.state.accounts["btn"]
    assert (stats.uploaded_bytes, stats.downloaded_bytes) == (
        account.uploaded,
        account.downloaded,
    )
    assert stats.ratio == account.ratio


async def test_a_key_revoked_mid_request_is_an_auth_error(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """-32001 Invalid API Key (an unknown key: test_every_platform)."""
    demo.state.set_fault("failure_message", times=1)
    with pytest.raises(TrackerAuthError):
        await client(session, demo).async_get_stats()


async def test_call_limit_exceeded_backs_off(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The JSON-RPC "Call Limit Exceeded" error is a rate limit of five minutes."""
    demo.state.set_fault("rate_limit_text", times=1)
    with pytest.raises(TrackerRateLimitError) as caught:
        await client(session, demo).async_get_stats()
    assert caught.value.retry_after == 300


@pytest.mark.parametrize(("retry_after", "expected"), [(None, 300), (42, 42)])
async def test_503_is_a_back_off_never_a_reauth(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    retry_after: int | None,
    expected: float,
) -> None:
    """HTTP 503: a rate limit, Retry-After when sent, else 300 s."""
    demo.state.set_fault("rate_limit", times=1, retry_after=retry_after)
    with pytest.raises(TrackerRateLimitError) as caught:
        await client(session, demo).async_get_stats()
    assert caught.value.retry_after == expected
    assert demo.state.requests[-1].status == 503


async def test_missing_and_mistyped_fields_are_unknown(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Fields the answer lacks or garbles are None, never invented."""
    demo.state.set_fault("missing_fields", times=1)
    stats = await client(session, demo).async_get_stats()
    assert stats.username == SEED["Username"]
    assert stats.uploaded_bytes is stats.ratio is stats.bonus_points is None
    demo.state.set_fault("wrong_types", times=1)
    stats = await client(session, demo).async_get_stats()
    assert (stats.uploaded_bytes, stats.downloaded_bytes, stats.bonus_points) == (
        None,
        None,
        None,
    )
    assert (stats.group, stats.joined_date, stats.snatched_count) == (
        "Unknown",
        None,
        None,
    )


async def test_no_secret_in_logs(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logging of a good and a failed call holds neither key nor e-mail."""
    caplog.set_level(logging.DEBUG, logger=api_library.__name__)
    await client(session, demo).async_get_stats()
    demo.state.set_fault("failure_message", times=1)
    with pytest.raises(TrackerAuthError):
        await client(session, demo).async_get_stats()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert demo.keys["btn"] not in logged
    assert EMAIL not in logged


# --- wire cases the demo has no switch for ------------------------------------


class RpcServer:
    """A loopback JSON-RPC endpoint that records what it got."""

    def __init__(self) -> None:
        self.url = ""
        self.reply = ScriptedReply()
        self.seen: list[tuple[str, dict[str, Any]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append((request.path_qs, await request.json()))
        body = self.reply.body
        return web.Response(
            status=self.reply.status,
            body=body.encode() if isinstance(body, str) else body,
            content_type=self.reply.content_type,
            headers=self.reply.headers,
        )


@pytest.fixture
async def rpc() -> AsyncIterator[RpcServer]:
    """Serve an RpcServer on a free loopback port."""
    server = RpcServer()
    app = web.Application()
    app.router.add_post("/{tail:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield server
    await runner.cleanup()


async def test_key_travels_in_the_body_only(
    session: aiohttp.ClientSession, rpc: RpcServer
) -> None:
    """POST / with the JSON-RPC body; an answer without "jsonrpc" is fine."""
    rpc.reply = ScriptedReply(200, json.dumps({"id": 1, "result": SEED}))
    stats = await BTNClient(session, rpc.url, "secret-btn-key").async_get_stats()
    assert stats.username == SEED["Username"]
    assert rpc.seen == [
        (
            "/",
            {
                "jsonrpc": "2.0",
                "method": "userInfo",
                "params": ["secret-btn-key"],
                "id": 1,
            },
        )
    ]


async def test_http_401_is_an_auth_error(
    session: aiohttp.ClientSession, rpc: RpcServer
) -> None:
    """BTN's HTTP 401 rejects the key."""
    rpc.reply = ScriptedReply(401, "Unauthorized", "text/plain")
    with pytest.raises(TrackerAuthError):
        await BTNClient(session, rpc.url, "k").async_get_stats()


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"id": 1, "error": {"code": -32000, "message": "Database busy"}}, None),
        ({"id": 1, "error": "Call Limit Exceeded"}, TrackerRateLimitError),
        ({"id": 1, "error": {"message": "Invalid API Key"}}, TrackerAuthError),
        ({"id": 1, "result": None}, None),
        ({"id": 1, "result": {"Class": "User"}}, None),
        ([1, 2], None),
    ],
)
async def test_odd_answers(
    session: aiohttp.ClientSession,
    rpc: RpcServer,
    payload: Any,
    error: type[TrackerError] | None,
) -> None:
    """Other errors, missing results and odd shapes are response errors."""
    rpc.reply = ScriptedReply(200, json.dumps(payload))
    with pytest.raises(error or TrackerResponseError):
        await BTNClient(session, rpc.url, "k").async_get_stats()


def test_parse_edge_cases() -> None:
    """Title stands in for Class; no download means no ratio; odd values are None."""
    stats = parse_user_info(
        {
            "Username": "X",
            "Title": "Member",
            "Upload": "5",
            "Download": "0",
            "UserID": "0",
            "JoinDate": "-5",
            "HnR": "-1",
        }
    )
    assert stats.group == "Member"
    # Ratio and buffer are the client's: not derived here (see derived.py).
    assert (stats.uploaded_bytes, stats.downloaded_bytes) == (5, 0)
    assert (stats.ratio, stats.buffer_bytes) == (None, None)
    assert stats.remote_user_id is stats.joined_date is stats.hit_and_runs is None
