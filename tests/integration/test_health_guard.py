"""The guard blueprint "Protect a tracker account", on a health sensor driven by hand.

The account's device and its Health sensor are registered as the integration
registers them; the test writes the sensor's states, so every path of the
blueprint is seen: entering, waiting, recovering, outages, reloads, restarts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
import re
import shutil
from typing import Any
from urllib.parse import parse_qs, urlsplit

from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint import importer, models
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)

from custom_components.tracker_stats.const import DOMAIN

REPO = Path(__file__).parents[2]
BLUEPRINT_PATH = "tracker_stats/protect_account.yaml"
BLUEPRINT = REPO / "blueprints" / "automation" / BLUEPRINT_PATH
README = REPO / "README.md"
RAW_URL = (
    "https://raw.githubusercontent.com/tracker-stats/ha-tracker-stats/main/"
    "blueprints/automation/tracker_stats/protect_account.yaml"
)
HEALTH = "sensor.redacted_johndoe_health"
# The health sensor's own states: options mark it among the device's sensors.
VERDICTS = ["ok", "at_risk", "in_danger"]


@pytest.fixture
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "blueprints" / "automation" / BLUEPRINT_PATH
    target.parent.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target)
    original = hass.config.config_dir
    hass.config.config_dir = str(tmp_path)
    yield tmp_path
    hass.config.config_dir = original


@pytest.fixture
def account(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> str:
    """Register an account's device with a Health sensor and a Ratio sensor."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="redacted.sh_12345")
    entry.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, "redacted.sh_12345")},
        name="Redacted (JohnDoe)",
    )
    for key in ("health", "ratio", "health_reason"):
        entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"redacted.sh_12345_{key}",
            config_entry=entry,
            device_id=device.id,
            suggested_object_id=f"redacted_johndoe_{key}",
        )
    hass.states.async_set("sensor.redacted_johndoe_ratio", "4.0")
    hass.states.async_set(
        "sensor.redacted_johndoe_health_reason", "none", {"options": ["none"]}
    )
    return device.id


async def settle(hass: HomeAssistant) -> None:
    """Let triggers, conditions and actions run.

    Not ``async_block_till_done``: an armed guard is a run that waits for the
    account to be OK again, and that would wait for it forever.
    """
    for _ in range(50):
        await asyncio.sleep(0)


def set_health(hass: HomeAssistant, verdict: str) -> None:
    attributes = {} if verdict == STATE_UNAVAILABLE else {"options": VERDICTS}
    hass.states.async_set(HEALTH, verdict, attributes)


def guard(device_id: str, **inputs: Any) -> dict[str, Any]:
    return {
        "id": "guard",
        "alias": "Guard",
        "use_blueprint": {
            "path": BLUEPRINT_PATH,
            "input": {
                "account": device_id,
                "enter_actions": [{"action": "test.pause", "data": {"why": "enter"}}],
                "recovery_actions": [
                    {"action": "test.resume", "data": {"why": "recovery"}}
                ],
                **inputs,
            },
        },
    }


