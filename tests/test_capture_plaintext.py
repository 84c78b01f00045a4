"""Plain-text capture: chrome dropped, documents split, paragraphs numbered, fields guessed."""

# ruff: noqa: RUF001 - Cyrillic test texts, on purpose

from __future__ import annotations

import textwrap
import time

import pytest

from policycite.capture.document import Document, Page
from policycite.capture.plaintext import extract_text

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "capture" / "two-documents.txt"
NEWS_TITLE = "NWA Secretary-General takes part in a video conference of NWA environment ministers"
SPEECH_HEADING = (
    "of the NWA Secretary-General Ms. Ingrid Halvorsen at the Extraordinary Meeting of the "
    "Council of NWA Environment Ministers via videoconference"
)


@pytest.fixture(scope="module")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(example_text: str) -> Page:
    return extract_text(example_text, source="two-documents.txt")


def _paragraphs(document: Document) -> list[str]:
    return [b.text for b in document.blocks if not b.heading]


def _chrome_lines(text: str, page: Page) -> list[str]:
    """Non-empty input lines that are not part of any block (chrome, title and date lines)."""
    kept = {b.text for d in page.documents for b in d.blocks}
    return [line.strip() for line in text.splitlines() if line.strip() and line.strip() not in kept]


def test_example_holds_two_documents(page: Page) -> None:
    assert len(page.documents) == 2
    (finding,) = page.findings
    assert finding.code == "PC306"
    assert finding.location.path == "two-documents.txt"


def test_news_item_fields(page: Page) -> None:
    news = page.documents[0]
    assert news.value("title") == NEWS_TITLE
    assert news.value("issued") == "2021-03-18"
    assert news.value("kind") == "press-release"
    assert news.value("issuer") == "Northern Waters Alliance"
    assert news.value("event-date") == "2021-03-16"
    assert news.value("language") == "en"
    assert all(e.heuristic and e.how for items in news.fields.values() for e in items)


def test_news_item_paragraphs(page: Page) -> None:
    news = page.documents[0]
    paragraphs = _paragraphs(news)
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("On March 16, 2021 an extraordinary meeting of\xa0the")
    assert paragraphs[-1] == (
        "The Council of\xa0NWA Environment Ministers meets once a year and prepares the "
        "decisions of\xa0the NWA Summit on\xa0environmental matters."
    )
    # Two paragraphs with no blank line between them stay two paragraphs.
    assert paragraphs[6].endswith(
        "She proposed holding those meetings online until travel resumes."
    )
    assert paragraphs[7].startswith("Ms Halvorsen informed the ministers")
    assert [p.number for p in news.paragraphs] == list(range(1, 12))


def test_speech_fields(page: Page) -> None:
    speech = page.documents[1]
    title = speech.first("title")
    assert title is not None
    assert title.value == f"Speech {SPEECH_HEADING}"
    assert "first word" in title.how
    assert speech.value("kind") == "speech"
    assert speech.value("speaker") == "Ingrid Halvorsen"
    assert speech.value("event-title") == (
        "Extraordinary Meeting of the Council of NWA Environment Ministers"
    )
    assert speech.value("event-place") == "videoconference"
    assert speech.value("event-date") == "2021-03-16"
    assert speech.value("issued") == "2021-03-18"  # the page's date, inherited
    assert speech.value("language") == "en"


def test_speech_paragraphs_count_salutations(page: Page) -> None:
    paragraphs = _paragraphs(page.documents[1])
    assert len(paragraphs) == 13
    assert paragraphs[:2] == ["Dear Minister Aalto,", "Dear colleagues,"]
    assert paragraphs[6] == "Your Excellencies,"
    assert paragraphs[-1] == "Thank you for your attention."


def test_no_chrome_in_blocks(example_text: str, page: Page) -> None:
    dropped = _chrome_lines(example_text, page)
    for expected in [
        "Make NWA my start pageContact usSubscribeHome",
        "Member States:",
        "Партнёры Альянса::",
        "04:12Reykjavik",
        "• Add Comment",
        "• Print",
        "Leave a comment",
        "Photo: NWA press service",
        "of the Nordic Fund for Maritime Cooperation",
        "Speech by the NWA Secretary-General at the Arctic Ports Conference",
        "02.06.2021 11:05",
        "Выделенный фрагмент слишком длинный.",
    ]:
        assert expected in dropped
    # The blocks are exactly the lines between the photo credit and the comment links, less
    # the speech heading (which became the speech's title): nothing leaks, nothing is lost.
    lines = [line.strip() for line in example_text.splitlines() if line.strip()]
    body = lines[lines.index("Photo: NWA press service") + 1 : lines.index("• Add Comment")]
    blocks = [b.text for d in page.documents for b in d.blocks]
    assert blocks == [line for line in body if line.replace("\xa0", " ") != SPEECH_HEADING]
    assert len(dropped) == 34


def test_sidebar_dates_are_not_taken(page: Page) -> None:
    dates = {e.value for d in page.documents for items in d.fields.values() for e in items}
    assert not {"2021-06-02", "2021-05-28", "2021-04-08"} & dates


def _block_texts(page: Page) -> list[list[tuple[str, bool]]]:
    return [[(b.text, b.heading) for b in d.blocks] for d in page.documents]


def test_hard_wrapped_copy_gives_the_same_paragraphs(example_text: str, page: Page) -> None:
    # An e-mailed copy: every paragraph wrapped at 72 columns, blank lines between them.
    wrapped = "\n\n".join(
        textwrap.fill(line, 72) for line in example_text.splitlines() if line.strip()
    )
    assert max(len(line) for line in wrapped.splitlines()) <= 72
    again = extract_text(wrapped)
    assert _block_texts(again) == _block_texts(page)
    assert [d.fields for d in again.documents] == [d.fields for d in page.documents]


