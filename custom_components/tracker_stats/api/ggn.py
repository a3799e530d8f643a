"""Client for GazelleGames (GGn), whose API differs from other Gazelle forks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp

from ._http import TrackerHttp
from ._parse import (
    as_bool,
    as_float,
    as_int,
    as_text,
    as_utc_datetime,
    buffer_from,
    mapping,
    ratio_from,
    scrub,
)
from .const import DEFAULT_TIMEOUT_SECONDS
from .exceptions import TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

API_PATH = "api.php"
_META_BLOCKS = ("personal", "community", "buffs", "achievements")


class GGnClient:
    """Reads account statistics from GazelleGames' ``api.php``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Prepare a client; nothing is sent until ``async_get_stats``."""
        self._http = TrackerHttp(
            session,
            url,
            secret=api_key,
            user_agent=user_agent,
            request_timeout=request_timeout,
        )
        self._api_key = api_key

    async def async_get_stats(self, remote_user_id: int | None = None) -> TrackerStats:
        """Return the account's statistics.

        ``request=quick_user`` only resolves the user's id; callers store the
        id and pass it back so each later poll is one ``request=user``.
        """
        quick_username: str | None = None
        if remote_user_id is None:
            quick_user = await self._get("quick_user", {})
            remote_user_id = as_int(quick_user.get("id"))
            if remote_user_id is None:
                raise TrackerResponseError(
                    "The quick_user answer of GazelleGames holds no user id"
                )
            quick_username = as_text(quick_user.get("username"))
        profile = await self._get("user", {"id": str(remote_user_id)})
        return parse_user(profile, remote_user_id, fallback_username=quick_username)

    async def _get(self, request: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        return await self._http.get_response(
            API_PATH,
            {"request": request, **params, "key": self._api_key},
            label=f"request={request}",
        )


def parse_user(
    response: Mapping[str, Any],
    remote_user_id: int,
    *,
    fallback_username: str | None = None,
) -> TrackerStats:
    """Map a ``request=user`` response to ``TrackerStats``."""
    stats = mapping(response.get("stats"))
    personal = mapping(response.get("personal"))
    community = mapping(response.get("community"))
    if not stats and not personal and "username" not in response:
        raise TrackerResponseError("The user answer holds no user statistics")
    uploaded = as_int(stats.get("uploaded"))
    downloaded = as_int(stats.get("downloaded"))
    return TrackerStats(
        username=as_text(response.get("username")) or fallback_username,
        group=as_text(personal.get("class")) or UNKNOWN_GROUP,
        remote_user_id=as_int(response.get("id")) or remote_user_id,
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=ratio_from(stats.get("ratio"), uploaded, downloaded),
        buffer_bytes=buffer_from(uploaded, downloaded),
        seeding_count=as_int(community.get("seeding")) or 0,
        leeching_count=as_int(community.get("leeching")) or 0,
        seedbonus=as_float(stats.get("gold")),
        hit_and_runs=as_int(personal.get("hnrs")),
        required_ratio=as_float(stats.get("requiredRatio")),
        warned=as_bool(personal.get("warned")),
        share_score=as_float(stats.get("shareScore")),
        joined_date=as_utc_datetime(stats.get("joinedDate")),
        last_access_date=as_utc_datetime(stats.get("lastAccess")),
        avatar_url=as_text(response.get("avatar")),
        platform_meta={
            name: scrub(block)
            for name in _META_BLOCKS
            if isinstance(block := response.get(name), Mapping)
        },
    )
