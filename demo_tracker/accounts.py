"""Demo accounts: the seeds' example answers, and how their stats move."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
import math
from typing import Any, Literal

type Platform = Literal["gazelle", "ggn"]
type AuthStyle = Literal["token", "raw", "query"]

GIB = 1024**3
UPLOAD_PER_STEP = 3 * GIB // 2
DOWNLOAD_PER_STEP = GIB // 4
GOLD_PER_STEP = 9
MAX_STEPS = 1_000_000
# drop_ratio never goes below this: a ratio of 0 would need infinite download.
MIN_RATIO = 0.01


@dataclass
class Account:
    """One demo account and the JSON its tracker would send."""

    name: str
    platform: Platform
    key: str
    user_id: int
    auth_style: AuthStyle
    preset: str
    index: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    # Forks whose user endpoint is broken answer it with HTTP 500.
    profile_broken: bool = False

    @property
    def original_key(self) -> str:
        """Return the key the account starts with."""
        return f"demo-{self.name}-key"

    @property
    def username(self) -> str:
        """Return the account's user name."""
        return str(self.index["username"])

    @property
    def uploaded(self) -> int:
        """Return the uploaded bytes."""
        return int(self._stats()["uploaded"])

    @property
    def downloaded(self) -> int:
        """Return the downloaded bytes."""
        return int(self._stats()["downloaded"])

    @property
    def ratio(self) -> float | str:
        """Return the ratio field as the tracker sends it (a number or a string)."""
        return self._stats()["ratio"]  # type: ignore[no-any-return]

    def _stats(self) -> dict[str, Any]:
        if self.platform == "ggn":
            return self.profile["stats"]  # type: ignore[no-any-return]
        return self.index["userstats"]  # type: ignore[no-any-return]

    def _ratio_field(self, uploaded: int, downloaded: int) -> float | str:
        """Return the ratio as this platform publishes it; downloaded must be > 0."""
        if self.platform == "ggn":
            return f"{uploaded / downloaded:.5f}"
        return round(uploaded / downloaded, 2)

    def _published_ratio(self, uploaded: int, downloaded: int) -> float:
        # The ratio a client reads, after the tracker's rounding.
        return float(self._ratio_field(uploaded, downloaded))

    def set_bytes(self, uploaded: int, downloaded: int) -> None:
        """Set both byte counts and every field derived from them."""
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        stats = self._stats()
        stats.update(uploaded=uploaded, downloaded=downloaded)
        # A zero download keeps the tracker's special ratio string ("∞").
        if downloaded:
            stats["ratio"] = self._ratio_field(uploaded, downloaded)
        if self.platform == "ggn":
            stats["lastAccess"] = now
            return
        if profile_stats := self.profile.get("stats"):
            profile_stats.update(
                uploaded=uploaded,
                downloaded=downloaded,
                ratio=stats["ratio"],
                buffer=max(uploaded - downloaded, 0),
                lastAccess=now,
            )

    def advance(self, steps: int) -> None:
        """Let time pass: upload grows, download grows slower, gold accrues."""
        if not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be between 0 and {MAX_STEPS}")
        downloaded = self.downloaded
        # A zero download shows as "∞"; keep that account that way.
        extra_download = DOWNLOAD_PER_STEP * steps if downloaded else 0
        self.set_bytes(
            self.uploaded + UPLOAD_PER_STEP * steps, downloaded + extra_download
        )
        if self.platform == "ggn":
            self.profile["stats"]["gold"] += GOLD_PER_STEP * steps

    def drop_ratio(self, by: float) -> None:
        """Add download until the published ratio has fallen by at least ``by``.

        The ratio does not go below ``MIN_RATIO``. A zero-download account
        ("∞") gets a finite ratio.
        """
        if not (math.isfinite(by) and by > 0):
            raise ValueError("by must be a positive number")
        uploaded, downloaded = self.uploaded, self.downloaded
        # Start from the field as published (the GGn seed's is truncated, not
        # rounded). A special string ("∞") only ever stands for a zero download.
        current = float(self.ratio) if downloaded else math.inf
        target = max(current - by, MIN_RATIO)
        new_downloaded = max(math.ceil(uploaded / target), downloaded + 1)
        # Rounding can leave the published ratio just above the target; callers
        # check `new <= old - by` in floats, so no tolerance here.
        while self._published_ratio(uploaded, new_downloaded) > target:
            new_downloaded += max(new_downloaded // 1000, 1)
        self.set_bytes(uploaded, new_downloaded)


def _red() -> Account:
    index = {
        "username": "JohnDoe",
        "id": 12345,
        "giftTokens": 3,
        "meritTokens": 0,
        "notifications": {
            "messages": 0,
            "notifications": 2,
            "newAnnouncement": False,
            "newBlog": False,
            "newSubscriptions": False,
        },
        "userstats": {
            "uploaded": 536870912000,
            "downloaded": 134217728000,
            "ratio": 4.0,
            "requiredratio": 0.6,
            "class": "Power User",
            "bonusPoints": 12500,
            "seedingcount": 42,
            "leechingcount": 1,
            "freeleechTokens": 3,
        },
    }
    profile = {
        "username": "JohnDoe",
        "avatar": "https://example.com/avatars/johndoe.jpg",
        "stats": {
            "joinedDate": "2021-04-12 09:34:00",
            "lastAccess": "2026-03-19 14:22:11",
            "uploaded": 536870912000,
            "downloaded": 134217728000,
            "ratio": 4.0,
            "buffer": 402653184000,
            "requiredRatio": 0.6,
        },
        "ranks": {
            "uploaded": 1842,
            "downloaded": 5210,
            "uploads": 304,
            "requests": 88,
            "bounty": 0,
            "posts": 127,
            "artists": 14,
            "overall": 980,
        },
        "personal": {
            "class": "Power User",
            "paranoia": 0,
            "paranoiaText": "Off",
            "donor": False,
            "warned": False,
            "enabled": True,
            # What a real site may also send; the client must scrub it.
            "passkey": "demopasskeyNOTREAL00000000000000",
            "authkey": "demoauthkeyNOTREAL0000000000000",
            "ip": "203.0.113.7",
            "email": "johndoe@example.invalid",
        },
        "community": {
            "posts": 127,
            "torrentComments": 43,
            "artistComments": 12,
            "collageComments": 3,
            "requestComments": 8,
            "collagesStarted": 2,
            "collagesContrib": 11,
            "requestsFilled": 5,
            "requestsVoted": 29,
            "perfectFlacs": 18,
            "uploaded": 304,
            "groups": 48,
            "seeding": 42,
            "leeching": 1,
            "snatched": 1204,
            "invited": 3,
            "bountyEarned": None,
            "bountySpent": None,
        },
    }
    return Account(
        "red", "gazelle", "demo-red-key", 12345, "raw", "redacted", index, profile
    )


def _ops() -> Account:
    uploaded, downloaded = 60 * GIB, 120 * GIB
    index = {
        "username": "JaneRoe",
        "id": 23456,
        "giftTokens": 2,
        "userstats": {
            "uploaded": uploaded,
            "downloaded": downloaded,
            "ratio": 0.5,
            "requiredratio": 0.6,
            "class": "Member",
            "bonusPoints": 800,
        },
    }
    profile = {
        "username": "JaneRoe",
        "avatar": "",
        "stats": {
            "joinedDate": "2024-01-05 18:00:00",
            "lastAccess": "2026-11-20 21:15:42",
            "uploaded": uploaded,
            "downloaded": downloaded,
            "ratio": 0.5,
            "buffer": 0,
            "requiredRatio": 0.6,
        },
        "personal": {"class": "Member", "warned": True, "enabled": True},
        "community": {"seeding": 7, "leeching": 0, "snatched": 64},
    }
    return Account(
        "ops", "gazelle", "demo-ops-key", 23456, "token", "orpheus", index, profile
    )


def _fork() -> Account:
    index = {
        "username": "ForkUser",
        "id": 777,
        "userstats": {
            "uploaded": GIB,
            "downloaded": 0,
            "ratio": "∞",
            "bonuspoints": 55.5,
        },
    }
    return Account(
        "fork",
        "gazelle",
        "demo-fork-key",
        777,
        "token",
        "gazelle",
        index,
        profile_broken=True,
    )


def _ggn() -> Account:
    quick_user = {"username": "ExampleUser", "id": 74360}
    profile = {
        "id": 74360,
        "username": "ExampleUser",
        "avatar": "",
        "avatarType": 1,
        "isFriend": False,
        "bbProfileText": "",
        "profileText": "",
        "bbTitle": "",
        "title": "",
        "stats": {
            "joinedDate": "2025-02-18 08:59:21",
            "lastAccess": "2026-03-07 17:03:24",
            "onIRC": True,
            "uploaded": 372518353895,
            "downloaded": 373640248681,
            "fullDownloaded": 2854978605675,
            "purchasedDownload": None,
            "ratio": "0.99699",
            "requiredRatio": 0.012,
            "shareScore": 10.82,
            "gold": 39858,
        },
        "personal": {
            "class": "Elite Gamer",
            "facilitator": False,
            "hnrs": None,
            "paranoia": [],
            "paranoiaText": "Off",
            "donor": False,
            "warned": False,
            "enabled": True,
            "publicKey": "",
            "parked": False,
            "ip": "203.0.113.9",
            "passkey": "demopasskeyGGNNOTREAL0000000000",
            "donated": "",
            "invites": 2,
        },
        "community": {
            "clan": "None",
            "profileViews": 14,
            "hourlyGold": 9,
            "posts": 2,
            "actualPosts": 2,
            "threads": None,
            "forumLikes": 0,
            "forumDislikes": 0,
            "ircLines": 0,
            "ircActualLines": None,
            "torrentComments": 1,
            "collections": None,
            "requestsFilled": None,
            "bountyEarnedUpload": None,
            "bountyEarnedGold": None,
            "requestsVoted": 11,
            "bountySpentUpload": None,
            "bountySpentGold": 260,
            "reviews": 1,
            "uploaded": None,
            "seeding": None,
            "leeching": None,
            "snatched": 4425,
            "uniqueSnatched": 4413,
            "seedSize": None,
            "invited": None,
        },
        "buffs": {
            "Upload": 2,
            "Download": 0.5,
            "ForumPosts": 1,
            "IRCLines": 1,
            "IRCBonus": 2,
            "CommunityXP": 1,
            "TorrentsXP": 1,
            "CommunityGold": 1.2,
            "TorrentsGold": 1,
            "ItemCost": 1,
            "BountyFrom": 1,
            "BountyOn": 1,
            "Chance": 2,
        },
        "achievements": {
            "userLevel": "Elite Gamer",
            "nextLevel": "Legendary Gamer",
            "totalPoints": 2100,
            "pointsToNextLvl": 900,
        },
    }
    return Account(
        "ggn",
        "ggn",
        "demo-ggn-key",
        74360,
        "query",
        "gazellegames",
        quick_user,
        profile,
    )


BENCH_KEY_PREFIX = "demo-bench-"
BENCH_FIRST_ID = 100_000


def bench_account(number: int) -> Account:
    """Return numbered Gazelle account ``number`` for benchmarks with many entries.

    Its key is ``demo-bench-<number>-key`` (auth style token); values are the
    Redacted seed's with another name and id.
    """
    account = _red()
    name = f"bench-{number}"
    user_id = BENCH_FIRST_ID + number
    account.name, account.key, account.user_id = name, f"demo-{name}-key", user_id
    account.auth_style, account.preset = "token", "orpheus"
    for block in (account.index, account.profile):
        block["username"] = f"Bench{number}"
    account.index["id"] = user_id
    return account


def demo_accounts() -> dict[str, Account]:
    """Return fresh copies of the demo accounts, keyed by account name."""
    return {
        account.name: copy.deepcopy(account)
        for account in (_red(), _ops(), _fork(), _ggn())
    }
