"""Near-verbatim copying: find the brief's sentences that copy a source without quotation marks.

A sentence is compared with every snapshot of the library through a shingle index: the
snapshots' folded words are cut into overlapping 5-word grams (:data:`GRAM`), and each
gram of the brief that is also in a snapshot is extended word by word, both ways, into
the longest run the two texts share at that place. A sentence is reported by its
longest shared run, with every source that holds the run, where (paragraph, offsets),
the share of its 3-word grams found in the source, and two signs that weigh for or
against copying:

* **formulaic**: a run made mostly of capitalised words (the name of a body, the title
  of a document: "the SCO Heads of State Council") or found in two or more independent
  sources is a stock phrase that every writer about the event repeats. It is reported
  (level "close", ``formulaic``), but does not make the sentence a copy by itself.
  Sources are independent unless they share the same label or text, or a passage of
  :data:`REPRINT_MIN_SHARED` words around the run: a press release and the outlet that
  reprinted it are one text, and copying from either is copying;
* **NBSP fingerprint**: no-break or zero-width spaces in the brief at exactly the places
  the source has them cannot be typed by accident; they are left over from copy-paste.

Thresholds, measured on the seed brief and its source page (a news item and a speech,
captured) and on the fictional texts of ``tests/test_copying.py``:

* the seed brief copies runs of 18, 16, 13 and 10 words from the news item (the 16- and
  13-word runs keep the source's no-break spaces); its paraphrases share runs of 8, 8,
  7, 7 and 5 words, and its sentences taken from other sources none of 5. The research
  notes' own pages about the same event, written without copying, shared at most 6
  words, except for official names and titles (11 and 13 words);
* :data:`COPY_MIN_RUN` = 10 separates copying from paraphrase on this evidence, with a
  margin of 2 words below. The notes proposed 12, which misses the seed's 10-word
  patchwriting ("… cyber security linked with internet scams and hacker attacks on …",
  containment only 0.42); ten words copied in order is more than coincidence in prose;
* :data:`CLOSE_MIN_RUN` = 8: runs of 8 and 9 are close paraphrases to review (the seed's
  two 8-word runs, "… of the SCO member countries", are of this kind); runs of 7 and
  less occur in honest paraphrase and are not reported;
* :data:`COPY_MIN_CONTAINMENT` = 0.6: a sentence of at least
  :data:`CONTAINMENT_MIN_WORDS` words with 60 % of its 3-grams in one source passage is
  patchwriting even when a word is swapped every few words. The seed's copies with runs
  of 13 to 18 words reach 0.71–0.88, its paraphrases at most 0.45. Containment only
  counts for a source that shares a non-formulaic run with the sentence, and only the
  source's words within :data:`CONTAINMENT_WINDOW` words of the runs are searched;
* a shared no-break-space pattern (:data:`NBSP_MIN_SHARED` = 2 places in one run)
  makes a sentence a copy whatever the run's length.

Text inside quotation marks ("…", “…”, „…“, «…», ‘…’, '…') and block quotations (lines
indented by four or more spaces, or starting with ``>``) is never counted; the rest of
the same sentence still is. Reference-list entries ("Author. (2020, May 13). Title.")
repeat a source's title by design and are skipped, as is everything after a
"References" heading.

Why positions and not sentences in the index: a copied clause often sits inside a long
source sentence, which sentence-level similarity misses (the seed's 16-word run scores
55 with token_sort). The index keeps one 64-bit integer per word of the library (a
32-bit hash of the gram, then the word's position) in one sorted array, and finds a
gram by bisection; 32-bit hash collisions are harmless because every hit is checked
word by word when it is extended. Every occurrence of every gram is indexed, so every
source holding a run of :data:`GRAM` words or more is found. No 3-gram index is
needed: a sentence of 8 or more words with 3-gram containment of 0.6 in one place
shares a run of 5 words with it (4-word runs broken by one word reach at most 0.57),
and shorter runs are never reported.
"""

from __future__ import annotations

import functools
import re
import statistics
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate, chain, count, repeat
from operator import and_, itemgetter, lshift, or_

import attrs

from policycite.snapshots import Snapshot

#: Words per gram of the index; also the shortest run that can be found.
GRAM = 5
#: A non-formulaic run of this many words makes a sentence a copy.
COPY_MIN_RUN = 10
#: A non-formulaic run of this many words (and fewer than COPY_MIN_RUN) is a close
#: paraphrase to review; a formulaic run of this length is reported as formulaic.
CLOSE_MIN_RUN = 8
#: Share of a sentence's 3-word grams found in one source that makes it a copy.
COPY_MIN_CONTAINMENT = 0.6
#: Containment is only judged for sentences of at least this many (unquoted) words:
#: in shorter ones a few common trigrams give high shares by chance.
CONTAINMENT_MIN_WORDS = 8
#: Containment counts the 3-grams found within this many words of the sentence's runs
#: in a source: patchwriting draws on one passage, 3-grams found pages apart are chance.
CONTAINMENT_WINDOW = 100
#: A run is formulaic (a name or title) when more than this share of its words belong
#: to capitalised names.
NAME_SHARE_MAX = 0.5
#: Two sources that share this many words in a row around a run are one text reprinted
#: (a press release and the outlet that printed it), not independent sources: copying
#: from either is copying. Stock phrases are shorter; the two sources diverge around them.
REPRINT_MIN_SHARED = 2 * COPY_MIN_RUN
#: Independent sources are counted up to this many ("in more than 10 sources").
INDEPENDENT_COUNT_MAX = 10
#: Places where the brief and the source both have a no-break or zero-width space, in
#: one run, that make the run a copy-paste fingerprint.
NBSP_MIN_SHARED = 2

