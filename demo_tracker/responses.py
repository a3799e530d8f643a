"""Small builders for the demo tracker's HTTP answers, and its HTML pages."""

from __future__ import annotations

from typing import Any

from aiohttp import web

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Login :: Demo Tracker</title></head>
<body><form class="auth_form" name="login" method="post" action="login.php">
<input type="text" name="username"><input type="password" name="password">
<input type="submit" value="Log in"></form></body></html>
"""
ERROR_PAGE = (
    "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1></body></html>"
)
NOT_FOUND_PAGE = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"


def json_answer(payload: Any, status: int = 200, **headers: str) -> web.Response:
    """Return ``payload`` as JSON with ``status`` and extra ``headers``."""
    return web.json_response(payload, status=status, headers=headers or None)


def html_answer(text: str, status: int = 200) -> web.Response:
    """Return an HTML page."""
    return web.Response(status=status, text=text, content_type="text/html")


def redirect_to(location: str) -> web.Response:
    """Return a 302 to ``location`` (how trackers send callers to their login)."""
    return web.Response(status=302, headers={"Location": location})


def retry_after_header(retry_after: int | None) -> dict[str, str]:
    """Return the Retry-After header for a rate limit, or none."""
    return {} if retry_after is None else {"Retry-After": str(retry_after)}
