"""Every entity of PRODUCT.md, with the seeds' values, on both platforms."""

from __future__ import annotations

from typing import Any

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.tracker_stats.api import TrackerStats
from custom_components.tracker_stats.binary_sensor import below_required_ratio
from custom_components.tracker_stats.const import DOMAIN
from custom_components.tracker_stats.sensor import download_headroom
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, setup_entry

GAZELLE_ONLY = {"freeleech_tokens"}
GGN_ONLY = {"hit_and_runs", "share_score"}


def entity_projection(hass: HomeAssistant, entry_id: str) -> dict[str, Any]:
    """Return what users see of each entity, in fields both HA lines share.

    Registry entries and state objects gain fields between Home Assistant
    releases; the snapshot keeps to the ones that are ours to get right.
    """
    registry = er.async_get(hass)
    projection: dict[str, Any] = {}
    for entity in sorted(
        er.async_entries_for_config_entry(registry, entry_id), key=lambda e: e.entity_id
    ):
        state = hass.states.get(entity.entity_id)
        projection[entity.entity_id] = {
            "unique_id": entity.unique_id,
            "translation_key": entity.translation_key,
            "has_entity_name": entity.has_entity_name,
            "original_device_class": entity.original_device_class,
            "entity_category": entity.entity_category,
            "disabled_by": entity.disabled_by,
            "unit_of_measurement": entity.unit_of_measurement,
            "original_icon": entity.original_icon,
            "state": None if state is None else state.state,
            # Newer releases key attributes with a StrEnum; users see strings.
            "attributes": None
            if state is None
            else {str(key): value for key, value in state.attributes.items()},
        }
    return projection


@pytest.mark.parametrize("account", ["red", "ggn"])
async def test_entities_snapshot(
    hass: HomeAssistant,
    demo: DemoTracker,
    demo_entry: EntryFactory,
    snapshot: SnapshotAssertion,
    account: str,
) -> None:
    """Each entity's registry entry, state and attributes, for both platforms."""
    entry = demo_entry(account)
    await setup_entry(hass, entry)
    assert entity_projection(hass, entry.entry_id) == snapshot


