"""Setting up, unloading and reloading a tracker account."""

from __future__ import annotations

from dataclasses import replace
import logging
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats import async_setup_entry
from custom_components.tracker_stats.const import CONF_ENRICH, CONF_REMOTE_USER_ID
from custom_components.tracker_stats.coordinator import TrackerStatsCoordinator
from demo_tracker.testing import DemoTracker

from .conftest import JOHN_DOE, EntryFactory, setup_entry


async def test_setup_and_unload(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """An account loads, publishes entities, and unloads cleanly."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert isinstance(entry.runtime_data, TrackerStatsCoordinator)
    assert hass.states.get("sensor.redacted_johndoe_ratio").state == "4.0"
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_retries_when_tracker_is_down(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A tracker that fails at start-up puts the entry in retry, not error."""
    demo.state.set_fault("server_error")
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_setup_with_rejected_key_starts_reauth(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A revoked key at start-up asks the user for a new one."""
    entry = demo_entry("ggn")
    demo.state.rotate_key("ggn")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_ggn_id_is_stored_and_quick_user_never_repeats(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """quick_user runs once; the id lands in entry.data and survives a reload."""
    entry = demo_entry("ggn", store_id=False)
    await setup_entry(hass, entry)
    assert entry.data[CONF_REMOTE_USER_ID] == 74360
    assert [r.action for r in demo.state.requests] == ["quick_user", "user"]
    # Storing the id must not have reloaded the entry.
    assert entry.state is ConfigEntryState.LOADED
    demo.state.clear_requests()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert [r.action for r in demo.state.requests] == ["user"]


async def test_enrich_option_change_reloads(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """Turning enrichment off reloads the entry and drops the second request."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert [r.action for r in demo.state.requests] == ["index", "user"]
    demo.state.clear_requests()
    hass.config_entries.async_update_entry(entry, options={CONF_ENRICH: False})
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert [r.action for r in demo.state.requests] == ["index"]


async def test_gazelle_id_is_stored_from_the_first_answer(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """An entry without the id learns it from the index call; no extra request."""
    entry = demo_entry("red", store_id=False)
    await setup_entry(hass, entry)
    assert entry.data[CONF_REMOTE_USER_ID] == 12345
    assert [r.action for r in demo.state.requests] == ["index", "user"]


async def test_storing_the_id_later_does_not_reload(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """The id written back during a later poll leaves the entry running as it is."""
    hass.config_entries.async_update_entry(
        mock_entry,
        data={k: v for k, v in mock_entry.data.items() if k != CONF_REMOTE_USER_ID},
    )
    # The tracker hides the id at first, then shows it.
    mock_client.async_get_stats.return_value = replace(JOHN_DOE, remote_user_id=None)
    with patch(
        "custom_components.tracker_stats.async_setup_entry", wraps=async_setup_entry
    ) as setup:
        await setup_entry(hass, mock_entry)
        assert CONF_REMOTE_USER_ID not in mock_entry.data
        coordinator = mock_entry.runtime_data
        mock_client.async_get_stats.return_value = JOHN_DOE
        await coordinator.async_refresh()
        await hass.async_block_till_done()
    assert mock_entry.data[CONF_REMOTE_USER_ID] == 12345
    assert setup.await_count == 1
    assert mock_entry.runtime_data is coordinator
    mock_client.async_get_stats.assert_awaited_with(remote_user_id=None)
    await coordinator.async_refresh()
    mock_client.async_get_stats.assert_awaited_with(remote_user_id=12345)


async def test_enrich_option_turned_back_on(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A generic fork starts without enrichment; turning it on adds the request."""
    entry = demo_entry("fork")
    await setup_entry(hass, entry)
    assert [r.action for r in demo.state.requests] == ["index"]
    coordinator = entry.runtime_data
    demo.state.clear_requests()
    hass.config_entries.async_update_entry(entry, options={CONF_ENRICH: True})
    await hass.async_block_till_done()
    assert entry.runtime_data is not coordinator
    assert entry.runtime_data.enrich is True
    # The fork's profile call fails; the index stats stay (seed rule).
    assert [r.action for r in demo.state.requests] == ["index", "user"]
    assert entry.state is ConfigEntryState.LOADED


async def test_the_key_never_reaches_the_log(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not at debug level either: setup, a failed poll, a rejected key, unload."""
    caplog.set_level(logging.DEBUG)
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    demo.state.set_fault("server_error", times=1)
    await entry.runtime_data.async_refresh()
    demo.state.rotate_key("red")
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert "demo-red-key" not in caplog.text
    assert demo.keys["red"] not in caplog.text
