"""An account's options and their defaults: what the options flow shows and the runtime reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from homeassistant.config_entries import ConfigEntry

from .const import (
    CONF_ENRICH,
    CONF_RATIO_DROP,
    CONF_STALE_MINUTES,
    CONF_TRACKER,
    TRACKER_PRESETS,
)

# The ratio fall between two polls that fires ratio_dropped; above the max
# nothing real could ever fire it.
DEFAULT_RATIO_DROP: Final = 0.1
MIN_RATIO_DROP: Final = 0.01
MAX_RATIO_DROP: Final = 10.0
# How long polling may fail before the tracker_unreachable repair issue.
DEFAULT_STALE_MINUTES: Final = 120
MAX_STALE_MINUTES: Final = 7 * 24 * 60


@dataclass(frozen=True, kw_only=True, slots=True)
class AccountOptions:
    """The options an entry runs with; an option never saved has its default."""

    # Gazelle's extra profile request (user class, share score, …).
    enrich: bool
    ratio_drop: float
    stale_minutes: int

    @classmethod
    def of(cls, entry: ConfigEntry) -> AccountOptions:
        """Return the entry's options, defaults filled in."""
        options = entry.options
        preset = TRACKER_PRESETS.get(entry.data[CONF_TRACKER])
        return cls(
            enrich=bool(options.get(CONF_ENRICH, preset.enrich if preset else False)),
            ratio_drop=float(options.get(CONF_RATIO_DROP, DEFAULT_RATIO_DROP)),
            stale_minutes=int(options.get(CONF_STALE_MINUTES, DEFAULT_STALE_MINUTES)),
        )
