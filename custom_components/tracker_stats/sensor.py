"""Sensors: one per statistic of the tracker account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

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

from .api import TrackerStats
from .const import CONF_PLATFORM, TrackerPlatform
from .coordinator import TrackerStatsConfigEntry
from .entity import TrackerStatsEntity

PARALLEL_UPDATES = 0

BOTH_PLATFORMS = frozenset(TrackerPlatform)
UNIT_TORRENTS = "torrents"


@dataclass(frozen=True, kw_only=True)
class TrackerStatsSensorEntityDescription(SensorEntityDescription):
    """How one sensor reads its value from TrackerStats."""

    value_fn: Callable[[TrackerStats], StateType | datetime]
    platforms: frozenset[TrackerPlatform] = BOTH_PLATFORMS


def download_headroom(stats: TrackerStats) -> int | None:
    """Return how much can be downloaded before falling below the required ratio."""
    uploaded, downloaded = stats.uploaded_bytes, stats.downloaded_bytes
    required = stats.required_ratio
    if uploaded is None or downloaded is None or required is None or required <= 0:
        return None
    # Float division would drop bytes past 2**53; str() gives back the decimal
    # the tracker sent (0.6, not 0.59999…), so the fraction is exact.
    allowed = Fraction(uploaded) // Fraction(str(required))
    return max(allowed - downloaded, 0)


def _data_size(
    key: str,
    value_fn: Callable[[TrackerStats], int | None],
    state_class: SensorStateClass,
) -> TrackerStatsSensorEntityDescription:
    return TrackerStatsSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.DATA_SIZE,
        native_unit_of_measurement=UnitOfInformation.BYTES,
        suggested_unit_of_measurement=UnitOfInformation.GIBIBYTES,
        suggested_display_precision=2,
        state_class=state_class,
        value_fn=value_fn,
    )


SENSORS: tuple[TrackerStatsSensorEntityDescription, ...] = (
    _data_size(
        "uploaded", lambda s: s.uploaded_bytes, SensorStateClass.TOTAL_INCREASING
    ),
    _data_size(
        "downloaded", lambda s: s.downloaded_bytes, SensorStateClass.TOTAL_INCREASING
    ),
    TrackerStatsSensorEntityDescription(
        key="ratio",
        translation_key="ratio",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda s: s.ratio,
    ),
    _data_size("buffer", lambda s: s.buffer_bytes, SensorStateClass.MEASUREMENT),
    _data_size("download_headroom", download_headroom, SensorStateClass.MEASUREMENT),
    TrackerStatsSensorEntityDescription(
        key="seeding",
        translation_key="seeding",
        native_unit_of_measurement=UNIT_TORRENTS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.seeding_count,
    ),
    TrackerStatsSensorEntityDescription(
        key="leeching",
        translation_key="leeching",
        native_unit_of_measurement=UNIT_TORRENTS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.leeching_count,
    ),
    TrackerStatsSensorEntityDescription(
        key="bonus_points",
        translation_key="bonus_points",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.seedbonus,
    ),
    TrackerStatsSensorEntityDescription(
        key="hit_and_runs",
        translation_key="hit_and_runs",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.hit_and_runs,
        platforms=frozenset({TrackerPlatform.GGN}),
    ),
    TrackerStatsSensorEntityDescription(
        key="required_ratio",
        translation_key="required_ratio",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        value_fn=lambda s: s.required_ratio,
    ),
    TrackerStatsSensorEntityDescription(
        key="freeleech_tokens",
        translation_key="freeleech_tokens",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.freeleech_tokens,
        platforms=frozenset({TrackerPlatform.GAZELLE}),
    ),
    TrackerStatsSensorEntityDescription(
        key="share_score",
        translation_key="share_score",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda s: s.share_score,
        platforms=frozenset({TrackerPlatform.GGN}),
    ),
    TrackerStatsSensorEntityDescription(
        key="user_class",
        translation_key="user_class",
        value_fn=lambda s: s.group,
    ),
    TrackerStatsSensorEntityDescription(
        key="username",
        translation_key="username",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.username,
    ),
    TrackerStatsSensorEntityDescription(
        key="joined",
        translation_key="joined",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda s: s.joined_date,
    ),
    TrackerStatsSensorEntityDescription(
        key="last_access",
        translation_key="last_access",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda s: s.last_access_date,
    ),
    TrackerStatsSensorEntityDescription(
        key="remote_user_id",
        translation_key="remote_user_id",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda s: s.remote_user_id,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TrackerStatsConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the sensors that exist on the account's platform."""
    platform = TrackerPlatform(entry.data[CONF_PLATFORM])
    async_add_entities(
        TrackerStatsSensor(entry.runtime_data, description)
        for description in SENSORS
        if platform in description.platforms
    )


class TrackerStatsSensor(TrackerStatsEntity, SensorEntity):
    """One statistic of a tracker account."""

    entity_description: TrackerStatsSensorEntityDescription

    @property
    def native_value(self) -> StateType | datetime:
        """Return the statistic from the latest poll."""
        return self.entity_description.value_fn(self.coordinator.data)
