"""The config flow: user, reauth, reconfigure and options steps."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
    TrackerStats,
    create_client,
)
from custom_components.tracker_stats.const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
    GENERIC_TRACKERS,
    TRACKER_PRESETS,
)
from custom_components.tracker_stats.options import AccountOptions
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory

JOHN = TrackerStats(username="JohnDoe", remote_user_id=12345)
JOHN_RENAMED = TrackerStats(username="JohnRenamed", remote_user_id=12345)
STRANGER = TrackerStats(username="Stranger", remote_user_id=99)
SECRET_KEY = "s3cret-key-never-logged"

ORPHEUS_INPUT = {
    CONF_URL: "https://orpheus.network",
    CONF_API_KEY: "key",
    CONF_AUTH_STYLE: "token",
    CONF_API_PATH: "ajax.php",
}

# Every way validation can fail, and the form error it shows.
FAILURES: list[tuple[Exception | TrackerStats, str]] = [
    # Every FAILURES test runs on a Gazelle form: its own rejected-key text.
    (TrackerAuthError("rejected"), "invalid_auth_gazelle"),
    (TrackerRateLimitError("slow down", 5), "rate_limited"),
    (TrackerRateLimitError("slow down"), "rate_limited"),
    (TrackerConnectionError("unreachable"), "cannot_connect"),
    (TrackerResponseError("login page"), "invalid_response"),
    (TrackerStats(username="NoId"), "invalid_response"),
    (RuntimeError("bug"), "unknown"),
    # Only the client's constructor means "bad URL" by a ValueError.
    (ValueError("bug while parsing"), "unknown"),
]
FAILURE_IDS = [
    "auth",
    "rate_limit",
    "rate_limit_no_delay",
    "connection",
    "response",
    "no_user_id",
    "unexpected",
    "value_error",
]


@pytest.fixture
def mock_setup() -> Iterator[AsyncMock]:
    """Keep flow tests about the flow: entry setup is a no-op."""
    with patch(
        "custom_components.tracker_stats.async_setup_entry", return_value=True
    ) as mocked:
        yield mocked


@contextmanager
def tracker_answers(*results: TrackerStats | Exception) -> Iterator[AsyncMock]:
    """Make every platform's client answer ``results`` in turn, without HTTP."""
    answer = AsyncMock(side_effect=list(results))
    with patch(
        "custom_components.tracker_stats.api.client.TrackerClient.async_get_stats",
        answer,
    ):
        yield answer


@contextmanager
def any_platform_builds() -> Iterator[None]:
    """Let platforms whose clients other work adds build a real (GGn) client.

    The URL checks and the key handling are the base client's, whatever the
    platform; only the answer, mocked with ``tracker_answers``, differs.
    """

    def build(platform: str, session: Any, **kwargs: Any) -> Any:
        return create_client(
            "ggn", session, url=kwargs["url"], api_key=kwargs["api_key"]
        )

    with patch("custom_components.tracker_stats.client.create_client", build):
        yield


