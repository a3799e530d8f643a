"""Fixtures for the demo tracker's own tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _allow_sockets(socket_enabled: None) -> None:
    """Let every test here use real loopback sockets (pytest-socket blocks them)."""
