"""The HTTP round trip shared by every tracker client.

Everything that can go wrong on the wire is turned into one of the library's
exceptions here, so the platform modules only map well-formed JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
import json
import logging
import math
from typing import Any

import aiohttp
from yarl import URL

from ._body import ACCEPT_ENCODING, BodyError, read_capped_body
from ._redact import redact, redact_field
from ._texts import RATE_LIMIT_TEXT
from .const import DEFAULT_TIMEOUT_SECONDS, LIBRARY_USER_AGENT, MAX_BODY_BYTES
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)

_LOGGER = logging.getLogger(__name__)

# A plain-text notice is a line or two; anything longer is some other page.
_MAX_NOTICE_BYTES = 512
# A Retry-After beyond this is not a real request to wait; it is clamped here.
MAX_RETRY_AFTER_SECONDS = 7 * 24 * 3600.0


def parse_base_url(url: str) -> URL:
    """Return the tracker's base URL without credentials, query, fragment or trailing slash.

    Raises ``ValueError`` for anything that is not an absolute http(s) URL.
    """
    parsed = URL(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("Tracker URL must be an absolute http(s) URL")
    if parsed.user is not None or parsed.password is not None:
        raise ValueError("Tracker URL must not hold a user name or password")
    return (
        parsed.with_query(None).with_fragment(None).with_path(parsed.path.rstrip("/"))
    )


def parse_retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for, if readable."""
    if value is None:
        return None
    text = value.strip()[:64]
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            return None
        return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
    try:
        moment = parsedate_to_datetime(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - datetime.now(UTC)).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """What a platform may need of an answer before its status is judged."""

    status: int
    path: str
    set_cookies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JsonAnswer:
    """A tracker's decoded JSON answer and what else a platform may need of it."""

    status: int
    payload: Any
    cookies: Mapping[str, str] = field(default_factory=dict)


def _json_number(text: str) -> Decimal | None:
    """Return a JSON fraction exactly; one no Decimal can hold is unknown."""
    try:
        # Decimal keeps a byte count written as 5.0e17 exact past 2**53.
        return Decimal(text)
    except ArithmeticError:
        # 1e99999999999999999999: past any context's exponent limit.
        return None


