"""Gazelle trackers (Redacted, Orpheus, other forks): ``ajax.php``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
import logging
import time
from typing import Any

import aiohttp

from ._envelope import unwrap_response
from ._parse import (
    INT64_LIMIT,
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_int,
    as_name,
    as_ratio,
    as_text,
    as_utc_datetime,
    first_known,
    mapping,
    pick,
)
from .client import AuthStyle, TrackerClient
from .const import DEFAULT_TIMEOUT_SECONDS
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerError, TrackerRateLimitError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

_LOGGER = logging.getLogger(__name__)

DEFAULT_API_PATH = "ajax.php"
# Without a Retry-After, skip the profile request this long after a rate limit
# (Orpheus allows 4 action=user calls a minute).
PROFILE_RATE_LIMIT_BACKOFF = 60.0
# What of the profile goes to platform_meta (diagnostics): counts and flags
# only, by name. Everything else (passkey, authkey, IP, e-mail) stays out.
PROFILE_META: dict[str, dict[str, Callable[[Any], Any]]] = {
    "personal": {
        "paranoia": as_count,
        "donor": as_bool,
        "warned": as_bool,
        "enabled": as_bool,
    },
    "ranks": dict.fromkeys(
        (
            "uploaded",
            "downloaded",
            "uploads",
            "requests",
            "bounty",
            "posts",
            "artists",
            "overall",
        ),
        as_count,
    ),
    "community": dict.fromkeys(
        (
            "posts",
            "torrentComments",
            "artistComments",
            "collageComments",
            "requestComments",
            "collagesStarted",
            "collagesContrib",
            "requestsFilled",
            "requestsVoted",
            "perfectFlacs",
            "uploaded",
            "groups",
            "seeding",
            "leeching",
            "snatched",
            "bountyEarned",
            "bountySpent",
        ),
        as_count,
    ),
}


class GazelleClient(TrackerClient):
    """Reads account statistics from a Gazelle tracker's ``ajax.php``."""

    platform_name = "Gazelle"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        auth_style: AuthStyle | str | None = None,
        api_path: str | None = None,
        enrich: bool = False,
        remote_user_id: int | None = None,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Prepare a client; ``auth_style`` defaults to ``token``."""
        super().__init__(
            session,
            url=url,
            api_key=api_key,
            remote_user_id=remote_user_id,
            user_agent=user_agent,
            request_timeout=request_timeout,
        )
        style = AuthStyle(auth_style or AuthStyle.TOKEN)
        if style is AuthStyle.BEARER:
            raise ValueError("Gazelle sends the key raw or after 'token'")
        self._auth_style = style
        self._headers = {
            "Authorization": f"token {api_key}" if style is AuthStyle.TOKEN else api_key
        }
        self._api_path = (api_path or "").strip().strip("/") or DEFAULT_API_PATH
        self.enrich = enrich
        self._profile_not_before = 0.0

    @property
    def auth_style(self) -> AuthStyle:
        """Return how the key is sent."""
        return self._auth_style

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``action=index`` request, plus ``action=user`` with enrichment."""
        stats = parse_index(await self._get("index", {}))
        if stats.remote_user_id is None and self.remote_user_id is not None:
            stats = dataclasses.replace(stats, remote_user_id=self.remote_user_id)
        if not self.enrich or stats.remote_user_id is None:
            return stats
        if time.monotonic() < self._profile_not_before:
            return stats
        try:
            profile = await self._get("user", {"id": str(stats.remote_user_id)})
            return enrich_with_profile(stats, profile)
        except TrackerRateLimitError as err:
            self._profile_not_before = time.monotonic() + (
                err.retry_after or PROFILE_RATE_LIMIT_BACKOFF
            )
            _LOGGER.debug("Keeping index stats, profile rate limited: %s", err)
        except TrackerError as err:
            # The seed's rule: enrichment is a bonus, the index stats stand.
            _LOGGER.debug("Keeping index stats, enrichment failed: %s", err)
        return stats

    async def _get(self, action: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        label = f"action={action}"
        answer = await self._http.request_json(
            self._api_path,
            params={"action": action, **params},
            headers=self._headers,
            label=label,
        )
        return unwrap_response(self._http, answer, label)


def parse_index(response: Mapping[str, Any]) -> TrackerStats:
    """Map an ``action=index`` response to ``TrackerStats``."""
    userstats = mapping(response.get("userstats"))
    if not userstats and "username" not in response:
        raise TrackerResponseError("The index answer holds no user statistics")
    uploaded = as_bytes(userstats.get("uploaded"))
    downloaded = as_bytes(userstats.get("downloaded"))
    notifications = mapping(response.get("notifications"))
    return TrackerStats(
        username=as_name(response.get("username")),
        group=as_name(userstats.get("class")) or UNKNOWN_GROUP,
        remote_user_id=as_id(response.get("id")),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=derive_ratio(as_ratio(userstats.get("ratio")), uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        # The seed's default: many forks leave the counts out of the index.
        seeding_count=as_count(userstats.get("seedingcount")) or 0,
        leeching_count=as_count(userstats.get("leechingcount")) or 0,
        bonus_points=first_known(
            as_float, userstats.get("bonusPoints"), userstats.get("bonuspoints")
        ),
        bonus_points_per_hour=as_float(userstats.get("bonusPointsPerHour")),
        required_ratio=as_ratio(userstats.get("requiredratio")),
        freeleech_tokens=first_known(
            as_count, userstats.get("freeleechTokens"), response.get("giftTokens")
        ),
        unread_messages=as_count(notifications.get("messages")),
    )


def enrich_with_profile(
    stats: TrackerStats, response: Mapping[str, Any]
) -> TrackerStats:
    """Override index stats with the richer ``action=user`` profile.

    Only values the profile really holds replace the index's: a profile
    hiding its counts behind paranoia keeps the index's numbers.
    """
    profile_stats = mapping(response.get("stats"))
    personal = mapping(response.get("personal"))
    community = mapping(response.get("community"))
    changes: dict[str, Any] = {
        "warned": as_bool(personal.get("warned")),
        "joined_date": as_utc_datetime(profile_stats.get("joinedDate")),
        "last_access_date": as_utc_datetime(profile_stats.get("lastAccess")),
        "buffer_bytes": _buffer(profile_stats.get("buffer")),
        "seeding_count": as_count(community.get("seeding")),
        "leeching_count": as_count(community.get("leeching")),
        "snatched_count": as_count(community.get("snatched")),
        "avatar_url": as_text(response.get("avatar")),
    }
    meta = {
        name: pick(block, fields)
        for name, fields in PROFILE_META.items()
        if isinstance(block := response.get(name), Mapping)
    }
    return dataclasses.replace(
        stats,
        platform_meta=meta,
        **{name: value for name, value in changes.items() if value is not None},
    )


def _buffer(value: Any) -> int | None:
    """Return the profile's buffer; a deficit is a buffer of 0 (the seed's rule)."""
    number = as_int(value)
    if number is None or number >= INT64_LIMIT:
        return None
    return max(number, 0)
