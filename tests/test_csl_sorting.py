"""Bibliography and citation order as citeproc-js gives it (issue 16, cause 4).

Every expected order and text here is citeproc-js 2.4.63's, given the same style and
the CSL items policycite gives citeproc-py (``Renderer._item``) and the en-US locale.
The styles are tiny ones in tests/data/csl/ or inline, each isolating one rule: a date
macro sorts as dates (day-month-year numeric, ranges, seasons, undated last), names sort
with particles demoted or not as the style says, keys collate as ICU does (accents and
case ignored, numbers as numbers, punctuation skipped), empty keys come last in either
direction and entries tied on every key keep the order they were registered in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc import source as citeproc_source

import policycite as pc
from policycite.render.engine import Renderer
from policycite.render.fixes.sorting import collation_key, date_key

P, ORG, D = pc.Name.person, pc.Name.organisation, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"


def _bibliography(style: Path | str, sources: list[pc.Source]) -> list[str]:
    result = Renderer(pc.Library(sources), str(style)).bibliography()
    assert not result.findings
    return list(result.entries)


def _citations(style: Path | str, sources: list[pc.Source], cites: list[str]) -> list[str]:
    clusters = [c for text in cites for c in pc.parse_citations(text)]
    return list(Renderer(pc.Library(sources), str(style)).citations(clusters).entries)


# -- dates in sort macros -----------------------------------------------------------------

DATED = [
    pc.Source("a", "report", "Midsummer", issued=D(2020, 6, 24)),
    pc.Source("b", "report", "April", issued=D(2020, 4, 9)),
    pc.Source("c", "report", "Range", issued=D(2020, 5, 13, end=D(2020, 5, 14))),
    pc.Source("d", "report", "Year only", issued=D(2020)),
    pc.Source("e", "report", "Summer", issued=D(2020, season=2)),
    pc.Source("f", "report", "New year", issued=D(2019, 1, 1)),
    pc.Source("g", "report", "Undated"),
    pc.Source("h", "report", "May", issued=D(2020, 5, 13)),
]


def test_a_day_month_year_macro_sorts_as_dates() -> None:
    # Compared as text, "24.6.2020" < "9.4.2020"; as dates April comes first. A season
    # has no month in the key (ties with the bare year), a range follows its first day,
    # an undated work ("n.d.", no key) comes last.
    assert _bibliography(CSL / "sort-date-dmy.csl", DATED) == [
        "New year, 1.1.2019",
        "Year only, 2020",
        "Summer, Summer.2020",
        "April, 9.4.2020",
        "May, 13.5.2020",
        "Range, 13–14.5.2020",
        "Midsummer, 24.6.2020",
        "Undated, n.d.",
    ]


def test_a_descending_date_macro_key_still_puts_the_undated_last() -> None:
    cite = "[" + "; ".join(f"@{s.key}" for s in DATED) + "]"
    assert _citations(CSL / "sort-date-dmy.csl", DATED, [cite]) == [
        "24.6.2020; 13–14.5.2020; 13.5.2020; 9.4.2020; 2020; Summer.2020; 1.1.2019; n.d."
    ]


def test_a_year_month_day_macro_sorts_may_before_june() -> None:
    # "2020June15" < "2020May13" as text.
    sources = [
        pc.Source("j", "report", "June", issued=D(2020, 6, 15)),
        pc.Source("m", "report", "May", issued=D(2020, 5, 13)),
        pc.Source("n", "report", "Undated"),
        pc.Source("y", "report", "Year only", issued=D(2020)),
    ]
    assert _bibliography(CSL / "sort-macro-date.csl", sources) == [
        "Year only",
        "May",
        "June",
        "Undated",
    ]


def test_year_suffix_outside_a_date_macro_is_part_of_the_key() -> None:
    # citeproc-js keeps "2020b" in a key whose macro holds no cs:date itself ...
    sources = [
        pc.Source("a", "report", "A", authors=[P("Lee", "S.")], issued=D(2020)),
        pc.Source("b", "report", "B", authors=[P("Lee", "S.")], issued=D(2020)),
        pc.Source("z", "report", "Z", authors=[P("Zhang", "W.")], issued=D(2020)),
    ]
    assert _citations(CSL / "sort-year-suffix.csl", sources, ["[@a]", "[@z; @b]"]) == [
        "(Lee, 2020a)",
        "(Zhang, 2020; Lee, 2020b)",
    ]
    # ... and leaves it out of a date macro's key (Harvard's "year-date").
    assert _citations("harvard-cite-them-right", sources, ["[@a]", "[@b; @z]"]) == [
        "(Lee, 2020a)",
        "(Lee, 2020b; Zhang, 2020)",
    ]


# -- names ----------------------------------------------------------------------------------

PARTICLE_NAMES = [
    ("van der Berg", "Anna"),
    ("Berg", "Zoe"),
    ("Vandenberg", "Bob"),
    ("de Gaulle", "Charles"),
    ("Gaulle", "Adam"),
    ("La Fontaine", "Jean de"),
    ("Fontaine", "Zed"),
    ("d'Alembert", "Jean"),
    ("Alembert", "Zorro"),
    ("von Humboldt", "Alexander"),
    ("Humboldt", "Wilhelm"),
    ("Doe", "John"),
    ("Doe Smith", "A"),
    ("Doeb", "Adam"),
]
PARTICLE_SOURCES = [
    pc.Source(f"p{n}", "report", f"{given} {family}", authors=[P(family, given)])
    for n, (family, given) in enumerate(PARTICLE_NAMES)
] + [pc.Source("org", "report", "Org", authors=[ORG("de Nederlandsche Bank")])]

PARTICLE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       demote-non-dropping-particle="{demote}">
  <info><title>Particles</title><id>particles</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name name-as-sort-order="all"/></names></macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key {key}/></sort><layout><text variable="title"/></layout></bibliography>
</style>
"""

