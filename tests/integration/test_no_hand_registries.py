"""No list of every platform is kept by hand: each is derived from the specs.

A platform is added by its own files (its library module and spec, its demo
tracker module and fixtures, its step's texts); a list elsewhere that names
the platforms, their sites or their showcase demo accounts one by one would
need an edit, and is forgotten. The one list is ``TrackerPlatform``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from custom_components.tracker_stats.api import PLATFORM_SPECS
from demo_tracker.accounts import showcase_accounts

REPO = Path(__file__).parents[2]
SCANNED = ("custom_components", "demo_tracker", "tests")
# Where the platform ids are declared, once.
THE_ONE_LIST = Path("custom_components/tracker_stats/api/spec.py")
# What a hand-kept registry names one by one.
NAMES = {
    "platform ids": frozenset(PLATFORM_SPECS),
    "sites": frozenset(
        site.id for spec in PLATFORM_SPECS.values() for site in spec.sites
    ),
    "showcase accounts": frozenset(
        account.name for account in showcase_accounts().values()
    ),
}


def _named(node: ast.AST) -> str | None:
    """Return the name a node spells out: a string, an enum member, a module, a step."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "TrackerPlatform"
    ):
        return node.attr.lower()
    if isinstance(node, ast.alias):
        return node.name
    # A flow's step per platform, written out: async_step_gazelle = ...
    if isinstance(node, ast.Name | ast.FunctionDef | ast.AsyncFunctionDef):
        name = node.id if isinstance(node, ast.Name) else node.name
        return name.removeprefix("async_step_")
    return None


def hand_lists(source: str) -> list[tuple[str, list[str]]]:
    """Return what of each kind ``source`` names nearly all of, one by one.

    All but one count: a file that lacks only the newest platform keeps a list.
    """
    spelled = {name for node in ast.walk(ast.parse(source)) if (name := _named(node))}
    return [
        (kind, sorted(spelled & names))
        for kind, names in NAMES.items()
        if len(names) > 2 and len(spelled & names) >= len(names) - 1
    ]


def test_the_scan_sees_a_hand_list() -> None:
    """The check below would catch a table of the platforms, or of all but one."""
    every = ", ".join(f'"{platform}": None' for platform in list(PLATFORM_SPECS)[1:])
    assert [kind for kind, _ in hand_lists(f"TABLE = {{{every}}}")] == ["platform ids"]
    imports = ", ".join(sorted(PLATFORM_SPECS))
    assert hand_lists(f"from . import {imports}")
    steps = "\n".join(
        f"    async_step_{platform} = step" for platform in PLATFORM_SPECS
    )
    assert hand_lists(f"class Flow:\n{steps}\n")
    assert not hand_lists('PAIR = ("gazelle", "ggn")')


def test_no_registry_is_kept_by_hand() -> None:
    """Derive the list from PLATFORM_SPECS or the demo tracker's accounts instead."""
    found = {
        str(path.relative_to(REPO)): lists
        for folder in SCANNED
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.relative_to(REPO) != THE_ONE_LIST
        and (lists := hand_lists(path.read_text(encoding="utf-8")))
    }
    assert not found
