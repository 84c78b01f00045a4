"""Capture of government pages as they are: who speaks, who issues, when, in which language.

Each test is a fictional page built like one that gave a wrong record before (issue 12's
check corpus): a speech under an embargo note whose speaker has a role ("Energy
Ombudsman") rather than an honorific, a report whose first line is a download link, a
German release whose <title> ends in a section name and whose sidebar lists dated
headlines, a text copy with a "From: …" line, an undated page with a year in its prose,
a release labelled "Press release · <topic>", a speech copied with the site's copyright
line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.capture.pipeline import AddResult, add
from policycite.model import PartialDate, Source
from policycite.render import render_bibliography

ACCESSED = PartialDate.parse("2026-11-20")
NOW = "2026-11-20T09:30:00+00:00"


def _add(target: Path, tmp_path: Path, **options: object) -> AddResult:
    folder = tmp_path / "references"
    return add(target, folder, accessed=ACCESSED, now=lambda: NOW, **options)  # type: ignore[arg-type]


def _page(tmp_path: Path, html: str, name: str = "page.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


def _source(result: AddResult) -> Source:
    (item,) = result.added
    assert item.source is not None, item.reason
    return item.source


def _numbered(result: AddResult) -> list[str]:
    snapshot = result.added[0].snapshot
    return [snapshot.text[p.start : p.end] for p in snapshot.paragraphs if p.number is not None]


def _apa(source: Source) -> str:
    from policycite.model import Library

    return render_bibliography(Library((source,)), "apa").entries[0]


SPEECH = [
    "Thank you for inviting me to the harbour today.",
    "Last winter my office received 812 complaints about mooring fees from small boat "
    "owners, twice as many as three years ago.",
    "The complaints tell a simple story. Owners pay the fee, but they do not choose the "
    "berth. When the harbour has no reason to repair it, the owner pays for the delay.",
    "Let us make sure that small owners are heard first.",
]


def test_embargoed_speech_by_a_role_and_name_gets_a_record(tmp_path: Path) -> None:
    heading = "Speech by Harbour Ombudsman Tilde Marrow at the Small Boats Conference"
    body = (
        "<div class='header'><a href='/'>Office of the Harbour Ombudsman</a></div>"
        f"<div class='content'><h1>{heading}</h1>"
        "<p><em>Embargoed until 00:01 Thursday 6 March 2025</em></p>"
        + "".join(f"<p>{t}</p>" for t in SPEECH)
        + "</div><div class='sidebar'><h2>Latest news</h2><ul>"
        "<li><a href='/n/1'>Ombudsman rules on mooring fees</a> (15 January 2025)</li>"
        "</ul></div>"
    )
    html = (
        "<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{heading}</title>"
        "<meta property='og:site_name' content='Office of the Harbour Ombudsman'>"
        f"</head><body>{body}</body></html>"
    )
    result = _add(_page(tmp_path, html), tmp_path, url="https://harbourombudsman.example/s/1")
    source = _source(result)
    assert source.kind == "speech"
    assert [(a.family, a.given) for a in source.authors] == [("Marrow", "Tilde")]
    # The embargo lifts on the day the speech is given: that is its date, not a date of
    # the sidebar's other news.
    assert source.issued == PartialDate.parse("2025-03-06")
    assert source.transcript == "as-prepared"
    assert _numbered(result) == SPEECH


REPORT_BODY = [
    "Fewer than one in twenty harbour berths in Kestria has shore power, against one in "
    "five marina berths. This report asks why.",
    "We surveyed 300 harbour masters between March and June. Most said the grid "
    "connection was the obstacle.",
]


@pytest.mark.parametrize(
    "link",
    [
        "Download the full report (PDF, 2.4 MB)",
        "Download (PDF)",
        "Read the full statement",
        "Report (PDF, 880 KB)",
    ],
)
def test_download_link_is_not_paragraph_1_of_a_report(link: str, tmp_path: Path) -> None:
    html = (
        "<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='citation_title' content='Shore power in small harbours'>"
        "<meta name='citation_publisher' content='Institute for Harbour Policy'>"
        "<meta name='citation_publication_date' content='2024/11/20'>"
        "<title>Shore power in small harbours</title></head><body><article>"
        "<h1>Shore power in small harbours</h1>"
        f"<p class='download'><a href='/r.pdf'>{link}</a></p><h2>Summary</h2>"
        + "".join(f"<p>{t}</p>" for t in REPORT_BODY)
        + "<p><a href='/share'>Share this page</a></p></article></body></html>"
    )
    result = _add(_page(tmp_path, html), tmp_path, url="https://harbourpolicy.example/r/7")
    assert _numbered(result) == REPORT_BODY


@pytest.mark.parametrize(
    "line",
    [
        "Download the full report (PDF, 2.4 MB)",
        "Download (PDF)",
        "Read the full statement",
        "Share this page",
        "Print this page",
        "Bericht herunterladen (PDF, 1 MB)",
        "Télécharger le rapport (PDF)",
    ],
)
def test_link_lines_are_not_numbered_anywhere(line: str) -> None:
    from policycite.capture.preamble import numbers

    body = [(REPORT_BODY[0], False), (line, False), (REPORT_BODY[1], False)]
    assert numbers([(line, False), *body]) == [None, 1, None, 2]


@pytest.mark.parametrize(
    "line",
    [
        "Read the full statement of the board before the vote on the harbour budget.",
        "Download speeds in small harbours are below 2 MB a second, the survey found.",
        "Share this page's figures with your harbour master.",
        "See the map below for the harbours that qualify.",
    ],
)
def test_prose_that_opens_like_a_link_is_a_paragraph(line: str) -> None:
    from policycite.capture.preamble import numbers

    assert numbers([(REPORT_BODY[0], False), (line, False)]) == [1, 2]


GERMAN_RELEASE = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><title>Landesamt für Küstenschutz Nordmark - Pressemitteilungen</title></head>
<body>
<table><tr><td class="kopf"><a href="/">Landesamt für Küstenschutz Nordmark</a></td></tr>
<tr><td class="navi"><a href="/start">Startseite</a> | <a href="/presse">Presse</a></td></tr>
</table>
<div id="inhalt">
<p class="rubrik">Pressemitteilung Nr. 7/2025 vom 4. März 2025</p>
<h1>Deiche an der Westküste werden bis 2030 erhöht</h1>
<p>Das Landesamt für Küstenschutz Nordmark erhöht die Deiche an der Westküste bis zum Jahr
2030. Die Arbeiten beginnen im Frühjahr an den ältesten Abschnitten.</p>
<p>Seit Beginn des Programms wurden 42 Kilometer Deich verstärkt. Der größte Teil entfiel
auf die Inseln, die bei Sturmfluten zuerst betroffen sind.</p>
<p>„Der Küstenschutz gelingt nur, wenn wir früh genug handeln“, sagte Amtsleiter Dr. Jan
Brandt. Die Kosten trägt zum größten Teil das Land.</p>
</div>
<div id="rechts"><h3>Aktuelles</h3>
<p>14.02.2025 – Neue Leitfäden für kommunale Deichpläne</p>
<p>30.01.2025 – Jahresbilanz der Förderprogramme 2024</p></div>
<div id="fuss">© 2025 Landesamt für Küstenschutz Nordmark · <a href="/impressum">Impressum</a></div>
</body></html>
"""


