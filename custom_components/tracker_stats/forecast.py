"""When will the ratio fall below the required ratio? Pure, no Home Assistant.

The account's own trend answers: an hourly history of its byte counts over the
last 7 days, fitted by least squares (robust to a noisy hour, to gaps while
Home Assistant was down, and to polls at uneven times), projected from the
latest poll. The history is small and bounded: at most one sample per clock
hour, none older than 7 days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
import math
from typing import Any, Final

HOUR: Final = 3600
DAY: Final = 24 * HOUR
# The trend is that of the last 7 days (README, Account health).
WINDOW: Final = 7 * DAY
# Less history than this says nothing about a weekly rhythm.
MIN_SPAN: Final = DAY
MAX_SAMPLES: Final = WINDOW // HOUR + 1
# A week's trend says nothing about next year: past this, no forecast.
MAX_FORECAST_DAYS: Final = 365
# Samples are stored as JSON integers; Home Assistant writes them with orjson,
# which refuses integers past 64 bits (and then every later save fails).
_INT64_LIMIT: Final = 2**63
# A stored file is read only this far: a damaged or doctored one stays cheap.
_READ_LIMIT: Final = 16 * MAX_SAMPLES


@dataclass(frozen=True, slots=True)
class Sample:
    """The byte counts at one moment (``at``: Unix time in whole seconds)."""

    at: int
    uploaded: int
    downloaded: int


@dataclass(frozen=True, slots=True)
class Forecast:
    """A judged forecast: days until below the required ratio, or None for never.

    None as ``days`` means the trend does not lead below the required ratio
    (within ``MAX_FORECAST_DAYS``); 0 means the ratio is below it already.
    """

    days: float | None


def _is_count(value: Any) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < _INT64_LIMIT
    )


class History:
    """At most one sample per clock hour of the last 7 days, oldest first."""

    def __init__(self, samples: Iterable[Sample] = ()) -> None:
        """Keep ``samples`` that are in order and one per hour; drop the rest."""
        self._samples: list[Sample] = []
        for sample in sorted(samples, key=lambda item: item.at):
            if not self._samples or _hour(sample.at) > _hour(self._samples[-1].at):
                self._samples.append(sample)
        del self._samples[:-MAX_SAMPLES]

    @property
    def samples(self) -> tuple[Sample, ...]:
        """Return the samples, oldest first."""
        return tuple(self._samples)

    def add(self, at: int, uploaded: int, downloaded: int) -> bool:
        """Record the counts of a good poll at ``at``; return whether history changed.

        A clock that jumped back makes samples "from the future": they go. A
        counter that went down (the tracker corrected or reset the account)
        starts the history anew, since the old trend no longer leads to the
        new counts. Otherwise only the first poll of each clock hour is kept.
        """
        samples = self._samples
        changed = False
        while samples and samples[-1].at > at:
            samples.pop()
            changed = True
        if samples and (
            uploaded < samples[-1].uploaded or downloaded < samples[-1].downloaded
        ):
            samples.clear()
            changed = True
        if samples and _hour(samples[-1].at) == _hour(at):
            return changed
        samples.append(Sample(at, uploaded, downloaded))
        cutoff = at - WINDOW
        first_kept = next(
            index for index, sample in enumerate(samples) if sample.at >= cutoff
        )
        del samples[:first_kept]
        del samples[:-MAX_SAMPLES]
        return True

    def as_dict(self) -> dict[str, Any]:
        """Return the history as compact JSON-ready data."""
        return {
            "samples": [
                [sample.at, sample.uploaded, sample.downloaded]
                for sample in self._samples
            ]
        }

    @classmethod
    def from_dict(cls, data: Any) -> History:
        """Read stored data back; anything malformed is dropped, never an error."""
        stored = data.get("samples") if isinstance(data, Mapping) else None
        if not isinstance(stored, list):
            return cls()
        return cls(
            Sample(*item)
            for item in stored[:_READ_LIMIT]
            if isinstance(item, list) and len(item) == 3 and all(map(_is_count, item))
        )


def _hour(at: int) -> int:
    return at // HOUR


def _slope(points: list[tuple[float, float]]) -> float:
    """Return the least-squares slope of ``points`` (x, y)."""
    count = len(points)
    mean_x = math.fsum(x for x, _ in points) / count
    mean_y = math.fsum(y for _, y in points) / count
    spread = math.fsum((x - mean_x) ** 2 for x, _ in points)
    return math.fsum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def ratio_forecast(
    history: History,
    *,
    now: int,
    uploaded: int | None,
    downloaded: int | None,
    required_ratio: float | None,
) -> Forecast | None:
    """Return the forecast from the latest poll's counts at ``now``.

    None (cannot judge): counts or required ratio unknown, nothing uploaded or
    downloaded at all, or under 24 hours of history in the last 7 days.
    """
    if uploaded is None or downloaded is None or required_ratio is None:
        return None
    if required_ratio <= 0 or not math.isfinite(required_ratio):
        return None
    if uploaded == 0 and downloaded == 0:
        return None
    recent = [sample for sample in history.samples if now - WINDOW <= sample.at <= now]
    if not recent or now - recent[0].at < MIN_SPAN:
        return None
    # str() gives back the decimal the user or tracker gave (0.6, not 0.5999…).
    required = Fraction(str(required_ratio))
    # Bytes that must still be uploaded to stay at the required ratio; negative
    # while the account is above it. Exact: counts pass 2**53.
    shortfall = required * downloaded - uploaded
    if shortfall > 0:
        return Forecast(0.0)
    points = [(sample.at - now, sample) for sample in recent]
    if recent[-1].at < now:
        points.append((0, Sample(now, uploaded, downloaded)))
    upload_rate = _slope([(x, float(sample.uploaded)) for x, sample in points])
    download_rate = _slope([(x, float(sample.downloaded)) for x, sample in points])
    # Per second, how fast the upload falls behind what the download requires.
    net_rate = upload_rate - float(required) * download_rate
    if net_rate >= 0:
        return Forecast(None)
    days = float(shortfall) / net_rate / DAY
    if days > MAX_FORECAST_DAYS:
        return Forecast(None)
    return Forecast(round(days, 2))
