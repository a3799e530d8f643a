"""One spec per platform; every registry is derived from the specs or checked against them."""

from __future__ import annotations

from importlib import import_module
import pkgutil
from typing import Any

import aiohttp
import pytest

import custom_components.tracker_stats.api as api_library
from custom_components.tracker_stats.api import (
    PLATFORM_SPECS,
    PLATFORMS,
    STAT_FIELDS,
    AccountIdentity,
    AuthStyle,
    PlatformSpec,
    Site,
    TrackerClient,
    TrackerPlatform,
    create_client,
)
from custom_components.tracker_stats.api.spec import FLOW_FIELDS
from demo_tracker.accounts import Account, showcase_accounts
from demo_tracker.platforms import PLATFORMS as DEMO_PLATFORMS
from demo_tracker.testing import DemoTracker

# Each platform's showcase demo account (its first), by platform id.
SHOWCASES = showcase_accounts()


def _modules_with_a_spec() -> dict[str, PlatformSpec]:
    found = {}
    for module in pkgutil.iter_modules(api_library.__path__):
        loaded = import_module(f"{api_library.__name__}.{module.name}")
        if isinstance(spec := getattr(loaded, "SPEC", None), PlatformSpec):
            found[module.name] = spec
    return found


def test_every_registry_names_the_same_platforms() -> None:
    """Platform modules, PLATFORM_SPECS, TrackerPlatform and the demo tracker agree."""
    modules = _modules_with_a_spec()
    assert {spec.platform for spec in modules.values()} == set(PLATFORM_SPECS)
    # A platform module is named by its platform id.
    assert set(modules) == set(PLATFORM_SPECS)
    assert set(TrackerPlatform) == set(PLATFORM_SPECS)
    # The demo tracker finds its platform modules by name.
    assert [platform.name for platform in DEMO_PLATFORMS] == sorted(PLATFORM_SPECS)
    assert {key: spec.fields for key, spec in PLATFORM_SPECS.items()} == PLATFORMS


@pytest.mark.parametrize("platform", list(PLATFORM_SPECS))
def test_spec_is_complete(platform: str) -> None:
    """Fields are statistics; the client and the display name come from the spec."""
    spec = PLATFORM_SPECS[platform]
    assert spec.platform == platform
    assert spec.fields <= STAT_FIELDS
    assert {"uploaded_bytes", "downloaded_bytes", "ratio"} <= spec.fields
    assert TrackerPlatform(platform).display_name == spec.display_name
    assert spec.client.spec is spec
    assert set(spec.flow_fields) <= set(FLOW_FIELDS)
    assert ("username" in spec.flow_fields) == (
        spec.identity is AccountIdentity.TYPED_USERNAME
    )
    built = create_client(platform, None, url="https://t.example", api_key="k")  # type: ignore[arg-type]
    assert type(built) is spec.client
    assert isinstance(built, TrackerClient)
    assert spec.sites, "every platform has at least one preset"


def test_site_ids_are_unique_and_generic_sites_have_no_url() -> None:
    """Preset ids are one namespace; a generic site is named by its platform."""
    sites = [site for spec in PLATFORM_SPECS.values() for site in spec.sites]
    assert len({site.id for site in sites}) == len(sites)
    for spec in PLATFORM_SPECS.values():
        for site in spec.sites:
            if not site.url:
                assert site.id == spec.platform
            if site.auth_style is not None:
                assert site.auth_style in spec.auth_styles


def test_a_spec_checks_its_declaration() -> None:
    """A flow field nobody knows, or a style choice with no styles, is refused."""

    class Probe(TrackerClient):
        async def _async_fetch_stats(self):  # type: ignore[no-untyped-def]
            raise NotImplementedError

    common = {
        "platform": TrackerPlatform.GAZELLE,
        "display_name": "Probe",
        "client": Probe,
        "fields": frozenset(),
        "identity": AccountIdentity.USER_ID,
    }
    with pytest.raises(ValueError, match="unknown flow fields"):
        PlatformSpec(**common, flow_fields=("colour",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no style"):
        PlatformSpec(**common, flow_fields=("auth_style",))  # type: ignore[arg-type]
    assert Site("x", "X") == Site("x", "X", "", None, True, None)


def test_auth_styles_are_checked_against_the_spec() -> None:
    """A style the platform does not take is a ValueError; others ignore none given."""
    with pytest.raises(ValueError, match="Gazelle"):
        create_client(
            "gazelle", None, url="https://t.example", api_key="k", auth_style="bearer"
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        create_client(
            "ggn", None, url="https://t.example", api_key="k", auth_style=AuthStyle.RAW
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        create_client("nowhere", None, url="https://t.example", api_key="k")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "account", list(SHOWCASES.values()), ids=lambda account: account.name
)
async def test_a_seed_poll_fills_only_the_spec_fields(
    session: aiohttp.ClientSession, demo: DemoTracker, account: Account
) -> None:
    """What a real answer fills is what the spec says the platform can fill."""
    platform = account.platform
    options: dict[str, Any] = {"enrich": True}
    if PLATFORM_SPECS[platform].auth_styles:
        options["auth_style"] = account.auth_style
    client = create_client(
        platform, session, url=demo.url, api_key=demo.keys[account.name], **options
    )
    stats = await client.async_get_stats()
    filled = {
        name for name in STAT_FIELDS if getattr(stats, name) not in (None, "Unknown")
    }
    assert filled <= PLATFORM_SPECS[platform].fields
    assert {"uploaded_bytes", "downloaded_bytes"} <= filled