#: Characters that are invisible or look like a space, and are kept by copy-paste
#: (no-break, narrow no-break and figure spaces; zero-width space, word joiner, BOM).
FINGERPRINT_CHARS = "\u00a0\u202f\u2007\u200b\u2060\ufeff"

# A word: letters and digits, with apostrophes inside ("SCO's"), decimal points and
# thousands separators between digits ("3.5", "2,000"), and the in-word invisible
# characters (soft hyphen, ZWNJ, ZWJ). Hyphens split words, so "Secretary-General" and
# "Secretary General" match.
WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:(?:['\u2019\u02bc]|[\u00ad\u200c\u200d]+)\w+)*")
# The same, with the text before each word, so that offsets add up from lengths alone.
_GAP_WORD = re.compile(rf"(\W*)({WORD.pattern})")


def _last_word_end(text: str) -> int:
    """The offset just after the last word character of a text.

    The gap-and-word pattern fails on a trailing run of non-word characters only after
    retrying from each of them: quadratic on a long blank tail, such as a brief's
    blanked-out reference list. Cutting the tail off first keeps tokenising linear.
    """
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    return end


_IN_WORD_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d"))
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})

# British → American spellings, applied to folded words on both sides, so over-folding
# ("promise" → "promize") is harmless: only the pairing of the two sides matters.
_SPELLING_WORDS = {
    "programme": "program",
    "programmes": "programs",
    "judgement": "judgment",
    "judgements": "judgments",
    "ageing": "aging",
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "licences": "licenses",
    "pretence": "pretense",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "grey": "gray",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "skilful": "skillful",
    "cheque": "check",
    "cheques": "checks",
    "tyre": "tire",
    "tyres": "tires",
    "manoeuvre": "maneuver",
    "aluminium": "aluminum",
    "sceptical": "skeptical",
    "plough": "plow",
}
_SPELLING_RULES = (
    # organisation, organised, realise, prioritising → -iz-
    (re.compile(r"(?<=\w\w)is(e|ed|es|ing|ation|ations|er|ers|able)$"), r"iz\1"),
    # analyse, paralysed → -yz-
    (re.compile(r"(?<=\w)ys(e|ed|es|ing)$"), r"yz\1"),
    # colour, labour, favourite, behaviours → -or- (three letters before: not "four", "your")
    (re.compile(r"(?<=\w\w\w)our(s|ed|ing|able|ite|ites|ful|er|ers|ist|ists|less)?$"), r"or\1"),
    # centre, fibre, metres → -er
    (re.compile(r"(?<=\w\w)([bt])re(s?)$"), r"\1er\2"),
    (re.compile(r"(?<=\w\w)([bt])red$"), r"\1ered"),
    # catalogue, dialogues → -og
    (re.compile(r"(?<=\w\w\w)ogue(s?)$"), r"og\1"),
)
# Every ending that one of the rules above or below may change.
_SPELLING_ENDINGS = re.compile(
    r"(?:is|ys)(?:e|ed|es|ing|ation|ations|er|ers|able)$|our[a-z]*$|[bt]re[sd]?$|ogues?$"
    r"|ll(?:ed|ing|er|ers)$"
)
# travelled, modelling, cancelled → one l, when the stem has two syllables or more.
_DOUBLE_L = re.compile(r"^(\w*?[aeiouy]+[^aeiouy\W]+[aeiouy]+)ll(ed|ing|er|ers)$")

# Lower-case words that may sit inside a name or title ("Heads of State Council",
# "Ministry of Foreign Affairs").
_NAME_CONNECTORS = frozenset("of the and for on & de du des la le del der van von und et".split())

# Function words that open sentences: capitalised there, yet never part of a name.
_SENTENCE_OPENERS = _NAME_CONNECTORS | frozenset(
    "a an in at to by as this that these those its their our his her it they we".split()
)

# Sentence ends: terminal punctuation, optional closing quotes or brackets, a space.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)")
# What follows a sentence end: space, optional opening quotes/brackets, a word character.
_NEXT_START = re.compile(r"\s+[\"'\u201c\u2018\u201e\u00ab(\[]*(\w)")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_LETTER_DOTS = re.compile(r"(?:\w\.)+\w")
#: Words that end in a period without ending the sentence ("Mr. Norov", "St. Petersburg").
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof st sr jr mt ft hon rev gen col capt lt sgt adm amb gov sen rep "
    "messrs mme mlle vs cf eg ie viz approx dept univ inc ltd co corp bros est "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations only before a number ("No. 5", "p. 12", "Art. 3").
