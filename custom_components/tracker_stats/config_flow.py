"""Config flow: add, reauthenticate and reconfigure a tracker account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .api import TrackerPlatform
from .const import (
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_TRACKER,
    DOMAIN,
    TRACKER_PRESETS,
    tracker_name,
)
from .coordinator import enrich_option
from .flow_helpers import (
    SECRET_SELECTOR,
    FormError,
    account_placeholders,
    account_title,
    credentials_schema,
    entry_data,
    validate_account,
)
from .migration import CONFIG_ENTRY_VERSION


class TrackerStatsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a tracker account."""

    VERSION = CONFIG_ENTRY_VERSION
    _tracker: str

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the tracker."""
        if user_input is not None:
            self._tracker = user_input[CONF_TRACKER]
            return await self._async_step_credentials(None)
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

    # One credentials step per platform: each names its own secret and says
    # where that site makes it.
    async def async_step_gazelle(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a Gazelle site's URL, API key and how to send it."""
        return await self._async_step_credentials(user_input)

    async_step_ggn = async_step_gazelle
    async_step_unit3d = async_step_gazelle
    async_step_animebytes = async_step_gazelle
    async_step_btn = async_step_gazelle
    async_step_mam = async_step_gazelle
    async_step_nebulance = async_step_gazelle

    async def _async_step_credentials(
        self, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Ask for the URL and secret, and check them with the tracker."""
        preset = TRACKER_PRESETS[self._tracker]
        errors: dict[str, str] = {}
        shown: dict[str, Any] = {
            CONF_URL: preset.url,
            "auth_style": preset.auth_style,
        }
        if user_input is not None:
            data = entry_data(self._tracker, preset.platform, user_input)
            shown = {**shown, **user_input}
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
                    data=account.data,
                    options=options,
                )
        return self.async_show_form(
            step_id=preset.platform.value,
            data_schema=credentials_schema(preset.platform, shown),
            errors=errors,
            description_placeholders={
                "tracker": tracker_name({**shown, CONF_TRACKER: self._tracker})
                if shown.get(CONF_URL)
                else preset.name
            },
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start over with a new key when the tracker rejects the stored one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new key only."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, CONF_API_KEY: user_input[CONF_API_KEY].strip()}
            try:
                account = await validate_account(self.hass, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry, data_updates=account.data
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_API_KEY): SECRET_SELECTOR}),
            errors=errors,
            description_placeholders=account_placeholders(entry),
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, key or platform settings of the same account."""
        entry = self._get_reconfigure_entry()
        platform = TrackerPlatform(entry.data[CONF_PLATFORM])
        errors: dict[str, str] = {}
        shown: dict[str, Any] = dict(entry.data)
        if user_input is not None:
            # The key is never prefilled, so an empty field means "keep it".
            typed_key = (user_input.get(CONF_API_KEY) or "").strip()
            user_input = {
                **user_input,
                CONF_API_KEY: typed_key or entry.data[CONF_API_KEY],
            }
            data = entry_data(entry.data[CONF_TRACKER], platform, user_input)
            shown = {**shown, **user_input}
            try:
                account = await validate_account(self.hass, data)
            except FormError as err:
                errors["base"] = err.error
            else:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_mismatch(reason="wrong_account")
                # Follow a username change, but keep a title the user chose.
                old_title = account_title(entry.data, entry.data.get(CONF_USERNAME))
                title = (
                    account_title(account.data, account.username)
                    if entry.title == old_title
                    else entry.title
                )
                return self.async_update_reload_and_abort(
                    entry, title=title, data_updates=account.data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=credentials_schema(platform, shown, key_required=False),
            errors=errors,
            description_placeholders=account_placeholders(entry),
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
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_ENRICH, default=enrich_option(self.config_entry)
                    ): BooleanSelector()
                }
            ),
        )
