"""Private Tracker Stats: account statistics of private BitTorrent trackers."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .coordinator import TrackerStatsConfigEntry, TrackerStatsCoordinator, enrich_option

PLATFORMS = [Platform.BINARY_SENSOR, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> bool:
    """Set up one tracker account."""
    coordinator = TrackerStatsCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> bool:
    """Unload a tracker account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_options_updated(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> None:
    """Reload when the options changed.

    The listener also fires when the coordinator stores the remote user id in
    entry.data; that must not reload the entry.
    """
    if enrich_option(entry) != entry.runtime_data.enrich:
        await hass.config_entries.async_reload(entry.entry_id)
