"""Config flow: add, reauthenticate and reconfigure a tracker account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import ipaddress
import logging
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    BooleanSelector,
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
    AuthStyle,
    TrackerAuthError,
    TrackerConnectionError,
    TrackerRateLimitError,
    TrackerResponseError,
)
from .client import create_client
from .const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    CONF_TRACKER,
    DOMAIN,
    TRACKER_PRESETS,
    TrackerPlatform,
    tracker_name,
)

_LOGGER = logging.getLogger(__name__)

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


class FormError(Exception):
    """Input the flow shows back to the user with an error key."""

    def __init__(self, error: str) -> None:
        """Carry the translation key of ``errors.base``."""
        super().__init__(error)
        self.error = error


@dataclass(frozen=True, slots=True)
class TrackerAccount:
    """The account an API key belongs to, as the tracker reported it."""

    unique_id: str
    remote_user_id: int
    username: str


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


def account_title(data: Mapping[str, Any], username: str) -> str:
    """Return the entry title: tracker name and username."""
    return f"{tracker_name(data)} ({username})"


def _username_in_title(entry: ConfigEntry) -> str | None:
    """Return the username of a title the flow wrote; None once the user renamed it."""
    prefix = f"{tracker_name(entry.data)} ("
    if entry.title.startswith(prefix) and entry.title.endswith(")"):
        return entry.title[len(prefix) : -1]
    return None


def _account_placeholders(entry: ConfigEntry) -> dict[str, str]:
    return {
        "tracker": tracker_name(entry.data),
        "username": _username_in_title(entry) or entry.title,
    }


async def validate_account(
    hass: HomeAssistant, data: Mapping[str, Any]
) -> TrackerAccount:
    """Ask the tracker whose key ``data`` holds; raise FormError if we can't tell."""
    try:
        url = URL(data[CONF_URL])
        # Also rejects hostless and non-http(s) URLs, before any request.
        client = create_client(hass, data, enrich=False)
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
    if stats.remote_user_id is None:
        raise FormError("invalid_response")
    return TrackerAccount(
        unique_id=f"{(url.host or '').lower()}_{stats.remote_user_id}",
        remote_user_id=stats.remote_user_id,
        # Paranoia can hide the name; the id still tells the accounts apart.
        username=stats.username or f"#{stats.remote_user_id}",
    )


def credentials_schema(
    platform: TrackerPlatform,
    defaults: Mapping[str, Any],
    *,
    key_required: bool = True,
) -> vol.Schema:
    """Return the credentials form: URL, key, and Gazelle's header and path.

    The key is never prefilled: a form must not send it back to the browser.
    """
    key_marker = vol.Required if key_required else vol.Optional
    fields: dict[vol.Marker, Any] = {
        vol.Required(
            CONF_URL, default=defaults.get(CONF_URL) or vol.UNDEFINED
        ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL)),
        key_marker(CONF_API_KEY): PASSWORD,
    }
    if platform is TrackerPlatform.GAZELLE:
        fields[
            vol.Required(CONF_AUTH_STYLE, default=str(defaults[CONF_AUTH_STYLE]))
        ] = SelectSelector(
            SelectSelectorConfig(
                options=[style.value for style in AuthStyle],
                translation_key=CONF_AUTH_STYLE,
                mode=SelectSelectorMode.DROPDOWN,
            )
        )
        fields[vol.Required(CONF_API_PATH, default=defaults[CONF_API_PATH])] = (
            TextSelector()
        )
    return vol.Schema(fields)


