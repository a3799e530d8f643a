"""Sensors: every row of the README's entity table, with the seeds' values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest.mock import AsyncMock

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY, CONF_URL, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    PLATFORMS,
    STAT_FIELDS,
    TrackerPlatform,
    TrackerStats,
)
from custom_components.tracker_stats.binary_sensor import BINARY_SENSORS
from custom_components.tracker_stats.const import (
    CONF_PLATFORM,
    CONF_TRACKER,
    DOMAIN,
    TRACKER_PRESETS,
)
from custom_components.tracker_stats.health import HealthSettings, judged_rules
from custom_components.tracker_stats.health_sensor import HEALTH_SENSORS
from custom_components.tracker_stats.sensor import SENSORS, download_headroom
from demo_tracker.testing import DemoTracker

from .conftest import EntryFactory, entity_projection, setup_entry

GIB = 2**30
# The README's "enabled by default": what most people put on a dashboard or in an automation.
DEFAULT_ENABLED_SENSORS = frozenset(
    {
        "uploaded",
        "downloaded",
        "ratio",
        "buffer",
        "download_headroom",
        "seeding",
        "leeching",
        "bonus_points",
        "hit_and_runs",
        "unread_messages",
        "unsatisfied",
        "unsatisfied_limit",
        "ratio_forecast",
        "health",
        "health_reason",
    }
)
# Needs a day of history: unknown after the first poll.
UNKNOWN_AT_FIRST = frozenset({"ratio_forecast"})
DEFAULT_ENABLED_BINARY_SENSORS = frozenset({"warned", "below_required_ratio"})
# A preset of each platform (its first site with an address), for entries no
# tracker answers.
PLATFORM_PRESETS = {
    platform: next(site.id for site in spec.sites if site.url)
    for platform, spec in PLATFORM_SPECS.items()
}
# A value of each TrackerStats field, for a poll that fills all a platform can.
FULL_VALUES: dict[str, Any] = {
    "username": "JohnDoe",
    "group": "Power User",
    "remote_user_id": 12345,
    "uploaded_bytes": 600 * GIB,
    "downloaded_bytes": 100 * GIB,
    "ratio": 6.0,
    "buffer_bytes": 500 * GIB,
    "seeding_count": 42,
    "leeching_count": 1,
    "bonus_points": 12500.0,
    "bonus_points_per_hour": 12.5,
    "hit_and_runs": 0,
    "required_ratio": 0.6,
    "warned": False,
    "freeleech_tokens": 3,
    "share_score": 10.82,
    "unread_messages": 2,
    "snatched_count": 300,
    "seed_size_bytes": 900 * GIB,
    "joined_date": datetime(2021, 4, 12, 9, 34, tzinfo=UTC),
    "last_access_date": datetime(2026, 3, 19, 14, 22, 11, tzinfo=UTC),
    "unsatisfied_count": 14,
    "unsatisfied_limit": 50,
    "vip_until": datetime(2026, 12, 31, tzinfo=UTC),
    "next_class": "Legendary Gamer",
    "next_class_points": 900,
}


def registered(
    hass: HomeAssistant, entry: MockConfigEntry, domain: str
) -> dict[str, er.RegistryEntry]:
    """Return the entry's registered entities of ``domain`` by description key."""
    return {
        entity.unique_id.removeprefix(f"{entry.unique_id}_"): entity
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.domain == domain
    }


