"""End to end: a tracker that stays down raises tracker_unreachable; back up, it goes.

The option stale_minutes is set to 1 through the options flow, then the
demo tracker's process is stopped: polls fail with a refused connection.
"""

from __future__ import annotations

from collections.abc import Callable
import time

import pytest

from .browser import (
    add_account,
    config_entries,
    options_shown,
    refresh_until,
    repair_issues,
    set_options,
)
from .session import Session

pytestmark = pytest.mark.e2e

RATIO = "sensor.redacted_johndoe_ratio"
# A minute of failing polls, checked once a minute: at most two minutes.
ISSUE_WITHIN_SECONDS = 130


def wait_until(check: Callable[[], bool], seconds: float, step: float = 5) -> float:
    """Call ``check`` until it is true; return the seconds it took (or inf)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return float("inf")


def test_an_unreachable_tracker_raises_a_repair_issue_until_it_answers(
    e2e: Session,
) -> None:
    e2e.boot()
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
    entry_id = result["result"]["entry_id"]
    issue = f"tracker_unreachable_{entry_id}"

    changed = set_options(e2e.owner, entry_id, {"stale_minutes": 1})
    assert changed["type"] == "create_entry", changed
    assert options_shown(e2e.owner, entry_id)["stale_minutes"] == 1
    # The entry reloads with the new option (and polls once, successfully).
    assert (
        wait_until(
            lambda: [e["state"] for e in config_entries(e2e.owner)] == ["loaded"], 30, 1
        )
        < 30
    )
    assert refresh_until(e2e.owner, RATIO, "4.0") == "4.0"
    assert repair_issues(e2e.owner) == {}

    e2e.stop_tracker()
    assert refresh_until(e2e.owner, RATIO, "unavailable") == "unavailable"
    raised_after = wait_until(
        lambda: issue in repair_issues(e2e.owner), ISSUE_WITHIN_SECONDS
    )
    assert raised_after < ISSUE_WITHIN_SECONDS
    shown = repair_issues(e2e.owner)[issue]
    assert (shown["translation_key"], shown["severity"], shown["is_fixable"]) == (
        "tracker_unreachable",
        "warning",
        False,
    )

    e2e.start_tracker()
    assert refresh_until(e2e.owner, RATIO, "4.0") == "4.0"
    assert issue not in repair_issues(e2e.owner)

    e2e.assert_log_clean()
