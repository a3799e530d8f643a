"""The platform registry: one line per platform the demo tracker fakes.

To add a platform: a module here with a ``Platform`` subclass and its
instance ``PLATFORM`` (see ``base.py``), its seed answers in
``fixtures/<name>/``, and its line in ``PLATFORMS`` below. The demo runs
without Home Assistant, so it does not import the library's list;
tests/api/test_specs.py fails until the two name the same platforms.
"""

from __future__ import annotations

from . import animebytes, btn, gazelle, ggn, mam, nebulance, unit3d
from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route

# Where two platforms share a route, the first whose claims() is true answers.
PLATFORMS: tuple[Platform, ...] = (
    gazelle.PLATFORM,
    ggn.PLATFORM,
    unit3d.PLATFORM,
    animebytes.PLATFORM,
    btn.PLATFORM,
    mam.PLATFORM,
    nebulance.PLATFORM,
)

__all__ = [
    "PLATFORMS",
    "AccountSpec",
    "Call",
    "Credential",
    "Incoming",
    "Platform",
    "Render",
    "Route",
    "known_actions",
    "platform_named",
    "platforms_by_route",
]


def platform_named(name: str) -> Platform:
    """Return the registered platform called ``name``; ValueError if none is."""
    for platform in PLATFORMS:
        if platform.name == name:
            return platform
    raise ValueError(f"unknown platform {name!r}")


def known_actions() -> frozenset[str]:
    """Return every action name a fault can be scoped to."""
    return frozenset().union(*(platform.actions for platform in PLATFORMS))


def platforms_by_route() -> dict[Route, list[Platform]]:
    """Return the platforms answering on each route, in registry order."""
    routes: dict[Route, list[Platform]] = {}
    for platform in PLATFORMS:
        for route in platform.routes:
            routes.setdefault(route, []).append(platform)
    return routes