def add_entry(
    hass: HomeAssistant,
    tracker: str = "orpheus",
    *,
    title: str = "Orpheus (JohnDoe)",
    url: str = "https://orpheus.network",
    remote_user_id: int = 12345,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Add an entry as the flow makes it, for trackers that tests never call."""
    data: dict[str, Any] = {
        CONF_TRACKER: tracker,
        CONF_URL: url,
        CONF_API_KEY: "stored-key",
        CONF_REMOTE_USER_ID: remote_user_id,
        CONF_USERNAME: "JohnDoe",
    }
    if tracker == "gazellegames":
        data[CONF_PLATFORM] = "ggn"
    else:
        data |= {
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "token",
            CONF_API_PATH: "ajax.php",
        }
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title=title,
        unique_id=f"{url.split('://')[1]}_{remote_user_id}",
        data=data,
        options={CONF_ENRICH: True} if options is None else options,
    )
    entry.add_to_hass(hass)
    return entry


def fields(result: dict[str, Any]) -> dict[str, vol.Marker]:
    """Return the form's schema keys by field name."""
    return {str(key): key for key in result["data_schema"].schema}


async def start(hass: HomeAssistant, tracker: str) -> dict[str, Any]:
    """Start a user flow, pick ``tracker`` and return its platform's form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TRACKER: tracker}
    )
    assert result["type"] is FlowResultType.FORM
    platform = TRACKER_PRESETS[tracker].platform
    # A site not listed has a form of its own, which names no site.
    generic = tracker in GENERIC_TRACKERS
    assert result["step_id"] == (f"other_{platform.value}" if generic else platform)
    return result


async def test_user_step_offers_the_presets_in_order(hass: HomeAssistant) -> None:
    """The tracker dropdown lists the presets with translated labels."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    selector = result["data_schema"].schema[CONF_TRACKER].config
    # Every platform module's sites, in the platforms' order.
    assert selector["options"] == [
        site.id for spec in PLATFORM_SPECS.values() for site in spec.sites
    ]
    assert selector["translation_key"] == "tracker"
    assert selector["mode"] == "dropdown"


@pytest.mark.parametrize(
    ("tracker", "name", "url", "auth_style"),
    [
        ("redacted", "Redacted", "https://redacted.sh", "raw"),
        ("orpheus", "Orpheus", "https://orpheus.network", "token"),
        ("gazelle", None, None, "token"),
    ],
)
async def test_gazelle_credentials_form(
    hass: HomeAssistant,
    tracker: str,
    name: str | None,
    url: str | None,
    auth_style: str,
) -> None:
    """Gazelle presets prefill URL, header style and API path; never a key."""
    result = await start(hass, tracker)
    assert result["description_placeholders"] == (name and {"tracker": name})
    form = fields(result)
    assert list(form) == [CONF_URL, CONF_API_KEY, CONF_AUTH_STYLE, CONF_API_PATH]
    if url is None:
        assert form[CONF_URL].default is vol.UNDEFINED
    else:
        assert form[CONF_URL].default() == url
    assert form[CONF_API_KEY].default is vol.UNDEFINED
    assert form[CONF_AUTH_STYLE].default() == auth_style
    assert form[CONF_API_PATH].default() == "ajax.php"
    schema = result["data_schema"].schema
    assert schema[CONF_URL].config["type"] == "url"
    assert schema[CONF_API_KEY].config["type"] == "password"
    assert schema[CONF_AUTH_STYLE].config["options"] == ["token", "raw"]
    assert schema[CONF_AUTH_STYLE].config["translation_key"] == "auth_style"


async def test_gazelle_preset_over_real_http(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock
) -> None:
    """Redacted against the demo tracker: wrong style, wrong key, then success."""
    result = await start(hass, "redacted")
    flow_id = result["flow_id"]
    attempt = {
        CONF_URL: f" {demo.url}/ ",
        CONF_API_KEY: "demo-red-key",
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
    }
    result = await hass.config_entries.flow.async_configure(flow_id, attempt)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth_gazelle"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**attempt, CONF_AUTH_STYLE: "raw", CONF_API_KEY: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth_gazelle"}
    demo.state.clear_requests()
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**attempt, CONF_AUTH_STYLE: "raw", CONF_API_PATH: " "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Redacted (JohnDoe)"
    assert result["data"] == {
        CONF_TRACKER: "redacted",
        CONF_PLATFORM: "gazelle",
        CONF_URL: demo.url,
        CONF_API_KEY: "demo-red-key",
        CONF_AUTH_STYLE: "raw",
        CONF_API_PATH: "ajax.php",
        CONF_REMOTE_USER_ID: 12345,
        CONF_USERNAME: "JohnDoe",
    }
    # The preset's default is read where it is used, not copied into options.
    assert result["options"] == {}
    assert AccountOptions.of(result["result"]).enrich is True
    assert result["result"].unique_id == "127.0.0.1_12345"
    # Validation is one index request: no enrichment, whatever the preset.
    assert [request.action for request in demo.state.requests] == ["index"]
    assert mock_setup.call_count == 1


