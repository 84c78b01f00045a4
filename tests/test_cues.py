"""Text cues shared by the extractors: dates, speech headings, speakers, salutations, kinds."""

# ruff: noqa: RUF001 - Russian and Chinese cue words and full-width digits, on purpose

from __future__ import annotations

import pytest

from policycite.capture import cues


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2020-05-19", "2020-05-19"),
        ("DATE 2020-05-19", "2020-05-19"),
        ("Published: 18 May 2020", "2020-05-18"),
        ("2020/06/02", "2020-06-02"),  # Y/M/D, never Y/D/M
        ("18.05.2020 15:03", "2020-05-18"),  # dotted dates are day first
        ("02.06.2020", "2020-06-02"),
        ("18-05-2020", "2020-05-18"),
        ("13/05/2020", "2020-05-13"),
        ("05/13/2020", "2020-05-13"),
        ("18 May 2020", "2020-05-18"),
        ("18th May, 2020", "2020-05-18"),
        ("May 18, 2020", "2020-05-18"),
        ("Sept. 3, 2021", "2021-09-03"),
        ("(2020, May 18)", "2020-05-18"),
        ("(2020, May)", "2020-05"),
        ("18 мая 2020 г.", "2020-05-18"),
        ("13 марта 2021 года", "2021-03-13"),
        ("18. Mai 2020", "2020-05-18"),
        ("3. März 2021", "2021-03-03"),
        ("18 mai 2020", "2020-05-18"),
        ("1er juin 2020", "2020-06-01"),
        ("18 de mayo de 2020", "2020-05-18"),
        ("2020年5月18日", "2020-05-18"),
        ("２０２０年５月１８日", "2020-05-18"),
        ("2020年5月", "2020-05"),
        ("May 2020", "2020-05"),
        ("2020-05", "2020-05"),
        ("2020", "2020"),
        ("18 May 2020 18:42 Moscow time", "2020-05-18"),
        ("29.02.2020", "2020-02-29"),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert cues.parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "",
        "03:56Phnom Penh",
        "Phnom Penh 03:56",
        "30.02.2020",  # impossible
        "29.02.2021",
        "2020-13-01",
        "05/06/2020",  # 5 June or May 6: not guessed
        "2020 targets were met",  # a bare year counts only alone
        "Maybe 2020",
        "Member States:",
        "18 Maybe 2020",
        "0000-01-01",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert cues.parse_date(text) is None


def test_split_date_returns_the_rest_after_date_and_time() -> None:
    assert cues.split_date("13 May 2020 18:42 Ministers meet in Oslo") == (
        "2020-05-13",
        "Ministers meet in Oslo",
    )
    assert cues.split_date("18.05.2020 15:03") == ("2020-05-18", "")


def test_is_date_line() -> None:
    assert cues.is_date_line("18.05.2020 15:03")
    assert cues.is_date_line("13 May 2020, 10:00 CET")
    assert not cues.is_date_line("18 May 2020 the ministers met")


def test_find_date_inside_prose() -> None:
    text = "On\xa0May 13, 2020 an extraordinary meeting was held."
    iso, start, end = cues.find_date(text) or ("", 0, 0)
    assert iso == "2020-05-13"
    assert text[start:end] == "May 13, 2020"
    assert cues.find_date("In 2020 the fund paid 12.5 million") is None


def test_date_parsing_is_fast() -> None:
    import time

    started = time.perf_counter()
    for _ in range(1000):
        cues.parse_date("18.05.2020 15:03")
        cues.parse_date("A headline that holds no date at all, only words")
    assert (time.perf_counter() - started) / 2000 < 100e-6  # about 4 µs each on a laptop


SPEECH_HEADINGS = [
    "Speech by the Minister for Coastal Affairs",
    "Remarks of the President at the Harbour Forum",
    "Address by Ambassador Jane Roe to the Council on Ocean Policy",
    "Statement by the Secretary-General",
    "Keynote address at the Annual Forum",
    "Opening remarks by the Chair",
    "Speech",
    "Выступление Генерального секретаря на заседании Совета",
    "在理事会会议上的讲话",
    "of the Secretary-General Ms. Ada Moss at the Council of Ministers",
    "by the Minister of Fisheries to the Coastal Assembly",
    "of\xa0the Secretary-General Mr. Jon Berg at\xa0the Meeting via\xa0videoconference",
]


@pytest.mark.parametrize("text", SPEECH_HEADINGS)
def test_is_speech_heading(text: str) -> None:
    assert cues.is_speech_heading(text)


