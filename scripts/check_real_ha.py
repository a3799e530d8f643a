"""Drive a real Home Assistant through the integration's UI flow over REST.

Starts the demo tracker and Home Assistant on a fresh config dir, onboards an
owner, adds a Gazelle and a GGn account through /api/config/config_entries/flow,
then checks states, a wrong key, tracker down/up and a rotated key.

    python scripts/check_real_ha.py --hass "/path/to/hass" [--port 8124]

For a Home Assistant in a chroot, pass the chroot command as --hass and the
config dir both as the host sees it (--config) and as hass sees it
(--config-as-seen-by-hass).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import shlex
import sys
import tempfile
import time
from typing import Any

from ha_driver import (
    SEED_STATES,
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    our_tracebacks,
    reauth_offered,
    refresh_until,
    start_demo_tracker_process,
    states,
    stop,
    write_config,
)


def check(label: str, ok: bool, detail: Any = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {label}" + (f"  ({detail})" if detail else ""))
    if not ok:
        raise SystemExit(1)


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
    write_config(config, args.port, name="Real HA check")
    ha_process = HomeAssistant(
        shlex.split(args.hass), config, args.port, args.config_as_seen_by_hass
    )
    demo_url = f"http://127.0.0.1:{args.tracker_port}"
    tracker = None
    with (config / "run.log").open("wb") as log:
        try:
            tracker = start_demo_tracker_process(args.tracker_port, log, args.python)
            ha_process.start(log=log)
            ha = ha_process.onboard("owner", "demo-owner-pass")
            version = ha.call("GET", "/api/config")["version"]
            print(f"Home Assistant {version} on {ha.base}, demo tracker on {demo_url}")

            accounts = demo_account_fields(demo_url)
            preset, fields = accounts["red"]
            wrong = add_account(ha, preset, {**fields, "api_key": "wrong-key"})
            check(
                "wrong key shows invalid_auth",
                wrong.get("errors") == {"base": "invalid_auth"},
                wrong.get("errors"),
            )
            red = add_account(ha, *accounts["red"])
            check(
                "Gazelle preset creates the entry",
                red.get("type") == "create_entry",
                red.get("title"),
            )
            ggn = add_account(ha, *accounts["ggn"])
            check(
                "GGn creates the entry",
                ggn.get("type") == "create_entry",
                ggn.get("title"),
            )
            time.sleep(2)
            gazelle_states = states(ha, "redacted_johndoe_")
            ggn_states = states(ha, "gazellegames_exampleuser_")
            print(json.dumps({**gazelle_states, **ggn_states}, indent=1))
            got = {**gazelle_states, **ggn_states}
            check(
                "seed values in /api/states",
                all(got.get(k) == v for k, v in SEED_STATES.items()),
                {k: got.get(k) for k, v in SEED_STATES.items() if got.get(k) != v},
            )
            check(
                "Gazelle has 16 enabled entities, GGn 17",
                (len(gazelle_states), len(ggn_states)) == (16, 17),
                (len(gazelle_states), len(ggn_states)),
            )

            stop(tracker)
            state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "unavailable")
            check(
                "tracker stopped: entities unavailable", state == "unavailable", state
            )
            tracker = start_demo_tracker_process(args.tracker_port, log, args.python)
            state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "4.0")
            check("tracker back: entities back", state == "4.0", state)

            Http(demo_url).call("POST", "/_demo/rotate_key", {"account": "red"})
            state = refresh_until(ha, "sensor.redacted_johndoe_ratio", "unavailable")
            check(
                "rotated key: entities unavailable and reauth offered",
                state == "unavailable" and reauth_offered(ha),
                state,
            )
            log_text = ha_process.log_text()
            check(
                "no key in the Home Assistant log",
                "demo-red-key" not in log_text and "demo-ggn-key" not in log_text,
            )
            check(
                "no traceback from tracker_stats in the log",
                not our_tracebacks(log_text),
            )
            return 0
        finally:
            ha_process.stop()
            stop(tracker)


if __name__ == "__main__":
    sys.exit(main())
