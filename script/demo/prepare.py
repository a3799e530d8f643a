"""Prepare the demo's config dir: an owner, seven demo accounts, the dashboard.

The first run writes .demo/config, onboards the owner, adds one demo account
of each platform through the config flow over REST, imports five weeks of
statistics for them, sets their health options and seeds their forecasts
(health.py), makes one alert fire and saves the generated dashboard
(and examples/dashboard.yaml as a second one). Later runs reuse that config dir, unless an older
demo prepared it.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import yaml  # type: ignore[import-untyped]

from script.ha_driver import (
    DOMAIN,
    HomeAssistant,
    Http,
    add_account,
    demo_account_fields,
    websocket,
    write_config,
)
from script.processes import REPO

from .health import seed_health, wait_for_forecasts
from .localise import ENGLISH, localised_dashboard

USERNAME = "demo"
PASSWORD = "demo-password"  # noqa: S105 - a throwaway local demo login, printed
DEMO_DIR = REPO / ".demo"
CONFIG = DEMO_DIR / "config"
READY = CONFIG / ".tracker-stats-demo-ready"
# What READY holds. A config dir an older demo prepared (other accounts, older
# entity names) holds something else and is prepared afresh.
READY_TEXT = (
    "prepared by scripts/demo: seven platforms, a month of statistics, "
    "health options and forecast history\n"
)
# The language the dashboard was last saved in (scripts/demo --language).
LANGUAGE_FILE = CONFIG / ".tracker-stats-demo-language"
# Where the demo tracker keeps numbers and rotated keys between runs; it
# belongs with the config dir (the entries hold the keys it hands out).
TRACKER_STATE = DEMO_DIR / "tracker-state.json"
DASHBOARD = REPO / "examples" / "dashboard.yaml"
# The demo opens on the integration's generated dashboard (README → Dashboard);
# the hand-written example is a second dashboard at this path.
GENERATED_DASHBOARD = {"strategy": {"type": "custom:tracker-stats"}}
EXAMPLE_DASHBOARD = "dashboard-example"
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


def prepare_config(ha: HomeAssistant, language: str) -> None:
    """Write the config dir for a start of Home Assistant in ``language``.

    The language is set in configuration.yaml, before the start, not changed
    while Home Assistant runs: a change at run time makes Home Assistant's
    translation loader warn once per loaded entity platform ("Failed to load
    integration for translation: Invalid domain tracker_stats.sensor").
    """
    write_config(
        ha.config,
        ha.port,
        name="Tracker Stats demo",
        components=COMPONENTS,
        link_integration=True,
        language=language,
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


def is_prepared() -> bool:
    """Tell whether this demo prepared the config dir (not an older one)."""
    return READY.exists() and READY.read_text() == READY_TEXT


def first_run(ha: HomeAssistant, demo_url: str) -> None:
    """Onboard the owner, add the accounts, import history, save the dashboard.

    In English: Home Assistant makes new entities' ids from their names in its
    language, and the dashboard names the English ids. The caller then starts
    Home Assistant in the chosen language and calls apply_language.
    """
    owner = ha.onboard(USERNAME, PASSWORD, "Demo")
    entries: dict[str, str] = {}
    for name, (preset, fields) in demo_account_fields(demo_url).items():
        result = add_account(owner, preset, fields)
        if result.get("type") != "create_entry":
            raise SystemExit(f"Adding the {preset} demo account failed: {result}")
        entry = result["result"]
        entries[name] = entry["entry_id"] if isinstance(entry, dict) else str(entry)
        print(f"  added {result['title']} through the config flow", flush=True)
    wait_for_entities(owner)
    forecasting = seed_health(owner, ha.config, entries)
    print(
        "  imported five weeks of hourly statistics, seeded the forecasts' "
        "history and set the health options (script/demo/health.py)"
    )
    wait_for_entities(owner)
    if missing := wait_for_forecasts(owner, forecasting):
        print(f"  no forecast yet for {', '.join(missing)}")
    fire_an_alert(owner, demo_url)
    save_dashboard(owner, ENGLISH)
    READY.write_text(READY_TEXT)


def apply_language(owner: Http, language: str) -> None:
    """Show the demo user and the dashboard in ``language``.

    Home Assistant itself already runs in it (prepare_config), so its entity
    names are in it too: it names entities in its language at setup.
    """
    saved = LANGUAGE_FILE.read_text() if LANGUAGE_FILE.exists() else ENGLISH
    if saved == language:
        return
    websocket(
        owner,
        {
            "type": "frontend/set_user_data",
            "key": "language",
            "value": {
                "language": language,
                "number_format": "language",
                "time_format": "language",
                "date_format": "language",
                "first_weekday": "language",
            },
        },
    )
    save_dashboard(owner, language)
    print(f"Switched the demo user and the dashboard to {language}")


def save_dashboard(owner: Http, language: str) -> None:
    """Save the demo's dashboards: the generated one, and the example's.

    The default dashboard, which the demo opens on, is the integration's
    strategy (generated in the browser, in the owner's language). The
    hand-written examples/dashboard.yaml is saved beside it as the "Example"
    dashboard, its labels in ``language``.
    """
    (registry,) = websocket(owner, {"type": "config/entity_registry/list"})
    translation_keys = {
        entity["entity_id"]: entity["translation_key"]
        for entity in registry
        if entity["platform"] == DOMAIN and entity.get("translation_key")
    }
    example = localised_dashboard(
        yaml.safe_load(DASHBOARD.read_text()), language, translation_keys
    )
    (dashboards,) = websocket(owner, {"type": "lovelace/dashboards/list"})
    if not any(d["url_path"] == EXAMPLE_DASHBOARD for d in dashboards):
        websocket(
            owner,
            {
                "type": "lovelace/dashboards/create",
                "url_path": EXAMPLE_DASHBOARD,
                "title": "Example",
                "icon": "mdi:file-document-edit",
                "mode": "storage",
                "require_admin": False,
                "show_in_sidebar": True,
            },
        )
    websocket(
        owner,
        {"type": "lovelace/config/save", "config": GENERATED_DASHBOARD},
        {
            "type": "lovelace/config/save",
            "url_path": EXAMPLE_DASHBOARD,
            "config": example,
        },
    )
    LANGUAGE_FILE.write_text(language)
    print(
        "  saved the generated dashboard, and the one of "
        f"{DASHBOARD.relative_to(REPO)} as /{EXAMPLE_DASHBOARD} ({language})"
    )


def wait_for_entities(owner: Http, seconds: float = 60) -> None:
    """Wait until every account's ratio sensor has a value (the first polls ran)."""
    wanted = len(demo_account_fields(""))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states: list[dict[str, Any]] = owner.call("GET", "/api/states")
        ratios = [
            state
            for state in states
            if state["entity_id"].startswith("sensor.")
            and state["entity_id"].endswith("_ratio")
            and state["state"] not in ("unknown", "unavailable")
        ]
        if len(ratios) >= wanted:
            return
        time.sleep(0.5)
    raise SystemExit(f"The demo accounts' sensors had no values within {seconds:.0f} s")


def fire_an_alert(owner: Http, demo_url: str) -> None:
    """Drop Redacted's ratio and poll at once: its Alert entity fires ratio_dropped.

    So the dashboard's alert cards show what an alert looks like.
    """
    Http(demo_url).call("POST", "/_demo/drop_ratio", {"account": "red", "by": 0.2})
    owner.call(
        "POST",
        "/api/services/homeassistant/update_entity",
        {"entity_id": "sensor.redacted_johndoe_ratio"},
    )
    print("  dropped the Redacted account's ratio: its Alert entity fired")


def login_code(ha: HomeAssistant) -> str:
    """Log the demo owner in; return the one-time code for /auth/token."""
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
    return str(result["result"])


def owner_token(ha: HomeAssistant) -> str:
    """Return an access token of the demo owner."""
    token = Http(ha.base).call(
        "POST",
        "/auth/token",
        {
            "grant_type": "authorization_code",
            "code": login_code(ha),
            "client_id": f"{ha.base}/",
        },
        form=True,
    )
    return str(token["access_token"])


def login_url(ha: HomeAssistant) -> str:
    """Return a URL that logs a browser in as the demo owner (for screenshots)."""
    client_id = f"{ha.base}/"
    state = base64.b64encode(
        json.dumps({"hassUrl": ha.base, "clientId": client_id}).encode()
    ).decode()
    return (
        f"{ha.base}/lovelace/overview?auth_callback=1"
        f"&code={login_code(ha)}&state={state}"
    )
