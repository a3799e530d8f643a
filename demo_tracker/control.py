"""The ``/_demo/`` control API: steer the demo tracker from outside."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict
from typing import Any

from aiohttp import web

from .accounts import MAX_STEPS
from .health import drive_health
from .responses import json_answer
from .state import DemoState


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


def _control(
    handler: Callable[[_Body], Any], *fields: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def wrapper(request: web.Request) -> web.Response:
        try:
            data = await request.json() if request.can_read_body else {}
        except ValueError:
            return json_answer({"error": "bad request: the body is not JSON"}, 400)
        if not isinstance(data, dict):
            return json_answer(
                {"error": "bad request: the body must be a JSON object"}, 400
            )
        try:
            result = handler(_Body(data, fields))
        except ValueError as err:
            return json_answer({"error": f"bad request: {err}"}, 400)
        return json_answer(result if result is not None else {"ok": True})

    return wrapper


def snapshot(state: DemoState) -> dict[str, Any]:
    """Return what ``GET /_demo/state`` shows."""
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


def control_routes(state: DemoState) -> list[web.RouteDef]:
    """Return the ``/_demo/`` routes that steer the tracker from outside."""

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
        web.get("/_demo/state", _control(lambda _: snapshot(state))),
        web.post(
            "/_demo/fault",
            _control(set_fault, "mode", "times", "retry_after", "delay", "actions"),
        ),
        web.delete("/_demo/fault", _control(lambda _: state.clear_fault())),
        web.post("/_demo/advance", _control(advance, "steps")),
        web.post("/_demo/drop_ratio", _control(drop_ratio, "account", "by")),
        web.post(
            "/_demo/health",
            _control(
                lambda b: drive_health(state, b.text("account"), b.text("verdict")),
                "account",
                "verdict",
            ),
        ),
        web.post(
            "/_demo/rotate_key",
            _control(lambda b: {"key": state.rotate_key(b.text("account"))}, "account"),
        ),
        web.post(
            "/_demo/restore_key",
            _control(
                lambda b: {"key": state.restore_key(b.text("account"))}, "account"
            ),
        ),
        web.get(
            "/_demo/requests",
            _control(lambda _: [asdict(record) for record in state.requests]),
        ),
        web.delete("/_demo/requests", _control(lambda _: state.clear_requests())),
        web.post("/_demo/reset", _control(lambda _: state.reset())),
    ]
