"""Capture of common government pages: datelines, delivery notes, release numbers, re-adds.

Every page here is fictional and written for the test. Paragraph numbers must be what a
reader counts in the body: a dateline, a "Press release ·" label or a "Check against
delivery" note above the body is not paragraph 1; it becomes metadata of the record.
"""

# German, French and Russian cue words are the point of these pages.
# ruff: noqa: RUF001

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policycite.capture.pipeline import AddResult, add
from policycite.cli import main
from policycite.library import load_library
from policycite.model import Library, PartialDate
from policycite.render import render_bibliography
from policycite.snapshots import SnapshotStore
from policycite.verify import VerifyOptions, verify

ACCESSED = PartialDate.parse("2026-11-20")
NOW = "2026-11-20T09:30:00+00:00"

BODY = [
    "The Ministry of Coastal Affairs opened applications for its harbour grants today, "
    "with a budget of forty million for the repair of breakwaters at small ports.",
    "Ports with fewer than two hundred berths may apply until the end of June, and the "
    "fund pays up to sixty percent of the cost of eligible works.",
    "A second round will open in autumn for ports that missed the first deadline.",
]


def _add(target: Path, folder: Path, **options: object) -> AddResult:
    return add(target, folder, accessed=ACCESSED, now=lambda: NOW, **options)  # type: ignore[arg-type]


def _html(head: str, body: str) -> str:
    return f"<html lang='en'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def _numbered(result: AddResult, document: int = 1) -> list[str]:
    snapshot = result.added[document - 1].snapshot
    return [snapshot.text[p.start : p.end] for p in snapshot.paragraphs if p.number is not None]


RELEASE_HEAD = (
    "<title>Harbour grants open for small ports | Ministry of Coastal Affairs</title>"
    "<meta property='og:site_name' content='Ministry of Coastal Affairs'>"
)


@pytest.mark.parametrize(
    ("preamble", "issued"),
    [
        (["Tuesday 11 February 2025, 06:45"], "2025-02-11"),
        (["Aarhus, 5 February 2025"], "2025-02-05"),
        (["Press release ·", "BRUSSELS, 3 March 2025 —"], "2025-03-03"),
        (["Press release · 4 March 2025"], "2025-03-04"),
    ],
)
def test_datelines_and_labels_are_not_paragraphs_of_an_html_page(
    preamble: list[str], issued: str, tmp_path: Path
) -> None:
    body = "<article><h1>Harbour grants open for small ports</h1>"
    body += "".join(f"<p>{line}</p>" for line in preamble)
    body += "".join(f"<p>{text}</p>" for text in BODY) + "</article>"
    page = tmp_path / "release.html"
    page.write_text(_html(RELEASE_HEAD, body), encoding="utf-8")
    result = _add(page, tmp_path / "references", url="https://coastal.example/r/1")
    assert _numbered(result) == BODY
    source = result.added[0].source
    assert source is not None and source.issued == PartialDate.parse(issued)


def test_dateline_at_the_start_of_the_first_paragraph(tmp_path: Path) -> None:
    first = "BRUSSELS, 3 March 2025 — " + BODY[0]
    body = "<article><h1>Harbour grants open for small ports</h1>"
    body += "".join(f"<p>{text}</p>" for text in [first, *BODY[1:]]) + "</article>"
    page = tmp_path / "release.html"
    page.write_text(_html(RELEASE_HEAD, body), encoding="utf-8")
    result = _add(page, tmp_path / "references", url="https://coastal.example/r/2")
    assert _numbered(result) == [first, *BODY[1:]]  # the paragraph a reader counts first
    source = result.added[0].source
    assert source is not None
    assert source.issued == PartialDate.parse("2025-03-03")
    assert source.publisher_place == "Brussels"