def test_german_release_without_lang_or_meta(tmp_path: Path) -> None:
    page = _page(tmp_path, GERMAN_RELEASE, "pm.html", encoding="cp1252")
    result = _add(page, tmp_path, url="https://kuestenschutz.example/presse/pm-7")
    source = _source(result)
    assert source.kind == "press-release"
    # The issuing body, not the section name at the end of the <title>.
    assert [a.literal for a in source.authors] == ["Landesamt für Küstenschutz Nordmark"]
    # No lang attribute: the language is read from the text.
    assert source.language == "de"
    assert "language" in source.provenance.extracted
    # The sidebar's dated headlines are other releases, not paragraphs of this one.
    numbered = _numbered(result)
    assert len(numbered) == 3 and numbered[0].startswith("Das Landesamt")
    assert not any("Leitfäden" in t for t in numbered)
    assert source.issued == PartialDate.parse("2025-03-04")


@pytest.mark.parametrize(
    ("paragraphs", "language"),
    [
        (
            [
                "Le port de Vessby ouvre une nouvelle digue pour les petits bateaux. Les "
                "travaux ont duré deux ans et la digue protège désormais le bassin nord.",
                "La mairie a financé la moitié du coût avec une aide de la région, et le "
                "reste vient des droits de port payés par les propriétaires.",
            ],
            "fr",
        ),
        (
            [
                "The harbour of Vessby has opened a new breakwater for small boats. The "
                "work took two years and the wall now shields the north basin.",
                "The town paid half of the cost with a grant from the region, and the rest "
                "comes from the harbour dues that owners pay each year.",
            ],
            "en",
        ),
        (
            [
                "De haven van Vessby heeft een nieuwe golfbreker voor kleine boten geopend. "
                "Het werk duurde twee jaar en de muur beschermt nu het noordelijke bassin.",
                "De gemeente betaalde de helft van de kosten met een subsidie van de regio, "
                "en de rest komt uit de havengelden die eigenaren elk jaar betalen.",
            ],
            "nl",
        ),
    ],
)
def test_language_of_a_page_without_lang_is_read_from_its_text(
    paragraphs: list[str], language: str, tmp_path: Path
) -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>Vessby</title></head><body><article>"
        "<h1>Vessby</h1>" + "".join(f"<p>{t}</p>" for t in paragraphs) + "</article></body></html>"
    )
    source = _source(_add(_page(tmp_path, html), tmp_path, url="https://vessby.example/a"))
    assert source.language == language