_NUMBER_ABBREVIATIONS = frozenset("no nos nr p pp para paras art arts fig figs vol ch sec".split())

_NEWLINE = re.compile("\n")
_BLOCK_QUOTE_LINE = re.compile(r"(?: {4,}|\t|[ \t]*>)")
_TERMINAL = tuple(".!?:;\"'\u201d\u2019)")
_REFERENCES_HEADING = re.compile(
    r"\s*(?:references|reference list|bibliography|works cited|sources|literature)\s*:?\s*",
    re.IGNORECASE,
)
# An APA-style reference entry: author or body ending in ".", then "(2020, May 13)." or
# "(n.d.)." ("Ministry of Foreign Affairs. (2020, May 13). Title. Retrieved from").
_REFERENCE_ENTRY = re.compile(r"[^\n]{1,200}?\.\s\((?:\d{4}[a-z]?|n\.d\.)(?:,[^)\n]{1,30})?\)\.")

_QUOTE_CHARS = re.compile("[\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a]")
# Opening mark → the marks that close it.
_QUOTE_PAIRS = {
    "\u201c": "\u201d",
    "\u201e": "\u201c\u201d",
    "\u00ab": "\u00bb",
    "\u2018": "\u2019",
    "\u201a": "\u2018\u2019",
    '"': '"',
    "'": "'",
}
_SINGLE = "'\u2018\u2019\u201a"

_SENTINEL = -1  # between the sources in the word array: equals no word of a brief
_UNKNOWN = -2  # a brief word that no source has
_MASK32 = 0xFFFFFFFF


# Memoised: the first check of a library folds every word of every snapshot (3.4 M calls
# for 1,000 snapshots of 20 KB), drawn from a vocabulary of a few tens of thousands.
@functools.lru_cache(maxsize=1 << 17)
def fold_word(word: str) -> str:
    """A word as compared: NFKC, casefolded, one apostrophe, American spelling.

    Invisible in-word characters (soft hyphen, ZWNJ, ZWJ) are dropped; digits are kept.
    """
    folded = unicodedata.normalize("NFKC", word).casefold()
    folded = folded.translate(_APOSTROPHES).translate(_IN_WORD_INVISIBLE)
    if folded in _SPELLING_WORDS:
        return _SPELLING_WORDS[folded]
    if not _SPELLING_ENDINGS.search(folded):
        return folded  # most words: one search instead of seven substitutions
    for pattern, repl in _SPELLING_RULES:
        folded = pattern.sub(repl, folded, count=1)
    return _DOUBLE_L.sub(r"\1l\2", folded, count=1)


@functools.lru_cache(maxsize=1 << 17)
def _word_code(word: str) -> int:
    """A raw word's stable 32-bit code: CRC-32 of its folded form (equal folds, equal codes)."""
    return zlib.crc32(fold_word(word).encode("utf-8"))


#: What this interpreter's tuple hash makes of a fixed gram: stored with the gram hashes
#: (anchors.shingles), so that files written by a Python whose tuple hash differs (another
#: version or word size) are told apart and rebuilt rather than compared.
GRAM_HASH_PROBE = hash((1, 2, 3, 4, 5)) & _MASK32


def gram_hashes(text: str) -> array[int]:
    """The distinct word 5-grams of a text as stable 32-bit hashes, sorted.

    Words are found and folded as the index does, so two texts share a hash wherever the
    index could find a run. Each word's code is the CRC-32 of its folded form (not
    Python's per-process string ``hash``) and a gram's hash is the tuple hash of its five
    codes, which depends on no per-process seed (:data:`GRAM_HASH_PROBE` pins it), so the
    values can be stored beside a snapshot and read back. The tuples are made and hashed
    in C (map over zip): about 4x cheaper than hashing each joined gram with CRC-32.
    """
    codes = list(map(_word_code, WORD.findall(text)))
    grams = map(hash, zip(*(codes[i:] for i in range(GRAM)), strict=False))
    return array("I", sorted(set(map(and_, grams, repeat(_MASK32)))))


@attrs.frozen
class Sentence:
    """One sentence of a brief: offsets of its text and the 1-based line it starts on."""

    start: int
    end: int
    line: int
    text: str


@attrs.frozen
class SourceHit:
    """Where a shared run sits in one snapshot.

    ``label`` is the name given with the snapshot (a citation key); ``paragraph`` the
    reader's paragraph number of the run's first word (None in a heading); ``start`` and
    ``end`` the offsets of the run in the snapshot's text.
    """

    label: str
    snapshot: str
    paragraph: int | None
    start: int
    end: int


