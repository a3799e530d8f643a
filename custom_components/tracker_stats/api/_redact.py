"""Make text a tracker sent safe for a log line or an exception message.

Trackers echo whatever they like in their error texts: the client's IP, the
passkey from an announce URL, the user's e-mail, the API key we sent (in
another case, or URL-encoded). Such text ends up in logs and in issues users
paste publicly, so it passes through ``redact`` first.

Every pattern here matches in linear time (no nested or overlapping
quantifiers) and the input is cut first, so any text is handled quickly.
"""

from __future__ import annotations

from collections.abc import Iterable
import functools
import html
import re
from urllib.parse import quote, quote_plus

PLACEHOLDER = "[redacted]"
MAX_INPUT_LENGTH = 2000
"""Only this much of a tracker's text is looked at."""
MAX_OUTPUT_LENGTH = 120
"""Log lines and messages get at most this much of it."""
MAX_FIELD_LENGTH = 255
"""A name becomes a state, and Home Assistant refuses longer states."""

_FLAGS = re.IGNORECASE | re.ASCII

# Longest first, so ``authkey=…`` is not left as ``auth[redacted]``.
_SENSITIVE_PARAMETERS = (
    r"authorization|torrent_?pass|session_?id|phpsessid|api[_-]?key|"
    r"access_?token|auth_?token|irc[ _-]?key|passkey|authkey|password|"
    r"session|secret|cookie|mam_id|token|passwd|pass|pwd|key"
)
# ``passkey=abc``, ``"api_key": "abc"``, ``irc key: abc``, header echoes
# (``Authorization: token abc``) and prefixed forms (``user_passkey=``,
# ``mypasskey=``). Only bounded optional parts, so this stays linear.
_KEY_VALUE = re.compile(
    rf"\b(?P<key>(?:[a-z0-9]{{1,24}}[_-]?)?(?:{_SENSITIVE_PARAMETERS})s?)\b"
    r"(?P<glue>[\"']?\s{0,3}[:=]\s{0,3}(?:(?:token|bearer|basic)\s{1,3})?[\"']?)"
    r"[^\s\"'&;,<>]+",
    _FLAGS,
)
# A query string: everything from "?" up to the next blank.
_QUERY = re.compile(r"\?[^\s?#]*=[^\s#]*")
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_HEX_GROUP = r"[0-9a-f]{1,4}"
# Runs after the IPv4 pass, which already took the tail of ``::ffff:1.2.3.4``.
# Full form, or compressed with at least one group ("std::x" may suffer).
_IPV6 = re.compile(
    rf"(?:{_HEX_GROUP}:){{7}}{_HEX_GROUP}"
    rf"|{_HEX_GROUP}(?::{_HEX_GROUP}){{0,6}}::(?:{_HEX_GROUP}(?::{_HEX_GROUP}){{0,6}})?"
    rf"|::{_HEX_GROUP}(?::{_HEX_GROUP}){{0,6}}",
    _FLAGS,
)
# No boundary checks on purpose: "ip203.0.113.7" must go too.
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?:/\d{1,2})?")
_HEX_TOKEN = re.compile(r"[0-9a-f]{32,}", _FLAGS)
# Candidates for random keys; kept unless they mix letters and digits.
_WORD_RUN = re.compile(r"[a-z0-9_+/=%-]{16,}", _FLAGS)
_LETTER = re.compile(r"[a-z]", _FLAGS)
_DIGIT = re.compile(r"[0-9]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BLANKS = re.compile(r"\s+")


def _secret_forms(secrets: Iterable[object]) -> list[str]:
    forms: set[str] = set()
    for secret in secrets:
        if not isinstance(secret, str) or not secret.strip():
            continue
        for form in (secret, secret.strip()):
            forms.update(
                (
                    form,
                    quote(form),
                    quote(form, safe=""),
                    quote_plus(form),
                    quote(quote(form, safe=""), safe=""),
                    html.escape(form),
                )
            )
    return sorted(forms, key=len, reverse=True)


def _strings(secrets: Iterable[object]) -> tuple[str, ...]:
    # Only text can be a secret; a tuple of it can key the cache below.
    return tuple(secret for secret in secrets if isinstance(secret, str))


@functools.lru_cache(maxsize=256)
def _secret_pattern(secrets: tuple[str, ...]) -> tuple[int, re.Pattern[str] | None]:
    """Return the longest secret form and one pattern for all forms.

    Built once per set of secrets: a client redacts with the same key on
    every poll, and quoting and compiling it each time would be wasted work.
    """
    forms = _secret_forms(secrets)
    if not forms:
        return 0, None
    return len(forms[0]), re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)


def _random_looking(match: re.Match[str]) -> str:
    run = match[0]
    if _LETTER.search(run) and _DIGIT.search(run):
        return PLACEHOLDER
    return run


def _cut(text: str, limit: int) -> str:
    """Cut at a blank so no half placeholder or half word is left."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return f"{head}…"


def redact(text: object, secrets: Iterable[object] = ()) -> str:
    """Return ``text`` without secrets or personal data, short and on one line.

    Removes every given secret (any case, URL- or HTML-encoded, inside other
    words), IPv4/IPv6 addresses, e-mail addresses, ``key=value`` secrets,
    query strings, long hex tokens and long letter-and-digit runs. Anything
    that is not a string gives ``""``.
    """
    if not isinstance(text, str):
        return ""
    longest, pattern = _secret_pattern(_strings(secrets))
    # Look a secret's length past the cut, so a secret spanning it still goes.
    window = text[: MAX_INPUT_LENGTH + longest]
    window = _CONTROL.sub(" ", window)
    if pattern is not None:
        window = pattern.sub(PLACEHOLDER, window)
    if len(text) > MAX_INPUT_LENGTH:
        # Drop the word cut in half: it may be the start of a token.
        window = window[:MAX_INPUT_LENGTH].rsplit(" ", 1)[0]
    window = _QUERY.sub(f"?{PLACEHOLDER}", window)
    window = _KEY_VALUE.sub(rf"\g<key>\g<glue>{PLACEHOLDER}", window)
    window = _EMAIL.sub(PLACEHOLDER, window)
    window = _IPV4.sub(PLACEHOLDER, window)
    window = _IPV6.sub(PLACEHOLDER, window)
    window = _HEX_TOKEN.sub(PLACEHOLDER, window)
    window = _WORD_RUN.sub(_random_looking, window)
    return _cut(_BLANKS.sub(" ", window).strip(), MAX_OUTPUT_LENGTH)


def redact_field(
    text: str, secrets: Iterable[object] = (), max_length: int = MAX_FIELD_LENGTH
) -> str:
    """Return a short text value (a username, a class) without secrets.

    Milder than ``redact``: a name may mix letters and digits, so only the
    given secrets, ``key=value`` secrets, e-mail and IP addresses go. The cut
    to ``max_length`` comes last: cut first, a key straddling the cut would
    no longer match and its first part would stay.
    """
    text = text[:MAX_INPUT_LENGTH]
    _longest, pattern = _secret_pattern(_strings(secrets))
    if pattern is not None:
        text = pattern.sub(PLACEHOLDER, text)
    text = _KEY_VALUE.sub(rf"\g<key>\g<glue>{PLACEHOLDER}", text)
    text = _EMAIL.sub(PLACEHOLDER, text)
    text = _IPV4.sub(PLACEHOLDER, text)
    return _IPV6.sub(PLACEHOLDER, text)[:max_length].rstrip()
