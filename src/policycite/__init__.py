"""policycite: citations for policy briefs.

Press releases, speeches and news articles as citable sources with provenance and
quotation anchors, kept in a folder of YAML records, rendered in any CSL style.

>>> import policycite as pc
>>> lib = pc.load_library("references").library          # doctest: +SKIP
>>> print(pc.render_bibliography(lib, "apa").as_text())   # doctest: +SKIP
>>> pc.add("saved-page.html", "references")                # doctest: +SKIP
>>> pc.verify("references").to_text()                       # doctest: +SKIP
>>> pc.anchor(lib["norov2020"], "the promotion of cooperation")  # doctest: +SKIP
>>> pc.check("brief.docx", library="references").findings   # doctest: +SKIP
"""

import sys
import types
from typing import TYPE_CHECKING, Any

from policycite import lazy
from policycite.about import __version__ as __version__  # written once, in about.py

if TYPE_CHECKING:  # the names below, for type checkers; at run time they load on first use
    from policycite.anchors.copying import CopyIndex
    from policycite.anchors.match import AnchorIndex, Anchoring, reanchor
    from policycite.anchors.pinning import anchor_quote as anchor
    from policycite.brief.readers import read_brief
    from policycite.capture.pipeline import AddResult, add, capture
    from policycite.citations import parse_citations
    from policycite.errors import InputError, ModelError, PolicyciteError, StyleError
    from policycite.findings import CODES, Finding, Location, Report, Severity
    from policycite.formats import ReadResult
    from policycite.kinds import KINDS, KindSpec
    from policycite.library import (
        library_from,
        load_library,
        save_library,
        save_source,
    )
    from policycite.model import (
        AnchorStatus,
        CaptureMethod,
        Cite,
        Cluster,
        Derivation,
        Library,
        Name,
        PartialDate,
        Provenance,
        QuoteAnchor,
        Relation,
        Source,
    )
    from policycite.render import (
        DocumentResult,
        Renderer,
        RenderResult,
        render_bibliography,
        render_citations,
        render_document,
    )
    from policycite.rules.result import CheckResult
    from policycite.rules.validate import check
    from policycite.snapshots import Snapshot, SnapshotStore
    from policycite.verify import VerifyOptions, verify

# Importing policycite costs only this table: each public name is imported from its module
# the first time it is used, so that `policycite --version` or `import policycite.cli`
# does not load citeproc, trafilatura, ftfy, rapidfuzz or python-docx (issue 17).
_LAZY: dict[str, tuple[str, str]] = {
    "AddResult": ("policycite.capture.pipeline", "AddResult"),
    "AnchorIndex": ("policycite.anchors.match", "AnchorIndex"),
    "AnchorStatus": ("policycite.model", "AnchorStatus"),
    "Anchoring": ("policycite.anchors.match", "Anchoring"),
    "CODES": ("policycite.findings", "CODES"),
    "CaptureMethod": ("policycite.model", "CaptureMethod"),
    "CheckResult": ("policycite.rules.result", "CheckResult"),
    "Cite": ("policycite.model", "Cite"),
    "Cluster": ("policycite.model", "Cluster"),
    "CopyIndex": ("policycite.anchors.copying", "CopyIndex"),
    "Derivation": ("policycite.model", "Derivation"),
    "DocumentResult": ("policycite.render", "DocumentResult"),
    "Finding": ("policycite.findings", "Finding"),
    "InputError": ("policycite.errors", "InputError"),
    "KINDS": ("policycite.kinds", "KINDS"),
    "KindSpec": ("policycite.kinds", "KindSpec"),
    "Library": ("policycite.model", "Library"),
    "Location": ("policycite.findings", "Location"),
    "ModelError": ("policycite.errors", "ModelError"),
    "Name": ("policycite.model", "Name"),
    "PartialDate": ("policycite.model", "PartialDate"),
    "PolicyciteError": ("policycite.errors", "PolicyciteError"),
    "Provenance": ("policycite.model", "Provenance"),
    "QuoteAnchor": ("policycite.model", "QuoteAnchor"),
    "ReadResult": ("policycite.formats", "ReadResult"),
    "Relation": ("policycite.model", "Relation"),
    "RenderResult": ("policycite.render", "RenderResult"),
    "Renderer": ("policycite.render", "Renderer"),
    "Report": ("policycite.findings", "Report"),
    "Severity": ("policycite.findings", "Severity"),
    "Snapshot": ("policycite.snapshots", "Snapshot"),
    "SnapshotStore": ("policycite.snapshots", "SnapshotStore"),
    "Source": ("policycite.model", "Source"),
    "StyleError": ("policycite.errors", "StyleError"),
    "VerifyOptions": ("policycite.verify", "VerifyOptions"),
    "add": ("policycite.capture.pipeline", "add"),
    "anchor": ("policycite.anchors.pinning", "anchor_quote"),
    "capture": ("policycite.capture.pipeline", "capture"),
    "check": ("policycite.rules.validate", "check"),
    "library_from": ("policycite.library", "library_from"),
    "load_library": ("policycite.library", "load_library"),
    "parse_citations": ("policycite.citations", "parse_citations"),
    "read_brief": ("policycite.brief.readers", "read_brief"),
    "reanchor": ("policycite.anchors.match", "reanchor"),
    "render_bibliography": ("policycite.render", "render_bibliography"),
    "render_citations": ("policycite.render", "render_citations"),
    "render_document": ("policycite.render", "render_document"),
    "save_library": ("policycite.library", "save_library"),
    "save_source": ("policycite.library", "save_source"),
    "verify": ("policycite.verify", "verify"),
}


__getattr__, __dir__ = lazy.exports(__name__, globals(), _LAZY)


class _Package(types.ModuleType):
    """policycite itself: public functions keep their names over same-named submodules."""

    def __setattr__(self, name: str, value: Any) -> None:
        # Importing policycite.verify (or .capture) binds the submodule here; the function
        # of that name keeps it, as it did when every name was imported eagerly.
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
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
