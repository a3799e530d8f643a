"""The demo tracker's Gazelle and GGn answers at step 0, and its auth and endpoint rules."""

from __future__ import annotations

import json

import aiohttp

from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

from .wire import FORK, GGN_QUICK, GGN_USER, OPS, RED, SEED_RED_INDEX, get


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


# --- auth and endpoint rules -------------------------------------------------
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
