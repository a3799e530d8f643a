"""Binary sensors: problems on the tracker account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .api import TrackerStats, below_required_ratio
from .coordinator import TrackerStatsConfigEntry
from .entity import TrackerStatsEntity, platform_fills

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class TrackerStatsBinarySensorEntityDescription(BinarySensorEntityDescription):
    """How one binary sensor reads its value from TrackerStats."""

    is_on_fn: Callable[[TrackerStats], bool | None]
    needs: frozenset[str]


BINARY_SENSORS: tuple[TrackerStatsBinarySensorEntityDescription, ...] = (
    TrackerStatsBinarySensorEntityDescription(
        key="warned",
        translation_key="warned",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.warned,
        needs=frozenset({"warned"}),
    ),
    TrackerStatsBinarySensorEntityDescription(
        key="below_required_ratio",
        translation_key="below_required_ratio",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=below_required_ratio,
        needs=frozenset({"ratio", "required_ratio"}),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the binary sensors the account's platform can fill."""
    coordinator = entry.runtime_data
    async_add_entities(
        TrackerStatsBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
        if platform_fills(coordinator, description.needs)
    )


class TrackerStatsBinarySensor(TrackerStatsEntity, BinarySensorEntity):
    """A problem flag of a tracker account."""

    entity_description: TrackerStatsBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return the flag from the latest poll."""
        return self.entity_description.is_on_fn(self.coordinator.data.stats)
