"""Inline suppressions: a brief's ``policycite: ignore`` comments and the lines they cover.

In Markdown and HTML the directive is a comment; in Word, a comment (Review > New
Comment) whose text is the directive::

    <!-- policycite: ignore PC216 -->              the paragraph it stands in or before
    <!-- policycite: ignore PC216, PC202 -->       several rules (codes, PC2, names, ALL)
    <!-- policycite: ignore -->                    every rule
    <!-- policycite: ignore-file PC216 -->         the whole brief

Scope of ``ignore``: a comment on a line of its own (in HTML: between two elements)
covers the paragraph that follows it: a paragraph, heading, block quote or one entry of
the reference list. A comment inside a paragraph's text covers that paragraph. In Word,
the comment covers the paragraphs its commented range runs over. ``ignore-file`` covers
every finding of the check, wherever it stands.

A directive naming an unknown rule, or an unknown directive (``policycite: ignroe``), is
an :class:`~policycite.errors.InputError` naming the file and line: a typo must not
silently leave a finding reported, or suppress another. The findings a directive covers
are not dropped: the check reports them as suppressed and counts them.

Word packages are parsed here with :func:`policycite.safeparse.xml_parser` (no DTDs,
entities or network access).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml import etree

from policycite.brief.model import Paragraph, Suppression
from policycite.errors import InputError
from policycite.safeparse import xml_parser
from policycite.selection import check_selector, codes_of, split

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(r"\s*policycite\s*:\s*(?P<verb>[\w-]*)(?P<rules>.*)", re.DOTALL)
_VERBS = ("ignore", "ignore-file")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = f"{{{_W}}}p"
_WT = f"{{{_W}}}t"
_WID = f"{{{_W}}}id"
_WCOMMENT = f"{{{_W}}}comment"
_RANGE_START = f"{{{_W}}}commentRangeStart"
_RANGE_END = f"{{{_W}}}commentRangeEnd"
_REFERENCE = f"{{{_W}}}commentReference"


def directive(text: str, *, source: str, line: int | None) -> tuple[str, frozenset[str]] | None:
    """The verb and codes of a comment's text, None when it is no policycite directive."""
    found = _DIRECTIVE.match(text)
    if found is None:
        return None
    verb = found.group("verb").lower()
    if verb not in _VERBS:
        raise InputError(
            f"unknown directive 'policycite: {verb}'; use 'policycite: ignore CODES' or "
            "'policycite: ignore-file CODES'",
            source=source,
            line=line,
        )
    codes: set[str] = set()
    for selector in split([found.group("rules")]):
        codes |= codes_of(check_selector(selector, source=source, line=line))
    return verb, frozenset(codes)


def _line_ranges(text: str, paragraphs: Sequence[Paragraph]) -> list[tuple[int, int]]:
    return [
        (p.span.line, p.span.line + text.count("\n", p.span.start, p.span.end)) for p in paragraphs
    ]


def _covering(ranges: Sequence[tuple[int, int]], line: int) -> tuple[int, int]:
    """The first and last line of the paragraph holding ``line`` (the line alone if none)."""
    return next(((a, b) for a, b in ranges if a <= line <= b), (line, line))


def in_markdown(text: str, paragraphs: Sequence[Paragraph], path: str) -> tuple[Suppression, ...]:
    """The suppressions of a Markdown brief's ``<!-- policycite: … -->`` comments."""
    if "policycite" not in text:
        return ()
    ranges = _line_ranges(text, paragraphs)
    lines = text.split("\n")
    out = []
    for comment in _COMMENT.finditer(text):
        line = text.count("\n", 0, comment.start()) + 1
        parsed = directive(comment.group(1), source=path, line=line)
        if parsed is None:
            continue
        verb, codes = parsed
        if verb == "ignore-file":
            out.append(Suppression(codes, line=line))
            continue
        last = line + comment.group().count("\n")
        before = text[text.rfind("\n", 0, comment.start()) + 1 : comment.start()]
        target = line
        if not before.strip() and not _rest_of_line(text, comment.end()).strip():
            # On a line of its own: the paragraph that follows (the next line with text).
            target = next((n for n in range(last + 1, len(lines) + 1) if lines[n - 1].strip()), 0)
            if not target:
                continue
        first, end = _covering(ranges, target)
        out.append(Suppression(codes, first, end, line))
    return tuple(out)


def _rest_of_line(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset : len(text) if end < 0 else end]


