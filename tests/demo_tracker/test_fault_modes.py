"""The demo tracker's fault table: each mode, its scope, its limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time
from typing import Any

import aiohttp
import pytest

from demo_tracker.server import FAULT_MODES, DemoState
from demo_tracker.testing import DemoTracker, start_demo_tracker

from .wire import GGN_QUICK, GGN_USER, RED, fault_mode, get

MISTYPED_USERSTATS: dict[str, Any] = {
    "uploaded": "lots",
    "downloaded": None,
    "ratio": {},
    "class": 7,
    "seedingcount": "x",
}
FAULT_CASES: list[tuple[str, int, Callable[[Any], bool]]] = [
    ("html_login", 200, lambda body: 'action="login.php"' in body),
    ("server_error", 500, lambda body: "500" in body),
    ("bad_gateway", 502, lambda body: True),
    (
        "rate_limit",
        429,
        lambda body: body == {"status": "failure", "error": "Rate limit exceeded"},
    ),
    (
        "rate_limit_text",
        200,
        lambda body: (
            body == {"status": "failure", "error": "Rate limit exceeded, slow down"}
        ),
    ),
    ("malformed_json", 200, lambda body: body is None),
    ("redirect", 302, lambda body: True),
    ("wrong_shape", 200, lambda body: body == {"status": "success", "response": []}),
    (
        "missing_fields",
        200,
        lambda body: (
            "userstats" not in body["response"]
            and body["response"]["username"] == "JohnDoe"
        ),
    ),
    (
        "wrong_types",
        200,
        lambda body: (
            {key: body["response"]["userstats"][key] for key in MISTYPED_USERSTATS}
            == MISTYPED_USERSTATS
        ),
    ),
    (
        "failure_message",
        200,
        lambda body: (
            body == {"status": "failure", "error": "Your API key is invalid or revoked"}
        ),
    ),
]


def test_every_fault_mode_is_tested() -> None:
    """FAULT_CASES plus the hang tests below cover every mode."""
    assert {mode for mode, _, _ in FAULT_CASES} | {"hang"} == set(FAULT_MODES)


@pytest.mark.parametrize(("mode", "status", "check"), FAULT_CASES)
async def test_fault_modes(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    mode: str,
    status: int,
    check: Callable[[Any], bool],
) -> None:
    """Each fault answers once (times=1), then the tracker behaves again."""
    demo.state.set_fault(mode, times=1, retry_after=7)
    index = f"{demo.url}/ajax.php?action=index"
    async with session.get(index, headers=RED, allow_redirects=False) as response:
        assert response.status == status
        body: Any = await response.text()
        if response.content_type == "application/json":
            try:
                body = await response.json()
            except ValueError:
                body = None
        elif mode in ("html_login", "server_error"):
            assert response.content_type == "text/html"
        assert check(body)
        if mode == "rate_limit":
            assert response.headers["Retry-After"] == "7"
        if mode == "redirect":
            assert response.headers["Location"] == "login.php"
    assert demo.state.fault is None
    status, _ = await get(session, index, headers=RED)
    assert status == 200
    assert [r.status for r in demo.state.requests][-1] == 200


async def test_missing_and_wrong_types_on_ggn_and_profiles(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """GGn loses `stats`; mistyped fields appear wherever the answer has them."""
    demo.state.set_fault("missing_fields", times=2)
    _, body = await get(session, demo.url + GGN_USER)
    assert "stats" not in body["response"]
    assert body["response"]["personal"]["class"] == "Elite Gamer"
    _, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=12345", headers=RED
    )
    assert "stats" not in body["response"]
    demo.state.set_fault("wrong_types")
    _, body = await get(session, demo.url + GGN_USER)
    user = body["response"]
    assert (user["stats"]["uploaded"], user["stats"]["downloaded"]) == ("lots", None)
    assert (user["stats"]["ratio"], user["stats"]["joinedDate"]) == ({}, 12)
    assert (user["personal"]["class"], user["personal"]["warned"]) == (7, "maybe")
    assert user["community"]["seeding"] == "x"
    _, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=12345", headers=RED
    )
    assert body["response"]["personal"]["warned"] == "maybe"
    # The accounts themselves are untouched.
    demo.state.clear_fault()
    _, body = await get(session, demo.url + GGN_USER)
    assert body["response"]["stats"]["uploaded"] == 372518353895


async def test_fault_times_and_actions(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """`times` counts only matching requests; `actions` scopes the fault."""
    index = f"{demo.url}/ajax.php?action=index"
    user = f"{demo.url}/ajax.php?action=user&id=12345"
    demo.state.set_fault("server_error", times=2)
    assert [(await get(session, index, headers=RED))[0] for _ in range(3)] == [
        500,
        500,
        200,
    ]
    demo.state.set_fault("rate_limit", times=1, actions={"user"})
    assert (await get(session, index, headers=RED))[0] == 200
    assert fault_mode(demo) == "rate_limit"
    async with session.get(user, headers=RED) as response:
        assert response.status == 429
        assert "Retry-After" not in response.headers
    assert fault_mode(demo) is None
    demo.state.set_fault("wrong_shape", actions=["quick_user"])
    assert (await get(session, demo.url + GGN_USER))[1]["status"] == "success"
    assert (await get(session, demo.url + GGN_QUICK))[1]["response"] == []
    assert (await get(session, demo.url + GGN_QUICK))[1]["response"] == []
    # Auth comes first: a wrong key is still rejected while a fault is on.
    status, _ = await get(session, index, headers={"Authorization": "bad"})
    assert status == 401


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "explode"}, "unknown fault mode"),
        ({"mode": "hang", "times": 0}, "times"),
        ({"mode": "rate_limit", "retry_after": -1}, "retry_after"),
        ({"mode": "hang", "delay": -1.0}, "delay"),
        ({"mode": "hang", "delay": float("nan")}, "delay"),
        ({"mode": "hang", "actions": {"idx"}}, "actions"),
        ({"mode": "hang", "actions": set()}, "actions"),
    ],
)
def test_set_fault_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    """A typo in a test's fault is an error, not a fault that never fires."""
    state = DemoState()
    mode = kwargs.pop("mode")
    with pytest.raises(ValueError, match=message):
        state.set_fault(mode, **kwargs)
    assert state.fault is None


