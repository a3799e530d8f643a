"""Build the API client for a config entry's data on Home Assistant's session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.loader import async_get_loaded_integration

from .api import TrackerClient, create_client
from .const import (
    CONF_API_PATH,
    CONF_AUTH_STYLE,
    CONF_PLATFORM,
    CONF_REMOTE_USER_ID,
    DOMAIN,
)


def client_for(
    hass: HomeAssistant, data: Mapping[str, Any], *, enrich: bool
) -> TrackerClient:
    """Return a client for ``data`` (entry data or flow input).

    Raises ``ValueError`` when the URL is not an absolute http(s) URL or the
    data does not fit the platform.
    """
    version = async_get_loaded_integration(hass, DOMAIN).version or "0"
    return create_client(
        data[CONF_PLATFORM],
        async_get_clientsession(hass),
        url=data[CONF_URL],
        api_key=data[CONF_API_KEY],
        auth_style=data.get(CONF_AUTH_STYLE),
        api_path=data.get(CONF_API_PATH),
        enrich=enrich,
        remote_user_id=data.get(CONF_REMOTE_USER_ID),
        user_agent=f"HomeAssistant-{DOMAIN}/{version}",
    )
