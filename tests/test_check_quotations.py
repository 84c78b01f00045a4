"""Which quotations `policycite check` checks, against which record, and what it says.

Issue 12, items 1–6 and 15: group authors with "and" in their names, quotations whose
citation cannot be resolved, APA's narrative form with the locator after the quotation,
scare quotes and quoted titles, quotations held by another record, block quotes and the
source's own quotation marks, Word footnotes.

The library is built here from Python values: a fictional Veldorian government (its
Ministry of Energy and Climate, a Department for Coastal Security and Net Zero, a
Ministry of Harbours, Communities and Local Government), a minister's speech and a news
article that quotes it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from policycite.brief.readers import read_brief
from policycite.brief.structure import parse_brief
from policycite.library import load_library
from policycite.model import Name, PartialDate
from policycite.render import Renderer
from policycite.rules.quotations import quoted_at
from policycite.rules.result import CheckResult
from policycite.rules.validate import check

from libraries import write_library

CAPTURED_AT = "2025-06-01T09:00:00+00:00"
MHCLG = "Ministry of Harbours, Communities and Local Government"

SOURCES: list[tuple[dict[str, object], list[str] | None]] = [
    (
        {
            "key": "mec2024",
            "kind": "press-release",
            "title": "Heat pump grants open to every household",
            "authors": [Name.organisation("Ministry of Energy and Climate")],
            "issued": PartialDate(2024, 3, 5),
            "language": "en",
            "url": "https://www.energy-climate.example/press/2024-03-05-heat-pumps",
        },
        [
            "# Heat pump grants open to every household",
            "From 1 April, every household in Veldoria can apply for a grant of up to 6,000 "
            "crowns towards a heat pump, the ministry announced today.",
            "Clean heat is the cheapest way to cut the bills of families who live in cold "
            "homes, and the grant makes it affordable for all of them.",
            "The grants will be paid within 30 days of an installer's invoice.",
        ],
    ),
    (
        {
            "key": "dcs2025",
            "kind": "press-release",
            "title": "Offshore wind auction draws record bids",
            "authors": [Name.organisation("Department for Coastal Security and Net Zero")],
            "issued": PartialDate(2025, 2, 11),
            "language": "en",
            "url": "https://www.coastal-security.example/news/2025-02-11-wind-auction",
        },
        [
            "# Offshore wind auction draws record bids",
            "Eleven companies bid for the four offshore wind zones offered in this year's "
            "auction, the highest number since auctions began.",
            "The winning bids will supply enough power for two million homes by 2030 and "
            "keep the lights on when the wind drops, thanks to new storage.",
            "The department will publish the results of the auction in April.",
        ],
    ),
    (
        {
            "key": "mhc2024",
            "kind": "report",
            "title": "Cold homes, warm words: Insulation in rented housing",
            "authors": [
                Name.organisation("Ministry of Harbours, Communities and Local Government")
            ],
            "issued": PartialDate(2024, 11),
            "publisher": MHCLG,
            "language": "en",
            "url": "https://www.harbours-communities.example/reports/cold-homes",
        },
        [
            "# Cold homes, warm words: Insulation in rented housing",
            "One rented home in five in the harbour towns has no insulation in its roof.",
            "Landlords have been promised help for a decade, but the money has rarely reached "
            "the homes that need it most.",
            "We recommend that every rented home reach a minimum insulation standard by 2030.",
        ],
    ),
    (
        {
            "key": "marsh2025",
            "kind": "speech",
            "title": "Speech at the opening of the Port Elswick heat network",
            "authors": [Name.person("Marsh", "Edda")],
            "issued": PartialDate(2025, 4, 2),
            "publisher": "Ministry of Energy and Climate",
            "language": "en",
            "url": "https://www.energy-climate.example/speeches/2025-04-02-heat-network",
        },
        [
            "Good afternoon, and thank you all for coming out in this wind.",
            "This network will heat four thousand homes with the warmth of the sea.",
            "No family in this town should have to choose between heating and eating, and "
            "with this network none will.",
            "As the harbour master put it to me this morning, “it is the first good news "
            "the harbour has had in years”, and I agree with her.",
            "Thank you.",
        ],
    ),
    (
        {
            "key": "pell2025",
            "kind": "news-article",
            "title": "Port Elswick switches on its sea-water heat network",
            "authors": [Name.person("Pell", "Aron")],
            "issued": PartialDate(2025, 4, 3),
            "container_title": "Elswick Courier",
            "language": "en",
            "url": "https://www.elswickcourier.example/2025/04/03/heat-network",
        },
        [
            "Port Elswick became the first town in Veldoria to heat its homes from the sea on "
            "Wednesday.",
            "Opening the network, Energy Minister Edda Marsh said the town had shown that "
            "“the sea can keep us warm as well as feed us”.",
            "Residents will pay a fixed price for their heat for the first five years.",
        ],
    ),
    (  # a web page (no news site) that quotes the speech and copies the press release
        {
            "key": "voss2025",
            "kind": "webpage",
            "title": "What the heat network means for Port Elswick",
            "authors": [Name.person("Voss", "Ilse")],
            "issued": PartialDate(2025, 4, 5),
            "language": "en",
            "url": "https://www.elswickresidents.example/notes/heat-network",
        },
        [
            "The minister came to open the network on a windy afternoon.",
            "In her speech, Edda Marsh said that “no family in this town should have to "
            "choose between heating and eating”, and the crowd cheered.",
            "The grants will be paid within 30 days of an installer's invoice.",
        ],
    ),
]


def build_library(folder: Path) -> None:
    """Write the records of SOURCES to ``folder``, with their snapshots."""
    write_library(folder, SOURCES, CAPTURED_AT)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("quotations") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


@pytest.fixture(scope="module")
def apa(library: Path) -> dict[str, str]:
    """The APA reference entry of each record."""
    records = load_library(library).library
    renderer = Renderer(records, "apa")
    keys = [str(fields["key"]) for fields, _ in SOURCES]
    rendered = renderer.bibliography(keys)
    return dict(zip(rendered.keys, rendered.entries, strict=True))


def run(body: str, keys: list[str], library: Path, apa: dict[str, str]) -> CheckResult:
    """Check a Markdown brief of ``body`` whose reference list holds ``keys``."""
    entries = "\n\n".join(apa[k] for k in keys)
    brief = parse_brief(f"# Brief\n\n{body}\n\n## References\n\n{entries}\n", format="markdown")
    return check(brief, load_library(library).library, library)


def codes(result: CheckResult) -> list[str]:
    return [f.code for f in result.report]


def quotation_statuses(result: CheckResult) -> list[str | None]:
    return [h.status for h in result.highlights if h.kind == "quotation"]


# --- 1. group authors with "and" ------------------------------------------------------


GROUP_CITATIONS = [
    "(Ministry of Energy and Climate, 2024, para. 2)",
    "(Ministry of Energy and Climate [MEC], 2024, para. 2)",
    "(MEC, 2024, para. 2)",  # the abbreviation, once it was given
]


@pytest.mark.parametrize(
    "body",
    [
        'The ministry called clean heat "the cheapest way to cut the bills of families who '
        'live in cold homes" (Ministry of Energy and Climate, 2024, para. 2).',
        'The ministry called clean heat "the cheapest way to cut the bills of families who '
        'live in cold homes" (Ministry of Energy and Climate [MEC], 2024, para. 2). Grants '
        'are paid "within 30 days of an installer\'s invoice" (MEC, 2024, para. 3).',
        'The Ministry of Energy and Climate (2024, para. 2) called clean heat "the cheapest '
        'way to cut the bills of families who live in cold homes".',
        'The Ministry of Energy and Climate (MEC, 2024) called clean heat "the cheapest '
        'way to cut the bills of families who live in cold homes" (para. 2).',
    ],
)
def test_group_author_with_and_matches_its_reference(
    body: str, library: Path, apa: dict[str, str]
) -> None:
    result = run(body, ["mec2024"], library, apa)
    assert codes(result) == []
    assert set(quotation_statuses(result)) == {"verbatim"}


def test_group_authors_with_and_and_commas(library: Path, apa: dict[str, str]) -> None:
    body = (
        "The Department for Coastal Security and Net Zero (2025, para. 2) expects the "
        'winning bids to "supply enough power for two million homes by 2030". The Ministry '
        'of Harbours, Communities and Local Government (2024) found that landlords "have '
        'been promised help for a decade" (para. 2), and recommends a standard for 2030 '
        "(Ministry of Harbours, Communities and Local Government, 2024, para. 3)."
    )
    result = run(body, ["dcs2025", "mhc2024"], library, apa)
    assert codes(result) == []
    assert quotation_statuses(result) == ["verbatim", "verbatim"]


def test_a_shorter_organisation_is_not_the_one_with_and(library: Path, apa: dict[str, str]) -> None:
    # "and" between person names still separates authors; a citation naming a
    # different organisation does not match by its first words.
    result = run(
        'Marsh and Pell (2025) did not write together. "No family in this town should have '
        'to choose between heating and eating" (Ministry of Energy, 2024, para. 2).',
        ["marsh2025"],
        library,
        apa,
    )
    assert {"PC201"} <= set(codes(result))
    assert "PC202" not in codes(result)  # Marsh (2025) cites the speech


# --- 2. nothing is silently unchecked -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "keys", "why"),
    [
        (  # no entry in the reference list
            '"No family in this town should have to choose between heating and eating" '
            "(Tarn, 2025, para. 3).",
            ["marsh2025"],
            "(Tarn, 2025) has no entry in the reference list",
        ),
        (  # the author with another year
            '"No family in this town should have to choose between heating and eating" '
            "(Marsh, 2024, para. 3).",
            ["marsh2025"],
            "(Marsh, 2024) has no entry in the reference list",
        ),
        (  # an entry that matches no record
            '"No family in this town should have to choose between heating and eating" '
            "(Tarn, 2025, para. 3).",
            ["marsh2025", "Tarn, O. (2025). Heating and eating. Veldoria Policy Forum."],
            "reference 2 matches no record of the library",
        ),
        (  # a pandoc key the library does not hold
            '"No family in this town should have to choose between heating and eating" '
            "[@tarn2025, para. 3].",
            ["marsh2025"],
            "@tarn2025 is not in the library",
        ),
    ],
)
def test_a_quotation_whose_citation_is_not_resolved_says_so(
    body: str, keys: list[str], why: str, library: Path, apa: dict[str, str]
) -> None:
    apa = {**apa, keys[-1]: keys[-1]} if keys[-1] not in apa else apa
    result = run(f"Marsh (2025) spoke at the opening. {body}", keys, library, apa)
    (finding,) = [f for f in result.report if f.code == "PC220"]
    assert "not checked" in finding.message and why in finding.message
    assert quotation_statuses(result) == ["not-checked"]


@pytest.mark.parametrize("corpus", ["check", "briefs"])
def test_every_quotation_of_the_golden_briefs_is_checked_or_reported(
    corpus: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No quotation ends with no status and no finding (JSON ``status: null``).

    The briefs are the golden briefs of every rule (tests/golden/check) and the
    precision/recall corpus (tests/golden/briefs: Markdown, Word with footnotes, LaTeX).
    """
    from conftest import GOLDEN, ROOT

    folder = tmp_path_factory.mktemp("golden") / "references"
    if corpus == "check":
        from test_check import build_library as build_check_library

        folder.mkdir()
        build_check_library(folder)
        briefs = sorted((GOLDEN / "check").glob("*/brief.*"))
    else:
        from corpus import brief_files
        from corpus import build_library as build_corpus_library

        build_corpus_library(folder)
        briefs = brief_files()
    records = load_library(folder).library
    monkeypatch.chdir(ROOT)
    walked = 0
    for brief_path in briefs:
        result = check(read_brief(brief_path), records, folder)
        at = {(f.location.line, f.location.column) for f in result.report}
        for highlight in result.highlights:
            if highlight.kind != "quotation":
                continue
            walked += 1
            span = result.brief.span_at(highlight.start, highlight.end)
            name = brief_path.relative_to(GOLDEN)
            quoted = result.brief.text[highlight.start : highlight.end]
            assert highlight.status is not None or (span.line, span.column) in at, (
                f"{name}: {quoted}"
            )
            assert highlight.status is not None, f"{name}: {quoted}"
    assert walked >= 12


