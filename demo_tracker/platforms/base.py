"""What a platform module provides: routes, credentials, answers, stats, faults.

A platform is a subclass of ``Platform`` with one instance, ``PLATFORM``, in
a module named after it. Its seed answers are JSON files under
``fixtures/<name>/``. Defaults are Gazelle's: the ``{"status": ...}`` envelope
and Gazelle-style fault bodies; a platform overrides only where it differs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.faults import Fault, mistyped
from demo_tracker.responses import (
    ERROR_PAGE,
    LOGIN_PAGE,
    html_answer,
    json_answer,
    redirect_to,
    retry_after_header,
)

if TYPE_CHECKING:
    # Only for annotations: accounts.py imports the registry, not the reverse.
    from demo_tracker.accounts import Account

# Values of the wrong type, put in place of these fields wherever they occur.
GAZELLE_WRONG_TYPES: Mapping[str, Any] = {
    "uploaded": "lots",
    "downloaded": None,
    "ratio": {},
    "class": 7,
    "seedingcount": "x",
    "seeding": "x",
    "warned": "maybe",
    "joinedDate": 12,
}


@dataclass(frozen=True)
class Route:
    """One HTTP method and path a platform answers on."""

    method: str
    path: str

    @property
    def endpoint(self) -> str:
        """Return the name the request log gives this route ("ajax.php")."""
        return self.path.lstrip("/") or "/"


@dataclass(frozen=True)
class Credential:
    """The secret a request carried, and how it carried it."""

    style: str  # e.g. "token", "raw", "query", "bearer", "cookie", "rpc"
    secret: str

    def __repr__(self) -> str:
        """Never show the secret, should a credential reach a log."""
        return f"Credential(style={self.style!r})"


@dataclass(frozen=True)
class Incoming:
    """What the platform read from one request."""

    action: str | None  # what was asked for; faults can be scoped to it
    credential: Credential | None
    user_id: str | None = None  # the user the request names, if any
    # The platform's own notes for its answer (e.g. a JSON-RPC id).
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One accepted request: what it asked and whose key it carried."""

    request: web.Request
    incoming: Incoming
    account: Account


@dataclass(frozen=True)
class AccountSpec:
    """A demo account as a platform declares it; accounts.py builds it.

    Its key is ``demo-<name>-key``; ``documents`` maps each answer the account
    serves (usually named after the action) to a fixture of the platform.
    """

    name: str
    user_id: int
    preset: str  # the integration's preset a user picks for this account
    _: KW_ONLY
    auth_style: str = ""  # empty: the platform's first style
    documents: Mapping[str, str]
    profile_broken: bool = False  # the profile answer is an HTTP 500
    # Changes the loaded documents, e.g. to rename a copied account.
    customize: Callable[[dict[str, dict[str, Any]]], None] | None = None


# The successful answer's payload, built when it is sent: a reply that hangs
# shows the stats as they are when it is released.
type Render = Callable[[], Any]
type FaultAnswer = Callable[[Fault, Any, Call], web.StreamResponse]


