"""The options flow: alert options for every platform, enrich for Gazelle only."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.const import (
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_RATIO_DROP,
    CONF_REMOTE_USER_ID,
    CONF_STALE_MINUTES,
    CONF_TRACKER,
    DOMAIN,
)

from .conftest import MOCK_KEY, setup_entry


@pytest.fixture
def ggn_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GazelleGames (ExampleUser)",
        unique_id="gazellegames.net_74360",
        data={
            CONF_TRACKER: "gazellegames",
            CONF_URL: "https://gazellegames.net",
            CONF_API_KEY: MOCK_KEY,
            CONF_PLATFORM: "ggn",
            CONF_REMOTE_USER_ID: 74360,
        },
    )
    entry.add_to_hass(hass)
    return entry


def fields(result: Any) -> dict[str, Any]:
    """Return each field of a form with its suggested default."""
    return {
        str(key): key.default()
        if callable(key.default)
        else (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }


# The health options of an entry that has none: empty, the forecast at 7 days.
NO_HEALTH_OPTIONS = {
    "required_ratio": None,
    "forecast_days": 7,
    "hit_and_run_limit": None,
    "headroom_min": None,
}


async def test_gazelle_options_and_reload(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, mock_entry)
    coordinator = mock_entry.runtime_data
    result = await hass.config_entries.options.async_init(mock_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert fields(result) == {
        CONF_ENRICH: True,
        CONF_RATIO_DROP: 0.1,
        CONF_STALE_MINUTES: 120,
        **NO_HEALTH_OPTIONS,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_ENRICH: False, CONF_RATIO_DROP: 0.25, CONF_STALE_MINUTES: 60},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert mock_entry.options == {
        CONF_ENRICH: False,
        CONF_RATIO_DROP: 0.25,
        CONF_STALE_MINUTES: 60,
    }
    # The entry reloaded with the new options.
    assert mock_entry.runtime_data is not coordinator
    assert isinstance(mock_entry.options[CONF_STALE_MINUTES], int)


async def test_other_platforms_get_alert_options_without_enrich(
    hass: HomeAssistant, ggn_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, ggn_entry)
    assert ggn_entry.supports_options
    result = await hass.config_entries.options.async_init(ggn_entry.entry_id)
    assert fields(result) == {
        CONF_RATIO_DROP: 0.1,
        CONF_STALE_MINUTES: 120,
        **NO_HEALTH_OPTIONS,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RATIO_DROP: 0.5, CONF_STALE_MINUTES: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert ggn_entry.options == {CONF_RATIO_DROP: 0.5, CONF_STALE_MINUTES: 30}


async def test_form_shows_the_stored_options(
    hass: HomeAssistant, ggn_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    hass.config_entries.async_update_entry(
        ggn_entry, options={CONF_RATIO_DROP: 0.3, CONF_STALE_MINUTES: 15}
    )
    await setup_entry(hass, ggn_entry)
    result = await hass.config_entries.options.async_init(ggn_entry.entry_id)
    assert fields(result) == {
        CONF_RATIO_DROP: 0.3,
        CONF_STALE_MINUTES: 15,
        **NO_HEALTH_OPTIONS,
    }


@pytest.mark.parametrize(
    "user_input",
    [
        {CONF_RATIO_DROP: 0, CONF_STALE_MINUTES: 120},
        {CONF_RATIO_DROP: -0.1, CONF_STALE_MINUTES: 120},
        {CONF_RATIO_DROP: 11, CONF_STALE_MINUTES: 120},
        {CONF_RATIO_DROP: "a lot", CONF_STALE_MINUTES: 120},
        {CONF_RATIO_DROP: 0.1, CONF_STALE_MINUTES: 0},
        {CONF_RATIO_DROP: 0.1, CONF_STALE_MINUTES: 7 * 24 * 60 + 1},
    ],
)
async def test_out_of_range_options_are_refused(
    hass: HomeAssistant,
    ggn_entry: MockConfigEntry,
    mock_client: AsyncMock,
    user_input: dict[str, Any],
) -> None:
    await setup_entry(hass, ggn_entry)
    result = await hass.config_entries.options.async_init(ggn_entry.entry_id)
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert ggn_entry.options == {}


async def test_fractional_minutes_are_refused_with_a_message(
    hass: HomeAssistant, ggn_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, ggn_entry)
    result = await hass.config_entries.options.async_init(ggn_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RATIO_DROP: 0.2, CONF_STALE_MINUTES: 1.5}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_STALE_MINUTES: "whole_minutes"}
    # What the user typed stays in the form.
    assert fields(result) == {
        CONF_RATIO_DROP: 0.2,
        CONF_STALE_MINUTES: 1.5,
        **dict.fromkeys(NO_HEALTH_OPTIONS),
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RATIO_DROP: 0.2, CONF_STALE_MINUTES: 2}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