NEVER = [
    "Zorro Alembert",
    "Zoe Berg",
    "Jean d’Alembert",
    "Charles de Gaulle",
    "Org",
    "John Doe",
    "A Doe Smith",
    "Adam Doeb",
    "Zed Fontaine",
    "Adam Gaulle",
    "Wilhelm Humboldt",
    "Jean de La Fontaine",
    "Anna van der Berg",
    "Bob Vandenberg",
    "Alexander von Humboldt",
]
DEMOTED = [
    "Jean d’Alembert",
    "Zorro Alembert",
    "Anna van der Berg",
    "Zoe Berg",
    "Org",
    "John Doe",
    "A Doe Smith",
    "Adam Doeb",
    "Zed Fontaine",
    "Adam Gaulle",
    "Charles de Gaulle",
    "Alexander von Humboldt",
    "Wilhelm Humboldt",
    "Jean de La Fontaine",
    "Bob Vandenberg",
]


@pytest.mark.parametrize("key", ['variable="author"', 'macro="author"'])
@pytest.mark.parametrize(
    ("demote", "expected"),
    [("never", NEVER), ("sort-only", DEMOTED), ("display-and-sort", DEMOTED)],
)
def test_particles_sort_as_the_style_says(
    tmp_path: Path, demote: str, key: str, expected: list[str]
) -> None:
    # Particles are read off the names as citeproc-js reads them ("van der Berg" is
    # "Berg" with "van der"; "Jean de" is "Jean" with the dropping "de", never sorted
    # on); an organisation's name is taken whole. Spaces sort before letters: "Doe,
    # John" before "Doeb, Adam" and "Doe Smith".
    style = tmp_path / "particles.csl"
    style.write_text(PARTICLE_STYLE.format(demote=demote, key=key), encoding="utf-8")
    assert _bibliography(style, PARTICLE_SOURCES) == expected


