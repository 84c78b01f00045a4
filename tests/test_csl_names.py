"""Names as citeproc-js 2.4.63 prints them (issue 16: name rendering).

Each case is a small style (built here: one cs:name whose attributes, name-parts and
cs:et-al vary, inside a macro) and a few sources; the expected strings are citeproc-js's
output for the very same CSL items, style and en-US locale (rendered with
``tools/citeproc-js/render.js``; the cases of several cites in one document with its
``document`` mode, which tracks positions). The three repro styles of the issue's causes
are in ``tests/data/csl/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policycite as pc
from policycite.render.engine import Renderer
from policycite.render.fixes.nameparts import initialize, parsed

P, ORG, D = pc.Name.person, pc.Name.organisation, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"

A = [
    P("Aris", "Stephen"),
    P("Lee", "Kim"),
    P("Wu", "Tao"),
    P("Kask", "Mari"),
    P("Lind", "Eva"),
    P("Orav", "Jaan"),
    P("Tamm", "Jüri"),
    P("Zhou", "Wei"),
]


def S(key: str, names: list[pc.Name], title: str = "T") -> pc.Source:  # noqa: N802
    return pc.Source(key, "report", title, authors=names, issued=D(2020))


def style(
    name: str, root: str = "", cit: str = "", bib: str = "", extra: str = "", parts: str = ""
) -> str:
    """A style whose citation and bibliography print one cs:names from a macro."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {root}>
  <info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="a"><names variable="author"><name {name}>{parts}</name>{extra}</names></macro>
  <citation {cit}><layout delimiter="; "><text macro="a"/></layout></citation>
  <bibliography {bib}><layout><text macro="a"/><text variable="title" prefix=". "/></layout>
  </bibliography>