# --- 3. APA's narrative form with the locator after the quotation ---------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('Marsh (2025) said "this network will heat four thousand homes" (para. 2).', []),
        (
            'Marsh (2025) argued that "this network will heat four thousand homes" (para. 3).',
            ["PC212"],
        ),
        ('Marsh (2025) said: "This network will heat four thousand homes" (p. 2).', []),
        ('Marsh (2025) said "this network will heat four thousand homes".', ["PC211"]),
        ('Marsh (2025) said "this network will heat five thousand homes" (para. 2).', ["PC401"]),
    ],
)
def test_narrative_citation_with_the_locator_after_the_quotation(
    sentence: str, expected: list[str], library: Path, apa: dict[str, str]
) -> None:
    result = run(sentence, ["marsh2025"], library, apa)
    assert codes(result) == expected
    status = "misquote" if expected == ["PC401"] else "verbatim"
    assert quotation_statuses(result) == [status]


# --- 4. scare quotes, titles, "so-called", "as cited in" ------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # a scare quote inside a cited sentence
        'The ministry wants "clean heat" in every home (Ministry of Energy and Climate, 2024).',
        # "so-called", "called", "dubbed" introduce a term, not a quotation
        'Grants for so-called "heat pumps for all households" open in April (Ministry of '
        "Energy and Climate, 2024).",
        'The ministry\'s plan, dubbed "warm homes before winter ends", opens in April '
        "(Ministry of Energy and Climate, 2024).",
        # the title of a work: the record's title, or its main title before the colon
        'The report "Cold homes, warm words" finds one rented home in five without roof '
        "insulation (Ministry of Harbours, Communities and Local Government, 2024).",
        'In "Heat pump grants open to every household" the ministry set out the scheme '
        "(Ministry of Energy and Climate, 2024).",
    ],
)
def test_terms_and_titles_are_not_quotations(body: str, library: Path, apa: dict[str, str]) -> None:
    result = run(body, ["mec2024", "mhc2024"], library, apa)
    assert [c for c in codes(result) if c != "PC202"] == []
    assert quotation_statuses(result) == []


