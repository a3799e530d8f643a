"""AnimeBytes: ``GET api/stats/personal`` (not stock Gazelle)."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

import aiohttp

from ._envelope import error_from_text
from ._http import TrackerHttp
from ._parse import as_bytes, as_count, as_float, as_name, as_unix_datetime, mapping
from .client import AuthStyle, TrackerClient
from .const import DEFAULT_TIMEOUT_SECONDS
from .derived import derive_buffer, derive_ratio
from .exceptions import TrackerAuthError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

_LOGGER = logging.getLogger(__name__)

API_PATH = "api/stats/personal"
LABEL = "stats/personal"
_STYLES = (AuthStyle.BEARER, AuthStyle.RAW)


class AnimeBytesClient(TrackerClient):
    """Reads account statistics from AnimeBytes' personal-stats endpoint.

    Which ``Authorization`` form AnimeBytes wants is not known for sure
    (clients send both), so the first poll tries ``Bearer KEY`` and, if that
    is rejected, the raw key once. The form that worked is kept
    (``auth_style``) and used alone from then on; callers store it and pass
    it back, so later polls are one request each.
    """

    platform_name = "AnimeBytes"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        auth_style: AuthStyle | str | None = None,
        remote_user_id: int | None = None,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Prepare a client; without ``auth_style`` the first poll finds it."""
        super().__init__(
            session,
            url=url,
            api_key=api_key,
            remote_user_id=remote_user_id,
            user_agent=user_agent,
            request_timeout=request_timeout,
        )
        style = AuthStyle(auth_style) if auth_style else None
        if style is not None and style not in _STYLES:
            raise ValueError("AnimeBytes takes the key as 'Bearer KEY' or raw")
        self._auth_style = style

    @property
    def auth_style(self) -> AuthStyle | None:
        """Return the ``Authorization`` form that worked, once known."""
        return self._auth_style

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
        answer = await self._http.request_json(
            API_PATH, label=LABEL, headers={"Authorization": header}
        )
        payload = answer.payload
        if not isinstance(payload, Mapping):
            raise TrackerResponseError(
                f"{self._http.host} sent an unexpected JSON shape for the "
                f"{LABEL} request"
            )
        # "error": null next to a full answer is no error.
        if payload.get("success") is False or payload.get("error") is not None:
            raise error_from_text(self._http, payload.get("error"), LABEL)
        if answer.status >= 400:
            raise TrackerResponseError(
                f"{self._http.host} answered HTTP {answer.status} to the "
                f"{LABEL} request"
            )
        return payload


def parse_personal(http: TrackerHttp, payload: Mapping[str, Any]) -> TrackerStats:
    """Map a personal-stats answer to ``TrackerStats``.

    The answer has no user name and no user id: the integration asks the
    user for the name. Ratio and buffer are computed from the byte counts.
    """
    upload, download = mapping(payload.get("upload")), mapping(payload.get("download"))
    if not upload and not download:
        raise TrackerResponseError(
            f"The {LABEL} answer of {http.host} holds no user statistics"
        )
    tracker, yen = mapping(payload.get("tracker")), mapping(payload.get("yen"))
    hnrs = mapping(payload.get("hnrs"))
    # "account" is what counts toward the ratio; "raw" is before multipliers.
    uploaded = as_bytes(upload.get("account"))
    downloaded = as_bytes(download.get("account"))
    freeleech_ends = as_unix_datetime(payload.get("freeleech"))
    return TrackerStats(
        group=as_name(payload.get("class")) or UNKNOWN_GROUP,
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        ratio=derive_ratio(None, uploaded, downloaded),
        buffer_bytes=derive_buffer(uploaded, downloaded),
        seeding_count=as_count(tracker.get("seeding")),
        leeching_count=as_count(tracker.get("leeching")),
        snatched_count=as_count(tracker.get("snatched")),
        seed_size_bytes=as_bytes(tracker.get("seed_size")),
        bonus_points=as_float(yen.get("current")),
        bonus_points_per_hour=as_float(yen.get("per_hour")),
        hit_and_runs=as_count(hnrs.get("active")),
        # An allow-list: only these two reach diagnostics.
        platform_meta={
            "hnrs_potential": as_count(hnrs.get("potential")),
            # 0 means no personal freeleech; the epoch is no real end time.
            "freeleech_ends": freeleech_ends.isoformat()
            if freeleech_ends is not None and freeleech_ends.timestamp() > 0
            else None,
        },
    )
