"""Anthelion: ``GET api.php?action=user&method=getuserinfo&api_key=KEY`` (Nebulance's family)."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from ._answer import Call
from ._envelope import EnvelopeClient
from ._mapping import fields_of, read
from ._parse import (
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_utc_datetime,
)
from .exceptions import TrackerAuthError
from .models import TrackerStats
from .nebulance import map_user_info
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api.php"
LABEL = "getuserinfo"
# getuserinfo answers with the key owner's data whichever existing user it
# names: before the account's id is known, user 1 (the first account of every
# Gazelle-derived site) is named; from then on the account's own id.
FIRST_POLL_USER_ID = 1
# Anthelion's texts for a key it does not take ("Unrecognized key", "No
# API_KEY provided"), and for an account without two-factor authentication.
_UNKNOWN_KEY = re.compile(r"unrecognized key|no api_?key provided", re.IGNORECASE)
_NO_MFA = re.compile(r"not have mfa", re.IGNORECASE)
# IRCKey, Email and Inviter are secrets and are never read. UnreadMail is a
# flag, not a count: no unread_messages. No ratio is sent: the client
# computes it from the byte counts.
USER_INFO = {
    "username": read(as_name, "Username"),
    "group": read(as_name, "Class"),
    "remote_user_id": read(as_id, "ID"),
    "uploaded_bytes": read(as_bytes, "Uploaded"),
    "downloaded_bytes": read(as_bytes, "Downloaded"),
    "seeding_count": read(as_count, "SeedCount"),
    "seed_size_bytes": read(as_bytes, "SeedSize"),
    "bonus_points": read(as_float, "Orbs"),
    "snatched_count": read(as_count, "Snatched"),
    # Gazelle's naive UTC "YYYY-MM-DD hh:mm:ss".
    "joined_date": read(as_utc_datetime, "JoinDate"),
    "last_access_date": read(as_utc_datetime, "LastAccess"),
}


class AnthelionClient(EnvelopeClient):
    """Reads account statistics from Anthelion's ``api.php``.

    The key travels in ``api_key`` (the spelling the site asked for), and
    the account must have two-factor authentication on: the site refuses
    the API to others, which is raised as a rejected key that says so.
    """

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``getuserinfo`` request per poll."""
        user = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                params={
                    "action": "user",
                    "method": "getuserinfo",
                    "type": "id",
                    "user": str(self.remote_user_id or FIRST_POLL_USER_ID),
                    "api_key": self.api_key,
                },
            )
        )
        return parse_user_info(user)

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Tell Anthelion's own refusals apart, then read the envelope."""
        error = payload.get("error") if isinstance(payload, Mapping) else None
        if isinstance(error, str) and payload.get("status") != "success":
            host = self._http.host
            if _NO_MFA.search(error[:2000]):
                raise TrackerAuthError(
                    f"{host} answers only accounts with two-factor authentication "
                    "turned on: turn it on in the site's settings"
                )
            if _UNKNOWN_KEY.search(error[:2000]):
                raise TrackerAuthError(f"{host} rejected the key")
        return super()._unwrap(call, payload)


def parse_user_info(user: Mapping[str, Any]) -> TrackerStats:
    """Map a ``getuserinfo`` answer to ``TrackerStats`` (Nebulance's mapping)."""
    return map_user_info(user, USER_INFO)


SPEC = PlatformSpec(
    platform=TrackerPlatform.ANTHELION,
    display_name="Anthelion",
    client=AnthelionClient,
    fields=fields_of(USER_INFO),
    identity=AccountIdentity.USER_ID,
    rejected_key_error="invalid_auth_anthelion",
    sites=(Site("anthelion", "Anthelion", "https://anthelion.me"),),
)
