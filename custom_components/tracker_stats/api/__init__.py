"""Typed async client for private BitTorrent trackers' statistics APIs.

Knows nothing of Home Assistant: give ``create_client`` a platform id, an
``aiohttp.ClientSession``, the tracker's URL and the account's secret, and
``await client.async_get_stats()`` returns one ``TrackerStats`` per call.
"""

from .animebytes import AnimeBytesClient
from .btn import BTNClient
from .client import TrackerClient
from .const import __version__
from .derived import below_required_ratio, download_headroom
from .exceptions import (
    TrackerAuthError,
    TrackerConnectionError,
    TrackerError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from .gazelle import DEFAULT_API_PATH, GazelleClient
from .ggn import GGnClient
from .mam import MAMClient
from .models import STAT_FIELDS, UNKNOWN_GROUP, TrackerStats
from .nebulance import NebulanceClient
from .platforms import PLATFORM_SPECS, PLATFORMS, create_client
from .spec import AccountIdentity, AuthStyle, PlatformSpec, Site, TrackerPlatform
from .unit3d import Unit3dClient

__all__ = [
    "DEFAULT_API_PATH",
    "PLATFORMS",
    "PLATFORM_SPECS",
    "STAT_FIELDS",
    "UNKNOWN_GROUP",
    "AccountIdentity",
    "AnimeBytesClient",
    "AuthStyle",
    "BTNClient",
    "GGnClient",
    "GazelleClient",
    "MAMClient",
    "NebulanceClient",
    "PlatformSpec",
    "Site",
    "TrackerAuthError",
    "TrackerClient",
    "TrackerConnectionError",
    "TrackerError",
    "TrackerPlatform",
    "TrackerRateLimitError",
    "TrackerResponseError",
    "TrackerStats",
    "Unit3dClient",
    "__version__",
    "below_required_ratio",
    "create_client",
    "download_headroom",
]
