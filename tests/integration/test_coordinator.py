"""Polling: failures make entities unavailable, recovery brings them back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
import logging
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import UpdateFailed
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.tracker_stats.api import (
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from custom_components.tracker_stats.coordinator import (
    _UPDATE_FAILED_HAS_RETRY_AFTER,
    DEFAULT_RATE_LIMIT_BACKOFF,
    MAX_RATE_LIMIT_BACKOFF,
)
from demo_tracker.testing import DemoTracker

from .conftest import JOHN_DOE, MOCK_KEY, EntryFactory, setup_entry

RATIO = "sensor.redacted_johndoe_ratio"
GGN_RATIO = "sensor.gazellegames_exampleuser_ratio"
POLL = timedelta(minutes=30)


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Run one poll, as the 30-minute schedule does.

    Real HTTP and frozen loop time don't mix (request timeouts would never
    fire), so tests call the refresh the schedule calls.
    """
    await entry.runtime_data.async_refresh()
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "fault",
    [
        "server_error",
        "bad_gateway",
        "html_login",
        "redirect",
        "malformed_json",
        "wrong_shape",
    ],
)
async def test_failure_makes_unavailable_then_recovers(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """One log line when it breaks, one when it's back; never a traceback."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    assert entry.runtime_data.update_interval == POLL
    assert hass.states.get(RATIO).state == "4.0"
    demo.state.set_fault(fault)
    await poll(hass, entry)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    await poll(hass, entry)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    demo.state.clear_fault()
    demo.state.drop_ratio("red", 0.5)
    await poll(hass, entry)
    # Back, with the new value: never the stale one.
    assert float(hass.states.get(RATIO).state) <= 3.5
    ours = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components.tracker_stats")
    ]
    failures = [r for r in ours if r.levelno >= logging.WARNING]
    assert len(failures) == 1
    # Newer Home Assistant adds the traceback at debug level only.
    assert all(r.exc_info is None for r in ours if r.levelno >= logging.INFO)
    assert sum("recovered" in r.getMessage() for r in ours) == 1
    assert "demo-red-key" not in caplog.text


async def test_timeout_makes_unavailable(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """A hanging tracker is cut off by the request timeout."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    entry.runtime_data.client._http._timeout = type(
        entry.runtime_data.client._http._timeout
    )(total=0.2)
    demo.state.set_fault("hang", delay=5)
    await poll(hass, entry)
    assert hass.states.get(GGN_RATIO).state == STATE_UNAVAILABLE
    demo.state.clear_fault()


