"""The demo dashboard's name as Home Assistant's sidebar shows it.

The start banner tells the user where to click. A dashboard with a title of
its own shows that title in the sidebar; the default dashboard has none, and
the frontend shows its own word for it ("Overview", "Übersicht", …), from the
translation files of the installed frontend package.
"""

from __future__ import annotations

from importlib import resources
import json
import re

from script.ha_driver import Http, websocket

# Where the demo saves its dashboard: the default one (lovelace/config/save
# without a url_path).
DASHBOARD_URL_PATH = "lovelace"
# The frontend's key for the default dashboard's name.
DEFAULT_DASHBOARD_KEY = "panel.states"
FALLBACK = "Overview"


def frontend_text(language: str, key: str) -> str | None:
    """Return ``key`` of the installed frontend's ``language`` translations."""
    try:
        folder = resources.files("hass_frontend") / "static" / "translations"
        # <language>-<content hash>.json; "pt-<hash>" must not match "pt-BR-<hash>".
        name = re.compile(rf"{re.escape(language)}-[0-9a-f]+\.json")
        found = [entry for entry in folder.iterdir() if name.fullmatch(entry.name)]
    except (ModuleNotFoundError, OSError):
        return None
    if len(found) != 1:
        return None
    text = json.loads(found[0].read_text(encoding="utf-8")).get(key)
    return text if isinstance(text, str) and text else None


def dashboard_name(
    owner: Http, language: str, url_path: str = DASHBOARD_URL_PATH
) -> str:
    """Return the sidebar's name of the dashboard at ``url_path``."""
    (panels,) = websocket(owner, {"type": "get_panels"})
    title = panels.get(url_path, {}).get("title")
    if isinstance(title, str) and title:
        return title
    return frontend_text(language, DEFAULT_DASHBOARD_KEY) or FALLBACK
