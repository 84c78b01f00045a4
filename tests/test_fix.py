"""`check --fix`: the corrected reference list, with APA's italics, beside the brief.

Markdown briefs get ``BRIEF.references.md`` with ``*italics*``; Word briefs get
``BRIEF.references.docx`` with italic runs and a hanging indent; the HTML report's
corrected list is the same list (matched entries rendered, unmatched ones kept under the
same note). The brief and library are examples/check, whose reference list has four
entries that match a record and one that does not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.shared import Inches

from policycite.cli import main
from test_places import make_word_brief

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "check"
LIBRARY = str(EXAMPLE / "references")
NOTE = "Not in the library (kept as written; capture them with `policycite add`):"
UNMATCHED = (
    "Baltic Harbour Institute. (2023). Small ports after the storms (Report No. 7). "
    "https://bhi.example/reports/7"
)
#: The italic parts of the four matched entries, in APA order (Halvorsen, Lindqvist,
#: Northern Waters Alliance, Valk): titles of stand-alone works, a newspaper's name.
ITALICS = [
    "Speech of the NWA Secretary-General Ms. Ingrid Halvorsen at the Extraordinary Meeting "
    "of the Council of NWA Environment Ministers via videoconference",
    "The Meridian Post",
    "NWA Secretary-General takes part in a video conference of NWA environment ministers",
    "Speech by Minister Irena Valk at the Regional Conference on Inland Waterways in Port Halden",
]


def _fix(brief: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    main(["check", str(brief), "-l", LIBRARY, "--fix", *more])
    return capsys.readouterr().err


def test_fix_on_markdown_writes_italics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = tmp_path / "brief.md"
    shutil.copy(EXAMPLE / "brief.md", brief)
    err = _fix(brief, capsys)
    target = tmp_path / "brief.references.md"
    assert f"written to {target}" in err
    fixed = target.read_text(encoding="utf-8")
    entries = fixed.split("\n\n")
    assert entries[0] == "References"
    assert entries[2] == (
        "Lindqvist, M., & Feld, O. (2024, April 3). Port cities race to adapt as storm "
        "surges grow. *The Meridian Post*. "
        "https://meridianpost.example/2024/04/03/port-cities-race-to-adapt-storm-surges/"
    )
    for title in ITALICS:
        assert f"*{title}*" in fixed
    assert entries[-2:] == [NOTE, UNMATCHED + "\n"]


def test_fix_on_word_writes_a_word_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = make_word_brief(tmp_path / "brief.docx")
    original = brief.read_bytes()
    err = _fix(brief, capsys)
    target = tmp_path / "brief.references.docx"
    assert f"written to {target}" in err
    assert brief.read_bytes() == original  # the brief is never touched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.docx", "brief.references.docx"]
    written = docx.Document(str(target))
    paragraphs = [p for p in written.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "References"
    entries = paragraphs[1:5]
    # Real italic runs, exactly APA's italics; the rest of each entry upright.
    assert [[r.text for r in p.runs if r.italic] for p in entries] == [[t] for t in ITALICS]
    assert all(not r.italic for p in entries for r in p.runs if r.text not in ITALICS)
    assert entries[1].text == (
        "Lindqvist, M., & Feld, O. (2024, April 3). Port cities race to adapt as storm "
        "surges grow. The Meridian Post. "
        "https://meridianpost.example/2024/04/03/port-cities-race-to-adapt-storm-surges/"
    )
    # A hanging indent of half an inch on every entry, the unmatched one too.
    for paragraph in [*entries, paragraphs[6]]:
        assert paragraph.paragraph_format.left_indent == Inches(0.5)
        assert paragraph.paragraph_format.first_line_indent == -Inches(0.5)
    assert paragraphs[5].text == NOTE.replace("`", "")
    assert paragraphs[6].text == UNMATCHED
    assert len(paragraphs) == 7


def test_html_report_lists_what_fix_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = make_word_brief(tmp_path / "brief.docx")
    report = tmp_path / "report.html"
    _fix(brief, capsys, "--format", "html", "-o", str(report))
    tree = lxml.html.fromstring(report.read_bytes())
    section = tree.find_class("corrected")[0]
    shown = [" ".join(e.text_content().split()) for e in section.find_class("csl-entry")]
    written = [p.text for p in docx.Document(str(tmp_path / "brief.references.docx")).paragraphs]
    entries = [t for t in written if t.strip() and t not in {"References", NOTE.replace("`", "")}]
    assert shown == entries  # the same list, the unmatched entry included
    assert shown[-1] == UNMATCHED
    assert [i.text_content() for i in section.iter("i")] == ITALICS
    assert " ".join(section.find_class("note")[0].text_content().split()) == NOTE.replace("`", "")


def test_runs_from_the_renderers_html() -> None:
    from policycite.output.corrected import Run, runs_of_html

    html = (
        'Kask, J. (2024). <i>On <span style="font-style:normal;">Narva</span> data</i>. '
        '<span style="font-variant:small-caps;">Bcws</span> &amp; H<sub>2</sub>O'
        "<script>alert(1)</script>."
    )
    assert runs_of_html(html) == (
        Run("Kask, J. (2024). "),
        Run("On ", italic=True),
        Run("Narva"),  # roman inside an italic title
        Run(" data", italic=True),
        Run(". "),
        Run("Bcws", small_caps=True),
        Run(" & H"),
        Run("2", subscript=True),
        Run("O."),
    )


def test_markdown_escapes_only_what_would_be_markup() -> None:
    from policycite.output.corrected import CorrectedList, Entry, Run, to_markdown

    entry = Entry(
        [
            Run("Vell, A. (2019). "),
            Run("Dry *years* ", italic=True),
            Run("[Report]. https://x.example/a_b/_c [see](here)"),
        ]
    )
    assert to_markdown(CorrectedList([entry], [])) == (
        "References\n\nVell, A. (2019). *Dry \\*years\\** "
        "[Report]. https://x.example/a_b/\\_c [see\\](here)\n"
    )


def test_unmatched_markdown_entry_kept_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.md"
    text = (EXAMPLE / "brief.md").read_text(encoding="utf-8")
    brief.write_text(text.replace("Small ports after the storms", "*Small ports after the storms*"))
    report = tmp_path / "report.html"
    _fix(brief, capsys, "--format", "html", "-o", str(report))
    written = (tmp_path / "brief.references.md").read_text(encoding="utf-8")
    assert written.endswith(
        UNMATCHED.replace("Small ports after the storms", "*Small ports after the storms*") + "\n"
    )
    section = lxml.html.fromstring(report.read_bytes()).find_class("corrected")[0]
    unmatched = section.find_class("unmatched")[0]
    assert unmatched.text_content() == UNMATCHED
    assert unmatched.findtext("i") == "Small ports after the storms"
