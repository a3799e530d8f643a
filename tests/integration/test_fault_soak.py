"""Fault soak: random sequences of tracker behaviour against the real coordinator.

After every poll: Home Assistant runs, nothing escaped, the ratio entity is
either the tracker's current value, unknown (the tracker did not say) or
unavailable, never a stale or made-up number; reauth is asked exactly when the
key was rejected; no request goes out inside a Retry-After window; entry.data
is untouched and no log line holds the key.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import logging
import time
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import CoreState, HomeAssistant
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.tracker_stats.coordinator import (
    DEFAULT_RATE_LIMIT_BACKOFF,
    MAX_RATE_LIMIT_BACKOFF,
)
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

RATIO = "sensor.redacted_johndoe_ratio"
KEY = "demo-red-key"
UNAVAILABLE_FAULTS = (
    "server_error",
    "bad_gateway",
    "html_login",
    "redirect",
    "malformed_json",
    "wrong_shape",
    "hang",
)
UNKNOWN_FAULTS = ("missing_fields", "wrong_types")
# Hanging replies are cut off quickly so hundreds of steps stay fast. Only
# those: a loaded machine can take longer than that to answer a good request.
HANG_TIMEOUT = aiohttp.ClientTimeout(total=0.05)
ANSWER_TIMEOUT = aiohttp.ClientTimeout(total=10)
# How long the demo may take to record a request after the poll ended.
RECORD_WAIT_SECONDS = 5.0

Step = tuple[str, Any]
STEPS = st.one_of(
    st.just(("good", None)),
    st.tuples(st.just("fault"), st.sampled_from(UNAVAILABLE_FAULTS + UNKNOWN_FAULTS)),
    st.tuples(st.just("rate_limit"), st.sampled_from([None, 1, 45, 600, 10**6])),
    st.just(("rate_limit_text", None)),
    st.just(("failure_message", None)),
    st.just(("revoke", None)),
    st.just(("restore", None)),
    st.tuples(st.just("wait"), st.sampled_from([5, 61, 700, 7 * 3600])),
)


class FakeClock:
    """The coordinator's monotonic clock, moved by the test, not by waiting."""

    def __init__(self) -> None:
        """Start far from zero, like a real monotonic clock."""
        self.now = 1000.0

    def monotonic(self) -> float:
        """Return the test's idea of now."""
        return self.now


async def recorded_after(demo: DemoTracker, count: int, expected: bool) -> None:
    """Wait until the demo recorded more than ``count`` requests, if one is expected."""
    deadline = time.monotonic() + (RECORD_WAIT_SECONDS if expected else 0.01)
    while time.monotonic() < deadline:
        if len(demo.state.requests) > count:
            return
        await asyncio.sleep(0.005)


@dataclass
class Model:
    """What the tracker and the coordinator should be doing."""

    key_valid: bool = True
    not_before: float = 0.0
    rejected_once: bool = False


@pytest.fixture
async def soak_setup(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> Any:
    """One account, a fake clock for Retry-After, a short request timeout."""
    clock = FakeClock()
    with patch("custom_components.tracker_stats.coordinator.time", clock):
        entry = demo_entry("red")
        await setup_entry(hass, entry)
        yield entry, clock


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=10))
async def test_fault_soak(  # noqa: PLR0915 - one loop, one model, on purpose
    hass: HomeAssistant,
    demo: DemoTracker,
    soak_setup: Any,
    caplog: pytest.LogCaptureFixture,
    steps: list[Step],
) -> None:
    """Hundreds of polls through random misbehaviour keep every promise."""
    entry, clock = soak_setup
    coordinator = entry.runtime_data
    original_data = dict(entry.data)
    # Each example starts from a fresh tracker and no pending reauth.
    demo.state.reset()
    for flow in hass.config_entries.flow.async_progress():
        hass.config_entries.flow.async_abort(flow["flow_id"])
    clock.now += 10 * MAX_RATE_LIMIT_BACKOFF
    model = Model()

    for action, argument in steps:
        demo.state.clear_fault()
        expected: str | None = None  # None: the tracker's current ratio
        match action:
            case "good":
                demo.state.drop_ratio("red", 0.05)
            case "fault":
                demo.state.set_fault(argument, delay=1)
                expected = (
                    STATE_UNKNOWN if argument in UNKNOWN_FAULTS else STATE_UNAVAILABLE
                )
            case "rate_limit":
                demo.state.set_fault("rate_limit", retry_after=argument)
                expected = STATE_UNAVAILABLE
            case "rate_limit_text" | "failure_message":
                demo.state.set_fault(action)
                expected = STATE_UNAVAILABLE
            case "revoke":
                demo.state.rotate_key("red")
                model.key_valid = False
            case "restore":
                demo.state.restore_key("red")
                model.key_valid = True
            case "wait":
                clock.now += argument
                continue

        hangs = action == "fault" and argument == "hang"
        coordinator.client._http._timeout = HANG_TIMEOUT if hangs else ANSWER_TIMEOUT
        sent_before = len(demo.state.requests)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        # The demo records a request when it answers: let a hung reply finish,
        # and wait for its record, or it lands in the next step's count.
        demo.state.hangs_released.set()
        await recorded_after(demo, sent_before, clock.now >= model.not_before)
        sent = len(demo.state.requests) > sent_before
        state = hass.states.get(RATIO).state

        assert hass.state is CoreState.running
        if clock.now < model.not_before:
            assert not sent, "a request went out inside the Retry-After window"
            assert state == STATE_UNAVAILABLE
        else:
            assert sent
            if not model.key_valid or action == "failure_message":
                model.rejected_once = True
                assert state == STATE_UNAVAILABLE
            elif action in ("rate_limit", "rate_limit_text"):
                wait = (
                    argument
                    if action == "rate_limit" and argument is not None
                    else None
                )
                wait = min(wait or DEFAULT_RATE_LIMIT_BACKOFF, MAX_RATE_LIMIT_BACKOFF)
                model.not_before = clock.now + wait
                assert state == STATE_UNAVAILABLE
            elif expected is None:
                current = demo.state.accounts["red"].index["userstats"]["ratio"]
                assert state == str(current), "stale or fake value"
            else:
                assert state == expected
        reauth = [
            flow
            for flow in hass.config_entries.flow.async_progress()
            if flow["context"]["source"] == "reauth"
        ]
        assert bool(reauth) == model.rejected_once
        assert dict(entry.data) == original_data

    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert all(KEY not in r.getMessage() for r in ours)
    assert all(r.exc_info is None for r in ours if r.levelno >= logging.INFO)
    demo.state.restore_key("red")
