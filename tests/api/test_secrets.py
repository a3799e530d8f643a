"""No secret reaches an exception message or a log line, whatever the tracker does."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    GGnClient,
    TrackerConnectionError,
)
from demo_tracker.testing import DemoTracker

SECRET_FRAGMENTS = ("demopasskey", "demoauthkey", "203.0.113.", "@example.invalid")


def assert_no_secret(text: str, key: str) -> None:
    """Fail if ``text`` holds the key or anything from the accounts' secrets."""
    assert key not in text
    assert "key=" not in text
    for fragment in SECRET_FRAGMENTS:
        assert fragment not in text


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