async def test_ggn_over_real_http(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock
) -> None:
    """GazelleGames asks for URL and key only, and stores the resolved id."""
    result = await start(hass, "gazellegames")
    assert result["description_placeholders"] == {"tracker": "GazelleGames"}
    form = fields(result)
    assert list(form) == [CONF_URL, CONF_API_KEY]
    assert form[CONF_URL].default() == "https://gazellegames.net"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: demo.url, CONF_API_KEY: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: demo.url, CONF_API_KEY: "demo-ggn-key"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "GazelleGames (ExampleUser)"
    assert result["data"] == {
        CONF_TRACKER: "gazellegames",
        CONF_PLATFORM: "ggn",
        CONF_URL: demo.url,
        CONF_API_KEY: "demo-ggn-key",
        CONF_REMOTE_USER_ID: 74360,
        CONF_USERNAME: "ExampleUser",
    }
    assert result["options"] == {}
    assert result["result"].unique_id == "127.0.0.1_74360"


async def test_generic_fork_is_named_by_host_without_enrichment(
    hass: HomeAssistant, demo: DemoTracker, mock_setup: AsyncMock
) -> None:
    """Other Gazelle tracker: title from the host, enrichment off."""
    result = await start(hass, "gazelle")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_URL: demo.url,
            CONF_API_KEY: "demo-fork-key",
            CONF_AUTH_STYLE: "token",
            CONF_API_PATH: "ajax.php",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "127.0.0.1 (ForkUser)"
    assert result["data"] == {
        CONF_TRACKER: "gazelle",
        CONF_PLATFORM: "gazelle",
        CONF_URL: demo.url,
        CONF_API_KEY: "demo-fork-key",
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
        CONF_REMOTE_USER_ID: 777,
        CONF_USERNAME: "ForkUser",
    }
    assert result["options"] == {}
    assert AccountOptions.of(result["result"]).enrich is False
    assert result["result"].unique_id == "127.0.0.1_777"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("html_login", "invalid_response"),
        ("redirect", "invalid_response"),
        ("malformed_json", "invalid_response"),
        ("wrong_shape", "invalid_response"),
        ("server_error", "cannot_connect"),
        ("bad_gateway", "cannot_connect"),
        ("rate_limit", "rate_limited"),
        ("rate_limit_text", "rate_limited"),
        ("failure_message", "invalid_auth_gazelle"),
    ],
)
async def test_tracker_faults_over_real_http(
    hass: HomeAssistant,
    demo: DemoTracker,
    mock_setup: AsyncMock,
    fault: str,
    error: str,
) -> None:
    """A misbehaving tracker shows the matching error; once it recovers, it works."""
    result = await start(hass, "orpheus")
    user_input = {**ORPHEUS_INPUT, CONF_URL: demo.url, CONF_API_KEY: "demo-ops-key"}
    demo.state.set_fault(fault, times=1, retry_after=30)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Orpheus (JaneRoe)"