SHORT_STYLE = PARTICLE_STYLE.replace(
    '<name name-as-sort-order="all"/>', '<name form="short"/>'
).replace("<key {key}/>", '<key macro="author"/>')
SHORT_SOURCES = [
    pc.Source(
        "a",
        "report",
        "Marieke van den Berg",
        authors=[pc.Name(family="Berg", given="Marieke", non_dropping_particle="van den")],
    ),
    pc.Source("b", "report", "Zed Berg", authors=[P("Berg", "Zed")]),
    pc.Source("c", "report", "Amy Berga", authors=[P("Berga", "Amy")]),
    pc.Source("d", "report", "Katrín Þórsdóttir", authors=[P("Þórsdóttir", "Katrín")]),
    pc.Source("e", "report", "Wei Zhou", authors=[P("Zhou", "Wei")]),
    pc.Source("f", "report", "Ole Thor", authors=[P("Thor", "Ole")]),
    pc.Source("g", "report", "Ivan Vandenberg", authors=[P("Vandenberg", "Ivan")]),
]


@pytest.mark.parametrize(
    ("demote", "expected"),
    [
        (
            "never",
            [
                *("Zed Berg", "Amy Berga", "Ole Thor", "Marieke van den Berg"),
                *("Ivan Vandenberg", "Wei Zhou", "Katrín Þórsdóttir"),
            ],
        ),
        (
            "display-and-sort",
            [
                *("Zed Berg", "Marieke van den Berg", "Amy Berga", "Ole Thor"),
                *("Ivan Vandenberg", "Wei Zhou", "Katrín Þórsdóttir"),
            ],
        ),
    ],
)
def test_short_names_demote_particles_and_thorn_follows_z(
    tmp_path: Path, demote: str, expected: list[str]
) -> None:
    # A short name keeps its particle in front when printed, but sorts as "Berg van
    # den" unless the style says never; Þ is a letter of its own after Z (ICU root).
    style = tmp_path / "short.csl"
    style.write_text(SHORT_STYLE.format(demote=demote), encoding="utf-8")
    assert _bibliography(style, SHORT_SOURCES) == expected


def test_names_in_a_sort_macro_leave_out_and_and_labels() -> None:
    sources = [
        pc.Source("a", "report", "Two", authors=[P("Colaresi", "M."), P("Thompson", "W.")]),
        pc.Source(
            "b",
            "report",
            "Three",
            authors=[P("Colaresi", "M."), P("Rasler", "K."), P("Thompson", "W.")],
        ),
        pc.Source("e", "report", "One", extra={"editor": [{"family": "Colaresi", "given": "M."}]}),
        pc.Source("f", "report", "Four", authors=[P("Colaresi", "Mark")]),
    ]
    # "Colaresi ed." ties with "Colaresi" (both undated: registration order), and
    # "Colaresi, Rasler" comes before "Colaresi, Thompson" ("and" is not in the key).
    assert _bibliography(CSL / "sort-names.csl", sources) == [
        "Colaresi ed. One",
        "Colaresi. Four",
        "Colaresi, Rasler, and Thompson. Three",
        "Colaresi and Thompson. Two",
    ]


# -- collation --------------------------------------------------------------------------

TITLES = [
    "Report 10",
    "Report 9",
    "report 2",
    "Émile",
    "apple",
    "Zebra",
    "The Zebra",
    "A bear",
    "An owl",
    "“Quoted” title",
    "Ålund",
    "[Bracketed]",
    "Æther",
    "Eagle",
    "Łódź",
    "Lodz",
    "Straße",
    "Strasse",
    "x-ray",
    "Xavier",
    "1990s",
    "Ångström",
    "$ sign",
    "Ze bra",
    "Zeb ra",
]
TITLE_ORDER = [
    "$ sign",
    "1990s",
    "A bear",
    "Æther",
    "Ålund",
    "An owl",
    "Ångström",
    "apple",
    "[Bracketed]",
    "Eagle",
    "Émile",
    "Łódź",
    "Lodz",
    "“Quoted” title",
    "report 2",
    "Report 9",
    "Report 10",
    "Straße",
    "Strasse",
    "The Zebra",
    "Xavier",
    "x-ray",
    "Ze bra",
    "Zeb ra",
    "Zebra",
]
KEY_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Keys</title><id>keys</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <sort><key variable="{variable}" sort="{direction}"/><key variable="title"/></sort>
    <layout><group delimiter=" / "><text variable="title"/><text variable="genre"/></group></layout>
  </bibliography>