def test_datelines_and_labels_are_not_paragraphs_of_a_text_copy(tmp_path: Path) -> None:
    page = tmp_path / "release.txt"
    lines = [
        "Ministry of Coastal Affairs",
        "Harbour grants open for small ports",
        "Press release ·",
        "Aarhus, 5 February 2025",
        *BODY,
    ]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _add(page, tmp_path / "references", url="https://coastal.example/r/3")
    assert _numbered(result) == BODY
    source = result.added[0].source
    assert source is not None
    assert source.title == "Harbour grants open for small ports"
    assert source.issued == PartialDate.parse("2025-02-05")


SPEECH = [
    "Dear colleagues,",
    "It is an honour to open this forum in Port Halden, a city that has lived from its "
    "harbour for eight centuries and means to live from it for eight more.",
    "Our small ports carry a fifth of the region's freight, and every one of them has seen "
    "storms break over its walls in the last two winters.",
    "Thank you.",
]


@pytest.mark.parametrize(
    ("note", "transcript"),
    [
        ("Check against delivery", "as-prepared"),
        ("As prepared for delivery", "as-prepared"),
        ("Embargoed until 00:01 CET, 5 March 2025", "as-prepared"),
        ("As delivered", "as-delivered"),
    ],
)
@pytest.mark.parametrize("form", ["txt", "html"])
def test_speech_heading_with_a_delivery_note(
    note: str, transcript: str, form: str, tmp_path: Path
) -> None:
    heading = "Speech by Minister Irena Valk at the Harbour Forum in Port Halden"
    page = tmp_path / f"speech.{form}"
    if form == "txt":
        page.write_text("\n".join([heading, note, *SPEECH]) + "\n", encoding="utf-8")
    else:
        body = f"<article><h2>{heading}</h2><p><em>{note}</em></p>"
        body += "".join(f"<p>{t}</p>" for t in SPEECH) + "</article>"
        page.write_text(_html("<title>Ministry of Foreign Affairs</title>", body), "utf-8")
    result = _add(page, tmp_path / "references", url="https://mfa.example/speeches/1")
    (item,) = result.added
    source = item.source
    assert source is not None, [str(f) for f in result.findings]
    assert source.kind == "speech"
    assert source.title == heading
    assert source.speaker is not None and source.speaker.family == "Valk"
    assert source.transcript == transcript
    assert _numbered(result) == SPEECH
    rendered = render_bibliography(Library([source]), "apa").entries[0]
    genre = "as prepared for delivery" if transcript == "as-prepared" else "as delivered"
    assert f"[Speech transcript, {genre}]" in rendered


def test_dry_run_prints_what_it_found_when_no_record_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "speech.txt"
    # A speech heading without an honorific names no speaker: no record can be made.
    heading = "Speech at the Harbour Forum in Port Halden"
    page.write_text("\n".join([heading, "Check against delivery", *SPEECH]) + "\n", "utf-8")
    folder = tmp_path / "references"
    assert (
        main(["add", str(page), "-l", str(folder), "--dry-run", "--url", "https://x.example/s"])
        == 1  # a warning: no record could be made
    )
    out = capsys.readouterr().out
    assert out.startswith("would skip: document 1 (speech)")
    assert f"title       {heading}" in out
    assert "a speech needs a speaker" in out
    assert "transcript  as-prepared" in out
    assert "4 paragraphs" in out


NEWS_HEAD = (
    "<title>Port cities race to adapt</title>"
    "<meta property='og:type' content='article'>"
    "<meta property='og:site_name' content='The Halden Courier'>"
    "<meta property='og:title' content='Port cities race to adapt'>"
    "<meta name='author' content='Marta Lindqvist'>"
)


