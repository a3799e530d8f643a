"""The alert event entity: one event per real change between good polls."""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.const import (
    CONF_API_KEY,
    CONF_URL,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.tracker_stats.api import TrackerConnectionError
from custom_components.tracker_stats.const import (
    CONF_PLATFORM,
    CONF_RATIO_DROP,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)

from .conftest import JOHN_DOE, MOCK_KEY, setup_entry

ALERT = "event.redacted_johndoe_alert"
# JohnDoe with a known message count, so that a new message is a change.
BASELINE = dataclasses.replace(JOHN_DOE, unread_messages=0)
STORE_KEY = "tracker_stats.{}.last_poll"

# One change per event type, from JohnDoe (ratio 4.0, required 0.6, not
# warned, Power User, no unread message, 42 seeding).
CHANGES: list[tuple[str, dict[str, Any], Any, Any]] = [
    ("ratio_dropped", {"ratio": 3.8}, 4.0, 3.8),
    ("below_required_ratio", {"required_ratio": 5.0}, False, True),
    ("warned", {"warned": True}, False, True),
    ("class_changed", {"group": "Elite"}, "Power User", "Elite"),
    ("unread_message", {"unread_messages": 1}, 0, 1),
    ("seeding_stopped", {"seeding_count": 0}, 42, 0),
]
# A change that puts the account in danger fires that too (its verdict got worse).
IN_DANGER = ("in_danger", "ok", "in_danger")


def alerts_fired(events: list[Event]) -> list[tuple[str, Any, Any]]:
    """Return (event type, previous, current) of every alert the entity fired."""
    fired = []
    for event in events:
        new, old = event.data["new_state"], event.data["old_state"]
        if event.data["entity_id"] != ALERT or new is None:
            continue
        if new.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            continue
        if (
            old is not None
            and old.state == new.state
            and (old.attributes.get("event_type") == new.attributes.get("event_type"))
        ):
            continue
        attributes = new.attributes
        fired.append(
            (attributes["event_type"], attributes["previous"], attributes["current"])
        )
    return fired


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()


@pytest.fixture(autouse=True)
def baseline(mock_client: AsyncMock) -> None:
    mock_client.async_get_stats.return_value = BASELINE


@pytest.fixture
def events(hass: HomeAssistant) -> list[Event]:
    return async_capture_events(hass, EVENT_STATE_CHANGED)


async def test_alert_entity_offers_what_gazelle_can_produce(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, mock_entry)
    state = hass.states.get(ALERT)
    assert state is not None
    # The first poll of a new entry fires nothing.
    assert state.state == STATE_UNKNOWN
    assert state.attributes["event_types"] == [
        "ratio_dropped",
        "below_required_ratio",
        "warned",
        "class_changed",
        "unread_message",
        "seeding_stopped",
        "ratio_forecast_near",
        "at_risk",
        "in_danger",
    ]
    entity = er.async_get(hass).async_get(ALERT)
    assert entity is not None
    assert entity.translation_key == "alert"
    assert entity.unique_id == "redacted.sh_12345_alert"
    assert entity.disabled_by is None


async def test_ggn_offers_hit_and_runs_but_no_messages(
    hass: HomeAssistant, mock_client: AsyncMock, events: list[Event]
) -> None:
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
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, hit_and_runs=0
    )
    await setup_entry(hass, entry)
    entity_id = "event.gazellegames_exampleuser_alert"
    types = hass.states.get(entity_id).attributes["event_types"]
    assert "hit_and_run_added" in types
    assert "unread_message" not in types

    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, hit_and_runs=2, unread_messages=5
    )
    await poll(hass, entry)
    state = hass.states.get(entity_id)
    assert state.attributes["event_type"] == "hit_and_run_added"
    assert (state.attributes["previous"], state.attributes["current"]) == (0, 2)


@pytest.mark.parametrize("case", CHANGES, ids=[case[0] for case in CHANGES])
async def test_each_change_fires_once(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
    case: tuple[str, dict[str, Any], Any, Any],
) -> None:
    event_type, change, previous, current = case
    await setup_entry(hass, mock_entry)
    await poll(hass, mock_entry)  # the same numbers again
    assert alerts_fired(events) == []

    mock_client.async_get_stats.return_value = dataclasses.replace(BASELINE, **change)
    await poll(hass, mock_entry)
    await poll(hass, mock_entry)  # still changed: not a new change
    danger = [IN_DANGER] if event_type in ("below_required_ratio", "warned") else []
    assert alerts_fired(events) == [(event_type, previous, current), *danger]


