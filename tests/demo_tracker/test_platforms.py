"""The platform registry, and a platform plugged in from outside it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from demo_tracker import accounts as accounts_module, fixtures, platforms
from demo_tracker.accounts import Account, demo_accounts
from demo_tracker.faults import FAULT_MODES, Fault
from demo_tracker.platforms import (
    PLATFORMS,
    AccountSpec,
    Call,
    Credential,
    Incoming,
    Platform,
    Render,
    Route,
    known_actions,
    platform_named,
    platforms_by_route,
)
from demo_tracker.state import DemoState
from demo_tracker.testing import DemoTracker, running_demo_tracker


def test_registry_is_consistent() -> None:
    """Unique names; every route and action known; styles declared."""
    names = [platform.name for platform in PLATFORMS]
    # Found by module name; each platform's own test checks its routes and actions.
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert {"index", "user", "quick_user"} <= known_actions()
    routes = platforms_by_route()
    assert routes[Route("GET", "/ajax.php")] == [platform_named("gazelle")]
    # On the api.php GGn, Nebulance and Anthelion share, each claims its own
    # requests (GGn's name a request=, Nebulance's a method, Anthelion's
    # carry its keys); the first in name order answers what none claims.
    shared = routes[Route("GET", "/api.php")]
    assert platform_named("ggn") in shared
    assert shared == sorted(shared, key=lambda platform: platform.name)
    for account in demo_accounts().values():
        assert account.auth_style in account.rules.auth_styles
    with pytest.raises(ValueError, match="unknown platform"):
        platform_named("nowhere")


def test_every_fault_has_a_platform_answer() -> None:
    """Each mode but hang maps to a fault_* method of the base class."""
    call: Any = None
    gazelle = platform_named("gazelle")
    for mode in FAULT_MODES:
        if mode == "hang":
            continue
        answer = gazelle.fault_answer(Fault(mode), {"username": "x"}, call)
        assert isinstance(answer, web.StreamResponse), mode


def test_credential_repr_hides_the_secret() -> None:
    """A credential that reaches a log shows how it came, not what it is."""
    assert "demo-red-key" not in repr(Credential("raw", "demo-red-key"))


# --- a platform added the way the five new ones will be ----------------------


class EchoPlatform(Platform):
    """A minimal JSON platform: Bearer token, one answer, own failure body."""

    name = "echo"
    routes = (Route("GET", "/api/echo"), Route("GET", "/api.php"))
    actions = frozenset({"echo"})
    auth_styles = ("bearer",)
    summary_document = "echo"
    profile_document = "echo"
    demo_accounts = (
        AccountSpec(
            name="echo",
            user_id=5,
            preset="echo",
            auth_style="bearer",
            documents={"echo": "index"},
            customize=lambda documents: documents["echo"].update(username="Echo"),
        ),
    )

    def claims(self, request: web.Request) -> bool:
        return "echo" in request.query

    async def read(self, request: web.Request) -> Incoming:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        credential = Credential("bearer", token) if token != header else None
        return Incoming("echo", credential)

    def unauthorized(self, incoming: Incoming) -> web.StreamResponse:
        return self.failure("Unauthenticated.", 401)

    def respond(self, call: Call) -> web.StreamResponse | Render:
        account = call.account
        return lambda: account.documents["echo"]

    def success(self, payload: Any, call: Call) -> web.StreamResponse:
        return web.json_response(payload)

    def failure(self, error: str, status: int, **headers: str) -> web.Response:
        return web.json_response({"message": error}, status=status, headers=headers)

    def byte_counts(self, account: Account) -> tuple[int, int]:
        stats = account.documents["echo"]["userstats"]
        return stats["uploaded"], stats["downloaded"]

    def ratio(self, account: Account) -> float | str:
        return account.documents["echo"]["userstats"]["ratio"]  # type: ignore[no-any-return]

    def write_bytes(
        self, account: Account, uploaded: int, downloaded: int, now: str
    ) -> None:
        account.documents["echo"]["userstats"].update(
            uploaded=uploaded, downloaded=downloaded
        )


@pytest.fixture
def with_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register EchoPlatform after the built-in ones (its fixture: Gazelle's)."""
    echo = EchoPlatform()
    registry = (*PLATFORMS, echo)
    monkeypatch.setattr(platforms, "PLATFORMS", registry)
    monkeypatch.setattr(accounts_module, "PLATFORMS", registry)
    # Fixtures live in fixtures/<name>/; echo borrows Gazelle's for the test.
    load = fixtures.load
    monkeypatch.setattr(
        fixtures,
        "load",
        lambda platform, name: load(
            "gazelle" if platform == "echo" else platform, name
        ),
    )


@pytest.fixture
async def echo_tracker(with_echo: None) -> AsyncIterator[DemoTracker]:
    async with running_demo_tracker() as tracker:
        yield tracker


async def test_a_plugged_in_platform_gets_routes_faults_and_log(
    echo_tracker: DemoTracker,
) -> None:
    """Routes, shared routes, auth, own envelope, faults and the log, no core edit."""
    demo = echo_tracker
    assert "echo" in demo.state.accounts
    assert "echo" in known_actions()
    bearer = {"Authorization": "Bearer demo-echo-key"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{demo.url}/api/echo", headers=bearer) as response:
            assert response.status == 200
            body = await response.json()
        assert (body["username"], body["id"]) == ("Echo", 12345)
        async with session.get(f"{demo.url}/api/echo") as response:
            assert (response.status, await response.json()) == (
                401,
                {"message": "Unauthenticated."},
            )
        # A shared path: GGn keeps its requests, echo takes the ones it claims.
        async with session.get(
            f"{demo.url}/api.php?request=quick_user&key=demo-ggn-key"
        ) as response:
            assert (await response.json())["response"]["username"] == "ExampleUser"
        async with session.get(f"{demo.url}/api.php?echo=1", headers=bearer) as r:
            assert (await r.json())["username"] == "Echo"
        demo.state.set_fault("rate_limit", times=1, retry_after=3, actions=["echo"])
        async with session.get(f"{demo.url}/api/echo", headers=bearer) as response:
            assert response.status == 429
            assert response.headers["Retry-After"] == "3"
            assert await response.json() == {"message": "Rate limit exceeded"}
        demo.state.set_fault("wrong_shape", times=1)
        async with session.get(f"{demo.url}/api/echo", headers=bearer) as response:
            assert await response.json() == []
    assert [
        (r.endpoint, r.action, r.auth_style, r.key_accepted, r.status)
        for r in demo.state.requests
    ] == [
        ("api/echo", "echo", "bearer", True, 200),
        ("api/echo", "echo", None, False, 401),
        ("api.php", "quick_user", "query", True, 200),
        ("api.php", "echo", "bearer", True, 200),
        ("api/echo", "echo", "bearer", True, 429),
        ("api/echo", "echo", "bearer", True, 200),
    ]
    demo.state.advance(1)
    assert demo.state.accounts["echo"].uploaded > 536870912000


def test_state_without_the_plugin_has_no_echo_account() -> None:
    """The monkeypatched registry does not leak into other tests."""
    assert "echo" not in DemoState().accounts
