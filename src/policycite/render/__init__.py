"""Rendering through citeproc-py: the only package that imports citeproc.

The names below load on first use (PEP 562), so that a light submodule, such as the
style index ``policycite styles`` searches, is imported without citeproc and the fixes
(issue 17).
"""

from typing import TYPE_CHECKING

from policycite import lazy
from policycite.defaults import DEFAULT_LOCALE

if TYPE_CHECKING:  # the names below, for type checkers; at run time they load on first use
    from policycite.render.engine import (
        DocumentResult,
        Renderer,
        RenderResult,
        render_bibliography,
        render_citations,
        render_document,
    )
    from policycite.render.output import FORMATS
    from policycite.render.styleindex import search_styles
    from policycite.render.styles import StyleFile, list_styles, resolve

_LAZY: dict[str, str] = {
    "DocumentResult": "policycite.render.engine",
    "FORMATS": "policycite.render.output",
    "RenderResult": "policycite.render.engine",
    "Renderer": "policycite.render.engine",
    "StyleFile": "policycite.render.styles",
    "list_styles": "policycite.render.styles",
    "render_bibliography": "policycite.render.engine",
    "render_citations": "policycite.render.engine",
    "render_document": "policycite.render.engine",
    "resolve": "policycite.render.styles",
    "search_styles": "policycite.render.styleindex",
}


__getattr__, __dir__ = lazy.exports(
    __name__, globals(), {name: (module, name) for name, module in _LAZY.items()}
)


__all__ = [
    "DEFAULT_LOCALE",
    "FORMATS",
    "DocumentResult",
    "RenderResult",
    "Renderer",
    "StyleFile",
    "list_styles",
    "render_bibliography",
    "render_citations",
    "render_document",
    "resolve",
    "search_styles",
]
