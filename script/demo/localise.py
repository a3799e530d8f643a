"""The demo's dashboard in the demo's language (scripts/demo --language).

examples/dashboard.yaml is the English example users copy. The demo saves it
translated: each card's entity label becomes the entity's name in the
integration's own translation file (the labels are the entity names), tracker
names stay, and the few other words of titles come from labels.json.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
from pathlib import Path
from typing import Any

from script.processes import REPO

TRANSLATIONS = REPO / "custom_components" / "tracker_stats" / "translations"
LABELS = Path(__file__).with_name("labels.json")
ENGLISH = "en"
# The keys of a dashboard node that hold a title or heading shown as is.
TITLE_KEYS = ("title", "heading")


def languages() -> list[str]:
    """Return the languages the integration is translated into (en first)."""
    others = sorted(p.stem for p in TRANSLATIONS.glob("*.json") if p.stem != ENGLISH)
    return [ENGLISH, *others]


def entity_names(language: str) -> dict[tuple[str, str], str]:
    """Return each entity's name in ``language`` by (domain, translation key)."""
    strings = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return {
        (domain, key): entity["name"]
        for domain, entities in strings["entity"].items()
        for key, entity in entities.items()
        if "name" in entity
    }


class Localiser:
    """Translate the dashboard's labels into one language."""

    def __init__(
        self, language: str, translation_keys: Mapping[str, str], labels: Path = LABELS
    ) -> None:
        """``translation_keys`` maps each entity id to its translation key."""
        table = json.loads(labels.read_text())
        self.language = language
        self.translation_keys = translation_keys
        self.proper_nouns: set[str] = set(table["proper_nouns"])
        self.titles: dict[str, dict[str, str]] = table["titles"]
        self.names = entity_names(language)
        # A title that is an entity's English name ("Ratio") is that entity's name.
        self.english_name_keys = {
            name: domain_key for domain_key, name in entity_names(ENGLISH).items()
        }

    def entity_label(self, entity_id: str, label: str) -> str:
        if label in self.proper_nouns:
            return label
        domain = entity_id.split(".", 1)[0]
        return self.names[(domain, self.translation_keys[entity_id])]

    def title(self, text: str) -> str:
        if text in self.proper_nouns:
            return text
        if (domain_key := self.english_name_keys.get(text)) is not None:
            return self.names[domain_key]
        if self.language == ENGLISH:
            return text
        return self.titles[text][self.language]

    def localise(self, node: Any) -> Any:
        """Return ``node`` (a dashboard or any part of it) with translated labels."""
        if isinstance(node, list):
            return [self.localise(item) for item in node]
        if not isinstance(node, dict):
            return node
        result = {key: self.localise(value) for key, value in node.items()}
        if isinstance(node.get("entity"), str) and isinstance(node.get("name"), str):
            result["name"] = self.entity_label(node["entity"], node["name"])
        for key in TITLE_KEYS:
            if isinstance(node.get(key), str):
                result[key] = self.title(node[key])
        return result


def localised_dashboard(
    dashboard: dict[str, Any], language: str, translation_keys: Mapping[str, str]
) -> dict[str, Any]:
    """Return the dashboard with its labels in ``language``."""
    result: dict[str, Any] = Localiser(language, translation_keys).localise(dashboard)
    return result
