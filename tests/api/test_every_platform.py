"""What every platform's client does alike, against its showcase demo account."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    AccountIdentity,
    TrackerAuthError,
    TrackerClient,
    create_client,
)
from demo_tracker.accounts import Account, showcase_accounts
from demo_tracker.testing import DemoTracker

SHOWCASES = list(showcase_accounts().values())


def showcase_client(
    session: aiohttp.ClientSession, demo: DemoTracker, account: Account, key: str
) -> TrackerClient:
    """Return the client the integration would build for the account, with ``key``."""
    spec = PLATFORM_SPECS[account.platform]
    options: dict[str, Any] = {}
    if spec.auth_styles:
        options["auth_style"] = account.auth_style
    if spec.identity is AccountIdentity.USER_ID:
        options["remote_user_id"] = account.user_id
    return create_client(
        account.platform, session, url=demo.url, api_key=key, **options
    )


@pytest.mark.parametrize("account", SHOWCASES, ids=lambda account: account.name)
async def test_an_unknown_key_is_rejected_unquoted(
    session: aiohttp.ClientSession, demo: DemoTracker, account: Account
) -> None:
    """An unknown secret is an auth error whose message does not hold it."""
    key = f"not-a-{account.name}-key"
    with pytest.raises(TrackerAuthError) as caught:
        await showcase_client(session, demo, account, key).async_get_stats()
    assert key not in str(caught.value)
