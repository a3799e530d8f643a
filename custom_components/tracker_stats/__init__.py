"""Private Tracker Stats: account statistics of private BitTorrent trackers."""

from __future__ import annotations

import asyncio
import logging

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
)
from homeassistant.helpers import config_validation as cv, issue_registry as ir

from .client import client_for
from .const import CONF_TRACKER, DOMAIN, RETIRED_TRACKERS
from .coordinator import TrackerStatsConfigEntry, TrackerStatsCoordinator
from .migration import async_migrate_entry
from .monitor import async_remove_monitor_data
from .options import AccountOptions

__all__ = ["async_migrate_entry"]

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
# Setup waits this long for the first poll; a slower tracker must not hold up
# Home Assistant's start (the request timeout is 30 s per account).
FIRST_REFRESH_WAIT_SECONDS = 10.0


async def async_setup_entry(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry
) -> bool:
    """Set up one tracker account."""
    if entry.data[CONF_TRACKER] in RETIRED_TRACKERS:
        _raise_platform_unsupported(hass, entry)
    options = AccountOptions.of(entry)
    client = client_for(hass, entry.data, enrich=options.enrich)
    coordinator = TrackerStatsCoordinator(hass, entry, client, options)
    entry.async_on_unload(await coordinator.monitor.async_start())
    await _async_first_refresh(hass, entry, coordinator)
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    running_options = dict(entry.options)

    async def _async_entry_updated(
        hass: HomeAssistant, entry: TrackerStatsConfigEntry
    ) -> None:
        # The listener also fires when the coordinator stores a rotated
        # secret in entry.data; only new options reload. (OptionsFlowWithReload
        # would do this, but Home Assistant 2025.4 does not have it.)
        if dict(entry.options) != running_options:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    return True


async def _async_first_refresh(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    coordinator: TrackerStatsCoordinator,
) -> None:
    """Run the first poll; past FIRST_REFRESH_WAIT_SECONDS, set up without data.

    A tracker that answers in time behaves exactly as a plain first refresh:
    failures raise here (retry later, or reauth). A slower one keeps polling
    in the background with the normal timeout while the entities start
    unavailable; they come alive when it answers.
    """
    first = entry.async_create_background_task(
        hass,
        coordinator.async_config_entry_first_refresh(),
        f"{DOMAIN} first poll {entry.title}",
    )
    await asyncio.wait([first], timeout=FIRST_REFRESH_WAIT_SECONDS)
    if first.done():
        if isinstance(first.exception(), ConfigEntryNotReady):
            # Setup retries; tracker_unreachable must come all the same.
            coordinator.monitor.watch_while_retrying()
        first.result()
        return
    _LOGGER.debug(
        "%s has not answered within %g s; setup goes on without data",
        entry.title,
        FIRST_REFRESH_WAIT_SECONDS,
    )
    first.add_done_callback(lambda task: _first_refresh_ended(hass, entry, task))


def _first_refresh_ended(
    hass: HomeAssistant, entry: TrackerStatsConfigEntry, task: asyncio.Task[None]
) -> None:
    """Handle the end of a first poll that outlasted setup."""
    if task.cancelled() or (error := task.exception()) is None:
        return
    if isinstance(error, ConfigEntryAuthFailed):
        entry.async_start_reauth(hass)
    elif isinstance(error, ConfigEntryNotReady):
        # The regular polls go on; the entities stay unavailable meanwhile.
        _LOGGER.warning("Cannot fetch %s data yet: %s", entry.title, error.__cause__)
    else:
        _LOGGER.error("Setting up %s failed: %s", entry.title, error)


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
