"""Citations and the reference list rendered by policycite's engine, as pandoc's citeproc does.

Every Cite of the document, in order, is one cluster of one
:meth:`policycite.render.Renderer.document` run (so APA's fixes, group-author
abbreviations, narrative citations and year letters apply, and the letters of the
citations are those of the list); the Cite keeps its citations and gets the rendered
text as content, as pandoc's citeproc leaves it. The list goes into the Div with id
``refs`` when the document has one, else at its end (after a heading when
``reference-section-title`` is set): one Div ``ref-KEY`` of class ``csl-entry`` per
work, in the Div ``refs`` of classes ``references csl-bib-body`` (and
``hanging-indent`` when the style asks for it). A note style's citations outside notes
become footnotes.
"""

from __future__ import annotations

import html
from typing import Any

import attrs
import panflute as pf
from lxml import etree

from policycite.findings import Finding
from policycite.model import Library
from policycite.pandocfilter.document import cluster_of
from policycite.pandocfilter.inlines import to_inlines
from policycite.pandocfilter.options import FilterOptions
from policycite.render import Renderer, resolve
from policycite.render.robust import robust_link
from policycite.safeparse import xml_parser

_CSL = "{http://purl.org/net/xbiblio/csl}"
_NOTE_PUNCTUATION = ".,;:!?"


@attrs.frozen
class StyleLayout:
    """What a style asks of the document's layout: notes, a hanging indent."""

    notes: bool
    hanging_indent: bool


def style_layout(style: str) -> StyleLayout:
    """The layout of a CSL style (by name or file)."""
    data, _name = resolve(style)
    root = etree.fromstring(data, xml_parser())
    bibliography = root.find(f"{_CSL}bibliography")
    hanging = bibliography is not None and bibliography.get("hanging-indent") == "true"
    return StyleLayout(root.get("class") == "note", hanging)


def _in_note(element: pf.Element) -> bool:
    parent = element.parent
    while parent is not None:
        if isinstance(parent, pf.Note):
            return True
        parent = parent.parent
    return False


def _after_punctuation(cite: pf.Cite) -> None:
    """A note's mark goes after the sentence's punctuation, with no space before it.

    "Plans [@a]." becomes "Plans.[1]", as pandoc's citeproc places it (English usage).
    """
    container = cite.container
    if container is None:
        return
    index = cite.index
    if index > 0 and isinstance(container[index - 1], pf.Space | pf.SoftBreak):
        del container[index - 1]
        index -= 1
    after = container[index + 1] if index + 1 < len(container) else None
    if isinstance(after, pf.Str) and after.text[:1] in _NOTE_PUNCTUATION:
        mark = after.text[0]
        if len(after.text) > 1:
            after.text = after.text[1:]
        else:
            del container[index + 1]
        container.insert(index, pf.Str(mark))


def _links(library: Library, key: str) -> dict[str, dict[str, str]]:
    """The web addresses of a record's entry and the attributes of their links."""
    source = library.get(key)
    if source is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    prov = source.provenance
    if prov.archive_url:
        out[prov.archive_url] = {}
    link = robust_link(source)
    if link is not None:
        out[link.original_url] = link.attributes()
    return out


def _refs_div(doc: pf.Doc) -> pf.Div | None:
    found: list[pf.Div] = []

    def visit(item: pf.Element, _doc: Any) -> None:
        if isinstance(item, pf.Div) and item.identifier == "refs" and not found:
            found.append(item)

    doc.walk(visit)
    return found[0] if found else None


def render(
    doc: pf.Doc, cites: list[pf.Cite], library: Library, options: FilterOptions
) -> list[Finding]:
    """Render the document's citations and reference list into ``doc``; the findings met."""
    layout = style_layout(options.style)
    renderer = Renderer(library, options.style, locale=options.locale, output="html")
    clusters = [cluster_of(cite) for cite in cites]
    listed = library.keys if "*" in options.nocite else options.nocite
    result = renderer.document(clusters, listed, reference_list=not options.suppress_bibliography)
    for cite, cluster, text in zip(cites, clusters, result.citations.entries, strict=True):
        content = to_inlines(text)
        if not content:  # no cited key is in the library: pandoc's citeproc shows "key?"
            content = [pf.Strong(pf.Str("; ".join(c.key for c in cluster.cites) + "?"))]
        elif options.link_citations and len(cluster.cites) == 1 and not layout.notes:
            content = [pf.Link(*content, url=f"#ref-{cluster.cites[0].key}")]
        cite.content = content
        if layout.notes and not _in_note(cite):
            cite.content = [pf.Note(pf.Para(*content))]
            _after_punctuation(cite)
    findings = [*result.citations.findings, *result.bibliography.findings]
    if options.suppress_bibliography:
        return findings
    bibliography = result.bibliography
    entries = [
        pf.Div(
            pf.Para(*to_inlines(html, _links(library, key) if options.link_bibliography else None)),
            identifier=f"ref-{key}",
            classes=["csl-entry"],
        )
        for key, html in zip(bibliography.keys, bibliography.entries, strict=True)
    ]
    classes = ["references", "csl-bib-body"] + (["hanging-indent"] if layout.hanging_indent else [])
    refs = _refs_div(doc)
    if refs is None and not entries:
        return findings  # nothing cited: no empty list under a heading
    if refs is None:
        if options.section_title:
            title = to_inlines(html.escape(options.section_title))
            doc.content.append(
                pf.Header(*title, level=1, identifier="bibliography", classes=["unnumbered"])
            )
        doc.content.append(pf.Div(*entries, identifier="refs", classes=classes))
    else:
        refs.content = entries
        refs.classes = list(dict.fromkeys([*refs.classes, *classes]))
    return findings


def rendered_already(doc: pf.Doc) -> bool:
    """Whether pandoc's ``--citeproc`` ran before this filter (its list is in the document)."""
    refs = _refs_div(doc)
    return refs is not None and any(
        isinstance(item, pf.Div) and "csl-entry" in item.classes for item in refs.content
    )


__all__ = ["StyleLayout", "render", "rendered_already", "style_layout"]
