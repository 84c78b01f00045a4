"""A tour of the policycite Python API on the bundled sample library.

Run from the repository root:  python examples/api_tour.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import policycite as pc

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    # 1. Read the library folder: one YAML record per source.
    read = pc.load_library(ROOT / "references")
    library = read.library
    print(f"{len(library)} sources, {len(read.findings)} findings")

    # 2. Add a source in code: a press release with its provenance.
    release = pc.Source(
        key="bcws2024c",
        kind="press-release",
        title="Council opens consultation on flood early-warning data",
        authors=[pc.Name.organisation("Baltic Council for Water Security", "BCWS")],
        issued=pc.PartialDate.parse("2024-05-06"),
        provenance=pc.Provenance(
            url="https://www.bcws.example/press/2024-05-06-consultation",
            accessed=pc.PartialDate(2024, 5, 7),
            archive_url="https://web.archive.org/web/20240507/https://www.bcws.example/press/2024-05-06-consultation",
            archive_date=pc.PartialDate(2024, 5, 7),
        ),
    )
    library = library.with_source(release)
    print(f"issuing body: {release.issuing_body.display if release.issuing_body else '-'}")

    # 3. Invariants are checked when a value is made.
    try:
        pc.Source(key="nospeaker", kind="speech", title="Remarks")
    except pc.ModelError as err:
        print(f"refused: {err}")

    # 4. Render the bibliography in APA 7 and citations with paragraph locators.
    apa = pc.render_bibliography(library, "apa", keys=["bcws2024c", "lindqvist2024"])
    print(apa.as_text(), end="")
    clusters = pc.parse_citations("[@lindqvist2024, para. 3; @bcws2024c]")
    print(pc.render_citations(library, clusters, "apa").entries[0])

    # 5. The same library in another style, as HTML.
    html = pc.render_bibliography(library, "chicago-author-date", output="html", keys=["bcws2024c"])
    print(html.entries[0])

    # 6. Save the new record into a copy of the library (atomic write).
    with tempfile.TemporaryDirectory() as folder:
        path = pc.save_source(folder, release)
        print(f"saved {path.name}:")
        print(path.read_text(encoding="utf-8"), end="")

    # 7. Check a brief: a path and a library folder are all it takes.
    result = pc.check(
        ROOT / "examples" / "check" / "brief.md", library=ROOT / "examples" / "check" / "references"
    )
    print(f"check: {len(result.findings)} findings, first {result.findings[0].code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
