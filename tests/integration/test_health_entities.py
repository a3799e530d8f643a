"""Account health in Home Assistant: entities, options, history, events, restarts."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    CONF_API_KEY,
    CONF_URL,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.tracker_stats.api import TrackerError, TrackerStats
from custom_components.tracker_stats.const import (
    CONF_HEADROOM_MIN,
    CONF_HIT_AND_RUN_LIMIT,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_REQUIRED_RATIO,
    CONF_TRACKER,
    DOMAIN,
)
from custom_components.tracker_stats.forecast import HOUR, MAX_SAMPLES

from .conftest import JOHN_DOE, setup_entry
from .test_alerts import events  # noqa: F401 - a fixture

GIB = 1024**3
RED = "redacted_johndoe"
HISTORY_KEY = "tracker_stats.{}.history"


def alerts_fired(events: list[Event]) -> list[tuple[str, Any, Any]]:  # noqa: F811
    """Return every alert fired once: a reload brings the last one back as is."""
    seen: set[tuple[str, str]] = set()
    fired = []
    for event in events:
        new = event.data["new_state"]
        if new is None or not new.entity_id.startswith("event."):
            continue
        event_id = (new.state, new.attributes.get("event_type"))
        if new.state in (STATE_UNAVAILABLE, STATE_UNKNOWN) or event_id in seen:
            continue
        seen.add(event_id)
        attributes = new.attributes
        fired.append(
            (attributes["event_type"], attributes["previous"], attributes["current"])
        )
    return fired


def state(hass: HomeAssistant, key: str, account: str = RED) -> str:
    found = hass.states.get(f"sensor.{account}_{key}")
    return found.state if found else "absent"


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()


def keys_of(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    return {
        entity.unique_id.removeprefix(f"{entry.unique_id}_")
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }


@pytest.fixture
def unit3d_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="Aither (JohnDoe)",
        unique_id="aither.cc_johndoe",
        data={
            CONF_TRACKER: "aither",
            CONF_URL: "https://aither.cc",
            CONF_API_KEY: "mock-key",
            CONF_PLATFORM: "unit3d",
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def mam_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="MyAnonamouse (JohnDoe)",
        unique_id="www.myanonamouse.net_228844",
        data={
            CONF_TRACKER: "myanonamouse",
            CONF_URL: "https://www.myanonamouse.net",
            CONF_API_KEY: "mock-key",
            CONF_PLATFORM: "mam",
            CONF_REMOTE_USER_ID: 228844,
        },
    )
    entry.add_to_hass(hass)
    return entry


UNIT3D_STATS = TrackerStats(
    username="JohnDoe",
    uploaded_bytes=100 * GIB,
    downloaded_bytes=200 * GIB,
    ratio=0.5,
    hit_and_runs=2,
)
MAM_STATS = TrackerStats(
    username="JohnDoe",
    uploaded_bytes=100 * GIB,
    downloaded_bytes=50 * GIB,
    ratio=2.0,
    bonus_points=99_000.0,
    unsatisfied_count=10,
    unsatisfied_limit=50,
)
HEALTH_KEYS = {"health", "health_reason"}
RATIO_KEYS = {
    "ratio_forecast",
    "download_headroom",
    "required_ratio",
    "below_required_ratio",
}


async def test_unit3d_without_options_has_no_health(
    hass: HomeAssistant, mock_client: AsyncMock, unit3d_entry: MockConfigEntry
) -> None:
    """Nothing judges a UNIT3D account until the user gives it a rule."""
    mock_client.async_get_stats.return_value = UNIT3D_STATS
    await setup_entry(hass, unit3d_entry)
    assert not keys_of(hass, unit3d_entry) & (HEALTH_KEYS | RATIO_KEYS)
    types = hass.states.get("event.aither_johndoe_alert").attributes["event_types"]
    assert not {"at_risk", "in_danger", "ratio_forecast_near"} & set(types)


async def test_the_required_ratio_option_brings_the_ratio_rules(
    hass: HomeAssistant, mock_client: AsyncMock, unit3d_entry: MockConfigEntry
) -> None:
    mock_client.async_get_stats.return_value = UNIT3D_STATS
    hass.config_entries.async_update_entry(
        unit3d_entry, options={CONF_REQUIRED_RATIO: 0.6}
    )
    await setup_entry(hass, unit3d_entry)
    assert keys_of(hass, unit3d_entry) >= (HEALTH_KEYS | RATIO_KEYS)
    account = "aither_johndoe"
    # Ratio 0.5 under the 0.6 the user set: in danger, and the flag says so.
    assert state(hass, "health", account) == "in_danger"
    assert state(hass, "health_reason", account) == "below_required_ratio"
    flag = hass.states.get(f"binary_sensor.{account}_below_required_ratio")
    assert flag is not None and flag.state == "on"
    assert state(hass, "download_headroom", account) == "0.0"
    # Under a day of history: no forecast yet.
    assert state(hass, "ratio_forecast", account) == STATE_UNKNOWN
    types = hass.states.get(f"event.{account}_alert").attributes["event_types"]
    assert {"ratio_forecast_near", "at_risk", "in_danger"} <= set(types)


async def test_a_hit_and_run_limit_alone_judges(
    hass: HomeAssistant, mock_client: AsyncMock, unit3d_entry: MockConfigEntry
) -> None:
    mock_client.async_get_stats.return_value = UNIT3D_STATS
    hass.config_entries.async_update_entry(
        unit3d_entry, options={CONF_HIT_AND_RUN_LIMIT: 2}
    )
    await setup_entry(hass, unit3d_entry)
    assert keys_of(hass, unit3d_entry) >= HEALTH_KEYS
    assert not RATIO_KEYS & keys_of(hass, unit3d_entry)
    assert state(hass, "health", "aither_johndoe") == "ok"
    types = hass.states.get("event.aither_johndoe_alert").attributes["event_types"]
    assert "in_danger" in types
    assert "at_risk" not in types  # no rule of this account says at risk


async def test_the_option_wins_over_the_trackers_required_ratio(
    hass: HomeAssistant, mock_client: AsyncMock, mock_entry: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_REQUIRED_RATIO: 5.0}
    )
    await setup_entry(hass, mock_entry)
    assert state(hass, "health") == "in_danger"
    assert mock_entry.runtime_data.data.stats.required_ratio == 5.0


async def test_headroom_under_the_minimum_is_at_risk(
    hass: HomeAssistant, mock_client: AsyncMock, mock_entry: MockConfigEntry
) -> None:
    # JohnDoe: 500 GiB up, 125 GiB down, 0.6 required: 708.33 GiB headroom.
    hass.config_entries.async_update_entry(
        mock_entry, options={**mock_entry.options, CONF_HEADROOM_MIN: 800}
    )
    await setup_entry(hass, mock_entry)
    assert (state(hass, "health"), state(hass, "health_reason")) == (
        "at_risk",
        "headroom",
    )


async def test_mam_unsatisfied_rules_and_the_bonus_cap(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mam_entry: MockConfigEntry,
    events: list[Event],  # noqa: F811
) -> None:
    mock_client.async_get_stats.return_value = MAM_STATS
    await setup_entry(hass, mam_entry)
    account = "myanonamouse_johndoe"
    assert state(hass, "unsatisfied_torrents", account) == "10"
    assert state(hass, "unsatisfied_limit", account) == "50"
    assert state(hass, "health", account) == "ok"
    assert alerts_fired(events) == []  # the first poll fires nothing

    for count, verdict, reason in (
        (40, "at_risk", "unsatisfied"),
        (50, "in_danger", "unsatisfied_limit"),
        (10, "ok", "none"),
    ):
        mock_client.async_get_stats.return_value = dataclasses.replace(
            MAM_STATS, unsatisfied_count=count
        )
        await poll(hass, mam_entry)
        assert state(hass, "health", account) == verdict
        assert state(hass, "health_reason", account) == reason
    alert = hass.states.get(f"event.{account}_alert")
    assert alerts_fired(events) == [
        ("at_risk", "ok", "at_risk"),
        ("in_danger", "at_risk", "in_danger"),
    ]

    mock_client.async_get_stats.return_value = dataclasses.replace(
        MAM_STATS, bonus_points=99_999.0
    )
    await poll(hass, mam_entry)
    alert = hass.states.get(f"event.{account}_alert")
    assert alert.attributes["event_type"] == "bonus_capped"
    assert (alert.attributes["previous"], alert.attributes["current"]) == (
        99_000.0,
        99_999.0,
    )


async def test_verdict_events_carry_the_reason(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=True
    )
    await poll(hass, mock_entry)
    alert = hass.states.get(f"event.{RED}_alert")
    assert alert.attributes["event_type"] == "in_danger"
    assert {
        key: alert.attributes[key] for key in ("previous", "current", "reason")
    } == {"previous": "ok", "current": "in_danger", "reason": "warned"}


async def test_failed_polls_and_reloads_fire_nothing_and_keep_the_verdict(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_entry: MockConfigEntry,
    events: list[Event],  # noqa: F811
) -> None:
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, warned=True
    )
    await poll(hass, mock_entry)
    assert alerts_fired(events)[-1] == ("in_danger", "ok", "in_danger")
    fired = len(alerts_fired(events))

    mock_client.async_get_stats.side_effect = TrackerError("down")
    await poll(hass, mock_entry)
    # The verdict stays through an outage; the statistics do not.
    assert state(hass, "health") == "in_danger"
    assert state(hass, "ratio") == STATE_UNAVAILABLE
    mock_client.async_get_stats.side_effect = None
    await poll(hass, mock_entry)
    assert len(alerts_fired(events)) == fired
    await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, mock_entry)
    assert state(hass, "health") == "in_danger"
    assert len(alerts_fired(events)) == fired


async def test_a_verdict_worse_while_down_fires_once_after_the_restart(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_entry: MockConfigEntry,
    events: list[Event],  # noqa: F811
) -> None:
    await setup_entry(hass, mock_entry)
    await hass.config_entries.async_unload(mock_entry.entry_id)
    await hass.async_block_till_done()
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, required_ratio=5.0
    )
    await setup_entry(hass, mock_entry)
    fired = alerts_fired(events)
    assert fired.count(("in_danger", "ok", "in_danger")) == 1
    await poll(hass, mock_entry)
    assert alerts_fired(events) == fired


async def test_the_verdict_is_restored_until_a_slow_first_poll(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_entry: MockConfigEntry,
) -> None:
    """A tracker slower than setup: the last verdict shows until it answers."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(f"sensor.{RED}_health", "in_danger"),
                {"native_value": "in_danger", "native_unit_of_measurement": None},
            )
        ],
    )
    answer = asyncio.Event()

    async def slow() -> TrackerStats:
        await answer.wait()
        return JOHN_DOE

    mock_client.async_get_stats.side_effect = slow
    with patch("custom_components.tracker_stats.FIRST_REFRESH_WAIT_SECONDS", 0.01):
        assert await hass.config_entries.async_setup(mock_entry.entry_id)
        await hass.async_block_till_done()
    assert state(hass, "health") == "in_danger"
    assert state(hass, "health_reason") == STATE_UNAVAILABLE  # nothing restored
    assert state(hass, "ratio") == STATE_UNAVAILABLE
    answer.set()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, "health") == "ok"


