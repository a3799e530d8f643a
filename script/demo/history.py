"""Five weeks of made-up hourly statistics, so the demo's graphs are full at once.

Home Assistant keeps long-term statistics only from the hour it first sees a
sensor. The demo imports a plausible month of hourly statistics for each
account's uploaded, downloaded and ratio sensors when it prepares itself
(websocket `recorder/import_statistics`, source `recorder`, the entity id as
statistic id), ending where the live values are. The month grows as fast as
the live demo tracker does (demo_tracker/accounts.py's bytes per one-minute
step), so the graphs run on into the live values without a change of pace;
an account may have a busier last week (RecentWeek), which the ratio forecast
then sees: its hourly history (history_samples) is that week's byte counts.

Semantics as Home Assistant's own sensor statistics:
- total_increasing sensors (uploaded, downloaded): `state` (the total at the
  end of the hour) and `sum` (the growth since a reference point);
- measurement sensors (ratio): `mean`, `min` and `max` of the hour.

Home Assistant continues the hourly sum from its 5-minute statistics, which
start at 0 for a new sensor. So the imported sums end at 0 (and are negative
before): the first hour Home Assistant compiles follows on without a jump.
"""

from __future__ import annotations

from collections.abc import Mapping
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
# The forecast looks back 7 days (custom_components/tracker_stats/forecast.py).
RECENT_HOURS = 7 * 24
# Hours of the last week with a download, when the week downloads more.
RECENT_DOWNLOAD_HOURS = 24


@dataclass(frozen=True, slots=True)
class AccountSensors:
    """The three sensors of one account that get a history, and their live values."""

    entry_id: str
    uploaded: dict[str, Any]
    downloaded: dict[str, Any]
    ratio: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RecentWeek:
    """Bytes an account uploaded and downloaded in its last RECENT_HOURS."""

    uploaded: float
    downloaded: float


@dataclass(frozen=True, slots=True)
class AccountMonth:
    """The import commands of one account, and its last week's hourly counts."""

    commands: list[dict[str, Any]]
    # (Unix time, uploaded bytes, downloaded bytes) at the end of each of the
    # last RECENT_HOURS hours, oldest first: the forecast's hourly history.
    samples: list[tuple[int, int, int]]


def hour_starts(now: datetime, hours: int = HOURS) -> list[datetime]:
    """Return the starts of the ``hours`` whole hours before the current one."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [current - timedelta(hours=hours - index) for index in range(hours)]


def totals_back_from(
    live: float, growths: tuple[float, float], weights: list[float]
) -> list[float]:
    """Return a total at the end of each hour, ending at ``live``.

    The total grew by ``growths`` (before the last RECENT_HOURS, and in them),
    hour by hour within each part as ``weights``.
    """
    parts = (weights[:-RECENT_HOURS], weights[-RECENT_HOURS:])
    increments = [
        weight * growth / (sum(part) or 1.0)
        for growth, part in zip(growths, parts, strict=True)
        for weight in part
    ]
    totals = [live]
    for increment in reversed(increments[1:]):
        totals.append(totals[-1] - increment)
    return totals[::-1]


def upload_weights(starts: list[datetime], rng: random.Random) -> list[float]:
    """Weigh each hour's upload: more in the evening, with noise."""
    return [
        (1.2 + math.sin((start.hour - 14) / 24 * 2 * math.pi))
        * rng.lognormvariate(0, 0.6)
        for start in starts
    ]


