"""Nebulance: ``GET /api.php?action=user&method=getuserinfo&api_key=KEY&type=…&user=…``.

The route is GGn's ``api.php`` too: Nebulance claims the requests naming
``method=getuserinfo``. As on the real site, the key owner's data comes back
whichever existing user the request names (by id or by name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from aiohttp import web

from demo_tracker.responses import json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

METHOD = "getuserinfo"
# Every Gazelle-derived site has its first account.
FIRST_USER_ID = "1"
FIRST_USERNAME = "SysOp"
# Older deployments answer without the {"status", "response"} envelope.
BARE_ACCOUNTS = frozenset({"nblbare"})


class Nebulance(Platform):
    """Key in the ``api_key`` query parameter; errors as ``{"error": {code, message}}``."""

    name = "nebulance"
    routes = (Route("GET", "/api.php"),)
    actions = frozenset({METHOD})
    auth_styles = ("query",)
    summary_document = "user_info"
    username_key = "Username"
    byte_keys = ("Uploaded", "Downloaded")
    ratio_key = None  # clients compute it
    stats_fields = frozenset({"Uploaded", "Downloaded", "SeedCount", "Orbs"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "Uploaded": "lots",
        "Downloaded": None,
        "Class": 7,
        "SeedCount": "x",
        "JoinDate": 12.5,
        "Orbs": {},
    }
    demo_accounts = (
        # A newer deployment: the envelope, and Orbs.
        AccountSpec("nbl", 4321, "nebulance", documents={"user_info": "user_info"}),
        # An older one: the bare object, no Orbs.
        AccountSpec(
            "nblbare", 5150, "nebulance", documents={"user_info": "user_info_bare"}
        ),
    )

    def claims(self, request: web.Request) -> bool:
        """On the shared ``api.php``, Nebulance's requests name ``method=getuserinfo``."""
        return request.query.get("method") == METHOD

    def peek_action(self, request: web.Request) -> str | None:
        """Return the ``method`` query parameter."""
        return request.query.get("method")

    async def read(self, request: web.Request) -> Incoming:
        """Read the method, the user selector and ``api_key`` from the query."""
        query = request.query
        key = query.get("api_key")
        method = query.get("method") if query.get("action") == "user" else None
        return Incoming(
            method,
            Credential("query", key) if key else None,
            query.get("user"),
            details={"type": query.get("type")},
        )

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing or unknown key with a 401 and an error object."""
        return self.failure("Invalid API key", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the key owner's info when the request names an existing user."""
        return answer_user_info(self, call, not_found_status=404)

    def envelope(self, payload: Any, call: Call) -> Any:
        """Wrap the payload, unless the account's deployment sends it bare."""
        if call.account.name in BARE_ACCOUNTS:
            return payload
        return super().envelope(payload, call)

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return ``{"error": {"code", "message"}}``."""
        return json_answer(
            {"error": {"code": status, "message": error}}, status, **headers
        )


def answer_user_info(
    platform: Platform, call: Call, *, not_found_status: int
) -> web.StreamResponse | Render:
    """Serve ``getuserinfo`` as the Nebulance family does.

    Whichever user the selector names (by id or name), the key owner's info
    comes back, as long as that user exists.
    """
    account, incoming = call.account, call.incoming
    if incoming.action != METHOD:
        return platform.failure("Invalid action or method", 400)
    selector = incoming.details.get("type")
    if selector not in ("id", "username") or not incoming.user_id:
        return platform.failure("Missing or bad user selector", 400)
    known = (
        {FIRST_USER_ID, str(account.user_id)}
        if selector == "id"
        else {FIRST_USERNAME, platform.username(account)}
    )
    if incoming.user_id not in known:
        return platform.failure("User not found", not_found_status)
    return lambda: account.documents["user_info"]


PLATFORM = Nebulance()