@pytest.mark.parametrize(
    "before",
    ["The ministry wrote in its report:", "The report"],
)
def test_a_report_quoted_with_a_locator_is_checked(
    before: str, library: Path, apa: dict[str, str]
) -> None:
    result = run(
        f'{before} "one rented home in five in the harbour towns has no insulation in its '
        'roof" (Ministry of Harbours, Communities and Local Government, 2024, para. 1).',
        ["mhc2024"],
        library,
        apa,
    )
    assert codes(result) == []
    assert quotation_statuses(result) == ["verbatim"]


def test_a_short_quotation_with_a_locator_is_checked(library: Path, apa: dict[str, str]) -> None:
    result = run(
        'The ministry calls it "cheap heat" (Ministry of Energy and Climate, 2024, para. 2).',
        ["mec2024"],
        library,
        apa,
    )
    assert codes(result) == ["PC401"]  # the source says "clean heat"


@pytest.mark.parametrize(
    ("quoted", "expected"),
    [
        ("6,000 crowns towards a heat pump", []),
        ("8,000 crowns towards a heat pump", ["PC401"]),  # the source says 6,000
        ("30 days of an installer's invoice", ["PC212"]),  # para. 3, cited as para. 1
    ],
)
def test_a_quotation_may_open_with_a_digit(
    quoted: str, expected: list[str], library: Path, apa: dict[str, str]
) -> None:
    result = run(
        f'Every household can claim "{quoted}" (Ministry of Energy and Climate, 2024, para. 1).',
        ["mec2024"],
        library,
        apa,
    )
    assert codes(result) == expected
    assert len(quotation_statuses(result)) == 1


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('It costs "$40 a month for every home" (Tarn, 2025).', ["$40 a month for every home"]),
        ('It costs "€40 a month for every home" (Tarn, 2025).', ["€40 a month for every home"]),
        ('A rise of "12% in a single winter" (Tarn, 2025).', ["12% in a single winter"]),
        ("Landlords got '4,812 letters in the post' (Tarn, 2025).", ["4,812 letters in the post"]),
        # Inch marks and primes are no quotation marks.
        ('A 5" pipe and a 7" pipe fit (Tarn, 2025).', []),
        ("The wall is 5' 10\" high and 2' 4\" thick (Tarn, 2025).", []),
        # An elided year is an apostrophe: "the '90s", "the '24 budget".
        (
            "Since the '90s the '24 budget is the largest 'in living memory' (Tarn, 2025).",
            ["in living memory"],
        ),
    ],
)
def test_quotations_opening_with_digits_and_signs_are_read(text: str, quoted: list[str]) -> None:
    brief = parse_brief(f"# Brief\n\n{text}\n", format="markdown")
    assert [q.text for q in brief.quotations] == quoted


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("(Marsh, 2025, as cited in Pell, 2025)", []),
        ("(Marsh, 2025, as cited in Pell, 2025, para. 2)", []),
        ("(Marsh, 2025, as cited in Pell, 2025, para. 3)", ["PC212"]),
        ("(Marsh, as cited in Pell, 2025, para. 2)", []),  # the speaker's words, undated
    ],
)
def test_as_cited_in_checks_the_quotation_in_the_secondary_source(
    citation: str, expected: list[str], library: Path, apa: dict[str, str]
) -> None:
    # Only the secondary source is in the reference list (APA 8.6); the words are the
    # article's report of the speech, not in the speech's transcript.
    result = run(
        f'The minister said that "the sea can keep us warm as well as feed us" {citation}.',
        ["pell2025"],
        library,
        apa,
    )
    assert codes(result) == expected
    assert quotation_statuses(result) == ["verbatim"]


