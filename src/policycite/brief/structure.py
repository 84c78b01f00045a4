"""Read a brief's text into paragraphs, in-text citations, quotations and its reference list.

:func:`parse_brief` is the one entry point; readers (:mod:`.readers`) call it with the text
of a file, or with the text extracted from HTML or Word plus the paragraphs they found.

Paragraphs (text and Markdown) are separated by blank lines. ATX ("# …") and setext
headings, "> " block quotes and Markdown footnotes ("[^1]: …") are recognised in both
formats; lines indented by 4+ spaces are a block quote in text and code in Markdown
(where fenced code and code spans are ignored too: they hold no citations or quotations).
In plain text a lone short line without closing punctuation is a heading. Lines at the
top such as "SUBJECT …", "DATE …", "Photo: …", "Prepared for …" are ``front``.

The reference list is the paragraphs after the *last* heading named References,
Reference list, Bibliography, Sources, Works cited, Literature (and their Russian,
German, French and Spanish names; numbered or not), up to the next other heading, a
footnote or a footer line ("BY …", "© …", "Page 3"). Without such a heading it is the
trailing run of reference-like paragraphs: an author, then "(2020" or "(n.d." with a full
stop before or after the date ("Norov, V. (2020). …", "SCO. (2020, May 13). …"), or
"Author. 2020. Title." A paragraph holds one entry, or one per line when its lines each
open like a reference (numbered "[1]", "1.", list items "- " are stripped).

Quotations are “…”, „…“, «…», "…" and ‘…’ / '…' (a single mark opens only after a space
or bracket and closes only before a non-letter, so "don’t" and "members’ rights" stay
apostrophes), plus block quotes. A quotation of fewer than three words with no citation
is taken for a scare quote and left out. Each quotation gets the first citation that
follows it in the same sentence; failing that, a narrative citation before it in the
same sentence ("Norov (2020) said “…”"). A block quote gets a citation that closes it,
opens the next paragraph, or ends the paragraph introducing it ("… Norov (2020):"); a
locator alone closing it ("… (para. 5)") is that citation's locator, not quoted words.
A footnote mark after a quotation ("…”²", "[^2]") is a citation too, of the work its note
names (:mod:`.notes`); quotations in footnotes are found as in the body.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from policycite.brief.citations import find_citations
from policycite.brief.model import Brief, Citation, Paragraph, Quotation, ReferenceEntry, Span
from policycite.brief.notes import SUPERSCRIPT_DIGITS, note_citations
from policycite.brief.suppressions import in_markdown

#: Names of a reference-list heading, case-folded.
REFERENCE_HEADINGS = frozenset(
    {
        "references",
        "reference list",
        "list of references",
        "bibliography",
        "select bibliography",
        "sources",
        "sources cited",
        "sources and references",
        "references and sources",
        "works cited",
        "literature",
        "literature cited",
        "список литературы",
        "литература",
        "источники",
        "список источников",
        "библиография",
        "literatur",
        "literaturverzeichnis",
        "quellen",
        "quellenverzeichnis",
        "bibliographie",
        "références",
        "références bibliographiques",
        "referencias",
        "bibliografía",
    }
)

_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE_RE = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_SETEXT_RE = re.compile(r" {0,3}(?:=+|-{2,})[ \t]*$")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE_MARKER_RE = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_INDENT_RE = re.compile(r"(?: {4}|\t)")
_FOOTNOTE_DEF_RE = re.compile(r" {0,3}\[\^[^\]\s]+\]:")
_RULE_RE = re.compile(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$")
# A code span may wrap onto the next line, never across a blank line.
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_COMMENT_LINE_RE = re.compile(r"[ \t]{0,3}<!--.*?-->[ \t]*\r?$")
_LINK_TARGET_RE = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")
_URL_RE = re.compile(r"\b(?:https?://|www\.|doi:)\S+", re.IGNORECASE)

# Upper-case labels need no colon ("SUBJECT …"); others do ("Photo: …"), except the
# unmistakable "Prepared for/by".
_FRONT_UPPER_RE = re.compile(
    r"\s*(?:SUBJECT|SUBJ|DATE|TO|FROM|RE|CC|BCC|MEMO|MEMORANDUM|PREPARED (?:FOR|BY)|"
    r"AUTHORS?|PHOTO(?: CREDIT)?|IMAGE|CLASSIFICATION|DISTRIBUTION|ISSUE|NO\.)(?::|\s)\s*\S"
)
_FRONT_LABEL_RE = re.compile(
    r"\s*(?:(?:subject|date|to|from|re|cc|bcc|memo|author|authors|by|photo|photo credit|"
    r"image|image credit|picture|credit|cover photo|classification|distribution|"
    r"issue|series|version|status|contact|keywords|tags|summary for)\s*:\s*\S"
    r"|prepared (?:for|by)\b)",
    re.IGNORECASE,
)
_FOOTER_RE = re.compile(
    r"\s*(?:BY\s+\S|©|\(c\)\s|copyright\b|all rights reserved|page\s+\d+(?:\s+of\s+\d+)?\s*$|"
    r"\d+\s*/\s*\d+\s*$|-\s*\d+\s*-\s*$)",
    re.IGNORECASE,
)
# "BY" only in capitals: "By 2030, …" opens a sentence.
_FOOTER_BY_RE = re.compile(r"\s*[Bb]y\s")

_YEAR = r"(?:(?:1[6-9]|20)\d{2}[a-z]?|n\.\s?d\.(?:-[a-z])?)"
_REFERENCE_LIKE_RE = re.compile(
    rf"(?P<author>[^\W\d_][^()\n]{{0,200}}?)\s*\(\s*{_YEAR}(?![\d\u2013-])[^()\n]{{0,40}}\)"
    rf"(?P<dot>\.)?"
    rf"|[^\W\d_][^\n]{{0,200}}?\.\s+{_YEAR}\.\s+\S"
)
_ENTRY_MARKER_RE = re.compile(r"[ \t]*(?:[-*+•▪◦‣][ \t]+|\d{1,3}[.)][ \t]+|\[\d{1,3}\][ \t]*)")
_HEADING_NUMBER_RE = re.compile(r"(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.)\s+")
_CONTINUATION_RE = re.compile(
    r"\s|https?://|www\.|doi|retrieved|available|accessed|in\s|pp?\.|vol\.", re.IGNORECASE
)
# A footnote mark may follow the closing punctuation: "… none will.”² The …".
_SENTENCE_END_RE = re.compile(
    rf"(?P<word>\S*?)[.!?…][”\"’»)\]{SUPERSCRIPT_DIGITS}]*\s+[“\"‘«(\[]?(?=[^\W\d_])"
)
_ABBREVIATIONS = frozenset(
    "al e.g i.e p pp para paras no dr mr ms mrs st vs cf etc fig sec ch vol ed eds".split()
)
_OPENERS = {"“": "”", "„": "“”", "«": "»", '"': '"'}
_SINGLE_OPENERS = {"‘": "’", "'": "'"}
_OPEN_CONTEXT = frozenset(' \t\n([{—–-/“"«„')
_QUOTES_RE = re.compile(r"[“„«\"]")
_SINGLE_QUOTES_RE = re.compile(r"[‘']")
_WORD_RE = re.compile(r"\w+")
# "'90s", "'24 budget": an apostrophe standing for a century, not a quotation mark.
_ELIDED_YEAR_RE = re.compile(r"\d\d(?:s\b|(?![\d.,:%/]))")
_LEAD_DASH_RE = re.compile(r"[\s—–-]*")
_TRAILER_RE = re.compile(r"[\s.;,]*\Z")

# How far a closing mark is looked for: keeps a paragraph of stray marks linear.
_QUOTE_REACH = 3000

#: Paragraph kinds whose text is searched for citations and quotations.
_CITING = frozenset({"body", "blockquote", "footnote"})


@attrs.define
class _Block:
    """A paragraph being built: its stretch of text (trimmed) and kind."""

    start: int
    end: int
    kind: str


class _Lines:
    """Line and column of an offset, by bisection over the line starts."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        index = find("\n")
        while index >= 0:
            self.starts.append(index + 1)
            index = find("\n", index + 1)

    def span(self, start: int, end: int) -> Span:
        line = bisect.bisect_right(self.starts, start)
        return Span(start, end, line, start - self.starts[line - 1] + 1)


