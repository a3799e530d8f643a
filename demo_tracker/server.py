"""The demo tracker's aiohttp application: both APIs, faults and a control API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import copy
from dataclasses import asdict, dataclass, field
import json
import time
from typing import Any

from aiohttp import web

from .accounts import Account, demo_accounts

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Login :: Demo Tracker</title></head>
<body><form class="auth_form" name="login" method="post" action="login.php">
<input type="text" name="username"><input type="password" name="password">
<input type="submit" value="Log in"></form></body></html>
"""
ERROR_PAGE = (
    "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>"
)
FAULT_MODES = (
    "html_login",
    "server_error",
    "bad_gateway",
    "rate_limit",
    "rate_limit_text",
    "hang",
    "malformed_json",
    "redirect",
    "wrong_shape",
    "missing_fields",
    "wrong_types",
    "failure_message",
)
DEFAULT_HANG_SECONDS = 600.0


@dataclass
class Fault:
    """A misbehaviour switched on by a test or the demo operator."""

    mode: str
    times: int | None = None
    retry_after: int | None = None
    delay: float | None = None
    actions: frozenset[str] | None = None

    def applies_to(self, action: str | None) -> bool:
        """Return whether this fault hits a request for ``action``."""
        return self.actions is None or action in self.actions


@dataclass(frozen=True)
class RecordedRequest:
    """What the demo tracker saw of one request; never the key itself."""

    at: float
    endpoint: str
    action: str | None
    user_id: str | None
    auth_style: str | None
    key_accepted: bool
    status: int
    user_agent: str | None


@dataclass
class DemoState:
    """Everything a test or the operator can see and change."""

    accounts: dict[str, Account] = field(default_factory=demo_accounts)
    fault: Fault | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    # Set to let hanging replies finish: when the fault is cleared or at close.
    hangs_released: asyncio.Event = field(default_factory=asyncio.Event)

    def set_fault(
        self,
        mode: str,
        *,
        times: int | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        actions: set[str] | frozenset[str] | None = None,
    ) -> None:
        """Misbehave in ``mode`` for ``times`` matching requests (None: until cleared)."""
        if mode not in FAULT_MODES:
            raise ValueError(
                f"unknown fault mode {mode!r}; known: {', '.join(FAULT_MODES)}"
            )
        self.fault = Fault(
            mode, times, retry_after, delay, frozenset(actions) if actions else None
        )
        self.hangs_released = asyncio.Event()

    def clear_fault(self) -> None:
        """Behave again; replies still hanging are let go."""
        self.fault = None
        self.hangs_released.set()

    def rotate_key(self, account: str) -> str:
        """Give ``account`` a new key; the old one is rejected from now on."""
        entry = self.accounts[account]
        generation = (
            int(entry.key.rsplit("-", 1)[1]) + 1 if entry.key[-1].isdigit() else 2
        )
        entry.key = f"{entry.original_key}-{generation}"
        return entry.key

    def restore_key(self, account: str) -> str:
        """Put back the account's original key."""
        entry = self.accounts[account]
        entry.key = entry.original_key
        return entry.key

    def advance(self, steps: int = 1) -> None:
        """Let ``steps`` ticks of time pass for every account."""
        for account in self.accounts.values():
            account.advance(steps)

    def drop_ratio(self, account: str, by: float = 0.1) -> None:
        """Make ``account``'s ratio fall by at least ``by``."""
        self.accounts[account].drop_ratio(by)

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.requests.clear()

    def reset(self) -> None:
        """Back to the seeds' values, no fault, empty log."""
        self.accounts = demo_accounts()
        self.clear_fault()
        self.requests.clear()

    @property
    def keys(self) -> dict[str, str]:
        """Return each account's current key."""
        return {name: account.key for name, account in self.accounts.items()}

    def take_fault(self, action: str | None) -> Fault | None:
        """Return the fault for this request, counting it down."""
        fault = self.fault
        if fault is None or not fault.applies_to(action):
            return None
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self.fault = None
        return fault


def _json(payload: Any, status: int = 200, **headers: str) -> web.Response:
    return web.json_response(payload, status=status, headers=headers or None)


def _failure(error: str, status: int) -> web.Response:
    return _json({"status": "failure", "error": error}, status)


def _success(response: Any) -> web.Response:
    return _json({"status": "success", "response": response})


def _strip_stats(response: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in response.items()
        if key not in ("userstats", "stats")
    }


