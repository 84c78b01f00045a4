"""Export N synthetic sources to .bib with each profile and import them back, timed.

    python benchmarks/bibtex_speed.py 10000

Prints, per profile, the CPU seconds for export (Source -> .bib text) and import (.bib text
-> Source, with findings), the size of the file, and bibtexparser's own parse time on the
same text for scale (tokenising only, no mapping, decoding or checks).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import bibtexparser

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import sources

from policycite.formats import bibtex
from policycite.formats.bibmap import PROFILES


def _timed(function, *args):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = function(*args)
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000])
    args = parser.parse_args()
    for n in args.sizes:
        items = sources(n)
        print(f"{n} sources")
        print(f"  {'profile':<16}{'export s':>10}{'import s':>10}{'parse-only s':>14}{'MiB':>7}")
        for profile in PROFILES:
            text, export_s = _timed(bibtex.dumps, items, profile)
            read, import_s = _timed(bibtex.loads, text, "bench.bib")
            _, parse_s = _timed(bibtexparser.parse_string, text, [])
            assert len(read.library) == n, (len(read.library), read.findings[:3])
            size = len(text.encode()) / 2**20
            print(f"  {profile:<16}{export_s:>10.2f}{import_s:>10.2f}{parse_s:>14.2f}{size:>7.1f}")


if __name__ == "__main__":
    main()
