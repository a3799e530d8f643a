"""SpeedApp software (SpeedApp, RetroFlix): ``GET /api/me`` with a Bearer token.

Two shapes: SpeedApp sends no ratio but the seeding figures, tokens and the
warning (``speedapp``); RetroFlix sends a ratio and none of those
(``retroflix``). A bad token gets HTTP 401 with a JSON message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.responses import json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account


class SpeedApp(Platform):
    """Token as ``Authorization: Bearer``; the flat object, bare."""

    name = "speedapp"
    routes = (Route("GET", "/api/me"),)
    actions = frozenset({"me"})
    auth_styles = ("bearer",)
    summary_document = "me"
    profile_document = "me"
    stats_fields = frozenset({"uploaded", "downloaded", "ratio", "username"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "uploaded": "lots",
        "downloaded": None,
        "ratio": {},
        "seed_bonus": [],
        "hit_and_run_count": "many",
        "warned": "maybe",
        "created_at": 12.5,
    }
    demo_accounts = (
        AccountSpec(
            name="speedapp",
            user_id=90210,
            preset="speedapp",
            auth_style="bearer",
            documents={"me": "me_speedapp"},
        ),
        AccountSpec(
            name="retroflix",
            user_id=4455,
            preset="retroflix",
            auth_style="bearer",
            documents={"me": "me_retroflix"},
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the Bearer token."""
        header = request.headers.get("Authorization", "")
        credential = None
        if header.startswith("Bearer "):
            credential = Credential("bearer", header.removeprefix("Bearer "))
        return Incoming("me", credential)

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing or unknown token: HTTP 401 with a message."""
        return self.failure("Invalid credentials.", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the token owner's object."""
        account = call.account
        return lambda: account.documents["me"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Send the object bare, without an envelope."""
        return payload

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return ``{"code": status, "message": ...}``."""
        return json_answer({"code": status, "message": error}, status, **headers)

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read the integer byte counts."""
        me = account.documents["me"]
        return int(me["uploaded"]), int(me["downloaded"])

    def ratio(self, account: Account) -> float | str:
        """RetroFlix's ratio field; SpeedApp's as a client computes it."""
        me = account.documents["me"]
        if "ratio" in me:
            return me["ratio"]  # type: ignore[no-any-return]
        uploaded, downloaded = self.byte_counts(account)
        return uploaded / downloaded if downloaded else "∞"

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update the counts, and the ratio where the site sends one."""
        me = account.documents["me"]
        me.update(uploaded=uploaded, downloaded=downloaded)
        if "ratio" in me and downloaded:
            me["ratio"] = self.ratio_field(uploaded, downloaded)


PLATFORM = SpeedApp()