def _mistype(response: dict[str, Any]) -> dict[str, Any]:
    broken: dict[str, Any] = copy.deepcopy(response)
    for block_name in ("userstats", "stats"):
        if isinstance(block := broken.get(block_name), dict):
            block.update(uploaded="lots", downloaded=None, ratio={}, seedingcount="x")
            block.update(joinedDate=12, **{"class": 7})
    if isinstance(personal := broken.get("personal"), dict):
        personal.update(warned="maybe", **{"class": 7})
    return broken


async def _serve_fault(
    fault: Fault, response: dict[str, Any], released: asyncio.Event
) -> web.StreamResponse | None:
    """Return the misbehaving answer, or None to answer normally (after a hang)."""
    match fault.mode:
        case "html_login":
            return web.Response(text=LOGIN_PAGE, content_type="text/html")
        case "server_error":
            return web.Response(status=500, text=ERROR_PAGE, content_type="text/html")
        case "bad_gateway":
            return web.Response(
                status=502, text="Bad Gateway", content_type="text/plain"
            )
        case "rate_limit":
            headers = (
                {}
                if fault.retry_after is None
                else {"Retry-After": str(fault.retry_after)}
            )
            return _json(
                {"status": "failure", "error": "Rate limit exceeded"}, 429, **headers
            )
        case "rate_limit_text":
            return _failure("Rate limit exceeded, slow down", 200)
        case "hang":
            delay = fault.delay if fault.delay is not None else DEFAULT_HANG_SECONDS
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(released.wait(), delay)
            return None
        case "malformed_json":
            return web.Response(
                text='{"status": "success", "response": {"username": ',
                content_type="application/json",
            )
        case "redirect":
            return web.Response(status=302, headers={"Location": "login.php"})
        case "wrong_shape":
            return _success([])
        case "missing_fields":
            return _success(_strip_stats(response))
        case "wrong_types":
            return _success(_mistype(response))
        case _:  # failure_message
            return _failure("Your API key is invalid or revoked", 200)


class DemoTrackerApp:
    """Request handlers bound to one DemoState."""

    def __init__(self, state: DemoState) -> None:
        """Serve ``state``."""
        self.state = state

    def _record(
        self,
        request: web.Request,
        *,
        action: str | None,
        auth_style: str | None,
        account: Account | None,
        status: int,
    ) -> None:
        self.state.requests.append(
            RecordedRequest(
                at=time.monotonic(),
                endpoint=request.path.rsplit("/", 1)[-1],
                action=action,
                user_id=request.query.get("id"),
                auth_style=auth_style,
                key_accepted=account is not None,
                status=status,
                user_agent=request.headers.get("User-Agent"),
            )
        )

    def _gazelle_account(self, header: str | None) -> tuple[Account | None, str | None]:
        if header is None:
            return None, None
        style, key = (
            ("token", header[6:]) if header.startswith("token ") else ("raw", header)
        )
        for account in self.state.accounts.values():
            if (
                account.platform == "gazelle"
                and account.key == key
                and account.auth_style == style
            ):
                return account, style
        return None, style

    async def gazelle(self, request: web.Request) -> web.StreamResponse:
        """Serve ``ajax.php?action=index|user``."""
        action = request.query.get("action")
        header = request.headers.get("Authorization")
        account, style = self._gazelle_account(header)
        answer = await self._gazelle_answer(
            action, header, account, request.query.get("id")
        )
        self._record(
            request,
            action=action,
            auth_style=style,
            account=account,
            status=answer.status,
        )
        return answer

    async def _gazelle_answer(
        self,
        action: str | None,
        header: str | None,
        account: Account | None,
        user_id: str | None,
    ) -> web.StreamResponse:
        if header is None:
            # Gazelle sends callers without a session to its login page.
            return web.Response(status=302, headers={"Location": "login.php"})
        if account is None:
            return _failure("bad credentials", 401)
        if action == "index":
            return await self._answer(account.index, action)
        if action == "user":
            if user_id != str(account.user_id):
                return _failure("bad id parameter", 400)
            if account.profile_broken:
                return web.Response(
                    status=500, text=ERROR_PAGE, content_type="text/html"
                )
            return await self._answer(account.profile, action)
        return _failure("bad action", 400)

    async def ggn(self, request: web.Request) -> web.StreamResponse:
        """Serve ``api.php?request=quick_user|user``."""
        action = request.query.get("request")
        key = request.query.get("key")
        account = next(
            (
                a
                for a in self.state.accounts.values()
                if a.platform == "ggn" and a.key == key
            ),
            None,
        )
        answer = await self._ggn_answer(action, account, request.query.get("id"))
        self._record(
            request,
            action=action,
            auth_style="query" if key else None,
            account=account,
            status=answer.status,
        )
        return answer

    async def _ggn_answer(
        self, action: str | None, account: Account | None, user_id: str | None
    ) -> web.StreamResponse:
        if account is None:
            return _failure("Invalid API key.", 401)
        if action == "quick_user":
            return await self._answer(account.index, action)
        if action == "user":
            if user_id != str(account.user_id):
                return _failure("no such user", 200)
            return await self._answer(account.profile, action)
        return _failure("Invalid request.", 400)

    async def _answer(
        self, response: dict[str, Any], action: str
    ) -> web.StreamResponse:
        if (fault := self.state.take_fault(action)) is not None:
            faulty = await _serve_fault(fault, response, self.state.hangs_released)
            if faulty is not None:
                return faulty
        return _success(response)