CONSULTATION = "\n".join(
    [
        "Skip to main content",
        "Department of Harbours, Fisheries and Coastal Affairs",
        "Home Harbours Fisheries Coast Publications Consultations News",
        "Consultations",
        "Consultation: Minimum safety standard for small harbours",
        "Published 1 October 2024",
        "From: Department of Harbours, Fisheries and Coastal Affairs",
        "",
        "The Department of Harbours, Fisheries and Coastal Affairs is consulting on a minimum "
        "safety standard for small harbours.",
        "",
        "Under the proposal, every harbour would need a lit ladder every fifty metres of quay "
        "and a rescue boat that can be launched within five minutes.",
        "",
        "Harbours with no staff at night would not meet the standard. Their owners would have "
        "until 2030 to bring them up to it.",
        "",
        "The consultation closes on 15 December 2024. Responses can be sent by email or by post.",
        "",
        "Is this page useful? Yes No",
        "Share this page",
        "Related content",
        "Local harbour plans: guidance for councils 12 September 2024",
        "© Department of Harbours, Fisheries and Coastal Affairs",
    ]
)


def test_text_copy_with_a_from_line(tmp_path: Path) -> None:
    page = tmp_path / "consultation.txt"
    page.write_text(CONSULTATION, "utf-8")
    source = _source(_add(page, tmp_path, url="https://harbours.gov.example/c/1"))
    assert source.title == "Consultation: Minimum safety standard for small harbours"
    assert [a.literal for a in source.authors] == [
        "Department of Harbours, Fisheries and Coastal Affairs"
    ]
    assert source.issued == PartialDate.parse("2024-10-01")
    assert source.kind == "webpage"  # a consultation page, not a press release


