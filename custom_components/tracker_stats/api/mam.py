"""MyAnonamouse: ``GET jsonLoad.php`` with the ``mam_id`` session cookie.

MAM hands out a new ``mam_id`` in ``Set-Cookie`` now and then and lets the old
one die: the client switches to the new value the moment an answer sets it.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import re
from typing import Any

from ._answer import Answer, Call
from ._cookies import session_cookie
from ._envelope import error_from_text
from ._mapping import Rule, apply, fields_of, read
from ._parse import (
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_ratio,
    as_utc_datetime,
)
from .client import TrackerClient
from .exceptions import TrackerAuthError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

_LOGGER = logging.getLogger(__name__)

API_PATH = "jsonLoad.php"
LABEL = "jsonLoad"
SESSION_COOKIE = "mam_id"
# Flags without values: the count buckets and the unread counters.
QUERY_FLAGS = {"snatch_summary": "", "notif": ""}
# Torrents being seeded: satisfied, unsatisfied, and still owing seed time.
# upAct is left out on purpose: it counts torrents being uploaded.
SEEDING_BUCKETS = ("sSat", "seedUnsat", "seedHnr")
# A cookie value MAM could really send: RFC 6265 cookie-octets, bounded.
_COOKIE_VALUE = re.compile(r"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]{1,4096}")


def _bucket(name: str) -> Rule:
    # Older answers keep the buckets at the top level, newer ones under
    # snatch_summary: read both.
    return read(as_count, f"{name}.count", f"snatch_summary.{name}.count")


JSON_LOAD = {
    "username": read(as_name, "username"),
    "group": read(as_name, "classname"),
    "remote_user_id": read(as_id, "uid"),
    # The exact counts; the unit strings ("1.203 TiB") when they are absent.
    "uploaded_bytes": read(as_bytes, "uploaded_bytes", "uploaded"),
    "downloaded_bytes": read(as_bytes, "downloaded_bytes", "downloaded"),
    # "∞" for nothing downloaded: the client's ratio rule makes that unknown.
    "ratio": read(as_ratio, "ratio"),
    "leeching_count": _bucket("leeching"),
    "bonus_points": read(as_float, "seedbonus"),
    "hit_and_runs": _bucket("inactHnr"),
    "freeleech_tokens": read(as_count, "wedges"),
    "unread_messages": read(as_count, "notifs.pms"),
    "unsatisfied_count": read(as_count, "unsat.count", "snatch_summary.unsat.count"),
    "unsatisfied_limit": read(as_count, "unsat.limit", "snatch_summary.unsat.limit"),
    "vip_until": read(as_utc_datetime, "vip_until"),
}
_SEEDING = [_bucket(name) for name in SEEDING_BUCKETS]


class MAMClient(TrackerClient):
    """Reads account statistics from MyAnonamouse's ``jsonLoad.php``."""

    # A dead session gets the login page, not a JSON error.
    HTML_PAGE_ERROR = TrackerAuthError

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``jsonLoad.php`` request; a rotated cookie is kept at once."""
        payload = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                params=QUERY_FLAGS,
                cookies={SESSION_COOKIE: self.api_key},
            )
        )
        return parse_json_load(payload)

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the answer; one without a user is an error or a dead session."""
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        if JSON_LOAD["username"](payload) is None:
            if "error" in payload:
                raise error_from_text(self._http, payload.get("error"), call.label)
            # MAM answers a session it does not know without a user.
            raise TrackerAuthError(
                f"{self._http.host} answered without a user: the session is not valid"
            )
        return payload

    def _observe(self, call: Call, answer: Answer) -> None:
        """Adopt a new session the answer sets, on any status (a 429 too)."""
        new_value = session_cookie(
            answer.set_cookies, SESSION_COOKIE, self._http.host, answer.path
        )
        if new_value is None or new_value == self.api_key:
            return
        if call.cookies.get(SESSION_COOKIE) != self.api_key:
            # Two polls overlapped and the other one already rotated: this
            # answer is to a session that is gone, its cookie is stale.
            _LOGGER.debug("%s answered an old session; ignored", self._http.host)
            return
        if not _COOKIE_VALUE.fullmatch(new_value):
            _LOGGER.debug("%s set an unusable session cookie; ignored", self._http.host)
            return
        # The value itself is a secret: only the fact is logged.
        _LOGGER.debug("%s rotated the session cookie", self._http.host)
        self._rotate_api_key(new_value)


def parse_json_load(payload: Mapping[str, Any]) -> TrackerStats:
    """Map a ``jsonLoad.php`` answer to ``TrackerStats``."""
    values = apply(JSON_LOAD, payload)
    values["group"] = values["group"] or UNKNOWN_GROUP
    counts = [rule(payload) for rule in _SEEDING]
    # A missing bucket would make the sum too small: unknown instead.
    seeding = None if None in counts else sum(c for c in counts if c is not None)
    return TrackerStats(**values, seeding_count=seeding)


SPEC = PlatformSpec(
    platform=TrackerPlatform.MAM,
    display_name="MyAnonamouse",
    client=MAMClient,
    fields=fields_of(JSON_LOAD, extra=("seeding_count",)),
    identity=AccountIdentity.USER_ID,
    rejected_key_error="invalid_session",
    sites=(Site("myanonamouse", "MyAnonamouse", "https://www.myanonamouse.net"),),
)