@pytest.mark.parametrize(
    "site",
    [
        "The Halden Courier",
        "The Northern Ledger",  # newspaper names beyond the commonest words
        "Port Halden Evening Argus",
        "Halden Advertiser",
        "The Coastal Echo",
    ],
)
def test_og_article_with_byline_on_a_newspaper_site_is_a_news_article(
    site: str, tmp_path: Path
) -> None:
    body = "<article><h1>Port cities race to adapt</h1><p class='byline'>By Marta Lindqvist</p>"
    body += "".join(f"<p>{t}</p>" for t in BODY) + "</article>"
    page = tmp_path / "news.html"
    page.write_text(_html(NEWS_HEAD.replace("The Halden Courier", site), body), encoding="utf-8")
    source = _add(page, tmp_path / "references", url="https://courier.example/a").added[0].source
    assert source is not None
    assert source.kind == "news-article"
    assert source.container_title == site
    assert [a.family for a in source.authors] == ["Lindqvist"]


def test_technical_report_number_makes_a_report(tmp_path: Path) -> None:
    head = (
        "<title>Storm surge risk at small ports</title>"
        "<meta name='citation_title' content='Storm surge risk at small ports'>"
        "<meta name='citation_author' content='Marsh, Elin'>"
        "<meta name='citation_publication_date' content='2025/03/04'>"
        "<meta name='citation_technical_report_number' content='7'>"
        "<meta name='citation_technical_report_institution' content='Halden Coastal Institute'>"
    )
    body = "<article>" + "".join(f"<p>{t}</p>" for t in BODY) + "</article>"
    page = tmp_path / "report.html"
    page.write_text(_html(head, body), encoding="utf-8")
    source = _add(page, tmp_path / "references", url="https://hci.example/r7").added[0].source
    assert source is not None
    assert source.kind == "report"
    assert source.number == "7"
    assert source.genre == "Report"
    rendered = render_bibliography(Library([source]), "apa").entries[0]
    assert "(Report No. 7)" in rendered


GERMAN = (
    "<html><head>"
    "<title>Pressemitteilung Nr. 12/2025 vom 3. März 2025 - Ministerium für Küstenschutz</title>"
    '<meta property="og:site_name" content="Ministerium für Küstenschutz">'
    '</head><body><div class="content">'
    '<p class="kicker">Pressemitteilung Nr. 12/2025 vom 3. März 2025</p>'
    "<h1>Förderprogramm für kleine Häfen geöffnet</h1>"
    "<p>Das Ministerium für Küstenschutz öffnet heute sein Förderprogramm für kleine Häfen. "
    "Gefördert werden Wellenbrecher, Kaimauern und Schleusen an Häfen mit weniger als "
    "zweihundert Liegeplätzen.</p>"
    "<p>Anträge können bis Ende Juni gestellt werden. Das Programm übernimmt bis zu sechzig "
    "Prozent der förderfähigen Kosten, höchstens jedoch eine Million Euro je Hafen.</p>"
    "<p>Eine zweite Runde für Häfen, die die erste Frist versäumen, ist für den Herbst "
    "geplant.</p></div></body></html>\n"
)

RELEASE_NUMBERS = {
    "de": ("Pressemitteilung Nr. 12/2025 vom 3. März 2025", "Förderprogramm"),
    "fr": ("Communiqué de presse n° 12/2025 du 3 mars 2025", "Programme"),
    "ru": ("Пресс-релиз № 12/2025 от 3 марта 2025 г.", "Программа"),
    "en": ("Press release No. 12/2025 of 3 March 2025", "Programme"),
}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_release_number_is_no_date_and_no_author(encoding: str, tmp_path: Path) -> None:
    page = tmp_path / "pm.html"
    page.write_bytes(GERMAN.encode(encoding))
    result = _add(page, tmp_path / "references", url="https://kueste.example/pm/12")
    source = result.added[0].source
    assert source is not None, [str(f) for f in result.findings]
    assert source.kind == "press-release"
    assert source.issued == PartialDate.parse("2025-03-03")
    assert source.title == "Förderprogramm für kleine Häfen geöffnet"
    assert [a.literal for a in source.authors] == ["Ministerium für Küstenschutz"]
    assert source.number == "12/2025"
    assert "Häfen" in result.added[0].snapshot.text
    assert not any(p.startswith("Pressemitteilung") for p in _numbered(result))


