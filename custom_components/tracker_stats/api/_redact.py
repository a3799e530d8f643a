"""Make tracker-sent text safe for log lines and exception messages."""

from __future__ import annotations

from collections.abc import Iterable

_MAX_TEXT = 120


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` without the given secrets, on one short line."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return " ".join(text.split())[:_MAX_TEXT]
