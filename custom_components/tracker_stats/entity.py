"""The base entity: one device per tracker account."""

from __future__ import annotations

from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import TrackerStatsCoordinator


class TrackerStatsEntity(CoordinatorEntity[TrackerStatsCoordinator]):
    """An entity of one tracker account's device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: TrackerStatsCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the account's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.config_entry.unique_id}_{description.key}"
        self._attr_device_info = coordinator.device_info

    @property
    def available(self) -> bool:
        """Return whether the last poll worked and there are statistics to show.

        A first poll that outlasts setup leaves the entities without data.
        """
        return super().available and self.coordinator.data is not None


def platform_fills(coordinator: TrackerStatsCoordinator, needs: frozenset[str]) -> bool:
    """Return whether the account's platform can fill every field in ``needs``."""
    return needs <= coordinator.fields