def test_organisation_named_in_a_title_keeps_its_comma_and_and() -> None:
    from policycite.capture.plaintext import extract_text

    text = (
        "Department of Harbours, Fisheries and Coastal Affairs opens harbour grants\n"
        "3 March 2025\n\n"
        "The Department of Harbours, Fisheries and Coastal Affairs opened its harbour "
        "grants today, with a budget of forty million for small ports.\n"
        "Ports with fewer than two hundred berths may apply until June. The Department of "
        "Harbours, Fisheries and Coastal Affairs pays up to sixty percent.\n"
        "A second round opens in autumn. The Department of Harbours, Fisheries and "
        "Coastal Affairs will announce it in September.\n"
    )
    (document,) = extract_text(text).documents
    assert document.value("issuer") == "Department of Harbours, Fisheries and Coastal Affairs"


def test_a_year_in_prose_is_not_a_publication_date(tmp_path: Path) -> None:
    html = (
        "<html lang='en'><head><meta charset='utf-8'><title>Vessby Boat Club</title></head>"
        "<body><div class='banner'>Vessby Boat Club</div><div class='text'>"
        "<h1>How our shared slipway works</h1>"
        "<p>Vessby Boat Club is owned by the 114 households that moor here. Each household "
        "holds one share and has one vote at the annual meeting.</p>"
        "<p>Members pay a fixed yearly fee and a price per launch that the annual meeting "
        "sets. In 2024 the price was the lowest on the coast.</p>"
        "<p>New members can join when a berth is free. Ask us about the waiting list.</p>"
        "</div></body></html>"
    )
    result = _add(_page(tmp_path, html), tmp_path, url="https://vessbyboats.example/slipway")
    source = _source(result)
    assert source.issued is None
    assert "(n.d.)" in _apa(source)


def test_press_release_label_with_a_topic(tmp_path: Path) -> None:
    html = (
        "<html lang='en'><head><meta charset='utf-8'>"
        "<title>New breakwater for Vessby harbour - Vessby Harbour Company</title></head>"
        "<body><div class='top'><a href='/en/'>Vessby Harbour Company</a></div>"
        "<div class='main'><p class='label'>Press release · Harbours</p>"
        "<h1>New breakwater for Vessby harbour</h1>"
        "<p class='dateline'>Vessby, 5 February 2025</p>"
        "<p>Vessby Harbour Company will build a new breakwater with a length of 400 metres. "
        "From 2027 it will shield the north basin from winter storms.</p>"
        "<p>The wall will cost 90 million crowns. Half of the cost is covered by a loan "
        "from the Nordic Investment Facility.</p>"
        "<p>Construction begins in September 2025.</p></div></body></html>"
    )
    result = _add(_page(tmp_path, html), tmp_path, url="https://vessbyharbour.example/n/1")
    source = _source(result)
    assert source.kind == "press-release"
    assert [a.literal for a in source.authors] == ["Vessby Harbour Company"]
    apa = _apa(source)
    assert apa.startswith("Vessby Harbour Company. (2025, February 5). New breakwater")
    assert "[Press release]" in apa


def test_speech_text_copy_names_its_site_by_the_copyright_line(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Skip to content",
            "Home News Speeches Publications Contact Search",
            "Ministry of Harbours of Veldoria",
            "Speeches",
            "Speech by Minister Irena Holt at the Small Harbours Forum",
            "As prepared for delivery",
            "20 September 2023",
            "",
            "Dear colleagues,",
            "",
            *(f"{t}\n" for t in SPEECH[1:]),
            "Share this page: Facebook | X | Email",
            "Related",
            "Minister Holt visits the Vessby quay 12 September 2023",
            "© Ministry of Harbours of Veldoria | Privacy | Accessibility",
        ]
    )
    page = tmp_path / "speech.txt"
    page.write_text(text, "utf-8")
    source = _source(_add(page, tmp_path, url="https://harbours.example/s/1"))
    assert source.kind == "speech"
    assert source.publisher == "Ministry of Harbours of Veldoria"
    apa = _apa(source)
    assert "[Speech transcript, as prepared for delivery]. Ministry of Harbours of Veldoria." in apa
