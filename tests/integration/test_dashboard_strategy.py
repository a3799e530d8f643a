"""The dashboard strategy: served by the integration, loaded by the frontend."""

from __future__ import annotations

from pathlib import Path
import re
from unittest.mock import MagicMock, patch

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.tracker_stats.const import DOMAIN
from custom_components.tracker_stats.dashboard import STRATEGY_FILE, STRATEGY_URL

TRANSLATIONS = STRATEGY_FILE.parents[1] / "translations"


@pytest.fixture
def extra_js() -> MagicMock:
    """Stand in for the frontend's list of extra modules."""
    with patch(
        "custom_components.tracker_stats.dashboard.add_extra_js_url"
    ) as add_extra_js_url:
        yield add_extra_js_url


async def test_served_and_loaded_with_a_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, extra_js: MagicMock
) -> None:
    """With a frontend, the module is served and every browser loads it."""
    assert await async_setup_component(hass, "http", {})
    # What the frontend's own setup leaves behind, without its file bundle.
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, DOMAIN, {})

    extra_js.assert_called_once_with(hass, STRATEGY_URL)
    client = await hass_client()
    answer = await client.get(STRATEGY_URL)
    assert answer.status == 200
    assert answer.content_type in {"application/javascript", "text/javascript"}
    assert await answer.text() == STRATEGY_FILE.read_text(encoding="utf-8")
    # Revalidated after an update instead of cached for a month.
    assert "max-age" not in answer.headers.get("Cache-Control", "")


async def test_nothing_to_load_without_a_frontend(
    hass: HomeAssistant, extra_js: MagicMock
) -> None:
    """A Home Assistant without its frontend sets the integration up all the same."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components
    extra_js.assert_not_called()


def test_module_texts_in_every_language_of_the_integration() -> None:
    """The strategy's own texts: the integration's languages, the same keys each."""
    source = STRATEGY_FILE.read_text(encoding="utf-8")
    block = source.split("const TEXTS = {", 1)[1].split("\n};", 1)[0]
    languages = re.findall(r'^  "?([\w-]+)"?: \{$', block, re.MULTILINE)
    keys = {
        language: re.findall(r"^    (\w+): ", body, re.MULTILINE)
        for language, body in zip(
            languages,
            re.split(r'^  "?[\w-]+"?: \{$', block, flags=re.MULTILINE)[1:],
            strict=True,
        )
    }
    assert sorted(languages) == sorted(p.stem for p in TRANSLATIONS.glob("*.json"))
    assert all(found == keys["en"] for found in keys.values()), keys
    assert len(keys["en"]) >= 8


def test_module_loads_nothing_from_elsewhere() -> None:
    """No import, no URL: the module runs on what the frontend hands it."""
    source = STRATEGY_FILE.read_text(encoding="utf-8")
    assert not re.search(r"\bimport\b|https?://|fetch\(", source)
    assert Path(STRATEGY_URL).name == STRATEGY_FILE.name
