"""The demo tracker's aiohttp application: dispatch, faults and the request log."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
import contextlib
import time

from aiohttp import web

from .accounts import Account
from .control import control_routes
from .faults import DEFAULT_HANG_SECONDS
from .platforms import (
    PLATFORMS,
    Call,
    Credential,
    Incoming,
    Platform,
    Route,
    platforms_by_route,
)
from .responses import NOT_FOUND_PAGE, html_answer, json_answer
from .state import DemoState, RecordedRequest

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class DemoTrackerApp:
    """Request handlers bound to one DemoState."""

    def __init__(self, state: DemoState) -> None:
        """Serve ``state``."""
        self.state = state
        self.routes = platforms_by_route()
        self.api_endpoints = {route.path: route.endpoint for route in self.routes}

    def _record(
        self,
        request: web.Request,
        arrived: float,
        incoming: Incoming,
        account: Account | None,
        status: int,
    ) -> None:
        credential = incoming.credential
        self.state.record(
            RecordedRequest(
                at=arrived,
                endpoint=self.api_endpoints.get(request.path, "other"),
                action=incoming.action,
                user_id=incoming.user_id,
                auth_style=None if credential is None else credential.style,
                key_accepted=account is not None,
                status=status,
                user_agent=request.headers.get("User-Agent"),
            )
        )

    def _find_account(
        self, platform: Platform, credential: Credential | None
    ) -> Account | None:
        if credential is None:
            return None
        spec = platform.spec_for_unknown_key(credential)
        if spec is not None and spec.name not in self.state.accounts:
            self.state.accounts[spec.name] = Account.from_spec(platform, spec)
        return next(
            (
                account
                for account in self.state.accounts.values()
                if account.platform == platform.name
                and platform.accepts(account, credential)
            ),
            None,
        )

    def handler(self, platforms: Sequence[Platform]) -> Handler:
        """Return the handler of a route that ``platforms`` share (usually one)."""

        async def handle(request: web.Request) -> web.StreamResponse:
            arrived = time.monotonic()
            platform = next((p for p in platforms if p.claims(request)), platforms[0])
            incoming = await platform.read(request)
            account = self._find_account(platform, incoming.credential)
            if account is None:
                answer = platform.unauthorized(incoming)
            else:
                answer = await self._answer(platform, Call(request, incoming, account))
            self._record(request, arrived, incoming, account, answer.status)
            return answer

        return handle

    async def _answer(self, platform: Platform, call: Call) -> web.StreamResponse:
        reply = platform.respond(call)
        if isinstance(reply, web.StreamResponse):
            # Errors of the request itself come before any fault.
            return reply
        fault = self.state.take_fault(call.incoming.action)
        if fault is None:
            return platform.success(reply(), call)
        if fault.mode == "hang":
            delay = DEFAULT_HANG_SECONDS if fault.delay is None else fault.delay
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.state.hangs_released.wait(), delay)
            # Rendered after the wait: a released hang shows the current stats.
            return platform.success(reply(), call)
        return platform.fault_answer(fault, reply(), call)

    async def elsewhere(self, request: web.Request) -> web.StreamResponse:
        """Answer any other path or method: 404 (405 on an API path), logged."""
        arrived = time.monotonic()
        if request.path.startswith("/_demo/"):
            return json_answer(
                {"error": f"no control endpoint {request.method} {request.path}"}, 404
            )
        answer = (
            web.Response(status=405, text="Method Not Allowed")
            if request.path in self.api_endpoints
            else html_answer(NOT_FOUND_PAGE, 404)
        )
        action = next(
            (a for p in PLATFORMS if (a := p.peek_action(request)) is not None), None
        )
        incoming = Incoming(action, None, request.query.get("id"))
        self._record(request, arrived, incoming, None, answer.status)
        return answer


def create_app(state: DemoState | None = None) -> web.Application:
    """Return the demo tracker application serving ``state``."""
    state = state or DemoState()
    handlers = DemoTrackerApp(state)
    app = web.Application()
    app.add_routes(
        [
            *(
                web.route(route.method, route.path, handlers.handler(platforms))
                for route, platforms in handlers.routes.items()
            ),
            *control_routes(state),
            # Last, so it only gets what no route above takes.
            web.route("*", "/{tail:.*}", handlers.elsewhere),
        ]
    )
    return app


__all__ = ["DemoTrackerApp", "Route", "create_app"]
