"""Sensors: one per statistic of the tracker account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
import math
from operator import attrgetter

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfInformation
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import TrackerStats, download_headroom
from .coordinator import TrackerStatsConfigEntry
from .entity import TrackerStatsEntity, platform_fills
from .health_sensor import health_sensors

PARALLEL_UPDATES = 0
# The unit of the torrent counts; long-term statistics are kept in it.
UNIT_TORRENTS = "torrents"
RATIO_DECIMALS = 2
# A data size this large when the sensor is first registered shows in TiB.
TIB = 1024**4
MEASUREMENT = SensorStateClass.MEASUREMENT
TIMESTAMP = SensorDeviceClass.TIMESTAMP


@dataclass(frozen=True, kw_only=True)
class TrackerStatsSensorEntityDescription(SensorEntityDescription):
    """How one sensor reads its value from TrackerStats."""

    value_fn: Callable[[TrackerStats], StateType | datetime]
    # The TrackerStats fields the value needs; no entity where the platform
    # cannot fill them.
    needs: frozenset[str]


def floor_ratio(ratio: float | None) -> float | None:
    """Return the ratio cut (not rounded) to two decimals, as trackers show it.

    Rounding would show 0.997 as 1.00 and hide that it is below 1.
    """
    if ratio is None:
        return None
    # round() first: 0.29 * 100 is 28.999999999999996 in floating point.
    return math.floor(round(ratio * 100, 6)) / 100


def whole_if_integral(value: float | None) -> float | int | None:
    """Return 12500 for 12500.0, so points read as a count."""
    if value is not None and value.is_integer():
        return int(value)
    return value


def _stat(
    key: str,
    field: str,
    *,
    value_fn: Callable[[TrackerStats], StateType | datetime] | None = None,
    needs: frozenset[str] | None = None,
    enabled: bool = True,
    state_class: SensorStateClass | None = None,
    unit: str | None = None,
    precision: int | None = None,
    device_class: SensorDeviceClass | None = None,
    category: EntityCategory | None = None,
) -> TrackerStatsSensorEntityDescription:
    """Return the sensor of ``field`` (by default its value as it is)."""
    return TrackerStatsSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=device_class,
        native_unit_of_measurement=unit,
        suggested_display_precision=precision,
        state_class=state_class,
        entity_category=category,
        entity_registry_enabled_default=enabled,
        value_fn=value_fn or attrgetter(field),
        needs=needs or frozenset({field}),
    )


def _data_size(
    key: str,
    field: str,
    state_class: SensorStateClass,
    *,
    value_fn: Callable[[TrackerStats], int | None] | None = None,
    needs: frozenset[str] | None = None,
    enabled: bool = True,
) -> TrackerStatsSensorEntityDescription:
    return replace(
        _stat(
            key,
            field,
            value_fn=value_fn,
            needs=needs,
            enabled=enabled,
            state_class=state_class,
            unit=UnitOfInformation.BYTES,
            precision=2,
            device_class=SensorDeviceClass.DATA_SIZE,
        ),
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
    )


SENSORS: tuple[TrackerStatsSensorEntityDescription, ...] = (
    _data_size("uploaded", "uploaded_bytes", SensorStateClass.TOTAL_INCREASING),
    _data_size("downloaded", "downloaded_bytes", SensorStateClass.TOTAL_INCREASING),
    # Cut to two decimals, so showing two never rounds.
    _stat(
        "ratio",
        "ratio",
        value_fn=lambda s: floor_ratio(s.ratio),
        state_class=SensorStateClass.MEASUREMENT,
        precision=RATIO_DECIMALS,
    ),
    _data_size("buffer", "buffer_bytes", SensorStateClass.MEASUREMENT),
    _data_size(
        "download_headroom",
        "uploaded_bytes",
        SensorStateClass.MEASUREMENT,
        value_fn=download_headroom,
        needs=frozenset({"uploaded_bytes", "downloaded_bytes", "required_ratio"}),
    ),
    _stat("seeding", "seeding_count", state_class=MEASUREMENT, unit=UNIT_TORRENTS),
    _stat("leeching", "leeching_count", state_class=MEASUREMENT, unit=UNIT_TORRENTS),
    # BTN and MAM send fractions nobody reads ("48,210.375").
    _stat(
        "bonus_points",
        "bonus_points",
        value_fn=lambda s: whole_if_integral(s.bonus_points),
        state_class=MEASUREMENT,
        precision=0,
    ),
    _stat("hit_and_runs", "hit_and_runs", state_class=MEASUREMENT),
    _stat("unread_messages", "unread_messages", state_class=MEASUREMENT),
    _stat(
        "required_ratio",
        "required_ratio",
        enabled=False,
        state_class=MEASUREMENT,
        precision=RATIO_DECIMALS,
    ),
    _stat(
        "freeleech_tokens", "freeleech_tokens", enabled=False, state_class=MEASUREMENT
    ),
    _stat("share_score", "share_score", enabled=False, state_class=MEASUREMENT),
    _stat(
        "bonus_points_per_hour",
        "bonus_points_per_hour",
        value_fn=lambda s: whole_if_integral(s.bonus_points_per_hour),
        enabled=False,
        state_class=MEASUREMENT,
    ),
    _stat(
        "snatched",
        "snatched_count",
        enabled=False,
        state_class=SensorStateClass.TOTAL,
        unit=UNIT_TORRENTS,
    ),
    _data_size(
        "seed_size", "seed_size_bytes", SensorStateClass.MEASUREMENT, enabled=False
    ),
    _stat("user_class", "group", enabled=False),
    _stat("username", "username", enabled=False, category=EntityCategory.DIAGNOSTIC),
    _stat("joined", "joined_date", enabled=False, device_class=TIMESTAMP),
    _stat("last_access", "last_access_date", enabled=False, device_class=TIMESTAMP),
    _stat(
        "remote_user_id",
        "remote_user_id",
        enabled=False,
        category=EntityCategory.DIAGNOSTIC,
    ),
)

# Every platform has it: the time comes from the coordinator, not the tracker.
LAST_UPDATE = SensorEntityDescription(
    key="last_update",
    translation_key="last_update",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
    entity_registry_enabled_default=False,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the sensors the account's platform can fill."""
    coordinator = entry.runtime_data
    sensors: list[SensorEntity] = [
        TrackerStatsSensor(coordinator, description)
        for description in SENSORS
        if platform_fills(coordinator, description.needs)
    ]
    sensors.append(TrackerStatsLastUpdateSensor(coordinator, LAST_UPDATE))
    async_add_entities([*sensors, *health_sensors(coordinator)])


