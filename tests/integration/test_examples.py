"""The README's examples are valid: the automations, snippets and the dashboard.

The automations go through automation's own config validation; they and the
blueprint run against the demo tracker in test_blueprint.py.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.components import logger as logger_component
from homeassistant.components.automation.config import (
    async_validate_config_item,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    entity_registry as er,
    script,
)
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.api import PLATFORMS, TrackerPlatform
from custom_components.tracker_stats.binary_sensor import BINARY_SENSORS
from custom_components.tracker_stats.dashboard import STRATEGY_FILE
from custom_components.tracker_stats.event import ALERT
from custom_components.tracker_stats.health import HealthSettings, judged_rules
from custom_components.tracker_stats.health_sensor import HEALTH_SENSORS
from custom_components.tracker_stats.sensor import LAST_UPDATE, SENSORS
from tests.showcase import SHOWCASES

from .conftest import EntryFactory, setup_entry

REPO = Path(__file__).parents[2]
README = REPO / "README.md"
STRINGS = REPO / "custom_components" / "tracker_stats" / "strings.json"
AUTOMATIONS = REPO / "examples" / "automations.yaml"
DASHBOARD = REPO / "examples" / "dashboard.yaml"
DEMO_OPTIONS = REPO / "script" / "demo" / "options.json"

RATIO = "sensor.redacted_johndoe_ratio"
BELOW_REQUIRED = "binary_sensor.redacted_johndoe_below_required_ratio"
WARNED = "binary_sensor.redacted_johndoe_warned"
ENTITY_ID = re.compile(r"^(?:sensor|binary_sensor|event)\.[a-z0-9_]+$")


def load(path: Path) -> Any:
    """Load YAML with Home Assistant's loader (it knows !input)."""
    return yaml_util.load_yaml(path)


