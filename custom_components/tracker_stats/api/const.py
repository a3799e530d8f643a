"""Constants shared by the tracker clients."""

from __future__ import annotations

from typing import Final

__version__: Final = "0.3.0"

LIBRARY_USER_AGENT: Final = f"tracker-stats-api/{__version__}"
DEFAULT_TIMEOUT_SECONDS: Final = 30.0
# Real answers are a few KiB; the largest, UNIT3D 8.3.4's torrent lists
# (~100 bytes a torrent), still fits 2,500 torrents. Decoding costs up to
# ~30 bytes of memory and ~0.1 us per byte of dense JSON (a list of short
# fractions), so this cap keeps one answer under ~10 MB and ~30 ms of event
# loop; docs/performance.md has the figures.
MAX_BODY_BYTES: Final = 256 * 1024