# --- 5. a quotation held by another record than the one cited -------------------------


def test_a_quotation_in_another_record_names_that_record(
    library: Path, apa: dict[str, str]
) -> None:
    # The words are the department's (dcs2025, para. 2), cited to the minister's speech.
    result = run(
        'The minister promised power "for two million homes by 2030 and keep the lights on '
        'when the wind drops" (Marsh, 2025, para. 2).',
        ["marsh2025"],
        library,
        apa,
    )
    (finding,) = result.report
    assert finding.code == "PC213"
    assert "@dcs2025" in finding.message and "para. 2" in finding.message
    assert "@marsh2025" in finding.message
    assert finding.hint == "cite @dcs2025, para. 2"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the page quotes the minister, whose speech the brief does not cite
            'Marsh promised that "no family in this town should have to choose between '
            'heating and eating" (Voss, 2025, para. 2).',
            ["PC213"],
        ),
        (  # the page's own words (copied from a press release, unquoted): its words
            'Grants are "paid within 30 days of an installer\'s invoice" (Voss, 2025, para. 3).',
            [],
        ),
    ],
)
def test_a_page_that_quotes_a_primary_source_is_secondary(
    body: str, expected: list[str], library: Path, apa: dict[str, str]
) -> None:
    # A page not captured as a news article still reports the speech's words when it
    # quotes them: the speech is the source to cite.
    result = run(body, ["voss2025"], library, apa)
    assert codes(result) == expected
    if expected:
        (finding,) = result.report
        assert "@marsh2025" in finding.message and "para. 3" in finding.message
        assert "webpage @voss2025, which quotes it" in finding.message
        assert finding.hint == "cite @marsh2025, para. 3"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Marsh said “no family should choose” and left.", True),
        ("Marsh sagte „keine Familie soll wählen“ und ging.", True),
        ("Marsh a dit « aucune famille ne doit choisir » puis.", True),
        ('Marsh said "no family should choose" and left.', True),
        ("„Zuerst“ sagte sie: keine Familie soll wählen, und ging.", False),
        ("“First” she said no family should choose and left.", False),
        ('"First" she said no family should choose and left.', False),
        ("She said “yes”.\nNo family should choose, “she” wrote.", False),
    ],
)
def test_quoted_at_pairs_the_source_s_own_marks(text: str, quoted: bool) -> None:
    words = next(
        w
        for w in (
            "no family should choose",
            "keine Familie soll wählen",
            "aucune famille ne doit choisir",
            "No family should choose",
        )
        if w in text
    )
    start = text.index(words)
    assert quoted_at(text, start, start + len(words)) is quoted


