"""What HACS and hassfest check before the repository can be published."""

from __future__ import annotations

import ast
from collections.abc import Callable
import json
from pathlib import Path
import re
import sys
import tomllib

from awesomeversion import AwesomeVersion
from PIL import Image
import pytest

from custom_components.tracker_stats.api import __version__ as api_version
from custom_components.tracker_stats.const import DOMAIN

REPO = Path(__file__).parents[2]
PACKAGE = REPO / "custom_components" / DOMAIN
API = PACKAGE / "api"
OLDEST_HOME_ASSISTANT = "2025.4.0"

# hacs/integration: the keys hacs.json may hold.
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}
# hassfest's schema for a custom integration's manifest.
MANIFEST_REQUIRED = {"domain", "name", "codeowners", "documentation", "version"}
MANIFEST_ALLOWED = MANIFEST_REQUIRED | {
    "after_dependencies",
    "bluetooth",
    "config_flow",
    "dependencies",
    "dhcp",
    "homekit",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "mqtt",
    "quality_scale",
    "requirements",
    "single_config_entry",
    "ssdp",
    "usb",
    "zeroconf",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
    "virtual",
}
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?")


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_hacs_json() -> None:
    """Only keys HACS knows; a name; the oldest Home Assistant we support."""
    hacs = load_json(REPO / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert isinstance(hacs["name"], str)
    assert hacs["name"]
    assert hacs["homeassistant"] == OLDEST_HOME_ASSISTANT
    assert AwesomeVersion(hacs["homeassistant"]).valid
    assert isinstance(hacs.get("render_readme", False), bool)
    # The integration must be where HACS looks for it.
    assert not hacs.get("content_in_root", False)
    assert (REPO / "custom_components").is_dir()
    assert [p.name for p in (REPO / "custom_components").iterdir() if p.is_dir()] == [
        DOMAIN
    ]


def test_manifest_schema() -> None:
    """Hassfest's required and allowed keys, and the values it checks."""
    manifest = load_json(PACKAGE / "manifest.json")
    assert MANIFEST_REQUIRED <= set(manifest) <= MANIFEST_ALLOWED
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == PACKAGE.name
    assert SEMVER.fullmatch(manifest["version"])
    assert AwesomeVersion(manifest["version"]).valid
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest["integration_type"] in INTEGRATION_TYPES
    for key in ("documentation", "issue_tracker"):
        assert manifest[key].startswith("https://")
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    # No requirements: everything the API layer needs ships with Home Assistant.
    assert manifest["requirements"] == []


def test_changelog_names_the_manifest_version() -> None:
    """The release notes HACS shows start with the version being released."""
    version = load_json(PACKAGE / "manifest.json")["version"]
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\S+)", changelog, flags=re.MULTILINE)
    assert headings[0] == version


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("icon.png", lambda w, h: (w, h) == (256, 256)),
        ("icon@2x.png", lambda w, h: (w, h) == (512, 512)),
        ("logo.png", lambda w, h: 128 <= min(w, h) <= 256 and w >= h),
        ("logo@2x.png", lambda w, h: 256 <= min(w, h) <= 512 and w >= h),
    ],
)
def test_brand_images(name: str, check: Callable[[int, int], bool]) -> None:
    """Brand images: PNG, transparent, trimmed, the sizes the brands rules ask."""
    with Image.open(PACKAGE / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert check(image.width, image.height)
        # Trimmed: the drawing touches at least two opposite edges.
        left, top, right, bottom = image.getbbox() or (0, 0, 0, 0)
        assert (left, right) == (0, image.width) or (top, bottom) == (0, image.height)
        assert image.getpixel((0, 0))[3] == 0


def test_license_is_mit() -> None:
    """HACS wants a LICENSE at the root; the wheel's metadata says MIT too."""
    license_text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n")
    assert "Copyright (c) 2026 Private Tracker Stats contributors" in license_text
    assert "Permission is hereby granted, free of charge" in license_text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in license_text
    project = load_pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


def test_wheel_is_the_api_library() -> None:
    """pyproject.toml builds api/ alone as tracker-stats-api, at api's version."""
    pyproject = load_pyproject()
    project = pyproject["project"]
    hatch = pyproject["tool"]["hatch"]
    wheel = hatch["build"]["targets"]["wheel"]
    library = API.relative_to(REPO).as_posix()
    assert project["name"] == "tracker-stats-api"
    assert wheel["only-include"] == [library]
    assert wheel["sources"] == {library: "tracker_stats_api"}
    assert project["requires-python"] == ">=3.13"
    assert (API / "py.typed").is_file()
    # The version has one source: the library's __version__.
    assert project["dynamic"] == ["version"]
    assert "version" not in project
    version_file = REPO / hatch["version"]["path"]
    assert version_file == API / "const.py"
    found = re.search(
        hatch["version"]["pattern"],
        version_file.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert found
    assert found["version"] == api_version
    # The README on PyPI is the library's, and shows its entry point.
    readme = REPO / project["readme"]
    assert readme == API / "README.md"
    assert "create_client(" in readme.read_text(encoding="utf-8")
    assert "async_get_stats()" in readme.read_text(encoding="utf-8")


def test_wheel_declares_every_import() -> None:
    """What api/ imports is the standard library, itself, or a declared dependency."""
    declared = {
        re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0]
        for requirement in load_pyproject()["project"]["dependencies"]
    }
    assert declared == {"aiohttp", "yarl"}
    imported: set[str] = set()
    for source in API.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    assert imported - sys.stdlib_module_names == declared
