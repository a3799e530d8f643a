"""The body of scripts/demo: a real Home Assistant with two demo accounts.

Run by scripts/demo with the Python of .demo/venv (Home Assistant installed).
The first run prepares .demo/config: an owner, the Redacted and GazelleGames
demo accounts added through the config flow over REST, and the dashboard of
examples/dashboard.yaml. Later runs reuse that config dir; delete .demo/config
to start afresh. Home Assistant then runs in the foreground until Ctrl+C.
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path
import shutil
import signal
import sys
from types import FrameType
from typing import Any

from ha_driver import (
    CLIENT_ID,
    REPO,
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    port_is_free,
    start_demo_tracker_process,
    stop,
    websocket,
    write_config,
)
import yaml

USERNAME = "demo"
PASSWORD = "demo-password"  # noqa: S105 - a throwaway local demo login, printed
DEMO_DIR = REPO / ".demo"
CONFIG = DEMO_DIR / "config"
READY = CONFIG / ".tracker-stats-demo-ready"
DASHBOARD = REPO / "examples" / "dashboard.yaml"
COMPONENTS = (
    "api",
    "config",
    "frontend",
    "history",
    "logbook",
    "onboarding",
    "recorder",
    "system_log",
    "automation: !include automations.yaml",
    "script: !include scripts.yaml",
)


def prepare_config(ha: HomeAssistant) -> None:
    write_config(
        ha.config,
        ha.port,
        name="Tracker Stats demo",
        components=COMPONENTS,
        link_integration=True,
    )
    for name, empty in (("automations.yaml", "[]\n"), ("scripts.yaml", "{}\n")):
        if not (ha.config / name).exists():
            (ha.config / name).write_text(empty)


def first_run(ha: HomeAssistant, demo_url: str) -> None:
    """Onboard the owner, add both accounts through the flow, save the dashboard."""
    owner = ha.onboard(USERNAME, PASSWORD, "Demo")
    owner.call("POST", "/api/onboarding/core_config")
    owner.call("POST", "/api/onboarding/analytics")
    owner.call(
        "POST",
        "/api/onboarding/integration",
        {"client_id": CLIENT_ID, "redirect_uri": f"{CLIENT_ID}?auth_callback=1"},
    )
    # Onboarding adds a few default integrations (weather, radio, …) that need
    # the internet: the demo is about trackers only.
    for entry in owner.call("GET", "/api/config/config_entries/entry"):
        if entry["domain"] != "tracker_stats":
            owner.call(
                "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
            )
    for preset, fields in demo_account_fields(demo_url).values():
        result = add_account(owner, preset, fields)
        if result.get("type") != "create_entry":
            raise SystemExit(f"Adding the {preset} demo account failed: {result}")
        print(f"  added {result['title']} through the config flow")
    dashboard = yaml.safe_load(DASHBOARD.read_text())
    websocket(owner, {"type": "lovelace/config/save", "config": dashboard})
    print(f"  saved the dashboard of {DASHBOARD.relative_to(REPO)}")
    READY.write_text("prepared by scripts/demo\n")


def login_url(ha: HomeAssistant) -> str:
    """Return a URL that logs a browser in as the demo owner (for screenshots)."""
    client_id = f"{ha.base}/"
    anon = Http(ha.base)
    flow = anon.call(
        "POST",
        "/auth/login_flow",
        {
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{client_id}?auth_callback=1",
        },
    )
    result = anon.call(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        {"client_id": client_id, "username": USERNAME, "password": PASSWORD},
    )
    state = base64.b64encode(
        json.dumps({"hassUrl": ha.base, "clientId": client_id}).encode()
    ).decode()
    return (
        f"{ha.base}/lovelace/trackers?auth_callback=1"
        f"&code={result['result']}&state={state}"
    )


def banner(ha: HomeAssistant, demo_url: str) -> str:
    return "\n".join(
        [
            "",
            f"Home Assistant is running on {ha.base}",
            f"  log in as {USERNAME} / {PASSWORD}",
            "  the Trackers dashboard shows the Redacted and GazelleGames demo accounts",
            f"Demo tracker on {demo_url}: make it misbehave, for example",
            (
                f"  curl -X POST {demo_url}/_demo/drop_ratio "
                '-d \'{"account": "red", "by": 0.2}\''
            ),
            f'  curl -X POST {demo_url}/_demo/fault -d \'{{"mode": "server_error"}}\'',
            f"  curl -X DELETE {demo_url}/_demo/fault",
            (
                "then refresh an entity (Developer tools → Actions → "
                "homeassistant.update_entity) or wait for the 30-minute poll."
            ),
            "Ctrl+C stops Home Assistant and the demo tracker.",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/demo")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--tracker-port", type=int, default=8765)
    parser.add_argument(
        "--print-login-url",
        action="store_true",
        help="print a one-time URL that logs a browser in (for screenshots)",
    )
    args = parser.parse_args()
    for port, what in ((args.port, "Home Assistant"), (args.tracker_port, "tracker")):
        if not port_is_free(port):
            print(
                f"Port {port} (for the demo {what}) is taken: stop what uses it, "
                "or pick another with --port/--tracker-port.",
                file=sys.stderr,
            )
            return 1

    def interrupted(_signum: int, _frame: FrameType | None) -> Any:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    DEMO_DIR.mkdir(exist_ok=True)
    ha = HomeAssistant([str(Path(sys.executable).with_name("hass"))], CONFIG, args.port)
    demo_url = f"http://127.0.0.1:{args.tracker_port}"
    fresh = not READY.exists()
    if fresh and CONFIG.exists():
        # A half-prepared config dir (an interrupted first run): start over.
        shutil.rmtree(CONFIG)
    CONFIG.mkdir(exist_ok=True)
    prepare_config(ha)
    tracker = None
    with (DEMO_DIR / "processes.log").open("ab") as log:
        try:
            tracker = start_demo_tracker_process(args.tracker_port, log, tick=60)
            print(
                "Starting Home Assistant"
                + (
                    " (the first start installs its frontend: a minute or two)…"
                    if fresh
                    else "…"
                ),
                flush=True,
            )
            ha.start(seconds=900, log=log)
            if fresh:
                print("Preparing the demo:", flush=True)
                first_run(ha, demo_url)
            print(banner(ha, demo_url), flush=True)
            if args.print_login_url:
                print(f"Login URL (valid 10 minutes): {login_url(ha)}", flush=True)
            assert ha.process is not None
            ha.process.wait()
        except KeyboardInterrupt:
            print("\nStopping Home Assistant and the demo tracker…", flush=True)
            return 0
        finally:
            ha.stop()
            stop(tracker)
    print("Home Assistant exited; see .demo/config/home-assistant.log.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
