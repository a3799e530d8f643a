"""Tests for the tolerant value conversions and the allow-list picker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.tracker_stats.api._parse import (
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_int,
    as_ratio,
    as_text,
    as_unix_datetime,
    as_utc_datetime,
    first_known,
    pick,
)

HUGE = 2**53 + 1  # the first integer a float cannot hold
LIMIT = 2**63  # orjson, and so Home Assistant's storage, refuses anything larger


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, 42),
        (HUGE, HUGE),
        (12.9, 12),
        (str(HUGE), HUGE),
        ("1,024", 1024),
        (" 7 ", 7),
        ("12.9", 12),
        (True, None),
        (None, None),
        ("lots", None),
        ("", None),
        (float("nan"), None),
        (float("inf"), None),
        ("Infinity", None),
        ({}, None),
        ([], None),
    ],
)
def test_as_int(value: object, expected: int | None) -> None:
    """Whole numbers come from numbers and numeric strings, floored."""
    assert as_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4.0, 4.0),
        (3, 3.0),
        ("0.99699", 0.99699),
        ("1,234.5", 1234.5),
        ("∞", None),
        ("--", None),
        ("n/a", None),
        ("inf", None),
        ("NaN", None),
        (None, None),
        (False, None),
        ({}, None),
    ],
)
def test_as_float(value: object, expected: float | None) -> None:
    """Finite floats only; tracker placeholders for infinity are unknown."""
    assert as_float(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (12, 12),
        ("3", 3),
        (3.0, 3),
        (LIMIT - 1, LIMIT - 1),
        (str(LIMIT - 1), LIMIT - 1),
        (LIMIT, None),
        (-1, None),
        ("-1", None),
        (True, None),
        ("many", None),
    ],
)
def test_as_count(value: object, expected: int | None) -> None:
    """Counts are whole numbers from 0 up to a signed 64-bit integer."""
    assert as_count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1),
        (4821, 4821),
        (" 4821 ", 4821),
        (LIMIT - 1, LIMIT - 1),
        (str(LIMIT - 1), LIMIT - 1),
        (LIMIT, None),
        (str(LIMIT), None),
        (0, None),
        (-5, None),
        ("-5", None),
        (12.0, None),
        ("12.0", None),
        ("1e5", None),
        ("", None),
        (True, None),
        (None, None),
    ],
)
def test_as_id(value: object, expected: int | None) -> None:
    """Ids are positive 64-bit integers from ints or digit strings only."""
    assert as_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (HUGE, HUGE),
        (str(HUGE), HUGE),
        (1024.0, 1024),
        (float(2**53), 2**53),
        (float(HUGE + 1), None),  # a float that big has already lost bytes
        (Decimal(HUGE), HUGE),
        (Decimal("1234.9"), 1234),
        ("1,024", 1024),
        ("500.25 GiB", 537139347456),
        ("125.5 GiB", 134754598912),
        ("50 GiB", 50 * 2**30),
        ("0 B", 0),
        ("1.5 KiB", 1536),
        ("1.5kib", 1536),
        ("1,234.5 GiB", 1325534281728),
        ("3 TB", 3 * 2**40),  # trackers' "TB" is binary
        ("2 MB", 2 * 2**20),
        ("1 PiB", 2**50),
        ("7 EiB", 7 * 2**60),
        ("8 EiB", None),
        (LIMIT - 1, LIMIT - 1),
        (LIMIT, None),
        (-1, None),
        ("-5 GiB", None),
        ("1,5 GiB", None),
        ("5 parsecs", None),
        ("GiB", None),
        (True, None),
        (None, None),
    ],
)
def test_as_bytes(value: object, expected: int | None) -> None:
    """Byte counts come from numbers and UNIT3D-style unit strings, exactly."""
    assert as_bytes(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4.0, 4.0),
        ("0.99699", 0.99699),
        (0, 0.0),
        (1e9, 1e9),
        (1e9 + 1, None),
        (-1, None),  # Orpheus: infinite
        ("-0.5", None),
        ("∞", None),
        ("inf", None),
        ("--", None),
        ("", None),
    ],
)
def test_as_ratio(value: object, expected: float | None) -> None:
    """Ratios are finite, not negative and not absurd."""
    assert as_ratio(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1262304000, datetime(2010, 1, 1, tzinfo=UTC)),
        ("1262304000", datetime(2010, 1, 1, tzinfo=UTC)),
        (0, None),  # "never"
        (-5, None),
        ("12.5", None),
        (10**12, None),  # past year 9998
        ("soon", None),
        (True, None),
    ],
)
def test_as_unix_datetime(value: object, expected: datetime | None) -> None:
    """Unix seconds (BTN's JoinDate) become aware UTC datetimes."""
    assert as_unix_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("No", False),
        ("maybe", None),
        (2, None),
        (None, None),
    ],
)
def test_as_bool(value: object, expected: bool | None) -> None:
    """Booleans survive forks that send 0/1 or words."""
    assert as_bool(value) is expected


def test_as_text() -> None:
    """Blank strings and non-strings are unknown; text fits a state."""
    assert as_text("  Power User ") == "Power User"
    assert as_text("   ") is None
    assert as_text(7) is None
    assert as_text("Power\nUser\x00\u202e") == "Power User"
    assert as_text("é" * 255) == "é" * 255
    assert as_text("x" * 300) == "x" * 255
    assert as_text("abc def", max_length=4) == "abc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-04-12 09:34:00", datetime(2021, 4, 12, 9, 34, tzinfo=UTC)),
        ("2026-03-07T17:03:24", datetime(2026, 3, 7, 17, 3, 24, tzinfo=UTC)),
        (
            "2026-03-07T19:03:24+02:00",
            datetime(2026, 3, 7, 17, 3, 24, tzinfo=UTC),
        ),
        ("9998-12-31 23:59:59", datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("0000-00-00 00:00:00", None),
        ("Never", None),
        ("", None),
        (12, None),
        (None, None),
    ],
)
def test_as_utc_datetime(value: object, expected: datetime | None) -> None:
    """Naive tracker timestamps are UTC; offsets are converted to UTC."""
    parsed = as_utc_datetime(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)
        assert parsed.tzinfo in (UTC, UTC)


def test_first_known_takes_the_first_convertible() -> None:
    """Fork spellings are tried in order, skipping junk."""
    assert first_known(as_int, None, "x", "3", 4) == 3
    assert first_known(as_int, None) is None


def test_pick_keeps_only_named_fields_in_their_type() -> None:
    """platform_meta's allow-list: unnamed fields never, a key as a number never."""
    block = {
        "donor": "1",
        "paranoia": "2",
        "passkey": "secret",
        "ip": "203.0.113.7",
        "posts": "planted-key-0123456789",
        "nested": {"ok": 1},
    }
    fields = {"donor": as_bool, "paranoia": as_count, "posts": as_count, "x": as_int}
    assert pick(block, fields) == {"donor": True, "paranoia": 2}
    assert pick("not an object", fields) == {}
