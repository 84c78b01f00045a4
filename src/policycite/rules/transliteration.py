"""PC229: a reference-list entry of an APA brief with a title or author in a non-Latin script.

APA prints titles and names in the Latin alphabet (Manual 9.38-9.39; APA Style blog,
"When and how to transliterate titles in references"): "Ivanov, I. I. (2020).
*Ekonomicheskaya politika* [Economic policy]." Only reference-list entries are read, so
Cyrillic or Chinese quoted in the brief's prose never triggers it. When the matched record
has a transliteration, the hint gives APA's rendering of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import PurePath

from policycite.anchors.pinning import shorten
from policycite.findings import Finding
from policycite.rules.context import Context


def is_apa(style: str) -> bool:
    """Whether a check's style is APA (``apa``, ``apa-6th-edition``, a path to ``apa.csl``)."""
    return PurePath(style).name.casefold().startswith("apa")


def _non_latin(text: str | None) -> bool:
    """More than half of the letters are of another script than Latin."""
    letters = [c for c in text or "" if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin * 2 < len(letters)


def untransliterated(ctx: Context, style: str, rendered: Mapping[str, str]) -> list[Finding]:
    """PC229 for each entry whose title or an author is not in the Latin alphabet.

    ``rendered`` maps record keys to their entries in the check's style: the suggestion,
    when the matched record holds a transliterated title or name.
    """
    if not is_apa(style):
        return []
    out = []
    for i, ref in enumerate(ctx.parsed):
        parts = []
        if _non_latin(ref.title):
            parts.append(f"title \u201c{shorten(ref.title or '', 50)}\u201d")
        names = [n.shown for n in ref.authors if _non_latin(n.shown)]
        if names:
            parts.append(f"author \u201c{shorten(names[0], 40)}\u201d")
        if not parts:
            continue
        match = ctx.matches[i]
        source = ctx.matched_source(i)
        romanised = source is not None and (
            source.title_transliterated or any(n.transliterated for n in source.authors)
        )
        if romanised and match is not None and match.key in rendered:
            hint = f"APA writes it in the Latin alphabet: {rendered[match.key]}"
        else:
            hint = (
                "transliterate the title and names (and keep the [English translation]); "
                "record them under custom.transliteration, or capture the page again with "
                "`policycite add --transliterate auto`"
            )
        out.append(
            Finding(
                "PC229",
                f"not in the Latin alphabet: {' and '.join(parts)}",
                hint=hint,
                location=ctx.entry_location(i),
            )
        )
    return out


__all__ = ["is_apa", "untransliterated"]
