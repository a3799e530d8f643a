"""GazelleGames (GGn), whose ``api.php`` differs from other Gazelle forks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._envelope import unwrap_response
from ._parse import (
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_ratio,
    as_text,
    as_utc_datetime,
    mapping,
    pick,
)
from .client import TrackerClient
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

API_PATH = "api.php"
# What of the profile goes to platform_meta (diagnostics): counts, buffs and
# flags only, by name. Everything else (passkey, IP, e-mail) stays out.
USER_META: dict[str, dict[str, Callable[[Any], Any]]] = {
    "personal": dict.fromkeys(
        ("facilitator", "donor", "warned", "enabled", "parked"), as_bool
    ),
    "community": {
        "hourlyGold": as_float,
        **dict.fromkeys(
            (
                "profileViews",
                "posts",
                "actualPosts",
                "threads",
                "forumLikes",
                "forumDislikes",
                "ircLines",
                "ircActualLines",
                "torrentComments",
                "collections",
                "requestsFilled",
                "requestsVoted",
                "reviews",
                "uploaded",
                "seeding",
                "leeching",
                "snatched",
                "uniqueSnatched",
            ),
            as_count,
        ),
    },
    "buffs": dict.fromkeys(
        (
            "Upload",
            "Download",
            "ForumPosts",
            "IRCLines",
            "IRCBonus",
            "CommunityXP",
            "TorrentsXP",
            "CommunityGold",
            "TorrentsGold",
            "ItemCost",
            "BountyFrom",
            "BountyOn",
            "Chance",
        ),
        as_float,
    ),
    "achievements": {"totalPoints": as_count, "pointsToNextLvl": as_count},
}


class GGnClient(TrackerClient):
    """Reads account statistics from GazelleGames' ``api.php``."""

    platform_name = "GazelleGames"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``request=user``; ``request=quick_user`` first while the id is unknown."""
        user_id = self.remote_user_id
        quick_username: str | None = None
        if user_id is None:
            quick_user = await self._get("quick_user", {})
            user_id = as_id(quick_user.get("id"))
            if user_id is None:
                raise TrackerResponseError(
                    "The quick_user answer of GazelleGames holds no user id"
                )
            quick_username = as_name(quick_user.get("username"))
        profile = await self._get("user", {"id": str(user_id)})
        return parse_user(profile, user_id, fallback_username=quick_username)

    async def _get(self, request: str, params: Mapping[str, str]) -> Mapping[str, Any]:
        label = f"request={request}"
        answer = await self._http.request_json(
            API_PATH,
            params={"request": request, **params, "key": self.api_key},
            label=label,
        )
        return unwrap_response(self._http, answer, label)


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
    achievements = mapping(response.get("achievements"))
    if not stats and not personal and "username" not in response:
        raise TrackerResponseError("The user answer holds no user statistics")
    uploaded = as_bytes(stats.get("uploaded"))
    downloaded = as_bytes(stats.get("downloaded"))
    return TrackerStats(
        username=as_name(response.get("username")) or fallback_username,
        group=as_name(personal.get("class")) or UNKNOWN_GROUP,
        remote_user_id=as_id(response.get("id")) or remote_user_id,
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=derive_ratio(as_ratio(stats.get("ratio")), uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        # Paranoia hides these as null: unknown, not 0.
        seeding_count=as_count(community.get("seeding")),
        leeching_count=as_count(community.get("leeching")),
        bonus_points=as_float(stats.get("gold")),
        bonus_points_per_hour=as_float(community.get("hourlyGold")),
        hit_and_runs=as_count(personal.get("hnrs")),
        required_ratio=as_ratio(stats.get("requiredRatio")),
        warned=as_bool(personal.get("warned")),
        share_score=as_float(stats.get("shareScore")),
        snatched_count=as_count(community.get("snatched")),
        seed_size_bytes=as_bytes(community.get("seedSize")),
        joined_date=as_utc_datetime(stats.get("joinedDate")),
        last_access_date=as_utc_datetime(stats.get("lastAccess")),
        next_class=as_name(achievements.get("nextLevel")),
        next_class_points=as_count(achievements.get("pointsToNextLvl")),
        avatar_url=as_text(response.get("avatar")),
        platform_meta={
            name: pick(block, fields)
            for name, fields in USER_META.items()
            if isinstance(block := response.get(name), Mapping)
        },
    )