def entry_data(tracker: str, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return entry.data (without the user id) for a preset and the form's input."""
    platform = TRACKER_PRESETS[tracker].platform
    data: dict[str, Any] = {
        CONF_TRACKER: tracker,
        CONF_PLATFORM: platform.value,
        CONF_URL: normalize_url(user_input[CONF_URL]),
        CONF_API_KEY: user_input[CONF_API_KEY].strip(),
    }
    if platform is TrackerPlatform.GAZELLE:
        data[CONF_AUTH_STYLE] = user_input[CONF_AUTH_STYLE]
        data[CONF_API_PATH] = user_input[CONF_API_PATH].strip() or DEFAULT_API_PATH
    return data


class TrackerStatsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a tracker account."""

    VERSION = 1
    _tracker: str

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the tracker."""
        if user_input is not None:
            self._tracker = user_input[CONF_TRACKER]
            return await self.async_step_credentials()
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_TRACKER): SelectSelector(
                        SelectSelectorConfig(
                            options=list(TRACKER_PRESETS),
                            translation_key=CONF_TRACKER,
                            mode=SelectSelectorMode.DROPDOWN,
                        )
                    )
                }
            ),
        )

    async def async_step_credentials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the URL and API key, and check them with the tracker."""
        preset = TRACKER_PRESETS[self._tracker]
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = {
            CONF_URL: preset.url,
            CONF_AUTH_STYLE: preset.auth_style,
            CONF_API_PATH: DEFAULT_API_PATH,
        }
        if user_input is not None:
            data = entry_data(self._tracker, user_input)
            defaults = {**defaults, **user_input}
            try:
                account = await validate_account(self.hass, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_configured()
                options = (
                    {CONF_ENRICH: preset.enrich}
                    if preset.platform is TrackerPlatform.GAZELLE
                    else {}
                )
                return self.async_create_entry(
                    title=account_title(data, account.username),
                    data={**data, CONF_REMOTE_USER_ID: account.remote_user_id},
                    options=options,
                )
        return self.async_show_form(
            step_id="credentials",
            data_schema=credentials_schema(preset.platform, defaults),
            errors=errors,
            description_placeholders={"tracker": preset.name},
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start over with a new key when the tracker rejects the stored one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new API key only."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            try:
                account = await validate_account(
                    self.hass, {**entry.data, CONF_API_KEY: api_key}
                )
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={
                        CONF_API_KEY: api_key,
                        CONF_REMOTE_USER_ID: account.remote_user_id,
                    },
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_KEY): PASSWORD}),
            errors=errors,
            description_placeholders=_account_placeholders(entry),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, key or Gazelle settings of the same account."""
        entry = self._get_reconfigure_entry()
        platform = TrackerPlatform(entry.data[CONF_PLATFORM])
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = dict(entry.data)
        if user_input is not None:
            # The key is never prefilled, so an empty field means "keep it".
            typed_key = (user_input.get(CONF_API_KEY) or "").strip()
            user_input = {
                **user_input,
                CONF_API_KEY: typed_key or entry.data[CONF_API_KEY],
            }
            data = entry_data(entry.data[CONF_TRACKER], user_input)
            defaults = {**defaults, **user_input}
            try:
                account = await validate_account(self.hass, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                # Follow a username change, but keep a title the user chose.
                title = (
                    account_title(data, account.username)
                    if _username_in_title(entry) is not None
                    else entry.title
                )
                return self.async_update_reload_and_abort(
                    entry,
                    title=title,
                    data_updates={
                        **data,
                        CONF_REMOTE_USER_ID: account.remote_user_id,
                    },
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=credentials_schema(platform, defaults, key_required=False),
            errors=errors,
            description_placeholders=_account_placeholders(entry),
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Return the options flow (Gazelle accounts only)."""
        return TrackerStatsOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Offer options only where there is one: Gazelle's enrichment call."""
        return bool(config_entry.data[CONF_PLATFORM] == TrackerPlatform.GAZELLE)


class TrackerStatsOptionsFlow(OptionsFlow):
    """Switch Gazelle's extra profile request on or off."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the enrichment switch."""
        if user_input is not None:
            return self.async_create_entry(data={CONF_ENRICH: user_input[CONF_ENRICH]})
        preset = TRACKER_PRESETS[self.config_entry.data[CONF_TRACKER]]
        current = self.config_entry.options.get(CONF_ENRICH, preset.enrich)
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {vol.Required(CONF_ENRICH, default=current): BooleanSelector()}
            ),
        )
