"""Each platform's showcase demo account, as the setup flow adds it.

Tests of "one account of each platform" read the accounts here, from the
demo tracker's table and the platforms' specs: a new platform's module and
demo module are all they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.util import slugify

from custom_components.tracker_stats.api import (
    DEFAULT_API_PATH,
    PLATFORM_SPECS,
    AccountIdentity,
    PlatformSpec,
    TrackerPlatform,
)
from custom_components.tracker_stats.const import TRACKER_PRESETS
from demo_tracker.accounts import Account, showcase_accounts


@dataclass(frozen=True, slots=True)
class Showcase:
    """A platform's showcase account: what the user types, what the flow stores."""

    account: Account

    @property
    def name(self) -> str:
        """The demo tracker's account name (its key is ``demo-<name>-key``)."""
        return self.account.name

    @property
    def key(self) -> str:
        """The account's starting key."""
        return self.account.key

    @property
    def platform(self) -> TrackerPlatform:
        """The platform the account's tracker runs."""
        return TrackerPlatform(self.account.platform)

    @property
    def spec(self) -> PlatformSpec:
        """The platform's spec."""
        return PLATFORM_SPECS[self.platform]

    @property
    def preset(self) -> str:
        """The tracker the user picks in the first step."""
        return self.account.preset

    @property
    def username(self) -> str:
        """The name the account gets: the answer's, or the one the user types."""
        return self.account.rules.username(self.account)

    @property
    def title(self) -> str:
        """The entry's title."""
        return f"{TRACKER_PRESETS[self.preset].name} ({self.username})"

    @property
    def object_id(self) -> str:
        """The prefix of the account's entity ids: its title, slugified."""
        return slugify(self.title)

    @property
    def stores_id(self) -> bool:
        """Whether the flow stores the answer's user id."""
        return self.spec.identity is AccountIdentity.USER_ID

    def typed(self) -> dict[str, str]:
        """Return the credentials form's fields beyond URL and secret, filled."""
        filled = {
            "auth_style": self.account.auth_style,
            "api_path": DEFAULT_API_PATH,
            "username": self.username,
        }
        return {field: filled[field] for field in self.spec.flow_fields}

    def entry_data(self) -> dict[str, Any]:
        """Return the entry data the flow stores beyond tracker, URL, key and id."""
        data: dict[str, Any] = {"platform": self.platform.value, **self.typed()}
        if self.spec.auth_styles:
            # The flow keeps the header style the client settled on.
            data["auth_style"] = self.account.auth_style
        data["username"] = self.username
        return data


SHOWCASES: dict[str, Showcase] = {
    platform: Showcase(account) for platform, account in showcase_accounts().items()
}
"""Platform id → its showcase account, in the demo tracker's platform order."""
