"""Fixtures for the demo tracker's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest


@pytest.fixture(autouse=True)
def _allow_sockets(socket_enabled: None) -> None:
    """Let every test here use real loopback sockets (pytest-socket blocks them)."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Give a plain client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session
