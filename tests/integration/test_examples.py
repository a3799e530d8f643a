"""The README's examples work: the blueprint, the automations and the dashboard.

Everything is loaded the way a user's Home Assistant loads it: the blueprint
from a config dir's blueprints/ folder and through the importer the README's
badge calls, the automations through automation's own config validation, and
then all of them run against the demo tracker until they notify.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
import shutil
from typing import Any
from urllib.parse import parse_qs, urlsplit

from homeassistant.components import logger as logger_component
from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint import importer, models
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    script,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import (
    AiohttpClientMocker,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.tracker_stats.binary_sensor import BINARY_SENSORS
from custom_components.tracker_stats.const import TrackerPlatform
from custom_components.tracker_stats.sensor import SENSORS
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

REPO = Path(__file__).parents[2]
README = REPO / "README.md"
STRINGS = REPO / "custom_components" / "tracker_stats" / "strings.json"
AUTOMATIONS = REPO / "examples" / "automations.yaml"
DASHBOARD = REPO / "examples" / "dashboard.yaml"
BLUEPRINT_PATH = "tracker_stats/ratio_drop.yaml"
BLUEPRINT = REPO / "blueprints" / "automation" / BLUEPRINT_PATH
RAW_BLUEPRINT_URL = (
    "https://raw.githubusercontent.com/tracker-stats/ha-tracker-stats/main/"
    "blueprints/automation/tracker_stats/ratio_drop.yaml"
)

RATIO = "sensor.redacted_johndoe_ratio"
BELOW_REQUIRED = "binary_sensor.redacted_johndoe_below_required_ratio"
WARNED = "binary_sensor.redacted_johndoe_warned"
ENTITY_ID = re.compile(r"^(?:sensor|binary_sensor)\.[a-z0-9_]+$")


def load(path: Path) -> Any:
    """Load YAML with Home Assistant's loader (it knows !input)."""
    return yaml_util.load_yaml(path)


def readme_snippets() -> list[Any]:
    """Return every ```yaml block of the README, parsed."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return [yaml_util.parse_yaml(block) for block in blocks]


def blueprint_automation(**inputs: Any) -> dict[str, Any]:
    """Return an automation that uses the ratio-drop blueprint."""
    return {
        "id": "tracker_stats_blueprint",
        "alias": "Ratio drop from the blueprint",
        "use_blueprint": {
            "path": BLUEPRINT_PATH,
            "input": {"ratio_sensor": RATIO, **inputs},
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
        load(BLUEPRINT),
        expected_domain="automation",
        path=BLUEPRINT_PATH,
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.validate() is None  # min_version is met
    assert blueprint.metadata["homeassistant"] == {"min_version": "2025.4.0"}
    assert blueprint.metadata["source_url"] == (
        "https://github.com/tracker-stats/ha-tracker-stats/blob/main/"
        "blueprints/automation/tracker_stats/ratio_drop.yaml"
    )
    assert set(blueprint.inputs) == {"ratio_sensor", "threshold", "notify_action"}
    # The schema normalizes selectors (domain becomes a list, and so on).
    [entity_filter] = blueprint.inputs["ratio_sensor"]["selector"]["entity"]["filter"]
    assert entity_filter["integration"] == "tracker_stats"
    assert entity_filter["domain"] in ("sensor", ["sensor"])
    assert blueprint.inputs["threshold"]["default"] == 0.1


async def test_readme_badge_imports_the_blueprint(
    hass: HomeAssistant, aioclient_mock: AiohttpClientMocker
) -> None:
    """The README's import badge points at the blueprint, and HA can import it."""
    badges = re.findall(
        r"https://my\.home-assistant\.io/redirect/blueprint_import/\?[^)\s]+",
        README.read_text(),
    )
    assert len(badges) == 1
    url = parse_qs(urlsplit(badges[0]).query)["blueprint_url"][0]
    assert url == RAW_BLUEPRINT_URL
    aioclient_mock.get(url, text=BLUEPRINT.read_text())

    imported = await importer.fetch_blueprint_from_url(hass, url)

    assert imported.blueprint.domain == "automation"
    assert imported.blueprint.name == "Tracker ratio dropped"
    assert imported.raw_data == BLUEPRINT.read_text()


async def test_blueprint_automation_validates(
    hass: HomeAssistant, config_dir: Path
) -> None:
    """An automation made from the blueprint passes validation, defaults and all."""
    validated = await async_validate_config_item(
        hass, "tracker_stats_blueprint", blueprint_automation()
    )
    assert validated is not None
    assert validated.validation_status == "ok"
    # The default action: a persistent notification.
    assert validated["actions"][0]["action"] == "persistent_notification.create"


