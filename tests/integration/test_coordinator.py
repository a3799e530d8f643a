"""Polling: failures make entities unavailable, recovery brings them back."""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.coordinator import DEFAULT_RATE_LIMIT_BACKOFF
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

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
