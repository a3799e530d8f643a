"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from demo_tracker.testing import DemoTracker, start_demo_tracker


@pytest.fixture
async def demo(socket_enabled: None) -> AsyncIterator[DemoTracker]:
    """Serve a demo tracker on a free loopback port, at the seeds' values."""
    tracker = await start_demo_tracker()
    yield tracker
    await tracker.close()
