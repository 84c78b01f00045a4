"""How a brief writes its citations: group-author abbreviations and "et al." (APA 8.17–8.21).

PC225 abbreviation used before the group's full name is given, PC226 abbreviation
defined again, PC227 names of three or more authors written out, PC228 "et al." for one
or two authors. The library is fictional: a water authority whose abbreviation is not
its initials, a harbour organisation cited by its initials, and studies by one, two,
three and four authors.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from policycite.brief.citations import find_citations
from policycite.brief.readers import read_brief
from policycite.brief.structure import parse_brief
from policycite.findings import Finding, Severity
from policycite.model import Library, Name, PartialDate, Provenance, Source
from policycite.rules.validate import check

CODES = {"PC225", "PC226", "PC227", "PC228"}


def _source(key: str, authors: list[Name], year: int, title: str, **fields: object) -> Source:
    return Source(
        key=key,
        kind="report",
        title=title,
        authors=authors,
        issued=PartialDate(year),
        publisher="Fjord Institute",
        provenance=Provenance(url=f"https://fjord.example/{key}"),
        **fields,  # type: ignore[arg-type]
    )


NWA = Name.organisation("Nordfjord Water Authority", "NORWAT")
LIBRARY = Library(
    [
        _source("nwa2020", [NWA], 2020, "Water in the fjords"),
        _source("who2020", [Name.organisation("World Harbour Organisation")], 2020, "Air"),
        _source("osei2021", [Name.person("Osei", "Kwame")], 2021, "Tides"),
        _source(
            "osei2022", [Name.person("Osei", "Kwame"), Name.person("Brekke", "Ola")], 2022, "Mud"
        ),
        _source(
            "lind2021",
            [Name.person("Lind", "Petra"), Name.person("Okafor", "Ada"), Name.person("Valk", "J")],
            2021,
            "Salt marsh recovery",
        ),
        _source(
            "lind2021b",
            [
                Name.person("Lind", "Petra"),
                Name.person("Okafor", "Ada"),
                Name.person("Zeller", "Ruth"),
                Name.person("Marsh", "Ben"),
            ],
            2021,
            "Eelgrass meadows",
        ),
    ]
)
ENTRIES = {
    "nwa2020": "Nordfjord Water Authority. (2020). *Water in the fjords*. Fjord Institute. "
    "https://fjord.example/nwa2020",
    "who2020": "World Harbour Organisation. (2020). *Air*. Fjord Institute. "
    "https://fjord.example/who2020",
    "osei2021": "Osei, K. (2021). *Tides*. Fjord Institute. https://fjord.example/osei2021",
    "osei2022": "Osei, K., & Brekke, O. (2022). *Mud*. Fjord Institute. "
    "https://fjord.example/osei2022",
    "lind2021": "Lind, P., Okafor, A., & Valk, J. (2021). *Salt marsh recovery*. Fjord "
    "Institute. https://fjord.example/lind2021",
    "lind2021b": "Lind, P., Okafor, A., Zeller, R., & Marsh, B. (2021). *Eelgrass meadows*. "
    "Fjord Institute. https://fjord.example/lind2021b",
}


def _findings(body: str, keys: list[str]) -> list[Finding]:
    references = "\n\n".join(ENTRIES[k] for k in keys)
    text = f"# Fjords\n\n{body}\n\n## References\n\n{references}\n"
    result = check(parse_brief(text, format="markdown"), LIBRARY)
    return [f for f in result.report if f.code in CODES]


def _codes(body: str, keys: list[str]) -> list[str]:
    return [f.code for f in _findings(body, keys)]


def _all_codes(body: str, keys: list[str]) -> list[str]:
    references = "\n\n".join(ENTRIES[k] for k in keys)
    text = f"# Fjords\n\n{body}\n\n## References\n\n{references}\n"
    return [f.code for f in check(parse_brief(text, format="markdown"), LIBRARY).report]


# --- abbreviations as citations --------------------------------------------------------


def test_an_abbreviation_that_is_a_sentence_word_is_still_a_citation() -> None:
    # "who" is a sentence word; "WHO" is an organisation (it was not read at all).
    (cited,) = find_citations("Air is poor (WHO, 2020).")
    assert cited.works[0].authors == "WHO"
    (narrative,) = find_citations("As WHO (2020) showed, it is poor.")
    assert (narrative.form, narrative.text) == ("narrative", "WHO (2020)")
    (defined,) = find_citations("The World Harbour Organisation (WHO, 2020) said so.")
    assert defined.works[0].authors == "World Harbour Organisation [WHO]"
    assert find_citations("Who (2020) knows.") == []


def test_the_records_abbreviation_and_the_briefs_definitions_resolve() -> None:
    # NORWAT is not the initials of the name: the record's abbreviation resolves it.
    body = "Fjords warm (Nordfjord Water Authority [NORWAT], 2020); they warm fast (NORWAT, 2020)."
    assert _all_codes(body, ["nwa2020"]) == []
    # Without the record's abbreviation, the brief's own definition resolves it.
    bare = Library(
        [
            _source(
                "nwa2020",
                [Name.organisation("Nordfjord Water Authority")],
                2020,
                "Water in the fjords",
            )
        ]
    )
    text = f"# Fjords\n\n{body}\n\n## References\n\n{ENTRIES['nwa2020']}\n"
    assert [f.code for f in check(parse_brief(text, format="markdown"), bare).report] == []
    # Initials resolve as before: "(WHO, 2020)" matches "World Harbour Organisation. (2020)".
    body = "Air is poor (World Harbour Organisation [WHO], 2020), and worse (WHO, 2020)."
    assert _all_codes(body, ["who2020"]) == []


@pytest.mark.parametrize(
    "body",
    [
        "Air is poor (WHO, 2020).",
        "Air is poor (WHO, 2020), as the World Harbour Organisation (WHO, 2020) admits.",
        "As WHO (2020) showed, air is poor (World Harbour Organisation [WHO], 2020).",
    ],
)
def test_abbreviation_before_its_definition(body: str) -> None:
    (finding,) = _findings(body, ["who2020"])
    assert finding.code == "PC225"
    assert finding.severity is Severity.WARNING
    assert "WHO, 2020)" in finding.message or "WHO (2020)" in finding.message
    assert "uses the abbreviation before the group's full name is given" in finding.message
    assert finding.hint is not None and "World Harbour Organisation" in finding.hint


def test_the_fix_is_in_the_citations_form() -> None:
    (parenthetical,) = _findings("Air is poor (WHO, 2020).", ["who2020"])
    assert parenthetical.hint == (
        "give the full name at its first citation: (World Harbour Organisation [WHO], 2020)"
    )
    (narrative,) = _findings("As WHO (2020) showed, air is poor.", ["who2020"])
    assert narrative.hint == (
        "give the full name at its first citation: World Harbour Organisation (WHO, 2020)"
    )


@pytest.mark.parametrize(
    "body",
    [
        # APA's two first-citation forms, then the abbreviation alone.
        "Air is poor (World Harbour Organisation [WHO], 2020); worse each year (WHO, 2020).",
        "The World Harbour Organisation (WHO, 2020) says so, and WHO (2020) adds more.",
        # Defined in the running text, across a line break.
        "The World Harbour\nOrganisation (WHO) measures the air. It is poor (WHO, 2020).",
        # Spelled out every time: no abbreviation at all.
        "Air is poor (World Harbour Organisation, 2020), worse (World Harbour Organisation, 2020).",
        # Defined once, never used again (APA allows a well-known abbreviation).
        "Air is poor (World Harbour Organisation [WHO], 2020).",
    ],
)
def test_abbreviations_as_apa_writes_them_pass(body: str) -> None:
    assert _codes(body, ["who2020"]) == []


def test_the_reference_list_does_not_define_the_abbreviation() -> None:
    # "World Harbour Organisation [WHO]." in the list is no definition in the text.
    text = (
        "# Fjords\n\nAir is poor (WHO, 2020).\n\n## References\n\nWorld Harbour Organisation "
        "[WHO]. (2020). *Air*. Fjord Institute. https://fjord.example/who2020\n"
    )
    result = check(parse_brief(text, format="markdown"), LIBRARY)
    assert "PC225" in [f.code for f in result.report]


def test_one_finding_per_abbreviation_used_too_early() -> None:
    body = "Air is poor (WHO, 2020), worse (WHO, 2020), and worst (WHO, 2020)."
    assert _codes(body, ["who2020"]) == ["PC225"]


def test_abbreviation_defined_twice() -> None:
    body = (
        "Air is poor (World Harbour Organisation [WHO], 2020).\n\n"
        "Later, the air is worse (World Harbour Organisation [WHO], 2020)."
    )
    (finding,) = _findings(body, ["who2020"])
    assert finding.code == "PC226"
    assert finding.severity is Severity.INFO
    assert finding.location.line == 5
    assert finding.message == (
        "World Harbour Organisation (WHO) is defined again; it was defined at line 3"
    )
    assert finding.hint == "introduce the abbreviation once, then write (WHO, 2020)"


def test_a_summary_defines_apart_from_the_text() -> None:
    # APA 6.25: an abbreviation is defined in the abstract and again in the text; a
    # definition in a heading does not count.
    text = (
        "# Fjords\n\n## Summary\n\nAir is poor (World Harbour Organisation [WHO], 2020).\n\n"
        "## World Harbour Organisation (WHO) findings\n\n"
        "Air is poor (World Harbour Organisation [WHO], 2020), worse (WHO, 2020).\n\n"
        f"## References\n\n{ENTRIES['who2020']}\n"
    )
    result = check(parse_brief(text, format="markdown"), LIBRARY)
    assert [f.code for f in result.report] == []


def test_word_brief_places(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    document = docx.Document()
    document.add_paragraph("Air is poor (WHO, 2020).")
    document.add_paragraph("The World Harbour Organisation (WHO, 2020) agrees.")
    document.add_heading("References", level=2)
    document.add_paragraph(ENTRIES["who2020"].replace("*", ""))
    document.save(str(path))
    result = check(read_brief(path), LIBRARY)
    (finding,) = [f for f in result.report if f.code in CODES]
    assert finding.code == "PC225"
    assert finding.location.place == "paragraph 1"
    assert finding.message.endswith("it comes later, at paragraph 2")


# --- et al. ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("Marshes recover (Lind, Okafor, & Valk, 2021).", "write (Lind et al., 2021)"),
        ("Lind, Okafor, and Valk (2021) found it.", "write Lind et al. (2021)"),
        ("Marshes recover (Lind, Okafor, & Valk, 2021, p. 4).", "write (Lind et al., 2021, p. 4)"),
        # More names than needed before "et al.".
        ("Marshes recover (Lind, Okafor, et al., 2021).", "write (Lind et al., 2021)"),
    ],
)
def test_names_of_three_authors_written_out(body: str, hint: str) -> None:
    (finding,) = _findings(body, ["lind2021"])
    assert finding.code == "PC227"
    assert finding.severity is Severity.WARNING
    assert finding.hint == hint
    assert "APA cites a work by 3 authors by its first author" in finding.message


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("Tides rise (Osei et al., 2021).", "write (Osei, 2021)"),
        ("Osei et al. (2021) measured it.", "write Osei (2021)"),
        ("Mud moves (Osei et al., 2022).", "write (Osei & Brekke, 2022)"),
        ("Osei et al. (2022, para. 2) measured it.", "write Osei and Brekke (2022, para. 2)"),
    ],
)
def test_et_al_for_one_or_two_authors(body: str, hint: str) -> None:
    (finding,) = _findings(body, ["osei2021", "osei2022"])
    assert finding.code == "PC228"
    assert finding.hint == hint


@pytest.mark.parametrize(
    "body",
    [
        "Marshes recover (Lind et al., 2021).",
        "Lind et al. (2021) found it.",
        "Tides rise (Osei, 2021); mud moves (Osei & Brekke, 2022).",
        "Osei and Brekke (2022) measured it.",
        # Pandoc citations are rendered, not written.
        "Marshes recover [@lind2021]; tides rise [@osei2021].",
    ],
)
def test_et_al_as_apa_writes_it_passes(body: str) -> None:
    assert _codes(body, ["lind2021", "osei2021", "osei2022"]) == []


def test_names_needed_to_tell_two_works_apart_are_not_flagged() -> None:
    # Both shorten to "Lind et al., 2021": APA 8.18 writes names until they differ.
    body = (
        "Marshes recover (Lind, Okafor, & Valk, 2021), and eelgrass too (Lind, Okafor, "
        "Zeller, et al., 2021)."
    )
    # Each citation names its own work: no ambiguity (PC210), nothing uncited (PC202).
    assert _all_codes(body, ["lind2021", "lind2021b"]) == []
