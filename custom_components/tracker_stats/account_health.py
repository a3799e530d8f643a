"""One account's health between polls: its hourly history, forecast and verdict.

The coordinator hands every good poll to ``AccountHealth.async_good_poll``,
which samples the byte counts into the history (kept in the entry's own
``Store``, written at most once an hour), forecasts the ratio from it and
judges the account. Nothing here asks the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .alerts import BONUS_CAPS, CAN_BE_AT_RISK, CAN_BE_IN_DANGER, HAS_BONUS_CAP
from .api import TrackerStats
from .const import CONF_PLATFORM, DOMAIN
from .forecast import Forecast, History, ratio_forecast
from .health import (
    RULES,
    Health,
    Verdict,
    effective_fields,
    judge,
    judged_rules,
    with_required_ratio,
)
from .health_options import health_settings, required_ratio_option

HISTORY_STORAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class HealthReport:
    """What one good poll says of the account's health (None: unknown)."""

    health: Health | None = None
    forecast: Forecast | None = None


def _history_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, HISTORY_STORAGE_VERSION, f"{DOMAIN}.{entry_id}.history")


async def async_remove_health_data(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed entry's history."""
    await _history_store(hass, entry_id).async_remove()


class AccountHealth:
    """Keeps one account's history and judges each of its good polls."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, *, fields: frozenset[str]
    ) -> None:
        """Read the entry's health options; ``async_start`` loads the history."""
        self.required_ratio = required_ratio_option(entry)
        self.settings = health_settings(entry)
        # What the account fills once the required ratio option counts.
        self.fields = effective_fields(fields, self.required_ratio)
        self.rules = judged_rules(self.fields, self.settings)
        self.bonus_cap = BONUS_CAPS.get(entry.data[CONF_PLATFORM])
        self._store = _history_store(hass, entry.entry_id)
        self._history = History()

    @property
    def capabilities(self) -> frozenset[str]:
        """Return what the account can alert on beyond its fields."""
        verdicts = {RULES[reason].verdict for reason in self.rules}
        return frozenset(
            capability
            for capability, present in (
                (CAN_BE_AT_RISK, Verdict.AT_RISK in verdicts),
                (CAN_BE_IN_DANGER, Verdict.IN_DANGER in verdicts),
                (HAS_BONUS_CAP, self.bonus_cap is not None),
            )
            if present
        )

    @property
    def forecasts(self) -> bool:
        """Return whether the account can ever have a ratio forecast."""
        return {"uploaded_bytes", "downloaded_bytes", "required_ratio"} <= self.fields

    def effective(self, stats: TrackerStats) -> TrackerStats:
        """Return the poll's stats with the user's required ratio, if set."""
        return with_required_ratio(stats, self.required_ratio)

    async def async_start(self) -> None:
        """Load the history a restart left."""
        self._history = History.from_dict(await self._store.async_load())

    async def async_good_poll(self, stats: TrackerStats, now: datetime) -> HealthReport:
        """Sample, forecast and judge a good poll (``stats`` already effective)."""
        forecast: Forecast | None = None
        if self.forecasts:
            at = int(now.timestamp())
            uploaded, downloaded = stats.uploaded_bytes, stats.downloaded_bytes
            if (
                uploaded is not None
                and downloaded is not None
                and self._history.add(at, uploaded, downloaded)
            ):
                await self._store.async_save(self._history.as_dict())
            forecast = ratio_forecast(
                self._history,
                now=at,
                uploaded=uploaded,
                downloaded=downloaded,
                required_ratio=stats.required_ratio,
            )
        health = judge(
            stats,
            rules=self.rules,
            settings=self.settings,
            forecast=forecast,
            now=now,
        )
        return HealthReport(health, forecast)
