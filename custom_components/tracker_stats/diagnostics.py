"""Diagnostics: what a user can paste into a public issue without leaking.

Built from an allow-list: only fields named here are shown, so a secret in
a field nobody thought of (a tracker's new passkey field, an IP in a
profile) never gets in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
import re
from typing import Any

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant

from .api import STAT_FIELDS
from .const import CONF_API_PATH, CONF_AUTH_STYLE, CONF_PLATFORM, CONF_TRACKER
from .coordinator import TrackerStatsConfigEntry

_SHOWN_DATA = (CONF_TRACKER, CONF_PLATFORM, CONF_AUTH_STYLE, CONF_API_PATH)
_HIDDEN_STATS = frozenset({"username"})
# platform_meta keeps what the tracker's profile says beyond the statistics;
# of it only numbers and flags under plain names are shown.
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,40}")
_SECRET_NAME = re.compile(
    r"pass|auth|key|token|secret|mail|ip|invite|irc", re.IGNORECASE
)
_MAX_META_DEPTH = 3


def _shown_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _numbers_and_flags(block: Any, depth: int = 0) -> Any:
    if isinstance(block, bool | int | float) or block is None:
        return block
    if isinstance(block, Decimal):
        return float(block)
    if isinstance(block, Mapping) and depth < _MAX_META_DEPTH:
        return {
            key: _numbers_and_flags(value, depth + 1)
            for key, value in block.items()
            if isinstance(key, str)
            and _PLAIN_NAME.fullmatch(key)
            and not _SECRET_NAME.search(key)
            and isinstance(value, bool | int | float | Decimal | Mapping | None)
        }
    return REDACTED


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings and the latest statistics, secrets left out."""
    coordinator = entry.runtime_data
    stats = None if coordinator.data is None else coordinator.data.stats
    return {
        "data": {key: entry.data[key] for key in _SHOWN_DATA if key in entry.data},
        "options": dict(entry.options),
        "platform_fields": sorted(coordinator.fields),
        "last_update_success": coordinator.last_update_success,
        # None while a first poll that outlasted setup is still running.
        "stats": None
        if stats is None
        else {
            name: REDACTED
            if name in _HIDDEN_STATS and getattr(stats, name) is not None
            else _shown_value(getattr(stats, name))
            for name in sorted(STAT_FIELDS)
        },
        "platform_meta": None
        if stats is None
        else _numbers_and_flags(stats.platform_meta),
    }
