"""The demo BTN, MyAnonamouse and Nebulance routes, spoken to with plain aiohttp."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from typing import Any

import aiohttp
import pytest

from demo_tracker import fixtures
from demo_tracker.platforms import (
    PLATFORMS,
    Route,
    known_actions,
    platform_named,
    platforms_by_route,
)
from demo_tracker.platforms.mam import ROTATE_MINUTES, unit_string
from demo_tracker.state import DemoState
from demo_tracker.testing import DemoTracker, running_demo_tracker

NBL_QUERY = (
    "/api.php?action=user&method=getuserinfo&api_key={key}&type={type}&user={user}"
)


@pytest.fixture
async def demo() -> AsyncIterator[DemoTracker]:
    """Serve a demo tracker at the seeds' values."""
    async with running_demo_tracker() as tracker:
        yield tracker


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give a session that keeps no cookies: each test sends its own."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
        yield client


async def call(
    session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any, aiohttp.ClientResponse]:
    """Send one request; return status, JSON (or text) and the response."""
    async with session.request(method, url, allow_redirects=False, **kwargs) as reply:
        text = await reply.text()
    try:
        return reply.status, json.loads(text), reply
    except ValueError:
        return reply.status, text, reply


def rpc(key: Any, method: str = "userInfo") -> dict[str, Any]:
    """Return BTN's JSON-RPC request body."""
    return {"jsonrpc": "2.0", "method": method, "params": [key], "id": 7}


def test_registry_holds_the_three() -> None:
    """Registered after GGn; Nebulance shares GGn's api.php, GGn first."""
    names = [platform.name for platform in PLATFORMS]
    assert {"btn", "mam", "nebulance"} <= set(names)
    assert names.index("ggn") < names.index("nebulance")
    assert {"userInfo", "jsonLoad", "getuserinfo"} <= known_actions()
    routes = platforms_by_route()
    assert routes[Route("POST", "/")] == [platform_named("btn")]
    assert routes[Route("GET", "/jsonLoad.php")] == [platform_named("mam")]
    assert platform_named("nebulance") in routes[Route("GET", "/api.php")]
    presets = {
        account.name: account.preset for account in DemoState().accounts.values()
    }
    assert {k: presets[k] for k in ("btn", "mam", "mamflat", "nbl", "nblbare")} == {
        "btn": "broadcasthenet",
        "mam": "myanonamouse",
        "mamflat": "myanonamouse",
        "nbl": "nebulance",
        "nblbare": "nebulance",
    }


