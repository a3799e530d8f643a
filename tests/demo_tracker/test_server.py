"""The demo tracker: auth rules, seed values, faults, keys, time, control API, CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import json
import re
import socket
import time
from typing import Any

import aiohttp
import pytest

from demo_tracker import fixtures
from demo_tracker.__main__ import _banner, _is_loopback, main
from demo_tracker.accounts import DOWNLOAD_PER_STEP, GIB, UPLOAD_PER_STEP
from demo_tracker.server import FAULT_MODES, DemoState
from demo_tracker.testing import DemoTracker, running_demo_tracker, start_demo_tracker

RED = {"Authorization": "demo-red-key"}
OPS = {"Authorization": "token demo-ops-key"}
FORK = {"Authorization": "token demo-fork-key"}
GGN_QUICK = "/api.php?request=quick_user&key=demo-ggn-key"
GGN_USER = "/api.php?request=user&id=74360&key=demo-ggn-key"
KEYS = ("demo-red-key", "demo-ops-key", "demo-fork-key", "demo-ggn-key")

# The seed's action=index example, typed once in its fixture file.
SEED_RED_INDEX = fixtures.load("gazelle", "index")


async def get(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """GET without following redirects; return status and JSON (or text)."""
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


async def control(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    method: str,
    path: str,
    payload: Any = None,
) -> tuple[int, Any]:
    """Call a /_demo/ endpoint with a JSON body; return status and JSON."""
    async with session.request(
        method, f"{demo.url}/_demo/{path}", json=payload
    ) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


def fault_mode(demo: DemoTracker) -> str | None:
    """Return the current fault's mode (a call, so type narrowing stays honest)."""
    return None if demo.state.fault is None else demo.state.fault.mode


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


# --- the APIs at step 0 ------------------------------------------------------


async def test_red_answers_are_the_seed_examples(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Index verbatim; the profile is the seed's plus the secrets a site may send."""
    async with session.get(f"{demo.url}/ajax.php?action=index", headers=RED) as r:
        assert r.content_type == "application/json"
        raw = await r.text()
    assert json.loads(raw) == {"status": "success", "response": SEED_RED_INDEX}
    # A float stays a float on the wire, as the seed shows it.
    assert '"ratio": 4.0' in raw
    _, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=12345", headers=RED
    )
    profile = body["response"]
    assert profile == fixtures.load("gazelle", "user")
    # The seed's values, spot-checked; the fixture adds the secrets a site sends.
    assert profile["stats"]["buffer"] == 402653184000
    assert profile["ranks"]["overall"] == 980
    assert {"passkey", "authkey", "ip", "email"} <= set(profile["personal"])


async def test_ops_and_fork_shapes(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """JaneRoe is warned and under her requirement; the fork is sparse."""
    _, body = await get(session, f"{demo.url}/ajax.php?action=index", headers=OPS)
    ops = body["response"]
    assert (ops["username"], ops["id"], ops["giftTokens"]) == ("JaneRoe", 23456, 2)
    assert ops == fixtures.load("gazelle", "orpheus_index")
    assert ops["userstats"]["ratio"] < ops["userstats"]["requiredratio"]
    _, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=23456", headers=OPS
    )
    profile = body["response"]
    assert profile["personal"]["warned"] is True
    assert (profile["community"]["seeding"], profile["community"]["leeching"]) == (7, 0)
    assert profile["stats"]["buffer"] == 0
    assert profile["stats"]["joinedDate"] == "2024-01-05 18:00:00"
    assert profile["stats"]["lastAccess"] == "2026-11-20 21:15:42"
    _, body = await get(session, f"{demo.url}/ajax.php?action=index", headers=FORK)
    assert body["response"] == fixtures.load("gazelle", "fork_index")
    assert body["response"]["userstats"]["ratio"] == "∞"


