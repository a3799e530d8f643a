"""BroadcasTheNet: one JSON-RPC ``userInfo`` call to ``api.broadcasthe.net``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._envelope import error_from_text
from ._parse import (
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_unix_datetime,
    first_known,
    pick,
)
from .client import TrackerClient
from .derived import derive_buffer, derive_ratio
from .exceptions import (
    TrackerAuthError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from .models import UNKNOWN_GROUP, TrackerStats

LABEL = "userInfo"
# BTN's JSON-RPC error code for a key it does not know.
INVALID_KEY_CODE = -32001
# BTN allows 150 calls an hour and sends no Retry-After; autobrr backs off
# five minutes, and so do we.
DEFAULT_RATE_LIMIT_BACKOFF = 300.0
# BTN answers 503 for rate limiting and, some say, for a bad key too: a 503
# alone must never start a reauth, so it is a back-off.
RATE_LIMIT_STATUSES = frozenset({429, 503})
# Only these members of the answer go to platform_meta, and only as numbers:
# a key or an e-mail sent where a number belongs is dropped.
USER_META = {"Lumens": as_count, "ClassLevel": as_count}


class BTNClient(TrackerClient):
    """Reads account statistics from BroadcasTheNet's JSON-RPC API."""

    platform_name = "BroadcasTheNet"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``userInfo`` call; the key travels in the body, never the URL."""
        try:
            answer = await self._http.request_json(
                "",
                label=LABEL,
                method="POST",
                json_body={
                    "jsonrpc": "2.0",
                    "method": "userInfo",
                    "params": [self.api_key],
                    "id": 1,
                },
                rate_limit_statuses=RATE_LIMIT_STATUSES,
            )
            return parse_user_info(self._result(answer.payload))
        except TrackerRateLimitError as err:
            if err.retry_after is not None:
                raise
            raise TrackerRateLimitError(str(err), DEFAULT_RATE_LIMIT_BACKOFF) from None

    def _result(self, payload: Any) -> Mapping[str, Any]:
        """Return the JSON-RPC ``result``, or raise what its ``error`` means."""
        host = self._http.host
        if not isinstance(payload, Mapping):
            raise TrackerResponseError(
                f"{host} sent an unexpected JSON shape for the {LABEL} request"
            )
        if "error" in payload and payload["error"] is not None:
            error = payload["error"]
            if isinstance(error, Mapping):
                if error.get("code") == INVALID_KEY_CODE:
                    raise TrackerAuthError(f"{host} rejected the key")
                error = error.get("message")
            raise error_from_text(self._http, error, LABEL)
        result = payload.get("result")
        if not isinstance(result, Mapping):
            raise TrackerResponseError(
                f"{host} sent an unexpected JSON shape for the {LABEL} request"
            )
        return result


def parse_user_info(result: Mapping[str, Any]) -> TrackerStats:
    """Map a ``userInfo`` result (every value a string) to ``TrackerStats``."""
    if "Username" not in result and "Upload" not in result:
        raise TrackerResponseError("The userInfo answer holds no user statistics")
    uploaded = as_bytes(result.get("Upload"))
    downloaded = as_bytes(result.get("Download"))
    return TrackerStats(
        username=as_name(result.get("Username")),
        # The published docs name the class "Title"; live answers say "Class".
        group=first_known(as_name, result.get("Class"), result.get("Title"))
        or UNKNOWN_GROUP,
        remote_user_id=as_id(result.get("UserID")),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        # BTN sends no ratio: computed from the byte counts.
        ratio=derive_ratio(None, uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        bonus_points=as_float(result.get("Bonus")),
        hit_and_runs=as_count(result.get("HnR")),
        snatched_count=as_count(result.get("Snatches")),
        joined_date=as_unix_datetime(result.get("JoinDate")),
        # Email (and Invites) stay out: only an allow-list is kept.
        platform_meta=pick(result, USER_META),
    )
