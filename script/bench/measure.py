"""Measurements in this process: requests per poll, parse CPU, heap per account.

Nothing here starts Home Assistant as a process; see real_ha.py for that.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

from custom_components.tracker_stats.api import (
    AuthStyle,
    GazelleClient,
    GGnClient,
    create_client,
)
from custom_components.tracker_stats.api.gazelle import enrich_with_profile, parse_index
from custom_components.tracker_stats.api.ggn import parse_user
from demo_tracker.server import DemoState
from demo_tracker.testing import start_demo_tracker
from script.processes import REPO

HEAP_TEST = Path(__file__).with_name("heap.py")
# One poll of each other platform's demo account, as after its setup.
OTHER_PLATFORMS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("UNIT3D", "unit3d", {"api_key": "demo-blutopia-key"}),
    (
        "AnimeBytes, header style stored",
        "animebytes",
        {"api_key": "demo-ab-key", "auth_style": "bearer"},
    ),
    ("BroadcasTheNet", "btn", {"api_key": "demo-btn-key"}),
    ("MyAnonamouse", "mam", {"api_key": "demo-mam-key"}),
    ("Nebulance", "nebulance", {"api_key": "demo-nbl-key", "remote_user_id": 4321}),
)


async def requests_per_poll() -> dict[str, int]:
    """Count the HTTP requests each kind of poll sends."""
    tracker = await start_demo_tracker()
    counts: dict[str, int] = {}
    try:
        async with aiohttp.ClientSession() as session:
            cases = {
                "Gazelle, enrichment off": GazelleClient(
                    session,
                    tracker.url,
                    "demo-red-key",
                    auth_style=AuthStyle.RAW,
                    enrich=False,
                ).async_get_stats(),
                "Gazelle, enrichment on": GazelleClient(
                    session,
                    tracker.url,
                    "demo-red-key",
                    auth_style=AuthStyle.RAW,
                    enrich=True,
                ).async_get_stats(),
                "GGn, first setup (no id stored)": GGnClient(
                    session, tracker.url, "demo-ggn-key"
                ).async_get_stats(),
                "GGn, id stored": GGnClient(
                    session, tracker.url, "demo-ggn-key", remote_user_id=74360
                ).async_get_stats(),
                **{
                    label: create_client(
                        platform, session, url=tracker.url, **options
                    ).async_get_stats()
                    for label, platform, options in OTHER_PLATFORMS
                },
            }
            for label, call in cases.items():
                tracker.state.clear_requests()
                await call
                counts[label] = len(tracker.state.requests)
    finally:
        await tracker.close()
    return counts


def parse_cpu(runs: int = 5000) -> dict[str, float]:
    """Median CPU microseconds to decode and map one seed answer."""
    accounts = DemoState().accounts
    red, ggn = accounts["red"], accounts["ggn"]
    index = json.dumps({"status": "success", "response": red.index}).encode()
    profile = json.dumps({"status": "success", "response": red.profile}).encode()
    user = json.dumps({"status": "success", "response": ggn.profile}).encode()

    def gazelle_index() -> None:
        parse_index(json.loads(index)["response"])

    def gazelle_enriched() -> None:
        stats = parse_index(json.loads(index)["response"])
        enrich_with_profile(stats, json.loads(profile)["response"])

    def ggn_user() -> None:
        parse_user(json.loads(user)["response"], 74360)

    results = {}
    for label, work in (
        ("Gazelle index", gazelle_index),
        ("Gazelle index + profile", gazelle_enriched),
        ("GGn user", ggn_user),
    ):
        samples = []
        for _ in range(runs):
            start = time.process_time_ns()
            work()
            samples.append(time.process_time_ns() - start)
        results[label] = statistics.median(samples) / 1000
    return results


def heap_per_account() -> dict[str, Any]:
    """Run heap.py under pytest: tracemalloc's view of one more account."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "heap.json"
        subprocess.run(
            # No log capture: its stored records would count as heap.
            [sys.executable, "-m", "pytest", str(HEAP_TEST), "-q", "-p", "no:logging"],
            cwd=REPO,
            env={**os.environ, "BENCH_HEAP_OUT": str(out)},
            stdout=subprocess.DEVNULL,
            check=True,
        )
        return json.loads(out.read_text())  # type: ignore[no-any-return]