async def test_hang_released_by_clear_replace_or_delay(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A hanging reply answers normally when cleared, replaced or after `delay`."""
    demo.state.set_fault("hang")
    request = asyncio.ensure_future(get(session, demo.url + GGN_QUICK))
    await asyncio.sleep(0.1)
    assert not request.done()
    demo.state.clear_fault()
    assert await request == (
        200,
        {"status": "success", "response": {"username": "ExampleUser", "id": 74360}},
    )
    demo.state.set_fault("hang")
    request = asyncio.ensure_future(get(session, demo.url + GGN_QUICK))
    await asyncio.sleep(0.1)
    demo.state.set_fault("server_error", actions={"index"})
    status, _ = await request
    assert status == 200
    demo.state.set_fault("hang", delay=0.05, times=1)
    started = time.monotonic()
    status, _ = await get(session, demo.url + GGN_QUICK)
    assert status == 200
    assert 0.05 <= time.monotonic() - started < 5


async def test_close_does_not_wait_for_a_hang(
    session: aiohttp.ClientSession,
) -> None:
    """Shutting down with a 600 s hang in flight is quick."""
    tracker = await start_demo_tracker()
    tracker.state.set_fault("hang")
    request = asyncio.ensure_future(get(session, tracker.url + GGN_QUICK))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await tracker.close()
    await tracker.close()  # twice is harmless
    assert time.monotonic() - started < 2
    # Released and answered, or cut off by the shutdown: either way it is over.
    try:
        status, _ = await request
    except aiohttp.ClientError:
        status = None
    assert status in (200, None)
