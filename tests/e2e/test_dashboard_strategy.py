"""End to end: the generated dashboard in a real browser (headless Chromium).

Home Assistant runs with its frontend; the owner adds a dashboard whose whole
configuration is ``strategy: {type: custom:tracker-stats}`` through the
websocket API, as the raw configuration editor saves it. Chromium opens it:
every account's ratio is on the overview, and each account has its view. One
account is removed; after a reload its view and tiles are gone.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
import json
import os
from pathlib import Path
import shutil
import time
from typing import Any

import pytest

from tests.showcase import SHOWCASES

from .browser import add_account, config_entries, states, websocket
from .driver import Http
from .session import Session

pytestmark = pytest.mark.e2e
# Each platform's showcase demo account.
ACCOUNTS = tuple(SHOWCASES.values())

DASHBOARD = "dashboard-trackers"
CHROMIUM = os.environ.get("TRACKER_STATS_CHROMIUM") or shutil.which("chromium")
RENDER_SECONDS = 60
# Every onboarding step but the owner's done beforehand, or the frontend sends
# the owner to the onboarding pages instead of the dashboard.
ONBOARDING_DONE_BUT_USER = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}

# Reads what the dashboard shows, through the frontend's shadow roots: the
# views of the generated configuration, and each tile's entity and its text.
SHOWN = """() => {
  const all = (root, tag, found = []) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.localName === tag) found.push(el);
      if (el.shadowRoot) all(el.shadowRoot, tag, found);
    }
    return found;
  };
  const text = (el) => [el.textContent, ...[el, ...el.querySelectorAll("*")]
    .filter((e) => e.shadowRoot).map((e) => text(e.shadowRoot))].join(" ");
  const panel = all(document, "ha-panel-lovelace")[0];
  return {
    views: panel?.lovelace?.config?.views?.map((view) => view.path) ?? [],
    tiles: all(document, "hui-tile-card").map((tile) => [
      tile._config?.entity, text(tile.shadowRoot ?? tile).replace(/\\s+/g, " "),
    ]),
    logbooks: all(document, "hui-logbook-card").length,
  };
}"""


def browser_login(owner: Http, username: str, password: str) -> str:
    """Log in as the frontend's login page does; return the query that completes it."""
    # The frontend only takes a code issued to its own origin.
    client_id = f"{owner.base}/"
    anon = Http(owner.base)
    flow = anon.call(
        "POST",
        "/auth/login_flow",
        {
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{client_id}?auth_callback=1",
        },
    )
    code = anon.call(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        {"client_id": client_id, "username": username, "password": password},
    )["result"]
    state = base64.b64encode(
        json.dumps({"hassUrl": owner.base, "clientId": client_id}).encode()
    ).decode()
    return f"auth_callback=1&code={code}&state={state}"


@contextmanager
def chromium() -> Iterator[Any]:
    """Playwright's Chromium: the system's, never one Playwright downloads.

    Playwright's sync API runs an event loop of its own: open it after the
    websocket commands (asyncio.run) are done.
    """
    if not CHROMIUM:
        pytest.fail("no chromium on PATH: apt-get install chromium (scripts/test does)")
    # Imported here: only this test needs it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # No /dev/shm in the newest line's chroot (scripts/test binds /dev
        # without its submounts): Chromium's shared memory goes to /tmp.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_shown(page: Any, wanted: Any) -> dict[str, Any]:
    """Poll what the dashboard shows until ``wanted(shown)``; return it."""
    deadline = time.monotonic() + RENDER_SECONDS
    shown: dict[str, Any] = {}
    while time.monotonic() < deadline:
        shown = page.evaluate(SHOWN)
        if wanted(shown):
            return shown
        page.wait_for_timeout(500)
    return shown


def ratio_tiles(shown: dict[str, Any]) -> dict[str, str]:
    return {
        entity: text
        for entity, text in shown["tiles"]
        if entity and entity.startswith("sensor.") and entity.endswith("_ratio")
    }


