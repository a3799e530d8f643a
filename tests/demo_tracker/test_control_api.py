"""The demo tracker's /_demo/ control API and its input checks."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from demo_tracker.accounts import UPLOAD_PER_STEP
from demo_tracker.testing import DemoTracker

from .wire import GGN_QUICK, RED, SEED_RED_INDEX, control, fault_mode, get


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