def download_weights(
    starts: list[datetime], rng: random.Random, *, busy_week: bool
) -> list[float]:
    """Put the downloads in a few bursts: most hours download nothing."""
    older = range(len(starts) - RECENT_HOURS)
    bursts = set(rng.sample(older, DOWNLOAD_HOURS))
    recent = range(len(starts) - RECENT_HOURS, len(starts))
    bursts |= set(rng.sample(recent, RECENT_DOWNLOAD_HOURS if busy_week else 4))
    # Heavy-tailed bursts before; the busier week's downloads are more even,
    # so that no single day of it dwarfs the month's other bars.
    return [
        (rng.uniform(0.5, 1.5) if index in recent else rng.paretovariate(1.5))
        if index in bursts
        else 0.0
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


def unit_bytes(state: dict[str, Any]) -> int:
    """Return the bytes in one unit of the sensor's state."""
    unit = state["attributes"].get("unit_of_measurement")
    if unit not in UNIT_BYTES:
        raise ValueError(
            f"{state['entity_id']} has a unit the demo does not know: {unit}"
        )
    return UNIT_BYTES[unit]


def growths(live: float, older: float, recent: float) -> tuple[float, float]:
    """Return the two parts' growth in bytes, together at most MAX_GROWTH of ``live``."""
    scale = min(1.0, live * MAX_GROWTH / ((older + recent) or 1.0))
    return older * scale, recent * scale


def account_history(
    sensors: AccountSensors, now: datetime, recent: RecentWeek | None = None
) -> AccountMonth:
    """Return one account's month, ending at its live values, in bytes."""
    # Seeded by the entity: the same month every time. Nothing secret here.
    rng = random.Random(sensors.uploaded["entity_id"])  # noqa: S311
    starts = hour_starts(now)
    older_hours = len(starts) - RECENT_HOURS
    up_unit, down_unit = unit_bytes(sensors.uploaded), unit_bytes(sensors.downloaded)
    # The sensors' states are the tracker's bytes in a unit; a hair below them,
    # so that the next poll's counts are never under the last sample's.
    uploaded_live = max(float(sensors.uploaded["state"]) * up_unit - MIB, 0.0)
    downloaded_live = max(float(sensors.downloaded["state"]) * down_unit - MIB, 0.0)
    uploaded = totals_back_from(
        uploaded_live,
        growths(
            uploaded_live,
            UPLOAD_PER_HOUR * older_hours,
            recent.uploaded if recent else UPLOAD_PER_HOUR * RECENT_HOURS,
        ),
        upload_weights(starts, rng),
    )
    downloaded = totals_back_from(
        downloaded_live,
        growths(
            downloaded_live,
            DOWNLOAD_PER_HOUR * older_hours,
            recent.downloaded if recent else DOWNLOAD_PER_HOUR * RECENT_HOURS,
        ),
        download_weights(starts, rng, busy_week=recent is not None),
    )
    commands = [
        {
            "type": "recorder/import_statistics",
            "metadata": metadata(state, has_sum=True),
            "stats": sum_rows(starts, [total / unit for total in totals]),
        }
        for state, totals, unit in (
            (sensors.uploaded, uploaded, up_unit),
            (sensors.downloaded, downloaded, down_unit),
        )
    ]
    if downloaded_live > 0:
        # The tracker's ratio is upload ÷ download, rounded its own way: scale
        # the computed ratios so that the last one is the live one.
        live_ratio = float(sensors.ratio["state"])
        scale = live_ratio / (uploaded_live / downloaded_live)
        ratios = [
            up / down * scale if down > 0 else live_ratio
            for up, down in zip(uploaded, downloaded, strict=True)
        ]
        commands.append(
            {
                "type": "recorder/import_statistics",
                "metadata": metadata(sensors.ratio, has_sum=False),
                "stats": mean_rows(starts, ratios),
            }
        )
    samples = [
        # The last second of each hour: one sample per clock hour.
        (int(start.timestamp()) + 3599, math.floor(up), math.floor(down))
        for start, up, down in zip(starts, uploaded, downloaded, strict=True)
    ][-RECENT_HOURS:]
    return AccountMonth(commands, samples)


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
        AccountSensors(entry_id, found["uploaded"], found["downloaded"], found["ratio"])
        for entry_id, found in by_entry.items()
        if len(found) == 3
        and all(_is_number(state["state"]) for state in found.values())
    ]


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def import_history(
    owner: Http,
    recent: Mapping[str, RecentWeek] | None = None,
    now: datetime | None = None,
) -> dict[str, AccountMonth]:
    """Import a month of statistics for every account; return them by entry id.

    ``recent``: the busier last week of some accounts, by entry id.
    """
    moment = now or datetime.now(UTC)
    months = {
        sensors.entry_id: account_history(
            sensors, moment, (recent or {}).get(sensors.entry_id)
        )
        for sensors in history_sensors(owner)
    }
    websocket(
        owner, *(command for month in months.values() for command in month.commands)
    )
    return months
