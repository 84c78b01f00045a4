"""Unquoted near-verbatim copying: runs, levels, sources, quotations, names, fingerprints."""

from __future__ import annotations

import pytest

from policycite.anchors.copying import (
    CLOSE_MIN_RUN,
    COPY_MIN_RUN,
    CopyIndex,
    Copying,
    SourceHit,
    fold_word,
    quoted_spans,
    split_sentences,
)
from policycite.capture.document import Block, Document
from policycite.snapshots import Snapshot, sha256_text

NBSP = "\u00a0"

COUNCIL = [
    "Baltic Water Council",  # a heading: not a numbered paragraph
    "The Baltic Water Council met in Tallinn on 4 March 2024 to review flood defences "
    "along the coast.",
    "After a long debate about funding, the ministers agreed that the new regional "
    "monitoring network should be extended to every river basin that crosses a national "
    "border, and they asked the secretariat to report back before the summer session.",
    f"Pumping stations on{NBSP}the eastern shore of{NBSP}the bay are older than the dikes "
    "they serve.",
    "Several delegations argued that insurance schemes for farmers would reduce the cost "
    "of future floods.",
    "Climate change does not stop at national borders, and neither can our response to it.",
    "Ministers also welcomed the Joint Declaration on Coastal Flood Resilience of the "
    "Baltic Water Council.",
]
HARBOUR = [
    "The Joint Declaration on Coastal Flood Resilience of the Baltic Water Council was "
    "signed in Riga.",
    "The harbour authority will prioritise the modernisation of flood barriers and the "
    "organisation of evacuation drills in every neighbourhood.",
]


def snapshot(paragraphs: list[str], heading: bool = False) -> Snapshot:
    blocks = [Block(p, heading=heading and i == 0) for i, p in enumerate(paragraphs)]
    doc = Document(blocks)
    return Snapshot(sha256=sha256_text(doc.text), text=doc.text, paragraphs=doc.paragraphs)


@pytest.fixture(scope="module")
def council() -> Snapshot:
    return snapshot(COUNCIL, heading=True)


@pytest.fixture(scope="module")
def harbour() -> Snapshot:
    return snapshot(HARBOUR)


@pytest.fixture(scope="module")
def index(council: Snapshot, harbour: Snapshot) -> CopyIndex:
    return CopyIndex([("council-2024", council), ("harbour-news", harbour)])


COPIED = (
    "Officials now say the new regional monitoring network should be extended to every "
    "river basin in the north."
)


BRIEF = "\n".join(
    [
        "Flood policy in the Baltic",  # 1
        "",
        # 3: a 12-word clause lifted from the middle of a long source sentence
        "Officials now say the new regional monitoring network should be extended to every "
        "river basin in the north. Some delegations said farm insurance schemes could lower "
        "what future floods cost.",
        "",
        # 5: a quotation, then copying outside the marks in the same sentence
        "As the chair put it, \u201cclimate change does not stop at national borders, and "
        "neither can our response to it.\u201d \u201cNeither can we,\u201d she said, and the "
        "ministers asked the secretariat to report back before the summer session.",
        "",
        # 7: no-break spaces where the source has them (a 9-word run)
        f"Engineers warn that pumping stations on{NBSP}the eastern shore of{NBSP}the bay need "
        "repairs.",
        # 8: an official title shared by two sources
        "Riga hosted the signing of the Joint Declaration on Coastal Flood Resilience of the "
        "Baltic Water Council last spring.",
        # 9: American spelling of a British source
        "The agency said the harbor authority will prioritize the modernization of flood "
        "barriers and the organization of evacuation drills in coastal towns.",
        "",
        # 11: a reference entry repeats the source's words by design
        "Baltic Water Council. (2024, March 4). The ministers agreed that the new regional "
        "monitoring network should be extended. Retrieved from",
    ]
)


@pytest.fixture(scope="module")
def found(index: CopyIndex) -> list[Copying]:
    return index.find(BRIEF)


