"""Where a secret could hide: every form of it, in everything an error reaches."""

from __future__ import annotations

import base64
from collections.abc import Iterable
import logging
import traceback
from urllib.parse import quote, quote_plus


def secret_forms(secret: str) -> set[str]:
    """Return the secret as it could be written: raw, other case, URL-encoded, base64."""
    raw = secret.encode()
    return {
        secret,
        secret.lower(),
        secret.upper(),
        secret.swapcase(),
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    }


def chain_of(error: BaseException) -> list[BaseException]:
    """Return the error and every error reachable through causes and contexts."""
    found: list[BaseException] = []
    pending = [error]
    while pending:
        current = pending.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [
            linked
            for linked in (current.__cause__, current.__context__)
            if linked is not None
        ]
    return found


def error_texts(error: BaseException) -> list[str]:
    """Return every text an error reporter could print of ``error``."""
    texts = ["".join(traceback.format_exception(error))]
    for linked in chain_of(error):
        texts += [str(linked), repr(linked), *(repr(arg) for arg in linked.args)]
        texts += (
            [repr(value) for value in vars(linked).values()]
            if hasattr(linked, "__dict__")
            else []
        )
    return texts


def log_texts(records: Iterable[logging.LogRecord]) -> list[str]:
    """Return what a log handler would write of ``records``, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) for record in records]


def assert_no_secret(texts: Iterable[str], secrets: Iterable[str]) -> None:
    """Fail if any text holds any form of any secret."""
    forms = {form for secret in secrets for form in secret_forms(secret)}
    for text in texts:
        for form in forms:
            assert form not in text, (form, text[:500])


class Collector(logging.Handler):
    """Keeps every record it sees (at any level)."""

    def __init__(self) -> None:
        """Start empty."""
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)
