"""Run the demo tracker inside a test's event loop, on a real loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from aiohttp import web

from .server import DemoState, create_app


@dataclass
class DemoTracker:
    """A running demo tracker: where it listens and the state to steer it."""

    url: str
    state: DemoState
    _runner: web.AppRunner
    _ticker: asyncio.Task[None] | None = None

    @property
    def keys(self) -> dict[str, str]:
        """Return each demo account's current API key."""
        return self.state.keys

    async def close(self) -> None:
        """Stop serving; hanging replies are let go first."""
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

    ``live_tick`` makes the stats move every so many seconds.
    """
    state = state or DemoState()
    runner = web.AppRunner(create_app(state), shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = runner.addresses[0][1]
    ticker = None
    if live_tick:
        ticker = asyncio.get_running_loop().create_task(_tick_forever(state, live_tick))
    return DemoTracker(f"http://{host}:{bound_port}", state, runner, ticker)