def readme_snippets() -> list[Any]:
    """Return every ```yaml block of the README, parsed."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), flags=re.DOTALL)
    return [yaml_util.parse_yaml(block) for block in blocks]


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
        elif isinstance(snippet, list) and all("use_blueprint" in a for a in snippet):
            # The guard's examples: validated in test_health_guard.py.
            kinds.append("blueprint")
        elif isinstance(snippet, dict) and "action" in snippet:
            kinds.append("action")
            await script.async_validate_actions_config(
                hass, cv.SCRIPT_SCHEMA([snippet])
            )
        elif isinstance(snippet, dict) and "logger" in snippet:
            kinds.append("logger")
            logger_component.CONFIG_SCHEMA(snippet)
        elif isinstance(snippet, dict) and "strategy" in snippet:
            kinds.append("dashboard")
            # The two lines the frontend hands to the strategy module.
            assert snippet == {"strategy": {"type": "custom:tracker-stats"}}
            assert '"ll-strategy-dashboard-tracker-stats"' in STRATEGY_FILE.read_text(
                encoding="utf-8"
            )
        else:
            pytest.fail(
                f"The README has a YAML block this test does not know: {snippet}"
            )
    assert {"automation", "action", "logger", "dashboard"} <= set(kinds)


def test_readme_entity_matrix_matches_the_code() -> None:
    """The README's entity × platform matrix is the code's, row by row."""
    rows = re.findall(
        r"^\| (.+?) \(`(\w+)`\) \| (.+) \|$", README.read_text(), re.MULTILINE
    )
    names = json.loads(STRINGS.read_text())["entity"]
    every_field = frozenset[str]()
    descriptions: list[tuple[str, Any, frozenset[str]]] = [
        *(("sensor", d, d.needs) for d in SENSORS),
        *(("sensor", d, d.needs) for d in HEALTH_SENSORS),
        *(("binary_sensor", d, d.needs) for d in BINARY_SENSORS),
        ("sensor", LAST_UPDATE, every_field),
        ("event", ALERT, every_field),
    ]
    assert [key for _, key, _ in rows] == [d.key for _, d, _ in descriptions]
    for (name, _key, cells), (domain, description, needs) in zip(
        rows, descriptions, strict=True
    ):
        *marks, enabled = (cell.strip() for cell in cells.split(" | "))
        assert name == names[domain][description.key]["name"]
        assert marks == [
            "✓"
            if needs <= PLATFORMS[platform]
            and (
                not getattr(description, "judges", False)
                # A verdict needs a rule the platform judges without options.
                or judged_rules(PLATFORMS[platform], HealthSettings(forecast_days=7))
            )
            else "—"
            for platform in TrackerPlatform
        ], description.key
        assert enabled == (
            "yes" if description.entity_registry_enabled_default is not False else "no"
        ), description.key


async def test_dashboard_shows_only_demo_entities(
    hass: HomeAssistant, demo_entry: EntryFactory
) -> None:
    """Every entity the dashboard names exists, enabled, for the demo accounts."""
    dashboard = load(DASHBOARD)
    # Sections views hold their cards in sections; masonry views directly.
    cards = [
        card
        for view in dashboard["views"]
        for holder in [view, *view.get("sections", [])]
        for card in holder.get("cards", [])
    ]
    assert all("type" in card for card in cards)
    # No logbook: empty, it is a large blank card; the latest alert is a tile.
    assert {"entities", "tile", "gauge", "statistics-graph"} <= {
        card["type"] for card in cards
    }

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

    # One demo account of each platform, as scripts/demo adds them; where
    # the answer holds no user id, the flow stores none.
    # With the options scripts/demo sets, as a user would (README → Try it).
    demo_options = json.loads(DEMO_OPTIONS.read_text(encoding="utf-8"))
    entries: list[MockConfigEntry] = [
        demo_entry(
            showcase.name,
            store_id=showcase.stores_id,
            options=demo_options.get(showcase.name),
        )
        for showcase in SHOWCASES.values()
    ]
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
    # The example shows some accounts (the generated dashboard shows every
    # one); each account it shows has its key numbers and its alert there.
    key_numbers = {
        "ratio": "ratio",
        "uploaded": "uploaded_bytes",
        "downloaded": "downloaded_bytes",
        "buffer": "buffer_bytes",
        "bonus_points": "bonus_points",
    }
    shown_accounts = [
        showcase
        for showcase in SHOWCASES.values()
        if f"event.{showcase.object_id}_alert" in shown
    ]
    assert len(shown_accounts) >= 7
    for showcase in shown_accounts:
        device = showcase.object_id
        assert {
            f"sensor.{device}_{key}"
            for key, field in key_numbers.items()
            if field in showcase.spec.fields
        } <= shown, device
    assert {BELOW_REQUIRED, WARNED, "sensor.redacted_johndoe_seeding_torrents"} <= shown
    # The verdict and the forecast where the tracker sends its rules.
    for device in (
        "redacted_johndoe",
        "gazellegames_exampleuser",
        "myanonamouse_demoreader",
    ):
        assert {
            f"sensor.{device}_health",
            f"sensor.{device}_health_reason",
            f"sensor.{device}_ratio_forecast",
        } - {"sensor.myanonamouse_demoreader_ratio_forecast"} <= shown, device
    assert "logbook" not in {card["type"] for card in cards}
    # Nothing on it shows "unknown" with the demo accounts' values.
    unknown = {
        entity_id
        for entity_id in shown
        if not entity_id.startswith("event.")
        # The forecast needs a day of history.
        and not entity_id.endswith("_ratio_forecast")
        and (state := hass.states.get(entity_id)) is not None
        and state.state in ("unknown", "unavailable")
    }
    assert not unknown, unknown
    # Statistics graphs need a state class; every entity they chart has one.
    for card in cards:
        if card["type"] == "statistics-graph":
            for shown_entity in card["entities"]:
                entity_id = (
                    shown_entity["entity"]
                    if isinstance(shown_entity, dict)
                    else shown_entity
                )
                state = hass.states.get(entity_id)
                assert state is not None
                assert state.attributes.get("state_class"), entity_id
