"""Take the README's screenshots of the running demo with headless Chromium.

Start the demo in the language to show, then run this in another terminal:

    scripts/demo --language de
    .demo/venv/bin/python -m script.demo.screenshots --language de

Every language writes docs/screenshots/<language>-strategy-dashboard.png (the
generated dashboard's overview), <language>-strategy-<view>.png (its account
views) and <language>-repairs-{tracker-unreachable,cleared}.png (the demo
tracker fails for a while: Settings → Repairs, then after it recovers);
English writes docs/demo-dashboard.png (the example dashboard's Redacted
view), another language docs/screenshots/<language>-{dashboard,device,
add-integration,redacted-credentials,options}.png and
<language>-example-<view>.png (the example dashboard's other views). It needs Chromium and Playwright, which
neither scripts/demo nor scripts/test install: `apt-get install chromium`,
then `pip install playwright` into .demo/venv or a throwaway venv (the
Python needs aiohttp too). Playwright drives the system Chromium; it
downloads no browser of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
from pathlib import Path
import shutil
import sys
from typing import TYPE_CHECKING, Any

from script.ha_driver import DOMAIN, HomeAssistant, Http, websocket
from script.processes import REPO

from .localise import ENGLISH, languages
from .prepare import CONFIG, LANGUAGE_FILE, login_code, owner_token

if TYPE_CHECKING:
    from playwright.async_api import ViewportSize

INSTALL_HINT = (
    "The screenshots need Chromium and Playwright: apt-get install chromium, "
    "then pip install playwright (into .demo/venv or a throwaway venv)."
)
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
# The frontend renders on after the page's load event (cards fetch statistics).
SETTLE_MS = 6000
DEVICE_NAME = "Redacted (JohnDoe)"
# The example dashboard's views (examples/dashboard.yaml); redacted is
# <language>-dashboard.png.
EXAMPLE_VIEWS = (
    "overview",
    "gazellegames",
    "blutopia",
    "animebytes",
    "broadcasthenet",
    "myanonamouse",
    "nebulance",
)
DEMO_TRACKER = "http://127.0.0.1:8765"
# The repair shows once an outage is this many minutes old (the options'
# minimum); the stale check runs once a minute.
STALE_MINUTES = 1
REPAIR_WAIT_MS = 150_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m script.demo.screenshots")
    parser.add_argument("--language", choices=languages(), default=ENGLISH)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "")
    return parser.parse_args()


def login_path(ha: HomeAssistant, path: str) -> str:
    """Return a URL of ``path`` that logs the browser in as the demo owner."""
    state = base64.b64encode(
        json.dumps({"hassUrl": ha.base, "clientId": f"{ha.base}/"}).encode()
    ).decode()
    return f"{ha.base}{path}?auth_callback=1&code={login_code(ha)}&state={state}"


async def navigate(page: Any, path: str) -> None:
    """Move the single-page frontend to ``path`` as a click on a link would."""
    await page.evaluate(
        "path => { history.pushState(null, '', path);"
        " window.dispatchEvent(new CustomEvent('location-changed')); }",
        path,
    )
    await page.wait_for_timeout(SETTLE_MS)


async def shoot(page: Any, target: Path, *, full_page: bool = False) -> None:
    """Save the page; ``full_page``: all of a dashboard view, not only its top."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not full_page:
        await page.screenshot(path=str(target))
    else:
        # A window as tall as the view, not a full-page capture: cards that
        # render only what is in the window (the logbook's list) stay blank
        # below it otherwise.
        height = await page.evaluate("document.documentElement.scrollHeight")
        await page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        await page.wait_for_timeout(2000)
        await page.screenshot(path=str(target), full_page=True)
        await page.set_viewport_size(VIEWPORT)
    print(f"wrote {target.relative_to(REPO)}", flush=True)


async def add_integration_flow(page: Any, folder: Path, language: str) -> None:
    """Shoot the first step, then the credentials step of Redacted."""
    await navigate(page, f"/config/integrations/dashboard/add?domain={DOMAIN}")
    # The frontend asks first whether to set the integration up ("OK" in
    # every language the demo shows).
    await page.get_by_role("button", name="OK", exact=True).click()
    await page.wait_for_timeout(3000)
    await shoot(page, folder / f"{language}-add-integration.png")
    # Redacted is the tracker the first step offers first.
    await page.locator(
        "step-flow-form mwc-button, step-flow-form ha-button"
    ).last.click()
    await page.wait_for_timeout(3000)
    await shoot(page, folder / f"{language}-redacted-credentials.png")


async def options_dialog(page: Any, folder: Path, language: str) -> None:
    """Shoot the options dialog of the Redacted account (its Configure button)."""
    await navigate(page, f"/config/integrations/integration/{DOMAIN}")
    row = page.locator("ha-md-list-item", has_text=DEVICE_NAME)
    await row.locator("ha-button").first.click()
    await page.wait_for_timeout(3000)
    await shoot(page, folder / f"{language}-options.png")


