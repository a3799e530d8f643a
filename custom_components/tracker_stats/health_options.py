"""The account health options: how an entry's are read, and their part of the form.

Each option may be left empty, and an empty one is not stored: the required
ratio is then the tracker's, the limits are not judged, and the forecast
warns at 7 days. A stored value out of range (an edited file) counts as empty.
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import UnitOfInformation, UnitOfTime
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .const import (
    CONF_FORECAST_DAYS,
    CONF_HEADROOM_MIN,
    CONF_HIT_AND_RUN_LIMIT,
    CONF_REQUIRED_RATIO,
    DEFAULT_FORECAST_DAYS,
    MAX_HEADROOM_MIN_GIB,
    MAX_HIT_AND_RUN_LIMIT,
    MAX_REQUIRED_RATIO,
)
from .forecast import MAX_FORECAST_DAYS
from .health import HealthSettings, headroom_min_bytes

MIN_REQUIRED_RATIO = 0.01
MIN_HEADROOM_MIN_GIB = 0.01
# Option → (smallest, largest, step, unit, whole numbers only).
_RANGES: dict[str, tuple[float, float, float, str | None, bool]] = {
    CONF_REQUIRED_RATIO: (MIN_REQUIRED_RATIO, MAX_REQUIRED_RATIO, 0.01, None, False),
    CONF_FORECAST_DAYS: (1, MAX_FORECAST_DAYS, 1, UnitOfTime.DAYS, True),
    CONF_HIT_AND_RUN_LIMIT: (0, MAX_HIT_AND_RUN_LIMIT, 1, None, True),
    CONF_HEADROOM_MIN: (
        MIN_HEADROOM_MIN_GIB,
        MAX_HEADROOM_MIN_GIB,
        0.01,
        UnitOfInformation.GIBIBYTES,
        False,
    ),
}
HEALTH_OPTIONS = tuple(_RANGES)


def _option(options: Mapping[str, Any], key: str) -> float | int | None:
    """Return a stored option when it is a number in range, else None (empty)."""
    value = options.get(key)
    minimum, maximum, _, _, whole = _RANGES[key]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not minimum <= value <= maximum
    ):
        return None
    if whole:
        return int(value) if value == int(value) else None
    return float(value)


def required_ratio_option(entry: ConfigEntry) -> float | None:
    """Return the user's required ratio; None: the tracker's applies."""
    value = _option(entry.options, CONF_REQUIRED_RATIO)
    return None if value is None else float(value)


def forecast_days_option(entry: ConfigEntry) -> int:
    """Return within how many days a forecast puts the account at risk."""
    value = _option(entry.options, CONF_FORECAST_DAYS)
    return DEFAULT_FORECAST_DAYS if value is None else int(value)


def health_settings(entry: ConfigEntry) -> HealthSettings:
    """Return the thresholds the verdict of ``entry`` uses."""
    limit = _option(entry.options, CONF_HIT_AND_RUN_LIMIT)
    return HealthSettings(
        forecast_days=forecast_days_option(entry),
        hit_and_run_limit=None if limit is None else int(limit),
        headroom_min_bytes=headroom_min_bytes(
            _option(entry.options, CONF_HEADROOM_MIN)
        ),
    )


def health_schema(shown: Mapping[str, Any]) -> dict[vol.Marker, Any]:
    """Return the form's health fields, each showing ``shown``'s value if any.

    Optional with a suggested value, not a default: a field the user empties
    is left out of the answer, and so out of the stored options.
    """
    schema: dict[vol.Marker, Any] = {}
    for key, (minimum, maximum, step, unit, _) in _RANGES.items():
        value = shown.get(key)
        marker = (
            vol.Optional(key)
            if value is None
            else vol.Optional(key, description={"suggested_value": value})
        )
        config = NumberSelectorConfig(
            min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX
        )
        if unit is not None:
            config["unit_of_measurement"] = unit
        schema[marker] = NumberSelector(config)
    return schema


def shown_health_options(entry: ConfigEntry) -> dict[str, Any]:
    """Return what the form shows of the stored options (forecast days: its default)."""
    shown: dict[str, Any] = {
        key: value
        for key in HEALTH_OPTIONS
        if (value := _option(entry.options, key)) is not None
    }
    shown.setdefault(CONF_FORECAST_DAYS, DEFAULT_FORECAST_DAYS)
    return shown


def health_answer(
    user_input: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the health options to store from an answer, and the form's errors."""
    answer: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, (_, _, _, _, whole) in _RANGES.items():
        if (value := user_input.get(key)) is None:
            continue
        if whole and value != int(value):
            errors[key] = "whole_number"
        answer[key] = int(value) if whole and not errors.get(key) else float(value)
    return answer, errors
