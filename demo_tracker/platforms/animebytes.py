"""AnimeBytes: ``GET /api/stats/personal`` with the key in ``Authorization``.

Whether AnimeBytes wants ``Bearer KEY`` or the raw key is not known, so one
demo account takes only the first and the other only the second: a client
must find the form that works.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from aiohttp import web

from demo_tracker.responses import json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

MINUTES_PER_HOUR = 60
# 2027-01-01 00:00 UTC: the raw-key account has personal freeleech until then.
FREELEECH_ENDS = 1798761600

ANIMEBYTES_WRONG_TYPES: dict[str, Any] = {
    "account": "lots",
    "seeding": "x",
    "current": {},
    "class": 7,
    "active": "many",
    "seed_size": -5,
}


def make_raw_account(documents: dict[str, dict[str, Any]]) -> None:
    """Another member: higher class, personal freeleech, fewer torrents."""
    personal = documents["personal"]
    personal.update(**{"class": "Torrent Master", "freeleech": FREELEECH_ENDS})
    personal["tracker"].update(seeding=97, leeching=0, snatched=310)
    personal["hnrs"].update(active=1, potential=0)


class AnimeBytes(Platform):
    """Key as ``Bearer KEY`` or raw, per account; ``{"success": false}`` errors."""

    name = "animebytes"
    routes = (Route("GET", "/api/stats/personal"),)
    actions = frozenset({"personal"})
    auth_styles = ("bearer", "raw")
    summary_document = "personal"
    ratio_key = None  # clients compute it
    stats_fields = frozenset({"upload", "download", "tracker"})
    wrong_types = ANIMEBYTES_WRONG_TYPES
    demo_accounts = (
        AccountSpec("ab", 1, "animebytes", documents={"personal": "personal"}),
        AccountSpec(
            "ab-raw",
            2,
            "animebytes",
            auth_style="raw",
            documents={"personal": "personal"},
            customize=make_raw_account,
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the Authorization header, ``Bearer KEY`` or raw."""
        header = request.headers.get("Authorization")
        credential = None
        if header:
            credential = (
                Credential("bearer", header.removeprefix("Bearer "))
                if header.startswith("Bearer ")
                else Credential("raw", header)
            )
        return Incoming("personal", credential)

    def accepts(self, account: Account, credential: Credential) -> bool:
        """Accept the key only in the form the account takes."""
        return (
            account.key == credential.secret and account.auth_style == credential.style
        )

    def username(self, account: Account) -> str:
        """Return the account's name: the answer holds no user name."""
        return account.name

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing, unknown or wrongly sent key."""
        return self.failure("The request requires valid user authentication.", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the key owner's statistics."""
        account = call.account
        return lambda: account.documents["personal"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Send the statistics bare, without an envelope."""
        return payload

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """AnimeBytes' error body."""
        return json_answer({"success": False, "error": error}, status, **headers)

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read the ratio-counting ("account") bytes."""
        personal = account.documents["personal"]
        return int(personal["upload"]["account"]), int(personal["download"]["account"])

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Move the "account" counts, and the raw ones by as much."""
        personal = account.documents["personal"]
        for block, count in (("upload", uploaded), ("download", downloaded)):
            counts = personal[block]
            counts["raw"] = max(counts["raw"] + count - counts["account"], 0)
            counts["account"] = count

    def accrue(self, account: Account, minutes_before: int, minutes_after: int) -> None:
        """Add yen at the hourly rate, in whole yen."""
        yen = account.documents["personal"]["yen"]
        hourly = float(yen["per_hour"])
        earned = math.floor(minutes_after * hourly / MINUTES_PER_HOUR) - math.floor(
            minutes_before * hourly / MINUTES_PER_HOUR
        )
        yen["current"] += earned


PLATFORM = AnimeBytes()
