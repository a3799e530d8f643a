"""The HTTP round trip shared by every tracker client.

Everything that can go wrong on the wire is turned into one of the library's
exceptions here, so the platform clients only deal with well-formed JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import json
import logging
import re
from typing import Any

import aiohttp
from yarl import URL

from .const import DEFAULT_TIMEOUT_SECONDS, LIBRARY_USER_AGENT, MAX_BODY_BYTES
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)

_LOGGER = logging.getLogger(__name__)

_RATE_LIMIT_TEXT = re.compile(
    r"rate.?limit|too many requests|slow down|try again later", re.IGNORECASE
)
_AUTH_TEXT = re.compile(
    r"\b(api.?key|key|token|credentials?|unauthori[sz]ed|not logged in|login"
    r"|authenticat\w*|revoked)\b",
    re.IGNORECASE,
)
_MAX_ERROR_TEXT = 120


def parse_base_url(url: str) -> URL:
    """Return the tracker's base URL without query, fragment or trailing slash.

    Raises ``ValueError`` for anything that is not an absolute http(s) URL.
    """
    parsed = URL(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("Tracker URL must be an absolute http(s) URL")
    return (
        parsed.with_query(None).with_fragment(None).with_path(parsed.path.rstrip("/"))
    )


def parse_retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for, if readable."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)


class TrackerHttp:
    """Performs GET requests against one tracker and returns ``response``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        *,
        secret: str,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Remember where and how to ask; ``secret`` is kept out of messages."""
        self._session = session
        self.base_url = parse_base_url(url)
        self._secret = secret
        self._user_agent = (
            f"{user_agent} {LIBRARY_USER_AGENT}" if user_agent else LIBRARY_USER_AGENT
        )
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)

    async def get_response(
        self,
        path: str,
        params: Mapping[str, str],
        *,
        headers: Mapping[str, str] | None = None,
        label: str,
    ) -> Mapping[str, Any]:
        """GET ``path`` and return the JSON ``response`` object.

        ``label`` names the call in logs and messages (never the key).
        """
        url = self.base_url.with_path(
            f"{self.base_url.path.rstrip('/')}/{path.lstrip('/')}"
        )
        request_headers = {
            "User-Agent": self._user_agent,
            "Accept": "application/json",
            **(headers or {}),
        }
        try:
            async with self._session.get(
                url.with_query(dict(params)),
                headers=request_headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                _LOGGER.debug(
                    "GET %s (%s) -> HTTP %s", url.path, label, response.status
                )
                self._raise_for_status(response, label)
                body = await self._read_body(response, label)
                status, content_type = response.status, response.content_type
        except TrackerError:
            raise
        except TimeoutError:
            _LOGGER.debug("GET %s (%s) timed out", url.path, label)
            raise TrackerConnectionError(
                f"{self.base_url.host} did not answer the {label} request within "
                f"{self._timeout.total:g} s"
            ) from None
        except aiohttp.ClientSSLError:
            raise TrackerConnectionError(
                f"TLS handshake with {self.base_url.host} failed"
            ) from None
        except aiohttp.ClientError as err:
            # aiohttp's own messages may quote the request URL, and the GGn
            # URL carries the key in its query: name the error class only.
            _LOGGER.debug("GET %s (%s) failed: %s", url.path, label, type(err).__name__)
            raise TrackerConnectionError(
                f"Cannot connect to {self.base_url.host} ({type(err).__name__})"
            ) from None
        return self._unwrap(body, content_type, status, label)

    def _raise_for_status(self, response: aiohttp.ClientResponse, label: str) -> None:
        status = response.status
        host = self.base_url.host
        if 300 <= status < 400:
            # Trackers redirect expired or missing sessions to login.php.
            raise TrackerResponseError(
                f"{host} redirected the {label} request (HTTP {status}), "
                "usually to its login page"
            )
        if status in (401, 403):
            raise TrackerAuthError(f"{host} rejected the API key (HTTP {status})")
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise TrackerRateLimitError(
                f"{host} is rate limiting requests (HTTP 429)", retry_after
            )
        if status >= 500:
            raise TrackerConnectionError(f"{host} had a server error (HTTP {status})")

    async def _read_body(self, response: aiohttp.ClientResponse, label: str) -> bytes:
        body = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            body.extend(chunk)
            if len(body) > MAX_BODY_BYTES:
                raise TrackerResponseError(
                    f"The {label} answer of {self.base_url.host} is too large"
                )
        return bytes(body)

    def _unwrap(
        self, body: bytes, content_type: str, status: int, label: str
    ) -> Mapping[str, Any]:
        host = self.base_url.host
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            if status >= 400:
                raise TrackerResponseError(
                    f"{host} answered HTTP {status} to the {label} request "
                    "(check the URL and API path)"
                ) from None
            if content_type == "text/html" or body.lstrip()[:1] == b"<":
                raise TrackerResponseError(
                    f"{host} sent an HTML page instead of JSON for the {label} "
                    "request (usually a login or maintenance page)"
                ) from None
            raise TrackerResponseError(
                f"{host} sent an answer to the {label} request that is not valid JSON"
            ) from None
        if not isinstance(payload, Mapping):
            raise TrackerResponseError(
                f"{host} sent an unexpected JSON shape for the {label} request"
            )
        if payload.get("status") == "failure":
            raise self._failure(payload.get("error"), label)
        response = payload.get("response")
        if (
            status >= 400
            or payload.get("status") != "success"
            or not isinstance(response, Mapping)
        ):
            raise TrackerResponseError(
                f"{host} sent an unexpected JSON shape for the {label} request"
            )
        return response

    def _failure(self, error: Any, label: str) -> TrackerError:
        host = self.base_url.host
        text = error if isinstance(error, str) else ""
        if _RATE_LIMIT_TEXT.search(text):
            return TrackerRateLimitError(f"{host} is rate limiting requests")
        if _AUTH_TEXT.search(text):
            return TrackerAuthError(f"{host} rejected the API key")
        return TrackerResponseError(
            f"{host} refused the {label} request: {self._safe_text(text) or 'no reason given'}"
        )

    def _safe_text(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, "**REDACTED**")
        return " ".join(text.split())[:_MAX_ERROR_TEXT]