</style>
"""


def _key_style(tmp_path: Path, variable: str, direction: str) -> Path:
    style = tmp_path / f"{variable}-{direction}.csl"
    style.write_text(KEY_STYLE.format(variable=variable, direction=direction), encoding="utf-8")
    return style


def test_titles_collate_as_citeproc_js(tmp_path: Path) -> None:
    # Case and accents break no ties ("Straße"/"Strasse", "Łódź"/"Lodz" keep the order
    # they were registered in); numbers compare as numbers; quotation marks, brackets
    # and hyphens are skipped; a symbol comes before digits, digits before letters;
    # "The" and "A" are not skipped.
    sources = [pc.Source(f"t{n}", "report", title) for n, title in enumerate(TITLES)]
    assert _bibliography(_key_style(tmp_path, "title", "ascending"), sources) == TITLE_ORDER


def test_descending_titles_keep_ties_in_registration_order(tmp_path: Path) -> None:
    sources = [pc.Source(f"t{n}", "report", title) for n, title in enumerate(TITLES)]
    expected = [
        "Zebra",
        "Zeb ra",
        "Ze bra",
        "x-ray",
        "Xavier",
        "The Zebra",
        "Straße",
        "Strasse",
        "Report 10",
        "Report 9",
        "report 2",
        "“Quoted” title",
        "Łódź",
        "Lodz",
        "Émile",
        "Eagle",
        "[Bracketed]",
        "apple",
        "Ångström",
        "An owl",
        "Ålund",
        "Æther",
        "A bear",
        "1990s",
        "$ sign",
    ]
    assert _bibliography(_key_style(tmp_path, "title", "descending"), sources) == expected


GENRES = [
    pc.Source("g1", "report", "One", genre="White paper"),
    pc.Source("g2", "report", "Two"),
    pc.Source("g3", "report", "Three", genre="brief"),
    pc.Source("g4", "report", "Four"),
    pc.Source("g5", "report", "Five", genre="Brief"),
]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("ascending", ["Five / Brief", "Three / brief", "One / White paper", "Four", "Two"]),
        ("descending", ["One / White paper", "Five / Brief", "Three / brief", "Four", "Two"]),
    ],
)
def test_empty_keys_come_last_either_way(
    tmp_path: Path, direction: str, expected: list[str]
) -> None:
    # The items without a genre are ordered by the next key (title), after the others.
    assert _bibliography(_key_style(tmp_path, "genre", direction), GENRES) == expected


# -- the keys themselves (CSL 1.0.2 "Sorting"; citeproc-js's dateAsSortKey) --------------


def test_date_keys_order_as_dates() -> None:
    def date(**parts: int) -> citeproc_source.Date:
        return citeproc_source.Date(**parts)

    keys = [
        date_key(date(year=-50)),
        date_key(date(year=-20)),
        date_key(date(year=800)),
        date_key(date(year=2020)),
        date_key(date(year=2020, month=4, day=9)),
        date_key(citeproc_source.DateRange(begin=date(year=2020, month=5), end=date(year=2021))),
        date_key(date(year=2020, month=6, day=24)),
    ]
    assert keys == sorted(keys, key=collation_key)
    assert date_key(date(year=2020, month=5, day=13)) == "120200513100000000"
    assert date_key(date(year=2020, month=5, day=13), ("year",)) == "120200000100000000"
    assert date_key(citeproc_source.LiteralDate("forthcoming")) == ""


def test_collation_key_compares_numbers_by_value_and_skips_punctuation() -> None:
    assert collation_key("Report 9") < collation_key("Report 10")
    assert collation_key("“Quoted” title") == collation_key("quoted title")
    assert collation_key("Émile") == collation_key("emile")
    assert collation_key("Doe|John|") < collation_key("Doeb|Adam|")


# -- subsequent-author-substitute rules ---------------------------------------------------

K, L, B = P("Kask", "Jaan"), P("Lee", "Sujin"), P("Berg", "Anna")
Z, W = P("Zhou", "Wei"), P("Ward", "Ann")


def _editors(*names: pc.Name) -> dict[str, list[dict[str, str | None]]]:
    return {"editor": [{"family": n.family, "given": n.given} for n in names]}


REPEATING = [
    pc.Source("i1", "report", "One", authors=[K, L, B]),
    pc.Source("i2", "report", "Two", authors=[K, L, B]),
    pc.Source("i3", "report", "Three", authors=[K, L, Z]),
    pc.Source("i4", "report", "Four", authors=[K]),
    pc.Source("i5", "report", "Five", authors=[K]),
    pc.Source("i6", "report", "Six", extra=_editors(K)),
    pc.Source("i7", "report", "Seven", extra=_editors(K, L)),
    pc.Source("i8", "report", "Eight"),
    pc.Source("i9", "report", "Nine", authors=[K, L, B, Z, W]),
    pc.Source("i10", "report", "Ten", authors=[K, L, B, Z]),
    pc.Source("i11", "report", "Eleven", authors=[L, K]),
]
SUBSTITUTED = {
    "complete-all": [
        "Kask, Jaan, Sujin Lee, and Anna Berg. One",
        "———. Two",
        "Kask, Jaan, Sujin Lee, and Wei Zhou. Three",
        "Kask, Jaan. Four",
        "———. Five",
        "———, ed. Six",
        "Kask, Jaan, and Sujin Lee, eds. Seven",
        "Eight",
        "Kask, Jaan, Sujin Lee, Anna Berg, et al. Nine",
        "———. Ten",
        "Lee, Sujin, and Jaan Kask. Eleven",
    ],
    "complete-each": [
        "Kask, Jaan, Sujin Lee, and Anna Berg. One",
        "———, ———, and ———. Two",
        "Kask, Jaan, Sujin Lee, and Wei Zhou. Three",
        "Kask, Jaan. Four",
        "———. Five",
        "———, ed. Six",
        "Kask, Jaan, and Sujin Lee, eds. Seven",
        "Eight",
        "Kask, Jaan, Sujin Lee, Anna Berg, et al. Nine",
        "———, ———, ———, et al. Ten",
        "Lee, Sujin, and Jaan Kask. Eleven",
    ],
    "partial-each": [
        "Kask, Jaan, Sujin Lee, and Anna Berg. One",
        "———, ———, and ———. Two",
        "———, ———, and Wei Zhou. Three",
        "———. Four",
        "———. Five",
        "———, ed. Six",
        "———, and Sujin Lee, eds. Seven",
        "Eight",
        "Kask, Jaan, Sujin Lee, Anna Berg, et al. Nine",
        "———, ———, ———, et al. Ten",
        "Lee, Sujin, and Jaan Kask. Eleven",
    ],
    "partial-first": [
        "Kask, Jaan, Sujin Lee, and Anna Berg. One",
        "———, Sujin Lee, and Anna Berg. Two",
        "———, Sujin Lee, and Wei Zhou. Three",
        "———. Four",
        "———. Five",
        "———, ed. Six",
        "———, and Sujin Lee, eds. Seven",
        "Eight",
        "Kask, Jaan, Sujin Lee, Anna Berg, et al. Nine",
        "———, Sujin Lee, Anna Berg, et al. Ten",
        "Lee, Sujin, and Jaan Kask. Eleven",
    ],
}


@pytest.mark.parametrize("rule", sorted(SUBSTITUTED))
def test_subsequent_author_substitute_rules(tmp_path: Path, rule: str) -> None:
    # Names are compared as shown (et al. after three of four or more), without their
    # label ("———, ed." after "Kask, Jaan"); "and", "et al." and the label stay.
    text = (CSL / "substitute-partial-each.csl").read_text(encoding="utf-8")
    style = tmp_path / f"{rule}.csl"
    style.write_text(text.replace('-rule="partial-each"', f'-rule="{rule}"'), encoding="utf-8")
    assert _bibliography(style, REPEATING) == SUBSTITUTED[rule]


def test_number_variables_sort_by_their_first_whole_number(tmp_path: Path) -> None:
    # "2a", "2" and "2b" tie (registration order); "No. 1/2020" is 1, "-1" comes after
    # every positive number, a value without digits after the numbers, none last.
    numbers = ["10", "9", "2a", "2", "Vol. 3", "No. 1/2020", "XIV", "-1", "2019/4", "0012"]
    sources = [
        pc.Source(f"n{i}", "report", f"T{i:02d}", number=value)
        for i, value in enumerate([*numbers, None, "2b"])
    ]
    style = _key_style(tmp_path, "number", "ascending")
    order = [entry.split(" / ")[0] for entry in _bibliography(style, sources)]
    assert order == [
        *("T05", "T02", "T03", "T11", "T04", "T01"),
        *("T00", "T09", "T08", "T07", "T06", "T10"),
    ]


def test_a_name_variable_key_takes_the_bibliographys_et_al(tmp_path: Path) -> None:
    # citeproc-js truncates a name-variable key as the bibliography truncates names
    # (et-al-min 3, use-first 1): "Doe, Zed, Young" sorts as "Doe", tied with "Doe".
    style = tmp_path / "et-al.csl"
    style.write_text(
        KEY_STYLE.format(variable="author", direction="ascending").replace(
            "<bibliography>", '<bibliography et-al-min="3" et-al-use-first="1">'
        ),
        encoding="utf-8",
    )
    doe = P("Doe", "J")
    sources = [
        pc.Source("a", "report", "DZY", authors=[doe, P("Zed", "A"), P("Young", "B")]),
        pc.Source("b", "report", "DB", authors=[doe, P("Baker", "C")]),
        pc.Source("c", "report", "DAX", authors=[doe, P("Adams", "C"), P("X", "D")]),
        pc.Source("d", "report", "D", authors=[doe]),
    ]
    # Tied keys are then ordered by the second key, the title.
    assert _bibliography(style, sources) == ["D", "DAX", "DZY", "DB"]


def test_names_in_a_substitute_are_compared_as_truncated() -> None:
    # MLA's pattern: the author list stands in for the composer and is cut by et al.
    # (3/1) as the bibliography says; "Lee, Sujin, et al." repeats "Lee, Sujin".
    sources = [
        pc.Source("a", "report", "One", authors=[P("Lee", "Sujin")]),
        pc.Source("b", "report", "Two", authors=[P("Lee", "Sujin"), P("Kask", "Jaan"), B]),
        pc.Source("c", "report", "Three", authors=[P("Lee", "Sujin"), P("Kask", "Jaan")]),
    ]
    assert _bibliography(CSL / "substitute-et-al.csl", sources) == [
        "Lee, Sujin. One",
        "———. Two",
        "Lee, Sujin and Jaan Kask. Three",
    ]


def test_a_name_variable_printed_by_a_substitute_is_not_printed_again() -> None:
    doe = {"editor": [{"family": "Doe", "given": "John"}]}
    poe = {"translator": [{"family": "Poe", "given": "Ann"}]}
    sources = [
        pc.Source("a", "report", "Edited", extra=doe),
        pc.Source("b", "report", "Written", authors=[P("Roe", "Jane")], extra={**doe, **poe}),
        pc.Source("c", "report", "Translated", extra={**doe, **poe}),
    ]
    assert _bibliography(CSL / "substitute-suppressed.csl", sources) == [
        "Doe, John, ed. Edited.",
        "Roe, Jane. Written. Ed. by John Doe. Trans. by Ann Poe.",
        "Doe, John, ed. Translated. Trans. by Ann Poe.",
    ]


# -- citation keys as citeproc-js builds them (CSL.Node.key) --------------------------------

KASK_LEE = [
    pc.Source(
        "h", "report", "H", authors=[P("Kask", "L"), P("Lind", "T"), P("Tamm", "H")], issued=D(2021)
    ),
    pc.Source(
        "f", "report", "F", authors=[P("Kask", "L"), P("Lind", "T"), P("Orav", "S")], issued=D(2021)
    ),
    pc.Source("a", "report", "A", authors=[P("Lee", "S")], issued=D(2020)),
    pc.Source("b", "report", "B", authors=[P("Lee", "S")], issued=D(2020)),
]


def _cited(style: Path, cites: list[str]) -> list[str]:
    clusters = [c for text in cites for c in pc.parse_citations(text)]
    renderer = Renderer(pc.Library(KASK_LEE), str(style))
    return list(renderer.citations(clusters, bibliography=[s.key for s in KASK_LEE]).entries)


def test_a_macro_key_takes_the_citations_et_al_over_its_names() -> None:
    # The macro's cs:name says et-al-min 6, the citation 3/1: "Kask et al." twice, a
    # tie, so the cites keep the order they were written in (Orav would sort first).
    assert _cited(CSL / "sort-key-et-al.csl", ["[@h; @f]"]) == [
        "(Kask et al. 2021a; Kask et al. 2021b)"
    ]


def test_a_year_suffix_key_is_empty() -> None:
    # citeproc-js items have no year-suffix variable: the cites tie and keep their order.
    assert _cited(CSL / "sort-key-year-suffix.csl", ["[@b; @a]"]) == ["(Lee 2020b; Lee 2020a)"]


# -- issue 16: the bibliography order of the whole catalogue ------------------------------

LEADING_SPACE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>leading space</title><id>leading-space</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name name-as-sort-order="all"/>
    <substitute><text variable="title" prefix=" "/></substitute></names></macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key macro="author"/></sort>
    <layout><text variable="title"/></layout></bibliography>
</style>
"""


