"""Helpers for the demo tracker's tests: requests, the control API, the demo keys."""

from __future__ import annotations

from typing import Any

import aiohttp

from demo_tracker import fixtures
from demo_tracker.testing import DemoTracker

RED = {"Authorization": "demo-red-key"}
OPS = {"Authorization": "token demo-ops-key"}
FORK = {"Authorization": "token demo-fork-key"}
GGN_QUICK = "/api.php?request=quick_user&key=demo-ggn-key"
GGN_USER = "/api.php?request=user&id=74360&key=demo-ggn-key"
KEYS = ("demo-red-key", "demo-ops-key", "demo-fork-key", "demo-ggn-key")

# The seed's action=index example, typed once in its fixture file.
SEED_RED_INDEX = fixtures.load("gazelle", "index")


async def get(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """GET without following redirects; return status and JSON (or text)."""
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


async def control(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    method: str,
    path: str,
    payload: Any = None,
) -> tuple[int, Any]:
    """Call a /_demo/ endpoint with a JSON body; return status and JSON."""
    async with session.request(
        method, f"{demo.url}/_demo/{path}", json=payload
    ) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


def fault_mode(demo: DemoTracker) -> str | None:
    """Return the current fault's mode (a call, so type narrowing stays honest)."""
    return None if demo.state.fault is None else demo.state.fault.mode
