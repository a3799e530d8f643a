"""What every platform's client is: one shape, whatever API it speaks."""

from __future__ import annotations

from abc import ABC, abstractmethod
import dataclasses
from enum import StrEnum
import logging
from typing import ClassVar

import aiohttp
from yarl import URL

from ._http import TrackerHttp
from .const import DEFAULT_TIMEOUT_SECONDS
from .exceptions import TrackerError, TrackerResponseError
from .models import UNKNOWN_GROUP, TrackerStats

_LOGGER = logging.getLogger(__name__)


class AuthStyle(StrEnum):
    """How a key goes into the ``Authorization`` header."""

    TOKEN = "token"  # noqa: S105 - a header style, not a secret
    """``Authorization: token KEY`` (most Gazelle forks, Orpheus)."""
    RAW = "raw"
    """``Authorization: KEY`` (Redacted; AnimeBytes for some accounts)."""
    BEARER = "bearer"
    """``Authorization: Bearer KEY`` (AnimeBytes)."""


class TrackerClient(ABC):
    """Reads one account's statistics from one tracker.

    The base owns the HTTP round trip (session, base URL, timeout,
    User-Agent, redaction, errors) and what callers keep between polls: the
    secret in use (``api_key``, which a platform may rotate) and the
    account's id on the tracker (``remote_user_id``). A platform subclass
    only says where to ask and how to map the answer.
    """

    platform_name: ClassVar[str]

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        api_key: str,
        *,
        remote_user_id: int | None = None,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Prepare a client; nothing is sent until ``async_get_stats``.

        Raises ``ValueError`` for a URL that is not an absolute http(s) URL
        and for a key with control characters: pasted with a line break, it
        would split the header, cookie or query it travels in.
        """
        if any(ord(char) < 32 or ord(char) == 127 for char in api_key):
            raise ValueError("The key holds a control character")
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
        return None

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
        # Names become states: a tracker echoing a key, an IP or an e-mail
        # there must not put it on a dashboard.
        return dataclasses.replace(
            stats,
            username=stats.username and (self._http.safe_field(stats.username) or None),
            group=self._http.safe_field(stats.group) or UNKNOWN_GROUP,
            next_class=stats.next_class
            and (self._http.safe_field(stats.next_class) or None),
        )

    def _rotate_api_key(self, api_key: str) -> None:
        """Use a secret the tracker handed out in place of the old one."""
        self._http.add_secret(api_key)
        self._api_key = api_key

    @abstractmethod
    async def _async_fetch_stats(self) -> TrackerStats:
        """Ask the tracker and map its answer."""
