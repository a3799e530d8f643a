"""The demo tracker drives an account's health, and the guard blueprint acts on it.

Real HTTP: the integration polls the demo tracker, ``POST /_demo/health``
changes what the tracker answers, and the guard runs its actions once each
way, outages and reloads in between.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.tracker_stats.const import (
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry
from .test_health_guard import config_dir, guard, settle  # noqa: F401 - a fixture

MAM = "sensor.myanonamouse_johndoe_health"


async def drive(demo: DemoTracker, account: str, verdict: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{demo.url}/_demo/health", json={"account": account, "verdict": verdict}
        ) as answer,
    ):
        return answer.status, await answer.json()


@pytest.fixture
def mam_entry(hass: HomeAssistant, demo: DemoTracker) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="MyAnonamouse (JohnDoe)",
        unique_id="127.0.0.1_228844",
        data={
            CONF_TRACKER: "myanonamouse",
            CONF_URL: demo.url,
            CONF_API_KEY: demo.keys["mam"],
            CONF_PLATFORM: "mam",
            CONF_REMOTE_USER_ID: 228844,
        },
    )
    entry.add_to_hass(hass)
    return entry


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    await entry.runtime_data.async_refresh()
    await settle(hass)
    return hass.states.get(MAM).state


async def test_the_demo_drives_a_mam_account_through_every_verdict(
    hass: HomeAssistant, demo: DemoTracker, mam_entry: MockConfigEntry
) -> None:
    assert await drive(demo, "mam", "ok") == (200, {"ok": True})
    await setup_entry(hass, mam_entry)
    assert hass.states.get(MAM).state == "ok"
    for verdict, reason in (
        ("at_risk", "unsatisfied"),
        ("in_danger", "unsatisfied_limit"),
        ("ok", "none"),
    ):
        assert (await drive(demo, "mam", verdict))[0] == 200
        assert await poll(hass, mam_entry) == verdict
        reason_state = hass.states.get("sensor.myanonamouse_johndoe_health_reason")
        assert reason_state is not None and reason_state.state == reason


async def test_the_demo_drives_a_gazelle_account_into_danger_and_back(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    health = "sensor.redacted_johndoe_health"
    assert hass.states.get(health).state == "ok"
    assert (await drive(demo, "red", "in_danger"))[0] == 200
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(health).state == "in_danger"
    assert (await drive(demo, "red", "ok"))[0] == 200
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(health).state == "ok"


@pytest.mark.parametrize(
    ("account", "verdict", "error"),
    [
        ("red", "at_risk", "options"),
        ("ggn", "in_danger", "not ggn"),
        ("nobody", "ok", "unknown account"),
        ("mam", "dying", "verdict must be one of"),
    ],
)
async def test_the_demo_refuses_what_it_cannot_drive(
    demo: DemoTracker, account: str, verdict: str, error: str
) -> None:
    status, answer = await drive(demo, account, verdict)
    assert status == 400
    assert error in answer["error"]


async def test_the_guard_acts_once_each_way_on_a_demo_account(
    hass: HomeAssistant,
    demo: DemoTracker,
    mam_entry: MockConfigEntry,
    config_dir: Path,  # noqa: F811
    entity_registry: er.EntityRegistry,
) -> None:
    """In danger: the actions run once; OK again: the recovery runs once."""
    await setup_entry(hass, mam_entry)
    health = entity_registry.async_get(MAM)
    assert health is not None and health.device_id is not None
    paused: list[ServiceCall] = async_mock_service(hass, "test", "pause")
    resumed: list[ServiceCall] = async_mock_service(hass, "test", "resume")
    assert await async_setup_component(
        hass, "automation", {"automation": [guard(health.device_id)]}
    )
    await hass.async_block_till_done()

    await drive(demo, "mam", "at_risk")
    assert await poll(hass, mam_entry) == "at_risk"
    assert (len(paused), len(resumed)) == (0, 0)
    await drive(demo, "mam", "in_danger")
    assert await poll(hass, mam_entry) == "in_danger"
    assert (len(paused), len(resumed)) == (1, 0)
    # An outage, a recovery of the tracker and a reload: nothing again.
    demo.state.set_fault("server_error")
    await poll(hass, mam_entry)
    demo.state.clear_fault()
    assert await poll(hass, mam_entry) == "in_danger"
    await hass.config_entries.async_reload(mam_entry.entry_id)
    await settle(hass)
    assert await poll(hass, mam_entry) == "in_danger"
    assert (len(paused), len(resumed)) == (1, 0)

    await drive(demo, "mam", "ok")
    assert await poll(hass, mam_entry) == "ok"
    assert (len(paused), len(resumed)) == (1, 1)
    assert await poll(hass, mam_entry) == "ok"
    assert (len(paused), len(resumed)) == (1, 1)
