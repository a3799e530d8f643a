"""The HTTP round trip shared by every tracker client, and its judgement.

``TrackerHttp.send`` sends one request and returns the answer as it came
(status, the headers that matter, the body read within its cap); only a
request that got no answer at all raises. What the answer means (a rate
limit, a rejected key, a login page, JSON) is decided by ``judge`` and
``decode``, which the client runs after its platform saw the answer.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import aiohttp
from yarl import URL

from ._answer import Answer, Call, decode_json, parse_retry_after
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

    async def send(self, call: Call) -> Answer:
        """Send ``call``; return the answer, or raise if none came.

        Every error is raised outside the ``except`` block that caught its
        cause: aiohttp's errors hold the request URL and headers (keys), and
        ``from None`` only hides them from a printed traceback, it keeps them
        as ``__context__``.
        """
        url = self.base_url.with_path(
            f"{self.base_url.path.rstrip('/')}/{call.path.lstrip('/')}"
        )
        headers = {
            "User-Agent": self._user_agent,
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            **call.headers,
        }
        label, method = call.label, call.method
        failure: TrackerError | None = None
        answer: Answer | None = None
        try:
            async with self._session.request(
                method,
                url.with_query(dict(call.params)),
                headers=headers,
                cookies=dict(call.cookies) if call.cookies else None,
                json=call.json_body,
                timeout=self._timeout,
                allow_redirects=False,
                # Inflated by read_capped_body, within the size cap.
                auto_decompress=False,
            ) as response:
                _LOGGER.debug(
                    "%s %s (%s) -> HTTP %s", method, url.path, label, response.status
                )
                answer = Answer(
                    status=response.status,
                    path=url.path,
                    content_type=response.content_type,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    set_cookies=tuple(response.headers.getall("Set-Cookie", ())),
                    body=b"",
                )
                body, failure = await self._read_body(response, label)
                answer = dataclasses.replace(answer, body=body, failure=failure)
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
        if answer is None:
            assert failure is not None  # noqa: S101 - no answer means a failure
            raise failure
        if failure is not None:
            # The head came, then the body was cut off: the answer's cookies
            # and status still count, its body does not.
            answer = dataclasses.replace(answer, failure=failure)
        return answer

    async def _read_body(
        self, response: aiohttp.ClientResponse, label: str
    ) -> tuple[bytes, TrackerError | None]:
        """Return the body, or why it cannot be had; a cut-off body is no JSON."""
        problem = ""
        try:
            return await read_capped_body(response, MAX_BODY_BYTES), None
        except BodyError as err:
            problem = str(err)
        return b"", TrackerResponseError(f"The {label} answer of {self.host} {problem}")

    def judge(
        self,
        answer: Answer,
        label: str,
        *,
        rate_limit_statuses: frozenset[int],
    ) -> None:
        """Raise what an answer's status (or a plain-text notice) says, if anything.

        An error status whose body may still explain itself (a 400 with a
        JSON error text) is left to the platform's envelope.
        """
        status = answer.status
        if answer.failure is None and _says_slow_down(answer):
            # A plain-text "Call Limit Exceeded" (BTN), on 200 or an error
            # status alike: asking again later is right, a new key is not.
            raise TrackerRateLimitError(
                f"{self.host} is rate limiting requests", answer.retry_after
            )
        if 300 <= status < 400:
            # Trackers redirect expired or missing sessions to login.php.
            raise TrackerResponseError(
                f"{self.host} redirected the {label} request (HTTP {status}), "
                "usually to its login page"
            )
        if status in rate_limit_statuses:
            raise TrackerRateLimitError(
                f"{self.host} is rate limiting requests (HTTP {status})",
                answer.retry_after,
            )
        if status in (401, 403):
            raise TrackerAuthError(f"{self.host} rejected the key (HTTP {status})")
        if status >= 500:
            raise TrackerConnectionError(
                f"{self.host} had a server error (HTTP {status})"
            )
        if answer.failure is not None:
            raise answer.failure

    def decode(
        self, answer: Answer, label: str, *, html_error: type[TrackerError]
    ) -> Any:
        """Return the answer's JSON; raise what a body that is none stands for."""
        try:
            return decode_json(answer.body)
        except ValueError:
            pass
        if answer.status >= 400:
            raise TrackerResponseError(
                f"{self.host} answered HTTP {answer.status} to the {label} request "
                "(check the URL)"
            )
        if answer.content_type == "text/html" or answer.body.lstrip()[:1] == b"<":
            raise html_error(
                f"{self.host} sent an HTML page instead of JSON for the {label} "
                "request (usually a login or maintenance page)"
            )
        raise TrackerResponseError(
            f"{self.host} sent an answer to the {label} request that is not valid JSON"
        )


def _says_slow_down(answer: Answer) -> bool:
    """Return whether a body is a short plain-text rate-limit notice."""
    body = answer.body
    if answer.content_type == "text/html" or len(body) > _MAX_NOTICE_BYTES:
        return False
    text = body.decode("utf-8", "replace").strip()
    return text[:1] not in ("{", "[", "<") and bool(RATE_LIMIT_TEXT.search(text))
