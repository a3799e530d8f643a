"""The demo tracker: APIs, key checks, faults, time, control API and CLI."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import pytest

from demo_tracker.__main__ import main
from demo_tracker.server import DemoState
from demo_tracker.testing import DemoTracker, start_demo_tracker


async def get(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """GET without following redirects; return status and JSON (or text)."""
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


@pytest.fixture
async def session() -> Any:
    """Give a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def test_gazelle_auth_rules(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Raw for red, token for ops; wrong style or key 401; no header 302."""
    index = f"{demo.url}/ajax.php?action=index"
    status, body = await get(session, index, headers={"Authorization": "demo-red-key"})
    assert (status, body["response"]["username"]) == (200, "JohnDoe")
    status, body = await get(
        session, index, headers={"Authorization": "token demo-ops-key"}
    )
    assert (status, body["response"]["username"]) == (200, "JaneRoe")
    for header in ("token demo-red-key", "demo-ops-key", "nope"):
        status, body = await get(session, index, headers={"Authorization": header})
        assert (status, body) == (
            401,
            {"status": "failure", "error": "bad credentials"},
        )
    status, _ = await get(session, index)
    assert status == 302
    assert [r.key_accepted for r in demo.state.requests] == [
        True,
        True,
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
        None,
    ]


async def test_gazelle_user_endpoint(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Own id answers; another id, a broken fork or an unknown action fail."""
    red = {"Authorization": "demo-red-key"}
    status, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=12345", headers=red
    )
    assert body["response"]["personal"]["class"] == "Power User"
    status, body = await get(
        session, f"{demo.url}/ajax.php?action=user&id=1", headers=red
    )
    assert (status, body["error"]) == (400, "bad id parameter")
    status, body = await get(session, f"{demo.url}/ajax.php?action=top10", headers=red)
    assert (status, body["error"]) == (400, "bad action")
    fork = {"Authorization": "token demo-fork-key"}
    status, _ = await get(
        session, f"{demo.url}/ajax.php?action=user&id=777", headers=fork
    )
    assert status == 500


