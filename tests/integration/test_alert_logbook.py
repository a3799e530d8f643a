"""The alert entity's logbook lists real alerts only: reloads and outages add nothing.

Asked through the logbook's own REST API on a recorder, as the frontend asks.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.tracker_stats.api import TrackerConnectionError

from .conftest import JOHN_DOE, setup_entry

ALERT = "event.redacted_johndoe_alert"
RATIO = "sensor.redacted_johndoe_ratio"


@pytest.fixture
def mock_recorder_before_hass(recorder_db_url: str) -> None:
    """Prepare the recorder's database before Home Assistant starts."""


@pytest.fixture
async def logbook(recorder_mock: Any, hass: HomeAssistant) -> None:
    """Record states and serve the logbook."""
    assert await async_setup_component(hass, "logbook", {})
    await hass.async_block_till_done()


async def logbook_of(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entity_id: str
) -> list[dict[str, Any]]:
    """Return the logbook rows of one entity since an hour ago."""
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    client = await hass_client()
    start = (dt_util.utcnow() - timedelta(hours=1)).isoformat()
    response = await client.get(f"/api/logbook/{start}", params={"entity": entity_id})
    assert response.status == 200
    rows: list[dict[str, Any]] = await response.json()
    return rows


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()


async def test_reloads_and_outages_add_nothing(
    logbook: None,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """One real alert, many reloads, an outage and a recovery: one logbook row."""
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(JOHN_DOE, ratio=3.5)
    await poll(hass, mock_entry)
    assert hass.states.get(ALERT).attributes["event_type"] == "ratio_dropped"
    after_alert = await logbook_of(hass, hass_client, ALERT)
    # Home Assistant's line for the state ("detected an event", it names no
    # type) and ours, which names the alert and its values.
    assert [row.get("message") for row in after_alert] == [
        None,
        "Ratio dropped: 4.0 → 3.5",
    ]
    assert after_alert[1]["name"] == "Redacted (JohnDoe) Alert"
    assert after_alert[1]["entity_id"] == ALERT

    # An options save and a language switch both reload the entry.
    for _ in range(2):
        assert await hass.config_entries.async_reload(mock_entry.entry_id)
        await hass.async_block_till_done()
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await poll(hass, mock_entry)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    mock_client.async_get_stats.side_effect = None
    await poll(hass, mock_entry)
    assert hass.states.get(RATIO).state == "3.5"

    assert await logbook_of(hass, hass_client, ALERT) == after_alert
    state = hass.states.get(ALERT)
    assert state.attributes["event_type"] == "ratio_dropped"
    assert state.attributes["previous"] == 4.0


async def test_an_entry_that_loads_after_the_start_adds_nothing(
    logbook: None,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """Home Assistant's "unavailable" placeholder for a retrying entry leaves no row."""
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(JOHN_DOE, ratio=3.5)
    await poll(hass, mock_entry)
    rows = await logbook_of(hass, hass_client, ALERT)
    assert len(rows) == 2
    assert await hass.config_entries.async_unload(mock_entry.entry_id)
    await hass.async_block_till_done()
    # What the entity registry writes at start for an entity not loaded yet.
    registry_entry = er.async_get(hass).async_get(ALERT)
    assert registry_entry is not None
    registry_entry.write_unavailable_state(hass)
    assert hass.states.get(ALERT).state == STATE_UNAVAILABLE

    await setup_entry(hass, mock_entry)
    assert hass.states.get(ALERT).attributes["event_type"] == "ratio_dropped"
    assert await logbook_of(hass, hass_client, ALERT) == rows


async def test_a_flag_alert_is_named_without_values(
    logbook: None,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """A flag alert reads "Warned", not "Warned: False → True"."""
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=True
    )
    await poll(hass, mock_entry)
    rows = await logbook_of(hass, hass_client, ALERT)
    # The warning puts the account in danger, a verdict with its values.
    assert [row["message"] for row in rows if "message" in row] == [
        "Warned",
        "In danger: ok → in_danger",
    ]
