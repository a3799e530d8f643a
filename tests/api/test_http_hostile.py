"""Hostile wire cases: every one ends in a TrackerError, in bounded time and memory.

A raw TCP server sends bytes no well-behaved HTTP server would, so the test
controls the framing, headers and encodings exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import functools
import gzip
import time
import tracemalloc
import zlib

import aiohttp
import pytest

from custom_components.tracker_stats.api import (
    GazelleClient,
    TrackerConnectionError,
    TrackerError,
    TrackerResponseError,
)
from custom_components.tracker_stats.api.const import MAX_BODY_BYTES

from .conftest import RawTracker, ScriptedReply, ScriptedTracker, head, whole

KEY = "Zx9Qw8Er7Ty6Ui5Op4As3Df2"
SUCCESS_INDEX = (
    b'{"status":"success","response":{"username":"U","id":1,"userstats":{}}}'
)
# A bomb inflates to this much; the library must never hold more than a sliver.
BOMB_INFLATED_BYTES = 128 * 1024 * 1024
PEAK_MEMORY_LIMIT = 20 * 1024 * 1024


@functools.cache
def zeros_compressed(wbits: int) -> bytes:
    """Return BOMB_INFLATED_BYTES of zeros compressed (gzip, zlib or raw deflate)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, wbits)
    block = bytes(1024 * 1024)
    parts = [
        compressor.compress(block) for _ in range(BOMB_INFLATED_BYTES // len(block))
    ]
    parts.append(compressor.flush())
    return b"".join(parts)


def client(
    session: aiohttp.ClientSession, url: str, timeout: float = 5.0
) -> GazelleClient:
    """Build a Gazelle client without enrichment."""
    return GazelleClient(session, url, KEY, enrich=False, request_timeout=timeout)


async def fails_bounded(
    session: aiohttp.ClientSession,
    raw: RawTracker,
    error: type[TrackerError] = TrackerResponseError,
    *,
    request_timeout: float = 5.0,
    seconds: float = 3.0,
) -> TrackerError:
    """Ask once; the answer must be ``error`` within ``seconds`` and 20 MB."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(error) as caught:
            await client(session, raw.url, request_timeout).async_get_stats()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < seconds
    assert peak < PEAK_MEMORY_LIMIT, f"peak {peak / 2**20:.1f} MiB"
    assert KEY not in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [
        ("gzip", 16 + zlib.MAX_WBITS),
        ("deflate", zlib.MAX_WBITS),
        ("deflate", -zlib.MAX_WBITS),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
async def test_compression_bomb_is_cut_off(
    session: aiohttp.ClientSession, raw: RawTracker, encoding: str, wbits: int
) -> None:
    """A few hundred KiB that inflate to 128 MiB are refused without inflating them."""
    raw.respond = whole(zeros_compressed(wbits), f"Content-Encoding: {encoding}")
    error = await fails_bounded(session, raw, seconds=10.0)
    assert "too large" in str(error)


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
        ("identity", lambda data: data),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw", "identity"],
)
async def test_compressed_answers_still_work(
    session: aiohttp.ClientSession,
    raw: RawTracker,
    encoding: str,
    compress: Callable[[bytes], bytes],
) -> None:
    """Honest compressed answers decode as before."""
    raw.respond = whole(compress(SUCCESS_INDEX), f"Content-Encoding: {encoding}")
    stats = await client(session, raw.url).async_get_stats()
    assert stats.username == "U"


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (b"not gzip at all", "gzip"),
        (gzip.compress(SUCCESS_INDEX)[:-12], "gzip"),
        (gzip.compress(SUCCESS_INDEX) + b"trailing", "gzip"),
        (b"\x1b\x00\x00", "br"),
        (gzip.compress(gzip.compress(SUCCESS_INDEX)), "gzip, gzip"),
    ],
    ids=["corrupt", "truncated", "trailing-garbage", "unasked-brotli", "stacked"],
)
async def test_bad_encodings_are_response_errors(
    session: aiohttp.ClientSession, raw: RawTracker, body: bytes, encoding: str
) -> None:
    """Corrupt, truncated or unrequested encodings are the tracker's fault."""
    raw.respond = whole(body, f"Content-Encoding: {encoding}")
    await fails_bounded(session, raw)


async def test_only_gzip_and_deflate_are_asked_for(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """The library can bound gzip and deflate only, so it asks for nothing else."""
    seen: list[bytes] = []

    async def record(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        seen.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(
            head("200 OK", f"Content-Length: {len(SUCCESS_INDEX)}") + SUCCESS_INDEX
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(record, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        await client(session, url).async_get_stats()
    finally:
        server.close()
    assert b"\r\nAccept-Encoding: gzip, deflate\r\n" in seen[0]


async def test_huge_header_line(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """One 1 MiB header line is refused, not buffered."""

    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(head("200 OK", "X-Junk: " + "a" * 1024 * 1024))

    raw.respond = respond
    await fails_bounded(session, raw, TrackerError)


async def test_endless_headers(session: aiohttp.ClientSession, raw: RawTracker) -> None:
    """Headers that never end are cut off by the request timeout."""

    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\n")
        for number in range(10**6):
            writer.write(f"X-Junk-{number}: {'a' * 100}\r\n".encode())
            await writer.drain()
            await asyncio.sleep(0.001)

    raw.respond = respond
    await fails_bounded(session, raw, TrackerError, request_timeout=0.5)


async def test_endless_chunked_body_is_capped(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """A chunked body that never ends is refused at the size cap."""

    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(
                "200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked"
            )
        )
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)
        while True:
            writer.write(chunk)
            await writer.drain()

    raw.respond = respond
    error = await fails_bounded(session, raw)
    assert "too large" in str(error)


async def test_trickled_chunked_body_times_out(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """A chunked body trickling one byte at a time ends at the request timeout."""

    async def respond(writer: asyncio.StreamWriter) -> None:
        writer.write(
            head(
                "200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked"
            )
        )
        while True:
            writer.write(b"1\r\n \r\n")
            await writer.drain()
            await asyncio.sleep(0.01)

    raw.respond = respond
    error = await fails_bounded(
        session, raw, TrackerConnectionError, request_timeout=0.5
    )
    assert "did not answer" in str(error)


@pytest.mark.parametrize(
    "body",
    [
        b'{"status":"success","response":' + b"[" * 200 + b"]" * 200 + b"}",
        b'{"status":"success","response":{"username":"U","id":1,"userstats":{"ratio":'
        + b'{"a":' * 200
        + b"1"
        + b"}" * 200
        + b"}}}",
        b"[" * 1_000_000 + b"]" * 1_000_000,
        b'{"a":' * 400_000 + b"1" + b"}" * 400_000,
    ],
    ids=["deep-envelope", "deep-field", "deeper-than-recursion-limit", "deep-objects"],
)
async def test_deeply_nested_json(
    session: aiohttp.ClientSession, raw: RawTracker, body: bytes
) -> None:
    """Valid but absurdly nested JSON is a wrong shape or unreadable, never a crash."""
    raw.respond = whole(body)
    try:
        await fails_bounded(session, raw, TrackerError)
    except pytest.fail.Exception:
        # A deep value where a number belongs may also read as "unknown".
        if b"userstats" not in body:
            raise


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'{"status":"success","response":{"username":"\xff\xfe"}}',
            "application/json",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "application/json"),
        (b"<html><body>Welcome</body></html>", "application/json"),
        (b"\x00" * 1000, "text/html"),
        ('{"status":"success"}'.encode("utf-32-be")[:-1], "application/json"),
    ],
    ids=["invalid-utf8", "png-as-json", "html-as-json", "nul-as-html", "broken-utf32"],
)
async def test_undecodable_or_mislabelled_bodies(
    session: aiohttp.ClientSession, raw: RawTracker, body: bytes, content_type: str
) -> None:
    """Bytes that are not JSON, whatever the Content-Type claims, are response errors."""
    raw.respond = whole(body, content_type=content_type)
    await fails_bounded(session, raw)


async def test_json_labelled_as_html_is_still_read(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """A fork sending JSON as text/html still works: the body decides, not the label."""
    raw.respond = whole(SUCCESS_INDEX, content_type="text/html; charset=iso-8859-1")
    assert (await client(session, raw.url).async_get_stats()).username == "U"


async def test_session_closed_under_a_request(raw: RawTracker) -> None:
    """Closing the session mid-request (Home Assistant's stop) is a connection error."""
    never = asyncio.Event()

    async def hang(writer: asyncio.StreamWriter) -> None:
        await never.wait()

    raw.respond = hang
    session = aiohttp.ClientSession()
    request = asyncio.create_task(client(session, raw.url).async_get_stats())
    await asyncio.sleep(0.1)
    await session.close()
    with pytest.raises(TrackerConnectionError) as caught:
        await asyncio.wait_for(request, 1)
    assert caught.value.__cause__ is None
    with pytest.raises(TrackerConnectionError, match="session closed"):
        await client(session, raw.url).async_get_stats()


async def test_a_float_literal_byte_count_stays_exact(
    session: aiohttp.ClientSession, scripted: ScriptedTracker
) -> None:
    """5.0e17 written as a JSON float is read exactly, not through a float."""
    exact = 2**62 + 1
    body = (
        '{"status": "success", "response": {"username": "u", "id": 1,'
        f' "userstats": {{"uploaded": {exact}.0, "downloaded": 1.0}}}}}}'
    )
    scripted.reply = ScriptedReply(200, body)
    client = GazelleClient(session, scripted.url, "k", enrich=False)
    stats = await client.async_get_stats()
    assert stats.uploaded_bytes == exact
    assert stats.downloaded_bytes == 1


def _dense(item: bytes) -> bytes:
    """Return ``[item,item,...]`` as long as the body cap allows."""
    count = (MAX_BODY_BYTES - 2) // (len(item) + 1)
    return b"[" + b",".join([item] * count) + b"]"


@pytest.mark.parametrize(
    "item", [b"0.1", b"1e99999999999999999999", b"7", b"[]", b"{}", b'"a"']
)
async def test_densest_answers_under_the_cap_stay_cheap(
    session: aiohttp.ClientSession, raw: RawTracker, item: bytes
) -> None:
    """Every tiny JSON value is an object: at the cap one answer stays under 20 MB.

    The time each costs is in docs/performance.md (script/bench/answer_cost.py).
    """
    body = _dense(item)
    assert len(body) <= MAX_BODY_BYTES
    raw.respond = whole(body)
    await fails_bounded(session, raw)


async def test_one_byte_over_the_cap_is_refused(
    session: aiohttp.ClientSession, raw: RawTracker
) -> None:
    """The cap is exact."""
    raw.respond = whole(b" " * MAX_BODY_BYTES + b"{}")
    error = await fails_bounded(session, raw)
    assert "too large" in str(error)
