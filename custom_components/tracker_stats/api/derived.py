"""Statistics computed from what the tracker sent, in one place for every platform."""

from __future__ import annotations

from fractions import Fraction

from .models import TrackerStats


def derive_ratio(
    tracker_ratio: float | None, uploaded: int | None, downloaded: int | None
) -> float | None:
    """Apply the product's ratio rule.

    A tracker's own ratio wins; otherwise compute it from the byte counts.
    With nothing downloaded the ratio is infinite and trackers show "∞",
    "--", -1 or even 0: that must be unknown, because a fake 0 would fire
    every ratio-drop automation.
    """
    if downloaded == 0:
        return None
    if tracker_ratio is not None:
        return tracker_ratio
    if uploaded is not None and downloaded is not None and uploaded >= 0:
        return uploaded / downloaded
    return None


def derive_buffer(uploaded: int | None, downloaded: int | None) -> int | None:
    """Return the upload surplus, never negative."""
    if uploaded is None or downloaded is None:
        return None
    return max(uploaded - downloaded, 0)


def download_headroom(stats: TrackerStats) -> int | None:
    """Return how much can be downloaded before falling below the required ratio."""
    uploaded, downloaded = stats.uploaded_bytes, stats.downloaded_bytes
    required = stats.required_ratio
    if uploaded is None or downloaded is None or required is None or required <= 0:
        return None
    # Float division would drop bytes past 2**53; str() gives back the decimal
    # the tracker sent (0.6, not 0.59999…), so the fraction is exact.
    allowed = Fraction(uploaded) // Fraction(str(required))
    return max(allowed - downloaded, 0)


def below_required_ratio(stats: TrackerStats) -> bool | None:
    """Return whether the ratio is under the tracker's requirement.

    Nothing downloaded means an infinite ratio: never below.
    """
    if stats.downloaded_bytes == 0:
        return False
    if stats.ratio is None or stats.required_ratio is None:
        return None
    return stats.ratio < stats.required_ratio
