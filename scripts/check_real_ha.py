"""Drive a real Home Assistant through the integration's UI flow over REST.

Starts the demo tracker and Home Assistant on a fresh config dir, onboards an
owner, adds a Gazelle and a GGn account through /api/config/config_entries/flow,
then checks states, a wrong key, tracker down/up and a rotated key.

    python scripts/check_real_ha.py --hass "/path/to/hass" [--port 8124]

Standard library plus aiohttp (for one websocket call).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib import error, parse, request

REPO = Path(__file__).resolve().parents[1]
CLIENT_ID = "http://127.0.0.1/"


class Http:
    """A tiny JSON client for Home Assistant and the demo tracker."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None, form: bool = False) -> Any:
        headers = {}
        data = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            if form:
                data = parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        req = request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        with request.urlopen(req, timeout=60) as response:
            text = response.read().decode()
            return json.loads(text) if text else None


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, error.URLError):
            request.urlopen(url, timeout=5)
            return
        time.sleep(1)
    raise SystemExit(f"{url} did not come up within {seconds:.0f} s")


def check(label: str, ok: bool, detail: Any = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f"  ({detail})" if detail else ""))
    if not ok:
        raise SystemExit(1)


def add_account(ha: Http, tracker: str, fields: dict[str, str]) -> dict[str, Any]:
    flow = ha.call(
        "POST", "/api/config/config_entries/flow", {"handler": "tracker_stats"}
    )
    flow = ha.call(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"tracker": tracker},
    )
    return ha.call("POST", f"/api/config/config_entries/flow/{flow['flow_id']}", fields)


def states(ha: Http, prefix: str) -> dict[str, str]:
    return {
        s["entity_id"]: s["state"]
        for s in ha.call("GET", "/api/states")
        if s["entity_id"].split(".", 1)[1].startswith(prefix)
    }


def refresh_until(ha: Http, entity_id: str, wanted: str, seconds: float = 40) -> str:
    """Ask for refreshes until ``entity_id`` shows ``wanted``; return the last state.

    Home Assistant debounces on-demand refreshes (10 s), so one call may wait.
    """
    deadline = time.monotonic() + seconds
    state = ""
    while time.monotonic() < deadline:
        ha.call(
            "POST",
            "/api/services/homeassistant/update_entity",
            {"entity_id": entity_id},
        )
        time.sleep(2)
        state = ha.call("GET", f"/api/states/{entity_id}")["state"]
        if state == wanted:
            break
    return state


def websocket(ha: Http, command: dict[str, Any]) -> Any:
    """Run one websocket command (flows in progress have no REST listing)."""
    import asyncio

    import aiohttp

    async def run() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(
                ha.base.replace("http", "ws", 1) + "/api/websocket"
            ) as ws,
        ):
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": ha.token})
            await ws.receive_json()
            await ws.send_json({"id": 1, **command})
            return (await ws.receive_json())["result"]

    return asyncio.run(run())


def reauth_offered(ha: Http) -> bool:
    flows = websocket(ha, {"type": "config_entries/flow/progress"})
    return any(f["context"].get("source") == "reauth" for f in flows)


