"""End to end: a real Home Assistant process, the demo tracker, REST only.

Runs on the oldest Home Assistant line (the `hass` of this virtualenv); the
newest line's phase deselects the `e2e` marker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import sys

import pytest

from scripts.ha_driver import (
    SEED_STATES,
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    free_port,
    our_tracebacks,
    refresh_until,
    start_demo_tracker_process,
    states,
    stop,
    write_config,
)

pytestmark = pytest.mark.e2e

HASS = Path(sys.executable).with_name("hass")
RATIOS = ("sensor.redacted_johndoe_ratio", "sensor.gazellegames_exampleuser_ratio")


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


def test_accounts_added_through_the_flow_show_the_seeds_and_survive_an_outage(
    real_home_assistant: Setup,
) -> None:
    """Add both demo accounts over REST, read the seeds, fail the tracker, recover."""
    ha, owner, demo_url = (
        real_home_assistant.ha,
        real_home_assistant.owner,
        real_home_assistant.demo_url,
    )
    for preset, fields in demo_account_fields(demo_url).values():
        result = add_account(owner, preset, fields)
        assert result["type"] == "create_entry", result

    shown = {
        **states(owner, "redacted_johndoe_"),
        **states(owner, "gazellegames_exampleuser_"),
    }
    assert {entity: shown.get(entity) for entity in SEED_STATES} == SEED_STATES

    tracker = Http(demo_url)
    tracker.call("POST", "/_demo/fault", {"mode": "server_error"})
    for entity in RATIOS:
        assert refresh_until(owner, entity, "unavailable") == "unavailable"

    tracker.call("DELETE", "/_demo/fault")
    for entity in RATIOS:
        assert refresh_until(owner, entity, SEED_STATES[entity]) == SEED_STATES[entity]

    log_text = ha.log_text()
    assert "demo-red-key" not in log_text
    assert "demo-ggn-key" not in log_text
    assert not our_tracebacks(log_text)
