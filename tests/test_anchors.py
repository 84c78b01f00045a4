"""Quotation anchors: normalisation offsets, quote parsing, statuses on a test corpus."""

from __future__ import annotations

import random
from typing import Any

import pytest

from policycite.anchors import match
from policycite.anchors.match import (
    MISQUOTE_MIN,
    STRONG,
    AnchorIndex,
    Anchoring,
    anchor,
    reanchor,
)
from policycite.anchors.normalize import NormText, normalize_char
from policycite.anchors.quotes import Gap, Literal, parse_quote, strip_quotation_marks
from policycite.capture.document import Block, Document
from policycite.model import AnchorStatus
from policycite.snapshots import Snapshot, sha256_text

V, M, A, N = (
    AnchorStatus.VERBATIM,
    AnchorStatus.MISQUOTE,
    AnchorStatus.AMBIGUOUS,
    AnchorStatus.NOT_FOUND,
)


def _snapshot(*blocks: Block) -> Snapshot:
    doc = Document(blocks)
    return Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs)


def H(text: str) -> Block:  # noqa: N802 - reads like the markup it stands for
    return Block(text, heading=True)


def P(text: str) -> Block:  # noqa: N802
    return Block(text)


# ---------------------------------------------------------------------------------------
# The corpus: five fictional sources, written for these tests.

FLOODS = _snapshot(
    H("Summary"),
    P(
        "The Vessar Basin Council will set up a joint flood\u00a0fund by 2026, financed by "
        "all seven riparian municipalities."
    ),
    P(
        "\u201cNo town should face the spring floods alone,\u201d said Chair Mira Odenkov "
        "\u2014 adding that the fund\u2019s rules would be published in March."
    ),
    H("Background"),
    P(
        "Since 2019 the council has recorded eleven major floods along the upper Vessar, "
        "three of which displaced more than 2,000\u00a0residents."
    ),
    P(
        "The council\u2019s technical committee recommends that every municipality keep a "
        "reserve of sandbags, pumps and trained volunteers."
    ),
)

SPEECH = _snapshot(
    P("Dear colleagues,"),
    P("It is an honour to open the fourth Karst Energy Forum in Brelin."),
    P(
        "Our grid was built for a world of large coal plants. Today it must carry power from "
        "thousands of small producers, from rooftops in the villages to wind parks on the "
        "ridge, and it must do so without raising prices for households that already "
        "struggle."
    ),
    P("Let me say it in the words of our partners:"),
    # The same sentence in two translations.
    P(
        "We will not leave any region behind in the energy transition, and we will measure "
        "our success by the bills that families pay."
    ),
    P(
        "We shall leave no region behind in the energy transition, and we shall measure our "
        "success by the bills families pay."
    ),
    P("Thank you."),
)

HARBOUR = _snapshot(
    P(
        "Harbour workers in Port Sallis voted on Tuesday to accept a new three-year contract "
        "after a strike that lasted nine days."
    ),
    P(
        "The agreement protects jobs and wages, the union said, and it sets up a safety "
        "board with equal seats for workers and managers."
    ),
    P(
        "Management called the deal fair. The agreement protects jobs and wages, a "
        "spokesperson for the port authority said, adding that cargo would move normally "
        "from Thursday."
    ),
    P(
        "Shipping firms had warned that a longer strike would divert traffic to rival ports "
        "along the coast."
    ),
)

REPORT = _snapshot(
    H("1. Findings"),
    P(
        "The review covered forty-two rural clinics in the three northern provinces between "
        "January and October. In most of them the staff worked longer hours than their "
        "contracts allowed, and in eleven clinics a single nurse was responsible for more "
        "than four thousand residents. Patients travelled on average 37\u00a0kilometres to "
        "reach a doctor, and the journey was longer in winter, when the mountain roads were "
        "closed for weeks at a time. Clinics that shared a vehicle with the local school "
        "reported fewer missed appointments than those that relied on public buses, which "
        "ran twice a day at best. Several clinics kept paper records only, so that test "
        "results had to be carried by hand to the district hospital and often arrived after "
        "the patient had already been sent home."
    ),
    P(
        "Funding followed the number of registered patients rather than the distances "
        "involved \u2014 a rule that favoured the larger towns in the south. Clinic managers "
        "told the review team that they spent a fifth of their budget on fuel and repairs, "
        "money that the formula did not recognise. Where provinces had added a remoteness "
        "supplement, vacancies were filled within three months; where they had not, posts "
        "stayed empty for a year or more."
    ),
    H("2. Recommendations"),
    P(
        "The ministry should replace the per-patient formula with one that weighs distance "
        "and terrain, fund one vehicle for every two clinics, and connect every clinic to the "
        "district laboratory system within two years. It should also publish, each spring, "
        "the waiting times of every clinic, so that residents and their representatives can "
        "see whether the reforms are working."
    ),
    P("These steps would cost less than one per cent of the national health budget."),
)

