"""End to end: a ratio drop fires the Alert entity and the blueprint notifies.

The blueprint sits where "Import blueprint" puts it. Once the account is
added, an automation made from it (no phone: a persistent notification)
watches its Alert entity: written to automations.yaml and reloaded, as the
automation editor's Save does.
"""

from __future__ import annotations

from datetime import datetime
import time
from typing import Any

import pytest

from .browser import (
    add_account,
    persistent_notifications,
    state,
    update_entity,
)
from .session import Session

pytestmark = pytest.mark.e2e

ACCOUNT = "Redacted (JohnDoe)"
ALERT = "event.redacted_johndoe_alert"
RATIO = "sensor.redacted_johndoe_ratio"
AUTOMATION = "automation.tracker_alert_notification"
AUTOMATIONS_YAML = f"""\
- id: tracker_alert_notification
  alias: Tracker alert notification
  use_blueprint:
    path: tracker_stats/alert_notification.yaml
    input:
      alert_entity: {ALERT}
"""
DROP = 0.2
SEED_RATIO = 4.0


def poll_until_fired(e2e: Session, seconds: float = 40) -> dict[str, Any]:
    """Poll (debounced: 10 s apart at most) until the alert entity fires."""
    deadline = time.monotonic() + seconds
    alert = state(e2e.owner, ALERT)
    while alert["state"] == "unknown" and time.monotonic() < deadline:
        update_entity(e2e.owner, RATIO)
        time.sleep(2)
        alert = state(e2e.owner, ALERT)
    return alert


def wait_for_notifications(e2e: Session, seconds: float = 15) -> list[dict[str, Any]]:
    """Return the persistent notifications about the account, once there are any.

    Home Assistant has its own (2026.x in a bare chroot: "Invalid config"
    for voice components it cannot build): those are left out.
    """
    deadline = time.monotonic() + seconds
    while True:
        shown = [
            notification
            for notification in persistent_notifications(e2e.owner).values()
            if ACCOUNT in notification["message"]
        ]
        if shown or time.monotonic() > deadline:
            return shown
        time.sleep(1)


def test_a_ratio_drop_fires_the_alert_and_the_blueprint_notifies(
    e2e: Session,
) -> None:
    e2e.boot(
        extra_lines=("automation: !include automations.yaml",),
        files={"automations.yaml": "[]\n"},
        blueprint=True,
    )
    result = add_account(
        e2e.owner,
        "redacted",
        {
            "url": e2e.demo_url,
            "api_key": "demo-red-key",
            "auth_style": "raw",
            "api_path": "ajax.php",
        },
    )
    assert result["type"] == "create_entry", result
    (e2e.ha.config / "automations.yaml").write_text(AUTOMATIONS_YAML)
    e2e.owner.call("POST", "/api/services/automation/reload", {})
    assert state(e2e.owner, AUTOMATION)["state"] == "on"
    assert state(e2e.owner, ALERT)["state"] == "unknown"
    assert state(e2e.owner, RATIO)["state"] == str(SEED_RATIO)

    e2e.demo.call("POST", "/_demo/drop_ratio", {"account": "red", "by": DROP})
    alert = poll_until_fired(e2e)

    ratio = float(state(e2e.owner, RATIO)["state"])
    assert ratio <= SEED_RATIO - DROP
    # The state is the time it fired.
    assert datetime.fromisoformat(alert["state"]).tzinfo is not None, alert
    attributes = alert["attributes"]
    assert {
        name: attributes.get(name) for name in ("event_type", "previous", "current")
    } == {"event_type": "ratio_dropped", "previous": SEED_RATIO, "current": ratio}

    notifications = wait_for_notifications(e2e)
    assert [(n["title"], n["message"]) for n in notifications] == [
        (
            "Ratio dropped",
            f"{ACCOUNT}: the ratio fell from {SEED_RATIO} to {ratio}.",
        )
    ]

    e2e.assert_log_clean()
