"""UNIT3D (Aither, Blutopia, …): ``GET /api/user`` with a Bearer API token.

Two answer shapes: v8.3.4 – 2025 prints byte counts as "500.25 GiB", the
ratio as a string and seeding/leeching as torrent lists (``aither``); newer
sites send numbers (``blutopia``). A banned user gets HTTP 200 with only a
``message`` (``u3d-banned``).
"""

from __future__ import annotations

from decimal import Decimal
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from demo_tracker.responses import json_answer, redirect_to

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

# The site's minimum ratio, from which UNIT3D's "buffer" (download headroom) comes.
SITE_MIN_RATIO = 0.4
UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
_UNIT_STRING = re.compile(r"(-?\d+(?:\.\d+)?) (B|[KMGTP]iB)")

UNIT3D_WRONG_TYPES: dict[str, Any] = {
    "uploaded": "lots",
    "downloaded": None,
    "ratio": {},
    "group": 7,
    "seeding": "x",
    "seedbonus": [],
    "hit_and_runs": "many",
}


def format_bytes(count: float) -> str:
    """Print bytes as UNIT3D's PHP does: two decimals at most, no trailing zeros."""
    size, unit = abs(count), 0
    while size >= 1024 and unit < len(UNITS) - 1:
        size /= 1024
        unit += 1
    number = f"{size:.2f}".rstrip("0").rstrip(".")
    return f"{'-' if count < 0 else ''}{number} {UNITS[unit]}"


def parse_bytes(text: str) -> int:
    """Return the bytes a "500.25 GiB" string stands for (seeding the exact counts)."""
    match = _UNIT_STRING.fullmatch(text)
    if match is None:
        raise ValueError(f"not a UNIT3D byte string: {text!r}")
    number, unit = match.groups()
    return int(Decimal(number) * 1024 ** UNITS.index(unit))


def keep_exact_counts(documents: dict[str, dict[str, Any]]) -> None:
    """Keep exact byte counts beside an answer that prints them rounded.

    The site stores bytes and only prints them rounded; the demo does the
    same, so a growing account never freezes at the rounding step.
    """
    user = documents["user"]
    documents["transfer"] = {
        "uploaded": parse_bytes(user["uploaded"]),
        "downloaded": parse_bytes(user["downloaded"]),
    }


def rename_banned(documents: dict[str, dict[str, Any]]) -> None:
    """Give the banned account its own name."""
    documents["user"]["username"] = "DemoBanned"


class Unit3d(Platform):
    """Token as ``Authorization: Bearer`` (or ``?api_token=``); bare JSON answers."""

    name = "unit3d"
    routes = (Route("GET", "/api/user"),)
    actions = frozenset({"user"})
    auth_styles = ("bearer", "query")
    summary_document = "user"
    stats_fields = frozenset({"uploaded", "downloaded", "ratio", "buffer"})
    wrong_types = UNIT3D_WRONG_TYPES
    demo_accounts = (
        AccountSpec("blutopia", 2, "blutopia", documents={"user": "user"}),
        AccountSpec(
            "aither",
            1,
            "aither",
            documents={"user": "user_v834"},
            customize=keep_exact_counts,
        ),
        AccountSpec(
            "u3d-banned",
            3,
            "unit3d",
            documents={"user": "user", "banned": "banned"},
            customize=rename_banned,
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the Bearer token (or ``api_token``) and whether JSON is wanted."""
        header = request.headers.get("Authorization", "")
        credential = None
        if header.startswith("Bearer "):
            credential = Credential("bearer", header.removeprefix("Bearer "))
        elif token := request.query.get("api_token"):
            credential = Credential("query", token)
        wants_json = "application/json" in request.headers.get("Accept", "")
        return Incoming("user", credential, details={"wants_json": wants_json})

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Laravel: 401 JSON for API callers, the login page for the rest."""
        if not incoming.details.get("wants_json"):
            return redirect_to("/login")
        return self.failure("Unauthenticated.", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the token owner's statistics, or the banned user's message."""
        account = call.account
        if banned := account.documents.get("banned"):
            return json_answer(banned)
        return lambda: account.documents["user"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """UNIT3D sends the resource bare, without an envelope."""
        return payload

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Laravel's error body: ``{"message": ...}``."""
        return json_answer({"message": error}, status, **headers)

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read the exact counts (old shape) or the answer's integers."""
        counts = account.documents.get("transfer") or account.documents["user"]
        return int(counts["uploaded"]), int(counts["downloaded"])

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update the counts, the ratio and UNIT3D's headroom "buffer"."""
        user = account.documents["user"]
        headroom = uploaded / SITE_MIN_RATIO - downloaded
        transfer = account.documents.get("transfer")
        if transfer is None:
            user.update(uploaded=uploaded, downloaded=downloaded, buffer=headroom)
            if downloaded:
                user["ratio"] = self.ratio_field(uploaded, downloaded)
            return
        transfer.update(uploaded=uploaded, downloaded=downloaded)
        user.update(
            uploaded=format_bytes(uploaded),
            downloaded=format_bytes(downloaded),
            buffer=format_bytes(headroom),
            ratio=f"{uploaded / downloaded:.2f}" if downloaded else "∞",
        )


PLATFORM = Unit3d()
