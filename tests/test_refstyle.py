"""PC216 reference-style: formatting-aware, and never a proposal worse than what is written.

The library is test_check's fictional Ministry of Coastal Affairs and the sources around
it; its APA renderings set the newspaper's name and the report's title in italics.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from policycite.brief.readers import read_brief
from policycite.brief.structure import parse_brief
from policycite.findings import Finding, Severity
from policycite.library import load_library, save_source
from policycite.model import Name, PartialDate, Provenance, Source
from policycite.rules.refstyle import emphasis, from_html
from policycite.rules.validate import check
from test_check import build_library

URL = "https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion"
TITLE = "Minister promises faster help for the eroding North Shore"
BRANDT = "Brandt, T. (2024, May 15). {title}. {paper}. " + URL
REPORT_URL = "https://www.shorelinestudies.example/reports/7-counting-the-cost"
REPORT = (
    "Institute for Shoreline Studies. (2023). *Counting the cost: Coastal erosion and public "
    "budgets to 2050* ({number}). " + REPORT_URL
)
TEXT = "Local papers stressed the bills (Brandt, 2024)."


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("refstyle") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


def _brief(entries: list[str], fmt: str = "markdown", text: str = TEXT) -> str:
    return f"# Erosion\n\n{text}\n\n## References\n\n" + "\n\n".join(entries) + "\n"


def _findings(source: str, library: Path, fmt: str = "markdown") -> list[Finding]:
    brief = parse_brief(source, format=fmt)
    result = check(brief, load_library(library).library, library)
    return [f for f in result.report if f.code == "PC216"]


def test_markup_helpers() -> None:
    assert emphasis("A. (2024). *Title*. _Paper_. https://x.example/a_b_c") == (
        "A. (2024). Title. Paper. https://x.example/a_b_c",
        [(11, 16), (18, 23)],
    )
    assert emphasis("**Bold** and ***both***") == ("Bold and both", [(9, 13)])
    assert from_html("A &amp; B. <i>Title</i>. https://x.example") == (
        "A & B. Title. https://x.example",
        [(7, 12)],
    )


@pytest.mark.parametrize("paper", ["*Harbour Gazette*", "_Harbour Gazette_"])
def test_markdown_emphasis_is_italics_not_a_difference(paper: str, library: Path) -> None:
    entry = BRANDT.format(title=TITLE, paper=paper)
    assert _findings(_brief([entry]), library) == []


def test_emphasis_marks_in_plain_text_are_not_compared(library: Path) -> None:
    entry = BRANDT.format(title=f"*{TITLE}*", paper="*Harbour Gazette*")
    assert _findings(_brief([entry]), library, "text") == []
    # In Markdown the same entry sets the wrong words in italics.
    (finding,) = _findings(_brief([entry]), library)
    assert finding.message == (
        "italics differ from the rendering of @brandt2024: APA sets “Harbour Gazette” in "
        f"italics, the entry “{TITLE}”, “Harbour Gazette”"
    )
    assert finding.hint == f"write: {BRANDT.format(title=TITLE, paper='*Harbour Gazette*')}"
    assert finding.severity is Severity.INFO


def test_a_list_without_italics_is_not_an_italics_error(library: Path) -> None:
    entry = BRANDT.format(title=TITLE, paper="Harbour Gazette")
    assert _findings(_brief([entry]), library) == []


def test_a_true_difference_is_still_reported_with_italics_in_the_proposal(
    library: Path,
) -> None:
    entry = BRANDT.format(title=TITLE.title(), paper="*Harbour Gazette*")
    (finding,) = _findings(_brief([entry]), library)
    assert finding.message == "differs from the rendering of @brandt2024"
    assert finding.hint == f"write: {BRANDT.format(title=TITLE, paper='*Harbour Gazette*')}"
    assert finding.severity is Severity.INFO
    # In plain text the proposal is plain.
    (plain,) = _findings(_brief([entry.replace("*", "")]), library, "text")
    assert plain.hint == f"write: {BRANDT.format(title=TITLE, paper='Harbour Gazette')}"


def test_report_number_keeps_its_report(library: Path) -> None:
    # The record has a number and no genre: APA's style prints "(No. 7)". Proposing that
    # would lose "Report"; the finding asks for the genre instead.
    text = "Budgets will suffer (Institute for Shoreline Studies, 2023)."
    (finding,) = _findings(_brief([REPORT.format(number="Report No. 7")], text=text), library)
    assert finding.message == "differs from the rendering of @iss2023, which lacks “Report”"
    assert finding.hint == (
        "@iss2023 has no genre, so APA prints its number alone (“No. 7”): add “genre: Report” "
        "to its record"
    )
    assert "(No. 7)" not in str(finding.hint)
    # As the record renders it, the entry is as APA wants it.
    assert _findings(_brief([REPORT.format(number="No. 7")], text=text), library) == []


def test_no_proposal_that_another_rule_would_flag(library: Path, tmp_path: Path) -> None:
    # The record's title is damaged; the entry's is right: "write: <the damaged title>"
    # would be a PC206 of its own.
    folder = tmp_path / "references"
    shutil.copytree(library, folder)
    trust = Name.organisation("Coastal Communities Trust")
    save_source(
        folder,
        Source(
            key="cct2024",
            kind="webpage",
            title="Grants for dune volunteers \u00e2\u20ac\u201c how to apply",
            authors=(trust,),
            issued=PartialDate(2024, 3, 2),
            provenance=Provenance(url="https://www.coastaltrust.example/grants/apply"),
        ),
    )
    entry = (
        "Coastal Communities Trust. (2024, March 2). *Grants for dune volunteers \u2013 how to "
        "apply*. https://www.coastaltrust.example/grants/apply"
    )
    brief = _brief([entry], text="Volunteers can apply (Coastal Communities Trust, 2024).")
    (finding,) = _findings(brief, folder)
    assert finding.message.startswith(
        "differs from the rendering of @cct2024, but that rendering would be reported too "
        "(PC206 mojibake: "
    )
    assert finding.hint is not None and not finding.hint.startswith("write:")


def test_html_italics(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.html"
    good = BRANDT.format(title=TITLE, paper="<i>Harbour Gazette</i>")
    brief.write_text(f"<p>{TEXT}</p><h2>References</h2><p>{good}</p>", encoding="utf-8")
    result = check(read_brief(brief), load_library(library).library, library)
    assert [f.code for f in result.report] == []
    bad = BRANDT.format(title=f"<em>{TITLE}</em>", paper="Harbour Gazette")
    brief.write_text(f"<p>{TEXT}</p><h2>References</h2><p>{bad}</p>", encoding="utf-8")
    result = check(read_brief(brief), load_library(library).library, library)
    (finding,) = result.report
    assert finding.code == "PC216" and finding.message.startswith("italics differ")
    assert finding.hint == (
        f"write: {BRANDT.format(title=TITLE, paper='Harbour Gazette')} "
        "(in italics: “Harbour Gazette”)"
    )


@pytest.mark.parametrize(("italic", "expected"), [("paper", []), ("title", ["PC216"])])
def test_word_italic_runs(italic: str, expected: list[str], library: Path, tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    document = docx.Document()
    document.add_paragraph(TEXT)
    document.add_heading("References", level=2)
    entry = document.add_paragraph("Brandt, T. (2024, May 15). ")
    entry.add_run(TITLE).italic = italic == "title"
    entry.add_run(". ")
    entry.add_run("Harbour Gazette").italic = italic == "paper"
    entry.add_run(f". {URL}")
    document.save(str(path))
    brief = read_brief(path)
    assert brief.text[slice(*brief.italics[0])] in {TITLE, "Harbour Gazette"}
    result = check(brief, load_library(library).library, library)
    assert [f.code for f in result.report] == expected
