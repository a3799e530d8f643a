"""What the flows say: each form names its site, each platform its own rejected-key text."""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.tracker_stats.api import PLATFORM_SPECS, TrackerAuthError
from custom_components.tracker_stats.const import (
    CONF_RATIO_DROP,
    DOMAIN,
    TRACKER_PRESETS,
)

from .conftest import setup_entry
from .test_config_flow import any_platform_builds, fields, start, tracker_answers

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))


@pytest.fixture
def mock_setup() -> Iterator[AsyncMock]:
    """Keep flow tests about the flow: entry setup is a no-op."""
    with patch(
        "custom_components.tracker_stats.async_setup_entry", return_value=True
    ) as mocked:
        yield mocked


def texts(language: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return data


def typed(result: dict[str, Any]) -> dict[str, Any]:
    """Fill a credentials form: its defaults, a key, a username where asked."""
    answer: dict[str, Any] = {CONF_URL: "https://tracker.example", CONF_API_KEY: "k"}
    for name, marker in fields(result).items():
        if marker.default is not vol.UNDEFINED:
            answer[name] = marker.default()
    if CONF_USERNAME in fields(result):
        answer[CONF_USERNAME] = "JohnDoe"
    return answer


@pytest.mark.parametrize(
    ("tracker", "error"),
    [
        (tracker, PLATFORM_SPECS[preset.platform].rejected_key_error)
        for tracker, preset in TRACKER_PRESETS.items()
    ],
)
async def test_a_rejected_secret_says_what_the_platform_calls_it(
    hass: HomeAssistant, mock_setup: AsyncMock, tracker: str, error: str
) -> None:
    result = await start(hass, tracker)
    with any_platform_builds(), tracker_answers(TrackerAuthError("rejected")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], typed(result)
        )
    assert result["errors"] == {"base": error}


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_gazelle_text_talks_about_gazelle_headers(language: str) -> None:
    errors = texts(language)["config"]["error"]
    for error in ("invalid_auth", "invalid_token", "invalid_session"):
        assert "Gazelle" not in errors[error], error
    assert "Gazelle" in errors["invalid_auth_gazelle"]
    # MyAnonamouse's secret is a session value, named as the form names it.
    assert "mam_id" in errors["invalid_session"]


@pytest.mark.parametrize("tracker", ["gazelle", "unit3d"])
async def test_another_site_form_never_names_a_platform_or_a_host(
    hass: HomeAssistant, mock_setup: AsyncMock, tracker: str
) -> None:
    """Not "Connect to UNIT3D" before a submit, nor "Connect to 127.0.0.1" after."""
    result = await start(hass, tracker)
    assert result["step_id"] == f"other_{tracker}"
    assert not result["description_placeholders"]
    with any_platform_builds(), tracker_answers(TrackerAuthError("rejected")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**typed(result), CONF_URL: "https://127.0.0.1"}
        )
    assert result["step_id"] == f"other_{tracker}"
    assert not result["description_placeholders"]
    for language in LANGUAGES:
        step = texts(language)["config"]["step"][f"other_{tracker}"]
        assert "{tracker}" not in step["title"] + step["description"], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_btn_url_help_matches_the_prefilled_api_host(language: str) -> None:
    """The field holds api.broadcasthe.net; its help says it is the API's address."""
    help_text = texts(language)["config"]["step"]["btn"]["data_description"]["url"]
    assert "API" in help_text


async def test_options_name_the_account_and_show_what_the_help_says(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    await setup_entry(hass, mock_entry)
    result = await hass.config_entries.options.async_init(mock_entry.entry_id)
    assert result["description_placeholders"] == {
        "tracker": "Redacted",
        "username": "JohnDoe",
    }
    shown = fields(result)[CONF_RATIO_DROP].default()
    assert shown == 0.1
    for language in LANGUAGES:
        step = texts(language)["options"]["step"]["init"]
        assert "{username}" in step["title"], language
        assert "{tracker}" in step["title"], language
        # The example in the help is the value the field shows.
        example = step["data_description"]["ratio_drop"]
        assert "0.1" in example or "0,1" in example, language
        assert "0.2" not in example and "0,2" not in example, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_options_description_does_not_talk_about_the_gazelle_profile(
    language: str,
) -> None:
    """The profile request is Gazelle's only: its field's help says it, not the dialog."""
    step = texts(language)["options"]["step"]["init"]
    assert "action=user" in step["data_description"]["enrich"]
    english_profile_words = ("profile", "Profil", "profil", "perfil", "profilo")
    assert not any(word in step["description"] for word in english_profile_words)
