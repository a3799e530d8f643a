"""GazelleGames (GGn), whose ``api.php`` differs from other Gazelle forks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._answer import Call
from ._envelope import EnvelopeClient
from ._mapping import apply, fields_of, read
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
from .exceptions import TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api.php"
USER = {
    "username": read(as_name, "username"),
    "group": read(as_name, "personal.class"),
    "remote_user_id": read(as_id, "id"),
    "uploaded_bytes": read(as_bytes, "stats.uploaded"),
    "downloaded_bytes": read(as_bytes, "stats.downloaded"),
    "ratio": read(as_ratio, "stats.ratio"),
    # Paranoia hides these as null: unknown, not 0.
    "seeding_count": read(as_count, "community.seeding"),
    "leeching_count": read(as_count, "community.leeching"),
    "bonus_points": read(as_float, "stats.gold"),
    "bonus_points_per_hour": read(as_float, "community.hourlyGold"),
    "hit_and_runs": read(as_count, "personal.hnrs"),
    "required_ratio": read(as_ratio, "stats.requiredRatio"),
    "warned": read(as_bool, "personal.warned"),
    "share_score": read(as_float, "stats.shareScore"),
    "snatched_count": read(as_count, "community.snatched"),
    "seed_size_bytes": read(as_bytes, "community.seedSize"),
    "joined_date": read(as_utc_datetime, "stats.joinedDate"),
    "last_access_date": read(as_utc_datetime, "stats.lastAccess"),
    "next_class": read(as_name, "achievements.nextLevel"),
    "next_class_points": read(as_count, "achievements.pointsToNextLvl"),
    "avatar_url": read(as_text, "avatar"),
}
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


class GGnClient(EnvelopeClient):
    """Reads account statistics from GazelleGames' ``api.php``."""

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
        return await self._request(
            Call(
                path=API_PATH,
                label=f"request={request}",
                params={"request": request, **params, "key": self.api_key},
            )
        )


def parse_user(
    response: Mapping[str, Any],
    remote_user_id: int,
    *,
    fallback_username: str | None = None,
) -> TrackerStats:
    """Map a ``request=user`` response to ``TrackerStats``."""
    if (
        not mapping(response.get("stats"))
        and not mapping(response.get("personal"))
        and "username" not in response
    ):
        raise TrackerResponseError("The user answer holds no user statistics")
    values = apply(USER, response)
    values["username"] = values["username"] or fallback_username
    values["group"] = values["group"] or UNKNOWN_GROUP
    values["remote_user_id"] = values["remote_user_id"] or remote_user_id
    return TrackerStats(
        **values,
        platform_meta={
            name: pick(block, fields)
            for name, fields in USER_META.items()
            if isinstance(block := response.get(name), Mapping)
        },
    )


SPEC = PlatformSpec(
    platform=TrackerPlatform.GGN,
    display_name="GazelleGames",
    client=GGnClient,
    fields=fields_of(USER),
    identity=AccountIdentity.USER_ID,
    sites=(Site("gazellegames", "GazelleGames", "https://gazellegames.net"),),
)
