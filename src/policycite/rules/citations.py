"""Rules on in-text citations against the reference list.

Every citation has its reference, every reference is cited, authors and years agree, no
citation fits two references.
"""

from __future__ import annotations

from collections.abc import Callable

from policycite.findings import Finding
from policycite.rules.context import Context, Resolved, reference_year
from policycite.rules.locations import located

Rule = Callable[[Context], list[Finding]]


def _label(resolved: Resolved) -> str:
    work = resolved.work
    if work.key is not None:
        return f"@{work.key}"
    return ", ".join(p for p in (work.authors, work.year) if p)


def _at(ctx: Context, resolved: Resolved) -> dict[str, object]:
    key = resolved.source.key if resolved.source is not None else None
    return {"location": located(ctx.brief, resolved.citation.span, key=key)}


def citation_without_reference(ctx: Context) -> list[Finding]:
    """PC201: a cited work with no entry in the reference list (and no other year of it)."""
    out = []
    for resolved in ctx.resolved:
        if resolved.references or resolved.same_author or resolved.through:
            continue  # a work quoted "as cited in" another has no entry of its own
        if resolved.citation.form == "note":
            continue  # in the notes style the note itself gives the work
        if resolved.work.key is not None and resolved.source is not None and not ctx.entries:
            continue  # pandoc renders the list itself from the key
        if resolved.work.key is not None and resolved.source is None:
            message = f"@{resolved.work.key} is neither in the reference list nor in the library"
        else:
            message = f"({_label(resolved)}) has no entry in the reference list"
        out.append(
            Finding(
                "PC201",
                message,
                hint="add the reference, or correct the citation",
                **_at(ctx, resolved),  # type: ignore[arg-type]
            )
        )
    return out


def reference_not_cited(ctx: Context) -> list[Finding]:
    """PC202: an entry of the reference list no citation resolves to."""
    cited = ctx.cited_entries()
    out = []
    for i, entry in enumerate(ctx.entries):
        if i in cited:
            continue
        out.append(
            Finding(
                "PC202",
                f"reference {entry.number} is not cited in the text",
                hint="cite it where it is used, or remove it",
                location=ctx.entry_location(i),
            )
        )
    return out


def author_year_mismatch(ctx: Context) -> list[Finding]:
    """PC209: the author is in the list, but with another year."""
    out = []
    for resolved in ctx.resolved:
        if resolved.references or not resolved.same_author or resolved.through:
            continue
        years = sorted({reference_year(ctx.parsed[i]) for i in resolved.same_author})
        out.append(
            Finding(
                "PC209",
                f"({_label(resolved)}): the reference list has this author with "
                + " and ".join(years),
                hint=f"cite ({resolved.work.authors}, {years[0]})" if len(years) == 1 else None,
                **_at(ctx, resolved),  # type: ignore[arg-type]
            )
        )
    return out


def ambiguous(ctx: Context) -> list[Resolved]:
    """The author-date citations that fit several references naming different sources.

    Two entries that match one record are one source listed twice (PC214), not an
    ambiguity: the citation names that source.
    """
    out = []
    for resolved in ctx.resolved:
        if len(resolved.references) < 2 or resolved.work.key is not None:
            continue
        matches = [ctx.matches[i] for i in resolved.references]
        if all(m is not None for m in matches) and len({m.key for m in matches if m}) == 1:
            continue
        out.append(resolved)
    return out


def ambiguous_citation(ctx: Context) -> list[Finding]:
    """PC210: a citation that fits several references (same author, same year label)."""
    out = []
    for resolved in ambiguous(ctx):
        numbers = ", ".join(str(ctx.entries[i].number) for i in resolved.references)
        year = resolved.work.year or ""
        out.append(
            Finding(
                "PC210",
                f"({_label(resolved)}) fits references {numbers}",
                hint=f"give the references and citations year suffixes: {year}a, {year}b",
                **_at(ctx, resolved),  # type: ignore[arg-type]
            )
        )
    return out


RULES: tuple[Rule, ...] = (
    citation_without_reference,
    author_year_mismatch,
    ambiguous_citation,
    reference_not_cited,
)

__all__ = ["RULES", "ambiguous"]
