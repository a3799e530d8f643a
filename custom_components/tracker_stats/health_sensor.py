"""Sensors of the site rules and of the account's health.

The rule sensors show what MyAnonamouse and GazelleGames send; the health
sensors show what the coordinator judged of the latest good poll.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import Platform, UnitOfTime
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.typing import StateType

from .const import DOMAIN
from .coordinator import TrackerStatsCoordinator, TrackerStatsData
from .entity import TrackerStatsEntity, platform_fills
from .health import Reason, Verdict

# The unit of the torrent counts, as the other sensors show them.
UNIT_TORRENTS = "torrents"
FORECAST_FIELDS = frozenset({"uploaded_bytes", "downloaded_bytes", "required_ratio"})


@dataclass(frozen=True, kw_only=True)
class HealthSensorEntityDescription(SensorEntityDescription):
    """How one sensor reads its value from a good poll's data."""

    value_fn: Callable[[TrackerStatsData], StateType | datetime]
    # The fields the value needs (with the required ratio option counted).
    needs: frozenset[str] = frozenset()
    # A verdict: exists only where at least one health rule can be judged.
    judges: bool = False


def _health(data: TrackerStatsData) -> str | None:
    health = data.health.health
    return None if health is None else health.verdict.value


def _reason(data: TrackerStatsData) -> str | None:
    health = data.health.health
    return None if health is None else health.reason.value


def _forecast(data: TrackerStatsData) -> float | None:
    forecast = data.health.forecast
    return None if forecast is None else forecast.days


def _rule(
    key: str,
    field: str,
    *,
    unit: str | None = None,
    device_class: SensorDeviceClass | None = None,
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT,
    enabled: bool = True,
) -> HealthSensorEntityDescription:
    """Return the sensor of a rule the tracker sends (a statistics field)."""
    return HealthSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=device_class,
        native_unit_of_measurement=unit,
        state_class=state_class,
        entity_registry_enabled_default=enabled,
        value_fn=lambda data: getattr(data.stats, field),
        needs=frozenset({field}),
    )


HEALTH_SENSORS: tuple[HealthSensorEntityDescription, ...] = (
    _rule("unsatisfied", "unsatisfied_count", unit=UNIT_TORRENTS),
    _rule("unsatisfied_limit", "unsatisfied_limit", unit=UNIT_TORRENTS),
    _rule(
        "vip_until",
        "vip_until",
        device_class=SensorDeviceClass.TIMESTAMP,
        state_class=None,
        enabled=False,
    ),
    _rule("next_class", "next_class", state_class=None, enabled=False),
    _rule("next_class_points", "next_class_points", enabled=False),
    HealthSensorEntityDescription(
        key="ratio_forecast",
        translation_key="ratio_forecast",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        suggested_display_precision=1,
        value_fn=_forecast,
        needs=FORECAST_FIELDS,
    ),
    HealthSensorEntityDescription(
        key="health",
        translation_key="health",
        device_class=SensorDeviceClass.ENUM,
        options=[verdict.value for verdict in Verdict],
        value_fn=_health,
        judges=True,
    ),
    HealthSensorEntityDescription(
        key="health_reason",
        translation_key="health_reason",
        device_class=SensorDeviceClass.ENUM,
        options=[reason.value for reason in Reason],
        value_fn=_reason,
        judges=True,
    ),
)


# Entities that exist only while an option gives the account a rule or a
# required ratio: (platform, key, the fields they need).
_OPTION_ENTITIES: tuple[tuple[Platform, str, frozenset[str]], ...] = (
    (Platform.SENSOR, "download_headroom", FORECAST_FIELDS),
    (Platform.SENSOR, "required_ratio", frozenset({"required_ratio"})),
    (
        Platform.BINARY_SENSOR,
        "below_required_ratio",
        frozenset({"ratio", "required_ratio"}),
    ),
)


def _remove_unfilled(coordinator: TrackerStatsCoordinator, kept: set[str]) -> None:
    """Remove the entities an option no longer gives the account.

    Without this they would stay as "no longer provided" after the user
    empties the option.
    """
    registry = er.async_get(coordinator.hass)
    account = coordinator.config_entry.unique_id
    dropped = [
        (Platform.SENSOR, description.key)
        for description in HEALTH_SENSORS
        if description.key not in kept
    ] + [
        (platform, key)
        for platform, key, needs in _OPTION_ENTITIES
        if not platform_fills(coordinator, needs)
    ]
    for platform, key in dropped:
        if entity_id := registry.async_get_entity_id(
            platform, DOMAIN, f"{account}_{key}"
        ):
            registry.async_remove(entity_id)


def health_sensors(coordinator: TrackerStatsCoordinator) -> list[SensorEntity]:
    """Return the rule and health sensors the account can fill."""
    sensors: list[SensorEntity] = []
    for description in HEALTH_SENSORS:
        if not platform_fills(coordinator, description.needs):
            continue
        if description.judges:
            if coordinator.health.rules:
                sensors.append(TrackerStatsVerdictSensor(coordinator, description))
        else:
            sensors.append(TrackerStatsHealthSensor(coordinator, description))
    kept = {sensor.entity_description.key for sensor in sensors}
    _remove_unfilled(coordinator, kept)
    return sensors


class TrackerStatsHealthSensor(TrackerStatsEntity, SensorEntity):
    """A site rule's value, or the ratio forecast, of the latest good poll."""

    entity_description: HealthSensorEntityDescription

    @property
    def native_value(self) -> StateType | datetime:
        """Return the value from the latest good poll."""
        return self.entity_description.value_fn(self.coordinator.data)


class TrackerStatsVerdictSensor(TrackerStatsEntity, RestoreSensor):
    """The verdict (or its reason) of the latest good poll.

    It keeps the last verdict through a failed poll and a restart: an outage
    of the tracker is no change of the account, and a guard automation must
    see only real changes.
    """

    entity_description: HealthSensorEntityDescription
    _restored: str | None = None

    async def async_added_to_hass(self) -> None:
        """Take the last verdict back until the first poll answers."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        options = self.entity_description.options or []
        if last is not None and isinstance(value := last.native_value, str):
            self._restored = value if value in options else None

    @property
    def available(self) -> bool:
        """Return whether there is a verdict to show, fresh or restored."""
        # None until the first good poll, whatever the coordinator's type says.
        data: TrackerStatsData | None = self.coordinator.data
        return data is not None or self._restored is not None

    @property
    def native_value(self) -> StateType | datetime:
        """Return the latest good poll's verdict, else the restored one."""
        data: TrackerStatsData | None = self.coordinator.data
        if data is None:
            return self._restored
        return self.entity_description.value_fn(data)
