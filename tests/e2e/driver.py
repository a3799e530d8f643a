"""The end-to-end test's driver: a real Home Assistant and the demo tracker.

Starts both as processes on loopback, onboards an owner over REST, adds
tracker accounts through the config flow and reads states, as a user's browser
would. Standard library plus aiohttp (websocket commands only). The developer
tools in script/ keep a driver of their own: tests and tools import nothing
from each other.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import json
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import time
from typing import IO, Any
from urllib import error, parse, request

import aiohttp

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "http://127.0.0.1/"
DOMAIN = "tracker_stats"
# Enough for an API-only Home Assistant.
API_COMPONENTS = ("api", "config", "onboarding")


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


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Tell whether a server could listen on ``port`` (as servers do, reusing it)."""
    with socket.socket() as sock:
        # Connections of an earlier server in TIME_WAIT must not count as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    url: str, seconds: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Wait until ``url`` answers at all (any HTTP status counts as up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url}: the process serving it exited early")
        try:
            request.urlopen(url, timeout=5)
        except error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
        else:
            return
    raise SystemExit(f"{url} did not come up within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes] | None, seconds: float = 30) -> None:
    """Terminate a process, kill it if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def start_demo_tracker_process(
    port: int,
    log: IO[bytes] | int = subprocess.DEVNULL,
    python: str = sys.executable,
    tick: float = 0,
) -> subprocess.Popen[bytes]:
    """Start `python -m demo_tracker` on a port nobody else holds."""
    if not port_is_free(port):
        raise SystemExit(f"Port {port} is taken: stop what uses it and retry.")
    tracker = subprocess.Popen(
        [python, "-m", "demo_tracker", "--port", str(port), "--tick", f"{tick:g}"],
        cwd=REPO,
        stdout=log,
        stderr=log,
    )
    wait_for(f"http://127.0.0.1:{port}/_demo/state", 30, tracker)
    return tracker


def write_config(config: Path, port: int, name: str) -> None:
    """Write a config dir holding a copy of this integration and its YAML."""
    shutil.copytree(
        REPO / "custom_components" / DOMAIN,
        config / "custom_components" / DOMAIN,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    lines = [
        "homeassistant:",
        f"  name: {name}",
        "  time_zone: UTC",
        "  unit_system: metric",
        "  country: GB",
        "http:",
        "  server_host: 127.0.0.1",
        f"  server_port: {port}",
        *(f"{component}:" for component in API_COMPONENTS),
        "logger:",
        "  default: warning",
    ]
    (config / "configuration.yaml").write_text("\n".join(lines) + "\n")


@dataclass
class HomeAssistant:
    """One Home Assistant process serving a config dir on a loopback port."""

    hass_cmd: list[str]
    config: Path
    port: int
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.config / "home-assistant.log"

    def start(self, seconds: float = 600, log: IO[bytes] | None = None) -> None:
        if not port_is_free(self.port):
            raise SystemExit(f"Port {self.port} is taken: stop what uses it and retry.")
        self.process = subprocess.Popen(
            [*self.hass_cmd, "-c", str(self.config)],
            stdout=log or subprocess.DEVNULL,
            stderr=log or subprocess.DEVNULL,
        )
        wait_for(f"{self.base}/api/onboarding", seconds, self.process)

    def stop(self) -> None:
        stop(self.process, 60)
        self.process = None

    def onboard(self, username: str, password: str, name: str = "Owner") -> Http:
        """Create the owner; return a client holding the owner's access token."""
        anon = Http(self.base)
        code = anon.call(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": CLIENT_ID,
                "name": name,
                "username": username,
                "password": password,
                "language": "en",
            },
        )["auth_code"]
        token = anon.call(
            "POST",
            "/auth/token",
            {"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
            form=True,
        )
        return Http(self.base, token["access_token"])

    def log_text(self) -> str:
        return (
            self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        )


def add_account(ha: Http, tracker: str, fields: dict[str, str]) -> dict[str, Any]:
    """Walk the config flow: pick the tracker, then submit the credentials."""
    flow = ha.call("POST", "/api/config/config_entries/flow", {"handler": DOMAIN})
    flow = ha.call(
        "POST",
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"tracker": tracker},
    )
    return ha.call(  # type: ignore[no-any-return]
        "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", fields
    )


def states(ha: Http, prefix: str) -> dict[str, str]:
    """Return the states of entities whose object id starts with ``prefix``."""
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


def websocket(ha: Http, *commands: dict[str, Any]) -> list[Any]:
    """Run websocket commands in order; return their results."""

    async def run() -> list[Any]:
        results = []
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(
                ha.base.replace("http", "ws", 1) + "/api/websocket"
            ) as ws,
        ):
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": ha.token})
            await ws.receive_json()
            for number, command in enumerate(commands, start=1):
                await ws.send_json({"id": number, **command})
                reply = await ws.receive_json()
                if not reply.get("success", False):
                    raise RuntimeError(f"{command['type']}: {reply.get('error')}")
                results.append(reply["result"])
        return results

    return asyncio.run(run())


def reauth_offered(ha: Http) -> bool:
    flows = websocket(ha, {"type": "config_entries/flow/progress"})[0]
    return any(f["context"].get("source") == "reauth" for f in flows)


def our_tracebacks(log_text: str) -> list[str]:
    """Return the log records of ours that carry a traceback."""
    owner = ""
    found = []
    for line in log_text.splitlines():
        if line[:4].isdigit() and " [" in line:
            owner = line
        elif line.startswith("Traceback") and f"[custom_components.{DOMAIN}" in owner:
            found.append(owner)
    return found
