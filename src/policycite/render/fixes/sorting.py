"""Sorting: locale collation, and no year suffix in sort keys.

citeproc-py compares sort keys by code point, so "Ålund", "Çelik" and "Émile" sort after
"Zhou"; citeproc-js (and every reader) puts them with A, C and E. Keys are compared here
by a collation key: letters and digits without their accents first (Å as A, Ł as L,
ß as ss; punctuation such as quotation marks ignored), then accents, then case. Year
suffixes (2020a) are assigned after sorting, so they are not part of sort keys:
citeproc-py let them reorder "(Lee, 2020b; Zhang, 2020)" within a citation. Cites tied on
every sort key (same author, same year) follow their year letters, given in
reference-list order: "(Lee, 2020a, 2020b)" however they were typed (APA 7, 8.12).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Letters that carry a stroke or ligature rather than a combining accent.
_BASE_LETTERS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "Þ": "TH",
        "þ": "th",
        "\u0131": "i",  # dotless i
    }
)


#: Markup the HTML formatter wrote into a sort key (an authorless work's italic title);
#: a "<" of the data is a placeholder while rendering (see ``render.output``), never this.
_TAGS = re.compile(r"</?[a-z]+(?:\s[^<>]*)?>")


def collation_key(text: str) -> tuple[str, str, str]:
    """A key that sorts text as a reader expects (accents and case break ties only)."""
    text = _TAGS.sub("", text)  # "<i>Why …" sorted as "iwhy …", before "Rivers …"
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    # Quotation marks and other punctuation do not decide the order: a title quoted as
    # “Glossary …” sorts under G.
    base = "".join(
        c for c in decomposed if (c.isalnum() or c.isspace()) and not unicodedata.combining(c)
    )
    return " ".join(base.casefold().split()), decomposed.casefold(), text


class CollatedSort:
    """cs:sort with collation keys; empty keys last, as in citeproc-py.

    A key is computed only for items the keys before it left tied: APA's ten keys would
    render five macros for every item, where author and date alone decide nearly all.
    """

    def sort(self, items: list[Any], context: Any) -> list[Any]:
        keys = self.findall("cs:key", self.nsmap)
        state = context.get_layout().__dict__
        state[SORTING] = True
        try:
            order = self._order(list(items), keys, 0, context)
        finally:
            state[SORTING] = False
        return order

    def _order(self, items: list[Any], keys: list[Any], level: int, context: Any) -> list[Any]:
        if len(items) < 2:
            return items
        if level == len(keys):
            return _by_suffix(items)
        key = keys[level]
        values = key.sort_keys(items, context)
        descending = key.get("sort", "ascending").lower() == "descending"
        present = [(v, item) for v, item in zip(values, items, strict=True) if v is not None]
        missing = [item for v, item in zip(values, items, strict=True) if v is None]
        numeric = all(_is_int(v) for v, _ in present)
        ranked = sorted(
            ((int(str(v)) if numeric else collation_key(str(v)), item) for v, item in present),
            key=lambda pair: pair[0],
            reverse=descending,
        )
        result: list[Any] = []
        start = 0
        while start < len(ranked):  # items tied on this key are ordered by the next ones
            end = start + 1
            while end < len(ranked) and ranked[end][0] == ranked[start][0]:
                end += 1
            result += self._order([item for _, item in ranked[start:end]], keys, level + 1, context)
            start = end
        return result + self._order(missing, keys, level + 1, context)


def _by_suffix(items: list[Any]) -> list[Any]:
    """Cites tied on every sort key, in the order of their year letters ("2024a, 2024b").

    The letters were given in reference-list order; without them, ties keep their order.
    APA 8.12: "(Kask, 2024a, 2024b)" however they were typed.
    """
    suffixes = [item.reference.get("year_suffix") for item in items]
    if None in suffixes:
        return items
    return [item for _, item in sorted(zip(suffixes, items, strict=True), key=_suffix_rank)]


def _suffix_rank(pair: tuple[Any, Any]) -> tuple[int, str]:
    return len(str(pair[0])), str(pair[0])  # "z" before "aa"


def _is_int(value: Any) -> bool:
    try:
        int(str(value))
    except ValueError:
        return False
    return True


SORTING = "_policycite_sorting"


class NoSuffixInSortKeys:
    """cs:text variable="year-suffix" renders nothing while sort keys are computed."""

    def _variable(self, item: Any, context: Any) -> Any:
        if self.get("variable") == "year-suffix" and context.get_layout().__dict__.get(SORTING):
            return None
        return super()._variable(item, context)
