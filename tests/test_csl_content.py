"""Issue 16, content: text policycite left out, bibliography order, items that failed.

Every expected string and order is citeproc-js 2.4.63's, given the same style, items and
locale (rendered with tools/citeproc-js/render.js when the test was written).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer

P, ORG, D = pc.Name.person, pc.Name.organisation, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"

SORTED = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="{locale}">
  <info><id>sorted</id><title>sorted</title><updated>2026-12-05T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name name-as-sort-order="all"/></names></macro>
  <citation><layout><text macro="author"/></layout></citation>
  <bibliography>
    <sort><key macro="author"/></sort>
    <layout><text macro="author"/></layout>
  </bibliography>
</style>
"""

FAMILIES = ("Zhou", "Ålund", "Chen", "Humboldt", "Çelik", "Ivanov", "Þórsdóttir", "Šimek", "Tamm")


def _order(tmp_path: Path, locale: str) -> tuple[str, ...]:
    style = tmp_path / f"sorted-{locale}.csl"
    style.write_text(SORTED.format(locale=locale), encoding="utf-8")
    sources = [
        pc.Source(f"k{n}", "report", "T", authors=[P(family, "A.")])
        for n, family in enumerate(FAMILIES)
    ]
    entries = Renderer(pc.Library(sources), str(style)).bibliography().entries
    return tuple(entry.split(",")[0] for entry in entries)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # ICU's root order: accents do not count, Þ after Z.
        (
            "en-US",
            ("Ålund", "Çelik", "Chen", "Humboldt", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
        # Swedish: Å after Z, Þ as "th".
        (
            "sv-SE",
            ("Çelik", "Chen", "Humboldt", "Ivanov", "Šimek", "Tamm", "Þórsdóttir", "Zhou", "Ålund"),
        ),
        # Czech: "ch" a letter after h, š after s.
        (
            "cs-CZ",
            ("Ålund", "Çelik", "Humboldt", "Chen", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
        # Turkish: ç after c.
        (
            "tr-TR",
            ("Ålund", "Chen", "Çelik", "Humboldt", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
    ],
)
def test_bibliography_collates_in_the_styles_locale(
    tmp_path: Path, locale: str, expected: tuple[str, ...]
) -> None:
    assert _order(tmp_path, locale) == expected


def test_generated_labels() -> None:
    rendered = Renderer(
        pc.Library(
            [
                pc.Source(
                    "v",
                    "report",
                    "Opening",
                    authors=[pc.Name(family="Berg", given="M.", non_dropping_particle="van den")],
                    issued=D(2022),
                ),
                pc.Source("w", "report", "港口", authors=[P("王", "秀英")], issued=D(2022)),
                pc.Source(
                    "f",
                    "report",
                    "Four",
                    authors=[P(n, "A.") for n in ("Aa", "Bb", "Cc", "Dd", "Ee")],
                    issued=D(1999),
                ),
            ]
        ),
        str(CSL / "citation-label.csl"),
    ).bibliography()
    assert rendered.entries == ("[ABCD99] Four", "[Berg22] Opening", "[港口22] 港口")