def by_line(found: list[Copying], line: int) -> list[Copying]:
    return [c for c in found if c.line == line]


def test_thresholds_are_the_documented_ones() -> None:
    assert (COPY_MIN_RUN, CLOSE_MIN_RUN) == (10, 8)


def test_clause_copied_from_inside_a_long_source_sentence(
    found: list[Copying], council: Snapshot
) -> None:
    [copy] = by_line(found, 3)
    assert copy.level == "copy"
    assert copy.run_words == 12
    assert copy.run_text == (
        "the new regional monitoring network should be extended to every river basin"
    )
    assert copy.sentence.startswith("Officials now say") and copy.sentence.endswith("north.")
    assert BRIEF[copy.start : copy.end] == copy.sentence
    # 18 words, 16 trigrams, 10 of them inside the run.
    assert copy.containment == pytest.approx(10 / 16, abs=1e-3)
    assert not copy.formulaic and copy.formulaic_reason is None
    assert not copy.nbsp_fingerprint
    [hit] = copy.sources
    assert (hit.label, hit.paragraph, hit.snapshot) == ("council-2024", 2, council.sha256)
    assert council.text[hit.start : hit.end] == copy.run_text


def test_paraphrase_is_not_flagged(found: list[Copying]) -> None:
    assert not [c for c in found if c.sentence.startswith("Some delegations")]


def test_quotation_is_not_copying_but_the_rest_of_the_sentence_is(found: list[Copying]) -> None:
    [copy] = by_line(found, 5)
    assert copy.sentence.startswith("\u201cNeither can we")
    assert copy.level == "copy"
    assert copy.run_words == 10
    assert copy.run_text == "asked the secretariat to report back before the summer session"
    assert [(h.label, h.paragraph) for h in copy.sources] == [("council-2024", 2)]


def test_no_break_spaces_at_the_same_places_make_a_copy(found: list[Copying]) -> None:
    [copy] = by_line(found, 7)
    assert copy.nbsp_fingerprint
    assert copy.run_words == 9  # below COPY_MIN_RUN: the fingerprint decides
    assert copy.level == "copy"
    assert [(h.label, h.paragraph) for h in copy.sources] == [("council-2024", 3)]


def test_the_same_words_typed_with_plain_spaces_are_a_close_paraphrase(index: CopyIndex) -> None:
    [copy] = index.find(
        "Engineers warn that pumping stations on the eastern shore of the bay need repairs."
    )
    assert (copy.level, copy.run_words, copy.nbsp_fingerprint) == ("close", 9, False)
    assert copy.line == 1
    assert copy.containment == pytest.approx(7 / 12, abs=1e-3)  # below COPY_MIN_CONTAINMENT


def test_high_containment_makes_a_short_run_a_copy(index: CopyIndex) -> None:
    # The same 9 words in a shorter sentence: 7 of its 9 trigrams are in the source.
    [copy] = index.find("Pumping stations on the eastern shore of the bay need repairs.")
    assert (copy.level, copy.run_words) == ("copy", 9)
    assert copy.containment == pytest.approx(7 / 9, abs=1e-3)


def test_fingerprint_needs_the_source_to_have_the_same_marks(index: CopyIndex) -> None:
    text = (
        f"Engineers warn that pumping stations on{NBSP}the eastern{NBSP}shore of{NBSP}the bay "
        "need repairs."
    )
    [copy] = index.find(text)
    assert not copy.nbsp_fingerprint  # "eastern\xa0shore" is not in the source
    assert copy.level == "close"


def test_official_title_in_two_sources_is_formulaic_not_a_copy(
    found: list[Copying], council: Snapshot, harbour: Snapshot
) -> None:
    [copy] = by_line(found, 8)
    assert copy.formulaic
    assert copy.formulaic_reason == "official name or title; in 2 sources"
    assert copy.level == "close"
    assert copy.run_words == 12
    assert copy.sources == (
        SourceHit("council-2024", council.sha256, 6, *span(council, "the Joint Declaration")),
        SourceHit("harbour-news", harbour.sha256, 1, *span(harbour, "Joint Declaration")),
    )


