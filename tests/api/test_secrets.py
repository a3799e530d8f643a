"""No secret reaches an exception message or a log line, whatever the tracker does."""

from __future__ import annotations

import logging

import aiohttp
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    AuthStyle,
    GazelleClient,
    GGnClient,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
)
from demo_tracker.testing import DemoTracker

# The library's loggers: custom_components.tracker_stats.api.*, or
# tracker_stats_api.* when scripts/test runs these tests on the built wheel.
LIBRARY_LOGGER = api_library.__name__
FAULTS = (
    "html_login",
    "server_error",
    "bad_gateway",
    "rate_limit",
    "rate_limit_text",
    "malformed_json",
    "redirect",
    "wrong_shape",
    "missing_fields",
    "wrong_types",
    "failure_message",
)
SECRET_FRAGMENTS = ("demopasskey", "demoauthkey", "203.0.113.", "@example.invalid")


def assert_no_secret(text: str, key: str) -> None:
    """Fail if ``text`` holds the key or anything from the accounts' secrets."""
    assert key not in text
    assert "key=" not in text
    for fragment in SECRET_FRAGMENTS:
        assert fragment not in text


@pytest.mark.parametrize("fault", FAULTS)
async def test_no_secret_in_errors_or_logs(
    session: aiohttp.ClientSession,
    demo: DemoTracker,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """Each fault, both platforms, debug logging on."""
    caplog.set_level(logging.DEBUG, logger=LIBRARY_LOGGER)
    clients = {
        demo.keys["red"]: GazelleClient(
            session, demo.url, demo.keys["red"], auth_style=AuthStyle.RAW
        ),
        demo.keys["ggn"]: GGnClient(session, demo.url, demo.keys["ggn"]),
    }
    for key, client in clients.items():
        demo.state.set_fault(fault, retry_after=5)
        outcome: object
        try:
            outcome = await client.async_get_stats()
        except TrackerError as err:
            outcome = err
            assert_no_secret(str(err), key)
        assert_no_secret(repr(outcome), key)
        if fault == "rate_limit":
            assert isinstance(outcome, TrackerRateLimitError)
            assert outcome.retry_after == 5
        demo.state.clear_fault()
        ours = "\n".join(
            record.getMessage()
            for record in caplog.records
            if record.name.startswith(LIBRARY_LOGGER)
        )
        assert_no_secret(ours, key)


async def test_hang_times_out_without_secret(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """A hanging tracker gives a timeout error that names no key."""
    demo.state.set_fault("hang", delay=30)
    client = GGnClient(
        session,
        demo.url,
        demo.keys["ggn"],
        remote_user_id=74360,
        request_timeout=0.3,
    )
    with pytest.raises(TrackerConnectionError, match="did not answer") as caught:
        await client.async_get_stats()
    assert_no_secret(str(caught.value), demo.keys["ggn"])
