"""Reading ``Set-Cookie`` headers the way a browser's cookie store would.

Only what decides whether a cookie is live and meant for us (RFC 6265,
section 5.2 and 5.1.3/5.1.4): its value, ``Expires``, ``Max-Age``, ``Domain``
and ``Path``. A session cookie that a tracker deletes (``Max-Age=0``, an
``Expires`` in the past, an empty value) or that names another host must
never replace the one in use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
import ipaddress
import re

# A header longer than this is no cookie any tracker sets.
_MAX_HEADER_LENGTH = 8192
# "Sun, 06-Dec-2026 21:00:00 GMT": the Netscape form many servers still send.
_DASHED_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{2,4})")
_MAX_AGE = re.compile(r"-?[0-9]{1,18}")
# Values that mean "no session": what servers write when they delete one.
_DELETED_VALUES = frozenset({"", "deleted", "null", "none", "invalid"})


@dataclass(frozen=True, slots=True)
class SetCookie:
    """One ``Set-Cookie`` header: its value and whether it can stand."""

    name: str
    value: str
    live: bool
    domain: str | None
    path: str | None


def _expiry_live(max_age: str | None, expires: str | None) -> bool:
    # Max-Age wins over Expires (RFC 6265, 5.3 step 3).
    if max_age is not None:
        if _MAX_AGE.fullmatch(max_age):
            return int(max_age) > 0
        # An unreadable Max-Age is ignored, as if it were not there.
    if expires is not None:
        text = _DASHED_DATE.sub(r"\1 \2 \3", expires)
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return True  # An unreadable Expires is ignored too.
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment > datetime.now(UTC)
    return True


def parse_set_cookie(header: str) -> SetCookie | None:
    """Return the cookie one ``Set-Cookie`` header sets, or None if it sets none."""
    if len(header) > _MAX_HEADER_LENGTH:
        return None
    pair, *attributes = header.split(";")
    if "=" not in pair:
        return None
    name, value = (part.strip() for part in pair.split("=", 1))
    if not name:
        return None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    found: dict[str, str] = {}
    for attribute in attributes:
        key, _, attribute_value = attribute.partition("=")
        # The last one of each name counts (RFC 6265, 5.3 step 3 and 4).
        found[key.strip().lower()] = attribute_value.strip()
    domain = found.get("domain")
    path = found.get("path")
    return SetCookie(
        name=name,
        value=value,
        live=value.lower() not in _DELETED_VALUES
        and _expiry_live(found.get("max-age"), found.get("expires")),
        domain=domain.lstrip(".").lower() if domain else None,
        path=path if path and path.startswith("/") else None,
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def domain_matches(host: str, domain: str | None) -> bool:
    """Return whether a cookie for ``domain`` is one ``host`` may set (5.1.3)."""
    host = host.lower().rstrip(".")
    if domain is None or host == domain:
        return True
    return not _is_ip(host) and host.endswith(f".{domain}")


def path_matches(request_path: str, cookie_path: str | None) -> bool:
    """Return whether a cookie for ``cookie_path`` is sent with ``request_path`` (5.1.4)."""
    if cookie_path is None or request_path == cookie_path:
        # Without Path the cookie's path is the request's directory: it matches.
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


def session_cookie(
    headers: Iterable[str], name: str, host: str, request_path: str
) -> str | None:
    """Return the new value of cookie ``name`` these headers leave live, if any.

    Headers for another host or path are ignored, as a browser would; of the
    rest the last one decides, and one that deletes the cookie gives None.
    """
    latest: SetCookie | None = None
    for header in headers:
        cookie = parse_set_cookie(header)
        if (
            cookie is not None
            and cookie.name == name
            and domain_matches(host, cookie.domain)
            and path_matches(request_path, cookie.path)
        ):
            latest = cookie
    return latest.value if latest is not None and latest.live else None
