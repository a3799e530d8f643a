"""Drive a demo account's health to ok, at_risk or in_danger (``POST /_demo/health``).

By the rules its tracker really sends, so the integration judges the account
as it would a real one: MyAnonamouse by its unsatisfied torrents (at the limit:
in danger; at 80 %: at risk), Gazelle by its required ratio (raised above the
ratio: in danger). Gazelle sends nothing that makes an account merely at risk
without the integration's options, so that one is refused there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import math
from typing import Any

from .accounts import Account
from .state import DemoState

VERDICTS = ("ok", "at_risk", "in_danger")
# What a healthy Gazelle demo account requires (the seed's value).
GAZELLE_REQUIRED_RATIO = 0.6


def _mam_unsatisfied(account: Account) -> dict[str, Any]:
    answer = account.documents["json_load"]
    unsatisfied = answer.get("unsat") or answer.get("snatch_summary", {}).get("unsat")
    if not isinstance(unsatisfied, dict) or not unsatisfied.get("limit"):
        raise ValueError(f"{account.name} has no unsatisfied limit")
    return unsatisfied


def _drive_mam(account: Account, verdict: str) -> None:
    unsatisfied = _mam_unsatisfied(account)
    limit = int(unsatisfied["limit"])
    unsatisfied["count"] = {
        "ok": 0,
        "at_risk": math.ceil(limit * 4 / 5),
        "in_danger": limit,
    }[verdict]
    answer = account.documents["json_load"]
    if verdict == "ok" and answer.get("vip_until"):
        # A VIP status ending within a week is a risk too: push it out.
        later = datetime.now(UTC) + timedelta(days=90)
        answer["vip_until"] = later.strftime("%Y-%m-%d %H:%M:%S")


def _drive_gazelle(account: Account, verdict: str) -> None:
    if verdict == "at_risk":
        raise ValueError(
            "a Gazelle account is at risk only by the integration's options "
            "(forecast, headroom); use a MyAnonamouse account"
        )
    ratio = float(account.ratio) if account.downloaded else math.inf
    required = GAZELLE_REQUIRED_RATIO if verdict == "ok" else round(ratio + 1, 2)
    if not math.isfinite(required):
        raise ValueError(f"{account.name} has downloaded nothing: never in danger")
    account.index["userstats"]["requiredratio"] = required
    profile = account.profile
    if profile:
        profile["stats"]["requiredRatio"] = required
        if verdict == "ok":
            profile["personal"]["warned"] = False


def drive_health(state: DemoState, name: str, verdict: str) -> None:
    """Change account ``name``'s answers so that the integration judges it ``verdict``."""
    if name not in state.accounts:
        raise ValueError(f"unknown account {name!r}")
    account = state.accounts[name]
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
    if account.platform == "mam":
        _drive_mam(account, verdict)
    elif account.platform == "gazelle":
        _drive_gazelle(account, verdict)
    else:
        raise ValueError(
            "the demo drives the health of MyAnonamouse and Gazelle accounts, "
            f"not {account.platform}"
        )
