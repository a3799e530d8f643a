"""The demo tracker's aiohttp application: both APIs, faults and a control API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
import contextlib
from dataclasses import asdict, dataclass, field
import math
import time
from typing import Any

from aiohttp import web

from .accounts import (
    BENCH_KEY_PREFIX,
    MAX_STEPS,
    Account,
    bench_account,
    demo_accounts,
)

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Login :: Demo Tracker</title></head>
<body><form class="auth_form" name="login" method="post" action="login.php">
<input type="text" name="username"><input type="password" name="password">
<input type="submit" value="Log in"></form></body></html>
"""
ERROR_PAGE = (
    "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>"
)
NOT_FOUND_PAGE = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"
DEFAULT_HANG_SECONDS = 600.0
# Action (Gazelle) and request (GGn) names a fault can be scoped to.
KNOWN_ACTIONS = frozenset({"index", "user", "quick_user"})
API_ENDPOINTS = ("ajax.php", "api.php")
# Enough for any test or benchmark; keeps a long-running demo from growing forever.
MAX_RECORDED_REQUESTS = 100_000

# Values of the wrong type, put in place of these fields wherever they occur.
WRONG_TYPES: dict[str, Any] = {
    "uploaded": "lots",
    "downloaded": None,
    "ratio": {},
    "class": 7,
    "seedingcount": "x",
    "seeding": "x",
    "warned": "maybe",
    "joinedDate": 12,
}


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

    at: float  # time.monotonic() when the request arrived
    endpoint: str  # "ajax.php", "api.php" or "other"
    action: str | None  # Gazelle ``action`` or GGn ``request``
    user_id: str | None  # the ``id`` query parameter
    auth_style: str | None  # "token", "raw", "query" or None
    key_accepted: bool
    status: int
    user_agent: str | None


def _json(payload: Any, status: int = 200, **headers: str) -> web.Response:
    return web.json_response(payload, status=status, headers=headers or None)


def _failure(error: str, status: int) -> web.Response:
    return _json({"status": "failure", "error": error}, status)


def _success(response: Any) -> web.Response:
    return _json({"status": "success", "response": response})


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/html")


def _login_redirect() -> web.Response:
    return web.Response(status=302, headers={"Location": "login.php"})


def _mistype(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: WRONG_TYPES[key] if key in WRONG_TYPES else _mistype(item)
            for key, item in value.items()
        }
    return value


def _rate_limited(fault: Fault) -> web.Response:
    headers = (
        {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    )
    return _json({"status": "failure", "error": "Rate limit exceeded"}, 429, **headers)


type FaultResponse = Callable[[Fault, dict[str, Any]], web.Response]

# How each fault answers, given the fault and the answer the tracker would
# have sent. "hang" is not here: it delays the normal answer instead.
FAULT_RESPONSES: dict[str, FaultResponse] = {
    "html_login": lambda _f, _r: _html(LOGIN_PAGE),
    "server_error": lambda _f, _r: _html(ERROR_PAGE, 500),
    "bad_gateway": lambda _f, _r: web.Response(
        status=502, text="Bad Gateway", content_type="text/plain"
    ),
    "rate_limit": lambda fault, _r: _rate_limited(fault),
    "rate_limit_text": lambda _f, _r: _failure("Rate limit exceeded, slow down", 200),
    "malformed_json": lambda _f, _r: web.Response(
        text='{"status": "success", "response": {"username": ',
        content_type="application/json",
    ),
    "redirect": lambda _f, _r: _login_redirect(),
    "wrong_shape": lambda _f, _r: _success([]),
    "missing_fields": lambda _f, response: _success(
        {k: v for k, v in response.items() if k not in ("userstats", "stats")}
    ),
    "wrong_types": lambda _f, response: _success(_mistype(response)),
    "failure_message": lambda _f, _r: _failure(
        "Your API key is invalid or revoked", 200
    ),
}
FAULT_MODES = ("hang", *FAULT_RESPONSES)


@dataclass
class DemoState:
    """Everything a test or the operator can see and change."""

    accounts: dict[str, Account] = field(default_factory=demo_accounts)
    fault: Fault | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    # Set to let hanging replies finish: when the fault is cleared or replaced,
    # and at close, so that shutting down never waits for a hang.
    hangs_released: asyncio.Event = field(default_factory=asyncio.Event)

    def set_fault(
        self,
        mode: str,
        *,
        times: int | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        actions: Iterable[str] | None = None,
    ) -> None:
        """Misbehave in ``mode`` for ``times`` matching requests (None: until cleared).

        ``actions`` limits the fault to these action/request names (index, user,
        quick_user). Raises ValueError for an unknown mode or a bad argument.
        """
        if mode not in FAULT_MODES:
            raise ValueError(
                f"unknown fault mode {mode!r}; known: {', '.join(FAULT_MODES)}"
            )
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None: until cleared)")
        if retry_after is not None and retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if delay is not None and not (math.isfinite(delay) and delay >= 0):
            raise ValueError("delay must be a non-negative number of seconds")
        scope = None if actions is None else frozenset(actions)
        if scope is not None and (not scope or not scope <= KNOWN_ACTIONS):
            raise ValueError(
                f"actions must be a non-empty subset of {sorted(KNOWN_ACTIONS)}"
            )
        self.hangs_released.set()
        self.fault = Fault(mode, times, retry_after, delay, scope)
        self.hangs_released = asyncio.Event()

    def clear_fault(self) -> None:
        """Behave again; replies still hanging are let go."""
        self.fault = None
        self.hangs_released.set()

    def _account(self, name: str) -> Account:
        if name not in self.accounts:
            raise ValueError(f"unknown account {name!r}")
        return self.accounts[name]

    def rotate_key(self, account: str) -> str:
        """Give ``account`` a new key; the old one is rejected from now on."""
        entry = self._account(account)
        suffix = entry.key.removeprefix(entry.original_key + "-")
        generation = int(suffix) + 1 if suffix.isdigit() else 2
        entry.key = f"{entry.original_key}-{generation}"
        return entry.key

    def restore_key(self, account: str) -> str:
        """Put back the account's original key."""
        entry = self._account(account)
        entry.key = entry.original_key
        return entry.key

    def advance(self, steps: int = 1) -> None:
        """Let ``steps`` ticks of time pass for every account."""
        for account in self.accounts.values():
            account.advance(steps)

    def drop_ratio(self, account: str, by: float = 0.1) -> None:
        """Make ``account``'s ratio fall by at least ``by``."""
        self._account(account).drop_ratio(by)

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.requests.clear()

    def reset(self) -> None:
        """Back to the seeds' values and keys, no fault, empty log."""
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

    def record(self, request: RecordedRequest) -> None:
        """Append ``request`` to the log, dropping the oldest beyond the cap."""
        self.requests.append(request)
        if len(self.requests) > MAX_RECORDED_REQUESTS:
            del self.requests[: len(self.requests) - MAX_RECORDED_REQUESTS]


