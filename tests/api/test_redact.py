"""Tracker error texts lose every secret before reaching a log or a message."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

import pytest

from custom_components.tracker_stats.api._redact import (
    PLACEHOLDER,
    redact,
    redact_field,
)

API_KEY = "Ab3dE5gH/9kL+mN0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Request from 203.0.113.77 denied", f"Request from {PLACEHOLDER} denied"),
        ("seen at 203.0.113.77:51413", f"seen at {PLACEHOLDER}"),
        ("range 198.51.100.0/24 banned", f"range {PLACEHOLDER} banned"),
        ("ip203.0.113.7 glued", f"ip{PLACEHOLDER} glued"),
        ("client ::ffff:203.0.113.7", f"client {PLACEHOLDER}:{PLACEHOLDER}"),
        ("from 2001:db8::1 denied", f"from {PLACEHOLDER} denied"),
        ("from 2001:db8:0:0:0:0:0:1.", f"from {PLACEHOLDER}."),
        ("mail alice.b+x@example.com now", f"mail {PLACEHOLDER} now"),
        ("bad passkey=hunter2", f"bad passkey={PLACEHOLDER}"),
        ("authkey: 'hunter2'", f"authkey: '{PLACEHOLDER}'"),
        ('{"api_key": "zz"}', f'{{"api_key": "{PLACEHOLDER}"}}'),
        ("torrent_pass=x&y=1", f"torrent_pass={PLACEHOLDER}&y=1"),
        ("mam_id=abc; uid=1", f"mam_id={PLACEHOLDER}; uid=1"),
        ("irc key: abc", f"irc key: {PLACEHOLDER}"),
        ("PHPSESSID=abc", f"PHPSESSID={PLACEHOLDER}"),
        ("Authorization: token abc", f"Authorization: token {PLACEHOLDER}"),
        (
            "GET https://t.example/ajax.php?action=index&key=1 failed",
            f"GET https://t.example/ajax.php?{PLACEHOLDER} failed",
        ),
        (
            "announce https://t.example/0123456789abcdef0123456789ABCDEF/announce",
            f"announce https://t.example/{PLACEHOLDER}/announce",
        ),
        ("token Zq8xW3vB7nM2kL9pR4tY", f"token {PLACEHOLDER}"),
        ("Your session has expired", "Your session has expired"),
        ("retry at 12:30:00 (HTTP/1.1)", "retry at 12:30:00 (HTTP/1.1)"),
        ("Rate limit exceeded", "Rate limit exceeded"),
        ("  two\n\tlines\x1b[0m  ", "two lines [0m"),
        ("", ""),
    ],
)
def test_personal_data_is_removed(text: str, expected: str) -> None:
    """IPs, e-mails, key=value secrets, tokens and query strings go; prose stays."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "form",
    [
        API_KEY,
        API_KEY.upper(),
        API_KEY.lower(),
        quote(API_KEY),
        quote(API_KEY, safe=""),
        quote_plus(API_KEY),
        quote(API_KEY, safe="").lower(),
        quote(quote(API_KEY, safe=""), safe=""),
    ],
)
def test_the_api_key_goes_in_any_spelling(form: str) -> None:
    """Echoed in another case, URL-encoded, or inside another word."""
    redacted = redact(f"Invalid key x{form}y given", [API_KEY])
    assert "Ab3dE5gH".lower() not in redacted.lower()
    assert "9kL".lower() not in redacted.lower()
    assert redacted.startswith("Invalid key ")


def test_a_short_secret_in_plain_words() -> None:
    """Even a key that looks like a word is removed when it is known."""
    assert redact("user Hunter2 banned", ["hunter2", "", None]) == (
        f"user {PLACEHOLDER} banned"
    )


def test_output_is_capped_at_a_word() -> None:
    """Long texts are cut at a blank, marked with an ellipsis."""
    redacted = redact("word " * 100)
    assert len(redacted) <= 120
    assert redacted.endswith("word…")


def test_a_secret_across_the_input_cut_still_goes() -> None:
    """Only the first 2000 characters are read, but never half a secret."""
    text = "a" * 1990 + " " + API_KEY + " tail"
    assert "Ab3dE" not in redact(text.replace("a" * 1990, "a " * 995), [API_KEY])
    half_token = " " * 1990 + "0123456789abcdef0123456789abcdef"
    assert "0123" not in redact(half_token)


def test_non_text_is_empty() -> None:
    """A tracker's error that is not a string gives no text at all."""
    assert redact({"error": "203.0.113.7"}) == ""
    assert redact(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Power User", "Power User"),
        ("User2024abcdefghij", "User2024abcdefghij"),  # names may mix; kept
        ("from 203.0.113.77", "from [redacted]"),
        ("mail me@example.org", "mail [redacted]"),
        ("passkey=abc123", "passkey=[redacted]"),
        ("my key THE-KEY", "my key [redacted]"),
    ],
)
def test_redact_field_keeps_names_drops_secrets(text: str, expected: str) -> None:
    """A username or class keeps its shape; echoed secrets go."""
    assert redact_field(text, ["the-key"]) == expected
