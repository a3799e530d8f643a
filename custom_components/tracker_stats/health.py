"""One verdict per account, by the rules its tracker enforces: pure, no Home Assistant.

Each rule looks at what one poll sent (and at the forecast) and says whether it
applies, does not apply, or cannot be judged (a value the tracker did not send,
an option left empty). The most serious rule that applies decides the verdict
and names the reason; an account no rule can judge has no verdict (unknown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from .api import TrackerStats, below_required_ratio, download_headroom
from .forecast import Forecast

GIB: Final = 1024**3
# A VIP status ending this soon puts the account at risk (MyAnonamouse).
VIP_WARNING: Final = timedelta(days=7)
# Unsatisfied torrents at this share of the limit put the account at risk.
UNSATISFIED_WARNING_NUMERATOR: Final = 4
UNSATISFIED_WARNING_DENOMINATOR: Final = 5


class Verdict(StrEnum):
    """The account's health, ordered from good to bad."""

    OK = "ok"
    AT_RISK = "at_risk"
    IN_DANGER = "in_danger"

    @property
    def rank(self) -> int:
        """Return 0 for ok, 1 for at risk, 2 for in danger."""
        return _RANKS[self]


_RANKS: Final = {Verdict.OK: 0, Verdict.AT_RISK: 1, Verdict.IN_DANGER: 2}


class Reason(StrEnum):
    """The rule that decided the verdict (``none`` for an ok account)."""

    NONE = "none"
    WARNED = "warned"
    BELOW_REQUIRED_RATIO = "below_required_ratio"
    HIT_AND_RUNS = "hit_and_runs"
    UNSATISFIED_LIMIT = "unsatisfied_limit"
    FORECAST = "forecast"
    HEADROOM = "headroom"
    UNSATISFIED = "unsatisfied"
    VIP_EXPIRING = "vip_expiring"


@dataclass(frozen=True, kw_only=True, slots=True)
class HealthSettings:
    """The user's thresholds; None means the option is empty: not judged."""

    forecast_days: float
    hit_and_run_limit: int | None = None
    headroom_min_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Health:
    """A verdict and the rule that decided it."""

    verdict: Verdict
    reason: Reason


@dataclass(frozen=True, slots=True)
class _Rule:
    verdict: Verdict
    # TrackerStats fields the platform must fill for the rule to ever apply.
    needs: frozenset[str]
    # An option the rule needs set (None: it needs none).
    option: Callable[[HealthSettings], object] | None
    applies: Callable[
        [TrackerStats, Forecast | None, HealthSettings, datetime], bool | None
    ]


def _warned(stats: TrackerStats, *_: object) -> bool | None:
    return stats.warned


def _below(stats: TrackerStats, *_: object) -> bool | None:
    return below_required_ratio(stats)


def _hit_and_runs(
    stats: TrackerStats, _f: Forecast | None, settings: HealthSettings, _n: datetime
) -> bool | None:
    limit = settings.hit_and_run_limit
    if stats.hit_and_runs is None or limit is None:
        return None
    return stats.hit_and_runs > limit


def _unsatisfied(
    stats: TrackerStats, *, numerator: int, denominator: int
) -> bool | None:
    count, limit = stats.unsatisfied_count, stats.unsatisfied_limit
    # A limit of 0 would put every account in danger: a broken answer, not a rule.
    if count is None or limit is None or limit <= 0:
        return None
    # Whole numbers: 80 % of 50 is 40 exactly, with no float rounding.
    return count * denominator >= limit * numerator


def _forecast(
    _s: TrackerStats, forecast: Forecast | None, settings: HealthSettings, _n: datetime
) -> bool | None:
    if forecast is None:
        return None
    return forecast.days is not None and forecast.days <= settings.forecast_days


def _headroom(
    stats: TrackerStats, _f: Forecast | None, settings: HealthSettings, _n: datetime
) -> bool | None:
    minimum = settings.headroom_min_bytes
    headroom = download_headroom(stats)
    if headroom is None or minimum is None:
        return None
    return headroom < minimum


