"""Demo accounts: their seed answers, and how their stats move.

One step is one minute of an account's life: a dashboard that polls a demo
tracker ticking once a minute sees upload grow by a few GiB a day and the
ratio change slowly, as on a real site (and as in the month of history that
scripts/demo imports, which grows at the same pace).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
import math
from typing import Any

from . import fixtures
from .platforms import PLATFORMS, AccountSpec, Platform, platform_named
from .platforms.gazelle import BENCH_FIRST_ID, BENCH_KEY_PREFIX, bench_spec

__all__ = [
    "BENCH_FIRST_ID",
    "BENCH_KEY_PREFIX",
    "DOWNLOAD_PER_STEP",
    "GIB",
    "MAX_STEPS",
    "MIB",
    "MIN_RATIO",
    "UPLOAD_PER_STEP",
    "Account",
    "bench_account",
    "demo_accounts",
    "showcase_accounts",
]

MIB = 1024**2
GIB = 1024**3
# Per minute: about 4.2 GiB uploaded and 0.7 GiB downloaded a day.
UPLOAD_PER_STEP = 3 * MIB
DOWNLOAD_PER_STEP = MIB // 2
MAX_STEPS = 1_000_000
# drop_ratio never goes below this: a ratio of 0 would need infinite download.
MIN_RATIO = 0.01


@dataclass
class Account:
    """One demo account and the JSON its tracker would send."""

    name: str
    platform: str  # a registered platform's name
    key: str
    user_id: int
    auth_style: str
    preset: str
    # The answers the account serves, by name (see AccountSpec.documents).
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile_broken: bool = False
    minutes: int = 0  # steps of time passed since the seeds' values

    @classmethod
    def from_spec(cls, platform: Platform, spec: AccountSpec) -> Account:
        """Return a fresh account as ``platform`` declares it, from its fixtures."""
        documents = {
            document: fixtures.load(platform.name, fixture)
            for document, fixture in spec.documents.items()
        }
        if spec.customize is not None:
            spec.customize(documents)
        return cls(
            name=spec.name,
            platform=platform.name,
            key=f"demo-{spec.name}-key",
            user_id=spec.user_id,
            auth_style=spec.auth_style or platform.auth_styles[0],
            preset=spec.preset,
            documents=documents,
            profile_broken=spec.profile_broken,
        )

    @property
    def rules(self) -> Platform:
        """Return the platform that serves this account."""
        return platform_named(self.platform)

    @property
    def index(self) -> dict[str, Any]:
        """Return the summary answer (Gazelle's index, GGn's quick_user)."""
        return self.documents[self.rules.summary_document]

    @property
    def profile(self) -> dict[str, Any]:
        """Return the full profile answer (empty when the account has none)."""
        return self.documents.get(
            self.rules.profile_document or self.rules.summary_document, {}
        )

    @property
    def original_key(self) -> str:
        """Return the key the account starts with."""
        return f"demo-{self.name}-key"

    @property
    def username(self) -> str:
        """Return the account's user name."""
        return self.rules.username(self)

    @property
    def uploaded(self) -> int:
        """Return the uploaded bytes."""
        return self.rules.byte_counts(self)[0]

    @property
    def downloaded(self) -> int:
        """Return the downloaded bytes."""
        return self.rules.byte_counts(self)[1]

    @property
    def ratio(self) -> float | str:
        """Return the ratio field as the tracker sends it (a number or a string)."""
        return self.rules.ratio(self)

    def set_bytes(self, uploaded: int, downloaded: int) -> None:
        """Set both byte counts and every field derived from them."""
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.rules.write_bytes(self, uploaded, downloaded, now)

    def advance(self, steps: int) -> None:
        """Let time pass: upload grows, download grows slower, bonus accrues."""
        if not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be between 0 and {MAX_STEPS}")
        uploaded, downloaded = self.rules.byte_counts(self)
        # A zero download shows as "∞"; keep that account that way.
        extra_download = DOWNLOAD_PER_STEP * steps if downloaded else 0
        self.set_bytes(uploaded + UPLOAD_PER_STEP * steps, downloaded + extra_download)
        self.live(self.minutes + steps)

    def live(self, minutes: int) -> None:
        """Move the account's age to ``minutes``, accruing bonus on the way."""
        self.rules.accrue(self, self.minutes, minutes)
        self.minutes = minutes

    def _published_ratio(self, uploaded: int, downloaded: int) -> float:
        # The ratio a client reads, after the tracker's rounding.
        return float(self.rules.ratio_field(uploaded, downloaded))

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


def bench_account(number: int) -> Account:
    """Return numbered Gazelle account ``number`` for benchmarks with many entries.

    Its key is ``demo-bench-<number>-key`` (auth style token); values are the
    Redacted seed's with another name and id.
    """
    return Account.from_spec(platform_named("gazelle"), bench_spec(number))


def demo_accounts() -> dict[str, Account]:
    """Return fresh demo accounts of every platform, keyed by account name."""
    return {
        spec.name: Account.from_spec(platform, spec)
        for platform in PLATFORMS
        for spec in platform.demo_accounts
    }


def showcase_accounts() -> dict[str, Account]:
    """Return each platform's showcase account (its first), keyed by platform name."""
    return {
        platform.name: Account.from_spec(platform, platform.demo_accounts[0])
        for platform in PLATFORMS
    }
