"""Setting up, unloading and reloading a tracker account."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from custom_components.tracker_stats.const import CONF_ENRICH, CONF_REMOTE_USER_ID
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry


async def test_setup_and_unload(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """An account loads, publishes entities, and unloads cleanly."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
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
