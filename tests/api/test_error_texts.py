"""What a tracker's words mean: a rate limit, a bad key, a site down, or none."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    AuthStyle,
    GazelleClient,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from custom_components.tracker_stats.api._answer import (
    MAX_RETRY_AFTER_SECONDS,
    parse_retry_after,
)
from custom_components.tracker_stats.api._envelope import error_from_text
from custom_components.tracker_stats.api._http import TrackerHttp
from demo_tracker.testing import DemoTracker


@pytest.fixture
async def http() -> TrackerHttp:
    """Return a TrackerHttp for messages; it sends nothing."""
    async with aiohttp.ClientSession() as session:
        return TrackerHttp(session, "https://tracker.example", secret="k3y")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Your API key is invalid or revoked", TrackerAuthError),
        ("invalid token", TrackerAuthError),
        ("Unauthenticated.", TrackerAuthError),
        ("Rate limit exceeded", TrackerRateLimitError),
        ("Call Limit Exceeded", TrackerRateLimitError),
        # A login throttle: ask again later, never for a new key.
        ("Too many login attempts, wait 15 minutes", TrackerRateLimitError),
        # Words about keys that do not reject ours.
        ("Please check your key ring", TrackerResponseError),
        ("no such user", TrackerResponseError),
        # A site down for a while is neither a rate limit nor a bad key.
        ("Site under maintenance; try again later", TrackerConnectionError),
        ("Temporarily unavailable", TrackerConnectionError),
        (None, TrackerResponseError),
        (["not", "text"], TrackerResponseError),
    ],
)
def test_error_texts_are_read_narrowly(
    http: TrackerHttp, text: object, error: type[Exception]
) -> None:
    """A reauth makes the user act, so only a real rejection starts one."""
    assert type(error_from_text(http, text, "action=index")) is error


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("nan", None),
        ("inf", None),
        ("-5", 0.0),
        ("1e308", MAX_RETRY_AFTER_SECONDS),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER_SECONDS),
        ("Sun, 01 Jan 0001 00:00:00 GMT", 0.0),
        ("x" * 10_000, None),
        (None, None),
    ],
)
def test_retry_after_is_finite_and_bounded(
    header: str | None, seconds: float | None
) -> None:
    """NaN, infinity and absurd dates never reach the back-off as they are."""
    assert parse_retry_after(header) == seconds


async def test_a_rate_limited_profile_is_not_asked_again_at_once(
    demo: DemoTracker,
) -> None:
    """A 429 on action=user keeps the index stats and skips the profile for a while."""
    demo.state.set_fault("rate_limit", retry_after=600, actions=["user"])
    async with aiohttp.ClientSession() as session:
        client = GazelleClient(
            session, demo.url, demo.keys["red"], auth_style=AuthStyle.RAW, enrich=True
        )
        first = await client.async_get_stats()
        demo.state.clear_requests()
        second = await client.async_get_stats()
    assert first.uploaded_bytes == second.uploaded_bytes is not None
    assert first.warned is None  # the profile was not read
    assert [request.action for request in demo.state.requests] == ["index"]
