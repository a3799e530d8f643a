"""The derived statistics: one ratio and buffer rule for every platform."""

from __future__ import annotations

import pytest

from custom_components.tracker_stats.api._parse import as_ratio
from custom_components.tracker_stats.api.derived import derive_buffer, derive_ratio

HUGE = 2**60


@pytest.mark.parametrize(
    ("ratio", "uploaded", "downloaded", "expected"),
    [
        (4.0, 400, 100, 4.0),
        ("0.99699", 99, 100, 0.99699),
        (None, 300, 100, 3.0),
        ("--", 300, 100, 3.0),
        ("∞", 300, 0, None),
        (0, 300, 0, None),  # a fake 0 would fire ratio-drop automations
        (None, None, None, None),
        ("n/a", None, 100, None),
        (None, 5 * HUGE, HUGE, 5.0),
        (-1, 300, 100, 3.0),  # Orpheus' "infinite" is not a ratio
        (None, -300, 100, None),
    ],
)
def test_ratio_rule(
    ratio: object, uploaded: int | None, downloaded: int | None, expected: float | None
) -> None:
    """The tracker's ratio wins; else bytes; nothing downloaded is unknown."""
    assert derive_ratio(as_ratio(ratio), uploaded, downloaded) == expected


def test_buffer_never_negative() -> None:
    """Buffer is upload minus download, floored at zero."""
    assert derive_buffer(10, 4) == 6
    assert derive_buffer(4, 10) == 0
    assert derive_buffer(None, 4) is None
    assert derive_buffer(HUGE + 10, HUGE) == 10
