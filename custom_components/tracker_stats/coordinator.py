"""Fetching one tracker account's statistics on a schedule."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
import logging
import math
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .account_health import AccountHealth, HealthReport
from .alerts import Alert
from .api import (
    PLATFORMS,
    TrackerAuthError,
    TrackerClient,
    TrackerError,
    TrackerPlatform,
    TrackerRateLimitError,
    TrackerStats,
)
from .const import CONF_PLATFORM, DOMAIN, UPDATE_INTERVAL, tracker_name
from .monitor import AccountMonitor
from .options import AccountOptions

_LOGGER = logging.getLogger(__name__)

# Without a Retry-After, wait this long before asking a rate-limiting tracker again.
DEFAULT_RATE_LIMIT_BACKOFF = 60.0
# A tracker asking for more than this is misconfigured; don't go silent for days.
MAX_RATE_LIMIT_BACKOFF = 6 * 3600.0
# UpdateFailed(retry_after=...) reschedules the next poll, from HA 2025.12 on.
_UPDATE_FAILED_HAS_RETRY_AFTER = (MAJOR_VERSION, MINOR_VERSION) >= (2025, 12)

type TrackerStatsConfigEntry = ConfigEntry[TrackerStatsCoordinator]


@dataclass(frozen=True, slots=True)
class TrackerStatsData:
    """What one good poll produced; a failed poll leaves the previous one in place."""

    stats: TrackerStats
    # The changes since the good poll before, for the alert event entity.
    alerts: tuple[Alert, ...]
    last_good_poll: datetime
    health: HealthReport = field(default_factory=HealthReport)


class TrackerStatsCoordinator(DataUpdateCoordinator[TrackerStatsData]):
    """Polls one tracker account every 30 minutes."""

    config_entry: TrackerStatsConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: TrackerStatsConfigEntry,
        client: TrackerClient,
        options: AccountOptions,
    ) -> None:
        """Poll ``client``, built from the entry by setup."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=UPDATE_INTERVAL,
        )
        platform = TrackerPlatform(entry.data[CONF_PLATFORM])
        self.health = AccountHealth(hass, entry, fields=PLATFORMS[platform])
        # The required ratio option gives every platform a required ratio.
        self.fields = self.health.fields
        self.client = client
        tracker_url = str(client.base_url)
        # One device per account; its entities share this instead of ~20 copies.
        manufacturer = tracker_name(entry.data)
        self.device_info = DeviceInfo(
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=entry.title,
            manufacturer=manufacturer,
            # The software the site runs; a site with its own ("AnimeBytes by
            # AnimeBytes") says nothing more with it.
            model=None
            if platform.display_name == manufacturer
            else platform.display_name,
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=tracker_url,
        )
        self._not_before = 0.0
        self.monitor = AccountMonitor(
            hass,
            entry_id=entry.entry_id,
            title=entry.title,
            options=options,
            fields=self.fields,
            health=self.health,
            tracker_url=tracker_url,
            last_poll_failed=self.last_poll_failed,
        )

    def last_poll_failed(self) -> bool:
        """Return whether the latest poll failed (the stale check asks)."""
        return not self.last_update_success

    async def _async_update_data(self) -> TrackerStatsData:
        """Fetch the statistics, turning library errors into HA's."""
        if (wait := self._not_before - time.monotonic()) > 0:
            # Manual refreshes must not hammer a tracker that asked for quiet.
            raise self._rate_limited(wait)
        # An entry background task: Home Assistant cancels it when the entry
        # unloads and when it stops, before the shared HTTP session closes
        # under the request.
        fetch = self.config_entry.async_create_background_task(
            self.hass, self.client.async_get_stats(), f"{DOMAIN} poll {self.name}"
        )
        try:
            stats = await fetch
        except asyncio.CancelledError:
            if (task := asyncio.current_task()) and task.cancelling():
                raise
            raise self._cancelled() from None
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
        finally:
            self._store_rotated_secret()
        now = dt_util.utcnow()
        stats = self.health.effective(stats)
        report = await self.health.async_good_poll(stats, now)
        alerts = await self.monitor.async_good_poll(stats, now, report)
        return TrackerStatsData(stats, tuple(alerts), now, report)

    def _cancelled(self) -> UpdateFailed:
        # Only the fetch was cancelled (unload or stop), not the refresh that
        # awaits it. Home Assistant logs an UpdateFailed only after a success,
        # so marking the poll failed first keeps this expected end quiet.
        self.last_update_success = False
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"error": "the request was cancelled"},
        )

    def _rate_limited(self, wait: float) -> UpdateFailed:
        # Whole seconds, at least one: HA schedules a retry_after below a
        # second in the past and refreshes again at once, in a storm.
        seconds = max(math.ceil(wait), 1)
        kwargs: dict[str, Any] = {}
        if _UPDATE_FAILED_HAS_RETRY_AFTER:
            kwargs["retry_after"] = float(seconds)
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": str(seconds)},
            **kwargs,
        )

    def _store_rotated_secret(self) -> None:
        """Keep a session the tracker rotated (MyAnonamouse), so a restart uses it.

        The only place a rotated secret is written; the entry's update
        listener reloads on changed options only, so this does not reload.
        """
        entry = self.config_entry
        if self.client.api_key != entry.data[CONF_API_KEY]:
            self.hass.config_entries.async_update_entry(
                entry, data={**entry.data, CONF_API_KEY: self.client.api_key}
            )
