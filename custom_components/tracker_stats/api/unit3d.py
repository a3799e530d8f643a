"""UNIT3D trackers (Aither, Blutopia, LST, OnlyEncodes, …): ``GET api/user``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._http import TrackerHttp
from ._mapping import apply, fields_of, read
from ._parse import as_bytes, as_count, as_float, as_name, as_ratio
from .client import TrackerClient
from .exceptions import TrackerAuthError, TrackerResponseError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, PlatformSpec, Site, TrackerPlatform

API_PATH = "api/user"
LABEL = "api/user"


def count_of(value: Any) -> int | None:
    """Return a count, or the length of the torrent list UNIT3D v8.3.4 sends."""
    if isinstance(value, list):
        return len(value)
    return as_count(value)


# "∞" (nothing downloaded) is no number: as_ratio gives None for it. The
# answer's "buffer" is download headroom at the site's minimum ratio, not
# upload minus download: it is not our buffer and is not read.
USER = {
    "username": read(as_name, "username"),
    "group": read(as_name, "group"),
    "uploaded_bytes": read(as_bytes, "uploaded"),
    "downloaded_bytes": read(as_bytes, "downloaded"),
    "ratio": read(as_ratio, "ratio"),
    "seeding_count": read(count_of, "seeding"),
    "leeching_count": read(count_of, "leeching"),
    "bonus_points": read(as_float, "seedbonus"),
    "hit_and_runs": read(as_count, "hit_and_runs"),
    "freeleech_tokens": read(as_count, "fl_tokens"),
    # Forks name the seeding volume differently; the first one sent wins.
    "seed_size_bytes": read(as_bytes, "seedsize", "seeding_size", "seed_size"),
}


class Unit3dClient(TrackerClient):
    """Reads the token owner's statistics from a UNIT3D site's ``api/user``."""

    NOT_FOUND_HINT = "the site needs UNIT3D 8.3.4 or newer"

    async def _async_fetch_stats(self) -> TrackerStats:
        """One ``GET api/user`` per poll."""
        answer = await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                # Without Accept: application/json a bad token is redirected
                # to the login page instead of getting a 401.
                headers={
                    "Authorization": f"Bearer {self.api_key}",
                    "Accept": "application/json",
                },
            )
        )
        return parse_user(self._http, answer)


def parse_user(http: TrackerHttp, payload: Any) -> TrackerStats:
    """Map an ``api/user`` answer, in either shape, to ``TrackerStats``."""
    if not isinstance(payload, Mapping):
        raise unexpected_shape(http.host, LABEL)
    # A Laravel resource may be wrapped as {"data": {...}} on some installs.
    if "username" not in payload and isinstance(payload.get("data"), Mapping):
        payload = payload["data"]
    if _is_refusal(payload):
        raise _refusal_error(http, payload.get("message"))
    values = apply(USER, payload)
    if values["username"] is None:
        # The integration keys the account by its user name: no name, no stats.
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no username"
        )
    if "uploaded" not in payload and "downloaded" not in payload:
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no user statistics"
        )
    values["group"] = values["group"] or UNKNOWN_GROUP
    return TrackerStats(**values)


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


SPEC = PlatformSpec(
    platform=TrackerPlatform.UNIT3D,
    display_name="UNIT3D",
    client=Unit3dClient,
    fields=fields_of(USER),
    identity=AccountIdentity.USERNAME,
    rejected_key_error="invalid_token",
    sites=(
        Site("aither", "Aither", "https://aither.cc"),
        Site("blutopia", "Blutopia", "https://blutopia.cc"),
        Site("darkpeers", "DarkPeers", "https://darkpeers.org"),
        Site("fearnopeer", "FearNoPeer", "https://fearnopeer.com"),
        Site("lst", "LST", "https://lst.gg"),
        Site("luminarr", "Luminarr", "https://luminarr.me"),
        Site("midnightscene", "MidnightScene", "https://midnightscene.cc"),
        Site("oldtoons", "OldToonsWorld", "https://oldtoons.world"),
        Site("onlyencodes", "OnlyEncodes", "https://onlyencodes.cc"),
        Site("reelflix", "ReelFliX", "https://reelflix.cc"),
        Site("seedpool", "Seedpool", "https://seedpool.org"),
        Site("uploadcx", "Upload.cx", "https://upload.cx"),
        Site("yuscene", "YU-Scene", "https://yu-scene.net"),
        Site("unit3d", "UNIT3D"),
    ),
)