@pytest.mark.parametrize(("failure", "error"), FAILURES, ids=FAILURE_IDS)
async def test_errors_then_recovery(
    hass: HomeAssistant,
    mock_setup: AsyncMock,
    failure: Exception | TrackerStats,
    error: str,
) -> None:
    """Each failure shows its error on the form; the next try can succeed."""
    result = await start(hass, "orpheus")
    with tracker_answers(failure, JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "gazelle"
        assert result["errors"] == {"base": error}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Orpheus (JohnDoe)"


async def test_unexpected_error_is_logged_without_the_key(
    hass: HomeAssistant, mock_setup: AsyncMock, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error leaves a traceback in the log, but never the key."""
    result = await start(hass, "orpheus")
    with tracker_answers(RuntimeError("bug")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**ORPHEUS_INPUT, CONF_API_KEY: SECRET_KEY}
        )
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while checking the tracker account" in caplog.text
    assert "RuntimeError: bug" in caplog.text
    assert SECRET_KEY not in caplog.text


async def test_form_after_an_error_keeps_the_input_but_not_the_key(
    hass: HomeAssistant,
) -> None:
    """The user fixes one field, not all of them; the key is never sent back."""
    result = await start(hass, "gazelle")
    typed = {
        CONF_URL: "https://fork.example",
        CONF_API_KEY: SECRET_KEY,
        CONF_AUTH_STYLE: "raw",
        CONF_API_PATH: "api.php",
    }
    with tracker_answers(TrackerConnectionError("down")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], typed
        )
    assert result["errors"] == {"base": "cannot_connect"}
    form = fields(result)
    assert form[CONF_URL].default() == "https://fork.example"
    assert form[CONF_AUTH_STYLE].default() == "raw"
    assert form[CONF_API_PATH].default() == "api.php"
    assert form[CONF_API_KEY].default is vol.UNDEFINED
    assert SECRET_KEY not in repr(result)


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://tracker.example", "insecure_url"),
        ("http://192.168.1.2:8080", "insecure_url"),
        ("http://[fe80::1]", "insecure_url"),
        ("http://localhost.example", "insecure_url"),
        ("https://", "cannot_connect"),
        ("http://", "cannot_connect"),
        ("ftp://tracker.example", "cannot_connect"),
        ("tracker.example:port", "cannot_connect"),
        ("https://[tracker", "cannot_connect"),
        ("https://:443", "cannot_connect"),
    ],
)
async def test_url_checks(
    hass: HomeAssistant, mock_setup: AsyncMock, url: str, error: str
) -> None:
    """Plain http only on loopback; unusable URLs cannot connect; no request."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN) as answer:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: url, CONF_API_KEY: "key"}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    answer.assert_not_called()


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8765",
        "HTTP://LocalHost",
        "http://127.0.0.1",
        "http://127.3.2.1:8080",
        "http://[::1]:8765",
        "https://192.168.1.2",
    ],
)
async def test_http_allowed_on_loopback(
    hass: HomeAssistant, mock_setup: AsyncMock, url: str
) -> None:
    """A tracker on this machine may use plain http; https goes anywhere."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: url, CONF_API_KEY: "key"}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_scheme_less_url_gets_https(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """Typing just the host means https; the unique id uses the lower-case host."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: " GazelleGames.net/ ", CONF_API_KEY: " k "}
        )
    # Stored as the client's base URL: yarl lower-cases the host.
    assert result["data"][CONF_URL] == "https://gazellegames.net"
    assert result["data"][CONF_API_KEY] == "k"
    assert result["result"].unique_id == "gazellegames.net_12345"


async def test_hidden_username_falls_back_to_the_user_id(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """A tracker that hides the name still gets a title that tells accounts apart."""
    result = await start(hass, "orpheus")
    with tracker_answers(TrackerStats(username=None, remote_user_id=12345)):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
    assert result["title"] == "Orpheus (#12345)"


async def test_same_account_aborts(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    mock_setup: AsyncMock,
) -> None:
    """Adding an account that is already configured aborts."""
    demo_entry("ggn")
    result = await start(hass, "gazellegames")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: demo.url, CONF_API_KEY: "demo-ggn-key"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_another_account_on_the_same_tracker_is_added(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """One entry per account: a second account of a tracker is its own entry."""
    add_entry(hass)
    result = await start(hass, "orpheus")
    with tracker_answers(STRANGER):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "orpheus.network_99"


async def test_reauth_over_real_http(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    mock_setup: AsyncMock,
) -> None:
    """A rotated key: the old one fails, the new one is stored and the entry reloads."""
    entry = demo_entry("red")
    new_key = demo.state.rotate_key("red")
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    placeholders = result["description_placeholders"]
    assert (placeholders["tracker"], placeholders["username"]) == (
        "Redacted",
        "JohnDoe",
    )
    assert list(fields(result)) == [CONF_API_KEY]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "demo-red-key"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth_gazelle"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f" {new_key} "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == new_key
    assert entry.data[CONF_REMOTE_USER_ID] == 12345
    assert entry.title == "Redacted (JohnDoe)"
    assert mock_setup.call_count == 1  # the reload


@pytest.mark.parametrize(("failure", "error"), FAILURES, ids=FAILURE_IDS)
async def test_reauth_errors_then_recovery(
    hass: HomeAssistant,
    mock_setup: AsyncMock,
    failure: Exception | TrackerStats,
    error: str,
) -> None:
    """Reauth shows the same errors as the user step, then takes a good key."""
    entry = add_entry(hass)
    result = await entry.start_reauth_flow(hass)
    with tracker_answers(failure, JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "bad"}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "reauth_confirm"
        assert result["errors"] == {"base": error}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "good"}
        )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == "good"