async def test_example_automations_validate(hass: HomeAssistant) -> None:
    """Every example automation passes the validation of the automation editor."""
    automations = load(AUTOMATIONS)
    assert [a["id"] for a in automations] == [
        "tracker_stats_ratio_drop",
        "tracker_stats_below_required_ratio",
        "tracker_stats_warned",
    ]
    for automation in automations:
        validated = await async_validate_config_item(hass, automation["id"], automation)
        assert validated is not None
        assert validated.validation_status == "ok"


async def test_readme_snippets_are_valid(hass: HomeAssistant) -> None:
    """Every YAML block of the README is valid as written."""
    examples = {a["id"]: a for a in load(AUTOMATIONS)}
    kinds = []
    for snippet in readme_snippets():
        if isinstance(snippet, list) and all("triggers" in a for a in snippet):
            kinds.append("automation")
            for automation in snippet:
                # The README quotes examples/automations.yaml, word for word.
                assert automation == examples[automation["id"]]
                assert await async_validate_config_item(
                    hass, automation["id"], automation
                )
        elif isinstance(snippet, dict) and "action" in snippet:
            kinds.append("action")
            await script.async_validate_actions_config(
                hass, cv.SCRIPT_SCHEMA([snippet])
            )
        elif isinstance(snippet, dict) and "logger" in snippet:
            kinds.append("logger")
            logger_component.CONFIG_SCHEMA(snippet)
        else:
            pytest.fail(
                f"The README has a YAML block this test does not know: {snippet}"
            )
    assert {"automation", "action", "logger"} <= set(kinds)


def test_readme_entity_table_matches_the_code() -> None:
    """The README's entity table is the code's, row by row."""
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \|$", README.read_text(), re.MULTILINE)
    table = {key: [cell.strip() for cell in rest.split(" | ")] for key, rest in rows}
    names = json.loads(STRINGS.read_text())["entity"]
    platform_names = {
        frozenset(TrackerPlatform): "both",
        frozenset({TrackerPlatform.GAZELLE}): "Gazelle",
        frozenset({TrackerPlatform.GGN}): "GazelleGames",
    }
    descriptions: list[tuple[str, Any, str]] = [
        *(("sensor", d, platform_names[d.platforms]) for d in SENSORS),
        *(("binary_sensor", d, "both") for d in BINARY_SENSORS),
    ]
    assert list(table) == [d.key for _, d, _ in descriptions]
    for domain, description, platform in descriptions:
        name, unit, classes, row_platform, enabled = table[description.key]
        assert name == names[domain][description.key]["name"]
        assert row_platform == platform, description.key
        assert enabled == (
            "yes" if description.entity_registry_enabled_default else "no"
        ), description.key
        unit_of_measurement = getattr(description, "native_unit_of_measurement", None)
        if unit_of_measurement == "B":
            assert unit.startswith("data size"), description.key
        elif unit_of_measurement:
            assert unit == unit_of_measurement, description.key
        else:
            assert unit == "—", description.key
        words = {
            str(value).replace("_", " ")
            for value in (
                description.device_class,
                getattr(description, "state_class", None),
                description.entity_category,
            )
            if value is not None
        }
        for word in words:
            assert word in classes, (description.key, word)


async def test_dashboard_shows_only_demo_entities(
    hass: HomeAssistant, demo_entry: EntryFactory
) -> None:
    """Every entity the dashboard names exists, enabled, for the demo accounts."""
    dashboard = load(DASHBOARD)
    cards = [card for view in dashboard["views"] for card in view["cards"]]
    assert all("type" in card for card in cards)
    assert {"entities", "tile", "statistics-graph"} <= {card["type"] for card in cards}

    shown: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, str) and ENTITY_ID.match(node):
            shown.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(dashboard)

    entries: list[MockConfigEntry] = [demo_entry("red"), demo_entry("ggn")]
    # Setting up the integration sets up all of its entries.
    await setup_entry(hass, entries[0])
    assert all(entry.state is ConfigEntryState.LOADED for entry in entries)
    registry = er.async_get(hass)
    created = {
        entity.entity_id
        for entry in entries
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.disabled_by is None
    }
    assert shown <= created, shown - created
    assert {
        RATIO,
        "sensor.redacted_johndoe_uploaded",
        "sensor.redacted_johndoe_downloaded",
        "sensor.redacted_johndoe_buffer",
        "sensor.redacted_johndoe_seeding",
        "sensor.redacted_johndoe_bonus_points",
        "sensor.redacted_johndoe_required_ratio",
        BELOW_REQUIRED,
        WARNED,
        "sensor.gazellegames_exampleuser_ratio",
        "sensor.gazellegames_exampleuser_uploaded",
    } <= shown
    # Statistics graphs need a state class; every entity they chart has one.
    for card in cards:
        if card["type"] == "statistics-graph":
            for entity_id in card["entities"]:
                state = hass.states.get(entity_id)
                assert state is not None
                assert state.attributes.get("state_class"), entity_id


