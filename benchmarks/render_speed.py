"""Render N synthetic sources in APA with policycite and its peers, in the same run.

    python benchmarks/render_speed.py 1000 10000
    python benchmarks/render_speed.py 100000 --jobs 2 --skip-bare --skip-pandoc

Prints CPU and wall seconds for each and the ratios of CPU times (bare citeproc-py's
over policycite's, policycite's over pandoc's, citeproc-js's over policycite's; citeproc-js
runs under node from tools/citeproc-js, start-up included, when `npm ci` was run there).
Bare citeproc-py and pandoc (2.17,
``--citeproc``, its own citeproc) get the very same CSL-JSON items that policycite builds
and the same apa.csl (register, sort, render the whole bibliography), so only the
processor work differs; policycite's time includes its disambiguation (year suffixes),
which bare citeproc-py does not do at all. Pandoc's time is the CPU time of its process
(rusage of children), start-up included (~0.1 s). Lines starting with "#" give the CPU
time of a fixed Python loop before and after the rows: the machine's speed at the time.
When a peer runs, policycite renders again after the peers (``policycite_again_cpu_s``,
each render parsing the style afresh) and the ratios take the mean of its two renders:
the virtual machines this runs on drift in speed during a peer's minutes-long run, and
the renders on either side of it are what it is compared with.

With ``--jobs N`` policycite renders in N processes: its CPU figure then adds the
workers' CPU time (rusage of children) to the parent's, ``policycite_idle_wall_s`` is
the wall time an idle machine would take (the parent's CPU plus the workers' shared out
over the jobs; the measured wall time counts what other processes took), and
``policycite_rss_mb`` is the peak resident memory of the parent process and
``policycite_worker_rss_mb`` the largest of any worker's ("-" with one process; a
worker's includes the pages it shares with the parent by the fork).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

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
from policycite.render import engine
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


def pandoc(items: list[dict], style_path: str, folder: str) -> tuple[float, float, int]:
    """Pandoc's CPU and wall seconds for the bibliography of ``items``, and its entry count."""
    data = Path(folder) / "items.json"
    data.write_text(json.dumps(items, default=str), encoding="utf-8")
    document = Path(folder) / "doc.md"
    document.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    command = [
        "pandoc",
        "--citeproc",
        "--csl",
        style_path,
        "--bibliography",
        str(data),
        "-t",
        "plain",
        "--wrap=none",
        str(document),
    ]
    before = children_cpu()
    wall = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - wall
    # One entry a paragraph in plain output.
    count = sum(1 for block in out.split("\n\n") if block.strip())
    return children_cpu() - before, wall, count


JS = Path(__file__).resolve().parents[1] / "tools" / "citeproc-js"


