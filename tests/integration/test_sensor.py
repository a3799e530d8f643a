"""Sensors: every row of PRODUCT.md's table, with the seeds' values."""

from __future__ import annotations

from datetime import UTC
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.tracker_stats.api import TrackerStats
from custom_components.tracker_stats.const import DOMAIN
from custom_components.tracker_stats.sensor import SENSORS, download_headroom
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, entity_projection, setup_entry

GAZELLE_ONLY = {"freeleech_tokens"}
GGN_ONLY = {"hit_and_runs", "share_score"}
GIB = 2**30


def sensor_keys(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the description keys of the entry's sensors."""
    return {
        entity.unique_id.removeprefix(f"{entry.unique_id}_")
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.domain == "sensor"
    }


@pytest.mark.parametrize("account", ["red", "ggn"])
async def test_sensors_snapshot(
    hass: HomeAssistant,
    demo_entry: EntryFactory,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    account: str,
) -> None:
    """Each sensor's registry entry, state and attributes, on both platforms."""
    freezer.move_to("2026-11-24T12:00:00+00:00")
    entry = demo_entry(account)
    await setup_entry(hass, entry)
    assert entity_projection(hass, entry.entry_id, "sensor") == snapshot


async def test_gazelle_sensors(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """JohnDoe's seed values; Gazelle has no GGn-only sensors."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    keys = sensor_keys(hass, entry)
    assert keys == {d.key for d in SENSORS} - GGN_ONLY

    def state(key: str) -> str:
        return hass.states.get(f"sensor.redacted_johndoe_{key}").state

    # Data sizes show in GiB (the suggested unit), converted from exact bytes.
    assert state("uploaded") == str(536870912000 / GIB)
    assert state("downloaded") == str(134217728000 / GIB)
    assert state("buffer") == str(402653184000 / GIB)
    assert float(state("download_headroom")) == pytest.approx(
        (536870912000 / 0.6 - 134217728000) / GIB
    )
    assert (state("ratio"), state("required_ratio")) == ("4.0", "0.6")
    assert (state("seeding"), state("leeching")) == ("42", "1")
    assert state("bonus_points") == "12500.0"
    assert state("freeleech_tokens") == "3"
    assert state("user_class") == "Power User"
    assert state("username") == "JohnDoe"
    assert state("joined") == "2021-04-12T09:34:00+00:00"
    assert state("last_access") == "2026-03-19T14:22:11+00:00"
    stats = entry.runtime_data.data
    assert stats.joined_date is not None
    assert stats.joined_date.tzinfo is UTC
    # Disabled by default: registered, but no state.
    remote_id = er.async_get(hass).async_get("sensor.redacted_johndoe_remote_user_id")
    assert remote_id is not None
    assert remote_id.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get("sensor.redacted_johndoe_remote_user_id") is None

    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert (device.name, device.manufacturer, device.model) == (
        "Redacted (JohnDoe)",
        "Redacted",
        "Gazelle",
    )
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.configuration_url == demo.url


async def test_ggn_sensors(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """ExampleUser's seed values; GGn has no freeleech tokens."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    assert sensor_keys(hass, entry) == {d.key for d in SENSORS} - GAZELLE_ONLY

    def state(key: str) -> str:
        return hass.states.get(f"sensor.gazellegames_exampleuser_{key}").state

    assert state("ratio") == "0.99699"
    assert state("bonus_points") == "39858.0"
    assert state("share_score") == "10.82"
    assert state("hit_and_runs") == STATE_UNKNOWN  # null in the seed
    assert (state("seeding"), state("leeching")) == ("0", "0")  # paranoia nulls
    assert state("buffer") == "0.0"
    assert state("user_class") == "Elite Gamer"
    assert state("username") == "ExampleUser"
    assert state("joined") == "2025-02-18T08:59:21+00:00"
    assert state("last_access") == "2026-03-07T17:03:24+00:00"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert (device.manufacturer, device.model) == ("GazelleGames", "GazelleGames")


async def test_generic_fork_zero_download(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A fork showing "∞": ratio unknown, never 0; the device is named by host."""
    entry = demo_entry("fork")
    await setup_entry(hass, entry)
    prefix = "sensor.127_0_0_1_forkuser"
    assert hass.states.get(f"{prefix}_ratio").state == STATE_UNKNOWN
    assert hass.states.get(f"{prefix}_required_ratio").state == STATE_UNKNOWN
    assert hass.states.get(f"{prefix}_download_headroom").state == STATE_UNKNOWN
    assert hass.states.get(f"{prefix}_user_class").state == "Unknown"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.manufacturer == "127.0.0.1"


async def test_download_headroom_of_an_account_below_its_ratio(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """JaneRoe is under her required ratio: no headroom left, not a negative one."""
    await setup_entry(hass, demo_entry("ops"))
    assert hass.states.get("sensor.orpheus_janeroe_download_headroom").state == "0.0"


async def test_values_the_tracker_does_not_send_are_unknown(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """Nulls show as unknown, except where a seed defines a default."""
    mock_client.async_get_stats.return_value = TrackerStats(
        username=None, remote_user_id=12345
    )
    await setup_entry(hass, mock_entry)
    states = {
        key: hass.states.get(f"sensor.redacted_johndoe_{key}").state
        for key in sensor_keys(hass, mock_entry) - {"remote_user_id"}
    }
    defaults = {"seeding": "0", "leeching": "0", "user_class": "Unknown"}
    assert states == {key: defaults.get(key, STATE_UNKNOWN) for key in states}


@pytest.mark.parametrize(
    ("uploaded", "downloaded", "required", "expected"),
    [
        (600, 100, 0.6, 900),
        (60, 100, 0.6, 0),
        (601, 0, 0.6, 1001),  # floored, not rounded
        (600, 100, 0.0, None),
        (600, 100, None, None),
        (None, 100, 0.6, None),
        (600, None, 0.6, None),
        # Beyond 2**53 a float would lose bytes; the answer stays an exact int.
        (2**60, 0, 0.5, 2**61),
        (2**60 + 1, 1, 1.0, 2**60),
    ],
)
def test_download_headroom(
    uploaded: int | None,
    downloaded: int | None,
    required: float | None,
    expected: int | None,
) -> None:
    """Uploaded / required - downloaded, at least 0, unknown without a requirement."""
    stats = TrackerStats(
        username=None,
        uploaded_bytes=uploaded,
        downloaded_bytes=downloaded,
        required_ratio=required,
    )
    headroom = download_headroom(stats)
    assert headroom == expected
    assert headroom is None or isinstance(headroom, int)
