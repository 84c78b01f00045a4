"""Write the Word briefs of the --annotate tests (tests/golden/annotate/*.docx).

Each golden check brief (tests/golden/check/<case>/brief.md or .txt, one brief per rule)
becomes ``<case>.docx``: ``#``/``##`` lines become Heading 1/2 paragraphs, other blocks
body paragraphs (a Markdown block's lines joined by spaces, a text brief's front lines
by line breaks), ``*…*`` italic runs and ``**…**`` bold ones. Two more briefs test
what the check briefs do not: findings in footnotes (``[^N]`` marks a note), findings
whose span begins or ends inside a run and crosses italic and bold runs or a line
break, and a reference entry whose URL is a hyperlink. The README's example,
examples/annotate/brief.docx, is examples/check/brief.md as Word with a footnote.

python-docx has no API for footnotes or hyperlinks: they are written as
WordprocessingML here, and the package by tools/docxpackage.py (shared with
tools/make_corpus_docx.py and tools/make_word_fixtures.py). Fixed dates make the bytes
the same on every run. Run from the repository root: ``python tools/make_annotate_docx.py``;
commit the .docx files with it (tests/test_annotate.py checks they are up to date).
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

# The shared package writer sits next to this script; tests load the script by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxpackage

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "tests" / "golden" / "check"
OUT = ROOT / "tests" / "golden" / "annotate"
#: The README's example: examples/check's brief as a Word file with a footnote.
EXAMPLE = ROOT / "examples" / "annotate" / "brief.docx"
FIXED = datetime.datetime(2025, 6, 2, 9, 0, 0)
#: Inline markup of the blocks below: bold, italic, a note mark, a hyperlink.
_INLINE = re.compile(r"(\*\*.+?\*\*|\*.+?\*|\[\^\d+\]|<https?://[^>]+>)")

#: The briefs written from text here: name -> (blocks, notes). A block is (style, text).
EXTRA: dict[str, tuple[list[tuple[str, str]], dict[int, str]]] = {
    "notes": (
        [
            ("Heading 1", "Dredging and the erosion fund"),
            (
                "Normal",
                "Small harbours will gain most from faster dredging permits (Ministry of "
                "Coastal Affairs, 2024b).[^1] Councils on the North Shore may also apply to "
                "the erosion fund.[^2]",
            ),
            ("Heading 1", "References"),
            (
                "Normal",
                "Ministry of Coastal Affairs. (2024a, April 3). *Ministry opens consultation "
                "on the Coastal Erosion Fund* [Press release]. "
                "https://www.coastal-affairs.example/press/2024-04-03-erosion-fund",
            ),
            (
                "Normal",
                "Ministry of Coastal Affairs. (2024b, September 17). *Harbour dredging "
                "permits to be decided within 60 days* [Press release]. "
                "https://www.coastal-affairs.example/press/2024-09-17-dredging-permits",
            ),
        ],
        {
            1: "Operators spend about a fifth of their maintenance budgets on dredging "
            "(Harbour Operators Federation, 2022).",
            2: "Grants may cover \u201cup to 70 per cent of the cost of dune restoration, "
            "managed retreat and sea wall repairs\u201d (Ministry of Coastal Affairs, 2024a, "
            "para. 3).",
        },
    ),
    "runs": (
        [
            ("Heading 1", "Dredging costs in small harbours"),
            (
                "Normal",
                "Small harbours will gain most from faster dredging permits (Ministry of "
                "Coastal Affairs, 2024). Their operators spend about a fifth of their "
                "maintenance budgets on *dredging (Harbour Operators* **Federation, 2022), so "
                "months** of waiting for a permit cost them dearly.",
            ),
            (
                "Normal",
                "In the north, new breakwaters are planned for six ports (Northern Ports\n"
                "Agency, 2024).",
            ),
            ("Heading 1", "References"),
            (
                "Normal",
                "Ministry of Coastal Affairs. (2024, September 17). *Harbour dredging permits to "
                "be decided within 60 days* [Press release]. "
                "<https://www.coastal-affairs.example/press/2024-09-17-dredging-permits>",
            ),
            (
                "Normal",
                "Haldane, I. (2024, May 15). *Address to the North Shore Resilience Forum* "
                "[Speech transcript]. Ministry of Coastal Affairs.",
            ),
        ],
        {},
    ),
}


def _markdown_blocks(path: Path) -> list[tuple[str, str]]:
    """The (style, text) blocks of a golden check brief."""
    blocks: list[tuple[str, str]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if not block.strip():
            continue
        lines = block.strip().split("\n")
        if path.suffix == ".md" and lines[0].startswith("#"):
            level = len(lines[0]) - len(lines[0].lstrip("#"))
            blocks.append((f"Heading {level}", lines[0].lstrip("#").strip()))
        elif path.suffix == ".md":
            blocks.append(("Normal", " ".join(lines)))
        else:  # a text brief keeps its lines: the front lines, the wrapped paragraphs
            blocks.append(("Normal", "\n".join(lines)))
    return blocks


def _add_text(paragraph: object, text: str) -> None:
    """Runs for ``text``: line breaks as w:br, the inline markup as run properties."""
    p = paragraph._p  # type: ignore[attr-defined]
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("[^"):
            p.append(
                parse_xml(
                    f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{piece[2:-1]}"/></w:r>'
                )
            )
        elif piece.startswith("<http"):
            url = escape(piece[1:-1])
            p.append(
                parse_xml(
                    f'<w:hyperlink {nsdecls("w", "r")} r:id="rIdLink1"><w:r><w:rPr>'
                    f'<w:rStyle w:val="Hyperlink"/><w:u w:val="single"/></w:rPr>'
                    f'<w:t xml:space="preserve">{url}</w:t></w:r></w:hyperlink>'
                )
            )
        else:
            bold = piece.startswith("**")
            italic = not bold and piece.startswith("*") and len(piece) > 1
            core = piece[2:-2] if bold else piece[1:-1] if italic else piece
            lines = core.split("\n")
            run = paragraph.add_run(lines[0])  # type: ignore[attr-defined]
            for line in lines[1:]:
                run.add_break()
                run.add_text(line)
            run.bold = bold or None
            run.italic = italic or None


def build(blocks: list[tuple[str, str]], notes: dict[int, str]) -> bytes:
    """The .docx bytes of one brief."""
    document = docxpackage.document("policycite tests", FIXED)
    link = next((m for _, t in blocks for m in re.findall(r"<(https?://[^>]+)>", t)), None)
    for style, text in blocks:
        _add_text(document.add_paragraph(style=style), text)
    runs = {number: docxpackage.text_note(text) for number, text in notes.items()}
    parts = [docxpackage.footnotes(runs)] if notes else []
    links = [docxpackage.Relationship("rIdLink1", "hyperlink", link, external=True)] if link else []
    return docxpackage.package(document, FIXED, parts, links)


def _example() -> bytes:
    """examples/check/brief.md as Word, its last sentence moved into a footnote."""
    blocks = _markdown_blocks(ROOT / "examples" / "check" / "brief.md")
    moved = (
        ", and a regional survey of microplastics has been completed (Kestrian Water Board, 2022)."
    )
    note = "A regional survey of microplastics has been completed (Kestrian Water Board, 2022)."
    blocks = [(style, text.replace(moved, ".[^1]")) for style, text in blocks]
    return build(blocks, {1: note})


def briefs() -> dict[Path, bytes]:
    """Path -> bytes of every brief this script writes."""
    out: dict[Path, bytes] = {}
    for case in sorted(p for p in CHECK.iterdir() if p.is_dir()):
        (brief,) = case.glob("brief.*")
        if brief.suffix == ".docx":
            continue  # a Word case already (PC23x, made by make_word_fixtures.py)
        out[OUT / f"{case.name}.docx"] = build(_markdown_blocks(brief), {})
    for name, (blocks, notes) in EXTRA.items():
        out[OUT / f"{name}.docx"] = build(blocks, notes)
    out[EXAMPLE] = _example()
    return out


def main() -> None:
    for path, data in briefs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
