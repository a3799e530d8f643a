"""The demo accounts' health: the options a user would set, a forecast at once.

Health needs a required ratio, and only Gazelle sites (Redacted, GazelleGames)
send one. The demo sets the others' options through the options flow, as a
user would (README → Try it):

- Blutopia (UNIT3D): 0.4, the minimum ratio its demo answer implies (its
  `buffer` is uploaded ÷ 0.4 − downloaded) and UNIT3D's default;
- AnimeBytes, BroadcasTheNet, Nebulance and MyAnonamouse judge hit-and-runs,
  seeding or unsatisfied torrents rather than a ratio: the demo user keeps a
  ratio of 1.0 as a floor of their own, and takes more than 2 hit-and-runs as
  danger on the sites that count them.

The forecast needs a day of hourly history. The demo imports five weeks of
statistics (history.py); each account with a required ratio downloads more in
its last week than before, just enough that its trend would take it below the
required ratio in FORECAST_DAYS, and that week's byte counts are written to
the entry's history store, so the forecast has a value from the first start.
"""

from __future__ import annotations

import json
from pathlib import Path
import time
from typing import Any

from custom_components.tracker_stats.account_health import HISTORY_STORAGE_VERSION
from custom_components.tracker_stats.forecast import History, Sample
from script.ha_driver import DOMAIN, Http, websocket

from .history import (
    RECENT_HOURS,
    UPLOAD_PER_HOUR,
    AccountMonth,
    RecentWeek,
    history_sensors,
    import_history,
    unit_bytes,
)

# Options flow input by demo account (scripts/demo's names), kept as data so
# that the example dashboard's test sets the same options up.
DEMO_OPTIONS: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "options.json").read_text(encoding="utf-8")
)
# Days until below the required ratio at the last week's pace, roughly (the
# forecast fits a line through bursty hours). Within a year, or there is none.
# GazelleGames is missing: at its required ratio of 0.012 no pace gets there.
FORECAST_DAYS = {
    "red": 240,
    "blutopia": 150,
    "ab": 240,
    "btn": 150,
    "mam": 120,
    "nbl": 200,
}
# The required ratios the demo tracker sends (its Gazelle and GazelleGames
# fixtures), for when the disabled-by-default "Required ratio" entity has no state.
TRACKER_REQUIRED = {"red": 0.6, "ggn": 0.012}
# A quiet week: a quarter of the upload of the weeks before.
RECENT_UPLOAD = UPLOAD_PER_HOUR * RECENT_HOURS / 4
DAYS_PER_WEEK = RECENT_HOURS / 24


def recent_week(
    uploaded: float, downloaded: float, required: float, days: float
) -> RecentWeek | None:
    """Return a last week whose pace reaches ``required`` in ``days``, if any."""
    surplus = uploaded - required * downloaded
    if required <= 0 or surplus <= 0:
        return None
    upload_per_day = RECENT_UPLOAD / DAYS_PER_WEEK
    download_per_day = (surplus / days + upload_per_day) / required
    return RecentWeek(RECENT_UPLOAD, download_per_day * DAYS_PER_WEEK)


def required_ratios(owner: Http, entries: dict[str, str]) -> dict[str, float]:
    """Return each entry's required ratio: the demo's option, or the tracker's."""
    (registry,) = websocket(owner, {"type": "config/entity_registry/list"})
    states = {state["entity_id"]: state for state in owner.call("GET", "/api/states")}
    ratios = {
        entity["config_entry_id"]: float(states[entity["entity_id"]]["state"])
        for entity in registry
        if entity["platform"] == DOMAIN
        and entity.get("translation_key") == "required_ratio"
        and entity["entity_id"] in states
        and states[entity["entity_id"]]["state"] not in ("unknown", "unavailable")
    }
    for name, required in TRACKER_REQUIRED.items():
        if name in entries:
            ratios.setdefault(entries[name], required)
    for name, options in DEMO_OPTIONS.items():
        if name in entries and "required_ratio" in options:
            ratios[entries[name]] = float(options["required_ratio"])
    return ratios


