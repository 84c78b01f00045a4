"""Capture end to end: the example pages become the right records, snapshots and findings.

Golden files (tests/golden/capture/<page>.txt) hold, per example page, the review `add`
prints, every record as written and every document's numbered paragraphs; the tests
below also assert the key facts one by one, so that a golden file cannot quietly absorb
a wrong title or date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.capture.pipeline import AddResult, add
from policycite.formats.cslyaml import dump_record
from policycite.model import PartialDate

from conftest import ROOT, Golden

EXAMPLES = ROOT / "examples" / "capture"
ACCESSED = PartialDate.parse("2026-11-20")
NOW = "2026-11-20T09:30:00+00:00"


def _add(target: str | Path, folder: Path, **options: object) -> AddResult:
    return add(target, folder, accessed=ACCESSED, now=lambda: NOW, **options)  # type: ignore[arg-type]


def _golden_text(result: AddResult, folder: Path) -> str:
    parts = ["# review\n", result.to_text().replace(str(folder), "references"), "\n# findings\n"]
    parts += [f"{f}\n".replace(str(EXAMPLES) + "/", "") for f in result.findings]
    for item in result.added:
        if item.source is not None:
            parts += [f"\n# record @{item.source.key}\n", dump_record(item.source)]
        parts.append(f"\n# text of document {item.snapshot.document}\n")
        for para in item.snapshot.paragraphs:
            text = item.snapshot.text[para.start : para.end]
            parts.append(f"[{para.number}] {text}\n" if para.number else f"## {text}\n")
    return "".join(parts)


EXAMPLE_PAGES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in {".html", ".txt"})
#: Where the text copy was read (a copied text names no URL of its own).
TEXT_URL = "https://www.nwa.example/en/news/2021/03/18/video-conference"


@pytest.mark.parametrize("name", EXAMPLE_PAGES)
def test_example_page_golden(name: str, tmp_path: Path, golden: Golden) -> None:
    url = TEXT_URL if name.endswith(".txt") else None
    result = _add(EXAMPLES / name, tmp_path / "references", url=url)
    golden.check(f"capture/{name}.txt", _golden_text(result, tmp_path / "references"))