def _control_routes(state: DemoState) -> list[web.RouteDef]:
    """Return the ``/_demo/`` routes that steer the tracker from outside."""

    async def body(request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            data = await request.json()
        except ValueError as err:
            raise web.HTTPBadRequest(
                text=json.dumps({"error": "body is not JSON"})
            ) from err
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(
                text=json.dumps({"error": "body must be a JSON object"})
            )
        return data

    def guarded(
        handler: Callable[[dict[str, Any]], Any],
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapper(request: web.Request) -> web.Response:
            data = await body(request)
            try:
                result = handler(data)
            except (KeyError, ValueError, TypeError) as err:
                return _json({"error": f"bad request: {err}"}, 400)
            return _json(result if result is not None else {"ok": True})

        return wrapper

    def snapshot(_: dict[str, Any]) -> dict[str, Any]:
        return {
            "accounts": {
                name: {
                    "platform": account.platform,
                    "preset": account.preset,
                    "auth_style": account.auth_style,
                    "key": account.key,
                    "user_id": account.user_id,
                    "uploaded": account.uploaded,
                    "downloaded": account.downloaded,
                }
                for name, account in state.accounts.items()
            },
            "fault": None
            if state.fault is None
            else {
                **asdict(state.fault),
                "actions": sorted(state.fault.actions) if state.fault.actions else None,
            },
        }

    def set_fault(data: dict[str, Any]) -> None:
        state.set_fault(
            str(data["mode"]),
            times=None if data.get("times") is None else int(data["times"]),
            retry_after=None
            if data.get("retry_after") is None
            else int(data["retry_after"]),
            delay=None if data.get("delay") is None else float(data["delay"]),
            actions=set(data["actions"]) if data.get("actions") else None,
        )

    def account_name(data: dict[str, Any]) -> str:
        name = str(data["account"])
        if name not in state.accounts:
            raise ValueError(f"unknown account {name!r}")
        return name

    def requests(_: dict[str, Any]) -> list[dict[str, Any]]:
        return [asdict(record) for record in state.requests]

    return [
        web.get("/_demo/state", guarded(snapshot)),
        web.post("/_demo/fault", guarded(set_fault)),
        web.delete("/_demo/fault", guarded(lambda _: state.clear_fault())),
        web.post(
            "/_demo/advance", guarded(lambda d: state.advance(int(d.get("steps", 1))))
        ),
        web.post(
            "/_demo/drop_ratio",
            guarded(
                lambda d: state.drop_ratio(account_name(d), float(d.get("by", 0.1)))
            ),
        ),
        web.post(
            "/_demo/rotate_key",
            guarded(lambda d: {"key": state.rotate_key(account_name(d))}),
        ),
        web.post(
            "/_demo/restore_key",
            guarded(lambda d: {"key": state.restore_key(account_name(d))}),
        ),
        web.get("/_demo/requests", guarded(requests)),
        web.post("/_demo/reset", guarded(lambda _: state.reset())),
    ]


def create_app(state: DemoState | None = None) -> web.Application:
    """Return the demo tracker application serving ``state``."""
    state = state or DemoState()
    handlers = DemoTrackerApp(state)
    app = web.Application()
    app.add_routes(
        [
            web.get("/ajax.php", handlers.gazelle),
            web.get("/api.php", handlers.ggn),
            *_control_routes(state),
        ]
    )
    return app
