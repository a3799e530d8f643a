"""End to end: with debug logging on, no poll failure writes a key in any form.

One account of each platform, then every platform through a broken body, an
HTML page, a connection failure and a rejected key. Home Assistant logs each
failed poll at debug, from 2026.x with its whole traceback ("Full error:"),
under our logger and the coordinator helper's: the whole log must hold no
key, raw, in another case, URL-encoded or base64.
"""

from __future__ import annotations

import time

import pytest

from tests.api.leaks import secret_forms
from tests.showcase import SHOWCASES

from .browser import add_account
from .session import Session

pytestmark = pytest.mark.e2e
# Each platform's showcase demo account.
ACCOUNTS = tuple(SHOWCASES.values())

# On-demand refreshes are debounced for 10 s per entry: wait that out, so
# each fault gets a poll of every account.
DEBOUNCE_SECONDS = 11


def poll_every_account(e2e: Session) -> None:
    """Ask every account for a poll now; wait until the next one can run."""
    e2e.owner.call(
        "POST",
        "/api/services/homeassistant/update_entity",
        {"entity_id": [f"sensor.{account.object_id}_uploaded" for account in ACCOUNTS]},
    )
    time.sleep(DEBOUNCE_SECONDS)


def test_no_key_in_the_debug_log(e2e: Session) -> None:
    e2e.boot(extra_lines=("    homeassistant.helpers.update_coordinator: debug",))
    for account in ACCOUNTS:
        fields = {"url": e2e.demo_url, **account.typed()}
        created = add_account(
            e2e.owner, account.preset, {**fields, "api_key": account.key}
        )
        assert created["type"] == "create_entry", created
    time.sleep(DEBOUNCE_SECONDS)

    for fault in ("malformed_json", "html_login"):
        e2e.demo.call("POST", "/_demo/fault", {"mode": fault})
        poll_every_account(e2e)
        e2e.demo.call("DELETE", "/_demo/fault")

    e2e.stop_tracker()
    poll_every_account(e2e)
    e2e.start_tracker()

    for account in ACCOUNTS:
        e2e.demo.call("POST", "/_demo/rotate_key", {"account": account.name})
    poll_every_account(e2e)

    e2e.remember_demo_keys()
    log_text = e2e.ha.all_logs()
    assert "Full error" in log_text or "Error fetching" in log_text
    leaked = [
        form for key in e2e.secrets for form in secret_forms(key) if form in log_text
    ]
    assert not leaked, f"key forms in the log: {len(leaked)}"
    e2e.assert_log_clean()
