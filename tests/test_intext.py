"""In-text citations as APA 7 writes them (issue 14, items 11-14).

Group-author abbreviations over a document (APA 8.21), narrative and author-suppressed
cites (8.11, 8.17), works in one citation in order (8.12), and one rendering of a
document giving the same year letters in its citations and its reference list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.cli import main

P, ORG, D = pc.Name.person, pc.Name.organisation, pc.PartialDate


def _report(key: str, title: str, authors: list[pc.Name], year: int | None) -> pc.Source:
    issued = D(year) if year is not None else None
    return pc.Source(key, "report", title, authors=authors, issued=issued)


KASK = [P("Kask", "Jaan")]
LIBRARY = pc.Library(
    [
        _report(
            "bcws2020", "Water data plan", [ORG("Baltic Council for Water Security", "BCWS")], 2020
        ),
        _report("bcws2021", "Water data review", [ORG("Baltic Council for Water Security")], 2021),
        _report("kask2024b", "Beta report", KASK, 2024),
        _report("kask2024a", "Alpha report", KASK, 2024),
        _report("kask2019", "Gamma report", KASK, 2019),
        _report("kasknd", "Delta report", KASK, None),
        _report("lind2023", "Two authors", [P("Lind", "Eva"), P("Kask", "Jaan")], 2023),
        _report(
            "aro2022", "Three authors", [P("Aro", "Eva"), P("Berg", "Jon"), P("Carr", "Ola")], 2022
        ),
        _report("nri2023", "Shared rivers", [ORG("Nordic Resilience Institute", "NRI")], 2023),
        _report("nra2023", "Shared roads", [ORG("Nordic Roads Agency", "NRI")], 2023),
    ]
)


def _cite(*texts: str, style: str = "apa", output: str = "text", **options) -> list[str]:
    clusters = [c for text in texts for c in pc.parse_citations(text)]
    renderer = pc.Renderer(LIBRARY, style, output=output)
    result = renderer.citations(clusters, **options)
    assert not result.findings, result.findings
    return list(result.entries)


# -- item 11: group-author abbreviations ------------------------------------------------


def test_group_abbreviation_introduced_then_used_in_parenthetical_citations() -> None:
    assert _cite("[@bcws2020]", "[@bcws2020, p. 2]", "@bcws2020") == [
        "(Baltic Council for Water Security [BCWS], 2020)",
        "(BCWS, 2020, p. 2)",
        "BCWS (2020)",
    ]


def test_group_abbreviation_introduced_in_a_narrative_citation() -> None:
    assert _cite("@bcws2020 [para. 4]", "[@bcws2020]") == [
        "Baltic Council for Water Security (BCWS, 2020, para. 4)",
        "(BCWS, 2020)",
    ]


def test_group_abbreviation_once_per_group_over_all_its_works() -> None:
    # APA 8.21: "introduce the abbreviation only once"; the 2021 record lacks it.
    assert _cite("[@bcws2021]", "[@bcws2020; @kask2019]") == [
        "(Baltic Council for Water Security [BCWS], 2021)",
        "(BCWS, 2020; Kask, 2019)",
    ]


def test_two_groups_with_one_abbreviation_are_spelt_out() -> None:
    assert _cite("[@nri2023]", "[@nra2023]", "[@nri2023]") == [
        "(Nordic Resilience Institute, 2023)",
        "(Nordic Roads Agency, 2023)",
        "(Nordic Resilience Institute, 2023)",
    ]


def test_the_reference_list_never_abbreviates() -> None:
    clusters = pc.parse_citations("[@bcws2020] then [@bcws2020]")
    document = pc.render_document(LIBRARY, clusters, "apa")
    assert document.citations.entries == (
        "(Baltic Council for Water Security [BCWS], 2020)",
        "(BCWS, 2020)",
    )
    assert document.bibliography.entries == (
        "Baltic Council for Water Security. (2020). Water data plan.",
    )


def test_abbreviations_need_a_document_and_are_apa_only() -> None:
    assert (
        _cite("[@bcws2020]", "[@bcws2020]", positions=False)
        == ["(Baltic Council for Water Security, 2020)"] * 2
    )
    assert (
        _cite("[@bcws2020]", "[@bcws2020]", style="chicago-author-date")
        == ["(Baltic Council for Water Security 2020)"] * 2
    )
    assert (
        _cite("[@bcws2020]", "[@bcws2020]", abbreviations=False)
        == ["(Baltic Council for Water Security, 2020)"] * 2
    )


# -- item 12: narrative and suppressed-author citations --------------------------------


@pytest.mark.parametrize("output", ["text", "html", "markdown"])
def test_narrative_citations_one_two_and_three_authors(output: str) -> None:
    assert _cite("@kask2019", "@lind2023 [p. 4]", "@aro2022", output=output) == [
        "Kask (2019)",
        "Lind and Kask (2023, p. 4)",
        "Aro et al. (2022)",
    ]
    # Parenthetical citations keep the ampersand.
    amp = "&amp;" if output == "html" else "&"
    assert _cite("[@lind2023]", output=output) == [f"(Lind {amp} Kask, 2023)"]


def test_suppressed_author() -> None:
    assert _cite("[-@kask2019, p. 3]", "[see -@lind2023]") == ["(2019, p. 3)", "(see 2023)"]


def test_narrative_cite_collapses_the_same_author_works() -> None:
    cluster = pc.Cluster(
        [pc.Cite("kask2019", mode="narrative"), pc.Cite("kasknd"), pc.Cite("kask2024a")]
    )
    result = pc.Renderer(LIBRARY, "apa").citations([cluster])
    assert result.entries == ("Kask (2019, n.d., 2024)",)


def test_narrative_in_numeric_and_note_styles_renders_as_a_normal_cite() -> None:
    assert _cite("@kask2019", style="ieee") == ["[1]"]
    assert _cite("@kask2019", style="chicago-notes-bibliography") == _cite(
        "[@kask2019]", style="chicago-notes-bibliography"
    )


def test_cli_cite_narrative(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "references"
    pc.save_library(folder, list(LIBRARY))
    code = main(["cite", "-l", str(folder), "@lind2023 [p. 4]", "[-@kask2019]", "[@lind2023]"])
    assert code == 0
    assert capsys.readouterr().out == "Lind and Kask (2023, p. 4)\n(2019)\n(Lind & Kask, 2023)\n"


# -- item 13: works in one citation ----------------------------------------------------


def test_works_of_one_author_no_date_first_then_years_then_letters() -> None:
    assert _cite("[@kask2024b; @kask2019; @kasknd; @kask2024a]") == [
        "(Kask, n.d., 2019, 2024a, 2024b)"
    ]


def test_works_of_different_authors_alphabetical() -> None:
    assert _cite("[@lind2023; @kask2019; @aro2022]") == [
        "(Aro et al., 2022; Kask, 2019; Lind & Kask, 2023)"
    ]


# -- item 14: one document, one set of year letters -------------------------------------


def test_document_letters_are_those_of_its_reference_list() -> None:
    clusters = pc.parse_citations("[@kask2024b] and later [@kask2024a]")
    document = pc.render_document(LIBRARY, clusters, "apa")
    assert document.citations.entries == ("(Kask, 2024b)", "(Kask, 2024a)")
    assert document.bibliography.entries == (
        "Kask, J. (2024a). Alpha report.",
        "Kask, J. (2024b). Beta report.",
    )
    assert document.bibliography.keys == ("kask2024a", "kask2024b")


def test_document_with_one_work_of_a_year_has_no_letter() -> None:
    document = pc.render_document(LIBRARY, pc.parse_citations("[@kask2024b]"), "apa")
    assert document.citations.entries == ("(Kask, 2024)",)
    assert document.bibliography.entries == ("Kask, J. (2024). Beta report.",)


def test_document_over_the_whole_library_matches_format() -> None:
    clusters = pc.parse_citations("[@kask2024b]")
    document = pc.render_document(LIBRARY, clusters, "apa", keys=LIBRARY.keys)
    assert document.citations.entries == ("(Kask, 2024b)",)
    assert document.bibliography.entries == pc.render_bibliography(LIBRARY, "apa").entries


def test_cli_cite_prints_the_reference_list_of_the_same_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "references"
    pc.save_library(folder, list(LIBRARY))
    assert main(["cite", "-l", str(folder), "[@kask2024b]", "-b"]) == 0
    assert capsys.readouterr().out == "(Kask, 2024)\n\nKask, J. (2024). Beta report.\n"
    assert main(["cite", "-l", str(folder), "[@kask2024b]", "[@kask2024a]", "-b"]) == 0
    assert capsys.readouterr().out == (
        "(Kask, 2024b)\n(Kask, 2024a)\n\n"
        "Kask, J. (2024a). Alpha report.\nKask, J. (2024b). Beta report.\n"
    )
    assert main(["cite", "-l", str(folder), "[@kask2024b]", "--all"]) == 0
    assert capsys.readouterr().out == "(Kask, 2024b)\n"
