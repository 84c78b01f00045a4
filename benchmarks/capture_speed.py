"""Capture N saved pages into a fresh library, timed: pages per second.

    python benchmarks/capture_speed.py 1000

The pages are the project's example pages (examples/capture/: a press release with meta
tags, a table-layout speech page, a news article with JSON-LD, a plain-text copy holding
two documents), each varied per copy (title, date, paragraph text) so that every capture
extracts and stores a new snapshot. Prints the wall-clock time and pages/s for extraction
alone and for the whole `add` (extraction, mojibake checks, snapshot and record writes),
and the share of time per input kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from policycite.capture.pipeline import add, capture
from policycite.model import PartialDate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "capture"


def _pages(folder: Path, n: int) -> list[Path]:
    """n varied copies of the example pages (a copy differs in words the extractors keep)."""
    templates = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".html", ".txt"})
    out = []
    for i in range(n):
        template = templates[i % len(templates)]
        text = template.read_text(encoding="utf-8")
        # Vary words inside the body so each copy has its own text and snapshot.
        text = text.replace(" the ", f" the {i:04d} ", 3)
        path = folder / f"{i:04d}-{template.name}"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pages").mkdir()
        pages = _pages(root / "pages", args.count)
        capture(pages[0])  # import trafilatura and warm caches outside the timing

        by_kind: dict[str, float] = defaultdict(float)
        start = time.perf_counter()
        for page in pages:
            t = time.perf_counter()
            capture(page)
            by_kind[page.suffix] += time.perf_counter() - t
        extract_s = time.perf_counter() - start

        folder = root / "references"
        accessed = PartialDate.from_date(dt.date(2026, 1, 1))
        start = time.perf_counter()
        records = 0
        result = None
        for page in pages:
            result = add(page, folder, accessed=accessed, library=result and result.library)
            records += len(result.added)
        add_s = time.perf_counter() - start

    n = len(pages)
    print(f"{n} pages ({records} records)")
    print(f"  extract only : {extract_s:6.2f} s  {n / extract_s:7.1f} pages/s")
    print(f"  add (stored) : {add_s:6.2f} s  {n / add_s:7.1f} pages/s")
    for suffix, seconds in sorted(by_kind.items()):
        count = sum(1 for p in pages if p.suffix == suffix)
        print(f"  {suffix:<5} pages : {1000 * seconds / count:6.1f} ms per page (extract)")


if __name__ == "__main__":
    main()