@pytest.mark.parametrize(
    "text",
    [
        "Speech is silver, silence is golden.",
        "Remarks were made by several delegates at the Meeting.",
        "Ministers meet to discuss fisheries",
        "of the opinion that the Council at the Meeting was right.",
        "by the way",
        "",
    ],
)
def test_is_not_speech_heading(text: str) -> None:
    assert not cues.is_speech_heading(text)


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        (
            "Speech of the Secretary-General Mr. Anders Kask at the Extraordinary Meeting",
            "Anders Kask",
        ),
        ("of the NWA Secretary-General Ms.\xa0Ada Moss at the Council", "Ada Moss"),
        ("Speech by Minister Anna Lind to the Parliament", "Anna Lind"),
        ("Remarks by H.E. Mr. Li Wei at the Opening Session in Geneva", "Li Wei"),
        ("Keynote address by Dr. Maria van der Berg, Director", "Maria van der Berg"),
        ("Address by President Jane Roe before the Assembly", "Jane Roe"),
        ("Statement by the Secretary-General", None),
        ("Speech by the Minister of Foreign Affairs at the Council", None),
    ],
)
def test_speaker_from_heading(heading: str, speaker: str | None) -> None:
    assert cues.speaker_from_heading(heading) == speaker


@pytest.mark.parametrize(
    ("heading", "event", "place", "date"),
    [
        (
            "Speech of the Secretary-General Mr. Anders Kask at the Extraordinary Meeting of "
            "the Council of Ministers via videoconference",
            "Extraordinary Meeting of the Council of Ministers",
            "videoconference",
            None,
        ),
        (
            "Remarks by H.E. Mr. Li Wei at the Opening Session in Geneva",
            "Opening Session",
            "Geneva",
            None,
        ),
        (
            "Keynote address by Dr. Eva Lund at the Annual Forum, 13 May 2020",
            "Annual Forum",
            None,
            "2020-05-13",
        ),
        (
            "Address by Ambassador Jane Roe to the Council on Ocean Policy, Bergen, 3 March 2021",
            "Council on Ocean Policy",
            "Bergen",
            "2021-03-03",
        ),
        ("Statement by the Secretary-General on the oil spill", None, None, None),
    ],
)
def test_event_from_heading(
    heading: str, event: str | None, place: str | None, date: str | None
) -> None:
    assert cues.event_from_heading(heading) == event
    assert cues.event_place_from_heading(heading) == place
    assert cues.event_date_from_heading(heading) == date


@pytest.mark.parametrize(
    "text",
    [
        "Dear colleagues,",
        "Dear Mr. Chairman,",
        "Dear Minister Aalto,",
        "Your Excellencies,",
        "Excellencies,",
        "Ladies and gentlemen,",
        "Distinguished delegates,",
        "Mr. President,",
        "Уважаемые коллеги!",
        "Господин Председатель!",
        "Дамы и господа!",
        "Mesdames et Messieurs,",
        "Sehr geehrte Damen und Herren,",
        "尊敬的各位同事：",
    ],
)
def test_is_salutation(text: str) -> None:
    assert cues.is_salutation(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dear colleagues, I am glad to see you all here today.",
        "Dearborn is a city in Michigan.",
        "The delegates were welcomed by the Chair.",
        "",
    ],
)
def test_is_not_salutation(text: str) -> None:
    assert not cues.is_salutation(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for your attention.",
        "I thank you for\xa0your attention.",
        "Thank you very much!",
        "Благодарю за внимание!",
        "Спасибо за внимание.",
        "谢谢大家！",
    ],
)
def test_is_closing(text: str) -> None:
    assert cues.is_closing(text)
    assert not cues.is_closing(f"{text} We now turn to the next item on the agenda.")


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("Speech by the Minister at the Forum", "Dear colleagues,\nWe meet today.", "speech"),
        ("Remarks of the Chair", "It is a pleasure.", "speech"),
        ("Press release: Alliance opens office", "The Alliance opened.", "press-release"),
        ("Alliance opens office", "PRESS RELEASE\nThe Alliance opened.", "press-release"),
        (
            "Statement by the Secretariat on the oil spill",
            "The Secretariat is concerned.",
            "statement",
        ),
        ("Joint declaration of the ministers", "The ministers agreed.", "statement"),
        (
            "of the Secretary-General Ms. Ada Moss at the Council of Ministers",
            "Dear colleagues,\nThank you.",
            "speech",
        ),
        ("Untitled", "Уважаемые коллеги!\nМы собрались.", "speech"),
    ],
)
def test_kind_cues(title: str, text: str, kind: str) -> None:
    found = cues.kind_cues(title, text)
    assert found is not None
    assert found[0] == kind
    assert found[1]  # a reason a reviewer can read


def test_kind_cues_silent_without_cues() -> None:
    assert cues.kind_cues("Alliance opens office in Bergen", "The Alliance opened.") is None


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("Speech by Harbour Ombudsman Tilde Marrow at the Small Boats Conference", "Tilde Marrow"),
        ("Remarks by Chief Executive Signe Vall at the opening of the plant", "Signe Vall"),
        ("Address by State Secretary Jan Oberg to the Harbour Council", "Jan Oberg"),
        ("Speech by the Harbour Ombudsman at the Small Boats Conference", None),
        ("Speech by the Chief Executive of Vessby Harbour at the Forum", None),
    ],
)
def test_speaker_after_a_role(heading: str, speaker: str | None) -> None:
    assert cues.speaker_from_heading(heading) == speaker
