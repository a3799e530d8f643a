"""BroadcasTheNet: JSON-RPC ``POST /`` with ``{"method": "userInfo", "params": [KEY]}``.

BTN's own ways to fail: an unknown key is a JSON-RPC error -32001 (HTTP 200),
too many calls are "Call Limit Exceeded" (fault ``rate_limit_text``) or an
HTTP 503 (fault ``rate_limit``), and a request without a key is an HTTP 401.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web

from demo_tracker.responses import json_answer, retry_after_header

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

if TYPE_CHECKING:
    from demo_tracker.faults import Fault

INVALID_KEY_CODE = -32001
CALL_LIMIT_CODE = -32002
METHOD_NOT_FOUND_CODE = -32601
SERVER_ERROR_CODE = -32000
# At most this much of a request body is read: a key is short.
MAX_BODY = 64 * 1024


def rpc_error(
    code: int, message: str, request_id: Any = None, status: int = 200, **headers: str
) -> web.Response:
    """Return a JSON-RPC error; like BTN's, it has no "jsonrpc" member."""
    return json_answer(
        {"id": request_id, "error": {"code": code, "message": message}},
        status,
        **headers,
    )


class BroadcasTheNet(Platform):
    """The key is the first JSON-RPC parameter; every value is a string."""

    name = "btn"
    routes = (Route("POST", "/"),)
    actions = frozenset({"userInfo"})
    auth_styles = ("rpc",)
    summary_document = "user_info"
    username_key = "Username"
    byte_keys = ("Upload", "Download")
    bytes_as_text = True
    ratio_key = None  # clients compute it
    stats_fields = frozenset({"Upload", "Download", "Bonus", "HnR", "Snatches"})
    wrong_types: ClassVar[Mapping[str, Any]] = {
        "Upload": "lots",
        "Download": None,
        "Bonus": {},
        "Class": 7,
        "JoinDate": "yesterday",
        "Snatches": -4,
    }
    demo_accounts = (
        AccountSpec(
            "btn", 81234, "broadcasthenet", documents={"user_info": "user_info"}
        ),
    )

    async def read(self, request: web.Request) -> Incoming:
        """Read the JSON-RPC method, id and key from the body."""
        try:
            body = json.loads(await request.content.read(MAX_BODY))
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return Incoming(None, None)
        params = body.get("params")
        key = params[0] if isinstance(params, list) and params else None
        method = body.get("method")
        return Incoming(
            method if isinstance(method, str) else None,
            Credential("rpc", key) if isinstance(key, str) and key else None,
            details={"id": body.get("id")},
        )

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        """No key at all is HTTP 401; a key BTN does not know is -32001."""
        if incoming.credential is None:
            return web.Response(status=401, text="Unauthorized")
        return rpc_error(
            INVALID_KEY_CODE, "Invalid API Key", incoming.details.get("id")
        )

    def respond(self, call: Call) -> web.StreamResponse | Render:
        """Serve userInfo; other methods are not faked."""
        if call.incoming.action != "userInfo":
            return rpc_error(
                METHOD_NOT_FOUND_CODE,
                "Method not found",
                call.incoming.details.get("id"),
            )
        account = call.account
        return lambda: account.documents["user_info"]

    def envelope(self, payload: Any, call: Call) -> Any:
        """Answer ``{"id": …, "result": …}``, without "jsonrpc" as BTN does."""
        return {"id": call.incoming.details.get("id"), "result": payload}

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        """Return a JSON-RPC server error."""
        return rpc_error(SERVER_ERROR_CODE, error, None, status, **headers)

    def fault_rate_limit(self, fault: Fault, payload: Any, call: Call) -> web.Response:
        """BTN throttles with HTTP 503 (Retry-After only when the fault sets one)."""
        return web.Response(
            status=503,
            text="Service Unavailable",
            headers=retry_after_header(fault.retry_after),
        )

    def fault_rate_limit_text(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Over 150 calls an hour: a JSON-RPC error saying so."""
        return rpc_error(
            CALL_LIMIT_CODE, "Call Limit Exceeded", call.incoming.details.get("id")
        )

    def fault_malformed_json(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer JSON cut off half way."""
        return web.Response(
            text='{"id": 1, "result": {"Username": ', content_type="application/json"
        )

    def fault_failure_message(
        self, fault: Fault, payload: Any, call: Call
    ) -> web.Response:
        """Answer -32001, as for a key revoked since the request began."""
        return rpc_error(
            INVALID_KEY_CODE, "Invalid API Key", call.incoming.details.get("id")
        )


PLATFORM = BroadcasTheNet()
