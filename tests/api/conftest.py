"""Fixtures for the API library tests: real sockets on loopback only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
import pytest

from .wheel_alias import alias_installed_library, wheel_requested

# scripts/test's wheel phase: before any test module imports the library, make
# custom_components.tracker_stats.api the installed wheel (see wheel_alias.py).
if wheel_requested():
    alias_installed_library()


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let these tests open sockets; pytest-socket still limits them to 127.0.0.1."""


type Responder = Callable[[asyncio.StreamWriter], Awaitable[None]]


@dataclass
class ScriptedReply:
    """One canned HTTP answer."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # Each one its own Set-Cookie header line, in this order.
    set_cookies: tuple[str, ...] = ()
    # Seconds to wait before answering (overlapping requests).
    delay: float = 0.0


@dataclass
class ScriptedTracker:
    """A loopback server that answers with whatever the test scripts.

    For wire cases the demo tracker has no switch for (odd statuses, huge
    bodies, HTTP-date Retry-After).
    """

    url: str = ""
    reply: ScriptedReply = field(default_factory=ScriptedReply)
    # Served first, one per request, before ``reply`` takes over.
    queue: list[ScriptedReply] = field(default_factory=list)
    seen: list[web.Request] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the request and send the next scripted reply."""
        self.seen.append(request)
        reply = self.queue.pop(0) if self.queue else self.reply
        if reply.delay:
            await asyncio.sleep(reply.delay)
        headers = CIMultiDict(reply.headers)
        for line in reply.set_cookies:
            headers.add("Set-Cookie", line)
        body = reply.body
        return web.Response(
            status=reply.status,
            body=body.encode() if isinstance(body, str) else body,
            content_type=reply.content_type,
            headers=headers,
        )


@pytest.fixture
async def scripted() -> AsyncIterator[ScriptedTracker]:
    """Serve a ScriptedTracker on a free loopback port."""
    tracker = ScriptedTracker()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", tracker.handle)
    app.router.add_route("POST", "/{tail:.*}", tracker.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    tracker.url = f"http://127.0.0.1:{port}"
    yield tracker
    await runner.cleanup()


def head(status: str = "200 OK", *headers: str) -> bytes:
    """Return a response head with the given extra header lines."""
    lines = [f"HTTP/1.1 {status}", *headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def whole(
    body: bytes, *headers: str, content_type: str = "application/json"
) -> Responder:
    """Answer with one complete body and the given extra headers."""

    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(
                "200 OK",
                f"Content-Type: {content_type}",
                f"Content-Length: {len(body)}",
                *headers,
            )
            + body
        )

    return respond


class RawTracker:
    """A loopback TCP server whose answer is whatever bytes the test writes."""

    def __init__(self) -> None:
        """Answer nothing until a test sets ``respond``."""
        self.url = ""
        self.respond: Responder = whole(b"{}")
        self.tasks: set[asyncio.Task[None]] = set()

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Read the request head, then let the test write the answer."""
        self.tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await reader.readuntil(b"\r\n\r\n")
            await self.respond(writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def raw() -> AsyncIterator[RawTracker]:
    """Serve a RawTracker on a free loopback port."""
    tracker = RawTracker()
    server = await asyncio.start_server(tracker.handle, "127.0.0.1", 0)
    tracker.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    yield tracker
    for task in tracker.tasks:
        task.cancel()
    server.close()
    await server.wait_closed()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give a plain aiohttp session, as Home Assistant's shared one would be."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session
