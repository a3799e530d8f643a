"""SpeedApp software (SpeedApp, RetroFlix): ``GET api/me`` with a Bearer token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._mapping import apply, fields_of, read
from ._parse import (
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_ratio,
    as_utc_datetime,
)
from .client import TrackerClient
from .exceptions import TrackerResponseError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api/me"
LABEL = "api/me"
# One flat object. RetroFlix sends a ratio, SpeedApp none (the client
# computes it); SpeedApp adds the seeding figures, tokens and the warning.
# seed_bonus comes as a string. The class is a number whose names differ
# per site and are not published: kept as a number for diagnostics only.
ME = {
    "username": read(as_name, "username"),
    "uploaded_bytes": read(as_bytes, "uploaded"),
    "downloaded_bytes": read(as_bytes, "downloaded"),
    "ratio": read(as_ratio, "ratio"),
    "bonus_points": read(as_float, "seed_bonus"),
    "hit_and_runs": read(as_count, "hit_and_run_count"),
    "unread_messages": read(as_count, "unread_private_message_count"),
    "joined_date": read(as_utc_datetime, "created_at"),
    "seeding_count": read(as_count, "seeding_count"),
    "seed_size_bytes": read(as_bytes, "seeding_size"),
    "freeleech_tokens": read(as_count, "free_leech_tokens"),
    "warned": read(as_bool, "warned"),
}
_CLASS_ID = read(as_id, "class")
_STATS_KEYS = ("username", "uploaded", "downloaded")


class SpeedAppClient(TrackerClient):
    """Reads the token owner's statistics from a SpeedApp site's ``api/me``."""

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``GET api/me`` per poll."""
        answer = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                headers={
                    "Authorization": f"Bearer {self.api_key}",
                    "Accept": "application/json",
                },
            )
        )
        return parse_me(self._http.host, answer)

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the object; one with only a message or error is a refusal."""
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        if not any(key in payload for key in _STATS_KEYS):
            text = payload.get("message", payload.get("error"))
            if isinstance(text, Mapping):
                text = text.get("message")
            if text is not None:
                raise error_from_text(self._http, text, call.label)
        return payload


def parse_me(host: str, me: Mapping[str, Any]) -> TrackerStats:
    """Map an ``api/me`` answer to ``TrackerStats``."""
    values = apply(ME, me)
    if values["username"] is None:
        # The integration keys the account by its user name: no name, no stats.
        raise TrackerResponseError(f"The {LABEL} answer of {host} holds no username")
    if "uploaded" not in me and "downloaded" not in me:
        raise TrackerResponseError(
            f"The {LABEL} answer of {host} holds no user statistics"
        )
    class_id = _CLASS_ID(me)
    # A site that sends the class by name names the group; a number does not.
    name = as_name(me.get("class")) if class_id is None else None
    return TrackerStats(
        **values,
        group=name or UNKNOWN_GROUP,
        platform_meta={} if class_id is None else {"class_id": class_id},
    )


SPEC = PlatformSpec(
    platform=TrackerPlatform.SPEEDAPP,
    display_name="SpeedApp",
    client=SpeedAppClient,
    fields=fields_of(ME),
    identity=AccountIdentity.USERNAME,
    rejected_key_error="invalid_token",
    sites=(
        Site("speedapp", "SpeedApp", "https://speedapp.io"),
        Site("retroflix", "RetroFlix", "https://retroflix.net"),
    ),
)
