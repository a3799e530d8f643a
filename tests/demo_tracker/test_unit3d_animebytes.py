"""The demo tracker's UNIT3D and AnimeBytes routes, accounts and moving numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from demo_tracker import fixtures
from demo_tracker.accounts import DOWNLOAD_PER_STEP, GIB, UPLOAD_PER_STEP
from demo_tracker.platforms.unit3d import format_bytes, parse_bytes
from demo_tracker.state import DemoState
from demo_tracker.testing import DemoTracker

JSON = {"Accept": "application/json"}


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def get(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


def bearer(key: str) -> dict[str, str]:
    return {**JSON, "Authorization": f"Bearer {key}"}


async def test_unit3d_serves_both_shapes_and_the_ban(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """aither: v8.3.4 shape; blutopia: newer; u3d-banned: a bare message."""
    url = f"{demo.url}/api/user"
    assert await get(session, url, headers=bearer("demo-aither-key")) == (
        200,
        fixtures.load("unit3d", "user_v834"),
    )
    assert await get(session, url, headers=bearer("demo-blutopia-key")) == (
        200,
        fixtures.load("unit3d", "user"),
    )
    assert await get(session, url, headers=bearer("demo-u3d-banned-key")) == (
        200,
        fixtures.load("unit3d", "banned"),
    )
    status, body = await get(
        session, f"{url}?api_token=demo-blutopia-key", headers=JSON
    )
    assert (status, body["username"]) == (200, "DemoBlutopia")
    assert demo.state.accounts["u3d-banned"].username == "DemoBanned"


async def test_unit3d_auth_rules(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """JSON callers get 401 Unauthenticated; others the login page."""
    url = f"{demo.url}/api/user"
    assert await get(session, url, headers=bearer("wrong")) == (
        401,
        {"message": "Unauthenticated."},
    )
    assert await get(session, url, headers=JSON) == (
        401,
        {"message": "Unauthenticated."},
    )
    async with session.get(
        url, headers={"Authorization": "Bearer wrong"}, allow_redirects=False
    ) as response:
        assert (response.status, response.headers["Location"]) == (302, "/login")
    demo.state.set_fault("rate_limit", times=1, retry_after=9)
    async with session.get(url, headers=bearer("demo-aither-key")) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "9"
        assert await response.json() == {"message": "Rate limit exceeded"}
    assert [(r.endpoint, r.action, r.auth_style) for r in demo.state.requests][-1] == (
        "api/user",
        "user",
        "bearer",
    )


def test_unit3d_old_shape_moves_exactly_and_prints_rounded() -> None:
    """Exact counts underneath; unit strings, ratio string and headroom on top."""
    state = DemoState()
    aither, blutopia = state.accounts["aither"], state.accounts["blutopia"]
    up, down = aither.uploaded, aither.downloaded
    state.advance(3)
    assert aither.uploaded == up + 3 * UPLOAD_PER_STEP
    assert aither.downloaded == down + 3 * DOWNLOAD_PER_STEP
    user = aither.profile
    assert user["uploaded"] == format_bytes(aither.uploaded) == "500.26 GiB"
    assert user["ratio"] == f"{aither.uploaded / aither.downloaded:.2f}"
    assert user["buffer"] == format_bytes(aither.uploaded / 0.4 - aither.downloaded)
    assert isinstance(user["seeding"], list)
    new = blutopia.profile
    assert new["uploaded"] == blutopia.uploaded
    assert new["ratio"] == round(blutopia.uploaded / blutopia.downloaded, 2)
    assert new["buffer"] == blutopia.uploaded / 0.4 - blutopia.downloaded
    for account in (aither, blutopia):
        before = float(account.ratio)
        state.drop_ratio(account.name, 0.5)
        assert float(account.ratio) <= before - 0.5
    aither.set_bytes(aither.uploaded, 0)
    assert (aither.ratio, aither.downloaded) == ("∞", 0)
    # The newer shape keeps its last ratio field when nothing is downloaded.
    ratio = blutopia.ratio
    blutopia.set_bytes(blutopia.uploaded, 0)
    assert (blutopia.ratio, blutopia.downloaded) == (ratio, 0)


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 B"),
        (512, "512 B"),
        (1536, "1.5 KiB"),
        (50 * GIB, "50 GiB"),
        (int(500.25 * GIB), "500.25 GiB"),
        (-int(12.5 * GIB), "-12.5 GiB"),
        (3 * 1024**5, "3 PiB"),
        (2048 * 1024**5, "2048 PiB"),
    ],
)
def test_format_and_parse_bytes(count: int, text: str) -> None:
    """PHP-style unit strings, and back."""
    assert format_bytes(count) == text
    assert parse_bytes(text) == count
    with pytest.raises(ValueError, match="not a UNIT3D"):
        parse_bytes("lots")


async def test_animebytes_accounts_take_one_form_each(
    session: aiohttp.ClientSession, demo: DemoTracker
) -> None:
    """Account ab takes only Bearer, ab-raw only the raw key; errors in AB's body."""
    url = f"{demo.url}/api/stats/personal"
    unauthorized = (
        401,
        {"success": False, "error": "The request requires valid user authentication."},
    )
    assert await get(session, url, headers=bearer("demo-ab-key")) == (
        200,
        fixtures.load("animebytes", "personal"),
    )
    assert await get(session, url, headers={"Authorization": "demo-ab-key"}) == (
        unauthorized
    )
    status, body = await get(session, url, headers={"Authorization": "demo-ab-raw-key"})
    assert (status, body["class"], body["freeleech"]) == (
        200,
        "Torrent Master",
        1798761600,
    )
    assert await get(session, url, headers=bearer("demo-ab-raw-key")) == unauthorized
    assert await get(session, url) == unauthorized
    demo.state.set_fault("rate_limit_text", times=1)
    assert await get(session, url, headers=bearer("demo-ab-key")) == (
        200,
        {"success": False, "error": "Rate limit exceeded, slow down"},
    )
    assert [(r.auth_style, r.key_accepted) for r in demo.state.requests] == [
        ("bearer", True),
        ("raw", False),
        ("raw", True),
        ("bearer", False),
        (None, False),
        ("bearer", True),
    ]


def test_animebytes_numbers_move() -> None:
    """Account and raw bytes move together; yen accrues at the hourly rate."""
    state = DemoState()
    ab = state.accounts["ab"]
    personal = ab.documents["personal"]
    raw_before, yen_before = personal["upload"]["raw"], personal["yen"]["current"]
    state.advance(60)
    assert personal["upload"]["account"] == ab.uploaded
    assert personal["upload"]["raw"] == raw_before + 60 * UPLOAD_PER_STEP
    assert personal["yen"]["current"] == yen_before + 512
    assert ab.ratio == ab.uploaded / ab.downloaded
    assert ab.username == "ab"
    before = float(ab.ratio)
    state.drop_ratio("ab", 0.1)
    assert float(ab.ratio) <= before - 0.1
    ab.set_bytes(ab.uploaded, 0)
    assert ab.ratio == "∞"