@pytest.mark.parametrize("language", sorted(RELEASE_NUMBERS))
def test_release_number_line_of_a_text_copy(language: str, tmp_path: Path) -> None:
    label, _ = RELEASE_NUMBERS[language]
    page = tmp_path / "pm.txt"
    lines = [label, "Harbour grants open for small ports", *BODY]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _add(page, tmp_path / "references", url="https://coastal.example/pm/12")
    source = result.added[0].source
    assert source is not None, [str(f) for f in result.findings]
    assert source.issued == PartialDate.parse("2025-03-03")
    assert all("релиз" not in a.display and "mitteilung" not in a.display for a in source.authors)
    assert _numbered(result) == BODY


@pytest.mark.parametrize(
    "text",
    [
        "Pressemitteilung Nr. 12/2025 vom 3. März 2025",
        "Communiqué de presse n° 12/2025 du 3 mars 2025",
        "Пресс-релиз № 12/2025 от 3 марта 2025 г.",
        "Press release No. 12/2025 dated 3 March 2025",
    ],
)
def test_find_date_skips_release_numbers(text: str) -> None:
    from policycite.capture.cues import find_date, release_date

    assert release_date(text) == "2025-03-03"
    found = find_date(text)
    assert found is not None and found[0] == "2025-03-03"


def _capture_release(tmp_path: Path) -> tuple[Path, Path]:
    head = (
        "<title>Harbour grants open</title>"
        "<meta name='citation_title' content='Harbour grants open'>"
        "<meta name='author' content='Elin Marsh'>"
        "<meta name='citation_publication_date' content='2025-03-04'>"
    )
    page = tmp_path / "page.html"
    body = "<p>Press release ·</p>" + "".join(f"<p>{t}</p>" for t in BODY)
    page.write_text(_html(head, body), encoding="utf-8")
    return page, tmp_path / "references"


def test_re_adding_reports_under_the_real_key_and_marks_hand_edits(tmp_path: Path) -> None:
    page, folder = _capture_release(tmp_path)
    first = _add(page, folder, url="https://coastal.example/r/9")
    assert first.added[0].source is not None and first.added[0].source.key == "marsh2025"
    record = folder / "marsh2025.yaml"
    record.write_text(
        record.read_text("utf-8").replace(
            "title: Harbour grants open", "title: Harbour Grants Open"
        ),
        "utf-8",
    )
    again = _add(page, folder, url="https://coastal.example/r/9")
    assert [a.status for a in again.added] == ["unchanged"]
    keys = {f.location.key for f in again.findings if f.location and f.location.key}
    assert keys <= {"marsh2025"}
    assert "marsh2025a" not in again.to_text()
    kept = load_library(folder).library["marsh2025"]
    assert kept.title == "Harbour Grants Open"
    assert kept.provenance.extracted["title"] == "edited by hand"
    assert "edited by hand" in again.to_text()
    # A third add keeps both the correction and what provenance says of it.
    _add(page, folder, url="https://coastal.example/r/9")
    assert (
        load_library(folder).library["marsh2025"].provenance.extracted["title"] == "edited by hand"
    )


def _renumber_old_style(folder: Path, sha: str) -> None:
    """Make a sidecar as today's main wrote it: every non-heading block numbered."""
    store = SnapshotStore(folder)
    path = store.sidecar_path(sha)
    data = json.loads(path.read_text("utf-8"))
    number = 0
    for para in data["paragraphs"]:
        start, end, _n, section = para
        is_heading = section is not None and store.text(sha)[start:end] == section
        if not is_heading:
            number += 1
            para[2] = number
    data.pop("numbering", None)
    data.pop("checksum", None)  # sidecars of that time had none
    path.write_text(json.dumps(data), "utf-8")


