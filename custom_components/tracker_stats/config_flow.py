"""Config flow: add, reauthenticate and reconfigure a tracker account."""

from __future__ import annotations

from collections.abc import Mapping
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
from homeassistant.core import callback
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
    TrackerStats,
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

GAZELLE_FIELDS = (CONF_AUTH_STYLE, CONF_API_PATH)
PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


class FormError(Exception):
    """Input the flow shows back to the user with an error key."""

    def __init__(self, error: str) -> None:
        """Carry the translation key of ``errors.base``."""
        super().__init__(error)
        self.error = error


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


def unique_id_for(url: str, remote_user_id: int) -> str:
    """Return the account-level unique id: tracker host and user id."""
    return f"{(URL(url).host or '').lower()}_{remote_user_id}"


async def validate_account(flow: ConfigFlow, data: Mapping[str, Any]) -> TrackerStats:
    """Ask the tracker who ``data``'s key belongs to; raise FormError if we can't."""
    url = URL(data[CONF_URL])
    if not url.host:
        raise FormError("cannot_connect")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise FormError("insecure_url")
    try:
        client = create_client(flow.hass, data, enrich=False)
        stats = await client.async_get_stats()
    except ValueError as err:
        raise FormError("cannot_connect") from err
    except TrackerAuthError as err:
        raise FormError("invalid_auth") from err
    except TrackerRateLimitError as err:
        raise FormError("rate_limited") from err
    except TrackerConnectionError as err:
        raise FormError("cannot_connect") from err
    except TrackerResponseError as err:
        raise FormError("invalid_response") from err
    except Exception as err:
        _LOGGER.exception("Unexpected error while checking the tracker account")
        raise FormError("unknown") from err
    if stats.remote_user_id is None:
        raise FormError("invalid_response")
    return stats


def credentials_schema(
    platform: TrackerPlatform,
    defaults: Mapping[str, Any],
    *,
    key_required: bool = True,
) -> vol.Schema:
    """Return the credentials form: URL, key, and Gazelle's header and path."""
    key_marker = vol.Required if key_required else vol.Optional
    fields: dict[vol.Marker, Any] = {
        vol.Required(
            CONF_URL, default=defaults.get(CONF_URL, vol.UNDEFINED)
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
    """Return entry.data for a preset and the credentials form's input."""
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
            CONF_URL: preset.url or vol.UNDEFINED,
            CONF_AUTH_STYLE: preset.auth_style,
            CONF_API_PATH: DEFAULT_API_PATH,
        }
        if user_input is not None:
            data = entry_data(self._tracker, user_input)
            defaults = {**defaults, **user_input}
            try:
                stats = await validate_account(self, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(
                    unique_id_for(data[CONF_URL], stats.remote_user_id or 0)
                )
                self._abort_if_unique_id_configured()
                options = (
                    {CONF_ENRICH: preset.enrich}
                    if preset.platform is TrackerPlatform.GAZELLE
                    else {}
                )
                return self.async_create_entry(
                    title=f"{tracker_name(data)} ({stats.username})",
                    data={**data, CONF_REMOTE_USER_ID: stats.remote_user_id},
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
            data = {**entry.data, CONF_API_KEY: user_input[CONF_API_KEY].strip()}
            try:
                stats = await validate_account(self, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(
                    unique_id_for(data[CONF_URL], stats.remote_user_id or 0)
                )
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={
                        CONF_API_KEY: data[CONF_API_KEY],
                        CONF_REMOTE_USER_ID: stats.remote_user_id,
                    },
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_KEY): PASSWORD}),
            errors=errors,
            description_placeholders={"account": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, key or Gazelle settings of the same account."""
        entry = self._get_reconfigure_entry()
        tracker = entry.data[CONF_TRACKER]
        platform = TrackerPlatform(entry.data[CONF_PLATFORM])
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = dict(entry.data)
        if user_input is not None:
            # An empty key field keeps the stored key.
            user_input = {
                **user_input,
                CONF_API_KEY: user_input.get(CONF_API_KEY) or entry.data[CONF_API_KEY],
            }
            data = entry_data(tracker, user_input)
            defaults = {**defaults, **user_input}
            try:
                stats = await validate_account(self, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(
                    unique_id_for(data[CONF_URL], stats.remote_user_id or 0)
                )
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    title=f"{tracker_name(data)} ({stats.username})",
                    data_updates={**data, CONF_REMOTE_USER_ID: stats.remote_user_id},
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=credentials_schema(platform, defaults, key_required=False),
            errors=errors,
            description_placeholders={"account": entry.title},
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
