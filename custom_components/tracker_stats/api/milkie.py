"""Milkie: ``GET api/v1/auth`` with the key in the ``x-milkie-auth`` header."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._mapping import apply, fields_of, read
from ._parse import as_bytes, as_name, as_utc_datetime, mapping
from .client import TrackerClient
from .exceptions import TrackerResponseError, unexpected_shape
from .models import TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api/v1/auth"
LABEL = "api/v1/auth"
KEY_HEADER = "x-milkie-auth"
# Only these are known to be sent; ratio and buffer come from the bytes.
USER = {
    "username": read(as_name, "user.displayName"),
    "uploaded_bytes": read(as_bytes, "user.uploaded"),
    "downloaded_bytes": read(as_bytes, "user.downloaded"),
    "joined_date": read(as_utc_datetime, "user.createdAt"),
}


class MilkieClient(TrackerClient):
    """Reads the key owner's statistics from Milkie's ``api/v1/auth``."""

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``GET api/v1/auth`` per poll."""
        answer = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                headers={KEY_HEADER: self.api_key, "Accept": "application/json"},
            )
        )
        return parse_auth(self._http.host, answer)

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the answer; one without ``user`` naming an error is a refusal."""
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        if "user" not in payload:
            text = payload.get("error", payload.get("message"))
            if isinstance(text, Mapping):
                text = text.get("message")
            if text is not None:
                raise error_from_text(self._http, text, call.label)
        return payload


def parse_auth(host: str, answer: Mapping[str, Any]) -> TrackerStats:
    """Map an ``api/v1/auth`` answer to ``TrackerStats``."""
    user = mapping(answer.get("user"))
    values = apply(USER, answer)
    if values["username"] is None:
        raise TrackerResponseError(f"The {LABEL} answer of {host} holds no user name")
    if "uploaded" not in user and "downloaded" not in user:
        raise TrackerResponseError(
            f"The {LABEL} answer of {host} holds no user statistics"
        )
    return TrackerStats(**values)


SPEC = PlatformSpec(
    platform=TrackerPlatform.MILKIE,
    display_name="Milkie",
    client=MilkieClient,
    fields=fields_of(USER),
    identity=AccountIdentity.USERNAME,
    sites=(Site("milkie", "Milkie", "https://milkie.cc"),),
)
