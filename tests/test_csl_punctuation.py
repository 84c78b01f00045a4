"""Punctuation, spacing, dates and numbers as citeproc-js 2.4.63 prints them (issue 16).

Every expected string here is citeproc-js's output for the same items and style (rendered
with tools/citeproc-js/render.js when the case was written).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer

P, D = pc.Name.person, pc.PartialDate
ORG = pc.Name.organisation
CSL = Path(__file__).parent / "data" / "csl"


def _bibliography(style: str, sources: list[pc.Source], output: str = "text") -> tuple[str, ...]:
    result = Renderer(pc.Library(sources), str(CSL / style), output=output).bibliography()
    assert result.findings == ()
    return result.entries


def _citations(style: str, sources: list[pc.Source], cites: list[str]) -> tuple[str, ...]:
    clusters = [c for text in cites for c in pc.parse_citations(text)]
    result = Renderer(pc.Library(sources), str(CSL / style)).citations(clusters)
    return result.entries


def test_narrow_spaces_in_every_locale_but_not_in_affixes_or_numbers() -> None:
    source = pc.Source(
        "a",
        "book",
        "Why : now ? or \u00ab this \u00bb ; ok !",
        publisher="Pub : X",
        issued=D(2020, 5, 1),
        extra={"volume": "3 : 4"},
    )
    assert _bibliography("narrow-spaces-en.csl", [source]) == (
        "Why\u202f: now\u202f? or \u00ab\u202fthis\u202f\u00bb\u202f; ok\u202f! : [ ; ]"
        # The value's own space stays before the prefix's (see the value-spaces fix).
        "Avail\u202f:  \u00ab Pub\u202f: X \u00bb and ! ; May 1, 2020 ? 3 : 4",
    )


def test_narrow_spaces_in_html() -> None:
    source = pc.Source("a", "report", "Pourquoi ? Un bilan", publisher="Office", genre="Note")
    (entry,) = _bibliography("narrow-spaces.csl", [source], output="html")
    assert entry.startswith("Pourquoi\u202f? Un bilan. Office, ")
    assert "Disponible sur\u202f: " in entry


def test_locator_ranges_take_the_locales_delimiter() -> None:
    sources = [pc.Source("a", "report", "Alpha", number="SSEO-20-3")]
    cites = [
        "[@a, para. 14-16]",
        "[@a, pp. 14-16]",
        "[@a, chap. 2\u20133]",
        "[@a, sec. 2-3 & 5]",
        "[@a, para. 4a-6]",
    ]
    assert _citations("locator-ranges.csl", sources, cites) == (
        "paras. 14-16",
        "pp. 14-16",
        "chaps. 2\u20133",
        "secs. 2-3 & 5",
        "paras. 4a-6",
    )


def test_numbers_that_are_not_all_numbers_are_printed_as_they_are() -> None:
    values = ["SSEO-20-3", "2-3", "OHA-2023", "12a-14", "2, 4-6", "A-3", "iv-vi", "2\u20133"]
    sources = [pc.Source(f"k{i}", "report", f"T{i}", number=v) for i, v in enumerate(values)]
    expected = [
        "SSEO-20-3",
        "2\u20133",
        "OHA-2023",
        "12a\u201314",
        "2, 4\u20136",
        "A-3",
        "iv\u2013vi",
        "2\u20133",
    ]
    assert _bibliography("number-text-ranges.csl", sources) == tuple(
        f"T{i}, No. {e}" for i, e in enumerate(expected)
    )


def test_date_range_ends_without_the_first_parts_prefix() -> None:
    sources = [
        pc.Source("a", "report", "Alpha", issued=D(2022, 11, end=D(2023, 2))),
        pc.Source("c", "report", "Gamma", issued=D(2019, 5, end=D(2019, 7))),
        pc.Source("d", "report", "Delta", issued=D(2021, 9, 28, end=D(2021, 9, 30))),
    ]
    assert _bibliography("date-range-affixes.csl", sources) == (
        "Alpha; <Nov.> (2022\u2013Feb.> (2023)",
        "Gamma; <May\u2013July> (2019)",
        "Delta; <Sept.> (2021)",
    )


def test_day_ordinals_in_html() -> None:
    sources = [pc.Source("a", "report", "Alpha", issued=D(2020, 9, 1))]
    assert _bibliography("day-ordinals.csl", sources, output="html") == (
        "Alpha, 1<sup>e</sup><sup>r</sup> septembre 2020",
    )


def test_decorated_text_keeps_the_seams_after_it() -> None:
    sources = [
        pc.Source("a", "report", "Alpha", publisher="P", container_title="Ledger", genre="R")
    ]
    # The italic container title's suffix " " and the genre's prefix " " both stay.
    assert _bibliography("decorated-seams.csl", sources) == ("Alpha.. Online. Ledger  R",)
    assert _bibliography("decorated-seams.csl", sources, output="html") == (
        "<i>Alpha</i>.. Online. <i>Ledger</i>  R",
    )


def test_display_suffix_goes_to_the_last_child() -> None:
    sources = [
        pc.Source("a", "report", "Alpha", publisher="Port Office"),
        pc.Source("b", "report", "Beta", publisher="Port Office", genre="Press release"),
    ]
    assert _bibliography("display-suffix-lost.csl", sources) == (
        "Alpha     Port Office",
        "Beta     Port Office. Press release.",
    )


def test_sort_separator_keeps_one_space_of_its_trailing_run() -> None:
    # karlstad-universitet-harvard's sort-separator=",  " prints "Aris, M." in citeproc-js.
    sources = [
        pc.Source(
            "a", "book", "Tides", authors=[P("Aris", "Mary"), P("Bo", "Chen")], issued=D(2020)
        )
    ]
    assert _bibliography("sort-separator-spaces.csl", sources) == (
        "Aris,   x Mary;  Bo,   x Chen  Tides",
    )
    assert _citations("sort-separator-spaces.csl", sources, ["[@a]"]) == ("(Aris M., Bo C. 2020)",)


def test_an_empty_cite_group_delimiter_counts_as_none() -> None:
    # urban-geography: cite-group-delimiter="" printed "(Ålund, 2020a2020b)".
    sources = [
        pc.Source("a", "book", "T", authors=[P("Aris", "Mary")], issued=D(2020)),
        pc.Source("b", "book", "U", authors=[P("Aris", "Mary")], issued=D(2021)),
        pc.Source("c", "book", "V", authors=[P("Bo", "Mary")], issued=D(2021)),
    ]
    assert _citations("empty-cite-group-delimiter.csl", sources, ["[@a; @b; @c]"]) == (
        "(Aris, 2020, 2021; Bo, 2021)",
    )


def test_a_double_space_cite_group_delimiter_in_html() -> None:
    # karlstad-universitet-harvard: citeproc-js's HTML escape writes "  " as "&#160; ".
    sources = [
        pc.Source("a", "book", "T", authors=[ORG("Maritime Centre")], issued=D(2022)),
        pc.Source("b", "book", "U", authors=[ORG("Maritime Centre")], issued=D(2019)),
    ]
    style = str(CSL / "double-space-cite-group-delimiter.csl")
    clusters = pc.parse_citations("[@a; @b]")
    html = Renderer(pc.Library(sources), style, output="html").citations(clusters).entries
    text = Renderer(pc.Library(sources), style).citations(clusters).entries
    assert html == ("(Maritime Centre 2022\u00a0 2019)",)
    assert text == ("(Maritime Centre 2022  2019)",)


def test_a_period_after_a_quoted_question_goes_when_it_belongs_to_a_level_above() -> None:
    # en-GB. citeproc-js copies a delimiter's "." onto the element before it and moves a
    # group's or layout's suffix down onto its last text: after "?’" it goes, except
    # where the quoted text itself carries it (the citation's direct child).
    sources = [
        pc.Source("a", "report", "What next?", publisher="Port Office"),
        pc.Source("b", "report", "What now?"),
        pc.Source("c", "report", "The ports", publisher="Port Office"),
    ]
    assert _bibliography("quoted-levels.csl", sources) == (
        "‘What next?’ ‘What next?’ Port Office.",
        "‘What now?’ ‘What now?’",
        "‘The ports’. ‘The ports’. Port Office.",
    )
    assert _citations("quoted-levels.csl", sources, ["[@a]", "[@b]"]) == (
        "‘What next?’. Port Office.",
        "‘What now?’",
    )
    bare = Renderer(
        pc.Library(sources),
        str(CSL / "quoted-levels.csl"),
        disabled_fixes=["quoted-sentence-period"],
    ).bibliography()
    assert bare.entries[0] != "‘What next?’ ‘What next?’ Port Office."


def test_a_delimiter_comma_after_a_quoted_title_with_its_own_comma_is_one_comma() -> None:
    # en-US punctuation-in-quote: the suffix "," goes inside, the delimiter's does not
    # come in again (frontiers, law-and-society-review: "“Winter navigation,,”").
    sources = [
        pc.Source("a", "report", "Winter navigation", publisher="P"),
        pc.Source("b", "report", "What now?", publisher="P"),
    ]
    assert _bibliography("quoted-comma.csl", sources) == (
        "“Winter navigation,” P.",
        "“What now?,” P.",
    )


def test_normal_decoration_of_an_aligned_first_field_prints_nothing() -> None:
    """citeproc-js 2.4.63: no span for font-weight="normal" with no bold around it."""
    sources = [pc.Source("a", "report", "Alpha")]
    assert _bibliography("normal-first-field.csl", sources, output="html") == (
        '<div class="csl-left-margin">1.</div><div class="csl-right-inline">Alpha.</div>',
    )


def test_no_internal_marker_reaches_the_output() -> None:
    from policycite.render.output import FORMATS
    from policycite.render.quotemarks import MARKERS, NORMALS, TERM_START

    markers = "".join(MARKERS) + TERM_START + "".join(a + b for a, b in NORMALS.values())
    for fmt in FORMATS.values():
        assert fmt.decode(f"1{markers}.") == "1."


@pytest.mark.parametrize(
    ("output", "entry"),
    [  # citeproc-js 2.4.63
        ("text", "[1. Alpha"),
        ("html", '<div class="csl-left-margin">[1. Alpha</div>'),
    ],
)
def test_aligned_layout_with_one_child_is_all_left_margin(output: str, entry: str) -> None:
    """second-field-align, one child: all of it in the margin, the layout suffix lost."""
    sources = [pc.Source("a", "report", "Alpha")]
    assert _bibliography("aligned-one-child.csl", sources, output=output) == (entry,)


def test_collapse_year_in_a_numeric_citation_keeps_the_layout_delimiter() -> None:
    # citeproc-js's update_mode NUMERIC: no ", " between cites that print no names.
    sources = [
        pc.Source("a", "report", "A", authors=[P("Lee", "S.")], issued=D(2020)),
        pc.Source("b", "report", "B", authors=[P("Lee", "S.")], issued=D(2021)),
        pc.Source("c", "report", "C", authors=[P("Kim", "J.")], issued=D(2021)),
    ]
    assert _citations("collapse-year-numeric.csl", sources, ["[@a; @b]", "[@a; @c]"]) == (
        "[1,2]",
        "[1,3]",
    )