def citeproc_js(items: list[dict], style_path: str) -> tuple[float, float, int]:
    """citeproc-js's CPU and wall seconds (node, start-up included) and its entry count."""
    from citeproc.frontend import LOCALES_PATH

    locale = (Path(LOCALES_PATH) / "locales-en-US.xml").read_text(encoding="utf-8")
    job = {
        "style": Path(style_path).read_text(encoding="utf-8"),
        "lang": "en-US",
        "locales": {"en-US": locale},
        "items": items,
        "clusters": [],
        "format": "text",
    }
    before = children_cpu()
    wall = time.perf_counter()
    out = subprocess.run(
        ["node", str(JS / "render.js")],
        input=json.dumps(job, default=str),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - wall
    return children_cpu() - before, wall, len(json.loads(out)["bibliography"])


def _peers(
    items: list[dict],
    style_path: str,
    folder: str,
    n: int,
    *,
    skip_bare: bool,
    use_pandoc: bool,
    use_js: bool,
    row: list[str],
) -> tuple[float | None, float | None, float | None]:
    """Run each peer asked for on ``items``: their CPU seconds; ``row`` gets the columns."""
    theirs = peer = js = None
    if skip_bare:
        row += ["-", "-"]
    else:
        wall, cpu = time.perf_counter(), time.process_time()
        count = bare(items, style_path)
        theirs, theirs_wall = time.process_time() - cpu, time.perf_counter() - wall
        assert count == n
        row += [f"{theirs:.2f}", f"{theirs_wall:.2f}"]
    if use_pandoc:
        peer, peer_wall, count = pandoc(items, style_path, folder)
        assert count == n, (count, n)
        row += [f"{peer:.2f}", f"{peer_wall:.2f}"]
    else:
        row += ["-", "-"]
    if use_js:
        js, js_wall, count = citeproc_js(items, style_path)
        assert count == n, (count, n)
        row += [f"{js:.2f}", f"{js_wall:.2f}"]
    else:
        row += ["-", "-"]
    return theirs, peer, js


def machine_speed() -> float:
    """CPU seconds of a fixed pure-Python loop: how fast this machine runs Python now.

    The virtual machines this runs on drift by half within an hour; printed before and
    after the rows, it tells whether two runs' seconds (not their ratios) compare.
    """
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _renderer(library: Any, jobs: int) -> Renderer:
    # (No jobs argument for one process: the script also measures older checkouts.)
    return Renderer(library, "apa", **({"jobs": jobs} if jobs != 1 else {}))


def _ours(library: Any, n: int, jobs: int) -> tuple[float, float, float, int, int]:
    """policycite's render of ``library``: CPU (workers' added), wall and the parent's CPU
    seconds, the parent's and the largest worker's peak RSS (KiB)."""
    # A fresh parse of the style each time: a later run does not start with the caches
    # an earlier one left on the style's elements.
    cached = getattr(engine, "_style", None)
    if cached is not None:
        cached.cache_clear()
    renderer = _renderer(library, jobs)
    children = children_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    result = renderer.bibliography()
    parent = time.process_time() - cpu
    ours = parent + children_cpu() - children
    ours_wall = time.perf_counter() - wall
    assert len(result.entries) == n, result.findings[:3]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # RUSAGE_CHILDREN's peak covers every child waited for so far: on a row after the
    # first it may be an earlier row's peer (pandoc, node), not a worker.
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if jobs > 1 else 0
    return ours, ours_wall, parent, rss, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--skip-bare", action="store_true", help="leave bare citeproc-py out")
    parser.add_argument("--skip-pandoc", action="store_true", help="leave pandoc out")
    parser.add_argument("--skip-js", action="store_true", help="leave citeproc-js out")
    parser.add_argument("--jobs", type=int, default=1, help="policycite's worker processes")
    args = parser.parse_args()
    from policycite.render.styles import resolve

    use_pandoc = not args.skip_pandoc and shutil.which("pandoc") is not None
    # citeproc-js needs node and `npm ci` in tools/citeproc-js.
    use_js = (
        not args.skip_js
        and shutil.which("node") is not None
        and (JS / "node_modules" / "citeproc").is_dir()
    )
    folder = tempfile.mkdtemp(prefix="policycite-bench-")
    style_path = str(Path(folder) / "apa.csl")
    Path(style_path).write_bytes(resolve("apa")[0])
    print(
        "N\tpolicycite_cpu_s\tpolicycite_again_cpu_s\tpolicycite_wall_s"
        "\tpolicycite_idle_wall_s\tpolicycite_rss_mb"
        "\tpolicycite_worker_rss_mb\tbare_cpu_s\tbare_wall_s"
        "\tpandoc_cpu_s\tpandoc_wall_s\tjs_cpu_s\tjs_wall_s"
        "\tbare/policycite\tpolicycite/pandoc\tjs/policycite"
    )
    print(f"# machine: a fixed Python loop took {machine_speed():.2f} s CPU", flush=True)
    for n in args.sizes:
        library = pc.Library(sources(n))
        # The peers' input, built only when a peer runs (100k items hold ~150 MB).
        peers = use_pandoc or use_js or not args.skip_bare
        items = [_renderer(library, 1)._item(s) for s in library] if peers else []
        ours, ours_wall, parent, rss, workers = _ours(library, n, args.jobs)
        # On an idle machine the wall time is about the parent's CPU (what stays serial)
        # plus the workers' CPU shared out over the jobs: a figure for a busy machine.
        idle = parent + (ours - parent) / max(1, args.jobs)
        columns: list[str] = []
        theirs, peer, js = _peers(
            items,
            style_path,
            folder,
            n,
            skip_bare=args.skip_bare,
            use_pandoc=use_pandoc,
            use_js=use_js,
            row=columns,
        )
        again = None
        if peers:
            # Rendered again after the peers: the machine's speed drifts during a peer's
            # minutes-long run, and the mean of the renders on either side of it is what
            # the peer is compared with.
            again = _ours(library, n, args.jobs)[0]
        row = [
            f"{n}",
            f"{ours:.2f}",
            f"{again:.2f}" if again is not None else "-",
            f"{ours_wall:.2f}",
            f"{idle:.2f}",
            f"{rss / 1024:.0f}",
            f"{workers / 1024:.0f}" if workers else "-",
            *columns,
        ]
        if again is not None:
            ours = (ours + again) / 2
        row.append(f"{theirs / ours:.1f}x" if theirs is not None else "-")
        row.append(f"{ours / peer:.2f}x" if peer is not None else "-")
        row.append(f"{js / ours:.1f}x" if js is not None else "-")
        print("\t".join(row), flush=True)
    print(f"# machine: the same loop took {machine_speed():.2f} s CPU", flush=True)


if __name__ == "__main__":
    main()
