"""The alert rules on their own: snapshots in, (event type, previous, current) out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from custom_components.tracker_stats.alerts import (
    EVENT_TYPE_NEEDS,
    Alert,
    AlertSnapshot,
    find_alerts,
    offered_event_types,
)
from custom_components.tracker_stats.api import PLATFORMS, TrackerStats

BASE = AlertSnapshot(
    ratio=4.0,
    below_required_ratio=False,
    warned=False,
    hit_and_runs=0,
    group="Power User",
    unread_messages=0,
    seeding_count=42,
)


def changed(**values: Any) -> AlertSnapshot:
    return dataclasses.replace(BASE, **values)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (changed(ratio=3.8), Alert("ratio_dropped", 4.0, 3.8)),
        (
            changed(below_required_ratio=True),
            Alert("below_required_ratio", False, True),
        ),
        (changed(warned=True), Alert("warned", False, True)),
        (changed(hit_and_runs=2), Alert("hit_and_run_added", 0, 2)),
        (changed(group="Elite"), Alert("class_changed", "Power User", "Elite")),
        (changed(group="Member"), Alert("class_changed", "Power User", "Member")),
        (changed(unread_messages=1), Alert("unread_message", 0, 1)),
        (changed(seeding_count=0), Alert("seeding_stopped", 42, 0)),
    ],
)
def test_each_change_fires_its_event(current: AlertSnapshot, expected: Alert) -> None:
    assert find_alerts(BASE, current, ratio_drop=0.1) == [expected]


@pytest.mark.parametrize(
    "current",
    [
        BASE,
        changed(ratio=4.5),  # a rise
        changed(ratio=3.95),  # less than the threshold
        changed(below_required_ratio=False),
        changed(hit_and_runs=0),
        changed(unread_messages=0),
        changed(seeding_count=10),  # fewer, but still seeding
    ],
)
def test_no_change_worth_telling_fires_nothing(current: AlertSnapshot) -> None:
    assert find_alerts(BASE, current, ratio_drop=0.1) == []


def test_falls_back_fire_nothing() -> None:
    """Good news is no alert: warning lifted, H&R cleared, messages read."""
    bad = changed(
        below_required_ratio=True, warned=True, hit_and_runs=3, unread_messages=2
    )
    assert find_alerts(bad, BASE, ratio_drop=0.1) == []


@pytest.mark.parametrize(
    ("old", "new", "threshold", "fires"),
    [
        # The float trap: 3.3 - 3.2 is 0.09999999999999964.
        (3.3, 3.2, 0.1, True),
        (4.0, 3.8, 0.2, True),
        (0.7, 0.6, 0.1, True),
        (1.0, 0.9, 0.1, True),
        (3.3, 3.25, 0.1, False),
        (3.3, 3.2001, 0.1, False),
        (4.0, 3.8, 0.25, False),
    ],
)
def test_ratio_drop_is_absolute_with_a_tolerance(
    old: float, new: float, threshold: float, fires: bool
) -> None:
    alerts = find_alerts(changed(ratio=old), changed(ratio=new), ratio_drop=threshold)
    assert alerts == ([Alert("ratio_dropped", old, new)] if fires else [])


@pytest.mark.parametrize(
    "field",
    [
        "ratio",
        "below_required_ratio",
        "warned",
        "hit_and_runs",
        "group",
        "unread_messages",
        "seeding_count",
    ],
)
def test_unknown_on_either_side_fires_nothing(field: str) -> None:
    worse = {
        "ratio": 1.0,
        "below_required_ratio": True,
        "warned": True,
        "hit_and_runs": 5,
        "group": "Elite",
        "unread_messages": 5,
        "seeding_count": 0,
    }[field]
    unknown = changed(**{field: None})
    assert find_alerts(BASE, unknown, ratio_drop=0.1) == []
    assert find_alerts(unknown, changed(**{field: worse}), ratio_drop=0.1) == []


def test_unknown_class_is_not_a_class() -> None:
    """TrackerStats says "Unknown" when the tracker sends no class."""
    hidden = AlertSnapshot.from_stats(TrackerStats(group="Unknown"))
    assert hidden.group is None
    assert find_alerts(BASE, hidden, ratio_drop=0.1) == []
    assert find_alerts(hidden, BASE, ratio_drop=0.1) == []


def test_snapshot_keeps_the_last_known_values() -> None:
    """A value unknown for one poll neither fires twice nor hides a change."""
    unknown_warning = changed(warned=None, ratio=None)
    kept = BASE.updated_by(unknown_warning)
    assert kept == BASE
    assert find_alerts(kept, changed(warned=True), ratio_drop=0.1) == [
        Alert("warned", False, True)
    ]


def test_snapshot_from_stats() -> None:
    stats = TrackerStats(
        group="Elite",
        uploaded_bytes=100,
        downloaded_bytes=200,
        ratio=0.5,
        required_ratio=0.6,
        warned=True,
        hit_and_runs=1,
        unread_messages=3,
        seeding_count=7,
    )
    assert AlertSnapshot.from_stats(stats) == AlertSnapshot(
        ratio=0.5,
        below_required_ratio=True,
        warned=True,
        hit_and_runs=1,
        group="Elite",
        unread_messages=3,
        seeding_count=7,
    )


def test_snapshot_round_trips_and_distrusts_storage() -> None:
    assert AlertSnapshot.from_dict(BASE.as_dict()) == BASE
    damaged = {
        "ratio": "4.0",
        "below_required_ratio": 1,
        "warned": None,
        "hit_and_runs": -1,
        "group": "",
        "unread_messages": True,
        "seeding_count": 2.5,
        "extra": "ignored",
    }
    assert AlertSnapshot.from_dict(damaged) == AlertSnapshot()
    assert AlertSnapshot.from_dict({"ratio": float("nan")}).ratio is None


def test_event_types_follow_what_the_platform_fills() -> None:
    everything = frozenset().union(*EVENT_TYPE_NEEDS.values())
    assert offered_event_types(everything) == list(EVENT_TYPE_NEEDS)
    assert offered_event_types(PLATFORMS["gazelle"]) == [
        "ratio_dropped",
        "below_required_ratio",
        "warned",
        "class_changed",
        "unread_message",
        "seeding_stopped",
        "ratio_forecast_near",
    ]
    assert offered_event_types(PLATFORMS["ggn"]) == [
        "ratio_dropped",
        "below_required_ratio",
        "warned",
        "hit_and_run_added",
        "class_changed",
        "seeding_stopped",
        "ratio_forecast_near",
    ]
    assert offered_event_types(PLATFORMS["btn"]) == [
        "ratio_dropped",
        "hit_and_run_added",
        "class_changed",
    ]