async def strategy_views(page: Any, folder: Path, language: str) -> None:
    """Shoot each account view of the generated dashboard (the tabs after the first)."""
    tabs = page.locator("hui-root paper-tab")
    for index in range(1, await tabs.count()):
        await tabs.nth(index).click()
        await page.wait_for_timeout(SETTLE_MS)
        view = page.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        await shoot(page, folder / f"{language}-strategy-{view}.png", full_page=True)


async def repairs(page: Any, owner: Http, folder: Path, language: str) -> None:
    """Let Redacted's tracker fail until the repair shows; then let it recover.

    Redacted's stale minutes go down to the minimum for this and back after.
    """
    (entries,) = await asyncio.to_thread(
        websocket, owner, {"type": "config_entries/get", "domain": DOMAIN}
    )
    entry = next(e for e in entries if e["title"] == DEVICE_NAME)
    tracker = Http(DEMO_TRACKER)
    refresh = {"entity_id": "sensor.redacted_johndoe_ratio"}
    saved = set_stale_minutes(owner, entry["entry_id"], STALE_MINUTES)
    await page.wait_for_timeout(5000)
    tracker.call("POST", "/_demo/fault", {"mode": "server_error"})
    try:
        owner.call("POST", "/api/services/homeassistant/update_entity", refresh)
        await navigate(page, "/config/repairs")
        issue = page.locator(
            "ha-config-repairs ha-md-list-item, ha-config-repairs ha-list-item"
        )
        await issue.first.wait_for(timeout=REPAIR_WAIT_MS)
        await page.wait_for_timeout(2000)
        await shoot(page, folder / f"{language}-repairs-tracker-unreachable.png")
    finally:
        tracker.call("DELETE", "/_demo/fault")
        owner.call("POST", "/api/services/homeassistant/update_entity", refresh)
        set_stale_minutes(owner, entry["entry_id"], saved)
    await page.wait_for_timeout(SETTLE_MS)
    await shoot(page, folder / f"{language}-repairs-cleared.png")


def set_stale_minutes(owner: Http, entry_id: str, minutes: int) -> int:
    """Save ``minutes`` through the entry's options flow; return the old value."""
    flow = owner.call(
        "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
    )
    # What the form shows: its defaults and suggested values (health options).
    shown = {
        field["name"]: value
        for field in flow["data_schema"]
        if (
            value := field.get("default")
            if field.get("default") is not None
            else (field.get("description") or {}).get("suggested_value")
        )
        is not None
    }
    owner.call(
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {**shown, "stale_minutes": minutes},
    )
    return int(shown["stale_minutes"])


async def take(
    ha: HomeAssistant,
    language: str,
    chromium: str,
    device: dict[str, Any],
    owner: Http,
) -> None:
    from playwright.async_api import async_playwright  # noqa: PLC0415 - optional

    folder = REPO / "docs" / "screenshots"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox"]
        )
        context = await browser.new_context(viewport=VIEWPORT, locale=language)
        # The frontend's own language switch, as the profile page stores it.
        await context.add_init_script(
            f"localStorage.setItem('selectedLanguage', {json.dumps(json.dumps(language))})"
        )
        page = await context.new_page()
        # The dashboard the demo opens on: generated by the integration.
        await page.goto(login_path(ha, "/lovelace/overview"))
        await page.wait_for_timeout(SETTLE_MS + 2000)
        await shoot(page, folder / f"{language}-strategy-dashboard.png", full_page=True)
        await strategy_views(page, folder, language)
        await navigate(page, "/dashboard-example/redacted")
        if language == ENGLISH:
            await shoot(page, REPO / "docs" / "demo-dashboard.png", full_page=True)
        else:
            await shoot(page, folder / f"{language}-dashboard.png", full_page=True)
            for view in EXAMPLE_VIEWS:
                await navigate(page, f"/dashboard-example/{view}")
                await shoot(
                    page, folder / f"{language}-example-{view}.png", full_page=True
                )
            await navigate(page, f"/config/devices/device/{device['id']}")
            await shoot(page, folder / f"{language}-device.png")
            await add_integration_flow(page, folder, language)
            # Leave the flow's dialog for a page without one.
            await page.goto(login_path(ha, "/config/integrations/dashboard"))
            await options_dialog(page, folder, language)
            await page.goto(login_path(ha, "/config/repairs"))
            await page.wait_for_timeout(SETTLE_MS)
        await repairs(page, owner, folder, language)
        await browser.close()


def main() -> int:
    args = parse_args()
    try:
        import playwright  # noqa: F401, PLC0415 - only to tell what is missing
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    if not args.chromium:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    ha = HomeAssistant([], CONFIG, args.port)
    # The language the demo last started in (prepare.py writes it).
    shown = LANGUAGE_FILE.read_text() if LANGUAGE_FILE.exists() else ENGLISH
    if shown != args.language:
        print(
            f"The demo runs in {shown!r}: restart it with "
            f"scripts/demo --language {args.language} first.",
            file=sys.stderr,
        )
        return 1
    owner = Http(ha.base, owner_token(ha))
    (devices,) = websocket(owner, {"type": "config/device_registry/list"})
    device = next(d for d in devices if d["name"] == DEVICE_NAME)
    asyncio.run(take(ha, args.language, args.chromium, device, owner))
    return 0


if __name__ == "__main__":
    sys.exit(main())
