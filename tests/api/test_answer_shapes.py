"""Answer shapes found by the third hostile round, platform by platform."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    AuthStyle,
    TrackerAuthError,
    TrackerRateLimitError,
    create_client,
)
from custom_components.tracker_stats.api.btn import DEFAULT_RATE_LIMIT_BACKOFF
from demo_tracker import fixtures

from .conftest import ScriptedReply, ScriptedTracker

KEY = "Kq7Wm2Xp9Lr4Tz8Vn3Bc6Hd1Fs5Jg0Ay"
# As long as a UNIT3D token: 200 characters of name and this pass 255.
LONG_KEY = "".join(f"{n:02d}Kq" for n in range(34))[:100]
AB_REFUSAL = {
    "success": False,
    "error": "The request requires valid user authentication.",
}


async def test_animebytes_refusal_in_a_200_tries_the_other_form(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Bearer refused with HTTP 200 {"success": false}: the raw key is tried next."""
    good = json.dumps(fixtures.load("animebytes", "personal"))
    scripted.queue = [ScriptedReply(200, json.dumps(AB_REFUSAL))]
    scripted.reply = ScriptedReply(200, good)
    client = create_client("animebytes", session, url=scripted.url, api_key=KEY)
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes is not None
    assert client.auth_style is AuthStyle.RAW
    assert [request.headers["Authorization"] for request in scripted.seen] == [
        f"Bearer {KEY}",
        KEY,
    ]


async def test_animebytes_both_forms_refused_is_a_rejected_key(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """Both forms refused in a 200 answer: a reauth, after exactly two requests."""
    scripted.reply = ScriptedReply(200, json.dumps(AB_REFUSAL))
    client = create_client("animebytes", session, url=scripted.url, api_key=KEY)
    with pytest.raises(TrackerAuthError):
        await client.async_get_stats()
    assert len(scripted.seen) == 2


@pytest.mark.parametrize(
    ("platform", "document", "wrap"),
    [
        ("animebytes", "personal", lambda answer: answer),
        ("nebulance", "user_info_bare", lambda answer: answer),
        (
            "nebulance",
            "user_info",
            lambda answer: {"status": "success", "response": answer},
        ),
    ],
)
async def test_error_null_next_to_a_full_answer_is_success(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    platform: str,
    document: str,
    wrap: Any,
) -> None:
    """``"error": null`` beside the statistics is no error."""
    answer = {**wrap(fixtures.load(platform, document)), "error": None}
    scripted.reply = ScriptedReply(200, json.dumps(answer))
    client = create_client(
        platform, session, url=scripted.url, api_key=KEY, auth_style=None
    )
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes is not None


@pytest.mark.parametrize("status", [200, 403, 429, 500, 503])
@pytest.mark.parametrize(
    ("body", "content_type"),
    [("Call Limit Exceeded", "text/plain"), ("Call Limit Exceeded\n", "")],
)
async def test_btn_plain_text_call_limit_backs_off(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    status: int,
    body: str,
    content_type: str,
) -> None:
    """BTN's plain-text call limit, on any status: back off like its 503."""
    scripted.reply = ScriptedReply(status, body, content_type=content_type)
    client = create_client("btn", session, url=scripted.url, api_key=KEY)
    with pytest.raises(TrackerRateLimitError) as caught:
        await client.async_get_stats()
    assert caught.value.retry_after == DEFAULT_RATE_LIMIT_BACKOFF


@pytest.mark.parametrize(
    ("platform", "field_path"),
    [
        ("unit3d", ("username",)),
        ("unit3d", ("group",)),
        ("btn", ("result", "Class")),
        ("btn", ("result", "Username")),
        ("mam", ("username",)),
        ("nebulance", ("Username",)),
    ],
)
async def test_names_are_redacted_before_they_are_cut(
    session: aiohttp.ClientSession,
    scripted: ScriptedTracker,
    platform: str,
    field_path: tuple[str, ...],
) -> None:
    """200 x "x" + a 100-character key: cut first, 55 key characters would stay."""
    names = {
        "unit3d": "user_v834",
        "btn": "user_info",
        "mam": "json_load",
        "nebulance": "user_info",
    }
    answer = fixtures.load(platform, names[platform])
    if platform == "btn":
        answer = {"id": 1, "result": answer}
    holder = answer
    for step in field_path[:-1]:
        holder = holder[step]
    holder[field_path[-1]] = "x" * 200 + LONG_KEY
    scripted.reply = ScriptedReply(200, json.dumps(answer))
    client = create_client(platform, session, url=scripted.url, api_key=LONG_KEY)
    stats = await client.async_get_stats()
    shown = stats.username if field_path[-1].lower() == "username" else stats.group
    assert shown is not None
    assert len(shown) <= 255
    assert shown.startswith("x" * 200)
    tail = shown.removeprefix("x" * 200)
    for start in range(len(LONG_KEY) - 3):
        assert LONG_KEY[start : start + 4] not in tail, tail
