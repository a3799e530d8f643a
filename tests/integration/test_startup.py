"""Start-up with a slow tracker: setup waits a bounded time for the first poll."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import time
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats import FIRST_REFRESH_WAIT_SECONDS
from custom_components.tracker_stats.api import TrackerAuthError
from custom_components.tracker_stats.diagnostics import (
    async_get_config_entry_diagnostics,
)
from demo_tracker.testing import DemoTracker

from .conftest import JOHN_DOE, EntryFactory, setup_entry

RATIO = "sensor.redacted_johndoe_ratio"
# Patched in for the module's bound, so the tests do not wait 10 s.
SHORT_WAIT = 0.2


@pytest.fixture
def short_wait() -> Iterator[None]:
    """Shorten setup's wait for the first poll."""
    with patch(
        "custom_components.tracker_stats.FIRST_REFRESH_WAIT_SECONDS", SHORT_WAIT
    ):
        yield


async def until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Wait until ``condition`` holds; background tasks are not block_till_done's."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.02)


def test_the_bound_is_well_below_the_request_timeout() -> None:
    """Setup waits at most 10 s; a poll may take 30 s."""
    assert FIRST_REFRESH_WAIT_SECONDS == 10.0


async def test_answering_tracker_sets_up_with_data(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, short_wait: None
) -> None:
    """The fast path is unchanged: data is there when setup returns."""
    entry = demo_entry("red")
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
    await hass.async_block_till_done()
    assert hass.states.get(RATIO).state == "4.0"


async def test_failing_tracker_still_retries_setup(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, short_wait: None
) -> None:
    """A tracker that fails within the wait puts the entry in retry, as before."""
    demo.state.set_fault("server_error")
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_slow_tracker_does_not_hold_up_setup(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, short_wait: None
) -> None:
    """Past the wait, setup finishes without data; the entities come alive later."""
    demo.state.set_fault("hang", delay=600)
    entry = demo_entry("red")
    started = time.monotonic()
    await setup_entry(hass, entry)
    assert time.monotonic() - started < SHORT_WAIT + 1.0
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.data is None
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["stats"] is None

    demo.state.clear_fault()
    await until(lambda: hass.states.get(RATIO).state == "4.0")
    assert entry.runtime_data.last_update_success


async def test_key_rejected_after_the_wait_starts_reauth(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    short_wait: None,
) -> None:
    """A first poll that ends in a rejected key after setup still asks to reauth."""
    answer = asyncio.Event()

    async def slow_rejection() -> None:
        await answer.wait()
        raise TrackerAuthError("rejected")

    mock_client.async_get_stats.side_effect = slow_rejection
    await setup_entry(hass, mock_entry)
    assert mock_entry.state is ConfigEntryState.LOADED
    answer.set()

    def reauth_started() -> bool:
        flows = hass.config_entries.flow.async_progress()
        return [f["context"]["source"] for f in flows] == ["reauth"]

    await until(reauth_started)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE


async def test_slow_first_poll_that_succeeds_matches_the_fast_path(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    short_wait: None,
) -> None:
    """Late data reaches the entities exactly as on-time data would."""
    answer = asyncio.Event()

    async def slow_answer() -> object:
        await answer.wait()
        return JOHN_DOE

    mock_client.async_get_stats.side_effect = slow_answer
    await setup_entry(hass, mock_entry)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    answer.set()
    await until(lambda: hass.states.get(RATIO).state == "4.0")
