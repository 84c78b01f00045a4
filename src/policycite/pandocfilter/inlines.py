"""policycite's HTML rendering of a citation or entry as pandoc inlines.

The engine renders HTML with the formatting CSL asks for (``<i>``, ``<b>``,
``<span style="font-variant:small-caps;">``, ``<sup>``, ``<sub>``, the roman run inside
italics); here each becomes the pandoc inline that writers know (Emph, Strong, SmallCaps,
Superscript, Subscript; a roman run is a Span of class ``csl-no-emph``, as pandoc's
citeproc marks it). Web addresses become Links, as pandoc's citeproc links them; the
record's own URL carries its Robust Link attributes (``data-originalurl``,
``data-versionurl``, ``data-versiondate``), which pandoc's HTML writer prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import lxml.html
import panflute as pf

from policycite.safeparse import html_parser

_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:)]"  # punctuation a style puts after a URL is not part of it
_NO_DECORATION = {
    "font-style:normal": "csl-no-emph",
    "font-weight:normal": "csl-no-strong",
    "font-variant:normal": "csl-no-smallcaps",
}


def _words(text: str) -> list[pf.Inline]:
    out: list[pf.Inline] = []
    for index, word in enumerate(text.split(" ")):
        if index and not (out and isinstance(out[-1], pf.Space)):
            out.append(pf.Space())
        if word:
            out.append(pf.Str(word))
    return out


def _text(text: str, links: Mapping[str, dict[str, str]] | None) -> list[pf.Inline]:
    """Plain text as Str and Space, web addresses as Links (None: no links)."""
    if links is None:
        return _words(text)
    out: list[pf.Inline] = []
    at = 0
    for match in _URL.finditer(text):
        url = match.group()
        known = next((u for u in sorted(links, key=len, reverse=True) if url.startswith(u)), None)
        url = known or url.rstrip(_TRAILING)
        out += _words(text[at : match.start()])
        attributes = links.get(url, {})
        out.append(pf.Link(pf.Str(url), url=url, attributes=dict(attributes)))
        at = match.start() + len(url)
    out += _words(text[at:])
    return out


def _element(
    node: lxml.html.HtmlElement, links: Mapping[str, dict[str, str]] | None
) -> list[pf.Inline]:
    inner = _children(node, links)
    tag = node.tag
    style = (node.get("style") or "").replace(" ", "").rstrip(";")
    if tag in {"i", "em"}:
        return [pf.Emph(*inner)]
    if tag in {"b", "strong"}:
        return [pf.Strong(*inner)]
    if tag == "sup":
        return [pf.Superscript(*inner)]
    if tag == "sub":
        return [pf.Subscript(*inner)]
    if tag == "u":
        return [pf.Underline(*inner)]
    if style == "font-variant:small-caps":
        return [pf.SmallCaps(*inner)]
    if style in _NO_DECORATION:
        return [pf.Span(*inner, classes=[_NO_DECORATION[style]])]
    classes = [c for c in (node.get("class") or "").split() if c.startswith("csl-")]
    if classes:  # second-field-align: csl-left-margin, csl-right-inline
        if "csl-left-margin" in classes:  # "[1] Title" in text, as pandoc's citeproc has it
            inner.append(pf.Space())
        return [pf.Span(*inner, classes=classes)]
    return inner


def _children(
    node: lxml.html.HtmlElement, links: Mapping[str, dict[str, str]] | None
) -> list[pf.Inline]:
    out = _text(node.text, links) if node.text else []
    for child in node:
        out += _element(child, links)
        if child.tail:
            out += _text(child.tail, links)
    return out


def to_inlines(html: str, links: Mapping[str, dict[str, str]] | None = None) -> list[pf.Inline]:
    """The inlines of an HTML fragment of the engine's.

    ``links`` maps web addresses to the attributes of their Link (a record's Robust Link
    attributes); any other address in the text is linked bare. None: no links at all.
    """
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="span", parser=html_parser())
    return _children(root, links)


__all__ = ["to_inlines"]