@attrs.frozen
class Copying:
    """A sentence of the brief that shares a long run of words with one or more sources.

    ``start``/``end`` are the sentence's offsets in the brief and ``line`` the line it
    starts on. ``run_words`` is the length in words of the run reported, ``run_text`` the
    brief's text of it. ``containment`` is the share of the sentence's 3-word grams
    (outside quotation marks) found in the first source. ``level`` is ``"copy"`` or
    ``"close"`` (a close paraphrase to review, or a formulaic run). ``sources`` lists
    every snapshot holding the run. ``nbsp_fingerprint`` is True when the brief has
    no-break or zero-width spaces at the same places as a source's run.
    ``formulaic`` is True when the run is a name or title, or found in several
    independent sources; ``formulaic_reason`` says which.
    """

    sentence: str
    start: int
    end: int
    line: int
    run_words: int
    run_text: str
    containment: float
    level: str
    sources: tuple[SourceHit, ...]
    nbsp_fingerprint: bool
    formulaic: bool
    formulaic_reason: str | None = None


# --- the brief: quotations, sentences -------------------------------------------------


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _block_quote_lines(text: str, lines: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of lines that are block quotations (indented 4+ or starting with ``>``)."""
    filled = [i for i, (a, b) in enumerate(lines) if text[a:b].strip()]
    marked = {i for i in filled if _BLOCK_QUOTE_LINE.match(text, *lines[i])}
    indented = {i for i in marked if not text[lines[i][0] : lines[i][1]].lstrip().startswith(">")}
    # A text indented throughout (some exports indent every paragraph) has no block
    # quotations by indentation, or the whole brief would count as quoted.
    if filled and len(indented) > len(filled) / 2:
        marked -= indented
    return marked


def _can_open(mark: str, before: str, after: str) -> bool:
    if after.isspace():
        return False
    if mark in _SINGLE or mark == '"':
        # Not an apostrophe inside or at the end of a word ("SCO's", "members'").
        return not before.isalnum()
    return True


def _can_close(mark: str, before: str, after: str) -> bool:
    if before.isspace():
        return False
    if mark in _SINGLE:
        # "don't", "SCO’s": an apostrophe between letters closes nothing.
        return not after.isalnum()
    return True


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside quotation marks or block quotations, in order.

    Marks pair within a paragraph (text between blank lines); an opening mark that is
    never closed quotes nothing. Nested marks are inside the outer quotation.
    """
    lines = _lines(text)
    spans = [lines[i] for i in sorted(_block_quote_lines(text, lines))]
    para_start: int | None = None
    for i, (a, b) in enumerate([*lines, (len(text) + 1, len(text) + 1)]):
        if i < len(lines) and text[a:b].strip():
            if para_start is None:
                para_start = a
            continue
        if para_start is not None:
            spans.extend(_paired_marks(text, para_start, lines[i - 1][1]))
            para_start = None
    return sorted(spans)


def _paired_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotations between start and end: each opening mark paired with its first closer."""
    out = []
    while True:
        opened: tuple[int, str] | None = None
        for m in _QUOTE_CHARS.finditer(text, start, end):
            mark, at = m.group(), m.start()
            before = text[at - 1] if at > start else " "
            after = text[at + 1] if at + 1 < end else " "
            if opened is None:
                if mark in _QUOTE_PAIRS and _can_open(mark, before, after):
                    opened = (at, _QUOTE_PAIRS[mark])
            elif mark in opened[1] and _can_close(mark, before, after):
                out.append((opened[0], at + 1))
                opened = None
        if opened is None:
            return out
        # A mark never closed (an inch sign, a typo) is no quotation: pair the marks
        # after it again, without it.
        start = opened[0] + 1


def _hard_wrapped(text: str, lines: Sequence[tuple[int, int]]) -> bool:
    """True when the brief's lines are wrapped at a fixed width (newlines inside sentences)."""
    lengths, open_ended = [], 0
    for a, b in lines:
        line = text[a:b].rstrip()
        if line.strip():
            lengths.append(len(line))
            open_ended += not line.endswith(_TERMINAL)
    return (
        len(lengths) >= 4
        and 40 <= statistics.median(lengths) <= 90
        and max(lengths) <= 100
        and open_ended > len(lengths) / 2
    )


def _units(text: str) -> list[tuple[int, int]]:
    """Stretches of the brief that no sentence crosses: lines, or wrapped paragraphs.

    Reference-list entries and everything after a "References" heading are left out.
    """
    lines = _lines(text)
    quoted = _block_quote_lines(text, lines)
    wrapped = _hard_wrapped(text, lines)
    units: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        if _REFERENCES_HEADING.fullmatch(line):
            break
        if not line.strip() or i in quoted:
            if current is not None:
                units.append(current)
            current = None
            continue
        if wrapped and current is not None:
            current = (current[0], b)
        else:
            if current is not None:
                units.append(current)
            current = (a, b)
    if current is not None:
        units.append(current)
    return [u for u in units if not _REFERENCE_ENTRY.match(text, *u)]


def _abbreviation(before: str, next_char: str) -> bool:
    """True when the word before a period is an abbreviation, not a sentence's end."""
    word = before.casefold()
    if word in ABBREVIATIONS:
        return True
    if word in _NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    if len(before) == 1 and before.isupper():
        return True  # an initial: "J. Smith"
    return _LETTER_DOTS.fullmatch(before) is not None  # "U.S.", "e.g."


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a brief, with offsets into ``text`` and 1-based line numbers.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes) followed by a
    space and a capital, a digit or an opening quote; not after abbreviations ("Mr.",
    "St.", "U.S.", "No. 5"), initials ("J. Smith") or inside numbers ("3.5"). Lines are
    separate units unless the text is hard-wrapped, when blank lines separate them.
    """
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    out = []
    for u0, u1 in _units(text):
        start = u0
        for m in _SENTENCE_END.finditer(text, u0, u1):
            nxt = _NEXT_START.match(text, m.end(), u1)
            if nxt is None or not (nxt.group(1).isupper() or nxt.group(1).isdigit()):
                continue
            if m.group().rstrip("\"'\u201d\u2019\u00bb)]") == ".":
                before = _WORD_BEFORE.search(text, max(start, m.start() - 30), m.start() + 1)
                if before and _abbreviation(before.group(1), nxt.group(1)):
                    continue
            out.append(_sentence(text, start, m.end(), newlines))
            start = m.end()
        out.append(_sentence(text, start, u1, newlines))
    return [s for s in out if WORD.search(s.text)]


def _sentence(text: str, start: int, end: int, newlines: Sequence[int]) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, bisect_right(newlines, start - 1) + 1, text[start:end])


# --- names and fingerprints -------------------------------------------------------------


def _name_flags(
    text: str, starts: Sequence[int], ends: Sequence[int], lo: int, hi: int, *, first: int
) -> list[bool]:
    """Name flags of tokens lo..hi-1: True for a token in a capitalised name or title.

    A name is a stretch of capitalised tokens, with connectors ("of", "the", "and", …)
    and numbers allowed between them. A capital at the start of a sentence (after
    ``.``, ``!``, ``?``, a newline, or at token ``first``) counts only when the next token
    is capitalised too, or for an acronym.
    """
    caps = []
    for k in range(lo, hi):
        word = text[starts[k] : ends[k]]
        capital = word[0].isupper()
        if capital and (k == first or any(c in ".!?\n" for c in text[ends[k - 1] : starts[k]])):
            # Sentence-initial: "The", "Following" are not names, "SCO" is.
            capital = word.isupper() and len(word) > 1
            if not capital and k + 1 < hi and word.casefold() not in _SENTENCE_OPENERS:
                capital = text[starts[k + 1]].isupper()
        caps.append(capital)
    flags = [False] * (hi - lo)
    k = 0
    while k < len(caps):
        if not caps[k]:
            k += 1
            continue
        last = j = k
        while j < len(caps):
            word = text[starts[lo + j] : ends[lo + j]]
            if caps[j]:
                last = j
            elif word not in _NAME_CONNECTORS and not word.isdigit():
                break
            j += 1
        for m in range(k, last + 1):
            flags[m] = True
        k = last + 1
    return flags


def _gap_marks(text: str, end: int, start: int) -> str:
    """The fingerprint characters in the gap between two words."""
    return "".join(c for c in text[end:start] if c in FINGERPRINT_CHARS)


# --- the index --------------------------------------------------------------------------


@attrs.define
class _Run:
    """A maximal run: brief words a..b-1 equal the library's words g..g+(b-a)-1."""

    a: int
    b: int
    g: int
    source: int
    reason: str | None = None

    @property
    def words(self) -> int:
        return self.b - self.a


