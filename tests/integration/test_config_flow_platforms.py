"""The config flow for every preset: forms, account identity and input hygiene."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import AsyncMock, patch

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol
from yarl import URL

from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    AccountIdentity,
    TrackerConnectionError,
    TrackerStats,
)
from custom_components.tracker_stats.const import (
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
    GENERIC_TRACKERS,
    TRACKER_PRESETS,
)

from .test_config_flow import any_platform_builds, fields, start, tracker_answers

JOHN = TrackerStats(username="JohnDoe", remote_user_id=12345)
KEY = "typed-key-never-shown-again"

# Each preset → (platform, prefilled URL), as the platform modules declare them.
PRESETS = {
    tracker: (preset.platform.value, preset.url or None)
    for tracker, preset in TRACKER_PRESETS.items()
}


def form_fields(platform: str) -> list[str]:
    """Return a platform's credentials fields: URL, secret, then its own."""
    return [CONF_URL, CONF_API_KEY, *PLATFORM_SPECS[platform].flow_fields]


@pytest.fixture(autouse=True)
def mock_setup() -> Iterator[AsyncMock]:
    """Keep flow tests about the flow: entry setup is a no-op."""
    with patch(
        "custom_components.tracker_stats.async_setup_entry", return_value=True
    ) as mocked:
        yield mocked


@pytest.mark.parametrize("tracker", list(PRESETS))
async def test_every_preset_opens_its_platform_step(
    hass: HomeAssistant, tracker: str
) -> None:
    """The platform's step, URL prefilled for presets, its fields, never a key."""
    platform, url = PRESETS[tracker]
    result = await start(hass, tracker)
    generic = tracker in GENERIC_TRACKERS
    assert result["step_id"] == (f"other_{platform}" if generic else platform)
    form = fields(result)
    assert list(form) == form_fields(platform)
    if url is None:
        assert form[CONF_URL].default is vol.UNDEFINED
    else:
        assert form[CONF_URL].default() == url
    assert form[CONF_API_KEY].default is vol.UNDEFINED
    assert result["data_schema"].schema[CONF_API_KEY].config["type"] == "password"


async def add(
    hass: HomeAssistant, tracker: str, answer: TrackerStats, **typed: str
) -> dict:
    """Fill the preset's form with ``typed`` over its URL and a key; return the result."""
    result = await start(hass, tracker)
    user_input = {CONF_URL: PRESETS[tracker][1], CONF_API_KEY: KEY, **typed}
    with any_platform_builds(), tracker_answers(answer):
        return await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )


@pytest.mark.parametrize(
    ("tracker", "unique_id"),
    [
        (tracker, f"{preset.account_host or URL(preset.url).host}_12345")
        for tracker, preset in TRACKER_PRESETS.items()
        if preset.url
        and PLATFORM_SPECS[preset.platform].identity is AccountIdentity.USER_ID
        and not PLATFORM_SPECS[preset.platform].flow_fields
    ],
)
async def test_numeric_id_platforms_use_host_and_id(
    hass: HomeAssistant, tracker: str, unique_id: str
) -> None:
    """An answer with a user id: the account is the host and that id."""
    result = await add(hass, tracker, JOHN)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == unique_id
    assert result["title"] == f"{TRACKER_PRESETS[tracker].name} (JohnDoe)"
    assert result["data"] == {
        CONF_TRACKER: tracker,
        CONF_PLATFORM: PRESETS[tracker][0],
        CONF_URL: PRESETS[tracker][1],
        CONF_API_KEY: KEY,
        CONF_REMOTE_USER_ID: 12345,
        CONF_USERNAME: "JohnDoe",
    }
    assert result["options"] == {}


async def test_unit3d_uses_the_username_lower_cased(hass: HomeAssistant) -> None:
    """UNIT3D sends no user id: the username tells accounts apart, in any case."""
    result = await add(hass, "aither", TrackerStats(username="JohnDoe"))
    assert result["result"].unique_id == "aither.cc_johndoe"
    assert result["title"] == "Aither (JohnDoe)"
    assert result["data"][CONF_USERNAME] == "JohnDoe"
    assert CONF_REMOTE_USER_ID not in result["data"]
    # The same account typed in another case is already there.
    result = await add(hass, "aither", TrackerStats(username="JOHNDOE"))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_unit3d_answer_without_a_username_is_invalid(
    hass: HomeAssistant,
) -> None:
    """No id and no name: the flow cannot tell the account, so it says so."""
    result = await add(hass, "blutopia", TrackerStats(username=None))
    assert result["errors"] == {"base": "invalid_response"}


