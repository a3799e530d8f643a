"""BroadcasTheNet: one JSON-RPC ``userInfo`` call to ``api.broadcasthe.net``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._mapping import apply, fields_of, read
from ._parse import (
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_unix_datetime,
    pick,
)
from .client import TrackerClient
from .exceptions import TrackerAuthError, TrackerResponseError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

LABEL = "userInfo"
# BTN's JSON-RPC error code for a key it does not know.
INVALID_KEY_CODE = -32001
# BTN allows 150 calls an hour and sends no Retry-After; autobrr backs off
# five minutes, and so do we.
DEFAULT_RATE_LIMIT_BACKOFF = 300.0
# Every value of the answer is a string. BTN sends no ratio: the client
# computes it from the byte counts.
USER_INFO = {
    "username": read(as_name, "Username"),
    # The published docs name the class "Title"; live answers say "Class".
    "group": read(as_name, "Class", "Title"),
    "remote_user_id": read(as_id, "UserID"),
    "uploaded_bytes": read(as_bytes, "Upload"),
    "downloaded_bytes": read(as_bytes, "Download"),
    "bonus_points": read(as_float, "Bonus"),
    "hit_and_runs": read(as_count, "HnR"),
    "snatched_count": read(as_count, "Snatches"),
    "joined_date": read(as_unix_datetime, "JoinDate"),
}
# Only these members of the answer go to platform_meta, and only as numbers:
# a key or an e-mail sent where a number belongs is dropped.
USER_META = {"Lumens": as_count, "ClassLevel": as_count}


class BTNClient(TrackerClient):
    """Reads account statistics from BroadcasTheNet's JSON-RPC API."""

    # BTN answers 503 for rate limiting and, some say, for a bad key too: a
    # 503 alone must never start a reauth, so it is a back-off.
    RATE_LIMIT_STATUSES = frozenset({429, 503})
    DEFAULT_RETRY_AFTER = DEFAULT_RATE_LIMIT_BACKOFF

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``userInfo`` call; the key travels in the body, never the URL."""
        result = await self._request(
            Call(
                path="",
                label=LABEL,
                method="POST",
                json_body={
                    "jsonrpc": "2.0",
                    "method": "userInfo",
                    "params": [self.api_key],
                    "id": 1,
                },
            )
        )
        return parse_user_info(result)

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the JSON-RPC ``result``, or raise what its ``error`` means."""
        host = self._http.host
        if not isinstance(payload, Mapping):
            raise unexpected_shape(host, call.label)
        if (error := payload.get("error")) is not None:
            if isinstance(error, Mapping):
                if error.get("code") == INVALID_KEY_CODE:
                    raise TrackerAuthError(f"{host} rejected the key")
                error = error.get("message")
            raise error_from_text(self._http, error, call.label)
        result = payload.get("result")
        if not isinstance(result, Mapping):
            raise unexpected_shape(host, call.label)
        return result


def parse_user_info(result: Mapping[str, Any]) -> TrackerStats:
    """Map a ``userInfo`` result (every value a string) to ``TrackerStats``."""
    if "Username" not in result and "Upload" not in result:
        raise TrackerResponseError("The userInfo answer holds no user statistics")
    values = apply(USER_INFO, result)
    values["group"] = values["group"] or UNKNOWN_GROUP
    # Email (and Invites) stay out: only an allow-list is kept.
    return TrackerStats(**values, platform_meta=pick(result, USER_META))


SPEC = PlatformSpec(
    platform=TrackerPlatform.BTN,
    display_name="BroadcasTheNet",
    client=BTNClient,
    fields=fields_of(USER_INFO),
    identity=AccountIdentity.USER_ID,
    sites=(
        Site(
            "broadcasthenet",
            "BroadcasTheNet",
            "https://api.broadcasthe.net",
            account_host="broadcasthe.net",
        ),
    ),
)
