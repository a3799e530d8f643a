"""The folder map of the README holds: who imports whom, and how big files grow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
PACKAGE = REPO / "custom_components" / "tracker_stats"
MAX_PRODUCT_LINES = 300


def imported_roots(path: Path) -> set[str]:
    """Return the top-level names a file imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def python_files(folder: Path) -> list[Path]:
    """Return the Python files under ``folder``."""
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        (PACKAGE / "api", {"homeassistant", "custom_components", "demo_tracker"}),
        (REPO / "demo_tracker", {"homeassistant", "custom_components", "tests"}),
        (REPO / "tests", {"script", "scripts"}),
        (REPO / "script", {"tests"}),
    ],
    ids=["api", "demo_tracker", "tests", "script"],
)
def test_import_boundaries(folder: Path, forbidden: set[str]) -> None:
    """The library knows no Home Assistant; tests and tools never import each other."""
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_roots(path) & forbidden)
        for path in python_files(folder)
        if imported_roots(path) & forbidden
    }
    assert not offenders


def test_product_files_stay_small() -> None:
    """No file of the integration or its library grows past ~300 lines."""
    sizes = {
        str(path.relative_to(REPO)): len(path.read_text(encoding="utf-8").splitlines())
        for path in python_files(PACKAGE)
    }
    assert {
        name: lines for name, lines in sizes.items() if lines > MAX_PRODUCT_LINES
    } == {}