def our_tracebacks(log_text: str) -> list[str]:
    """Return the log records of ours that carry a traceback."""
    owner = ""
    found = []
    for line in log_text.splitlines():
        if line[:4].isdigit() and " [" in line:
            owner = line
        elif (
            line.startswith("Traceback") and "[custom_components.tracker_stats" in owner
        ):
            found.append(owner)
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--hass", required=True, help="command that runs Home Assistant"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="Python with aiohttp for the demo tracker",
    )
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--tracker-port", type=int, default=8765)
    parser.add_argument("--config", help="config dir to create (default: a temp dir)")
    parser.add_argument(
        "--config-as-seen-by-hass",
        help="the config dir's path for the hass command (when it runs in a chroot)",
    )
    args = parser.parse_args()

    config = Path(args.config or tempfile.mkdtemp(prefix="ha-real-"))
    (config / "custom_components").mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        REPO / "custom_components/tracker_stats",
        config / "custom_components/tracker_stats",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (config / "configuration.yaml").write_text(
        "homeassistant:\n  name: Real HA check\n  time_zone: UTC\n"
        f"http:\n  server_host: 127.0.0.1\n  server_port: {args.port}\n"
        "api:\nconfig:\nonboarding:\nlogger:\n  default: warning\n"
    )
    tracker_cmd = [
        args.python,
        "-m",
        "demo_tracker",
        "--port",
        str(args.tracker_port),
        "--tick",
        "0",
    ]
    processes: list[subprocess.Popen[bytes]] = []
    log = (config / "run.log").open("wb")
    try:
        tracker = subprocess.Popen(tracker_cmd, cwd=REPO, stdout=log, stderr=log)
        processes.append(tracker)
        hass_config = args.config_as_seen_by_hass or str(config)
        hass = subprocess.Popen(
            [*args.hass.split(), "-c", hass_config], stdout=log, stderr=log
        )
        processes.append(hass)
        base = f"http://127.0.0.1:{args.port}"
        demo_url = f"http://127.0.0.1:{args.tracker_port}"
        wait_for(f"{demo_url}/_demo/state", 30)
        wait_for(f"{base}/api/onboarding", 600)
        anon = Http(base)
        code = anon.call(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": CLIENT_ID,
                "name": "Owner",
                "username": "owner",
                "password": "demo-owner-pass",
                "language": "en",
            },
        )["auth_code"]
        token = anon.call(
            "POST",
            "/auth/token",
            {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
            form=True,
        )
        ha = Http(base, token["access_token"])
        version = ha.call("GET", "/api/config")["version"]
        print(f"Home Assistant {version} on {base}, demo tracker on {demo_url}")

        wrong = add_account(
            ha,
            "redacted",
            {
                "url": demo_url,
                "api_key": "wrong-key",
                "auth_style": "raw",
                "api_path": "ajax.php",
            },
        )
        check(
            "wrong key shows invalid_auth",
            wrong.get("errors") == {"base": "invalid_auth"},
            wrong.get("errors"),
        )
        red = add_account(
            ha,
            "redacted",
            {
                "url": demo_url,
                "api_key": "demo-red-key",
                "auth_style": "raw",
                "api_path": "ajax.php",
            },
        )
        check(
            "Gazelle preset creates the entry",
            red.get("type") == "create_entry",
            red.get("title"),
        )
        ggn = add_account(
            ha, "gazellegames", {"url": demo_url, "api_key": "demo-ggn-key"}
        )
        check(
            "GGn creates the entry", ggn.get("type") == "create_entry", ggn.get("title")
        )
        time.sleep(2)
        gazelle_states = states(ha, "redacted_johndoe_")
        ggn_states = states(ha, "gazellegames_exampleuser_")
        print(json.dumps({**gazelle_states, **ggn_states}, indent=1))
        expected = {
            "sensor.redacted_johndoe_ratio": "4.0",
            "sensor.redacted_johndoe_uploaded": str(536870912000 / 2**30),
            "sensor.redacted_johndoe_seeding": "42",
            "sensor.redacted_johndoe_bonus_points": "12500.0",
            "sensor.redacted_johndoe_freeleech_tokens": "3",
            "sensor.redacted_johndoe_user_class": "Power User",
            "sensor.redacted_johndoe_joined": "2021-04-12T09:34:00+00:00",
            "binary_sensor.redacted_johndoe_warned": "off",
            "sensor.gazellegames_exampleuser_ratio": "0.99699",
            "sensor.gazellegames_exampleuser_bonus_points": "39858.0",
            "sensor.gazellegames_exampleuser_share_score": "10.82",
            "sensor.gazellegames_exampleuser_hit_and_runs": "unknown",
            "sensor.gazellegames_exampleuser_user_class": "Elite Gamer",
        }
        got = {**gazelle_states, **ggn_states}
        check(
            "seed values in /api/states",
            all(got.get(k) == v for k, v in expected.items()),
            {k: got.get(k) for k, v in expected.items() if got.get(k) != v},
        )
        check(
            "Gazelle has 16 enabled entities, GGn 17",
            (len(gazelle_states), len(ggn_states)) == (16, 17),
            (len(gazelle_states), len(ggn_states)),
        )

        tracker.terminate()
        tracker.wait(10)
        state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "unavailable")
        check("tracker stopped: entities unavailable", state == "unavailable", state)
        tracker = subprocess.Popen(tracker_cmd, cwd=REPO, stdout=log, stderr=log)
        processes.append(tracker)
        wait_for(f"{demo_url}/_demo/state", 30)
        state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "4.0")
        check("tracker back: entities back", state == "4.0", state)

        Http(demo_url).call("POST", "/_demo/rotate_key", {"account": "red"})
        state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "unavailable")
        check(
            "rotated key: entities unavailable and reauth offered",
            state == "unavailable" and reauth_offered(ha),
            state,
        )
        log_text = (
            (config / "home-assistant.log").read_text()
            if (config / "home-assistant.log").exists()
            else ""
        )
        check(
            "no key in the Home Assistant log",
            "demo-red-key" not in log_text and "demo-ggn-key" not in log_text,
        )
        check(
            "no traceback from tracker_stats in the log", not our_tracebacks(log_text)
        )
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(20)
            if process.poll() is None:
                process.kill()
        log.close()


if __name__ == "__main__":
    sys.exit(main())
