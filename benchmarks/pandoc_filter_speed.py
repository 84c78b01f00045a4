"""Time policycite-pandoc on the example brief: pandoc alone, pandoc with the filter, and
the filter's parts in one process.

    python benchmarks/pandoc_filter_speed.py

Prints wall-clock seconds (best of 5, perf_counter): ``pandoc -t plain`` without a
filter; with ``--filter policycite-pandoc`` (a new Python process per document: the
start-up and imports are most of it); then, in this process, importing the filter,
reading the AST into a brief, checking it, and rendering citations and list.
Run from the repository root with the venv's bin folder on PATH.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "pandoc" / "brief.md"


def best(work: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        sys.exit("pandoc is not installed")
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT / "src")

    def run(*args: str) -> None:
        subprocess.run(
            [pandoc, str(BRIEF), *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    print(f"pandoc -t plain:                      {best(lambda: run('-t', 'plain')):.3f} s")
    with_filter = best(lambda: run("--filter", "policycite-pandoc", "-t", "plain"))
    print(f"pandoc --filter policycite-pandoc:    {with_filter:.3f} s")
    ast = subprocess.run(
        [pandoc, str(BRIEF), "-t", "json"], check=True, capture_output=True, text=True
    ).stdout

    start = time.perf_counter()
    import panflute as pf

    from policycite.pandocfilter import filter_document
    from policycite.pandocfilter.document import read_document
    from policycite.pandocfilter.options import read_options

    print(f"import policycite.pandocfilter:       {time.perf_counter() - start:.3f} s")
    os.chdir(ROOT)
    print(
        f"read the AST into a brief:            "
        f"{best(lambda: read_document(pf.load(io.StringIO(ast)))):.4f} s"
    )

    def whole() -> None:
        doc = pf.load(io.StringIO(ast))
        filter_document(doc, read_options(doc, {}), io.StringIO())

    print(f"check and render (one process):       {best(whole):.3f} s")


if __name__ == "__main__":
    main()
