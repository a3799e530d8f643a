"""The platform registry: every module here but ``base`` fakes one platform.

To add a platform: a module here with a ``Platform`` subclass and its
instance ``PLATFORM`` (see ``base.py``), and its seed answers in
``fixtures/<name>/``. The demo runs without Home Assistant, so it does not
import the library's list; tests/api/test_specs.py fails until the two name
the same platforms.
"""

from __future__ import annotations

from importlib import import_module
from pkgutil import iter_modules

from .base import AccountSpec, Call, Credential, Incoming, Platform, Render, Route


def _discovered() -> tuple[Platform, ...]:
    """Return the ``PLATFORM`` of every platform module, by module name."""
    platforms = []
    for module in sorted(info.name for info in iter_modules(__path__)):
        if module == "base":
            continue
        platform = import_module(f"{__name__}.{module}").PLATFORM
        if not isinstance(platform, Platform) or platform.name != module:
            raise TypeError(f"Module {module} declares no Platform of its own")
        platforms.append(platform)
    return tuple(platforms)


# Where two platforms share a route, the first whose claims() is true answers
# (and, when none does, the first on the route).
PLATFORMS: tuple[Platform, ...] = _discovered()

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
