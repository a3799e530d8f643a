"""Diagnostics: what a user can paste into a public issue without leaking."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from yarl import URL

from .coordinator import TrackerStatsConfigEntry

# The title is "<tracker> (<username>)", so it goes with the username.
TO_REDACT = {CONF_API_KEY, "username", "title"}


def _without_query(url: Any) -> Any:
    """Drop query strings: some trackers put keys or passkeys there."""
    if not isinstance(url, str) or not url:
        return url
    return str(URL(url).with_query(None).with_fragment(None))


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> dict[str, Any]:
    """Return the entry and the latest statistics, secrets redacted."""
    coordinator = entry.runtime_data
    # runtime_data is only set after a successful first refresh, so data is there.
    stats = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in dataclasses.asdict(coordinator.data).items()
    }
    stats["avatar_url"] = _without_query(stats["avatar_url"])
    return async_redact_data(
        {
            "title": entry.title,
            "data": {**entry.data, CONF_URL: _without_query(entry.data.get(CONF_URL))},
            "options": dict(entry.options),
            "last_update_success": coordinator.last_update_success,
            "stats": stats,
        },
        TO_REDACT,
    )