def _vip_expiring(
    stats: TrackerStats, _f: Forecast | None, _s: HealthSettings, now: datetime
) -> bool | None:
    if stats.vip_until is None:
        return None
    # A VIP status that already ended is no longer expiring.
    return now <= stats.vip_until <= now + VIP_WARNING


_UNSATISFIED_FIELDS: Final = frozenset({"unsatisfied_count", "unsatisfied_limit"})
_TRANSFER_FIELDS: Final = frozenset(
    {"uploaded_bytes", "downloaded_bytes", "required_ratio"}
)

# Most serious first: the first rule that applies decides (README, Account health).
RULES: Final[dict[Reason, _Rule]] = {
    Reason.WARNED: _Rule(Verdict.IN_DANGER, frozenset({"warned"}), None, _warned),
    Reason.BELOW_REQUIRED_RATIO: _Rule(
        Verdict.IN_DANGER, frozenset({"ratio", "required_ratio"}), None, _below
    ),
    Reason.HIT_AND_RUNS: _Rule(
        Verdict.IN_DANGER,
        frozenset({"hit_and_runs"}),
        lambda settings: settings.hit_and_run_limit,
        _hit_and_runs,
    ),
    Reason.UNSATISFIED_LIMIT: _Rule(
        Verdict.IN_DANGER,
        _UNSATISFIED_FIELDS,
        None,
        lambda stats, *_: _unsatisfied(stats, numerator=1, denominator=1),
    ),
    Reason.FORECAST: _Rule(Verdict.AT_RISK, _TRANSFER_FIELDS, None, _forecast),
    Reason.HEADROOM: _Rule(
        Verdict.AT_RISK,
        _TRANSFER_FIELDS,
        lambda settings: settings.headroom_min_bytes,
        _headroom,
    ),
    Reason.UNSATISFIED: _Rule(
        Verdict.AT_RISK,
        _UNSATISFIED_FIELDS,
        None,
        lambda stats, *_: _unsatisfied(
            stats,
            numerator=UNSATISFIED_WARNING_NUMERATOR,
            denominator=UNSATISFIED_WARNING_DENOMINATOR,
        ),
    ),
    Reason.VIP_EXPIRING: _Rule(
        Verdict.AT_RISK, frozenset({"vip_until"}), None, _vip_expiring
    ),
}


def with_required_ratio(
    stats: TrackerStats, required_ratio: float | None
) -> TrackerStats:
    """Return ``stats`` with the user's required ratio, when the option is set.

    The option wins over the tracker's value: it exists for sites that send
    none or send one that does not apply to the account.
    """
    if required_ratio is None:
        return stats
    return replace(stats, required_ratio=required_ratio)


def effective_fields(
    fields: frozenset[str], required_ratio: float | None
) -> frozenset[str]:
    """Return the fields an account fills once the required ratio option counts."""
    return fields | {"required_ratio"} if required_ratio is not None else fields


def judged_rules(
    fields: frozenset[str], settings: HealthSettings
) -> tuple[Reason, ...]:
    """Return the rules an account can ever judge, most serious first.

    ``fields`` are what the platform fills (with ``effective_fields``); a rule
    whose option is empty is not judged.
    """
    return tuple(
        reason
        for reason, rule in RULES.items()
        if rule.needs <= fields
        and (rule.option is None or rule.option(settings) is not None)
    )


def judge(
    stats: TrackerStats,
    *,
    rules: tuple[Reason, ...],
    settings: HealthSettings,
    forecast: Forecast | None,
    now: datetime,
) -> Health | None:
    """Return the verdict of ``rules`` on one poll; None when none can be judged."""
    judged = False
    for reason in rules:
        rule = RULES[reason]
        applies = rule.applies(stats, forecast, settings, now)
        if applies:
            return Health(rule.verdict, reason)
        judged = judged or applies is not None
    return Health(Verdict.OK, Reason.NONE) if judged else None


def headroom_min_bytes(gibibytes: float | None) -> int | None:
    """Return the headroom option (entered in GiB) in bytes."""
    return None if gibibytes is None else round(gibibytes * GIB)
