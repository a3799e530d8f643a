"""What the owner's browser does in Home Assistant: flows, states, websocket.

Everything goes through Home Assistant's REST and websocket APIs, as the
frontend's own calls do; nothing reaches into the process.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp

from .driver import DOMAIN, Http

FLOWS = "/api/config/config_entries/flow"
OPTIONS_FLOWS = "/api/config/config_entries/options/flow"


def start_flow(ha: Http, tracker: str) -> dict[str, Any]:
    """Open the config flow and pick the tracker; return the credentials form."""
    flow = ha.call("POST", FLOWS, {"handler": DOMAIN})
    return ha.call(  # type: ignore[no-any-return]
        "POST", f"{FLOWS}/{flow['flow_id']}", {"tracker": tracker}
    )


def submit(ha: Http, flow: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Submit a config flow's form; return what the flow shows next."""
    return ha.call(  # type: ignore[no-any-return]
        "POST", f"{FLOWS}/{flow['flow_id']}", fields
    )


def add_account(ha: Http, tracker: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Walk the config flow: pick the tracker, then submit the credentials."""
    return submit(ha, start_flow(ha, tracker), fields)


def _options_form(ha: Http, entry_id: str) -> tuple[str, dict[str, Any]]:
    form = ha.call("POST", OPTIONS_FLOWS, {"handler": entry_id})
    shown = {field["name"]: field.get("default") for field in form["data_schema"]}
    return form["flow_id"], shown


def options_shown(ha: Http, entry_id: str) -> dict[str, Any]:
    """Open the entry's options, read what the form shows, close it."""
    flow_id, shown = _options_form(ha, entry_id)
    ha.call("DELETE", f"{OPTIONS_FLOWS}/{flow_id}")
    return shown


def set_options(ha: Http, entry_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Open the entry's options, change some, submit; return the flow's result.

    A field the form shows empty is left out of the answer, as the frontend
    leaves it out: an empty optional option is not set.
    """
    flow_id, shown = _options_form(ha, entry_id)
    kept = {name: value for name, value in shown.items() if value is not None}
    return ha.call(  # type: ignore[no-any-return]
        "POST", f"{OPTIONS_FLOWS}/{flow_id}", {**kept, **changes}
    )


def config_entries(ha: Http) -> list[dict[str, Any]]:
    """Return our config entries as the integrations page lists them."""
    return ha.call(  # type: ignore[no-any-return]
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
    )


def states(ha: Http, prefix: str) -> dict[str, str]:
    """Return the states of entities whose object id starts with ``prefix``."""
    return {
        s["entity_id"]: s["state"]
        for s in ha.call("GET", "/api/states")
        if s["entity_id"].split(".", 1)[1].startswith(prefix)
    }


def state(ha: Http, entity_id: str) -> dict[str, Any]:
    """Return one entity's state object (state and attributes)."""
    return ha.call("GET", f"/api/states/{entity_id}")  # type: ignore[no-any-return]


def update_entity(ha: Http, entity_id: str, timeout: float = 60) -> None:
    """Ask for a poll now, as a user's automation does."""
    ha.call(
        "POST",
        "/api/services/homeassistant/update_entity",
        {"entity_id": entity_id},
        timeout=timeout,
    )


def refresh_until(ha: Http, entity_id: str, wanted: str, seconds: float = 40) -> str:
    """Ask for refreshes until ``entity_id`` shows ``wanted``; return the last state.

    Home Assistant debounces on-demand refreshes (10 s), so one call may wait.
    """
    deadline = time.monotonic() + seconds
    shown = ""
    while time.monotonic() < deadline:
        update_entity(ha, entity_id)
        time.sleep(2)
        shown = state(ha, entity_id)["state"]
        if shown == wanted:
            break
    return shown


async def _session(ha: Http, run: Any) -> Any:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ha.base.replace("http", "ws", 1) + "/api/websocket") as ws,
    ):
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": ha.token})
        reply = await ws.receive_json()
        if reply.get("type") != "auth_ok":
            raise RuntimeError(f"websocket auth: {reply}")
        return await run(ws)


def websocket(ha: Http, *commands: dict[str, Any]) -> list[Any]:
    """Run websocket commands in order; return their results."""

    async def run(ws: aiohttp.ClientWebSocketResponse) -> list[Any]:
        results = []
        for number, command in enumerate(commands, start=1):
            await ws.send_json({"id": number, **command})
            reply = await ws.receive_json()
            if not reply.get("success", False):
                raise RuntimeError(f"{command['type']}: {reply.get('error')}")
            results.append(reply["result"])
        return results

    return asyncio.run(_session(ha, run))  # type: ignore[no-any-return]


def persistent_notifications(ha: Http) -> dict[str, dict[str, Any]]:
    """Return the persistent notifications shown now, by notification id.

    The frontend subscribes; the first event lists every current one.
    """

    async def run(ws: aiohttp.ClientWebSocketResponse) -> dict[str, dict[str, Any]]:
        await ws.send_json({"id": 1, "type": "persistent_notification/subscribe"})
        reply = await ws.receive_json()
        if not reply.get("success", False):
            raise RuntimeError(f"subscribe: {reply.get('error')}")
        event = await asyncio.wait_for(ws.receive_json(), 10)
        return event["event"]["notifications"]  # type: ignore[no-any-return]

    return asyncio.run(_session(ha, run))  # type: ignore[no-any-return]


def repair_issues(ha: Http) -> dict[str, dict[str, Any]]:
    """Return our repair issues, by issue id, as Settings → Repairs lists them."""
    issues = websocket(ha, {"type": "repairs/list_issues"})[0]["issues"]
    return {i["issue_id"]: i for i in issues if i["domain"] == DOMAIN}


def registry_entities(ha: Http, prefix: str) -> dict[str, dict[str, Any]]:
    """Return the entity registry's entries whose object id starts with ``prefix``."""
    entries = websocket(ha, {"type": "config/entity_registry/list"})[0]
    return {
        e["entity_id"]: e
        for e in entries
        if e["entity_id"].split(".", 1)[1].startswith(prefix)
    }


def reauth_offered(ha: Http) -> bool:
    flows = websocket(ha, {"type": "config_entries/flow/progress"})[0]
    return any(f["context"].get("source") == "reauth" for f in flows)
