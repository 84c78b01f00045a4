"""Time `check --annotate`'s own work: the word map and the comments, on a long Word brief.

    python benchmarks/annotate_speed.py

A synthetic brief of 400 paragraphs (each with two italic runs and a citation of a
work the reference list lacks, so each gives one finding, PC201, whose span begins
in one run and ends in another) is checked against examples/check/references; the
time to read and check it is printed apart from the time :func:`annotate` takes to map
the text, split the runs, write 400 comments and save the copy.

Target on the development machine: under a second for the 400 comments (measured:
0.3 s, three times the check; python-docx looks for a free comment id by scanning every
comment, so the cost grows with the square of the number of findings).
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import docx

from policycite.brief.readers import read_brief
from policycite.library import load_library
from policycite.output.annotated import annotate
from policycite.output.corrected import corrected_list
from policycite.rules.validate import check

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "examples" / "check" / "references"
PARAGRAPHS = 400


def _name(number: int) -> str:
    """A place name for each number: Ab, Ac, …, Ba, … (citations take no digits)."""
    first, second = divmod(number, 26)
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[first % 26] + "abcdefghijklmnopqrstuvwxyz"[second] + "ton"


def _brief() -> bytes:
    document = docx.Document()
    document.add_heading("A long brief", level=1)
    for number in range(PARAGRAPHS):
        paragraph = document.add_paragraph(f"Paragraph {number} says that the harbours of ")
        paragraph.add_run("the northern coast").italic = True
        paragraph.add_run(f" need dredging ({_name(number)} Harbour Board, ")
        paragraph.add_run("2020").italic = True
        paragraph.add_run(") before the winter storms.")
    document.add_heading("References", level=1)
    document.add_paragraph(
        "Valk, I. (2023, May 14). Speech by Minister Irena Valk at the Regional Conference "
        "on Inland Waterways in Port Halden [Speech transcript]. Ministry of Foreign "
        "Affairs of Kestria. https://www.mfa.kestria.example/en/speeches/2023-05-14-inland-waterways"
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    data = _brief()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.docx"
        path.write_bytes(data)
        library = load_library(LIBRARY).library
        start = time.perf_counter()
        result = check(read_brief(path), library, LIBRARY, html=True)
        checked = time.perf_counter() - start
        start = time.perf_counter()
        copy = annotate(data, result, corrected_list(result))
        annotated = time.perf_counter() - start
    findings = len(list(result.report))
    print(f"{PARAGRAPHS} paragraphs, {findings} findings, {len(data) // 1024} KiB")
    print(f"read and check: {checked:.2f} s")
    print(f"annotate:       {annotated:.2f} s ({len(copy) // 1024} KiB written)")


if __name__ == "__main__":
    main()
