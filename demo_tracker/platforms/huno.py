"""HUNO (hawke.uno): ``GET /api/profile`` in a ``{success, data, message}`` wrapper.

Tools send the token as ``Authorization: Bearer`` or as ``X-Api-Token``; one
demo account takes only the first and the other only the second, so a client
must find the form that works. A token HUNO does not take gets the login page
(HTTP 200 HTML), as the site does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.responses import LOGIN_PAGE, html_answer, json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

TOKEN_HEADER = "X-Api-Token"  # noqa: S105 - a header name, not a secret


class Huno(Platform):
    """Token as Bearer or ``X-Api-Token``, per account; wrapped JSON answers."""

    name = "huno"
    routes = (Route("GET", "/api/profile"),)
    actions = frozenset({"profile"})
    auth_styles = ("bearer", "header")
    summary_document = "profile"
    profile_document = "profile"
    stats_fields = frozenset({"uploaded", "downloaded", "ratio", "buffer"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "uploaded": "lots",
        "downloaded": None,
        "ratio": {},
        "group": 7,
        "active_seeds": "x",
        "hunos": [],
        "warnings": "many",
        "member_since": 12.5,
    }
    demo_accounts = (
        # A long-standing member; the token as Bearer.
        AccountSpec(
            name="huno",
            user_id=1,
            preset="huno",
            auth_style="bearer",
            documents={"profile": "profile"},
        ),
        # A new member with nothing downloaded ("Inf"), a warning and an
        # H&R; the token in X-Api-Token only.
        AccountSpec(
            name="huno-token",
            user_id=2,
            preset="huno",
            auth_style="header",
            documents={"profile": "profile_inf"},
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the token from ``Authorization: Bearer`` or ``X-Api-Token``."""
        header = request.headers.get("Authorization", "")
        credential = None
        if header.startswith("Bearer "):
            credential = Credential("bearer", header.removeprefix("Bearer "))
        elif token := request.headers.get(TOKEN_HEADER):
            credential = Credential("header", token)
        return Incoming("profile", credential)

    def accepts(self, account: Account, credential: Credential) -> bool:
        """Accept the token only in the form the account takes."""
        return (
            account.key == credential.secret and account.auth_style == credential.style
        )

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a token the site does not take with its login page."""
        return html_answer(LOGIN_PAGE)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the token owner's profile."""
        account = call.account
        return lambda: account.documents["profile"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Wrap the profile as HUNO does."""
        return {"success": True, "data": payload, "message": "ok"}

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """HUNO's failure: ``{"success": false, "message": ...}``."""
        return json_answer(
            {"success": False, "data": None, "message": error}, status, **headers
        )

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read the integer byte counts."""
        profile = account.documents["profile"]
        return int(profile["uploaded"]), int(profile["downloaded"])

    def ratio(self, account: Account) -> float | str:
        """Return the ratio field: a number, or "Inf" with nothing downloaded."""
        return account.documents["profile"]["ratio"]  # type: ignore[no-any-return]

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update the counts, the ratio and HUNO's buffer."""
        account.documents["profile"].update(
            uploaded=uploaded,
            downloaded=downloaded,
            buffer=max(uploaded - downloaded, 0),
            ratio=self.ratio_field(uploaded, downloaded) if downloaded else "Inf",
        )

    def username(self, account: Account) -> str:
        """Return the profile's user name."""
        return str(account.documents["profile"]["username"])


PLATFORM = Huno()