def busier_weeks(owner: Http, entries: dict[str, str]) -> dict[str, RecentWeek]:
    """Return the last week of each account that has a forecast target, by entry id."""
    required = required_ratios(owner, entries)
    live = {sensors.entry_id: sensors for sensors in history_sensors(owner)}
    weeks = {}
    for name, days in FORECAST_DAYS.items():
        entry_id = entries.get(name)
        if entry_id not in live or entry_id not in required:
            continue
        sensors = live[entry_id]
        week = recent_week(
            float(sensors.uploaded["state"]) * unit_bytes(sensors.uploaded),
            float(sensors.downloaded["state"]) * unit_bytes(sensors.downloaded),
            required[entry_id],
            days,
        )
        if week is not None:
            weeks[entry_id] = week
    return weeks


def write_history(config: Path, entry_id: str, month: AccountMonth) -> None:
    """Write the entry's forecast history store (Home Assistant's Store format)."""
    key = f"{DOMAIN}.{entry_id}.history"
    history = History(Sample(*sample) for sample in month.samples)
    (config / ".storage" / key).write_text(
        json.dumps(
            {
                "version": HISTORY_STORAGE_VERSION,
                "minor_version": 1,
                "key": key,
                "data": history.as_dict(),
            }
        )
    )


def set_options(owner: Http, entry_id: str, options: dict[str, Any]) -> None:
    """Save ``options`` through the entry's options flow; the entry reloads."""
    flow = owner.call(
        "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
    )
    result = owner.call(
        "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}", options
    )
    if result.get("type") != "create_entry":
        raise SystemExit(f"Saving the demo options {options} failed: {result}")


def seed_health(owner: Http, config: Path, entries: dict[str, str]) -> set[str]:
    """Set the options, import the month, seed the forecasts.

    ``entries``: the demo accounts' entry ids by name. Return the entry ids
    whose forecast should have a value. The options come first: an entry
    whose history store Home Assistant has not seen yet (none before it has a
    required ratio) reads as empty until it saved one itself; so the histories
    are written after that, and every entry reloads to read its own back.
    """
    for name, options in DEMO_OPTIONS.items():
        if name in entries:
            set_options(owner, entries[name], options)
    # The reload an options save schedules is over once its first poll saved
    # the history (a store of its own, or a later write would be lost).
    for entry_id in entries.values():
        wait_for_file(config / ".storage" / f"{DOMAIN}.{entry_id}.history")
    wait_for_accounts(owner, len(entries))
    weeks = busier_weeks(owner, entries)
    months = import_history(owner, weeks)
    for entry_id, month in months.items():
        write_history(config, entry_id, month)
    for entry_id in entries.values():
        owner.call("POST", f"/api/config/config_entries/entry/{entry_id}/reload")
    return set(weeks)


def wait_for_file(path: Path, seconds: float = 60) -> None:
    """Wait until ``path`` exists."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(
                f"Home Assistant wrote no {path.name} within {seconds:.0f} s"
            )
        time.sleep(0.5)


def wait_for_accounts(owner: Http, wanted: int, seconds: float = 60) -> None:
    """Wait until ``wanted`` accounts have byte counts again (after reloads)."""
    deadline = time.monotonic() + seconds
    while len(history_sensors(owner)) < wanted:
        if time.monotonic() > deadline:
            raise SystemExit(f"The demo accounts had no values within {seconds:.0f} s")
        time.sleep(1)


def wait_for_forecasts(
    owner: Http, entry_ids: set[str], seconds: float = 60
) -> list[str]:
    """Wait until these entries' forecasts have values; return those without."""
    deadline = time.monotonic() + seconds
    while True:
        (registry,) = websocket(owner, {"type": "config/entity_registry/list"})
        wanted = {
            entity["entity_id"]
            for entity in registry
            if entity["config_entry_id"] in entry_ids
            and entity.get("translation_key") == "ratio_forecast"
        }
        states = {
            state["entity_id"]: state["state"]
            for state in owner.call("GET", "/api/states")
        }
        missing = sorted(
            entity_id
            for entity_id in wanted
            if states.get(entity_id) in (None, "unknown", "unavailable")
        )
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(1)
