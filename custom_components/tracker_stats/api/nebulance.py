"""Nebulance: ``GET api.php?action=user&method=getuserinfo&api_key=KEY``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answer import Call
from ._envelope import EnvelopeClient
from ._mapping import Table, apply, fields_of, read
from ._parse import (
    as_bool,
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_utc_datetime,
)
from .exceptions import TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api.php"
LABEL = "getuserinfo"
# getuserinfo answers with the key owner's data whichever user it names, but
# the named user must exist. Before the account's id is known, user 1 (the
# first account, present on every Gazelle-derived site) is named; from then
# on the account's own id. A user name is never needed: nothing to ask first.
FIRST_POLL_USER_ID = 1
# IRCKey, Email and Inviter are secrets and are never read; UnreadMail is a
# flag, not a count, so it is no unread_messages. Nebulance sends no ratio:
# the client computes it from the byte counts.
USER_INFO = {
    "username": read(as_name, "Username"),
    "group": read(as_name, "Class"),
    "remote_user_id": read(as_id, "ID"),
    "uploaded_bytes": read(as_bytes, "Uploaded"),
    "downloaded_bytes": read(as_bytes, "Downloaded"),
    "seeding_count": read(as_count, "SeedCount"),
    # Orbs, the bonus currency, exist on newer deployments only.
    "bonus_points": read(as_float, "Orbs"),
    "hit_and_runs": read(as_count, "HnR"),
    "snatched_count": read(as_count, "Snatched"),
    "seed_size_bytes": read(as_bytes, "SeedSize"),
    # Gazelle's naive UTC "YYYY-MM-DD hh:mm:ss".
    "joined_date": read(as_utc_datetime, "JoinDate"),
    "last_access_date": read(as_utc_datetime, "LastAccess"),
}


class NebulanceClient(EnvelopeClient):
    """Reads account statistics from Nebulance's ``api.php``."""

    # Deployments send the Gazelle envelope or the bare object.
    ENVELOPE_REQUIRED = False

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``getuserinfo`` request per poll."""
        user_id = self.remote_user_id or FIRST_POLL_USER_ID
        user = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                params={
                    "action": "user",
                    "method": "getuserinfo",
                    "type": "id",
                    "user": str(user_id),
                    "api_key": self.api_key,
                },
            )
        )
        return parse_user_info(user)


def parse_user_info(user: Mapping[str, Any]) -> TrackerStats:
    """Map a ``getuserinfo`` answer to ``TrackerStats``."""
    return map_user_info(user, USER_INFO)


def map_user_info(user: Mapping[str, Any], table: Table) -> TrackerStats:
    """Map a ``getuserinfo`` answer of the Nebulance family by a site's table."""
    values = apply(table, user)
    if values["username"] is None and "Uploaded" not in user:
        raise TrackerResponseError("The getuserinfo answer holds no user statistics")
    values["group"] = values["group"] or UNKNOWN_GROUP
    unread_mail = as_bool(user.get("UnreadMail"))
    return TrackerStats(
        **values,
        platform_meta={} if unread_mail is None else {"unread_mail": unread_mail},
    )


SPEC = PlatformSpec(
    platform=TrackerPlatform.NEBULANCE,
    display_name="Nebulance",
    client=NebulanceClient,
    fields=fields_of(USER_INFO),
    identity=AccountIdentity.USER_ID,
    sites=(Site("nebulance", "Nebulance", "https://nebulance.io"),),
)
