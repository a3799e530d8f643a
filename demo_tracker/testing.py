"""Run the demo tracker inside a test's event loop, on a real loopback socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass

from aiohttp import web

from .app import create_app
from .state import DemoState


@dataclass
class DemoTracker:
    """A running demo tracker: where it listens and the state to steer it."""

    url: str
    state: DemoState
    _runner: web.AppRunner
    _ticker: asyncio.Task[None] | None = None
    _closed: bool = False

    @property
    def keys(self) -> dict[str, str]:
        """Return each demo account's current API key."""
        return self.state.keys

    async def close(self) -> None:
        """Stop serving; hanging replies are let go first. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.state.hangs_released.set()
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        await self._runner.cleanup()


async def _tick_forever(state: DemoState, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        state.advance()


async def start_demo_tracker(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    state: DemoState | None = None,
    live_tick: float | None = None,
) -> DemoTracker:
    """Serve a demo tracker on ``host:port`` (0: a free port) and return it.

    ``state`` lets the caller prepare the tracker (default: the seeds' values);
    ``live_tick`` makes the stats advance one step every so many seconds.
    Raises OSError when the port cannot be bound.
    """
    if live_tick is not None and live_tick < 0:
        raise ValueError("live_tick must not be negative")
    state = state or DemoState()
    # No access log: GGn keys travel in the query string it would print. A short
    # shutdown timeout: close() must not wait for a client's slow reply.
    runner = web.AppRunner(create_app(state), shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_port = runner.addresses[0][1]
    url_host = f"[{host}]" if ":" in host else host
    ticker = None
    if live_tick:
        ticker = asyncio.get_running_loop().create_task(_tick_forever(state, live_tick))
    return DemoTracker(f"http://{url_host}:{bound_port}", state, runner, ticker)


@contextlib.asynccontextmanager
async def running_demo_tracker(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    state: DemoState | None = None,
    live_tick: float | None = None,
) -> AsyncIterator[DemoTracker]:
    """Serve a demo tracker for the duration of an ``async with`` block."""
    tracker = await start_demo_tracker(host, port, state=state, live_tick=live_tick)
    try:
        yield tracker
    finally:
        await tracker.close()
