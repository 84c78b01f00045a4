"""A pandoc document (its JSON AST, through panflute) as a brief the checks can read.

The checks read briefs as text (:func:`policycite.brief.structure.parse_brief`), so the
document's blocks are written back as the Markdown that reader knows: headings with "#",
block quotes with "> ", each Cite in pandoc's citation syntax rebuilt from its fields
("[see @key, para. 4]", "@key [p. 4]", "[-@key]"), each Quoted between typographic
marks, HTML comments as they are (the ``policycite: ignore`` directives). Every rule of
``policycite check`` then applies as it does to the Markdown file itself. Code, math
and raw TeX are left out, and so is a reference list pandoc's citeproc has already
rendered (the ``refs`` Div). An image's alt text is read (pandoc 2 keeps a figure's
caption there), except inside pandoc 3's Figure, whose caption is read instead. A
footnote's text follows the block that holds it, as paragraphs of its own.

While writing, the span of every block, citation and quotation is kept with what the
writer can find in the source (its text, its section, pandoc's ``data-pos`` source
position when the reader gave one), so that findings can point there (:mod:`.located`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import panflute as pf

from policycite.brief.citations import find_citations
from policycite.brief.model import Brief, Citation, CitedWork, Span
from policycite.brief.structure import parse_brief
from policycite.citations import parse_citations
from policycite.errors import InputError
from policycite.model import Cite, Cluster

#: A plain citation key; any other is written in braces, "@{key with spaces}".
_PLAIN_KEY = re.compile(r"\w(?:[\w:.#$%&+?<>~/-]*\w)?")
_MODES = {"AuthorInText": "narrative", "SuppressAuthor": "suppress-author"}
#: Blocks whose text an author wrote, counted as "paragraph N" of their section. A
#: pandoc 3 Figure is one, as pandoc 2's paragraph of one image was: its blocks are not.
_COUNTED = (pf.Para, pf.Plain, pf.BlockQuote, pf.LineBlock, pf.Figure)
EXCERPT = 40


@attrs.frozen
class Mark:
    """A stretch of the rebuilt text and what it stands for in the document.

    ``kind`` is ``block``, ``cite`` or ``quote``; ``where`` names the block as a reader of
    the source finds it (``section “Cost”, paragraph 2``); ``text`` is the citation as
    written or an excerpt of the quotation; ``position`` is pandoc's ``data-pos`` of it
    ("brief.md@3:5-3:20"), when the reader recorded source positions.
    """

    start: int
    end: int
    kind: str
    where: str
    text: str = ""
    position: str | None = None


@attrs.frozen
class Positioned:
    """A stretch of the rebuilt text that pandoc's reader gave a source position.

    With ``sourcepos`` (``-f commonmark_x+sourcepos``) every word, space and mark is a
    Span with ``data-pos`` ("brief.md@7:21-7:22"), so a finding can point at the column
    it is about rather than at the start of its paragraph.
    """

    start: int
    end: int
    position: str


def _marks(items: Iterable[Mark]) -> tuple[Mark, ...]:
    return tuple(items)


def _positioned(items: Iterable[Positioned]) -> tuple[Positioned, ...]:
    return tuple(items)


@attrs.frozen
class DocumentBrief:
    """The document read as a brief, and where its parts came from."""

    brief: Brief
    marks: tuple[Mark, ...] = attrs.field(converter=_marks)
    positioned: tuple[Positioned, ...] = attrs.field(default=(), converter=_positioned)


def cite_text(cite: pf.Cite) -> str:
    """The citation as pandoc's Markdown writes it, rebuilt from its fields."""
    narrative: list[str] = []
    bracketed: list[str] = []
    for citation in cite.citations:
        key = citation.id if _PLAIN_KEY.fullmatch(citation.id) else f"{{{citation.id}}}"
        prefix = inline_text(citation.prefix)
        suffix = inline_text(citation.suffix)
        if citation.mode == "AuthorInText" and not bracketed and not narrative:
            narrative.append(f"@{key}" + (f" [{suffix.strip()}]" if suffix.strip() else ""))
            continue
        dash = "-" if citation.mode == "SuppressAuthor" else ""
        part = " ".join(p for p in (prefix.strip(), f"{dash}@{key}") if p)
        if suffix.strip():
            part += suffix if suffix.startswith(",") else f" {suffix.strip()}"
        bracketed.append(part)
    if bracketed:
        narrative.append("[" + "; ".join(bracketed) + "]")
    return " ".join(narrative)


