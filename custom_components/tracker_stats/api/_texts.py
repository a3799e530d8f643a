"""What a tracker's error text means: slow down, bad key, or down for now."""

from __future__ import annotations

import re

# Texts that mean "slow down". A login throttle is one too: asking again
# later is right, asking for a new key is not.
RATE_LIMIT_TEXT = re.compile(
    r"rate.?limit|too many (requests|login attempts|attempts)|slow down"
    r"|call limit",
    re.IGNORECASE,
)
# Texts that mean the site is down for a while, not that we asked too often.
UNAVAILABLE_TEXT = re.compile(
    r"maintenance|temporarily unavailable|try again later|down for",
    re.IGNORECASE,
)
# Texts that really reject the key. Narrow on purpose: a reauth makes the
# user act, and Orpheus bans after five failed attempts.
AUTH_TEXT = re.compile(
    r"\b(invalid|bad|wrong|unknown|expired|revoked|missing|no)\b[ _-]?"
    r"(api[ _-]?)?(key|token|credentials?|session|authkey)\b"
    r"|\b(api[ _-]?)?(key|token)\b[^.]{0,20}\b(invalid|revoked|expired|not valid)\b"
    r"|\bunauthori[sz]ed\b|\bnot logged in\b|\bunauthenticated\b"
    r"|\bauthentication (failed|required)\b|\bdisabled account\b"
    # AnimeBytes: "The request requires valid user authentication."
    r"|\brequires (valid )?(user )?authentication\b",
    re.IGNORECASE,
)