def test_generated_dashboard_in_a_browser(e2e: Session, tmp_path: Path) -> None:
    """Every account's ratio on the overview; a removed account's view goes."""
    storage = e2e.ha.config / ".storage"
    storage.mkdir(parents=True)
    (storage / "onboarding").write_text(json.dumps(ONBOARDING_DONE_BUT_USER))
    e2e.boot(extra_lines=("frontend:",))
    for account in ACCOUNTS:
        fields = {"url": e2e.demo_url, "api_key": account.key}
        created = add_account(e2e.owner, account.preset, {**fields, **account.typed()})
        assert created["type"] == "create_entry", created
    websocket(
        e2e.owner,
        {
            "type": "lovelace/dashboards/create",
            "url_path": DASHBOARD,
            "title": "Trackers",
            "mode": "storage",
            "require_admin": False,
            "show_in_sidebar": True,
        },
        {
            "type": "lovelace/config/save",
            "url_path": DASHBOARD,
            "config": {"strategy": {"type": "custom:tracker-stats"}},
        },
    )
    ratios = {
        f"sensor.{a.object_id}_ratio": states(e2e.owner, a.object_id)[
            f"sensor.{a.object_id}_ratio"
        ]
        for a in ACCOUNTS
    }
    assert all(value not in {"unknown", "unavailable"} for value in ratios.values())

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        # What the page logs and loads, to show when something is missing.
        seen: list[str] = []
        page.on("console", lambda message: seen.append(f"console: {message.text}"))
        page.on("pageerror", lambda error: seen.append(f"error: {error}"))
        page.on(
            "requestfinished",
            lambda req: (
                seen.append(f"loaded: {req.url}") if "tracker" in req.url else None
            ),
        )
        query = browser_login(e2e.owner, "owner", "e2e-owner-password")
        page.goto(f"{e2e.ha.base}/{DASHBOARD}/overview?{query}")
        shown = wait_shown(page, lambda s: len(ratio_tiles(s)) == len(ACCOUNTS))
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
        # The frontend formats a ratio such as 1.523 as is in English.
        assert {
            entity: ratios[entity] in text
            for entity, text in ratio_tiles(shown).items()
        } == dict.fromkeys(ratios, True), (shown, seen)
        assert len(shown["views"]) == 1 + len(ACCOUNTS), shown["views"]

        # An account's view: its latest alert is a tile, never a blank logbook.
        query = browser_login(e2e.owner, "owner", "e2e-owner-password")
        page.goto(f"{e2e.ha.base}/{DASHBOARD}/{shown['views'][1]}?{query}")
        account = wait_shown(
            page,
            lambda s: any(
                entity and entity.endswith("_alert") for entity, _ in s["tiles"]
            ),
        )
        page.screenshot(path=str(tmp_path / "account.png"), full_page=True)
        assert account["logbooks"] == 0, account

        removed = ACCOUNTS[0]
        entry_id = next(
            e["entry_id"]
            for e in config_entries(e2e.owner)
            if e["title"].lower().startswith(removed.preset)
        )
        e2e.owner.call("DELETE", f"/api/config/config_entries/entry/{entry_id}")
        # A new page load (the login code of the first one is spent).
        query = browser_login(e2e.owner, "owner", "e2e-owner-password")
        page.goto(f"{e2e.ha.base}/{DASHBOARD}/overview?{query}")
        gone = f"sensor.{removed.object_id}_ratio"
        shown = wait_shown(
            page,
            lambda s: (
                len(ratio_tiles(s)) == len(ACCOUNTS) - 1 and gone not in ratio_tiles(s)
            ),
        )
        assert set(ratio_tiles(shown)) == set(ratios) - {gone}, shown
        assert len(shown["views"]) == len(ACCOUNTS), shown["views"]
        assert not [path for path in shown["views"] if path.startswith(removed.preset)]
    e2e.assert_log_clean()
