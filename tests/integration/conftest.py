"""Fixtures for the Home Assistant integration tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)
from demo_tracker.testing import DemoTracker

type EntryFactory = Callable[..., MockConfigEntry]

# Demo account → (preset, entry data beyond url/key, title, unique-id user id).
DEMO_ENTRIES: dict[str, tuple[str, dict[str, Any], str, int]] = {
    "red": (
        "redacted",
        {CONF_PLATFORM: "gazelle", CONF_AUTH_STYLE: "raw", CONF_API_PATH: "ajax.php"},
        "Redacted (JohnDoe)",
        12345,
    ),
    "ops": (
        "orpheus",
        {CONF_PLATFORM: "gazelle", CONF_AUTH_STYLE: "token", CONF_API_PATH: "ajax.php"},
        "Orpheus (JaneRoe)",
        23456,
    ),
    "fork": (
        "gazelle",
        {CONF_PLATFORM: "gazelle", CONF_AUTH_STYLE: "token", CONF_API_PATH: "ajax.php"},
        "127.0.0.1 (ForkUser)",
        777,
    ),
    "ggn": (
        "gazellegames",
        {CONF_PLATFORM: "ggn"},
        "GazelleGames (ExampleUser)",
        74360,
    ),
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/ in every integration test."""


@pytest.fixture
def demo_entry(hass: HomeAssistant, demo: DemoTracker) -> EntryFactory:
    """Return a factory of config entries for the demo accounts, as the flow makes them."""

    def factory(
        account: str, *, store_id: bool = True, enrich: bool | None = None
    ) -> MockConfigEntry:
        tracker, extra, title, user_id = DEMO_ENTRIES[account]
        data: dict[str, Any] = {
            CONF_TRACKER: tracker,
            CONF_URL: demo.url,
            CONF_API_KEY: demo.keys[account],
            **extra,
        }
        if store_id:
            data[CONF_REMOTE_USER_ID] = user_id
        options: dict[str, Any] = {}
        if extra[CONF_PLATFORM] == "gazelle":
            options[CONF_ENRICH] = tracker != "gazelle" if enrich is None else enrich
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=title,
            unique_id=f"127.0.0.1_{user_id}",
            data=data,
            options=options,
        )
        entry.add_to_hass(hass)
        return entry

    return factory


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let its platforms settle."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