async def test_several_changes_in_one_poll_fire_one_event_each(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
) -> None:
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(
        BASELINE, warned=True, unread_messages=3
    )
    await poll(hass, mock_entry)
    assert alerts_fired(events) == [
        ("warned", False, True),
        ("unread_message", 0, 3),
        IN_DANGER,
    ]


async def test_outage_and_recovery_fire_nothing(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
) -> None:
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await poll(hass, mock_entry)
    # The statistics go unavailable; the last alert stays the last alert
    # (unavailable and back would be a logbook row).
    assert hass.states.get("sensor.redacted_johndoe_ratio").state == STATE_UNAVAILABLE
    assert hass.states.get(ALERT).state == STATE_UNKNOWN
    mock_client.async_get_stats.side_effect = None
    await poll(hass, mock_entry)
    assert alerts_fired(events) == []

    # A change across a failed poll still fires, once.
    mock_client.async_get_stats.side_effect = TrackerConnectionError("down")
    await poll(hass, mock_entry)
    mock_client.async_get_stats.side_effect = None
    mock_client.async_get_stats.return_value = dataclasses.replace(JOHN_DOE, ratio=3.3)
    await poll(hass, mock_entry)
    assert alerts_fired(events) == [("ratio_dropped", 4.0, 3.3)]


async def test_unknown_values_fire_nothing(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
) -> None:
    """A profile call that fails for a poll leaves warned unknown: no event."""
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=None, ratio=None, group="Unknown"
    )
    await poll(hass, mock_entry)
    mock_client.async_get_stats.return_value = JOHN_DOE
    await poll(hass, mock_entry)
    assert alerts_fired(events) == []


async def test_restart_alone_fires_nothing(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    await setup_entry(hass, mock_entry)
    assert hass_storage[STORE_KEY.format(mock_entry.entry_id)]["data"]["ratio"] == 4.0
    await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert alerts_fired(events) == []


async def test_change_while_home_assistant_was_down_fires_once(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
) -> None:
    await setup_entry(hass, mock_entry)
    assert await hass.config_entries.async_unload(mock_entry.entry_id)
    await hass.async_block_till_done()

    mock_client.async_get_stats.return_value = dataclasses.replace(JOHN_DOE, ratio=3.5)
    assert await hass.config_entries.async_setup(mock_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, mock_entry)
    assert alerts_fired(events) == [("ratio_dropped", 4.0, 3.5)]


async def test_snapshot_from_storage_is_compared(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
    hass_storage: dict[str, Any],
) -> None:
    """What an earlier run stored is the previous poll of the first one."""
    hass_storage[STORE_KEY.format(mock_entry.entry_id)] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY.format(mock_entry.entry_id),
        "data": {"ratio": 4.0, "warned": False, "group": "User", "seeding_count": 42},
    }
    await setup_entry(hass, mock_entry)
    assert alerts_fired(events) == [("class_changed", "User", "Power User")]


async def test_option_change_keeps_the_snapshot(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    events: list[Event],
) -> None:
    await setup_entry(hass, mock_entry)
    coordinator = mock_entry.runtime_data
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_RATIO_DROP: 0.5}
    )
    await hass.async_block_till_done()
    # Reloaded: the new coordinator runs with the new threshold.
    assert mock_entry.runtime_data is not coordinator

    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, ratio=3.8, warned=True
    )
    await poll(hass, mock_entry)
    # 0.2 is below the new threshold; the warning still compares with the old poll.
    assert alerts_fired(events) == [("warned", False, True), IN_DANGER]
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, ratio=3.3, warned=True
    )
    await poll(hass, mock_entry)
    assert alerts_fired(events)[-1] == ("ratio_dropped", 3.8, 3.3)


async def test_removing_the_entry_forgets_the_snapshot(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    hass_storage: dict[str, Any],
) -> None:
    await setup_entry(hass, mock_entry)
    assert STORE_KEY.format(mock_entry.entry_id) in hass_storage
    await hass.config_entries.async_remove(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert STORE_KEY.format(mock_entry.entry_id) not in hass_storage
