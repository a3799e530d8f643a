"""Gazelle's answer envelope and the error texts trackers put in it.

Gazelle forks, GazelleGames and Nebulance wrap answers as
``{"status": "success", "response": {...}}`` and failures as
``{"status": "failure", "error": "..."}``, often with HTTP 200.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._http import JsonAnswer, TrackerHttp
from ._texts import AUTH_TEXT, RATE_LIMIT_TEXT, UNAVAILABLE_TEXT
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)


def error_from_text(http: TrackerHttp, text: Any, label: str) -> TrackerError:
    """Return the library error a tracker's error text stands for."""
    message = text if isinstance(text, str) else ""
    message = message[:2000]
    host = http.host
    if RATE_LIMIT_TEXT.search(message):
        return TrackerRateLimitError(f"{host} is rate limiting requests")
    if AUTH_TEXT.search(message):
        return TrackerAuthError(f"{host} rejected the key")
    if UNAVAILABLE_TEXT.search(message):
        return TrackerConnectionError(
            f"{host} is unavailable for now: {http.safe_text(message)}"
        )
    return TrackerResponseError(
        f"{host} refused the {label} request: "
        f"{http.safe_text(message) or 'no reason given'}"
    )


def unwrap_response(
    http: TrackerHttp, answer: JsonAnswer, label: str, *, required: bool = True
) -> Mapping[str, Any]:
    """Return the ``response`` object of an enveloped answer.

    With ``required=False`` an answer without the envelope (Nebulance sends
    both) is returned as it is.
    """
    payload = answer.payload
    if not isinstance(payload, Mapping):
        raise TrackerResponseError(
            f"{http.host} sent an unexpected JSON shape for the {label} request"
        )
    # "error": null next to a full answer is no error (Nebulance sends it).
    if payload.get("status") == "failure" or (
        payload.get("error") is not None and "response" not in payload
    ):
        error = payload.get("error")
        if isinstance(error, Mapping):
            error = error.get("message")
        raise error_from_text(http, error, label)
    response = payload.get("response")
    if answer.status < 400 and payload.get("status") == "success":
        if isinstance(response, Mapping):
            return response
    elif answer.status < 400 and not required and "status" not in payload:
        return payload
    raise TrackerResponseError(
        f"{http.host} sent an unexpected JSON shape for the {label} request"
    )