async def test_btn_answers(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """Result without "jsonrpc"; -32001, -32601, 401 and 405 as BTN has them."""
    url = demo.url + "/"
    status, body, _ = await call(session, "POST", url, json=rpc("demo-btn-key"))
    assert status == 200
    assert body == {"id": 7, "result": fixtures.load("btn", "user_info")}
    status, body, _ = await call(session, "POST", url, json=rpc("nope"))
    assert (status, body["error"]) == (
        200,
        {"code": -32001, "message": "Invalid API Key"},
    )
    status, body, _ = await call(
        session, "POST", url, json=rpc("demo-btn-key", "getTorrents")
    )
    assert body["error"]["code"] == -32601
    for bad_body in (b"not json", b"[]", b'{"params": []}'):
        assert (await call(session, "POST", url, data=bad_body))[0] == 401
    assert (await call(session, "GET", url))[0] == 405
    assert [r.key_accepted for r in demo.state.requests][:3] == [True, False, True]


async def test_btn_faults(session: aiohttp.ClientSession, demo: DemoTracker) -> None:
    """Call Limit Exceeded, 503 (Retry-After only when set), -32001 mid-way."""
    url, body = demo.url + "/", rpc("demo-btn-key")
    demo.state.set_fault("rate_limit_text", times=1)
    status, answer, _ = await call(session, "POST", url, json=body)
    assert (status, answer["error"]["message"]) == (200, "Call Limit Exceeded")
    demo.state.set_fault("rate_limit", times=1)
    status, _, reply = await call(session, "POST", url, json=body)
    assert (status, reply.headers.get("Retry-After")) == (503, None)
    demo.state.set_fault("rate_limit", times=1, retry_after=30)
    status, _, reply = await call(session, "POST", url, json=body)
    assert (status, reply.headers.get("Retry-After")) == (503, "30")
    demo.state.set_fault("failure_message", times=1)
    assert (await call(session, "POST", url, json=body))[1]["error"]["code"] == -32001
    demo.state.set_fault("malformed_json", times=1)
    assert (await call(session, "POST", url, json=body))[1].startswith('{"id"')
    demo.state.set_fault("wrong_types", times=1)
    assert (await call(session, "POST", url, json=body))[1]["result"]["Upload"] == (
        "lots"
    )
    demo.state.set_fault("server_error", times=1)
    assert (await call(session, "POST", url, json=body))[0] == 500


async def test_btn_numbers_stay_strings(demo: DemoTracker) -> None:
    """Time passing writes the counts back as strings; the ratio is exact."""
    account = demo.state.accounts["btn"]
    demo.state.advance(3)
    document = account.documents["user_info"]
    assert isinstance(document["Upload"], str)
    assert account.ratio == account.uploaded / account.downloaded
    account.set_bytes(5, 0)
    assert account.ratio == "∞"


async def test_mam_cookie_rotation(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Once an hour of demo time the next 200 sets a new mam_id; the old one is 403."""
    url = demo.url + "/jsonLoad.php?snatch_summary&notif"
    old = {"mam_id": "demo-mam-key"}
    status, body, reply = await call(session, "GET", url, cookies=old)
    assert (status, body) == (200, fixtures.load("mam", "json_load"))
    assert "mam_id" not in reply.cookies
    demo.state.advance(ROTATE_MINUTES)
    # A 429 is no answer to rotate on: the client could not keep the cookie.
    demo.state.set_fault("rate_limit", times=1)
    _, _, reply = await call(session, "GET", url, cookies=old)
    assert "mam_id" not in reply.cookies
    status, _, reply = await call(session, "GET", url, cookies=old)
    new_value = reply.cookies["mam_id"].value
    assert (status, new_value) == (200, "demo-mam-key-2")
    assert demo.keys["mam"] == new_value
    assert (await call(session, "GET", url, cookies=old))[0] == 403
    status, _, reply = await call(session, "GET", url, cookies={"mam_id": new_value})
    assert (status, "mam_id" in reply.cookies) == (200, False)
    assert (await call(session, "GET", url))[0] == 403


async def test_mam_layouts_and_faults(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Top-level buckets for mamflat; an error object has no username."""
    url = demo.url + "/jsonLoad.php"
    flat = {"mam_id": "demo-mamflat-key"}
    body = (await call(session, "GET", url, cookies=flat))[1]
    assert "snatch_summary" not in body
    assert body["sSat"]["count"] == 4
    demo.state.set_fault("failure_message", times=1)
    body = (await call(session, "GET", url, cookies=flat))[1]
    assert "username" not in body
    assert "error" in body
    demo.state.set_fault("missing_fields", times=1)
    body = (await call(session, "GET", url, cookies=flat))[1]
    assert "uploaded_bytes" not in body
    assert body["username"] == "DemoNewcomer"


def test_mam_numbers_and_unit_strings() -> None:
    """Byte counts, their unit strings and the ratio move together."""
    account = DemoState().accounts["mam"]
    account.set_bytes(3 * 1024**4, 1024**4)
    document = account.documents["json_load"]
    assert (document["uploaded"], document["downloaded"]) == ("3.000 TiB", "1.000 TiB")
    assert account.ratio == 3.0
    assert unit_string(5 * 1024**2) == "5.000 MiB"
    assert unit_string(3 * 1024**3) == "3.000 GiB"
    assert unit_string(512) == "512 B"


async def test_nebulance_selectors_and_envelopes(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Any existing user by id or name gives the key owner; others 404 or 400."""
    base = demo.url + NBL_QUERY
    seed = fixtures.load("nebulance", "user_info")
    for selector, user in (("id", "1"), ("id", "4321"), ("username", "SysOp")):
        url = base.format(key="demo-nbl-key", type=selector, user=user)
        status, body, _ = await call(session, "GET", url)
        assert (status, body) == (200, {"status": "success", "response": seed})
    url = base.format(key="demo-nblbare-key", type="username", user="DemoLurker")
    assert (await call(session, "GET", url))[1] == fixtures.load(
        "nebulance", "user_info_bare"
    )
    url = base.format(key="demo-nbl-key", type="id", user="77")
    assert (await call(session, "GET", url))[:2] == (
        404,
        {"error": {"code": 404, "message": "User not found"}},
    )
    url = base.format(key="demo-nbl-key", type="name", user="1")
    assert (await call(session, "GET", url))[0] == 400
    url = base.format(key="wrong", type="id", user="1")
    assert (await call(session, "GET", url))[0] == 401
    url = demo.url + "/api.php?action=user&method=getuserinfo&type=id&user=1"
    assert (await call(session, "GET", url))[0] == 401
    url = demo.url + "/api.php?action=torrents&method=getuserinfo&api_key=demo-nbl-key"
    assert (await call(session, "GET", url))[0] == 400
    assert [(r.action, r.user_id) for r in demo.state.requests][:2] == [
        ("getuserinfo", "1"),
        ("getuserinfo", "4321"),
    ]


async def test_nebulance_leaves_ggn_its_requests(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """GGn still answers request=… on the shared api.php; wrong methods are logged."""
    url = demo.url + "/api.php?request=quick_user&key=demo-ggn-key"
    assert (await call(session, "GET", url))[1]["response"]["id"] == 74360
    url = demo.url + "/api.php?method=getuserinfo&api_key=demo-nbl-key"
    assert (await call(session, "POST", url))[0] == 405
    assert demo.state.requests[-1].action == "getuserinfo"


async def test_nebulance_numbers(demo: DemoTracker) -> None:
    """Ints stay ints; the ratio is the exact quotient, "∞" without download."""
    account = demo.state.accounts["nbl"]
    demo.state.drop_ratio("nbl", 0.5)
    assert isinstance(account.documents["user_info"]["Downloaded"], int)
    assert account.ratio == account.uploaded / account.downloaded
    account.set_bytes(1, 0)
    assert account.ratio == "∞"
