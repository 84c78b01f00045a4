"""Group-author abbreviations over a document's citations (APA 7, Manual 8.21).

A group author with a well-known abbreviation is written in full on its first mention,
with the abbreviation, and abbreviated after that; the reference list never abbreviates:

* first, parenthetical: "(World Health Organization [WHO], 2020)";
* first, narrative: "World Health Organization (WHO, 2020)";
* later: "(WHO, 2020)", "WHO (2020)".

The abbreviation is introduced once per group, whichever of its works is cited first.
Two groups with the same abbreviation (both "APA") are spelt out every time. This module
only decides, per cite, how each group name prints; the rendering is
:mod:`.fixes.intext`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from policycite.model import Cluster, Source


@attrs.frozen
class CiteNames:
    """How one cite prints its group authors.

    ``names`` maps an organisation's full name to what the cite prints for it;
    ``introduce`` is the abbreviation a narrative first mention adds before the year.
    """

    names: dict[str, str] = attrs.field(factory=dict)
    introduce: str | None = None


def plan(
    clusters: Sequence[Cluster], source: Callable[[str], Source | None]
) -> list[list[CiteNames]]:
    """For each cite of each cluster (in document order), how its group authors print."""
    groups = _abbreviated_groups(clusters, source)
    mentioned: set[str] = set()
    plans: list[list[CiteNames]] = []
    for cluster in clusters:
        narrative = cluster.cites[0].mode == "narrative"
        lead = source(cluster.cites[0].key)
        lead_groups = {name for name, _ in _groups(lead, groups)} if narrative else set()
        new: set[str] = set()
        cluster_plan = []
        for cite in cluster.cites:
            found = source(cite.key)
            names: dict[str, str] = {}
            introduce = None
            for name, abbreviation in _groups(found, groups):
                if name in mentioned:
                    names[name] = abbreviation
                elif name in lead_groups:
                    # The full name stands in the sentence; the abbreviation goes in
                    # the parentheses, before the year.
                    if cite is cluster.cites[0]:
                        introduce = abbreviation
                else:
                    names[name] = f"{name} [{abbreviation}]"
                if cite.mode != "suppress-author":
                    new.add(name)
            cluster_plan.append(CiteNames(names, introduce))
        mentioned |= new
        plans.append(cluster_plan)
    return plans


def _abbreviated_groups(
    clusters: Sequence[Cluster], source: Callable[[str], Source | None]
) -> dict[str, str]:
    """Organisation name -> abbreviation, for the groups cited whose abbreviation is theirs."""
    owners: dict[str, set[str]] = {}
    for cluster in clusters:
        for cite in cluster.cites:
            found = source(cite.key)
            for name in found.authors if found is not None else ():
                if name.literal is not None and name.abbreviation:
                    owners.setdefault(name.abbreviation, set()).add(name.literal)
    return {
        next(iter(literals)): abbreviation
        for abbreviation, literals in owners.items()
        if len(literals) == 1
    }


def _groups(found: Source | None, groups: dict[str, str]) -> list[tuple[str, str]]:
    """The abbreviated groups among a work's authors: (name, abbreviation).

    A group's abbreviation holds for all its works, also those whose record lacks it.
    """
    if found is None:
        return []
    return [(n.literal, groups[n.literal]) for n in found.authors if n.literal in groups]
