"""The platforms the library speaks, read from their specs, and the factory."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from types import MappingProxyType
from typing import Final

import aiohttp

from .client import TrackerClient
from .spec import AuthStyle, PlatformSpec, TrackerPlatform


def _spec_of(platform: TrackerPlatform) -> PlatformSpec:
    """Return the spec the module named after ``platform`` declares."""
    spec = getattr(import_module(f"{__package__}.{platform}"), "SPEC", None)
    if not isinstance(spec, PlatformSpec) or spec.platform != platform:
        raise TypeError(f"Module {platform} declares no PlatformSpec of its own")
    return spec


# Each platform's module is named by its id; TrackerPlatform's order is the
# order the setup flow lists platforms (and their presets, site by site).
PLATFORM_SPECS: Final[Mapping[str, PlatformSpec]] = MappingProxyType(
    {platform: _spec_of(platform) for platform in TrackerPlatform}
)
"""Platform id → its spec; every other registry is derived from this."""

PLATFORMS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {platform: spec.fields for platform, spec in PLATFORM_SPECS.items()}
)
"""Platform id → the ``TrackerStats`` fields its API can fill."""


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
    absolute http(s) URL, or an ``auth_style`` the platform does not take.
    Options a platform has no use for are ignored.
    """
    spec = PLATFORM_SPECS[TrackerPlatform(platform)]
    return spec.client(
        session,
        url=url,
        api_key=api_key,
        auth_style=auth_style,
        api_path=api_path,
        enrich=enrich,
        remote_user_id=remote_user_id,
        user_agent=user_agent,
    )
