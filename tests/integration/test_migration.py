"""Config entries of the first release (version 1) migrate to version 2."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.loader import async_get_integration
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.api import TrackerStats
from custom_components.tracker_stats.client import client_for
from custom_components.tracker_stats.const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)
from custom_components.tracker_stats.coordinator import TrackerStatsCoordinator
from custom_components.tracker_stats.options import AccountOptions

from .conftest import setup_entry

V1_KEY = "v1-key-kept-by-the-migration"


def v1_entry(
    hass: HomeAssistant,
    tracker: str,
    url: str,
    *,
    name: str,
    platform: str = "gazelle",
    remote_user_id: int = 12345,
    auth_style: str = "token",
) -> MockConfigEntry:
    """Add an entry exactly as the first release's flow wrote it (fa9d0c9)."""
    data: dict[str, Any] = {
        CONF_TRACKER: tracker,
        CONF_PLATFORM: platform,
        CONF_URL: url,
        CONF_API_KEY: V1_KEY,
    }
    if platform == "gazelle":
        data |= {CONF_AUTH_STYLE: auth_style, CONF_API_PATH: "ajax.php"}
    data[CONF_REMOTE_USER_ID] = remote_user_id
    host = url.split("://")[1].lower()
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=1,
        title=f"{name} (JohnDoe)",
        unique_id=f"{host}_{remote_user_id}",
        data=data,
        options={CONF_ENRICH: tracker != "gazelle"} if platform == "gazelle" else {},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.mark.parametrize(
    "stored",
    [
        ("redacted", "https://redacted.sh", "Redacted", "gazelle", "raw"),
        ("orpheus", "https://orpheus.network", "Orpheus", "gazelle", "token"),
        ("gazelle", "https://fork.example", "fork.example", "gazelle", "token"),
        ("gazellegames", "https://gazellegames.net", "GazelleGames", "ggn", "token"),
    ],
)
async def test_entries_of_kept_platforms_only_change_version(
    hass: HomeAssistant, mock_client: AsyncMock, stored: tuple[str, ...]
) -> None:
    """Gazelle presets, the generic fork and GGn keep every stored value."""
    tracker, url, name, platform, auth_style = stored
    entry = v1_entry(
        hass, tracker, url, name=name, platform=platform, auth_style=auth_style
    )
    data, options, unique_id = dict(entry.data), dict(entry.options), entry.unique_id
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 2
    assert dict(entry.data) == data
    assert dict(entry.options) == options
    assert entry.unique_id == unique_id


@pytest.mark.parametrize(
    "moved",
    [
        (
            "broadcasthenet",
            "https://broadcasthe.net",
            "BroadcasTheNet",
            "btn",
            "https://api.broadcasthe.net",
        ),
        (
            "animebytes",
            "https://animebytes.tv",
            "AnimeBytes",
            "animebytes",
            "https://animebytes.tv",
        ),
    ],
)
async def test_entries_move_to_their_own_platform(
    hass: HomeAssistant, mock_client: AsyncMock, moved: tuple[str, ...]
) -> None:
    """BTN and AnimeBytes leave the Gazelle client: preset URL, key and id kept."""
    tracker, v1_url, name, platform, url = moved
    entry = v1_entry(hass, tracker, v1_url, name=name)
    unique_id = entry.unique_id
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 2
    assert dict(entry.data) == {
        CONF_TRACKER: tracker,
        CONF_PLATFORM: platform,
        CONF_URL: url,
        CONF_API_KEY: V1_KEY,
        CONF_REMOTE_USER_ID: 12345,
    }
    # Entities and automations hang on the unique id: it stays.
    assert entry.unique_id == unique_id
    assert entry.title == f"{name} (JohnDoe)"


async def test_passthepopcorn_fails_setup_with_a_repair_issue(
    hass: HomeAssistant, mock_client: AsyncMock
) -> None:
    """No statistics API: the entry stays, fails setup, and a repair says why."""
    entry = v1_entry(hass, "passthepopcorn", "https://passthepopcorn.me", name="PTP")
    await setup_entry(hass, entry)
    assert entry.version == 2
    assert entry.data[CONF_TRACKER] == "passthepopcorn"
    assert entry.state is ConfigEntryState.SETUP_ERROR
    # Translated; Home Assistant drops the sentence's final period.
    assert entry.reason == (
        "PassThePopcorn has no statistics API this integration can read; "
        f"remove the entry {entry.title}"
    )
    mock_client.async_get_stats.assert_not_awaited()
    issue_id = f"platform_unsupported_{entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "platform_unsupported"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {
        "tracker": "PassThePopcorn",
        "title": "PTP (JohnDoe)",
    }
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize("remote_user_id", [2**64, 2**63, 0, -1])
async def test_an_out_of_range_user_id_is_dropped(
    hass: HomeAssistant, mock_client: AsyncMock, remote_user_id: int
) -> None:
    """An id outside 64 bits would stop every later save of config entries."""
    entry = v1_entry(
        hass,
        "orpheus",
        "https://orpheus.network",
        name="Orpheus",
        remote_user_id=remote_user_id,
    )
    await setup_entry(hass, entry)
    assert entry.version == 2
    assert CONF_REMOTE_USER_ID not in entry.data
    assert entry.data[CONF_API_KEY] == V1_KEY
    assert entry.state is ConfigEntryState.LOADED


async def test_a_newer_version_is_not_migrated_down(
    hass: HomeAssistant, mock_client: AsyncMock
) -> None:
    """Entries a newer release wrote (a downgrade) fail migration, unchanged."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=3,
        title="Redacted (JohnDoe)",
        unique_id="redacted.sh_12345",
        data={CONF_TRACKER: "redacted", CONF_PLATFORM: "gazelle"},
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.version == 3
    mock_client.async_get_stats.assert_not_awaited()


async def test_a_migrated_broadcasthenet_entry_can_reauthenticate(
    hass: HomeAssistant, mock_client: AsyncMock
) -> None:
    """The account keeps its name, broadcasthe.net, though its API moved host."""
    entry = v1_entry(hass, "broadcasthenet", "https://broadcasthe.net", name="BTN")
    await setup_entry(hass, entry)
    result = await entry.start_reauth_flow(hass)
    with patch(
        "custom_components.tracker_stats.api.client.TrackerClient.async_get_stats",
        AsyncMock(return_value=TrackerStats(username="JohnDoe", remote_user_id=12345)),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "new-btn-key"}
        )
    assert result["reason"] == "reauth_successful"
    assert entry.unique_id == "broadcasthe.net_12345"
    assert entry.data[CONF_API_KEY] == "new-btn-key"


async def test_a_stored_url_with_a_passkey_never_becomes_the_device_link(
    hass: HomeAssistant,
) -> None:
    """A first-release entry stored its URL as typed; the device link drops the query."""
    entry = v1_entry(hass, "gazelle", "https://fork.example", name="fork.example")
    hass.config_entries.async_update_entry(
        entry,
        data={
            **entry.data,
            CONF_URL: "https://fork.example/?passkey=not-a-real-passkey",
        },
    )
    await async_get_integration(hass, DOMAIN)
    options = AccountOptions.of(entry)
    client = client_for(hass, entry.data, enrich=options.enrich)
    coordinator = TrackerStatsCoordinator(hass, entry, client, options)
    assert coordinator.device_info["configuration_url"] == "https://fork.example"
