"""Nebulance: ``GET api.php?action=user&method=getuserinfo&api_key=KEY``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._envelope import unwrap_response
from ._parse import (
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_utc_datetime,
)
from .client import TrackerClient
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

API_PATH = "api.php"
LABEL = "getuserinfo"
# getuserinfo answers with the key owner's data whichever user it names, but
# the named user must exist. Before the account's id is known, user 1 (the
# first account, present on every Gazelle-derived site) is named; from then
# on the account's own id. A user name is never needed: nothing to ask first.
FIRST_POLL_USER_ID = 1


class NebulanceClient(TrackerClient):
    """Reads account statistics from Nebulance's ``api.php``."""

    platform_name = "Nebulance"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``getuserinfo`` request per poll."""
        user_id = self.remote_user_id or FIRST_POLL_USER_ID
        answer = await self._http.request_json(
            API_PATH,
            label=LABEL,
            params={
                "action": "user",
                "method": "getuserinfo",
                "type": "id",
                "user": str(user_id),
                "api_key": self.api_key,
            },
        )
        # Deployments send the Gazelle envelope or the bare object.
        return parse_user_info(
            unwrap_response(self._http, answer, LABEL, required=False)
        )


def parse_user_info(user: Mapping[str, Any]) -> TrackerStats:
    """Map a ``getuserinfo`` answer to ``TrackerStats``.

    ``IRCKey``, ``Email`` and ``Inviter`` are secrets and are never read;
    ``UnreadMail`` is a flag, not a count, so it is no ``unread_messages``.
    """
    if as_name(user.get("Username")) is None and "Uploaded" not in user:
        raise TrackerResponseError("The getuserinfo answer holds no user statistics")
    uploaded = as_bytes(user.get("Uploaded"))
    downloaded = as_bytes(user.get("Downloaded"))
    unread_mail = as_bool(user.get("UnreadMail"))
    return TrackerStats(
        username=as_name(user.get("Username")),
        group=as_name(user.get("Class")) or UNKNOWN_GROUP,
        remote_user_id=as_id(user.get("ID")),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        # Nebulance sends no ratio: computed from the byte counts.
        ratio=derive_ratio(None, uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        seeding_count=as_count(user.get("SeedCount")),
        # Orbs, the bonus currency, exist on newer deployments only.
        bonus_points=as_float(user.get("Orbs")),
        hit_and_runs=as_count(user.get("HnR")),
        snatched_count=as_count(user.get("Snatched")),
        seed_size_bytes=as_bytes(user.get("SeedSize")),
        # Gazelle's naive UTC "YYYY-MM-DD hh:mm:ss".
        joined_date=as_utc_datetime(user.get("JoinDate")),
        last_access_date=as_utc_datetime(user.get("LastAccess")),
        platform_meta={} if unread_mail is None else {"unread_mail": unread_mail},
    )
