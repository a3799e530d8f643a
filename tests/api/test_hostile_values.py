"""A hostile tracker's values: never a raise, never a freeze, never out of range."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
import math
import time
from typing import Any

from hypothesis import given, settings, strategies as st
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
    pick,
)
from custom_components.tracker_stats.api._redact import redact

LIMIT = 2**63
# Generous: a guard against the 30-second freeze, not a speed goal.
MAX_SECONDS_PER_CALL = 0.5
PROPERTY_SETTINGS = settings(deadline=None, derandomize=True, max_examples=300)

# Each of these froze the event loop or produced a value Home Assistant
# could not store before the parsers were bounded.
SLOW_NUMBERS = ("1e1000000", "9" * 1_000_000, "-" + "9" * 100_000, "1e-1000000")
OUT_OF_RANGE = ("1e400", 10**400, LIMIT, str(LIMIT), 1e300, "1e5000", -(10**400))


def timed(convert: Callable[[Any], object], value: object) -> object:
    """Call ``convert`` and fail if it took long enough to hurt the event loop."""
    started = time.perf_counter()
    result = convert(value)
    assert time.perf_counter() - started < MAX_SECONDS_PER_CALL
    return result


NUMBER_PARSERS = (as_int, as_count, as_id, as_bytes, as_float, as_ratio)


def short_id(value: object) -> str:
    """Keep a million-digit parameter out of the test id."""
    return repr(value)[:24]


@pytest.mark.parametrize("value", SLOW_NUMBERS, ids=short_id)
@pytest.mark.parametrize("convert", NUMBER_PARSERS)
def test_long_numbers_are_refused_quickly(
    convert: Callable[[Any], object], value: str
) -> None:
    """Decimal → int is quadratic: long or huge-exponent text never converts."""
    assert timed(convert, value) is None


@pytest.mark.parametrize("value", OUT_OF_RANGE, ids=short_id)
@pytest.mark.parametrize("convert", NUMBER_PARSERS)
def test_numbers_beyond_64_bits_are_unknown(
    convert: Callable[[Any], object], value: object
) -> None:
    """Home Assistant's storage and sensors fail on anything past 64 bits."""
    assert timed(convert, value) is None


@pytest.mark.parametrize(
    "value", [18446744073709551616, "18446744073709551616", "1e5000", "1e5", 0]
)
def test_ids_outside_64_bits_are_refused(value: object) -> None:
    """A 2**64 id once made every config-entry save fail."""
    assert as_id(value) is None


def test_int_boundaries() -> None:
    """The signed 64-bit range, inclusive of its ends."""
    assert as_int(LIMIT - 1) == LIMIT - 1
    assert as_int(-LIMIT) == -LIMIT
    assert as_int(-LIMIT - 1) is None
    assert as_int(str(LIMIT)) is None
    assert as_int(float(2**53 + 2)) == 2**53 + 2


@pytest.mark.parametrize("value", ["1,5", "12,34", "1,5 GiB", ",5", "1,,000"])
def test_decimal_commas_are_not_thousands_separators(value: str) -> None:
    """A "1,5" is a decimal comma: reading it as 15 would invent a value."""
    assert as_int(value) is None
    assert as_float(value) is None
    assert as_bytes(value) is None


@pytest.mark.parametrize("value", [-1, "-1", -0.5, "-1 GiB", Decimal(-3)])
def test_negative_bytes_and_counts_are_unknown(value: object) -> None:
    """Counts and bytes below zero are a tracker bug, not a statistic."""
    assert as_bytes(value) is None
    assert as_count(value) is None
    assert as_ratio(value) is None


def test_float_bytes_past_2_53_are_not_invented() -> None:
    """A float literal past 2**53 has already lost bytes; a string has not."""
    assert as_bytes(float(2**53 + 2)) is None
    assert as_bytes(str(2**53 + 1)) == 2**53 + 1
    assert as_bytes(Decimal(2**53 + 1)) == 2**53 + 1


def test_huge_decimals_stay_bounded() -> None:
    """JSON floats parsed as Decimal may be long; they are cut, not converted."""
    assert timed(as_bytes, Decimal("9" * 100_000)) is None
    assert timed(as_int, Decimal("0." + "9" * 100_000)) == 0
    assert timed(as_float, Decimal("1e-999999999")) == 0.0
    assert timed(as_float, Decimal("1e999999999")) is None


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31 23:59:59",
        "2021-04-12 09:34:00" + " " * 100_000,
        "2" * 100_000,
    ],
    ids=short_id,
)
def test_dates_at_the_edges_are_unknown(value: str) -> None:
    """Offsets at year 1 or 9999 raised OverflowError; long text is refused."""
    assert timed(as_utc_datetime, value) is None


