"""Reference strings to fields (APA 7, APA 6, Chicago) and fields to library records."""

# ruff: noqa: RUF001 - Cyrillic, CJK and curly quotes in references, on purpose

from __future__ import annotations

from typing import Any

import attrs
import pytest

from policycite.brief.matching import MATCH_MIN, SURE, ReferenceMatcher
from policycite.brief.refparse import ParsedReference, RefName, parse_reference
from policycite.model import Library, Name, PartialDate, Provenance, Source

BCWS = RefName(literal="Baltic Council for Water Security")
SPAN_FIELDS = ("title", "date", "url", "retrieved")


def person(family: str, given: str) -> RefName:
    return RefName(family=family, given=given)


# Each case gives the fields that differ from ParsedReference's defaults: every other
# field must keep its default, so every field of every case is asserted.
CASES: list[tuple[str, dict[str, Any]]] = [
    (  # APA 7 press release, group author, no site (author = publisher)
        "Baltic Council for Water Security. (2024, March 12). Council adopts joint monitoring "
        "plan for the Narva basin [Press release]. https://www.bcws.example/press/2024-03-12",
        {
            "authors": (BCWS,),
            "date_text": "2024, March 12",
            "year": 2024,
            "month": 3,
            "day": 12,
            "title": "Council adopts joint monitoring plan for the Narva basin",
            "description": "Press release",
            "url": "https://www.bcws.example/press/2024-03-12",
            "style": "apa7",
        },
    ),
    (  # APA 7 speech transcript on the host's site
        "Lindqvist, M. (2024, March 12). Opening address to the Ministerial Meeting on Baltic "
        "Water Security [Speech transcript]. Baltic Council for Water Security. "
        "https://www.bcws.example/speeches/lindqvist",
        {
            "authors": (person("Lindqvist", "M."),),
            "date_text": "2024, March 12",
            "year": 2024,
            "month": 3,
            "day": 12,
            "title": "Opening address to the Ministerial Meeting on Baltic Water Security",
            "description": "Speech transcript",
            "container": "Baltic Council for Water Security",
            "url": "https://www.bcws.example/speeches/lindqvist",
            "style": "apa7",
        },
    ),
    (  # APA 7 news article in an outlet
        "Kask, J. (2024, March 13). Ministers agree on shared monitoring of the Narva river. "
        "Baltic Times Review. https://www.btr.example/environment/2024/03/13/narva",
        {
            "authors": (person("Kask", "J."),),
            "date_text": "2024, March 13",
            "year": 2024,
            "month": 3,
            "day": 13,
            "title": "Ministers agree on shared monitoring of the Narva river",
            "container": "Baltic Times Review",
            "url": "https://www.btr.example/environment/2024/03/13/narva",
            "style": "apa7",
        },
    ),
    (  # APA 7 webpage that changes: n.d. and a retrieval date
        "Baltic Council for Water Security. (n.d.). Frequently asked questions about the joint "
        "monitoring plan. Retrieved April 2, 2024, from https://www.bcws.example/faq",
        {
            "authors": (BCWS,),
            "date_text": "n.d.",
            "no_date": True,
            "title": "Frequently asked questions about the joint monitoring plan",
            "url": "https://www.bcws.example/faq",
            "retrieved": "Retrieved April 2, 2024, from",
            "style": "apa7",
        },
    ),
    (  # report with a number: the parenthetical stays in the title
        "Northland Research Institute. (2023). Shared rivers, shared risks: Water security in "
        "the Baltic region (Report No. 12). https://nri.example/reports/12",
        {
            "authors": (RefName(literal="Northland Research Institute"),),
            "date_text": "2023",
            "year": 2023,
            "title": "Shared rivers, shared risks: Water security in the Baltic region "
            "(Report No. 12)",
            "url": "https://nri.example/reports/12",
            "style": "apa7",
        },
    ),
    (  # group author with its abbreviation in square brackets
        "Eastern Seaboard Commission [ESC]. (2022, June 1). Annual flood review [Annual "
        "report]. https://esc.example/review",
        {
            "authors": (RefName(literal="Eastern Seaboard Commission", abbreviation="ESC"),),
            "date_text": "2022, June 1",
            "year": 2022,
            "month": 6,
            "day": 1,
            "title": "Annual flood review",
            "description": "Annual report",
            "url": "https://esc.example/review",
            "style": "apa7",
        },
    ),
    (  # abbreviation in round brackets, n.d. with a suffix
        "Baltic Council for Water Security (BCWS). (n.d.-a). Frequently asked questions. "
        "https://www.bcws.example/faq/",
        {
            "authors": (RefName(literal="Baltic Council for Water Security", abbreviation="BCWS"),),
            "date_text": "n.d.-a",
            "year_suffix": "a",
            "no_date": True,
            "title": "Frequently asked questions",
            "url": "https://www.bcws.example/faq/",
            "style": "apa7",
        },
    ),
    (  # a bare acronym as author, APA 6 "Retrieved from" with nothing after it
        "BCWS. (2024, March 12). Joint statement on transboundary water data sharing. "
        "Retrieved from",
        {
            "authors": (RefName(abbreviation="BCWS"),),
            "date_text": "2024, March 12",
            "year": 2024,
            "month": 3,
            "day": 12,
            "title": "Joint statement on transboundary water data sharing",
            "retrieved": "Retrieved from",
            "retrieved_without_url": True,
            "style": "apa6",
        },
    ),
    (  # two persons, day-month order, a question as title
        "Berg, A., & Nowak, P. (2022, 13 May). Is the basin safe? Nordic Review. "
        "https://nr.example/basin",
        {
            "authors": (person("Berg", "A."), person("Nowak", "P.")),
            "date_text": "2022, 13 May",
            "year": 2022,
            "month": 5,
            "day": 13,
            "title": "Is the basin safe?",
            "container": "Nordic Review",
            "url": "https://nr.example/basin",
            "style": "apa7",
        },
    ),
    (  # three persons, journal article with a DOI URL
        "Halvorsen, T., Ilves, K. L., & Marek, O. (2021). Measuring transboundary cooperation. "
        "Journal of Water Governance, 12(3), 45–67. https://doi.org/10.5555/jwg.2021.045",
        {
            "authors": (person("Halvorsen", "T."), person("Ilves", "K. L."), person("Marek", "O.")),
            "date_text": "2021",
            "year": 2021,
            "title": "Measuring transboundary cooperation",
            "container": "Journal of Water Governance, 12(3), 45–67",
            "url": "https://doi.org/10.5555/jwg.2021.045",
            "doi": "10.5555/jwg.2021.045",
            "style": "apa7",
        },
    ),
    (  # year suffix with a full date
        "Northland Water Agency. (2024a, March 14). Water agency publishes first flood-risk "
        "maps for the eastern districts. https://www.water.northland.example/news/flood-maps",
        {
            "authors": (RefName(literal="Northland Water Agency"),),
            "date_text": "2024a, March 14",
            "year": 2024,
            "month": 3,
            "day": 14,
            "year_suffix": "a",
            "title": "Water agency publishes first flood-risk maps for the eastern districts",
            "url": "https://www.water.northland.example/news/flood-maps",
            "style": "apa7",
        },
    ),
    (  # a range of days; no URL at all
        "Ministry of Coastal Affairs. (2020, May 13–14). Talks on the Narva delta concluded "
        "[Press release].",
        {
            "authors": (RefName(literal="Ministry of Coastal Affairs"),),
            "date_text": "2020, May 13–14",
            "year": 2020,
            "month": 5,
            "day": 13,
            "title": "Talks on the Narva delta concluded",
            "description": "Press release",
            "style": "apa7",
        },
    ),
    (  # particle, hyphenated initials, suffix; a range across months; "St." in the title
        "van der Berg, A.-M., Jr. (2019, May 30–June 2). Notes from St. Petersburg. Harbour Post.",
        {
            "authors": (person("van der Berg", "A.-M., Jr."),),
            "date_text": "2019, May 30–June 2",
            "year": 2019,
            "month": 5,
            "day": 30,
            "title": "Notes from St. Petersburg",
            "container": "Harbour Post",
            "style": "apa7",
        },
    ),
    (  # APA 6 "Retrieved from" with a URL
        "Hale, R. (2021, March 3). Water diplomacy: A primer. Retrieved from "
        "http://hale.example/primer/",
        {
            "authors": (person("Hale", "R."),),
            "date_text": "2021, March 3",
            "year": 2021,
            "month": 3,
            "day": 3,
            "title": "Water diplomacy: A primer",
            "url": "http://hale.example/primer/",
            "retrieved": "Retrieved from",
            "style": "apa6",
        },
    ),
    (  # APA 6 DOI label
        "Marek, O. (2018). River basin councils compared. Water Policy Review, 7, 101–119. "
        "doi:10.5555/wpr.2018.7",
        {
            "authors": (person("Marek", "O."),),
            "date_text": "2018",
            "year": 2018,
            "title": "River basin councils compared",
            "container": "Water Policy Review, 7, 101–119",
            "doi": "10.5555/wpr.2018.7",
            "style": "apa6",
        },
    ),
    (  # editor role dropped, edition kept in the title, dx.doi.org (APA 6)
        "Dupont, J.-P. (Ed.). (2018). Rivers and borders (2nd ed.). Lakeside Press. "
        "http://dx.doi.org/10.5555/rb.2018",
        {
            "authors": (person("Dupont", "J.-P."),),
            "date_text": "2018",
            "year": 2018,
            "title": "Rivers and borders (2nd ed.)",
            "container": "Lakeside Press",
            "url": "http://dx.doi.org/10.5555/rb.2018",
            "doi": "10.5555/rb.2018",
            "style": "apa6",
        },
    ),
    (  # Chicago author-date: the full date after the site is taken
        "Norgaard, Vilhelm. 2020. “Remarks at the Extraordinary Meeting of the Coastal "
        "Council.” Eastern Seaboard Commission. May 18, 2020. https://esc.example/remarks",
        {
            "authors": (person("Norgaard", "Vilhelm"),),
            "date_text": "May 18, 2020",
            "year": 2020,
            "month": 5,
            "day": 18,
            "title": "Remarks at the Extraordinary Meeting of the Coastal Council",
            "container": "Eastern Seaboard Commission",
            "url": "https://esc.example/remarks",
            "style": "chicago",
        },
    ),
    (  # Chicago notes-bibliography, two persons, an access date that is skipped
        "Berg, Anna, and Piotr Nowak. “Water and Power.” Nordic Review, May 18, 2020. "
        "Accessed May 20, 2020. https://nr.example/power.",
        {
            "authors": (person("Berg", "Anna"), person("Nowak", "Piotr")),
            "date_text": "May 18, 2020",
            "year": 2020,
            "month": 5,
            "day": 18,
            "title": "Water and Power",
            "container": "Nordic Review",
            "url": "https://nr.example/power",
            "style": "chicago",
        },
    ),
    (  # Chicago speech: the genre word is the description
        "Lindqvist, Maria. “Opening Address.” Speech, Baltic Council for Water Security, "
        "Tallinn, March 12, 2024.",
        {
            "authors": (person("Lindqvist", "Maria"),),
            "date_text": "March 12, 2024",
            "year": 2024,
            "month": 3,
            "day": 12,
            "title": "Opening Address",
            "description": "Speech",
            "container": "Baltic Council for Water Security",
            "style": "chicago",
        },
    ),
    (  # Chicago author-date, group author, unquoted title
        "Nordic Water Forum. 2021. Annual Report 2021. Oslo: Nordic Water Forum.",
        {
            "authors": (RefName(literal="Nordic Water Forum"),),
            "date_text": "2021",
            "year": 2021,
            "title": "Annual Report 2021",
            "container": "Oslo: Nordic Water Forum",
            "style": "chicago",
        },
    ),
    (  # Cyrillic title, English translation and description in brackets
        "Northland Water Agency. (2024, March 14). Итоги совещания министров по водной "
        "безопасности [Outcomes of the ministerial meeting on water security] [Press release]. "
        "https://www.water.northland.example/ru/news/ministerial-outcomes",
        {
            "authors": (RefName(literal="Northland Water Agency"),),
            "date_text": "2024, March 14",
            "year": 2024,
            "month": 3,
            "day": 14,
            "title": "Итоги совещания министров по водной безопасности",
            "translated_title": "Outcomes of the ministerial meeting on water security",
            "description": "Press release",
            "url": "https://www.water.northland.example/ru/news/ministerial-outcomes",
            "style": "apa7",
        },
    ),
    (  # a title opening with a quotation, in guillemets; the translation has quotes too
        "Petrov, I. (2019). «Водная безопасность» в регионе [“Water security” in the region]. "
        "Vestnik, 4, 5–20.",
        {
            "authors": (person("Petrov", "I."),),
            "date_text": "2019",
            "year": 2019,
            "title": "«Водная безопасность» в регионе",
            "translated_title": "“Water security” in the region",
            "container": "Vestnik, 4, 5–20",
            "style": "apa7",
        },
    ),
    (  # lost characters and a site banner glued to the title: kept as written
        "ESC. (2020, May 13). 东部海岸??Восточная комиссияThe Eastern Seaboard Commission. "
        "Retrieved from",
        {
            "authors": (RefName(abbreviation="ESC"),),
            "date_text": "2020, May 13",
            "year": 2020,
            "month": 5,
            "day": 13,
            "title": "东部海岸??Восточная комиссияThe Eastern Seaboard Commission",
            "retrieved": "Retrieved from",
            "retrieved_without_url": True,
            "style": "apa6",
        },
    ),
    (  # UTF-8 read as cp1252 in the title: kept as written
        "Kask, J. (2024, March 13). Councilâ€™s plan for the Narva river. Baltic Times Review.",
        {
            "authors": (person("Kask", "J."),),
            "date_text": "2024, March 13",
            "year": 2024,
            "month": 3,
            "day": 13,
            "title": "Councilâ€™s plan for the Narva river",
            "container": "Baltic Times Review",
            "style": "apa7",
        },
    ),
    (  # republished speech: the original-publication note is not the container
        "Ortega, L. (2015). Against drought [Speech transcript]. Civic Rhetoric. (Original "
        "work published 1995)",
        {
            "authors": (person("Ortega", "L."),),
            "date_text": "2015",
            "year": 2015,
            "title": "Against drought",
            "description": "Speech transcript",
            "container": "Civic Rhetoric",
            "style": "apa7",
        },
    ),
    (  # a video; the URL has a query string
        "Eastern Seaboard Commission. (2021, October 4). Storm surge barriers explained "
        "[Video]. YouTube. https://www.youtube.com/watch?v=abc123",
        {
            "authors": (RefName(literal="Eastern Seaboard Commission"),),
            "date_text": "2021, October 4",
            "year": 2021,
            "month": 10,
            "day": 4,
            "title": "Storm surge barriers explained",
            "description": "Video",
            "container": "YouTube",
            "url": "https://www.youtube.com/watch?v=abc123",
            "style": "apa7",
        },
    ),
    (  # abbreviations with periods inside the title do not end it
        "Coastal Policy Forum. (2019, November 2). Mr. Norgaard meets the U.S. delegation on "
        "coastal data. Coastal Policy Forum News.",
        {
            "authors": (RefName(literal="Coastal Policy Forum"),),
            "date_text": "2019, November 2",
            "year": 2019,
            "month": 11,
            "day": 2,
            "title": "Mr. Norgaard meets the U.S. delegation on coastal data",
            "container": "Coastal Policy Forum News",
            "style": "apa7",
        },
    ),
    (  # a long author list with an ellipsis (APA 7, 21+ authors)
        "Kim, S., Park, J., Lee, H., … Choi, Y. (2020). Big team findings. Journal of Water, "
        "3(1), 1–9.",
        {
            "authors": (
                person("Kim", "S."),
                person("Park", "J."),
                person("Lee", "H."),
                person("Choi", "Y."),
            ),
            "date_text": "2020",
            "year": 2020,
            "title": "Big team findings",
            "container": "Journal of Water, 3(1), 1–9",
            "style": "apa7",
        },
    ),
    (  # nothing but a URL
        "https://www.bcws.example/press/x",
        {"url": "https://www.bcws.example/press/x"},
    ),
    (  # nothing recognisable: a date in running text is still read
        "Notes of the meeting held on 4 October 2021 in Tallinn",
        {"date_text": "4 October 2021", "year": 2021, "month": 10, "day": 4},
    ),
]