async def test_ggn_answers_are_the_seed_examples(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """quick_user and user as in the seed, with demo secrets in `personal`."""
    _, body = await get(session, demo.url + GGN_QUICK)
    assert body == {"status": "success", "response": fixtures.load("ggn", "quick_user")}
    _, body = await get(session, demo.url + GGN_USER)
    user = body["response"]
    assert user == fixtures.load("ggn", "user")
    # The seed's quirks, spot-checked: a string ratio; paranoia off, counts sent.
    assert user["stats"]["ratio"] == "0.99699"
    assert (user["community"]["seeding"], user["community"]["leeching"]) == (312, 1)
    assert {"ip", "passkey"} <= set(user["personal"])


# --- auth and endpoint rules --------------------------------------------------


async def test_gazelle_auth_rules(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Raw for red, token for ops; wrong style or key 401; no header 302."""
    index = f"{demo.url}/ajax.php?action=index"
    status, body = await get(session, index, headers=RED)
    assert (status, body["response"]["username"]) == (200, "JohnDoe")
    status, body = await get(session, index, headers=OPS)
    assert (status, body["response"]["username"]) == (200, "JaneRoe")
    for header in ("token demo-red-key", "demo-ops-key", "nope", "demo-ggn-key"):
        status, body = await get(session, index, headers={"Authorization": header})
        assert (status, body) == (
            401,
            {"status": "failure", "error": "bad credentials"},
        )
    async with session.get(index, allow_redirects=False) as response:
        assert response.status == 302
        assert response.headers["Location"] == "login.php"
    assert [r.key_accepted for r in demo.state.requests] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert [r.auth_style for r in demo.state.requests] == [
        "raw",
        "token",
        "token",
        "raw",
        "raw",
        "raw",
        None,
    ]


async def test_gazelle_user_endpoint(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Own id answers; another id, a broken fork or an unknown action fail."""
    status, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=12345", headers=RED
    )
    assert (status, body["response"]["personal"]["class"]) == (200, "Power User")
    for query in ("action=user&id=23456", "action=user"):
        status, body = await get(session, f"{demo.url}/ajax.php?{query}", headers=RED)
        assert (status, body) == (
            400,
            {"status": "failure", "error": "bad id parameter"},
        )
    for query in ("action=top10", ""):
        status, body = await get(session, f"{demo.url}/ajax.php?{query}", headers=RED)
        assert (status, body) == (400, {"status": "failure", "error": "bad action"})
    status, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=777", headers=FORK
    )
    assert status == 500
    assert "<html" in body


