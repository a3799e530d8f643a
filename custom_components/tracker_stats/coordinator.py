"""Fetching one tracker account's statistics on a schedule."""

from __future__ import annotations

import logging
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_URL, MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    TrackerAuthError,
    TrackerError,
    TrackerRateLimitError,
    TrackerStats,
)
from .client import create_client
from .const import (
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
    TRACKER_PRESETS,
    UPDATE_INTERVAL,
    TrackerPlatform,
    tracker_name,
)

_LOGGER = logging.getLogger(__name__)

# Without a Retry-After, wait this long before asking a rate-limiting tracker again.
DEFAULT_RATE_LIMIT_BACKOFF = 60.0
# A tracker asking for more than this is misconfigured; don't go silent for days.
MAX_RATE_LIMIT_BACKOFF = 6 * 3600.0
# UpdateFailed(retry_after=...) reschedules the next poll, from HA 2025.12 on.
_UPDATE_FAILED_HAS_RETRY_AFTER = (MAJOR_VERSION, MINOR_VERSION) >= (2025, 12)

type TrackerStatsConfigEntry = ConfigEntry[TrackerStatsCoordinator]


def enrich_option(entry: ConfigEntry) -> bool:
    """Return whether the entry's Gazelle enrichment call is on."""
    preset = TRACKER_PRESETS[entry.data[CONF_TRACKER]]
    return bool(entry.options.get(CONF_ENRICH, preset.enrich))


class TrackerStatsCoordinator(DataUpdateCoordinator[TrackerStats]):
    """Polls one tracker account every 30 minutes."""

    config_entry: TrackerStatsConfigEntry

    def __init__(self, hass: HomeAssistant, entry: TrackerStatsConfigEntry) -> None:
        """Build the client the entry describes."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=UPDATE_INTERVAL,
        )
        self.enrich = enrich_option(entry)
        self.client = create_client(hass, entry.data, enrich=self.enrich)
        # One device per account; its entities share this instead of ~19 copies.
        self.device_info = DeviceInfo(
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=entry.title,
            manufacturer=tracker_name(entry.data),
            model=TrackerPlatform(entry.data[CONF_PLATFORM]).model,
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=entry.data[CONF_URL],
        )
        self._not_before = 0.0

    async def _async_update_data(self) -> TrackerStats:
        """Fetch the statistics, turning library errors into HA's."""
        if (wait := self._not_before - time.monotonic()) > 0:
            # Manual refreshes must not hammer a tracker that asked for quiet.
            raise self._rate_limited(wait)
        try:
            stats = await self.client.async_get_stats(
                remote_user_id=self.config_entry.data.get(CONF_REMOTE_USER_ID)
            )
        except TrackerAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except TrackerRateLimitError as err:
            wait = min(
                err.retry_after or DEFAULT_RATE_LIMIT_BACKOFF, MAX_RATE_LIMIT_BACKOFF
            )
            self._not_before = time.monotonic() + wait
            raise self._rate_limited(wait) from err
        except TrackerError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self._remember_user_id(stats)
        return stats

    def _rate_limited(self, wait: float) -> UpdateFailed:
        kwargs: dict[str, Any] = {}
        if _UPDATE_FAILED_HAS_RETRY_AFTER:
            kwargs["retry_after"] = wait
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": str(round(wait))},
            **kwargs,
        )

    def _remember_user_id(self, stats: TrackerStats) -> None:
        """Store the id so GGn's quick_user never runs again, even after restarts."""
        entry = self.config_entry
        if stats.remote_user_id is None:
            return
        if entry.data.get(CONF_REMOTE_USER_ID) != stats.remote_user_id:
            self.hass.config_entries.async_update_entry(
                entry, data={**entry.data, CONF_REMOTE_USER_ID: stats.remote_user_id}
            )
