"""Every translation has exactly the texts of strings.json, with the same placeholders.

Everything is derived from strings.json, so a key added there fails here until
each language has it.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

from custom_components.tracker_stats.const import DOMAIN

PACKAGE = Path(__file__).parents[2] / "custom_components" / DOMAIN
TRANSLATIONS = PACKAGE / "translations"
LANGUAGES = ("en", "de", "fr", "es", "nl", "it", "pl", "pt-BR", "sv")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
# A plain placeholder, or the argument of an ICU plural: {minutes, plural, …}.
PLACEHOLDER = re.compile(r"\{(\w+)[},]")
PLURAL = re.compile(
    r"\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}"
)
# Longer than this and still word for word the English text means untranslated.
UNTRANSLATED_LENGTH = 40
# The repair dialog cut "Redacted (JohnDoe): Tracker nicht erreichbar" (44).
MAX_TITLE = 38
# (language, key path) pairs whose long text is legitimately the English one.
SAME_AS_ENGLISH: frozenset[tuple[str, str]] = frozenset()


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice (json keeps the last silently)."""
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {duplicates}")
    return dict(pairs)


def load(path: Path) -> dict[str, Any]:
    """Parse a JSON file, failing the test with the file name if it is invalid."""
    try:
        data = json.loads(
            path.read_text(encoding="utf-8"), object_pairs_hook=unique_keys
        )
    except ValueError as err:
        pytest.fail(f"{path.name} is not valid JSON: {err}")
    assert isinstance(data, dict), path.name
    return data


def leaves(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted key path, value) for every non-object value of the tree."""
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from leaves(value, path)
        else:
            yield path, value


def english() -> dict[str, str]:
    """Return the texts of strings.json by key path."""
    return dict(leaves(load(PACKAGE / "strings.json")))


def test_strings_json_is_en_json() -> None:
    """A custom integration ships strings.json as translations/en.json."""
    assert load(PACKAGE / "strings.json") == load(TRANSLATIONS / "en.json")


def test_exactly_the_expected_languages() -> None:
    """No language is missing and none slipped in under another name."""
    assert sorted(path.stem for path in TRANSLATIONS.glob("*.json")) == sorted(
        LANGUAGES
    )
    assert not [path.name for path in TRANSLATIONS.iterdir() if path.suffix != ".json"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_keys_as_strings_json(language: str) -> None:
    """The key tree is exactly the English one: nothing missing, nothing extra."""
    texts = dict(leaves(load(TRANSLATIONS / f"{language}.json")))
    expected = english()
    assert sorted(set(expected) - set(texts)) == [], "missing"
    assert sorted(set(texts) - set(expected)) == [], "extra"


@pytest.mark.parametrize("language", TRANSLATED)
def test_texts_are_translated_with_the_same_placeholders(language: str) -> None:
    """Each text is a non-empty string with the English placeholders, translated."""
    texts = dict(leaves(load(TRANSLATIONS / f"{language}.json")))
    for path, source in english().items():
        text = texts.get(path)
        assert isinstance(text, str), path
        assert text.strip(), path
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), path
        if (
            len(source) > UNTRANSLATED_LENGTH
            and (language, path) not in SAME_AS_ENGLISH
        ):
            assert text != source, f"{path} is still English"


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_use_plural_forms(language: str) -> None:
    """No "1 minutes": a count in a sentence is an ICU plural with an "other" form.

    The frontend formats repair texts with ICU message syntax; braces must
    balance or it shows the raw text.
    """
    texts = dict(leaves(load(TRANSLATIONS / f"{language}.json")))
    text = texts["issues.tracker_unreachable.description"]
    [(argument, forms)] = PLURAL.findall(text)
    assert argument == "minutes"
    assert "other {#" in forms
    assert "one {#" in forms
    assert "{minutes}" not in text
    for path, value in texts.items():
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, path
        assert depth == 0, path


@pytest.mark.parametrize("language", LANGUAGES)
def test_repair_titles_fit(language: str) -> None:
    """The repair dialog cuts a long title: with a typical entry title it must fit."""
    texts = dict(leaves(load(TRANSLATIONS / f"{language}.json")))
    for issue in ("tracker_unreachable", "account_warned"):
        title = texts[f"issues.{issue}.title"].replace("{title}", "Redacted (JohnDoe)")
        assert len(title) <= MAX_TITLE, (issue, title)
