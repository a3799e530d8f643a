"""The body of scripts/demo: a real Home Assistant with seven demo accounts.

Run by scripts/demo with the Python of .demo/venv (Home Assistant installed):

    .demo/venv/bin/python -m script.demo [--port 8123] [--tracker-port 8765]
        [--language en] [--print-login-url]

Home Assistant and the demo tracker run until Ctrl+C (SIGINT) or SIGTERM;
either stops both, in that order, and leaves no process behind. Home
Assistant runs with --skip-pip: scripts/demo installed every requirement of
the demo's integrations, and the demo fetches nothing from the internet.
"""

from __future__ import annotations

from pathlib import Path
import shutil
import signal
import sys
from types import FrameType
from typing import NoReturn

from script.ha_driver import HomeAssistant, Http
from script.processes import (
    port_is_free,
    start_demo_tracker_process,
    stop,
)

from .cli import parse_args
from .localise import ENGLISH
from .prepare import (
    CONFIG,
    DEMO_DIR,
    PASSWORD,
    TRACKER_STATE,
    USERNAME,
    apply_language,
    first_run,
    is_prepared,
    login_url,
    owner_token,
    prepare_config,
)
from .sidebar import dashboard_name


class Stopped(Exception):  # noqa: N818 - a request to stop, not an error
    """SIGINT or SIGTERM arrived: stop everything and exit."""


def stop_on_signals() -> None:
    """Turn the first SIGINT or SIGTERM into `Stopped`; ignore any later one.

    A second Ctrl+C while the children stop must not cut the cleanup short
    and leave the demo tracker running.
    """

    def stopped(_signum: int, _frame: FrameType | None) -> NoReturn:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Stopped

    signal.signal(signal.SIGINT, stopped)
    signal.signal(signal.SIGTERM, stopped)


def banner(ha: HomeAssistant, demo_url: str, dashboard: str) -> str:
    """Say where to look; ``dashboard`` is the name the sidebar shows."""
    return "\n".join(
        [
            "",
            f"Home Assistant is running on {ha.base}",
            f"  log in as {USERNAME} / {PASSWORD}",
            f"  the dashboard “{dashboard}” (in the sidebar) shows one demo",
            "  account of each of the seven platforms: Redacted, GazelleGames,",
            "  Blutopia, AnimeBytes, BroadcasTheNet, MyAnonamouse and Nebulance",
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
    args = parse_args()
    for port, what in ((args.port, "Home Assistant"), (args.tracker_port, "tracker")):
        if not port_is_free(port):
            print(
                f"Port {port} (for the demo {what}) is taken: stop what uses it, "
                "or pick another with --port/--tracker-port.",
                file=sys.stderr,
            )
            return 1

    DEMO_DIR.mkdir(exist_ok=True)
    hass = Path(sys.executable).with_name("hass")
    ha = HomeAssistant([str(hass), "--skip-pip"], CONFIG, args.port)
    demo_url = f"http://127.0.0.1:{args.tracker_port}"
    fresh = not is_prepared()
    if fresh:
        # An interrupted first run, or a config dir of an older demo (other
        # accounts, older entity names): start over, with the demo tracker's
        # starting keys too.
        shutil.rmtree(CONFIG, ignore_errors=True)
        TRACKER_STATE.unlink(missing_ok=True)
    CONFIG.mkdir(exist_ok=True)
    # A first run prepares in English (the dashboard names English entity
    # ids, and Home Assistant makes ids from names in its language), then
    # restarts Home Assistant in the chosen language.
    prepare_config(ha, ENGLISH if fresh else args.language)
    tracker = None
    stop_on_signals()
    with (DEMO_DIR / "processes.log").open("ab") as log:
        try:
            tracker = start_demo_tracker_process(
                args.tracker_port,
                log,
                tick=60,
                extra=["--state-file", str(TRACKER_STATE)],
            )
            print("Starting Home Assistant…", flush=True)
            ha.start(seconds=300, log=log)
            if fresh:
                print("Preparing the demo:", flush=True)
                first_run(ha, demo_url)
                if args.language != ENGLISH:
                    print(f"Restarting Home Assistant in {args.language}…", flush=True)
                    ha.stop()
                    prepare_config(ha, args.language)
                    ha.start(seconds=300, log=log)
            owner = Http(ha.base, owner_token(ha))
            apply_language(owner, args.language)
            print(
                banner(ha, demo_url, dashboard_name(owner, args.language)),
                flush=True,
            )
            if args.print_login_url:
                print(f"Login URL (valid 10 minutes): {login_url(ha)}", flush=True)
            assert ha.process is not None
            ha.process.wait()
        except Stopped:
            print("\nStopping Home Assistant and the demo tracker…", flush=True)
            return 0
        finally:
            ha.stop()
            stop(tracker)
    print("Home Assistant exited; see .demo/config/home-assistant.log.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
