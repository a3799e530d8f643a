"""Arbitrary JSON in any field of any platform's answer: bounded, in range, no leak.

Each case takes a real answer from the demo tracker's fixtures, replaces
values at random places with arbitrary JSON (huge numbers and exponents,
NaN, numeric text, deep nesting, wrong types, secrets), and serves it over
loopback HTTP to the platform's client. The client must return a
``TrackerStats`` whose values are in range, or raise a ``TrackerError``;
nothing else, quickly. No planted secret, and the key in no form, may come
back in any string it produces: the stats, the error and its whole chain
(as a traceback prints it), or a library log record at DEBUG.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime
import json
import logging
import time
from typing import Any, cast

import aiohttp
from aiohttp import web
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORMS,
    TrackerError,
    TrackerStats,
    create_client,
)
from demo_tracker.accounts import showcase_accounts
from demo_tracker.platforms import Call, Incoming

from .conftest import ScriptedReply, ScriptedTracker
from .leaks import Collector, assert_no_secret, error_texts, log_texts

SECRETS = (
    "planted-passkey-0123456789abcdef",
    "203.0.113.77",
    "victim@example.org",
    "IRC-KEY-zz9plural",
)
INT64_LIMIT = 2**63
# A correctness guard against the freezes found before (30 s per answer), not
# a speed goal: one answer must map far below this even on a loaded machine.
TIME_BOUND_SECONDS = 2.0


# Each platform's showcase demo account: its answers, and how the demo
# tracker wraps them.
SHOWCASES = showcase_accounts()


def _wrap(platform: str, payload: Any) -> Any:
    """Return ``payload`` in the envelope the platform's answer has."""
    account = SHOWCASES[platform]
    call = Call(
        request=cast("web.Request", None),
        incoming=Incoming(None, None, details={"id": 1}),
        account=account,
    )
    return account.rules.envelope(payload, call)


class RawToken(str):
    """JSON text written into the answer as it is: numbers no encoder writes."""

    __slots__ = ()


RAW_TOKENS = (
    "1e99999999999999999999",
    "-1e99999999999999999999",
    "1e-99999999999999999999",
    "1.5E+400",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 5000,
    "0." + "9" * 5000,
    "[" * 3000 + "]" * 3000,
)

json_leaf = st.one_of(
    st.sampled_from(RAW_TOKENS).map(RawToken),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "1e1000000",
            "9" * 5000,
            "-1",
            "1,5",
            "∞",
            "--",
            "18446744073709551616",
            "500.25 GiB",
            "9999-12-31 23:59:59+14:00",
            "0000-00-00 00:00:00",
            "x" * 300,
            *SECRETS,
            f"Request from {SECRETS[1]} denied, passkey={SECRETS[0]}",
        ]
    ),
    st.text(max_size=40),
)
json_values = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value in a JSON document."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> None:
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@st.composite
def hostile_answers(draw: st.DrawFn, platform: str) -> list[Any]:
    """Return the platform's documents with hostile values at random places."""
    documents = []
    # The documents in the order the client asks for them.
    for document in copy.deepcopy(SHOWCASES[platform].documents).values():
        paths = _paths(document)
        for path in draw(st.lists(st.sampled_from(paths), max_size=6)):
            try:
                _replace(document, path, draw(json_values))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier replacement removed the path
        documents.append(_wrap(platform, document))
    if draw(st.booleans()):
        # Now and then the whole answer, envelope included, is hostile.
        index = draw(st.integers(0, len(documents) - 1))
        documents[index] = draw(json_values)
    return documents


def to_wire(document: Any) -> bytes:
    """Return the document as JSON text, raw tokens written as they are."""
    tokens: list[str] = []

    def encode(node: Any) -> Any:
        if isinstance(node, RawToken):
            tokens.append(str(node))
            return f"\x00{len(tokens) - 1}\x00"
        if isinstance(node, dict):
            return {key: encode(value) for key, value in node.items()}
        if isinstance(node, list):
            return [encode(value) for value in node]
        return node

    text = json.dumps(encode(document))
    for index, token in enumerate(tokens):
        text = text.replace(f'"\\u0000{index}\\u0000"', token)
    return text.encode()


def _strings_of(stats: TrackerStats) -> list[str]:
    # avatar_url and platform_meta stay inside: out of repr, and diagnostics
    # show only numbers and flags of the meta.
    values = [
        getattr(stats, item.name)
        for item in dataclasses.fields(stats)
        if item.name not in ("avatar_url", "platform_meta")
    ]
    return [repr(stats), *(str(value) for value in values)]


