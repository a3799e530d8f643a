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
from homeassistant.const import CONF_API_KEY, CONF_URL, CONF_USERNAME, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .api import TrackerPlatform
from .const import (
    CONF_ENRICH,
    CONF_PLATFORM,
    CONF_RATIO_DROP,
    CONF_STALE_MINUTES,
    CONF_TRACKER,
    DOMAIN,
    GENERIC_TRACKERS,
    TRACKER_PRESETS,
)
from .flow_helpers import (
    CREDENTIALS_STEPS,
    SECRET_SELECTOR,
    FormError,
    TrackerAccount,
    account_placeholders,
    account_title,
    credentials_schema,
    credentials_step,
    entry_data,
    rejected_key_error,
    validate_account,
)
from .health_options import (
    HEALTH_OPTIONS,
    health_answer,
    health_schema,
    shown_health_options,
)
from .migration import CONFIG_ENTRY_VERSION
from .options import MAX_RATIO_DROP, MAX_STALE_MINUTES, MIN_RATIO_DROP, AccountOptions


class TrackerStatsConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a tracker account."""

    VERSION = CONFIG_ENTRY_VERSION
    _tracker: str

    async def _async_check(
        self, data: Mapping[str, Any], errors: dict[str, str]
    ) -> TrackerAccount | None:
        """Ask the tracker whose account ``data`` reaches; on failure fill ``errors``."""
        try:
            return await validate_account(self.hass, data)
        except FormError as err:
            error = err.error
            if error == "invalid_auth":
                error = rejected_key_error(data[CONF_PLATFORM])
            errors["base"] = error
            return None

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
            if account := await self._async_check(data, errors):
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_configured()
                # No options yet: AccountOptions fills in the defaults.
                return self.async_create_entry(
                    title=account_title(data, account.username), data=account.data
                )
        generic = self._tracker in GENERIC_TRACKERS
        return self.async_show_form(
            step_id=credentials_step(self._tracker),
            data_schema=credentials_schema(preset.platform, shown),
            errors=errors,
            description_placeholders=None if generic else {"tracker": preset.name},
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
            if account := await self._async_check(data, errors):
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
            if account := await self._async_check(data, errors):
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
        """Return the options flow (every platform has alert options)."""
        return TrackerStatsOptionsFlow()


# The flow manager calls a form's answer back as ``async_step_<step id>``
# (looked up by name, with hasattr and getattr): every credentials step the
# presets lead to is the one method, so a new platform's sites need no code here.
for _step in CREDENTIALS_STEPS:
    setattr(
        TrackerStatsConfigFlow,
        f"async_step_{_step}",
        TrackerStatsConfigFlow._async_step_credentials,  # noqa: SLF001
    )


class TrackerStatsOptionsFlow(OptionsFlow):
    """Alert thresholds, and Gazelle's extra profile request."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options; the entry reloads when they change."""
        entry = self.config_entry
        errors: dict[str, str] = {}
        if user_input is not None:
            health, errors = health_answer(user_input)
            stale_minutes = user_input[CONF_STALE_MINUTES]
            if stale_minutes != int(stale_minutes):
                errors[CONF_STALE_MINUTES] = "whole_minutes"
            if not errors:
                return self.async_create_entry(
                    data={
                        **user_input,
                        CONF_RATIO_DROP: float(user_input[CONF_RATIO_DROP]),
                        CONF_STALE_MINUTES: int(stale_minutes),
                        **health,
                    }
                )
        current = AccountOptions.of(entry)
        shown = {
            CONF_ENRICH: current.enrich,
            CONF_RATIO_DROP: current.ratio_drop,
            CONF_STALE_MINUTES: current.stale_minutes,
            # What the user typed replaces the stored values, empty ones too.
            **(
                shown_health_options(entry)
                if user_input is None
                else {key: user_input.get(key) for key in HEALTH_OPTIONS}
            ),
            **(user_input or {}),
        }
        schema: dict[vol.Marker, Any] = {}
        if entry.data[CONF_PLATFORM] == TrackerPlatform.GAZELLE:
            schema[vol.Required(CONF_ENRICH, default=shown[CONF_ENRICH])] = (
                BooleanSelector()
            )
        schema[vol.Required(CONF_RATIO_DROP, default=shown[CONF_RATIO_DROP])] = (
            NumberSelector(
                NumberSelectorConfig(
                    min=MIN_RATIO_DROP,
                    max=MAX_RATIO_DROP,
                    step=0.01,
                    mode=NumberSelectorMode.BOX,
                )
            )
        )
        schema[vol.Required(CONF_STALE_MINUTES, default=shown[CONF_STALE_MINUTES])] = (
            NumberSelector(
                NumberSelectorConfig(
                    min=1,
                    max=MAX_STALE_MINUTES,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement=UnitOfTime.MINUTES,
                )
            )
        )
        schema.update(health_schema(shown))
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(schema),
            errors=errors,
            # With several accounts, the dialog says which one is open.
            description_placeholders=account_placeholders(entry),
        )
