"""Gazelle (Redacted, Orpheus and forks): ``GET ajax.php?action=index|user``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from demo_tracker.responses import ERROR_PAGE, html_answer, redirect_to

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account

BENCH_KEY_PREFIX = "demo-bench-"
BENCH_FIRST_ID = 100_000
SEED_DOCUMENTS = {"index": "index", "user": "user"}


def _rename(username: str, user_id: int, documents: dict[str, dict[str, Any]]) -> None:
    for document in documents.values():
        document["username"] = username
    documents["index"]["id"] = user_id


def bench_spec(number: int) -> AccountSpec:
    """Return numbered account ``number`` for benchmarks with many entries.

    Its key is ``demo-bench-<number>-key`` (auth style token); values are the
    Redacted seed's with another name and id.
    """
    user_id = BENCH_FIRST_ID + number
    return AccountSpec(
        f"bench-{number}",
        user_id,
        "orpheus",
        documents=SEED_DOCUMENTS,
        customize=partial(_rename, f"Bench{number}", user_id),
    )


class Gazelle(Platform):
    """Key in the Authorization header, raw or as ``token KEY``."""

    name = "gazelle"
    routes = (Route("GET", "/ajax.php"),)
    profile_document = "user"
    counts_path = ("index", "userstats")
    actions = frozenset({"index", "user"})
    auth_styles = ("token", "raw")
    demo_accounts = (
        AccountSpec(
            "red", 12345, "redacted", auth_style="raw", documents=SEED_DOCUMENTS
        ),
        AccountSpec(
            "ops",
            23456,
            "orpheus",
            documents={"index": "orpheus_index", "user": "orpheus_user"},
        ),
        # A sparse fork whose user endpoint is broken.
        AccountSpec(
            "fork",
            777,
            "gazelle",
            documents={"index": "fork_index"},
            profile_broken=True,
        ),
    )

    def peek_action(self, request: web.Request) -> str | None:
        """Return the ``action`` query parameter."""
        return request.query.get("action")

    async def read(self, request: web.Request) -> Incoming:
        """Read ``action``, ``id`` and the Authorization header."""
        header = request.headers.get("Authorization")
        credential = None
        if header is not None:
            credential = (
                Credential("token", header.removeprefix("token "))
                if header.startswith("token ")
                else Credential("raw", header)
            )
        return Incoming(
            request.query.get("action"), credential, request.query.get("id")
        )

    def accepts(self, account: Account, credential: Credential) -> bool:
        """Accept the key only in the style the account's site uses."""
        return account.key == credential.secret and account.auth_style == (
            credential.style
        )

    def spec_for_unknown_key(self, credential: Credential) -> AccountSpec | None:
        """Benchmark accounts appear on first use: any number works."""
        key = credential.secret
        if not (key.startswith(BENCH_KEY_PREFIX) and key.endswith("-key")):
            return None
        number = key.removeprefix(BENCH_KEY_PREFIX).removesuffix("-key")
        return bench_spec(int(number)) if number.isdigit() else None

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """No key: the login page, as for a browser without a session."""
        if incoming.credential is None:
            return redirect_to("login.php")
        return self.failure("bad credentials", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve index, or the profile of the key's own user."""
        account, incoming = call.account, call.incoming
        if incoming.action == "index":
            return lambda: account.documents["index"]
        if incoming.action == "user":
            if incoming.user_id != str(account.user_id):
                return self.failure("bad id parameter", 400)
            if account.profile_broken:
                return html_answer(ERROR_PAGE, 500)
            return lambda: account.documents["user"]
        return self.failure("bad action", 400)

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update userstats, and the profile's stats when there is a profile."""
        super().write_bytes(account, uploaded, downloaded, now)
        stats = self.counts(account)
        profile = account.documents.get("user")
        if profile and (profile_stats := profile.get("stats")):
            profile_stats.update(
                uploaded=uploaded,
                downloaded=downloaded,
                ratio=stats["ratio"],
                buffer=max(uploaded - downloaded, 0),
                lastAccess=now,
            )


PLATFORM = Gazelle()
