"""Point tests/api at the installed tracker_stats_api wheel instead of the repository.

scripts/test's wheel phase builds the wheel, installs it in a venv without Home
Assistant and sets TRACKER_STATS_API_FROM_WHEEL=1. tests/api/conftest.py then
calls ``alias_installed_library`` before any test module is imported, so that
every ``custom_components.tracker_stats.api[.x]`` the tests import is the
installed ``tracker_stats_api[.x]``: the same module object, not a copy.

The parents ``custom_components`` and ``custom_components.tracker_stats`` become
empty stand-ins with no search path. Their real ``__init__`` needs Home
Assistant, and with nothing to search, any import of integration code fails
loudly instead of quietly loading the repository's files.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
import pkgutil
import sys
from types import ModuleType

FROM_WHEEL_ENV = "TRACKER_STATS_API_FROM_WHEEL"
REPO_PACKAGE = "custom_components.tracker_stats.api"
WHEEL_PACKAGE = "tracker_stats_api"
REPO_ROOT = Path(__file__).resolve().parents[2]


def wheel_requested() -> bool:
    """Return whether this run is the wheel phase's."""
    return os.environ.get(FROM_WHEEL_ENV) == "1"


def stand_in(name: str) -> ModuleType:
    """Register an empty package that finds no submodules of its own."""
    module = ModuleType(name, "Empty stand-in: only the API library is here.")
    module.__path__ = []
    sys.modules[name] = module
    return module


def alias_installed_library() -> ModuleType:
    """Alias the repository's module names to the installed wheel; return it.

    Raises RuntimeError when the alias could not take effect: the repository's
    package was imported already, or the library did not come from the wheel.
    """
    already = [name for name in sys.modules if name.startswith("custom_components")]
    if already:
        raise RuntimeError(f"imported from the repository before the alias: {already}")
    library = importlib.import_module(WHEEL_PACKAGE)
    location = Path(library.__file__ or "").resolve()
    if "site-packages" not in location.parts or location.is_relative_to(REPO_ROOT):
        raise RuntimeError(f"{WHEEL_PACKAGE} is not the installed wheel: {location}")

    custom_components = stand_in("custom_components")
    tracker_stats = stand_in("custom_components.tracker_stats")
    custom_components.tracker_stats = tracker_stats  # type: ignore[attr-defined]
    tracker_stats.api = library  # type: ignore[attr-defined]
    sys.modules[REPO_PACKAGE] = library
    for submodule in pkgutil.walk_packages(library.__path__, f"{WHEEL_PACKAGE}."):
        suffix = submodule.name.removeprefix(WHEEL_PACKAGE)
        sys.modules[REPO_PACKAGE + suffix] = importlib.import_module(submodule.name)
    return library
