"""MyAnonamouse: ``GET /jsonLoad.php`` with the ``mam_id`` session cookie.

The session rotates as on the real site: once per ``ROTATE_MINUTES`` of the
account's life (``POST /_demo/advance`` moves it), the next accepted answer
sets ``Set-Cookie: mam_id=<new>`` and from then on only the new value opens
the account; the old one gets a 403. ``/_demo/rotate_key`` kills the session
without telling the client, as an expired session does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.responses import json_answer

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.accounts import Account
    from demo_tracker.faults import Fault

COOKIE = "mam_id"
# One rotation per hour of demo time (an hour of ticks at the default pace).
ROTATE_MINUTES = 60
COOKIE_MAX_AGE = 30 * 24 * 3600
MIB = 1024**2
GIB = 1024**3
TIB = 1024**4
NOT_SIGNED_IN = (
    "<!DOCTYPE html><html><body><h1>Error</h1><p>Not signed in</p></body></html>"
)


def session_generation(account: Account) -> int:
    """Return how many sessions the account has had (its key's ``-N`` suffix)."""
    suffix = account.key.removeprefix(account.original_key + "-")
    return int(suffix) if suffix.isdigit() else 1


def unit_string(count: int) -> str:
    """Return ``count`` bytes as MAM prints them ("1.203 TiB")."""
    for size, unit in ((TIB, "TiB"), (GIB, "GiB"), (MIB, "MiB")):
        if count >= size:
            return f"{count / size:.3f} {unit}"
    return f"{count} B"


class MyAnonamouse(Platform):
    """Session cookie auth; the count buckets sit top level or in snatch_summary."""

    name = "mam"
    routes = (Route("GET", "/jsonLoad.php"),)
    actions = frozenset({"jsonLoad"})
    auth_styles = ("cookie",)
    summary_document = "json_load"
    byte_keys = ("uploaded_bytes", "downloaded_bytes")
    stats_fields = frozenset(
        {"uploaded", "downloaded", "uploaded_bytes", "downloaded_bytes", "ratio"}
    )
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "uploaded_bytes": "lots",
        "downloaded_bytes": None,
        "ratio": {},
        "classname": 7,
        "count": "x",
        "seedbonus": [],
        "pms": -1,
    }
    demo_accounts = (
        # Newer answers: the buckets under snatch_summary.
        AccountSpec(
            "mam", 228844, "myanonamouse", documents={"json_load": "json_load"}
        ),
        # Older answers: the buckets at the top level; nothing downloaded yet.
        AccountSpec(
            "mamflat",
            301122,
            "myanonamouse",
            documents={"json_load": "json_load_top_level"},
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the session cookie; the query flags change nothing here."""
        value = request.cookies.get(COOKIE)
        return Incoming("jsonLoad", Credential("cookie", value) if value else None)

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Answer a missing, expired or replaced session with HTTP 403."""
        return web.Response(status=403, text=NOT_SIGNED_IN, content_type="text/html")

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve the account's jsonLoad answer."""
        account = call.account
        return lambda: account.documents["json_load"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Answer the bare object."""
        return payload

    def success(self, payload: Any, call: Call) -> web.StreamResponse:
        """Hand out a new session with the answer when one is due."""
        return self._rotated(super().success(payload, call), call)

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return an error object (it has no username)."""
        return json_answer({"error": error}, status, **headers)

    def fault_answer(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.StreamResponse:
        """Rotate on a fault's 200 answer too: the cookie must survive a bad body."""
        return self._rotated(super().fault_answer(fault, payload, call), call)

    def _rotated(self, answer: web.StreamResponse, call: Call) -> web.StreamResponse:
        account = call.account
        due = account.minutes // ROTATE_MINUTES + 1
        if answer.status != 200 or session_generation(account) >= due:
            return answer
        account.key = f"{account.original_key}-{due}"
        answer.set_cookie(
            COOKIE, account.key, max_age=COOKIE_MAX_AGE, path="/", httponly=True
        )
        return answer

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Update the byte counts, the ratio and the counts' unit strings."""
        super().write_bytes(account, uploaded, downloaded, now)
        account.documents["json_load"].update(
            uploaded=unit_string(uploaded), downloaded=unit_string(downloaded)
        )


PLATFORM = MyAnonamouse()
