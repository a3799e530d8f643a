"""End to end: one account of each of the seven platforms, through the flow.

Each account's credentials step first gets a wrong secret (the form says
invalid_auth), then the demo account's: the entry is created, and its
sensors show what the demo tracker's seed answer holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import math
from typing import Any

import pytest

from demo_tracker.fixtures import load

from .browser import start_flow, states, submit
from .session import Session

pytestmark = pytest.mark.e2e

GIB = 2**30
TIB = 2**40
UNIT_STRING_FACTORS = {"GiB": GIB, "TiB": TIB}


def unit_string_bytes(text: str) -> int:
    """Return the bytes of a unit string as UNIT3D prints it ("500.25 GiB")."""
    number, unit = text.split()
    return round(float(number) * UNIT_STRING_FACTORS[unit])


@dataclass(frozen=True)
class PlatformAccount:
    """A demo account of one platform, and where its seed keeps the upload."""

    demo_name: str  # the demo tracker's account (key demo-<name>-key)
    preset: str
    step_id: str  # the credentials step: the platform's id
    object_id: str  # "<tracker>_<username>", the entities' prefix
    fixture: tuple[str, str]
    uploaded: Callable[[dict[str, Any]], int]
    extra_fields: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return f"demo-{self.demo_name}-key"


ACCOUNTS = (
    PlatformAccount(
        "red",
        "redacted",
        "gazelle",
        "redacted_johndoe",
        ("gazelle", "index"),
        lambda doc: doc["userstats"]["uploaded"],
        (("auth_style", "raw"), ("api_path", "ajax.php")),
    ),
    PlatformAccount(
        "ggn",
        "gazellegames",
        "ggn",
        "gazellegames_exampleuser",
        ("ggn", "user"),
        lambda doc: doc["stats"]["uploaded"],
    ),
    PlatformAccount(
        "aither",
        "aither",
        "unit3d",
        "aither_demoaither",
        ("unit3d", "user_v834"),
        lambda doc: unit_string_bytes(doc["uploaded"]),
    ),
    # AnimeBytes answers without a username: the user types it.
    PlatformAccount(
        "ab",
        "animebytes",
        "animebytes",
        "animebytes_demoab",
        ("animebytes", "personal"),
        lambda doc: doc["upload"]["account"],
        (("username", "DemoAB"),),
    ),
    PlatformAccount(
        "btn",
        "broadcasthenet",
        "btn",
        "broadcasthenet_demoviewer",
        ("btn", "user_info"),
        lambda doc: int(doc["Upload"]),
    ),
    # The secret is the mam_id session cookie.
    PlatformAccount(
        "mam",
        "myanonamouse",
        "mam",
        "myanonamouse_demoreader",
        ("mam", "json_load"),
        lambda doc: doc["uploaded_bytes"],
    ),
    PlatformAccount(
        "nbl",
        "nebulance",
        "nebulance",
        "nebulance_demowatcher",
        ("nebulance", "user_info"),
        lambda doc: doc["Uploaded"],
    ),
)


def test_one_account_of_each_platform(e2e: Session) -> None:
    """A wrong secret, then the right one; the seed's values in /api/states."""
    e2e.boot()
    demo_accounts = e2e.remember_demo_keys()
    forms, created = {}, {}
    for account in ACCOUNTS:
        fields = {"url": e2e.demo_url, **dict(account.extra_fields)}
        flow = start_flow(e2e.owner, account.preset)
        assert flow["step_id"] == account.step_id, flow
        wrong_key = f"wrong-{account.demo_name}-secret"
        e2e.secrets.add(wrong_key)
        forms[account.demo_name] = submit(
            e2e.owner, flow, {**fields, "api_key": wrong_key}
        )
        created[account.demo_name] = submit(
            e2e.owner, flow, {**fields, "api_key": account.key}
        )

    # Each platform's own text for a rejected secret (a token, a session, …).
    rejected = {"gazelle": "invalid_auth_gazelle", "unit3d": "invalid_token"}
    rejected["mam"] = "invalid_session"
    assert {name: form.get("errors") for name, form in forms.items()} == {
        account.demo_name: {"base": rejected.get(account.step_id, "invalid_auth")}
        for account in ACCOUNTS
    }
    assert {name: form["type"] for name, form in created.items()} == {
        account.demo_name: "create_entry" for account in ACCOUNTS
    }

    shown = {}
    wanted = {}
    for account in ACCOUNTS:
        found = states(e2e.owner, account.object_id)
        uploaded = account.uploaded(load(*account.fixture))
        ratio = float(demo_accounts[account.demo_name]["ratio"])
        shown[account.demo_name] = (
            float(found[f"sensor.{account.object_id}_uploaded"]),
            found[f"sensor.{account.object_id}_ratio"],
            found[f"event.{account.object_id}_alert"],
        )
        wanted[account.demo_name] = (
            # A TiB or more shows in TiB (the unit chosen at registration).
            pytest.approx(uploaded / (TIB if uploaded >= TIB else GIB), rel=1e-12),
            # The sensor cuts the ratio to two decimals, as trackers show it.
            str(math.floor(round(ratio * 100, 6)) / 100),
            "unknown",  # the first poll of a new entry fires nothing
        )
    assert shown == wanted

    e2e.assert_log_clean()
