"""Fixtures for the API library tests: real sockets on loopback only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
import pytest

from .wheel_alias import alias_installed_library, wheel_requested

# scripts/test's wheel phase: before any test module imports the library, make
# custom_components.tracker_stats.api the installed wheel (see wheel_alias.py).
if wheel_requested():
    alias_installed_library()


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let these tests open sockets; pytest-socket still limits them to 127.0.0.1."""


@dataclass
class ScriptedReply:
    """One canned HTTP answer."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ScriptedTracker:
    """A loopback server that answers with whatever the test scripts.

    For wire cases the demo tracker has no switch for (odd statuses, huge
    bodies, HTTP-date Retry-After).
    """

    url: str = ""
    reply: ScriptedReply = field(default_factory=ScriptedReply)
    seen: list[web.Request] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request and send the scripted reply."""
        self.seen.append(request)
        body = self.reply.body
        return web.Response(
            status=self.reply.status,
            body=body.encode() if isinstance(body, str) else body,
            content_type=self.reply.content_type,
            headers=self.reply.headers,
        )


@pytest.fixture
async def scripted() -> AsyncIterator[ScriptedTracker]:
    """Serve a ScriptedTracker on a free loopback port."""
    tracker = ScriptedTracker()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", tracker.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    tracker.url = f"http://127.0.0.1:{port}"
    yield tracker
    await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give a plain aiohttp session, as Home Assistant's shared one would be."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session
