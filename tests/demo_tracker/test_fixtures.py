"""The seed answers as JSON fixtures, and their loader."""

from __future__ import annotations

import pytest

from demo_tracker import fixtures
from demo_tracker.accounts import demo_accounts
from demo_tracker.platforms import PLATFORMS


def test_load_returns_a_fresh_copy() -> None:
    """Changing what load() returned does not change the next load."""
    first = fixtures.load("gazelle", "index")
    first["userstats"]["uploaded"] = 0
    assert fixtures.load("gazelle", "index")["userstats"]["uploaded"] == 536870912000


def test_seed_values_survive_the_round_trip() -> None:
    """Floats stay floats, "∞" and nulls stay; the GGn ratio stays a string."""
    index = fixtures.load("gazelle", "index")
    assert isinstance(index["userstats"]["ratio"], float)
    assert fixtures.load("gazelle", "fork_index")["userstats"]["ratio"] == "∞"
    user = fixtures.load("ggn", "user")
    assert user["stats"]["ratio"] == "0.99699"
    assert fixtures.load("ggn", "paranoid_user")["community"]["seeding"] is None
    assert fixtures.load("ggn", "quick_user") == {
        "username": "ExampleUser",
        "id": 74360,
    }


@pytest.mark.parametrize(
    ("platform", "name", "error"),
    [
        ("gazelle", "nothing", FileNotFoundError),
        ("nowhere", "index", FileNotFoundError),
        ("gazelle", "../ggn/user", ValueError),
        ("../demo_tracker", "index", ValueError),
        ("gazelle", "Index", ValueError),
        ("gazelle", "", ValueError),
    ],
)
def test_load_rejects_missing_and_bad_names(
    platform: str, name: str, error: type[Exception]
) -> None:
    """A name cannot leave the fixtures folder."""
    with pytest.raises(error):
        fixtures.load(platform, name)


def test_every_platform_has_fixtures_and_every_fixture_is_used() -> None:
    """Demo accounts use only fixtures that exist; no fixture lies unused."""
    used: set[tuple[str, str]] = set()
    for platform in PLATFORMS:
        assert fixtures.names(platform.name), platform.name
        for spec in platform.demo_accounts:
            used |= {(platform.name, name) for name in spec.documents.values()}
    shipped = {
        (platform.name, name)
        for platform in PLATFORMS
        for name in fixtures.names(platform.name)
    }
    assert used == shipped
    assert fixtures.names("nowhere") == []


def test_accounts_serve_their_fixtures() -> None:
    """A fresh account's documents are its fixtures, unchanged."""
    accounts = demo_accounts()
    assert accounts["red"].documents == {
        "index": fixtures.load("gazelle", "index"),
        "user": fixtures.load("gazelle", "user"),
    }
    assert accounts["ggn"].profile == fixtures.load("ggn", "user")
    assert accounts["fork"].profile == {}
