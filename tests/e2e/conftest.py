"""The end-to-end fixture: a session whose processes stop whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .driver import stop
from .session import Session


@pytest.fixture
def e2e(socket_enabled: None, tmp_path: Path) -> Iterator[Session]:
    """Start the demo tracker; stop it and Home Assistant whatever happens."""
    with (tmp_path / "processes.log").open("wb") as log:
        session = Session(tmp_path, log)
        try:
            session.start_tracker()
            yield session
        finally:
            session.ha.stop()
            stop(session.tracker)
