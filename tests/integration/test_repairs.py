"""Repair issues: tracker unreachable after stale_minutes, account warned."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.tracker_stats.api import TrackerConnectionError
from custom_components.tracker_stats.const import CONF_STALE_MINUTES, DOMAIN

from .conftest import JOHN_DOE, setup_entry

LAST_UPDATE = "sensor.redacted_johndoe_last_update"


def issue(
    hass: HomeAssistant, name: str, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{name}_{entry.entry_id}")


async def pass_minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: int
) -> None:
    """Let time pass minute by minute, as the stale check sees it."""
    for _ in range(minutes):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed(hass)
        # Setup retries run as background tasks.
        await hass.async_block_till_done(wait_background_tasks=True)


async def test_unreachable_after_stale_minutes_and_cleared_by_a_good_poll(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_STALE_MINUTES: 45}
    )
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await mock_entry.runtime_data.async_refresh()
    await hass.async_block_till_done()

    # The 30-minute poll fails as well; 44 minutes are not 45.
    await pass_minutes(hass, freezer, 44)
    assert issue(hass, "tracker_unreachable", mock_entry) is None
    # The timer notices between polls, not at the next one (minute 60).
    await pass_minutes(hass, freezer, 1)
    raised = issue(hass, "tracker_unreachable", mock_entry)
    assert raised is not None
    assert raised.translation_key == "tracker_unreachable"
    assert raised.translation_placeholders == {
        "title": "Redacted (JohnDoe)",
        "minutes": "45",
    }
    assert raised.severity is ir.IssueSeverity.WARNING
    assert not raised.is_fixable

    mock_client.async_get_stats.side_effect = None
    await mock_entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert issue(hass, "tracker_unreachable", mock_entry) is None


async def test_quiet_polling_is_not_unreachable(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With polling switched off, hours pass between good polls: no issue."""
    hass.config_entries.async_update_entry(mock_entry, pref_disable_polling=True)
    await setup_entry(hass, mock_entry)
    await pass_minutes(hass, freezer, 180)
    assert issue(hass, "tracker_unreachable", mock_entry) is None


async def test_stale_timer_stops_with_the_entry(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await mock_entry.runtime_data.async_refresh()
    assert await hass.config_entries.async_unload(mock_entry.entry_id)
    await pass_minutes(hass, freezer, 130)
    assert issue(hass, "tracker_unreachable", mock_entry) is None


async def test_account_warned_while_warned(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=True
    )
    await setup_entry(hass, mock_entry)
    raised = issue(hass, "account_warned", mock_entry)
    assert raised is not None
    assert raised.learn_more_url == "https://redacted.sh"
    assert raised.translation_placeholders == {"title": "Redacted (JohnDoe)"}
    assert not raised.is_fixable

    async def poll(warned: bool | None) -> None:
        mock_client.async_get_stats.return_value = dataclasses.replace(
            JOHN_DOE, warned=warned
        )
        await mock_entry.runtime_data.async_refresh()
        await hass.async_block_till_done()

    # Unknown (the profile call failed) says nothing either way.
    await poll(None)
    assert issue(hass, "account_warned", mock_entry) is not None
    await poll(False)
    assert issue(hass, "account_warned", mock_entry) is None


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=True
    )
    await setup_entry(hass, mock_entry)
    assert issue(hass, "account_warned", mock_entry) is not None
    await hass.config_entries.async_remove(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert issue(hass, "account_warned", mock_entry) is None


async def test_last_update_sensor(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Diagnostic, off by default; shows the last good poll, also in an outage."""
    await setup_entry(hass, mock_entry)
    registry = er.async_get(hass)
    entity = registry.async_get(LAST_UPDATE)
    assert entity is not None
    assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert entity.entity_category == "diagnostic"
    registry.async_update_entity(LAST_UPDATE, disabled_by=None)
    await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    good_poll = hass.states.get(LAST_UPDATE).state
    last_good_poll = mock_entry.runtime_data.data.last_good_poll
    assert good_poll == last_good_poll.replace(microsecond=0).isoformat()
    assert hass.states.get(LAST_UPDATE).attributes["device_class"] == "timestamp"

    freezer.tick(timedelta(minutes=5))
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await mock_entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.redacted_johndoe_ratio").state == STATE_UNAVAILABLE
    assert hass.states.get(LAST_UPDATE).state == good_poll


async def test_unreachable_while_setup_retries(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A tracker down when Home Assistant starts: the entry never loads, the issue comes."""
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_STALE_MINUTES: 45}
    )
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await setup_entry(hass, mock_entry)
    assert mock_entry.state is ConfigEntryState.SETUP_RETRY

    await pass_minutes(hass, freezer, 44)
    assert mock_entry.state is ConfigEntryState.SETUP_RETRY
    assert issue(hass, "tracker_unreachable", mock_entry) is None
    await pass_minutes(hass, freezer, 1)
    raised = issue(hass, "tracker_unreachable", mock_entry)
    assert raised is not None
    assert raised.translation_placeholders == {
        "title": "Redacted (JohnDoe)",
        "minutes": "45",
    }

    # The next setup attempt that works loads the entry and clears the issue.
    mock_client.async_get_stats.side_effect = None
    # Home Assistant's retries back off (how far differs between releases).
    for _ in range(30):
        if mock_entry.state is ConfigEntryState.LOADED:
            break
        await pass_minutes(hass, freezer, 1)
    assert mock_entry.state is ConfigEntryState.LOADED
    assert issue(hass, "tracker_unreachable", mock_entry) is None


async def test_unreachable_when_a_reload_cannot_set_up_again(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The outage counts from the last good poll, across a reload that retries."""
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_STALE_MINUTES: 45}
    )
    await setup_entry(hass, mock_entry)
    await pass_minutes(hass, freezer, 20)
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_entry.state is ConfigEntryState.SETUP_RETRY
    await pass_minutes(hass, freezer, 24)
    assert issue(hass, "tracker_unreachable", mock_entry) is None
    await pass_minutes(hass, freezer, 1)
    assert issue(hass, "tracker_unreachable", mock_entry) is not None