async def test_gazelle_values_and_platform_entities(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """JohnDoe's seed values; Gazelle has no GGn-only entities."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    keys = {
        e.unique_id.removeprefix(f"{entry.unique_id}_")
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert keys >= GAZELLE_ONLY
    assert not GGN_ONLY & keys
    assert len(keys) == 17

    def state(key: str, domain: str = "sensor") -> str:
        return hass.states.get(f"{domain}.redacted_johndoe_{key}").state

    # Data sizes show in GiB (suggested unit), from exact bytes.
    assert state("uploaded") == str(536870912000 / 2**30)
    assert state("downloaded") == str(134217728000 / 2**30)
    assert state("buffer") == str(402653184000 / 2**30)
    assert float(state("download_headroom")) == pytest.approx(
        (536870912000 / 0.6 - 134217728000) / 2**30
    )
    assert (state("ratio"), state("required_ratio")) == ("4.0", "0.6")
    assert (state("seeding"), state("leeching")) == ("42", "1")
    assert state("bonus_points") == "12500.0"
    assert state("freeleech_tokens") == "3"
    assert state("user_class") == "Power User"
    assert state("username") == "JohnDoe"
    assert state("joined") == "2021-04-12T09:34:00+00:00"
    assert state("last_access") == "2026-03-19T14:22:11+00:00"
    assert hass.states.get("sensor.redacted_johndoe_remote_user_id") is None  # disabled
    assert state("warned", "binary_sensor") == STATE_OFF
    assert state("below_required_ratio", "binary_sensor") == STATE_OFF

    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert (device.name, device.manufacturer, device.model) == (
        "Redacted (JohnDoe)",
        "Redacted",
        "Gazelle",
    )
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.configuration_url == demo.url


async def test_ggn_values_and_platform_entities(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """ExampleUser's seed values; GGn has no freeleech tokens."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)

    def state(key: str, domain: str = "sensor") -> str:
        return hass.states.get(f"{domain}.gazellegames_exampleuser_{key}").state

    assert hass.states.get("sensor.gazellegames_exampleuser_freeleech_tokens") is None
    assert state("ratio") == "0.99699"
    assert state("bonus_points") == "39858.0"
    assert state("share_score") == "10.82"
    assert state("hit_and_runs") == STATE_UNKNOWN  # null in the seed
    assert (state("seeding"), state("leeching")) == ("0", "0")  # paranoia nulls
    assert state("buffer") == "0.0"
    assert state("user_class") == "Elite Gamer"
    assert state("joined") == "2025-02-18T08:59:21+00:00"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert device.model == "GazelleGames"


async def test_zero_download_ratio_is_unknown(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A fork showing "∞": ratio unknown, never 0; not below the requirement."""
    await setup_entry(hass, demo_entry("fork"))
    prefix = "127_0_0_1_forkuser"
    assert hass.states.get(f"sensor.{prefix}_ratio").state == STATE_UNKNOWN
    assert hass.states.get(f"sensor.{prefix}_required_ratio").state == STATE_UNKNOWN
    assert hass.states.get(f"sensor.{prefix}_download_headroom").state == STATE_UNKNOWN
    assert hass.states.get(f"sensor.{prefix}_user_class").state == "Unknown"
    assert (
        hass.states.get(f"binary_sensor.{prefix}_below_required_ratio").state
        == STATE_OFF
    )


async def test_below_required_ratio_and_warned(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """JaneRoe is warned and under her required ratio: both problems on."""
    await setup_entry(hass, demo_entry("ops"))
    prefix = "binary_sensor.orpheus_janeroe"
    assert hass.states.get(f"{prefix}_warned").state == STATE_ON
    assert hass.states.get(f"{prefix}_below_required_ratio").state == STATE_ON
    assert hass.states.get("sensor.orpheus_janeroe_download_headroom").state == "0.0"


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        (
            TrackerStats(
                username=None,
                uploaded_bytes=600,
                downloaded_bytes=100,
                required_ratio=0.6,
            ),
            900,
        ),
        (
            TrackerStats(
                username=None,
                uploaded_bytes=60,
                downloaded_bytes=100,
                required_ratio=0.6,
            ),
            0,
        ),
        (
            TrackerStats(
                username=None,
                uploaded_bytes=600,
                downloaded_bytes=100,
                required_ratio=0.0,
            ),
            None,
        ),
        (TrackerStats(username=None, uploaded_bytes=600, downloaded_bytes=100), None),
        (
            TrackerStats(
                username=None,
                uploaded_bytes=None,
                downloaded_bytes=100,
                required_ratio=0.6,
            ),
            None,
        ),
        (
            TrackerStats(
                username=None,
                uploaded_bytes=2**60,
                downloaded_bytes=0,
                required_ratio=0.5,
            ),
            2**61,
        ),
    ],
)
def test_download_headroom(stats: TrackerStats, expected: int | None) -> None:
    """Uploaded / required - downloaded, at least 0, unknown without a requirement."""
    assert download_headroom(stats) == expected


@pytest.mark.parametrize(
    ("ratio", "required", "downloaded", "expected"),
    [
        (0.5, 0.6, 10, True),
        (0.6, 0.6, 10, False),
        (None, 0.6, 0, False),
        (None, 0.6, 10, None),
        (1.0, None, 10, None),
    ],
)
def test_below_required_ratio(
    ratio: float | None, required: float | None, downloaded: int, expected: bool | None
) -> None:
    """On only when the ratio is known and under the requirement."""
    stats = TrackerStats(
        username=None, ratio=ratio, required_ratio=required, downloaded_bytes=downloaded
    )
    assert below_required_ratio(stats) is expected