async def test_history_is_sampled_hourly_and_survives_a_restart(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    mock_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to("2026-12-01T00:10:00+00:00")
    await setup_entry(hass, mock_entry)
    key = HISTORY_KEY.format(mock_entry.entry_id)
    uploaded, downloaded = JOHN_DOE.uploaded_bytes, JOHN_DOE.downloaded_bytes
    assert uploaded is not None and downloaded is not None
    # Two days of polls every 30 minutes; the account downloads 3 GiB an
    # hour and uploads 1 GiB: from 500 GiB up / 125 GiB down against 0.6.
    for half_hour in range(1, 2 * 48 + 1):
        freezer.tick(timedelta(minutes=30))
        hours = half_hour / 2
        mock_client.async_get_stats.return_value = dataclasses.replace(
            JOHN_DOE,
            uploaded_bytes=uploaded + round(hours * GIB),
            downloaded_bytes=downloaded + round(hours * 3 * GIB),
        )
        await poll(hass, mock_entry)
        if half_hour == 40:
            # 20 hours: not a day of history yet.
            assert state(hass, "ratio_forecast") == STATE_UNKNOWN
    await hass.async_block_till_done()
    samples = hass_storage[key]["data"]["samples"]
    hours = [at // HOUR for at, _, _ in samples]
    assert hours == sorted(set(hours))
    assert len(samples) == 49 <= MAX_SAMPLES
    forecast = float(state(hass, "ratio_forecast"))
    # 548 GiB up, 269 down: 386.6 GiB above 0.6, losing 0.8 GiB an hour.
    assert forecast == pytest.approx((548 - 0.6 * 269) / 0.8 / 24, rel=0.01)

    await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert float(state(hass, "ratio_forecast")) == pytest.approx(forecast, rel=0.01)

    await hass.config_entries.async_remove(mock_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_emptying_the_option_removes_what_it_gave(
    hass: HomeAssistant, mock_client: AsyncMock, unit3d_entry: MockConfigEntry
) -> None:
    """No entity stays behind as "no longer provided"."""
    mock_client.async_get_stats.return_value = UNIT3D_STATS
    hass.config_entries.async_update_entry(
        unit3d_entry, options={CONF_REQUIRED_RATIO: 0.6}
    )
    await setup_entry(hass, unit3d_entry)
    assert keys_of(hass, unit3d_entry) >= (HEALTH_KEYS | RATIO_KEYS)
    hass.config_entries.async_update_entry(unit3d_entry, options={})
    await hass.async_block_till_done()
    assert not keys_of(hass, unit3d_entry) & (HEALTH_KEYS | RATIO_KEYS)
    assert {"ratio", "uploaded", "alert"} <= keys_of(hass, unit3d_entry)