def test_a_quotation_in_no_record_is_not_in_its_source(library: Path, apa: dict[str, str]) -> None:
    result = run(
        'The ministry promised "warm homes for every family before the winter of 2026" '
        "(Ministry of Energy and Climate, 2024, para. 2).",
        ["mec2024"],
        library,
        apa,
    )
    assert codes(result) == ["PC403"]


# --- 6. block quotes' locators, the source's own quotation marks ----------------------


@pytest.mark.parametrize(
    ("intro", "closing", "expected"),
    [
        ("Marsh (2025) put it plainly:", "(para. 3)", []),
        ("Marsh (2025) put it plainly:", "(para. 4)", ["PC212"]),
        ("The minister put it plainly:", "(Marsh, 2025, para. 3)", []),
        ("The minister put it plainly:", "(Marsh, 2025, para. 4)", ["PC212"]),
    ],
)
def test_a_block_quote_s_closing_locator_is_not_quoted(
    intro: str, closing: str, expected: list[str], library: Path, apa: dict[str, str]
) -> None:
    body = (
        f"{intro}\n\n> No family in this town should have to choose between heating and "
        f"eating, and with this network none will. {closing}"
    )
    result = run(body, ["marsh2025"], library, apa)
    assert codes(result) == expected
    (quotation,) = result.brief.quotations
    assert quotation.text.endswith("none will.")


