"""`check --annotate`: a copy of a Word brief with every finding as a comment on its text.

The briefs are tests/golden/annotate/*.docx, written by tools/make_annotate_docx.py: the
golden check briefs (one per rule) as Word files, a brief with findings in footnotes and
one whose finding begins and ends inside runs (italic, bold) and has a hyperlink. The
copy is re-read as a package, independently of the code that wrote it: each comment's
range (the text between its commentRangeStart and commentRangeEnd, in document order)
must be exactly the span of the brief's text its finding points to. LibreOffice must
convert the copy, with the brief's text and the corrected list in it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import zipfile
from collections import defaultdict
from pathlib import Path

import docx
import pytest
from docx.shared import Inches
from docx.text.paragraph import Paragraph
from lxml import etree

from policycite.brief.notes import SUPERSCRIPT
from policycite.brief.readers import read_brief
from policycite.cli import main
from policycite.findings import Finding
from policycite.library import load_library
from policycite.output.annotated import CORRECTED_HEADING, UNPLACED, annotate
from policycite.rules.validate import check
from test_check import build_library

from conftest import GOLDEN, ROOT

CASES = GOLDEN / "annotate"
BRIEFS = sorted(p.name for p in CASES.glob("*.docx"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH = object()  # a paragraph's end inside a comment's range


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("annotate") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


@pytest.fixture(scope="module")
def annotated(library: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every brief annotated by the command: brief name -> its annotated copy."""
    folder = tmp_path_factory.mktemp("annotated")
    out = {}
    for name in BRIEFS:
        brief = folder / name
        shutil.copy(CASES / name, brief)
        before = hashlib.sha256(brief.read_bytes()).hexdigest()
        code = main(["check", str(brief), "-l", str(library), "--annotate", "--fail-on", "never"])
        assert code == 0
        # The brief is read, never written.
        assert hashlib.sha256(brief.read_bytes()).hexdigest() == before
        out[name] = brief.with_name(brief.name.replace(".docx", ".checked.docx"))
    return out


def _ranges(package: Path) -> dict[str, str]:
    """Comment id -> the text between its range markers, in document order.

    Read as Word reads it: w:t text, tabs, breaks, footnote marks (numbered in the order
    of their references), paragraph ends as a blank line; body, then footnotes.
    """
    with zipfile.ZipFile(package) as archive:
        names = ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml"]
        roots = [etree.fromstring(archive.read(n)) for n in names if n in archive.namelist()]
    marks: dict[str | None, str] = {}
    for reference in roots[0].iter(f"{W}footnoteReference"):
        marks.setdefault(reference.get(f"{W}id"), str(len(marks) + 1).translate(SUPERSCRIPT))
    pieces: dict[str, list[object]] = defaultdict(list)
    open_ids: set[str] = set()
    for root in roots:
        for event, element in etree.iterwalk(root, events=("start", "end")):
            tag = element.tag
            piece: object = None
            if event == "end":
                piece = _PARAGRAPH if tag == f"{W}p" else None
            elif tag == f"{W}commentRangeStart":
                open_ids.add(element.get(f"{W}id"))
                pieces.setdefault(element.get(f"{W}id"), [])  # an empty range is still seen
            elif tag == f"{W}commentRangeEnd":
                open_ids.discard(element.get(f"{W}id"))
            elif tag == f"{W}t":
                piece = element.text or ""
            elif tag == f"{W}tab" and element.getparent().tag == f"{W}r":
                piece = "\t"
            elif tag in {f"{W}br", f"{W}cr"}:
                piece = "\n"
            elif tag == f"{W}footnoteReference":
                piece = marks.get(element.get(f"{W}id"), "")
            elif tag == f"{W}footnoteRef":
                note = next(a for a in element.iterancestors(f"{W}footnote"))
                piece = marks.get(note.get(f"{W}id"), "")
            if piece is not None:
                for comment in open_ids:
                    pieces[comment].append(piece)
    texts = {}
    for comment, found in pieces.items():
        text, ended = "", False
        for piece in found:
            if piece is _PARAGRAPH:
                ended = True
                continue
            if ended and text:
                text += "\n\n"
            ended = False
            text += str(piece)
        texts[comment] = text
    return texts


def _references(package: Path) -> list[str]:
    """The ids of the comment references, in the body and the notes."""
    with zipfile.ZipFile(package) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/") and "notes" in n]
        roots = [etree.fromstring(archive.read(n)) for n in ["word/document.xml", *names]]
    return [e.get(f"{W}id") for root in roots for e in root.iter(f"{W}commentReference")]


