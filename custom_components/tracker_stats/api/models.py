"""The account statistics every tracker platform is mapped into."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

UNKNOWN_GROUP = "Unknown"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackerStats:
    """One snapshot of a tracker account.

    ``None`` means unknown: the tracker did not send the value, hid it
    (paranoia), sent something out of range, or the poll did not ask for it.
    Byte counts are Python ints because real accounts pass 2**53, where a
    float would silently lose bytes.
    """

    username: str | None = None
    group: str = UNKNOWN_GROUP
    remote_user_id: int | None = None
    uploaded_bytes: int | None = None
    downloaded_bytes: int | None = None
    ratio: float | None = None
    buffer_bytes: int | None = None
    seeding_count: int | None = None
    leeching_count: int | None = None
    bonus_points: float | None = None
    bonus_points_per_hour: float | None = None
    hit_and_runs: int | None = None
    required_ratio: float | None = None
    warned: bool | None = None
    freeleech_tokens: int | None = None
    share_score: float | None = None
    unread_messages: int | None = None
    snatched_count: int | None = None
    seed_size_bytes: int | None = None
    joined_date: datetime | None = None
    last_access_date: datetime | None = None
    # Site rules an account can break (MyAnonamouse, GazelleGames).
    unsatisfied_count: int | None = None
    unsatisfied_limit: int | None = None
    vip_until: datetime | None = None
    next_class: str | None = None
    next_class_points: int | None = None
    # Both may hold what users must not paste publicly (an avatar URL can
    # carry a passkey), so they stay out of repr() and so out of tracebacks.
    avatar_url: str | None = field(default=None, repr=False)
    platform_meta: dict[str, Any] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )


# The statistics an entity can show, in declaration order.
STAT_FIELDS: frozenset[str] = frozenset(
    item.name
    for item in fields(TrackerStats)
    if item.name not in ("avatar_url", "platform_meta")
)
