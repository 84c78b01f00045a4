"""Where a finding about a brief points: a span of the brief as a Location."""

from __future__ import annotations

import attrs

from policycite.brief.model import Brief, Span
from policycite.findings import Location


def located(
    brief: Brief, span: Span, *, key: str | None = None, field: str | None = None
) -> Location:
    """The Location of a span of the brief (start line/column, where it ends, its place)."""
    end = brief.span_at(span.end, span.end)
    return Location(
        brief.path,
        span.line,
        span.column,
        key=key,
        field=field,
        end_line=end.line,
        end_column=end.column,
        place=brief.place_at(span.start),
    )


def placed(brief: Brief, location: Location) -> Location:
    """``location`` (a line and column of the brief's text) with the place it lies in.

    For findings made below the rules, from the brief's text alone (copied passages).
    """
    # A brief's paragraphs have places all or none (Word, or text and Markdown).
    unplaced = not brief.paragraphs or brief.paragraphs[0].place is None
    if location.line is None or location.place is not None or unplaced:
        return location
    start = 0
    for _ in range(location.line - 1):
        start = brief.text.find("\n", start) + 1
        if start == 0:
            return location  # past the end of the text
    place = brief.place_at(start + (location.column or 1) - 1)
    return attrs.evolve(location, place=place) if place is not None else location


__all__ = ["located", "placed"]
