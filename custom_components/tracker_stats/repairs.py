"""Repair issues an account raises while it is running.

Neither issue is fixable: no flow in Home Assistant can bring a tracker back
up or lift a warning. A rejected key is not one of them either; Home
Assistant's reauthentication flow handles that.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

TRACKER_UNREACHABLE = "tracker_unreachable"
ACCOUNT_WARNED = "account_warned"
# Every issue an entry can raise, for removing them with the entry.
ENTRY_ISSUES = (TRACKER_UNREACHABLE, ACCOUNT_WARNED)


def issue_id(issue: str, entry_id: str) -> str:
    """Return the id of ``issue`` for one entry."""
    return f"{issue}_{entry_id}"


def raise_tracker_unreachable(
    hass: HomeAssistant, entry_id: str, *, title: str, minutes: int
) -> None:
    """Say that the account has had no good poll for ``minutes``."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(TRACKER_UNREACHABLE, entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=TRACKER_UNREACHABLE,
        translation_placeholders={"title": title, "minutes": str(minutes)},
    )


def raise_account_warned(
    hass: HomeAssistant, entry_id: str, *, title: str, tracker_url: str
) -> None:
    """Say that the tracker has warned the account, linking to the tracker."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(ACCOUNT_WARNED, entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        learn_more_url=tracker_url,
        translation_key=ACCOUNT_WARNED,
        translation_placeholders={"title": title},
    )


def clear_issue(hass: HomeAssistant, issue: str, entry_id: str) -> None:
    """Remove one entry's issue; nothing happens when it is not raised."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(issue, entry_id))


def clear_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every issue this module raises for one entry."""
    for issue in ENTRY_ISSUES:
        clear_issue(hass, issue, entry_id)
