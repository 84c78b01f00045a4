r"""What capture finds in a page, before it becomes a record: documents, blocks, evidence.

Extractors (HTML, plain text) return :class:`Page` values; :mod:`policycite.capture.records`
turns each :class:`Document` into a :class:`~policycite.model.Source`. Every extracted
value is an :class:`Evidence` that says how it was found, so a user can trust or correct
it. This module does no I/O.

Text conventions, shared by every extractor so that snapshots and paragraph numbers mean
the same thing whatever the input was:

* a block is one paragraph or heading as a reader sees it; its text is NFC, with runs of
  ASCII whitespace (spaces, tabs, newlines) collapsed to one space and stripped at both
  ends. No-break spaces and other Unicode spaces are *kept*: they are evidence of
  copy-paste and the anchoring layer normalises them itself;
* the document text is the blocks joined by a blank line (``"\\n\\n"``);
* headings are not numbered; nor are the datelines, labels and delivery notes above the
  body (:mod:`policycite.capture.preamble`); every other block is a paragraph numbered
  from 1, as APA's "para." locator counts (salutations such as "Dear colleagues," count:
  a reader sees a paragraph).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from policycite.findings import Finding, finding_tuple

#: The fields an extractor may fill, and what each holds. ``author`` values are person
#: names as printed ("Anna Petrova" or "Petrova, Anna"); ``issuer`` values are
#: organisations (the issuing body of a press release or statement, the corporate author).
FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "kind": "policycite kind: press-release, speech, news-article, webpage, statement, report",
        "title": "the document's own title (not the site name)",
        "author": "a person who wrote it (one value per person)",
        "issuer": "an organisation that issued or authored it",
        "speaker": "the person who gave a speech",
        "issued": "publication date, ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
        "site": "the name of the site or outlet (og:site_name)",
        "url": "the canonical URL",
        "language": "BCP 47 language tag of the text",
        "event-title": "the event a speech was given at",
        "event-place": "where the event took place",
        "event-date": "when the event took place, ISO 8601",
        "description": "a summary given by the page",
        "number": "a release or report number",
        "genre": "the type of document APA prints in brackets (a report's 'Report')",
        "place": "where the document was issued, from its dateline",
        "delivery": "a speech text's delivery status: as-prepared or as-delivered",
        "changes": "whether the page is designed to change over time (yes/no): APA's "
        "retrieval date",
        "container-type": "what a news article appeared in: newspaper or news-site",
    }
)

_WS_RUN = re.compile(r"[ \t\n\r\f\v]+")


def clean_block(text: str) -> str:
    """A block's text under the shared conventions (NFC, ASCII whitespace collapsed)."""
    return _WS_RUN.sub(" ", unicodedata.normalize("NFC", text)).strip()


@attrs.frozen
class Evidence:
    """One extracted value and how it was found.

    ``how`` names the place in the input ("meta citation_title", "JSON-LD
    NewsArticle.author", "first line above the body"); ``heuristic`` is True when the value
    was guessed from the text rather than read from markup, and should be reviewed.
    """

    value: str
    how: str
    heuristic: bool = False


def _evidence_map(
    value: Mapping[str, Iterable[Evidence]] | None,
) -> Mapping[str, tuple[Evidence, ...]]:
    out = {}
    for name, items in (value or {}).items():
        if name not in FIELDS:
            raise ValueError(f"unknown extracted field {name!r}; known: {', '.join(FIELDS)}")
        if found := tuple(items):
            out[name] = found
    return MappingProxyType(out)


def _block_tuple(items: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(items)


@attrs.frozen
class Block:
    """One paragraph or heading of a document's main text."""

    text: str = attrs.field(converter=clean_block)
    heading: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.text:
            raise ValueError("a block needs text")


@attrs.frozen
class Paragraph:
    """Where a block sits in the document text: offsets, reader's number, section."""

    start: int
    end: int
    number: int | None  # None for headings
    section: str | None  # the heading above it, if any


@attrs.frozen
class Document:
    """One citable document found in a page: its main text and extracted fields."""

    blocks: tuple[Block, ...] = attrs.field(converter=_block_tuple)
    fields: Mapping[str, tuple[Evidence, ...]] = attrs.field(
        factory=dict, converter=_evidence_map, eq=True, hash=False
    )
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)

    def first(self, name: str) -> Evidence | None:
        """The best evidence for a field (extractors list the most trusted first)."""
        found = self.fields.get(name)
        return found[0] if found else None

    def value(self, name: str) -> str | None:
        """The best value for a field, or None."""
        best = self.first(name)
        return best.value if best else None

    @property
    def text(self) -> str:
        """The normalised main text: blocks joined by a blank line."""
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Offsets into :attr:`text`, reader's paragraph numbers and sections, per block."""
        # Imported here: the preamble's date and speech cues compile some 40 patterns, and
        # a check that reads its snapshots from disk never numbers paragraphs (issue 17).
        from policycite.capture.preamble import numbers

        out = []
        offset, section = 0, None
        numbered = numbers([(b.text, b.heading) for b in self.blocks])
        for block, number in zip(self.blocks, numbered, strict=True):
            end = offset + len(block.text)
            if block.heading:
                section = block.text
            out.append(Paragraph(offset, end, number, section))
            offset = end + 2
        return tuple(out)


def _document_tuple(items: Iterable[Document]) -> tuple[Document, ...]:
    return tuple(items)


@attrs.frozen
class Page:
    """What one input (a saved page, a text copy, a fetched URL) holds: one or more documents.

    A page may hold several documents (a news item followed by the transcript of the speech
    it reports); ``findings`` are about the page as a whole (its encoding, its charset).
    """

    documents: tuple[Document, ...] = attrs.field(converter=_document_tuple)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


__all__ = ["FIELDS", "Block", "Document", "Evidence", "Page", "Paragraph", "clean_block"]
