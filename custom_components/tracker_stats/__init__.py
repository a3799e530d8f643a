"""Private Tracker Stats: account statistics of private BitTorrent trackers."""

from __future__ import annotations

import logging

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv, issue_registry as ir

from .const import CONF_TRACKER, DOMAIN, RETIRED_TRACKERS
from .coordinator import TrackerStatsConfigEntry, TrackerStatsCoordinator
from .migration import async_migrate_entry
from .monitor import async_remove_monitor_data

__all__ = ["async_migrate_entry"]

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> bool:
    """Set up one tracker account."""
    if entry.data[CONF_TRACKER] in RETIRED_TRACKERS:
        _raise_platform_unsupported(hass, entry)
    coordinator = TrackerStatsCoordinator(hass, entry)
    entry.async_on_unload(await coordinator.monitor.async_start())
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> bool:
    """Unload a tracker account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> None:
    """Drop the entry's repair issues and stored snapshot with it."""
    ir.async_delete_issue(hass, DOMAIN, _platform_unsupported_id(entry))
    await async_remove_monitor_data(hass, entry.entry_id)


async def _async_entry_updated(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> None:
    """Reload when the options changed.

    The listener also fires when the coordinator stores a rotated secret in
    entry.data; that must not reload the entry.
    """
    if dict(entry.options) != entry.runtime_data.options:
        await hass.config_entries.async_reload(entry.entry_id)


def _platform_unsupported_id(entry: TrackerStatsConfigEntry) -> str:
    return f"platform_unsupported_{entry.entry_id}"


def _raise_platform_unsupported(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> None:
    """Fail setup of an account whose tracker has no statistics API."""
    tracker = RETIRED_TRACKERS[entry.data[CONF_TRACKER]]
    placeholders = {"tracker": tracker, "title": entry.title}
    ir.async_create_issue(
        hass,
        DOMAIN,
        _platform_unsupported_id(entry),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="platform_unsupported",
        translation_placeholders=placeholders,
    )
    raise ConfigEntryError(
        translation_domain=DOMAIN,
        translation_key="platform_unsupported",
        translation_placeholders=placeholders,
    )