def test_old_snapshots_are_renumbered_on_verify_and_re_add(tmp_path: Path) -> None:
    page, folder = _capture_release(tmp_path)
    first = _add(page, folder, url="https://coastal.example/r/9")
    sha = first.added[0].snapshot.sha256
    _renumber_old_style(folder, sha)
    store = SnapshotStore(folder)
    assert [p.number for p in store.get(sha).paragraphs] == [1, 2, 3, 4]
    text_before = store.text_path(sha).read_bytes()

    report = verify(folder, options=VerifyOptions(online=False))
    (renumbered,) = [f for f in report.findings if f.code == "PC308"]
    assert "4 → 3 paragraphs" in renumbered.message
    assert renumbered.location is not None and renumbered.location.key == "marsh2025"
    after = store.get(sha)
    assert [p.number for p in after.paragraphs] == [None, 1, 2, 3]
    assert store.text_path(sha).read_bytes() == text_before  # the text and its hash stay
    sidecar = json.loads(store.sidecar_path(sha).read_text("utf-8"))
    assert sidecar["renumbered"] == {"numbering": 1, "paragraphs": 4}
    assert not [
        f for f in verify(folder, options=VerifyOptions(online=False)).findings if f.code == "PC308"
    ]

    _renumber_old_style(folder, sha)
    again = _add(page, folder, url="https://coastal.example/r/9")
    assert [a.status for a in again.added] == ["unchanged"]
    assert [f.code for f in again.findings if f.code == "PC308"] == ["PC308"]
    assert [p.number for p in store.get(sha).paragraphs] == [None, 1, 2, 3]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_german_page_without_charset_decodes_as_western(encoding: str, tmp_path: Path) -> None:
    text = GERMAN.replace("Eine zweite Runde", "„Eine zweite Runde à la carte“ mit 5 € Gebühr")
    page = tmp_path / "pm.html"
    page.write_bytes(
        text.replace("„", '"').replace("“", '"').replace("€", "EUR").encode(encoding)
        if encoding == "latin-1"
        else text.encode(encoding)
    )
    result = _add(page, tmp_path / "references", url="https://kueste.example/pm/12")
    snapshot = result.added[0].snapshot.text
    assert "Häfen" in snapshot and "versäumen" in snapshot and "à la carte" in snapshot
    (charset,) = [f for f in result.findings if f.code == "PC303"]
    assert "decoded as cp1252" in charset.message


@pytest.mark.parametrize("form", ["txt", "html"])
def test_salutation_under_a_delivery_note_still_makes_a_speech(form: str, tmp_path: Path) -> None:
    title = "Minister Irena Valk opens the Harbour Forum"
    page = tmp_path / f"speech.{form}"
    if form == "txt":
        page.write_text("\n".join([title, "Check against delivery", *SPEECH]) + "\n", "utf-8")
    else:
        body = f"<article><h1>{title}</h1><p>Check against delivery</p>"
        body += "".join(f"<p>{t}</p>" for t in SPEECH) + "</article>"
        page.write_text(_html(f"<title>{title}</title>", body), "utf-8")
    result = _add(page, tmp_path / "references", url="https://mfa.example/news/2")
    kind = result.added[0].document.first("kind")
    assert kind is not None and kind.value == "speech", kind
    assert "salutation" in kind.how


@pytest.mark.parametrize(
    "line",
    [
        "Dear colleagues,",
        "Thank you.",
        "News of the week",
        "Press release: the minister opens the fund",
        "Brussels, 3 March 2025 was the day the fund opened for small ports.",
        "In 2025, prices rose by a third at small ports.",
        "Check against delivery: the minister said the fund would open in April.",
    ],
)
def test_body_lines_are_not_preamble(line: str) -> None:
    from policycite.capture.preamble import classify, numbers

    assert classify(line) is None
    # Only lines before the first body paragraph are left unnumbered.
    assert numbers([(BODY[0], False), ("Aarhus, 5 February 2025", False)]) == [1, 2]
