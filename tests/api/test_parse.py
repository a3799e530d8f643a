"""Tests for the tolerant value conversions and the secret scrubber."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.tracker_stats.api._parse import (
    as_bool,
    as_float,
    as_int,
    as_text,
    as_utc_datetime,
    buffer_from,
    first_known,
    ratio_from,
    scrub,
)

HUGE = 2**53 + 1  # the first integer a float cannot hold


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
    """Blank strings and non-strings are unknown."""
    assert as_text("  Power User ") == "Power User"
    assert as_text("   ") is None
    assert as_text(7) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-04-12 09:34:00", datetime(2021, 4, 12, 9, 34, tzinfo=UTC)),
        ("2026-03-07T17:03:24", datetime(2026, 3, 7, 17, 3, 24, tzinfo=UTC)),
        (
            "2026-03-07T19:03:24+02:00",
            datetime(2026, 3, 7, 17, 3, 24, tzinfo=UTC),
        ),
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
    ],
)
def test_ratio_rule(
    ratio: object, uploaded: int | None, downloaded: int | None, expected: float | None
) -> None:
    """The tracker's ratio wins; else bytes; nothing downloaded is unknown."""
    assert ratio_from(ratio, uploaded, downloaded) == expected


def test_buffer_never_negative() -> None:
    """Buffer is upload minus download, floored at zero."""
    assert buffer_from(10, 4) == 6
    assert buffer_from(4, 10) == 0
    assert buffer_from(None, 4) is None
    assert buffer_from(HUGE + 10, HUGE) == 10


def test_first_known_takes_the_first_convertible() -> None:
    """Fork spellings are tried in order, skipping junk."""
    assert first_known(as_int, None, "x", "3", 4) == 3
    assert first_known(as_int, None) is None


def test_scrub_removes_identifying_data() -> None:
    """Passkeys, IPs, e-mail and invite data never reach platform_meta."""
    personal = {
        "class": "Elite Gamer",
        "passkey": "secret",
        "authKey": "secret",
        "api_key": "secret",
        "ip": "xxx.xxx.xxx.xxx",
        "IP": "x",
        "lastIp": "x",
        "ipAddress": "x",
        "last_ip": "x",
        "email": "a@b.c",
        "invites": 2,
        "invited": 3,
        "paranoia": [],
        "description": "keeps words containing ip",
        "shipped": 1,
        "nested": {"previousIPs": ["x"], "seen": "203.0.113.7", "ok": 1},
        "list": ["203.0.113.7", "2001:db8::1", "fine"],
    }
    assert scrub(personal) == {
        "class": "Elite Gamer",
        "paranoia": [],
        "description": "keeps words containing ip",
        "shipped": 1,
        "nested": {"ok": 1},
        "list": ["fine"],
    }
    assert scrub([{"passkey": "x", "a": 1}]) == [{"a": 1}]
    assert scrub(5) == 5
