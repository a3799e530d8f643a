"""Exceptions raised by the tracker client library.

Messages are shown to users and written to logs, so they never carry the API
key, a URL with its query string, or a response body.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base class for every error the library raises."""


class TrackerAuthError(TrackerError):
    """The tracker rejected the API key (or the key lacks the needed scope)."""


class TrackerRateLimitError(TrackerError):
    """The tracker asked us to slow down."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Keep the delay the tracker asked for, when it gave one."""
        super().__init__(message)
        self.retry_after = retry_after


class TrackerConnectionError(TrackerError):
    """The tracker could not be reached: DNS, refused, TLS, timeout or 5xx."""


class TrackerResponseError(TrackerError):
    """The tracker answered, but not with the JSON we expect.

    Typical causes: a login page in HTML, a redirect, a truncated body, or a
    fork whose answer has another shape.
    """


def unexpected_shape(host: str, label: str) -> TrackerResponseError:
    """Return the error for an answer whose JSON is not the shape expected."""
    return TrackerResponseError(
        f"{host} sent an unexpected JSON shape for the {label} request"
    )
