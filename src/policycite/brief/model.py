"""The values a brief is read into: paragraphs, citations, quotations, reference entries.

Offsets are into :attr:`Brief.text`, the brief's plain text: the file itself for text
and Markdown, the extracted text (paragraphs separated by a blank line) for HTML and
Word. Lines and columns are 1-based and count in that text, so that a finding points to
a place an editor can jump to (for Word, a line is a paragraph of the extracted text).
No I/O here.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    ``front`` (header lines before the text: subject, date, photo credit).
    """

    span: Span
    text: str
    kind: str = "body"


@attrs.frozen
class CitedWork:
    """One work named in a citation, as written.

    ``authors`` is the author part as printed ("Norov", "Norov & Lavrov", "Smith et al.",
    "Shanghai Cooperation Organisation [SCO]", "SCO"); empty for a pandoc key. ``year`` is
    "2020", "2020a", "n.d." or "n.d.-b"; ``key`` a pandoc citation key; ``locator`` the
    pinpoint as written ("para. 4", "p. 3", "Background section, para. 2").
    """

    authors: str = ""
    year: str | None = None
    key: str | None = None
    locator: str | None = None


@attrs.frozen
class Citation:
    r"""An in-text citation of one or more works.

    ``form`` is ``parenthetical`` "(Norov, 2020, para. 4)", ``narrative`` "Norov (2020)",
    ``pandoc`` "[@norov2020, para. 4]", ``latex`` "\parencite[para.~4]{norov2020}" or
    ``note``: a footnote mark ("²", "[^2]") whose work's ``authors`` are the words of its
    note that name the work (author, title, as written) and whose ``locator`` is the
    note's pinpoint.
    """

    span: Span
    text: str
    form: str
    works: tuple[CitedWork, ...] = attrs.field(converter=_works)


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


@attrs.frozen
class Brief:
    r"""A brief as read: its text and what was found in it.

    ``reference_heading`` is the heading of the reference list ("References", "Sources"),
    None when the list was found as a trailing block of reference-like lines or not at
    all (then ``references`` is empty). ``bibliography`` names the bibliography files the
    brief itself names (pandoc's front matter ``bibliography:``, LaTeX's
    ``\addbibresource``), as written, relative to the brief.
    """

    path: str
    format: str  # "text", "markdown", "html", "docx" or "latex"
    text: str = attrs.field(repr=False)
    paragraphs: tuple[Paragraph, ...] = attrs.field(converter=_paragraphs, repr=False)
    citations: tuple[Citation, ...] = attrs.field(converter=_citations, repr=False)
    quotations: tuple[Quotation, ...] = attrs.field(converter=_quotations, repr=False)
    references: tuple[ReferenceEntry, ...] = attrs.field(converter=_references, repr=False)
    reference_heading: Span | None = None
    bibliography: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    @property
    def body(self) -> tuple[Paragraph, ...]:
        """The paragraphs an author wrote as text (body, block quotes, footnotes)."""
        return tuple(p for p in self.paragraphs if p.kind in {"body", "blockquote", "footnote"})

    def span_at(self, start: int, end: int) -> Span:
        """A span of :attr:`text` with its line and column."""
        line = self.text.count("\n", 0, start) + 1
        column = start - (self.text.rfind("\n", 0, start) + 1) + 1
        return Span(start, end, line, column)


__all__ = [
    "Brief",
    "Citation",
    "CitedWork",
    "Paragraph",
    "Quotation",
    "ReferenceEntry",
    "Span",
]