@pytest.mark.parametrize(
    "quoted",
    [
        # the source's double marks turned into single ones, as APA asks
        "As the harbour master put it to me this morning, \u2018it is the first good news "
        "the harbour has had in years\u2019, and I agree with her.",
        # or dropped
        "As the harbour master put it to me this morning, it is the first good news the "
        "harbour has had in years, and I agree with her.",
    ],
)
def test_the_source_s_own_quotation_marks_are_no_word_change(
    quoted: str, library: Path, apa: dict[str, str]
) -> None:
    result = run(f"Marsh (2025) said:\n\n> {quoted} (para. 4)", ["marsh2025"], library, apa)
    assert codes(result) == []
    assert quotation_statuses(result) == ["verbatim"]


def test_a_misquote_s_hint_does_not_double_the_source_s_marks(
    library: Path, apa: dict[str, str]
) -> None:
    result = run(
        "Pell (2025) reported the minister's words: \u201cthe sea can keep us warm and feed "
        "us\u201d (para. 2).",
        ["pell2025"],
        library,
        apa,
    )
    (finding,) = result.report
    assert finding.code == "PC401"
    assert "[-and-]{+as well as+}" in finding.message
    assert "\u201c" not in finding.message  # the source's marks are not word changes
    assert (
        finding.hint == "the source reads: \u201cthe sea can keep us warm as well as feed us\u201d"
    )