def sensor_keys(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the description keys of the entry's sensors."""
    return set(registered(hass, entry, "sensor"))


def test_the_presets_cover_every_platform() -> None:
    """The capability test below sees each platform through one of its presets."""
    assert set(PLATFORM_PRESETS) == set(PLATFORMS) == set(TrackerPlatform)
    for platform, preset in PLATFORM_PRESETS.items():
        assert TRACKER_PRESETS[preset].platform == platform
    assert set(FULL_VALUES) == STAT_FIELDS


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
async def test_entities_follow_what_the_platform_can_fill(
    hass: HomeAssistant, mock_client: AsyncMock, platform: str
) -> None:
    """Entities exist only for fields the platform fills; the README's are enabled."""
    fills = PLATFORMS[platform]
    mock_client.async_get_stats.return_value = TrackerStats(
        **{name: value for name, value in FULL_VALUES.items() if name in fills}
    )
    preset = PLATFORM_PRESETS[platform]
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title=f"{TRACKER_PRESETS[preset].name} (JohnDoe)",
        unique_id=f"{platform}.example_johndoe",
        data={
            CONF_TRACKER: preset,
            CONF_PLATFORM: platform,
            CONF_URL: TRACKER_PRESETS[preset].url,
            CONF_API_KEY: "mock-key",
        },
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    for domain, descriptions, enabled in (
        ("sensor", SENSORS, DEFAULT_ENABLED_SENSORS),
        ("binary_sensor", BINARY_SENSORS, DEFAULT_ENABLED_BINARY_SENSORS),
    ):
        entities = registered(hass, entry, domain)
        # Every account has its Last update sensor, whatever the platform fills.
        always = {"last_update"} if domain == "sensor" else set()
        if domain == "sensor":
            # A verdict where at least one health rule can be judged.
            judged = bool(judged_rules(fills, HealthSettings(forecast_days=7)))
            always |= {
                d.key
                for d in HEALTH_SENSORS
                if d.needs <= fills and (judged or not d.judges)
            }
        assert (
            set(entities) == {d.key for d in descriptions if d.needs <= fills} | always
        )
        assert {
            key for key, entity in entities.items() if entity.disabled_by is None
        } == enabled & set(entities)
        # Every enabled entity shows the value the poll filled.
        for entity in entities.values():
            state = hass.states.get(entity.entity_id)
            assert (state is None) is (entity.disabled_by is not None)
            assert (
                state is None
                or state.state != STATE_UNKNOWN
                or entity.unique_id.endswith(tuple(UNKNOWN_AT_FIRST))
            ), entity.entity_id


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
    """JohnDoe's seed values; only sensors a Gazelle index can fill."""
    entry = demo_entry("red")
    await setup_entry(hass, entry)
    keys = sensor_keys(hass, entry)
    assert keys == {
        d.key for d in (*SENSORS, *HEALTH_SENSORS) if d.needs <= PLATFORMS["gazelle"]
    } | {"last_update"}
    assert not keys & {"hit_and_runs", "share_score", "seed_size"}

    def state(entity: str) -> str:
        return hass.states.get(f"sensor.redacted_johndoe_{entity}").state

    # Data sizes show in GiB (the suggested unit), converted from exact bytes.
    assert state("uploaded") == str(536870912000 / GIB)
    assert state("downloaded") == str(134217728000 / GIB)
    assert state("buffer") == str(402653184000 / GIB)
    assert float(state("download_headroom")) == pytest.approx(
        (536870912000 / 0.6 - 134217728000) / GIB
    )
    assert state("ratio") == "4.0"
    assert (state("seeding_torrents"), state("leeching_torrents")) == ("42", "1")
    assert (
        hass.states.get("sensor.redacted_johndoe_seeding_torrents").attributes[
            "unit_of_measurement"
        ]
        == "torrents"
    )
    # Whole points read as a count, not "12500.0".
    assert state("bonus_points") == "12500"
    assert state("unread_messages") == "0"
    # The rest is there, disabled by default: registered, but no state.
    stats = entry.runtime_data.data.stats
    assert (stats.group, stats.username, stats.freeleech_tokens) == (
        "Power User",
        "JohnDoe",
        3,
    )
    assert stats.joined_date is not None
    assert stats.joined_date.tzinfo is UTC
    registry = er.async_get(hass)
    for entity in ("remote_user_id", "user_class", "joined", "required_ratio"):
        entity_id = f"sensor.redacted_johndoe_{entity}"
        registered = registry.async_get(entity_id)
        assert registered is not None
        assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(entity_id) is None

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
    """ExampleUser's seed values (paranoia off); no freeleech tokens or messages."""
    entry = demo_entry("ggn")
    await setup_entry(hass, entry)
    keys = sensor_keys(hass, entry)
    assert keys == {
        d.key for d in (*SENSORS, *HEALTH_SENSORS) if d.needs <= PLATFORMS["ggn"]
    } | {"last_update"}
    assert not keys & {"freeleech_tokens", "unread_messages"}

    def state(entity: str) -> str:
        return hass.states.get(f"sensor.gazellegames_exampleuser_{entity}").state

    # 0.99699 is cut to two decimals, not rounded: 1.00 would hide that it is below 1.
    assert state("ratio") == "0.99"
    assert state("bonus_points") == "39858"
    assert state("hit_and_runs") == "0"
    assert state("seeding_torrents") == "312"
    assert state("leeching_torrents") == "1"
    assert state("buffer") == "0.0"
    stats = entry.runtime_data.data.stats
    assert (stats.group, stats.username, stats.share_score) == (
        "Elite Gamer",
        "ExampleUser",
        10.82,
    )
    assert stats.joined_date is not None
    assert stats.joined_date.isoformat() == "2025-02-18T08:59:21+00:00"
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert device.identifiers == {(DOMAIN, entry.unique_id)}
    assert (device.manufacturer, device.model) == ("GazelleGames", None)


async def test_ggn_paranoid_account(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """Counts hidden by paranoia (sent as null) are unknown, never a fake 0."""
    entry = demo_entry("ggn-paranoid")
    await setup_entry(hass, entry)

    def state(entity: str) -> str:
        return hass.states.get(f"sensor.gazellegames_paranoidgamer_{entity}").state

    for hidden in ("hit_and_runs", "seeding_torrents", "leeching_torrents"):
        assert state(hidden) == STATE_UNKNOWN, hidden
    assert state("ratio") == "2.01"


async def test_generic_fork_zero_download(
    hass: HomeAssistant, demo: DemoTracker, demo_entry: EntryFactory
) -> None:
    """A fork showing "∞": ratio unknown, never 0; the device is named by host."""
    entry = demo_entry("fork")
    await setup_entry(hass, entry)
    prefix = "sensor.127_0_0_1_forkuser"
    assert hass.states.get(f"{prefix}_ratio").state == STATE_UNKNOWN
    assert hass.states.get(f"{prefix}_download_headroom").state == STATE_UNKNOWN
    stats = entry.runtime_data.data.stats
    assert (stats.required_ratio, stats.group) == (None, "Unknown")
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
    """Nulls show as unknown: no invented 0 for a count the poll did not get."""
    mock_client.async_get_stats.return_value = TrackerStats(
        username=None, remote_user_id=12345
    )
    await setup_entry(hass, mock_entry)
    states = {
        state.entity_id: state.state
        for state in hass.states.async_all("sensor")
        if state.entity_id.startswith("sensor.redacted_johndoe_")
    }
    assert len(states) == len(DEFAULT_ENABLED_SENSORS & sensor_keys(hass, mock_entry))
    assert set(states.values()) == {STATE_UNKNOWN}


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
