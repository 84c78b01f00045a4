"""APA rules of a brief beyond the basics (issue 14, items 15–17).

Secondary sources cited "as cited in" (APA 7, 8.6), the order of works inside one
citation (8.12), the reference list's order (every entry moved, not the first only), the
group author spelled out in the list (8.21), the broken "Retrieved https://…" phrase, and
newspaper articles from print or a database, which APA cites without URL. Each check is
run on briefs written the way analysts write them, with the prose that must pass clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.brief.citations import find_citations
from policycite.brief.structure import parse_brief
from policycite.findings import Finding
from policycite.model import Library, Name, PartialDate, Provenance, Source
from policycite.rules.ordering import misplaced
from policycite.rules.validate import check

KASK = "Kask, M. (2024). *Memory in coastal policy*. Harbour Press."
RABBITT = "Rabbitt, P. (1982). *Breakdown of control processes in old age*. Harbour Press."


def _findings(body: str, references: list[str], library: Library | None = None) -> list[Finding]:
    text = f"# Brief\n\n{body}\n\n## References\n\n" + "\n\n".join(references) + "\n"
    brief = parse_brief(text, format="markdown")
    return list(check(brief, library or Library(()), None).report)


def _codes(findings: list[Finding], *codes: str) -> list[str]:
    return [f.code for f in findings if f.code in codes]


# --- item 15: secondary sources ----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Memory fades with age (Rabbitt, 1982, as cited in Kask, 2024).",
        "Rabbitt (1982, as cited in Kask, 2024) found that memory fades with age.",
        "Memory fades with age (Rabbitt, 1982, as cited in Kask, 2024, p. 3).",
        "Memory fades with age (Rabbitt, 1982, cited in Kask, 2024).",
        "Memory fades with age (see Rabbitt, 1982, as cited in Kask, 2024).",
        "Rabbitt (1982) and Lind (1990) found that memory fades (as cited in Kask, 2024).",
        "Memory fades (Rabbitt, 1982; Lind, 1990; as cited in Kask, 2024).",
        "Memory fades (Rabbitt, 1982, and Lind, 1990, as cited in Kask, 2024).",
        "Rabbitt's diary (as cited in Kask, 2024) says so.",
    ],
)
def test_primary_source_needs_no_entry(body: str) -> None:
    findings = _findings(body, [KASK])
    assert _codes(findings, "PC201", "PC202", "PC209", "PC221") == []


def test_secondary_source_must_resolve() -> None:
    findings = _findings("Memory fades (Rabbitt, 1982, as cited in Kask, 2024).", [RABBITT])
    assert _codes(findings, "PC201") == ["PC201"]
    assert "Kask" in next(f.message for f in findings if f.code == "PC201")


def test_primary_direct_citation_elsewhere_still_needs_an_entry() -> None:
    # "(Lind, 1990; Rabbitt, 1982, as cited in Kask, 2024)": only Rabbitt is seen
    # through Kask, and a separate sentence cites Lind alone.
    body = (
        "Memory fades (Lind, 1990; Rabbitt, 1982, as cited in Kask, 2024). Later, "
        "Lind (1990) said more."
    )
    findings = _findings(body, [KASK])
    assert [f.message for f in findings if f.code == "PC201"] == [
        "(Lind, 1990) has no entry in the reference list",
        "(Lind, 1990) has no entry in the reference list",
    ]


def test_a_sentence_end_stops_the_primaries() -> None:
    body = "Lind (1990) said so. Rabbitt (1982) found more (as cited in Kask, 2024)."
    findings = _findings(body, [KASK])
    assert [f.message for f in findings if f.code == "PC201"] == [
        "(Lind, 1990) has no entry in the reference list"
    ]


def test_listed_primary_source_is_reported() -> None:
    findings = _findings("Memory fades (Rabbitt, 1982, as cited in Kask, 2024).", [KASK, RABBITT])
    (found,) = [f for f in findings if f.code == "PC221"]
    assert found.location.field == "reference 2"
    assert found.message == (
        "reference 2, Rabbitt (1982), is cited only \u201cas cited in\u201d Kask (2024): "
        "APA lists only the secondary source"
    )
    assert found.hint is not None and found.hint.startswith("delete reference 2")
    assert _codes(findings, "PC202") == []


def test_listed_primary_cited_directly_too_is_fine() -> None:
    body = "Memory fades (Rabbitt, 1982, as cited in Kask, 2024). Rabbitt (1982) agreed."
    assert _codes(_findings(body, [KASK, RABBITT]), "PC221", "PC202") == []


# --- item 16b: order of works inside one citation -----------------------------------------

ZETA = "Zeta, P. (2020). *Tides*. Harbour Press."
ALPHA = "Alpha, B. (2019). *Ports*. Harbour Press."
KASK_2019 = "Kask, M. (2019). *Dunes*. Harbour Press."


@pytest.mark.parametrize(
    ("body", "suggestion"),
    [
        ("Ports matter (Zeta, 2020; Alpha, 2019).", "(Alpha, 2019; Zeta, 2020)"),
        (
            "Ports matter (e.g., Zeta, 2020; Alpha, 2019, p. 4).",
            "(e.g., Alpha, 2019, p. 4; Zeta, 2020)",
        ),
        ("Ports matter (Kask, 2024, 2019).", "(Kask, 2019, 2024)"),
        ("Ports matter (Kask, 2024; Kask, 2019).", "(Kask, 2019, 2024)"),
        ("Kask (2024, 2019) says ports matter.", "Kask (2019, 2024)"),
        (
            "Ports matter (Zeta, 2020; see also Kask, 2024; Alpha, 2019).",
            "(Zeta, 2020; see also Alpha, 2019; Kask, 2024)",
        ),
    ],
)
def test_citation_order_is_reported_with_the_sorted_form(body: str, suggestion: str) -> None:
    findings = _findings(body, [ALPHA, KASK_2019, KASK, ZETA])
    (found,) = [f for f in findings if f.code == "PC223"]
    assert found.hint == f"write {suggestion}"


@pytest.mark.parametrize(
    "body",
    [
        "Ports matter (Alpha, 2019; Kask, 2019, 2024; Zeta, 2020).",
        "Ports matter (Zeta, 2020; see also Alpha, 2019).",
        "Ports matter (see Zeta, 2020; also Alpha, 2019).",
        "Zeta (2020) and Alpha (2019) say ports matter.",  # narrative: any order
        "Ports matter (Zeta, 2020, as cited in Alpha, 2019).",
        "Ports matter (Kask, 2024; Kask & Lind, 2019).",  # one author before two
    ],
)
def test_citation_order_negatives(body: str) -> None:
    assert _codes(_findings(body, [ALPHA, KASK_2019, KASK, ZETA]), "PC223") == []


def test_abbreviated_author_sorts_by_its_full_name() -> None:
    # WHO is listed as "World Health Organization": it sorts after Alpha, before Zeta.
    who = "World Health Organization. (2020). *Heat and health*. Harbour Press."
    ok = _findings("Heat kills (Alpha, 2019; WHO, 2020; Zeta, 2020).", [ALPHA, who, ZETA])
    assert _codes(ok, "PC223") == []


# --- item 17: reference list order ------------------------------------------------------


def test_misplaced_keeps_the_longest_run() -> None:
    assert misplaced(["b", "c", "d", "e", "a"]) == {4}
    assert misplaced(["z", "a", "b", "c"]) == {0}
    assert misplaced(["b", "a"]) == {1}
    assert misplaced(["a", "c", "b", "d", "f", "e"]) == {2, 5}
    assert misplaced([]) == set()
    assert misplaced(["a", "a", "b"]) == set()


def test_reference_order_reports_every_moved_entry_only() -> None:
    entries = [
        "Alpha, B. (2019). *Ports*. Harbour Press.",
        "Kask, M. (2019). *Dunes*. Harbour Press.",
        "Zeta, P. (2020). *Tides*. Harbour Press.",
        "Brekke, A. (2021). *Harbours*. Harbour Press.",
        "Lind, O. (2020). *Nets*. Harbour Press.",
        "Moss, E. (2018). *Reeds*. Harbour Press.",
        "Dahl, R. (2017). *Cliffs*. Harbour Press.",
    ]
    body = (
        "See (Alpha, 2019; Brekke, 2021; Dahl, 2017; Kask, 2019; Lind, 2020; Moss, 2018; "
        "Zeta, 2020)."
    )
    found = [f for f in _findings(body, entries) if f.code == "PC215"]
    assert [(f.location.field, f.message) for f in found] == [
        ("reference 3", "reference 3 is out of order: it belongs after reference 6"),
        ("reference 4", "reference 4 is out of order: it belongs between references 1 and 2"),
        ("reference 7", "reference 7 is out of order: it belongs between references 1 and 2"),
    ]


# --- item 16c: abbreviation in a reference-list author -------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "World Health Organization [WHO]. (2020). *Heat and health*. Harbour Press.",
        "World Health Organization (WHO). (2020). *Heat and health*. Harbour Press.",
    ],
)
def test_abbreviation_in_reference_author(entry: str) -> None:
    findings = _findings("Heat kills (World Health Organization [WHO], 2020).", [entry])
    (found,) = [f for f in findings if f.code == "PC224"]
    assert found.hint == (
        "write \u201cWorld Health Organization.\u201d and introduce WHO in the text: "
        "(World Health Organization [WHO], 2020)"
    )


def test_bare_acronym_author_needs_the_record_to_say_more() -> None:
    entry = "WHO. (2020). Heat and health. https://www.who.example/heat"
    assert _codes(_findings("Heat kills (WHO, 2020).", [entry]), "PC224") == []
    record = Source(
        key="who2020",
        kind="webpage",
        title="Heat and health",
        authors=(Name.organisation("World Health Organization", abbreviation="WHO"),),
        issued=PartialDate(2020),
        provenance=Provenance(url="https://www.who.example/heat"),
    )
    findings = _findings("Heat kills (WHO, 2020).", [entry], Library((record,)))
    assert _codes(findings, "PC224") == ["PC224"]


def test_spelled_out_author_passes() -> None:
    entry = "World Health Organization. (2020). *Heat and health*. Harbour Press."
    findings = _findings("Heat kills (World Health Organization [WHO], 2020).", [entry])
    assert _codes(findings, "PC224") == []


# --- item 16a: "Retrieved https://…" ------------------------------------------------------


def test_retrieved_without_date_or_from() -> None:
    entry = "Harbour Authority. (n.d.). *Fees*. Retrieved https://harbour.example/fees"
    (found,) = [
        f
        for f in _findings("Fees rise (Harbour Authority, n.d.).", [entry])
        if f.code in {"PC203", "PC205", "PC222"}
    ]
    assert found.code == "PC222"
    assert found.hint is not None and "https://harbour.example/fees" in found.hint


@pytest.mark.parametrize(
    "tail",
    [
        "https://harbour.example/fees",
        "Retrieved May 20, 2024, from https://harbour.example/fees",
    ],
)
def test_apa7_retrieval_forms_pass(tail: str) -> None:
    entry = f"Harbour Authority. (n.d.). *Fees*. {tail}"
    findings = _findings("Fees rise (Harbour Authority, n.d.).", [entry])
    assert _codes(findings, "PC203", "PC205", "PC222") == []


# --- item 17: newspaper articles without URL --------------------------------------------


def _article(url: str | None, **extra: str) -> Library:
    return Library(
        (
            Source(
                key="brandt2024",
                kind="news-article",
                title="Minister promises faster help for the eroding North Shore",
                authors=(Name.person("Brandt", "Tomas"),),
                issued=PartialDate(2024, 5, 15),
                container_title="Harbour Gazette",
                provenance=Provenance(url=url),
                extra=extra,
            ),
        )
    )


WEB = "https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion"
ARTICLE = (
    "Brandt, T. (2024, May 15). Minister promises faster help for the eroding North Shore. "
    "*Harbour Gazette*"
)


@pytest.mark.parametrize(
    ("entry", "library"),
    [
        (f"{ARTICLE}, A1, A4.", _article(WEB)),  # print edition, pages
        (f"{ARTICLE}, pp. A1\u2013A2.", _article(WEB)),
        (f"{ARTICLE}, 12(3), 4.", _article(WEB)),
        (f"{ARTICLE} (print edition).", _article(WEB)),
        (f"{ARTICLE}.", _article(None)),  # from a database: ends with the newspaper
        (f"{ARTICLE}.", _article(WEB, page="A4")),
    ],
)
def test_print_or_database_newspaper_needs_no_url(entry: str, library: Library) -> None:
    assert _codes(_findings("Help comes (Brandt, 2024).", [entry], library), "PC204") == []


def test_web_only_article_without_url_is_reported() -> None:
    findings = _findings("Help comes (Brandt, 2024).", [f"{ARTICLE}."], _article(WEB))
    (found,) = [f for f in findings if f.code == "PC204"]
    assert found.hint == f"add the URL: {WEB}"


def test_press_release_without_url_is_reported() -> None:
    release = Source(
        key="mca2024",
        kind="press-release",
        title="Ministry opens consultation on the Coastal Erosion Fund",
        authors=(Name.organisation("Ministry of Coastal Affairs"),),
        issued=PartialDate(2024, 4, 3),
        provenance=Provenance(url="https://www.coastal-affairs.example/press/1"),
    )
    entry = (
        "Ministry of Coastal Affairs. (2024, April 3). Ministry opens consultation on the "
        "Coastal Erosion Fund [Press release], A1."
    )
    findings = _findings("Open (Ministry of Coastal Affairs, 2024).", [entry], Library((release,)))
    assert _codes(findings, "PC204") == ["PC204"]


# --- a Word brief -------------------------------------------------------------------------


def test_word_brief_gets_the_same_checks(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Memory fades with age (Rabbitt, 1982, as cited in Kask, 2024).")
    document.add_paragraph("Ports matter (Zeta, 2020; Alpha, 2019).")
    document.add_heading("References", level=2)
    for entry in (ALPHA, KASK, ZETA):
        document.add_paragraph(entry.replace("*", ""))
    path = tmp_path / "brief.docx"
    document.save(str(path))
    findings = list(check(path, Library(()), None).report)
    assert _codes(findings, "PC201", "PC202", "PC215", "PC223") == ["PC223"]
    (found,) = [f for f in findings if f.code == "PC223"]
    assert found.location.place == "paragraph 2"
    assert found.hint == "write (Alpha, 2019; Zeta, 2020)"


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        (
            "(Rabbitt, 1982, as cited in Kask, 2024)",
            [("Rabbitt", "primary"), ("Kask", "secondary")],
        ),
        (
            "Rabbitt (1982, as cited in Kask, 2024, p. 3)",
            [("Rabbitt", "primary"), ("Kask", "secondary")],
        ),
        (
            "(Smith, 1990, and Jones, 1991, as cited in Kask, 2024)",
            [("Smith", "primary"), ("Jones", "primary"), ("Kask", "secondary")],
        ),
        (
            "(Lind, 1990; Rabbitt, 1982, as cited in Kask, 2024; Zeta, 2020)",
            [("Lind", None), ("Rabbitt", "primary"), ("Kask", "secondary"), ("Zeta", None)],
        ),
        ("(as cited in Kask, 2024)", [("Kask", "secondary")]),
        ("(Osei, as quoted in Kask, 2024)", [("Osei", "primary"), ("Kask", "secondary")]),
    ],
)
def test_citation_roles(text: str, roles: list[tuple[str, str | None]]) -> None:
    (citation,) = find_citations(text)
    assert [(w.authors, w.role) for w in citation.works] == roles
