"""End to end: the guard blueprint protects a MyAnonamouse account.

A real Home Assistant polls the demo tracker; ``/_demo/health`` drives the
account into danger and back. The guard's actions count on two counters: the
enter actions must run exactly once, the recovery actions exactly once, with
a restart of Home Assistant in between.
"""

from __future__ import annotations

import shutil
import time

import pytest

from .browser import add_account, refresh_until, state, websocket
from .driver import REPO
from .session import Session

pytestmark = pytest.mark.e2e

HEALTH = "sensor.myanonamouse_demoreader_health"
ENTERED = "counter.guard_entered"
RECOVERED = "counter.guard_recovered"
GUARD = "automation.protect_demoreader"
BLUEPRINT = "blueprints/automation/tracker_stats/protect_account.yaml"
AUTOMATIONS_YAML = """\
- id: protect_demoreader
  alias: Protect DemoReader
  use_blueprint:
    path: tracker_stats/protect_account.yaml
    input:
      account: {device}
      verdict: in_danger
      enter_actions:
        - action: counter.increment
          target:
            entity_id: counter.guard_entered
      recovery_actions:
        - action: counter.increment
          target:
            entity_id: counter.guard_recovered
"""


def counts(e2e: Session) -> tuple[int, int]:
    return (
        int(state(e2e.owner, ENTERED)["state"]),
        int(state(e2e.owner, RECOVERED)["state"]),
    )


def settle_counts(e2e: Session, wanted: tuple[int, int], seconds: float = 15) -> None:
    """Wait for the counters to show ``wanted``, then check they stay there."""
    deadline = time.monotonic() + seconds
    while counts(e2e) != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
    assert counts(e2e) == wanted
    time.sleep(3)
    assert counts(e2e) == wanted


def test_the_guard_acts_once_into_danger_and_once_out_across_a_restart(
    e2e: Session,
) -> None:
    e2e.boot(
        extra_lines=(
            "automation: !include automations.yaml",
            "counter:",
            "  guard_entered:",
            "  guard_recovered:",
        ),
        files={"automations.yaml": "[]\n"},
    )
    target = e2e.ha.config / BLUEPRINT
    target.parent.mkdir(parents=True)
    shutil.copyfile(REPO / BLUEPRINT, target)
    e2e.demo.call("POST", "/_demo/health", {"account": "mam", "verdict": "ok"})
    result = add_account(
        e2e.owner,
        "myanonamouse",
        {"url": e2e.demo_url, "api_key": "demo-mam-key"},
    )
    assert result["type"] == "create_entry", result
    assert state(e2e.owner, HEALTH)["state"] == "ok"
    [registered] = websocket(
        e2e.owner, {"type": "config/entity_registry/get", "entity_id": HEALTH}
    )
    device = registered["device_id"]
    (e2e.ha.config / "automations.yaml").write_text(
        AUTOMATIONS_YAML.format(device=device)
    )
    e2e.owner.call("POST", "/api/services/automation/reload", {})
    assert state(e2e.owner, GUARD)["state"] == "on"

    e2e.demo.call("POST", "/_demo/health", {"account": "mam", "verdict": "at_risk"})
    assert refresh_until(e2e.owner, HEALTH, "at_risk") == "at_risk"
    settle_counts(e2e, (0, 0))
    e2e.demo.call("POST", "/_demo/health", {"account": "mam", "verdict": "in_danger"})
    assert refresh_until(e2e.owner, HEALTH, "in_danger") == "in_danger"
    settle_counts(e2e, (1, 0))

    # A restart while in danger: nothing runs again.
    e2e.ha.stop()
    e2e.ha.start(log=e2e.log)
    e2e.wait_until_running()
    assert refresh_until(e2e.owner, HEALTH, "in_danger") == "in_danger"
    settle_counts(e2e, (1, 0))

    e2e.demo.call("POST", "/_demo/health", {"account": "mam", "verdict": "ok"})
    assert refresh_until(e2e.owner, HEALTH, "ok") == "ok"
    settle_counts(e2e, (1, 1))
    # OK and polled again: nothing more.
    e2e.demo.call("POST", "/_demo/health", {"account": "mam", "verdict": "at_risk"})
    assert refresh_until(e2e.owner, HEALTH, "at_risk") == "at_risk"
    settle_counts(e2e, (1, 1))

    e2e.assert_log_clean()
