"""Findings about the rebuilt text, pointed at what the writer finds in the source.

A check's findings count lines in the text :mod:`.document` rebuilt, which the writer
never sees. Each is moved to the innermost citation, quotation or block around it: its
source position when pandoc recorded one (``-f commonmark_x+sourcepos`` gives every
word and mark a ``data-pos``: the finding points at the innermost one around it), else
a place the writer can search for, e.g. ``section “Cost”, paragraph 2, [@mec2024, para.
7]`` (the citation as written) or ``… “will be funded from…”``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from policycite.findings import Finding, Location
from policycite.pandocfilter.document import DocumentBrief, Mark, Positioned

_POSITION = re.compile(r"(?:(?P<file>.*)@)?(?P<l1>\d+):(?P<c1>\d+)-(?P<l2>\d+):(?P<c2>\d+)")
_SPECIFIC = {"cite": 0, "quote": 1, "block": 2}


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start + column - 1


def _mark_at(marks: Iterable[Mark], offset: int) -> Mark | None:
    around = [m for m in marks if m.start <= offset < max(m.end, m.start + 1)]
    if not around:
        return None
    return min(around, key=lambda m: (_SPECIFIC[m.kind], m.end - m.start))


def _innermost(positioned: Iterable[Positioned], offset: int) -> Positioned | None:
    around = [p for p in positioned if p.start <= offset < p.end]
    return min(around, key=lambda p: p.end - p.start) if around else None


def _source_position(
    document: DocumentBrief, start: int, end: int | None
) -> tuple[re.Match[str], re.Match[str]] | None:
    """Where the rebuilt text's ``start:end`` was in the source, from the reader's spans."""
    first = _innermost(document.positioned, start)
    if first is None:
        return None
    last = _innermost(document.positioned, end - 1) if end is not None and end > start else None
    begin = _POSITION.fullmatch(first.position)
    finish = _POSITION.fullmatch((last or first).position)
    if begin is None or finish is None:
        return None
    return begin, finish


def _location(
    mark: Mark, location: Location, source: tuple[re.Match[str], re.Match[str]] | None
) -> Location:
    if source is None and mark.position:
        found = _POSITION.fullmatch(mark.position)
        source = (found, found) if found is not None else None
    if source is not None:
        begin, finish = source
        return Location(
            begin.group("file") or None,
            int(begin.group("l1")),
            int(begin.group("c1")),
            key=location.key,
            field=location.field,
            end_line=int(finish.group("l2")),
            end_column=int(finish.group("c2")),
        )
    place = f"{mark.where}, {mark.text}" if mark.text else mark.where
    return Location(key=location.key, field=location.field, place=place)


def relocate(findings: Iterable[Finding], document: DocumentBrief) -> list[Finding]:
    """The findings with those about the rebuilt text pointed at the source."""
    brief = document.brief
    out = []
    for finding in findings:
        loc = finding.location
        if loc.path != brief.path:
            out.append(finding)
            continue
        mark = source = None
        if loc.line is not None:
            start = _offset(brief.text, loc.line, loc.column or 1)
            end = None
            if loc.end_line is not None:
                end = _offset(brief.text, loc.end_line, loc.end_column or 1)
            mark = _mark_at(document.marks, start)
            source = _source_position(document, start, end)
        if mark is None:
            where = Location(key=loc.key, field=loc.field, place="the document")
        else:
            where = _location(mark, loc, source)
        out.append(attrs.evolve(finding, location=where))
    return out


__all__ = ["relocate"]
