"""The alert blueprint and the example automations, run against the demo tracker.

The blueprint is loaded the way a user's Home Assistant loads it: from a
config dir's blueprints/ folder and through the importer the README's badge
calls; then it and the examples notify for each alert the demo can produce.
"""

from __future__ import annotations

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
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
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
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.tracker_stats.alerts import EVENT_TYPE_NEEDS
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

REPO = Path(__file__).parents[2]
README = REPO / "README.md"
AUTOMATIONS = REPO / "examples" / "automations.yaml"
BLUEPRINT_PATH = "tracker_stats/alert_notification.yaml"
BLUEPRINT = REPO / "blueprints" / "automation" / BLUEPRINT_PATH
RAW_BLUEPRINT_URL = (
    "https://raw.githubusercontent.com/tracker-stats/ha-tracker-stats/main/"
    "blueprints/automation/tracker_stats/alert_notification.yaml"
)
RED_ALERT = "event.redacted_johndoe_alert"
GGN_ALERT = "event.gazellegames_exampleuser_alert"


def blueprint_automation(entity_id: str, **inputs: Any) -> dict[str, Any]:
    """Return an automation that uses the alert blueprint."""
    return {
        "id": f"blueprint_{entity_id}",
        "alias": f"Alerts of {entity_id}",
        "use_blueprint": {
            "path": BLUEPRINT_PATH,
            "input": {"alert_entity": entity_id, **inputs},
        },
    }


@pytest.fixture
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Iterator[Path]:
    """Give hass a config dir holding the blueprint where users put it."""
    target = tmp_path / "blueprints" / "automation" / BLUEPRINT_PATH
    target.parent.mkdir(parents=True)
    shutil.copy(BLUEPRINT, target)
    original = hass.config.config_dir
    hass.config.config_dir = str(tmp_path)
    yield tmp_path
    hass.config.config_dir = original