class CopyIndex:
    """A shingle index over snapshots, built once, that finds copying in briefs.

    ``sources`` are ``(label, snapshot)`` pairs; the label (a citation key) names the
    source in the hits. Build time is about 7 ms per 20 KB snapshot; memory about 24
    bytes per word of the library (word ids, offsets, the gram array): about 85 MB for
    1,000 snapshots of 20 KB. ``find`` takes about 2–4 ms per 500-word page against
    such a library (``benchmarks/copy_speed.py``).
    """

    def __init__(self, sources: Iterable[tuple[str, Snapshot]]) -> None:
        self._labels: list[str] = []
        self._snapshots: list[Snapshot] = []
        self._base: list[int] = []  # position of each source's first word
        self._para_starts: list[list[int]] = []
        self._vocab: dict[str, int] = {}
        self._ids: dict[str, int] = {}  # raw token → word id, so each spelling folds once
        # Word ids and offsets of every source, end to end, a sentinel before each.
        words = array("i", [_SENTINEL])
        self._starts = array("i", [0])
        self._ends = array("i", [0])
        # (32-bit gram hash << 32 | position), bucketed by the hash's top byte so that each
        # bucket sorts on its own and the buckets concatenate in order.
        buckets = [array("Q") for _ in range(256)]
        for label, snapshot in sources:
            base = len(words)
            ids, starts, ends = self._tokens(snapshot.text, grow=True)
            self._labels.append(label)
            self._snapshots.append(snapshot)
            self._base.append(base)
            self._para_starts.append([p.start for p in snapshot.paragraphs])
            words.extend(ids)
            words.append(_SENTINEL)
            self._starts.extend(starts)
            self._starts.append(0)
            self._ends.extend(ends)
            self._ends.append(0)
            # The keys are made and sorted in C (map over operators, no Python loop),
            # then cut into the buckets at each top byte.
            hashes = map(hash, zip(*(ids[i:] for i in range(GRAM)), strict=False))
            masked = map(and_, hashes, repeat(_MASK32))
            keys = sorted(map(or_, map(lshift, masked, repeat(32)), count(base)))
            lo = 0
            for top in range(256):
                hi = bisect_left(keys, (top + 1) << 56, lo)
                if hi > lo:
                    buckets[top].extend(keys[lo:hi])
                    lo = hi
        self._grams = array("Q")
        for bucket in buckets:
            self._grams.extend(sorted(bucket))
            del bucket[:]
        # The word ids packed, for 3-gram containment by substring search, and read in
        # place (no second copy) when runs are extended.
        self._word_bytes = words.tobytes()
        self._words = memoryview(self._word_bytes).cast("i")

    def __len__(self) -> int:
        """The number of snapshots indexed."""
        return len(self._snapshots)

    def state(self) -> dict[str, object]:
        """What the index holds but its snapshots: plain values, to be kept between runs.

        Building the index tokenises every snapshot (0.6 s for 200 of 20 KB); reading
        this back costs a few milliseconds. See :meth:`from_state`.
        """
        return {k: v for k, v in vars(self).items() if k not in {"_snapshots", "_words"}}

    @classmethod
    def from_state(
        cls, state: Mapping[str, object], sources: Iterable[tuple[str, Snapshot]]
    ) -> CopyIndex:
        """The index :meth:`state` described, over the same ``sources`` it was built from.

        The caller keys the state by the sources (labels, hashes and paragraphs): a state
        built from other sources gives wrong hits.
        """
        index = cls.__new__(cls)
        vars(index).update(state)
        index._snapshots = [snapshot for _, snapshot in sources]
        index._words = memoryview(index._word_bytes).cast("i")
        return index

    def _tokens(self, text: str, *, grow: bool) -> tuple[list[int], list[int], list[int]]:
        """Word ids, start and end offsets of the words of a text.

        ``grow`` adds unseen words to the vocabulary (sources); otherwise they get
        ``_UNKNOWN`` (briefs), and the index stays unchanged.
        """
        pairs = _GAP_WORD.findall(text[: _last_word_end(text)])
        offsets = list(accumulate(map(len, chain.from_iterable(pairs))))
        raw = list(map(itemgetter(1), pairs))
        shared, vocab = self._ids, self._vocab
        new = set(raw).difference(shared)
        if grow:
            for word in new:
                shared[word] = vocab.setdefault(fold_word(word), len(vocab))
            ids = list(map(shared.__getitem__, raw))
        else:
            # A brief's spellings stay out of the shared cache: the index is immutable.
            own = {word: vocab.get(fold_word(word), _UNKNOWN) for word in new}
            ids = [shared[word] if word in shared else own[word] for word in raw]
        return ids, offsets[0::2], offsets[1::2]

    def _positions(self, gram: tuple[int, ...]) -> list[int]:
        """Library positions where a gram may start (hash matches; verified by the caller)."""
        h = hash(gram) & _MASK32
        grams = self._grams
        i = bisect_left(grams, h << 32)
        out = []
        while i < len(grams):
            key = grams[i]
            if key >> 32 != h:
                break
            out.append(key & _MASK32)
            i += 1
        return out

    def _source_of(self, position: int) -> int:
        return bisect_right(self._base, position) - 1

    def _runs(self, seg: Sequence[int], offset: int) -> list[_Run]:
        """Maximal runs shared by a segment of brief word ids and the library.

        ``offset`` is the brief index of the segment's first word. Each gram's hits are
        extended both ways; a hit on a diagonal already covered by a run is skipped.
        """
        words = self._words
        runs = []
        covered: dict[int, int] = {}  # diagonal (position - index) → end of its last run
        for k in range(len(seg) - GRAM + 1):
            gram = tuple(seg[k : k + GRAM])
            if min(gram) < 0:
                continue
            for g in self._positions(gram):
                diagonal = g - k
                if covered.get(diagonal, -1) > k:
                    continue
                a, ga = k, g
                while a > 0 and words[ga - 1] == seg[a - 1]:
                    a -= 1
                    ga -= 1
                b, gb = k, g
                while b < len(seg) and words[gb] == seg[b]:
                    b += 1
                    gb += 1
                covered[diagonal] = b
                if b - a >= GRAM:  # shorter: a hash collision
                    runs.append(_Run(offset + a, offset + b, ga, self._source_of(ga)))
        return runs

    def _containment(self, lo: int, hi: int, trigrams: Sequence[bytes | None]) -> float:
        """Share of a sentence's 3-grams (packed word ids) found in library words lo..hi-1.

        A substring search over the packed ids runs in C; a match that does not start on
        a word boundary is skipped.
        """
        data, width = self._word_bytes, self._words.itemsize
        found = 0
        for pattern in trigrams:
            if pattern is None:
                continue  # a word no source has
            at = data.find(pattern, width * lo, width * hi)
            while at != -1 and at % width:
                at = data.find(pattern, at + 1, width * hi)
            found += at != -1
        return found / max(len(trigrams), 1)

    def _hit(self, run: _Run, a: int, b: int) -> SourceHit:
        """The place in a run's snapshot of the brief words a..b-1 (inside the run)."""
        g = run.g + (a - run.a)
        snapshot = self._snapshots[run.source]
        start, end = self._starts[g], self._ends[g + (b - a) - 1]
        starts = self._para_starts[run.source]
        i = bisect_right(starts, start) - 1
        paragraph = None
        if i >= 0 and start < snapshot.paragraphs[i].end:
            paragraph = snapshot.paragraphs[i].number
        return SourceHit(self._labels[run.source], snapshot.sha256, paragraph, start, end)

    def _source_end(self, source: int) -> int:
        """The position of the sentinel after a source's last word."""
        return self._base[source + 1] - 1 if source + 1 < len(self._base) else len(self._words) - 1

    def _source_names(self, run: _Run) -> list[bool]:
        """Name flags of the run's words as the source writes them (3 words of context)."""
        first = self._base[run.source]
        lo = max(first, run.g - 3)
        hi = min(self._source_end(run.source), run.g + run.words + 3)
        text = self._snapshots[run.source].text
        flags = _name_flags(text, self._starts, self._ends, lo, hi, first=first)
        return flags[run.g - lo : run.g - lo + run.words]

    def _fingerprint(self, brief: _Brief, run: _Run) -> bool:
        """True when the brief's invisible spaces in the run sit where the source has them."""
        text = self._snapshots[run.source].text
        shared = 0
        for k in range(run.words - 1):
            mine = _gap_marks(brief.text, brief.ends[run.a + k], brief.starts[run.a + k + 1])
            if not mine:
                continue
            g = run.g + k
            if _gap_marks(text, self._ends[g], self._starts[g + 1]) != mine:
                return False
            shared += 1
        return shared >= NBSP_MIN_SHARED

    def find(self, brief_text: str) -> list[Copying]:
        """The brief's sentences that copy a source closely, in the order of the brief.

        Only sentences at level "copy" or "close" are returned (formulaic runs of
        :data:`CLOSE_MIN_RUN` words or more are returned as "close", marked formulaic);
        a brief with no copying gives ``[]``.
        """
        brief = _Brief(brief_text, *self._tokens(brief_text, grow=False))
        out = []
        for sentence in split_sentences(brief_text):
            found = self._judge(brief, sentence)
            if found is not None:
                out.append(found)
        return out

    def _judge(self, brief: _Brief, sentence: Sentence) -> Copying | None:
        """The sentence's level, run and sources, or None when it copies nothing."""
        lo = bisect_left(brief.starts, sentence.start)
        hi = bisect_left(brief.starts, sentence.end)
        segments = brief.segments(lo, hi)
        runs = [run for a, b in segments for run in self._runs(brief.ids[a:b], a)]
        if not runs:
            return None
        for run in runs:
            run.reason = self._formulaic(brief, run, runs)

        # Containment is computed only where it decides or is reported: a substring
        # search per 3-gram, in the source's words around the sentence's runs.
        trigrams = [
            array("i", brief.ids[k : k + 3]).tobytes() if min(brief.ids[k : k + 3]) >= 0 else None
            for a, b in segments
            for k in range(a, b - 2)
        ]
        containment: dict[int, float] = {}

        def contained(source: int) -> float:
            if source not in containment:
                mine = [r for r in runs if r.source == source]
                lo = max(self._base[source], min(r.g for r in mine) - CONTAINMENT_WINDOW)
                hi = min(
                    self._source_end(source), max(r.g + r.words for r in mine) + CONTAINMENT_WINDOW
                )
                containment[source] = self._containment(lo, hi, trigrams)
            return containment[source]

        plain = [r for r in runs if r.reason is None]
        longest = max(plain, key=lambda r: (r.words, -r.a), default=None)
        printed = [r for r in runs if self._fingerprint(brief, r)]
        words = sum(b - a for a, b in segments)
        if longest is not None and longest.words >= COPY_MIN_RUN:
            level, chosen = "copy", longest
        elif printed:
            level, chosen = "copy", max(printed, key=lambda r: (r.words, -r.a))
        elif words >= CONTAINMENT_MIN_WORDS and any(
            contained(r.source) >= COPY_MIN_CONTAINMENT for r in plain
        ):
            level = "copy"
            chosen = max(plain, key=lambda r: (contained(r.source), r.words, -r.a))
        elif longest is not None and longest.words >= CLOSE_MIN_RUN:
            level, chosen = "close", longest
        else:
            formulaic = [r for r in runs if r.words >= CLOSE_MIN_RUN]
            if not formulaic:
                return None
            level, chosen = "close", max(formulaic, key=lambda r: (r.words, -r.a))

        holders = [r for r in runs if r.a <= chosen.a and r.b >= chosen.b]
        holders.sort(key=lambda r: (r.source, r.g))
        hits = tuple(dict.fromkeys(self._hit(r, chosen.a, chosen.b) for r in holders))
        return Copying(
            sentence=sentence.text,
            start=sentence.start,
            end=sentence.end,
            line=sentence.line,
            run_words=chosen.words,
            run_text=brief.text[brief.starts[chosen.a] : brief.ends[chosen.b - 1]],
            containment=round(contained(holders[0].source), 3),
            level=level,
            sources=hits,
            nbsp_fingerprint=any(
                self._fingerprint(brief, _Run(chosen.a, chosen.b, r.g + chosen.a - r.a, r.source))
                for r in holders
            ),
            formulaic=chosen.reason is not None,
            formulaic_reason=chosen.reason,
        )

    def _formulaic(self, brief: _Brief, run: _Run, runs: Sequence[_Run]) -> str | None:
        """Why a run is formulaic (a name or title; in several independent sources), or None."""
        reasons = []
        source_names = self._source_names(run)
        names = sum(brief.names[run.a + k] or source_names[k] for k in range(run.words))
        if names > NAME_SHARE_MAX * run.words:
            reasons.append("official name or title")
        if run.words < CLOSE_MIN_RUN:
            # Short runs are never reported for their own sake; counting the sources of
            # common 5-7-word phrases would cost the most and change nothing.
            return "; ".join(reasons) or None
        holders = [r for r in runs if r.a <= run.a and r.b >= run.b]
        independent = self._independent(run, holders) if len(holders) > 1 else 1
        if independent > INDEPENDENT_COUNT_MAX:
            reasons.append(f"in more than {INDEPENDENT_COUNT_MAX} sources")
        elif independent >= 2:
            reasons.append(f"in {independent} sources")
        return "; ".join(reasons) or None

    def _independent(self, run: _Run, holders: Sequence[_Run]) -> int:
        """How many independent sources hold a run (counting stops past a maximum).

        Holders are grouped: the same label, the same text, or a shared passage of
        :data:`REPRINT_MIN_SHARED` words around the run make one source. Each holder is
        compared with the first member of each group, and counting stops after
        :data:`INDEPENDENT_COUNT_MAX` groups, so that boilerplate found in hundreds of
        snapshots costs little.
        """
        groups: list[tuple[int, int]] = []  # first member: (source, position of the run)
        for holder in holders:
            place = (holder.source, holder.g + run.a - holder.a)
            if not any(self._same_source(place, first, run.words) for first in groups):
                groups.append(place)
                if len(groups) > INDEPENDENT_COUNT_MAX:
                    break
        return len(groups)

    def _same_source(self, one: tuple[int, int], other: tuple[int, int], length: int) -> bool:
        (s, p), (t, q) = one, other
        if self._labels[s] == self._labels[t]:
            return True
        if self._snapshots[s].sha256 == self._snapshots[t].sha256:
            return True
        # Extend the common run of the two sources beyond the brief's run, both ways;
        # sentinels (equal to each other) stop it at a source's edge.
        words = self._words
        left = 0
        while words[p - left - 1] == words[q - left - 1] != _SENTINEL:
            left += 1
        right = length
        while words[p + right] == words[q + right] != _SENTINEL:
            right += 1
        return left + right >= REPRINT_MIN_SHARED


