"""The ratio forecast and its hourly history, on synthetic histories."""

from __future__ import annotations

from collections.abc import Callable
import json
import random

import pytest

from custom_components.tracker_stats.forecast import (
    DAY,
    HOUR,
    MAX_FORECAST_DAYS,
    MAX_SAMPLES,
    WINDOW,
    Forecast,
    History,
    Sample,
    ratio_forecast,
)

GIB = 1024**3
START = 1_780_000_000
# An account at ratio 2.0 with a required ratio of 1.0.
UPLOADED = 200 * GIB
DOWNLOADED = 100 * GIB


def build(
    hours: int,
    upload_per_hour: float,
    download_per_hour: float,
    *,
    noise: Callable[[int], float] = lambda _: 0.0,
    step: int = HOUR,
) -> tuple[History, int, int, int]:
    """Poll every ``step`` seconds for ``hours``; return history, now and last counts."""
    history = History()
    uploaded, downloaded = UPLOADED, DOWNLOADED
    at = START
    for index in range(hours * HOUR // step + 1):
        at = START + index * step
        if index:
            # Counters never fall: noise varies the pace, not the total.
            upload = upload_per_hour * step / HOUR + noise(index)
            uploaded += max(round(upload), 0)
            downloaded += round(download_per_hour * step / HOUR)
        history.add(at, uploaded, downloaded)
    return history, at, uploaded, downloaded


def forecast_of(
    history: History, now: int, uploaded: int, downloaded: int, required: float = 1.0
) -> Forecast | None:
    return ratio_forecast(
        history,
        now=now,
        uploaded=uploaded,
        downloaded=downloaded,
        required_ratio=required,
    )


def test_flat_history_never_leads_below() -> None:
    history, now, up, down = build(48, 0, 0)
    assert forecast_of(history, now, up, down) == Forecast(None)


def test_rising_ratio_never_leads_below() -> None:
    history, now, up, down = build(72, 2 * GIB, 1 * GIB)
    assert forecast_of(history, now, up, down) == Forecast(None)


def test_falling_ratio_gives_the_days_left() -> None:
    # Ratio 2.0 (200/100 GiB); each hour 1 GiB up and 3 GiB down: the upload
    # falls behind what a ratio of 1.0 needs by 2 GiB an hour.
    history, now, up, down = build(48, 1 * GIB, 3 * GIB)
    assert (up, down) == (248 * GIB, 244 * GIB)
    forecast = forecast_of(history, now, up, down)
    # 4 GiB above the requirement, losing 2 GiB an hour: 2 hours.
    assert forecast == Forecast(round(2 / 24, 2))
    # A lower requirement is further away: 248 − 0.5·244 = 126 GiB above it,
    # losing 1 − 0.5·3 = 0.5 GiB an hour.
    assert forecast_of(history, now, up, down, 0.5) == Forecast(round(252 / 24, 2))


def test_already_below_is_zero_days() -> None:
    history, now, up, down = build(48, 0, 0)
    assert forecast_of(history, now, up, down, 2.5) == Forecast(0.0)


def test_noisy_history_keeps_the_trend() -> None:
    rng = random.Random(22)  # noqa: S311 - reproducible noise, no secret
    # The hourly upload swings between nothing and twice its mean.
    noise = {index: rng.uniform(-1, 1) * GIB for index in range(200)}
    history, now, up, down = build(
        7 * 24, 1 * GIB, 3 * GIB, noise=lambda index: noise[index]
    )
    clean_history, _, clean_up, clean_down = build(7 * 24, 1 * GIB, 3 * GIB)
    forecast = forecast_of(history, now, up, down, 0.5)
    clean = forecast_of(clean_history, now, clean_up, clean_down, 0.5)
    assert forecast is not None and forecast.days is not None
    assert clean is not None and clean.days is not None
    # Start from the same counts: only the fitted trend differs, a little.
    same_start = forecast_of(history, now, clean_up, clean_down, 0.5)
    assert same_start is not None and same_start.days is not None
    assert same_start.days == pytest.approx(clean.days, rel=0.05)


def test_under_a_day_of_history_is_unknown() -> None:
    history, now, up, down = build(23, 1 * GIB, 3 * GIB)
    assert forecast_of(history, now, up, down) is None
    history.add(now + HOUR, up, down)
    assert forecast_of(history, now + HOUR, up, down) is not None


@pytest.mark.parametrize(
    ("uploaded", "downloaded", "required"),
    [
        (None, DOWNLOADED, 1.0),
        (UPLOADED, None, 1.0),
        (UPLOADED, DOWNLOADED, None),
        (UPLOADED, DOWNLOADED, 0.0),
        (UPLOADED, DOWNLOADED, float("nan")),
        (0, 0, 1.0),
    ],
)
def test_unknown_inputs_give_no_forecast(
    uploaded: int | None, downloaded: int | None, required: float | None
) -> None:
    history, now, _, _ = build(48, 1 * GIB, 3 * GIB)
    assert (
        ratio_forecast(
            history,
            now=now,
            uploaded=uploaded,
            downloaded=downloaded,
            required_ratio=required,
        )
        is None
    )


def test_nothing_downloaded_yet_can_still_lead_below() -> None:
    history = History()
    for hour in range(25):
        history.add(START + hour * HOUR, 10 * GIB + hour * GIB // 10, hour * GIB)
    forecast = forecast_of(history, START + 24 * HOUR, 12 * GIB, 24 * GIB)
    assert forecast == Forecast(0.0)
    # From zero download: 10 GiB up, losing 0.9 GiB an hour against 1.0.
    days = ratio_forecast(
        history,
        now=START + 24 * HOUR,
        uploaded=10 * GIB,
        downloaded=0,
        required_ratio=1.0,
    )
    assert days == Forecast(round(10 / 0.9 / 24, 2))


def test_a_trend_beyond_a_year_is_no_forecast() -> None:
    # Losing 1 MiB an hour against a 100 GiB margin: 11 years.
    history, now, up, down = build(48, 0, 1024**2)
    forecast = forecast_of(history, now, up, down, 1.0)
    assert forecast == Forecast(None)
    assert MAX_FORECAST_DAYS == 365


def test_one_sample_per_clock_hour_and_seven_days_at_most() -> None:
    # Polls every 30 minutes for 10 days.
    history, now, up, down = build(10 * 24, 1 * GIB, 1 * GIB, step=HOUR // 2)
    samples = history.samples
    hours = [sample.at // HOUR for sample in samples]
    assert hours == sorted(set(hours))
    assert len(samples) <= MAX_SAMPLES
    assert samples[0].at >= now - WINDOW
    assert samples[-1] == Sample(now, up, down)


def test_restarts_keep_the_history() -> None:
    """Home Assistant down for hours: the gap is no trend, the history survives."""
    history, now, up, down = build(30, 1 * GIB, 3 * GIB)
    stored = json.loads(json.dumps(history.as_dict()))
    restored = History.from_dict(stored)
    assert restored.samples == history.samples
    # Down for 12 hours, the account kept its pace meanwhile.
    later = now + 12 * HOUR
    up, down = up + 12 * GIB, down + 36 * GIB
    assert restored.add(later, up, down)
    forecast = forecast_of(restored, later, up, down, 0.5)
    assert forecast is not None and forecast.days is not None
    # Same pace: 0.5 GiB an hour lost against 0.5 from (up − 0.5·down) GiB.
    margin = (up - down / 2) / GIB
    assert forecast.days == pytest.approx(margin / 0.5 / 24, rel=0.01)


def test_a_second_poll_in_the_same_hour_is_not_stored() -> None:
    history = History()
    assert history.add(START, 1, 1)
    assert not history.add(START + 60, 2, 2)
    assert history.samples == (Sample(START, 1, 1),)


def test_clock_jumping_back_drops_the_samples_from_the_future() -> None:
    history, now, up, down = build(30, 1 * GIB, 3 * GIB)
    back = now - 5 * HOUR - 10
    assert history.add(back, up, down)
    assert all(sample.at <= back for sample in history.samples)
    assert history.samples[-1] == Sample(back, up, down)


def test_clock_jumping_forward_starts_a_new_window() -> None:
    history, now, up, down = build(48, 1 * GIB, 3 * GIB)
    ahead = now + 30 * DAY
    assert history.add(ahead, up, down)
    assert history.samples == (Sample(ahead, up, down),)
    assert forecast_of(history, ahead, up, down) is None


def test_a_counter_going_down_restarts_the_history() -> None:
    history, now, up, down = build(48, 1 * GIB, 3 * GIB)
    assert history.add(now + HOUR, up, down - GIB)
    assert history.samples == (Sample(now + HOUR, up, down - GIB),)
    assert forecast_of(history, now + HOUR, up, down - GIB) is None


def test_samples_from_the_future_are_ignored_by_the_forecast() -> None:
    history, now, up, down = build(48, 1 * GIB, 3 * GIB)
    assert forecast_of(history, now - 40 * HOUR, up, down) is None


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        {"samples": "x"},
        {"samples": [[1, 2]]},
        {"samples": [[1, 2, -3]]},
        {"samples": [[1, 2, 2**63]]},
        {"samples": [[1, True, 3]]},
        {"samples": [[1.5, 2, 3]]},
        {"samples": [{"at": 1}]},
    ],
)
def test_malformed_storage_is_empty_history(stored: object) -> None:
    assert History.from_dict(stored).samples == ()


def test_stored_history_is_bounded_and_ordered() -> None:
    newest_first = [[START + hour * HOUR, hour, hour] for hour in range(1000)][::-1]
    stored = {"samples": [*newest_first, [START, 5, 5]]}
    history = History.from_dict(stored)
    assert len(history.samples) == MAX_SAMPLES
    ats = [sample.at for sample in history.samples]
    assert ats == sorted(ats)
    assert ats[-1] == START + 999 * HOUR


def test_a_weeks_history_is_small_on_disk() -> None:
    history, _, _, _ = build(7 * 24, 1 * GIB, 3 * GIB, step=HOUR // 2)
    size = len(json.dumps(history.as_dict(), separators=(",", ":")))
    assert len(history.samples) == MAX_SAMPLES
    # About 40 bytes a sample: an account's week stays under 8 KiB.
    assert size < 8 * 1024