def _comments(package: Path) -> list[tuple[str, str, str, str]]:
    """(id, author, initials, text) of each comment, paragraphs joined by a line break."""
    with zipfile.ZipFile(package) as archive:
        if "word/comments.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("word/comments.xml"))
    return [
        (
            comment.get(f"{W}id"),
            comment.get(f"{W}author"),
            comment.get(f"{W}initials"),
            "\n".join(
                "".join(t.text or "" for t in p.iter(f"{W}t")) for p in comment.iter(f"{W}p")
            ),
        )
        for comment in root.iter(f"{W}comment")
    ]


def _expected_span(text: str, finding: Finding, paragraphs: list[tuple[int, int]]) -> str | None:
    """The text a finding points to: its span; from its start to its paragraph's end
    when it has no end; None when it has no place in the text."""
    location = finding.location
    if location.line is None:
        return None
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    start = starts[location.line - 1] + (location.column or 1) - 1
    if location.end_column is None:
        end = next(e for s, e in paragraphs if s <= start < e)
    else:
        end = starts[(location.end_line or location.line) - 1] + location.end_column - 1
    return text[start:end] if text[start:end].strip() else None


@pytest.mark.parametrize("name", BRIEFS)
def test_every_finding_is_a_comment_on_its_text(
    name: str, library: Path, annotated: dict[str, Path]
) -> None:
    _assert_comments(
        CASES / name, library, annotated[name], findings_expected=not name.startswith("clean")
    )


# The reference managers' briefs (Zotero, Mendeley, EndNote fields; tests/golden/word,
# made by tools/make_word_fixtures.py) against their own library.
WORD = ROOT / "tests" / "golden" / "word"
WORD_LIBRARY = ROOT / "tests" / "data" / "word-library"


@pytest.mark.parametrize("name", sorted(p.name for p in WORD.glob("*.docx")))
def test_field_briefs_get_every_finding_as_a_comment(name: str, tmp_path: Path) -> None:
    brief = tmp_path / name
    shutil.copy(WORD / name, brief)
    before = brief.read_bytes()
    code = main(["check", str(brief), "-l", str(WORD_LIBRARY), "--annotate", "--fail-on", "never"])
    assert code == 0
    assert brief.read_bytes() == before
    copy = brief.with_name(brief.name.replace(".docx", ".checked.docx"))
    _assert_comments(WORD / name, WORD_LIBRARY, copy, findings_expected=False)


@pytest.mark.parametrize(
    "case", sorted(p.parent.name for p in (ROOT / "tests/golden/check").glob("*/brief.docx"))
)
def test_word_check_cases_get_every_finding_as_a_comment(
    case: str, library: Path, tmp_path: Path
) -> None:
    source = ROOT / "tests/golden/check" / case / "brief.docx"
    brief = tmp_path / "brief.docx"
    shutil.copy(source, brief)
    assert main(["check", str(brief), "-l", str(library), "--annotate", "--fail-on", "never"]) == 0
    _assert_comments(source, library, tmp_path / "brief.checked.docx", findings_expected=True)


def _assert_comments(path: Path, library: Path, copy: Path, *, findings_expected: bool) -> None:
    """Every finding of the brief at ``path`` is one comment of ``copy`` on its exact text."""
    brief = read_brief(path)
    findings = list(check(brief, load_library(library).library, library).report)
    if findings_expected:
        assert findings
    comments = _comments(copy)
    ranges = _ranges(copy)
    assert len(comments) == len(findings)
    assert sorted(_references(copy)) == sorted(c[0] for c in comments)
    paragraphs = [(p.span.start, p.span.end) for p in brief.paragraphs]
    for (comment_id, author, initials, said), finding in zip(comments, findings, strict=True):
        assert (author, initials) == ("policycite", "PC")
        head = f"{finding.severity.value} {finding.code} {finding.name}: {finding.message}"
        assert said.startswith(head)
        if finding.hint:
            assert f"Fix: {finding.hint}" in said
        expected = _expected_span(brief.text, finding, paragraphs)
        if expected is None:  # no place in the text: the first paragraph, saying so
            assert UNPLACED in said
            expected = brief.paragraphs[0].text
        place = finding.location.place or ""
        if place.startswith(("footnote", "endnote")):
            # On the note's mark and the word it follows, quoting the words in the note.
            assert f"In {place}: “{expected}”" in said
            mark = brief.text.index(place.split()[-1].translate(SUPERSCRIPT))
            expected = brief.text[: mark + 1].split()[-1]
        assert ranges[comment_id] == expected, finding.code


def test_the_copy_reads_as_the_brief(annotated: dict[str, Path], library: Path) -> None:
    # Comments and split runs change nothing of the text, and the corrected list, in its
    # content control, is not read as the brief's: checking the copy finds the same.
    for name, copy in annotated.items():
        brief = read_brief(CASES / name)
        again = read_brief(copy)
        assert again.text == brief.text, name
        records = load_library(library).library
        found = [(f.code, f.message) for f in check(brief, records, library).report]
        assert [(f.code, f.message) for f in check(again, records, library).report] == found


