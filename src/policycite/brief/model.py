"""The values a brief is read into: paragraphs, citations, quotations, reference entries.

Offsets are into :attr:`Brief.text`, the brief's plain text: the file itself for text
and Markdown, the extracted text (paragraphs separated by a blank line) for HTML and
Word. Lines and columns are 1-based and count in that text, so that a finding points to
a place an editor can jump to (for Word, a line is a paragraph of the extracted text).
A Word brief's paragraphs also carry their *place* as Word shows it ("paragraph 12",
"footnote 3", "reference 4"; see :mod:`.places`), which reports show instead of lines.
No I/O here.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs


@attrs.frozen
class Span:
    """A stretch of the brief's text: offsets, and the line and column where it starts."""

    start: int
    end: int
    line: int
    column: int


# Typed converters (attrs' converter=tuple loses the element type under mypy --strict).
def _paragraphs(items: Iterable[Paragraph]) -> tuple[Paragraph, ...]:
    return tuple(items)


def _works(items: Iterable[CitedWork]) -> tuple[CitedWork, ...]:
    return tuple(items)


def _citations(items: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(items)


def _quotations(items: Iterable[Quotation]) -> tuple[Quotation, ...]:
    return tuple(items)


def _texts(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _references(items: Iterable[ReferenceEntry]) -> tuple[ReferenceEntry, ...]:
    return tuple(items)


@attrs.frozen
class Paragraph:
    """One block of the brief, with what it is.

    ``kind`` is ``body`` (text of the brief), ``heading``, ``blockquote``, ``reference``
    (an entry of the reference list), ``footnote`` (Word footnotes and endnotes) or
    ``front`` (header lines before the text: subject, date, photo credit). ``place`` is
    where a reader of the original finds it when lines mean nothing there (a Word
    file): "paragraph 12", "footnote 3", "reference 4"; None for text and Markdown.
    """

    span: Span
    text: str
    kind: str = "body"
    place: str | None = None


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _uris(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class FieldItem:
    """One work a reference manager's field cites, as the plugin stored it in the file.

    ``data`` is the item as CSL-JSON (Zotero and Mendeley store it so; EndNote's record
    is converted), ``uris`` the identifiers the manager knows it by (a Zotero item URI,
    a Mendeley document URI, ``endnote:<database>:<record number>``). ``locator`` and
    ``label`` are the pinpoint the citation dialog was given ("4", "paragraph").
    """

    data: Mapping[str, Any] = attrs.field(converter=_frozen, eq=False, hash=False)
    uris: tuple[str, ...] = attrs.field(default=(), converter=_uris)
    locator: str | None = None
    label: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    suppress_author: bool = False


def _items(items: Iterable[FieldItem]) -> tuple[FieldItem, ...]:
    return tuple(items)


@attrs.frozen
class WordField:
    """A reference manager's field in a Word file: a citation or the bibliography.

    ``plugin`` is "Zotero", "Mendeley Desktop", "Mendeley Cite" or "EndNote"; ``kind``
    is ``citation`` or ``bibliography``. ``span`` is where its display text (the field
    result) stands in :attr:`Brief.text` (None when it could not be found there).
    ``formatted`` is the text the plugin last wrote (Zotero's ``plainCitation``,
    Mendeley's ``previouslyFormattedCitation``), to tell a hand edit. ``problem`` says
    why the field's data could not be read (bad JSON, XML or base64); its items are
    then empty. ``place`` names where it is ("paragraph 3", "footnote 2").
    """

    plugin: str
    kind: str
    text: str
    items: tuple[FieldItem, ...] = attrs.field(default=(), converter=_items)
    span: Span | None = None
    formatted: str | None = None
    problem: str | None = None
    place: str | None = None
    instruction: str = attrs.field(default="", repr=False)


@attrs.frozen
class CitedWork:
    """One work named in a citation, as written.

    ``authors`` is the author part as printed ("Norov", "Norov & Lavrov", "Smith et al.",
    "Shanghai Cooperation Organisation [SCO]", "SCO"); empty for a pandoc key. ``year`` is
    "2020", "2020a", "n.d." or "n.d.-b"; ``key`` a pandoc citation key; ``locator`` the
    pinpoint as written ("para. 4", "p. 3", "Background section, para. 2").

    ``role`` says how a secondary-source citation names it (APA 7, 8.6): ``primary`` for
    the work quoted through another ("Rabbitt, 1982" in "(Rabbitt, 1982, as cited in
    Kask, 2024)"), ``secondary`` for the work that was read (Kask); None otherwise.
    ``prefix`` is the phrase written before the work ("see also", "e.g.,"); it is not
    part of the work, so works compare equal without it.
    """

    authors: str = ""
    year: str | None = None
    key: str | None = None
    locator: str | None = None
    role: str | None = None
    prefix: str | None = attrs.field(default=None, eq=False)
    #: The item of the citation's Word field this work is (an index into its items).
    item: int | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Citation:
    r"""An in-text citation of one or more works.

    ``form`` is ``parenthetical`` "(Norov, 2020, para. 4)", ``narrative`` "Norov (2020)",
    ``pandoc`` "[@norov2020, para. 4]", ``latex`` "\parencite[para.~4]{norov2020}" or
    ``note``: a footnote mark ("²", "[^2]") whose work's ``authors`` are the words of its
    note that name the work (author, title, as written) and whose ``locator`` is the
    note's pinpoint.

    ``field`` is the reference manager's field the citation's text is the result of (a
    Word file cited with Zotero, Mendeley or EndNote): its works name their items. A
    field whose text the parser found no citation in ("[1]", a style policycite does not
    read) is a citation of form ``field``, its works made from the items.
    """

    span: Span
    text: str
    form: str
    works: tuple[CitedWork, ...] = attrs.field(converter=_works)
    field: WordField | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Quotation:
    """A direct quotation: the quoted words, without the marks.

    ``citation`` gives its source, when one follows in the same sentence (or closes a
    block quote).
    """

    span: Span
    text: str
    block: bool = False
    citation: Citation | None = None


@attrs.frozen
class ReferenceEntry:
    """One entry of the brief's reference list, as written; ``number`` counts from 1."""

    span: Span
    text: str
    number: int


def _codes(items: Iterable[str]) -> frozenset[str]:
    return frozenset(items)


@attrs.frozen
class Suppression:
    """An inline ``policycite: ignore`` comment of the brief, and what it silences.

    ``codes`` are the codes it names (empty: every code); findings with those codes on
    lines ``first_line`` to ``last_line`` of :attr:`Brief.text` are suppressed, or
    every such finding of the check when both are None (``ignore-file``). ``line`` is
    where the comment itself stands (for Word, the line of the paragraph it is on).
    """

    codes: frozenset[str] = attrs.field(converter=_codes)
    first_line: int | None = None
    last_line: int | None = None
    line: int | None = None

    def covers(self, code: str, line: int | None) -> bool:
        """Whether a finding with ``code`` on ``line`` (None: no line) is silenced."""
        if self.codes and code not in self.codes:
            return False
        if self.first_line is None or self.last_line is None:
            return True
        return line is not None and self.first_line <= line <= self.last_line


def _suppressions(items: Iterable[Suppression]) -> tuple[Suppression, ...]:
    return tuple(items)


def _ranges(items: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple((start, end) for start, end in items)


def _fields(items: Iterable[WordField]) -> tuple[WordField, ...]:
    return tuple(items)


@functools.lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    # Found once per text: counting newlines from the top for every span made a brief
    # with many citations quadratic.
    return (0, *(match.end() for match in re.finditer("\n", text)))


@attrs.frozen
class Brief:
    r"""A brief as read: its text and what was found in it.

    ``reference_heading`` is the heading of the reference list ("References", "Sources"),
    None when the list was found as a trailing block of reference-like lines or not at
    all (then ``references`` is empty). ``bibliography`` names the bibliography files the
    brief itself names (pandoc's front matter ``bibliography:``, LaTeX's
    ``\addbibresource``), as written, relative to the brief. ``suppressions`` are the
    brief's inline ``policycite: ignore`` comments. ``italics`` are the (start, end)
    offsets of text in italics where the file marks them apart from the text (HTML,
    Word); Markdown keeps its emphasis marks in :attr:`text`.
    """

    path: str
    format: str  # "text", "markdown", "html", "docx" or "latex"
    text: str = attrs.field(repr=False)
    paragraphs: tuple[Paragraph, ...] = attrs.field(converter=_paragraphs, repr=False)
    citations: tuple[Citation, ...] = attrs.field(converter=_citations, repr=False)
    quotations: tuple[Quotation, ...] = attrs.field(converter=_quotations, repr=False)
    references: tuple[ReferenceEntry, ...] = attrs.field(converter=_references, repr=False)
    reference_heading: Span | None = None
    suppressions: tuple[Suppression, ...] = attrs.field(
        default=(), converter=_suppressions, repr=False
    )
    italics: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_ranges, repr=False)
    bibliography: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    #: The reference managers' fields of a Word brief (citations and bibliographies).
    fields: tuple[WordField, ...] = attrs.field(default=(), converter=_fields, repr=False)

    @property
    def body(self) -> tuple[Paragraph, ...]:
        """The paragraphs an author wrote as text (body, block quotes, footnotes)."""
        return tuple(p for p in self.paragraphs if p.kind in {"body", "blockquote", "footnote"})

    def span_at(self, start: int, end: int) -> Span:
        """A span of :attr:`text` with its line and column."""
        starts = _line_starts(self.text)
        line = bisect.bisect_right(starts, start)
        return Span(start, end, line, start - starts[line - 1] + 1)

    def place_at(self, offset: int) -> str | None:
        """The place of the paragraph holding ``offset`` (None: no place, or no paragraph)."""
        # Paragraphs come in text order; a footnote's text follows the body's.
        index = bisect.bisect_right(self.paragraphs, offset, key=lambda p: p.span.start) - 1
        if index < 0:
            return None
        paragraph = self.paragraphs[index]
        return paragraph.place if offset <= paragraph.span.end else None


__all__ = [
    "Brief",
    "Citation",
    "CitedWork",
    "FieldItem",
    "Paragraph",
    "Quotation",
    "ReferenceEntry",
    "Span",
    "Suppression",
    "WordField",
]
