"""The fault table: misbehaviours a test or the operator switches on.

A fault applies to every platform. Where the body of a fault depends on the
platform (a failure message, a wrong shape, mistyped fields), the platform's
``fault_*`` method renders it; see ``platforms.base.Platform``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import math
from typing import Any

DEFAULT_HANG_SECONDS = 600.0

# "hang" delays the normal answer; every other mode replaces it.
FAULT_MODES = (
    "hang",
    "html_login",
    "server_error",
    "bad_gateway",
    "rate_limit",
    "rate_limit_text",
    "malformed_json",
    "redirect",
    "wrong_shape",
    "missing_fields",
    "wrong_types",
    "failure_message",
)


@dataclass
class Fault:
    """A misbehaviour switched on by a test or the demo operator."""

    mode: str
    times: int | None = None
    retry_after: int | None = None
    delay: float | None = None
    actions: frozenset[str] | None = None

    def applies_to(self, action: str | None) -> bool:
        """Return whether this fault hits a request for ``action``."""
        return self.actions is None or action in self.actions


def checked_fault(
    mode: str,
    *,
    times: int | None,
    retry_after: int | None,
    delay: float | None,
    actions: Iterable[str] | None,
    known_actions: frozenset[str],
) -> Fault:
    """Return the fault these arguments describe; ValueError if they are wrong."""
    if mode not in FAULT_MODES:
        raise ValueError(
            f"unknown fault mode {mode!r}; known: {', '.join(FAULT_MODES)}"
        )
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None: until cleared)")
    if retry_after is not None and retry_after < 0:
        raise ValueError("retry_after must not be negative")
    if delay is not None and not (math.isfinite(delay) and delay >= 0):
        raise ValueError("delay must be a non-negative number of seconds")
    scope = None if actions is None else frozenset(actions)
    if scope is not None and (not scope or not scope <= known_actions):
        raise ValueError(
            f"actions must be a non-empty subset of {sorted(known_actions)}"
        )
    return Fault(mode, times, retry_after, delay, scope)


def mistyped(value: Any, wrong_types: Mapping[str, Any]) -> Any:
    """Return ``value`` with every field named in ``wrong_types`` replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: wrong_types[key] if key in wrong_types else mistyped(item, wrong_types)
            for key, item in value.items()
        }
    return value
