"""Inline suppression: ``<!-- policycite: ignore … -->`` in Markdown and HTML, Word comments.

The library is test_check's fictional Ministry of Coastal Affairs. Each brief has two
entries in title case (PC216 each) and one reference never cited (PC202), so that a
test can see which finding a comment covers and which it leaves alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from policycite.brief.readers import read_brief
from policycite.brief.structure import parse_brief
from policycite.cli import main
from policycite.errors import InputError
from policycite.library import load_library
from policycite.output import jsonreport, text
from policycite.rules.result import CheckResult
from policycite.rules.validate import check
from test_check import SOURCES_APA, build_library

BRANDT = (
    "Brandt, T. (2024, May 15). Minister Promises Faster Help for the Eroding North Shore. "
    "Harbour Gazette. https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion"
)
HALDANE = (
    "Haldane, I. (2024, May 15). Address To The North Shore Resilience Forum [Speech "
    "transcript]. Ministry of Coastal Affairs. North Shore Resilience Forum, Port Elswick, May "
    "14, 2024. https://www.coastal-affairs.example/speeches/2024-05-14-resilience-forum"
)
TEXT = "Local papers stressed the bills (Brandt, 2024). The minister promised help (Haldane, 2024)."


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suppressions") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


def _markdown(*, before: str = "", inline: str = "", top: str = "") -> str:
    return (
        f"{top}# Erosion\n\n{TEXT}\n\n## References\n\n{before}{BRANDT}{inline}\n\n{HALDANE}\n\n"
        f"{SOURCES_APA['mca2024b']}\n"
    )


def _check(path: Path, library: Path) -> CheckResult:
    return check(read_brief(path), load_library(library).library, library)


def _found(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.code, f.location.line) for f in result.report]


def _suppressed(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(f.code, f.location.line) for f in result.report.suppressed]


def test_without_comments_every_finding_is_reported(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(), encoding="utf-8")
    result = _check(brief, library)
    assert _found(result) == [("PC216", 7), ("PC216", 9), ("PC202", 11)]
    assert result.report.suppressed == ()


@pytest.mark.parametrize(
    ("before", "inline"),
    [
        ("<!-- policycite: ignore PC216 -->\n", ""),  # on the line before the entry
        ("<!-- policycite: ignore PC216 -->\n\n", ""),  # separated by a blank line
        ("", " <!-- policycite: ignore reference-style -->"),  # at the end of the entry
    ],
)
def test_markdown_comment_covers_the_next_paragraph_or_its_own(
    before: str, inline: str, library: Path, tmp_path: Path
) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(before=before, inline=inline), encoding="utf-8")
    result = _check(brief, library)
    line = 7 + before.count("\n")
    # Only Brandt's entry: the next entry's PC216 and the uncited reference remain, and
    # the comment line is no entry of the reference list (no PC218).
    assert _suppressed(result) == [("PC216", line)]
    assert [code for code, _ in _found(result)] == ["PC216", "PC202"]


def test_ignore_file_and_a_bare_ignore(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(top="<!-- policycite: ignore-file PC216 -->\n"), encoding="utf-8")
    result = _check(brief, library)
    assert [code for code, _ in _found(result)] == ["PC202"]
    assert [code for code, _ in _suppressed(result)] == ["PC216", "PC216"]
    brief.write_text(_markdown(before="<!-- policycite: ignore -->\n"), encoding="utf-8")
    assert [code for code, _ in _suppressed(_check(brief, library))] == ["PC216"]


def test_suppressed_findings_are_counted_in_text_and_json(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(
        _markdown(top="<!-- policycite: ignore-file PC202, PC216 -->\n"), encoding="utf-8"
    )
    result = _check(brief, library)
    assert text.to_text(result, color=False).endswith(
        f"no problems found in {brief} (3 findings suppressed)\n"
    )
    # Suppressed warnings do not fail the check.
    assert main(["check", str(brief), "-l", str(library), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["suppressed"] == 3
    assert [f["code"] for f in document["suppressed"]] == ["PC216", "PC216", "PC202"]
    assert document["findings"] == []
    import jsonschema

    jsonschema.validate(document, jsonreport.schema())


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- policycite: ignore PC2l6 -->", ":8: unknown rule 'PC2l6'"),
        ("<!-- policycite: ingore PC216 -->", ":8: unknown directive 'policycite: ingore'"),
    ],
)
def test_a_bad_directive_exits_2_naming_file_and_line(
    comment: str,
    message: str,
    library: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(before=f"\n{comment}\n"), encoding="utf-8")
    assert main(["check", str(brief), "-l", str(library)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"policycite: error: {brief}{message}" in err
    with pytest.raises(InputError):
        parse_brief(brief.read_text(encoding="utf-8"), format="markdown")


def test_comments_of_other_tools_are_left_alone() -> None:
    brief = parse_brief(f"# A\n\n<!-- TODO: shorten -->\n{TEXT}\n", format="markdown")
    assert brief.suppressions == ()


# --- HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        f"<!-- policycite: ignore PC216 --><p>{BRANDT}</p>",
        f"<p>{BRANDT} <!-- policycite: ignore PC216 --></p>",
        f"<p><!-- policycite:ignore PC2 -->{BRANDT}</p>",
    ],
)
def test_html_comment(entry: str, library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.html"
    brief.write_text(
        f"<!doctype html><html><body><h1>Erosion</h1><p>{TEXT}</p><h2>References</h2>"
        f"{entry}<p>{HALDANE}</p><p>{SOURCES_APA['mca2024b']}</p></body></html>",
        encoding="utf-8",
    )
    result = _check(brief, library)
    assert _suppressed(result) == [("PC216", 7)]
    assert _found(result) == [("PC216", 9), ("PC202", 11)]


def test_html_ignore_file_before_the_root(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.html"
    brief.write_text(
        f"<!-- policycite: ignore-file PC216 -->\n<html><body><p>{TEXT}</p><h2>References</h2>"
        f"<p>{BRANDT}</p><p>{HALDANE}</p><p>{SOURCES_APA['mca2024b']}</p></body></html>",
        encoding="utf-8",
    )
    result = _check(brief, library)
    assert [c for c, _ in _suppressed(result)] == ["PC216", "PC216"]
    assert [c for c, _ in _found(result)] == ["PC202"]


# --- Word ------------------------------------------------------------------------------


def _word(path: Path, comment: str | None, *, on: str = "brandt") -> None:
    document = docx.Document()
    document.add_heading("Erosion", level=1)
    document.add_paragraph(TEXT)
    document.add_paragraph("")  # an empty paragraph: no paragraph of the text
    document.add_heading("References", level=2)
    entries = {"brandt": document.add_paragraph(BRANDT), "haldane": document.add_paragraph(HALDANE)}
    document.add_paragraph(SOURCES_APA["mca2024b"])
    if comment is not None:
        runs = entries[on].runs
        document.add_comment(runs, text=comment, author="Analyst", initials="A")
        document.add_comment(document.paragraphs[1].runs, text="Check this figure", author="A")
    document.save(str(path))


def test_word_comment_covers_its_paragraph(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.docx"
    _word(brief, "policycite: ignore PC216")
    result = _check(brief, library)
    assert _suppressed(result) == [("PC216", 7)]
    assert _found(result) == [("PC216", 9), ("PC202", 11)]
    _word(brief, "policycite: ignore PC216", on="haldane")
    assert _suppressed(_check(brief, library)) == [("PC216", 9)]
    _word(brief, None)
    assert _check(brief, library).report.suppressed == ()


def test_word_comment_over_several_paragraphs(library: Path, tmp_path: Path) -> None:
    brief = tmp_path / "brief.docx"
    document = docx.Document()
    document.add_paragraph(TEXT)
    document.add_heading("References", level=2)
    first = document.add_paragraph(BRANDT)
    second = document.add_paragraph(HALDANE)
    document.add_paragraph(SOURCES_APA["mca2024b"])
    document.add_comment(
        [first.runs[0], second.runs[0]], text="policycite: ignore PC2", author="Analyst"
    )
    document.save(str(brief))
    result = _check(brief, library)
    assert [c for c, _ in _suppressed(result)] == ["PC216", "PC216"]
    assert [c for c, _ in _found(result)] == ["PC202"]


def test_word_comment_with_unknown_rule_exits_2(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.docx"
    _word(brief, "policycite: ignore PC9999")
    assert main(["check", str(brief), "-l", str(library)]) == 2
    assert f"{brief}:7: unknown rule 'PC9999'" in capsys.readouterr().err


def test_sarif_marks_suppressed_results(library: Path, tmp_path: Path) -> None:
    from policycite.output import sarif

    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(before="<!-- policycite: ignore PC216 -->\n"), encoding="utf-8")
    log = sarif.to_sarif(_check(brief, library), version="0", root=tmp_path)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], "suppressions" in r) for r in results] == [
        ("PC216", False),
        ("PC202", False),
        ("PC216", True),
    ]
    assert results[2]["suppressions"][0]["kind"] == "inSource"


def test_html_report_counts_suppressed(library: Path, tmp_path: Path) -> None:
    from policycite.output import html

    brief = tmp_path / "brief.md"
    brief.write_text(_markdown(before="<!-- policycite: ignore PC216 -->\n"), encoding="utf-8")
    assert "1 finding suppressed" in html.to_html(_check(brief, library))