def parse_brief(
    text: str,
    *,
    path: str = "<brief>",
    format: str = "text",
    paragraphs: Sequence[tuple[int, int, str]] | None = None,
    find: Callable[..., list[Citation]] = find_citations,
) -> Brief:
    r"""Read ``text`` into a :class:`Brief`.

    ``format`` is "text", "markdown", "html", "docx" or "latex". ``paragraphs`` gives the
    (start, end, kind) of each paragraph when a reader has found them (HTML, Word: kinds
    body, heading, blockquote, footnote); otherwise the text is split here. A brief with
    no reference list has ``references == ()``. ``find`` finds the citations of one
    paragraph (called as :func:`~policycite.brief.citations.find_citations` is), for a
    reader whose citations are its own (LaTeX's ``\cite``).
    """
    lines = _Lines(text)
    markdown = format == "markdown"
    if paragraphs is None:
        blocks = _split(text, markdown=markdown)
    else:
        blocks = [_Block(*_trim(text, start, end), kind) for start, end, kind in paragraphs]
        blocks = [block for block in blocks if block.end > block.start]
    blocks = _front(text, blocks)
    mask = _mask(text, blocks, markdown=markdown)
    heading, references, blocks = _references(text, blocks)
    paragraphs_out = [
        Paragraph(lines.span(b.start, b.end), text[b.start : b.end], b.kind) for b in blocks
    ]
    citations_by_block: list[list[Citation]] = []
    for block in blocks:
        if block.kind in _CITING:
            found = find(mask[block.start : block.end], offset=block.start, span_at=lines.span)
            if mask is not text:  # a blanked URL inside a citation reads as written
                found = [attrs.evolve(c, text=text[c.span.start : c.span.end]) for c in found]
        else:
            found = []
        citations_by_block.append(found)
    if any(block.kind == "footnote" for block in blocks):
        # Chicago's notes style: a footnote mark cites the work its note names.
        spans = [(b.start, b.end, b.kind) for b in blocks]
        for found, marks in zip(
            citations_by_block, note_citations(mask, spans, lines.span), strict=True
        ):
            if marks:
                found.extend(marks)
                found.sort(key=lambda c: c.span.start)
    quotations = _quotations(text, mask, blocks, citations_by_block, lines)
    entries = [
        ReferenceEntry(lines.span(start, end), text[start:end], number)
        for number, (start, end) in enumerate(references, 1)
    ]
    # The model's converter=tuple types these fields as Iterable[_T_co], which no value
    # satisfies under mypy; Any passes the tuples through.
    values: dict[str, Any] = {
        "paragraphs": tuple(paragraphs_out),
        "citations": tuple(c for found in citations_by_block for c in found),
        "quotations": tuple(quotations),
        "references": tuple(entries),
        "suppressions": in_markdown(text, paragraphs_out, path) if markdown else (),
    }
    return Brief(
        path=path,
        format=format,
        text=text,
        reference_heading=lines.span(heading.start, heading.end) if heading else None,
        **values,
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- paragraphs ------------------------------------------------------------------------


def _split(text: str, *, markdown: bool) -> list[_Block]:
    """Split text or Markdown into blocks (before front matter and references are known)."""
    lines: list[tuple[int, int]] = []  # (start, end) of each line, without "\r\n"
    position = 0
    for raw in text.split("\n"):
        end = position + len(raw)
        lines.append((position, end - 1 if raw.endswith("\r") else end))
        position = end + 1
    blocks: list[_Block] = []
    group: list[tuple[int, int]] = []
    index = 0
    if markdown and lines and text[lines[0][0] : lines[0][1]] == "---":
        # A YAML metadata block opens the file: it is front matter.
        for close in range(1, len(lines)):
            if text[lines[close][0] : lines[close][1]] in {"---", "..."}:
                blocks.append(_Block(*_trim(text, lines[0][0], lines[close][1]), "front"))
                index = close + 1
                break
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        fence = _FENCE_RE.match(line) if markdown else None
        if fence:
            blocks.extend(_classify(text, group, markdown=markdown))
            group = []
            index += 1
            while index < len(lines):
                inner = text[lines[index][0] : lines[index][1]].strip()
                index += 1
                if inner.startswith(fence.group(1)) and not inner.strip(fence.group(1)[0]):
                    break
            continue
        if not line.strip() or (markdown and _COMMENT_LINE_RE.match(line)):
            # A comment on a line of its own is a block of its own in Markdown (it may
            # interrupt a paragraph) and shows nothing: it separates like a blank line.
            blocks.extend(_classify(text, group, markdown=markdown))
            group = []
        elif _setext(text, group, line, markdown=markdown):
            blocks.append(_Block(*_trim(text, group[0][0], group[-1][1]), "heading"))
            group = []
        elif _RULE_RE.match(line):
            blocks.extend(_classify(text, group, markdown=markdown))
            group = []
        elif _ATX_RE.match(line):
            blocks.extend(_classify(text, group, markdown=markdown))
            group = []
            blocks.append(_atx(text, start, end))
        else:
            group.append((start, end))
        index += 1
    blocks.extend(_classify(text, group, markdown=markdown))
    return blocks


def _setext(text: str, group: list[tuple[int, int]], line: str, *, markdown: bool) -> bool:
    """An underline of "===" or "---" below a heading (one line in plain text)."""
    if not group or not _SETEXT_RE.match(line) or (not markdown and len(group) > 1):
        return False
    first = text[group[0][0] : group[0][1]].lstrip()
    return not first.startswith(">") and not _INDENT_RE.match(text, group[0][0])


def _atx(text: str, start: int, end: int) -> _Block:
    match = _ATX_RE.match(text, start)
    assert match is not None  # the caller matched it
    title = text[match.end() : end]
    closing = _ATX_CLOSE_RE.search(title)
    stop = match.end() + (closing.start() if closing else len(title))
    return _Block(*_trim(text, match.end(), stop), "heading")


def _classify(text: str, group: list[tuple[int, int]], *, markdown: bool) -> list[_Block]:
    """The block(s) of a run of non-blank lines."""
    if not group:
        return []
    start, end = _trim(text, group[0][0], group[-1][1])
    first = text[group[0][0] : group[0][1]]
    if first.lstrip(" \t").startswith(">"):
        return [_Block(start, end, "blockquote")]
    if all(_INDENT_RE.match(text, s) for s, _ in group):
        return [] if markdown else [_Block(start, end, "blockquote")]
    if _FOOTNOTE_DEF_RE.match(first):
        return [_Block(start, end, "footnote")]
    if len(group) > 1 and _is_reference_heading(first):
        # "References" directly above its entries, with no blank line between.
        head = _Block(*_trim(text, group[0][0], group[0][1]), "heading")
        return [head, _Block(*_trim(text, group[1][0], group[-1][1]), "body")]
    if not markdown and len(group) == 1 and _looks_like_heading(text[start:end]):
        return [_Block(start, end, "heading")]
    return [_Block(start, end, "body")]


def _looks_like_heading(line: str) -> bool:
    """A lone short line without closing punctuation ("Background", "2. Findings")."""
    if len(line) > 80 or len(line.split()) > 10 or line[-1] in '.,;!?…)”"’':
        return False
    if _FOOTER_RE.match(line) or _citable_line(line):
        return False
    first = line.lstrip("#*_ ")[:1]
    return first.isdigit() or (first.isalpha() and not first.islower())


def _front(text: str, blocks: list[_Block]) -> list[_Block]:
    """Mark the header lines at the top as ``front``, one paragraph per line.

    A short line just above a labelled one ("Board View" above "SUBJECT …") is front too.
    """
    out: list[_Block] = []
    for index, block in enumerate(blocks):
        if block.kind == "front":
            out.append(block)
            continue
        if block.kind == "heading" and not _is_front_line(text[block.start : block.end]):
            out.append(block)
            continue
        if block.kind in {"body", "heading"}:
            lines = _line_spans(text, block.start, block.end)
            labelled = any(_is_front_line(text[s:e]) for s, e in lines)
            if not labelled and len(lines) == 1 and index + 1 < len(blocks):
                after = blocks[index + 1]
                short = len(text[block.start : block.end].split()) <= 8
                labelled = (
                    short and after.kind == "body" and _is_front_line(text[after.start : after.end])
                )
            if labelled:
                out.extend(_Block(s, e, "front") for s, e in lines)
                continue
        return out + blocks[index:]
    return out


def _is_front_line(line: str) -> bool:
    return bool(_FRONT_UPPER_RE.match(line) or _FRONT_LABEL_RE.match(line))


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The trimmed, non-blank lines of text[start:end]."""
    spans = []
    position = start
    while position < end:
        stop = text.find("\n", position, end)
        stop = end if stop < 0 else stop
        line = _trim(text, position, stop)
        if line[1] > line[0]:
            spans.append(line)
        position = stop + 1
    return spans


def _mask(text: str, blocks: list[_Block], *, markdown: bool) -> str:
    """The text with what holds no citations or quotations blanked, offsets unchanged.

    Blanked: URLs; in Markdown also code spans, comments and link targets; block quote
    markers.
    """
    cuts: list[tuple[int, int]] = [m.span() for m in _URL_RE.finditer(text)]
    if markdown:
        for pattern in (_CODE_SPAN_RE, _COMMENT_RE, _LINK_TARGET_RE):
            cuts.extend(m.span() for m in pattern.finditer(text))
    for block in blocks:
        if block.kind == "blockquote" and ">" in text[block.start : block.end]:
            for start, _ in _line_spans(text, block.start, block.end):
                marker = _QUOTE_MARKER_RE.match(text, start)
                if marker and ">" in marker.group():
                    cuts.append(marker.span())
    if not cuts:
        return text
    cuts.sort()
    parts = []
    position = 0
    for cut_start, end in cuts:
        start = max(cut_start, position)
        if end <= start:
            continue
        parts.append(text[position:start])
        parts.append("".join("\n" if c == "\n" else " " for c in text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


# --- reference list --------------------------------------------------------------------


def _heading_name(line: str) -> str:
    name = line.strip().strip("#*_ \t").rstrip(":").strip("*_ ")
    number = _HEADING_NUMBER_RE.match(name)
    if number:
        name = name[number.end() :]
    return " ".join(name.split()).casefold()


def _is_reference_heading(line: str) -> bool:
    return len(line) < 60 and _heading_name(line) in REFERENCE_HEADINGS


def _is_footer(text: str, block: _Block) -> bool:
    first = text[block.start : block.end].split("\n", 1)[0]
    if _FOOTER_BY_RE.match(first) and not first.lstrip().startswith("BY"):
        return False
    return bool(_FOOTER_RE.match(first)) and len(first) < 120


def _citable_line(line: str) -> bool:
    """A reference-shaped line or a URL: never a heading, never the end of a list."""
    marker = _ENTRY_MARKER_RE.match(line)
    body = line[marker.end() :] if marker else line
    return bool(_REFERENCE_LIKE_RE.match(body) or _URL_RE.search(body))


def _opens_reference(line: str) -> bool:
    """A reference-like line, after any list marker or number."""
    marker = _ENTRY_MARKER_RE.match(line)
    return _reference_like(line[marker.end() :] if marker else line)


def _reference_like(line: str) -> bool:
    match = _REFERENCE_LIKE_RE.match(line)
    if not match:
        return False
    author = match.group("author")
    if author is None:  # "Author. 2020. Title."
        return True
    return author.rstrip().endswith(".") or match.group("dot") is not None


def _references(
    text: str, blocks: list[_Block]
) -> tuple[_Block | None, list[tuple[int, int]], list[_Block]]:
    """Find the reference list: (its heading, its entries, the blocks with kinds set).

    Paragraphs a reader marked ``bibliography`` (a reference manager's bibliography field
    in a Word file) are the list, whatever their heading says.
    """
    marked = [i for i, block in enumerate(blocks) if block.kind == "bibliography"]
    if marked:
        return _marked_references(text, blocks, marked[0], marked[-1] + 1)
    heading_index = None
    for index, block in enumerate(blocks):
        if block.kind in {"heading", "body"} and _is_reference_heading(
            text[block.start : block.end]
        ):
            heading_index = index
            blocks[index] = attrs.evolve(block, kind="heading")
    if heading_index is not None:
        stop = heading_index + 1
        while stop < len(blocks):
            block = blocks[stop]
            if block.kind == "footnote" or _is_footer(text, block):
                break
            if block.kind == "heading" and not _citable_line(text[block.start : block.end]):
                break
            stop += 1
        first = heading_index + 1
        heading: _Block | None = blocks[heading_index]
    else:
        first = stop = _trailing_references(text, blocks)
        while first > 0 and blocks[first - 1].kind in {"body", "heading"}:
            candidate = blocks[first - 1]
            if not _opens_reference(text[candidate.start : candidate.end]):
                break
            first -= 1
        heading = None
    entries: list[tuple[int, int]] = []
    for block in blocks[first:stop]:
        entries.extend(_entries(text, block))
    kept = [*blocks[:first], *(_Block(s, e, "reference") for s, e in entries), *blocks[stop:]]
    return heading, entries, kept


def _marked_references(
    text: str, blocks: list[_Block], first: int, stop: int
) -> tuple[_Block | None, list[tuple[int, int]], list[_Block]]:
    """The list a reader marked (blocks ``first`` to ``stop``), under the heading before it."""
    heading: _Block | None = None
    if first > 0 and (
        blocks[first - 1].kind == "heading"
        or _is_reference_heading(text[blocks[first - 1].start : blocks[first - 1].end])
    ):
        heading = blocks[first - 1] = attrs.evolve(blocks[first - 1], kind="heading")
    entries: list[tuple[int, int]] = []
    for block in blocks[first:stop]:
        entries.extend(_entries(text, block))
    kept = [*blocks[:first], *(_Block(s, e, "reference") for s, e in entries), *blocks[stop:]]
    return heading, entries, kept


def _trailing_references(text: str, blocks: list[_Block]) -> int:
    """Index after the last block that could end a headingless list (footers skipped)."""
    stop = len(blocks)
    while stop > 0 and (blocks[stop - 1].kind == "footnote" or _is_footer(text, blocks[stop - 1])):
        stop -= 1
    return stop


def _entries(text: str, block: _Block) -> list[tuple[int, int]]:
    """The entries of one reference-list paragraph: one, or one per line that opens one."""
    lines = _line_spans(text, block.start, block.end)
    starts = [0]
    if len(lines) > 1:
        opens = [
            _ENTRY_MARKER_RE.match(text[s:e]) is not None
            or (
                _reference_like(text[s:e])
                and not _CONTINUATION_RE.match(text, s)
                and text[s - 1] not in " \t"  # an indented line continues the entry
            )
            for s, e in lines
        ]
        if opens[0] and sum(opens) > 1:
            starts = [i for i, flag in enumerate(opens) if flag]
    entries = []
    for number, first in enumerate(starts):
        last = starts[number + 1] - 1 if number + 1 < len(starts) else len(lines) - 1
        start, end = lines[first][0], lines[last][1]
        marker = _ENTRY_MARKER_RE.match(text, start)
        if marker and marker.end() < end:
            start = marker.end()
        entries.append(_trim(text, start, end))
    return entries


# --- quotations ------------------------------------------------------------------------


def _quotations(
    text: str,
    mask: str,
    blocks: list[_Block],
    citations: list[list[Citation]],
    lines: _Lines,
) -> list[Quotation]:
    found: list[Quotation] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "blockquote":
            run_end = index
            while run_end + 1 < len(blocks) and blocks[run_end + 1].kind == "blockquote":
                run_end += 1
            found.extend(_block_quotes(text, blocks, citations, (index, run_end), lines))
            index = run_end + 1
            continue
        if block.kind in {"body", "footnote"}:
            for start, end, open_at, close_at in _inline_quotes(mask, block.start, block.end):
                cited = _cited(mask, citations[index], open_at, close_at)
                if cited is None and len(_WORD_RE.findall(text, start, end)) < 3:
                    continue  # a scare quote: “so-called”
                found.append(Quotation(lines.span(start, end), text[start:end], False, cited))
        index += 1
    return found


def _inline_quotes(mask: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(content start, content end, opening mark, after closing mark) of each quotation."""
    spans: list[tuple[int, int, int, int]] = []
    position = start
    while True:
        match = _QUOTES_RE.search(mask, position, end)
        if not match:
            break
        mark = match.group()
        at = match.start()
        position = at + 1
        if mark == '"' and not _opens(mask, at, start, end):
            continue
        reach = min(end, at + _QUOTE_REACH)
        found = [i for i in (mask.find(c, at + 1, reach) for c in _OPENERS[mark]) if i >= 0]
        close = min(found, default=-1)
        if close < 0:
            continue
        content = _trim(mask, at + 1, close)
        if content[1] > content[0]:
            spans.append((content[0], content[1], at, close + 1))
        position = close + 1
    covered = [(open_at, close_at) for _, _, open_at, close_at in spans]
    position = start
    while True:
        match = _SINGLE_QUOTES_RE.search(mask, position, end)
        if not match:
            break
        at = match.start()
        position = at + 1
        if any(a <= at < b for a, b in covered) or not _opens(mask, at, start, end):
            continue
        reach = min(end, at + _QUOTE_REACH)
        close = _single_close(mask, at, reach, _SINGLE_OPENERS[match.group()])
        if close < 0:
            continue
        content = _trim(mask, at + 1, close)
        if content[1] > content[0]:
            spans.append((content[0], content[1], at, close + 1))
        position = close + 1
    spans.sort()
    return spans


def _opens(mask: str, at: int, start: int, end: int) -> bool:
    """A straight or single mark opens a quotation after a space/bracket, before a word.

    The word may start with a letter, a digit or a currency sign ("4,812 complaints",
    "$40 a month"). A mark right after a digit is an inch mark or a prime (5", 5' 10")
    and is never reached here (a digit is no opening context); an apostrophe before two
    digits is an elided year ("the '90s", "the '24 budget").
    """
    before_ok = at == start or mask[at - 1] in _OPEN_CONTEXT
    if not before_ok or at + 1 >= end:
        return False
    first = mask[at + 1]
    if first.isdigit():
        return mask[at] == '"' or not _ELIDED_YEAR_RE.match(mask, at + 1, end)
    return first.isalpha() or first in "…*_%#" or unicodedata.category(first) == "Sc"


def _single_close(mask: str, at: int, end: int, closer: str) -> int:
    """The closing single mark, or -1.

    Never inside a word ("don’t"); a plural possessive ("members’ rights") is passed over
    when a later candidate exists.
    """
    fallback = -1
    index = mask.find(closer, at + 2, end)
    for _ in range(64):  # marks looked at: a paragraph of apostrophes stays linear
        if index < 0:
            break
        after = mask[index + 1] if index + 1 < end else " "
        if not after.isalnum() and not mask[index - 1].isspace():
            possessive = (
                mask[index - 1] in "sS"
                and index + 2 < end
                and mask[index + 1] == " "
                and mask[index + 2].islower()
            )
            if not possessive:
                return index
            if fallback < 0:
                fallback = index
        index = mask.find(closer, index + 1, end)
    return fallback


def _sentence_break(mask: str, start: int, end: int) -> bool:
    """Whether a sentence ends between start and end (abbreviations are not ends)."""
    for match in _SENTENCE_END_RE.finditer(mask, start, end):
        word = match.group("word").lower().lstrip('([“"‘')
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        return True
    return False


def _cited(mask: str, found: list[Citation], open_at: int, close_at: int) -> Citation | None:
    """The citation of an inline quotation.

    The next citation in its sentence, else a narrative one before it in that sentence.
    """
    # A lone locator right after the quotation ("…" (para. 4)) closes APA's narrative form:
    # the citation is the one before the quotation, not whatever comes next.
    lone = _LONE_LOCATOR_RE.match(mask, close_at) is not None
    for citation in [] if lone else found:
        if citation.span.start >= close_at:
            if citation.span.start - close_at <= 250 and not _sentence_break(
                mask, close_at, citation.span.start
            ):
                return citation
            break
    for citation in reversed(found):
        if citation.span.end <= open_at:
            if (
                citation.form != "parenthetical"
                and not citation.text.startswith("[")
                and open_at - citation.span.end <= 250
                and not _sentence_break(mask, citation.span.end, open_at)
            ):
                return _with_lone_locator(citation, mask, close_at)
            break
    return None


# APA's narrative form gives the locator after the quotation on its own:
# Norov (2020) said that "…" (para. 4).
_LOCATOR_PARENS = (
    r"\(\s*((?:paras?|pp?|sec(?:tion)?|ch(?:ap(?:ter)?)?)\.?\s*\d+(?:\s*[-–]\s*\d+)?)\s*\)"
)
_LONE_LOCATOR_RE = re.compile(rf"[\"”’»']?\s*{_LOCATOR_PARENS}")


# A block quote closed by the locator alone: "… none will. (para. 5)".
_TRAILING_LOCATOR_RE = re.compile(rf"{_LOCATOR_PARENS}[\s.]*\Z")


def _with_lone_locator(citation: Citation, mask: str, close_at: int) -> Citation:
    """A narrative citation with the locator that follows its quotation, if one does."""
    found = _LONE_LOCATOR_RE.match(mask, close_at)
    return citation if found is None else _located(citation, found.group(1))


def _located(citation: Citation, locator: str) -> Citation:
    """A one-work citation given the locator written apart from it (if it has none)."""
    if len(citation.works) != 1 or citation.works[0].locator:
        return citation
    work = attrs.evolve(citation.works[0], locator=" ".join(locator.split()))
    return attrs.evolve(citation, works=(work,))


def _block_quotes(
    text: str,
    blocks: list[_Block],
    citations: list[list[Citation]],
    run: tuple[int, int],
    lines: _Lines,
) -> list[Quotation]:
    """The quotations of a run of block-quote paragraphs, all given the run's citation."""
    first, last = run
    cited: Citation | None = None
    ends = {index: blocks[index].end for index in range(first, last + 1)}
    closing = citations[last][-1] if citations[last] else None
    # "… none will. (para. 5)": the locator of the citation that introduces the quote.
    lone = _TRAILING_LOCATOR_RE.search(text, blocks[last].start, blocks[last].end)
    if closing and _TRAILER_RE.match(text, closing.span.end, blocks[last].end):
        cited = closing
        ends[last] = _trim(text, blocks[last].start, closing.span.start)[1]
    elif lone is not None:
        ends[last] = _trim(text, blocks[last].start, lone.start())[1]
    elif last + 1 < len(blocks) and citations[last + 1]:
        after = blocks[last + 1]
        lead = _LEAD_DASH_RE.match(text, after.start)
        if lead and citations[last + 1][0].span.start == lead.end():
            cited = citations[last + 1][0]
    if cited is None and first > 0 and citations[first - 1]:
        before = blocks[first - 1]
        intro = text[before.start : before.end].rstrip()
        last_cite = citations[first - 1][-1]
        if intro.endswith(":") and not _sentence_break(text, last_cite.span.end, before.end):
            cited = last_cite
    if cited is not None and lone is not None:
        cited = _located(cited, lone.group(1))
    quotes = []
    for index in range(first, last + 1):
        start, end = _trim(text, blocks[index].start, ends[index])
        body = "\n".join(_unmark(text[s:e]) for s, e in _line_spans(text, start, end))
        body = _strip_outer_marks(body.strip())
        if body:
            quotes.append(Quotation(lines.span(start, end), body, True, cited))
    return quotes


def _unmark(line: str) -> str:
    marker = _QUOTE_MARKER_RE.match(line)
    return line[marker.end() :] if marker and ">" in marker.group() else line


def _strip_outer_marks(body: str) -> str:
    """A block quote typed inside quotation marks keeps its words only."""
    pairs = {"“": "”", '"': '"', "«": "»", "„": "“"}
    if len(body) > 2 and body[0] in pairs and body[-1] == pairs[body[0]]:
        inner = body[1:-1]
        if body[0] not in inner:
            return inner.strip()
    return body


__all__ = ["REFERENCE_HEADINGS", "parse_brief"]
