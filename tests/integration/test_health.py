"""The health verdict: every rule on every platform, their order, and unknown."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

import pytest

from custom_components.tracker_stats.api import PLATFORMS, TrackerStats
from custom_components.tracker_stats.forecast import Forecast
from custom_components.tracker_stats.health import (
    GIB,
    RULES,
    Health,
    HealthSettings,
    Reason,
    Verdict,
    effective_fields,
    headroom_min_bytes,
    judge,
    judged_rules,
    with_required_ratio,
)

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
ALL_OPTIONS = HealthSettings(
    forecast_days=7, hit_and_run_limit=2, headroom_min_bytes=10 * GIB
)
NO_OPTIONS = HealthSettings(forecast_days=7)
# Every field a rule reads, all healthy: ratio 2.0 against 0.6, no warning,
# 10 of 100 unsatisfied, VIP for a month, 233 GiB of headroom.
HEALTHY = TrackerStats(
    uploaded_bytes=200 * GIB,
    downloaded_bytes=100 * GIB,
    ratio=2.0,
    required_ratio=0.6,
    warned=False,
    hit_and_runs=1,
    unsatisfied_count=10,
    unsatisfied_limit=100,
    vip_until=NOW + timedelta(days=30),
)
FAR = Forecast(None)

# How to make each rule apply (and only it, on a healthy account).
BREAKING: dict[Reason, tuple[dict[str, Any], Forecast | None]] = {
    Reason.WARNED: ({"warned": True}, FAR),
    Reason.BELOW_REQUIRED_RATIO: ({"ratio": 0.5, "required_ratio": 0.6}, FAR),
    Reason.HIT_AND_RUNS: ({"hit_and_runs": 3}, FAR),
    Reason.UNSATISFIED_LIMIT: ({"unsatisfied_count": 100}, FAR),
    Reason.FORECAST: ({}, Forecast(6.5)),
    # 200 / 1.9 − 100 = 5.26 GiB of headroom, under the 10 GiB minimum.
    Reason.HEADROOM: ({"required_ratio": 1.9}, FAR),
    Reason.UNSATISFIED: ({"unsatisfied_count": 80}, FAR),
    Reason.VIP_EXPIRING: ({"vip_until": NOW + timedelta(days=6)}, FAR),
}
SERIOUSNESS = list(RULES)


def on_platform(platform: str, stats: TrackerStats) -> TrackerStats:
    """Return ``stats`` with what ``platform`` cannot fill unknown."""
    filled = PLATFORMS[platform]
    unknown = {
        item.name: None
        for item in fields(TrackerStats)
        if item.name not in filled and item.default is None
    }
    return replace(stats, **unknown)


def verdict(
    stats: TrackerStats,
    forecast: Forecast | None = FAR,
    *,
    settings: HealthSettings = ALL_OPTIONS,
    filled: frozenset[str] | None = None,
) -> Health | None:
    rules = judged_rules(
        filled if filled is not None else frozenset(RULES_FIELDS), settings
    )
    return judge(stats, rules=rules, settings=settings, forecast=forecast, now=NOW)


RULES_FIELDS = frozenset().union(*(rule.needs for rule in RULES.values()))


def test_the_order_is_the_contracts() -> None:
    assert [reason.value for reason in SERIOUSNESS] == [
        "warned",
        "below_required_ratio",
        "hit_and_runs",
        "unsatisfied_limit",
        "forecast",
        "headroom",
        "unsatisfied",
        "vip_expiring",
    ]
    assert [reason.value for reason in Reason] == ["none", *SERIOUSNESS]
    assert [verdict.value for verdict in Verdict] == ["ok", "at_risk", "in_danger"]
    assert Verdict.OK.rank < Verdict.AT_RISK.rank < Verdict.IN_DANGER.rank


def test_a_healthy_account_is_ok() -> None:
    assert verdict(HEALTHY) == Health(Verdict.OK, Reason.NONE)


@pytest.mark.parametrize("reason", SERIOUSNESS)
def test_each_rule_alone_decides(reason: Reason) -> None:
    changes, forecast = BREAKING[reason]
    assert verdict(replace(HEALTHY, **changes), forecast) == Health(
        RULES[reason].verdict, reason
    )


@pytest.mark.parametrize(
    ("serious", "lesser"), list(combinations(SERIOUSNESS, 2)), ids=str
)
def test_the_most_serious_rule_decides(serious: Reason, lesser: Reason) -> None:
    lesser_changes, lesser_forecast = BREAKING[lesser]
    serious_changes, serious_forecast = BREAKING[serious]
    # The headroom rule raises the required ratio; below-ratio needs it too.
    stats = replace(HEALTHY, **{**lesser_changes, **serious_changes})
    forecast = lesser_forecast if serious_forecast == FAR else serious_forecast
    if {serious, lesser} == {Reason.BELOW_REQUIRED_RATIO, Reason.HEADROOM}:
        stats = replace(stats, ratio=0.5, required_ratio=1.9)
    result = verdict(stats, forecast)
    assert result == Health(RULES[serious].verdict, serious)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("reason", SERIOUSNESS)
def test_every_rule_on_every_platform(platform: str, reason: Reason) -> None:
    """A rule decides where the platform (and its options) can judge it; nowhere else."""
    filled = effective_fields(PLATFORMS[platform], 0.6)
    changes, forecast = BREAKING[reason]
    stats = on_platform(platform, replace(HEALTHY, **changes))
    stats = with_required_ratio(stats, changes.get("required_ratio", 0.6))
    if reason == Reason.BELOW_REQUIRED_RATIO and "ratio" in PLATFORMS[platform]:
        stats = replace(stats, ratio=0.5)
    result = verdict(stats, forecast, filled=filled)
    if RULES[reason].needs <= filled:
        assert result == Health(RULES[reason].verdict, reason)
    else:
        assert result is None or result.reason != reason


# The rules a platform judges with no option set; a platform not named here
# judges none (its tracker sends no rule).
EXPECTED_RULES: dict[str, list[str]] = {
    "gazelle": ["warned", "below_required_ratio", "forecast"],
    "ggn": ["warned", "below_required_ratio", "forecast"],
    "mam": ["unsatisfied_limit", "unsatisfied", "vip_expiring"],
    "huno": ["warned"],
    "speedapp": ["warned"],
}


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_rules_each_platform_judges_without_options(platform: str) -> None:
    rules = judged_rules(PLATFORMS[platform], NO_OPTIONS)
    assert [rule.value for rule in rules] == EXPECTED_RULES.get(platform, [])


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_options_add_their_rules(platform: str) -> None:
    """The required ratio option gives every platform the ratio rules; limits theirs."""
    filled = effective_fields(PLATFORMS[platform], 1.0)
    rules = {rule.value for rule in judged_rules(filled, ALL_OPTIONS)}
    assert {"below_required_ratio", "forecast", "headroom"} <= rules
    assert ("hit_and_runs" in rules) == ("hit_and_runs" in PLATFORMS[platform])
    assert ("warned" in rules) == ("warned" in PLATFORMS[platform])


def test_no_judgeable_rule_is_unknown() -> None:
    unknown = TrackerStats(uploaded_bytes=1, downloaded_bytes=1)
    assert verdict(unknown, None) is None
    assert judge(HEALTHY, rules=(), settings=NO_OPTIONS, forecast=FAR, now=NOW) is None


def test_one_judged_rule_is_enough_for_ok() -> None:
    only_warned = TrackerStats(warned=False)
    assert verdict(only_warned, None) == Health(Verdict.OK, Reason.NONE)


def test_an_unknown_value_does_not_hide_a_rule_that_applies() -> None:
    stats = TrackerStats(warned=None, unsatisfied_count=95, unsatisfied_limit=100)
    assert verdict(stats, None) == Health(Verdict.AT_RISK, Reason.UNSATISFIED)


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [
        (79, 100, Reason.NONE),
        (80, 100, Reason.UNSATISFIED),
        (99, 100, Reason.UNSATISFIED),
        (100, 100, Reason.UNSATISFIED_LIMIT),
        (140, 100, Reason.UNSATISFIED_LIMIT),
        (3, 4, Reason.NONE),  # 75 %
        (4, 5, Reason.UNSATISFIED),  # 80 % exactly
    ],
)
def test_unsatisfied_thresholds(count: int, limit: int, expected: Reason) -> None:
    stats = TrackerStats(unsatisfied_count=count, unsatisfied_limit=limit)
    result = verdict(stats, None)
    assert result is not None and result.reason == expected


def test_an_unsatisfied_limit_of_zero_is_not_judged() -> None:
    assert verdict(TrackerStats(unsatisfied_count=0, unsatisfied_limit=0), None) is None


@pytest.mark.parametrize(
    ("count", "limit", "expected"),
    [(2, 2, Reason.NONE), (3, 2, Reason.HIT_AND_RUNS), (1, 0, Reason.HIT_AND_RUNS)],
)
def test_hit_and_runs_above_the_limit(count: int, limit: int, expected: Reason) -> None:
    settings = replace(ALL_OPTIONS, hit_and_run_limit=limit)
    result = verdict(TrackerStats(hit_and_runs=count), None, settings=settings)
    assert result is not None and result.reason == expected


def test_hit_and_runs_without_a_limit_are_not_judged() -> None:
    assert verdict(TrackerStats(hit_and_runs=50), None, settings=NO_OPTIONS) is None


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (7.0, Reason.FORECAST),
        (7.01, Reason.NONE),
        (0.0, Reason.FORECAST),
        (None, Reason.NONE),
    ],
)
def test_forecast_within_forecast_days(days: float | None, expected: Reason) -> None:
    stats = TrackerStats(uploaded_bytes=1, downloaded_bytes=1, required_ratio=0.5)
    result = verdict(stats, Forecast(days), settings=NO_OPTIONS)
    assert result is not None and result.reason == expected


def test_headroom_under_the_minimum() -> None:
    # 200 GiB / 0.6 − 100 GiB leaves 233.33 GiB of headroom.
    stats = replace(HEALTHY, warned=None, ratio=None, unsatisfied_count=None)
    at_edge = replace(ALL_OPTIONS, headroom_min_bytes=headroom_min_bytes(233.3))
    above = replace(ALL_OPTIONS, headroom_min_bytes=headroom_min_bytes(233.4))
    assert verdict(stats, FAR, settings=at_edge) == Health(Verdict.OK, Reason.NONE)
    assert verdict(stats, FAR, settings=above) == Health(
        Verdict.AT_RISK, Reason.HEADROOM
    )


def test_headroom_min_is_entered_in_gibibytes() -> None:
    assert headroom_min_bytes(None) is None
    assert headroom_min_bytes(1.5) == 1536 * 1024**2


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (NOW + timedelta(days=7), Reason.VIP_EXPIRING),
        (NOW + timedelta(days=7, seconds=1), Reason.NONE),
        (NOW, Reason.VIP_EXPIRING),
        (NOW - timedelta(seconds=1), Reason.NONE),  # already ended
    ],
)
def test_vip_ending_within_seven_days(until: datetime, expected: Reason) -> None:
    result = verdict(TrackerStats(vip_until=until), None)
    assert result is not None and result.reason == expected


def test_the_required_ratio_option_wins_over_the_trackers() -> None:
    stats = TrackerStats(ratio=0.8, required_ratio=0.6, downloaded_bytes=5)
    assert with_required_ratio(stats, None) is stats
    assert with_required_ratio(stats, 1.0).required_ratio == 1.0
    assert verdict(with_required_ratio(stats, 1.0), None) == Health(
        Verdict.IN_DANGER, Reason.BELOW_REQUIRED_RATIO
    )
    assert effective_fields(frozenset({"ratio"}), None) == {"ratio"}
    assert effective_fields(frozenset({"ratio"}), 1.0) == {"ratio", "required_ratio"}


def test_nothing_downloaded_is_never_below_the_required_ratio() -> None:
    stats = TrackerStats(ratio=None, required_ratio=1.0, downloaded_bytes=0)
    assert verdict(stats, None) == Health(Verdict.OK, Reason.NONE)