def span(snap: Snapshot, start_words: str) -> tuple[int, int]:
    """Offsets of the title "… Baltic Water Council" that starts with start_words."""
    lowered = snap.text.lower()
    start = lowered.index(start_words.lower() + " on coastal")
    if start_words == "Joint Declaration":
        start -= len("the ")
    end = snap.text.index("Baltic Water Council", start) + len("Baltic Water Council")
    return start, end


def test_british_source_matches_american_brief(found: list[Copying]) -> None:
    [copy] = by_line(found, 9)
    assert copy.level == "copy"
    assert copy.run_words == 17
    assert copy.run_text.startswith("the harbor authority will prioritize")
    assert copy.run_text.endswith("evacuation drills in")
    assert [(h.label, h.paragraph) for h in copy.sources] == [("harbour-news", 2)]


def test_reference_entries_and_unrelated_sentences_are_not_reported(found: list[Copying]) -> None:
    assert [c.line for c in found] == [3, 5, 7, 8, 9]


def test_same_words_outside_a_reference_entry_are_a_copy(index: CopyIndex) -> None:
    body = "The ministers agreed that the new regional monitoring network should be extended."
    [copy] = index.find(body)
    assert (copy.level, copy.run_words) == ("copy", 12)
    assert index.find(f"Intro.\n\nReferences\n\n{body}\n") == []


def test_run_in_many_independent_sources_is_counted_up_to_a_maximum() -> None:
    phrase = "the new regional monitoring network should be extended to every river basin"
    sources = [
        (f"src{i}", snapshot([f"Speaker {i} said yesterday that {phrase}, number {i}."]))
        for i in range(12)
    ]
    [copy] = CopyIndex(sources).find(f"Officials now say {phrase} in the north.")
    assert len(copy.sources) == 12
    assert copy.formulaic_reason == "in more than 10 sources"
    assert copy.level == "close"


def test_brief_without_copying_gives_nothing(index: CopyIndex) -> None:
    assert index.find("") == []
    assert (
        index.find(
            "Coastal towns want money for dikes. The ministers did not agree on a budget, "
            "and the next meeting is in Vilnius."
        )
        == []
    )


def test_run_inside_straight_and_single_quotes_is_not_counted(index: CopyIndex) -> None:
    straight = (
        'She said "the new regional monitoring network should be extended to every river '
        'basin" yesterday.'
    )
    single = (
        "She said \u2018the new regional monitoring network should be extended to every "
        "river basin\u2019 yesterday."
    )
    block = (
        "The report reads:\n\n"
        "    the new regional monitoring network should be extended to every river basin\n"
        "> the new regional monitoring network should be extended to every river basin\n"
    )
    assert index.find(straight) == []
    assert index.find(single) == []
    assert index.find(block) == []


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The council\u2019s members\u2019 view: \u2018flood maps\u2019 don't lie."
    assert [text[a:b] for a, b in quoted_spans(text)] == ["\u2018flood maps\u2019"]


def test_unclosed_mark_quotes_nothing() -> None:
    text = "An opening \u201cmark that is never closed.\n\nNext paragraph.\u201d"
    assert quoted_spans(text) == []


def test_stray_mark_does_not_hide_a_later_quotation() -> None:
    text = 'He wrote "maybe, and the chair said \u201cno\u201d twice.'
    assert [text[a:b] for a, b in quoted_spans(text)] == ["\u201cno\u201d"]


def test_whole_brief_indented_is_not_a_block_quotation(index: CopyIndex) -> None:
    text = f"    {COPIED}\n    The next meeting is in Vilnius.\n"
    [copy] = index.find(text)
    assert (copy.level, copy.run_words, copy.line) == ("copy", 12, 1)


