"""Constants of the Private Tracker Stats integration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Final

from homeassistant.const import CONF_URL
from yarl import URL

from .api import AuthStyle

DOMAIN: Final = "tracker_stats"

CONF_TRACKER: Final = "tracker"
CONF_PLATFORM: Final = "platform"
CONF_AUTH_STYLE: Final = "auth_style"
CONF_API_PATH: Final = "api_path"
CONF_REMOTE_USER_ID: Final = "remote_user_id"
CONF_ENRICH: Final = "enrich"

UPDATE_INTERVAL: Final = timedelta(minutes=30)


class TrackerPlatform(StrEnum):
    """The tracker software an account runs on; stored in ``entry.data``."""

    GAZELLE = "gazelle"
    GGN = "ggn"

    @property
    def model(self) -> str:
        """Return the device model shown for accounts on this platform."""
        return "GazelleGames" if self is TrackerPlatform.GGN else "Gazelle"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackerPreset:
    """What the config flow knows about a tracker before the user types."""

    name: str
    platform: TrackerPlatform
    url: str = ""
    auth_style: AuthStyle = AuthStyle.TOKEN
    enrich: bool = True


GENERIC_GAZELLE: Final = "gazelle"

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
    ),
    "broadcasthenet": TrackerPreset(
        name="BroadcasTheNet",
        platform=TrackerPlatform.GAZELLE,
        url="https://broadcasthe.net",
    ),
    "passthepopcorn": TrackerPreset(
        name="PassThePopcorn",
        platform=TrackerPlatform.GAZELLE,
        url="https://passthepopcorn.me",
    ),
    "animebytes": TrackerPreset(
        name="AnimeBytes",
        platform=TrackerPlatform.GAZELLE,
        url="https://animebytes.tv",
    ),
    GENERIC_GAZELLE: TrackerPreset(
        name="Gazelle",
        platform=TrackerPlatform.GAZELLE,
        enrich=False,
    ),
    "gazellegames": TrackerPreset(
        name="GazelleGames",
        platform=TrackerPlatform.GGN,
        url="https://gazellegames.net",
    ),
}


def tracker_name(data: Mapping[str, Any]) -> str:
    """Return the tracker's display name; a generic fork is named by its host."""
    if data[CONF_TRACKER] == GENERIC_GAZELLE:
        return URL(data[CONF_URL]).host or TRACKER_PRESETS[GENERIC_GAZELLE].name
    return TRACKER_PRESETS[data[CONF_TRACKER]].name
