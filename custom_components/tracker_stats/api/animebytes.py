"""AnimeBytes: ``GET api/stats/personal`` (not stock Gazelle)."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from ._answer import Call
from ._envelope import error_from_text
from ._http import TrackerHttp
from ._mapping import apply, fields_of, read
from ._parse import as_bytes, as_count, as_float, as_name, as_unix_datetime, mapping
from .client import TrackerClient
from .exceptions import TrackerAuthError, TrackerResponseError, unexpected_shape
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AccountIdentity, AuthStyle, PlatformSpec, Site, TrackerPlatform

_LOGGER = logging.getLogger(__name__)

API_PATH = "api/stats/personal"
LABEL = "stats/personal"
# "account" is what counts toward the ratio; "raw" is before multipliers.
PERSONAL = {
    "group": read(as_name, "class"),
    "uploaded_bytes": read(as_bytes, "upload.account"),
    "downloaded_bytes": read(as_bytes, "download.account"),
    "seeding_count": read(as_count, "tracker.seeding"),
    "leeching_count": read(as_count, "tracker.leeching"),
    "snatched_count": read(as_count, "tracker.snatched"),
    "seed_size_bytes": read(as_bytes, "tracker.seed_size"),
    "bonus_points": read(as_float, "yen.current"),
    "bonus_points_per_hour": read(as_float, "yen.per_hour"),
    "hit_and_runs": read(as_count, "hnrs.active"),
}
_POTENTIAL_HNRS = read(as_count, "hnrs.potential")
_FREELEECH_ENDS = read(as_unix_datetime, "freeleech")


class AnimeBytesClient(TrackerClient):
    """Reads account statistics from AnimeBytes' personal-stats endpoint.

    Which ``Authorization`` form AnimeBytes wants is not known for sure
    (clients send both), so the first poll tries ``Bearer KEY`` and, if that
    is rejected, the raw key once. The form that worked is kept
    (``auth_style``) and used alone from then on; callers store it and pass
    it back, so later polls are one request each.
    """

    async def _async_fetch_stats(self) -> TrackerStats:
        """One request; two on the first poll when ``Bearer`` is rejected."""
        if self._auth_style is not None:
            # A known form that fails now is a rejected key: no second guess.
            payload = await self._get(self._auth_style)
        else:
            try:
                payload = await self._get(AuthStyle.BEARER)
                style = AuthStyle.BEARER
            except TrackerAuthError:
                _LOGGER.debug("Bearer form rejected, trying the raw key once")
                payload = await self._get(AuthStyle.RAW)
                style = AuthStyle.RAW
            self._auth_style = style
        return parse_personal(self._http, payload)

    async def _get(self, style: AuthStyle) -> Mapping[str, Any]:
        header = f"Bearer {self.api_key}" if style is AuthStyle.BEARER else self.api_key
        return await self._request(
            Call(path=API_PATH, label=LABEL, headers={"Authorization": header})
        )

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Raise what ``{"success": false, "error": ...}`` says."""
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        # "error": null next to a full answer is no error.
        if payload.get("success") is False or payload.get("error") is not None:
            raise error_from_text(self._http, payload.get("error"), call.label)
        return payload


def parse_personal(http: TrackerHttp, payload: Mapping[str, Any]) -> TrackerStats:
    """Map a personal-stats answer to ``TrackerStats``.

    The answer has no user name and no user id: the integration asks the
    user for the name. Ratio and buffer are computed from the byte counts.
    """
    if not mapping(payload.get("upload")) and not mapping(payload.get("download")):
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no user statistics"
        )
    values = apply(PERSONAL, payload)
    values["group"] = values["group"] or UNKNOWN_GROUP
    freeleech_ends = _FREELEECH_ENDS(payload)
    return TrackerStats(
        **values,
        # An allow-list: only these two reach diagnostics.
        platform_meta={
            "hnrs_potential": _POTENTIAL_HNRS(payload),
            # 0 means no personal freeleech; the epoch is no real end time.
            "freeleech_ends": freeleech_ends.isoformat()
            if freeleech_ends is not None and freeleech_ends.timestamp() > 0
            else None,
        },
    )


SPEC = PlatformSpec(
    platform=TrackerPlatform.ANIMEBYTES,
    display_name="AnimeBytes",
    client=AnimeBytesClient,
    fields=fields_of(PERSONAL),
    identity=AccountIdentity.TYPED_USERNAME,
    flow_fields=("username",),
    auth_styles=(AuthStyle.BEARER, AuthStyle.RAW),
    sites=(Site("animebytes", "AnimeBytes", "https://animebytes.tv"),),
)