async def test_ggn_endpoints(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """quick_user and user with the key in the query; bad key, id, request."""
    api = f"{demo.url}/api.php"
    status, body = await get(session, f"{api}?request=user&id=1&key=demo-ggn-key")
    assert (status, body) == (200, {"status": "failure", "error": "no such user"})
    status, body = await get(session, f"{api}?request=nope&key=demo-ggn-key")
    assert status == 400
    for query in ("request=quick_user&key=wrong", "request=quick_user"):
        status, body = await get(session, f"{api}?{query}")
        assert (status, body) == (
            401,
            {"status": "failure", "error": "Invalid API key."},
        )
    # A Gazelle key, or the GGn key in a header, is not a GGn key.
    status, _ = await get(session, f"{api}?request=quick_user&key=demo-red-key")
    assert status == 401
    status, _ = await get(
        session,
        f"{api}?request=quick_user",
        headers={"Authorization": "demo-ggn-key"},
    )
    assert status == 401
    assert [r.auth_style for r in demo.state.requests] == [
        "query",
        "query",
        "query",
        None,
        "query",
        None,
    ]


# --- request log --------------------------------------------------------------


async def test_request_log_records_every_request_but_no_key(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Endpoint, action, id, auth style, acceptance, status, UA; never the key."""
    probe = {"User-Agent": "probe/1"}
    before = time.monotonic()
    await get(session, demo.url + GGN_USER, headers=probe)
    await get(
        session,
        f"{demo.url}/ajax.php?action=user&id=12345",
        headers=RED | probe,
    )
    await get(session, f"{demo.url}/ajax.php?action=index", headers=OPS | probe)
    await get(session, f"{demo.url}/other.php?key=demo-ggn-key", headers=probe)
    async with session.post(f"{demo.url}/ajax.php?action=index", headers=RED) as r:
        assert r.status == 405
    records = demo.state.requests
    assert [
        (r.endpoint, r.action, r.user_id, r.auth_style, r.key_accepted, r.status)
        for r in records
    ] == [
        ("api.php", "user", "74360", "query", True, 200),
        ("ajax.php", "user", "12345", "raw", True, 200),
        ("ajax.php", "index", None, "token", True, 200),
        ("other", None, None, None, False, 404),
        ("ajax.php", "index", None, None, False, 405),
    ]
    assert all(r.user_agent == "probe/1" for r in records[:4])
    times = [r.at for r in records]
    assert before <= times[0]
    assert times == sorted(times)
    # Control requests are not tracker traffic.
    _, listed = await control(session, demo, "GET", "requests")
    assert len(listed) == len(records)
    for key in KEYS:
        assert key not in repr(records)
        assert key not in json.dumps(listed)
    status, _ = await control(session, demo, "DELETE", "requests")
    assert status == 200
    assert demo.state.requests == []
    await get(session, demo.url + GGN_QUICK)
    demo.state.clear_requests()
    assert demo.state.requests == []


async def test_request_log_time_is_arrival(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A slow answer is logged with the time the request came in."""
    demo.state.set_fault("hang", delay=0.3)
    before = time.monotonic()
    await get(session, demo.url + GGN_QUICK)
    assert demo.state.requests[0].at - before < 0.2


# --- faults -------------------------------------------------------------------


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


# --- keys ---------------------------------------------------------------------


async def test_rotate_and_restore_keys(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A rotated key replaces the old one (now rejected); restore brings it back."""
    index = f"{demo.url}/ajax.php?action=index"
    assert demo.state.rotate_key("red") == "demo-red-key-2"
    assert demo.state.rotate_key("red") == "demo-red-key-3"
    assert demo.keys["red"] == "demo-red-key-3"
    assert (await get(session, index, headers=RED))[0] == 401
    assert (await get(session, index, headers={"Authorization": "demo-red-key-2"}))[
        0
    ] == 401
    assert (await get(session, index, headers={"Authorization": "demo-red-key-3"}))[
        0
    ] == 200
    assert demo.state.rotate_key("ggn") == "demo-ggn-key-2"
    assert (await get(session, demo.url + GGN_QUICK))[0] == 401
    status, _ = await get(
        session, f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key-2"
    )
    assert status == 200
    assert demo.state.restore_key("red") == "demo-red-key"
    assert demo.state.restore_key("ggn") == "demo-ggn-key"
    assert (await get(session, index, headers=RED))[0] == 200
    assert (await get(session, demo.url + GGN_QUICK))[0] == 200
    with pytest.raises(ValueError, match="unknown account"):
        demo.state.rotate_key("nobody")
    demo.state.rotate_key("ops")
    demo.state.reset()
    assert {"red", "ops", "fork", "ggn"} <= set(demo.keys)
    assert all(key == f"demo-{name}-key" for name, key in demo.keys.items())


# --- time ---------------------------------------------------------------------


def test_advance_moves_every_account() -> None:
    """A step is a minute: a few GiB up an hour, less down; derived fields follow."""
    state = DemoState()
    red, ops, fork, ggn = (state.accounts[n] for n in ("red", "ops", "fork", "ggn"))
    state.advance(2)
    assert red.uploaded == 536870912000 + 2 * UPLOAD_PER_STEP
    assert red.downloaded == 134217728000 + 2 * DOWNLOAD_PER_STEP
    userstats, stats = red.index["userstats"], red.profile["stats"]
    assert userstats["ratio"] == round(red.uploaded / red.downloaded, 2)
    assert stats["ratio"] == userstats["ratio"]
    assert (stats["uploaded"], stats["downloaded"]) == (red.uploaded, red.downloaded)
    assert stats["buffer"] == red.uploaded - red.downloaded
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", stats["lastAccess"])
    assert stats["lastAccess"] != "2026-03-19 14:22:11"
    # JaneRoe is still under water: the buffer does not go negative.
    assert ops.profile["stats"]["buffer"] == 0
    assert ops.index["userstats"]["ratio"] == round(ops.uploaded / ops.downloaded, 2)
    # Gold comes by the hour (the profile's hourlyGold, 9), not by the minute.
    assert ggn.profile["stats"]["gold"] == 39858
    assert ggn.profile["stats"]["ratio"] == f"{ggn.uploaded / ggn.downloaded:.5f}"
    state.advance(58)
    assert ggn.profile["stats"]["gold"] == 39858 + 9
    # "∞" stays: the fork still downloads nothing.
    assert (fork.uploaded, fork.downloaded, fork.ratio) == (
        GIB + 60 * UPLOAD_PER_STEP,
        0,
        "∞",
    )
    for steps in (-1, 10**7):
        with pytest.raises(ValueError, match="steps"):
            state.advance(steps)


async def test_big_byte_counts_stay_integers(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Counts beyond 2**53 reach the client exactly."""
    demo.state.accounts["red"].set_bytes(2**60 + 1, 2**55 + 3)
    _, body = await get(session, f"{demo.url}/ajax.php?action=index", headers=RED)
    assert body["response"]["userstats"]["uploaded"] == 2**60 + 1
    assert body["response"]["userstats"]["downloaded"] == 2**55 + 3


@pytest.mark.parametrize("by", [0.1, 0.05, 0.123, 0.5, 3.0])
def test_drop_ratio_lowers_the_published_ratio(by: float) -> None:
    """The ratio a client reads falls by at least `by`, on both platforms."""
    state = DemoState()
    state.advance(1)
    for name in ("red", "ops", "ggn"):
        account = state.accounts[name]
        before, uploaded = float(account.ratio), account.uploaded
        state.drop_ratio(name, by)
        after = float(account.ratio)
        assert after <= before - by or after == pytest.approx(0.01, abs=0.005)
        assert account.uploaded == uploaded
    assert (
        state.accounts["red"].profile["stats"]["ratio"] == state.accounts["red"].ratio
    )


def test_drop_ratio_edge_cases() -> None:
    """The GGn seed ratio is truncated; "∞" gets a finite ratio; bad `by` fails."""
    state = DemoState()
    state.drop_ratio("ggn")
    assert float(state.accounts["ggn"].ratio) <= 0.99699 - 0.1
    fork = state.accounts["fork"]
    state.drop_ratio("fork", 0.1)
    assert fork.downloaded > 0
    assert isinstance(fork.ratio, float)
    for by in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="by"):
            state.drop_ratio("red", by)
    with pytest.raises(ValueError, match="unknown account"):
        state.drop_ratio("nobody")
    state.reset()
    assert state.accounts["red"].index == SEED_RED_INDEX


async def test_live_tick_moves_stats() -> None:
    """With live_tick the stats move by themselves; the context manager cleans up."""
    async with running_demo_tracker(live_tick=0.01) as tracker:
        assert tracker.url.startswith("http://127.0.0.1:")
        await asyncio.sleep(0.1)
        assert tracker.state.accounts["red"].uploaded > 536870912000
    with pytest.raises(ValueError, match="live_tick"):
        await start_demo_tracker(live_tick=-1)


# --- control API --------------------------------------------------------------


async def test_control_api(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """The /_demo/ endpoints steer the tracker."""
    status, result = await control(
        session,
        demo,
        "POST",
        "fault",
        {"mode": "rate_limit", "times": 2, "retry_after": 30, "actions": ["index"]},
    )
    assert (status, result) == (200, {"ok": True})
    _, state = await control(session, demo, "GET", "state")
    assert state["fault"] == {
        "mode": "rate_limit",
        "times": 2,
        "retry_after": 30,
        "delay": None,
        "actions": ["index"],
    }
    assert state["accounts"]["red"] == {
        "platform": "gazelle",
        "preset": "redacted",
        "auth_style": "raw",
        "key": "demo-red-key",
        "user_id": 12345,
        "username": "JohnDoe",
        "uploaded": 536870912000,
        "downloaded": 134217728000,
        "ratio": 4.0,
    }
    assert state["accounts"]["fork"]["ratio"] == "∞"
    assert (await get(session, f"{demo.url}/ajax.php?action=index", headers=RED))[
        0
    ] == 429
    assert (await control(session, demo, "DELETE", "fault"))[0] == 200
    assert fault_mode(demo) is None
    await control(session, demo, "POST", "fault", {"mode": "hang", "delay": 0.5})
    assert demo.state.fault is not None
    assert demo.state.fault.delay == 0.5
    await control(session, demo, "DELETE", "fault")
    assert (await control(session, demo, "POST", "advance", {"steps": 2}))[0] == 200
    assert demo.state.accounts["red"].uploaded == 536870912000 + 2 * UPLOAD_PER_STEP
    assert (await control(session, demo, "POST", "advance"))[0] == 200
    before = float(demo.state.accounts["ops"].ratio)
    assert (await control(session, demo, "POST", "drop_ratio", {"account": "ops"}))[
        0
    ] == 200
    assert float(demo.state.accounts["ops"].ratio) <= before - 0.1
    await control(session, demo, "POST", "drop_ratio", {"account": "red", "by": 1})
    status, result = await control(
        session, demo, "POST", "rotate_key", {"account": "ggn"}
    )
    assert (status, result) == (200, {"key": "demo-ggn-key-2"})
    _, state = await control(session, demo, "GET", "state")
    assert state["accounts"]["ggn"]["key"] == "demo-ggn-key-2"
    status, result = await control(
        session, demo, "POST", "restore_key", {"account": "ggn"}
    )
    assert (status, result) == (200, {"key": "demo-ggn-key"})
    await get(session, demo.url + GGN_QUICK)
    _, requests = await control(session, demo, "GET", "requests")
    assert [(r["endpoint"], r["action"]) for r in requests] == [
        ("ajax.php", "index"),
        ("api.php", "quick_user"),
    ]
    assert set(requests[0]) == {
        "at",
        "endpoint",
        "action",
        "user_id",
        "auth_style",
        "key_accepted",
        "status",
        "user_agent",
    }
    assert (await control(session, demo, "POST", "reset"))[0] == 200
    assert demo.state.requests == []
    assert demo.state.accounts["red"].index == SEED_RED_INDEX


@pytest.mark.parametrize(
    "case",
    [
        ("POST", "fault", {"mode": "explode"}, "unknown fault mode"),
        ("POST", "fault", {}, "mode is required"),
        ("POST", "fault", {"mode": 3}, "mode must be a string"),
        ("POST", "fault", {"mode": "hang", "times": 0}, "times"),
        ("POST", "fault", {"mode": "hang", "times": True}, "times"),
        ("POST", "fault", {"mode": "hang", "times": "2"}, "times"),
        ("POST", "fault", {"mode": "hang", "delay": "long"}, "delay"),
        ("POST", "fault", {"mode": "rate_limit", "retry_after": 1.5}, "retry_after"),
        ("POST", "fault", {"mode": "hang", "actions": "user"}, "actions"),
        ("POST", "fault", {"mode": "hang", "actions": ["usr"]}, "actions"),
        ("POST", "fault", {"mode": "hang", "time": 3}, "unknown field"),
        ("POST", "advance", {"steps": "many"}, "steps"),
        ("POST", "advance", {"steps": 0}, "steps"),
        ("POST", "advance", {"steps": -3}, "steps"),
        ("POST", "drop_ratio", {"by": 0.1}, "account is required"),
        ("POST", "drop_ratio", {"account": "red", "by": -1}, "by"),
        ("POST", "drop_ratio", {"account": "red", "by": "x"}, "by"),
        ("POST", "rotate_key", {"account": "nobody"}, "unknown account"),
        ("POST", "restore_key", {"account": ["red"]}, "account must be a string"),
        ("POST", "reset", {"hard": True}, "unknown field"),
        ("DELETE", "fault", {"mode": "hang"}, "unknown field"),
    ],
)
async def test_control_api_rejects_bad_input(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    case: tuple[str, str, Any, str],
) -> None:
    """Bad input is a 400 with a JSON message, and changes nothing."""
    method, path, payload, message = case
    demo.state.advance(1)
    before = (demo.state.keys, demo.state.accounts["red"].uploaded)
    status, body = await control(session, demo, method, path, payload)
    assert status == 400
    assert body["error"].startswith("bad request: ")
    assert message in body["error"]
    assert "Traceback" not in body["error"]
    assert demo.state.fault is None
    assert (demo.state.keys, demo.state.accounts["red"].uploaded) == before


async def test_control_api_rejects_bad_bodies_and_paths(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Non-JSON, non-object bodies and unknown paths get JSON answers too."""
    for body in ("not json", "[1]", "null"):
        async with session.post(f"{demo.url}/_demo/fault", data=body) as r:
            assert r.status == 400
            assert r.content_type == "application/json"
            assert "bad request" in (await r.json())["error"]
    for method, path in (("GET", "fault"), ("POST", "state"), ("GET", "nothing")):
        status, body = await control(session, demo, method, path)
        assert status == 404
        assert "no control endpoint" in body["error"]
    assert demo.state.requests == []


# --- CLI ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["0.0.0.0", "192.168.1.10", "tracker.example", "::"],  # noqa: S104 - refused
)
def test_cli_refuses_non_loopback(
    capsys: pytest.CaptureFixture[str], host: str
) -> None:
    """The demo tracker never listens beyond loopback: one sentence, exit 2."""
    assert main(["--host", host]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"Refusing to serve on {host}: the demo tracker binds loopback only.\n"
    )
    assert captured.out == ""


def test_cli_reports_a_taken_port(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use is one clear sentence, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port), "--tick", "0"]) == 1
    assert capsys.readouterr().err == (
        f"Cannot listen on 127.0.0.1:{port}: Address already in use.\n"
    )


@pytest.mark.parametrize(
    "argv", [["--port", "70000"], ["--tick", "-1"], ["--tick", "nan"], ["--fault", "x"]]
)
def test_cli_rejects_bad_options(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Bad options are argparse's usage error, exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_cli_banner_lists_accounts_and_keys() -> None:
    """The banner tells the user which preset, auth style and key to use."""
    state = DemoState()
    banner = _banner("http://127.0.0.1:8765", state, 60)
    assert "Demo tracker serving on http://127.0.0.1:8765" in banner
    assert "red      gazelle   redacted        raw         demo-red-key" in banner
    assert "ops      gazelle   orpheus         token       demo-ops-key" in banner
    assert "fork     gazelle   gazelle         token       demo-fork-key" in banner
    assert "ggn      ggn       gazellegames    -           demo-ggn-key" in banner
    assert "Stats advance every 60 s." in banner
    state.set_fault("hang")
    banner = _banner("http://127.0.0.1:8765", state)
    assert "Stats are frozen." in banner
    assert "Misbehaving: hang" in banner
    assert _is_loopback("localhost")
    assert _is_loopback("::1")
    assert _is_loopback("127.0.0.2")
    assert not _is_loopback("tracker.example")


async def test_bench_accounts_appear_on_first_use(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """demo-bench-<n>-key is a Gazelle account of its own, for benchmarks."""
    index = f"{demo.url}/ajax.php?action=index"
    for number in (1, 20):
        status, body = await get(
            session, index, headers={"Authorization": f"token demo-bench-{number}-key"}
        )
        assert status == 200
        assert (body["response"]["username"], body["response"]["id"]) == (
            f"Bench{number}",
            100_000 + number,
        )
    status, _ = await get(
        session, index, headers={"Authorization": "token demo-bench-x-key"}
    )
    assert status == 401
