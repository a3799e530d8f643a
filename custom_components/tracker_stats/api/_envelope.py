"""Gazelle's answer envelope and the error texts trackers put in answers.

Gazelle forks, GazelleGames and Nebulance wrap answers as
``{"status": "success", "response": {...}}`` and failures as
``{"status": "failure", "error": "..."}``, often with HTTP 200.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ._answer import Call
from ._http import TrackerHttp
from ._texts import AUTH_TEXT, RATE_LIMIT_TEXT, UNAVAILABLE_TEXT
from .client import TrackerClient
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
    unexpected_shape,
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


class EnvelopeClient(TrackerClient):
    """A client whose answers come in Gazelle's ``status``/``response`` envelope."""

    ENVELOPE_REQUIRED: ClassVar[bool] = True
    """False where a deployment may also send the bare object (Nebulance)."""

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the ``response`` object; a failure's text becomes its error."""
        host = self._http.host
        if not isinstance(payload, Mapping):
            raise unexpected_shape(host, call.label)
        # "error": null next to a full answer is no error (Nebulance sends it).
        if payload.get("status") == "failure" or (
            payload.get("error") is not None and "response" not in payload
        ):
            error = payload.get("error")
            if isinstance(error, Mapping):
                error = error.get("message")
            raise error_from_text(self._http, error, call.label)
        response = payload.get("response")
        if payload.get("status") == "success":
            if isinstance(response, Mapping):
                return response
        elif not self.ENVELOPE_REQUIRED and "status" not in payload:
            return payload
        raise unexpected_shape(host, call.label)
