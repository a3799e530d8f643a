"""What one tracker answer can cost at most: event-loop time and memory.

Decoding is the one step whose cost grows with the answer (the mapping reads
a fixed set of fields), and it runs on the event loop. The worst answers are
the densest ones: many tiny JSON values, each a Python object. Each shape is
padded to exactly the body cap and decoded as the library does.

    .venv/bin/python -m script.bench.answer_cost [--cap BYTES]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import gc
import statistics
import time
import tracemalloc

from custom_components.tracker_stats.api._answer import decode_json
from custom_components.tracker_stats.api.const import MAX_BODY_BYTES


def _padded(item: bytes, size: int) -> bytes:
    """Return ``[item,item,...]`` of at most ``size`` bytes."""
    count = (size - 2) // (len(item) + 1)
    return b"[" + b",".join([item] * count) + b"]"


SHAPES: dict[str, Callable[[int], bytes]] = {
    "fractions (0.1)": lambda size: _padded(b"0.1", size),
    "huge exponents": lambda size: _padded(b"1e99999999999999999999", size),
    "small ints": lambda size: _padded(b"7", size),
    "empty lists": lambda size: _padded(b"[]", size),
    "empty objects": lambda size: _padded(b"{}", size),
    "short strings": lambda size: _padded(b'"a"', size),
    "one long string": lambda size: b'"' + b"a" * (size - 2) + b'"',
}


def measure(body: bytes, runs: int = 5) -> tuple[float, float]:
    """Return (median ms, tracemalloc peak MB) of decoding ``body``."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        decode_json(body)
        times.append((time.perf_counter() - started) * 1000)
    gc.collect()
    tracemalloc.start()
    decode_json(body)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6


def main() -> None:
    """Print one Markdown table row per shape, at the cap and at the old 2 MiB."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=int, default=MAX_BODY_BYTES)
    cap = parser.parse_args().cap
    old = 2 * 1024 * 1024
    print(f"| answer padded with | {cap // 1024} KiB: ms | MB | 2 MiB: ms | MB |")
    print("|---|---|---|---|---|")
    for name, build in SHAPES.items():
        now_ms, now_mb = measure(build(cap))
        old_ms, old_mb = measure(build(old), runs=3)
        print(f"| {name} | {now_ms:.1f} | {now_mb:.1f} | {old_ms:.1f} | {old_mb:.1f} |")


if __name__ == "__main__":
    main()
