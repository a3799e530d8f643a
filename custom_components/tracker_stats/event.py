"""The alert event entity: one per account, firing on changes between good polls."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .alerts import offered_event_types
from .coordinator import (
    TrackerStatsConfigEntry,
    TrackerStatsCoordinator,
    TrackerStatsData,
)
from .entity import TrackerStatsEntity

PARALLEL_UPDATES = 0

ALERT = EventEntityDescription(key="alert", translation_key="alert")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's alert entity."""
    async_add_entities([TrackerStatsAlertEvent(entry.runtime_data, ALERT)])


class TrackerStatsAlertEvent(TrackerStatsEntity, EventEntity):
    """Fires ratio_dropped, warned, … with the previous and current values."""

    def __init__(
        self, coordinator: TrackerStatsCoordinator, description: EventEntityDescription
    ) -> None:
        """Offer only the event types the account's platform can produce."""
        super().__init__(coordinator, description)
        self._attr_event_types = offered_event_types(coordinator.fields)
        # The poll whose alerts were fired: a failed poll hands the listeners
        # the same data again, and it must not fire twice.
        self._fired: TrackerStatsData | None = None

    async def async_added_to_hass(self) -> None:
        """Fire what the first poll found (it ran before this entity existed)."""
        await super().async_added_to_hass()
        self._fire_alerts()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire the alerts of a new good poll, one state write per alert."""
        self._fire_alerts()
        super()._handle_coordinator_update()

    @callback
    def _fire_alerts(self) -> None:
        data = self.coordinator.data
        if data is None or data is self._fired:
            return
        self._fired = data
        for alert in data.alerts:
            self._trigger_event(
                alert.event_type,
                {"previous": alert.previous, "current": alert.current},
            )
            self.async_write_ha_state()
