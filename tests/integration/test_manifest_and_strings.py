"""Manifest, translations and icons agree with the code."""

from __future__ import annotations

import json
from pathlib import Path
import re

from custom_components.tracker_stats.alerts import EVENT_TYPE_NEEDS
from custom_components.tracker_stats.api import PLATFORM_SPECS
from custom_components.tracker_stats.binary_sensor import BINARY_SENSORS
from custom_components.tracker_stats.const import DOMAIN, TRACKER_PRESETS
from custom_components.tracker_stats.event import ALERT
from custom_components.tracker_stats.flow_helpers import (
    credentials_schema,
    credentials_step,
)
from custom_components.tracker_stats.health_sensor import HEALTH_SENSORS
from custom_components.tracker_stats.sensor import LAST_UPDATE, SENSORS

PACKAGE = Path(__file__).parents[2] / "custom_components" / DOMAIN


def load(name: str) -> dict:
    """Load a JSON file of the integration package."""
    return json.loads((PACKAGE / name).read_text(encoding="utf-8"))


def test_translations_are_strings() -> None:
    """A custom integration ships strings.json verbatim as en.json."""
    assert load("strings.json") == load("translations/en.json")


def test_every_entity_has_a_name_and_an_icon() -> None:
    """Each translation_key has a name and an icon, and nothing extra."""
    strings, icons = load("strings.json")["entity"], load("icons.json")["entity"]
    for platform, descriptions in (
        ("sensor", (*SENSORS, *HEALTH_SENSORS, LAST_UPDATE)),
        ("binary_sensor", BINARY_SENSORS),
        ("event", (ALERT,)),
    ):
        keys = {d.translation_key for d in descriptions}
        assert keys == set(strings[platform]) == set(icons[platform])
        assert all(strings[platform][key]["name"] for key in keys)
    for texts in (strings, icons):
        event_types = texts["event"]["alert"]["state_attributes"]["event_type"]
        assert set(event_types["state"]) == set(EVENT_TYPE_NEEDS)


def test_every_error_and_abort_the_code_uses_is_translated() -> None:
    """Each reason and error key of the flow, coordinator and setup has text."""
    config = load("strings.json")["config"]
    source = (PACKAGE / "flow_helpers.py").read_text(encoding="utf-8")
    errors = set(re.findall(r'FormError\("(\w+)"\)', source))
    assert errors == {
        "invalid_auth",
        "rate_limited",
        "cannot_connect",
        "invalid_response",
        "insecure_url",
        "unknown",
    }
    # A rejected secret shows its platform's text where the generic one does not fit.
    rejected = {spec.rejected_key_error for spec in PLATFORM_SPECS.values()}
    assert errors | rejected == set(config["error"])
    assert set(config["abort"]) == {
        "already_configured",
        "wrong_account",
        "reauth_successful",
        "reconfigure_successful",
    }
    keys = {
        key
        for module in ("coordinator.py", "__init__.py")
        for key in re.findall(
            r'translation_key="(\w+)"', (PACKAGE / module).read_text(encoding="utf-8")
        )
    }
    assert keys == set(load("strings.json")["exceptions"])
    assert "platform_unsupported" in load("strings.json")["issues"]


def test_every_credentials_step_is_translated() -> None:
    """Each credentials step names exactly the fields its form asks for."""
    steps = load("strings.json")["config"]["step"]
    for tracker, preset in TRACKER_PRESETS.items():
        step = credentials_step(tracker)
        form = [str(key) for key in credentials_schema(preset.platform, {}).schema]
        assert list(steps[step]["data"]) == form, step
        assert set(steps[step]["data_description"]) == set(form)


def test_tracker_selector_options_are_translated() -> None:
    """Each preset appears in the tracker selector's translations."""
    selector = load("strings.json")["selector"]
    assert list(selector["tracker"]["options"]) == list(TRACKER_PRESETS)
    assert set(selector["auth_style"]["options"]) == {"token", "raw"}
