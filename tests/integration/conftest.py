"""Fixtures for the Home Assistant integration tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from unittest.mock import AsyncMock, create_autospec, patch

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from yarl import URL

from custom_components.tracker_stats.api import TrackerClient, TrackerStats
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
from tests.showcase import SHOWCASES

type EntryFactory = Callable[..., MockConfigEntry]

# Demo account → (preset, entry data beyond url/key, title, unique-id user id).
DEMO_ENTRIES: dict[str, tuple[str, dict[str, Any], str, int]] = {
    "red": (
        "redacted",
        {
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "raw",
            CONF_API_PATH: "ajax.php",
            CONF_USERNAME: "JohnDoe",
        },
        "Redacted (JohnDoe)",
        12345,
    ),
    "ops": (
        "orpheus",
        {
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "token",
            CONF_API_PATH: "ajax.php",
            CONF_USERNAME: "JaneRoe",
        },
        "Orpheus (JaneRoe)",
        23456,
    ),
    "fork": (
        "gazelle",
        {
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "token",
            CONF_API_PATH: "ajax.php",
            CONF_USERNAME: "ForkUser",
        },
        "127.0.0.1 (ForkUser)",
        777,
    ),
    "ggn": (
        "gazellegames",
        {CONF_PLATFORM: "ggn", CONF_USERNAME: "ExampleUser"},
        "GazelleGames (ExampleUser)",
        74360,
    ),
    "ggn-paranoid": (
        "gazellegames",
        {CONF_PLATFORM: "ggn", CONF_USERNAME: "ParanoidGamer"},
        "GazelleGames (ParanoidGamer)",
        74361,
    ),
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/ in every integration test."""


@pytest.fixture
def demo_entry(hass: HomeAssistant, demo: DemoTracker) -> EntryFactory:
    """Return a factory of config entries for the demo accounts, as the flow makes them."""

    def factory(
        account: str,
        *,
        store_id: bool = True,
        enrich: bool | None = None,
        options: Mapping[str, Any] | None = None,
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
        entry_options: dict[str, Any] = dict(options or {})
        if extra[CONF_PLATFORM] == "gazelle":
            entry_options[CONF_ENRICH] = (
                tracker != "gazelle" if enrich is None else enrich
            )
        entry = MockConfigEntry(
            domain=DOMAIN,
            version=2,
            title=title,
            # As the flow names accounts: by id, or by name where the answer
            # holds no id.
            unique_id=f"127.0.0.1_{user_id}"
            if store_id
            else f"127.0.0.1_{str(data.get(CONF_USERNAME, user_id)).lower()}",
            data=data,
            options=entry_options,
        )
        entry.add_to_hass(hass)
        return entry

    return factory


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let its platforms settle."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


# JohnDoe as the Gazelle seed describes him, for tests that mock the client.
JOHN_DOE = TrackerStats(
    username="JohnDoe",
    group="Power User",
    remote_user_id=12345,
    uploaded_bytes=536870912000,
    downloaded_bytes=134217728000,
    ratio=4.0,
    buffer_bytes=402653184000,
    seeding_count=42,
    leeching_count=1,
    bonus_points=12500.0,
    required_ratio=0.6,
    warned=False,
    freeleech_tokens=3,
    joined_date=datetime(2021, 4, 12, 9, 34, tzinfo=UTC),
    last_access_date=datetime(2026, 3, 19, 14, 22, 11, tzinfo=UTC),
)
MOCK_KEY = "mock-red-key-never-logged"


@pytest.fixture
def mock_client() -> Iterator[AsyncMock]:
    """Replace the API client setup and the flow build; it answers JohnDoe.

    Set ``async_get_stats.return_value`` (or ``side_effect``) before a refresh.
    """
    client = create_autospec(TrackerClient, instance=True)
    client.async_get_stats.return_value = JOHN_DOE
    client.remote_user_id = 12345
    client.base_url = URL("https://redacted.sh")
    # Only Gazelle and AnimeBytes have a header style to remember.
    client.auth_style = None

    def build(platform: str, session: Any, **kwargs: Any) -> AsyncMock:
        # Like a real client, it holds the key it was built with until a
        # platform rotates it.
        client.api_key = kwargs["api_key"]
        return client

    with patch(
        "custom_components.tracker_stats.client.create_client", side_effect=build
    ):
        yield client


@pytest.fixture
def mock_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Return a Redacted entry for JohnDoe that no real tracker answers."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="Redacted (JohnDoe)",
        unique_id="redacted.sh_12345",
        data={
            CONF_TRACKER: "redacted",
            CONF_URL: "https://redacted.sh",
            CONF_API_KEY: MOCK_KEY,
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "raw",
            CONF_API_PATH: "ajax.php",
            CONF_REMOTE_USER_ID: 12345,
            CONF_USERNAME: "JohnDoe",
        },
        options={CONF_ENRICH: True},
    )
    entry.add_to_hass(hass)
    return entry


def entity_projection(
    hass: HomeAssistant, entry_id: str, domain: str
) -> dict[str, Any]:
    """Return what users see of the entry's entities of one platform.

    Registry entries and state objects gain fields between Home Assistant
    releases; the projection keeps to fields both supported lines share, so
    one snapshot file serves both.
    """
    registry = er.async_get(hass)
    projection: dict[str, Any] = {}
    for entity in sorted(
        er.async_entries_for_config_entry(registry, entry_id), key=lambda e: e.entity_id
    ):
        if entity.domain != domain:
            continue
        state = hass.states.get(entity.entity_id)
        projection[entity.entity_id] = {
            "unique_id": entity.unique_id,
            "original_name": entity.original_name,
            "has_entity_name": entity.has_entity_name,
            "translation_key": entity.translation_key,
            "device_class": entity.device_class,
            "original_device_class": entity.original_device_class,
            "original_icon": entity.original_icon,
            "entity_category": entity.entity_category,
            "disabled_by": entity.disabled_by,
            "unit_of_measurement": entity.unit_of_measurement,
            "state": None if state is None else state.state,
            # Newer releases key attributes with a StrEnum; users see strings.
            "attributes": None
            if state is None
            else {str(key): value for key, value in state.attributes.items()},
        }
    return projection


# Each platform's showcase account, as the flow makes it (the dashboard
# example shows these). UNIT3D and AnimeBytes answers hold no user id: set
# those up with store_id=False (Showcase.stores_id).
for _showcase in SHOWCASES.values():
    DEMO_ENTRIES.setdefault(
        _showcase.name,
        (
            _showcase.preset,
            _showcase.entry_data(),
            _showcase.title,
            _showcase.account.user_id,
        ),
    )
