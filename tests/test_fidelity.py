"""policycite's rendering against citeproc-js, the reference CSL processor.

The golden files under tests/golden/citeproc-js/ were rendered by citeproc-js 2.4.63
(tools/make_js_golden.py) from the corpus in tests/data/corpus/. Every entry and every
citation must be identical, in text and in HTML, unless it is listed with its reason in
known-differences.yaml; a listed difference that no longer occurs fails too, so the list
stays true.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

import policycite as pc
from policycite.render.engine import Renderer

from conftest import DATA, GOLDEN

JS = GOLDEN / "citeproc-js"
STYLES = sorted(p.name for p in JS.iterdir() if p.is_dir())
FORMATS = {"text": "txt", "html": "html"}
# citeproc-js writes &, < and > as numeric references; both forms mean the same.
_JS_ENTITIES = {"&#38;": "&amp;", "&#60;": "&lt;", "&#62;": "&gt;"}


def _known() -> dict[tuple[str, str, str, str], str]:
    data = yaml.safe_load((JS / "known-differences.yaml").read_text(encoding="utf-8")) or []
    return {(d["style"], d["part"], d["format"], d["id"]): d["reason"] for d in data}


KNOWN = _known()


@cache
def _library() -> pc.Library:
    return pc.library_from([DATA / "corpus" / "library.yaml"]).library


@cache
def _clusters() -> tuple[tuple[str, pc.Cluster], ...]:
    lines = (DATA / "corpus" / "clusters.txt").read_text(encoding="utf-8").splitlines()
    return tuple((line, pc.parse_citations(line)[0]) for line in lines if line.strip())


def _golden(style: str, part: str, fmt: str) -> list[tuple[str, str]]:
    text = (JS / style / f"{part}.{FORMATS[fmt]}").read_text(encoding="utf-8")
    rows = [tuple(line.split("\t", 1)) for line in text.splitlines()]
    if fmt == "html":
        rows = [(i, _normalise(e)) for i, e in rows]
    return rows  # type: ignore[return-value]


def _normalise(html: str) -> str:
    for js, ours in _JS_ENTITIES.items():
        html = html.replace(js, ours)
    return html


@cache
def _ours(style: str, part: str, fmt: str) -> tuple[tuple[str, str], ...]:
    library = _library()
    # citeproc-js prints web addresses as text: compare without policycite's Robust Links.
    renderer = Renderer(library, style, output=fmt, links=False)
    if part == "bibliography":
        result = renderer.bibliography()
        return tuple(zip(result.keys, result.entries, strict=True))
    clusters = _clusters()
    result = renderer.citations(
        [c for _, c in clusters], bibliography=list(library.keys), positions=False
    )
    return tuple((line, entry) for (line, _), entry in zip(clusters, result.entries, strict=True))


CASES = [
    (style, part, fmt, ident)
    for style in STYLES
    for part in ("bibliography", "citations")
    for fmt in FORMATS
    for ident, _ in _golden(style, part, fmt)
]


@pytest.mark.parametrize(
    ("style", "part", "fmt", "ident"), CASES, ids=lambda v: v if len(v) < 40 else v[:37] + "..."
)
def test_same_as_citeproc_js(style: str, part: str, fmt: str, ident: str) -> None:
    expected = dict(_golden(style, part, fmt))[ident]
    actual = dict(_ours(style, part, fmt)).get(ident)
    reason = KNOWN.get((style, part, fmt, ident))
    if reason is None:
        assert actual == expected
    else:
        assert actual != expected, f"listed as a known difference but now identical: {reason}"


#: A known difference in bibliography order: part "order", format "text", id "bibliography".
ORDER = ("order", "text", "bibliography")


@pytest.mark.parametrize("style", STYLES)
def test_bibliography_order_is_citeproc_js_order(style: str) -> None:
    expected = [ident for ident, _ in _golden(style, "bibliography", "text")]
    actual = [key for key, _ in _ours(style, "bibliography", "text")]
    reason = KNOWN.get((style, *ORDER))
    if reason is None:
        assert actual == expected
    else:
        assert actual != expected, f"listed as a known difference but now identical: {reason}"


def test_known_differences_name_real_cases() -> None:
    cases = set(CASES) | {(style, *ORDER) for style in STYLES}
    assert [k for k in KNOWN if k not in cases] == []
