"""Synthetic policy sources for benchmarks: N varied records, deterministic for a seed."""

from __future__ import annotations

import random

import policycite as pc

ORGS = [
    "Baltic Council for Water Security",
    "Northland Water Agency",
    "Coalition of Port Cities",
    "Nordic Resilience Institute",
    "Harbour Safety Authority",
    "Maritime Policy Centre",
]
FAMILIES = [
    "Lindqvist",
    "Kask",
    "Okafor",
    "Virtanen",
    "Dubois",
    "Brennan",
    "Lee",
    "Novak",
    "Ålund",
    "Çelik",
    "Horvat",
    "Tamm",
    "Moreau",
    "Schmidt",
    "Rossi",
    "Kowalski",
]
GIVEN = ["Maria", "Jaan", "Adaeze", "Aino", "Henri", "Ciarán", "Sujin", "Petra", "Emil"]
WORDS = [
    "water",
    "security",
    "monitoring",
    "river",
    "basin",
    "flood",
    "risk",
    "ministers",
    "agree",
    "plan",
    "data",
    "sharing",
    "ports",
    "inspection",
    "climate",
    "resilience",
]


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(4, 9))
    return " ".join(words).capitalize()


def sources(n: int, seed: int = 42) -> list[pc.Source]:
    """N sources mixing every main kind, with same-author same-year collisions."""
    rng = random.Random(seed)
    out = []
    kinds = ["press-release", "speech", "news-article", "webpage", "statement", "report"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        year = rng.randint(2018, 2024)
        date = pc.PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
        person = pc.Name.person(rng.choice(FAMILIES), rng.choice(GIVEN))
        org = pc.Name.organisation(rng.choice(ORGS))
        url = f"https://www.example.org/{kind}/{i}"
        common = {
            "key": f"s{i}",
            "kind": kind,
            "title": _title(rng),
            "issued": date,
            "provenance": pc.Provenance(url=url),
        }
        if kind == "speech":
            out.append(
                pc.Source(
                    **common,
                    authors=[person],
                    publisher=org.literal,
                    event_title="Ministerial meeting",
                    event_place="Tallinn",
                )
            )
        elif kind == "news-article":
            out.append(pc.Source(**common, authors=[person], container_title="The Gazette"))
        elif kind == "webpage":
            common["issued"] = None
            common["provenance"] = pc.Provenance(url=url, accessed=pc.PartialDate(2024, 1, 5))
            out.append(pc.Source(**common, authors=[org], container_title="Example site"))
        elif kind == "report":
            authors = [
                pc.Name.person(rng.choice(FAMILIES), rng.choice(GIVEN))
                for _ in range(rng.randint(1, 4))
            ]
            out.append(
                pc.Source(
                    **common,
                    authors=authors,
                    publisher=org.literal,
                    genre="Policy brief",
                    number=str(rng.randint(1, 99)),
                )
            )
        else:
            out.append(pc.Source(**common, authors=[org]))
    return out
