"""GazelleGames: ``GET api.php?request=quick_user|user&key=KEY``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

MINUTES_PER_HOUR = 60


class GazelleGames(Platform):
    """Key in the ``key`` query parameter; gold accrues every hour."""

    name = "ggn"
    routes = (Route("GET", "/api.php"),)
    profile_document = "user"
    counts_path = ("user", "stats")
    actions = frozenset({"quick_user", "user"})
    auth_styles = ("query",)
    summary_document = "quick_user"
    demo_accounts = (
        AccountSpec(
            "ggn",
            74360,
            "gazellegames",
            documents={"quick_user": "quick_user", "user": "user"},
        ),
        # Paranoia "High": the counts it hides are null, so their entities
        # stay unknown (ExampleUser's paranoia is off and shows them all).
        AccountSpec(
            "ggn-paranoid",
            74361,
            "gazellegames",
            documents={"quick_user": "paranoid_quick_user", "user": "paranoid_user"},
        ),
    )

    def claims(self, request: web.Request) -> bool:
        """On a shared ``api.php``, GGn's requests are those naming a ``request``."""
        return "request" in request.query

    def peek_action(self, request: web.Request) -> str | None:
        """Return the ``request`` query parameter."""
        return request.query.get("request")

    async def read(self, request: web.Request) -> Incoming:
        """Read ``request``, ``id`` and ``key`` from the query."""
        key = request.query.get("key")
        return Incoming(
            request.query.get("request"),
            Credential("query", key) if key else None,
            request.query.get("id"),
        )

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """GGn answers a missing or bad key alike."""
        return self.failure("Invalid API key.", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve quick_user, or the profile of the key's own user."""
        account, incoming = call.account, call.incoming
        if incoming.action == "quick_user":
            return lambda: account.documents["quick_user"]
        if incoming.action == "user":
            if incoming.user_id != str(account.user_id):
                return self.failure("no such user", 200)
            return lambda: account.documents["user"]
        return self.failure("Invalid request.", 400)

    def ratio_field(self, uploaded: int, downloaded: int) -> float | str:
        """GGn sends the ratio as a string with five decimals."""
        return f"{uploaded / downloaded:.5f}"

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update the profile's stats, and its last access."""
        super().write_bytes(account, uploaded, downloaded, now)
        self.counts(account)["lastAccess"] = now

    def accrue(self, account: Account, minutes_before: int, minutes_after: int) -> None:
        """Add the profile's hourly gold for every hour begun in between."""
        user = account.documents["user"]
        hourly = int(user["community"]["hourlyGold"])
        earned = (minutes_after * hourly) // MINUTES_PER_HOUR - (
            minutes_before * hourly
        ) // MINUTES_PER_HOUR
        user["stats"]["gold"] += earned


PLATFORM = GazelleGames()
