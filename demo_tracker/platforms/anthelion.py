"""Anthelion: ``GET /api.php?action=user&method=getuserinfo&api_key=KEY&type=…&user=…``.

Nebulance's family, on the ``api.php`` GGn and Nebulance share on the one
demo host: Anthelion claims the requests that carry one of its accounts'
keys. A key it does not know gets "Unrecognized key" and a missing one "No
API_KEY provided", both in an HTTP 200 failure envelope (the client tests
send those to Anthelion alone); an account without two-factor
authentication gets the site's MFA refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route
from .nebulance import METHOD, answer_user_info

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

NO_MFA = "This account does not have MFA enabled."


def without_mfa(documents: dict[str, dict[str, Any]]) -> None:
    """Another member, who has not turned two-factor authentication on."""
    documents["user_info"].update(ID=2719, Username="DemoNoMfa")
    documents["mfa"] = {"enabled": False}


class Anthelion(Platform):
    """Key in ``api_key`` (``apikey`` still works); Gazelle's envelope."""

    name = "anthelion"
    routes = (Route("GET", "/api.php"),)
    actions = frozenset({METHOD})
    auth_styles = ("query",)
    summary_document = "user_info"
    profile_document = "user_info"
    stats_fields = frozenset({"Uploaded", "Downloaded", "SeedCount", "Orbs"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "Uploaded": "lots",
        "Downloaded": None,
        "Class": 7,
        "SeedCount": "x",
        "JoinDate": 12.5,
        "Orbs": {},
        "UnreadMail": "maybe",
    }
    demo_accounts = (
        AccountSpec(
            name="ant",
            user_id=2718,
            preset="anthelion",
            auth_style="query",
            documents={"user_info": "user_info"},
        ),
        # A deployment that sends every number as a string.
        AccountSpec(
            name="ant-strings",
            user_id=3141,
            preset="anthelion",
            auth_style="query",
            documents={"user_info": "user_info_strings"},
        ),
        AccountSpec(
            name="ant-nomfa",
            user_id=2719,
            preset="anthelion",
            auth_style="query",
            documents={"user_info": "user_info"},
            customize=without_mfa,
        ),
    )

    def claims(self, request: web.Request) -> bool:
        """On the shared ``api.php``, Anthelion's requests carry its accounts' keys."""
        query = request.query
        key = query.get("api_key") or query.get("apikey")
        return key in {f"demo-{spec.name}-key" for spec in self.demo_accounts}

    def peek_action(self, request: web.Request) -> str | None:
        """Return the ``method`` query parameter."""
        return request.query.get("method")

    async def read(self, request: web.Request) -> Incoming:
        """Read the method, the user selector and the key from the query."""
        query = request.query
        key = query.get("api_key") or query.get("apikey")
        method = query.get("method") if query.get("action") == "user" else None
        return Incoming(
            method,
            Credential("query", key) if key else None,
            query.get("user"),
            details={"type": query.get("type")},
        )

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing or unknown key apart, as the site does (HTTP 200)."""
        if incoming.credential is None:
            return self.failure("No API_KEY provided", 200)
        return self.failure("Unrecognized key", 200)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the key owner's info when the request names an existing user."""
        if "mfa" in call.account.documents:
            return self.failure(NO_MFA, 200)
        return answer_user_info(self, call, not_found_status=200)

    def username(self, account: Account) -> str:
        """Return the answer's Username."""
        return str(account.documents["user_info"]["Username"])

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Read Uploaded and Downloaded."""
        user = account.documents["user_info"]
        return int(user["Uploaded"]), int(user["Downloaded"])

    def ratio(self, account: Account) -> float | str:
        """Anthelion sends no ratio: clients compute the exact quotient."""
        uploaded, downloaded = self.byte_counts(account)
        return self.ratio_field(uploaded, downloaded) if downloaded else "∞"

    def ratio_field(self, uploaded: int, downloaded: int) -> float | str:
        """No rounding: what a client computes from the byte counts."""
        return uploaded / downloaded

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update both counts, as strings where the deployment sends strings."""
        user = account.documents["user_info"]
        kind = str if isinstance(user["Uploaded"], str) else int
        user.update(Uploaded=kind(uploaded), Downloaded=kind(downloaded))


PLATFORM = Anthelion()
