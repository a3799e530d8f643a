"""Measurements of a real Home Assistant process: ours and the `rest` way.

Each run starts Home Assistant on a fresh config dir with N accounts, restarts
it so that the accounts are set up at start (as after a reboot), and reads
/proc: RSS, and the CPU time of the main thread, where the event loop runs.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import shutil
import statistics
import tempfile
import time
from typing import IO, Any

from script.ha_driver import (
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    long_lived_token,
    write_config,
)

from .theirs import REST_COMPONENTS, write_rest_accounts

TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_SECONDS = 5.0
# Home Assistant debounces on-demand refreshes of one entity for 10 s.
DEBOUNCE_SECONDS = 11.0


class BenchHomeAssistant(HomeAssistant):
    """A Home Assistant process with an owner's token and /proc readings."""

    api: Http | None = None

    def start(self, seconds: float = 600, log: IO[bytes] | None = None) -> None:
        with (self.config / "bench.log").open("ab") as own_log:
            super().start(seconds, log or own_log)

    def onboard_owner(self) -> Http:
        owner = self.onboard("bench", "bench-pass", "Bench")
        self.api = Http(self.base, long_lived_token(owner, "bench"))
        return self.api

    def rss_kib(self) -> int:
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def loop_cpu_seconds(self) -> float:
        """CPU time of the main thread, where Home Assistant runs its event loop."""
        assert self.process is not None
        pid = self.process.pid
        return (
            int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[0]) / 1e9
        )

    def cpu_seconds(self) -> float:
        assert self.process is not None
        fields = (
            Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        )
        return (int(fields[11]) + int(fields[12])) / TICKS

    def running(self) -> bool:
        assert self.api is not None
        return bool(self.api.call("GET", "/api/config").get("state") == "RUNNING")


def new_home_assistant(
    hass_cmd: list[str], port: int, label: str, components: tuple[str, ...] = ()
) -> BenchHomeAssistant:
    ha = BenchHomeAssistant(
        hass_cmd, Path(tempfile.mkdtemp(prefix=f"bench-{label}-")), port
    )
    write_config(
        ha.config,
        ha.port,
        name="Bench",
        components=("api", "config", "onboarding", *components),
    )
    return ha


def demo_requests(demo_url: str) -> list[dict[str, Any]]:
    return Http(demo_url).call("GET", "/_demo/requests")  # type: ignore[no-any-return]


def add_our_accounts(api: Http, demo_url: str, count: int) -> None:
    for number in range(1, count + 1):
        fields = {
            "url": demo_url,
            "api_key": f"demo-bench-{number}-key",
            "auth_style": "token",
            "api_path": "ajax.php",
        }
        result = add_account(api, "orpheus", fields)
        assert result["type"] == "create_entry", result


def restart_timed(
    ha: BenchHomeAssistant, demo_url: str, ready: Callable[[], bool]
) -> float:
    """Restart Home Assistant; return the seconds until ``ready()`` holds."""
    ha.stop()
    Http(demo_url).call("POST", "/_demo/reset")
    started = time.perf_counter()
    ha.start()
    while not ready():
        if time.perf_counter() - started > 600:
            raise RuntimeError("the accounts were not ready within 600 s")
        time.sleep(0.1)
    return time.perf_counter() - started


def ratio_entities(api: Http, prefix: str) -> list[dict[str, Any]]:
    return [
        s
        for s in api.call("GET", "/api/states")
        if s["entity_id"].startswith(prefix)
        and s["entity_id"].endswith("_ratio")
        and not s["entity_id"].endswith("_required_ratio")
    ]


def poll_all(
    ha: BenchHomeAssistant, demo_url: str, entities: list[str], expected: int
) -> dict[str, float]:
    """Refresh every account at once; count requests and the CPU it took."""
    assert ha.api is not None
    time.sleep(DEBOUNCE_SECONDS)
    sent_before = len(demo_requests(demo_url))
    cpu_before, loop_before = ha.cpu_seconds(), ha.loop_cpu_seconds()
    start = time.perf_counter()
    ha.api.call(
        "POST", "/api/services/homeassistant/update_entity", {"entity_id": entities}
    )
    while (
        len(demo_requests(demo_url)) < sent_before + expected
        and time.perf_counter() - start < 60
    ):
        time.sleep(0.05)
    wall = time.perf_counter() - start
    time.sleep(1)  # let the entity updates that follow the answers run
    return {
        "poll_all_wall_ms": wall * 1000,
        "poll_all_cpu_ms": (ha.cpu_seconds() - cpu_before) * 1000,
        "poll_all_loop_ms": (ha.loop_cpu_seconds() - loop_before) * 1000,
        "poll_all_requests": len(demo_requests(demo_url)) - sent_before,
    }


