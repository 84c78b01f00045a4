"""Rendering through citeproc-py: the only package that imports citeproc."""

from policycite.render.engine import (
    DEFAULT_LOCALE,
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