# --- 15. Word footnotes ----------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_brief(
    path: Path, body: list[tuple[str, int | None]], notes: list[str], entry: str
) -> Path:
    """A .docx brief: paragraphs (text, footnote id or None), notes 1…, a bibliography.

    python-docx writes the body; the footnote marks and word/footnotes.xml are written by
    hand, as Word writes them (the note opens with its w:footnoteRef mark).
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for text, note in body:
        paragraph = document.add_paragraph(text)
        if note is not None:
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), str(note))
            paragraph.add_run()._r.append(reference)
    document.add_heading("Bibliography", level=2)
    document.add_paragraph(entry)
    plain = path.with_suffix(".plain.docx")
    document.save(str(plain))
    xml_notes = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">'
        f" {text}</w:t></w:r></w:p></w:footnote>"
        for n, text in enumerate(notes, 1)
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f"</w:footnote>{xml_notes}</w:footnotes>"
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", footnotes)
    return path


SPEECH_NOTE = (
    "Edda Marsh, \u201cSpeech at the Opening of the Port Elswick Heat Network,\u201d April 2, 2025"
)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (f"{SPEECH_NOTE}, para. 2.", "Ibid., para. 3.", []),
        (f"{SPEECH_NOTE}, para. 3.", "Ibid., para. 3.", ["PC212"]),
        (f"{SPEECH_NOTE}, para. 2.", "Ibid., para. 2.", ["PC212"]),
        (f"{SPEECH_NOTE}.", "Ibid.", ["PC211", "PC211"]),
        (f"{SPEECH_NOTE}, para. 2.", "Marsh, \u201cSpeech at the Opening,\u201d para. 3.", []),
    ],
)
def test_a_quotation_sourced_by_a_chicago_footnote(
    first: str,
    second: str,
    expected: list[str],
    tmp_path: Path,
    library: Path,
    apa: dict[str, str],
) -> None:
    path = word_brief(
        tmp_path / "brief.docx",
        [
            ("Marsh told the town that \u201cthis network will heat four thousand homes.\u201d", 1),
            (
                "She added: \u201cNo family in this town should have to choose between heating "
                "and eating.\u201d",
                2,
            ),
        ],
        [first, second],
        apa["marsh2025"],
    )
    result = check(read_brief(path), load_library(library).library, library)
    assert codes(result) == expected
    assert quotation_statuses(result) == ["verbatim", "verbatim"]


def test_quotations_in_word_footnotes_are_checked(
    tmp_path: Path, library: Path, apa: dict[str, str]
) -> None:
    path = word_brief(
        tmp_path / "brief.docx",
        [("The network opened in April.", 1), ("It was the first of its kind.", 2)],
        [
            f"{SPEECH_NOTE}. Marsh said that \u201cthis network will heat five thousand "
            "homes\u201d (Marsh, 2025, para. 2).",
            "Marsh also said that \u201cno family in this town should have to choose between "
            "heating and eating\u201d (Marsh, 2025, para. 3).",
        ],
        apa["marsh2025"],
    )
    result = check(read_brief(path), load_library(library).library, library)
    assert codes(result) == ["PC401"]
    assert quotation_statuses(result) == ["misquote", "verbatim"]
    assert (
        result.report.findings[0].location.line
        == result.brief.text.count("\n", 0, result.brief.text.index("this network will heat five"))
        + 1
    )


def test_a_footnote_naming_no_entry_leaves_its_quotation_reported(
    tmp_path: Path, library: Path, apa: dict[str, str]
) -> None:
    path = word_brief(
        tmp_path / "brief.docx",
        [("Tarn wrote that \u201cheat is the new bread of the harbour towns.\u201d", 1)],
        ["Oda Tarn, \u201cHeat and Bread,\u201d Veldoria Policy Forum, 2025, p. 4."],
        apa["marsh2025"],
    )
    result = check(read_brief(path), load_library(library).library, library)
    finding = next(f for f in result.report if f.code == "PC220")
    assert "footnote 1 names no entry of the reference list" in finding.message


def test_markdown_footnotes_cite_like_word_ones(library: Path, apa: dict[str, str]) -> None:
    result = run(
        "Marsh told the town that \u201cthis network will heat four thousand homes.\u201d[^1]\n\n"
        f"[^1]: {SPEECH_NOTE}, para. 3.",
        ["marsh2025"],
        library,
        apa,
    )
    assert codes(result) == ["PC212"]