async def test_reauth_with_another_accounts_key(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """A key of another account aborts and keeps the stored key."""
    entry = add_entry(hass)
    result = await entry.start_reauth_flow(hass)
    with tracker_answers(STRANGER):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "other"}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == "stored-key"
    mock_setup.assert_not_called()


async def test_reauth_names_the_stored_username(hass: HomeAssistant) -> None:
    """The dialog names the account, also once the user renamed the entry."""
    entry = add_entry(hass, "gazelle", title="My fork", url="https://fork.example")
    result = await entry.start_reauth_flow(hass)
    placeholders = result["description_placeholders"]
    assert (placeholders["tracker"], placeholders["username"]) == (
        "fork.example",
        "JohnDoe",
    )


async def test_reauth_of_a_first_release_entry_names_it_by_its_title(
    hass: HomeAssistant,
) -> None:
    """Version-1 entries stored no username: the title is the name they know."""
    entry = add_entry(hass, "gazelle", title="My fork", url="https://fork.example")
    hass.config_entries.async_update_entry(
        entry, data={k: v for k, v in entry.data.items() if k != CONF_USERNAME}
    )
    result = await entry.start_reauth_flow(hass)
    assert result["description_placeholders"]["username"] == "My fork"


async def test_reconfigure_keeps_key_when_left_empty(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    mock_setup: AsyncMock,
) -> None:
    """Reconfigure prefills the entry and keeps the key if the field is empty."""
    entry = demo_entry("red")
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {
        "tracker": "Redacted",
        "username": "JohnDoe",
    }
    form = fields(result)
    assert list(form) == [CONF_URL, CONF_API_KEY, CONF_AUTH_STYLE, CONF_API_PATH]
    assert isinstance(form[CONF_API_KEY], vol.Optional)
    assert form[CONF_API_KEY].default is vol.UNDEFINED
    assert form[CONF_URL].default() == demo.url
    assert form[CONF_AUTH_STYLE].default() == "raw"
    assert form[CONF_API_PATH].default() == "ajax.php"
    user_input = {
        CONF_URL: demo.url,
        CONF_AUTH_STYLE: "token",
        CONF_API_PATH: "ajax.php",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["errors"] == {"base": "invalid_auth_gazelle"}
    assert fields(result)[CONF_AUTH_STYLE].default() == "token"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**user_input, CONF_AUTH_STYLE: "raw", CONF_API_KEY: "  "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == "demo-red-key"
    assert entry.data[CONF_AUTH_STYLE] == "raw"
    assert entry.title == "Redacted (JohnDoe)"
    assert mock_setup.call_count == 1  # the reload


async def test_reconfigure_stores_the_new_settings_and_username(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """A new key, URL form and path are stored; a renamed account renames the entry."""
    entry = add_entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    with tracker_answers(JOHN_RENAMED) as answer:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_URL: "Orpheus.Network/",
                CONF_API_KEY: " new-key ",
                CONF_AUTH_STYLE: "raw",
                CONF_API_PATH: "api.php",
            },
        )
    answer.assert_awaited_once_with()
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "Orpheus (JohnRenamed)"
    assert dict(entry.data) == {
        CONF_TRACKER: "orpheus",
        CONF_PLATFORM: "gazelle",
        CONF_URL: "https://orpheus.network",
        CONF_API_KEY: "new-key",
        CONF_AUTH_STYLE: "raw",
        CONF_API_PATH: "api.php",
        CONF_REMOTE_USER_ID: 12345,
        CONF_USERNAME: "JohnRenamed",
    }
    assert entry.unique_id == "orpheus.network_12345"
    assert entry.options == {CONF_ENRICH: True}


