"""Watching one account between polls: alerts, and the repair issues it raises.

The coordinator hands every good poll to ``AccountMonitor.async_good_poll``.
The monitor compares it with the last good poll, kept in a ``Store`` so that a
change made while Home Assistant was down still fires once after a restart,
and returns the alerts; the coordinator puts them in that poll's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .account_health import AccountHealth, HealthReport, async_remove_health_data
from .alerts import Alert, AlertSnapshot, find_alerts, offered_event_types
from .api import TrackerStats
from .const import DOMAIN
from .options import AccountOptions
from .repairs import (
    ACCOUNT_WARNED,
    TRACKER_UNREACHABLE,
    clear_entry_issues,
    clear_issue,
    raise_account_warned,
    raise_tracker_unreachable,
)

SNAPSHOT_STORAGE_VERSION = 1
# Polls come every 30 minutes; an outage must not wait for the next one to show.
STALE_CHECK_INTERVAL = timedelta(minutes=1)


@dataclass(slots=True)
class _Outages:
    """What outlives one setup attempt of the entries, until Home Assistant stops."""

    # Since when each entry has had no good poll: its first setup attempt in
    # this run, or its last good poll. Time Home Assistant was down does not
    # count as the tracker being down.
    since: dict[str, datetime] = field(default_factory=dict)
    # The stale check of an entry that is retrying setup (it has no monitor).
    retry_checks: dict[str, CALLBACK_TYPE] = field(default_factory=dict)


# An entry between two setup attempts, or in one (a good poll clears the issue).
_SETTING_UP = (ConfigEntryState.SETUP_RETRY, ConfigEntryState.SETUP_IN_PROGRESS)
_OUTAGES: HassKey[_Outages] = HassKey(f"{DOMAIN}_outages")


def _outages(hass: HomeAssistant) -> _Outages:
    return hass.data.setdefault(_OUTAGES, _Outages())


def _cancel_retry_check(hass: HomeAssistant, entry_id: str) -> None:
    if cancel := _outages(hass).retry_checks.pop(entry_id, None):
        cancel()


def _snapshot_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, SNAPSHOT_STORAGE_VERSION, f"{DOMAIN}.{entry_id}.last_poll")


async def async_remove_monitor_data(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed entry's stored snapshot and its repair issues."""
    await _snapshot_store(hass, entry_id).async_remove()
    await async_remove_health_data(hass, entry_id)
    _cancel_retry_check(hass, entry_id)
    _outages(hass).since.pop(entry_id, None)
    clear_entry_issues(hass, entry_id)


class AccountMonitor:
    """Finds alerts and raises or clears the repair issues of one account."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        title: str,
        options: AccountOptions,
        fields: frozenset[str],
        tracker_url: str,
        last_poll_failed: Callable[[], bool],
        health: AccountHealth,
    ) -> None:
        """Prepare the monitor; ``async_start`` loads the stored snapshot."""
        self._hass = hass
        self._entry_id = entry_id
        self._title = title
        self._tracker_url = tracker_url
        self._last_poll_failed = last_poll_failed
        self._ratio_drop = options.ratio_drop
        self._stale_minutes = options.stale_minutes
        self._store = _snapshot_store(hass, entry_id)
        self._snapshot: AlertSnapshot | None = None
        self._health = health
        self._event_types = frozenset(offered_event_types(fields | health.capabilities))
        self._since = _outages(hass).since
        self._since.setdefault(entry_id, dt_util.utcnow())

    async def async_start(self) -> CALLBACK_TYPE:
        """Load the last good snapshot and start the stale check.

        Returns the callback that stops the check (for ``async_on_unload``).
        """
        stored = await self._store.async_load()
        if isinstance(stored, dict):
            self._snapshot = AlertSnapshot.from_dict(stored)
        await self._health.async_start()
        _cancel_retry_check(self._hass, self._entry_id)
        return async_track_time_interval(
            self._hass,
            self._async_check_stale,
            STALE_CHECK_INTERVAL,
            name=f"{DOMAIN} stale check {self._title}",
            cancel_on_shutdown=True,
        )

    async def async_good_poll(
        self, stats: TrackerStats, now: datetime, report: HealthReport
    ) -> list[Alert]:
        """Compare a good poll with the previous one, update the issues, return the alerts."""
        self._since[self._entry_id] = now
        current = AlertSnapshot.from_stats(
            stats,
            health=report.health,
            forecast=report.forecast,
            forecast_days=self._health.settings.forecast_days,
        )
        previous = self._snapshot
        alerts: list[Alert] = []
        if previous is None:
            # A new entry (or one whose snapshot was lost): nothing to compare.
            updated = current
        else:
            alerts = [
                alert
                for alert in find_alerts(
                    previous,
                    current,
                    ratio_drop=self._ratio_drop,
                    bonus_cap=self._health.bonus_cap,
                )
                if alert.event_type in self._event_types
            ]
            updated = previous.updated_by(current)
        if updated != previous:
            self._snapshot = updated
            await self._store.async_save(updated.as_dict())
        clear_issue(self._hass, TRACKER_UNREACHABLE, self._entry_id)
        if stats.warned:
            raise_account_warned(
                self._hass,
                self._entry_id,
                title=self._title,
                tracker_url=self._tracker_url,
            )
        elif stats.warned is False:
            clear_issue(self._hass, ACCOUNT_WARNED, self._entry_id)
        # Unknown (a profile call that failed) leaves the issue as it is.
        return alerts

    @callback
    def watch_while_retrying(self) -> None:
        """Keep checking while setup retries: no monitor runs until it loads.

        One timer, at the moment the outage reaches ``stale_minutes``; the
        next setup attempt that loads cancels it.
        """
        _cancel_retry_check(self._hass, self._entry_id)
        due = self._since[self._entry_id] + timedelta(minutes=self._stale_minutes)
        delay = max((due - dt_util.utcnow()).total_seconds(), 0.0)
        hass, entry_id = self._hass, self._entry_id

        @callback
        def check(_now: datetime) -> None:
            _outages(hass).retry_checks.pop(entry_id, None)
            entry = hass.config_entries.async_get_entry(entry_id)
            if entry is not None and entry.state in _SETTING_UP:
                self._raise_unreachable()

        _outages(hass).retry_checks[entry_id] = async_call_later(
            hass, delay, HassJob(check, cancel_on_shutdown=True)
        )

    @callback
    def _async_check_stale(self, now: datetime) -> None:
        """Raise tracker_unreachable once polls have failed for too long."""
        # A user who switched polling off polls rarely, not unsuccessfully.
        if not self._last_poll_failed():
            return
        if now - self._since[self._entry_id] >= timedelta(minutes=self._stale_minutes):
            self._raise_unreachable()

    def _raise_unreachable(self) -> None:
        raise_tracker_unreachable(
            self._hass,
            self._entry_id,
            title=self._title,
            minutes=self._stale_minutes,
        )
