"""UNIT3D trackers (Aither, Blutopia, LST, OnlyEncodes, …): ``GET api/user``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._envelope import error_from_text
from ._http import TrackerHttp
from ._parse import as_bytes, as_count, as_float, as_name, as_ratio, first_known
from .client import TrackerClient
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerAuthError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

API_PATH = "api/user"
LABEL = "api/user"

# Forks name the seeding volume differently; the first one sent wins.
_SEED_SIZE_KEYS = ("seedsize", "seeding_size", "seed_size")


def count_of(value: Any) -> int | None:
    """Return a count, or the length of the torrent list UNIT3D v8.3.4 sends."""
    if isinstance(value, list):
        return len(value)
    return as_count(value)


class Unit3dClient(TrackerClient):
    """Reads the token owner's statistics from a UNIT3D site's ``api/user``."""

    platform_name = "UNIT3D"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``GET api/user`` per poll."""
        answer = await self._http.request_json(
            API_PATH,
            label=LABEL,
            # Without Accept: application/json a bad token is redirected to
            # the login page instead of getting a 401 (the base sends it too).
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Accept": "application/json",
            },
        )
        if answer.status == 404:
            raise TrackerResponseError(
                f"{self._http.host} has no {API_PATH} endpoint (HTTP 404): "
                "the site needs UNIT3D 8.3.4 or newer"
            )
        if answer.status >= 400:
            raise TrackerResponseError(
                f"{self._http.host} answered HTTP {answer.status} to the "
                f"{LABEL} request"
            )
        return parse_user(self._http, answer.payload)


def parse_user(http: TrackerHttp, payload: Any) -> TrackerStats:
    """Map an ``api/user`` answer, in either shape, to ``TrackerStats``."""
    if not isinstance(payload, Mapping):
        raise TrackerResponseError(
            f"{http.host} sent an unexpected JSON shape for the {LABEL} request"
        )
    # A Laravel resource may be wrapped as {"data": {...}} on some installs.
    if "username" not in payload and isinstance(payload.get("data"), Mapping):
        payload = payload["data"]
    if _is_refusal(payload):
        raise _refusal_error(http, payload.get("message"))
    username = as_name(payload.get("username"))
    if username is None:
        # The integration keys the account by its user name: no name, no stats.
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no username"
        )
    if "uploaded" not in payload and "downloaded" not in payload:
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no user statistics"
        )
    uploaded = as_bytes(payload.get("uploaded"))
    downloaded = as_bytes(payload.get("downloaded"))
    # "∞" (nothing downloaded) is no number: as_ratio gives None for it.
    # The answer's "buffer" is download headroom at the site's minimum ratio,
    # not upload minus download: it is not our buffer and is ignored.
    return TrackerStats(
        username=username,
        group=as_name(payload.get("group")) or UNKNOWN_GROUP,
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=derive_ratio(as_ratio(payload.get("ratio")), uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        seeding_count=count_of(payload.get("seeding")),
        leeching_count=count_of(payload.get("leeching")),
        bonus_points=as_float(payload.get("seedbonus")),
        hit_and_runs=as_count(payload.get("hit_and_runs")),
        freeleech_tokens=as_count(payload.get("fl_tokens")),
        seed_size_bytes=first_known(
            as_bytes, *(payload.get(key) for key in _SEED_SIZE_KEYS)
        ),
    )


def _is_refusal(payload: Mapping[str, Any]) -> bool:
    """Return whether the answer is a bare ``{"message": ...}`` without stats."""
    return "message" in payload and not any(
        key in payload for key in ("username", "uploaded", "downloaded")
    )


def _refusal_error(http: TrackerHttp, message: Any) -> Exception:
    """Return the error for an HTTP 200 ``{"message": ...}`` answer.

    UNIT3D's CheckIfBanned middleware answers a banned user this way. A rate
    limit or maintenance text keeps its own meaning; anything else is the
    ban, raised as an auth error on purpose: no poll can read the account
    with this token until staff act, so polling must stop and the user be
    asked to look (a response error would retry forever against a site that
    has banned the account).
    """
    error = error_from_text(http, message, LABEL)
    if type(error) is not TrackerResponseError:
        return error
    text = http.safe_text(message if isinstance(message, str) else "")
    return TrackerAuthError(
        f"{http.host} refuses this account: {text or 'no reason given'}"
    )
