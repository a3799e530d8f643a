"""One request and its answer as data, and the answer's JSON read within bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
import json
import math
from typing import Any

from .exceptions import TrackerError

# A Retry-After beyond this is not a real request to wait; it is clamped here.
MAX_RETRY_AFTER_SECONDS = 7 * 24 * 3600.0


def parse_retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for, if readable."""
    if value is None:
        return None
    text = value.strip()[:64]
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            return None
        return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
    try:
        moment = parsedate_to_datetime(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - datetime.now(UTC)).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """One request a platform makes; ``label`` names it in logs and messages."""

    path: str
    label: str
    method: str = "GET"
    params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    json_body: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """A tracker's answer as it came, before anything is judged."""

    status: int
    path: str
    content_type: str
    retry_after: float | None
    set_cookies: tuple[str, ...]
    body: bytes
    # Why the body could not be read (too large, cut off), if it could not.
    failure: TrackerError | None = None


def _json_number(text: str) -> Decimal | None:
    """Return a JSON fraction exactly; one no Decimal can hold is unknown."""
    try:
        # Decimal keeps a byte count written as 5.0e17 exact past 2**53.
        return Decimal(text)
    except ArithmeticError:
        # 1e99999999999999999999: past any context's exponent limit.
        return None


def decode_json(body: bytes) -> Any:
    """Return the decoded body; ``ValueError`` if it is no JSON we can hold."""
    try:
        return json.loads(body, parse_float=_json_number)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
