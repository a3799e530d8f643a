"""Client for Gazelle trackers (Redacted, Orpheus, BTN, PTP, AnimeBytes, forks)."""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from enum import StrEnum
import logging
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
    first_known,
    mapping,
    ratio_from,
    scrub,
)
from .const import DEFAULT_TIMEOUT_SECONDS
from .exceptions import TrackerError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

_LOGGER = logging.getLogger(__name__)

DEFAULT_API_PATH = "ajax.php"


class AuthStyle(StrEnum):
    """How a Gazelle fork wants the API key in the ``Authorization`` header."""

    TOKEN = "token"  # noqa: S105 - a header style, not a secret
    """``Authorization: token KEY`` (most forks)."""
    RAW = "raw"
    """``Authorization: KEY`` (Redacted)."""


class GazelleClient:
    """Reads account statistics from a Gazelle tracker's ``ajax.php``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        auth_style: AuthStyle | str = AuthStyle.TOKEN,
        api_path: str = DEFAULT_API_PATH,
        enrich: bool = True,
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
        style = AuthStyle(auth_style)
        self._headers = {
            "Authorization": f"token {api_key}" if style is AuthStyle.TOKEN else api_key
        }
        self._api_path = api_path.strip().strip("/") or DEFAULT_API_PATH
        self.enrich = enrich

    async def async_get_stats(self, remote_user_id: int | None = None) -> TrackerStats:
        """Return the account's statistics.

        One ``action=index`` request, plus ``action=user`` when enrichment is
        on. ``remote_user_id`` is only used when the index answer lacks an id.
        """
        index = await self._get("index", {})
        stats = parse_index(index)
        if stats.remote_user_id is None and remote_user_id is not None:
            stats = dataclasses.replace(stats, remote_user_id=remote_user_id)
        if not self.enrich or stats.remote_user_id is None:
            return stats
        try:
            profile = await self._get("user", {"id": str(stats.remote_user_id)})
        except TrackerError as err:
            # The seed's rule: enrichment is a bonus, the index stats stand.
            _LOGGER.debug("Keeping index stats, enrichment failed: %s", err)
            return stats
        return enrich_with_profile(stats, profile)

    async def _get(self, action: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        return await self._http.get_response(
            self._api_path,
            {"action": action, **params},
            headers=self._headers,
            label=f"action={action}",
        )


def parse_index(response: Mapping[str, Any]) -> TrackerStats:
    """Map an ``action=index`` response to ``TrackerStats``."""
    userstats = mapping(response.get("userstats"))
    if not userstats and "username" not in response:
        raise TrackerResponseError("The index answer holds no user statistics")
    uploaded = as_int(userstats.get("uploaded"))
    downloaded = as_int(userstats.get("downloaded"))
    return TrackerStats(
        username=as_text(response.get("username")),
        group=as_text(userstats.get("class")) or UNKNOWN_GROUP,
        remote_user_id=as_int(response.get("id")),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=ratio_from(userstats.get("ratio"), uploaded, downloaded),
        buffer_bytes=buffer_from(uploaded, downloaded),
        seeding_count=as_int(userstats.get("seedingcount")) or 0,
        leeching_count=as_int(userstats.get("leechingcount")) or 0,
        seedbonus=first_known(
            as_float, userstats.get("bonusPoints"), userstats.get("bonuspoints")
        ),
        required_ratio=as_float(userstats.get("requiredratio")),
        warned=False,
        freeleech_tokens=first_known(
            as_int, userstats.get("freeleechTokens"), response.get("giftTokens")
        ),
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
        "buffer_bytes": _non_negative(as_int(profile_stats.get("buffer"))),
        "seeding_count": as_int(community.get("seeding")),
        "leeching_count": as_int(community.get("leeching")),
        "avatar_url": as_text(response.get("avatar")),
    }
    meta = {
        name: scrub(block)
        for name in ("personal", "ranks", "community")
        if isinstance(block := response.get(name), Mapping)
    }
    return dataclasses.replace(
        stats,
        platform_meta=meta,
        **{name: value for name, value in changes.items() if value is not None},
    )


def _non_negative(value: int | None) -> int | None:
    return None if value is None else max(value, 0)