async def test_ggn_endpoints(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """quick_user and user with the key in the query; bad key, id, request."""
    api = f"{demo.url}/api.php"
    status, body = await get(session, f"{api}?request=quick_user&key=demo-ggn-key")
    assert body["response"] == {"username": "ExampleUser", "id": 74360}
    status, body = await get(session, f"{api}?request=user&id=74360&key=demo-ggn-key")
    assert body["response"]["stats"]["ratio"] == "0.99699"
    status, body = await get(session, f"{api}?request=user&id=1&key=demo-ggn-key")
    assert (status, body["error"]) == (200, "no such user")
    status, body = await get(session, f"{api}?request=nope&key=demo-ggn-key")
    assert status == 400
    status, body = await get(session, f"{api}?request=quick_user&key=wrong")
    assert (status, body["error"]) == (401, "Invalid API key.")
    status, _ = await get(session, f"{api}?request=quick_user")
    assert status == 401
    assert demo.state.requests[-1].auth_style is None


async def test_request_log_never_holds_the_key(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """The log records what was asked and how, not the key."""
    await get(
        session,
        f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key",
        headers={"User-Agent": "probe/1"},
    )
    record = demo.state.requests[0]
    assert (record.endpoint, record.action, record.status, record.user_agent) == (
        "api.php",
        "quick_user",
        200,
        "probe/1",
    )
    assert "demo-ggn-key" not in repr(demo.state.requests)
    demo.state.clear_requests()
    assert demo.state.requests == []


@pytest.mark.parametrize(
    ("mode", "status", "check"),
    [
        ("html_login", 200, lambda body: "login.php" in body),
        ("server_error", 500, lambda body: "500" in body),
        ("bad_gateway", 502, lambda body: True),
        ("rate_limit", 429, lambda body: body["error"] == "Rate limit exceeded"),
        ("rate_limit_text", 200, lambda body: "slow down" in body["error"]),
        ("malformed_json", 200, lambda body: body is None),
        ("redirect", 302, lambda body: True),
        ("wrong_shape", 200, lambda body: body["response"] == []),
        ("missing_fields", 200, lambda body: "userstats" not in body["response"]),
        (
            "wrong_types",
            200,
            lambda body: body["response"]["userstats"]["uploaded"] == "lots",
        ),
        ("failure_message", 200, lambda body: "revoked" in body["error"]),
    ],
)
async def test_fault_modes(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    mode: str,
    status: int,
    check: Any,
) -> None:
    """Each fault answers once (times=1), then the tracker behaves again."""
    demo.state.set_fault(mode, times=1, retry_after=7)
    index = f"{demo.url}/ajax.php?action=index"
    async with session.get(
        index, headers={"Authorization": "demo-red-key"}, allow_redirects=False
    ) as response:
        assert response.status == status
        text = await response.text()
        body: Any = text
        if response.content_type == "application/json":
            try:
                body = await response.json()
            except ValueError:
                body = None
        assert check(body)
        if mode == "rate_limit":
            assert response.headers["Retry-After"] == "7"
    assert demo.state.fault is None
    status, body = await get(session, index, headers={"Authorization": "demo-red-key"})
    assert status == 200


async def test_fault_scoped_to_actions_and_rate_limit_without_header(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A fault for `user` leaves `index` alone; no Retry-After unless asked."""
    demo.state.set_fault("rate_limit", actions={"user"})
    red = {"Authorization": "demo-red-key"}
    status, _ = await get(session, f"{demo.url}/ajax.php?action=index", headers=red)
    assert status == 200
    async with session.get(
        f"{demo.url}/ajax.php?action=user&id=12345", headers=red
    ) as response:
        assert response.status == 429
        assert "Retry-After" not in response.headers
    assert demo.state.fault is not None
    with pytest.raises(ValueError, match="unknown fault mode"):
        demo.state.set_fault("explode")


async def test_hang_is_released_by_clearing_the_fault(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A hanging reply answers normally once the fault is cleared."""
    demo.state.set_fault("hang")
    request = asyncio.ensure_future(
        get(session, f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key")
    )
    await asyncio.sleep(0.1)
    assert not request.done()
    demo.state.clear_fault()
    status, body = await request
    assert (status, body["status"]) == (200, "success")
    demo.state.set_fault("hang", delay=0.01)
    status, _ = await get(
        session, f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key"
    )
    assert status == 200


def test_rotate_and_restore_keys() -> None:
    """Rotation gives numbered keys; restore brings back the first."""
    state = DemoState()
    assert state.rotate_key("red") == "demo-red-key-2"
    assert state.rotate_key("red") == "demo-red-key-3"
    assert state.keys["red"] == "demo-red-key-3"
    assert state.restore_key("red") == "demo-red-key"


def test_stats_move_and_ratio_drops() -> None:
    """Advance grows upload faster than download; drop_ratio lowers the ratio."""
    state = DemoState()
    red, ggn, fork = (
        state.accounts["red"],
        state.accounts["ggn"],
        state.accounts["fork"],
    )
    state.advance(2)
    assert red.uploaded == 536870912000 + 3 * 1024**3
    assert red.downloaded == 134217728000 + 1024**3 // 2
    assert red.index["userstats"]["ratio"] == red.profile["stats"]["ratio"]
    assert red.profile["stats"]["buffer"] == red.uploaded - red.downloaded
    assert ggn.profile["stats"]["gold"] == 39858 + 18
    assert ggn.profile["stats"]["ratio"] == f"{ggn.uploaded / ggn.downloaded:.5f}"
    assert (fork.downloaded, fork.index["userstats"]["ratio"]) == (0, "∞")
    before = red.index["userstats"]["ratio"]
    state.drop_ratio("red", 0.1)
    assert red.index["userstats"]["ratio"] <= before - 0.1
    before_ggn = float(ggn.profile["stats"]["ratio"])
    state.drop_ratio("ggn", 0.1)
    assert float(ggn.profile["stats"]["ratio"]) <= before_ggn - 0.1 + 1e-5
    state.drop_ratio("fork", 0.1)
    assert fork.downloaded > 0
    state.reset()
    assert state.accounts["red"].uploaded == 536870912000


async def test_control_api(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """The /_demo/ endpoints steer the tracker; bad input is a 400 with a message."""
    control = f"{demo.url}/_demo"
    async with session.post(
        f"{control}/fault",
        json={
            "mode": "rate_limit",
            "times": 2,
            "retry_after": 30,
            "actions": ["index"],
        },
    ) as r:
        assert r.status == 200
    _, state = await get(session, f"{control}/state")
    assert state["fault"] == {
        "mode": "rate_limit",
        "times": 2,
        "retry_after": 30,
        "delay": None,
        "actions": ["index"],
    }
    assert state["accounts"]["red"]["key"] == "demo-red-key"
    async with session.delete(f"{control}/fault") as r:
        assert r.status == 200
    assert demo.state.fault is None
    async with session.post(f"{control}/advance", json={"steps": 1}) as r:
        assert r.status == 200
    async with session.post(f"{control}/drop_ratio", json={"account": "ops"}) as r:
        assert r.status == 200
    async with session.post(f"{control}/rotate_key", json={"account": "ggn"}) as r:
        assert (await r.json())["key"] == "demo-ggn-key-2"
    async with session.post(f"{control}/restore_key", json={"account": "ggn"}) as r:
        assert (await r.json())["key"] == "demo-ggn-key"
    await get(session, f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key")
    _, requests = await get(session, f"{control}/requests")
    assert [r["action"] for r in requests] == ["quick_user"]
    async with session.post(f"{control}/reset") as r:
        assert r.status == 200
    assert demo.state.requests == []
    for path, payload in (
        ("fault", {"mode": "explode"}),
        ("fault", {}),
        ("rotate_key", {"account": "nobody"}),
        ("advance", {"steps": "many"}),
    ):
        async with session.post(f"{control}/{path}", json=payload) as r:
            assert r.status == 400
            assert "bad request" in (await r.json())["error"]
    for body in ("not json", "[1]"):
        async with session.post(f"{control}/fault", data=body) as r:
            assert r.status == 400


async def test_live_tick_moves_stats(socket_enabled: None) -> None:
    """With live_tick the stats move by themselves."""
    tracker = await start_demo_tracker(live_tick=0.01)
    try:
        await asyncio.sleep(0.1)
        assert tracker.state.accounts["red"].uploaded > 536870912000
    finally:
        await tracker.close()


def test_cli_refuses_non_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo tracker never listens beyond loopback."""
    assert main(["--host", "0.0.0.0"])  # noqa: S104 - the refusal under test == 2
    assert "loopback only" in capsys.readouterr().err


def test_cli_reports_a_taken_port(
    capsys: pytest.CaptureFixture[str], socket_enabled: None
) -> None:
    """A port in use is one clear sentence, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--port", str(port), "--tick", "0"]) == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_cli_banner_lists_accounts_and_keys() -> None:
    """The banner tells the user which preset, auth style and key to use."""
    from demo_tracker.__main__ import _banner, _is_loopback

    banner = _banner("http://127.0.0.1:8765", DemoState())
    assert "Demo tracker serving on http://127.0.0.1:8765" in banner
    assert "red      gazelle   redacted        raw         demo-red-key" in banner
    assert "ggn      ggn       gazellegames    -           demo-ggn-key" in banner
    assert _is_loopback("localhost")
    assert _is_loopback("::1")
    assert not _is_loopback("tracker.example")