def measure_ours(
    hass_cmd: list[str], demo_url: str, count: int, port: int
) -> dict[str, Any]:
    """Start Home Assistant with ``count`` of our accounts restored, and measure it."""
    ha = new_home_assistant(hass_cmd, port, f"ours-{count}")
    try:
        ha.start()
        api = ha.onboard_owner()
        add_our_accounts(api, demo_url, count)
        prefix = "sensor.orpheus_bench"

        def ready() -> bool:
            found = ratio_entities(api, prefix)
            return len(found) == count and all(
                s["state"] not in ("unknown", "unavailable") for s in found
            )

        result: dict[str, Any] = {
            "start_to_ready_s": restart_timed(ha, demo_url, ready)
        }
        time.sleep(SETTLE_SECONDS)
        result["rss_kib"] = ha.rss_kib()
        if not count:
            return result
        entries = [
            e
            for e in api.call("GET", "/api/config/config_entries/entry")
            if e["domain"] == "tracker_stats"
        ]
        # Setup time of one entry: reload it (unload + setup + first poll).
        reloads = []
        for entry in entries[:10]:
            start = time.perf_counter()
            api.call(
                "POST", f"/api/config/config_entries/entry/{entry['entry_id']}/reload"
            )
            reloads.append(time.perf_counter() - start)
        result["setup_ms"] = statistics.median(reloads) * 1000
        ratios = [s["entity_id"] for s in ratio_entities(api, prefix)]
        result |= poll_all(ha, demo_url, ratios, 2 * count)
        return result
    finally:
        ha.stop()
        shutil.rmtree(ha.config, ignore_errors=True)


def measure_theirs(
    hass_cmd: list[str], demo_url: str, count: int, port: int
) -> dict[str, Any]:
    """Measure the same with ``count`` copies of examples/rest_gazelle.yaml."""
    ha = new_home_assistant(hass_cmd, port, f"rest-{count}", REST_COMPONENTS)
    write_rest_accounts(ha.config, demo_url, count)
    try:
        ha.start()
        api = ha.onboard_owner()
        prefix = "sensor.orpheus_"

        def ready() -> bool:
            found = ratio_entities(api, prefix)
            return len(found) == count and all(
                s["state"] not in ("unknown", "unavailable") for s in found
            )

        result: dict[str, Any] = {
            "start_to_ready_s": restart_timed(ha, demo_url, ready)
        }
        time.sleep(SETTLE_SECONDS)
        result["rss_kib"] = ha.rss_kib()
        if not count:
            return result
        # Setup: `rest.reload` sets every resource up again and polls it once.
        start = time.perf_counter()
        api.call("POST", "/api/services/rest/reload")
        result["setup_ms"] = (time.perf_counter() - start) * 1000 / count
        ratios = [s["entity_id"] for s in ratio_entities(api, prefix)]
        result |= poll_all(ha, demo_url, ratios, count)
        return result
    finally:
        ha.stop()
        shutil.rmtree(ha.config, ignore_errors=True)


def start_time_hanging(
    hass_cmd: list[str], demo_url: str, count: int, port: int
) -> dict[str, float]:
    """Seconds until Home Assistant runs with ``count`` accounts: trackers fine vs hanging."""
    tracker = Http(demo_url)
    ha = new_home_assistant(hass_cmd, port, f"hang-{count}")
    try:
        ha.start()
        api = ha.onboard_owner()
        add_our_accounts(api, demo_url, count)
        answering = restart_timed(ha, demo_url, ha.running)
        ha.stop()
        tracker.call("POST", "/_demo/reset")
        tracker.call("POST", "/_demo/fault", {"mode": "hang"})
        started = time.perf_counter()
        ha.start()
        while not ha.running() and time.perf_counter() - started < 900:
            time.sleep(0.1)
        hanging = time.perf_counter() - started
        return {"answering_s": answering, "hanging_s": hanging}
    finally:
        tracker.call("DELETE", "/_demo/fault")
        ha.stop()
        shutil.rmtree(ha.config, ignore_errors=True)


def ggn_requests_after_restart(
    hass_cmd: list[str], demo_url: str, port: int
) -> list[str]:
    """Add the GGn demo account, restart Home Assistant, list what its setup asked."""
    ha = new_home_assistant(hass_cmd, port, "ggn")
    try:
        ha.start()
        api = ha.onboard_owner()
        result = add_account(api, *demo_account_fields(demo_url)["ggn"])
        assert result["type"] == "create_entry", result
        ha.stop()
        Http(demo_url).call("POST", "/_demo/reset")
        ha.start()
        time.sleep(SETTLE_SECONDS)
        return [
            r["action"] for r in demo_requests(demo_url) if r["endpoint"] == "api.php"
        ]
    finally:
        ha.stop()
        shutil.rmtree(ha.config, ignore_errors=True)
