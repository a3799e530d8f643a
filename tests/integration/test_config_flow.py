"""The config flow: user, reauth, reconfigure and options steps."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.tracker_stats.api import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
    TrackerStats,
)
from custom_components.tracker_stats.const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory

JOHN = TrackerStats(username="JohnDoe", remote_user_id=12345)
STRANGER = TrackerStats(username="Stranger", remote_user_id=99)


@pytest.fixture
def mock_setup() -> Any:
    """Keep flow tests about the flow: entry setup is a no-op."""
    with patch(
        "custom_components.tracker_stats.async_setup_entry", return_value=True
    ) as mocked:
        yield mocked


def mock_stats(*results: TrackerStats | Exception) -> Any:
    """Patch both clients so validation sees ``results`` in turn."""
    mocked = AsyncMock(side_effect=list(results))
    return (
        patch(
            "custom_components.tracker_stats.api.GazelleClient.async_get_stats", mocked
        ),
        patch("custom_components.tracker_stats.api.GGnClient.async_get_stats", mocked),
    )


async def start(hass: HomeAssistant, tracker: str) -> dict[str, Any]:
    """Start a user flow and pick ``tracker``."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRACKER: tracker}
    )


async def test_gazelle_preset_over_real_http(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: Any
) -> None:
    """Redacted preset against the demo tracker: wrong style, wrong key, then success."""
    result = await start(hass, "redacted")
    assert result["step_id"] == "credentials"
    assert result["description_placeholders"] == {"tracker": "Redacted"}
    schema = {str(key): key for key in result["data_schema"].schema}
    assert schema[CONF_URL].default() == "https://redacted.sh"
    assert schema[CONF_AUTH_STYLE].default() == "raw"
    assert schema[CONF_API_PATH].default() == "ajax.php"
    flow_id = result["flow_id"]
    attempt = {
        CONF_URL: f" {demo.url}/ ",
        CONF_API_KEY: "demo-red-key",
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
    }
    result = await hass.config_entries.flow.async_configure(flow_id, attempt)
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**attempt, CONF_AUTH_STYLE: "raw", CONF_API_KEY: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**attempt, CONF_AUTH_STYLE: "raw", CONF_API_PATH: " "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Redacted (JohnDoe)"
    assert result["data"] == {
        CONF_TRACKER: "redacted",
        "platform": "gazelle",
        CONF_URL: demo.url,
        CONF_API_KEY: "demo-red-key",
        CONF_AUTH_STYLE: "raw",
        CONF_API_PATH: "ajax.php",
        CONF_REMOTE_USER_ID: 12345,
    }
    assert result["options"] == {CONF_ENRICH: True}
    assert result["result"].unique_id == "127.0.0.1_12345"
    # Validation is one index request: no enrichment, whatever the preset.
    assert [r.action for r in demo.state.requests][-1:] == ["index"]


async def test_ggn_over_real_http(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: Any
) -> None:
    """GazelleGames asks for URL and key only, and stores the resolved id."""
    result = await start(hass, "gazellegames")
    assert {str(key) for key in result["data_schema"].schema} == {
        CONF_URL,
        CONF_API_KEY,
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: demo.url, CONF_API_KEY: "demo-ggn-key"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "GazelleGames (ExampleUser)"
    assert result["data"] == {
        CONF_TRACKER: "gazellegames",
        "platform": "ggn",
        CONF_URL: demo.url,
        CONF_API_KEY: "demo-ggn-key",
        CONF_REMOTE_USER_ID: 74360,
    }
    assert result["options"] == {}
    assert result["result"].unique_id == "127.0.0.1_74360"


async def test_generic_fork_is_named_by_host_without_enrichment(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: Any
) -> None:
    """Other Gazelle tracker: no URL prefilled, title from the host, enrich off."""
    result = await start(hass, "gazelle")
    schema = {str(key): key for key in result["data_schema"].schema}
    assert schema[CONF_AUTH_STYLE].default() == "token"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: demo.url,
            CONF_API_KEY: "demo-fork-key",
            CONF_AUTH_STYLE: "token",
            CONF_API_PATH: "ajax.php",
        },
    )
    assert result["title"] == "127.0.0.1 (ForkUser)"
    assert result["options"] == {CONF_ENRICH: False}


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (TrackerAuthError("x"), "invalid_auth"),
        (TrackerRateLimitError("x", 5), "rate_limited"),
        (TrackerConnectionError("x"), "cannot_connect"),
        (TrackerResponseError("x"), "invalid_response"),
        (RuntimeError("boom"), "unknown"),
        (TrackerStats(username="NoId"), "invalid_response"),
    ],
)
async def test_errors_then_recovery(
    hass: HomeAssistant, mock_setup: Any, error: Exception | TrackerStats, key: str
) -> None:
    """Each failure shows its error on the form; the next try can succeed."""
    result = await start(hass, "orpheus")
    gazelle, ggn = mock_stats(error, JOHN)
    user_input = {
        CONF_URL: "https://orpheus.network",
        CONF_API_KEY: "k",
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
    }
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": key}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Orpheus (JohnDoe)"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://tracker.example", "insecure_url"),
        ("http://192.168.1.2", "insecure_url"),
        ("https://", "cannot_connect"),
        ("http://", "cannot_connect"),
        ("ftp://tracker.example", "cannot_connect"),
    ],
)
async def test_url_checks(
    hass: HomeAssistant, mock_setup: Any, url: str, error: str
) -> None:
    """Plain http only on loopback; unusable URLs cannot connect."""
    result = await start(hass, "gazellegames")
    gazelle, ggn = mock_stats(JOHN)
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: url, CONF_API_KEY: "k"}
        )
    assert result["errors"] == {"base": error}


