"""Rules on group-author abbreviations in citations (APA 7, 8.21 and 6.25).

APA Style ("Group author abbreviations", apastyle.apa.org): give the group's full name on
first mention with the abbreviation, "(World Health Organization [WHO], 2020)" or
"World Health Organization (WHO, 2020)", then the abbreviation alone, "(WHO, 2020)";
"if several references have the same group author, introduce the abbreviation only
once in the text". Not flagged: an abbreviation defined and used fewer than three times
(APA allows a well-known one), and a group always spelled out.
"""

from __future__ import annotations

from collections.abc import Callable

from policycite.findings import Finding
from policycite.rules.context import Context, Resolved, fold
from policycite.rules.groups import Definition, Group, is_abbreviation
from policycite.rules.locations import located

Rule = Callable[[Context], list[Finding]]

#: Citation forms written by the author (pandoc keys and notes are rendered, not written).
_WRITTEN = frozenset({"parenthetical", "narrative"})


def _group_of(ctx: Context, resolved: Resolved) -> Group | None:
    """The group author of the one entry (or one record) a citation resolves to."""
    if not resolved.references or resolved.citation.form not in _WRITTEN:
        return None
    found = {ctx.groups[i] for i in resolved.references}
    return found.pop() if len(found) == 1 else None


def _first_form(group: Group, abbreviation: str, resolved: Resolved) -> str:
    """How APA writes the first citation of the group, in this citation's form."""
    year = resolved.work.year or "n.d."
    if resolved.citation.form == "narrative":
        return f"{group.name} ({abbreviation}, {year})"
    return f"({group.name} [{abbreviation}], {year})"


def _as_cited(authors: str, resolved: Resolved) -> str:
    """The work as this citation's form writes it: "(WHO, 2020)" or "WHO (2020)"."""
    year = resolved.work.year or "n.d."
    if resolved.citation.form == "narrative":
        return f"{authors} ({year})"
    return f"({authors}, {year})"


def abbreviation_before_definition(ctx: Context) -> list[Finding]:
    """PC225: a group cited by its abbreviation before the brief gives its full name."""
    out = []
    reported: set[tuple[str, str]] = set()
    for resolved in ctx.resolved:
        group = _group_of(ctx, resolved)
        written = resolved.work.authors
        if group is None or not is_abbreviation(written) or fold(written) == fold(group.name):
            continue
        seen = (group.name, fold(written))
        if seen in reported:
            continue  # the first use says it; later uses follow from it
        reported.add(seen)
        defined = [d for d in group.definitions if fold(d.abbreviation) == fold(written)]
        if defined and defined[0].start < resolved.citation.span.end:
            continue
        where = f"; it comes later, at {_place(ctx, defined[0])}" if defined else ""
        key = resolved.source.key if resolved.source is not None else None
        out.append(
            Finding(
                "PC225",
                f"{_as_cited(written, resolved)} uses the abbreviation before the group's "
                f"full name is given{where}",
                location=located(ctx.brief, resolved.citation.span, key=key),
                hint=f"give the full name at its first citation: "
                f"{_first_form(group, written, resolved)}",
            )
        )
    return out


def _place(ctx: Context, definition: Definition) -> str:
    """Where a definition is, as a reader finds it: "line 3", or a Word brief's place."""
    place = ctx.brief.place_at(definition.start)
    return place or f"line {ctx.brief.span_at(definition.start, definition.end).line}"


def _abbreviated(ctx: Context, definition: Definition) -> str:
    """The definition's citation with the abbreviation alone, or the abbreviation."""
    abbreviation = definition.abbreviation
    for citation in ctx.brief.citations:
        if citation.span.start <= definition.start < citation.span.end and citation.works:
            year = citation.works[0].year or "n.d."
            if citation.form == "narrative":
                return f"{abbreviation} ({year})"
            if len(citation.works) == 1:
                return f"({abbreviation}, {year})"
    return f"\u201c{abbreviation}\u201d alone"


def abbreviation_redefined(ctx: Context) -> list[Finding]:
    """PC226: a group's abbreviation defined again after its first definition."""
    out = []
    done: set[str] = set()
    for group in ctx.groups:
        if group is None or group.name in done:
            continue
        done.add(group.name)
        first: dict[str, Definition] = {}
        for definition in group.definitions:
            if definition.in_abstract:
                continue  # APA defines it in the abstract and again in the text (6.25)
            folded = fold(definition.abbreviation)
            if folded not in first:
                first[folded] = definition
                continue
            span = ctx.brief.span_at(definition.start, definition.end)
            out.append(
                Finding(
                    "PC226",
                    f"{group.name} ({definition.abbreviation}) is defined again; it was "
                    f"defined at {_place(ctx, first[folded])}",
                    location=located(ctx.brief, span),
                    hint=f"introduce the abbreviation once, then write "
                    f"{_abbreviated(ctx, definition)}",
                )
            )
    return out


RULES: tuple[Rule, ...] = (abbreviation_before_definition, abbreviation_redefined)

__all__ = ["RULES"]
