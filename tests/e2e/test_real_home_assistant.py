"""End to end: a real Home Assistant process, the demo tracker, REST only.

Runs on the oldest Home Assistant line (the `hass` of this virtualenv); the
newest line's phase deselects the `e2e` marker. One scenario, because booting
Home Assistant costs most of the time: each step starts from the state the
previous one left, as a user's session would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import sys

import pytest

from .driver import (
    HomeAssistant,
    Http,
    add_account,
    free_port,
    our_tracebacks,
    reauth_offered,
    refresh_until,
    start_demo_tracker_process,
    states,
    stop,
    write_config,
)

pytestmark = pytest.mark.e2e

HASS = Path(sys.executable).with_name("hass")
RED_RATIO = "sensor.redacted_johndoe_ratio"
RATIOS = (RED_RATIO, "sensor.gazellegames_exampleuser_ratio")
KEYS = ("demo-red-key", "demo-ggn-key", "wrong-key")
# Entities enabled by default (PRODUCT.md): the rest are in the registry, disabled.
ENABLED_ENTITIES = {"redacted_johndoe_": 16, "gazellegames_exampleuser_": 17}

# What /api/states shows for the seeds' accounts (JohnDoe, ExampleUser).
SEED_STATES = {
    RED_RATIO: "4.0",
    "sensor.redacted_johndoe_uploaded": str(536870912000 / 2**30),
    "sensor.redacted_johndoe_seeding": "42",
    "sensor.redacted_johndoe_bonus_points": "12500.0",
    "sensor.redacted_johndoe_freeleech_tokens": "3",
    "sensor.redacted_johndoe_user_class": "Power User",
    "sensor.redacted_johndoe_joined": "2021-04-12T09:34:00+00:00",
    "binary_sensor.redacted_johndoe_warned": "off",
    "sensor.gazellegames_exampleuser_ratio": "0.99699",
    "sensor.gazellegames_exampleuser_bonus_points": "39858.0",
    "sensor.gazellegames_exampleuser_share_score": "10.82",
    "sensor.gazellegames_exampleuser_hit_and_runs": "unknown",
    "sensor.gazellegames_exampleuser_user_class": "Elite Gamer",
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


class Setup:
    """What the test drives: Home Assistant, its owner, the tracker's URL."""

    def __init__(self, ha: HomeAssistant, owner: Http, demo_url: str) -> None:
        self.ha, self.owner, self.demo_url = ha, owner, demo_url


@pytest.fixture
def real_home_assistant(socket_enabled: None, tmp_path: Path) -> Iterator[Setup]:
    """Start the demo tracker and Home Assistant; stop both whatever happens."""
    tracker_port = free_port()
    ha = HomeAssistant([str(HASS)], tmp_path / "config", free_port())
    write_config(ha.config, ha.port, name="End to end")
    tracker = None
    with (tmp_path / "processes.log").open("wb") as log:
        try:
            tracker = start_demo_tracker_process(tracker_port, log)
            ha.start(seconds=300, log=log)
            owner = ha.onboard("owner", "e2e-owner-password")
            yield Setup(ha, owner, f"http://127.0.0.1:{tracker_port}")
        finally:
            ha.stop()
            stop(tracker)
    assert ha.process is None
    assert tracker is None or tracker.poll() is not None


def test_a_users_session_from_a_wrong_key_to_a_rotated_one(
    real_home_assistant: Setup,
) -> None:
    """Wrong key, both accounts, the seeds, an outage, a rotated key; no key leaks."""
    ha, owner, demo_url = (
        real_home_assistant.ha,
        real_home_assistant.owner,
        real_home_assistant.demo_url,
    )
    accounts = demo_account_fields(demo_url)
    preset, fields = accounts["red"]
    wrong = add_account(owner, preset, {**fields, "api_key": "wrong-key"})
    assert wrong.get("errors") == {"base": "invalid_auth"}, wrong

    for preset, fields in accounts.values():
        result = add_account(owner, preset, fields)
        assert result["type"] == "create_entry", result

    shown = {prefix: states(owner, prefix) for prefix in ENABLED_ENTITIES}
    assert {prefix: len(found) for prefix, found in shown.items()} == ENABLED_ENTITIES
    every_state = {k: v for found in shown.values() for k, v in found.items()}
    assert {entity: every_state.get(entity) for entity in SEED_STATES} == SEED_STATES

    tracker = Http(demo_url)
    tracker.call("POST", "/_demo/fault", {"mode": "server_error"})
    for entity in RATIOS:
        assert refresh_until(owner, entity, "unavailable") == "unavailable"
    assert not reauth_offered(owner), "a server error is not an auth failure"

    tracker.call("DELETE", "/_demo/fault")
    for entity in RATIOS:
        assert refresh_until(owner, entity, SEED_STATES[entity]) == SEED_STATES[entity]

    tracker.call("POST", "/_demo/rotate_key", {"account": "red"})
    assert refresh_until(owner, RED_RATIO, "unavailable") == "unavailable"
    assert reauth_offered(owner)

    log_text = ha.log_text()
    for key in KEYS:
        assert key not in log_text
    assert not our_tracebacks(log_text)
