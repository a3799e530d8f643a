"""The alert event entity: one per account, firing on changes between good polls."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import ATTR_ENTITY_ID, ATTR_RESTORED
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .alerts import offered_event_types
from .const import EVENT_ALERT
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
    """Fires ratio_dropped, warned, … with the previous and current values.

    Home Assistant's logbook lists every change of an event entity's state
    from "unavailable" to a time as "detected an event". So this entity
    stays available in an outage, and around a reload its state is dropped
    and comes back as a new one, which the logbook skips.
    """

    def __init__(
        self, coordinator: TrackerStatsCoordinator, description: EventEntityDescription
    ) -> None:
        """Offer only the event types the account's platform can produce."""
        super().__init__(coordinator, description)
        self._attr_event_types = offered_event_types(
            coordinator.fields | coordinator.health.capabilities
        )
        # The poll whose alerts were fired: a failed poll hands the listeners
        # the same data again, and it must not fire twice.
        self._fired: TrackerStatsData | None = None

    @property
    def available(self) -> bool:
        """Stay available when a poll fails: the last alert is still the last one."""
        return True

    async def async_added_to_hass(self) -> None:
        """Fire what the first poll found (it ran before this entity existed)."""
        await super().async_added_to_hass()
        if (placeholder := self.hass.states.get(self.entity_id)) and (
            placeholder.attributes.get(ATTR_RESTORED)
        ):
            # Home Assistant's "unavailable" for an entity not loaded: after
            # an unload, or at start while the entry was retrying setup.
            # Dropping it makes the restored state a new one, which the
            # logbook skips. The last event comes from the restore data.
            self.hass.states.async_remove(self.entity_id)
        self._fire_alerts()

    async def async_will_remove_from_hass(self) -> None:
        """Drop the state before Home Assistant marks it unavailable at unload.

        The restore data already holds the last event. "Unavailable" then
        comes as a new state, which the logbook skips, and so does the state
        restored after a reload (an options save, a language switch).
        """
        await super().async_will_remove_from_hass()
        self.hass.states.async_remove(self.entity_id)

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
            values = {"previous": alert.previous, "current": alert.current}
            if alert.reason is not None:
                values["reason"] = alert.reason
            self._trigger_event(alert.event_type, values)
            self.async_write_ha_state()
            self.hass.bus.async_fire(
                EVENT_ALERT,
                {ATTR_ENTITY_ID: self.entity_id, "event_type": alert.event_type}
                | values,
            )
