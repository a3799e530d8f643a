"""Tolerant conversions from tracker JSON to Python values.

Trackers are many forks of one code base and each one bends the types a
little: numbers arrive as strings, nulls stand for "hidden", and ratios come
as "∞" or "--". Every helper here returns ``None`` instead of raising, so one
odd field never costs the user the rest of their statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
import math
import re
from typing import Any

# Gazelle stores "never" as the zero date.
_ZERO_DATE_PREFIX = "0000-00-00"

# Keys whose values identify or authenticate the user; see _is_secret_key.
_SECRET_KEY_WORDS = ("passkey", "authkey", "apikey", "password", "secret", "email")
_SECRET_KEY_PREFIXES = ("invite",)
_IP_KEY = re.compile(r"(^ip(s|v[46])?$)|(^ip[A-Z_])|([a-z0-9_](Ip|IP|_ip)s?$)")
_IPV4_VALUE = re.compile(r"^\s*\d{1,3}(\.\d{1,3}){3}\s*$")
_IPV6_VALUE = re.compile(r"^\s*[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}\s*$")


def as_int(value: Any) -> int | None:
    """Return a whole number, flooring fractions; ``None`` if not numeric."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return math.floor(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
        return (
            int(number.to_integral_value("ROUND_FLOOR")) if number.is_finite() else None
        )
    return None


def as_float(value: Any) -> float | None:
    """Return a finite float from a number or numeric string, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_text(value: Any) -> str | None:
    """Return a non-empty, stripped string, else ``None``."""
    if isinstance(value, str) and (text := value.strip()):
        return text
    return None


def as_bool(value: Any) -> bool | None:
    """Return a boolean from a bool, 0/1 or a yes/no-like string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
    return None


def as_utc_datetime(value: Any) -> datetime | None:
    """Return an aware UTC datetime from the trackers' naive UTC strings."""
    text = as_text(value)
    if text is None or text.startswith(_ZERO_DATE_PREFIX):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def ratio_from(
    value: Any, uploaded: int | None, downloaded: int | None
) -> float | None:
    """Apply the product's ratio rule.

    A tracker's own ratio wins; otherwise compute it from the byte counts.
    With nothing downloaded the ratio is infinite and trackers show "∞" or
    "--" or even 0: that must be unknown, because a fake 0 would fire every
    ratio-drop automation.
    """
    if downloaded == 0:
        return None
    if (ratio := as_float(value)) is not None:
        return ratio
    if uploaded is not None and downloaded is not None and downloaded > 0:
        return uploaded / downloaded
    return None


def buffer_from(uploaded: int | None, downloaded: int | None) -> int | None:
    """Return the upload surplus, never negative."""
    if uploaded is None or downloaded is None:
        return None
    return max(uploaded - downloaded, 0)


def mapping(value: Any) -> Mapping[str, Any]:
    """Return ``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def first_known[T](convert: Callable[[Any], T | None], *values: Any) -> T | None:
    """Return the first of ``values`` that ``convert`` understands.

    Forks spell some fields differently (``bonusPoints``/``bonuspoints``) or
    keep them in another place (``giftTokens``).
    """
    for value in values:
        if (converted := convert(value)) is not None:
            return converted
    return None


def _is_secret_key(key: str) -> bool:
    lowered = key.lower().replace("_", "")
    return (
        any(word in lowered for word in _SECRET_KEY_WORDS)
        or lowered.startswith(_SECRET_KEY_PREFIXES)
        or lowered in ("ip", "ips", "ipaddress")
        or _IP_KEY.search(key) is not None
    )


def _looks_like_ip(value: Any) -> bool:
    return isinstance(value, str) and bool(
        _IPV4_VALUE.match(value) or _IPV6_VALUE.match(value)
    )


def scrub(value: Any) -> Any:
    """Return a deep copy of JSON without passkeys, IPs, e-mail or invites.

    ``platform_meta`` ends up in diagnostics that users paste into public
    issues, so anything that could identify or log in as them goes here.
    """
    if isinstance(value, Mapping):
        return {
            key: scrub(item)
            for key, item in value.items()
            if not _is_secret_key(str(key)) and not _looks_like_ip(item)
        }
    if isinstance(value, list):
        return [scrub(item) for item in value if not _looks_like_ip(item)]
    return value


_INT64_LIMIT = 2**63


def as_count(value: Any) -> int | None:
    """Return a count: 0 <= n < 2**63."""
    number = as_int(value)
    return number if number is not None and 0 <= number < _INT64_LIMIT else None


def as_bytes(value: Any) -> int | None:
    """Return a byte count: 0 <= n < 2**63."""
    return as_count(value)


def as_id(value: Any) -> int | None:
    """Return a tracker id: 1 <= n < 2**63."""
    number = as_int(value)
    return number if number is not None and 0 < number < _INT64_LIMIT else None


def as_ratio(value: Any) -> float | None:
    """Return a ratio: finite and not negative."""
    number = as_float(value)
    return number if number is not None and number >= 0 else None


def as_unix_datetime(value: Any) -> datetime | None:
    """Return an aware UTC datetime from unix seconds."""
    seconds = as_count(value)
    if seconds is None or seconds > 253402300799:
        return None
    return datetime.fromtimestamp(seconds, UTC)
