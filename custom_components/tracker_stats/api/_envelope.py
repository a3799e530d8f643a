"""Gazelle's answer envelope and the error texts trackers put in it.

Gazelle forks, GazelleGames and Nebulance wrap answers as
``{"status": "success", "response": {...}}`` and failures as
``{"status": "failure", "error": "..."}``, often with HTTP 200.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from ._http import JsonAnswer, TrackerHttp
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)

# Texts that mean "slow down". A login throttle is one too: asking again
# later is right, asking for a new key is not.
_RATE_LIMIT_TEXT = re.compile(
    r"rate.?limit|too many (requests|login attempts|attempts)|slow down"
    r"|call limit",
    re.IGNORECASE,
)
# Texts that mean the site is down for a while, not that we asked too often.
_UNAVAILABLE_TEXT = re.compile(
    r"maintenance|temporarily unavailable|try again later|down for",
    re.IGNORECASE,
)
# Texts that really reject the key. Narrow on purpose: a reauth makes the
# user act, and Orpheus bans after five failed attempts.
_AUTH_TEXT = re.compile(
    r"\b(invalid|bad|wrong|unknown|expired|revoked|missing|no)\b[ _-]?"
    r"(api[ _-]?)?(key|token|credentials?|session|authkey)\b"
    r"|\b(api[ _-]?)?(key|token)\b[^.]{0,20}\b(invalid|revoked|expired|not valid)\b"
    r"|\bunauthori[sz]ed\b|\bnot logged in\b|\bunauthenticated\b"
    r"|\bauthentication (failed|required)\b|\bdisabled account\b",
    re.IGNORECASE,
)


def error_from_text(http: TrackerHttp, text: Any, label: str) -> TrackerError:
    """Return the library error a tracker's error text stands for."""
    message = text if isinstance(text, str) else ""
    message = message[:2000]
    host = http.host
    if _RATE_LIMIT_TEXT.search(message):
        return TrackerRateLimitError(f"{host} is rate limiting requests")
    if _AUTH_TEXT.search(message):
        return TrackerAuthError(f"{host} rejected the key")
    if _UNAVAILABLE_TEXT.search(message):
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
    if payload.get("status") == "failure" or (
        "error" in payload and "response" not in payload
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
