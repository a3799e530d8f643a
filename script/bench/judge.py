"""Judge the measurements: the product's targets, and ours against the `rest` way.

Pure functions of the figures measure.py and real_ha.py return; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
import itertools
from typing import Any

REQUEST_TARGETS = {
    "Gazelle, enrichment off": 1,
    "Gazelle, enrichment on": 2,
    "GGn, first setup (no id stored)": 2,
    "GGn, id stored": 1,
    "GGn, after a restart (id stored)": 1,
    "UNIT3D": 1,
    "AnimeBytes, header style stored": 1,
    "BroadcasTheNet": 1,
    "MyAnonamouse": 1,
    "Nebulance": 1,
}
PARSE_TARGET_US = 1000
SETUP_TARGET_MS = 50
# The goals: RSS per account at 20 accounts, and this integration's
# own heap per account (tracemalloc).
RSS_TARGET_KIB = 110
RSS_TARGET_ACCOUNTS = 20
OWN_HEAP_TARGET_KIB = 6.0


def verdicts(
    requests_table: dict[str, int],
    cpu_table: dict[str, float],
    runs: dict[int, dict[str, Any]],
    heap: dict[str, Any],
) -> list[str]:
    """One line per target: met or not, with the figure that decides it."""

    def line(met: bool, text: str) -> str:
        return f"- {'met' if met else '**not met**'}: {text}"

    sized = {size: run for size, run in runs.items() if size}
    rss_one = runs.get(1, {}).get("rss_kib")
    extra = {
        size: (run["rss_kib"] - rss_one) / (size - 1)
        for size, run in sized.items()
        if rss_one is not None and size > 1
    }
    worst_setup = max((run["setup_ms"] for run in sized.values()), default=0.0)
    loop_per_account = {
        size: run["poll_all_loop_ms"] / size for size, run in sized.items()
    }
    result = [
        line(
            requests_table == REQUEST_TARGETS,
            "requests per poll "
            + ", ".join(f"{count}" for count in requests_table.values())
            + " (targets "
            + ", ".join(f"{count}" for count in REQUEST_TARGETS.values())
            + ")",
        ),
        line(
            max(cpu_table.values()) <= PARSE_TARGET_US,
            f"parse and map ≤ {PARSE_TARGET_US} µs: slowest median "
            f"{max(cpu_table.values()):.0f} µs",
        ),
        line(
            worst_setup <= SETUP_TARGET_MS,
            f"setup ≤ {SETUP_TARGET_MS} ms per entry: worst median {worst_setup:.1f} ms",
        ),
    ]
    if RSS_TARGET_ACCOUNTS in extra:
        kib = extra[RSS_TARGET_ACCOUNTS]
        result.append(
            line(
                kib <= RSS_TARGET_KIB,
                f"RSS ≤ {RSS_TARGET_KIB} KiB per account at {RSS_TARGET_ACCOUNTS} "
                f"accounts with the default entities: {kib:.0f} KiB ("
                + ", ".join(
                    f"{value:.0f} KiB at {size}" for size, value in extra.items()
                )
                + ")",
            )
        )
    result.append(
        line(
            heap["kib_ours"] <= OWN_HEAP_TARGET_KIB,
            f"this integration's own heap ≤ {OWN_HEAP_TARGET_KIB:g} KiB per account: "
            f"{heap['kib_ours']:.1f} KiB of the {heap['kib_per_account']:.0f} KiB an "
            f"account adds (the rest is Home Assistant's bookkeeping for its "
            f"{heap['entities_per_account']:.0f} enabled entities)",
        )
    )
    if len(loop_per_account) > 1:
        # Fixed costs spread over more accounts may shrink the figure; it must
        # not grow with the number of accounts.
        figures = list(loop_per_account.values())
        result.append(
            line(
                all(b <= 1.5 * a for a, b in itertools.pairwise(figures)),
                "per-account cost does not grow with accounts: event-loop CPU "
                "per account "
                + ", ".join(
                    f"{ms:.2f} ms at {size}" for size, ms in loop_per_account.items()
                )
                + "; setup per entry "
                + ", ".join(
                    f"{run['setup_ms']:.1f} ms at {size}" for size, run in sized.items()
                ),
            )
        )
    return result


# Side by side, per account: (label, how to compute it from one run).
Run = dict[str, Any]
COMPARED: dict[str, Callable[[Run, int], float]] = {
    "HTTP requests per poll": lambda run, size: run["poll_all_requests"] / size,
    "event-loop CPU per poll (ms)": lambda run, size: run["poll_all_loop_ms"] / size,
    "setup (ms)": lambda run, size: run["setup_ms"],
    "start to all entities ready (s)": lambda run, size: run["start_to_ready_s"],
}


def rss_per_account(runs: dict[int, dict[str, Any]], size: int) -> float | None:
    """KiB one account adds: against one account if measured, else against none."""
    base_size = 1 if size > 1 and 1 in runs else 0
    if base_size not in runs or size not in runs or size == base_size:
        return None
    grown: int = runs[size]["rss_kib"] - runs[base_size]["rss_kib"]
    return grown / (size - base_size)


def comparison(
    ours: dict[int, dict[str, Any]], theirs: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per figure and size: ours, theirs and ours/theirs."""
    rows = []
    for size in sorted(set(ours) & set(theirs)):
        if not size:
            continue
        figures: dict[str, tuple[float | None, float | None]] = {
            label: (compute(ours[size], size), compute(theirs[size], size))
            for label, compute in COMPARED.items()
        }
        figures["RSS per account (KiB)"] = (
            rss_per_account(ours, size),
            rss_per_account(theirs, size),
        )
        for label, (mine, users) in figures.items():
            ratio = None
            if mine is not None and users:
                ratio = mine / users
            rows.append(
                {
                    "size": size,
                    "figure": label,
                    "ours": mine,
                    "theirs": users,
                    "ratio": ratio,
                }
            )
    return rows