def chunk_lines(text: str) -> list[tuple[int, int]]:
    """First and last line of each paragraph of text extracted from HTML or Word.

    Extracted paragraphs are joined by one blank line and hold none, so the n-th chunk
    between blank lines is the n-th paragraph the reader kept.
    """
    ranges = []
    line = 1
    for chunk in text.split("\n\n"):
        last = line + chunk.count("\n")
        ranges.append((line, last))
        line = last + 2
    return ranges


def in_extracted(
    text: str, comments: Iterable[tuple[int, str, int | None]], path: str
) -> tuple[Suppression, ...]:
    """The suppressions of comments found while extracting HTML.

    Each comment is (the index of the paragraph it covers, its text, its line in the
    file); an index past the last paragraph covers nothing.
    """
    ranges = chunk_lines(text)
    out = []
    for index, body, line in comments:
        parsed = directive(body, source=path, line=line)
        if parsed is None:
            continue
        verb, codes = parsed
        if verb == "ignore" and index < len(ranges):  # ignore-file: see in_html
            first, last = ranges[index]
            out.append(Suppression(codes, first, last, first))
    return tuple(out)


def in_html(text: str, path: str) -> tuple[Suppression, ...]:
    """The ``ignore-file`` directives of an HTML file, wherever their comment stands."""
    out = []
    for comment in _COMMENT.finditer(text):
        line = text.count("\n", 0, comment.start()) + 1
        parsed = directive(comment.group(1), source=path, line=line)
        if parsed is not None and parsed[0] == "ignore-file":
            out.append(Suppression(parsed[1], line=line))
    return tuple(out)


def in_word(
    document: bytes,
    comments: bytes | None,
    chunks: Sequence[int | None],
    text: str,
    path: str,
) -> tuple[Suppression, ...]:
    """The suppressions of a Word file's comments whose text is a policycite directive.

    ``document`` and ``comments`` are word/document.xml and word/comments.xml;
    ``chunks`` maps the n-th w:p of the document (in document order) to the paragraph of
    the extracted ``text`` it became, None for an empty one.
    """
    if comments is None:
        return ()
    try:
        notes = etree.fromstring(comments, parser=xml_parser())
        body = etree.fromstring(document, parser=xml_parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"the Word comments cannot be parsed: {err}", source=path) from None
    wanted = {}
    for note in notes.iter(_WCOMMENT):
        body_text = "\n".join("".join(t.text or "" for t in p.iter(_WT)) for p in note.iter(_WP))
        if "policycite" in body_text:
            wanted[note.get(_WID)] = body_text
    if not wanted:
        return ()
    spans = _comment_paragraphs(body, set(wanted))
    ranges = chunk_lines(text)
    out = []
    for ident, body_text in wanted.items():
        first_p, last_p = spans.get(ident, (0, -1))
        lines = [
            ranges[chunk]
            for chunk in chunks[first_p : last_p + 1]
            if chunk is not None and chunk < len(ranges)
        ]
        where = lines[0][0] if lines else None
        parsed = directive(body_text, source=path, line=where)
        if parsed is None:
            continue
        verb, codes = parsed
        if verb == "ignore-file":
            out.append(Suppression(codes, line=where))
        elif lines:
            out.append(Suppression(codes, lines[0][0], lines[-1][1], where))
    return tuple(out)


def _comment_paragraphs(body: etree._Element, ids: set[str | None]) -> dict[str | None, list[int]]:
    """Comment id -> [first, last] index of the w:p elements its range runs over.

    A range mark inside a paragraph belongs to it; a start between paragraphs belongs to
    the next one, an end between paragraphs to the one before. A comment with no range,
    only a reference mark, covers the paragraph of the mark.
    """
    spans: dict[str | None, list[int]] = {}
    index = -1
    paragraphs: dict[etree._Element, int] = {}
    for element in body.iter(_WP, _RANGE_START, _RANGE_END, _REFERENCE):
        if element.tag == _WP:
            index += 1
            paragraphs[element] = index
            continue
        ident = element.get(_WID)
        if ident not in ids:
            continue
        parent = next((a for a in element.iterancestors(_WP)), None)
        inside = paragraphs.get(parent) if parent is not None else None
        if element.tag == _RANGE_START:
            spans[ident] = [index + 1 if inside is None else inside] * 2
        elif element.tag == _RANGE_END and ident in spans:
            spans[ident][1] = max(spans[ident][0], index if inside is None else inside)
        elif element.tag == _REFERENCE and ident not in spans and inside is not None:
            spans[ident] = [inside, inside]
    return spans


__all__ = ["chunk_lines", "directive", "in_extracted", "in_html", "in_markdown", "in_word"]
