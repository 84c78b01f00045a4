"""Citation clusters as citeproc-js renders them: document positions and collapsing.

Every expected string is citeproc-js 2.4.63's output for the same CSL items, style and
locale (en-US): documents through ``processCitationCluster``, one citation after
another (``tools/citeproc_document.js``; a note style puts each cluster in its own
footnote, noteIndex 1, 2, …; an in-text style has noteIndex 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer
from policycite.render.fixes.positions import (
    FIRST,
    IBID,
    IBID_WITH_LOCATOR,
    NEAR_NOTE,
    POSITION,
    SUBSEQUENT,
    NoteCitation,
    assign_positions,
    position_tests,
)

P, D = pc.Name.person, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"


def _lee(key: str, title: str, year: int) -> pc.Source:
    return pc.Source(key, "report", title, authors=[P("Lee", "Sun")], issued=D(year))


KIM = pc.Source("k", "report", "K", authors=[P("Kim", "Ji")], issued=D(2019))
ALPHA_BETA = [pc.Source("A", "report", "Alpha"), pc.Source("B", "report", "Beta")]
# Real works (bibliographic metadata is fact); two by one author, one by two.
GABUEV_A = pc.Source(
    "gabuev2020a",
    "report",
    "Russia and China: A Strategic Alignment",
    authors=[P("Gabuev", "Alexander")],
    issued=D(2020, 3),
    publisher="Carnegie Moscow Center",
)
GABUEV_B = pc.Source(
    "gabuev2020b",
    "report",
    "The Pivot to Asia Revisited",
    authors=[P("Gabuev", "Alexander")],
    issued=D(2020, 9),
    publisher="Carnegie Moscow Center",
)
KASK = pc.Source(
    "kask2024",
    "report",
    "Baltic Energy Security after 2022",
    authors=[P("Kask", "Liis"), P("Lind", "Jaan")],
    issued=D(2024),
    publisher="Tallinn Policy Institute",
)


def _document(
    style: str, sources: list[pc.Source], texts: list[str], *, positions: bool = True
) -> list[str]:
    clusters = [c for text in texts for c in pc.parse_citations(text)]
    result = Renderer(pc.Library(sources), style).citations(clusters, positions=positions)
    assert not result.findings
    return list(result.entries)


# (style, sources, clusters of one document, citeproc-js's citations)
DOCUMENTS = {
    # ibid and ibid-with-locator (a locator repeated is plain ibid), a term opening a
    # note capitalized, first-reference-note-number, ibid inside a cluster.
    "positions": (
        str(CSL / "positions.csl"),
        ALPHA_BETA,
        [
            "[@A]",
            "[@A, p. 4]",
            "[@A, p. 4]",
            "[@A]",
            "[@B; @A]",
            "[@A]",
            "[@B, p. 2]",
            "[@B, p. 2; @B, p. 3; @B]",
        ],
        [
            "Alpha.",
            "Ibid., 4.",
            "Ibid.",
            "Alpha at n 1.",
            "Beta; Alpha at n 1.",
            "Alpha at n 1.",
            "Beta at n 5 2.",
            "Ibid.; ibid., 3; Beta at n 5.",
        ],
    ),
    # An in-text style: citations are note 0; ibid when the citation before ended with
    # the same item; a term is never capitalized.
    "positions-in-text": (
        str(CSL / "positions-in-text.csl"),
        ALPHA_BETA,
        ["[@A]", "[@A, p. 4]", "[@B; @A]", "[@A]", "[@B]"],
        ["Alpha.", "ibid., 4.", "Beta; Alpha above.", "ibid.", "Beta above."],
    ),
    # Two works by one author in one note: the second is a first cite, not "ibid."; the
    # note after a note of two cites is subsequent, not ibid.
    "chicago-ibid": (
        "chicago-notes-bibliography-subsequent-ibid",
        [GABUEV_A, GABUEV_B, KASK],
        [
            "[@gabuev2020a; @gabuev2020b]",
            "[@gabuev2020b]",
            "[@gabuev2020b, p. 4]",
            "[@gabuev2020b, p. 4]",
            "[@gabuev2020b]",
            "[@kask2024, p. 3; @kask2024, p. 5]",
        ],
        [
            "Alexander Gabuev, Russia and China: A Strategic Alignment (Carnegie Moscow "
            "Center, 2020); Alexander Gabuev, The Pivot to Asia Revisited (Carnegie Moscow "
            "Center, 2020).",
            "Gabuev, The Pivot to Asia Revisited.",
            "Ibid., 4.",
            "Ibid.",
            "Gabuev, The Pivot to Asia Revisited.",
            "Liis Kask and Jaan Lind, Baltic Energy Security after 2022 (Tallinn Policy "
            "Institute, 2024), 3; ibid., 5.",
        ],
    ),
    # first-reference-note-number: "(n 1)".
    "aglc": (
        "australian-guide-to-legal-citation",
        [GABUEV_A, KASK],
        ["[@gabuev2020a]", "[@kask2024]", "[@gabuev2020a, p. 9]", "[@kask2024; @gabuev2020a]"],
        [
            "Alexander Gabuev, Russia and China: A Strategic Alignment (Carnegie Moscow "
            "Center, March 2020).",
            "Liis Kask and Jaan Lind, Baltic Energy Security after 2022 (Tallinn Policy "
            "Institute, 2024).",
            "Gabuev (n 1) 9.",
            "Kask and Lind (n 2); Gabuev (n 1).",
        ],
    ),
    # collapse="year-suffix": "2020 a; b; c" (the style prints year and suffix apart).
    "year-suffix": (
        str(CSL / "collapse-year-suffix.csl"),
        [*(_lee(key, key.upper(), 2020) for key in "abc"), _lee("d", "D", 2021), KIM],
        ["[@a; @b; @c; @d]", "[@a; @k; @c]", "[@a, p. 3; @b]"],
        ["(Lee 2020 a; b; c, 2021)", "(Lee 2020 a; Kim 2019; Lee 2020 c)", "(Lee 2020 a; b)"],
    ),
    # collapse="year-suffix-ranged": three suffixes in a row or more become a range.
    "year-suffix-ranged": (
        str(CSL / "collapse-year-suffix-ranged.csl"),
        [_lee(key, key.upper(), 2020) for key in "abcd"] + [_lee("e", "E", 2021)],
        ["[@a; @b; @c; @d; @e]", "[@a; @c; @d; @e]", "[@a; @b]"],
        ["(Lee 2020 a–d, 2021)", "(Lee 2020 a; c; d, 2021)", "(Lee 2020 a; b)"],
    ),
    # collapse="citation-number": ranges of three or more; a cite with a locator stands
    # alone.
    "citation-number": (
        "american-medical-association",
        [_lee(key, key.upper(), 2020) for key in "abcdef"],
        ["[@a; @b; @c; @d; @f]", "[@a; @b]", "[@a; @c; @d; @e; @f]", "[@b; @c, p. 4; @d; @e]"],
        ["1–5", "1,2", "1,3–6", "2,3(p4),4,6"],
    ),
    # year-suffix-ranged with after-collapse-delimiter; a locator ends the group.
    "after-collapse-delimiter": (
        "annual-reviews-author-date",
        [_lee("a", "A", 2020), _lee("b", "B", 2021), KIM],
        ["[@a; @b; @k]", "[@a, p. 4; @b; @k]"],
        ["(Kim 2019; Lee 2020, 2021)", "(Kim 2019; Lee 2020, p. 4; 2021)"],
    ),
    # cite-group-delimiter; cites of one author brought together.
    "cite-group-delimiter": (
        "accident-analysis-and-prevention",
        [_lee("a", "A", 2020), _lee("b", "B", 2021), KIM],
        ["[@a; @b; @k]", "[@k; @a; @b]"],
        ["(Kim, 2019; Lee, 2021, 2020)", "(Kim, 2019; Lee, 2021, 2020)"],
    ),
    # APA: collapse="year", its locators kept in the group.
    "apa": (
        "apa",
        [_lee("a", "A", 2020), _lee("b", "B", 2021), KIM],
        ["[@a; @k; @b]", "[@a, p. 4; @b]"],
        ["(Kim, 2019; Lee, 2020, 2021)", "(Lee, 2020, p. 4, 2021)"],
    ),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_as_citeproc_js(name: str) -> None:
    style, sources, texts, expected = DOCUMENTS[name]
    assert _document(style, sources, texts) == expected


def test_without_positions_every_cite_is_first() -> None:
    # citeproc-js's makeCitationCluster: each cluster alone.
    texts = ["[@A]", "[@A, p. 4]", "[@A, p. 4]", "[@A]"]
    rendered = _document(str(CSL / "positions.csl"), ALPHA_BETA, texts, positions=False)
    assert rendered == ["Alpha.", "Alpha, 4.", "Alpha, 4.", "Alpha."]


class _Item(dict[str, object]):
    def __init__(self, key: str, locator: str | None = None) -> None:
        super().__init__()
        self.key = key
        if locator is not None:
            self["locator"] = locator


def test_ibid_needs_a_note_of_one_cite() -> None:
    # citeproc-js: the first cite of a note is ibid only when the note before held one
    # cite, of the same item (test suite: position_IbidWithMultipleSoloCitesInBackref).
    a1, b1, b2, b3 = _Item("a"), _Item("b"), _Item("b"), _Item("b")
    assign_positions(
        [NoteCitation(1, [a1]), NoteCitation(1, [b1]), NoteCitation(2, [b2]), NoteCitation(3, [b3])]
    )
    assert [dict.get(i, POSITION) for i in (a1, b1, b2, b3)] == [FIRST, FIRST, SUBSEQUENT, IBID]


def test_locators_decide_ibid_with_locator() -> None:
    cites = [_Item("a", "4"), _Item("a", "4"), _Item("a", "5"), _Item("a")]
    assign_positions([NoteCitation(n + 1, [cite]) for n, cite in enumerate(cites)])
    positions = [dict.get(i, POSITION) for i in cites]
    # A locator before and none now: subsequent.
    assert positions == [FIRST, IBID, IBID_WITH_LOCATOR, SUBSEQUENT]


def test_near_note_distance_and_restart() -> None:
    a1, b, a2, a3 = _Item("a"), _Item("b"), _Item("a"), _Item("a")
    # Notes 1, 5, 9; then numbering starts again at 2 (a new chapter): a first cite again.
    assign_positions(
        [NoteCitation(1, [a1]), NoteCitation(5, [b]), NoteCitation(9, [a2]), NoteCitation(2, [a3])],
        distance=5,
    )
    assert dict.get(a2, NEAR_NOTE) is False  # 8 notes back
    assert dict.get(a3, POSITION) == FIRST


def test_position_tests_follow_citeproc_js_ranks() -> None:
    tests = ["first", "subsequent", "ibid", "ibid-with-locator", "near-note"]
    assert position_tests(tests, IBID_WITH_LOCATOR, True) == [False, True, True, True, True]
    assert position_tests(tests, IBID, False) == [False, True, True, False, False]
    assert position_tests(tests, FIRST, True) == [True, False, False, False, False]


# Two works with no author (printed as "Anon" or not at all), two by one author.
NAMES_ALIKE = pc.Library(
    [
        pc.Source("a", "report", "A", issued=D(2021)),
        pc.Source("b", "report", "B", issued=D(2022)),
        pc.Source("c", "report", "C", authors=[P("Kask", "L")], issued=D(2020)),
        pc.Source("d", "report", "D", authors=[P("Kask", "L")], issued=D(2021)),
    ]
)


@pytest.mark.parametrize(
    ("style", "cites", "expected"),
    [  # citeproc-js 2.4.63
        # Only printed names collapse: "Anon" stands for none, so it is repeated.
        ("collapse-anonymous.csl", "[@a; @b; @c; @d]", "(Anon 2021, Anon 2022; Kask 2020, 2021)"),
        # cite-group-delimiter alone: grouped by the names printed, the names kept.
        ("cite-group-no-collapse.csl", "[@a; @c; @d]", "(2021; Kask 2020, Kask 2021)"),
        # collapse="citation-number" leaves out a repeated name too (any collapse does).
        ("collapse-number-names.csl", "[@c; @d]", "L Kask. C; D."),
    ],
)
def test_cites_whose_printed_names_are_alike(style: str, cites: str, expected: str) -> None:
    renderer = Renderer(NAMES_ALIKE, str(CSL / style))
    assert renderer.citations(pc.parse_citations(cites)).entries == (expected,)