async def test_examples_fire_on_the_demo_tracker(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    config_dir: Path,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Dropping the demo ratio fires the example and the blueprint; outages don't."""
    assert await async_setup_component(hass, "persistent_notification", {})
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": [*load(AUTOMATIONS), blueprint_automation()]},
    )
    await hass.async_block_till_done()
    automations = hass.states.async_all("automation")
    assert len(automations) == 4
    assert all(state.state == STATE_ON for state in automations), automations
    assert hass.states.get(RATIO).state == "4.0"

    async def poll() -> None:
        await entry.runtime_data.async_refresh()
        await hass.async_block_till_done()

    # A tracker outage and its recovery: unavailable in between, no notification.
    demo.state.set_fault("server_error")
    await poll()
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    demo.state.clear_fault()
    await poll()
    assert hass.states.get(RATIO).state == "4.0"
    assert await notifications(hass, hass_ws_client) == []

    # The ratio falls by 0.2: the example automation and the blueprint notify.
    demo.state.drop_ratio("red", 0.2)
    await poll()
    new_ratio = hass.states.get(RATIO).state
    assert float(new_ratio) <= 3.8
    assert await notifications(hass, hass_ws_client) == [
        (
            "Tracker ratio dropped",
            f"Redacted (JohnDoe) Ratio fell from 4.0 to {new_ratio}.",
        ),
        ("Tracker ratio dropped", f"Redacted ratio fell from 4.0 to {new_ratio}."),
    ]

    # Below the required ratio (0.6): the binary sensor turns on and notifies.
    assert hass.states.get(BELOW_REQUIRED).state == "off"
    demo.state.drop_ratio("red", float(new_ratio) - 0.5)
    await poll()
    assert hass.states.get(BELOW_REQUIRED).state == STATE_ON
    titles = [title for title, _ in await notifications(hass, hass_ws_client)]
    assert titles.count("Tracker ratio dropped") == 4
    assert titles.count("Ratio below the required ratio") == 1

    # A warning from the tracker (it comes with the full profile).
    demo.state.accounts["red"].profile["personal"]["warned"] = True
    await poll()
    assert hass.states.get(WARNED).state == STATE_ON
    assert (
        "Tracker warning",
        "Your Redacted account has been warned. Check your inbox on the tracker.",
    ) in await notifications(hass, hass_ws_client)


@pytest.mark.parametrize(
    ("states", "fires"),
    [
        # A drop of exactly the threshold counts, float rounding or not.
        (["3.3", "3.2"], True),
        (["4.0", "3.8"], True),
        (["3.3", "3.25"], False),
        # A rise is no drop.
        (["3.2", "3.5"], False),
        # Outages and unknown ratios (nothing downloaded) never notify.
        (["3.3", "unavailable", "1.0"], False),
        (["3.3", "unknown", "1.0"], False),
        (["unavailable", "1.0"], False),
        (["2.0", "unavailable"], False),
    ],
)
async def test_ratio_drop_rules(
    hass: HomeAssistant,
    config_dir: Path,
    hass_ws_client: WebSocketGenerator,
    states: list[str],
    fires: bool,
) -> None:
    """Example and blueprint agree on what a drop is, state by state."""
    assert await async_setup_component(hass, "persistent_notification", {})
    hass.states.async_set(RATIO, states[0], {"friendly_name": "Ratio"})
    drop_example = next(
        a for a in load(AUTOMATIONS) if a["id"] == "tracker_stats_ratio_drop"
    )
    assert await async_setup_component(
        hass, "automation", {"automation": [drop_example, blueprint_automation()]}
    )
    await hass.async_block_till_done()
    for state in states[1:]:
        hass.states.async_set(RATIO, state, {"friendly_name": "Ratio"})
        await hass.async_block_till_done()
    assert len(await notifications(hass, hass_ws_client)) == (2 if fires else 0)


async def test_blueprint_threshold_and_custom_action(
    hass: HomeAssistant, config_dir: Path, hass_ws_client: WebSocketGenerator
) -> None:
    """The threshold input is honoured and a custom action gets the variables."""
    assert await async_setup_component(hass, "persistent_notification", {})
    hass.states.async_set(RATIO, "3.0")
    custom_action = [
        {
            "action": "persistent_notification.create",
            "data": {
                "title": "Custom",
                "message": "{{ old_ratio }} → {{ new_ratio }} (−{{ drop }})",
            },
        }
    ]
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                blueprint_automation(threshold=0.5, notify_action=custom_action)
            ]
        },
    )
    await hass.async_block_till_done()
    hass.states.async_set(RATIO, "2.6")  # 0.4: below the threshold
    await hass.async_block_till_done()
    assert await notifications(hass, hass_ws_client) == []
    hass.states.async_set(RATIO, "2.1")  # 0.5
    await hass.async_block_till_done()
    assert await notifications(hass, hass_ws_client) == [("Custom", "2.6 → 2.1 (−0.5)")]
