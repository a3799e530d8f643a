"""Reading a response body with a hard cap, inflating it ourselves.

aiohttp inflates a compressed body a whole network read at a time, with no
bound on the output: a few hundred KiB of gzip can become hundreds of MiB
before any size check runs. So requests go out with aiohttp's decompression
off, and the raw bytes are inflated here with ``max_length``, never holding
more than the cap.
"""

from __future__ import annotations

from typing import Final
import zlib

import aiohttp

# The encodings inflate_capped can bound; requests ask for these only.
ACCEPT_ENCODING: Final = "gzip, deflate"
_READ_CHUNK_BYTES: Final = 64 * 1024
_GZIP_WBITS: Final = 16 + zlib.MAX_WBITS
_ZLIB_WBITS: Final = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS: Final = -zlib.MAX_WBITS
# A zlib stream starts with CMF, whose low four bits name deflate (8). Some
# servers send raw deflate under "deflate"; aiohttp tells them apart the same way.
_ZLIB_METHOD_DEFLATE: Final = 8


class BodyError(Exception):
    """The body is unusable; the message completes "The <call> answer of <host> …"."""


class _Inflater:
    """Inflates one gzip or deflate stream, refusing output beyond a limit."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._encoding = encoding
        self._limit = limit
        self._produced = 0
        self._decompressor: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        if not data:
            return b""
        if self._decompressor is None:
            self._decompressor = zlib.decompressobj(self._wbits(data[0]))
        decompressor = self._decompressor
        if decompressor.eof:
            raise BodyError(f"has data after its {self._encoding} stream")
        room = self._limit - self._produced
        try:
            # One byte more than there is room for tells "too large" apart
            # from "exactly full" without inflating anything further.
            output = decompressor.decompress(data, room + 1)
        except zlib.error:
            raise BodyError(f"is not valid {self._encoding} data") from None
        self._produced += len(output)
        if self._produced > self._limit:
            raise BodyError("is too large")
        if decompressor.unused_data:
            raise BodyError(f"has data after its {self._encoding} stream")
        return output

    def finish(self) -> None:
        if self._decompressor is None or not self._decompressor.eof:
            raise BodyError(f"ends inside its {self._encoding} stream")

    def _wbits(self, first_byte: int) -> int:
        if self._encoding == "gzip":
            return _GZIP_WBITS
        if first_byte & 0x0F == _ZLIB_METHOD_DEFLATE:
            return _ZLIB_WBITS
        return _RAW_DEFLATE_WBITS


def _content_encoding(response: aiohttp.ClientResponse) -> str | None:
    """Return "gzip", "deflate" or None (identity); refuse anything else."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return "gzip"
    if encoding == "deflate":
        return "deflate"
    # Stacked encodings and ones we never asked for (br, zstd, …).
    raise BodyError("uses a content encoding that was not asked for")


async def read_capped_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Return the (inflated) body; raise BodyError beyond ``limit`` bytes.

    The response must have been requested with ``auto_decompress=False``.
    Both the bytes on the wire and the inflated bytes are capped.
    """
    encoding = _content_encoding(response)
    inflater = _Inflater(encoding, limit) if encoding else None
    body = bytearray()
    received = 0
    async for chunk in response.content.iter_chunked(_READ_CHUNK_BYTES):
        received += len(chunk)
        if received > limit:
            raise BodyError("is too large")
        body += inflater.feed(chunk) if inflater else chunk
        if len(body) > limit:
            raise BodyError("is too large")
    if inflater:
        inflater.finish()
    return bytes(body)
