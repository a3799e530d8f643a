"""The demo tracker's keys (rotate, restore) and time (steps, ratio drops, live ticks)."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest

from demo_tracker.accounts import DOWNLOAD_PER_STEP, GIB, UPLOAD_PER_STEP
from demo_tracker.server import DemoState
from demo_tracker.testing import DemoTracker, running_demo_tracker, start_demo_tracker

from .wire import GGN_QUICK, RED, SEED_RED_INDEX, get


# --- keys --------------------------------------------------------------------
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


# --- time --------------------------------------------------------------------
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