def decode_json(body: bytes) -> Any:
    """Return the decoded body; ``ValueError`` if it is no JSON we can hold."""
    try:
        return json.loads(body, parse_float=_json_number)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class TrackerHttp:
    """Sends requests to one tracker and decodes the JSON answers."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        *,
        secret: str,
        user_agent: str | None = None,
        request_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Remember where and how to ask; secrets are kept out of messages."""
        self._session = session
        self.base_url = parse_base_url(url)
        self._secrets: list[str] = [secret]
        self._user_agent = (
            f"{user_agent} {LIBRARY_USER_AGENT}" if user_agent else LIBRARY_USER_AGENT
        )
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)

    @property
    def host(self) -> str:
        """Return the tracker's host name, which is safe to show."""
        return self.base_url.host or ""

    def add_secret(self, secret: str) -> None:
        """Keep one more value (a rotated cookie) out of every message."""
        if secret and secret not in self._secrets:
            self._secrets.append(secret)

    def safe_text(self, text: str) -> str:
        """Return tracker-sent text fit for a log line or an exception message."""
        return redact(text, self._secrets)

    def safe_field(self, text: str) -> str:
        """Return a tracker-sent name fit for a state (no key, IP or e-mail)."""
        return redact_field(text, self._secrets)

    async def request_json(
        self,
        path: str,
        *,
        label: str,
        method: str = "GET",
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        json_body: Any = None,
        rate_limit_statuses: frozenset[int] = frozenset({429}),
        html_error: type[TrackerError] = TrackerResponseError,
        on_head: Callable[[ResponseHead], None] | None = None,
    ) -> JsonAnswer:
        """Send one request and return its decoded JSON.

        ``label`` names the call in logs and messages (never a secret).
        ``rate_limit_statuses`` lets a platform whose 503 means "slow down"
        say so; ``html_error`` is raised when an HTML page comes instead of
        JSON (for cookie logins that is an expired session, not a bad URL).
        ``on_head`` sees every answer's status and cookies before anything is
        judged, so a rotated session survives an error status or a body that
        then fails.

        Every error is raised outside the ``except`` block that caught its
        cause: aiohttp's errors hold the request URL and headers (keys), and
        ``from None`` only hides them from a printed traceback, it keeps them
        as ``__context__``.
        """
        url = self.base_url.with_path(
            f"{self.base_url.path.rstrip('/')}/{path.lstrip('/')}"
        )
        request_headers = {
            "User-Agent": self._user_agent,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            **(headers or {}),
        }
        failure: TrackerError | None = None
        head: ResponseHead | None = None
        body = b""
        content_type = ""
        retry_after: float | None = None
        try:
            async with self._session.request(
                method,
                url.with_query(dict(params or {})),
                headers=request_headers,
                cookies=dict(cookies) if cookies else None,
                json=json_body,
                timeout=self._timeout,
                allow_redirects=False,
                # Inflated by read_capped_body, within the size cap.
                auto_decompress=False,
            ) as response:
                _LOGGER.debug(
                    "%s %s (%s) -> HTTP %s", method, url.path, label, response.status
                )
                head = ResponseHead(
                    status=response.status,
                    path=url.path,
                    set_cookies=tuple(response.headers.getall("Set-Cookie", ())),
                )
                content_type = response.content_type
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                body = await self._read_body(response, label)
        except TrackerError as err:
            failure = err
        except TimeoutError:
            _LOGGER.debug("%s %s (%s) timed out", method, url.path, label)
            failure = TrackerConnectionError(
                f"{self.host} did not answer the {label} request within "
                f"{self._timeout.total:g} s"
            )
        except aiohttp.ClientSSLError:
            failure = TrackerConnectionError(f"TLS handshake with {self.host} failed")
        except aiohttp.ClientError as err:
            # aiohttp's own messages may quote the request URL, and some URLs
            # carry the key in their query: name the error class only.
            _LOGGER.debug(
                "%s %s (%s) failed: %s", method, url.path, label, type(err).__name__
            )
            failure = TrackerConnectionError(
                f"Cannot connect to {self.host} ({type(err).__name__})"
            )
        except Exception:
            # At Home Assistant's stop the shared session closes under requests
            # in flight; aiohttp then fails with internal errors (AttributeError,
            # AssertionError, RuntimeError) that are no ClientError.
            if not self._session.closed:
                raise
            _LOGGER.debug("%s %s (%s): session closed", method, url.path, label)
            failure = TrackerConnectionError(
                f"The {label} request to {self.host} was cut off: "
                "the HTTP session closed"
            )
        if head is not None and on_head is not None:
            on_head(head)
        if head is not None and failure is None and _says_slow_down(body, content_type):
            # A plain-text "Call Limit Exceeded" (BTN), on 200 or an error
            # status alike: asking again later is right, a new key is not.
            raise TrackerRateLimitError(
                f"{self.host} is rate limiting requests", retry_after
            )
        if head is not None:
            self._raise_for_status(head.status, retry_after, label, rate_limit_statuses)
        if failure is not None:
            raise _detached(failure)
        assert head is not None  # noqa: S101 - no failure means an answer came
        payload = self._decode(body, content_type, head.status, label, html_error)
        return JsonAnswer(status=head.status, payload=payload)

    def _raise_for_status(
        self,
        status: int,
        retry_after: float | None,
        label: str,
        rate_limit_statuses: frozenset[int],
    ) -> None:
        if 300 <= status < 400:
            # Trackers redirect expired or missing sessions to login.php.
            raise TrackerResponseError(
                f"{self.host} redirected the {label} request (HTTP {status}), "
                "usually to its login page"
            )
        if status in rate_limit_statuses:
            raise TrackerRateLimitError(
                f"{self.host} is rate limiting requests (HTTP {status})", retry_after
            )
        if status in (401, 403):
            raise TrackerAuthError(f"{self.host} rejected the key (HTTP {status})")
        if status >= 500:
            raise TrackerConnectionError(
                f"{self.host} had a server error (HTTP {status})"
            )

    async def _read_body(self, response: aiohttp.ClientResponse, label: str) -> bytes:
        problem = ""
        try:
            return await read_capped_body(response, MAX_BODY_BYTES)
        except BodyError as err:
            problem = str(err)
        raise TrackerResponseError(f"The {label} answer of {self.host} {problem}")

    def _decode(
        self,
        body: bytes,
        content_type: str,
        status: int,
        label: str,
        html_error: type[TrackerError],
    ) -> Any:
        try:
            return decode_json(body)
        except ValueError:
            pass
        if status >= 400:
            raise TrackerResponseError(
                f"{self.host} answered HTTP {status} to the {label} request "
                "(check the URL)"
            )
        if content_type == "text/html" or body.lstrip()[:1] == b"<":
            raise html_error(
                f"{self.host} sent an HTML page instead of JSON for the {label} "
                "request (usually a login or maintenance page)"
            )
        raise TrackerResponseError(
            f"{self.host} sent an answer to the {label} request that is not valid JSON"
        )


def _says_slow_down(body: bytes, content_type: str) -> bool:
    """Return whether a body is a short plain-text rate-limit notice."""
    if content_type == "text/html" or len(body) > _MAX_NOTICE_BYTES:
        return False
    text = body.decode("utf-8", "replace").strip()
    return text[:1] not in ("{", "[", "<") and bool(RATE_LIMIT_TEXT.search(text))


def _detached[E: BaseException](error: E) -> E:
    """Return ``error`` cut from whatever it was raised from.

    Nothing an aiohttp error references (the URL with its query, the request
    headers) may stay reachable from what the library raises.
    """
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = False
    return error
