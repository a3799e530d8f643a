"""Constants shared by the tracker clients."""

from __future__ import annotations

from typing import Final

__version__: Final = "0.3.0"

LIBRARY_USER_AGENT: Final = f"tracker-stats-api/{__version__}"
DEFAULT_TIMEOUT_SECONDS: Final = 30.0
# Real answers are a few KiB; anything far larger is not a stats answer.
MAX_BODY_BYTES: Final = 2 * 1024 * 1024
