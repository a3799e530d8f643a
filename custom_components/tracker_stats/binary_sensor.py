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

from .api import TrackerStats
from .coordinator import TrackerStatsConfigEntry
from .entity import TrackerStatsEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class TrackerStatsBinarySensorEntityDescription(BinarySensorEntityDescription):
    """How one binary sensor reads its value from TrackerStats."""

    is_on_fn: Callable[[TrackerStats], bool | None]


def below_required_ratio(stats: TrackerStats) -> bool | None:
    """Return whether the ratio is under the tracker's requirement.

    Nothing downloaded means an infinite ratio: never below.
    """
    if stats.downloaded_bytes == 0:
        return False
    if stats.ratio is None or stats.required_ratio is None:
        return None
    return stats.ratio < stats.required_ratio


BINARY_SENSORS: tuple[TrackerStatsBinarySensorEntityDescription, ...] = (
    TrackerStatsBinarySensorEntityDescription(
        key="warned",
        translation_key="warned",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda s: s.warned,
    ),
    TrackerStatsBinarySensorEntityDescription(
        key="below_required_ratio",
        translation_key="below_required_ratio",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=below_required_ratio,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the account's binary sensors."""
    async_add_entities(
        TrackerStatsBinarySensor(entry.runtime_data, description)
        for description in BINARY_SENSORS
    )


class TrackerStatsBinarySensor(TrackerStatsEntity, BinarySensorEntity):
    """A problem flag of a tracker account."""

    entity_description: TrackerStatsBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return the flag from the latest poll."""
        return self.entity_description.is_on_fn(self.coordinator.data)