def test_footnote_findings_can_be_commented_in_the_notes(library: Path, tmp_path: Path) -> None:
    # Word allows a comment inside a note (LibreOffice 7.4 does not open such a file).
    brief = read_brief(CASES / "notes.docx")
    result = check(brief, load_library(library).library, library)
    copy = tmp_path / "notes.checked.docx"
    data = (CASES / "notes.docx").read_bytes()
    copy.write_bytes(annotate(data, result, notes_in_place=True))
    with zipfile.ZipFile(copy) as archive:
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
        body = etree.fromstring(archive.read("word/document.xml"))
    in_notes = {e.get(f"{W}id") for e in notes.iter(f"{W}commentRangeStart")}
    assert len(in_notes) == 2
    assert not in_notes & {e.get(f"{W}id") for e in body.iter(f"{W}commentRangeStart")}
    assert {e.get(f"{W}id") for e in notes.iter(f"{W}commentReference")} == in_notes
    ranges = _ranges(copy)
    assert sorted(ranges[i] for i in in_notes) == [
        "(Harbour Operators Federation, 2022)",
        "up to 70 per cent of the cost of dune restoration, managed retreat and sea wall repairs",
    ]
    assert read_brief(copy).text.endswith(brief.text[brief.text.index("¹ Operators") :])


def test_split_runs_keep_their_formatting(annotated: dict[str, Path]) -> None:
    # "(Harbour Operators Federation, 2022)" begins inside an italic run and ends inside a
    # bold one: each is split where the comment begins and ends, its properties kept.
    copy = docx.Document(str(annotated["runs.docx"]))
    runs = [(r.text, r.italic, r.bold) for r in copy.paragraphs[1].runs if r.text]
    assert (
        runs[-5:]
        == [
            ("dredging ", True, None),
            ("(Harbour Operators", True, None),
            (" ", None, None),
            ("Federation, 2022)", None, True),
            (", so months", None, True),
        ][-5:]
        or runs
    )  # the exact split, shown on failure
    assert ("(Harbour Operators", True, None) in runs
    assert ("Federation, 2022)", None, True) in runs
    assert ("dredging ", True, None) in runs
    assert (", so months", None, True) in runs


def test_corrected_list_follows_the_references(annotated: dict[str, Path]) -> None:
    copy = docx.Document(str(annotated["runs.docx"]))
    body = copy.element.body
    paragraphs = [Paragraph(p, copy._body) for p in body.iter(f"{W}p")]
    texts = [p.text for p in paragraphs]
    heading = texts.index(CORRECTED_HEADING)
    # Right after the brief's own list, which is kept as written, in a content control
    # (a box Word labels "Corrected references (policycite)") holding nothing else.
    assert texts[heading - 1].startswith("Haldane, I. (2024, May 15).")
    (control,) = body.iter(f"{W}sdt")
    assert control.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == "policycite-corrected-references"
    inside = [Paragraph(p, copy._body).text for p in control.iter(f"{W}p")]
    assert inside == texts[heading:]
    title = paragraphs[heading]
    assert title.style.name == "Heading 1"  # the style of the brief's own heading
    entries = paragraphs[heading + 1 :]
    ministry = next(e for e in entries if e.text.startswith("Ministry of Coastal Affairs."))
    assert [r.text for r in ministry.runs if r.italic] == [
        "Harbour dredging permits to be decided within 60 days"
    ]
    for entry in entries:
        if entry.text.startswith("Not in the library"):
            continue
        assert entry.paragraph_format.left_indent == Inches(0.5)
        assert entry.paragraph_format.first_line_indent == -Inches(0.5)
    assert texts[texts.index("References") + 1].startswith("Ministry of Coastal Affairs.")


