"""The alert rules of account health: forecast near, at risk, in danger, bonus capped."""

from __future__ import annotations

import json

import pytest

from custom_components.tracker_stats.alerts import (
    BONUS_CAPS,
    CAN_BE_AT_RISK,
    CAN_BE_IN_DANGER,
    EVENT_TYPE_NEEDS,
    HAS_BONUS_CAP,
    Alert,
    AlertSnapshot,
    find_alerts,
    offered_event_types,
)
from custom_components.tracker_stats.api import PLATFORMS, TrackerStats
from custom_components.tracker_stats.forecast import Forecast
from custom_components.tracker_stats.health import Health, Reason, Verdict

OK = Health(Verdict.OK, Reason.NONE)
AT_RISK = Health(Verdict.AT_RISK, Reason.UNSATISFIED)
IN_DANGER = Health(Verdict.IN_DANGER, Reason.WARNED)
STATS = TrackerStats(bonus_points=1000.0)


def snapshot(
    health: Health | None = None,
    forecast: Forecast | None = None,
    bonus: float | None = None,
) -> AlertSnapshot:
    return AlertSnapshot.from_stats(
        TrackerStats(bonus_points=bonus),
        health=health,
        forecast=forecast,
        forecast_days=7,
    )


def alerts(
    previous: AlertSnapshot, current: AlertSnapshot, bonus_cap: float | None = None
) -> list[Alert]:
    return find_alerts(previous, current, ratio_drop=0.1, bonus_cap=bonus_cap)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (OK, AT_RISK, [Alert("at_risk", "ok", "at_risk", "unsatisfied")]),
        (OK, IN_DANGER, [Alert("in_danger", "ok", "in_danger", "warned")]),
        (AT_RISK, IN_DANGER, [Alert("in_danger", "at_risk", "in_danger", "warned")]),
        # Better, or the same with another reason: nothing.
        (IN_DANGER, AT_RISK, []),
        (AT_RISK, OK, []),
        (
            Health(Verdict.AT_RISK, Reason.FORECAST),
            Health(Verdict.AT_RISK, Reason.HEADROOM),
            [],
        ),
        # From or to unknown: nothing (the first verdict of an entry fires nothing).
        (None, IN_DANGER, []),
        (IN_DANGER, None, []),
    ],
)
def test_the_verdict_getting_worse_fires(
    before: Health | None, after: Health | None, expected: list[Alert]
) -> None:
    assert alerts(snapshot(before), snapshot(after)) == expected


def test_an_unknown_verdict_keeps_the_last_known_one() -> None:
    """From ok through unknown to at risk fires once: unknown keeps the last verdict."""
    previous = snapshot(OK)
    kept = previous.updated_by(snapshot(None))
    assert kept.health == Verdict.OK
    assert alerts(kept, snapshot(AT_RISK)) == [
        Alert("at_risk", "ok", "at_risk", "unsatisfied")
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (Forecast(None), Forecast(6.5), [Alert("ratio_forecast_near", None, 6.5)]),
        (Forecast(30.0), Forecast(7.0), [Alert("ratio_forecast_near", 30.0, 7.0)]),
        (Forecast(30.0), Forecast(7.01), []),
        (Forecast(6.0), Forecast(2.0), []),  # near already: once only
        (Forecast(2.0), Forecast(None), []),
        (None, Forecast(1.0), []),  # a first forecast (a day of history) is no change
    ],
)
def test_the_forecast_falling_to_forecast_days_fires(
    before: Forecast | None, after: Forecast | None, expected: list[Alert]
) -> None:
    assert alerts(snapshot(forecast=before), snapshot(forecast=after)) == expected


def test_a_forecast_of_never_replaces_the_days_of_an_older_one() -> None:
    stored = snapshot(forecast=Forecast(40.0))
    stored = stored.updated_by(snapshot(forecast=Forecast(None)))
    assert stored.forecast_days is None
    stored = stored.updated_by(snapshot(forecast=None))
    assert stored.forecast_near is False
    assert alerts(stored, snapshot(forecast=Forecast(3.0))) == [
        Alert("ratio_forecast_near", None, 3.0)
    ]


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [
        (99_000.0, 99_999.0, True),
        (99_998.5, 100_050.0, True),
        (99_999.0, 99_999.0, False),  # capped already
        (99_999.0, 50.0, False),
        (1.0, 99_998.0, False),
        (None, 99_999.0, False),
    ],
)
def test_bonus_points_reaching_the_cap_fire(
    before: float | None, after: float, fires: bool
) -> None:
    found = alerts(snapshot(bonus=before), snapshot(bonus=after), bonus_cap=99_999)
    assert found == ([Alert("bonus_capped", before, after)] if fires else [])
    assert alerts(snapshot(bonus=before), snapshot(bonus=after)) == []


def test_the_new_fields_survive_storage() -> None:
    stored = snapshot(IN_DANGER, Forecast(2.5), 99_999.0)
    data = json.loads(json.dumps(stored.as_dict()))
    assert AlertSnapshot.from_dict(data) == stored
    assert AlertSnapshot.from_dict(data).health is Verdict.IN_DANGER


@pytest.mark.parametrize(
    "damaged",
    [
        {"health": "dying"},
        {"health": ["ok"]},
        {"health_reason": "bad_luck"},
        {"forecast_near": "yes"},
        {"forecast_days": -1},
        {"forecast_days": float("inf")},
        {"bonus_points": "lots"},
    ],
)
def test_damaged_new_fields_are_unknown(damaged: dict[str, object]) -> None:
    assert AlertSnapshot.from_dict(damaged) == AlertSnapshot()


def test_new_event_types_need_their_capabilities() -> None:
    assert list(EVENT_TYPE_NEEDS)[-4:] == [
        "ratio_forecast_near",
        "at_risk",
        "in_danger",
        "bonus_capped",
    ]
    mam = PLATFORMS["mam"] | {CAN_BE_AT_RISK, CAN_BE_IN_DANGER, HAS_BONUS_CAP}
    assert offered_event_types(mam)[-3:] == ["at_risk", "in_danger", "bonus_capped"]
    # Bonus points alone are no cap; a required ratio makes the forecast.
    unit3d = offered_event_types(PLATFORMS["unit3d"])
    assert not {"bonus_capped", "ratio_forecast_near", "at_risk"} & set(unit3d)
    with_ratio = offered_event_types(PLATFORMS["unit3d"] | {"required_ratio"})
    assert "ratio_forecast_near" in with_ratio
    assert set(BONUS_CAPS) == {"mam"}
