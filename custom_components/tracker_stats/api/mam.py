"""MyAnonamouse: ``GET jsonLoad.php`` with the ``mam_id`` session cookie.

MAM hands out a new ``mam_id`` in ``Set-Cookie`` now and then and lets the old
one die: the client switches to the new value the moment an answer sets it.
"""

from __future__ import annotations

from collections.abc import Mapping
import functools
import logging
import re
from typing import Any

from ._cookies import session_cookie
from ._envelope import error_from_text
from ._http import ResponseHead
from ._parse import (
    as_bytes,
    as_count,
    as_float,
    as_id,
    as_name,
    as_ratio,
    as_utc_datetime,
    mapping,
)
from .client import TrackerClient
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerAuthError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

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


class MAMClient(TrackerClient):
    """Reads account statistics from MyAnonamouse's ``jsonLoad.php``."""

    platform_name = "MyAnonamouse"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``jsonLoad.php`` request; a rotated cookie is kept at once."""
        sent_key = self.api_key
        answer = await self._http.request_json(
            API_PATH,
            label=LABEL,
            params=QUERY_FLAGS,
            cookies={SESSION_COOKIE: sent_key},
            # A dead session gets the login page, not a JSON error.
            html_error=TrackerAuthError,
            on_head=functools.partial(self._follow_rotation, sent_key),
        )
        payload = answer.payload
        if not isinstance(payload, Mapping):
            raise TrackerResponseError(
                f"{self._http.host} sent an unexpected JSON shape for the "
                f"{LABEL} request"
            )
        if as_name(payload.get("username")) is None:
            if "error" in payload:
                raise error_from_text(self._http, payload.get("error"), LABEL)
            # MAM answers a session it does not know without a user.
            raise TrackerAuthError(
                f"{self._http.host} answered without a user: the session is not valid"
            )
        return parse_json_load(payload)

    def _follow_rotation(self, sent_key: str, head: ResponseHead) -> None:
        """Adopt a new session the answer sets, on any status (a 429 too)."""
        new_value = session_cookie(
            head.set_cookies, SESSION_COOKIE, self._http.host, head.path
        )
        if new_value is None or new_value == self.api_key:
            return
        if sent_key != self.api_key:
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


def _bucket_count(payload: Mapping[str, Any], name: str) -> int | None:
    # Older answers keep the buckets at the top level, newer ones under
    # snatch_summary: read both.
    for holder in (payload, mapping(payload.get("snatch_summary"))):
        count = as_count(mapping(holder.get(name)).get("count"))
        if count is not None:
            return count
    return None


def _seeding_count(payload: Mapping[str, Any]) -> int | None:
    counts = [_bucket_count(payload, name) for name in SEEDING_BUCKETS]
    # A missing bucket would make the sum too small: unknown instead.
    if any(count is None for count in counts):
        return None
    return sum(count for count in counts if count is not None)


def _byte_count(payload: Mapping[str, Any], name: str) -> int | None:
    exact = as_bytes(payload.get(f"{name}_bytes"))
    return exact if exact is not None else as_bytes(payload.get(name))


def parse_json_load(payload: Mapping[str, Any]) -> TrackerStats:
    """Map a ``jsonLoad.php`` answer to ``TrackerStats``."""
    uploaded = _byte_count(payload, "uploaded")
    downloaded = _byte_count(payload, "downloaded")
    unsatisfied = mapping(payload.get("unsat")) or mapping(
        mapping(payload.get("snatch_summary")).get("unsat")
    )
    return TrackerStats(
        username=as_name(payload.get("username")),
        group=as_name(payload.get("classname")) or UNKNOWN_GROUP,
        remote_user_id=as_id(payload.get("uid")),
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        # "∞" for nothing downloaded: derive_ratio makes that unknown.
        ratio=derive_ratio(as_ratio(payload.get("ratio")), uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        seeding_count=_seeding_count(payload),
        leeching_count=_bucket_count(payload, "leeching"),
        bonus_points=as_float(payload.get("seedbonus")),
        hit_and_runs=_bucket_count(payload, "inactHnr"),
        freeleech_tokens=as_count(payload.get("wedges")),
        unread_messages=as_count(mapping(payload.get("notifs")).get("pms")),
        unsatisfied_count=as_count(unsatisfied.get("count")),
        unsatisfied_limit=as_count(unsatisfied.get("limit")),
        vip_until=as_utc_datetime(payload.get("vip_until")),
    )