</style>"""


# case -> (style arguments, sources, citations (None: the bibliography), citeproc-js output)
CASES: dict[str, tuple[dict[str, str], list[pc.Source], list[str] | None, tuple[str, ...]]] = {
    "initials": (
        {"name": 'initialize-with=". "'},
        [
            S("a", [P("Axford", "ME"), P("Behn", "M.E"), P("Hudson", "Ph.M.E.")]),
            S("b", [P("Tserendorj", "Ts."), P("Sartre", "Jean-Paul"), P("Lee", "Min-jun")]),
        ],
        None,
        ("M. Axford, M. E. Behn, Ph. M. E. Hudson. T", "Ts. Tserendorj, J.-P. Sartre, M. Lee. T"),
    ),
    "initials-empty": (
        {"name": 'initialize-with=""'},
        [S("a", [P("Dimauro", "John M.E."), P("Immel", "Ph. M.E.")])],
        None,
        ("JME Dimauro, PhME Immel. T",),
    ),
    "initialize-false": (
        {"name": 'initialize="false" initialize-with=". "'},
        [S("a", [P("Dimauro", "John M.E."), P("Evans", "M E")])],
        None,
        ("John M. E. Dimauro, M. E. Evans. T",),
    ),
    "particles-display": (
        {"name": 'initialize-with=". "'},
        [
            S(
                "a",
                [
                    P("Berg", "Anna", non_dropping_particle="van der"),
                    P("Fontaine", "Jean", dropping_particle="de", non_dropping_particle="la"),
                    P("van Gogh", "Vincent"),
                    P("al-One", "Alan"),
                ],
            )
        ],
        None,
        ("A. van der Berg, J. de la Fontaine, V. van Gogh, A. al-One. T",),
    ),
    "particles-inverted": (
        {"name": 'name-as-sort-order="all"'},
        [
            S(
                "a",
                [
                    P("van Gogh", "Vincent"),
                    P("Humboldt", "Alexander von"),
                    P("d'Aubignac", "François Hédelin"),
                    P("al-One", "Alan"),
                ],
            )
        ],
        None,
        (
            "Gogh, Vincent van, Humboldt, Alexander von, Aubignac, François Hédelin d’, "
            "One, Alan al-. T",
        ),
    ),
    "particles-never": (
        {"name": 'name-as-sort-order="all"', "root": 'demote-non-dropping-particle="never"'},
        [
            S(
                "a",
                [
                    P("van Gogh", "Vincent"),
                    P("Humboldt", "Alexander von"),
                    P("d'Aubignac", "François Hédelin"),
                    P("al-One", "Alan"),
                ],
            )
        ],
        None,
        (
            "van Gogh, Vincent, Humboldt, Alexander von, d’Aubignac, François Hédelin, "
            "al-One, Alan. T",
        ),
    ),
    "particle-formatting": (
        {
            "name": "",
            "parts": '<name-part name="family" text-case="uppercase" font-weight="bold"/>'
            '<name-part name="given" font-style="italic"/>',
        },
        [
            S(
                "a",
                [
                    P("Meer", "Gerard", dropping_particle="van", non_dropping_particle="der"),
                    ORG("World Health Organization"),
                ],
            )
        ],
        None,
        ("Gerard van DER MEER, WORLD HEALTH ORGANIZATION. T",),
    ),
    "name-part-affixes": (
        {
            "name": "",
            "parts": '<name-part name="family" prefix="(" suffix=")"/>'
            '<name-part name="given" prefix="[" suffix="]"/>',
        },
        [
            S(
                "a",
                [
                    P(
                        "Fontaine",
                        "Jean",
                        dropping_particle="de",
                        non_dropping_particle="La",
                        suffix="III",
                    )
                ],
            )
        ],
        None,
        ("[Jean] (de La Fontaine III). T",),
    ),
    "apostrophes": (
        {"name": 'and="text"'},
        [S("a", [P("O'Neill", "Ann"), P("d'Alembert", "Jean"), P("in 't Veld", "Sophie")])],
        None,
        ("Ann O’Neill, Jean d’Alembert, and Sophie in ’t Veld. T",),
    ),
    "name-affixes": (
        {"name": 'prefix="[" suffix="]" font-style="italic" and="text" initialize-with=". "'},
        [S("a", [A[0], ORG("World Health Organization"), A[1]])],
        None,
        ("[S. Aris], World Health Organization, and [K. Lee]. T",),
    ),
    "organisation-and": (
        {
            "name": 'and="symbol" delimiter-precedes-last="always" name-as-sort-order="first" '
            'initialize-with=". "'
        },
        [S("a", [A[0], ORG("Harbour Safety Authority")]), S("b", [A[0], A[1]])],
        None,
        ("Aris, S. & Harbour Safety Authority. T", "Aris, S., & K. Lee. T"),
    ),
    "after-inverted-name": (
        {
            "name": 'and="text" delimiter-precedes-last="after-inverted-name" '
            'name-as-sort-order="first" initialize-with=". "'
        },
        [S("a", A[:2]), S("b", A[:3])],
        None,
        ("Aris, S., and K. Lee. T", "Aris, S., K. Lee and T. Wu. T"),
    ),
    "etal-always": (
        {
            "name": 'et-al-min="3" et-al-use-first="1" delimiter-precedes-et-al="always"',
            "extra": '<et-al term="and others"/>',
        },
        [S("a", A[:3])],
        None,
        ("Stephen Aris, and others. T",),
    ),
    "etal-never": (
        {"name": 'et-al-min="3" et-al-use-first="2" delimiter-precedes-et-al="never"'},
        [S("a", A[:3])],
        None,
        ("Stephen Aris, Kim Lee et al. T",),
    ),
    "etal-after-inverted": (
        {
            "name": 'et-al-min="3" et-al-use-first="1" name-as-sort-order="first" '
            'delimiter-precedes-et-al="after-inverted-name"'
        },
        [S("a", A[:3])],
        None,
        ("Aris, Stephen, et al. T",),
    ),
    "etal-formatted": (
        {"name": 'et-al-min="3" et-al-use-first="1"', "extra": '<et-al font-style="italic"/>'},
        [S("a", A[:3])],
        None,
        ("Stephen Aris et al. T",),
    ),
    "etal-use-last": (
        {
            "name": "",
            "bib": 'et-al-min="7" et-al-use-first="6" et-al-use-last="true" initialize-with="."',
        },
        [S("a", A[:8])],
        None,
        ("S. Aris, K. Lee, T. Wu, M. Kask, E. Lind, … W. Zhou. T",),
    ),
    "etal-use-last-short-list": (
        {
            "name": "",
            "bib": 'et-al-min="7" et-al-use-first="6" et-al-use-last="true" initialize-with="."',
        },
        [S("a", A[:6])],
        None,
        ("S. Aris, K. Lee, T. Wu, M. Kask, E. Lind, J. Orav. T",),
    ),
    "count": (
        {"name": 'form="count"'},
        [S("a", A[:3]), S("b", A[:8])],
        None,
        ("3. T", "8. T"),
    ),
    "cjk": (
        {"name": 'name-as-sort-order="all" initialize-with="."'},
        [S("a", [P("毛", "泽东"), P("Aris", "Stephen")])],
        None,
        ("毛泽东, Aris, S. T",),
    ),
    "inherit-citation": (
        {
            "name": "",
            "root": 'initialize-with=". "',
            "cit": 'initialize="false" et-al-min="3" et-al-use-first="1" and="text"',
        },
        [S("a", [P("Norov", "Vladimir"), P("Aris", "Stephen")]), S("b", A[:3])],
        ["[@a]", "[@b]"],
        ("Vladimir Norov and Stephen Aris", "Stephen Aris et al."),
    ),
    "inherit-style": (
        {"name": "", "root": 'initialize-with=". " name-delimiter="; " name-form="short"'},
        [S("a", A[:2])],
        None,
        ("Aris; Lee. T",),
    ),
}


def _render(
    tmp_path: Path,
    xml: str,
    sources: list[pc.Source],
    cites: list[str] | None,
    output: str = "text",
    *,
    positions: bool = False,
) -> tuple[str, ...]:
    path = tmp_path / "names.csl"
    path.write_text(xml, encoding="utf-8")
    renderer = Renderer(pc.Library(sources), str(path), output=output)
    if cites is None:
        result = renderer.bibliography()
    else:
        clusters = [c for text in cites for c in pc.parse_citations(text)]
        result = renderer.citations(clusters, positions=positions)
    assert result.findings == ()
    return result.entries


@pytest.mark.parametrize("name", sorted(CASES))
def test_names_as_citeproc_js(name: str, tmp_path: Path) -> None:
    arguments, sources, cites, expected = CASES[name]
    assert _render(tmp_path, style(**arguments), sources, cites) == expected


# HTML: where the formatting goes (citeproc-js's output; "&" escaped as policycite does).
HTML = {
    "particle-formatting": (
        "<i>Gerard</i> <i>van</i> <b>DER</b> <b>MEER</b>, <b>WORLD HEALTH ORGANIZATION</b>. T",
    ),
    "name-affixes": ("[<i>S. Aris</i>], <i>World Health Organization</i>, and [<i>K. Lee</i>]. T",),
    "etal-formatted": ("Stephen Aris <i>et al.</i> T",),
    "name-part-affixes": ("[Jean] (de La Fontaine III). T",),
}


@pytest.mark.parametrize("name", sorted(HTML))
def test_name_formatting_in_html(name: str, tmp_path: Path) -> None:
    arguments, sources, cites, _ = CASES[name]
    assert _render(tmp_path, style(**arguments), sources, cites, "html") == HTML[name]


def test_et_al_subsequent_in_a_document(tmp_path: Path) -> None:
    # The second cite of the same item uses et-al-subsequent-min/-use-first.
    xml = style(
        "",
        cit='et-al-min="4" et-al-use-first="3" et-al-subsequent-min="3" '
        'et-al-subsequent-use-first="1"',
    )
    entries = _render(tmp_path, xml, [S("a", A[:4])], ["[@a]", "[@a]"], positions=True)
    assert entries == ("Stephen Aris, Kim Lee, Tao Wu, et al.", "Stephen Aris et al.")


@pytest.mark.parametrize(
    ("csl", "sources", "cites", "expected"),
    [
        (  # name options on cs:citation/cs:bibliography reach names inside macros
            "init-inherit.csl",
            [S("a", [P("Norov", "Vladimir"), P("Aris", "Stephen")])],
            ["[@a]"],
            ("Vladimir Norov, Stephen Aris",),
        ),
        (  # cs:name suffix per personal name, not after an organisation
            "name-affix.csl",
            [S("a", [P("Aris", "Stephen"), P("Snetkov", "Aleksandr"), ORG("Harbour Authority")])],
            None,
            ("Aris S., Snetkov A., Harbour Authority T",),
        ),
        (  # et-al-use-last with use-first = min - 1: the first min - 2 names, "…", the last
            "etal-last.csl",
            [S("a", A)],
            None,
            ("S. Aris, K. Lee, T. Wu, M. Kask, E. Lind, … W. Zhou",),
        ),
    ],
)
def test_repro_styles(
    csl: str, sources: list[pc.Source], cites: list[str] | None, expected: tuple[str, ...]
) -> None:
    renderer = Renderer(pc.Library(sources), str(CSL / csl))
    if cites is None:
        result = renderer.bibliography()
    else:
        result = renderer.citations([c for t in cites for c in pc.parse_citations(t)])
    assert (result.entries, result.findings) == (expected, ())


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ({"family": "van Gogh", "given": "Vincent"}, ("Gogh", "Vincent", "", "van", "")),
        (
            {"family": "Humboldt", "given": "Alexander von"},
            ("Humboldt", "Alexander", "von", "", ""),
        ),
        ({"family": "d\u2019Aubignac", "given": "F."}, ("Aubignac", "F.", "", "d\u2019", "")),
        ({"family": "al-One", "given": "Alan"}, ("One", "Alan", "", "al-", "")),
        ({"family": "in \u2018t Veld", "given": "S."}, ("Veld", "S.", "", "in \u2019t", "")),
        ({"family": "Doe", "given": "John,! Jr."}, ("Doe", "John", "", "", "Jr.")),
        ({"family": "Van Dyke", "given": "Dick"}, ("Van Dyke", "Dick", "", "", "")),
        ({"family": "\u201cvan Happel\u201d", "given": "E."}, ("van Happel", "E.", "", "", "")),
        ({"family": "van Gogh"}, ("van Gogh", "", "", "", "")),  # no given name: not parsed
    ],
)
def test_particles_parsed_as_citeproc_js(name: dict[str, str], parts: tuple[str, ...]) -> None:
    found: dict[str, Any] = parsed(name)
    keys = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
    assert tuple(found[k] for k in keys) == parts


@pytest.mark.parametrize(
    ("given", "mark", "normalize", "expected"),
    [
        # citeproc-js's own test suite (name_InitialsInitialize*), "Ph." stays "Ph."
        ("Ph.M.E.", ". ", False, "Ph. M. E."),
        ("Ph. M.E.", "", False, "PhME"),
        ("ME", ".", False, "M."),
        ("Me.", ".", False, "Me."),
        ("John M.E.", " ", False, "J M E"),
        ("M.E", ".", True, "M.E."),
        ("Ph.M.E.", ". ", True, "Ph. M. E."),
        ("John M.E.", "", True, "John ME"),
        ("Jean-Paul", ". ", False, "J.-P."),
        ("Min-jun", ".", False, "M."),
        ("Ts.", ".", False, "Ts."),
        ("泽东", ".", False, "泽东"),
    ],
)
def test_initials_as_citeproc_js(given: str, mark: str, normalize: bool, expected: str) -> None:
    assert initialize(given, mark, normalize) == expected


def test_name_variables_citeproc_py_does_not_know_are_names(tmp_path: Path) -> None:
    # CSL 1.0.2's reviewed-author (and director, host, ...) are names to citeproc-js;
    # citeproc-py read them as text and printed nothing for the cs:names.
    path = tmp_path / "reviewed.csl"
    path.write_text(
        style('and="text"').replace('variable="author"', 'variable="reviewed-author"'),
        encoding="utf-8",
    )
    source = pc.Source(
        "r",
        "journal-article",
        "T",
        extra={"reviewed-author": [{"family": "Burtle", "given": "Beaver"}]},
    )
    result = Renderer(pc.Library([source]), str(path)).bibliography()
    assert result.entries == ("Beaver Burtle. T",)


def _use_first_zero_sources(same_year: bool) -> list[pc.Source]:
    year = 2020 if same_year else 2021
    return [
        pc.Source(
            "a",
            "book",
            "T",
            authors=[P("Aris", "Mary"), P("Bo", "C"), P("Cu", "D")],
            issued=D(2020),
        ),
        pc.Source("b", "book", "U", authors=[P("Zed", "Mary"), P("Bo", "C")], issued=D(year)),
        pc.Source("d", "book", "W", authors=[P("Zed", "Mary"), P("Ku", "C")], issued=D(2020)),
        pc.Source("c", "book", "V", authors=[P("Kay", "Mary")], issued=D(2019)),
    ]


@pytest.mark.parametrize(
    ("style", "same_year", "expected"),
    [
        # disambiguate-add-names from no names at all: every alike cite gets one, then more.
        (
            "et-al-use-first-zero.csl",
            True,
            ("(Aris et al., 2020)", "(Zed and Bo, 2020)", "(Zed and Ku, 2020)", "(Kay, 2019)"),
        ),
        (
            "et-al-use-first-zero.csl",
            False,
            ("(Aris et al., 2020)", "(2021)", "(Zed et al., 2020)", "(Kay, 2019)"),
        ),
        # a first cite shows the names of its subsequent form when that shows more.
        (
            "et-al-use-first-zero-subsequent.csl",
            False,
            ("(Aris et al., 2020)", "(Zed and Bo, 2021)", "(Zed and Ku, 2020)", "(Kay, 2019)"),
        ),
    ],
)
def test_et_al_use_first_zero_as_citeproc_js(
    style: str, same_year: bool, expected: tuple[str, ...]
) -> None:
    # turkiye-bilimsel-ve-teknolojik-arastirma-kurumu printed "(2018)" for "(Lee vd., 2018)".
    renderer = Renderer(pc.Library(_use_first_zero_sources(same_year)), str(CSL / style))
    clusters = pc.parse_citations("[@a] [@b] [@d] [@c]")
    assert renderer.citations(clusters).entries == expected


def test_initialize_true_does_not_undo_an_inherited_false() -> None:
    """citeproc-js 2.4.63: the bibliography's initialize="false" wins over cs:name's "true"."""
    renderer = Renderer(
        pc.Library([S("a", [P("Abara", "Chidi")])]), str(CSL / "initialize-true.csl")
    )
    assert renderer.bibliography().entries == ("Abara, Chidi",)
    cites = renderer.citations(pc.parse_citations("[@a]"))
    assert cites.entries == ("Abara, C.",)
