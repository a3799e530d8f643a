"""platform_meta is an allow-list: planted secrets under any name never get in."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from custom_components.tracker_stats.api import TrackerStats
from custom_components.tracker_stats.api.btn import parse_user_info
from custom_components.tracker_stats.api.gazelle import enrich_with_profile
from custom_components.tracker_stats.api.ggn import parse_user
from demo_tracker import fixtures

from .leaks import assert_no_secret

PASSKEY = "pk0123456789abcdef0123456789abcd"
AUTHKEY = "ak0123456789abcdef0123456789abcd"
IRC_KEY = "IrcKey9zz8yy7xx"
EMAIL = "victim@example.org"
IP = "203.0.113.77"
SECRETS = (PASSKEY, AUTHKEY, IRC_KEY, EMAIL, IP)
# Every spelling of a secret field a profile has been seen to carry.
PLANTED: dict[str, Any] = {
    "torrent_pass": PASSKEY,
    "torrentPass": PASSKEY,
    "passkey": PASSKEY,
    "announce": f"https://tracker.example/{PASSKEY}/announce",
    "announceUrl": f"https://tracker.example/announce.php?passkey={PASSKEY}",
    "rss": f"https://tracker.example/feeds.php?feed=x&authkey={AUTHKEY}",
    "rssUrl": f"https://tracker.example/rss?authkey={AUTHKEY}&passkey={PASSKEY}",
    "lastIpAddress": f"{IP}:51413",
    "lastIP": f"::ffff:{IP}",
    "ip": IP,
    "IP": f"{IP}/32",
    "sessions": [{"ip": f"{IP}/32", "agent": "x"}, {"last": {"addr": f"{IP}/32"}}],
    "e-mail": EMAIL,
    "email": EMAIL,
    "Email": EMAIL,
    "irckey": IRC_KEY,
    "IRCKey": IRC_KEY,
    "irc_key": IRC_KEY,
}


def planted(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document with the secrets in every block and under plain names."""
    result = copy.deepcopy(document)
    result.update(PLANTED)
    for name, block in result.items():
        if isinstance(block, dict) and name not in PLANTED:
            # Under the planted names, and in place of every value it has.
            block.update({key: SECRETS[index % 5] for index, key in enumerate(block)})
            block.update(PLANTED)
    return result


def assert_clean(stats: TrackerStats) -> None:
    """Nothing of a planted secret is anywhere in platform_meta."""
    assert_no_secret([repr(stats.platform_meta), str(stats.platform_meta)], SECRETS)


def test_gazelle_profile() -> None:
    """Gazelle's action=user profile: counts and flags by name only."""
    stats = enrich_with_profile(
        TrackerStats(), planted(fixtures.load("gazelle", "user"))
    )
    assert set(stats.platform_meta) == {"personal", "ranks", "community"}
    assert_clean(stats)


def test_ggn_profile() -> None:
    """GGn's request=user profile, every block planted."""
    stats = parse_user(planted(fixtures.load("ggn", "user")), 1)
    assert set(stats.platform_meta) == {
        "personal",
        "community",
        "buffs",
        "achievements",
    }
    assert_clean(stats)


@pytest.mark.parametrize(
    ("lumens", "class_level"), [(EMAIL, PASSKEY), (IP, EMAIL), ("12", IRC_KEY)]
)
def test_btn_meta_takes_numbers_only(lumens: str, class_level: str) -> None:
    """BTN's Lumens and ClassLevel holding a key or an e-mail are dropped."""
    answer = {**fixtures.load("btn", "user_info"), **PLANTED}
    answer.update(Lumens=lumens, ClassLevel=class_level)
    stats = parse_user_info(answer)
    assert_clean(stats)
    assert stats.platform_meta == ({"Lumens": 12} if lumens == "12" else {})


def test_real_profiles_keep_their_numbers() -> None:
    """The allow-lists keep what a fixture really holds."""
    gazelle = enrich_with_profile(TrackerStats(), fixtures.load("gazelle", "user"))
    assert gazelle.platform_meta["ranks"]["overall"] == 980
    assert gazelle.platform_meta["community"]["seeding"] == 42
    ggn = parse_user(fixtures.load("ggn", "user"), 1)
    assert ggn.platform_meta["buffs"]["CommunityGold"] == 1.2
    assert ggn.platform_meta["community"]["hourlyGold"] == 9
    assert ggn.platform_meta["personal"] == {
        "facilitator": False,
        "donor": False,
        "warned": False,
        "enabled": True,
        "parked": False,
    }
