"""Every demo-tracker fault against every platform: one table, one client fixture.

Each fault must become its library error, and no key may be anywhere in it:
message, chain, traceback, or a library log line at DEBUG.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
import logging
from typing import Any

import aiohttp
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    AccountIdentity,
    TrackerAuthError,
    TrackerClient,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
    create_client,
)
from demo_tracker.accounts import Account, demo_accounts, showcase_accounts
from demo_tracker.faults import FAULT_MODES
from demo_tracker.testing import DemoTracker

from .leaks import Collector, assert_no_secret, error_texts, log_texts


def _client_options(account: Account) -> dict[str, Any]:
    """Return the options the integration would give the account's client."""
    spec = PLATFORM_SPECS[account.platform]
    options: dict[str, Any] = {"enrich": True}
    if spec.auth_styles:
        options["auth_style"] = account.auth_style
    if spec.identity is AccountIdentity.USER_ID:
        options["remote_user_id"] = account.user_id
    return options


# The demo accounts each platform is polled with (its showcase, and answer
# shapes of their own), and their client options.
ACCOUNTS: dict[str, tuple[str, dict[str, Any]]] = {
    account.name: (account.platform, _client_options(account))
    for account in [
        *showcase_accounts().values(),
        *(demo_accounts()[name] for name in ("aither", "nblbare")),
    ]
}
# Profile data of the demo accounts that must not come back either.
SECRET_FRAGMENTS = ("demopasskey", "demoauthkey", "203.0.113.", "@example.invalid")
# What each fault is, on every platform unless its row below says otherwise.
EXPECTED: dict[str, type[TrackerError]] = {
    "html_login": TrackerResponseError,
    "server_error": TrackerConnectionError,
    "bad_gateway": TrackerConnectionError,
    "rate_limit": TrackerRateLimitError,
    "rate_limit_text": TrackerRateLimitError,
    "malformed_json": TrackerResponseError,
    "redirect": TrackerResponseError,
    "wrong_shape": TrackerResponseError,
    "failure_message": TrackerAuthError,
}
PLATFORM_EXPECTED: dict[str, dict[str, type[TrackerError]]] = {
    # A dead cookie session gets the login page.
    "mam": {"html_login": TrackerAuthError},
    # HUNO answers a token it does not take with its login page.
    "huno": {"html_login": TrackerAuthError},
}
RETRY_AFTER = 7


@dataclass
class Polled:
    """One platform's client against the demo tracker."""

    platform: str
    client: TrackerClient
    key: str


@pytest.fixture(params=list(ACCOUNTS))
async def polled(
    request: pytest.FixtureRequest, demo: DemoTracker
) -> AsyncIterator[Polled]:
    """Give a client of each platform for its demo account."""
    account = request.param
    platform, options = ACCOUNTS[account]
    async with aiohttp.ClientSession() as session:
        key = demo.keys[account]
        client = create_client(platform, session, url=demo.url, api_key=key, **options)
        yield Polled(platform, client, key)


def test_the_table_covers_every_platform_and_fault() -> None:
    """A new platform or fault mode gets a row here first."""
    assert {platform for platform, _ in ACCOUNTS.values()} == set(PLATFORM_SPECS)
    assert set(EXPECTED) | {"hang", "missing_fields", "wrong_types"} == set(FAULT_MODES)


@pytest.mark.parametrize("fault", list(EXPECTED))
async def test_each_fault_is_its_error_without_a_key(
    polled: Polled, demo: DemoTracker, fault: str
) -> None:
    """The fault's error; the key in no form in the error or a debug log line."""
    expected = PLATFORM_EXPECTED.get(polled.platform, {}).get(fault, EXPECTED[fault])
    demo.state.set_fault(fault, retry_after=RETRY_AFTER)
    collector = Collector()
    logger = logging.getLogger(api_library.__name__)
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        with pytest.raises(TrackerError) as caught:
            await polled.client.async_get_stats()
    finally:
        logger.removeHandler(collector)
        logger.setLevel(logging.NOTSET)
    assert type(caught.value) is expected, caught.value
    if fault == "rate_limit":
        assert isinstance(caught.value, TrackerRateLimitError)
        assert caught.value.retry_after == RETRY_AFTER
    texts = [*error_texts(caught.value), *log_texts(collector.records)]
    assert_no_secret(texts, [polled.key])
    for text in texts:
        for fragment in SECRET_FRAGMENTS:
            assert fragment not in text
