"""Diagnostics are complete enough to debug and hold no secret."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.tracker_stats.api import PLATFORMS, STAT_FIELDS
from demo_tracker.testing import DemoTracker

from .conftest import DEMO_ENTRIES, EntryFactory, setup_entry

# What the demo tracker sends that must never reach a diagnostics file.
NEVER_SHOWN = ("demopasskey", "demoauthkey", "203.0.113.", "@example.invalid")


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """Only allow-listed settings and statistics; never key, name, URL or IP."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    for secret in ("demo-ggn-key", "ExampleUser", "203.0.113.", "demopasskey"):
        assert secret not in text
    assert entry.title not in text
    assert diagnostics["data"] == {"tracker": "gazellegames", "platform": "ggn"}
    assert diagnostics["options"] == {}
    assert diagnostics["platform_fields"] == sorted(PLATFORMS["ggn"])
    assert set(diagnostics["stats"]) == STAT_FIELDS
    assert diagnostics["stats"]["username"] == "**REDACTED**"
    assert diagnostics["stats"]["ratio"] == 0.99699
    assert diagnostics["stats"]["seeding_count"] is None  # hidden by paranoia
    assert diagnostics["stats"]["joined_date"] == "2025-02-18T08:59:21+00:00"
    assert diagnostics["stats"]["remote_user_id"] == 74360
    assert diagnostics["platform_meta"]["buffs"]["Upload"] == 2
    assert diagnostics["last_update_success"] is True


async def test_diagnostics_never_show_the_url(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    demo: DemoTracker,
    demo_entry: EntryFactory,
) -> None:
    """A URL can carry a passkey in its query; it is left out, as is the avatar."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "url": f"{demo.url}/?passkey=abcdef"}
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["data"] == {
        "tracker": "redacted",
        "platform": "gazelle",
        "auth_style": "raw",
        "api_path": "ajax.php",
    }
    assert diagnostics["options"] == {"enrich": True}
    text = json.dumps(diagnostics)
    assert "abcdef" not in text
    assert "avatars" not in text


@pytest.mark.parametrize("account", list(DEMO_ENTRIES))
async def test_no_account_leaks_secrets(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    demo_entry: EntryFactory,
    account: str,
) -> None:
    """Every demo account: no key, username, passkey, authkey, IP or e-mail."""
    entry = demo_entry(account)
    await setup_entry(hass, entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    stats = entry.runtime_data.data.stats
    # AnimeBytes' answer names no user; the typed name is in the entry.
    username = stats.username or entry.data["username"]
    for secret in (entry.data["api_key"], username, *NEVER_SHOWN):
        assert secret not in text
    assert diagnostics["data"]["platform"] == entry.data["platform"]
    assert diagnostics["stats"]["remote_user_id"] == stats.remote_user_id
