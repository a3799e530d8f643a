"""Host names resolve through the resolver Home Assistant uses.

Home Assistant 2025.4.4 pins aiodns 3.2.0 but not pycares; pycares 5 changed
the call aiodns 3.2.0 makes, and then every host-name lookup fails while
loopback IPs (which every other test uses) still work. This resolves a name
the way Home Assistant's shared aiohttp session does, so a virtualenv with the
wrong pycares fails here rather than in a user's Home Assistant.
"""

from __future__ import annotations

import socket

from aiohttp.resolver import AsyncResolver
import pytest

pytestmark = pytest.mark.e2e


async def test_localhost_resolves_through_aiodns(socket_enabled: None) -> None:
    resolver = AsyncResolver()
    try:
        found = await resolver.resolve("localhost", 80, socket.AF_INET)
    finally:
        await resolver.close()
    assert {answer["host"] for answer in found} == {"127.0.0.1"}
