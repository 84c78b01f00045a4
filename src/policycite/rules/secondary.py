"""Secondary-source citations: a primary source cited "as cited in" has no entry.

APA 7, 8.6: a writer who read Rabbitt's (1982) work only in Kask (2024) cites "(Rabbitt,
1982, as cited in Kask, 2024)" and lists only Kask. The citation rules already ask no
entry for the primary work (PC201 passes it over); this module reports the entry the
writer gave it all the same (PC221), unless the brief also cites that work directly.
"""

from __future__ import annotations

from policycite.brief.refparse import ParsedReference
from policycite.findings import Finding
from policycite.rules.context import Context, Resolved


def _cited(resolved: Resolved) -> str:
    """The work as a narrative citation names it: "Kask (2024)"."""
    work = resolved.work
    return f"{work.authors} ({work.year})" if work.year else work.authors


def _secondary_of(ctx: Context, primary: Resolved) -> str | None:
    """The work a primary one is quoted in: the first secondary work from its citation on.

    It is in the same citation ("(Rabbitt, 1982, as cited in Kask, 2024)") or in one later
    in the sentence ("Rabbitt (1982) … (as cited in Kask, 2024)").
    """
    start = primary.citation.span.start
    return next(
        (
            _cited(r)
            for r in ctx.resolved
            if r.work.role == "secondary" and r.citation.span.start >= start
        ),
        None,
    )


def _named(ref: ParsedReference) -> str:
    first = ref.authors[0].shown if ref.authors else (ref.title or "")
    year = f"{ref.year}{ref.year_suffix or ''}" if ref.year else "n.d."
    return f"{first.split(',')[0]} ({year})"


def primary_source_listed(ctx: Context) -> list[Finding]:
    """PC221: an entry every citation of which names it as a primary ("as cited in") work."""
    through: dict[int, Resolved] = {}
    direct: set[int] = set()
    for resolved in ctx.resolved:
        for index in resolved.references:
            if resolved.through:
                through.setdefault(index, resolved)
            else:
                direct.add(index)
    out = []
    for index, resolved in sorted(through.items()):
        if index in direct:
            continue  # cited directly elsewhere: the entry is needed
        entry = ctx.entries[index]
        secondary = _secondary_of(ctx, resolved) or "the secondary source"
        out.append(
            Finding(
                "PC221",
                f"reference {entry.number}, {_named(ctx.parsed[index])}, is cited only "
                f"\u201cas cited in\u201d {secondary}: APA lists only the secondary source",
                hint=f"delete reference {entry.number}; or, if you read "
                f"{_cited(resolved)} yourself, cite it directly without \u201cas cited in\u201d",
                location=ctx.entry_location(index),
            )
        )
    return out


RULES = (primary_source_listed,)

__all__ = ["RULES"]
