"""End to end: each platform's showcase demo account, through the flow.

Each account's credentials step first gets a wrong secret (the form says
what the platform calls a rejected secret), then the demo account's: the
entry is created, and its sensors show what the demo tracker's seed holds.
"""

from __future__ import annotations

import math

import pytest

from custom_components.tracker_stats.flow_helpers import credentials_step
from tests.showcase import SHOWCASES

from .browser import start_flow, states, submit
from .session import Session

pytestmark = pytest.mark.e2e

GIB = 2**30
TIB = 2**40


def test_one_account_of_each_platform(e2e: Session) -> None:
    """A wrong secret, then the right one; the seed's values in /api/states."""
    e2e.boot()
    demo_accounts = e2e.remember_demo_keys()
    forms, created = {}, {}
    for account in SHOWCASES.values():
        fields = {"url": e2e.demo_url, **account.typed()}
        flow = start_flow(e2e.owner, account.preset)
        assert flow["step_id"] == credentials_step(account.preset), flow
        wrong_key = f"wrong-{account.name}-secret"
        e2e.secrets.add(wrong_key)
        forms[account.name] = submit(e2e.owner, flow, {**fields, "api_key": wrong_key})
        created[account.name] = submit(
            e2e.owner, flow, {**fields, "api_key": account.key}
        )

    # Each platform's own text for a rejected secret (a token, a session, …).
    assert {name: form.get("errors") for name, form in forms.items()} == {
        account.name: {"base": account.spec.rejected_key_error}
        for account in SHOWCASES.values()
    }
    assert {name: form["type"] for name, form in created.items()} == {
        account.name: "create_entry" for account in SHOWCASES.values()
    }

    shown = {}
    wanted = {}
    for account in SHOWCASES.values():
        found = states(e2e.owner, account.object_id)
        # The seed's upload, as the demo tracker reads its own answer.
        uploaded, _ = account.account.rules.byte_counts(account.account)
        ratio = float(demo_accounts[account.name]["ratio"])
        shown[account.name] = (
            float(found[f"sensor.{account.object_id}_uploaded"]),
            found[f"sensor.{account.object_id}_ratio"],
            found[f"event.{account.object_id}_alert"],
        )
        wanted[account.name] = (
            # A TiB or more shows in TiB (the unit chosen at registration).
            pytest.approx(uploaded / (TIB if uploaded >= TIB else GIB), rel=1e-12),
            # The sensor cuts the ratio to two decimals, as trackers show it.
            str(math.floor(round(ratio * 100, 6)) / 100),
            "unknown",  # the first poll of a new entry fires nothing
        )
    assert shown == wanted

    e2e.assert_log_clean()
