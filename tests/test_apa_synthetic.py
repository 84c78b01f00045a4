"""APA on synthetic policy sources: policycite against citeproc-js, the same CSL items.

The golden files in tests/golden/apa-synthetic/ are citeproc-js 2.4.63's rendering, with
styles/apa.csl, of the first 120 items of the benchmarks' synthetic corpus (press
releases, speeches, news articles, web pages, statements, reports) and of 132 citation
clusters, given the very items policycite gives citeproc-py (after its APA item rules):
``python benchmarks/apa_conformance.py --write-golden``. Every entry, every citation and
the order of the reference list must be citeproc-js's, in text and HTML, except the
differences listed in known-differences.txt with their cause (none since issue 16's
disambiguation landed). A listed difference that no longer occurs fails too, so that the
list stays true.
The full measurement (10,000 items, pandoc beside) is the benchmark itself.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import policycite as pc
from policycite.render.engine import Renderer

from conftest import GOLDEN

ROOT = Path(__file__).resolve().parents[1]
FOLDER = GOLDEN / "apa-synthetic"
FORMATS = {"text": "txt", "html": "html"}
# citeproc-js writes &, < and > as numeric references; both forms mean the same.
_JS_ENTITIES = {"&#38;": "&amp;", "&#60;": "&lt;", "&#62;": "&gt;"}


@cache
def _benchmark() -> ModuleType:
    """benchmarks/apa_conformance.py, which builds the corpus the golden files were made of."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(
            "apa_conformance", ROOT / "benchmarks" / "apa_conformance.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


@cache
def _corpus() -> tuple[pc.Library, list[pc.Cluster]]:
    bench = _benchmark()
    library, clusters = bench.corpus(bench.GOLDEN_N, bench.GOLDEN_SEED)
    return library, clusters


def _rows(name: str) -> list[tuple[str, str]]:
    text = (FOLDER / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        key, value = line.split("\t")
        for js, ours in _JS_ENTITIES.items():
            value = value.replace(js, ours)
        rows.append((key, value))
    return rows


def _known(kind: str, fmt: str) -> set[str]:
    lines = (FOLDER / "known-differences.txt").read_text(encoding="utf-8").splitlines()
    return {f[2] for f in (line.split("\t") for line in lines) if f[:2] == [kind, fmt]}


@cache
def _rendered(fmt: str) -> tuple[list[tuple[str, str]], list[str]]:
    library, clusters = _corpus()
    renderer = Renderer(library, "apa", output=fmt, links=False)
    bib = renderer.bibliography()
    assert not bib.findings
    cites = renderer.citations(clusters, library.keys, positions=False)
    assert not cites.findings
    return list(zip(bib.keys, bib.entries, strict=True)), list(cites.entries)


def test_the_corpus_is_the_one_rendered() -> None:
    library, clusters = _corpus()
    assert sorted(library.keys) == sorted(k for k, _ in _rows("bibliography.txt"))
    keys = [";".join(c.key for c in cluster.cites) for cluster in clusters]
    assert keys == [k for k, _ in _rows("citations.txt")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reference_list_as_citeproc_js_renders_it(fmt: str) -> None:
    expected = _rows(f"bibliography.{FORMATS[fmt]}")
    entries, _ = _rendered(fmt)
    assert [k for k, _ in entries] == [k for k, _ in expected]  # the same order
    known = _known("entry", fmt)
    ours = dict(entries)
    wrong = [(k, ours[k], e) for k, e in expected if ours[k] != e and k not in known]
    assert not wrong
    assert [k for k, e in expected if k in known and ours[k] == e] == []  # stale entries
    assert len(known) < len(expected) // 10  # the list holds exceptions only


@pytest.mark.parametrize("fmt", FORMATS)
def test_citations_as_citeproc_js_renders_them(fmt: str) -> None:
    expected = _rows(f"citations.{FORMATS[fmt]}")
    _, citations = _rendered(fmt)
    known = _known("citation", fmt)
    wrong = [
        (keys, mine, theirs)
        for (keys, theirs), mine in zip(expected, citations, strict=True)
        if mine != theirs and keys not in known
    ]
    assert not wrong
    stale = [
        keys for (keys, theirs), mine in zip(expected, citations, strict=True) if mine == theirs
    ]
    assert [keys for keys in stale if keys in known] == []
