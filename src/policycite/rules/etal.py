"""Rules on "et al." in author–date citations (APA 7, 8.17 and 8.18).

For a work by one or two authors APA names them in every citation, "(Brandt, 2024)",
"(Brandt & Lind, 2024)"; for three or more it gives the first author and "et al." from
the first citation, "(Lind et al., 2021)". The number of authors is the reference
entry's the citation resolves to. One exception (8.18): when two works of the same
year would both shorten to "Lind et al.", the citations write as many names as tell
them apart, "(Lind, Okafor, et al., 2021)", and that is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from policycite.findings import Finding
from policycite.rules.context import Context, Resolved, fold, reference_year
from policycite.rules.locations import located

Rule = Callable[[Context], list[Finding]]

_ET_AL = re.compile(r"[\s,]*\bet\s+al\b\.?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:&|and\b)?|&|\band\b)\s*")
_WRITTEN = frozenset({"parenthetical", "narrative"})


def _written_names(authors: str) -> list[str]:
    """The names a citation's author part writes out, "et al." left aside."""
    return [n for n in _SEPARATOR.split(_ET_AL.sub("", authors)) if n.strip()]


def _families(ctx: Context, resolved: Resolved) -> tuple[int, list[str]] | None:
    """The entry a written citation resolves to, and its authors' family names.

    None when the citation is not written by the author (pandoc, notes), resolves to
    no entry or to several sources, or when the entry's first author is a group.
    """
    if resolved.citation.form not in _WRITTEN or resolved.work.key is not None:
        return None
    refs = resolved.references
    if not refs:
        return None
    keys = {m.key if m is not None else None for m in (ctx.matches[i] for i in refs)}
    if len(refs) > 1 and (len(keys) != 1 or None in keys):
        return None  # ambiguous: PC210 says so
    authors = ctx.parsed[refs[0]].authors
    if not authors or any(a.family is None for a in authors):
        return None
    return refs[0], [a.family or "" for a in authors]


def _shared_short_form(ctx: Context, index: int, families: list[str]) -> bool:
    """Whether another work of the list shortens to the same "First et al., year"."""
    year = reference_year(ctx.parsed[index])
    first = fold(families[0])
    match = ctx.matches[index]
    for j, ref in enumerate(ctx.parsed):
        other = ctx.matches[j]
        if j == index or (match is not None and other is not None and other.key == match.key):
            continue
        if len(ref.authors) < 3 or not ref.authors[0].family:
            continue
        if fold(ref.authors[0].family) == first and reference_year(ref) == year:
            return True
    return False


def _cited(resolved: Resolved, names: str) -> str:
    """A citation of the work with ``names`` as its author part, in its form."""
    year = resolved.work.year or "n.d."
    locator = f", {resolved.work.locator}" if resolved.work.locator else ""
    if resolved.citation.form == "narrative":
        return f"{names} ({year}{locator})"
    return f"({names}, {year}{locator})"


def _finding(ctx: Context, code: str, resolved: Resolved, message: str, names: str) -> Finding:
    key = resolved.source.key if resolved.source is not None else None
    return Finding(
        code,
        message,
        location=located(ctx.brief, resolved.citation.span, key=key),
        hint=f"write {_cited(resolved, names)}",
    )


def et_al_expected(ctx: Context) -> list[Finding]:
    """PC227: the names of a work by three or more authors written out."""
    out = []
    seen: set[tuple[int, str]] = set()
    for resolved in ctx.resolved:
        found = _families(ctx, resolved)
        authors = resolved.work.authors
        written = _written_names(authors)
        if found is None or len(found[1]) < 3:
            continue
        index, families = found
        et_al = _ET_AL.search(authors) is not None
        if len(written) < (2 if et_al else 3) or _shared_short_form(ctx, index, families):
            continue
        if (resolved.citation.span.start, authors) in seen:
            continue  # "(Lind, Okafor, & Valk, 2021, 2022)": one finding
        seen.add((resolved.citation.span.start, authors))
        out.append(
            _finding(
                ctx,
                "PC227",
                resolved,
                f"\u201c{authors}\u201d: APA cites a work by {len(families)} authors by its "
                "first author and \u201cet al.\u201d",
                f"{families[0]} et al.",
            )
        )
    return out


def et_al_misused(ctx: Context) -> list[Finding]:
    """PC228: "et al." for a work by one or two authors."""
    out = []
    for resolved in ctx.resolved:
        found = _families(ctx, resolved)
        authors = resolved.work.authors
        if found is None or len(found[1]) > 2 or not _ET_AL.search(authors):
            continue
        _, families = found
        joiner = " and " if resolved.citation.form == "narrative" else " & "
        count = "one author" if len(families) == 1 else "two authors"
        out.append(
            _finding(
                ctx,
                "PC228",
                resolved,
                f"\u201c{authors}\u201d: the work has {count}, and APA uses \u201cet al.\u201d "
                "only for three or more",
                joiner.join(families),
            )
        )
    return out


RULES: tuple[Rule, ...] = (et_al_expected, et_al_misused)

__all__ = ["RULES"]