def cluster_of(cite: pf.Cite) -> Cluster:
    """The policycite citation cluster of a pandoc Cite (keys, locators, prefixes, mode).

    Parsed from :func:`cite_text` by :func:`policycite.citations.parse_citations`, so that
    locators are read as ``policycite cite`` reads them; the mode comes from pandoc.
    """
    try:
        cites = [c for cluster in parse_citations(cite_text(cite)) for c in cluster.cites]
    except InputError:
        cites = []
    if len(cites) != len(cite.citations):  # a prefix or suffix with unbalanced brackets
        cites = [Cite(key=c.id) for c in cite.citations]
    modes = [_MODES.get(c.mode, "normal") for c in cite.citations]
    # Only a cluster's first cite can name its author in the sentence (pandoc's Markdown
    # never makes another, other readers might).
    modes[1:] = ["normal" if m == "narrative" else m for m in modes[1:]]
    return Cluster(
        [
            attrs.evolve(c, key=pc.id, mode=m)
            for c, pc, m in zip(cites, cite.citations, modes, strict=True)
        ]
    )


def inline_text(items: Iterable[pf.Element]) -> str:
    """Inlines as plain text (spaces and line breaks as spaces, no marks)."""
    out: list[str] = []
    for item in items:
        if isinstance(item, pf.Str):
            out.append(item.text.replace("\xa0", " "))
        elif isinstance(item, pf.Space | pf.SoftBreak | pf.LineBreak):
            out.append(" ")
        elif isinstance(item, pf.Quoted):
            marks = "“”" if item.quote_type == "DoubleQuote" else "‘’"
            out.append(marks[0] + inline_text(item.content) + marks[1])
        elif isinstance(item, pf.Code | pf.Math):
            out.append(item.text)
        elif isinstance(item, pf.Cite):
            out.append(cite_text(item))
        elif isinstance(item, pf.Note):
            continue
        elif hasattr(item, "content"):
            out.append(inline_text(item.content))
    return "".join(out)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _position(element: pf.Element) -> str | None:
    attributes = getattr(element, "attributes", None)
    return attributes.get("data-pos") if attributes else None


def _first_position(element: pf.Element) -> str | None:
    """The first ``data-pos`` on or inside an element (pandoc's ``sourcepos``)."""
    found: list[str] = []

    def visit(item: pf.Element, _doc: Any) -> None:
        if not found and (pos := _position(item)):
            found.append(pos)

    own = _position(element)
    if own:
        return own
    element.walk(visit)
    return found[0] if found else None


