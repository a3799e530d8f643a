"""Tolerant, bounded conversions from tracker JSON to Python values.

Trackers are many forks of one code base and each one bends the types a
little: numbers arrive as strings, nulls stand for "hidden", and ratios come
as "∞" or "--". Every helper here returns ``None`` instead of raising, so one
odd field never costs the user the rest of their statistics.

A tracker is also untrusted. Every helper finishes in bounded time for any
input (long strings are refused before conversion, because turning decimal
text into an int is quadratic in its length and exponent) and only returns
values Home Assistant can store: whole numbers fit a signed 64-bit integer
(orjson refuses anything larger), floats are finite, texts fit a state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Context, Decimal
import re
from typing import Any

INT64_LIMIT = 2**63
"""Every whole number returned is below this (and at least its negative)."""
MAX_RATIO = 1e9
"""A tracker ratio above this is a placeholder, not an account."""
MAX_TEXT_LENGTH = 255
"""Home Assistant refuses a state longer than this."""
MAX_NAME_SOURCE = 2000
"""How much of a name (user, class) is read: cut to MAX_TEXT_LENGTH only
after the key is redacted, or a key straddling the cut would keep a part."""

# Longer numeric text is never a real statistic; refusing it up front keeps
# the conversion linear.
_MAX_NUMBER_TEXT = 64
# |x| < 10**20 covers 2**63 with room for units; finer than 1e-30 is noise.
_MAX_ADJUSTED_EXPONENT = 19
_QUANTUM = Decimal("1e-30")
# Exact for 50 significant digits times 1024**6 (a 19-digit multiplier).
_EXACT = Context(prec=80)
_FLOAT_EXACT_LIMIT = 2**53

# ASCII digits only: str.isdigit, int() and Decimal() also take other scripts.
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)"  # "," only between groups of 3
    r"(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[eE](?P<exponent>[+-]?[0-9]{1,4}))?"  # bounded: 10**9999 is cheap
)
# No exponent before a unit: "5EB" is 5 EiB, not the number "5E" and "B".
_NUMBER_WITH_UNIT = re.compile(
    r"(?P<number>[0-9.,+-]+)\s*(?P<unit>[a-z]+)", re.IGNORECASE
)
_DIGITS = re.compile(r"[0-9]{1,32}")
# PHP trackers (UNIT3D, MAM) print "GiB"; some forks print "GB" for the very
# same binary multiple, so the SI-looking spellings are binary here too.
_BINARY_UNITS = ("b", "kib", "mib", "gib", "tib", "pib", "eib")
_SI_LOOKING_UNITS = ("bytes", "kb", "mb", "gb", "tb", "pb", "eb")
_UNIT_POWERS = {
    unit: power
    for units in (_BINARY_UNITS, _SI_LOOKING_UNITS)
    for power, unit in enumerate(units)
}

# Gazelle stores "never" as the zero date; unix timestamps use 0.
_ZERO_DATE_PREFIX = "0000-00-00"
_MAX_DATE_TEXT = 64
# Leave a day of room both ways so converting to any local time cannot overflow.
_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST_UNIX_SECONDS = (_LATEST - _EPOCH) // timedelta(seconds=1)

# Whitespace controls become a space; other controls and bidi overrides go.
_CONTROL_SPACE = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
_CONTROL_DROP = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")


def _decimal_from_text(text: str) -> Decimal | None:
    match = _NUMBER.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        return None
    whole = match["whole"].replace(",", "") or "0"
    exponent = match["exponent"] or "0"
    return Decimal(f"{match['sign']}{whole}.{match['fraction'] or ''}e{exponent}")


def _bounded(number: Decimal) -> Decimal | None:
    """Return ``number`` floored to 1e-30 if finite and below 10**20.

    Flooring, not rounding, so 0.999… (any number of nines) floors to 0.
    """
    if not number.is_finite():
        return None
    if number and number.adjusted() > _MAX_ADJUSTED_EXPONENT:
        return None
    return number.quantize(_QUANTUM, rounding=ROUND_FLOOR, context=_EXACT)


def _as_decimal(value: Any) -> Decimal | None:
    """Return a small exact Decimal for a number or numeric string."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return Decimal(value) if -INT64_LIMIT <= value < INT64_LIMIT else None
        if isinstance(value, float | Decimal):
            return _bounded(Decimal(value))
        if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
            number = _decimal_from_text(value.strip())
            return None if number is None else _bounded(number)
    except ArithmeticError:  # pragma: no cover - guarded above, kept as a net
        return None
    return None


def _whole(number: Decimal | None, minimum: int) -> int | None:
    if number is None:
        return None
    whole = int(number.to_integral_value(ROUND_FLOOR, context=_EXACT))
    return whole if minimum <= whole < INT64_LIMIT else None


