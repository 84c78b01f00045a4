"""What `check` and `copying` accept: library files, the brief's own bibliography, any
brief format; and the obvious Python calls (``pc.check("brief.md", library=…)``).

The example brief and library of ``examples/check`` (fictional Kestrian and Veldorian
ministries) serve throughout.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

import policycite as pc
from policycite.cli import main
from policycite.output import text

from conftest import ROOT, SAMPLE_LIBRARY

EXAMPLE = ROOT / "examples" / "check"
BRIEF = EXAMPLE / "brief.md"
FOLDER = EXAMPLE / "references"
NO_SNAPSHOTS = "the library has no snapshots"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, str]]]:
    code = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, json.loads(out)["findings"]


def _quotation_codes(findings: list[dict[str, str]]) -> list[str]:
    return [f["code"] for f in findings if f["code"] in {"PC220", "PC401", "PC402", "PC403"}]


@pytest.fixture
def library_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """The example library converted to CSL-JSON, CSL-YAML and BibTeX files."""
    files = {}
    for suffix, target in ((".json", "csljson"), (".yaml", "cslyaml"), (".bib", "bibtex")):
        path = tmp_path / f"library{suffix}"
        assert main(["convert", str(FOLDER), "--to", target, "-o", str(path)]) == 0
        files[suffix] = path
    capsys.readouterr()
    return files


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".bib"])
def test_check_takes_a_library_file_and_says_quotations_are_unchecked(
    suffix: str, library_files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, with_folder = _json(capsys, str(BRIEF), "-l", str(FOLDER))
    quoted = [f for f in with_folder if f["code"] in {"PC401", "PC403"}]
    assert quoted  # the example brief has a misquote and a quotation not in its source
    _, with_file = _json(capsys, str(BRIEF), "-l", str(library_files[suffix]))
    # Every quotation the folder's snapshots checked is reported as not checked: none
    # passes silently, and none is called a misquote without the source's text.
    unchecked = [f for f in with_file if f["code"] == "PC220"]
    assert not [f for f in with_file if f["code"] in {"PC401", "PC402", "PC403"}]
    assert {f["location"]["line"] for f in quoted} <= {f["location"]["line"] for f in unchecked}
    assert all(NO_SNAPSHOTS in f["message"] for f in unchecked)

    # The references still match the records of the file.
    def matching(findings: list[dict[str, str]]) -> list[tuple[str, str]]:
        return [(f["code"], f["message"]) for f in findings if f["code"] in {"PC201", "PC218"}]

    assert matching(with_file) == matching(with_folder)


def _with_front_matter(tmp_path: Path, front: str) -> Path:
    brief = tmp_path / "notes" / "brief.md"
    brief.parent.mkdir()
    brief.write_text(f"---\ntitle: Ports\n{front}---\n\n" + BRIEF.read_text(encoding="utf-8"))
    return brief


@pytest.mark.parametrize(
    "front", ["bibliography: ../library.json\n", "bibliography:\n- ../library.bib\n"]
)
def test_without_l_the_brief_names_its_bibliography(
    front: str,
    library_files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    brief = _with_front_matter(tmp_path, front)
    monkeypatch.chdir(SAMPLE_LIBRARY.parent)  # whose ./references is another library
    code, findings = _json(capsys, str(brief))
    assert code == 1
    assert "PC220" in _quotation_codes(findings)
    assert not [f for f in findings if f["code"] == "PC218" and "Lindqvist" in f["message"]]


def test_a_bibliography_named_by_the_brief_must_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _with_front_matter(tmp_path, "bibliography: missing.bib\n")
    assert main(["check", str(brief)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.bib" in err and "brief.md" in err


def test_l_overrides_the_bibliography_the_brief_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _with_front_matter(tmp_path, "bibliography: missing.bib\n")
    _, findings = _json(capsys, str(brief), "-l", str(FOLDER))
    assert "PC401" in _quotation_codes(findings)


def _word_brief(path: Path, sentences: list[str]) -> Path:
    document = docx.Document()
    for sentence in sentences:
        document.add_paragraph(sentence)
    document.save(str(path))
    return path


def test_copying_reads_every_brief_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copied = (
        "We start from a simple fact: no river in our region stops at a border, and no "
        "flood waits for a treaty."
    )
    word = _word_brief(tmp_path / "brief.docx", ["Rivers and borders", f"As said, {copied}"])
    latex = tmp_path / "brief.tex"
    latex.write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\nAs said, {copied}\n\\end{{document}}\n"
    )
    for brief, line in ((word, 3), (latex, 3)):
        assert main(["copying", str(brief), "-l", str(SAMPLE_LIBRARY)]) == 1
        err = capsys.readouterr().err
        assert f"{brief}:{line}:" in err and "PC410" in err and "@lindqvist2024" in err


# --- the Python API --------------------------------------------------------------------


def test_check_takes_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    result = pc.check(str(BRIEF), library=str(FOLDER))
    assert result.findings == result.report.findings
    assert "PC401" in {f.code for f in result.findings}
    # The folder defaults to ./references, as on the command line.
    monkeypatch.chdir(EXAMPLE)
    assert pc.check("brief.md").findings == pc.check("brief.md", "references").findings


def test_check_takes_a_library_value_or_file(library_files: dict[str, Path]) -> None:
    library = pc.load_library(FOLDER).library
    from_folder = pc.check(pc.read_brief(BRIEF), library, FOLDER)  # the long way still works
    assert from_folder.findings == pc.check(BRIEF, library=FOLDER).findings
    for given in (library, library_files[".json"]):
        result = pc.check(BRIEF, library=given)  # no folder: no snapshots
        codes = [f.code for f in result.findings]
        assert "PC220" in codes and "PC401" not in codes
        assert all(NO_SNAPSHOTS in f.message for f in result.findings if f.code == "PC220")


def test_to_text_needs_no_color_argument() -> None:
    result = pc.check(BRIEF, library=FOLDER)
    plain = text.to_text(result)
    assert plain == text.to_text(result, color=False)
    assert "\x1b[" not in plain and "\x1b[" in text.to_text(result, color=True)


def test_a_latex_brief_from_python(tmp_path: Path) -> None:
    brief = tmp_path / "note.tex"
    brief.write_text(
        "\\begin{document}\nThe chair said that ``no river in our region stops at a border'' "
        "\\parencite[para.~3]{lindqvist2024}.\n\\end{document}\n"
    )
    shutil.copytree(SAMPLE_LIBRARY, tmp_path / "references")
    assert pc.check(brief, library=tmp_path / "references").findings == ()


def test_what_reading_a_library_file_found_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{lindqvist2024,\n  author = {Lindqvist, Maria},\n  title = {Opening address},\n"
        "  year = {2024},\n}\n@misc{broken,\n  author = {Nobody\n",
        encoding="utf-8",
    )
    brief = tmp_path / "brief.tex"
    brief.write_text("As the chair said \\parencite{lindqvist2024}, rivers matter.\n")
    assert main(["check", str(brief), "-l", str(bib)]) == 0
    err = capsys.readouterr().err
    assert f"{bib}:6: PC010" in err
    # Nor is what cannot be checked without snapshots passed over in silence.
    assert f"policycite: note: {bib} has no snapshots: quotations (PC220) and copying" in err
