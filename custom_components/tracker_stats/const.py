"""Constants of the Private Tracker Stats integration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from homeassistant.const import CONF_URL
from yarl import URL

from .api import AuthStyle, TrackerPlatform

DOMAIN: Final = "tracker_stats"

CONF_TRACKER: Final = "tracker"
CONF_PLATFORM: Final = "platform"
CONF_AUTH_STYLE: Final = "auth_style"
CONF_API_PATH: Final = "api_path"
CONF_REMOTE_USER_ID: Final = "remote_user_id"
CONF_ENRICH: Final = "enrich"
CONF_RATIO_DROP: Final = "ratio_drop"
CONF_STALE_MINUTES: Final = "stale_minutes"

# Account health (Contract v3). An option left empty is not stored: the
# required ratio is then the tracker's, the limits are not judged.
CONF_REQUIRED_RATIO: Final = "required_ratio"
CONF_FORECAST_DAYS: Final = "forecast_days"
CONF_HIT_AND_RUN_LIMIT: Final = "hit_and_run_limit"
CONF_HEADROOM_MIN: Final = "headroom_min"  # GiB
DEFAULT_FORECAST_DAYS: Final = 7
MAX_REQUIRED_RATIO: Final = 10.0
MAX_HIT_AND_RUN_LIMIT: Final = 10_000
MAX_HEADROOM_MIN_GIB: Final = 1024.0**2  # a pebibyte

UPDATE_INTERVAL: Final = timedelta(minutes=30)
# Fired with each alert, for the logbook line that names it.
EVENT_ALERT: Final = f"{DOMAIN}_alert"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackerPreset:
    """What the config flow knows about a tracker before the user types."""

    name: str
    platform: TrackerPlatform
    url: str = ""
    auth_style: AuthStyle | None = None
    enrich: bool = True
    # The site's own host where the API lives elsewhere: accounts are named
    # by it, so an account is the same whichever address its API has.
    account_host: str | None = None


def _preset(name: str, platform: TrackerPlatform, url: str = "") -> TrackerPreset:
    return TrackerPreset(name=name, platform=platform, url=url)


GENERIC_GAZELLE: Final = "gazelle"
GENERIC_UNIT3D: Final = "unit3d"
# Presets of the first release that no platform can serve any more.
RETIRED_TRACKERS: Final = {"passthepopcorn": "PassThePopcorn"}

TRACKER_PRESETS: Final[dict[str, TrackerPreset]] = {
    "redacted": TrackerPreset(
        name="Redacted",
        platform=TrackerPlatform.GAZELLE,
        url="https://redacted.sh",
        auth_style=AuthStyle.RAW,
    ),
    "orpheus": TrackerPreset(
        name="Orpheus",
        platform=TrackerPlatform.GAZELLE,
        url="https://orpheus.network",
        auth_style=AuthStyle.TOKEN,
    ),
    GENERIC_GAZELLE: TrackerPreset(
        name="Gazelle",
        platform=TrackerPlatform.GAZELLE,
        auth_style=AuthStyle.TOKEN,
        enrich=False,
    ),
    "gazellegames": _preset(
        "GazelleGames", TrackerPlatform.GGN, "https://gazellegames.net"
    ),
    "aither": _preset("Aither", TrackerPlatform.UNIT3D, "https://aither.cc"),
    "blutopia": _preset("Blutopia", TrackerPlatform.UNIT3D, "https://blutopia.cc"),
    "lst": _preset("LST", TrackerPlatform.UNIT3D, "https://lst.gg"),
    "onlyencodes": _preset(
        "OnlyEncodes", TrackerPlatform.UNIT3D, "https://onlyencodes.cc"
    ),
    GENERIC_UNIT3D: _preset("UNIT3D", TrackerPlatform.UNIT3D),
    "animebytes": _preset(
        "AnimeBytes", TrackerPlatform.ANIMEBYTES, "https://animebytes.tv"
    ),
    "broadcasthenet": TrackerPreset(
        name="BroadcasTheNet",
        platform=TrackerPlatform.BTN,
        url="https://api.broadcasthe.net",
        account_host="broadcasthe.net",
    ),
    "myanonamouse": _preset(
        "MyAnonamouse", TrackerPlatform.MAM, "https://www.myanonamouse.net"
    ),
    "nebulance": _preset(
        "Nebulance", TrackerPlatform.NEBULANCE, "https://nebulance.io"
    ),
}
GENERIC_TRACKERS: Final = frozenset({GENERIC_GAZELLE, GENERIC_UNIT3D})


def tracker_name(data: Mapping[str, Any]) -> str:
    """Return the tracker's display name; a generic site is named by its host."""
    tracker = data[CONF_TRACKER]
    if tracker in RETIRED_TRACKERS:
        return RETIRED_TRACKERS[tracker]
    if tracker in GENERIC_TRACKERS:
        return URL(data[CONF_URL]).host or TRACKER_PRESETS[tracker].name
    return TRACKER_PRESETS[tracker].name
