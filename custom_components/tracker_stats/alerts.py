"""Which changes between two good polls are worth an alert: pure rules, no Home Assistant.

A snapshot keeps only what the rules compare. ``find_alerts`` turns the previous
snapshot and the current one into ``(event type, previous, current)`` triples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
import math
from typing import Any, Final, NamedTuple

from .api import UNKNOWN_GROUP, TrackerStats, below_required_ratio
from .forecast import Forecast
from .health import Health, Reason, Verdict

RATIO_DROPPED: Final = "ratio_dropped"
BELOW_REQUIRED_RATIO: Final = "below_required_ratio"
WARNED: Final = "warned"
HIT_AND_RUN_ADDED: Final = "hit_and_run_added"
CLASS_CHANGED: Final = "class_changed"
UNREAD_MESSAGE: Final = "unread_message"
SEEDING_STOPPED: Final = "seeding_stopped"
RATIO_FORECAST_NEAR: Final = "ratio_forecast_near"
AT_RISK: Final = "at_risk"
IN_DANGER: Final = "in_danger"
BONUS_CAPPED: Final = "bonus_capped"

# Capabilities beyond TrackerStats fields, which the coordinator adds to what
# an account fills: a rule of that verdict can be judged, bonus points have a cap.
CAN_BE_AT_RISK: Final = "health:at_risk"
CAN_BE_IN_DANGER: Final = "health:in_danger"
HAS_BONUS_CAP: Final = "bonus_cap"
# Bonus points past the cap are lost (MyAnonamouse stops at 99,999).
BONUS_CAPS: Final[dict[str, float]] = {"mam": 99_999}

# Event type → the TrackerStats fields the platform must fill to ever fire it.
EVENT_TYPE_NEEDS: Final[dict[str, frozenset[str]]] = {
    RATIO_DROPPED: frozenset({"ratio"}),
    BELOW_REQUIRED_RATIO: frozenset({"ratio", "required_ratio"}),
    WARNED: frozenset({"warned"}),
    HIT_AND_RUN_ADDED: frozenset({"hit_and_runs"}),
    CLASS_CHANGED: frozenset({"group"}),
    UNREAD_MESSAGE: frozenset({"unread_messages"}),
    SEEDING_STOPPED: frozenset({"seeding_count"}),
    RATIO_FORECAST_NEAR: frozenset(
        {"uploaded_bytes", "downloaded_bytes", "required_ratio"}
    ),
    AT_RISK: frozenset({CAN_BE_AT_RISK}),
    IN_DANGER: frozenset({CAN_BE_IN_DANGER}),
    BONUS_CAPPED: frozenset({"bonus_points", HAS_BONUS_CAP}),
}

# Trackers send ratios with two or three decimals; a difference below this is
# float noise (3.3 - 3.2 is 0.0999…96), not a smaller drop.
RATIO_TOLERANCE: Final = 1e-6


class Alert(NamedTuple):
    """One change worth telling the user about."""

    event_type: str
    previous: Any
    current: Any
    # The health_reason state, for at_risk and in_danger only.
    reason: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AlertSnapshot:
    """The last known value of every field an alert rule compares.

    None means never known. A poll that does not know a value (a profile call
    that failed, a ratio hidden for a while) keeps the last known one, so a
    value flapping through unknown neither fires twice nor hides a change.
    """

    ratio: float | None = None
    below_required_ratio: bool | None = None
    warned: bool | None = None
    hit_and_runs: int | None = None
    group: str | None = None
    unread_messages: int | None = None
    seeding_count: int | None = None
    bonus_points: float | None = None
    # Whether the forecast is within the forecast_days option, and its days
    # (None: the trend does not lead below the required ratio).
    forecast_near: bool | None = None
    forecast_days: float | None = None
    health: Verdict | None = None
    health_reason: Reason | None = None

    @classmethod
    def from_stats(
        cls,
        stats: TrackerStats,
        *,
        health: Health | None = None,
        forecast: Forecast | None = None,
        forecast_days: float = 0,
    ) -> AlertSnapshot:
        """Return what the rules need of one poll (unknown stays None)."""
        days = None if forecast is None else forecast.days
        return cls(
            bonus_points=stats.bonus_points,
            forecast_near=None
            if forecast is None
            else days is not None and days <= forecast_days,
            forecast_days=days,
            health=None if health is None else health.verdict,
            health_reason=None if health is None else health.reason,
            ratio=stats.ratio,
            below_required_ratio=below_required_ratio(stats),
            warned=stats.warned,
            hit_and_runs=stats.hit_and_runs,
            # "Unknown" is the placeholder for a class the tracker did not send.
            group=None if stats.group == UNKNOWN_GROUP else stats.group,
            unread_messages=stats.unread_messages,
            seeding_count=stats.seeding_count,
        )

    def updated_by(self, current: AlertSnapshot) -> AlertSnapshot:
        """Return this snapshot with every value ``current`` knows replaced."""
        known = {
            name: value for name, value in asdict(current).items() if value is not None
        }
        if current.forecast_near is not None:
            # A judged forecast of "never" replaces the days of an older one.
            known["forecast_days"] = current.forecast_days
        return replace(self, **known)

    def as_dict(self) -> dict[str, Any]:
        """Return the snapshot as JSON-ready data for storage."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AlertSnapshot:
        """Read stored data back; a value of the wrong type is unknown, never an error."""
        checks: dict[str, Callable[[Any], bool]] = {
            "ratio": _is_ratio,
            "below_required_ratio": _is_flag,
            "warned": _is_flag,
            "hit_and_runs": _is_count,
            "group": lambda value: isinstance(value, str) and bool(value),
            "unread_messages": _is_count,
            "seeding_count": _is_count,
            "bonus_points": _is_ratio,
            "forecast_near": _is_flag,
            "forecast_days": _is_ratio,
            "health": lambda value: value in tuple(Verdict),
            "health_reason": lambda value: value in tuple(Reason),
        }
        values = {
            item.name: value
            for item in fields(cls)
            if checks[item.name](value := data.get(item.name))
        }
        if (verdict := values.get("health")) is not None:
            values["health"] = Verdict(verdict)
        if (reason := values.get("health_reason")) is not None:
            values["health_reason"] = Reason(reason)
        return cls(**values)


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_ratio(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def offered_event_types(filled: frozenset[str]) -> list[str]:
    """Return the event types a platform filling ``filled`` can produce, in order."""
    return [
        event_type for event_type, needs in EVENT_TYPE_NEEDS.items() if needs <= filled
    ]


def find_alerts(
    previous: AlertSnapshot,
    current: AlertSnapshot,
    *,
    ratio_drop: float,
    bonus_cap: float | None = None,
) -> list[Alert]:
    """Return the alerts for the change from ``previous`` to ``current``.

    A value unknown on either side fires nothing. ``ratio_drop`` is the
    absolute fall of the ratio that counts as a drop; ``bonus_cap`` the
    platform's most bonus points, if it has one.
    """
    alerts: list[Alert] = []

    def compare(
        event_type: str, old: Any, new: Any, fires: Callable[[Any, Any], bool]
    ) -> None:
        if old is not None and new is not None and fires(old, new):
            alerts.append(Alert(event_type, old, new))

    compare(
        RATIO_DROPPED,
        previous.ratio,
        current.ratio,
        lambda old, new: old - new + RATIO_TOLERANCE >= ratio_drop,
    )
    compare(
        BELOW_REQUIRED_RATIO,
        previous.below_required_ratio,
        current.below_required_ratio,
        _turned_on,
    )
    compare(WARNED, previous.warned, current.warned, _turned_on)
    compare(HIT_AND_RUN_ADDED, previous.hit_and_runs, current.hit_and_runs, _rose)
    compare(CLASS_CHANGED, previous.group, current.group, lambda old, new: old != new)
    compare(UNREAD_MESSAGE, previous.unread_messages, current.unread_messages, _rose)
    compare(
        SEEDING_STOPPED,
        previous.seeding_count,
        current.seeding_count,
        lambda old, new: old > 0 and new == 0,
    )
    if bonus_cap is not None:
        compare(
            BONUS_CAPPED,
            previous.bonus_points,
            current.bonus_points,
            lambda old, new: old < bonus_cap <= new,
        )
    if previous.forecast_near is False and current.forecast_near:
        alerts.append(
            Alert(RATIO_FORECAST_NEAR, previous.forecast_days, current.forecast_days)
        )
    old, new = previous.health, current.health
    if old is not None and new is not None and new.rank > old.rank:
        reason = None if current.health_reason is None else str(current.health_reason)
        alerts.append(Alert(str(new), str(old), str(new), reason))
    return alerts


def _turned_on(old: bool, new: bool) -> bool:
    return not old and new


def _rose(old: int, new: int) -> bool:
    return new > old