CHARTER = _snapshot(
    P("The Alliance of Coastal Cities (ACC) today adopted its Resilience Charter."),
    P(
        "Member cities commit to halving flood damage by 2030 and to publishing annual "
        "progress reports from 2026 onwards."
    ),
    P("The charter was recieved with broad support by the assembly."),
    P("The secretariat will monitor implementation."),
    P("It will report to the assembly each autumn."),
)

SOURCES = {
    "floods": FLOODS,
    "speech": SPEECH,
    "harbour": HARBOUR,
    "report": REPORT,
    "charter": CHARTER,
}

# (id, source, quote, status, paragraph, section, extra checks)
# extra: prefix/suffix for anchor(); "diff" ops that must occur; "note" text that must
# occur in a note; "places" paragraphs of an ambiguous result; "end" paragraph_end.
CASES: list[tuple[str, str, str, AnchorStatus, int | None, str | None, dict[str, Any]]] = [
    # -- verbatim, typography differences included
    (
        "plain-nbsp",
        "floods",
        "\u201cThe Vessar Basin Council will set up a joint flood fund by 2026\u201d",
        V,
        1,
        "Summary",
        {},
    ),
    (
        "straight-quotes-and-hyphen",
        "floods",
        '"No town should face the spring floods alone," said Chair Mira Odenkov - adding '
        "that the fund's rules",
        V,
        2,
        "Summary",
        {},
    ),
    (
        "case",
        "floods",
        "THE VESSAR BASIN COUNCIL WILL SET UP a joint flood fund",
        V,
        1,
        "Summary",
        {"note": "case differs"},
    ),
    (
        "bracket-capital",
        "floods",
        "[t]he council's technical committee recommends that every municipality keep a reserve",
        V,
        4,
        "Background",
        {},
    ),
    (
        "ellipsis-char",
        "floods",
        "Since 2019 the council has recorded eleven major floods \u2026 more than 2,000 residents",
        V,
        3,
        "Background",
        {"diff": [("gap", "\u2026", "along the upper Vessar, three of which displaced")]},
    ),
    (
        "translation-1",
        "speech",
        "We will not leave any region behind in the energy transition",
        V,
        5,
        None,
        {},
    ),
    (
        "translation-2",
        "speech",
        "We shall leave no region behind in the energy transition",
        V,
        6,
        None,
        {},
    ),
    (
        "translation-1b",
        "speech",
        "we will measure our success by the bills that families pay",
        V,
        5,
        None,
        {},
    ),
    (
        "translation-2b",
        "speech",
        "we shall measure our success by the bills families pay.",
        V,
        6,
        None,
        {},
    ),
    (
        "ellipsis-dots",
        "speech",
        "Our grid was built for a world of large coal plants... it must do so without "
        "raising prices",
        V,
        3,
        None,
        {},
    ),
    (
        "ellipsis-spaced",
        "speech",
        "Today it must carry power from thousands of small producers . . . without raising "
        "prices for households",
        V,
        3,
        None,
        {},
    ),
    ("short", "speech", "\u201cDear colleagues,\u201d", V, 1, None, {}),
    (
        "bracket-replaces",
        "harbour",
        "The agreement protects jobs and wages, [the workers\u2019 union] said, and it sets up "
        "a safety board",
        V,
        2,
        None,
        {"note": "[the workers\u2019 union] stands for \u201cthe union\u201d"},
    ),
    ("end-of-text", "harbour", "divert traffic to rival ports along the coast", V, 4, None, {}),
    (
        "long-paragraph-nbsp",
        "report",
        "Patients travelled on average 37 kilometres to reach a doctor, and the journey was "
        "longer in winter",
        V,
        1,
        "1. Findings",
        {},
    ),
    (
        "em-dash-as-hyphen",
        "report",
        "Funding followed the number of registered patients rather than the distances "
        "involved - a rule that favoured the larger towns in the south.",
        V,
        2,
        "1. Findings",
        {},
    ),
    (
        "second-section",
        "report",
        "fund one vehicle for every two clinics",
        V,
        3,
        "2. Recommendations",
        {},
    ),
    ("sic", "charter", "The charter was recieved [sic] with broad support", V, 3, None, {}),
    (
        "bracket-insertion",
        "charter",
        "The Alliance of Coastal Cities [the ACC] today adopted its Resilience Charter",
        V,
        1,
        None,
        {"note": "[the ACC] stands for \u201c(ACC)\u201d"},
    ),
    (
        "two-paragraphs",
        "charter",
        "The secretariat will monitor implementation. It will report to the assembly each autumn",
        V,
        4,
        None,
        {"end": 5},
    ),
    # -- misquotes
    (
        "year-changed",
        "floods",
        "The Vessar Basin Council will set up a joint flood fund by 2025",
        M,
        1,
        "Summary",
        {"diff": [("replace", "2025", "2026")]},
    ),
    (
        "word-changed",
        "floods",
        "every municipality keep a reserve of sandbags, pumps and trained staff",
        M,
        4,
        "Background",
        {"diff": [("replace", "staff", "volunteers")]},
    ),
    (
        "year-changed-2",
        "charter",
        "halving flood damage by 2030 and to publishing annual progress reports from 2025 onwards",
        M,
        2,
        None,
        {"diff": [("replace", "2025", "2026")]},
    ),
    (
        "days-changed",
        "harbour",
        "accept a new three-year contract after a strike that lasted ten days",
        M,
        1,
        None,
        {"diff": [("replace", "ten", "nine")]},
    ),
    (
        "translation-misquote",
        "speech",
        "We will not leave a single region behind in the energy transition",
        M,
        5,
        None,
        {"diff": [("replace", "a single", "any")]},
    ),
    (
        "three-edits",
        "report",
        "The ministry should replace the per-patient formula with one that weighs distance "
        "and terrain, fund a vehicle for every two clinics, and link every clinic to the "
        "district laboratory system within three years.",
        M,
        3,
        "2. Recommendations",
        {"diff": [("replace", "link", "connect"), ("replace", "three", "two")]},
    ),
    (
        "misquote-across-ellipsis",
        "floods",
        "Since 2019 the council has recorded twelve major floods \u2026 more than 2,000 residents",
        M,
        3,
        "Background",
        {"diff": [("replace", "twelve", "eleven")]},
    ),
    # -- ambiguous, and decided by context
    (
        "twice",
        "harbour",
        "The agreement protects jobs and wages",
        A,
        2,
        None,
        {"places": [2, 3]},
    ),
    (
        "twice-prefix",
        "harbour",
        "The agreement protects jobs and wages",
        V,
        3,
        None,
        {"prefix": "Management called the deal fair.", "note": "prefix/suffix"},
    ),
    (
        "twice-suffix",
        "harbour",
        "The agreement protects jobs and wages",
        V,
        2,
        None,
        {"suffix": ", the union said"},
    ),
    # -- absent
    (
        "absent-1",
        "floods",
        "The council rejected any new spending on flood defences until the next election",
        N,
        None,
        None,
        {},
    ),
    (
        "absent-2",
        "speech",
        "The minister promised free electricity for every pensioner starting next January",
        N,
        None,
        None,
        {},
    ),
    (
        "absent-paraphrase",
        "report",
        "Rural clinics are understaffed and patients must travel far to see a doctor",
        N,
        None,
        None,
        {},
    ),
    ("absent-short", "charter", "a total failure", N, None, None, {}),
]


