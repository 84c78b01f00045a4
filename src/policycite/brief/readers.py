"""Read a brief file (text, Markdown, HTML, Word or LaTeX) into a :class:`Brief`.

:func:`read_brief` chooses the reader by the file's suffix. Text and Markdown are parsed
as they are; HTML and Word are reduced to their paragraphs, joined by a blank line, and
that text is what offsets, lines and columns count in. A Word footnote's mark is written
as Word shows it, a superscript number ("…homes.”²"), in the text and at the start of
the note, so that a quotation can be tied to its note. Every failure is an
:class:`~policycite.errors.InputError` naming the file, on one line: a missing, empty,
binary or oversized file, a Word file that is not a Word package, text that is not UTF-8.

Nothing here touches the network or expands entities: HTML is parsed by lxml's HTML
parser with no network and its DOCTYPE (with any entity declarations) cut off first; the
footnotes and endnotes of a Word file are parsed by an XML parser that loads no DTD and
resolves no entities.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import lxml.html
from lxml import etree

from policycite.brief.bibliography import markdown_bibliography
from policycite.brief.model import Brief
from policycite.brief.notes import SUPERSCRIPT
from policycite.brief.places import note_number, with_places
from policycite.brief.structure import parse_brief
from policycite.brief.suppressions import in_extracted, in_html, in_word
from policycite.brief.wordfields import attach, scan
from policycite.capture.decoding import file_kind
from policycite.errors import InputError
from policycite.formats import decode
from policycite.safeparse import parse_html, xml_parser

#: Suffix -> format.
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".tex": "latex",
    ".latex": "latex",
}

# Byte-order marks of UTF-16: such a brief is text, but not in the UTF-8 asked for.
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "p div li dd dt h1 h2 h3 h4 h5 h6 blockquote pre section article header footer aside "
    "main nav figure figcaption caption table tr td th address details summary form "
    "fieldset hr ul ol dl center".split()
)
_SKIPPED_TAGS = frozenset("head script style noscript template svg math iframe object".split())
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BR = "\x00"  # stands for <br> until whitespace is collapsed; text holds no NUL
# Mark where italics begin and end until the paragraphs are joined (see _joined);
# private-use characters, which no brief holds as text.
_ITALIC, _ROMAN = "\ue0a0", "\ue0a1"
_ITALIC_TAGS = frozenset({"i", "em", "cite", "var", "dfn"})

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = f"{{{_W}}}p"
_WT = f"{{{_W}}}t"
_WR = f"{{{_W}}}r"
_WTAB = f"{{{_W}}}tab"
_WBR = f"{{{_W}}}br"
_WCR = f"{{{_W}}}cr"
_WHYPHEN = f"{{{_W}}}noBreakHyphen"
_WTXBX = f"{{{_W}}}txbxContent"
_WPSTYLE = f"{{{_W}}}pStyle"
_WVAL = f"{{{_W}}}val"
_WTYPE = f"{{{_W}}}type"
_WID = f"{{{_W}}}id"
_WNOTEREF = f"{{{_W}}}footnoteReference"  # the mark in the text
_WNOTEMARK = f"{{{_W}}}footnoteRef"  # the same mark opening the note
_HEADING_STYLE = re.compile(r"(?:heading\s*\d|title|subtitle)\Z", re.IGNORECASE)
_QUOTE_STYLE = re.compile(r"(?:intense\s+)?quote\Z|block\s*text\Z|block\s*quote\Z", re.I)
#: The parts of a Word package that are read, and how much they may unpack to.
_WORD_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_COMMENTS_PART = "word/comments.xml"
_UNPACK_FACTOR = 16
#: XML grows several times over as a parsed tree: its parts together get a quarter of that.
_XML_UNPACK_FACTOR = 4
#: A package of more members than this is not a brief (each costs python-docx a part).
_MAX_MEMBERS = 10_000
_XML = (".xml", ".rels")
_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def read_brief(path: Path | str, *, max_bytes: int = 16 * 2**20) -> Brief:
    """Read the brief at ``path``; the suffix picks the format.

    ``.txt``/``.text`` are text, ``.md``/``.markdown`` Markdown, ``.html``/``.htm`` HTML,
    ``.docx`` Word, ``.tex``/``.latex`` LaTeX (:mod:`policycite.brief.latex`). Raises
    InputError (one line, naming the file) when the file cannot be read as a brief; a
    brief without a reference list is fine.
    """
    path = Path(path)
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown kind of brief {path.suffix!r}; use one of {known}", source=name)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("is a folder, not a file", source=name)
        if size > max_bytes:
            raise InputError(
                f"the file is {_size(size)}; the limit is {_size(max_bytes)}", source=name
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except OSError as err:
        raise InputError(err.strerror or str(err), source=name) from None
    if len(data) > max_bytes:
        raise InputError(f"the file is larger than the limit of {_size(max_bytes)}", source=name)
    if not data.strip():
        raise InputError("the brief is empty", source=name)
    if fmt == "docx":
        return _read_docx(data, name, max_bytes)
    _refuse_binary(data, name)
    if fmt == "html":
        return _read_html(data, name)
    return brief_from_text(decode(data, name), name)


def brief_from_text(text: str, path: Path | str) -> Brief:
    """The brief of a text, Markdown or LaTeX file whose text is given (an editor's buffer).

    ``path`` names the file: its suffix picks the format, as for :func:`read_brief`, and
    the bibliography it names is found relative to its folder. Raises InputError for an
    empty text or a suffix that is not a text format.
    """
    name = str(path)
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt not in {"text", "markdown", "latex"}:
        kind = Path(path).suffix
        raise InputError(f"not a text brief (.txt, .md or .tex): {kind!r}", source=name)
    if not text.strip():
        raise InputError("the brief is empty", source=name)
    if fmt == "latex":  # pylatexenc loads for LaTeX briefs only (start-up, issue 17)
        from policycite.brief.latex import read_latex

        return read_latex(text, name)
    brief = parse_brief(text, path=name, format=fmt)
    if fmt == "markdown":  # pandoc's front matter may name the brief's bibliography
        brief = attrs.evolve(brief, bibliography=markdown_bibliography(text))
    return brief


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MiB"
    if size >= 2**10:
        return f"{size / 2**10:.1f} KiB"
    return f"{size} bytes"


def _refuse_binary(data: bytes, name: str) -> None:
    if data.startswith(_UTF16_MARKS):
        raise InputError("not a text brief: the file is UTF-16 text; save it as UTF-8", source=name)
    kind = file_kind(data)
    if kind is not None:
        raise InputError(f"not a text brief: the file is {kind}", source=name)
    if b"\0" in data:
        raise InputError("not a text brief: the file holds NUL bytes (binary data)", source=name)


def _joined(
    paragraphs: list[tuple[str, str]],
    name: str,
    fmt: str,
    places: list[str] | None = None,
) -> Brief:
    """Join extracted (text, kind) paragraphs with blank lines and parse the result.

    Text in italics comes between _ITALIC and _ROMAN marks; they are taken out here and
    become :attr:`Brief.italics`. ``places`` (Word) names each paragraph's place, in the
    same order.
    """
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    italics: list[tuple[int, int]] = []
    starts: list[tuple[int, str]] = []
    position = 0
    for index, (raw, kind) in enumerate(paragraphs):
        # A blank line inside a paragraph would read as a paragraph break in the text.
        text, marked = _unmark(_LINE_BREAKS.sub("\n", raw))
        if not text.strip():
            continue
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if parts:
            parts.append("\n\n")
            position += 2
        parts.append(text)
        spans.append((position, position + len(text), kind))
        if places is not None:
            starts.append((position, places[index]))
        italics += [
            (position + max(a - lead, 0), position + min(b - lead, len(text)))
            for a, b in marked
            if min(b - lead, len(text)) > max(a - lead, 0)
        ]
        position += len(text)
    if not spans:
        raise InputError("the brief is empty", source=name)
    brief = parse_brief("".join(parts), path=name, format=fmt, paragraphs=spans)
    if places is not None:
        brief = with_places(brief, starts)
    return attrs.evolve(brief, italics=italics) if italics else brief


def _unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Text without its _ITALIC/_ROMAN marks, and the (start, end) of each italic run."""
    if _ITALIC not in text:
        return text.replace(_ROMAN, ""), []
    out: list[str] = []
    runs: list[tuple[int, int]] = []
    depth = start = position = 0
    for char in text:
        if char == _ITALIC:
            if depth == 0:
                start = position
            depth += 1
        elif char == _ROMAN:
            depth = max(depth - 1, 0)
            if depth == 0 and position > start:
                runs.append((start, position))
        else:
            out.append(char)
            position += 1
    return "".join(out), runs


# --- HTML ------------------------------------------------------------------------------


def _html_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        return decode(data, name)  # raises, with line and column


def _read_html(data: bytes, name: str) -> Brief:
    text = _html_text(data, name)
    root = parse_html(text, name, empty="the brief is empty", comments=True)
    walker = _HtmlWalker()
    walker.walk(root)
    walker.flush()
    brief = _joined(walker.paragraphs, name, "html")
    found = (*in_extracted(brief.text, walker.comments, name), *in_html(text, name))
    return attrs.evolve(brief, suppressions=found) if found else brief


class _HtmlWalker:
    """Collect the paragraphs of an HTML tree: inline text runs between block elements."""

    def __init__(self) -> None:
        self.paragraphs: list[tuple[str, str]] = []
        self.buffer: list[str] = []
        self.kinds: list[str] = []  # the enclosing heading/blockquote, innermost last
        # Where the outermost open <blockquote> started in ``paragraphs``, or None.
        self.quote_start: int | None = None
        # (index of the paragraph it covers, text, line) of each "policycite:" comment.
        self.comments: list[tuple[int, str, int | None]] = []

    def flush(self) -> None:
        # HTML whitespace collapses; only <br> (kept as _BR) breaks a line.
        lines = "".join(self.buffer).split(_BR)
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        self.buffer = []
        if not _unmark(text)[0].strip():
            return
        kind = self.kinds[-1] if self.kinds else "body"
        if self.quote_start is not None and len(self.paragraphs) > self.quote_start:
            # The paragraphs of one <blockquote> make one block quote.
            previous, _ = self.paragraphs[-1]
            self.paragraphs[-1] = (previous + "\n" + text, "blockquote")
        else:
            self.paragraphs.append((text, kind))

    def walk(self, element: lxml.html.HtmlElement) -> None:
        if element.tag is etree.Comment and "policycite" in (element.text or ""):
            # The paragraph being built, or (none begun) the next: either way the next
            # one flushed, unless it merges into an open block quote's last paragraph.
            index = len(self.paragraphs)
            if self.quote_start is not None and index > self.quote_start:
                index -= 1
            self.comments.append((index, element.text or "", element.sourceline))
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED_TAGS:
            self._tail(element)
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        kind = "heading" if tag in _HEADING_TAGS else "blockquote" if tag == "blockquote" else ""
        outermost_quote = kind == "blockquote" and self.quote_start is None
        if kind:
            self.kinds.append(kind)
        if outermost_quote:
            self.quote_start = len(self.paragraphs)
        if tag == "br":
            self.buffer.append(_BR)
        elif tag == "q":
            self.buffer.append("“")
        elif tag in _ITALIC_TAGS:
            self.buffer.append(_ITALIC)
        if element.text and tag:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child)
        if tag == "q":
            self.buffer.append("”")
        elif tag in _ITALIC_TAGS:
            self.buffer.append(_ROMAN)
        if block:
            self.flush()
        if kind:
            self.kinds.pop()
        if outermost_quote:
            self.quote_start = None
        self._tail(element)

    def _tail(self, element: lxml.html.HtmlElement) -> None:
        if element.tail:
            self.buffer.append(element.tail)


