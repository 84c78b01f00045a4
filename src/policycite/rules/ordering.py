"""Order: of the works inside one citation (PC223), and which entries a list misplaces.

APA 7, 8.12: the works of one parenthetical citation stand in the order of the reference
list, alphabetical by first author; one author's works undated first, then by year, the
letters in order ("(Department of Veterans Affairs, n.d., 2017a, 2017b, 2019)"). A phrase
such as "see also" opens a second group, alphabetical in itself: "(Sampson & Hughes,
2020; see also Augustine, 2017; Melara et al., 2018)". Several narrative citations in a
sentence may stand in any order, so only the years inside one are checked.

:func:`misplaced` finds the entries of a list that are out of place: those outside one
longest run already in order, so that one entry moved is one entry reported, not every
entry after it (PC215 uses it).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from policycite.brief.model import Citation, CitedWork
from policycite.findings import Finding
from policycite.rules.context import Context, Resolved, cited_names, fold
from policycite.rules.locations import located

Rule = Callable[[Context], list[Finding]]

_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_YEAR = re.compile(r"(?P<year>\d{4})(?P<suffix>[a-z]?)|n\.\s?d\.(?:-(?P<nd>[a-z]))?")


def misplaced(keys: Sequence[Any]) -> set[int]:
    """Indices outside a longest non-decreasing run of ``keys``; earlier entries are kept.

    Of several longest runs the one keeping the earliest indices is taken: in "B, A" it
    is A that is out of place, as a reader going down the list sees it.
    """
    ranks = {key: rank for rank, key in enumerate(sorted(set(keys)))}
    values = [ranks[k] for k in keys]
    # longest[i]: the longest non-decreasing run starting at i (patience sorting on the
    # reversed list, where it is a non-increasing run ending at i).
    longest = [0] * len(values)
    tails: list[int] = []
    for i in range(len(values) - 1, -1, -1):
        negated = -values[i]
        at = bisect.bisect_right(tails, negated)
        if at == len(tails):
            tails.append(negated)
        else:
            tails[at] = negated
        longest[i] = at + 1
    need = len(tails)
    last = -1
    kept: set[int] = set()
    for i, value in enumerate(values):
        if need and longest[i] == need and value >= last:
            kept.add(i)
            last = value
            need -= 1
    return set(range(len(values))) - kept


def _name(text: str) -> str:
    return fold(_ARTICLE.sub("", text.strip()))


def _year_key(year: str | None) -> tuple[int, int, str]:
    """n.d. first (by letter), then years in order (by letter)."""
    found = _YEAR.fullmatch(year or "")
    if found is None or found.group("year") is None:
        return (0, 0, found.group("nd") or "" if found else "")
    return (1, int(found.group("year")), found.group("suffix"))


def _work_name(ctx: Context, resolved: Resolved) -> str:
    """The first author's name as the reference list sorts it, else as the citation writes it."""
    names = set()
    for index in resolved.references:
        ref = ctx.parsed[index]
        if ref.authors:
            first = ref.authors[0]
            names.add(_name(first.literal or first.family or first.abbreviation or ""))
        else:
            names.add(_name(ref.title or ""))
    if len(names) == 1 and "" not in names:
        return names.pop()
    found = cited_names(_ARTICLE.sub("", resolved.work.authors.strip()))
    return found[-1] if found else ""


def _groups(works: Sequence[CitedWork]) -> list[list[int]]:
    """Indices of the works, cut where a later work opens with a phrase ("see also")."""
    groups: list[list[int]] = []
    for index, work in enumerate(works):
        if not groups or work.prefix:
            groups.append([])
        groups[-1].append(index)
    return groups


def _out_of_order(a: tuple[str, str, str | None], b: tuple[str, str, str | None]) -> str | None:
    """Why work b may not follow work a (name, authors as written, year), or None."""
    if a[0] != b[0]:
        return f"{b[1]} comes before {a[1]}" if b[0] < a[0] else None
    if fold(a[1]) == fold(b[1]) and _year_key(b[2]) < _year_key(a[2]):
        return f"{b[2]} comes before {a[2]}"
    return None  # the same first author, the others unknown here: no opinion


def _ordered(group: list[int], keys: list[tuple[str, str, str | None]]) -> list[int]:
    """The group in APA order: by first author; one author's works by year."""
    order = sorted(group, key=lambda i: keys[i][0])
    slots: dict[str, list[int]] = {}
    for position, i in enumerate(order):
        slots.setdefault(fold(keys[i][1]), []).append(position)
    result = list(order)
    for positions in slots.values():
        members = sorted((order[p] for p in positions), key=lambda i: _year_key(keys[i][2]))
        for position, i in zip(positions, members, strict=True):
            result[position] = i
    return result


def _written(works: Sequence[CitedWork], group: list[int], prefix: str | None) -> str:
    """A group of works as APA writes them: "see also Alpha, 2017, 2019; Zeta, 2020"."""
    parts: list[str] = []
    previous: CitedWork | None = None
    for i in group:
        work = works[i]
        tail = ", ".join(p for p in (work.year, work.locator) if p)
        same = previous is not None and previous.authors == work.authors
        if same and previous is not None and previous.locator is None and parts:
            parts[-1] += f", {tail}"
        else:
            parts.append(", ".join(p for p in (work.authors, tail) if p))
        previous = work
    text = "; ".join(parts)
    return f"{prefix} {text}" if prefix else text


def _suggestion(citation: Citation, groups: list[list[int]], ordered: list[list[int]]) -> str:
    """The citation written with each group in order (a group keeps its opening phrase)."""
    works = citation.works
    if citation.form == "narrative":
        (group,) = ordered
        years = ", ".join(w for w in (works[i].year for i in group) if w)
        locator = works[group[-1]].locator or works[-1].locator
        head = citation.text[: citation.text.rfind("(")]
        return f"{head}({years}{', ' + locator if locator else ''})"
    written = [
        _written(works, g, works[first[0]].prefix) for g, first in zip(ordered, groups, strict=True)
    ]
    return "(" + "; ".join(written) + ")"


def citation_order(ctx: Context) -> list[Finding]:
    """PC223: the works of one APA citation out of the reference list's order."""
    by_citation: dict[int, list[Resolved]] = {}
    for resolved in ctx.resolved:
        by_citation.setdefault(resolved.citation.span.start, []).append(resolved)
    out = []
    for citation in ctx.brief.citations:
        works = citation.works
        if citation.form not in {"parenthetical", "narrative"} or len(works) < 2:
            continue  # pandoc and LaTeX citations are ordered by the processor
        if any(w.role for w in works):
            continue  # "as cited in" orders primary before secondary
        cited = by_citation.get(citation.span.start, [])
        if len(cited) != len(works):
            continue
        keys = [(_work_name(ctx, r), r.work.authors, r.work.year) for r in cited]
        groups = _groups(works)
        if citation.form == "narrative":
            groups = [list(range(len(works)))]
        reasons = [
            why
            for group in groups
            for a, b in itertools.pairwise(group)
            if (why := _out_of_order(keys[a], keys[b])) is not None
        ]
        if not reasons:
            continue
        ordered = [_ordered(g, keys) for g in groups]
        out.append(
            Finding(
                "PC223",
                f"the works of {citation.text} are not in APA order: {reasons[0]}",
                hint=f"write {_suggestion(citation, groups, ordered)}",
                location=located(ctx.brief, citation.span),
            )
        )
    return out


RULES: tuple[Rule, ...] = (citation_order,)

__all__ = ["RULES", "misplaced"]
