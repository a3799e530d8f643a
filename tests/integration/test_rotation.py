"""A secret the tracker rotates (MyAnonamouse's mam_id) is kept, never logged."""

from __future__ import annotations

import logging
from unittest.mock import AsyncMock, patch

from homeassistant.const import CONF_API_KEY, CONF_URL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats import async_setup_entry
from custom_components.tracker_stats.api import TrackerResponseError, TrackerStats
from custom_components.tracker_stats.const import (
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)

from .conftest import JOHN_DOE, setup_entry


async def test_a_rotated_session_is_stored_at_once_and_never_logged(
    hass: HomeAssistant,
    mock_client: AsyncMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """MyAnonamouse hands out a new mam_id: entry.data follows, no reload, no log."""
    caplog.set_level(logging.DEBUG)
    old_key, new_key = "mam-session-before-rotation", "mam-session-after-rotation"
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="MyAnonamouse (JohnDoe)",
        unique_id="www.myanonamouse.net_12345",
        data={
            CONF_TRACKER: "myanonamouse",
            CONF_PLATFORM: "mam",
            CONF_URL: "https://www.myanonamouse.net",
            CONF_API_KEY: old_key,
            CONF_REMOTE_USER_ID: 12345,
        },
    )
    entry.add_to_hass(hass)
    with patch(
        "custom_components.tracker_stats.async_setup_entry", wraps=async_setup_entry
    ) as setup:
        await setup_entry(hass, entry)
        coordinator = entry.runtime_data
        assert entry.data[CONF_API_KEY] == old_key

        async def rotate() -> TrackerStats:
            mock_client.api_key = new_key
            return JOHN_DOE

        mock_client.async_get_stats.side_effect = rotate
        await coordinator.async_refresh()
        # At once: a restart right now must use the live session.
        assert entry.data[CONF_API_KEY] == new_key
        await hass.async_block_till_done()
    assert setup.await_count == 1
    assert entry.runtime_data is coordinator
    assert hass.states.get("sensor.myanonamouse_johndoe_ratio").state == "4.0"
    assert new_key not in caplog.text
    assert old_key not in caplog.text


async def test_a_failed_poll_keeps_a_rotated_session(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """A rotation seen before the poll failed is stored all the same."""
    await setup_entry(hass, mock_entry)

    async def rotate_then_fail() -> TrackerStats:
        mock_client.api_key = "rotated-before-the-failure"
        raise TrackerResponseError("The tracker answered with HTML, not JSON")

    mock_client.async_get_stats.side_effect = rotate_then_fail
    await mock_entry.runtime_data.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.redacted_johndoe_ratio").state == STATE_UNAVAILABLE
    assert mock_entry.data[CONF_API_KEY] == "rotated-before-the-failure"
