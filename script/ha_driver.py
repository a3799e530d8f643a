"""Drive a real Home Assistant process and the demo tracker from outside.

Shared by the developer tools (`python -m script.demo`, `python -m
script.bench`): start processes on loopback, onboard an owner over REST, add
tracker accounts through the config flow. Standard library plus aiohttp
(websocket commands only); script/processes.py starts and stops the
processes. The end-to-end test has a driver of its own in
tests/e2e/: tools and tests import nothing from each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
import json
from pathlib import Path
import shutil
import subprocess
from typing import IO, Any
from urllib import parse, request

import aiohttp

from custom_components.tracker_stats.api import DEFAULT_API_PATH, PLATFORM_SPECS
from demo_tracker.accounts import showcase_accounts

from .processes import REPO, port_is_free, spawn, stop, wait_for

CLIENT_ID = "http://127.0.0.1/"
DOMAIN = "tracker_stats"
# Enough for an API-only Home Assistant; scripts/demo adds the frontend.
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


def write_config(
    config: Path,
    port: int,
    *,
    name: str = "Tracker Stats",
    components: Iterable[str] = API_COMPONENTS,
    log_level: str = "warning",
    link_integration: bool = False,
    language: str | None = None,
) -> None:
    """Write a config dir holding this integration and a configuration.yaml.

    ``language`` sets Home Assistant's language (its default, English, if None).
    """
    target = config / "custom_components" / DOMAIN
    target.parent.mkdir(parents=True, exist_ok=True)
    source = REPO / "custom_components" / DOMAIN
    if link_integration:
        if not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
            target.symlink_to(source)
    else:
        shutil.copytree(
            source,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    lines = [
        "homeassistant:",
        f"  name: {name}",
        "  time_zone: UTC",
        "  unit_system: metric",
        # A country set: no "country not configured" repair.
        "  country: GB",
        *([f"  language: {language}"] if language else []),
        "http:",
        "  server_host: 127.0.0.1",
        f"  server_port: {port}",
        # A bare name enables a component; "name: value" is written as is.
        *(c if ":" in c else f"{c}:" for c in components),
        "logger:",
        f"  default: {log_level}",
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
        self.process = spawn(
            [*self.hass_cmd, "-c", str(self.config)], log or subprocess.DEVNULL
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


def long_lived_token(ha: Http, client_name: str) -> str:
    return str(
        websocket(
            ha,
            {
                "type": "auth/long_lived_access_token",
                "client_name": client_name,
                "lifespan": 3650,
            },
        )[0]
    )


def demo_account_fields(demo_url: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Return the config-flow input adding one demo account of each platform.

    Account name → (preset picked in the first step, the credentials step's
    input), read from the demo tracker's showcase accounts and the platforms'
    specs: a new platform joins the demo by its demo module alone.
    """
    fields: dict[str, tuple[str, dict[str, str]]] = {}
    for platform, account in showcase_accounts().items():
        typed = {
            "auth_style": account.auth_style,
            "api_path": DEFAULT_API_PATH,
            "username": account.rules.username(account),
        }
        extra = {name: typed[name] for name in PLATFORM_SPECS[platform].flow_fields}
        fields[account.name] = (
            account.preset,
            {"url": demo_url, "api_key": account.key, **extra},
        )
    return fields
