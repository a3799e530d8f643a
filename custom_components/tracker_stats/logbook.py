"""The logbook line of an alert: which alert it was, and the values.

Home Assistant's own logbook line for an event entity only says that it
detected an event; the entity fires ``tracker_stats_alert`` beside it so that
the history names each alert.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN, EVENT_ALERT

_TYPE_NAME = (
    "component.{domain}.entity.event.alert.state_attributes.event_type.state.{type}"
)


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, Any]]], None],
) -> None:
    """Describe the alert events."""

    @callback
    def describe(event: Event) -> dict[str, Any]:
        data = event.data
        entity_id = data.get(ATTR_ENTITY_ID)
        event_type = str(data.get("event_type"))
        # The entity's own texts, in the language Home Assistant runs in.
        names = async_get_cached_translations(
            hass, hass.config.language, "entity", DOMAIN
        )
        message = names.get(
            _TYPE_NAME.format(domain=DOMAIN, type=event_type), event_type
        )
        previous, current = data.get("previous"), data.get("current")
        if not isinstance(current, bool):
            # A flag's name says it all; a value shows where it came from.
            message = f"{message}: {previous} → {current}"
        state = hass.states.get(entity_id) if isinstance(entity_id, str) else None
        return {
            LOGBOOK_ENTRY_NAME: state.name if state else entity_id,
            LOGBOOK_ENTRY_MESSAGE: message,
            LOGBOOK_ENTRY_ENTITY_ID: entity_id,
        }

    async_describe_event(DOMAIN, EVENT_ALERT, describe)
