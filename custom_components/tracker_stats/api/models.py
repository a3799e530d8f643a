"""The account statistics every tracker platform is mapped into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

UNKNOWN_GROUP = "Unknown"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackerStats:
    """One snapshot of a tracker account.

    ``None`` means the tracker did not say (missing, null, hidden by paranoia
    or not a number). Byte counts are Python ints because real accounts pass
    2**53, where a float would silently lose bytes.
    """

    username: str | None
    group: str = UNKNOWN_GROUP
    remote_user_id: int | None = None
    uploaded_bytes: int | None = None
    downloaded_bytes: int | None = None
    ratio: float | None = None
    buffer_bytes: int | None = None
    seeding_count: int = 0
    leeching_count: int = 0
    seedbonus: float | None = None
    hit_and_runs: int | None = None
    required_ratio: float | None = None
    warned: bool | None = None
    freeleech_tokens: int | None = None
    share_score: float | None = None
    joined_date: datetime | None = None
    last_access_date: datetime | None = None
    avatar_url: str | None = None
    platform_meta: dict[str, Any] = field(
        default_factory=dict, hash=False, compare=False
    )
