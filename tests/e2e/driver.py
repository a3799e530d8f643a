"""The end-to-end test's driver: a real Home Assistant and the demo tracker.

Starts both as processes on loopback and onboards an owner over REST; what
the owner's browser does next lives in browser.py. Standard library only
(browser.py adds aiohttp for websocket commands). The developer tools in
script/ keep a driver of their own: tests and tools import nothing from each
other.
"""

from __future__ import annotations

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

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "http://127.0.0.1/"
DOMAIN = "tracker_stats"
# Enough for an API-only Home Assistant.
API_COMPONENTS = ("api", "config", "onboarding")
# Generous: a first boot on a fresh config dir may install requirements.
BOOT_SECONDS = 300


class Http:
    """A tiny JSON client for Home Assistant and the demo tracker."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        form: bool = False,
        timeout: float = 60,
    ) -> Any:
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
        with request.urlopen(req, timeout=timeout) as response:
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


def stop(process: subprocess.Popen[bytes] | None, seconds: float = 30) -> float:
    """Terminate a process (SIGTERM), kill it if it lingers; return the seconds.

    A process that had to be killed counts as taking ``seconds`` and more.
    """
    if process is None or process.poll() is not None:
        return 0.0
    started = time.monotonic()
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    return time.monotonic() - started


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


def write_config(
    config: Path, port: int, name: str, extra_lines: tuple[str, ...] = ()
) -> None:
    """Write a config dir holding a copy of this integration and its YAML.

    Our own logger logs at debug, so that a secret in any debug line shows
    in the log the tests search. ``extra_lines`` are appended verbatim.
    """
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
        "  logs:",
        f"    custom_components.{DOMAIN}: debug",
        *extra_lines,
    ]
    (config / "configuration.yaml").write_text("\n".join(lines) + "\n")


@dataclass
class HomeAssistant:
    """One Home Assistant process serving a config dir on a loopback port."""

    hass_cmd: list[str]
    config: Path
    port: int
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    # Each start rotates home-assistant.log: earlier runs' logs are kept here.
    earlier_logs: list[str] = field(default_factory=list, init=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.config / "home-assistant.log"

    def start(
        self, seconds: float = BOOT_SECONDS, log: IO[bytes] | None = None
    ) -> float:
        """Start ``hass``; return the seconds until its HTTP API answered."""
        if not port_is_free(self.port):
            raise SystemExit(f"Port {self.port} is taken: stop what uses it and retry.")
        if self.log_file.exists():
            self.earlier_logs.append(self.log_text())
        started = time.monotonic()
        self.process = subprocess.Popen(
            [*self.hass_cmd, "-c", str(self.config)],
            stdout=log or subprocess.DEVNULL,
            stderr=log or subprocess.DEVNULL,
        )
        wait_for(f"{self.base}/api/onboarding", seconds, self.process)
        return time.monotonic() - started

    def stop(self) -> float:
        """Stop ``hass`` with SIGTERM; return the seconds it took to exit."""
        seconds = stop(self.process, 60)
        self.process = None
        return seconds

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
        """Return the log of the current (or last) run."""
        return (
            self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        )

    def all_logs(self) -> str:
        """Return the logs of every run of this config dir, oldest first."""
        return "\n".join([*self.earlier_logs, self.log_text()])
