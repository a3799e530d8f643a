"""Take the README's screenshots of the running demo with headless Chromium.

Start the demo in the language to show, then run this in another terminal:

    scripts/demo --language de
    .demo/venv/bin/python -m script.demo.screenshots --language de

English writes docs/demo-dashboard.png (the Redacted view); another language
writes docs/screenshots/<language>-{dashboard,device,add-integration,
redacted-credentials,options}.png. It needs Chromium and Playwright, which
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
from typing import Any

from script.ha_driver import DOMAIN, HomeAssistant, Http, websocket
from script.processes import REPO

from .localise import ENGLISH, languages
from .prepare import CONFIG, login_code, owner_token

INSTALL_HINT = (
    "The screenshots need Chromium and Playwright: apt-get install chromium, "
    "then pip install playwright (into .demo/venv or a throwaway venv)."
)
VIEWPORT = {"width": 1280, "height": 800}
# The frontend renders on after the page's load event (cards fetch statistics).
SETTLE_MS = 6000
DEVICE_NAME = "Redacted (JohnDoe)"


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


async def shoot(page: Any, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(target))
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


async def take(
    ha: HomeAssistant, language: str, chromium: str, device: dict[str, Any]
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
        await page.goto(login_path(ha, "/lovelace/redacted"))
        await page.wait_for_timeout(SETTLE_MS + 2000)
        if language == ENGLISH:
            await shoot(page, REPO / "docs" / "demo-dashboard.png")
        else:
            await shoot(page, folder / f"{language}-dashboard.png")
            await navigate(page, f"/config/devices/device/{device['id']}")
            await shoot(page, folder / f"{language}-device.png")
            await add_integration_flow(page, folder, language)
            # Leave the flow's dialog for a page without one.
            await page.goto(login_path(ha, "/config/integrations/dashboard"))
            await options_dialog(page, folder, language)
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
    shown = json.loads((CONFIG / ".storage" / "core.config").read_text())["data"]
    if shown.get("language", ENGLISH) != args.language:
        print(
            f"The demo runs in {shown.get('language')!r}: restart it with "
            f"scripts/demo --language {args.language} first.",
            file=sys.stderr,
        )
        return 1
    owner = Http(ha.base, owner_token(ha))
    (devices,) = websocket(owner, {"type": "config/device_registry/list"})
    device = next(d for d in devices if d["name"] == DEVICE_NAME)
    asyncio.run(take(ha, args.language, args.chromium, device))
    return 0


if __name__ == "__main__":
    sys.exit(main())
