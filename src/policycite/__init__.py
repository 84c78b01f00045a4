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
    SnapshotStore,
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
from policycite.snapshots import Snapshot
from policycite.verify import VerifyOptions, verify

__version__ = "0.1.0"

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