def test_abbreviations_initials_and_decimals_do_not_split_sentences() -> None:
    text = (
        "Dr. Okafor and Mr. J. Smith of the U.S. delegation met Ms. Lee in St. Petersburg "
        "at 10.30 to discuss Art. 5 and No. 7 of the plan. It lasted 2.5 hours!\n"
        "Prof. Kask agreed. \u201cWe are ready.\u201d The end"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Dr. Okafor and Mr. J. Smith of the U.S. delegation met Ms. Lee in St. Petersburg at "
        "10.30 to discuss Art. 5 and No. 7 of the plan.",
        "It lasted 2.5 hours!",
        "Prof. Kask agreed.",
        "\u201cWe are ready.\u201d",
        "The end",
    ]
    assert [s.line for s in sentences] == [1, 1, 2, 2, 2]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_hard_wrapped_brief_joins_lines_of_a_paragraph(index: CopyIndex) -> None:
    text = (
        "The ministers met again in the autumn and the chair opened the session\n"
        "with a report. Officials now say the new regional monitoring network\n"
        "should be extended to every river basin in the north, and the\n"
        "secretariat will draft the terms of reference for the first pilot.\n"
        "\n"
        "A second paragraph follows here with nothing copied from the sources\n"
        "at all, so that the brief looks like a wrapped plain-text document.\n"
    )
    [copy] = index.find(text)
    assert (copy.line, copy.run_words, copy.level) == (2, 12, "copy")


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("Organisation", "organization"),
        ("organised", "organized"),
        ("colour", "color"),
        ("favourite", "favorite"),
        ("centre", "center"),
        ("travelled", "traveled"),
        ("analyse", "analyze"),
        ("defence", "defense"),
        ("programme", "program"),
        ("SCO\u2019s", "sco's"),
    ],
)
def test_fold_word_american_spelling(british: str, american: str) -> None:
    assert fold_word(british) == fold_word(american)


def test_fold_word_keeps_short_words_and_digits() -> None:
    assert fold_word("four") != fold_word("for")
    assert fold_word("your") == "your"
    assert fold_word("2020") == "2020"
    assert fold_word("Stra\u00dfe") == "strasse"


def test_run_in_a_source_and_its_reprint_is_still_a_copy(council: Snapshot) -> None:
    # The reprint shares the whole paragraph with the original: one text, not two
    # independent sources, so the run is not excused as a stock phrase.
    reprint = snapshot(["From our correspondent.", COUNCIL[2]])
    index = CopyIndex([("council-2024", council), ("reprint", reprint)])
    [copy] = index.find(COPIED)
    assert [(h.label, h.paragraph) for h in copy.sources] == [
        ("council-2024", 2),
        ("reprint", 2),
    ]
    assert (copy.level, copy.formulaic) == ("copy", False)


def test_run_in_two_independent_sources_is_formulaic(council: Snapshot) -> None:
    other = snapshot(
        [
            "Observers noted that the new regional monitoring network should be extended to "
            "every river basin, as everyone keeps saying."
        ]
    )
    index = CopyIndex([("council-2024", council), ("observer", other)])
    [copy] = index.find(COPIED)
    assert [(h.label, h.paragraph) for h in copy.sources] == [
        ("council-2024", 2),
        ("observer", 1),
    ]
    assert copy.formulaic_reason == "in 2 sources"
    assert (copy.level, copy.run_words) == ("close", 12)


def test_same_label_or_same_text_is_one_source(council: Snapshot) -> None:
    index = CopyIndex([("council-2024", council), ("council-again", council)])
    [copy] = index.find(COPIED)
    assert [h.label for h in copy.sources] == ["council-2024", "council-again"]
    assert (copy.level, copy.formulaic) == ("copy", False)


def test_a_long_blank_tail() -> None:
    """A brief whose reference list is blanked out ends in a long run of spaces (this
    took minutes while tokenising was quadratic in the tail's length)."""
    from policycite.anchors.copying import CopyIndex

    text = "A sentence of the brief. " + " " * 200_000 + "\n"
    assert CopyIndex([]).find(text) == []