def test_a_key_keeps_its_leading_space(tmp_path: Path) -> None:
    # citeproc-js does not trim a key: a title substituted for the author with a space
    # in front is "|Act 2018|" and sorts before every name (acta-universitatis-…,
    # annales-de-demographie-historique and six more styles of the catalogue).
    style = tmp_path / "leading-space.csl"
    style.write_text(LEADING_SPACE_STYLE, encoding="utf-8")
    sources = [
        pc.Source("z", "report", "Tidal energy", authors=[P("Aris", "Zed")]),
        pc.Source("m", "report", "Map of the harbour"),
        pc.Source("b", "report", "Budget", authors=[P("Brandt", "Ola")]),
        pc.Source("a", "legislation", "Act 2018"),
    ]
    assert _bibliography(style, sources) == [
        "Act 2018",
        "Map of the harbour",
        "Tidal energy",
        "Budget",
    ]


CHOSEN_TERM_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>chosen term</title><id>chosen-term</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author"><names variable="author"><name/><substitute>
    <choose><if type="legislation"><text variable="title"/></if>
      <else><text term="anonymous"/></else></choose>
  </substitute></names></macro>
  <citation><layout><text macro="author"/></layout></citation>
  <bibliography><sort><key macro="author"/></sort>
    <layout><group delimiter=". "><text macro="author"/><text variable="title"/></group></layout>
  </bibliography>
</style>
"""


def test_a_term_chosen_in_a_substitute_is_a_term(tmp_path: Path) -> None:
    # "anonymous" printed by a cs:choose in the substitute counts as a term, not as a
    # variable: the author macro (a group) prints nothing and its sort key is empty, so
    # the work comes last (archeosciences, smithsonian-…-botany); a title chosen there
    # is a variable and prints. Without the fix: "Anonymous. Sayings" sorted under A.
    style = tmp_path / "chosen-term.csl"
    style.write_text(CHOSEN_TERM_STYLE, encoding="utf-8")
    sources = [
        pc.Source("s", "book", "Sayings"),
        pc.Source("z", "book", "Zed", authors=[P("Aris", "Zed")]),
        pc.Source("a", "legislation", "Act"),
    ]
    assert _bibliography(style, sources) == ["Act", "Zed Aris. Zed", "Sayings"]
    bare = Renderer(pc.Library(sources), str(style), disabled_fixes=("substituted-term",))
    assert list(bare.bibliography().entries) != ["Act", "Zed Aris. Zed", "Sayings"]
