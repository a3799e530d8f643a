"""Each platform's showcase account through the flow, against the demo tracker.

A wrong secret gives the platform's rejected-key error; a rate limit gives
rate_limited, and nothing is asked after it (no guess at another form of
the key); then the account's key creates the entry the showcase expects.
HUNO's second form of the token and Anthelion's two-factor refusal have
their own tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.tracker_stats.const import CONF_AUTH_STYLE, CONF_TRACKER, DOMAIN
from demo_tracker.testing import DemoTracker
from tests.showcase import SHOWCASES


@pytest.fixture
def mock_setup() -> Iterator[AsyncMock]:
    """Keep flow tests about the flow: entry setup is a no-op."""
    with patch(
        "custom_components.tracker_stats.async_setup_entry", return_value=True
    ) as mocked:
        yield mocked


async def start(hass: HomeAssistant, tracker: str) -> dict[str, Any]:
    """Start a user flow and pick ``tracker``."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRACKER: tracker}
    )


@pytest.mark.parametrize("platform", list(SHOWCASES))
async def test_wrong_key_rate_limit_then_the_account(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock, platform: str
) -> None:
    """Wrong key → its error; rate limit → rate_limited, asked once; then created."""
    showcase = SHOWCASES[platform]
    result = await start(hass, showcase.preset)
    flow_id = result["flow_id"]
    fields = {CONF_URL: demo.url, **showcase.typed()}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**fields, CONF_API_KEY: f"wrong-{showcase.name}-key"}
    )
    assert result["errors"] == {"base": showcase.spec.rejected_key_error}

    demo.state.clear_requests()
    demo.state.set_fault("rate_limit", retry_after=60)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**fields, CONF_API_KEY: showcase.key}
    )
    assert result["errors"] == {"base": "rate_limited"}
    # The rate limit (a 429, or BTN's 503) ends the check: the key the site
    # takes is sent once, and nothing is asked after it.
    accepted = [request.key_accepted for request in demo.state.requests]
    assert accepted[-1]
    assert accepted.count(True) == 1
    demo.state.clear_fault()

    result = await hass.config_entries.flow.async_configure(
        flow_id, {**fields, CONF_API_KEY: showcase.key}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == showcase.title
    data = result["data"]
    assert data[CONF_API_KEY] == showcase.key
    assert {key: data[key] for key in showcase.entry_data()} == showcase.entry_data()
    assert mock_setup.call_count == 1


async def test_huno_token_in_x_api_token_is_found_and_kept(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock
) -> None:
    """An account whose HUNO takes X-Api-Token only: the entry keeps that form."""
    result = await start(hass, "huno")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: demo.url, CONF_API_KEY: demo.keys["huno-token"]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_AUTH_STYLE] == "raw"
    assert [r.auth_style for r in demo.state.requests] == ["bearer", "header"]


async def test_anthelion_without_two_factor_authentication(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock
) -> None:
    """The account's refusal shows Anthelion's text, which names two-factor auth."""
    result = await start(hass, "anthelion")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: demo.url, CONF_API_KEY: demo.keys["ant-nomfa"]},
    )
    assert result["errors"] == {"base": "invalid_auth_anthelion"}
    assert mock_setup.call_count == 0
