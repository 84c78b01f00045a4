"""Finding.fix: a fix is certain when applying it removes the finding and adds none.

Every golden brief of tests/golden/check is checked; each finding that carries a fix
has it applied to the brief's text, the text is checked again, and the finding must be
gone with nothing new in its place. The codes that carry fixes are pinned, so that a
fix cannot silently stop being offered (the editor's quick fixes are these).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from policycite.brief.readers import brief_from_text, read_brief
from policycite.findings import Edit, Finding
from policycite.library import load_library
from policycite.rules.validate import check
from test_check import CASES, _brief_of, _cases, build_library

from conftest import ROOT

#: The golden cases whose finding carries a certain fix.
FIXED = {"PC205", "PC206", "PC208", "PC211", "PC212", "PC216"}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixes") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


def _apply(text: str, edits: tuple[Edit, ...]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _fixable(case: str, library: Path) -> tuple[str, str, list[Finding]]:
    brief = read_brief(ROOT / _brief_of(case))
    result = check(brief, load_library(library).library, library)
    return brief.path, brief.text, [f for f in result.report if f.fix]


@pytest.mark.parametrize("case", [c for c in _cases() if (CASES / c / "brief.md").exists()])
def test_each_fix_removes_its_finding_and_adds_none(case: str, library: Path) -> None:
    path, text, fixable = _fixable(case, library)
    assert Path(path).read_text(encoding="utf-8") == text  # offsets count in the file
    codes = {f.code for f in fixable}
    assert codes == ({case.split("-", maxsplit=1)[0]} & FIXED)
    records = load_library(library).library
    before = Counter(f.code for f in check(brief_from_text(text, path), records, library).report)
    for finding in fixable:
        fixed = _apply(text, finding.fix)
        again = check(brief_from_text(fixed, path), records, library)
        after = Counter(f.code for f in again.report)
        assert after[finding.code] == before[finding.code] - 1, (finding, fixed)
        assert not after - before, (finding, after - before)


def test_the_fixes_write_what_the_hints_say(library: Path) -> None:
    _, text, (retrieved,) = _fixable("PC205-apa6-retrieved-from", library)
    (edit,) = retrieved.fix
    assert (text[edit.start : edit.end], edit.text) == ("Retrieved from ", "")
    _, text, (dated,) = _fixable("PC208-date-mismatch", library)
    (edit,) = dated.fix
    assert (text[edit.start : edit.end], edit.text) == ("2024, May 14", "2024, May 15")
    assert (dated.hint or "").startswith("use 2024-05-15,")
    _, text, (locator,) = _fixable("PC212-wrong-locator", library)
    (edit,) = locator.fix
    assert locator.hint == f"cite {edit.text}"
