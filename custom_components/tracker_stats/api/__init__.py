"""Typed async client for private BitTorrent trackers' statistics APIs.

Knows nothing of Home Assistant: give it an ``aiohttp.ClientSession``, a
tracker URL and an API key, and it returns one ``TrackerStats`` per call.
"""

from .const import __version__
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from .gazelle import DEFAULT_API_PATH, AuthStyle, GazelleClient
from .ggn import GGnClient
from .models import UNKNOWN_GROUP, TrackerStats

__all__ = [
    "DEFAULT_API_PATH",
    "UNKNOWN_GROUP",
    "AuthStyle",
    "GGnClient",
    "GazelleClient",
    "TrackerAuthError",
    "TrackerConnectionError",
    "TrackerError",
    "TrackerRateLimitError",
    "TrackerResponseError",
    "TrackerStats",
    "__version__",
]
