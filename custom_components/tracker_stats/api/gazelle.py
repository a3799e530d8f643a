"""Gazelle trackers (Redacted, Orpheus, other forks): ``ajax.php``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
import logging
import time
from typing import Any

from ._answer import Call
from ._envelope import EnvelopeClient
from ._mapping import apply, fields_of, known, read
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
    mapping,
    pick,
)
from .exceptions import TrackerError, TrackerRateLimitError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, AuthStyle, PlatformSpec, Site, TrackerPlatform

_LOGGER = logging.getLogger(__name__)

DEFAULT_API_PATH = "ajax.php"
# Without a Retry-After, skip the profile request this long after a rate limit
# (Orpheus allows 4 action=user calls a minute).
PROFILE_RATE_LIMIT_BACKOFF = 60.0


def _buffer(value: Any) -> int | None:
    """Return the profile's buffer; a deficit is a buffer of 0 (the seed's rule)."""
    number = as_int(value)
    if number is None or number >= INT64_LIMIT:
        return None
    return max(number, 0)


INDEX = {
    "username": read(as_name, "username"),
    "group": read(as_name, "userstats.class"),
    "remote_user_id": read(as_id, "id"),
    "uploaded_bytes": read(as_bytes, "userstats.uploaded"),
    "downloaded_bytes": read(as_bytes, "userstats.downloaded"),
    "ratio": read(as_ratio, "userstats.ratio"),
    "seeding_count": read(as_count, "userstats.seedingcount"),
    "leeching_count": read(as_count, "userstats.leechingcount"),
    "bonus_points": read(as_float, "userstats.bonusPoints", "userstats.bonuspoints"),
    "bonus_points_per_hour": read(as_float, "userstats.bonusPointsPerHour"),
    "required_ratio": read(as_ratio, "userstats.requiredratio"),
    "freeleech_tokens": read(as_count, "userstats.freeleechTokens", "giftTokens"),
    "unread_messages": read(as_count, "notifications.messages"),
}
# The action=user profile: only values it really holds replace the index's.
PROFILE = {
    "warned": read(as_bool, "personal.warned"),
    "joined_date": read(as_utc_datetime, "stats.joinedDate"),
    "last_access_date": read(as_utc_datetime, "stats.lastAccess"),
    "seeding_count": read(as_count, "community.seeding"),
    "leeching_count": read(as_count, "community.leeching"),
    "snatched_count": read(as_count, "community.snatched"),
    "buffer_bytes": read(_buffer, "stats.buffer"),
    "avatar_url": read(as_text, "avatar"),
}
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


class GazelleClient(EnvelopeClient):
    """Reads account statistics from a Gazelle tracker's ``ajax.php``.

    The key goes in ``Authorization`` as ``token KEY`` (the default) or raw;
    ``enrich`` adds the ``action=user`` profile call.
    """

    # Set after a rate-limited profile call: the index alone until then.
    _profile_not_before = 0.0

    @property
    def auth_style(self) -> AuthStyle:
        """Return how the key is sent."""
        return self._auth_style or AuthStyle.TOKEN

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
        key = self.api_key
        header = f"token {key}" if self.auth_style is AuthStyle.TOKEN else key
        return await self._request(
            Call(
                path=self._api_path or DEFAULT_API_PATH,
                label=f"action={action}",
                params={"action": action, **params},
                headers={"Authorization": header},
            )
        )


def parse_index(response: Mapping[str, Any]) -> TrackerStats:
    """Map an ``action=index`` response to ``TrackerStats``."""
    if not mapping(response.get("userstats")) and "username" not in response:
        raise TrackerResponseError("The index answer holds no user statistics")
    values = apply(INDEX, response)
    # The seed's default: many forks leave the counts out of the index.
    for name in ("seeding_count", "leeching_count"):
        values[name] = values[name] or 0
    values["group"] = values["group"] or UNKNOWN_GROUP
    return TrackerStats(**values)


def enrich_with_profile(
    stats: TrackerStats, response: Mapping[str, Any]
) -> TrackerStats:
    """Override index stats with the richer ``action=user`` profile.

    Only values the profile really holds replace the index's: a profile
    hiding its counts behind paranoia keeps the index's numbers.
    """
    changes = known(apply(PROFILE, response))
    meta = {
        name: pick(block, fields)
        for name, fields in PROFILE_META.items()
        if isinstance(block := response.get(name), Mapping)
    }
    return dataclasses.replace(stats, platform_meta=meta, **changes)


SPEC = PlatformSpec(
    platform=TrackerPlatform.GAZELLE,
    display_name="Gazelle",
    client=GazelleClient,
    fields=fields_of(INDEX, PROFILE),
    identity=AccountIdentity.USER_ID,
    flow_fields=("auth_style", "api_path"),
    auth_styles=(AuthStyle.TOKEN, AuthStyle.RAW),
    rejected_key_error="invalid_auth_gazelle",
    sites=(
        Site("redacted", "Redacted", "https://redacted.sh", AuthStyle.RAW),
        Site("orpheus", "Orpheus", "https://orpheus.network", AuthStyle.TOKEN),
        # Tools send Phoenix Project the key alone or after "token"; the form
        # preselects "token" and the user can switch (a Gazelle key is never
        # tried in two forms: forks ban after a few failed attempts).
        Site(
            "phoenixproject",
            "Phoenix Project",
            "https://phoenixproject.app",
            AuthStyle.TOKEN,
        ),
        Site("desigaane", "DesiGaane", "https://desigaane.rocks", AuthStyle.RAW),
        Site("simurg", "Simurg", "https://simurg.world", AuthStyle.TOKEN),
        Site("gazelle", "Gazelle", auth_style=AuthStyle.TOKEN, enrich=False),
    ),
)
