"""Citations and the reference list rendered by policycite's engine, as pandoc's citeproc does.

Every Cite of the document, in order, is one cluster of one
:meth:`policycite.render.Renderer.document` run (so APA's fixes, group-author
abbreviations, narrative citations and year letters apply, and the letters of the
citations are those of the list); the Cite keeps its citations and gets the rendered
text as content, as pandoc's citeproc leaves it. The list goes into the Div with id
``refs`` when the document has one, else at its end (after a heading when
``reference-section-title`` is set): one Div ``ref-KEY`` of class ``csl-entry`` per
work, in the Div ``refs`` of classes ``references csl-bib-body`` (and
``hanging-indent`` when the style asks for it), with the style's ``entry-spacing`` and
``line-spacing`` as attributes, which pandoc's writers lay the list out by (LaTeX's
``CSLReferences`` environment, the HTML template's CSS). A note style's citations outside
notes become footnotes.
"""

from __future__ import annotations

import html
from typing import Any

import attrs
import panflute as pf
from lxml import etree

from policycite.findings import Finding
from policycite.model import Cluster, Library
from policycite.pandocfilter.document import cite_text, cluster_of, in_figure, inside
from policycite.pandocfilter.inlines import to_inlines
from policycite.pandocfilter.options import FilterOptions
from policycite.render import Renderer, resolve
from policycite.render.robust import robust_link
from policycite.safeparse import xml_parser

_CSL = "{http://purl.org/net/xbiblio/csl}"
_NOTE_PUNCTUATION = ".,;:!?"


#: From this pandoc on, its writers space entries by 1 line when the list's Div says
#: nothing (CSL's default), so its citeproc writes ``entry-spacing="0"`` too; before, 0
#: was the writers' default and citeproc left it out (pandoc 3.1.8's changelog).
_SPACING_SAID = (3, 1, 8)


@attrs.frozen
class StyleLayout:
    """What a style asks of the document's layout: notes, a hanging indent, spacing.

    ``entry_spacing`` and ``line_spacing`` are the bibliography's attributes as the style
    writes them (None: not given).
    """

    notes: bool
    hanging_indent: bool
    entry_spacing: str | None = None
    line_spacing: str | None = None

    def list_attributes(self, pandoc: tuple[int, ...] | None) -> dict[str, str]:
        """The attributes pandoc's citeproc gives the list's Div, for this pandoc version.

        As pandoc's citeproc: ``line-spacing`` when above 1, ``entry-spacing`` when the
        style gives it (pandoc 3.1.8 or later, or unknown) or when above 0 (older).
        """
        out: dict[str, str] = {}
        if self.entry_spacing is not None and (
            pandoc is None or pandoc >= _SPACING_SAID or _number(self.entry_spacing) > 0
        ):
            out["entry-spacing"] = self.entry_spacing
        if self.line_spacing is not None and _number(self.line_spacing) > 1:
            out["line-spacing"] = self.line_spacing
        return out


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def style_layout(style: str) -> StyleLayout:
    """The layout of a CSL style (by name or file)."""
    data, _name = resolve(style)
    root = etree.fromstring(data, xml_parser())
    bibliography = root.find(f"{_CSL}bibliography")
    if bibliography is None:
        return StyleLayout(root.get("class") == "note", hanging_indent=False)
    return StyleLayout(
        root.get("class") == "note",
        hanging_indent=bibliography.get("hanging-indent") == "true",
        entry_spacing=bibliography.get("entry-spacing"),
        line_spacing=bibliography.get("line-spacing"),
    )


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


def _content(text: str, cluster: Cluster) -> list[pf.Inline]:
    """A citation's rendering as inlines; "key?" when no cited key is in the library.

    "key?" in bold is how pandoc's citeproc shows it.
    """
    content: list[pf.Inline] = to_inlines(text)
    if not content:
        content = [pf.Strong(pf.Str("; ".join(c.key for c in cluster.cites) + "?"))]
    return content


def _figure_alt_texts(doc: pf.Doc, plain: dict[str, str]) -> None:
    """The citations of a pandoc 3 Figure's image alt text, rendered as in its caption.

    pandoc 3 copies the caption into the alt text, Cites included; those copies are not
    citations of their own (the caption's are), so they get the caption's rendering: the
    alt text then reads as the caption does, and pandoc's HTML writer hides the caption
    from screen readers (``aria-hidden``) as it does when both are the same.
    """

    def visit(item: pf.Element, _doc: Any) -> None:
        if isinstance(item, pf.Cite) and in_figure(item) and inside(item, pf.Image):
            written = cite_text(item)
            if written in plain:
                item.content = _content(plain[written], cluster_of(item))

    doc.walk(visit)


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
    plain: dict[str, str] = {}  # each citation as written -> its first rendering
    for cite, cluster, text in zip(cites, clusters, result.citations.entries, strict=True):
        plain.setdefault(cite_text(cite), text)
        content = _content(text, cluster)
        if options.link_citations and len(cluster.cites) == 1 and not layout.notes and text:
            content = [pf.Link(*content, url=f"#ref-{cluster.cites[0].key}")]
        cite.content = content
        if layout.notes and not inside(cite, pf.Note):
            cite.content = [pf.Note(pf.Para(*content))]
            _after_punctuation(cite)
    _figure_alt_texts(doc, plain)
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
        refs = pf.Div(identifier="refs")
        doc.content.append(refs)
    refs.content = entries
    refs.classes = list(dict.fromkeys([*refs.classes, *classes]))
    refs.attributes.update(layout.list_attributes(options.pandoc_version))
    return findings


def rendered_already(doc: pf.Doc) -> bool:
    """Whether pandoc's ``--citeproc`` ran before this filter (its list is in the document)."""
    refs = _refs_div(doc)
    return refs is not None and any(
        isinstance(item, pf.Div) and "csl-entry" in item.classes for item in refs.content
    )


__all__ = ["StyleLayout", "render", "rendered_already", "style_layout"]