def _check_in_range(stats: TrackerStats) -> None:
    for item in dataclasses.fields(stats):
        value = getattr(stats, item.name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            low = 1 if item.name == "remote_user_id" else 0
            assert low <= value < INT64_LIMIT, item.name
        elif isinstance(value, float):
            assert value == value and abs(value) < INT64_LIMIT, item.name  # noqa: PLR0124
            if item.name in ("ratio", "required_ratio"):
                assert value >= 0, item.name
        elif isinstance(value, str):
            assert len(value) <= 255, item.name
        elif isinstance(value, datetime):
            assert value.tzinfo is not None, item.name


def test_every_platform_is_covered() -> None:
    """A new platform gets hostile answers too: its showcase account's."""
    assert set(SHOWCASES) == set(PLATFORMS)


async def ask(
    scripted: ScriptedTracker, platform: str, documents: list[bytes]
) -> tuple[TrackerStats | TrackerError, list[logging.LogRecord]]:
    """Serve ``documents`` in order to a fresh client; return its outcome and logs."""
    scripted.queue = [ScriptedReply(200, body) for body in documents]
    scripted.reply = ScriptedReply(200, b"{}")
    collector = Collector()
    logger = logging.getLogger(api_library.__name__)
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    outcome: TrackerStats | TrackerError
    try:
        async with aiohttp.ClientSession() as session:
            client = create_client(
                platform,
                session,
                url=scripted.url,
                api_key=SECRETS[0],
                enrich=True,
                auth_style="bearer" if platform == "animebytes" else None,
            )
            try:
                outcome = await client.async_get_stats()
            except TrackerError as err:
                outcome = err
    finally:
        logger.removeHandler(collector)
        logger.setLevel(logging.NOTSET)
    return outcome, collector.records


def texts_of(outcome: TrackerStats | TrackerError) -> list[str]:
    """Return every string of ours an outcome reaches."""
    if isinstance(outcome, TrackerError):
        # Only the library's own tree, never a mapping bug in disguise.
        assert "could not be read" not in str(outcome), outcome
        return error_texts(outcome)
    _check_in_range(outcome)
    return _strings_of(outcome)


@pytest.mark.parametrize("platform", list(SHOWCASES))
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_any_answer_ends_in_stats_or_a_tracker_error(
    scripted: ScriptedTracker, platform: str, data: st.DataObject
) -> None:
    """Every platform maps any hostile answer safely, and leaks nothing."""
    documents = [to_wire(document) for document in data.draw(hostile_answers(platform))]
    started = time.monotonic()
    outcome, records = await ask(scripted, platform, documents)
    assert time.monotonic() - started < TIME_BOUND_SECONDS
    texts = [*texts_of(outcome), *log_texts(records)]
    assert_no_secret(texts, [SECRETS[0]])
    for text in texts:
        for secret in SECRETS[1:]:
            assert secret not in text, (platform, secret, text)


@pytest.mark.parametrize("token", RAW_TOKENS[:5])
@pytest.mark.parametrize("platform", list(SHOWCASES))
async def test_huge_exponents_in_every_field_are_unknown(
    scripted: ScriptedTracker, platform: str, token: str
) -> None:
    """1e99999999999999999999 anywhere: that field is unknown, the rest stands."""
    documents = SHOWCASES[platform].documents
    for name, document in documents.items():
        for path in _paths(document):
            changed = copy.deepcopy(document)
            _replace(changed, path, RawToken(token))
            served = [
                to_wire(_wrap(platform, changed if other == name else original))
                for other, original in documents.items()
            ]
            outcome, _records = await ask(scripted, platform, served)
            texts_of(outcome)


def _plant_everywhere(node: Any, text: str) -> Any:
    """Return the document with every string value replaced by ``text``."""
    if isinstance(node, dict):
        return {key: _plant_everywhere(value, text) for key, value in node.items()}
    if isinstance(node, list):
        return [_plant_everywhere(value, text) for value in node]
    return text if isinstance(node, str) else node


# How trackers echo secrets: the key itself, or named, or recognisable.
ECHOES = {
    SECRETS[0]: f"user key {SECRETS[0]}",
    "passkey-value-77": "announce?passkey=passkey-value-77",
    SECRETS[1]: f"Request from {SECRETS[1]} denied",
    SECRETS[2]: f"mail {SECRETS[2]}",
    SECRETS[3]: f"irc_key: {SECRETS[3]}",
}


@pytest.mark.parametrize("platform", list(SHOWCASES))
@pytest.mark.parametrize("secret", list(ECHOES))
async def test_secrets_in_every_text_field_never_come_back(
    scripted: ScriptedTracker, platform: str, secret: str
) -> None:
    """A tracker echoing a secret in any text field: no string of ours holds it."""
    planted = ECHOES[secret]
    answers = [
        _wrap(platform, _plant_everywhere(document, planted))
        for document in SHOWCASES[platform].documents.values()
    ]

    outcome, _records = await ask(scripted, platform, [to_wire(a) for a in answers])
    texts = texts_of(outcome)
    for text in texts:
        assert secret not in text, (platform, text)