class TrackerStatsSensor(TrackerStatsEntity, SensorEntity):
    """One statistic of a tracker account."""

    entity_description: TrackerStatsSensorEntityDescription

    @property
    def native_value(self) -> StateType | datetime:
        """Return the statistic from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data.stats)

    @property
    def suggested_unit_of_measurement(self) -> str | None:
        """Return TiB for a data size of a TiB or more, else the description's.

        Home Assistant keeps the unit it registered a sensor with, and scales the
        display precision when this differs: once registered, the registered unit.
        """
        suggested = super().suggested_unit_of_measurement
        if self.device_class is not SensorDeviceClass.DATA_SIZE:
            return suggested
        if (registered := self.registry_entry) is not None:
            private = registered.options.get("sensor.private")
            return (
                private.get("suggested_unit_of_measurement") if private else suggested
            )
        if self.coordinator.data is not None and (
            isinstance(value := self.native_value, int) and value >= TIB
        ):
            return UnitOfInformation.TEBIBYTES
        return suggested


class TrackerStatsLastUpdateSensor(TrackerStatsEntity, SensorEntity):
    """When the account was last polled successfully."""

    @property
    def available(self) -> bool:
        """Stay available in an outage: that is when the time matters most.

        A failed poll keeps the data of the last good one.
        """
        return self.coordinator.data is not None

    @property
    def native_value(self) -> datetime | None:
        """Return the time of the last good poll."""
        return self.coordinator.data.last_good_poll
