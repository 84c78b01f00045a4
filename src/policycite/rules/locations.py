"""Where a finding about a brief points: a span of the brief as a Location."""

from __future__ import annotations

from policycite.brief.model import Brief, Span
from policycite.findings import Location


def located(
    brief: Brief, span: Span, *, key: str | None = None, field: str | None = None
) -> Location:
    """The Location of a span of the brief (start line/column and where it ends)."""
    end = brief.span_at(span.end, span.end)
    return Location(
        brief.path,
        span.line,
        span.column,
        key=key,
        field=field,
        end_line=end.line,
        end_column=end.column,
    )


__all__ = ["located"]
