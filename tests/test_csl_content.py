"""Issue 16, content: text policycite left out, bibliography order, items that failed.

Every expected string and order is citeproc-js 2.4.63's, given the same style, items and
locale (rendered with tools/citeproc-js/render.js when the test was written).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer

P, ORG, D = pc.Name.person, pc.Name.organisation, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"

SORTED = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="{locale}">
  <info><id>sorted</id><title>sorted</title><updated>2026-12-05T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name name-as-sort-order="all"/></names></macro>
  <citation><layout><text macro="author"/></layout></citation>
  <bibliography>
    <sort><key macro="author"/></sort>
    <layout><text macro="author"/></layout>
  </bibliography>
</style>
"""

FAMILIES = ("Zhou", "Ålund", "Chen", "Humboldt", "Çelik", "Ivanov", "Þórsdóttir", "Šimek", "Tamm")


def _order(tmp_path: Path, locale: str) -> tuple[str, ...]:
    style = tmp_path / f"sorted-{locale}.csl"
    style.write_text(SORTED.format(locale=locale), encoding="utf-8")
    sources = [
        pc.Source(f"k{n}", "report", "T", authors=[P(family, "A.")])
        for n, family in enumerate(FAMILIES)
    ]
    entries = Renderer(pc.Library(sources), str(style)).bibliography().entries
    return tuple(entry.split(",")[0] for entry in entries)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # ICU's root order: accents do not count, Þ after Z.
        (
            "en-US",
            ("Ålund", "Çelik", "Chen", "Humboldt", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
        # Swedish: Å after Z, Þ as "th".
        (
            "sv-SE",
            ("Çelik", "Chen", "Humboldt", "Ivanov", "Šimek", "Tamm", "Þórsdóttir", "Zhou", "Ålund"),
        ),
        # Czech: "ch" a letter after h, š after s.
        (
            "cs-CZ",
            ("Ålund", "Çelik", "Humboldt", "Chen", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
        # Turkish: ç after c.
        (
            "tr-TR",
            ("Ålund", "Chen", "Çelik", "Humboldt", "Ivanov", "Šimek", "Tamm", "Zhou", "Þórsdóttir"),
        ),
    ],
)
def test_bibliography_collates_in_the_styles_locale(
    tmp_path: Path, locale: str, expected: tuple[str, ...]
) -> None:
    assert _order(tmp_path, locale) == expected


def test_generated_labels() -> None:
    rendered = Renderer(
        pc.Library(
            [
                pc.Source(
                    "v",
                    "report",
                    "Opening",
                    authors=[pc.Name(family="Berg", given="M.", non_dropping_particle="van den")],
                    issued=D(2022),
                ),
                pc.Source("w", "report", "港口", authors=[P("王", "秀英")], issued=D(2022)),
                pc.Source(
                    "f",
                    "report",
                    "Four",
                    authors=[P(n, "A.") for n in ("Aa", "Bb", "Cc", "Dd", "Ee")],
                    issued=D(1999),
                ),
            ]
        ),
        str(CSL / "citation-label.csl"),
    ).bibliography()
    assert rendered.entries == ("[ABCD99] Four", "[Berg22] Opening", "[港口22] 港口")


# --- issue 16, content (round 3): cite order, empty cites, entries of a number only ---
def _cite(style: str, sources: list[pc.Source], cites: list[str], positions: bool) -> tuple:
    renderer = Renderer(pc.Library(sources), style, output="text", links=False)
    clusters = [c for text in cites for c in pc.parse_citations(text)]
    return renderer.citations(clusters, positions=positions).entries


MPC_LEE = [
    pc.Source("mpc22", "report", "Pilot", authors=[ORG("Maritime Policy Centre")], issued=D(2022)),
    pc.Source("mpc19", "report", "Review", authors=[ORG("Maritime Policy Centre")], issued=D(2019)),
    pc.Source("lee20a", "report", "Fisheries", authors=[P("Lee", "Sujin")], issued=D(2020, 3)),
    pc.Source("lee20b", "report", "Aquaculture", authors=[P("Lee", "Sujin")], issued=D(2020, 9)),
    pc.Source(
        "lee18",
        "report",
        "Governance",
        authors=[P("Lee", "Sujin"), P("Moreau", "Jean-Paul"), P("Zhang", "Wei")],
        issued=D(2018),
    ),
]


def test_citation_alone_sorts_with_shifted_directions() -> None:
    # elsevier-harvard sorts by author, then year descending; citeproc-js's
    # makeCitationCluster compares the year in the first key's direction (ascending).
    cites = ["[@mpc22; @mpc19]", "[@lee20a; @lee20b; @lee18]", "[@lee18, p. 3; @mpc22]"]
    assert _cite("elsevier-harvard", MPC_LEE, cites, positions=False) == (
        "(Maritime Policy Centre, 2019, 2022)",
        "(Lee et al., 2018; Lee, 2020a, 2020b)",
        "(Lee et al., 2018, p. 3; Maritime Policy Centre, 2022)",
    )


def test_document_citation_sorts_by_rendered_author_first() -> None:
    # A grouped sort (collapse="year"): the cites' rendered authors are the first key.
    sources = [
        pc.Source("tides", "report", "Tides", authors=[P("Aris", "Maren")], issued=D(2020, 4)),
        pc.Source("wind", "report", "Wind", authors=[P("Aris", "Wilhelm")], issued=D(2020, 8)),
        pc.Source(
            "h",
            "report",
            "Harbours",
            authors=[P("Kask", "Liis"), P("Lind", "Tiit"), P("Orav", "Sten")],
            issued=D(2021),
        ),
        pc.Source(
            "f",
            "report",
            "Ferries",
            authors=[P("Kask", "Liis"), P("Lind", "Tiit"), P("Tamm", "Hele")],
            issued=D(2021),
        ),
    ]
    cites = ["[@wind; @tides]", "[@f; @h]", "[@tides; @wind]"]
    assert _cite("sage-harvard", sources, cites, positions=True) == (
        "(M Aris, 2020; W Aris, 2020)",
        "(Kask, Lind and Orav, 2021; Kask, Lind and Tamm, 2021)",
        "(M Aris, 2020; W Aris, 2020)",
    )


MAP_LEE = [
    pc.Source("map", "document", "Map of the inner harbour moorings", publisher="Port of Selwyn"),
    pc.Source("lee", "report", "Governance", authors=[P("Lee", "Sujin")], issued=D(2018)),
]


def test_citation_that_prints_nothing_is_marked() -> None:
    cites = ["[@map]", "[@map; @lee]", "[see @map, p. 4]"]
    assert _cite("springer-basic-author-date", MAP_LEE, cites, positions=False) == (
        "([CSL STYLE ERROR: reference with no printed form.])",
        "(Lee 2018)",
        "(see p. 4)",
    )


def test_entry_of_its_number_only_is_listed() -> None:
    renderer = Renderer(pc.Library(MAP_LEE), "royal-society-of-chemistry", links=False)
    result = renderer.bibliography()
    assert result.entries == ("1", "2 S. Lee, Governance, 2018.")
    assert not result.findings
    html = Renderer(pc.Library(MAP_LEE), "royal-society-of-chemistry", output="html")
    assert html.bibliography().entries[0] == '<div class="csl-left-margin">1</div>'


def test_sort_keys_carry_the_given_names_the_global_rule_adds() -> None:
    # givenname-disambiguation-rule="primary-name": "Aris" sorts as "Aris M.".
    sources = [
        pc.Source("tides", "report", "Tides", authors=[P("Aris", "Maren")], issued=D(2020, 4)),
        pc.Source("wind", "report", "Wind", authors=[P("Aris", "Wilhelm")], issued=D(2020, 8)),
    ]
    assert _cite(
        "american-political-science-association", sources, ["[@wind; @tides]"], positions=False
    ) == ("(M. Aris 2020; W. Aris 2020)",)


def test_name_a_cite_shows_in_full_is_full_in_the_reference_list() -> None:
    # By-cite given names: the cites' "Maren Aris" / "Wilhelm Aris" (no initialize-with)
    # make citeproc-js print the names in full in a list that otherwise initializes.
    sources = [
        pc.Source("tides", "report", "Tides", authors=[P("Aris", "Maren")], issued=D(2020, 4)),
        pc.Source("wind", "report", "Wind", authors=[P("Aris", "Wilhelm")], issued=D(2020, 8)),
    ]
    renderer = Renderer(pc.Library(sources), "antarctic-science", links=False)
    assert renderer.bibliography().entries == (
        "Aris, Maren. 2020. Tides.",
        "Aris, Wilhelm. 2020. Wind.",
    )


def test_cite_that_prints_nothing_keeps_its_affixes() -> None:
    # iso690-full-note-sk prints nothing for a press release or a speech: citeproc-js
    # keeps the cite's prefix ("see"), and marks a citation with nothing at all.
    sources = [
        pc.Source(
            "pr",
            "press-release",
            "Ministry launches coastal inspection programme",
            authors=[ORG("Ministry of Coastal Affairs")],
            issued=D(2020, 5, 13),
            publisher="Government of Veldoria",
            number="PR-2020-117",
        ),
        pc.Source(
            "sp",
            "speech",
            "Science advice during a crisis",
            authors=[P("Humboldt", "Clara")],
            issued=D(2019, 3, 21),
            publisher="Academy of Public Science",
        ),
    ]
    cites = ["[see @pr, para. 2]", "[cf. @sp, sec. 2]", "[@pr]"]
    assert _cite("iso690-full-note-sk", sources, cites, positions=False) == (
        "see",
        "cf.",
        "[CSL STYLE ERROR: reference with no printed form.]",
    )


def test_substitute_prints_a_name_variable_once_within_itself() -> None:
    # archeologia-e-calcolatori substitutes an editor macro that names the editors twice.
    sources = [
        pc.Source(
            "atlas",
            "book",
            "Atlas of the northern fisheries",
            issued=D(2015),
            publisher="Fjordline Scientific",
            extra={"editor": [{"family": "Rask", "given": "Elin"}]},
        )
    ]
    renderer = Renderer(pc.Library(sources), "archeologia-e-calcolatori", links=False)
    assert renderer.bibliography().entries == (
        "Rask E. (ed.) 2015, Atlas of the northern fisheries, Fjordline Scientific.",
    )


def test_ordinals_come_from_the_styles_language() -> None:
    """de-AT with a style locale for "de": "3. Fassung, 2. März" as citeproc-js 2.4.63
    prints it, not en-US's "2nd" (was the fix ordinal-locales; numbers' and dates'
    ordinal fixes now cover it)."""
    source = pc.Source("a", "report", "Harbour plan", number="3", issued=pc.PartialDate(2020, 3, 2))
    renderer = Renderer(pc.Library((source,)), str(CSL / "ordinal-locale.csl"))
    assert renderer.bibliography().entries[0] == ("Harbour plan, 3. Fassung, 2. März 2020")
