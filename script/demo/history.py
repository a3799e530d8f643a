"""Five weeks of made-up hourly statistics, so the demo's graphs are full at once.

Home Assistant keeps long-term statistics only from the hour it first sees a
sensor. The demo imports a plausible month of hourly statistics for each
account's uploaded, downloaded and ratio sensors when it prepares itself
(websocket `recorder/import_statistics`, source `recorder`, the entity id as
statistic id), ending where the live values are. The month grows as fast as
the live demo tracker does (demo_tracker/accounts.py's bytes per one-minute
step), so the graphs run on into the live values without a change of pace.

Semantics as Home Assistant's own sensor statistics:
- total_increasing sensors (uploaded, downloaded): `state` (the total at the
  end of the hour) and `sum` (the growth since a reference point);
- measurement sensors (ratio): `mean`, `min` and `max` of the hour.

Home Assistant continues the hourly sum from its 5-minute statistics, which
start at 0 for a new sensor. So the imported sums end at 0 (and are negative
before): the first hour Home Assistant compiles follows on without a jump.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import math
import random
from typing import Any

from demo_tracker.accounts import DOWNLOAD_PER_STEP, GIB, MIB, UPLOAD_PER_STEP
from script.ha_driver import Http, websocket

DOMAIN = "tracker_stats"
# A few days more than the dashboard shows: its first day's change needs the
# sum of the day before.
HOURS = 35 * 24
# The live demo tracker's pace: it steps once a minute.
UPLOAD_PER_HOUR = 60 * UPLOAD_PER_STEP
DOWNLOAD_PER_HOUR = 60 * DOWNLOAD_PER_STEP
# At most this share of today's total came in during the imported month: no
# total goes below 0, even for an account with a small one.
MAX_GROWTH = 0.5
# Bytes in each unit an uploaded or downloaded sensor may show.
UNIT_BYTES = {"B": 1, "KiB": 1024, "MiB": MIB, "GiB": GIB, "TiB": 1024 * GIB}
# Hours in the month with a download: downloads come in bursts.
DOWNLOAD_HOURS = 40


@dataclass(frozen=True, slots=True)
class AccountSensors:
    """The three sensors of one account that get a history, and their live values."""

    uploaded: dict[str, Any]
    downloaded: dict[str, Any]
    ratio: dict[str, Any]


def hour_starts(now: datetime, hours: int = HOURS) -> list[datetime]:
    """Return the starts of the ``hours`` whole hours before the current one."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [current - timedelta(hours=hours - index) for index in range(hours)]


def totals_back_from(live: float, growth: float, weights: list[float]) -> list[float]:
    """Return a total at the end of each hour, ending at ``live``.

    The total grew by ``growth`` over the hours, hour by hour as ``weights``.
    """
    scale = growth / sum(weights)
    totals = [live]
    for weight in reversed(weights[1:]):
        totals.append(totals[-1] - weight * scale)
    return totals[::-1]


def upload_weights(starts: list[datetime], rng: random.Random) -> list[float]:
    """Weigh each hour's upload: more in the evening, with noise."""
    return [
        (1.2 + math.sin((start.hour - 14) / 24 * 2 * math.pi))
        * rng.lognormvariate(0, 0.6)
        for start in starts
    ]


def download_weights(starts: list[datetime], rng: random.Random) -> list[float]:
    """Put the downloads in a few bursts: most hours download nothing."""
    burst_hours = set(rng.sample(range(len(starts)), DOWNLOAD_HOURS))
    return [
        rng.paretovariate(1.5) if index in burst_hours else 0.0
        for index in range(len(starts))
    ]


def sum_rows(starts: list[datetime], totals: list[float]) -> list[dict[str, Any]]:
    """Rows of a total_increasing sensor: the total, and a sum ending at 0."""
    return [
        {
            "start": start.isoformat(),
            "state": round(total, 6),
            "sum": round(total - totals[-1], 6),
        }
        for start, total in zip(starts, totals, strict=True)
    ]


