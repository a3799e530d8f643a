"""The account health options: empty means not set, and what is stored is read back."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.const import (
    CONF_FORECAST_DAYS,
    CONF_HEADROOM_MIN,
    CONF_HIT_AND_RUN_LIMIT,
    CONF_PLATFORM,
    CONF_RATIO_DROP,
    CONF_REQUIRED_RATIO,
    CONF_STALE_MINUTES,
    CONF_TRACKER,
    DOMAIN,
)
from custom_components.tracker_stats.health import GIB, HealthSettings
from custom_components.tracker_stats.health_options import (
    forecast_days_option,
    health_settings,
    required_ratio_option,
)

from .conftest import MOCK_KEY, setup_entry
from .test_options import fields

ALERT_OPTIONS = {CONF_RATIO_DROP: 0.1, CONF_STALE_MINUTES: 120}


@pytest.fixture
def unit3d_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Aither (JohnDoe)",
        unique_id="aither.cc_johndoe",
        data={
            CONF_TRACKER: "aither",
            CONF_URL: "https://aither.cc",
            CONF_API_KEY: MOCK_KEY,
            CONF_PLATFORM: "unit3d",
        },
    )
    entry.add_to_hass(hass)
    return entry


async def configure(
    hass: HomeAssistant, entry: MockConfigEntry, answer: dict[str, Any]
) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {**ALERT_OPTIONS, **answer}
    )


async def test_every_health_option_is_stored_and_read(
    hass: HomeAssistant, unit3d_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, unit3d_entry)
    result = await configure(
        hass,
        unit3d_entry,
        {
            CONF_REQUIRED_RATIO: 0.4,
            CONF_FORECAST_DAYS: 10.0,
            CONF_HIT_AND_RUN_LIMIT: 3.0,
            CONF_HEADROOM_MIN: 2.5,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert unit3d_entry.options == {
        **ALERT_OPTIONS,
        CONF_REQUIRED_RATIO: 0.4,
        CONF_FORECAST_DAYS: 10,
        CONF_HIT_AND_RUN_LIMIT: 3,
        CONF_HEADROOM_MIN: 2.5,
    }
    assert isinstance(unit3d_entry.options[CONF_HIT_AND_RUN_LIMIT], int)
    assert required_ratio_option(unit3d_entry) == 0.4
    assert health_settings(unit3d_entry) == HealthSettings(
        forecast_days=10, hit_and_run_limit=3, headroom_min_bytes=round(2.5 * GIB)
    )
    # The form shows them back.
    result = await hass.config_entries.options.async_init(unit3d_entry.entry_id)
    shown = fields(result)
    assert shown[CONF_REQUIRED_RATIO] == 0.4
    assert shown[CONF_FORECAST_DAYS] == 10
    assert shown[CONF_HIT_AND_RUN_LIMIT] == 3
    assert shown[CONF_HEADROOM_MIN] == 2.5


async def test_an_emptied_option_is_not_stored(
    hass: HomeAssistant, unit3d_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    hass.config_entries.async_update_entry(
        unit3d_entry,
        options={**ALERT_OPTIONS, CONF_REQUIRED_RATIO: 0.4, CONF_HIT_AND_RUN_LIMIT: 0},
    )
    await setup_entry(hass, unit3d_entry)
    result = await configure(hass, unit3d_entry, {CONF_HIT_AND_RUN_LIMIT: 0})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert unit3d_entry.options == {**ALERT_OPTIONS, CONF_HIT_AND_RUN_LIMIT: 0}
    assert required_ratio_option(unit3d_entry) is None
    assert health_settings(unit3d_entry) == HealthSettings(
        forecast_days=7, hit_and_run_limit=0
    )


async def test_whole_numbers_are_asked_for(
    hass: HomeAssistant, unit3d_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, unit3d_entry)
    result = await configure(
        hass, unit3d_entry, {CONF_HIT_AND_RUN_LIMIT: 1.5, CONF_FORECAST_DAYS: 2.5}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        CONF_HIT_AND_RUN_LIMIT: "whole_number",
        CONF_FORECAST_DAYS: "whole_number",
    }
    assert fields(result)[CONF_HIT_AND_RUN_LIMIT] == 1.5
    assert unit3d_entry.options == {}


@pytest.mark.parametrize(
    "answer",
    [
        {CONF_REQUIRED_RATIO: 0},
        {CONF_REQUIRED_RATIO: 11},
        {CONF_FORECAST_DAYS: 0},
        {CONF_FORECAST_DAYS: 366},
        {CONF_HIT_AND_RUN_LIMIT: -1},
        {CONF_HEADROOM_MIN: 0},
        {CONF_HEADROOM_MIN: "much"},
    ],
)
async def test_out_of_range_health_options_are_refused(
    hass: HomeAssistant,
    unit3d_entry: MockConfigEntry,
    mock_client: AsyncMock,
    answer: dict[str, Any],
) -> None:
    await setup_entry(hass, unit3d_entry)
    with pytest.raises(InvalidData):
        await configure(hass, unit3d_entry, answer)
    assert unit3d_entry.options == {}


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {CONF_REQUIRED_RATIO: "0.6", CONF_FORECAST_DAYS: True},
        {CONF_REQUIRED_RATIO: float("nan"), CONF_FORECAST_DAYS: 1e9},
        {CONF_HIT_AND_RUN_LIMIT: 2.5, CONF_HEADROOM_MIN: -4},
    ],
)
async def test_damaged_stored_options_count_as_empty(
    hass: HomeAssistant, unit3d_entry: MockConfigEntry, stored: dict[str, Any]
) -> None:
    hass.config_entries.async_update_entry(unit3d_entry, options=stored)
    assert required_ratio_option(unit3d_entry) is None
    assert forecast_days_option(unit3d_entry) == 7
    assert health_settings(unit3d_entry) == HealthSettings(forecast_days=7)