def _check(
    result: Anchoring, source: Snapshot, case: tuple[Any, ...], *, nearest: bool = True
) -> None:
    _, _, _, status, paragraph, section, extra = case
    assert result.status is status, (result.status, result.score, result.notes, result.diff)
    if status is N:
        # the nearest candidate is reported with its (low) score (the windowed search of
        # a large text has none when no 4-gram of the quotation occurs)
        assert result.place is not None or not nearest
        if result.place is not None:
            assert result.place.score < MISQUOTE_MIN
            assert result.score == result.place.score
        return
    place = result.place
    assert place is not None
    assert place.paragraph == paragraph
    assert place.section == section
    assert place.text == source.text[place.start : place.end]
    assert place.paragraph_end == extra.get("end")
    if status is V:
        assert result.score == 1.0
    if status is M:
        assert MISQUOTE_MIN <= result.score < 1.0
        assert any(op != "equal" and op != "gap" for op, _, _ in result.diff)
    if status is A:
        assert sorted(p.paragraph or 0 for p in result.places) == extra["places"]
    for op in extra.get("diff", []):
        assert op in result.diff, result.diff
    if "note" in extra:
        assert any(extra["note"] in note for note in result.notes), result.notes
    anchored = result.to_anchor(source.sha256)
    assert anchored.status is status
    if status in {V, M}:
        assert anchored.exact == place.text
        assert (anchored.start, anchored.end) == (place.start, place.end)
        assert anchored.paragraph == paragraph


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_corpus(case: tuple[Any, ...]) -> None:
    source = SOURCES[case[1]]
    extra = case[6]
    result = anchor(source, case[2], prefix=extra.get("prefix", ""), suffix=extra.get("suffix", ""))
    _check(result, source, case)


