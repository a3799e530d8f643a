"""The demo tracker's request log: every request, never a key."""

from __future__ import annotations

import json
import time

import aiohttp

from demo_tracker.testing import DemoTracker

from .wire import GGN_QUICK, GGN_USER, KEYS, OPS, RED, control, get


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
