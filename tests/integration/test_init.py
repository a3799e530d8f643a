"""Setting up, unloading and reloading a tracker account."""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.tracker_stats.const import (
    CONF_ENRICH,
    CONF_REMOTE_USER_ID,
    DOMAIN,
)
from custom_components.tracker_stats.coordinator import TrackerStatsCoordinator
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry


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


async def test_ggn_without_a_stored_id_asks_quick_user_once_per_run(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """quick_user runs once; the client keeps the id; entry.data is not written."""
    entry = demo_entry("ggn", store_id=False)
    await setup_entry(hass, entry)
    assert [r.action for r in demo.state.requests] == ["quick_user", "user"]
    assert CONF_REMOTE_USER_ID not in entry.data
    demo.state.clear_requests()
    await entry.runtime_data.async_refresh()
    assert [r.action for r in demo.state.requests] == ["user"]


async def test_ggn_restart_with_the_stored_id_never_asks_quick_user(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """The flow stored the id: setup and reload send one request each."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    assert [r.action for r in demo.state.requests] == ["user"]
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


async def test_gazelle_without_a_stored_id_enriches_from_the_index(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """The index answer names the id the profile call needs; no extra request."""
    entry = demo_entry("red", store_id=False)
    await setup_entry(hass, entry)
    assert [r.action for r in demo.state.requests] == ["index", "user"]
    assert entry.runtime_data.data.stats.warned is False
    assert CONF_REMOTE_USER_ID not in entry.data


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


@pytest.mark.parametrize(
    ("account", "shown"),
    [
        ("red", ("Redacted", "Gazelle")),
        ("blutopia", ("Blutopia", "UNIT3D")),
        # The site runs its own software: no "AnimeBytes by AnimeBytes".
        ("ab", ("AnimeBytes", None)),
        ("mam", ("MyAnonamouse", None)),
    ],
)
async def test_device_model_is_the_software_the_site_runs(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    account: str,
    shown: tuple[str, str | None],
) -> None:
    entry = demo_entry(account, store_id=account not in {"blutopia", "ab"})
    await setup_entry(hass, entry)
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert (device.manufacturer, device.model) == shown