class DemoTrackerApp:
    """Request handlers bound to one DemoState."""

    def __init__(self, state: DemoState) -> None:
        """Serve ``state``."""
        self.state = state

    def _record(
        self,
        request: web.Request,
        arrived: float,
        *,
        action: str | None,
        auth_style: str | None,
        account: Account | None,
        status: int,
    ) -> None:
        endpoint = request.path.rsplit("/", 1)[-1]
        self.state.record(
            RecordedRequest(
                at=arrived,
                endpoint=endpoint if endpoint in API_ENDPOINTS else "other",
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
        if key.startswith(BENCH_KEY_PREFIX) and key.endswith("-key"):
            # Benchmark accounts appear on first use: any number works.
            number = key.removeprefix(BENCH_KEY_PREFIX).removesuffix("-key")
            if number.isdigit() and f"bench-{int(number)}" not in self.state.accounts:
                self.state.accounts[f"bench-{int(number)}"] = bench_account(int(number))
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
        arrived = time.monotonic()
        action = request.query.get("action")
        header = request.headers.get("Authorization")
        account, style = self._gazelle_account(header)
        answer = await self._gazelle_answer(
            action, header, account, request.query.get("id")
        )
        self._record(
            request,
            arrived,
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
            return _login_redirect()
        if account is None:
            return _failure("bad credentials", 401)
        if action == "index":
            return await self._answer(account.index, action)
        if action == "user":
            if user_id != str(account.user_id):
                return _failure("bad id parameter", 400)
            if account.profile_broken:
                return _html(ERROR_PAGE, 500)
            return await self._answer(account.profile, action)
        return _failure("bad action", 400)

    async def ggn(self, request: web.Request) -> web.StreamResponse:
        """Serve ``api.php?request=quick_user|user``."""
        arrived = time.monotonic()
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
            arrived,
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
        fault = self.state.take_fault(action)
        if fault is None:
            return _success(response)
        if fault.mode == "hang":
            delay = DEFAULT_HANG_SECONDS if fault.delay is None else fault.delay
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.state.hangs_released.wait(), delay)
            # Serialised after the wait: a released hang shows the current stats.
            return _success(response)
        return FAULT_RESPONSES[fault.mode](fault, response)

    async def elsewhere(self, request: web.Request) -> web.StreamResponse:
        """Answer any other path or method: 404 (405 on an API path), logged."""
        arrived = time.monotonic()
        if request.path.startswith("/_demo/"):
            return _json(
                {"error": f"no control endpoint {request.method} {request.path}"}, 404
            )
        endpoint = request.path.rsplit("/", 1)[-1]
        answer = (
            web.Response(status=405, text="Method Not Allowed")
            if endpoint in API_ENDPOINTS
            else _html(NOT_FOUND_PAGE, 404)
        )
        self._record(
            request,
            arrived,
            action=request.query.get("action") or request.query.get("request"),
            auth_style=None,
            account=None,
            status=answer.status,
        )
        return answer


class BadInputError(ValueError):
    """A control request's body does not say what the endpoint needs."""


class _Body:
    """A control request's JSON object, read field by field with checks."""

    def __init__(self, data: dict[str, Any], allowed: Iterable[str]) -> None:
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise BadInputError(
                f"unknown field(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(allowed) or 'none'}"
            )
        self.data = data

    def text(self, name: str, default: str | None = None) -> str:
        value = self.data.get(name, default)
        if value is None:
            raise BadInputError(f"{name} is required")
        if not isinstance(value, str):
            raise BadInputError(f"{name} must be a string")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.data.get(name, default)
        # bool is an int subclass; `true` is never a meant count.
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            raise BadInputError(f"{name} must be an integer or null")
        return value

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.data.get(name, default)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise BadInputError(f"{name} must be a number or null")
        return None if value is None else float(value)

    def names(self, name: str) -> list[str] | None:
        value = self.data.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise BadInputError(f"{name} must be a list of strings or null")
        return value


def _control_routes(state: DemoState) -> list[web.RouteDef]:
    """Return the ``/_demo/`` routes that steer the tracker from outside."""

    def control(
        handler: Callable[[_Body], Any], *fields: str
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapper(request: web.Request) -> web.Response:
            try:
                data = await request.json() if request.can_read_body else {}
            except ValueError:
                return _json({"error": "bad request: the body is not JSON"}, 400)
            if not isinstance(data, dict):
                return _json(
                    {"error": "bad request: the body must be a JSON object"}, 400
                )
            try:
                result = handler(_Body(data, fields))
            except ValueError as err:
                return _json({"error": f"bad request: {err}"}, 400)
            return _json(result if result is not None else {"ok": True})

        return wrapper

    def snapshot(_: _Body) -> dict[str, Any]:
        fault = state.fault
        return {
            "accounts": {
                name: {
                    "platform": account.platform,
                    "preset": account.preset,
                    "auth_style": account.auth_style,
                    # Demo keys, meant to be shown: the banner prints them too.
                    "key": account.key,
                    "user_id": account.user_id,
                    "username": account.username,
                    "uploaded": account.uploaded,
                    "downloaded": account.downloaded,
                    "ratio": account.ratio,
                }
                for name, account in state.accounts.items()
            },
            "fault": None
            if fault is None
            else {
                **asdict(fault),
                "actions": sorted(fault.actions) if fault.actions else None,
            },
            "requests": len(state.requests),
        }

    def set_fault(body: _Body) -> None:
        state.set_fault(
            body.text("mode"),
            times=body.integer("times"),
            retry_after=body.integer("retry_after"),
            delay=body.number("delay"),
            actions=body.names("actions"),
        )

    def advance(body: _Body) -> None:
        steps = body.integer("steps", 1)
        if steps is None or not 1 <= steps <= MAX_STEPS:
            raise BadInputError(f"steps must be an integer from 1 to {MAX_STEPS}")
        state.advance(steps)

    def drop_ratio(body: _Body) -> None:
        by = body.number("by", 0.1)
        state.drop_ratio(body.text("account"), 0.1 if by is None else by)

    return [
        web.get("/_demo/state", control(snapshot)),
        web.post(
            "/_demo/fault",
            control(set_fault, "mode", "times", "retry_after", "delay", "actions"),
        ),
        web.delete("/_demo/fault", control(lambda _: state.clear_fault())),
        web.post("/_demo/advance", control(advance, "steps")),
        web.post("/_demo/drop_ratio", control(drop_ratio, "account", "by")),
        web.post(
            "/_demo/rotate_key",
            control(lambda b: {"key": state.rotate_key(b.text("account"))}, "account"),
        ),
        web.post(
            "/_demo/restore_key",
            control(lambda b: {"key": state.restore_key(b.text("account"))}, "account"),
        ),
        web.get(
            "/_demo/requests",
            control(lambda _: [asdict(record) for record in state.requests]),
        ),
        web.delete("/_demo/requests", control(lambda _: state.clear_requests())),
        web.post("/_demo/reset", control(lambda _: state.reset())),
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
            # Last, so it only gets what no route above takes.
            web.route("*", "/{tail:.*}", handlers.elsewhere),
        ]
    )
    return app