def mean_rows(starts: list[datetime], values: list[float]) -> list[dict[str, Any]]:
    """Rows of a measurement sensor: mean, min and max over each hour."""
    rows = []
    for index, start in enumerate(starts):
        hour = values[max(index - 1, 0) : index + 1]
        rows.append(
            {
                "start": start.isoformat(),
                "mean": round(sum(hour) / len(hour), 4),
                "min": round(min(hour), 4),
                "max": round(max(hour), 4),
            }
        )
    return rows


def metadata(state: dict[str, Any], *, has_sum: bool) -> dict[str, Any]:
    return {
        "has_mean": not has_sum,
        "has_sum": has_sum,
        "name": None,
        "source": "recorder",
        "statistic_id": state["entity_id"],
        "unit_of_measurement": state["attributes"].get("unit_of_measurement"),
    }


def growth(state: dict[str, Any], grown_bytes: int) -> float:
    """Return ``grown_bytes`` in the sensor's unit, at most MAX_GROWTH of its total."""
    unit = state["attributes"].get("unit_of_measurement")
    if unit not in UNIT_BYTES:
        raise ValueError(
            f"{state['entity_id']} has a unit the demo does not know: {unit}"
        )
    return min(grown_bytes / UNIT_BYTES[unit], float(state["state"]) * MAX_GROWTH)


def account_history(sensors: AccountSensors, now: datetime) -> Iterator[dict[str, Any]]:
    """Return the import commands of one account's month, ending at its live values."""
    # Seeded by the entity: the same month every time. Nothing secret here.
    rng = random.Random(sensors.uploaded["entity_id"])  # noqa: S311
    starts = hour_starts(now)
    uploaded_live = float(sensors.uploaded["state"])
    downloaded_live = float(sensors.downloaded["state"])
    uploaded = totals_back_from(
        uploaded_live,
        growth(sensors.uploaded, UPLOAD_PER_HOUR * len(starts)),
        upload_weights(starts, rng),
    )
    downloaded = totals_back_from(
        downloaded_live,
        growth(sensors.downloaded, DOWNLOAD_PER_HOUR * len(starts)),
        download_weights(starts, rng),
    )
    for state, totals in (
        (sensors.uploaded, uploaded),
        (sensors.downloaded, downloaded),
    ):
        yield {
            "type": "recorder/import_statistics",
            "metadata": metadata(state, has_sum=True),
            "stats": sum_rows(starts, totals),
        }
    if downloaded_live > 0:
        # The tracker's ratio is upload ÷ download, rounded its own way: scale
        # the computed ratios so that the last one is the live one.
        live_ratio = float(sensors.ratio["state"])
        scale = live_ratio / (uploaded_live / downloaded_live)
        ratios = [
            up / down * scale for up, down in zip(uploaded, downloaded, strict=True)
        ]
        yield {
            "type": "recorder/import_statistics",
            "metadata": metadata(sensors.ratio, has_sum=False),
            "stats": mean_rows(starts, ratios),
        }


def history_sensors(owner: Http) -> list[AccountSensors]:
    """Find each account's uploaded, downloaded and ratio sensors and their states."""
    (registry,) = websocket(owner, {"type": "config/entity_registry/list"})
    states = {state["entity_id"]: state for state in owner.call("GET", "/api/states")}
    by_entry: dict[str, dict[str, dict[str, Any]]] = {}
    for entity in registry:
        key = entity.get("translation_key")
        if entity["platform"] == DOMAIN and key in ("uploaded", "downloaded", "ratio"):
            if (state := states.get(entity["entity_id"])) is not None:
                by_entry.setdefault(entity["config_entry_id"], {})[key] = state
    return [
        AccountSensors(found["uploaded"], found["downloaded"], found["ratio"])
        for found in by_entry.values()
        if len(found) == 3
        and all(_is_number(state["state"]) for state in found.values())
    ]


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def import_history(owner: Http, now: datetime | None = None) -> int:
    """Import a month of statistics for every account; return how many accounts."""
    accounts = history_sensors(owner)
    moment = now or datetime.now(UTC)
    commands = [
        command for sensors in accounts for command in account_history(sensors, moment)
    ]
    websocket(owner, *commands)
    return len(accounts)
