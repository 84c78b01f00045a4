"""Rendering through citeproc-py: the only package that imports citeproc.

The names below load on first use (PEP 562), so that a light submodule, such as the
style index ``policycite styles`` searches, is imported without citeproc and the fixes
(issue 17).
"""

from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'policycite.render' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later uses skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
