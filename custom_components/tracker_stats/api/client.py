"""What every platform's client is: one shape, whatever API it speaks.

The base owns the poll. A platform says which ``Call``s to make and maps
their answers; the base sends each one, lets the platform see the answer as
it came (``_observe``: MyAnonamouse's rotated cookie), judges its status in
one place, decodes the JSON, hands it to the platform's envelope hook
(``_unwrap``: the platform's error shapes become the exception tree), and
after the mapping derives ratio and buffer once and redacts what becomes a
state. Platform code never reads a status code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
import dataclasses
import logging
from typing import Any, ClassVar

import aiohttp
from yarl import URL

from ._answer import Answer, Call
from ._http import TrackerHttp
from .const import DEFAULT_TIMEOUT_SECONDS
from .derived import derive_buffer, derive_ratio
from .exceptions import (
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
    unexpected_shape,
)
from .models import UNKNOWN_GROUP, TrackerStats
from .spec import AuthStyle, PlatformSpec

_LOGGER = logging.getLogger(__name__)


class TrackerClient(ABC):
    """Reads one account's statistics from one tracker.

    Keeps what callers store between polls: the secret in use (``api_key``,
    which a platform may rotate), the account's id on the tracker
    (``remote_user_id``) and, where the platform has a choice, the
    ``auth_style`` that works.
    """

    spec: ClassVar[PlatformSpec]
    """The platform's declaration; set when its ``PlatformSpec`` is made."""
    RATE_LIMIT_STATUSES: ClassVar[frozenset[int]] = frozenset({429})
    """Statuses that mean "slow down" (BTN adds 503)."""
    DEFAULT_RETRY_AFTER: ClassVar[float | None] = None
    """The back-off for a rate limit that names none (BTN: five minutes)."""
    HTML_PAGE_ERROR: ClassVar[type[TrackerError]] = TrackerResponseError
    """What an HTML page instead of JSON means (a dead session, for cookies)."""
    NOT_FOUND_HINT: ClassVar[str | None] = None
    """Why an endpoint may be missing (HTTP 404), where a platform knows."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        auth_style: AuthStyle | str | None = None,
        api_path: str | None = None,
        enrich: bool = False,
        remote_user_id: int | None = None,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Prepare a client; nothing is sent until ``async_get_stats``.

        Raises ``ValueError`` for a URL that is not an absolute http(s) URL,
        an ``auth_style`` the platform does not take, and a key with control
        characters: pasted with a line break, it would split the header,
        cookie or query it travels in. ``api_path`` and ``enrich`` are for
        the platforms that use them (Gazelle) and ignored by the others.
        """
        if any(ord(char) < 32 or ord(char) == 127 for char in api_key):
            raise ValueError("The key holds a control character")
        style = AuthStyle(auth_style) if auth_style else None
        if style is not None and style not in self.spec.auth_styles:
            raise ValueError(
                f"{self.spec.display_name} takes the key as "
                f"{', '.join(self.spec.auth_styles) or 'it is'}, not {style}"
            )
        self._auth_style = style
        self._api_path = (api_path or "").strip().strip("/") or None
        self.enrich = enrich
        self._api_key = api_key
        self._remote_user_id = remote_user_id
        self._http = TrackerHttp(
            session,
            url,
            secret=api_key,
            user_agent=user_agent,
            request_timeout=request_timeout,
        )

    @property
    def api_key(self) -> str:
        """Return the secret in use now (MyAnonamouse rotates it)."""
        return self._api_key

    @property
    def remote_user_id(self) -> int | None:
        """Return the account's id on the tracker, once known."""
        return self._remote_user_id

    @property
    def auth_style(self) -> AuthStyle | None:
        """Return how the key is sent, where the platform has a choice."""
        return self._auth_style

    @property
    def base_url(self) -> URL:
        """Return the tracker's base URL (no credentials, no query)."""
        return self._http.base_url

    async def async_get_stats(self) -> TrackerStats:
        """Return the account's statistics, or raise a ``TrackerError``.

        Nothing else leaves: a caller (a config flow, a coordinator) handles
        this one tree. The error is raised detached from whatever it was
        raised in, so no key an inner error references stays reachable.
        """
        failure: TrackerError | None = None
        try:
            stats = await self._async_fetch_stats()
        except TrackerRateLimitError as err:
            failure = err
            if err.retry_after is None and self.DEFAULT_RETRY_AFTER is not None:
                failure = TrackerRateLimitError(str(err), self.DEFAULT_RETRY_AFTER)
        except TrackerError as err:
            failure = err
        except Exception as err:  # noqa: BLE001 - the library's promise, see above
            # A tracker answer no mapping foresaw; name the class only, its
            # message may quote what the tracker sent.
            _LOGGER.debug("Reading %s failed: %s", self._http.host, type(err).__name__)
            failure = TrackerResponseError(
                f"{self._http.host} sent an answer that could not be read "
                f"({type(err).__name__})"
            )
        if failure is not None:
            failure.__cause__ = failure.__context__ = None
            raise failure
        if stats.remote_user_id is not None:
            self._remote_user_id = stats.remote_user_id
        return self._finish(stats)

    def _finish(self, stats: TrackerStats) -> TrackerStats:
        """Derive ratio and buffer from the byte counts; make names safe to show."""
        uploaded, downloaded = stats.uploaded_bytes, stats.downloaded_bytes
        # Names become states: a tracker echoing a key, an IP or an e-mail
        # there must not put it on a dashboard. Redacted first, then cut.
        safe = self._http.safe_field
        return dataclasses.replace(
            stats,
            ratio=derive_ratio(stats.ratio, uploaded, downloaded),
            buffer_bytes=stats.buffer_bytes
            if stats.buffer_bytes is not None
            else derive_buffer(uploaded, downloaded),
            username=stats.username and (safe(stats.username) or None),
            group=safe(stats.group) or UNKNOWN_GROUP,
            next_class=stats.next_class and (safe(stats.next_class) or None),
        )

    async def _request(self, call: Call) -> Mapping[str, Any]:
        """Send one call and return the statistics object its answer holds."""
        answer = await self._http.send(call)
        self._observe(call, answer)
        self._judge(call, answer)
        payload = self._http.decode(answer, call.label, html_error=self.HTML_PAGE_ERROR)
        result = self._unwrap(call, payload)
        if answer.status >= 400:
            # An error status whose body names no error the envelope knows.
            raise TrackerResponseError(
                f"{self._http.host} answered HTTP {answer.status} to the "
                f"{call.label} request"
            )
        return result

    def _observe(self, call: Call, answer: Answer) -> None:  # noqa: B027 - optional hook
        """See every answer as it came, before anything is judged (default: no)."""

    def _judge(self, call: Call, answer: Answer) -> None:
        """Raise what the answer's status says; a platform may know more first."""
        if answer.status == 404 and self.NOT_FOUND_HINT:
            raise TrackerResponseError(
                f"{self._http.host} has no {answer.path.lstrip('/')} endpoint "
                f"(HTTP 404): {self.NOT_FOUND_HINT}"
            )
        self._http.judge(
            answer, call.label, rate_limit_statuses=self.RATE_LIMIT_STATUSES
        )

    def _unwrap(self, call: Call, payload: Any) -> Mapping[str, Any]:
        """Return the statistics object; raise the platform's error shapes.

        The default takes a bare JSON object.
        """
        if not isinstance(payload, Mapping):
            raise unexpected_shape(self._http.host, call.label)
        return payload

    def _rotate_api_key(self, api_key: str) -> None:
        """Use a secret the tracker handed out in place of the old one."""
        self._http.add_secret(api_key)
        self._api_key = api_key

    @abstractmethod
    async def _async_fetch_stats(self) -> TrackerStats:
        """Make the platform's calls and map their answers."""
