"""Findings about the rebuilt text, pointed at what the writer finds in the source.

A check's findings count lines in the text :mod:`.document` rebuilt, which the writer
never sees. Each is moved to the innermost citation, quotation or block around it: its
source position when pandoc recorded one (``commonmark_x+sourcepos`` gives ``data-pos``
in pandoc 3), else a place the writer can search for, e.g. ``section “Cost”, paragraph
2, [@mec2024, para. 7]`` (the citation as written) or ``… “will be funded from…”``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from policycite.findings import Finding, Location
from policycite.pandocfilter.document import DocumentBrief, Mark

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


def _location(mark: Mark, location: Location) -> Location:
    found = _POSITION.fullmatch(mark.position) if mark.position else None
    if found is not None:
        return Location(
            found.group("file") or None,
            int(found.group("l1")),
            int(found.group("c1")),
            key=location.key,
            field=location.field,
            end_line=int(found.group("l2")),
            end_column=int(found.group("c2")),
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
        mark = None
        if loc.line is not None:
            mark = _mark_at(document.marks, _offset(brief.text, loc.line, loc.column or 1))
        if mark is None:
            where = Location(key=loc.key, field=loc.field, place="the document")
        else:
            where = _location(mark, loc)
        out.append(attrs.evolve(finding, location=where))
    return out


__all__ = ["relocate"]
