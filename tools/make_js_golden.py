"""Render the golden corpus with citeproc-js, the reference CSL processor.

policycite renders through citeproc-py; the files written here let tests compare that
rendering with what citeproc-js (npm package ``citeproc`` 2.4.63) makes of the very same
CSL-JSON items, style and locale.

Run from the repository root::

    (cd tools/citeproc-js && npm ci)      # once; needs node and the npm registry
    python tools/make_js_golden.py        # offline from here on

Input: ``tests/data/corpus/library.yaml`` (the sources) and ``tests/data/corpus/clusters.txt``
(one citation cluster in pandoc syntax per line). For each style the items are built
exactly as policycite feeds them to citeproc-py (``Renderer._item``), except that each
carries its real citation key as its id. The style is the CSL policycite resolves for the
name, the locale citeproc-py's bundled ``locales-en-US.xml``.

Output, per style, in ``tests/golden/citeproc-js/<style>/``:

* ``bibliography.txt`` / ``bibliography.html``: ``<key>\\t<entry>`` per line, in
  bibliography order;
* ``citations.txt`` / ``citations.html``: ``<cluster as in clusters.txt>\\t<citation>``
  per line, each cluster rendered on its own as a first citation (with every item
  registered, so that year suffixes agree with the bibliography).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import citeproc

from policycite import library_from, parse_citations
from policycite.model import Cluster, Library
from policycite.render.engine import Renderer
from policycite.render.styles import resolve

ROOT = Path(__file__).resolve().parents[1]
STYLES = (
    "apa-upstream",  # the catalogue's apa.csl, unchanged (styles/apa.csl shadows "apa")
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
)
FORMATS = ("text", "html")
RENDER_JS = ROOT / "tools" / "citeproc-js" / "render.js"


def load_clusters(path: Path) -> list[tuple[str, Cluster]]:
    """Each non-blank line of ``path`` with the one cluster it holds."""
    clusters = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        parsed = parse_citations(text)
        if len(parsed) != 1:
            raise SystemExit(f"{path}:{number}: expected one citation cluster, got {len(parsed)}")
        clusters.append((text, parsed[0]))
    return clusters


def build_items(library: Library, style: str) -> list[dict[str, Any]]:
    """The CSL-JSON items policycite gives citeproc-py, with the real keys as ids."""
    renderer = Renderer(library, style, output="text")
    items = []
    for source in library:
        item = renderer._item(source)
        item["id"] = source.key
        items.append(item)
    return items


def cluster_json(cluster: Cluster) -> list[dict[str, Any]]:
    """A cluster in citeproc-js form: id, locator, label, prefix, suffix, suppress-author."""
    cites = []
    for cite in cluster.cites:
        out: dict[str, Any] = {"id": cite.key}
        if cite.locator is not None:
            out["locator"] = cite.locator
            out["label"] = cite.label
        if cite.prefix:
            out["prefix"] = cite.prefix
        if cite.suffix:
            out["suffix"] = cite.suffix
        if cite.mode == "suppress-author":  # pandoc's [-@key]
            out["suppress-author"] = True
        cites.append(out)
    return cites


def run_node(node: str, job: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [node, str(RENDER_JS)],
        input=json.dumps(job, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        check=False,
        cwd=RENDER_JS.parent,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"render.js failed (exit {done.returncode}):\n{done.stderr.decode('utf-8', 'replace')}"
        )
    result: dict[str, Any] = json.loads(done.stdout.decode("utf-8"))
    return result


def _one_line(text: str, what: str) -> str:
    if "\n" in text or "\t" in text:
        raise SystemExit(f"{what} spans several lines or holds a tab: {text!r}")
    return text


def write_lines(path: Path, rows: list[tuple[str, str]]) -> None:
    text = "".join(f"{_one_line(a, str(path))}\t{_one_line(b, str(path))}\n" for a, b in rows)
    path.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Render the golden corpus with citeproc-js into tests/golden/citeproc-js/."
    )
    parser.add_argument(
        "--library", type=Path, default=ROOT / "tests" / "data" / "corpus" / "library.yaml"
    )
    parser.add_argument(
        "--clusters", type=Path, default=ROOT / "tests" / "data" / "corpus" / "clusters.txt"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden" / "citeproc-js")
    parser.add_argument(
        "--style",
        action="append",
        choices=STYLES,
        help="render only this style (repeatable; default: all)",
    )
    parser.add_argument("--node", default="node", help="the node executable (default: node)")
    args = parser.parse_args(argv)

    node = shutil.which(args.node)
    if node is None:
        parser.error(f"{args.node!r} not found; install Node.js")
    if not (RENDER_JS.parent / "node_modules" / "citeproc").is_dir():
        parser.error("citeproc-js is not installed: run `npm ci` in tools/citeproc-js")

    result = library_from([args.library])
    if result.findings:
        for finding in result.findings:
            print(finding, file=sys.stderr)
        raise SystemExit(f"{args.library}: the corpus must load without findings")
    library = result.library
    clusters = load_clusters(args.clusters)
    locale = (Path(citeproc.LOCALES_PATH) / "locales-en-US.xml").read_text(encoding="utf-8")

    for style in args.style or STYLES:
        items = build_items(library, style)
        job = {
            "style": resolve(style)[0].decode("utf-8"),
            "locale": locale,
            "items": items,
            "clusters": [cluster_json(c) for _, c in clusters],
        }
        folder = args.out / style
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in FORMATS:
            rendered = run_node(node, {**job, "format": fmt})
            suffix = "txt" if fmt == "text" else fmt
            write_lines(
                folder / f"bibliography.{suffix}",
                [(e["id"], e["entry"]) for e in rendered["bibliography"]],
            )
            citations = rendered["citations"]
            if len(citations) != len(clusters):
                raise SystemExit(
                    f"{style}: {len(citations)} citations for {len(clusters)} clusters"
                )
            write_lines(
                folder / f"citations.{suffix}",
                [(text, cite) for (text, _), cite in zip(clusters, citations, strict=True)],
            )
        print(f"{style}: {len(rendered['bibliography'])} entries, {len(clusters)} clusters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