# --- Word ------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str, max_bytes: int) -> Brief:
    if not data.startswith(b"PK"):
        what = file_kind(data)
        hint = f"; it is {what}" if what else ""
        raise InputError(f"not a Word file (not a ZIP package{hint})", source=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" not in names:
                raise InputError(
                    "not a Word file (no word/document.xml in the package)", source=name
                )
            # Every member counts (images, styles.xml, …): python-docx loads them all.
            # zipfile stops a member at its declared size, so the sum bounds what is read.
            members = package.infolist()
            if len(members) > _MAX_MEMBERS:
                raise InputError(
                    f"the Word file holds {len(members)} parts; the limit is {_MAX_MEMBERS}",
                    source=name,
                )
            unpacked = sum(info.file_size for info in members)
            xml_size = sum(info.file_size for info in members if info.filename.endswith(_XML))
            for size, factor, what in (
                (unpacked, _UNPACK_FACTOR, ""),
                (xml_size, _XML_UNPACK_FACTOR, "XML "),
            ):
                if size > factor * max_bytes:
                    raise InputError(
                        f"the Word file's {what}parts unpack to {_size(size)}; the limit is "
                        f"{_size(factor * max_bytes)}",
                        source=name,
                    )
            notes = [(part, package.read(part)) for part in _WORD_PARTS[1:] if part in names]
            comments = package.read(_COMMENTS_PART) if _COMMENTS_PART in names else None
            document_xml = package.read(_WORD_PARTS[0]) if comments else b""
    except zipfile.BadZipFile as err:
        raise InputError(f"not a Word file (a broken ZIP package: {err})", source=name) from None
    import docx  # python-docx loads for Word briefs only (start-up, issue 17)

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises many kinds on a damaged package
        raise InputError(f"cannot be read as a Word file: {err}", source=name) from None
    styles = _style_kinds(document)
    paragraphs: list[tuple[str, str]] = []
    places: list[str] = []
    counted = 0
    body = document.element.body
    marks = _footnote_marks(body)
    for paragraph in body.iter(_WP):
        style = paragraph.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
        style_id = style.get(_WVAL) if style is not None else None
        text = "" if generated(paragraph) else _run_text(paragraph, marks)
        paragraphs.append((text, styles.get(style_id or "", "body")))
        # Only paragraphs with text count, as Word counts them (see brief.places).
        counted += bool(_unmark(text)[0].strip())
        places.append(f"paragraph {counted}")
    body_paragraphs = len(paragraphs)
    for part, xml in notes:
        which = "endnote" if part == _WORD_PARTS[2] else "footnote"
        numbers = _note_numbers(document, which)
        for note_id, text in _notes(xml, name, marks):
            paragraphs.append((text, "footnote"))
            places.append(f"{which} {numbers(note_id)}")
    brief = _with_fields(document, notes, paragraphs, places, name)
    if comments is None:
        return brief
    # The n-th w:p of the body became the n-th non-empty paragraph of the text.
    chunks: list[int | None] = []
    kept = 0
    for raw, _kind in paragraphs[:body_paragraphs]:
        chunks.append(kept if _unmark(raw)[0].strip() else None)
        kept += chunks[-1] is not None
    found = in_word(document_xml, comments, chunks, brief.text, name)
    return attrs.evolve(brief, suppressions=found) if found else brief


def _with_fields(
    document: Any,
    notes: list[tuple[str, bytes]],
    paragraphs: list[tuple[str, str]],
    places: list[str],
    name: str,
) -> Brief:
    """The joined brief with its reference managers' fields (see brief.wordfields).

    The paragraphs a bibliography field runs through are the reference list, whatever
    their heading; each field is looked for in its paragraph (body) or note.
    """
    fields = [(found, places[found.paragraph]) for found in scan(document.element.body)]
    for part, xml in notes:
        which = "endnote" if part == _WORD_PARTS[2] else "footnote"
        numbers = _note_numbers(document, which)
        root = etree.fromstring(xml, parser=xml_parser())  # _notes has parsed it already
        fields += [(found, f"{which} {numbers(found.note)}") for found in scan(root, notes=True)]
    listed = {i for f, _ in fields if f.field.kind == "bibliography" for i in f.paragraphs}
    marked = [(p[0], "bibliography") if i in listed else p for i, p in enumerate(paragraphs)]
    brief = _joined(marked, name, "docx", places)
    return attach(brief, fields) if fields else brief


def _footnote_marks(body: etree._Element) -> dict[str, str]:
    """Footnote id -> the mark Word shows: superscript numbers in order of reference."""
    marks: dict[str, str] = {}
    for reference in body.iter(_WNOTEREF):
        note = reference.get(_WID)
        if note is not None and note not in marks:
            marks[note] = str(len(marks) + 1).translate(SUPERSCRIPT)
    return marks


def _style_kinds(document: object) -> dict[str, str]:
    """Paragraph style id -> heading/blockquote, following each style's base styles."""
    kinds: dict[str, str] = {}
    for style in getattr(document, "styles", ()):
        current = style
        for _ in range(5):  # base styles chain a few levels at most
            style_name = getattr(current, "name", None) or ""
            if _HEADING_STYLE.match(style_name):
                kinds[style.style_id] = "heading"
                break
            if _QUOTE_STYLE.match(style_name):
                kinds[style.style_id] = "blockquote"
                break
            current = getattr(current, "base_style", None)
            if current is None:
                break
    return kinds


def _run_text(
    paragraph: etree._Element, marks: dict[str, str] | None = None, note: str | None = None
) -> str:
    """The text of one w:p: runs (inserted, hyperlinked ones too), tabs and breaks.

    The paragraphs of text boxes are left out: they come as paragraphs of their own.
    Footnote marks are written as Word shows them (``marks``: note id -> "²"), in the
    text and at the start of note ``note``.
    """
    return "".join(text for text, _element in run_pieces(paragraph, marks, note))


def run_pieces(
    paragraph: etree._Element, marks: dict[str, str] | None = None, note: str | None = None
) -> Iterator[tuple[str, etree._Element | None]]:
    """The text of one w:p (see :func:`_run_text`) in pieces, each with its element.

    A piece is the text of a w:t, a tab, a break, a hyphen or a note mark, with the
    element it comes from; the italic marks (:func:`_unmark`) come with None. The text
    of a paragraph is the pieces joined: :mod:`policycite.brief.wordmap` maps offsets
    of a brief back to the file's elements from the same walk.
    """
    marks = marks or {}

    def visit(element: etree._Element) -> Iterator[tuple[str, etree._Element | None]]:
        for child in element:
            tag = child.tag
            if tag in {_WTXBX, _WP}:
                continue
            if tag == _WR and _italic(child):
                yield _ITALIC, None
                yield from visit(child)
                yield _ROMAN, None
            elif tag == _WT:
                yield child.text or "", child
            elif tag == _WTAB:
                yield "\t", child
            elif tag in {_WBR, _WCR}:
                yield "\n", child
            elif tag == _WHYPHEN:
                yield "-", child
            elif tag == _WNOTEREF:
                yield marks.get(child.get(_WID) or "", ""), child
            elif tag == _WNOTEMARK and note is not None:
                yield marks.get(note, ""), child
            else:
                yield from visit(child)

    return visit(paragraph)


#: The tag of the content control policycite puts its corrected list in, in an annotated
#: copy (output.annotated): generated text, not the author's, so not read as the brief's.
GENERATED_TAG = "policycite-corrected-references"


def generated(paragraph: etree._Element) -> bool:
    """Whether a w:p is in a content control policycite wrote (:data:`GENERATED_TAG`)."""
    for control in paragraph.iterancestors(f"{{{_W}}}sdt"):
        tag = control.find(f"{{{_W}}}sdtPr/{{{_W}}}tag")
        if tag is not None and tag.get(_WVAL) == GENERATED_TAG:
            return True
    return False


def _italic(run: etree._Element) -> bool:
    """Whether a w:r is set in italics by its own properties (w:i, not switched off)."""
    flag = run.find(f"{{{_W}}}rPr/{{{_W}}}i")
    return flag is not None and flag.get(_WVAL, "true").lower() not in {"0", "false", "off"}


def _note_numbers(document: Any, which: str) -> Callable[[str | None], str]:
    """Note id -> the number Word prints: marks counted in text order, in the set format.

    A note whose mark is missing (a damaged file) is numbered after the others.
    """
    tag = f"{{{_W}}}{which}Reference"
    order: dict[str | None, int] = {}
    for mark in document.element.body.iter(tag):
        order.setdefault(mark.get(f"{{{_W}}}id"), len(order) + 1)
    number_format = "lowerRoman" if which == "endnote" else "decimal"
    # The document's setting (settings.xml), then the section's, which wins.
    for element in (document.settings.element, document.element.body.find(f"{{{_W}}}sectPr")):
        found = None if element is None else element.find(f".//{{{_W}}}{which}Pr/{{{_W}}}numFmt")
        if found is not None and found.get(_WVAL):
            number_format = found.get(_WVAL)

    def number(note_id: str | None) -> str:
        if note_id not in order:
            order[note_id] = len(order) + 1
        return note_number(order[note_id], number_format)

    return number


def _notes(data: bytes, name: str, marks: dict[str, str]) -> list[tuple[str | None, str]]:
    """The id and text of each real footnote or endnote (separators left out).

    A footnote opens with its mark, as Word shows it ("² Edda Marsh, …"); endnotes,
    numbered apart, keep none.
    """
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"the Word notes cannot be parsed: {err}", source=name) from None
    texts: list[tuple[str | None, str]] = []
    for note in root:
        if note.get(_WTYPE) not in {None, "normal"}:
            continue  # separator, continuationSeparator, continuationNotice
        footnote = note.tag == f"{{{_W}}}footnote"
        note_id = note.get(_WID) if footnote else None
        text = "\n".join(_run_text(p, marks, note_id) for p in note.iter(_WP)).strip()
        if text:
            texts.append((note.get(f"{{{_W}}}id"), text))
    return texts


__all__ = ["FORMATS", "brief_from_text", "read_brief"]