class Guard:
    """The guard automation and the actions it ran."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.paused: list[ServiceCall] = async_mock_service(hass, "test", "pause")
        self.resumed: list[ServiceCall] = async_mock_service(hass, "test", "resume")

    async def health(self, *verdicts: str) -> tuple[int, int]:
        """Move the health through ``verdicts``; return (enter runs, recovery runs)."""
        for verdict in verdicts:
            set_health(self.hass, verdict)
            await settle(self.hass)
        return len(self.paused), len(self.resumed)


async def start_guard(
    hass: HomeAssistant, device_id: str, initial: str = "ok", **inputs: Any
) -> Guard:
    set_health(hass, initial)
    runs = Guard(hass)
    assert await async_setup_component(
        hass, "automation", {"automation": [guard(device_id, **inputs)]}
    )
    await hass.async_block_till_done()
    return runs


async def test_blueprint_is_valid(hass: HomeAssistant) -> None:
    blueprint = models.Blueprint(
        yaml_util.load_yaml(BLUEPRINT),
        expected_domain="automation",
        path=BLUEPRINT_PATH,
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.validate() is None
    assert blueprint.name == "Protect a tracker account"
    assert blueprint.metadata["homeassistant"] == {"min_version": "2025.4.0"}
    assert set(blueprint.inputs) == {
        "account",
        "verdict",
        "enter_actions",
        "recovery_actions",
    }
    [device_filter] = blueprint.inputs["account"]["selector"]["device"]["filter"]
    assert device_filter == {"integration": DOMAIN}
    options = blueprint.inputs["verdict"]["selector"]["select"]["options"]
    assert [option["value"] for option in options] == ["at_risk", "in_danger"]


async def test_guard_validates_with_defaults(
    hass: HomeAssistant, config_dir: Path, account: str
) -> None:
    config = {
        "id": "guard",
        "use_blueprint": {"path": BLUEPRINT_PATH, "input": {"account": account}},
    }
    validated = await async_validate_config_item(hass, "guard", config)
    assert validated is not None
    assert validated.validation_status == "ok"


async def test_in_danger_acts_once_and_recovers_once(
    hass: HomeAssistant, config_dir: Path, account: str
) -> None:
    runs = await start_guard(hass, account)
    assert await runs.health("at_risk") == (0, 0)
    assert await runs.health("in_danger") == (1, 0)
    assert runs.paused[0].data == {"why": "enter"}
    # Up and down while in trouble: no second run.
    assert await runs.health("at_risk", "in_danger", "at_risk") == (1, 0)
    assert await runs.health("ok") == (1, 1)
    assert runs.resumed[0].data == {"why": "recovery"}
    assert await runs.health("ok", "at_risk", "ok") == (1, 1)
    # A second time in danger is a new run.
    assert await runs.health("in_danger", "ok") == (2, 2)


async def test_at_risk_acts_on_either_verdict(
    hass: HomeAssistant, config_dir: Path, account: str
) -> None:
    runs = await start_guard(hass, account, verdict="at_risk")
    assert await runs.health("at_risk") == (1, 0)
    assert await runs.health("in_danger", "at_risk") == (1, 0)
    assert await runs.health("ok") == (1, 1)
    assert await runs.health("in_danger", "ok") == (2, 2)


async def test_outages_and_reloads_run_nothing(
    hass: HomeAssistant, config_dir: Path, account: str
) -> None:
    runs = await start_guard(hass, account)
    # OK through an entry reload: nothing.
    assert await runs.health(STATE_UNAVAILABLE, "ok") == (0, 0)
    # In danger (here: found so after a reload) acts; the guard then waits,
    # and more reloads of the entry act nothing again.
    assert await runs.health(STATE_UNAVAILABLE, "in_danger") == (1, 0)
    assert await runs.health(STATE_UNAVAILABLE, "in_danger") == (1, 0)
    assert await runs.health(STATE_UNAVAILABLE, "at_risk", "in_danger") == (1, 0)
    assert await runs.health(STATE_UNAVAILABLE, "ok") == (1, 1)


async def test_an_automation_reload_keeps_the_guard_armed(
    hass: HomeAssistant, config_dir: Path, account: str
) -> None:
    runs = await start_guard(hass, account)
    assert await runs.health("in_danger") == (1, 0)
    # The user edits the guard: the automation is made anew, its run ends.
    edited = {**guard(account), "alias": "Guard, edited"}
    (config_dir / "configuration.yaml").write_text(
        yaml_util.dump({"automation": [edited]})
    )
    await hass.services.async_call("automation", "reload", blocking=True)
    await settle(hass)
    assert await runs.health("in_danger") == (1, 0)
    assert await runs.health("ok") == (1, 1)
    # A reload while the account is fine arms nothing.
    await hass.services.async_call("automation", "reload", blocking=True)
    await settle(hass)
    assert await runs.health("ok") == (1, 1)


@pytest.mark.parametrize(("restored", "recoveries"), [("in_danger", 1), ("ok", 0)])
async def test_a_restart_picks_up_a_waiting_guard(
    hass: HomeAssistant,
    config_dir: Path,
    account: str,
    restored: str,
    recoveries: int,
) -> None:
    """Home Assistant starting with the account in danger runs no enter actions again."""
    hass.set_state(CoreState.not_running)
    runs = await start_guard(hass, account, initial=restored)
    await hass.async_start()
    await settle(hass)
    assert await runs.health(restored) == (0, 0)
    assert await runs.health("ok") == (0, recoveries)


async def test_readme_badge_imports_the_guard(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    badges = re.findall(
        r"https://my\.home-assistant\.io/redirect/blueprint_import/\?[^)\s]+",
        README.read_text(),
    )
    [url] = [
        url
        for badge in badges
        for url in parse_qs(urlsplit(badge).query)["blueprint_url"]
        if url.endswith("/protect_account.yaml")
    ]
    assert url == RAW_URL
    aioclient_mock.get(url, text=BLUEPRINT.read_text())
    imported = await importer.fetch_blueprint_from_url(hass, url)
    assert imported.blueprint.name == "Protect a tracker account"


async def test_readme_guard_examples_validate(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """Transmission, qBittorrent and notification only: each is a valid guard."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), flags=re.DOTALL)
    guards = [
        automation
        for block in blocks
        if isinstance(parsed := yaml_util.parse_yaml(block), list)
        for automation in parsed
        if "use_blueprint" in automation
    ]
    assert [guard["id"] for guard in guards] == [
        "protect_redacted_transmission",
        "protect_aither_qbittorrent",
        "protect_mam_notify",
    ]
    actions = {
        step["action"]
        for guard in guards
        for key in ("enter_actions", "recovery_actions")
        for step in guard["use_blueprint"]["input"][key]
    }
    assert {"switch.turn_off", "switch.turn_on"} <= actions
    assert "persistent_notification.create" in actions
    entities = str(guards)
    assert "switch.transmission_switch" in entities
    assert "switch.qbittorrent_alternative_speed" in entities
    for guard in guards:
        validated = await async_validate_config_item(hass, guard["id"], guard)
        assert validated is not None
        assert validated.validation_status == "ok", guard["id"]
