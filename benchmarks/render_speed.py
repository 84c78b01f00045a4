"""Render N synthetic sources in APA with policycite and with bare citeproc-py, same run.

    python benchmarks/render_speed.py 1000 10000

Prints CPU and wall seconds for each and the ratio of CPU times. Bare citeproc-py gets
the very same CSL-JSON items that policycite builds (register, sort, render the whole
bibliography), so only the processor work differs; policycite's time includes its
disambiguation (year suffixes), which bare citeproc-py does not do at all.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import sources

import policycite as pc
from policycite.render.engine import Renderer


def bare(items: list[dict], style_path: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(style_path, validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        bib.sort()
        return len(bib.bibliography())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--skip-bare", action="store_true", help="time policycite only")
    args = parser.parse_args()
    from policycite.render.styles import resolve

    folder = tempfile.mkdtemp(prefix="policycite-bench-")
    style_path = str(Path(folder) / "apa.csl")
    Path(style_path).write_bytes(resolve("apa")[0])
    print("N\tpolicycite_cpu_s\tpolicycite_wall_s\tbare_cpu_s\tbare_wall_s\tcpu_ratio")
    for n in args.sizes:
        library = pc.Library(sources(n))
        renderer = Renderer(library, "apa")
        items = [renderer._item(s) for s in library]
        wall, cpu = time.perf_counter(), time.process_time()
        result = renderer.bibliography()
        ours, ours_wall = time.process_time() - cpu, time.perf_counter() - wall
        assert len(result.entries) == n, result.findings[:3]
        if args.skip_bare:
            print(f"{n}\t{ours:.2f}\t{ours_wall:.2f}\t-\t-\t-")
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        count = bare(items, style_path)
        theirs, theirs_wall = time.process_time() - cpu, time.perf_counter() - wall
        assert count == n
        print(
            f"{n}\t{ours:.2f}\t{ours_wall:.2f}\t{theirs:.2f}\t{theirs_wall:.2f}"
            f"\t{theirs / ours:.1f}x"
        )


if __name__ == "__main__":
    main()