def test_crlf_copy_gives_the_same_paragraphs(example_text: str, page: Page) -> None:
    again = extract_text(example_text.replace("\n", "\r\n"))
    assert _block_texts(again) == _block_texts(page)
    assert [d.fields for d in again.documents] == [d.fields for d in page.documents]


def test_extraction_is_fast(example_text: str) -> None:
    started = time.perf_counter()
    for _ in range(10):
        extract_text(example_text)
    assert (time.perf_counter() - started) / 10 < 0.1  # about 3 ms on a laptop


SINGLE_RELEASE = """\
Coastal Survey Office publishes first microplastics map
12 April 2021

The Coastal Survey Office has published its first map of microplastics in the bays of the region.

The map draws on samples taken at 120 places between May and September last year.

Further surveys are planned for the summer.
"""


def test_single_press_release_without_chrome() -> None:
    page = extract_text(SINGLE_RELEASE)
    assert page.findings == ()
    (document,) = page.documents
    assert document.value("title") == "Coastal Survey Office publishes first microplastics map"
    assert document.value("issued") == "2021-04-12"
    assert document.value("kind") == "press-release"
    assert document.value("issuer") == "Coastal Survey Office"
    assert len(_paragraphs(document)) == 3
    assert _paragraphs(document)[-1] == "Further surveys are planned for the summer."


SECTIONS = """\
Outlook for northern fisheries
Published: 2 May 2022

This note sums up what the member states reported on their fisheries this spring.

Cod stocks

Cod stocks in the northern bays have grown for the third year in a row, according to all surveys.

Catch limits for the coming season will stay at the level agreed last year.

Herring stocks

Herring stocks remain below the long-term average, and several states asked for a lower quota.
"""


def test_section_headings_are_blocks_not_paragraphs() -> None:
    (document,) = extract_text(SECTIONS).documents
    assert document.value("title") == "Outlook for northern fisheries"
    assert document.value("issued") == "2022-05-02"
    assert [(b.text[:14], b.heading) for b in document.blocks] == [
        ("This note sums", False),
        ("Cod stocks", True),
        ("Cod stocks in ", False),
        ("Catch limits f", False),
        ("Herring stocks", True),
        ("Herring stocks", False),
    ]
    numbers = [(p.number, p.section) for p in document.paragraphs]
    assert numbers[-1] == (4, "Herring stocks")
    assert numbers[2] == (2, "Cod stocks")


RUSSIAN_SPEECH = """\
Выступление Министра рыболовства на заседании Совета Альянса
12.04.2021

Уважаемые коллеги!

Позвольте поблагодарить вас за приглашение и за хорошую подготовку этой встречи.

За прошедший год наши страны вместе провели три больших исследования северных морей.

Господин Председатель!

Мы предлагаем продолжить эту работу и подготовить общий план действий до конца года.

Благодарю за внимание!
"""


def test_russian_speech() -> None:
    page = extract_text(RUSSIAN_SPEECH)
    (document,) = page.documents
    assert document.value("title") == "Выступление Министра рыболовства на заседании Совета Альянса"
    assert document.value("kind") == "speech"
    assert document.value("issued") == "2021-04-12"
    assert document.value("language") == "ru"
    paragraphs = _paragraphs(document)
    assert len(paragraphs) == 6
    assert paragraphs[0] == "Уважаемые коллеги!"
    assert paragraphs[3] == "Господин Председатель!"
    assert paragraphs[-1] == "Благодарю за внимание!"


@pytest.mark.parametrize("text", ["", "   \n\t\n\r\n", "Home\nContact us\n03:56Oslo\n"])
def test_text_without_prose_gives_no_documents(text: str) -> None:
    assert extract_text(text) == Page(())


SPEECH_ONLY = """\
Home
of the Minister of Fisheries Ms. Eva Lund at the Coastal Forum in Bergen
3 March 2021

Dear colleagues,

It is a great pleasure to open the forum in this beautiful city today.

Thank you.
"""


def test_speech_page_with_headless_title() -> None:
    page = extract_text(SPEECH_ONLY)
    (document,) = page.documents
    assert page.findings == ()
    assert document.value("title") == (
        "Speech of the Minister of Fisheries Ms. Eva Lund at the Coastal Forum in Bergen"
    )
    assert document.value("kind") == "speech"
    assert document.value("speaker") == "Eva Lund"
    assert document.value("event-title") == "Coastal Forum"
    assert document.value("event-place") == "Bergen"
    assert document.value("issued") == "2021-03-03"
    assert _paragraphs(document)[-1] == "Thank you."


NEWS_THEN_SPEECH = """\
News of the week
1 March 2021

The Alliance held its council meeting today with all ten member states present.

The ministers agreed a new plan for coastal shipping and for the survey of fish stocks.

Speech
by the Minister of Fisheries Ms. Eva Lund to the Council
Dear colleagues,

We meet at a time of great change for the northern seas and for our fishing towns.

Thank you for your attention.
"""


def test_lone_speech_line_joins_the_heading_under_it() -> None:
    page = extract_text(NEWS_THEN_SPEECH)
    news, speech = page.documents
    assert news.value("title") == "News of the week"
    assert news.value("kind") is None  # nothing says what it is: left to the user
    assert len(_paragraphs(news)) == 2
    assert (
        speech.value("title") == "Speech by the Minister of Fisheries Ms. Eva Lund to the Council"
    )
    assert speech.value("speaker") == "Eva Lund"
    assert speech.value("issued") == "2021-03-01"
    assert _paragraphs(speech)[0] == "Dear colleagues,"