@attrs.frozen
class _Brief:
    """A brief's text, word ids and offsets, which words are quoted or names."""

    text: str
    ids: list[int]
    starts: list[int]
    ends: list[int]
    quoted: list[bool] = attrs.field(init=False)
    names: list[bool] = attrs.field(init=False)

    @quoted.default
    def _quoted(self) -> list[bool]:
        spans = quoted_spans(self.text)
        span_starts = [a for a, _ in spans]
        out = []
        for start in self.starts:
            i = bisect_right(span_starts, start) - 1
            out.append(i >= 0 and start < spans[i][1])
        return out

    @names.default
    def _names(self) -> list[bool]:
        return _name_flags(self.text, self.starts, self.ends, 0, len(self.starts), first=0)

    def segments(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Stretches of unquoted words among words lo..hi-1."""
        out, start = [], None
        for k in range(lo, hi):
            if self.quoted[k]:
                if start is not None:
                    out.append((start, k))
                start = None
            elif start is None:
                start = k
        if start is not None:
            out.append((start, hi))
        return out


__all__ = [
    "ABBREVIATIONS",
    "CLOSE_MIN_RUN",
    "CONTAINMENT_MIN_WORDS",
    "CONTAINMENT_WINDOW",
    "COPY_MIN_CONTAINMENT",
    "COPY_MIN_RUN",
    "FINGERPRINT_CHARS",
    "GRAM",
    "GRAM_HASH_PROBE",
    "INDEPENDENT_COUNT_MAX",
    "NAME_SHARE_MAX",
    "NBSP_MIN_SHARED",
    "REPRINT_MIN_SHARED",
    "WORD",
    "CopyIndex",
    "Copying",
    "Sentence",
    "SourceHit",
    "fold_word",
    "gram_hashes",
    "quoted_spans",
    "split_sentences",
]
