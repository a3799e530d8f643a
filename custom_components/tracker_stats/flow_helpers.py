"""What the config flow's steps share: forms, entry data, and checking a key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import ipaddress
import logging
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol
from yarl import URL

from .api import (
    DEFAULT_API_PATH,
    PLATFORM_SPECS,
    AccountIdentity,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerPlatform,
    TrackerRateLimitError,
    TrackerResponseError,
)
from .client import client_for
from .const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    GENERIC_TRACKERS,
    TRACKER_PRESETS,
    tracker_name,
)

_LOGGER = logging.getLogger(__name__)

SECRET_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def credentials_step(tracker: str) -> str:
    """Return the credentials step a tracker's form is shown in.

    A step per platform, whose texts name the site and say where it makes
    the secret; a generic site has its own, as the form cannot name it yet.
    """
    preset = TRACKER_PRESETS[tracker]
    if tracker in GENERIC_TRACKERS:
        return f"other_{preset.platform.value}"
    return preset.platform.value


# Every credentials step the presets lead to, each with its texts in strings.json.
CREDENTIALS_STEPS: Final = frozenset(map(credentials_step, TRACKER_PRESETS))


def rejected_key_error(platform: str) -> str:
    """Return the error key shown when the tracker rejects a platform's secret."""
    return PLATFORM_SPECS[TrackerPlatform(platform)].rejected_key_error


class FormError(Exception):
    """Input the flow shows back to the user with an error key."""

    def __init__(self, error: str) -> None:
        """Carry the translation key of ``errors.base``."""
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, slots=True)
class TrackerAccount:
    """The account a key belongs to, and the entry data that reaches it."""

    unique_id: str
    username: str
    data: dict[str, Any]


def normalize_url(url: str) -> str:
    """Return the URL with a scheme (https by default) and no trailing slash."""
    text = url.strip()
    if "://" not in text:
        text = f"https://{text}"
    return text.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def account_title(data: Mapping[str, Any], username: str | None) -> str:
    """Return the entry title: tracker name and username."""
    return f"{tracker_name(data)} ({username})"


def account_placeholders(entry: ConfigEntry) -> dict[str, str]:
    """Return the tracker and username an entry's dialogs name."""
    return {
        "tracker": tracker_name(entry.data),
        "username": str(entry.data.get(CONF_USERNAME) or entry.title),
    }


def credentials_schema(
    platform: TrackerPlatform,
    shown: Mapping[str, Any],
    *,
    key_required: bool = True,
) -> vol.Schema:
    """Return the credentials form of a platform, filled with ``shown``.

    What the user typed comes back after an error, except the secret: a
    form never sends a key back to the browser.
    """
    key_marker = vol.Required if key_required else vol.Optional
    fields: dict[vol.Marker, Any] = {
        vol.Required(
            CONF_URL, default=shown.get(CONF_URL) or vol.UNDEFINED
        ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        key_marker(CONF_API_KEY): SECRET_SELECTOR,
    }
    spec = PLATFORM_SPECS[platform]
    for field in spec.flow_fields:
        if field == CONF_AUTH_STYLE:
            style = shown.get(CONF_AUTH_STYLE) or spec.auth_styles[0]
            fields[vol.Required(field, default=str(style))] = SelectSelector(
                SelectSelectorConfig(
                    options=[style.value for style in spec.auth_styles],
                    translation_key=CONF_AUTH_STYLE,
                    mode=SelectSelectorMode.DROPDOWN,
                )
            )
        elif field == CONF_API_PATH:
            default = shown.get(CONF_API_PATH) or DEFAULT_API_PATH
            fields[vol.Required(field, default=default)] = TextSelector()
        else:
            default = shown.get(field) or vol.UNDEFINED
            fields[vol.Required(field, default=default)] = TextSelector()
    return vol.Schema(fields)


def entry_data(
    tracker: str, platform: TrackerPlatform, user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Return entry.data for the form's input (before the tracker is asked)."""
    data: dict[str, Any] = {
        CONF_TRACKER: tracker,
        CONF_PLATFORM: platform.value,
        CONF_URL: normalize_url(user_input[CONF_URL]),
        CONF_API_KEY: user_input[CONF_API_KEY].strip(),
    }
    for field in PLATFORM_SPECS[platform].flow_fields:
        data[field] = user_input[field].strip()
    if CONF_API_PATH in data:
        data[CONF_API_PATH] = data[CONF_API_PATH] or DEFAULT_API_PATH
    return data


async def validate_account(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> TrackerAccount:
    """Ask the tracker whose key ``data`` holds; raise FormError if we can't tell."""
    if any(ord(char) < 32 for char in data[CONF_API_KEY]):
        # A pasted line break would split the request's header.
        raise FormError("invalid_auth")
    platform = TrackerPlatform(data[CONF_PLATFORM])
    try:
        url = URL(data[CONF_URL])
        # Also rejects hostless, non-http(s) and user:password@ URLs.
        client = client_for(hass, data, enrich=False)
    except ValueError as err:
        raise FormError("cannot_connect") from err
    if url.scheme == "http" and not _is_loopback(url.host or ""):
        raise FormError("insecure_url")
    try:
        stats = await client.async_get_stats()
    except TrackerAuthError as err:
        raise FormError("invalid_auth") from err
    except TrackerRateLimitError as err:
        raise FormError("rate_limited") from err
    except TrackerConnectionError as err:
        raise FormError("cannot_connect") from err
    except TrackerResponseError as err:
        raise FormError("invalid_response") from err
    except Exception as err:
        # The traceback and the library's messages never hold the key.
        _LOGGER.exception("Unexpected error while checking the tracker account")
        raise FormError("unknown") from err
    preset = TRACKER_PRESETS.get(data[CONF_TRACKER])
    host = (preset and preset.account_host) or (client.base_url.host or "").lower()
    account_data: dict[str, Any] = {
        **data,
        CONF_URL: str(client.base_url),
        CONF_API_KEY: client.api_key,
    }
    if client.auth_style is not None:
        account_data[CONF_AUTH_STYLE] = client.auth_style.value
    identity = PLATFORM_SPECS[platform].identity
    if identity is not AccountIdentity.USER_ID:
        # Only a platform whose answer names nobody takes the typed name:
        # elsewhere the answer's name is the account, or a reauth with
        # another user's token would pass.
        username = (
            data.get(CONF_USERNAME)
            if identity is AccountIdentity.TYPED_USERNAME
            else stats.username
        )
        if not username:
            raise FormError("invalid_response")
        account_data[CONF_USERNAME] = username
        return TrackerAccount(
            unique_id=f"{host}_{username.lower()}",
            username=username,
            data=account_data,
        )
    if stats.remote_user_id is None:
        raise FormError("invalid_response")
    # Paranoia can hide the name; the id still tells the accounts apart.
    username = stats.username or f"#{stats.remote_user_id}"
    account_data[CONF_REMOTE_USER_ID] = stats.remote_user_id
    account_data[CONF_USERNAME] = username
    return TrackerAccount(
        unique_id=f"{host}_{stats.remote_user_id}", username=username, data=account_data
    )