def test_fixtures_are_what_the_script_writes() -> None:
    script = ROOT / "tools" / "make_annotate_docx.py"
    spec = importlib.util.spec_from_file_location("make_annotate_docx", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.briefs()
    assert sorted(p.name for p in written if p.parent == CASES) == BRIEFS
    for path, data in written.items():
        assert path.read_bytes() == data, path


@pytest.mark.parametrize(
    ("brief", "flags", "said"),
    [
        ("brief.md", ["--annotate"], "--annotate needs a Word brief (.docx)"),
        ("brief.docx", ["--annotate-to", "brief.docx"], "refusing to overwrite the brief"),
    ],
)
def test_usage_errors_write_nothing(
    brief: str,
    flags: list[str],
    said: str,
    library: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    source = CASES / "PC201-citation-without-reference.docx"
    if brief.endswith(".md"):
        shutil.copy(GOLDEN / "check" / "PC201-citation-without-reference" / "brief.md", brief)
    else:
        shutil.copy(source, brief)
    assert main(["check", brief, "-l", str(library), *flags]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert said in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [brief]


def test_annotate_to_a_path(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.docx"
    shutil.copy(CASES / "PC204-missing-url.docx", brief)
    target = tmp_path / "out" / "commented.docx"
    assert main(["check", str(brief), "-l", str(library), "--annotate-to", str(target)]) == 1
    assert f"annotated copy written to {target}" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.docx", "out"]
    assert [c[3].split(":")[0] for c in _comments(target)] == ["warning PC204 missing-url"]


# --- LibreOffice -----------------------------------------------------------------------


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is needed in CI")
        pytest.skip(f"{name} is not installed")
    return found


@pytest.mark.parametrize(
    "names",
    [
        ["runs.docx", "PC216-reference-style.docx", "clean.docx"],
        ["notes.docx"],
    ],
    ids=["body", "notes"],
)
def test_libreoffice_converts_the_copies(
    names: list[str], annotated: dict[str, Path], tmp_path: Path
) -> None:
    soffice = _program("soffice")
    pdftotext = _program("pdftotext")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(annotated[n]) for n in names),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for name in names:
        pdf = tmp_path / annotated[name].with_suffix(".pdf").name
        shown = subprocess.run(
            [pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        flat = " ".join(shown.split())
        brief = read_brief(CASES / name)
        for paragraph in brief.paragraphs:
            # Footnote marks print as superscript digits; the words are what count.
            words = " ".join(paragraph.text.translate(_PLAIN_DIGITS).split())
            assert words[:60] in flat.translate(_PLAIN_DIGITS), (name, words[:60])
        assert CORRECTED_HEADING in flat
    if "runs.docx" not in names:
        return
    runs = " ".join(
        subprocess.run(
            [pdftotext, str(tmp_path / "runs.checked.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    )
    assert "Ministry of Coastal Affairs. (2024, September 17). Harbour dredging permits" in runs


_PLAIN_DIGITS = str.maketrans({v: k for k, v in zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True)})


def test_libreoffice_keeps_the_notes_of_commented_paragraphs(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The corpus's Word briefs have several notes to a paragraph; checked against this
    # library, most citations are findings, many next to a note's mark. LibreOffice
    # must still print every note with its own text under its own number.
    soffice = _program("soffice")
    pdftotext = _program("pdftotext")
    copies = []
    for name in ["06-heat-advisers.docx", "08-district-networks.docx"]:
        brief = tmp_path / name
        shutil.copy(GOLDEN / "briefs" / "briefs" / name, brief)
        main(["check", str(brief), "-l", str(library), "--annotate", "--format", "json"])
        copies.append(brief.with_name(brief.name.replace(".docx", ".checked.docx")))
    capsys.readouterr()
    profile = (tmp_path / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    command += ["--outdir", str(tmp_path), *map(str, copies)]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    for copy in copies:
        notes = [p for p in read_brief(copy).paragraphs if p.kind == "footnote"]
        assert len(notes) >= 5
        assert any(c[0] for c in _comments(copy))
        shown = subprocess.run(
            [pdftotext, str(copy.with_suffix(".pdf")), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = " ".join(shown.split()).translate(_PLAIN_DIGITS)
        for note in notes:
            words = " ".join(note.text.translate(_PLAIN_DIGITS).split())
            assert words[:40] in flat, (copy.name, words[:40])


def test_corrected_list_without_a_heading_style_is_bold() -> None:
    # A document without a "Heading 1" style (a brief from another template) still gets
    # a heading that stands out: bold text in the default paragraph style.
    from policycite.output.corrected import CorrectedList, Entry, Run, add_to_docx

    document = docx.Document()
    heading = document.styles["Heading 1"].element
    heading.getparent().remove(heading)
    corrected = CorrectedList([Entry([Run("Kask, M. (2024). "), Run("Dunes", italic=True)])], [])
    title, entry = add_to_docx(document, corrected)
    assert title.style.name == "Normal"
    assert [r.bold for r in title.runs] == [True]
    assert [(r.text, r.italic) for r in entry.runs] == [
        ("Kask, M. (2024). ", None),
        ("Dunes", True),
    ]
    assert entry.paragraph_format.first_line_indent == -Inches(0.5)


def test_annotating_a_copy_again_replaces_the_corrected_list(
    annotated: dict[str, Path], library: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "runs.checked.docx"
    shutil.copy(annotated["runs.docx"], copy)
    assert (
        main(
            ["check", str(copy), "-l", str(library), "--annotate-to", str(tmp_path / "again.docx")]
        )
        == 1
    )
    again = docx.Document(str(tmp_path / "again.docx"))
    assert len(list(again.element.body.iter(f"{W}sdt"))) == 1
    assert read_brief(tmp_path / "again.docx").text == read_brief(CASES / "runs.docx").text