@pytest.mark.parametrize("url", ["http://localhost:8765", "http://[::1]:8765"])
async def test_http_allowed_on_loopback(
    hass: HomeAssistant, mock_setup: Any, url: str
) -> None:
    """A tracker on this machine may use plain http."""
    result = await start(hass, "gazellegames")
    gazelle, ggn = mock_stats(JOHN)
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: url, CONF_API_KEY: "k"}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_scheme_less_url_gets_https(hass: HomeAssistant, mock_setup: Any) -> None:
    """Typing just the host means https."""
    result = await start(hass, "gazellegames")
    gazelle, ggn = mock_stats(JOHN)
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: "GazelleGames.net/", CONF_API_KEY: " k "}
        )
    assert result["data"][CONF_URL] == "https://GazelleGames.net"
    assert result["data"][CONF_API_KEY] == "k"
    assert result["result"].unique_id == "gazellegames.net_12345"


async def test_same_account_aborts(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """Adding an account that is already configured aborts."""
    demo_entry("ggn")
    result = await start(hass, "gazellegames")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: demo.url, CONF_API_KEY: "demo-ggn-key"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """A rotated key: the old one fails, the new one is stored."""
    entry = demo_entry("red")
    new_key = demo.state.rotate_key("red")
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == "Redacted (JohnDoe)"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "demo-red-key"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f" {new_key} "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == new_key


async def test_reauth_with_another_accounts_key(
    hass: HomeAssistant, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """A key of another account aborts and keeps the stored key."""
    entry = demo_entry("red")
    result = await entry.start_reauth_flow(hass)
    gazelle, ggn = mock_stats(STRANGER)
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "other"}
        )
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == "demo-red-key"


async def test_reconfigure_keeps_key_when_left_empty(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """Reconfigure prefills the entry and keeps the key if the field is empty."""
    entry = demo_entry("red")
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    schema = {str(key): key for key in result["data_schema"].schema}
    assert schema[CONF_URL].default() == demo.url
    assert schema[CONF_AUTH_STYLE].default() == "raw"
    user_input = {
        CONF_URL: demo.url,
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**user_input, CONF_AUTH_STYLE: "raw"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == "demo-red-key"
    assert entry.title == "Redacted (JohnDoe)"


async def test_reconfigure_other_account(
    hass: HomeAssistant, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """Reconfiguring onto another account aborts."""
    entry = demo_entry("ggn")
    result = await entry.start_reconfigure_flow(hass)
    assert {str(key) for key in result["data_schema"].schema} == {
        CONF_URL,
        CONF_API_KEY,
    }
    gazelle, ggn = mock_stats(STRANGER)
    with gazelle, ggn:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: entry.data[CONF_URL], CONF_API_KEY: "other"}
        )
    assert result["reason"] == "wrong_account"


async def test_options_flow(
    hass: HomeAssistant, demo_entry: EntryFactory, mock_setup: Any
) -> None:
    """Gazelle accounts can switch the enrichment request."""
    entry = demo_entry("red")
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    schema = {str(key): key for key in result["data_schema"].schema}
    assert schema[CONF_ENRICH].default() is True
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ENRICH: False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_ENRICH: False}


async def test_ggn_has_no_options(
    hass: HomeAssistant, demo_entry: EntryFactory
) -> None:
    """GazelleGames has nothing to configure: no options button."""
    from custom_components.tracker_stats.config_flow import TrackerStatsConfigFlow

    assert not TrackerStatsConfigFlow.async_supports_options_flow(demo_entry("ggn"))
    assert TrackerStatsConfigFlow.async_supports_options_flow(demo_entry("red"))
