"""Groups, macros, labels, conditions and terms as citeproc-js renders them.

Issue 16 (causes 3 and 6): every expected string below is citeproc-js 2.4.63's output for
the same style (tests/data/csl/) and the same CSL items, in the same output format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policycite as pc
from policycite.render.engine import Renderer
from policycite.render.fixes.conditions import is_numeric

P, D = pc.Name.person, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"
LEE = [{"family": "Lee", "given": "Sara"}]


def _render(
    style: str, sources: list[pc.Source], cites: list[str] | None, output: str = "text"
) -> tuple[str, ...]:
    renderer = Renderer(pc.Library(sources), str(CSL / style), output=output)
    if cites is None:
        result = renderer.bibliography()
    else:
        result = renderer.citations([c for text in cites for c in pc.parse_citations(text)])
    assert not result.findings
    return result.entries


GROUP_SOURCES = [
    pc.Source("a", "report", "T", issued=D(2020)),
    pc.Source(
        "b",
        "book",
        "B",
        issued=D(2021),
        publisher="Pub",
        extra={
            "translator": [{"family": "Lee", "given": "S."}],
            "medium": "CD",
            "edition": "2",
            "page": "4",
        },
    ),
]

CONDITION_SOURCES = [
    pc.Source(
        "a",
        "report",
        "A1",
        issued=D(2020),
        number="7",
        extra={"page": "12-15", "volume": "3a", "edition": "2nd", "DOI": "10.1/y"},
    ),
    pc.Source(
        "b",
        "webpage",
        "Vol 2",
        issued=D(2020),
        number="A-7",
        extra={"page": "xii", "volume": "III", "edition": "second", "ISBN": "10.1/x"},
    ),
    pc.Source(
        "c",
        "book",
        "C",
        issued=D(2020),
        number="7 & 8",
        extra={"page": "12, 15", "volume": "2/3", "edition": "2"},
    ),
    pc.Source(
        "d",
        "book",
        "D",
        issued=D(2020),
        number="2,3",
        extra={"page": "A7", "volume": "2019/1", "edition": "iv-x"},
    ),
    pc.Source(
        "e",
        "book",
        "E",
        issued=D(2020),
        number="No. 5",
        extra={"page": "12a-c", "volume": "3 and 4", "edition": "civ"},
    ),
]

# name -> (style, sources, cites or None for the bibliography, {format: expected})
CASES: dict[str, tuple[str, list[pc.Source], list[str] | None, dict[str, tuple[str, ...]]]] = {
    # 1 a macro of a term and an empty name; 2 a macro of terms and values only prints;
    # 3 a group keeps a macro of a value next to an empty macro; 4 nested macros, the
    # inner one empty; 5 a macro of macros; 6 a branch not taken does not count as an
    # empty variable; 7 it does when taken; 8 a label beside its empty variable; 9 a
    # nested group of terms counts as printed; 10 a label of an absent variable prints;
    # 11 an empty nested group makes its parent's term go; 12 year-suffix counts as printed.
    "groups": (
        "groups.csl",
        GROUP_SOURCES,
        None,
        {
            "text": (
                "1: 2:in vols 3:[J] 4: 5:/J 6:in 7: 8: 9:in and 10:p. T 11: 12:(n.d.)",
                "1:translated by S. Lee 2:in vols 3:[JCD] 4:edition CD 5:edition CD/J 6:in Pub"
                " 7:in Pub 8:2 edition 9:in and Pub 10:p. B 11:in Pub 12:(n.d.)",
            ),
        },
    ),
    "macro-group": (
        "macro-group.csl",
        [
            pc.Source("a", "report", "COVID-19"),
            pc.Source("b", "report", "Zika", extra={"translator": LEE}),
        ],
        None,
        {"text": ("COVID-19.", "Zika. translated by Sara Lee")},
    ),
    "group-textvalue": (
        "group-textvalue.csl",
        [
            pc.Source("a", "report", "COVID-19"),
            pc.Source("b", "report", "Zika", extra={"medium": "CD"}),
        ],
        None,
        {"text": ("COVID-19[J]", "Zika[JCD]")},
    ),
    "label-absent": (
        "label-absent.csl",
        [pc.Source("a", "report", "COVID-19")],
        ["[@a, p. 4]", "[@a]"],
        {"text": ("COVID-19 p. 4", "COVID-19 p.")},
    ),
    "labels-bibliography": (
        "labels.csl",
        [
            pc.Source("a", "report", "T", issued=D(2020)),
            pc.Source(
                "b",
                "book",
                "B",
                issued=D(2021),
                extra={"page": "12-15", "number-of-volumes": "3", "volume": "2019/1"},
            ),
            pc.Source(
                "c",
                "book",
                "C",
                issued=D(2021),
                extra={"page": "12", "number-of-volumes": "1", "volume": "2 & 3"},
            ),
        ],
        None,
        {
            "text": (
                "T Page:",
                "B Pages: pages 12–15 3 volumes vol. 2019/1",
                "C Page: page 12 1 volume vols. 2 & 3",
            )
        },
    ),
    "labels-citations": (
        "labels.csl",
        [
            pc.Source("a", "report", "T", issued=D(2020)),
            pc.Source("b", "book", "B", issued=D(2021), extra={"page": "12-15"}),
            pc.Source("c", "book", "C", issued=D(2021), extra={"page": "12"}),
        ],
        ["[@a]", "[@b, p. 4]", "[@c, chap. 2-3]", "[@a, sec. 4]"],
        dict.fromkeys(
            ("text", "html"),
            (
                "T [P.] (p. T)",
                "B [P.] p. 4 (pp. B)",
                "C [Chaps.] chaps. 2–3 (p. C)",
                "T [Sec.] sec. 4 (p. T)",
            ),
        ),
    ),
    # T: type lists (one test, any type); V: variable lists; N: is-numeric; U, L, P:
    # uncertain dates, locators, positions; pf: page-first.
    "conditions": (
        "conditions.csl",
        CONDITION_SOURCES,
        None,
        dict.fromkeys(
            ("text", "html"),
            (
                "A1 T1 T2 T4 T5 V2 N2 N3 N4 N5 N6 L2 P4 pf=12",
                "Vol 2 T1 T2 T5 V2 N3 N4 L2 P4 pf=xii",
                "C T3 T5 V3 N2 N3 N5 N6 L2 P4 pf=12",
                "D T3 T5 V3 N3 N5 N6 L2 P4 pf=A7",
                "E T3 T5 V3 N3 N5 L2 P4 pf=12a",
            ),
        ),
    ),
    "conditions-citations": (
        "conditions.csl",
        CONDITION_SOURCES[:3],
        ["[@a, p. 4]", "[@b, chap. 3]", "[@c]"],
        {
            "text": (
                "A1 T1 T2 T4 T5 V2 N2 N3 N4 N5 N6 P1 P3 P4 pf=12",
                "Vol 2 T1 T2 T5 V2 N3 N4 P1 P3 P4 pf=xii",
                "C T3 T5 V3 N2 N3 N5 N6 L2 P1 P3 P4 pf=12",
            )
        },
    ),
    # form="long" overrides; the style's "en" locale before its locale of no language.
    "terms": (
        "terms.csl",
        [pc.Source("a", "report", "T", issued=D(2020))],
        None,
        {
            "text": (
                "T | retrieved on | retrieved on | retrieved on | inside | plus | ed | edition"
                " | ed. by",
            )
        },
    ),
}

PARAMS = [(name, fmt) for name, case in CASES.items() for fmt in case[3]]


@pytest.mark.parametrize(("name", "fmt"), PARAMS, ids=[f"{n}-{f}" for n, f in PARAMS])
def test_rendered_as_citeproc_js_renders_it(name: str, fmt: str) -> None:
    style, sources, cites, expected = CASES[name]
    assert _render(style, sources, cites, fmt) == expected[fmt]


def test_apa_does_not_repeat_editors_standing_in_for_the_author() -> None:
    source = pc.Source(
        "a",
        "report",
        "Port plans",
        issued=D(2020),
        extra={"editor": [{"family": "Lee", "given": "S."}, {"family": "Kask", "given": "J."}]},
    )
    for style in ("apa", "apa-upstream"):
        entries = Renderer(pc.Library([source]), style).bibliography().entries
        assert entries == ("Lee, S., & Kask, J. (Eds.). (2020). Port plans.",)


@pytest.mark.parametrize(
    ("variable", "value", "numeric"),
    [
        ("number", "7", True),
        ("number", "2019/1", True),
        ("number", "7 & 8", True),
        ("number", "2, 3", True),
        ("number", "2,3", False),
        ("number", "A-7", False),
        ("number", "A7", True),
        ("page", "xii", True),
        ("volume", "III", False),
        ("edition", "2nd", True),
        ("edition", "second", False),
        ("edition", "civ", False),
        ("page", "12a-c", True),
        ("volume", "3 and 4", True),
        ("version", "2002, amended effective June 1, 2010", False),
        ("title", "Vol 2", True),
        ("title", "2 volumes", False),
        ("page-first", "12", False),
        ("number", "p. 5", True),
        ("number", "No. 5", False),
        ("number", "7\ufdd08", True),  # "&" escaped for HTML
    ],
)
def test_is_numeric_as_citeproc_js(variable: str, value: Any, numeric: bool) -> None:
    assert is_numeric(variable, value) is numeric


def test_a_sort_key_macro_calling_a_date_macro_still_sorts_by_date() -> None:
    # multilingual-matters sorts cites by a macro that calls a date macro through
    # cs:choose; the date macro gives its sort key without being a group, and the outer
    # macro must still count it as printed (citeproc-js: "2019, 2022").
    org = pc.Name.organisation("Maritime Policy Centre")
    sources = [
        pc.Source("a", "report", "A", authors=[org], issued=D(2022)),
        pc.Source("b", "report", "B", authors=[org], issued=D(2019)),
    ]
    renderer = Renderer(pc.Library(sources), "multilingual-matters")
    result = renderer.citations(pc.parse_citations("[@a; @b]"))
    assert result.entries == ("(Maritime Policy Centre, 2019, 2022)",)
