"""Milkie: ``GET /api/v1/auth`` with the key in the ``x-milkie-auth`` header.

The answer is ``{"user": {...}}``; a missing or unknown key gets HTTP 401
with ``{"error": ...}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.responses import json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

KEY_HEADER = "x-milkie-auth"


class Milkie(Platform):
    """Key in ``x-milkie-auth``; the user object under ``user``."""

    name = "milkie"
    routes = (Route("GET", "/api/v1/auth"),)
    actions = frozenset({"auth"})
    auth_styles = ("header",)
    summary_document = "auth"
    profile_document = "auth"
    stats_fields = frozenset({"user"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "uploaded": "lots",
        "downloaded": None,
        "displayName": 7,
        "createdAt": 12.5,
    }
    demo_accounts = (
        AccountSpec(
            name="milkie",
            user_id=1,
            preset="milkie",
            auth_style="header",
            documents={"auth": "auth"},
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the key from its header."""
        key = request.headers.get(KEY_HEADER)
        return Incoming("auth", Credential("header", key) if key else None)

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing or unknown key: HTTP 401."""
        return self.failure("Unauthorized", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the key owner's answer."""
        account = call.account
        return lambda: account.documents["auth"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Send the answer bare."""
        return payload

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return ``{"error": ...}``."""
        return json_answer({"error": error}, status, **headers)

    def username(self, account: Account) -> str:
        """Return the user's display name."""
        return str(account.documents["auth"]["user"]["displayName"])

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read the integer byte counts."""
        user = account.documents["auth"]["user"]
        return int(user["uploaded"]), int(user["downloaded"])

    def ratio(self, account: Account) -> float | str:
        """Milkie sends no ratio: the one a client computes."""
        uploaded, downloaded = self.byte_counts(account)
        return uploaded / downloaded if downloaded else "∞"

    def ratio_field(self, uploaded: int, downloaded: int) -> float | str:
        """Clients divide the byte counts themselves, unrounded."""
        return uploaded / downloaded

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update both counts."""
        account.documents["auth"]["user"].update(
            uploaded=uploaded, downloaded=downloaded
        )


PLATFORM = Milkie()
