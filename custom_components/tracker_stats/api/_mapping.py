"""Declarative answer mapping: each statistic, where the answer keeps it, how to read it.

A platform writes a table ``{"uploaded_bytes": read(as_bytes, "userstats.uploaded")}``
instead of a column of conversions. A path is dotted JSON object keys; more
than one path are the spellings forks use, tried in order. Every converter is
one of the bounded ones in ``_parse``: a field it cannot read is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._parse import mapping
from .models import STAT_FIELDS

# Ratio and buffer are derived once, by the client, from the byte counts.
DERIVED_FROM_BYTES = frozenset({"ratio", "buffer_bytes"})


@dataclass(frozen=True, slots=True)
class Rule:
    """Where one statistic is in an answer, and how it is converted."""

    convert: Callable[[Any], Any]
    paths: tuple[tuple[str, ...], ...]

    def __call__(self, answer: Mapping[str, Any]) -> Any:
        """Return the first value a path holds that the converter understands."""
        for path in self.paths:
            value: Any = answer
            for key in path:
                value = mapping(value).get(key)
            if (converted := self.convert(value)) is not None:
                return converted
        return None


type Table = Mapping[str, Rule]


def read(convert: Callable[[Any], Any], *paths: str) -> Rule:
    """Return the rule reading the first of ``paths`` ("a.b.c") ``convert`` takes."""
    return Rule(convert, tuple(tuple(path.split(".")) for path in paths))


def apply(table: Table, answer: Mapping[str, Any]) -> dict[str, Any]:
    """Return every statistic of ``table`` read from ``answer`` (``None`` if absent)."""
    return {name: rule(answer) for name, rule in table.items()}


def known(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return only the values that were read (for overriding others)."""
    return {name: value for name, value in values.items() if value is not None}


def fields_of(*tables: Table, extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the statistics the tables can fill, ratio and buffer included.

    A platform that reads both byte counts can always show a ratio and a
    buffer: the client derives them.
    """
    names = {name for table in tables for name in table} | set(extra)
    if {"uploaded_bytes", "downloaded_bytes"} <= names:
        names |= DERIVED_FROM_BYTES
    # avatar_url and platform_meta are kept, but are no statistics.
    return frozenset(names & STAT_FIELDS)
