"""The tracker platforms the library speaks, what each can fill, and the factory."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import aiohttp

from .animebytes import AnimeBytesClient
from .btn import BTNClient
from .client import AuthStyle, TrackerClient
from .gazelle import GazelleClient
from .ggn import GGnClient
from .mam import MAMClient
from .nebulance import NebulanceClient
from .unit3d import Unit3dClient


class TrackerPlatform(StrEnum):
    """The API dialect an account speaks."""

    GAZELLE = "gazelle"
    GGN = "ggn"
    UNIT3D = "unit3d"
    ANIMEBYTES = "animebytes"
    BTN = "btn"
    MAM = "mam"
    NEBULANCE = "nebulance"

    @property
    def display_name(self) -> str:
        """Return the platform's name as people know it (a device's model)."""
        return _DISPLAY_NAMES[self]


_DISPLAY_NAMES: Final = {
    TrackerPlatform.GAZELLE: "Gazelle",
    TrackerPlatform.GGN: "GazelleGames",
    TrackerPlatform.UNIT3D: "UNIT3D",
    TrackerPlatform.ANIMEBYTES: "AnimeBytes",
    TrackerPlatform.BTN: "BroadcasTheNet",
    TrackerPlatform.MAM: "MyAnonamouse",
    TrackerPlatform.NEBULANCE: "Nebulance",
}

_TRANSFER: Final = frozenset(
    {"uploaded_bytes", "downloaded_bytes", "ratio", "buffer_bytes"}
)
_ACCOUNT: Final = frozenset({"username", "group", "remote_user_id"})
_SWARM: Final = frozenset({"seeding_count", "leeching_count"})
_GAZELLE_FAMILY: Final = frozenset(
    {
        "bonus_points",
        "bonus_points_per_hour",
        "required_ratio",
        "warned",
        "snatched_count",
        "joined_date",
        "last_access_date",
    }
)

# Platform → the TrackerStats fields its API can fill (platforms.md).
PLATFORMS: Final[dict[str, frozenset[str]]] = {
    TrackerPlatform.GAZELLE: _TRANSFER
    | _ACCOUNT
    | _SWARM
    | _GAZELLE_FAMILY
    | {"freeleech_tokens", "unread_messages"},
    TrackerPlatform.GGN: _TRANSFER
    | _ACCOUNT
    | _SWARM
    | _GAZELLE_FAMILY
    | {
        "hit_and_runs",
        "share_score",
        "seed_size_bytes",
        "next_class",
        "next_class_points",
    },
    TrackerPlatform.UNIT3D: _TRANSFER
    | _SWARM
    | {
        "username",
        "group",
        "bonus_points",
        "hit_and_runs",
        "freeleech_tokens",
        "seed_size_bytes",
    },
    TrackerPlatform.ANIMEBYTES: _TRANSFER
    | _SWARM
    | {
        "group",
        "bonus_points",
        "bonus_points_per_hour",
        "hit_and_runs",
        "snatched_count",
        "seed_size_bytes",
    },
    TrackerPlatform.BTN: _TRANSFER
    | _ACCOUNT
    | {"bonus_points", "hit_and_runs", "snatched_count", "joined_date"},
    TrackerPlatform.MAM: _TRANSFER
    | _ACCOUNT
    | _SWARM
    | {
        "bonus_points",
        "hit_and_runs",
        "freeleech_tokens",
        "unread_messages",
        "unsatisfied_count",
        "unsatisfied_limit",
        "vip_until",
    },
    TrackerPlatform.NEBULANCE: _TRANSFER
    | _ACCOUNT
    | {
        "seeding_count",
        "bonus_points",
        "hit_and_runs",
        "snatched_count",
        "seed_size_bytes",
        "joined_date",
        "last_access_date",
    },
}


def create_client(
    platform: str,
    session: aiohttp.ClientSession,
    *,
    url: str,
    api_key: str,
    auth_style: AuthStyle | str | None = None,
    api_path: str | None = None,
    enrich: bool = False,
    remote_user_id: int | None = None,
    user_agent: str | None = None,
) -> TrackerClient:
    """Return the client for ``platform``.

    Raises ``ValueError`` for an unknown platform, a URL that is not an
    absolute http(s) URL, or options the platform does not take.
    """
    match TrackerPlatform(platform):
        case TrackerPlatform.GAZELLE:
            return GazelleClient(
                session,
                url=url,
                api_key=api_key,
                auth_style=auth_style,
                api_path=api_path,
                enrich=enrich,
                remote_user_id=remote_user_id,
                user_agent=user_agent,
            )
        case TrackerPlatform.GGN:
            return GGnClient(
                session,
                url=url,
                api_key=api_key,
                remote_user_id=remote_user_id,
                user_agent=user_agent,
            )
        case TrackerPlatform.UNIT3D:
            return Unit3dClient(
                session, url=url, api_key=api_key, user_agent=user_agent
            )
        case TrackerPlatform.ANIMEBYTES:
            return AnimeBytesClient(
                session,
                url=url,
                api_key=api_key,
                auth_style=auth_style,
                user_agent=user_agent,
            )
        case TrackerPlatform.BTN:
            return BTNClient(
                session,
                url=url,
                api_key=api_key,
                remote_user_id=remote_user_id,
                user_agent=user_agent,
            )
        case TrackerPlatform.MAM:
            return MAMClient(
                session,
                url=url,
                api_key=api_key,
                remote_user_id=remote_user_id,
                user_agent=user_agent,
            )
        case TrackerPlatform.NEBULANCE:
            return NebulanceClient(
                session,
                url=url,
                api_key=api_key,
                remote_user_id=remote_user_id,
                user_agent=user_agent,
            )
