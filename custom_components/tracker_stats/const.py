"""Constants of the Private Tracker Stats integration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any, Final

from homeassistant.const import CONF_URL
from yarl import URL

from .api import PLATFORM_SPECS, Site, TrackerPlatform

DOMAIN: Final = "tracker_stats"

CONF_TRACKER: Final = "tracker"
CONF_PLATFORM: Final = "platform"
CONF_AUTH_STYLE: Final = "auth_style"
CONF_API_PATH: Final = "api_path"
CONF_REMOTE_USER_ID: Final = "remote_user_id"
CONF_ENRICH: Final = "enrich"
CONF_RATIO_DROP: Final = "ratio_drop"
CONF_STALE_MINUTES: Final = "stale_minutes"

# Account health. An option left empty is not stored: the
# required ratio is then the tracker's, the limits are not judged.
CONF_REQUIRED_RATIO: Final = "required_ratio"
CONF_FORECAST_DAYS: Final = "forecast_days"
CONF_HIT_AND_RUN_LIMIT: Final = "hit_and_run_limit"
CONF_HEADROOM_MIN: Final = "headroom_min"  # GiB
DEFAULT_FORECAST_DAYS: Final = 7
MAX_REQUIRED_RATIO: Final = 10.0
MAX_HIT_AND_RUN_LIMIT: Final = 10_000
MAX_HEADROOM_MIN_GIB: Final = 1024.0**2  # a pebibyte

UPDATE_INTERVAL: Final = timedelta(minutes=30)
# Fired with each alert, for the logbook line that names it.
EVENT_ALERT: Final = f"{DOMAIN}_alert"


@dataclass(frozen=True, slots=True)
class TrackerPreset(Site):
    """A site and the platform it runs: what the flow knows before the user types."""

    platform: TrackerPlatform = field(kw_only=True)


# Presets of the first release that no platform can serve any more.
RETIRED_TRACKERS: Final = {"passthepopcorn": "PassThePopcorn"}

# The presets are the library's sites, platform by platform, in its order.
TRACKER_PRESETS: Final[dict[str, TrackerPreset]] = {
    site.id: TrackerPreset(
        *(getattr(site, item.name) for item in fields(Site)), platform=spec.platform
    )
    for spec in PLATFORM_SPECS.values()
    for site in spec.sites
}
# A site without a URL is "any other site of this platform", named by its host.
GENERIC_TRACKERS: Final = frozenset(
    tracker for tracker, preset in TRACKER_PRESETS.items() if not preset.url
)
GENERIC_GAZELLE: Final = TrackerPlatform.GAZELLE.value
GENERIC_UNIT3D: Final = TrackerPlatform.UNIT3D.value


def tracker_name(data: Mapping[str, Any]) -> str:
    """Return the tracker's display name; a generic site is named by its host."""
    tracker = data[CONF_TRACKER]
    if tracker in RETIRED_TRACKERS:
        return RETIRED_TRACKERS[tracker]
    if tracker in GENERIC_TRACKERS:
        return URL(data[CONF_URL]).host or TRACKER_PRESETS[tracker].name
    return TRACKER_PRESETS[tracker].name
