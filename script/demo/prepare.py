"""Prepare the demo's config dir: an owner, two demo accounts, the dashboard.

The first run writes .demo/config, onboards the owner, adds the Redacted and
GazelleGames demo accounts through the config flow over REST and saves the
dashboard of examples/dashboard.yaml. Later runs reuse that config dir.
"""

from __future__ import annotations

import base64
import json

import yaml  # type: ignore[import-untyped]

from script.ha_driver import (
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    websocket,
    write_config,
)
from script.processes import REPO

USERNAME = "demo"
PASSWORD = "demo-password"  # noqa: S105 - a throwaway local demo login, printed
DEMO_DIR = REPO / ".demo"
CONFIG = DEMO_DIR / "config"
READY = CONFIG / ".tracker-stats-demo-ready"
DASHBOARD = REPO / "examples" / "dashboard.yaml"
# Home Assistant 2025.4's onboarding store (version 4) with every step done but
# creating the owner, which the first run does over REST.
ONBOARDING_DONE_BUT_USER = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}
# Only what the dashboard needs; no default_config, whose integrations reach
# out to the internet (alerts, cloud, analytics, …).
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
    onboarding = ha.config / ".storage" / "onboarding"
    if not onboarding.exists():
        # Every step but the owner's done beforehand: the core_config step
        # would start the flows of met, radio_browser, google_translate and
        # shopping_list, which reach out to the internet.
        onboarding.parent.mkdir(exist_ok=True)
        onboarding.write_text(json.dumps(ONBOARDING_DONE_BUT_USER))


def first_run(ha: HomeAssistant, demo_url: str) -> None:
    """Onboard the owner, add both accounts through the flow, save the dashboard."""
    owner = ha.onboard(USERNAME, PASSWORD, "Demo")
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