class _Writer:
    """Writes blocks as Markdown text and records the marks."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.prefix = ""  # "> " inside block quotes
        self.fresh = True  # at the start of a block: no separator needed
        self.marks: list[Mark] = []
        self.positioned: list[Positioned] = []
        self.notes: list[tuple[str, list[pf.Block]]] = []
        self.section: str | None = None
        self.counter = 0
        self.where = "the document"
        self.positions: list[str] = []
        self.cites: list[pf.Cite] = []
        self.notes_mode = False
        self.depth = 0
        self.note_number = 0

    # -- text -----------------------------------------------------------------------------

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def newline(self) -> None:
        self.emit("\n" + self.prefix)

    def separate(self) -> None:
        if self.fresh:
            self.fresh = False
        elif self.parts:
            self.emit("\n" + self.prefix.rstrip() + "\n" + self.prefix)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def mark(self, start: int, kind: str, text: str, position: str | None) -> None:
        if position is None and self.positions:
            position = self.positions[-1]
        self.marks.append(Mark(start, self.length, kind, self.where, text, position))

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, items: Iterable[pf.Element]) -> None:
        for item in items:
            self.block(item)

    def block(self, item: pf.Element) -> None:
        pos = _position(item)
        if pos:
            self.positions.append(pos)
        self.depth += 1
        try:
            self._block(item)
        finally:
            self.depth -= 1
            if pos:
                self.positions.pop()
        if self.depth == 0 and self.notes and not self.notes_mode:
            self.footnotes()

    def _block(self, item: pf.Element) -> None:
        if isinstance(item, pf.Header):
            self.section = _excerpt(inline_text(item.content))
            self.counter = 0
            self.where = f"heading “{self.section}”"
            self._text_block(item, "#" * item.level + " ", item.content)
            return
        if (
            isinstance(item, _COUNTED)
            and not self.prefix
            and not self.notes_mode
            and not in_figure(item)
        ):
            self.counter += 1
            section = f"section “{self.section}”, " if self.section else ""
            self.where = f"{section}paragraph {self.counter}"
        if isinstance(item, pf.Para | pf.Plain):
            self._text_block(item, "", item.content)
        elif isinstance(item, pf.BlockQuote):
            self.separate()
            start = self.length
            self.emit("> ")
            outer = self.prefix
            self.prefix += "> "
            self.fresh = True
            self.blocks(item.content)
            self.fresh = False  # the quote's "> " is written, even if nothing followed it
            self.prefix = outer
            excerpt = _excerpt(" ".join(inline_text(b.content) for b in _paragraphs(item)))
            self.mark(start, "block", f"“{excerpt}”", _first_position(item))
        elif isinstance(item, pf.LineBlock):
            self.separate()
            start = self.length
            for index, line in enumerate(item.content):
                if index:
                    self.newline()
                self.inlines(line.content)
            self.mark(start, "block", "", _first_position(item))
        elif isinstance(item, pf.BulletList | pf.OrderedList):
            for entry in item.content:
                self.separate()
                self.emit("- ")
                self.fresh = True
                self.blocks(entry.content)
                self.fresh = False
        elif isinstance(item, pf.DefinitionList):
            for entry in item.content:
                self._text_block(entry, "", entry.term)
                for definition in entry.definitions:
                    self.blocks(definition.content)
        elif isinstance(item, pf.Div):
            if item.identifier != "refs":  # a reference list citeproc rendered already
                self.blocks(item.content)
        elif isinstance(item, pf.RawBlock):
            if item.format == "html" and item.text.lstrip().startswith("<!--"):
                self.separate()
                self.emit(item.text.strip())
        elif isinstance(item, pf.CodeBlock | pf.HorizontalRule | pf.Null):
            return
        else:  # tables, figures, captions: the blocks they hold, in order
            self.blocks(_inner_blocks(item))

    def _text_block(self, item: pf.Element, lead: str, content: Iterable[pf.Element]) -> None:
        self.separate()
        start = self.length
        self.emit(lead)
        self.inlines(content)
        self.mark(start, "block", "", _first_position(item))

    # -- inlines --------------------------------------------------------------------------

    def inlines(self, items: Iterable[pf.Element]) -> None:
        for item in items:
            self.inline(item)

    def inline(self, item: pf.Element) -> None:
        if isinstance(item, pf.Str):
            self.emit(item.text)
        elif isinstance(item, pf.Space):
            self.emit(" ")
        elif isinstance(item, pf.SoftBreak | pf.LineBreak):
            self.newline()
        elif isinstance(item, pf.Cite):
            start = self.length
            written = cite_text(item)
            self.emit(written)
            self.cites.append(item)
            self.mark(start, "cite", written, _first_position(item))
        elif isinstance(item, pf.Quoted):
            marks = "“”" if item.quote_type == "DoubleQuote" else "‘’"
            start = self.length
            self.emit(marks[0])
            self.inlines(item.content)
            self.emit(marks[1])
            quoted = _excerpt(inline_text(item.content))
            self.mark(start, "quote", f"{marks[0]}{quoted}{marks[1]}", _first_position(item))
        elif isinstance(item, pf.Emph | pf.Strong | pf.Strikeout | pf.Superscript | pf.Subscript):
            mark = {
                pf.Emph: "*",
                pf.Strong: "**",
                pf.Strikeout: "~~",
                pf.Superscript: "^",
                pf.Subscript: "~",
            }[type(item)]
            self.emit(mark)
            self.inlines(item.content)
            self.emit(mark)
        elif isinstance(item, pf.Link):
            self.emit("[")
            self.inlines(item.content)
            self.emit(f"]({item.url})")
        elif isinstance(item, pf.Code):
            self.emit(f"`{item.text}`")
        elif isinstance(item, pf.RawInline):
            if item.format == "html" and item.text.startswith("<!--"):
                self.emit(item.text)
        elif isinstance(item, pf.Note):
            self.notes.append((self.where, list(item.content)))
        elif isinstance(item, pf.Span):
            self.span(item)
        elif isinstance(item, pf.Image):
            # pandoc 2's figure is a paragraph of one image, its caption the alt text;
            # pandoc 3's Figure has the caption as a block of its own (written there)
            # and a copy in the alt text, not to be read twice.
            if not in_figure(item):
                self.inlines(item.content)
        elif isinstance(item, pf.Math):
            return
        elif hasattr(item, "content"):  # SmallCaps, Underline and what pandoc adds later
            self.inlines(item.content)

    def span(self, item: pf.Span) -> None:
        pos = _position(item)
        start = self.length
        if pos:
            self.positions.append(pos)
        self.inlines(item.content)
        if pos:
            self.positions.pop()
            self.positioned.append(Positioned(start, self.length, pos))

    def footnotes(self) -> None:
        """The text of the notes met in a block, after it, each block a paragraph.

        Right after the block that holds them, not at the end: there, the notes would
        read as entries of a reference list the author wrote.
        """
        self.notes_mode = True
        where, section, counter = self.where, self.section, self.counter
        while self.notes:  # a note may hold a note
            place, blocks = self.notes.pop(0)
            self.note_number += 1
            self.where = f"note {self.note_number} (in {place})"
            self.blocks(blocks)
        self.notes_mode = False
        self.where, self.section, self.counter = where, section, counter


def inside(element: pf.Element, kind: type[pf.Element]) -> bool:
    """Whether an element has an ancestor of ``kind`` (a Figure, a Note, an Image)."""
    parent = element.parent
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parent
    return False


def in_figure(element: pf.Element) -> bool:
    """Whether an element is inside a Figure block (pandoc 3's figures)."""
    return inside(element, pf.Figure)


def _paragraphs(item: pf.Element) -> list[pf.Element]:
    """The paragraphs of a block quote, for its excerpt."""
    return [b for b in item.content if isinstance(b, pf.Para | pf.Plain)]


def _inner_blocks(item: pf.Element) -> Iterator[pf.Element]:
    """The blocks inside a container panflute knows no special shape for."""
    for name in getattr(item, "_children", ()):
        child = getattr(item, name, None)
        children = child if isinstance(child, pf.ListContainer | list) else [child]
        for element in children:
            if isinstance(element, pf.Block):
                yield element
            elif isinstance(element, pf.Element):
                yield from _inner_blocks(element)


def read_document(doc: pf.Doc, path: str = "<pandoc>") -> tuple[DocumentBrief, list[pf.Cite]]:
    """The document as a brief, its marks, and its Cite elements in document order.

    ``path`` names the brief in findings before :mod:`.located` points them at the
    source. Notes' citations come after the body's, as their text does.
    """
    writer = _Writer()
    writer.blocks(doc.content)
    text = writer.text
    cite_spans = [(m.start, m.end, m.text) for m in writer.marks if m.kind == "cite"]

    def find(block: str, *, offset: int, span_at: Any) -> list[Citation]:
        # The reader's own finder reads the rebuilt pandoc syntax as it reads the file;
        # a Cite it would not take (a narrative key without digits, "@who") is added here.
        found = find_citations(block, offset=offset, span_at=span_at)
        taken = {(c.span.start, c.span.end) for c in found}
        for start, end, written in cite_spans:
            if not offset <= start < offset + len(block) or (start, end) in taken:
                continue
            if any(c.span.start <= start < c.span.end for c in found):
                continue
            cluster = cluster_of_text(written)
            works = [CitedWork(key=c.key, locator=c.locator) for c in cluster.cites]
            found.append(Citation(_span(span_at, start, end), written, "pandoc", works))
        found.sort(key=lambda c: c.span.start)
        return found

    brief = parse_brief(text, path=path, format="markdown", find=find)
    return DocumentBrief(brief, writer.marks, writer.positioned), writer.cites


def cluster_of_text(written: str) -> Cluster:
    """The cluster of one rebuilt citation text."""
    cites = [c for cluster in parse_citations(written) for c in cluster.cites]
    return Cluster(cites)


def _span(span_at: Any, start: int, end: int) -> Span:
    found: Span = span_at(start, end)
    return found


__all__ = [
    "DocumentBrief",
    "Mark",
    "Positioned",
    "cite_text",
    "cluster_of",
    "in_figure",
    "inline_text",
    "inside",
    "read_document",
]
