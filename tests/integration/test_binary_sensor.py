"""Binary sensors: the account's problems."""

from __future__ import annotations

from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.tracker_stats.api import TrackerStats
from custom_components.tracker_stats.binary_sensor import below_required_ratio
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, entity_projection, setup_entry


@pytest.mark.parametrize("account", ["red", "ggn"])
async def test_binary_sensors_snapshot(
    hass: HomeAssistant,
    demo_entry: EntryFactory,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    account: str,
) -> None:
    """Both binary sensors exist on both platforms; the seed accounts are fine."""
    freezer.move_to("2026-11-24T12:00:00+00:00")
    entry = demo_entry(account)
    await setup_entry(hass, entry)
    assert entity_projection(hass, entry.entry_id, "binary_sensor") == snapshot


async def test_warned_and_below_required_ratio(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """JaneRoe is warned and under her required ratio: both problems on."""
    await setup_entry(hass, demo_entry("ops"))
    prefix = "binary_sensor.orpheus_janeroe"
    assert hass.states.get(f"{prefix}_warned").state == STATE_ON
    assert hass.states.get(f"{prefix}_below_required_ratio").state == STATE_ON


async def test_nothing_downloaded_is_never_below_the_ratio(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A fork showing "∞" with no required ratio: off, not unknown."""
    await setup_entry(hass, demo_entry("fork"))
    state = hass.states.get("binary_sensor.127_0_0_1_forkuser_below_required_ratio")
    assert state.state == STATE_OFF


async def test_unknown_when_the_tracker_does_not_say(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """No warned flag, no ratio: both unknown, never a guessed off."""
    mock_client.async_get_stats.return_value = TrackerStats(
        username="JohnDoe", remote_user_id=12345, downloaded_bytes=10
    )
    await setup_entry(hass, mock_entry)
    prefix = "binary_sensor.redacted_johndoe"
    assert hass.states.get(f"{prefix}_warned").state == STATE_UNKNOWN
    assert hass.states.get(f"{prefix}_below_required_ratio").state == STATE_UNKNOWN


@pytest.mark.parametrize(
    ("ratio", "required", "downloaded", "expected"),
    [
        (0.5, 0.6, 10, True),
        (0.6, 0.6, 10, False),
        (4.0, 0.6, 10, False),
        (None, 0.6, 0, False),
        (None, None, 0, False),
        (None, 0.6, 10, None),
        (1.0, None, 10, None),
        (0.5, 0.6, None, True),
    ],
)
def test_below_required_ratio(
    ratio: float | None,
    required: float | None,
    downloaded: int | None,
    expected: bool | None,
) -> None:
    """On only when the ratio is known and under the requirement."""
    stats = TrackerStats(
        username=None, ratio=ratio, required_ratio=required, downloaded_bytes=downloaded
    )
    assert below_required_ratio(stats) is expected


async def test_gazelle_warned_is_unknown_without_the_profile(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """The index does not say whether the account is warned: unknown, not off."""
    await setup_entry(hass, demo_entry("red", enrich=False))
    state = hass.states.get("binary_sensor.redacted_johndoe_warned")
    assert state.state == STATE_UNKNOWN
    # With the profile request the flag is known again.
    await setup_entry(hass, demo_entry("ops"))
    assert hass.states.get("binary_sensor.orpheus_janeroe_warned").state == STATE_ON
