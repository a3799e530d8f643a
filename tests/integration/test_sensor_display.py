"""How numbers show: ratios cut to two decimals, large sizes in TiB, whole points."""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.tracker_stats.sensor import SENSORS, floor_ratio

from .conftest import JOHN_DOE, setup_entry

PREFIX = "sensor.redacted_johndoe_"
TIB = 2**40


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (4.0, 4.0),
        (0.997, 0.99),
        (0.99999, 0.99),
        (1.0, 1.0),
        (0.29, 0.29),
        (3.428, 3.42),
        (10.0, 10.0),
        (None, None),
    ],
)
def test_a_ratio_is_cut_never_rounded_up(
    ratio: float | None, shown: float | None
) -> None:
    assert floor_ratio(ratio) == shown


def display(hass: HomeAssistant, key: str) -> dict[str, Any]:
    entry = er.async_get(hass).async_get(f"{PREFIX}{key}")
    assert entry is not None
    return dict(entry.options.get("sensor", {}))


async def test_every_ratio_shows_two_decimals(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """4.0 and 0.99 show as 4.00 and 0.99: one shape on one screen."""
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, ratio=0.997
    )
    await setup_entry(hass, mock_entry)
    assert hass.states.get(f"{PREFIX}ratio").state == "0.99"
    assert display(hass, "ratio")["suggested_display_precision"] == 2
    # Disabled by default: what it registers with once enabled.
    [required] = [d for d in SENSORS if d.key == "required_ratio"]
    assert required.suggested_display_precision == 2
    # Fractions of points (BTN, MyAnonamouse) show as whole points.
    assert display(hass, "bonus_points")["suggested_display_precision"] == 0


async def test_sizes_of_a_tib_or_more_show_in_tib(
    hass: HomeAssistant, mock_entry: MockConfigEntry, mock_client: AsyncMock
) -> None:
    """3 TiB uploaded reads 3.00 TiB, not 3,072.00 GiB; smaller sizes stay in GiB."""
    mock_client.async_get_stats.return_value = dataclasses.replace(
        JOHN_DOE, uploaded_bytes=3 * TIB, buffer_bytes=3 * TIB - 134217728000
    )
    await setup_entry(hass, mock_entry)
    uploaded = hass.states.get(f"{PREFIX}uploaded")
    assert uploaded.attributes["unit_of_measurement"] == "TiB"
    assert float(uploaded.state) == 3.0
    assert display(hass, "uploaded")["suggested_display_precision"] == 2
    downloaded = hass.states.get(f"{PREFIX}downloaded")
    assert downloaded.attributes["unit_of_measurement"] == "GiB"

    # The unit stays what it was registered with: no jump at every crossing.
    mock_client.async_get_stats.return_value = JOHN_DOE
    assert await hass.config_entries.async_reload(mock_entry.entry_id)
    await hass.async_block_till_done()
    uploaded = hass.states.get(f"{PREFIX}uploaded")
    assert uploaded.attributes["unit_of_measurement"] == "TiB"
    assert display(hass, "uploaded")["suggested_display_precision"] == 2
