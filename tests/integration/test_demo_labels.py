"""scripts/demo --language shows the dashboard with no English word of ours.

The demo (script/demo/localise.py) replaces each entity label of
examples/dashboard.yaml with the entity's name in the translation file, and
each other title with script/demo/labels.json's. These tests read the same
files (tests import nothing from script/): every label of the dashboard has
a translation in each language the integration speaks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).parents[2]
DASHBOARD = REPO / "examples" / "dashboard.yaml"
LABELS = REPO / "script" / "demo" / "labels.json"
TRANSLATIONS = REPO / "custom_components" / "tracker_stats" / "translations"
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))


def entity_names(language: str) -> dict[tuple[str, str], str]:
    strings = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return {
        (domain, key): entity["name"]
        for domain, entities in strings["entity"].items()
        for key, entity in entities.items()
        if "name" in entity
    }


def walk(node: Any) -> list[dict[str, Any]]:
    """Return every mapping of the dashboard, depth first."""
    if isinstance(node, list):
        return [found for item in node for found in walk(item)]
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in walk(value))]
    return []


def translation_key(entity_id: str) -> tuple[str, str]:
    """Derive an entity's translation key from its id: the id ends in its English name."""
    domain = entity_id.split(".", 1)[0]
    matches = [
        (name, key)
        for (name_domain, key), name in entity_names("en").items()
        if name_domain == domain
        and entity_id.endswith("_" + name.lower().replace(" ", "_"))
    ]
    assert matches, entity_id
    return domain, max(matches, key=lambda match: len(match[0]))[1]


NODES = walk(yaml.safe_load(DASHBOARD.read_text()))
TABLE = json.loads(LABELS.read_text())


def test_the_demo_speaks_the_integrations_nine_languages() -> None:
    assert LANGUAGES == ["de", "en", "es", "fr", "it", "nl", "pl", "pt-BR", "sv"]
    for text, translated in TABLE["titles"].items():
        assert sorted(translated) == [lang for lang in LANGUAGES if lang != "en"], text


def test_entity_labels_are_the_entities_english_names() -> None:
    """So the demo's label in any language is the entity's name in it."""
    proper_nouns = set(TABLE["proper_nouns"])
    labelled = [
        node for node in NODES if "entity" in node and isinstance(node.get("name"), str)
    ]
    assert len(labelled) > 100
    english = entity_names("en")
    for node in labelled:
        if node["name"] not in proper_nouns:
            assert node["name"] == english[translation_key(node["entity"])]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_has_a_translation(language: str) -> None:
    names = entity_names(language)
    english_names = set(entity_names("en").values())
    proper_nouns = set(TABLE["proper_nouns"])
    for node in NODES:
        if "entity" in node and isinstance(node.get("name"), str):
            if node["name"] not in proper_nouns:
                assert names.get(translation_key(node["entity"])), node
        for key in ("title", "heading"):
            text = node.get(key)
            if not isinstance(text, str) or text in proper_nouns:
                continue
            if text in english_names:
                (domain_key,) = (k for k, v in entity_names("en").items() if v == text)
                assert names.get(domain_key), text
            elif language != "en":
                assert TABLE["titles"][text][language], text