#: Too short for any 4-gram: the index has nothing approximate to offer for it.
_INDEXABLE = [c for c in CASES if c[0] != "absent-short"]


@pytest.mark.parametrize("case", _INDEXABLE, ids=[c[0] for c in _INDEXABLE])
def test_corpus_through_the_gram_index(
    case: tuple[Any, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The windowed search of large texts gives the same answers as the whole-text scan."""
    monkeypatch.setattr(match, "SMALL_TEXT", 0)
    source = SOURCES[case[1]]
    extra = case[6]
    result = anchor(source, case[2], prefix=extra.get("prefix", ""), suffix=extra.get("suffix", ""))
    _check(result, source, case, nearest=False)


def test_corpus_size() -> None:
    assert len(SOURCES) >= 5
    assert len(CASES) >= 30


def test_changed_number_is_never_verbatim() -> None:
    for year in ("2024", "2025", "2027", "2126"):
        result = anchor(FLOODS, f"set up a joint flood fund by {year}")
        assert result.status is not V
    result = anchor(FLOODS, "The Vessar Basin Council will set up a joint flood fund by 2025")
    assert "[-2025-]{+2026+}" in result.diff_text()
    assert result.diff_text() == "\u2026 flood fund by [-2025-]{+2026+}"


def test_misquote_anchor_keeps_the_brief_words() -> None:
    result = anchor(CHARTER, "annual progress reports from 2025 onwards")
    stored = result.to_anchor(CHARTER.sha256)
    assert stored.status is M
    assert stored.exact == "annual progress reports from 2026 onwards"
    assert stored.quote == "annual progress reports from 2025 onwards"
    assert stored.prefix.endswith("and to publishing ")


def test_verbatim_anchor_has_no_separate_quote() -> None:
    stored = anchor(CHARTER, "The secretariat will monitor implementation").to_anchor(
        CHARTER.sha256
    )
    assert stored.quote is None
    assert stored.exact == "The secretariat will monitor implementation"


def test_weak_match_is_noted() -> None:
    result = anchor(SPEECH, "It is a pleasure to open the fourth Karst Forum in Brelin")
    assert result.status is M
    assert MISQUOTE_MIN <= result.score < STRONG
    assert result.notes[0].startswith("weak match (0.")


def test_ambiguous_lists_every_place_and_stores_no_offsets() -> None:
    result = anchor(HARBOUR, "The agreement protects jobs and wages")
    assert result.status is A
    assert len(result.places) == 2
    assert all(p.text == "The agreement protects jobs and wages" for p in result.places)
    stored = result.to_anchor(HARBOUR.sha256)
    assert stored.start is None and stored.paragraph is None


def test_bare_text_paragraphs_are_blank_line_blocks() -> None:
    text = "First block here.\n\nSecond block, with the phrase.\n\n\nThird block."
    result = anchor(text, "with the phrase")
    assert result.status is V
    assert result.place is not None and result.place.paragraph == 2
    assert anchor(text, "Third block").place.paragraph == 3  # type: ignore[union-attr]
    assert result.snapshot == sha256_text(text)


def test_nothing_to_look_for() -> None:
    assert anchor(FLOODS, "\u201c\u2026\u201d").status is N


# ---------------------------------------------------------------------------------------
# NormText


def _reference(text: str) -> tuple[str, list[int], list[int]]:
    """Per-character reference: normalised text and each character's original span."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        norm = normalize_char(text[i])
        if norm in {"", " "}:
            j = i
            while j < len(text) and normalize_char(text[j]) in {"", " "}:
                j += 1
            if any(normalize_char(c) == " " for c in text[i:j]):
                out.append(" ")
                starts.append(i)
                ends.append(j)
            i = j
            continue
        for char in norm:
            out.append(char)
            starts.append(i)
            ends.append(i + 1)
        i += 1
    return "".join(out), starts, ends


def test_normtext_matches_the_per_character_reference() -> None:
    alphabet = (
        "ab C\u00a0\n\u2009\u201c\u201d\u2018\u2019\u2014\u2013-\u00ad\u200b"
        "\u00df\u2026\u0130\ufb01\u00bc.,\u2212\u00ab\u2033"
    )
    rng = random.Random(20240611)
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        nt = NormText(text)
        norm, starts, ends = _reference(text)
        assert nt.text == norm, text
        for _ in range(10):
            if not norm:
                break
            a = rng.randrange(len(norm))
            b = rng.randint(a + 1, len(norm))
            assert nt.to_original(a, b) == (starts[a], ends[b - 1]), (text, a, b)


def test_normtext_rules() -> None:
    text = (
        "\u201cWell\u2011known\u201d \u2014\u00a0it\u2019s  STRASSE\u00ad\n\n"
        "\u00dfo\u2026 \u2212 x\u200by"
    )
    nt = NormText(text)
    assert nt.text == '"well-known" - it\'s strasse sso... - xy'
    start, end = nt.to_original(nt.text.index("strasse"), nt.text.index("strasse") + 7)
    assert text[start:end] == "STRASSE"
    at = nt.text.index("sso")
    assert nt.to_original(at, at + 3) == (text.index("\u00dfo"), text.index("\u00dfo") + 2)
    assert nt.to_original(at, at + 1) == (text.index("\u00df"), text.index("\u00df") + 1)


# ---------------------------------------------------------------------------------------
# Quote parsing


def test_parse_quote_rules() -> None:
    parsed = parse_quote(
        "\u201c[T]he Alliance \u2026 will act. . . . Next [sic] step [the Council] agreed.\u201d"
    )
    assert parsed.parts == (
        Literal("The Alliance", "the alliance"),
        Gap(2000, "\u2026"),
        Literal("will act.", "will act."),
        Gap(2000, ". . ."),
        Literal("Next step", "next step"),
        Gap(40, "[the Council]", wildcard=True),
        Literal("agreed", "agreed"),
    )


@pytest.mark.parametrize(
    ("quote", "literals", "gaps"),
    [
        ("'members'", ["members"], []),
        ("members'", ["members'"], []),
        ("\u2026a b\u2026", ["a b"], []),
        ("a [\u2026] b", ["a", "b"], [2000]),
        ("x...y", ["x", "y"], [2000]),
        ("[emphasis added] Hello [italics added] there", ["Hello there"], []),
        ("It is [emphasis in original] here", ["It is here"], []),
        ("said [t]hat", ["said that"], []),
        ("[a very long bracketed replacement of words]", [], []),
        ("one [a very long bracketed replacement of words] two", ["one", "two"], [132]),
        ("\u00abLes mots\u00bb", ["Les mots"], []),
        ("Is it?", ["Is it?"], []),
        ("It ends here.", ["It ends here"], []),
    ],
)
def test_parse_quote_cases(quote: str, literals: list[str], gaps: list[int]) -> None:
    parsed = parse_quote(quote)
    assert [lit.text for lit in parsed.literals] == literals
    assert [gap.max_chars for gap in parsed.gaps] == gaps


def test_strip_quotation_marks() -> None:
    assert strip_quotation_marks(' "a b" ') == "a b"
    assert strip_quotation_marks("\u201ea b\u201c") == "a b"
    assert strip_quotation_marks("\u2018a b\u2019") == "a b"


# ---------------------------------------------------------------------------------------
# Re-anchoring in a newer snapshot


def test_reanchor() -> None:
    quote = "The secretariat will monitor implementation"
    stored = anchor(CHARTER, quote).to_anchor(CHARTER.sha256)
    blocks = [P(CHARTER.text[p.start : p.end]) for p in CHARTER.paragraphs]

    same = reanchor(stored, _snapshot(*blocks, P("A new closing paragraph.")))
    assert (same.status, same.old_paragraph, same.new_paragraph) == ("unchanged", 4, 4)

    moved = reanchor(stored, _snapshot(P("An added opening paragraph."), *blocks))
    assert (moved.status, moved.old_paragraph, moved.new_paragraph) == ("moved", 4, 5)

    edited = [*blocks]
    edited[3] = P("The secretariat will oversee implementation.")
    changed = reanchor(stored, _snapshot(*edited))
    assert (changed.status, changed.new_paragraph) == ("changed", 4)
    assert ("replace", "monitor", "oversee") in changed.anchoring.diff

    removed = reanchor(stored, _snapshot(*blocks[:3], *blocks[4:]))
    assert removed.status == "removed"
    assert removed.new_paragraph is None


def test_reanchor_uses_context_between_repeats() -> None:
    stored = anchor(
        HARBOUR, "The agreement protects jobs and wages", prefix="Management called the deal fair."
    ).to_anchor(HARBOUR.sha256)
    assert stored.paragraph == 3
    blocks = [P(HARBOUR.text[p.start : p.end]) for p in HARBOUR.paragraphs]
    result = reanchor(stored, _snapshot(P("Breaking news."), *blocks))
    assert (result.status, result.new_paragraph) == ("moved", 4)


# ---------------------------------------------------------------------------------------
# Many snapshots at once


def test_anchor_index_picks_the_snapshot() -> None:
    index = AnchorIndex(SOURCES.values())
    assert len(index) == 5
    expectations = [
        ("We shall leave no region behind in the energy transition", V, SPEECH, 6),
        ("every municipality keep a reserve of sandbags, pumps and trained staff", M, FLOODS, 4),
        ("publishing annual progress reports from 2025 onwards", M, CHARTER, 2),
        ("fund one vehicle for every two clinics", V, REPORT, 3),
        ("a strike that lasted nine weeks", M, HARBOUR, 1),
        (
            "The council rejected any new spending on flood defences until the next election",
            N,
            None,
            None,
        ),
    ]
    for quote, status, source, paragraph in expectations:
        result = index.find(quote)
        assert result.status is status, (quote, result)
        if source is not None:
            assert result.snapshot == source.sha256
            assert result.place is not None and result.place.paragraph == paragraph
            assert result.place.snapshot == source.sha256


def test_anchor_index_same_quote_in_two_snapshots() -> None:
    newer = _snapshot(
        P("Preface."), *[P(CHARTER.text[p.start : p.end]) for p in CHARTER.paragraphs]
    )
    index = AnchorIndex([FLOODS, CHARTER, newer, CHARTER])
    assert len(index) == 3
    result = index.find("The secretariat will monitor implementation")
    assert result.status is A
    assert {p.snapshot for p in result.places} == {CHARTER.sha256, newer.sha256}
    assert "2 snapshots" in result.notes[0]


def test_anchor_index_short_quote_is_searched_exactly() -> None:
    index = AnchorIndex(SOURCES.values())
    assert index.find("Dear colleagues").snapshot == SPEECH.sha256
    missing = index.find("Dear friends")
    assert missing.status is N
    assert "too short" in missing.notes[-1]