async def test_reconfigure_keeps_a_title_the_user_chose(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """A renamed entry keeps its name even when the username changed."""
    entry = add_entry(hass, title="Music")
    result = await entry.start_reconfigure_flow(hass)
    assert result["description_placeholders"]["username"] == "JohnDoe"
    with tracker_answers(JOHN_RENAMED):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**ORPHEUS_INPUT, CONF_API_KEY: "new-key"}
        )
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "Music"


@pytest.mark.parametrize(("failure", "error"), FAILURES, ids=FAILURE_IDS)
async def test_reconfigure_errors_then_recovery(
    hass: HomeAssistant,
    mock_setup: AsyncMock,
    failure: Exception | TrackerStats,
    error: str,
) -> None:
    """Reconfigure shows the same errors as the user step, then succeeds."""
    entry = add_entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    with tracker_answers(failure, JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
        assert result["type"] is FlowResultType.FORM
        assert result["step_id"] == "reconfigure"
        assert result["errors"] == {"base": error}
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ORPHEUS_INPUT
        )
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_refuses_plain_http(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """The URL rules of the user step hold in reconfigure too."""
    entry = add_entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    with tracker_answers(JOHN) as answer:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**ORPHEUS_INPUT, CONF_URL: "http://orpheus.network"}
        )
    assert result["errors"] == {"base": "insecure_url"}
    answer.assert_not_called()
    assert entry.data[CONF_URL] == "https://orpheus.network"


async def test_reconfigure_other_account(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """Reconfiguring onto another account aborts and changes nothing."""
    entry = add_entry(
        hass,
        "gazellegames",
        title="GazelleGames (ExampleUser)",
        url="https://gazellegames.net",
        remote_user_id=74360,
        options={},
    )
    result = await entry.start_reconfigure_flow(hass)
    assert list(fields(result)) == [CONF_URL, CONF_API_KEY]
    with tracker_answers(STRANGER):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: entry.data[CONF_URL], CONF_API_KEY: "other"}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == "stored-key"
    mock_setup.assert_not_called()


async def test_reconfigure_to_another_host_is_another_account(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """The unique id holds the host, so a new host cannot keep the entry."""
    entry = add_entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    with tracker_answers(JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**ORPHEUS_INPUT, CONF_URL: "https://mirror.example"}
        )
    assert result["reason"] == "wrong_account"


@pytest.mark.parametrize(
    ("tracker", "options", "shown"),
    [
        ("redacted", {CONF_ENRICH: True}, True),
        ("orpheus", {CONF_ENRICH: False}, False),
        ("orpheus", {}, True),
        ("gazelle", {}, False),
    ],
)
async def test_options_flow(
    hass: HomeAssistant,
    mock_setup: AsyncMock,
    tracker: str,
    options: dict[str, Any],
    shown: bool,
) -> None:
    """Gazelle accounts switch the enrichment request; the preset is the default.

    The alert options are tested in test_options.py.
    """
    entry = add_entry(hass, tracker, options=options)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert fields(result)[CONF_ENRICH].default() is shown
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ENRICH: not shown}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_ENRICH] is not shown
