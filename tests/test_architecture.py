"""The shape of the package: imports point one way, one module drives citeproc, a pinned API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import policycite

SRC = Path(policycite.__file__).resolve().parent

# Lower layers never import higher ones (DESIGN.md). Same-rank modules may not import
# each other either, except a package's __init__ and its own submodules, listed here.
RANK = {
    "errors": 0,
    "findings": 0,
    "kinds": 0,
    "model": 1,
    "paths": 0.5,
    "locking": 0.5,
    "leftovers": 5.2,
    "about": 0,
    "lazy": 0,  # PEP 562 exports of policycite and policycite.render
    "collector": 0,  # issue 17: gc paused while objects are made by the million
    "derived": 1.5,  # issue 17: caches of what a check derives from a library (index, renders)
    "defaults": 0,  # issue 17: what the CLI's help shows (library folder, locale); no imports
    "crash": 0,
    "safeparse": 0.5,
    "selection": 0.5,
    "config": 1,
    "capture": 0,  # the package's __init__ holds only its docstring
    "capture.document": 1.2,
    "capture.preamble": 1.1,
    "capture.numbering": 0,  # issue 17: the numbering rule's version, without the rule
    "capture.cues": 1,
    "capture.changing": 1,
    "capture.outlets": 1,
    "capture.linklines": 1,
    "capture.language": 1,
    "capture.mojibake": 1,
    "capture.addresses": 0.5,
    "capture.spelled": 0.5,  # issue 17: which words a page's text can hold, before a tree scan
    "capture.fetch": 1,
    "capture.records": 2,
    "capture.transliteration": 1.5,
    "capture.decoding": 3.5,
    "capture.html": 3.6,
    "capture.plaintext": 3.6,
    "snapshots": 4.5,
    "capture.pipeline": 5.5,
    "verify": 6,
    "anchors": 0,  # the package's __init__ holds only its docstring
    "anchors.fragments": 0,
    "anchors.normalize": 1,
    "anchors.quotes": 1.5,
    "anchors.match": 4.6,
    "anchors.copying": 4.6,
    "anchors.pinning": 5.6,
    "anchors.shingles": 4.7,
    "brief": 0,  # the package's __init__ holds only its docstring
    "brief.model": 0.5,
    "brief.refparse": 2,
    "brief.matching": 2.2,
    "brief.citations": 2.5,
    "brief.notes": 2.6,
    "brief.suppressions": 2.8,
    "brief.structure": 3,
    "brief.places": 3.5,
    "brief.bibliography": 0.6,
    "brief.latex": 3.5,
    "brief.readers": 3.6,
    "brief.wordfields": 2.7,  # reference managers' fields in a Word file
    "brief.wordmap": 3.7,  # offsets of a Word brief's text -> its runs (reader's walk)
    "rules": 0,  # the package's __init__ holds only its docstring
    "rules.result": 1,
    "rules.locations": 1,
    "rules.quotable": 4.9,
    "rules.groups": 4.9,
    "rules.artefacts": 4.9,
    "rules.fielditems": 4.8,  # a Word field's item -> its library record
    "rules.context": 5,
    "rules.fields": 5.1,  # rules on Word fields; hints for plugin-made text
    "rules.citations": 5.1,
    "rules.secondary": 5.15,
    "rules.ordering": 5.2,
    "rules.abbreviations": 5.1,
    "rules.etal": 5.1,
    "rules.quotations": 5.7,
    "rules.references": 10.2,
    "rules.refstyle": 10.3,
    "rules.transliteration": 10.35,
    "rules.inputs": 10.4,
    "rules.validate": 10.5,
    "output": 0,  # the package's __init__ holds only its docstring
    "output.text": 1.5,
    "output.jsonreport": 1.5,
    "output.sarif": 1.6,  # shares output.text's placement of findings
    "output.html": 1.6,
    "output.markdown": 1.3,  # Markdown markup as spans, for the HTML report
    "output.corrected": 1.4,  # the corrected list for --fix and the HTML report
    "output.annotated": 3.8,  # --annotate: findings as Word comments (reads brief.wordmap)
    "citations": 2,
    "formats.record": 2,
    "formats.latex": 2,
    "formats.bibmap": 2.5,
    "formats.zoteroids": 2.6,  # citation keys for Zotero's CSL-JSON ids (capture.records)
    "formats": 3,
    "formats.csljson": 4,
    "formats.cslyaml": 4,
    "formats.bibtex": 4,
    "library": 5,
    "render.output": 5.85,  # issue 16: markup (fixes.names reads its formatting order)
    "render.styles": 6,
    "render.styleindex": 6.05,  # issue 18: the style index (titles, classes, locales)
    "init": 5,  # issue 18: policycite init (writes files through paths)
    "render.fixes.periods": 6,  # issue 16: strip-periods of variables
    "render.fixes.caching": 5.95,  # item_language serves names and textcase
    "render.parallel": 2,  # issue 17: speed (forked workers for large bibliographies)
    "render.fixes.intext": 6.3,
    "render.fixes.collapse": 6.5,
    "render.fixes.names": 6,
    "render.fixes.nameparts": 5.9,  # issue 16: names (citeproc-js's name parsing and initials)
    "render.fixes.namelists": 6.25,  # issue 16: names (cs:names in substitutes)
    "render.fixes.sortnames": 6.25,  # issue 16: order (names in sort keys)
    "render.fixes.sortnumber": 6.25,  # issue 16: order (citation-number in sort keys)
    "render.fixes.conditions": 6.2,
    "render.fixes.punctuation": 6,
    "render.fixes.dates": 6.02,  # issue 16 round 3: punctuation (day ordinals from numbers)
    "render.fixes.textcase": 6,
    "render.fixes.positions": 6,
    "render.fixes.leadterm": 6,  # a term opening a cite ("Ibid."); collapse reads its flags
    "render.fixes.sorting": 6.1,  # issue 16: content (sorts by citation-label, APA ties)
    "render.fixes.labels": 6.05,  # issue 16: content (citation-label with its year suffix)
    "render.fixes.plaincase": 6,  # issue 16: content (text-case on plain strings)
    "render.fixes.locales": 6,  # issue 16 round 4: which of a style's cs:locale apply
    "render.fixes.substitute": 6.21,  # compares the names fixes.names renders; reads
    # what a substitute printed (fixes.conditions) to leave a term for the author alone
    "render.fixes.braces": 6,  # issue 16 round 6: nested parentheses in notes
    "render.fixes.implicitname": 6,  # issue 16 round 6: a cs:names without cs:name
    "render.fixes.rangeend": 6,  # issue 16 round 6: the end of a date range
    "render.fixes.layout": 6.7,
    "render.fixes.emptyoutcomes": 6.65,  # issue 17: speed (reads absentnames' pending state)
    "render.fixes.valueoutcomes": 6.66,  # issue 17: speed (replays as emptyoutcomes does)
    "render.fixes.absentnames": 6.6,  # issue 17: speed (reads collapse's, substitute's state)
    "render.fixes.disambiguation": 6,  # issue 16: names/suffixes disambiguation renders
    "render.disambiguation": 7.5,  # issue 16: the document's disambiguation run
    "render.richtext": 6,
    # --- issue 16: formatting ---
    "render.quotemarks": 5.8,  # quote markers of values, resolved at the layout
    "render.superscripts": 5.8,  # citeproc-js's superscript characters table
    "render.fixes.numbers": 6,
    "render.fixes.seams": 6.01,  # issue 16 round 7: punctuation (citeproc-js seam rules)
    "render.fixes.spacing": 6.01,  # issue 16 round 3: punctuation (narrow no-break spaces);
    # round 7: a text value's own spaces (fixes.punctuation's KeptSpaces)
    # --- issue 16: groups ---
    "render.fixes.groups": 6.01,  # group suppression by what printed; macros as groups
    # (a macro hands a formatted child's output up as its own: fixes.punctuation.lifted)
    "render.fixes.terms": 6,  # term lookups in a style's own cs:locale
    # --- issue 16: markup (round 3) ---
    "render.fixes.entities": 6,  # character references read twice, as citeproc-js does
    "render.fixes.substituted": 6,  # no names markup on a title a substitute prints
    "render.itemrules": 6.5,  # APA's rules on the items a style sees (retrieval, news sites)
    "render.robust": 2,  # Robust Link values from provenance; no citeproc
    "render.fixes": 7,
    "render.processor": 8,
    "render.abbreviations": 6,
    "render.engine": 9,
    "render": 10,
    "zotero": 0,  # the package's __init__ holds only its docstring
    "zotero.items": 3,  # Zotero item (API JSON) -> Source
    "zotero.sqlite": 3.5,  # a Zotero data directory -> items
    "zotero.importer": 5.8,  # items -> a library folder (snapshots, keys, hand edits)
    "watching": 10.6,  # check --watch: what a check reads, watched
    "lsp": 10.6,  # policycite lsp: checks an editor's text, diagnostics and quick fixes
    "": 11,  # policycite/__init__.py, the facade
    "cli": 12,
    "__main__": 12.1,  # python -m policycite: the CLI
    "zotero.api": 3.2,  # the Web/local API client: capture.fetch, zotero.items
    "zotero.exports": 5.9,  # export files (.bib, CSL-JSON) -> importer input
    # The pandoc filter (policycite-pandoc): over the checks and the renderer.
    "pandocfilter.options": 11.1,
    "pandocfilter.inlines": 11.1,
    "pandocfilter.document": 11.1,
    "pandocfilter.located": 11.2,
    "pandocfilter.rendering": 11.2,
    "pandocfilter": 12.5,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "policycite":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("policycite."):
                module = node.module.removeprefix("policycite.")
                for alias in node.names:  # "from policycite.render.fixes import caching"
                    sub = f"{module}.{alias.name}"
                    found.add(sub if sub in RANK else module)
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("policycite.")
                for a in node.names
                if a.name.startswith("policycite.")
            }
    return found


MODULES = sorted(SRC.rglob("*.py"))


def test_every_module_has_a_rank() -> None:
    assert {_module_name(p) for p in MODULES} == set(RANK)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p) or "__init__")
def test_imports_point_down(path: Path) -> None:
    name = _module_name(path)
    for imported in _imports(path):
        target = imported if imported in RANK else imported.rsplit(".", 1)[0]
        assert RANK[target] < RANK[name], f"{name or 'policycite'} imports {imported}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: _module_name(p) or "__init__")
def test_only_render_imports_citeproc(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    uses = any(
        (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "citeproc")
        or (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "citeproc" for a in n.names))
        for n in ast.walk(tree)
    )
    if uses:
        assert _module_name(path).startswith("render."), _module_name(path)


def test_public_api_is_pinned() -> None:
    # In ruff's (RUF022) order: constants, then classes, then functions.
    assert policycite.__all__ == [
        "CODES",
        "KINDS",
        "AddResult",
        "AnchorIndex",
        "AnchorStatus",
        "Anchoring",
        "CaptureMethod",
        "CheckResult",
        "Cite",
        "Cluster",
        "CopyIndex",
        "Derivation",
        "DocumentResult",
        "Finding",
        "InputError",
        "KindSpec",
        "Library",
        "Location",
        "ModelError",
        "Name",
        "PartialDate",
        "PolicyciteError",
        "Provenance",
        "QuoteAnchor",
        "ReadResult",
        "Relation",
        "RenderResult",
        "Renderer",
        "Report",
        "Severity",
        "Snapshot",
        "SnapshotStore",
        "Source",
        "StyleError",
        "VerifyOptions",
        "add",
        "anchor",
        "capture",
        "check",
        "library_from",
        "load_library",
        "parse_citations",
        "read_brief",
        "reanchor",
        "render_bibliography",
        "render_citations",
        "render_document",
        "save_library",
        "save_source",
        "verify",
    ]
    for name in policycite.__all__:
        if callable(getattr(policycite, name)):
            assert getattr(policycite, name).__doc__, f"{name} has no docstring"


def test_package_is_typed() -> None:
    assert (SRC / "py.typed").exists()