def test_text_always_fits_a_state() -> None:
    """Home Assistant refuses any state over 255 characters."""
    assert as_text("a" * 100_000) == "a" * 255
    assert as_text("\x1b[31mred\x1b[0m") == "[31mred[0m"


# Numeric-looking text, unit strings and the classic freezes, as well as noise.
numeric_text = st.one_of(
    st.from_regex(
        r"[+-]?[0-9,]{0,25}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,7})?", fullmatch=True
    ),
    st.from_regex(
        r"[0-9,]{1,12}(\.[0-9]{1,4})? ?(B|[KMGTPE]i?B|bytes|kib|gb)", fullmatch=True
    ),
    st.sampled_from((*SLOW_NUMBERS, "∞", "--", "inf", "NaN", "1,5", "١٢٣", "1_000")),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.decimals(),
    st.text(max_size=300),
    numeric_text,
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def assert_whole(result: object, minimum: int) -> None:
    assert result is None or (type(result) is int and minimum <= result < LIMIT), result


@PROPERTY_SETTINGS
@given(json_values)
def test_every_parser_is_total_bounded_and_in_range(value: Any) -> None:
    """Any JSON value: no exception, a result in range, quickly."""
    assert_whole(timed(as_int, value), -LIMIT)
    assert_whole(timed(as_count, value), 0)
    assert_whole(timed(as_bytes, value), 0)
    assert_whole(timed(as_id, value), 1)
    if (number := timed(as_float, value)) is not None:
        assert isinstance(number, float)
        assert math.isfinite(number)
        assert abs(number) < LIMIT
    if (ratio := timed(as_ratio, value)) is not None:
        assert isinstance(ratio, float)
        assert 0 <= ratio <= 1e9
    for to_datetime in (as_utc_datetime, as_unix_datetime):
        if (moment := timed(to_datetime, value)) is not None:
            assert isinstance(moment, datetime)
            assert moment.tzinfo is UTC
            assert 1900 <= moment.year < 9999
    if (text := timed(as_text, value)) is not None:
        assert isinstance(text, str)
        assert 0 < len(text) <= 255
        assert text == text.strip()
        assert not any(ord(char) < 32 for char in text)
    assert timed(as_bool, value) in (True, False, None)
    assert isinstance(timed(redact, value), str)
    assert isinstance(timed(lambda item: pick(item, {"a": as_count}), value), dict)


@PROPERTY_SETTINGS
@given(st.text(max_size=3000))
def test_redact_output_is_short_and_on_one_line(text: str) -> None:
    """Whatever the tracker wrote, a log line gets one short line."""
    redacted = timed(redact, text)
    assert len(redacted) <= 120
    assert "\n" not in redacted
    assert "\r" not in redacted
    assert redacted == redacted.strip()


# Readable words and punctuation around a planted secret, as error texts are.
surrounding = st.text(st.sampled_from("abc XYZ .,:;!?()-_/=\n\t"), max_size=200)
secret_tokens = st.from_regex(r"[A-Za-z0-9]{24,48}", fullmatch=True)


@PROPERTY_SETTINGS
@given(
    st.tuples(surrounding, surrounding),
    secret_tokens,
    st.from_regex(r"[a-z]{1,10}\.[a-z]{1,8}\.(com|org|invalid)", fullmatch=True),
    st.ip_addresses().filter(lambda address: str(address) != "::"),
    st.from_regex(r"[a-z0-9._]{1,16}", fullmatch=True),
)
def test_planted_secrets_do_not_survive(
    context: tuple[str, str], key: str, domain: str, address: Any, user: str
) -> None:
    """An API key, an IP and an e-mail planted in any text all go."""
    before, after = context
    email = f"{user}@{domain}"
    text = f"{before} key {key.swapcase()} from {address} ({email}) {after}"
    redacted = timed(lambda value: redact(value, [key]), text)
    assert key.lower() not in redacted.lower()
    assert str(address) not in redacted
    assert email not in redacted
    assert domain not in redacted
