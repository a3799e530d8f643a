"""Measure what the integration costs, judge it, and write the report.

    scripts/bench [--hass .venv/bin/hass] [--sizes 0,1,20,100] [--write docs/performance.md]

Measures (measure.py in this process, real_ha.py against real Home Assistant
processes), judges against the product's targets and against the `rest`
integration (judge.py), renders Markdown (report.py). Not run by CI: figures
from a noisy shared machine are for reading, not for asserting. Everything
runs on loopback against the demo tracker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
import shlex
import signal
import subprocess
import sys
from typing import Any

from script.processes import REPO, start_demo_tracker_process, stop

from . import measure, real_ha
from .report import render, with_hand_written

HANG_ACCOUNTS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("--hass", default=str(REPO / ".venv/bin/hass"))
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--tracker-port", type=int, default=8766)
    parser.add_argument("--sizes", default="0,1,20,100")
    parser.add_argument(
        "--skip-hang", action="store_true", help="skip the start with hanging trackers"
    )
    parser.add_argument("--write", help="write the report to this Markdown file")
    parser.add_argument("--json", help="write the raw figures to this JSON file")
    return parser.parse_args()


def measure_all(args: argparse.Namespace) -> dict[str, Any]:
    hass = shlex.split(args.hass)
    sizes = [int(size) for size in args.sizes.split(",")]
    figures: dict[str, Any] = {
        "requests": asyncio.run(measure.requests_per_poll()),
        "parse_cpu_us": measure.parse_cpu(),
        "heap": measure.heap_per_account(),
    }
    demo_url = f"http://127.0.0.1:{args.tracker_port}"
    tracker = start_demo_tracker_process(args.tracker_port)
    try:
        ggn = real_ha.ggn_requests_after_restart(hass, demo_url, args.port)
        figures["requests"]["GGn, after a restart (id stored)"] = len(ggn)
        figures["ours"] = {
            size: real_ha.measure_ours(hass, demo_url, size, args.port)
            for size in sizes
        }
        figures["theirs"] = {
            size: real_ha.measure_theirs(hass, demo_url, size, args.port)
            for size in sizes
        }
        figures["start_hanging"] = None
        if not args.skip_hang:
            figures["start_hanging"] = {
                "accounts": HANG_ACCOUNTS,
                **real_ha.start_time_hanging(hass, demo_url, HANG_ACCOUNTS, args.port),
            }
    finally:
        stop(tracker)
    figures["ha_version"] = subprocess.run(
        [*hass, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return figures


def main() -> int:
    args = parse_args()
    # Let `finally` stop the Home Assistant and tracker processes on SIGTERM too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = measure_all(args)
    report = render(figures)
    print(report)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    if args.write:
        target = Path(args.write)
        previous = target.read_text() if target.exists() else ""
        target.write_text(with_hand_written(report, previous))
    return 0


if __name__ == "__main__":
    sys.exit(main())
