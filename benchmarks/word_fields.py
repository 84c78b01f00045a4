"""Time reading a Word brief full of Zotero fields, and checking it.

    python benchmarks/word_fields.py [N ...]

For each N (default 200 and 2,000): a .docx of N paragraphs, each with one Zotero
citation field whose instruction is split into 40 runs (as Word splits on revisions),
plus a Zotero bibliography of the four records of ``tests/data/word-library``. Prints
the wall-clock time (perf_counter) of ``read_brief`` and of ``check`` against that
library, and the time per field. No assertions: figures for the README and reviews.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

from policycite.brief.readers import read_brief
from policycite.library import load_library
from policycite.rules.validate import check

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "tests" / "data" / "word-library"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ITEM = {
    "id": 1,
    "type": "report",
    "genre": "Press release",
    "title": "Water Authority sets stricter limits for nitrate in drinking water",
    "author": [{"literal": "Fjordland Water Authority"}],
    "issued": {"date-parts": [[2025, 3, 12]]},
    "URL": "https://www.fjordwater.example/press/2025-03-12-nitrate-limits",
}
TEXT = "(Fjordland Water Authority, 2025)"


def _field() -> str:
    data = {
        "citationID": "x",
        "properties": {"plainCitation": TEXT, "noteIndex": 0},
        "citationItems": [{"id": 1, "uris": [], "itemData": ITEM}],
    }
    code = f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data)} "
    size = -(-len(code) // 40)
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{escape(code[i : i + size])}</w:instrText></w:r>'
        for i in range(0, len(code), size)
    )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + f"<w:r><w:t>{TEXT}</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def brief(count: int) -> bytes:
    document = docx.Document()
    body = document.element.body
    section = body[-1]
    field = _field()
    for number in range(count):
        section.addprevious(
            parse_xml(
                f'<w:p xmlns:w="{W}"><w:r><w:t xml:space="preserve">Point {number} of the '
                f"brief rests on the new limit </w:t></w:r>{field}<w:r><w:t>.</w:t></w:r></w:p>"
            )
        )
    document.add_heading("References", 2)
    bibliography = (
        "Fjordland Water Authority. (2025, March 12). Water Authority sets stricter limits "
        "for nitrate in drinking water [Press release]. "
        "https://www.fjordwater.example/press/2025-03-12-nitrate-limits"
    )
    section.addprevious(
        parse_xml(
            f'<w:p xmlns:w="{W}"><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
            " ADDIN ZOTERO_BIBL {} CSL_BIBLIOGRAPHY </w:instrText></w:r><w:r><w:fldChar "
            f'w:fldCharType="separate"/></w:r><w:r><w:t>{bibliography}</w:t></w:r><w:r>'
            '<w:fldChar w:fldCharType="end"/></w:r></w:p>'
        )
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(counts: list[int]) -> None:
    library = load_library(LIBRARY).library
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            path = Path(folder) / f"fields-{count}.docx"
            path.write_bytes(brief(count))
            start = time.perf_counter()
            read = read_brief(path, max_bytes=64 * 2**20)
            reading = time.perf_counter() - start
            start = time.perf_counter()
            result = check(read, library, LIBRARY)
            checking = time.perf_counter() - start
            fields = sum(f.kind == "citation" for f in read.fields)
            print(
                f"{count:>6} fields ({path.stat().st_size / 2**10:,.0f} KiB): read {reading:.2f} s "
                f"({reading / count * 1000:.2f} ms a field), check {checking:.2f} s; "
                f"{fields} fields read, {len(result.findings)} findings"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 2000])
