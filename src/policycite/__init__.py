"""policycite: citations for policy briefs.

Press releases, speeches and news articles as citable sources with provenance and
quotation anchors, kept in a folder of YAML records, rendered in any CSL style.

>>> import policycite as pc
>>> lib = pc.load_library("references").library          # doctest: +SKIP
>>> print(pc.render_bibliography(lib, "apa").as_text())   # doctest: +SKIP
"""

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
from policycite.render import Renderer, RenderResult, render_bibliography, render_citations

__version__ = "0.1.0"

__all__ = [
    "CODES",
    "KINDS",
    "AnchorStatus",
    "CaptureMethod",
    "Cite",
    "Cluster",
    "Derivation",
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
    "SnapshotStore",
    "Source",
    "StyleError",
    "library_from",
    "load_library",
    "parse_citations",
    "render_bibliography",
    "render_citations",
    "save_library",
    "save_source",
]
