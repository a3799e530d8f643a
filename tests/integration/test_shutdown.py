"""Unloading the entry or stopping Home Assistant while the tracker hangs.

A poll waiting on the tracker must end at once and quietly: no traceback from
the HTTP session closing under it, no error log, no task left running for
Home Assistant to warn about.
"""

from __future__ import annotations

import asyncio
import logging
import time

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest

from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

RATIO = "sensor.redacted_johndoe_ratio"
# The demo hangs far longer than the 30 s request timeout; the test must not wait.
HANG_SECONDS = 600
PROMPTLY = 3.0


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """No warning or error, and no traceback at any level."""
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not loud, [r.getMessage() for r in loud]
    assert all(r.exc_info is None for r in caplog.records)


async def start_hanging_poll(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> tuple[asyncio.Task[None], object]:
    """Set an account up, then start a poll the tracker never answers."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert hass.states.get(RATIO).state == "4.0"
    demo.state.set_fault("hang", delay=HANG_SECONDS)
    poll = hass.async_create_task(entry.runtime_data.async_refresh())
    await asyncio.sleep(0.2)
    assert not poll.done()
    return poll, entry


async def test_unload_ends_a_hanging_poll(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unloading the entry cancels the request it waits on."""
    poll, entry = await start_hanging_poll(hass, demo, demo_entry)
    caplog.clear()
    started = time.monotonic()
    assert await hass.config_entries.async_unload(entry.entry_id)  # type: ignore[attr-defined]
    await asyncio.wait_for(poll, PROMPTLY)
    assert time.monotonic() - started < PROMPTLY
    assert entry.state is ConfigEntryState.NOT_LOADED  # type: ignore[attr-defined]
    assert_quiet(caplog)


async def test_stop_ends_a_hanging_poll(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stopping Home Assistant cancels the request before the session closes."""
    poll, _ = await start_hanging_poll(hass, demo, demo_entry)
    caplog.clear()
    started = time.monotonic()
    await hass.async_stop(force=True)
    assert time.monotonic() - started < PROMPTLY
    assert poll.done()
    assert_quiet(caplog)
