"""Sensors: one per statistic of the tracker account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import math

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
# PRODUCT.md's unit of the torrent counts; long-term statistics are kept in it.
UNIT_TORRENTS = "torrents"
RATIO_DECIMALS = 2
# A data size this large when the sensor is first registered shows in TiB.
TIB = 1024**4


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


def _data_size(
    key: str,
    value_fn: Callable[[TrackerStats], int | None],
    state_class: SensorStateClass,
    needs: frozenset[str],
    *,
    enabled: bool = True,
) -> TrackerStatsSensorEntityDescription:
    return TrackerStatsSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.BYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=state_class,
        entity_registry_enabled_default=enabled,
        value_fn=value_fn,
        needs=needs,
    )


def _count(
    key: str,
    field: str,
    *,
    enabled: bool = True,
    state_class: SensorStateClass = SensorStateClass.MEASUREMENT,
    unit: str | None = None,
) -> TrackerStatsSensorEntityDescription:
    return TrackerStatsSensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=unit,
        state_class=state_class,
        entity_registry_enabled_default=enabled,
        value_fn=lambda stats: getattr(stats, field),
        needs=frozenset({field}),
    )


def _timestamp(key: str, field: str) -> TrackerStatsSensorEntityDescription:
    return TrackerStatsSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_registry_enabled_default=False,
        value_fn=lambda stats: getattr(stats, field),
        needs=frozenset({field}),
    )


SENSORS: tuple[TrackerStatsSensorEntityDescription, ...] = (
    _data_size(
        "uploaded",
        lambda s: s.uploaded_bytes,
        SensorStateClass.TOTAL_INCREASING,
        frozenset({"uploaded_bytes"}),
    ),
    _data_size(
        "downloaded",
        lambda s: s.downloaded_bytes,
        SensorStateClass.TOTAL_INCREASING,
        frozenset({"downloaded_bytes"}),
    ),
    TrackerStatsSensorEntityDescription(
        key="ratio",
        translation_key="ratio",
        state_class=SensorStateClass.MEASUREMENT,
        # Cut to two decimals, so showing two never rounds.
        suggested_display_precision=RATIO_DECIMALS,
        value_fn=lambda s: floor_ratio(s.ratio),
        needs=frozenset({"ratio"}),
    ),
    _data_size(
        "buffer",
        lambda s: s.buffer_bytes,
        SensorStateClass.MEASUREMENT,
        frozenset({"buffer_bytes"}),
    ),
    _data_size(
        "download_headroom",
        download_headroom,
        SensorStateClass.MEASUREMENT,
        frozenset({"uploaded_bytes", "downloaded_bytes", "required_ratio"}),
    ),
    _count("seeding", "seeding_count", unit=UNIT_TORRENTS),
    _count("leeching", "leeching_count", unit=UNIT_TORRENTS),
    TrackerStatsSensorEntityDescription(
        key="bonus_points",
        translation_key="bonus_points",
        state_class=SensorStateClass.MEASUREMENT,
        # BTN and MAM send fractions nobody reads ("48,210.375").
        suggested_display_precision=0,
        value_fn=lambda s: whole_if_integral(s.bonus_points),
        needs=frozenset({"bonus_points"}),
    ),
    _count("hit_and_runs", "hit_and_runs"),
    _count("unread_messages", "unread_messages"),
    TrackerStatsSensorEntityDescription(
        key="required_ratio",
        translation_key="required_ratio",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=RATIO_DECIMALS,
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.required_ratio,
        needs=frozenset({"required_ratio"}),
    ),
    _count("freeleech_tokens", "freeleech_tokens", enabled=False),
    TrackerStatsSensorEntityDescription(
        key="share_score",
        translation_key="share_score",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.share_score,
        needs=frozenset({"share_score"}),
    ),
    TrackerStatsSensorEntityDescription(
        key="bonus_points_per_hour",
        translation_key="bonus_points_per_hour",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=lambda s: whole_if_integral(s.bonus_points_per_hour),
        needs=frozenset({"bonus_points_per_hour"}),
    ),
    _count(
        "snatched",
        "snatched_count",
        enabled=False,
        state_class=SensorStateClass.TOTAL,
        unit=UNIT_TORRENTS,
    ),
    _data_size(
        "seed_size",
        lambda s: s.seed_size_bytes,
        SensorStateClass.MEASUREMENT,
        frozenset({"seed_size_bytes"}),
        enabled=False,
    ),
    TrackerStatsSensorEntityDescription(
        key="user_class",
        translation_key="user_class",
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.group,
        needs=frozenset({"group"}),
    ),
    TrackerStatsSensorEntityDescription(
        key="username",
        translation_key="username",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.username,
        needs=frozenset({"username"}),
    ),
    _timestamp("joined", "joined_date"),
    _timestamp("last_access", "last_access_date"),
    TrackerStatsSensorEntityDescription(
        key="remote_user_id",
        translation_key="remote_user_id",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.remote_user_id,
        needs=frozenset({"remote_user_id"}),
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