def as_int(value: Any) -> int | None:
    """Return a whole number in signed 64 bits, flooring fractions, else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -INT64_LIMIT <= value < INT64_LIMIT else None
    return _whole(_as_decimal(value), -INT64_LIMIT)


def as_count(value: Any) -> int | None:
    """Return a count (torrents, hit-and-runs, tokens): ``0 <= n < 2**63``."""
    return _whole(_as_decimal(value), 0)


def as_id(value: Any) -> int | None:
    """Return a user id, ``1 <= n < 2**63``, from an int or a digit string only."""
    if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        text = value.strip()
        value = int(text) if _DIGITS.fullmatch(text) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value < INT64_LIMIT else None
    return None


def as_bytes(value: Any) -> int | None:
    """Return a byte count, ``0 <= n < 2**63``, floored; else ``None``.

    Takes ints, Decimals, numeric strings and unit strings as PHP trackers
    print them (``"500.25 GiB"``, ``"1,234 MB"``). A float is only taken up
    to 2**53: above that it already lost bytes, and an invented count is
    worse than an unknown one (parse JSON floats as Decimal to keep them).
    """
    if isinstance(value, float) and not (0 <= value <= _FLOAT_EXACT_LIMIT):
        return None
    if (number := _as_decimal(value)) is not None or not isinstance(value, str):
        return _whole(number, 0)
    if len(value) > _MAX_NUMBER_TEXT:
        return None
    match = _NUMBER_WITH_UNIT.fullmatch(value.strip())
    if match is None or (power := _UNIT_POWERS.get(match["unit"].lower())) is None:
        return None
    number = _as_decimal(match["number"])
    if number is None:
        return None
    return _whole(_EXACT.multiply(number, Decimal(1024**power)), 0)


def as_float(value: Any) -> float | None:
    """Return a finite float with ``|x| < 2**63`` from a number or numeric string."""
    if (number := _as_decimal(value)) is None:
        return None
    result = float(number)
    return result if abs(result) < INT64_LIMIT else None


def as_ratio(value: Any) -> float | None:
    """Return a ratio in ``[0, 1e9]``; "∞", "--", -1 (infinite) etc. are ``None``."""
    ratio = as_float(value)
    return ratio if ratio is not None and 0 <= ratio <= MAX_RATIO else None


def as_text(value: Any, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    """Return a stripped string without control characters, cut to ``max_length``.

    ``None`` for blank strings and non-strings.
    """
    if not isinstance(value, str):
        return None
    # Bounded work: nothing past this can survive the cut anyway, unless the
    # start is all blanks, and then the tracker gets what it asked for.
    text = value[: max(max_length, 1) * 8]
    text = _CONTROL_DROP.sub("", _CONTROL_SPACE.sub(" ", text))
    return text.strip()[:max_length].rstrip() or None


def as_name(value: Any) -> str | None:
    """Return a name as ``as_text`` does, still uncut: the client redacts, then cuts."""
    return as_text(value, MAX_NAME_SOURCE)


def as_bool(value: Any) -> bool | None:
    """Return a boolean from a bool, 0/1 or a yes/no-like string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        text = value.strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
    return None


def _in_date_range(moment: datetime) -> datetime | None:
    return moment if _EARLIEST <= moment < _LATEST else None


def as_utc_datetime(value: Any) -> datetime | None:
    """Return an aware UTC datetime (1900–9998) from ISO text; naive means UTC."""
    if not isinstance(value, str) or len(value) > _MAX_DATE_TEXT:
        return None
    text = value.strip()
    if not text or text.startswith(_ZERO_DATE_PREFIX):
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return _in_date_range(moment.replace(tzinfo=UTC))
        return _in_date_range(moment.astimezone(UTC))
    except (ValueError, OverflowError):
        return None


def as_unix_datetime(value: Any) -> datetime | None:
    """Return an aware UTC datetime from unix seconds (int or digit string).

    0 is how PHP trackers store "never", so it is ``None`` like negatives.
    """
    seconds = as_id(value)
    if seconds is None or seconds >= _LATEST_UNIX_SECONDS:
        return None
    return _EPOCH + timedelta(seconds=seconds)


def mapping(value: Any) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def pick(block: Any, fields: Mapping[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Return the named fields of a JSON object, each through its converter.

    ``platform_meta`` is built this way, from an allow-list: a field nobody
    named (a new passkey field, an IP) never gets in, and a named one that
    holds something else (a key where a number belongs) is dropped.
    """
    source = mapping(block)
    return {
        name: value
        for name, convert in fields.items()
        if (value := convert(source.get(name))) is not None
    }


def first_known[T](convert: Callable[[Any], T | None], *values: Any) -> T | None:
    """Return the first of ``values`` that ``convert`` understands.

    Forks spell some fields differently (``bonusPoints``/``bonuspoints``) or
    keep them in another place (``giftTokens``).
    """
    for value in values:
        if (converted := convert(value)) is not None:
            return converted
    return None