class Platform(ABC):
    """A tracker API the demo tracker fakes. Subclass it; see the module doc."""

    name: ClassVar[str]  # also the fixtures folder and Account.platform
    routes: ClassVar[tuple[Route, ...]]
    actions: ClassVar[frozenset[str]]  # the names Incoming.action can take
    auth_styles: ClassVar[tuple[str, ...]]  # Credential.style values it accepts
    # The first is the platform's showcase: the one account the demo adds,
    # and the one tests of "an account of each platform" set up.
    demo_accounts: ClassVar[tuple[AccountSpec, ...]] = ()
    # Which documents index/profile mean (Account.index, Account.profile).
    summary_document: ClassVar[str] = "index"
    # None: the summary document is the profile too.
    profile_document: ClassVar[str | None] = None
    # Top-level members the "missing_fields" fault drops.
    stats_fields: ClassVar[frozenset[str]] = frozenset({"userstats", "stats"})
    wrong_types: ClassVar[Mapping[str, Any]] = GAZELLE_WRONG_TYPES

    # --- requests ------------------------------------------------------------

    def claims(self, request: web.Request) -> bool:
        """Return whether this platform answers ``request`` on a shared route.

        The first platform in the registry that claims a request answers it;
        when none does, the first one on the route answers. So a platform on a
        path another one uses too (Nebulance's ``api.php`` is GGn's) claims
        only requests that are surely its own.
        """
        return True

    def peek_action(self, request: web.Request) -> str | None:
        """Return the action from the query alone (for requests no route takes)."""
        return None

    @abstractmethod
    async def read(self, request: web.Request) -> Incoming:
        """Return the action, credential and user the request names."""

    def accepts(self, account: Account, credential: Credential) -> bool:
        """Return whether ``credential`` opens ``account`` (already this platform's)."""
        return account.key == credential.secret

    def spec_for_unknown_key(self, credential: Credential) -> AccountSpec | None:
        """Return an account to create for a key no account has (default: none)."""
        return None

    @abstractmethod
    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """Return the answer to a missing or unknown credential."""

    @abstractmethod
    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Return an error answer, or how to build the successful payload."""

    def envelope(self, payload: Any, call: Call) -> Any:
        """Return the JSON a successful answer holds ``payload`` in (Gazelle's)."""
        return {"status": "success", "response": payload}

    def success(self, payload: Any, call: Call) -> web.StreamResponse:
        """Wrap a payload as this platform sends a successful answer."""
        return json_answer(self.envelope(payload, call))

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return this platform's error answer."""
        return json_answer({"status": "failure", "error": error}, status, **headers)

    # --- how stats move (see Account) ----------------------------------------
    # Defaults for a flat answer: the summary document holds the name, both
    # byte counts and the ratio; counts_path finds them deeper.

    username_key: ClassVar[str] = "username"
    byte_keys: ClassVar[tuple[str, str]] = ("uploaded", "downloaded")
    bytes_as_text: ClassVar[bool] = False  # the counts are sent as strings
    # None: the tracker sends no ratio, clients divide the counts unrounded.
    ratio_key: ClassVar[str | None] = "ratio"
    # The keys from the documents to the object holding the counts and the
    # ratio; empty: the summary document.
    counts_path: ClassVar[tuple[str, ...]] = ()

    def counts(self, account: Account) -> dict[str, Any]:
        """Return the object of the account's answers that holds the byte counts."""
        holder: Any = account.documents
        for key in self.counts_path or (self.summary_document,):
            holder = holder[key]
        found: dict[str, Any] = holder
        return found

    def byte_counts(self, account: Account) -> tuple[int, int]:
        """Return the account's uploaded and downloaded bytes."""
        counts = self.counts(account)
        uploaded, downloaded = self.byte_keys
        return int(counts[uploaded]), int(counts[downloaded])

    def ratio(self, account: Account) -> float | str:
        """Return the ratio field as the tracker sends it, or as clients compute it."""
        if self.ratio_key is not None:
            sent: float | str = self.counts(account)[self.ratio_key]
            return sent
        uploaded, downloaded = self.byte_counts(account)
        return self.ratio_field(uploaded, downloaded) if downloaded else "∞"

    def ratio_field(self, uploaded: int, downloaded: int) -> float | str:
        """Return the ratio as this platform publishes it; downloaded > 0."""
        quotient = uploaded / downloaded
        return quotient if self.ratio_key is None else round(quotient, 2)

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        """Put both byte counts, and what derives from them, in the documents.

        ``now`` is the time as Gazelle prints it, for "last access" fields.
        """
        counts = self.counts(account)
        uploaded_key, downloaded_key = self.byte_keys
        sent = str if self.bytes_as_text else int
        counts.update({uploaded_key: sent(uploaded), downloaded_key: sent(downloaded)})
        # A zero download keeps the tracker's special ratio string ("∞").
        if self.ratio_key is not None and downloaded:
            counts[self.ratio_key] = self.ratio_field(uploaded, downloaded)

    def accrue(self, account: Account, minutes_before: int, minutes_after: int) -> None:
        """Let bonus currencies grow over the account's life (default: none)."""
        return

    def username(self, account: Account) -> str:
        """Return the account's user name."""
        return str(account.documents[self.summary_document][self.username_key])

    # --- faults: Gazelle style unless overridden ------------------------------

    def fault_answer(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.StreamResponse:
        """Return the answer ``fault`` sends instead of ``payload`` (not for hang)."""
        answers: dict[str, FaultAnswer] = {
            "html_login": self.fault_html_login,
            "server_error": self.fault_server_error,
            "bad_gateway": self.fault_bad_gateway,
            "rate_limit": self.fault_rate_limit,
            "rate_limit_text": self.fault_rate_limit_text,
            "malformed_json": self.fault_malformed_json,
            "redirect": self.fault_redirect,
            "wrong_shape": self.fault_wrong_shape,
            "missing_fields": self.fault_missing_fields,
            "wrong_types": self.fault_wrong_types,
            "failure_message": self.fault_failure_message,
        }
        return answers[fault.mode](fault, payload, call)

    def fault_html_login(self, fault: Fault, payload: Any, call: Call) -> web.Response:
        """Answer with a login page, as a tracker does for a lost session."""
        return html_answer(LOGIN_PAGE)

    def fault_server_error(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer HTTP 500 with an HTML page."""
        return html_answer(ERROR_PAGE, 500)

    def fault_bad_gateway(self, fault: Fault, payload: Any, call: Call) -> web.Response:
        """Answer as a proxy whose tracker is down."""
        return web.Response(status=502, text="Bad Gateway", content_type="text/plain")

    def fault_rate_limit(self, fault: Fault, payload: Any, call: Call) -> web.Response:
        """Answer HTTP 429, with Retry-After when the fault sets one."""
        return self.failure(
            "Rate limit exceeded", 429, **retry_after_header(fault.retry_after)
        )

    def fault_rate_limit_text(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer a rate limit the way only the body tells (HTTP 200)."""
        return self.failure("Rate limit exceeded, slow down", 200)

    def fault_malformed_json(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer JSON cut off half way."""
        return web.Response(
            text='{"status": "success", "response": {"username": ',
            content_type="application/json",
        )

    def fault_redirect(self, fault: Fault, payload: Any, call: Call) -> web.Response:
        """Send the caller to the login page."""
        return redirect_to("login.php")

    def fault_wrong_shape(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.StreamResponse:
        """Answer successfully with a list where an object belongs."""
        return self.success([], call)

    def fault_missing_fields(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.StreamResponse:
        """Answer without the members that hold the statistics."""
        kept = {k: v for k, v in payload.items() if k not in self.stats_fields}
        return self.success(kept, call)

    def fault_wrong_types(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.StreamResponse:
        """Answer with values of the wrong type in the usual fields."""
        return self.success(mistyped(payload, self.wrong_types), call)

    def fault_failure_message(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer HTTP 200 with an error that says the key is bad."""
        return self.failure("Your API key is invalid or revoked", 200)
