"""Config entry migration: version 1 (first release) to version 2 (platforms)."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant

from .api import TrackerPlatform
from .const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    TRACKER_PRESETS,
)

_LOGGER = logging.getLogger(__name__)

CONFIG_ENTRY_VERSION = 2
# Version-1 presets that pointed the Gazelle client at a site with its own API.
_MOVED_TO_OWN_PLATFORM = ("broadcasthenet", "animebytes")
_INT64_LIMIT = 2**63


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Move a version-1 entry to its real platform; keep key and unique_id."""
    if entry.version > CONFIG_ENTRY_VERSION:
        # A downgrade: this code cannot read what a newer release wrote.
        return False
    if entry.version == 1:
        hass.config_entries.async_update_entry(
            entry, data=migrate_v1_data(dict(entry.data)), version=2
        )
        _LOGGER.debug("Migrated entry %s to version 2", entry.entry_id)
    return True


def migrate_v1_data(data: dict[str, Any]) -> dict[str, Any]:
    """Return version-2 data for version-1 data."""
    remote_user_id = data.get(CONF_REMOTE_USER_ID)
    if not isinstance(remote_user_id, int) or not 0 < remote_user_id < _INT64_LIMIT:
        # Out of 64 bits it stops every later save of config entries.
        data.pop(CONF_REMOTE_USER_ID, None)
    tracker = data[CONF_TRACKER]
    if tracker in _MOVED_TO_OWN_PLATFORM:
        preset = TRACKER_PRESETS[tracker]
        data[CONF_PLATFORM] = preset.platform.value
        data[CONF_URL] = preset.url
        data.pop(CONF_AUTH_STYLE, None)
        data.pop(CONF_API_PATH, None)
    elif data.get(CONF_PLATFORM) not in set(TrackerPlatform):
        data[CONF_PLATFORM] = TrackerPlatform.GAZELLE.value
    return data
