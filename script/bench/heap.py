"""Python heap one more account costs, split into ours and Home Assistant's.

Run by `python -m script.bench` through pytest (it needs the `hass` fixture
of pytest-homeassistant-custom-component, not anything from tests/):

    .venv/bin/python -m pytest script/bench/heap.py -q -p no:logging

RSS from a real Home Assistant says how much; tracemalloc here says where.
The tracker client is mocked, answering the demo tracker's Redacted seed, so
only setup and entity bookkeeping count.
"""

from __future__ import annotations

from collections.abc import Iterator
import gc
import json
import os
from pathlib import Path
import tracemalloc
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)
from yarl import URL

from custom_components.tracker_stats.api import TrackerClient
from custom_components.tracker_stats.api.gazelle import enrich_with_profile, parse_index
from custom_components.tracker_stats.const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
)
from demo_tracker.server import DemoState

ACCOUNTS = 50
OURS = str(Path(__file__).resolve().parents[2] / "custom_components")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/tracker_stats."""


@pytest.fixture
def mock_client() -> Iterator[None]:
    red = DemoState().accounts["red"]
    client = AsyncMock(spec=TrackerClient)
    client.async_get_stats.return_value = enrich_with_profile(
        parse_index(red.index), red.profile
    )
    client.base_url = URL("https://redacted.sh")
    client.auth_style = None

    def build(_hass: HomeAssistant, data: Any, **_kwargs: Any) -> AsyncMock:
        client.api_key = data[CONF_API_KEY]
        return client

    with patch("custom_components.tracker_stats.client_for", side_effect=build):
        yield


async def add_account(hass: HomeAssistant, number: int) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        version=2,
        title=f"Redacted (User{number})",
        unique_id=f"redacted.sh_{number}",
        data={
            CONF_TRACKER: "redacted",
            CONF_URL: "https://redacted.sh",
            CONF_API_KEY: f"bench-{number}",
            CONF_PLATFORM: "gazelle",
            CONF_AUTH_STYLE: "raw",
            CONF_API_PATH: "ajax.php",
            CONF_REMOTE_USER_ID: number,
        },
        options={CONF_ENRICH: True},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("mock_client")
async def test_heap_per_account(hass: HomeAssistant) -> None:
    # The first account pays for imports and platform setup; measure the rest.
    await add_account(hass, 1)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for number in range(2, ACCOUNTS + 2):
        await add_account(hass, number)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()

    by_file: dict[str, float] = {}
    for diff in after.compare_to(before, "filename"):
        by_file[diff.traceback[0].filename] = diff.size_diff / ACCOUNTS / 1024
    ours = sum(kib for name, kib in by_file.items() if name.startswith(OURS))
    test_doubles = sum(kib for name, kib in by_file.items() if "unittest/mock" in name)
    total = sum(by_file.values())
    states = len(hass.states.async_all()) / (ACCOUNTS + 1)
    top = sorted(
        ((name, kib) for name, kib in by_file.items() if "unittest/mock" not in name),
        key=lambda item: -item[1],
    )[:8]
    result: dict[str, Any] = {
        "accounts": ACCOUNTS,
        "kib_per_account": total - test_doubles,
        "kib_ours": ours,
        "kib_home_assistant": total - test_doubles - ours,
        "entities_per_account": states,
        "top": [
            (name.split("site-packages/")[-1].removeprefix(OURS + "/"), kib)
            for name, kib in top
        ],
    }
    print(json.dumps(result, indent=1))
    if out := os.environ.get("BENCH_HEAP_OUT"):
        await hass.async_add_executor_job(Path(out).write_text, json.dumps(result))