def _without_spans(ref: ParsedReference) -> dict[str, Any]:
    return {k: v for k, v in attrs.asdict(ref, recurse=False).items() if not k.endswith("_span")}


@pytest.mark.parametrize(("text", "fields"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_parse_reference_fields(text: str, fields: dict[str, Any]) -> None:
    parsed = parse_reference(text)
    assert _without_spans(parsed) == _without_spans(ParsedReference(text=text, **fields))
    # Spans point at the fields as written, so that findings can underline them.
    for name in SPAN_FIELDS:
        span = getattr(parsed, f"{name}_span")
        value = getattr(parsed, "date_text" if name == "date" else name)
        if value is None:
            assert span is None, name
        else:
            assert text[span[0] : span[1]] == value, name


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 25


def test_spans_of_an_apa6_entry() -> None:
    text = "Hale, R. (2021, March 3). Water diplomacy. Retrieved from http://hale.example/p"
    parsed = parse_reference(text)
    assert parsed.date_span == (10, 23)
    assert parsed.title_span == (26, 41)
    assert parsed.retrieved_span == (43, 57)
    assert parsed.url_span == (58, len(text))


def test_url_trailing_punctuation_and_balanced_parentheses() -> None:
    parsed = parse_reference(
        "Hale, R. (2021). Rivers. Wiki. https://wiki.example/River_(disambiguation)."
    )
    assert parsed.url == "https://wiki.example/River_(disambiguation)"


def test_ref_name_shown() -> None:
    assert person("Kask", "J.").shown == "Kask, J."
    assert RefName(abbreviation="ESC").shown == "ESC"
    assert BCWS.shown == "Baltic Council for Water Security"


# ---------------------------------------------------------------------------------------
# Matching


def _library() -> Library:
    bcws = Name.organisation("Baltic Council for Water Security", "BCWS")
    esc = Name.organisation("Eastern Seaboard Commission")  # no abbreviation recorded
    return Library(
        [
            Source(
                key="bcws2024a",
                kind="press-release",
                title="Council adopts joint monitoring plan for the Narva basin",
                authors=[bcws],
                issued=PartialDate(2024, 3, 12),
                provenance=Provenance(url="https://www.bcws.example/press/2024-03-12-plan"),
            ),
            Source(
                key="bcws2024b",
                kind="statement",
                title="Joint statement on transboundary water data sharing",
                authors=[bcws],
                issued=PartialDate(2024, 3, 12),
                provenance=Provenance(url="https://www.bcws.example/statements/data-sharing"),
            ),
            Source(
                key="esc2020",
                kind="press-release",
                title="Commission chair takes part in a video conference of coastal ministers",
                authors=[esc],
                issued=PartialDate(2020, 5, 18),
                container_title="Eastern Seaboard Commission",
            ),
            Source(
                key="norgaard2020",
                kind="speech",
                title="Remarks at the Extraordinary Meeting of the Coastal Council",
                authors=[Name.person("Norgaard", "Vilhelm")],
                issued=PartialDate(2020, 5, 18),
                event_date=PartialDate(2020, 5, 13),
                publisher="Eastern Seaboard Commission",
            ),
            Source(
                key="kask2024",
                kind="news-article",
                title="Ministers agree on shared monitoring of the Narva river",
                authors=[Name.person("Kask", "Jaan")],
                issued=PartialDate(2024, 3, 13),
                container_title="Baltic Times Review",
            ),
            Source(
                key="nwa2024ru",
                kind="press-release",
                title="Итоги совещания министров по водной безопасности",
                translated_title="Outcomes of the ministerial meeting on water security",
                authors=[Name.organisation("Northland Water Agency")],
                issued=PartialDate(2024, 3, 14),
            ),
        ]
    )


@pytest.fixture(scope="module")
def matcher() -> ReferenceMatcher:
    return ReferenceMatcher(_library())


def _match(matcher: ReferenceMatcher, text: str) -> list[Any]:
    return matcher.match(parse_reference(text))


def test_thresholds_are_ordered() -> None:
    assert 0 < MATCH_MIN < SURE < 1


def test_url_match_ignores_scheme_www_and_trailing_slash(matcher: ReferenceMatcher) -> None:
    found = _match(matcher, "Someone. (2019). Whatever. http://bcws.example/press/2024-03-12-plan/")
    assert found[0].key == "bcws2024a"
    assert found[0].confidence >= 0.95
    assert found[0].sure
    assert "URL = record URL" in found[0].reasons


def test_archived_url_matches_the_archived_page(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "BCWS. (2024). Plan. https://web.archive.org/web/20240320101500/"
        "https://www.bcws.example/press/2024-03-12-plan",
    )
    assert found[0].key == "bcws2024a"
    assert found[0].confidence >= 0.95


def test_group_author_by_recorded_abbreviation(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher, "BCWS. (2024, March 12). Joint statement on transboundary water data sharing."
    )
    assert found[0].key == "bcws2024b"
    assert found[0].sure
    assert "author 'BCWS' = abbreviation of Baltic Council for Water Security" in found[0].reasons
    assert "date 2024-03-12 ✓" in found[0].reasons


def test_group_author_by_acronym_of_its_name(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "ESC. (2020, May 18). Commission chair takes part in a video conference of coastal "
        "ministers [Press release].",
    )
    assert found[0].key == "esc2020"
    assert found[0].sure
    assert "author 'ESC' = abbreviation of Eastern Seaboard Commission" in found[0].reasons
    assert "[Press release] ✓" in found[0].reasons


def test_same_author_two_works_in_one_year_picked_by_title(matcher: ReferenceMatcher) -> None:
    first = _match(
        matcher,
        "Baltic Council for Water Security. (2024a, March 12). Council adopts joint monitoring "
        "plan for the Narva basin [Press release].",
    )
    second = _match(
        matcher,
        "Baltic Council for Water Security. (2024b, March 12). Joint statement on "
        "transboundary water data sharing [Statement].",
    )
    assert first[0].key == "bcws2024a"
    assert second[0].key == "bcws2024b"
    # The other work of the day has the right author and date but another title.
    assert [m.key for m in first] == ["bcws2024a"]
    assert [m.key for m in second] == ["bcws2024b"]


def test_wrong_day_still_matched_with_lower_confidence(matcher: ReferenceMatcher) -> None:
    right = _match(
        matcher,
        "Kask, J. (2024, March 13). Ministers agree on shared monitoring of the Narva river.",
    )
    wrong = _match(
        matcher,
        "Kask, J. (2024, March 15). Ministers agree on shared monitoring of the Narva river.",
    )
    assert right[0].key == wrong[0].key == "kask2024"
    assert MATCH_MIN <= wrong[0].confidence < right[0].confidence
    assert "date 2024-03-15 ≠ 2024-03-13" in wrong[0].reasons
    assert "author 'Kask, J.' = Kask, Jaan" in wrong[0].reasons


def test_wrong_year_still_matched_but_not_sure(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher, "Kask, J. (2023). Ministers agree on shared monitoring of the Narva river."
    )
    assert found[0].key == "kask2024"
    assert MATCH_MIN <= found[0].confidence < SURE
    assert "year 2023 ≠ 2024" in found[0].reasons


def test_event_date_of_a_speech_counts_as_its_date(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "Norgaard, V. (2020, May 13). Remarks at the Extraordinary Meeting of the Coastal "
        "Council [Speech transcript]. Eastern Seaboard Commission.",
    )
    assert found[0].key == "norgaard2020"
    assert found[0].sure
    assert "date 2020-05-13 = event date (issued 2020-05-18)" in found[0].reasons
    assert "site 'Eastern Seaboard Commission' ✓" in found[0].reasons


def test_chicago_reference_matched(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "Norgaard, Vilhelm. 2020. “Remarks at the Extraordinary Meeting of the Coastal "
        "Council.” Eastern Seaboard Commission. May 18, 2020.",
    )
    assert found[0].key == "norgaard2020"
    assert found[0].sure


def test_translated_title_matches(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "Northland Water Agency. (2024, March 14). Outcomes of the ministerial meeting on "
        "water security [Press release].",
    )
    assert found[0].key == "nwa2024ru"
    assert found[0].sure
    assert "title 1.00" in found[0].reasons


def test_no_plausible_record(matcher: ReferenceMatcher) -> None:
    assert _match(matcher, "Quist, Q. (2011). Something else entirely. Nowhere Press.") == []
    assert _match(matcher, "Baltic Council for Water Security. (2024). Annual budget.") == []
    assert _match(matcher, "Nothing recognisable at all") == []


def test_banner_title_matched_by_author_year_and_site(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "ESC. (2020, May 18). 东部海岸??Восточная комиссияThe Eastern Seaboard Commission. "
        "Eastern Seaboard Commission. Retrieved from",
    )
    assert found[0].key == "esc2020"
    # Author, date and site agree, but without a usable title a match is never sure.
    assert MATCH_MIN <= found[0].confidence < SURE
    assert any("not weighed" in reason for reason in found[0].reasons)
    assert "site 'Eastern Seaboard Commission' ✓" in found[0].reasons


def test_matches_are_best_first_and_confidences_bounded(matcher: ReferenceMatcher) -> None:
    found = _match(
        matcher,
        "ESC. (2020, May 13). 东部海岸??Восточная комиссияThe Eastern Seaboard Commission. "
        "Retrieved from",
    )
    assert [m.key for m in found][:1] == ["esc2020"]
    confidences = [m.confidence for m in found]
    assert confidences == sorted(confidences, reverse=True)
    assert all(MATCH_MIN <= c <= 1 for c in confidences)


def test_organisation_names_differing_in_a_word_are_different_bodies() -> None:
    ministry = Source(
        key="mca2020",
        kind="press-release",
        title="Talks on the Narva delta concluded",
        authors=[Name.organisation("Ministry of Coastal Affairs of Northland")],
        issued=PartialDate(2020, 5, 14),
    )
    matcher = ReferenceMatcher(Library([ministry]))
    short = _match(
        matcher, "Ministry of Coastal Affairs. (2020, May 14). Talks on the Narva delta concluded."
    )
    assert short[0].key == "mca2020"
    assert short[0].sure
    reason = "author 'Ministry of Coastal Affairs' ≈ Ministry of Coastal Affairs of Northland"
    assert reason in short[0].reasons
    other = _match(
        matcher,
        "Ministry of Coastal Affairs of Eastland. (2020, May 14). Talks on the Narva delta "
        "concluded.",
    )
    assert other[0].confidence < short[0].confidence
    assert any("not among the record's authors" in r for r in other[0].reasons)


@pytest.mark.parametrize("mark", ["*", "_"])
def test_a_markdown_title_ending_in_a_question_mark_ends_there(mark: str) -> None:
    # "*What is heart failure?* Site." : the emphasis closes after the "?" (issue 14).
    ref = parse_reference(
        f"National Heart Institute. (2022, March 24). {mark}What is heart failure?{mark} "
        "Department of Health, Institutes of Health. https://www.heart.example/failure"
    )
    assert ref.title == f"{mark}What is heart failure?{mark}"
    assert ref.container == "Department of Health, Institutes of Health"
