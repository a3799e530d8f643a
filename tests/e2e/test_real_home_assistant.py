"""End to end: a real Home Assistant process, the demo tracker, REST only.

Runs on both Home Assistant lines, each with the `hass` of the virtualenv
that runs the tests (in the newest line's chroot, its own). One scenario,
because booting Home Assistant costs most of the time: each step starts from
the state the previous one left, as a user's session would.
"""

from __future__ import annotations

import pytest

from .browser import (
    add_account,
    reauth_offered,
    refresh_until,
    registry_entities,
    states,
)
from .session import Session

pytestmark = pytest.mark.e2e

RED_RATIO = "sensor.redacted_johndoe_ratio"
RATIOS = (RED_RATIO, "sensor.gazellegames_exampleuser_ratio")
# Entities enabled by default (README), health and its forecast included: the
# rest are in the registry, disabled.
ENABLED_ENTITIES = {"redacted_johndoe_": 15, "gazellegames_exampleuser_": 15}
DISABLED_ENTITIES = (
    "sensor.redacted_johndoe_user_class",
    "sensor.redacted_johndoe_freeleech_tokens",
    "sensor.redacted_johndoe_joined",
    "sensor.gazellegames_exampleuser_share_score",
    "sensor.gazellegames_exampleuser_last_update",
)

# What /api/states shows for the seeds' accounts (JohnDoe, ExampleUser).
SEED_STATES = {
    RED_RATIO: "4.0",
    "sensor.redacted_johndoe_uploaded": str(536870912000 / 2**30),
    "sensor.redacted_johndoe_seeding_torrents": "42",
    "sensor.redacted_johndoe_bonus_points": "12500",
    "binary_sensor.redacted_johndoe_warned": "off",
    "event.redacted_johndoe_alert": "unknown",
    # The sensor cuts the ratio to two decimals: "0.99699" shows 0.99.
    "sensor.gazellegames_exampleuser_ratio": "0.99",
    "sensor.gazellegames_exampleuser_bonus_points": "39858",
    "sensor.gazellegames_exampleuser_hit_and_runs": "0",
    "sensor.gazellegames_exampleuser_seeding_torrents": "312",
}


def demo_account_fields(demo_url: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Return the config-flow input adding each demo account: preset, credentials."""
    return {
        "red": (
            "redacted",
            {
                "url": demo_url,
                "api_key": "demo-red-key",
                "auth_style": "raw",
                "api_path": "ajax.php",
            },
        ),
        "ggn": ("gazellegames", {"url": demo_url, "api_key": "demo-ggn-key"}),
    }


def test_a_users_session_from_a_wrong_key_to_a_rotated_one(e2e: Session) -> None:
    """Wrong key, both accounts, the seeds, an outage, a rotated key; no key leaks."""
    e2e.boot()
    owner = e2e.owner
    accounts = demo_account_fields(e2e.demo_url)
    preset, fields = accounts["red"]
    e2e.secrets.add("wrong-key")
    wrong = add_account(owner, preset, {**fields, "api_key": "wrong-key"})
    # Redacted is a Gazelle site: the text names the header style too.
    assert wrong.get("errors") == {"base": "invalid_auth_gazelle"}, wrong

    for preset, fields in accounts.values():
        result = add_account(owner, preset, fields)
        assert result["type"] == "create_entry", result

    shown = {prefix: states(owner, prefix) for prefix in ENABLED_ENTITIES}
    assert {prefix: len(found) for prefix, found in shown.items()} == ENABLED_ENTITIES
    every_state = {k: v for found in shown.values() for k, v in found.items()}
    assert {entity: every_state.get(entity) for entity in SEED_STATES} == SEED_STATES
    registered = registry_entities(owner, "")
    assert {
        entity: registered[entity]["disabled_by"] for entity in DISABLED_ENTITIES
    } == dict.fromkeys(DISABLED_ENTITIES, "integration")

    e2e.demo.call("POST", "/_demo/fault", {"mode": "server_error"})
    for entity in RATIOS:
        assert refresh_until(owner, entity, "unavailable") == "unavailable"
    assert not reauth_offered(owner), "a server error is not an auth failure"

    e2e.demo.call("DELETE", "/_demo/fault")
    for entity in RATIOS:
        assert refresh_until(owner, entity, SEED_STATES[entity]) == SEED_STATES[entity]

    rotated = e2e.demo.call("POST", "/_demo/rotate_key", {"account": "red"})["key"]
    e2e.secrets.add(rotated)
    assert refresh_until(owner, RED_RATIO, "unavailable") == "unavailable"
    assert reauth_offered(owner)

    e2e.assert_log_clean()
