"""The base entity: one device per tracker account."""

from __future__ import annotations

from homeassistant.const import CONF_URL
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_PLATFORM, DOMAIN, TrackerPlatform, tracker_name
from .coordinator import TrackerStatsCoordinator


class TrackerStatsEntity(CoordinatorEntity[TrackerStatsCoordinator]):
    """An entity of one tracker account's device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: TrackerStatsCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.unique_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, str(entry.unique_id))},
            name=entry.title,
            manufacturer=tracker_name(entry.data),
            model=TrackerPlatform(entry.data[CONF_PLATFORM]).model,
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=entry.data[CONF_URL],
        )
