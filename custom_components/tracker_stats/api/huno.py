"""HUNO (hawke.uno): ``GET api/profile``, a UNIT3D site with its own endpoint."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._mapping import apply, fields_of, read
from ._parse import as_bytes, as_count, as_float, as_name, as_ratio, as_utc_datetime
from .client import TrackerClient
from .exceptions import TrackerAuthError, TrackerResponseError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, AuthStyle, PlatformSpec, Site, TrackerPlatform

_LOGGER = logging.getLogger(__name__)

API_PATH = "api/profile"
LABEL = "api/profile"
# The key alone, in HUNO's own header (AuthStyle.RAW for this platform).
TOKEN_HEADER = "X-Api-Token"  # noqa: S105 - a header name, not a secret
# "Inf" (nothing downloaded) is no number: as_ratio gives None for it, and the
# client computes the ratio from the bytes when downloaded > 0. The answer's
# "buffer" is not read: the client's uploaded − downloaded is the buffer.
PROFILE = {
    "username": read(as_name, "username"),
    "group": read(as_name, "group"),
    "uploaded_bytes": read(as_bytes, "uploaded"),
    "downloaded_bytes": read(as_bytes, "downloaded"),
    "ratio": read(as_ratio, "ratio"),
    "bonus_points": read(as_float, "hunos"),
    "seeding_count": read(as_count, "active_seeds"),
    "leeching_count": read(as_count, "active_leeches"),
    "hit_and_runs": read(as_count, "hit_and_runs"),
    "joined_date": read(as_utc_datetime, "member_since"),
}
_WARNINGS = read(as_count, "warnings")


class HunoClient(TrackerClient):
    """Reads the token owner's statistics from HUNO's ``api/profile``.

    Tools send the token as ``Authorization: Bearer`` or as ``X-Api-Token``:
    the first poll tries Bearer and, if that is refused, ``X-Api-Token``
    once. The form that worked is kept (``auth_style``: ``bearer`` or
    ``raw`` for the key alone in ``X-Api-Token``). A rate limit or a server
    error is no refusal and ends the poll; the token never goes in a URL.
    """

    # HUNO answers a token it does not take with its login page (HTTP 200).
    HTML_PAGE_ERROR = TrackerAuthError

    async def _async_fetch_stats(self) -> TrackerStats:
        """One request; two on the first poll when Bearer is refused."""
        if self._auth_style is not None:
            # A known form that fails now is a rejected key: no second guess.
            payload = await self._get(self._auth_style)
        else:
            try:
                payload = await self._get(AuthStyle.BEARER)
                style = AuthStyle.BEARER
            except TrackerAuthError:
                _LOGGER.debug("Bearer form refused, trying %s once", TOKEN_HEADER)
                payload = await self._get(AuthStyle.RAW)
                style = AuthStyle.RAW
            self._auth_style = style
        return parse_profile(self._http.host, payload)

    async def _get(self, style: AuthStyle) -> Mapping[str, Any]:
        header = (
            {"Authorization": f"Bearer {self.api_key}"}
            if style is AuthStyle.BEARER
            else {TOKEN_HEADER: self.api_key}
        )
        return await self._request(
            Call(
                path=API_PATH,
                label=LABEL,
                headers={**header, "Accept": "application/json"},
            )
        )

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return ``data`` of ``{success, data, message}``; raise what a failure says."""
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        if payload.get("success") is False:
            raise error_from_text(self._http, payload.get("message"), call.label)
        data = payload.get("data")
        if isinstance(data, Mapping):
            return data
        # Some answers come without the wrapper: the profile itself.
        if "username" in payload or "uploaded" in payload:
            return payload
        raise unexpected_shape(self._http.host, call.label)


def parse_profile(host: str, profile: Mapping[str, Any]) -> TrackerStats:
    """Map an ``api/profile`` answer to ``TrackerStats``."""
    values = apply(PROFILE, profile)
    if values["username"] is None:
        # The integration keys the account by its user name: no name, no stats.
        raise TrackerResponseError(f"The {LABEL} answer of {host} holds no username")
    if "uploaded" not in profile and "downloaded" not in profile:
        raise TrackerResponseError(
            f"The {LABEL} answer of {host} holds no user statistics"
        )
    values["group"] = values["group"] or UNKNOWN_GROUP
    warnings = _WARNINGS(profile)
    return TrackerStats(
        **values,
        warned=None if warnings is None else warnings > 0,
        platform_meta={} if warnings is None else {"warnings": warnings},
    )


SPEC = PlatformSpec(
    platform=TrackerPlatform.HUNO,
    display_name="HUNO",
    client=HunoClient,
    fields=fields_of(PROFILE, extra=("warned",)),
    identity=AccountIdentity.USERNAME,
    auth_styles=(AuthStyle.BEARER, AuthStyle.RAW),
    sites=(Site("huno", "HUNO", "https://hawke.uno"),),
)