async def test_key_rejected_while_polling_starts_reauth(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """A 401 during a poll asks for a new key; entities go unavailable."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    demo.state.rotate_key("red")
    await poll(hass, entry)
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == entry.entry_id
    assert entry.data["api_key"] == "demo-red-key"


async def test_failure_text_also_asks_reauth(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """A JSON failure saying the key is bad counts as a rejected key."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    demo.state.set_fault("failure_message")
    await poll(hass, entry)
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


@pytest.mark.parametrize(
    ("retry_after", "window"), [(3600, 3600.0), (None, DEFAULT_RATE_LIMIT_BACKOFF)]
)
async def test_rate_limit_waits_for_retry_after(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    retry_after: int | None,
    window: float,
) -> None:
    """After a 429 no request goes out before Retry-After, even on demand."""
    entry = demo_entry("red", enrich=False)
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data
    demo.state.set_fault("rate_limit", retry_after=retry_after, times=1)
    await coordinator.async_refresh()
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    sent = len(demo.state.requests)
    # A manual refresh inside the window does not reach the tracker.
    await coordinator.async_refresh()
    assert len(demo.state.requests) == sent
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE
    # Once the window has passed, the next refresh asks again and recovers.
    coordinator._not_before -= window
    await coordinator.async_refresh()
    assert len(demo.state.requests) == sent + 1
    assert hass.states.get(RATIO).state == "4.0"


async def test_rate_limit_text_is_a_rate_limit(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """A 200 whose error text says rate limit backs off too."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    demo.state.set_fault("rate_limit_text")
    await entry.runtime_data.async_refresh()
    sent = len(demo.state.requests)
    await entry.runtime_data.async_refresh()
    assert len(demo.state.requests) == sent
    assert not hass.config_entries.flow.async_progress()


async def wait_for_schedule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delay: timedelta
) -> None:
    """Let ``delay`` pass and run whatever the schedule had due by then."""
    freezer.tick(delay)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_schedule_polls_every_30_minutes(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Unavailable at the first failed poll, back at the next good one."""
    await setup_entry(hass, mock_entry)
    assert mock_client.async_get_stats.await_count == 1
    mock_client.async_get_stats.assert_awaited_with()

    mock_client.async_get_stats.side_effect = TrackerConnectionError(
        "Cannot reach the tracker"
    )
    await wait_for_schedule(hass, freezer, timedelta(minutes=29))
    assert mock_client.async_get_stats.await_count == 1
    assert hass.states.get(RATIO).state == "4.0"
    await wait_for_schedule(hass, freezer, timedelta(minutes=1))
    assert mock_client.async_get_stats.await_count == 2
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE

    mock_client.async_get_stats.side_effect = None
    mock_client.async_get_stats.return_value = replace(JOHN_DOE, ratio=3.5)
    await wait_for_schedule(hass, freezer, POLL)
    assert mock_client.async_get_stats.await_count == 3
    assert hass.states.get(RATIO).state == "3.5"

    # The one warning says what failed, in the translated words.
    [warning] = [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and r.levelno >= logging.WARNING
    ]
    assert "Could not update the tracker statistics" in warning.getMessage()
    assert "Cannot reach the tracker" in warning.getMessage()


async def test_rate_limit_holds_the_schedule(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A Retry-After longer than the interval skips the poll that falls inside it."""
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.side_effect = TrackerRateLimitError(
        "Rate limited", retry_after=3600
    )
    await wait_for_schedule(hass, freezer, POLL)
    assert mock_client.async_get_stats.await_count == 2
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE

    mock_client.async_get_stats.side_effect = None
    await wait_for_schedule(hass, freezer, POLL)
    assert mock_client.async_get_stats.await_count == 2
    assert hass.states.get(RATIO).state == STATE_UNAVAILABLE

    await wait_for_schedule(hass, freezer, POLL + timedelta(seconds=1))
    assert mock_client.async_get_stats.await_count == 3
    assert hass.states.get(RATIO).state == "4.0"


@pytest.mark.parametrize(
    ("retry_after", "window"),
    [
        (120, 120),
        (None, DEFAULT_RATE_LIMIT_BACKOFF),
        (0, DEFAULT_RATE_LIMIT_BACKOFF),
        (10**9, MAX_RATE_LIMIT_BACKOFF),
        # Whole seconds, at least one: a sub-second retry_after makes Home
        # Assistant refresh again at once, in a storm.
        (0.2, 1),
        (1.5, 2),
    ],
)
async def test_rate_limit_window(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    retry_after: float | None,
    window: float,
) -> None:
    """The tracker's Retry-After, a default without one, capped at a few hours."""
    await setup_entry(hass, mock_entry)
    coordinator = mock_entry.runtime_data
    mock_client.async_get_stats.side_effect = TrackerRateLimitError(
        "Rate limited", retry_after=retry_after
    )
    with pytest.raises(UpdateFailed) as failure:
        await coordinator._async_update_data()
    # Home Assistant drops the sentence's final period.
    assert str(failure.value) == (
        "The tracker is rate limiting requests; "
        f"the next request waits {round(window)} s"
    )
    # From HA 2025.12 the coordinator reschedules itself by retry_after.
    if _UPDATE_FAILED_HAS_RETRY_AFTER:
        assert failure.value.retry_after == window
        assert float(failure.value.retry_after).is_integer()
    else:
        assert getattr(failure.value, "retry_after", None) is None


async def test_update_failed_message_names_the_problem(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The library's (secret-free) message reaches the user; the key does not."""
    caplog.set_level(logging.DEBUG)
    await setup_entry(hass, mock_entry)
    mock_client.async_get_stats.side_effect = TrackerResponseError(
        "The tracker answered with HTML, not JSON"
    )
    await poll(hass, mock_entry)
    coordinator = mock_entry.runtime_data
    assert str(coordinator.last_exception) == (
        "Could not update the tracker statistics: "
        "The tracker answered with HTML, not JSON"
    )
    assert MOCK_KEY not in caplog.text


async def test_a_hidden_user_id_is_not_stored(
    hass: HomeAssistant,
    mock_entry: MockConfigEntry,
    mock_client: AsyncMock,
) -> None:
    """An answer without the user id leaves the stored one alone."""
    mock_client.async_get_stats.return_value = replace(JOHN_DOE, remote_user_id=None)
    await setup_entry(hass, mock_entry)
    assert mock_entry.data["remote_user_id"] == 12345
    assert hass.states.get(RATIO).state == "4.0"