async def notifications(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> list[tuple[str, str]]:
    """Return (title, message) of every persistent notification, as the UI sees them."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "persistent_notification/get"})
    reply = await client.receive_json()
    assert reply["success"]
    return sorted((n["title"], n["message"]) for n in reply["result"])


async def test_blueprint_is_valid(hass: HomeAssistant) -> None:
    """The blueprint passes automation's blueprint schema and runs on 2025.4."""
    blueprint = models.Blueprint(
        yaml_util.load_yaml(BLUEPRINT),
        expected_domain="automation",
        path=BLUEPRINT_PATH,
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.validate() is None  # min_version is met
    assert blueprint.metadata["homeassistant"] == {"min_version": "2025.4.0"}
    assert blueprint.metadata["source_url"] == (
        "https://github.com/tracker-stats/ha-tracker-stats/blob/main/"
        "blueprints/automation/tracker_stats/alert_notification.yaml"
    )
    assert set(blueprint.inputs) == {"alert_entity", "event_types", "notify_device"}
    [entity_filter] = blueprint.inputs["alert_entity"]["selector"]["entity"]["filter"]
    assert entity_filter["integration"] == "tracker_stats"
    assert entity_filter["domain"] in ("event", ["event"])
    # Every event type is offered and chosen by default.
    select = blueprint.inputs["event_types"]["selector"]["select"]
    assert [option["value"] for option in select["options"]] == list(EVENT_TYPE_NEEDS)
    assert blueprint.inputs["event_types"]["default"] == list(EVENT_TYPE_NEEDS)


async def test_readme_badge_imports_the_blueprint(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The README's import badge points at the blueprint, and HA can import it."""
    badges = re.findall(
        r"https://my\.home-assistant\.io/redirect/blueprint_import/\?[^)\s]+",
        README.read_text(),
    )
    # This one, and the guard's (tested in test_health_guard.py).
    assert len(badges) == 2
    url = parse_qs(urlsplit(badges[0]).query)["blueprint_url"][0]
    assert url == RAW_BLUEPRINT_URL
    aioclient_mock.get(url, text=BLUEPRINT.read_text())

    imported = await importer.fetch_blueprint_from_url(hass, url)

    assert imported.blueprint.domain == "automation"
    assert imported.blueprint.name == "Tracker alert notification"


async def test_blueprint_automation_validates(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """An automation made from the blueprint passes validation, defaults and all."""
    validated = await async_validate_config_item(
        hass, "tracker_stats_blueprint", blueprint_automation(RED_ALERT)
    )
    assert validated is not None
    assert validated.validation_status == "ok"


async def test_example_automations_validate(hass: HomeAssistant) -> None:
    automations = yaml_util.load_yaml(AUTOMATIONS)
    for automation in automations:
        validated = await async_validate_config_item(hass, automation["id"], automation)
        assert validated is not None
        assert validated.validation_status == "ok"
        assert automation["triggers"][0]["entity_id"] == RED_ALERT


async def test_blueprint_and_examples_notify_on_the_demo_tracker(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    config_dir: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Every alert the demo can produce notifies once; outages and restarts don't."""
    assert await async_setup_component(hass, "persistent_notification", {})
    red, ggn = demo.state.accounts["red"], demo.state.accounts["ggn"]
    ggn.documents["user"]["personal"]["hnrs"] = 0
    entries = [demo_entry("red"), demo_entry("ggn")]
    await setup_entry(hass, entries[0])
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                *yaml_util.load_yaml(AUTOMATIONS),
                blueprint_automation(RED_ALERT),
                blueprint_automation(GGN_ALERT),
            ]
        },
    )
    await hass.async_block_till_done()
    automations = hass.states.async_all("automation")
    assert len(automations) == 5
    assert all(state.state == STATE_ON for state in automations), automations

    async def poll() -> list[tuple[str, str]]:
        for entry in entries:
            await entry.runtime_data.async_refresh()
        await hass.async_block_till_done()
        return await notifications(hass, hass_ws_client)

    # An outage and its recovery, and a reload (as after a restart): nothing.
    demo.state.set_fault("server_error")
    await poll()
    demo.state.clear_fault()
    assert await poll() == []
    await hass.config_entries.async_reload(entries[0].entry_id)
    await hass.async_block_till_done()
    assert await poll() == []

    account = "Redacted (JohnDoe)"
    demo.state.drop_ratio("red", 0.2)
    shown = await poll()
    new_ratio = hass.states.get("sensor.redacted_johndoe_ratio").state
    assert shown == [
        (
            "Ratio dropped",
            f"{account}: the ratio fell from 4.0 to {round(float(new_ratio), 3)}.",
        ),
        ("Tracker ratio dropped", f"Redacted ratio fell from 4.0 to {new_ratio}."),
    ]

    expected = {
        "Ratio below the required ratio": f"{account}: the ratio is below the required ratio.",
        "Account warned": f"{account} has been warned. Check your inbox on the tracker.",
        "Class changed": f"{account}: the class changed from Power User to Elite.",
        "New message": f"{account}: 2 unread messages (was 0).",
        "Seeding stopped": f"{account} no longer seeds anything (was 42 torrents).",
        "New hit and run": "GazelleGames (ExampleUser): hit and runs went from 0 to 1.",
    }
    steps = {
        "Ratio below the required ratio": lambda: (
            red.documents["index"]["userstats"].update(requiredratio=5.0),
            red.documents["user"]["stats"].update(requiredRatio=5.0),
        ),
        "Account warned": lambda: red.documents["user"]["personal"].update(warned=True),
        "Class changed": lambda: red.documents["index"]["userstats"].update(
            {"class": "Elite"}
        ),
        "New message": lambda: red.documents["index"]["notifications"].update(
            messages=2
        ),
        "Seeding stopped": lambda: (
            red.documents["index"]["userstats"].update(seedingcount=0),
            red.documents["user"]["community"].update(seeding=0),
        ),
        "New hit and run": lambda: ggn.documents["user"]["personal"].update(hnrs=1),
    }
    for title, change in steps.items():
        before = await notifications(hass, hass_ws_client)
        change()
        after = await poll()
        new = [item for item in after if item not in before]
        assert (title, expected[title]) in new, (title, new)
        # The examples notify too, for the three they cover. Below the
        # required ratio puts the account in danger (warned then keeps it there).
        danger = title == "Ratio below the required ratio"
        if danger:
            assert (
                "Account in danger",
                f"{account} is in danger (below required ratio).",
            ) in new
        examples = title in ("Ratio below the required ratio", "Account warned")
        assert len(new) == 1 + examples + danger, new
        assert await poll() == after  # no change, no second notification


async def test_blueprint_filters_event_types_and_notifies_a_phone(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    config_dir: Path,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Only the chosen alerts notify, through the phone's notify action."""
    phone_entry = MockConfigEntry(domain="mobile_app")
    phone_entry.add_to_hass(hass)
    phone = device_registry.async_get_or_create(
        config_entry_id=phone_entry.entry_id,
        identifiers={("mobile_app", "pixel")},
        name="Pixel 8",
    )
    calls: list[ServiceCall] = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                blueprint_automation(
                    RED_ALERT, event_types=["warned"], notify_device=phone.id
                )
            ]
        },
    )
    await hass.async_block_till_done()

    demo.state.drop_ratio("red", 0.5)
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert calls == []
    demo.state.accounts["red"].documents["user"]["personal"]["warned"] = True
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert [call.data for call in calls] == [
        {
            "title": "Account warned",
            "message": "Redacted (JohnDoe) has been warned. Check your inbox on the tracker.",
        }
    ]