async def test_animebytes_uses_the_typed_username(hass: HomeAssistant) -> None:
    """AnimeBytes names no one: the username the user typed is the account."""
    result = await add(
        hass, "animebytes", TrackerStats(username=None), **{CONF_USERNAME: " Kyo "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == "animebytes.tv_kyo"
    assert result["title"] == "AnimeBytes (Kyo)"
    assert result["data"][CONF_USERNAME] == "Kyo"


async def test_animebytes_input_is_kept_after_an_error(hass: HomeAssistant) -> None:
    """The username and URL come back after an error; the key does not."""
    result = await add(
        hass,
        "animebytes",
        TrackerConnectionError("down"),  # type: ignore[arg-type]
        **{CONF_USERNAME: "Kyo", CONF_URL: "https://ab.example"},
    )
    assert result["errors"] == {"base": "cannot_connect"}
    form = fields(result)
    assert form[CONF_USERNAME].default() == "Kyo"
    assert form[CONF_URL].default() == "https://ab.example"
    assert form[CONF_API_KEY].default is vol.UNDEFINED
    assert KEY not in repr(result)


@pytest.mark.parametrize("key", ["key\r\nX-Injected: 1", "ke\ny", "k\rey", "k\x00ey"])
async def test_a_key_with_control_characters_is_refused_unsent(
    hass: HomeAssistant, key: str
) -> None:
    """A pasted line break would split the request's header: no request at all."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN) as answer:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_URL: "https://gazellegames.net", CONF_API_KEY: key}
        )
    assert result["errors"] == {"base": "invalid_auth"}
    answer.assert_not_called()


async def test_a_url_with_credentials_is_refused_and_never_stored(
    hass: HomeAssistant,
) -> None:
    """user:password@ in the URL is an error; nothing of it reaches an entry."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN) as answer:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_URL: "https://me:hunter2@gazellegames.net", CONF_API_KEY: KEY},
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    answer.assert_not_called()
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_the_stored_url_has_no_query(hass: HomeAssistant) -> None:
    """A pasted URL's query (a passkey, say) and fragment are not stored."""
    result = await start(hass, "gazellegames")
    with tracker_answers(JOHN):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_URL: "https://gazellegames.net/?passkey=abcdef#top",
                CONF_API_KEY: KEY,
            },
        )
    assert result["data"][CONF_URL] == "https://gazellegames.net"
    assert "abcdef" not in repr(result["data"])


def unit3d_entry(hass: HomeAssistant) -> MockConfigEntry:
    """Add an Aither entry as the flow makes it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title="Aither (JohnDoe)",
        unique_id="aither.cc_johndoe",
        data={
            CONF_TRACKER: "aither",
            CONF_PLATFORM: "unit3d",
            CONF_URL: "https://aither.cc",
            CONF_API_KEY: "stored-key",
            CONF_USERNAME: "JohnDoe",
        },
    )
    entry.add_to_hass(hass)
    return entry


async def test_unit3d_reauth_with_another_accounts_token(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """Another user's token aborts and keeps the stored one."""
    entry = unit3d_entry(hass)
    result = await entry.start_reauth_flow(hass)
    with any_platform_builds(), tracker_answers(TrackerStats(username="Stranger")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "other"}
        )
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == "stored-key"
    mock_setup.assert_not_called()


async def test_unit3d_reauth_succeeds_for_the_same_user(
    hass: HomeAssistant, mock_setup: AsyncMock
) -> None:
    """The same user in another case is the same account: the token is stored."""
    entry = unit3d_entry(hass)
    result = await entry.start_reauth_flow(hass)
    with any_platform_builds(), tracker_answers(TrackerStats(username="johndoe")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: " new-token "}
        )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == "new-token"
    # The reload is a scheduled task: it may not have run by the abort.
    await hass.async_block_till_done()
    assert mock_setup.call_count == 1  # the reload
