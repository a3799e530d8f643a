"""Build the API client for a config entry's data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.loader import async_get_loaded_integration

from .api import DEFAULT_API_PATH, AuthStyle, GazelleClient, GGnClient, TrackerStats
from .const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_PLATFORM,
    DOMAIN,
    TrackerPlatform,
)


class TrackerClient(Protocol):
    """What the integration needs from either platform's client."""

    async def async_get_stats(self, remote_user_id: int | None = None) -> TrackerStats:
        """Return the account's statistics."""


def create_client(
    hass: HomeAssistant, data: Mapping[str, Any], *, enrich: bool
) -> TrackerClient:
    """Return a client for ``data`` (entry data or flow input) on HA's session.

    Raises ``ValueError`` when the URL is not an absolute http(s) URL.
    """
    session = async_get_clientsession(hass)
    user_agent = f"HomeAssistant-{DOMAIN}/{_integration_version(hass)}"
    if data[CONF_PLATFORM] == TrackerPlatform.GGN:
        return GGnClient(
            session, data[CONF_URL], data[CONF_API_KEY], user_agent=user_agent
        )
    return GazelleClient(
        session,
        data[CONF_URL],
        data[CONF_API_KEY],
        auth_style=AuthStyle(data.get(CONF_AUTH_STYLE, AuthStyle.TOKEN)),
        api_path=data.get(CONF_API_PATH) or DEFAULT_API_PATH,
        enrich=enrich,
        user_agent=user_agent,
    )


def _integration_version(hass: HomeAssistant) -> str:
    return str(async_get_loaded_integration(hass, DOMAIN).version or "0")
