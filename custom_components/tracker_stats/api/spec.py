"""What each platform is, declared once: every registry is derived from these.

A platform module declares one ``PlatformSpec``: its id, the name people know
it by, its client, the statistics it can fill, how an account is named, what
the setup form asks beyond URL and key, and the sites (presets) that run it.
``PLATFORM_SPECS``, ``PLATFORMS``, ``create_client``, the platform's display
name and the integration's presets are all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import TrackerClient


class TrackerPlatform(StrEnum):
    """The API dialect an account speaks (``entry.data["platform"]``).

    The one list of platform ids, in the order the setup flow shows them;
    each id names the module that declares its ``PlatformSpec``.
    """

    GAZELLE = "gazelle"
    GGN = "ggn"
    UNIT3D = "unit3d"
    ANIMEBYTES = "animebytes"
    BTN = "btn"
    MAM = "mam"
    NEBULANCE = "nebulance"
    HUNO = "huno"
    ANTHELION = "anthelion"
    SPEEDAPP = "speedapp"
    MILKIE = "milkie"

    @property
    def display_name(self) -> str:
        """Return the platform's name as people know it (a device's model)."""
        from .platforms import PLATFORM_SPECS  # noqa: PLC0415 - specs import this

        return PLATFORM_SPECS[self].display_name


class AuthStyle(StrEnum):
    """How a key goes into the ``Authorization`` header."""

    TOKEN = "token"  # noqa: S105 - a header style, not a secret
    """``Authorization: token KEY`` (most Gazelle forks, Orpheus)."""
    RAW = "raw"
    """``Authorization: KEY`` (Redacted; AnimeBytes for some accounts)."""
    BEARER = "bearer"
    """``Authorization: Bearer KEY`` (AnimeBytes)."""


class AccountIdentity(StrEnum):
    """How the setup flow tells one account of a site from another."""

    USER_ID = "user_id"
    """The numeric user id the tracker's answer holds."""
    USERNAME = "username"
    """The user name the tracker's answer holds (no id is sent)."""
    TYPED_USERNAME = "typed_username"
    """A user name the user types: the answer holds neither (AnimeBytes)."""


FLOW_FIELDS = ("auth_style", "api_path", "username")
"""The credential-step fields beyond URL and key a platform may ask for."""


@dataclass(frozen=True, slots=True)
class Site:
    """A tracker running a platform: a preset of the setup flow.

    A site with no ``url`` is the generic "any other site of this platform"
    entry, named by its host once the user typed it.
    """

    id: str
    name: str
    url: str = ""
    auth_style: AuthStyle | None = None
    enrich: bool = True
    # The site's own host where the API lives elsewhere: accounts are named
    # by it, so an account is the same whichever address its API has.
    account_host: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformSpec:
    """Everything the library and the integration need to know of a platform."""

    platform: TrackerPlatform
    display_name: str
    client: type[TrackerClient]
    fields: frozenset[str]
    identity: AccountIdentity
    flow_fields: tuple[str, ...] = ()
    auth_styles: tuple[AuthStyle, ...] = ()
    sites: tuple[Site, ...] = ()
    # The setup form's error key when the tracker rejects the secret: each
    # platform's secret is its own kind of thing to check.
    rejected_key_error: str = "invalid_auth"

    def __post_init__(self) -> None:
        """Check the declaration, and give the client its spec."""
        unknown = set(self.flow_fields) - set(FLOW_FIELDS)
        if unknown:
            raise ValueError(f"unknown flow fields {sorted(unknown)}")
        if "auth_style" in self.flow_fields and not self.auth_styles:
            raise ValueError("auth_style is asked for, but no style is offered")
        # The client validates its options against the spec it belongs to.
        self.client.spec = self
