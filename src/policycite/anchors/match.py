"""Find where a quotation stands in a source, and say exactly how it differs.

A direct quotation must come from its source word for word. This module anchors a
quotation in a snapshot and reports one of four outcomes (:class:`AnchorStatus`):

* **verbatim** — every literal piece of the quotation (:mod:`.quotes`: ellipses and
  brackets are gaps) occurs in the source, in order, at word boundaries, after the
  normalisation of :mod:`.normalize` (case, quote marks, dashes, whitespace). Only this
  exact search can say verbatim, with one exception: an approximate match whose words
  differ only in quotation marks (the source's own marks, which a quotation drops or
  turns into single ones, APA 7 8.32) is verbatim too;
* **misquote** — no exact occurrence, but an approximate one scores at least
  :data:`MISQUOTE_MIN`; the word-level diff says what differs ("weak" below
  :data:`STRONG`);
* **ambiguous** — the quotation occurs more than once (exactly, or approximately with
  scores within :data:`AMBIGUITY_MARGIN`) and no prefix/suffix decides; every place is
  listed;
* **not found** — nothing scores :data:`MISQUOTE_MIN`; the nearest candidate and its score
  are still reported.

The approximate search aligns each literal piece with
``rapidfuzz.fuzz.partial_ratio_alignment`` — over the whole text when it is small
(:data:`SMALL_TEXT`), otherwise inside candidate windows found with a word-4-gram index —
snaps the alignment to word boundaries and scores it with ``fuzz.ratio`` (the
length-weighted mean over the pieces). Measured in the research notes on real pages:
true quotations with variants scored 94–100, paraphrases and unrelated text 50–55.

:func:`anchor` searches one snapshot (or a bare text), :class:`AnchorIndex` many at once
("which of my snapshots holds this quotation?"), :func:`reanchor` finds a stored anchor
again in a newer snapshot (unchanged, moved, changed, removed).
"""

from __future__ import annotations

import difflib
import functools
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import attrs
from rapidfuzz import fuzz

from policycite.anchors.normalize import NormText, normalize_char
from policycite.anchors.quotes import (
    Gap,
    ParsedQuote,
    literal_quote,
    parse_quote,
    strip_quotation_marks,
)
from policycite.capture.document import Paragraph
from policycite.model import AnchorStatus, QuoteAnchor
from policycite.snapshots import Snapshot, sha256_text

_WHITESPACE_RUN = re.compile(r"\s+")

#: The least score (0..1) of an approximate match reported as a misquote. Measured: true
#: quotations with variants (a changed word, British spelling, combined edits) scored
#: 0.94–1.00, the brief's own paraphrases and unrelated text 0.50–0.55; 0.80 leaves a
#: wide margin on both sides. Below it the quotation is "not found".
MISQUOTE_MIN = 0.80
#: From this score on a misquote is a strong match (the words are plainly the source's,
#: with a few changed); between MISQUOTE_MIN and STRONG it is noted as weak, for review.
STRONG = 0.90
#: Two approximate matches at different places whose scores are this close are reported as
#: ambiguous: a difference of 0.02 is one or two changed characters in a 60-character
#: quotation, too little to tell a passage from its near-duplicate (a second translation).
AMBIGUITY_MARGIN = 0.02
#: A misquote must share at least this fraction of its words with the passage found:
#: character-level similarity between different short words ("resigned" / "designed")
#: must not make a quotation look like a misquote of an unrelated phrase.
MIN_SHARED_WORDS = 0.5
#: Characters of source text kept before and after a place (W3C TextQuoteSelector).
CONTEXT_CHARS = 32
#: Texts up to this many normalised characters are scanned whole by the approximate
#: search (about 1 ms per 20 KB); longer ones are searched in windows from the 4-gram
#: index (a scan of 5 MB takes 0.1–0.4 s).
SMALL_TEXT = 200_000
#: Prefix/suffix context must favour one place by this many points (0..100) to decide.
CONTEXT_MARGIN = 10.0
#: At most this many exact occurrences are listed.
MAX_PLACES = 50

_GRAM = 4
_HASH_BITS = 36
_POS_BITS = 28
_HASH_MASK = (1 << _HASH_BITS) - 1
_POS_MASK = (1 << _POS_BITS) - 1
#: A gram found more often than this is too common to point anywhere.
_MAX_POSTINGS = 2000
_MAX_WINDOWS = 8
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r"\S+")
_EDGE_PUNCT = frozenset(".,;:")
_PUNCT = "\"'.,;:!?()[]{}-"
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n\s*")


# ---------------------------------------------------------------------------------------
# Results


@attrs.frozen
class Place:
    """One passage of a snapshot: original offsets, paragraph, section, score, text.

    ``paragraph_end`` is set when the passage runs into another paragraph; ``snapshot``
    is the SHA-256 of the snapshot holding it.
    """

    start: int
    end: int
    paragraph: int | None
    paragraph_end: int | None
    section: str | None
    score: float
    text: str
    snapshot: str | None = None


DiffOp = tuple[str, str, str]


@attrs.frozen
class Anchoring:
    """The outcome of anchoring one quotation.

    ``place`` is the best place (for *not found*, the nearest candidate, if any) and
    ``places`` every place (several when ambiguous). ``diff`` lists word-level operations
    ``(op, quotation words, source words)`` with ``op`` one of ``equal``, ``replace``,
    ``delete`` (words of the quotation the source lacks), ``insert`` (source words the
    quotation lacks) and ``gap`` (an ellipsis or a bracket, with the source words it
    stands for). ``prefix``/``suffix`` are source text around the place.
    """

    status: AnchorStatus
    quote: str
    place: Place | None = None
    places: tuple[Place, ...] = ()
    score: float = 0.0
    diff: tuple[DiffOp, ...] = ()
    prefix: str = ""
    suffix: str = ""
    notes: tuple[str, ...] = ()
    snapshot: str | None = None

    def diff_text(self, context: int | None = 3) -> str:
        """The diff as words: ``[-brief's words-]{+source's words+}``.

        Runs of equal words are cut to ``context`` words around each change (None: all).
        """
        changed = any(op not in {"equal", "gap"} for op, _, _ in self.diff)
        out: list[str] = []
        last = len(self.diff) - 1
        for i, (op, quoted, source) in enumerate(self.diff):
            if op == "equal":
                words = quoted.split()
                if changed and context is not None:
                    words = _elide(words, context, first=i == 0, last=i == last)
                out.extend(words)
            elif op == "gap":
                out.append(quoted)
            else:
                out.append(
                    (f"[-{quoted}-]" if quoted else "") + (f"{{+{source}+}}" if source else "")
                )
        return " ".join(out)

    def to_anchor(self, snapshot_sha256: str) -> QuoteAnchor:
        """The anchor to store on a record (offsets only for a single place)."""
        body = _body(self.quote)
        place = self.place
        if place is None or self.status is AnchorStatus.NOT_FOUND:
            return QuoteAnchor(
                exact=body,
                snapshot_sha256=snapshot_sha256,
                status=self.status,
                score=_unit(self.score),
            )
        single = self.status in {AnchorStatus.VERBATIM, AnchorStatus.MISQUOTE}
        return QuoteAnchor(
            exact=place.text,
            # Context is stored on one line (it may reach into the paragraph before or
            # after); matching normalises white space anyway.
            prefix=_one_line(self.prefix),
            suffix=_one_line(self.suffix),
            start=place.start if single else None,
            end=place.end if single else None,
            paragraph=place.paragraph if single else None,
            section=place.section if single else None,
            snapshot_sha256=snapshot_sha256,
            status=self.status,
            score=_unit(self.score),
            quote=body if body != place.text else None,
        )


def _one_line(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", text)


def _unit(score: float) -> float:
    return min(1.0, max(0.0, round(score, 4)))


def _body(quote: str) -> str:
    return strip_quotation_marks(quote) or quote


def _elide(words: list[str], context: int, *, first: bool, last: bool) -> list[str]:
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(words) <= keep_head + keep_tail + 1:
        return words
    return [*words[:keep_head], "…", *words[len(words) - keep_tail :]]


# ---------------------------------------------------------------------------------------
# Prepared snapshots and the 4-gram index


class _Target:
    """A snapshot prepared for search: normalised text, paragraph starts, words."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.nt = NormText(snapshot.text)
        self.para_starts = [p.start for p in snapshot.paragraphs]
        self._word_starts: array[int] | None = None
        self._grams: _Grams | None = None

    def words(self) -> list[str]:
        """The normalised words (letters and digits) in order.

        Not kept: only the index needs them, once.
        """
        return _WORD_RE.findall(self.nt.text)

    @property
    def word_starts(self) -> array[int]:
        """Normalised offset of each word."""
        if self._word_starts is None:
            self._word_starts = array("q", [m.start() for m in _WORD_RE.finditer(self.nt.text)])
        return self._word_starts

    def grams(self) -> _Grams:
        """The 4-gram index of this text alone (built on first use, kept)."""
        if self._grams is None:
            self._grams = _Grams([self])
        return self._grams

    def paragraph(self, offset: int) -> Paragraph | None:
        """The paragraph holding an original offset (the one before, between blocks)."""
        i = bisect_right(self.para_starts, offset) - 1
        return self.snapshot.paragraphs[i] if i >= 0 else None


class _Grams:
    """Word-4-gram postings over one or more texts, as one sorted array of 64-bit keys.

    Each key is a 36-bit gram hash above a 28-bit global word position: a dict of lists
    would take ten times the memory. A hash collision only adds a candidate window, which the
    alignment then rejects.
    """

    def __init__(self, targets: Sequence[_Target]) -> None:
        self.targets = targets
        self.bases: list[int] = []
        keys: list[int] = []
        base = 0
        for target in targets:
            words = target.words()
            self.bases.append(base)
            grams = zip(words, words[1:], words[2:], words[3:], strict=False)
            keys.extend(
                ((h & _HASH_MASK) << _POS_BITS) | p
                for p, h in enumerate(map(hash, grams), start=base)
            )
            base += len(words)
        if base > _POS_MASK:
            raise ValueError(f"too many words for one anchor index ({base:,})")
        keys.sort()
        self.keys = array("Q", keys)

    def postings(self, gram: tuple[str, ...]) -> array[int]:
        """Global word positions where the gram starts (possibly a few false ones)."""
        h = hash(gram) & _HASH_MASK
        lo = bisect_left(self.keys, h << _POS_BITS)
        hi = bisect_left(self.keys, (h + 1) << _POS_BITS, lo)
        return self.keys[lo:hi]

    def locate(self, pos: int) -> tuple[int, int]:
        """(target number, word number in that target) of a global word position."""
        i = bisect_right(self.bases, pos) - 1
        return i, pos - self.bases[i]

    def hits(
        self, grams: Sequence[tuple[tuple[str, ...], int]]
    ) -> tuple[list[tuple[int, int, int]], int]:
        """Postings of the quotation's grams, and how many grams were used.

        Each posting is (target, word, quote word); grams too common to point anywhere
        are left out.
        """
        out = []
        used = 0
        for gram, q in grams:
            found = self.postings(gram)
            if len(found) > _MAX_POSTINGS:
                continue
            used += 1
            for key in found:
                target, word = self.locate(key & _POS_MASK)
                out.append((target, word, q))
        return out, used


def _query_grams(parsed: ParsedQuote) -> tuple[list[tuple[tuple[str, ...], int]], int]:
    """The quotation's distinct 4-grams (within literal pieces) and its word count."""
    grams: dict[tuple[str, ...], int] = {}
    q = 0
    for lit in parsed.literals:
        words = _WORD_RE.findall(lit.norm)
        for i in range(len(words) - _GRAM + 1):
            grams.setdefault(tuple(words[i : i + _GRAM]), q + i)
        q += len(words)
    return list(grams.items()), q


def _windows(
    target: _Target, hits: list[tuple[int, int]], n_words: int, parsed: ParsedQuote
) -> list[tuple[int, int, int]]:
    """Candidate windows (count of distinct quote grams, lo, hi) from one target's hits.

    Hits are chained while consecutive ones are close (the quotation's length plus what
    its gaps may skip); each chain is one window, widened to where the quotation would
    start and end.
    """
    if not hits:
        return []
    gap_words = sum(g.max_chars for g in parsed.gaps) // 4
    spread = n_words + gap_words + 20
    hits.sort()
    chains: list[list[tuple[int, int]]] = [[hits[0]]]
    for hit in hits[1:]:
        if hit[0] - chains[-1][-1][0] > spread:
            chains.append([])
        chains[-1].append(hit)
    starts = target.word_starts
    text_len = len(target.nt.text)
    out = []
    for chain in chains:
        first = max(0, min(w - q for w, q in chain) - 2)
        last = max(w + (n_words - q) for w, q in chain) + gap_words + 2
        lo = max(0, starts[min(first, len(starts) - 1)] - 40)
        hi = text_len if last + 1 >= len(starts) else min(text_len, starts[last + 1] + 40)
        out.append((len({q for _, q in chain}), lo, hi))
    out.sort(key=lambda w: -w[0])
    return out[:_MAX_WINDOWS]


# ---------------------------------------------------------------------------------------
# Exact search


def _bounded(text: str, start: int, end: int) -> bool:
    """The span does not cut a word at either end."""
    if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        return False
    return not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())


def _extend(
    text: str, lits: Sequence[str], gaps: Sequence[int], chain: list[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """Complete a chain of literal spans, each within its gap of the one before."""
    i = len(chain)
    if i == len(lits):
        return chain
    lit = lits[i]
    end = chain[-1][1]
    limit = end + gaps[i - 1] + 2 + len(lit)  # +2: the spaces around the gap
    pos = text.find(lit, end, limit)
    while pos != -1:
        if _bounded(text, pos, pos + len(lit)):
            done = _extend(text, lits, gaps, [*chain, (pos, pos + len(lit))])
            if done is not None:
                return done
        pos = text.find(lit, pos + 1, limit)
    return None


def _exact(target: _Target, parsed: ParsedQuote) -> list[tuple[tuple[int, int], ...]]:
    """Every exact occurrence: the normalised span of each literal piece."""
    text = target.nt.text
    lits = [lit.norm for lit in parsed.literals]
    gaps = [g.max_chars for g in parsed.gaps]
    out: list[tuple[tuple[int, int], ...]] = []
    pos = text.find(lits[0])
    while pos != -1 and len(out) < MAX_PLACES:
        end = pos + len(lits[0])
        if _bounded(text, pos, end):
            chain = _extend(text, lits, gaps, [(pos, end)])
            if chain is not None:
                out.append(tuple(chain))
        pos = text.find(lits[0], pos + 1)
    return out


# ---------------------------------------------------------------------------------------
# Approximate search


@attrs.frozen
class _Hit:
    """A candidate place: normalised spans of the literal pieces and the score."""

    target: _Target = attrs.field(eq=False)
    spans: tuple[tuple[int, int], ...]
    score: float

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def overlaps(self, other: _Hit) -> bool:
        return self.target is other.target and self.start < other.end and other.start < self.end


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words and trim spaces at its ends."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def _refine(text: str, lit: str, start: int, end: int, *, lo: int, hi: int) -> tuple[int, int]:
    """Put the ends of an aligned span on the words that correspond to the quotation's.

    The alignment window has the quotation's length, so when the source says more (a
    longer word for a shorter one) the span shifts and takes in a word before, or loses
    the last one. Words are matched (difflib) in the span widened by three words each
    side; the span becomes the matched core plus, at each end, as many source words as
    the quotation has unmatched words there (they are its replaced words).
    """
    region_lo = start
    for _ in range(3):
        region_lo = _word_back(text, region_lo, lo)
    region_hi = end
    for _ in range(3):
        region_hi = _word_on(text, region_hi, hi)
    tokens = [m.span() for m in _TOKEN_RE.finditer(text, region_lo, region_hi)]
    quoted = [_word_key(w) for w in lit.split()]
    words = [_word_key(text[s:e]) for s, e in tokens]
    matcher = difflib.SequenceMatcher(None, quoted, words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return start, end
    first, last = blocks[0], blocks[-1]
    begin = first.b - min(first.a, first.b)
    tail = len(quoted) - (last.a + last.size)
    stop = last.b + last.size - 1 + min(tail, len(words) - (last.b + last.size))
    new_start, new_end = tokens[begin][0], tokens[stop][1]
    # punctuation the quotation does not have at its ends is not part of the quotation
    while (
        new_end > new_start + 1
        and text[new_end - 1] in _EDGE_PUNCT
        and lit[-1:] != text[new_end - 1]
    ):
        new_end -= 1
    return new_start, new_end


def _word_key(token: str) -> str:
    """A token without the punctuation at its ends, for matching words."""
    return token.strip(_PUNCT) or token


def _word_back(text: str, pos: int, lo: int) -> int:
    """The start of the word before the one at ``pos`` (``lo`` at the most)."""
    cut = text.rfind(" ", lo, max(lo, pos - 1))
    return lo if cut < 0 else cut + 1


def _word_on(text: str, pos: int, hi: int) -> int:
    """The end of the word after ``pos`` (``hi`` at the most)."""
    cut = text.find(" ", min(pos + 1, hi), hi)
    return hi if cut < 0 else cut


def _align(text: str, lit: str, lo: int, hi: int, *, rightmost: bool = False) -> tuple[int, int]:
    """The best approximate span of ``lit`` in ``text[lo:hi]``, snapped to words.

    ``rightmost`` prefers the last of equally good places (searching backwards from the
    piece after it): both strings are reversed, as the alignment takes the first.
    """
    lo, hi = max(0, lo), min(len(text), hi)
    if hi <= lo:
        return lo, lo
    window = text[lo:hi]
    if rightmost:
        al = fuzz.partial_ratio_alignment(lit[::-1], window[::-1])
        if al is None:  # only with a score_cutoff, which is not given
            return lo, lo
        start, end = hi - al.dest_end, hi - al.dest_start
    else:
        al = fuzz.partial_ratio_alignment(lit, window)
        if al is None:
            return lo, lo
        start, end = lo + al.dest_start, lo + al.dest_end
    start, end = _snap(text, start, end)
    return _refine(text, lit, start, end, lo=lo, hi=hi) if end > start else (start, end)


def _fit(target: _Target, parsed: ParsedQuote, lo: int, hi: int) -> _Hit | None:
    """Align the quotation in ``[lo, hi)``: its longest piece first, then outwards.

    Each further piece is searched only where its gap allows, so pieces stay in order;
    the score is the mean of the pieces' ``fuzz.ratio``, weighted by their length.
    """
    text = target.nt.text
    lits = [lit.norm for lit in parsed.literals]
    gaps = [g.max_chars for g in parsed.gaps]
    k = max(range(len(lits)), key=lambda i: len(lits[i]))
    spans: list[tuple[int, int]] = [(0, 0)] * len(lits)
    spans[k] = _align(text, lits[k], lo, hi)
    if spans[k][1] <= spans[k][0]:
        return None
    for j in range(k + 1, len(lits)):
        start = spans[j - 1][1]
        slack = 20 + len(lits[j]) // 5
        spans[j] = _align(text, lits[j], start, start + gaps[j - 1] + len(lits[j]) + slack)
    for j in range(k - 1, -1, -1):
        end = spans[j + 1][0]
        slack = 20 + len(lits[j]) // 5
        spans[j] = _align(text, lits[j], end - gaps[j] - len(lits[j]) - slack, end, rightmost=True)
    total = sum(len(x) for x in lits)
    score = (
        sum(len(x) * fuzz.ratio(x, text[s:e]) for x, (s, e) in zip(lits, spans, strict=True))
        / total
        / 100
    )
    return _Hit(target, tuple(spans), score)


def _fuzzy(
    targets: Sequence[tuple[_Target, list[tuple[int, int, int]] | None]], parsed: ParsedQuote
) -> list[_Hit]:
    """Approximate candidates, best first, no two overlapping.

    Each target comes with its candidate windows, or None to scan it whole (small texts:
    the runner-up is then searched for on both sides of the best place).
    """
    found: list[_Hit] = []
    for target, windows in targets:
        if windows is None:
            size = len(target.nt.text)
            best = _fit(target, parsed, 0, size)
            if best is None:
                continue
            found.append(best)
            for lo, hi in ((0, best.start), (best.end, size)):
                other = _fit(target, parsed, lo, hi)
                if other is not None:
                    found.append(other)
        else:
            for _, lo, hi in windows:
                hit = _fit(target, parsed, lo, hi)
                if hit is not None:
                    found.append(hit)
    found.sort(key=lambda h: -h.score)
    out: list[_Hit] = []
    for hit in found:
        if not any(hit.overlaps(kept) for kept in out):
            out.append(hit)
    return out


# ---------------------------------------------------------------------------------------
# Turning hits into places, diffs and notes


def _place(hit: _Hit) -> Place:
    target = hit.target
    start, end = target.nt.to_original(hit.start, hit.end)
    para = target.paragraph(start)
    last = target.paragraph(max(start, end - 1))
    return Place(
        start=start,
        end=end,
        paragraph=para.number if para else None,
        paragraph_end=last.number if last is not None and last != para else None,
        section=para.section if para else None,
        score=hit.score,
        text=target.snapshot.text[start:end],
        snapshot=target.snapshot.sha256,
    )


def _norm_word(word: str) -> str:
    return "".join(normalize_char(c) for c in word)


def _source_words(target: _Target, start: int, end: int) -> list[str]:
    s, e = target.nt.to_original(start, end)
    return target.snapshot.text[s:e].split()


# Quotation marks at a word's ends (before its closing punctuation): the source's own
# marks, which a quotation drops or turns into single ones, are no change of words.
_WORD_QUOTES_RE = re.compile(r"\A['\"]+|['\"]+(?=[.,;:!?]*\Z)")


def _compared_word(word: str) -> str:
    norm = _norm_word(word)
    return _WORD_QUOTES_RE.sub("", norm) or norm


def _word_diff(quoted: list[str], source: list[str]) -> list[DiffOp]:
    a = [_compared_word(w) for w in quoted]
    b = [_compared_word(w) for w in source]
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(op, " ".join(quoted[i1:i2]), " ".join(source[j1:j2])) for op, i1, i2, j1, j2 in ops]


def _diff(parsed: ParsedQuote, hit: _Hit) -> list[DiffOp]:
    out: list[DiffOp] = []
    spans = iter(hit.spans)
    prev_end: int | None = None
    pending_gap: Gap | None = None
    for part in parsed.parts:
        if isinstance(part, Gap):
            pending_gap = part
            continue
        start, end = next(spans)
        if pending_gap is not None and prev_end is not None:
            between = " ".join(_source_words(hit.target, prev_end, start))
            out.append(("gap", pending_gap.text, between))
        out.extend(_word_diff(part.text.split(), _source_words(hit.target, start, end)))
        prev_end = end
    return out


def _case_differs(parsed: ParsedQuote, hit: _Hit) -> bool:
    """Letters differ in case somewhere other than the first letter of a piece."""
    for lit, (start, end) in zip(parsed.literals, hit.spans, strict=True):
        s, e = hit.target.nt.to_original(start, end)
        quoted = [c for c in lit.text if c.isalpha()]
        source = [c for c in hit.target.snapshot.text[s:e] if c.isalpha()]
        if len(quoted) == len(source) and quoted[1:] != source[1:]:
            return True
    return False


def _gap_notes(diff: Sequence[DiffOp]) -> list[str]:
    return [
        f"{quoted} stands for \u201c{source}\u201d"
        for op, quoted, source in diff
        if op == "gap" and quoted.startswith("[") and source
    ]


def _context(hit: _Hit) -> tuple[str, str]:
    start, end = hit.target.nt.to_original(hit.start, hit.end)
    text = hit.target.snapshot.text
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _context_score(hit: _Hit, prefix: str, suffix: str) -> float:
    """How well the text around a hit agrees with a given prefix/suffix (0..100)."""
    text = hit.target.nt.text
    scores = []
    if prefix:
        before = text[max(0, hit.start - len(prefix) - 2) : hit.start].strip()
        scores.append(fuzz.ratio(prefix, before[-len(prefix) :]))
    if suffix:
        after = text[hit.end : hit.end + len(suffix) + 2].strip()
        scores.append(fuzz.ratio(suffix, after[: len(suffix)]))
    return sum(scores) / len(scores) if scores else 0.0


def _by_context(hits: Sequence[_Hit], prefix: str, suffix: str) -> _Hit | None:
    """The one hit the prefix/suffix favour clearly, if they are given and do."""
    prefix = NormText(prefix).text.strip()
    suffix = NormText(suffix).text.strip()
    if not (prefix or suffix) or len(hits) < 2:
        return None
    ranked = sorted(hits, key=lambda h: -_context_score(h, prefix, suffix))
    first, second = (_context_score(h, prefix, suffix) for h in ranked[:2])
    return ranked[0] if first - second >= CONTEXT_MARGIN else None


def _result(
    status: AnchorStatus,
    parsed: ParsedQuote,
    best: _Hit | None,
    *,
    places: Sequence[_Hit] = (),
    diff: Sequence[DiffOp] = (),
    notes: Sequence[str] = (),
) -> Anchoring:
    if best is None:
        return Anchoring(status, parsed.raw, notes=tuple(notes))
    prefix, suffix = _context(best)
    return Anchoring(
        status=status,
        quote=parsed.raw,
        place=_place(best),
        places=tuple(_place(h) for h in places) or (_place(best),),
        score=best.score,
        diff=tuple(diff),
        prefix=prefix,
        suffix=suffix,
        notes=tuple(notes),
        snapshot=best.target.snapshot.sha256,
    )


# ---------------------------------------------------------------------------------------
# The pipeline


def _verbatim(parsed: ParsedQuote, exact: Sequence[_Hit], prefix: str, suffix: str) -> Anchoring:
    chosen = exact[0] if len(exact) == 1 else _by_context(exact, prefix, suffix)
    if chosen is None:
        snapshots = {id(h.target) for h in exact}
        where = f" in {len(snapshots)} snapshots" if len(snapshots) > 1 else ""
        return _result(
            AnchorStatus.AMBIGUOUS,
            parsed,
            exact[0],
            places=exact,
            diff=_diff(parsed, exact[0]),
            notes=[f"found {len(exact)} times{where}"],
        )
    diff = _diff(parsed, chosen)
    notes = _gap_notes(diff)
    if _case_differs(parsed, chosen):
        notes.append("case differs")
    if len(exact) > 1:
        notes.append(f"found {len(exact)} times; chosen by its prefix/suffix")
    return _result(AnchorStatus.VERBATIM, parsed, chosen, diff=diff, notes=notes)


def _approximate(parsed: ParsedQuote, hits: Sequence[_Hit], prefix: str, suffix: str) -> Anchoring:
    if not hits:
        return _result(AnchorStatus.NOT_FOUND, parsed, None, notes=["no similar passage"])
    best = hits[0]
    diff = _diff(parsed, best)
    quoted_words = sum(len(q.split()) for op, q, _ in diff if op != "gap")
    shared = sum(len(q.split()) for op, q, _ in diff if op == "equal")
    share = shared / quoted_words if quoted_words else 0.0
    if best.score < MISQUOTE_MIN or share < MIN_SHARED_WORDS:
        note = f"nearest passage scores {best.score:.2f}"
        if best.score >= MISQUOTE_MIN:
            note += f" but shares only {shared} of {quoted_words} words"
        return _result(AnchorStatus.NOT_FOUND, parsed, best, diff=diff, notes=[note])
    rivals = [h for h in hits[1:] if best.score - h.score <= AMBIGUITY_MARGIN]
    if rivals:
        chosen = _by_context([best, *rivals], prefix, suffix)
        if chosen is None:
            return _result(
                AnchorStatus.AMBIGUOUS,
                parsed,
                best,
                places=[best, *rivals],
                diff=diff,
                notes=[
                    "similar passages score about the same: "
                    + ", ".join(f"{h.score:.2f}" for h in [best, *rivals])
                ],
            )
        best, diff = chosen, _diff(parsed, chosen)
    notes = _gap_notes(diff)
    if all(op in {"equal", "gap"} for op, _, _ in diff):
        notes.append("only quotation marks differ")
        return _result(AnchorStatus.VERBATIM, parsed, best, diff=diff, notes=notes)
    if best.score < STRONG:
        notes.insert(0, f"weak match ({best.score:.2f})")
    return _result(AnchorStatus.MISQUOTE, parsed, best, diff=diff, notes=notes)


def _exact_hits(target: _Target, parsed: ParsedQuote) -> list[_Hit]:
    return [_Hit(target, spans, 1.0) for spans in _exact(target, parsed)]


def _run(
    parsed: ParsedQuote,
    targets: Sequence[_Target],
    fuzzy_targets: Sequence[tuple[_Target, list[tuple[int, int, int]] | None]],
    prefix: str,
    suffix: str,
) -> Anchoring:
    if not parsed.literals:
        return Anchoring(AnchorStatus.NOT_FOUND, parsed.raw, notes=("nothing to look for",))
    exact = [hit for target in targets for hit in _exact_hits(target, parsed)][:MAX_PLACES]
    if exact:
        return _verbatim(parsed, exact, prefix, suffix)
    return _approximate(parsed, _fuzzy(fuzzy_targets, parsed), prefix, suffix)


def _fuzzy_plan(
    target: _Target, parsed: ParsedQuote
) -> tuple[_Target, list[tuple[int, int, int]] | None]:
    """Scan a small text whole; find windows in a large one with its 4-gram index."""
    if len(target.nt.text) <= SMALL_TEXT:
        return target, None
    grams, n_words = _query_grams(parsed)
    index = target.grams()
    hits = [(word, q) for _, word, q in index.hits(grams)[0]]
    return target, _windows(target, hits, n_words, parsed)


def _blocks(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs of a bare text: blocks separated by blank lines, numbered from 1."""
    out: list[Paragraph] = []
    start = 0
    for sep in [*_BLOCK_SPLIT_RE.finditer(text), None]:
        end = sep.start() if sep else len(text)
        if text[start:end].strip():
            out.append(Paragraph(start, end, len(out) + 1, None))
        if sep:
            start = sep.end()
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _text_snapshot(text: str) -> Snapshot:
    return Snapshot(sha256_text(text), text, _blocks(text))


@functools.lru_cache(maxsize=8)
def _prepared(snapshot: Snapshot) -> _Target:
    # Keyed by the snapshot itself (its text's hash is cached by Python): repeated
    # quotations against one snapshot normalise it and build its index once.
    return _Target(snapshot)


def anchor(target: Snapshot | str, quote: str, *, prefix: str = "", suffix: str = "") -> Anchoring:
    """Anchor a quotation in a snapshot (or a bare text: paragraphs are blank-line blocks).

    ``prefix``/``suffix`` (source text just before/after the quotation, as a stored
    anchor keeps it) decide between several places.
    """
    snapshot = _text_snapshot(target) if isinstance(target, str) else target
    prepared = _prepared(snapshot)
    parsed = parse_quote(quote)
    if not parsed.literals:
        return _run(parsed, [], [], prefix, suffix)
    return _run(parsed, [prepared], [_fuzzy_plan(prepared, parsed)], prefix, suffix)


class AnchorIndex:
    """Many snapshots prepared once, to ask which of them holds a quotation.

    Building normalises every snapshot and indexes its word 4-grams (about 5 s for
    1,000 snapshots of 20 KB); :meth:`find` then takes a few milliseconds: the grams
    of the quotation pick the snapshots worth searching.
    """

    def __init__(self, snapshots: Iterable[Snapshot]) -> None:
        seen: dict[str, _Target] = {}
        for snapshot in snapshots:
            seen.setdefault(snapshot.sha256, _Target(snapshot))
        self._targets = list(seen.values())
        self._grams = _Grams(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def snapshot(self, sha256: str) -> Snapshot | None:
        """The indexed snapshot with this hash, if any."""
        for target in self._targets:
            if target.snapshot.sha256 == sha256:
                return target.snapshot
        return None

    def find(self, quote: str, *, prefix: str = "", suffix: str = "") -> Anchoring:
        """Anchor a quotation in whichever indexed snapshot holds it.

        A quotation with no four consecutive words in one piece cannot use the index: it
        is searched exactly in every snapshot, and not approximately.
        """
        parsed = parse_quote(quote)
        if not parsed.literals:
            return _run(parsed, [], [], prefix, suffix)
        grams, n_words = _query_grams(parsed)
        if not grams:
            result = _run(parsed, self._targets, [], prefix, suffix)
            if result.status is AnchorStatus.NOT_FOUND:
                note = "too short for an approximate search across snapshots"
                result = attrs.evolve(result, notes=(*result.notes, note))
            return result
        per_target: dict[int, list[tuple[int, int]]] = {}
        hits, used = self._grams.hits(grams)
        for number, word, q in hits:
            per_target.setdefault(number, []).append((word, q))
        counts = {t: len({q for _, q in found}) for t, found in per_target.items()}
        # A snapshot that holds the quotation exactly has every one of its grams.
        complete = (
            [self._targets[t] for t, n in counts.items() if n == used] if used else self._targets
        )
        ranked = sorted(counts, key=lambda t: -counts[t])
        best = counts[ranked[0]] if ranked else 0
        fuzzy: list[tuple[_Target, list[tuple[int, int, int]] | None]] = []
        for t in ranked[:5]:
            if counts[t] < max(1, best * 0.3):
                break
            target = self._targets[t]
            if len(target.nt.text) <= SMALL_TEXT:
                fuzzy.append((target, None))
            else:
                fuzzy.append((target, _windows(target, per_target[t], n_words, parsed)))
        return _run(parsed, complete, fuzzy, prefix, suffix)


# ---------------------------------------------------------------------------------------
# Re-anchoring in a newer snapshot


@attrs.frozen
class Reanchoring:
    """A stored anchor looked for in a newer snapshot.

    ``status`` is ``unchanged`` (same text, same paragraph), ``moved`` (same text, other
    paragraph), ``changed`` (only an approximate match; see ``anchoring.diff``) or
    ``removed`` (nothing similar).
    """

    status: str
    anchoring: Anchoring
    old_paragraph: int | None
    new_paragraph: int | None


def reanchor(anchor: QuoteAnchor, snapshot: Snapshot) -> Reanchoring:
    """Find a stored anchor's source text (``exact``) again in a newer snapshot."""
    target = _prepared(snapshot)
    parsed = literal_quote(anchor.exact)
    found = _run(parsed, [target], [_fuzzy_plan(target, parsed)], anchor.prefix, anchor.suffix)
    old = anchor.paragraph
    status = found.status
    if status is AnchorStatus.AMBIGUOUS and found.score == 1.0:
        same = [p for p in found.places if p.paragraph == old]
        if same:
            place = same[0]
            found = attrs.evolve(
                found,
                status=AnchorStatus.VERBATIM,
                place=place,
                places=(place,),
                prefix=snapshot.text[max(0, place.start - CONTEXT_CHARS) : place.start],
                suffix=snapshot.text[place.end : place.end + CONTEXT_CHARS],
                notes=(*found.notes, "chosen by its old paragraph"),
            )
            status = AnchorStatus.VERBATIM
    new = found.place.paragraph if found.place is not None else None
    if status is AnchorStatus.VERBATIM:
        return Reanchoring("unchanged" if new == old else "moved", found, old, new)
    if status is AnchorStatus.AMBIGUOUS and found.score == 1.0:
        return Reanchoring("moved", found, old, None)
    if status is AnchorStatus.NOT_FOUND:
        return Reanchoring("removed", found, old, None)
    return Reanchoring("changed", found, old, new)


__all__ = [
    "AMBIGUITY_MARGIN",
    "MISQUOTE_MIN",
    "STRONG",
    "AnchorIndex",
    "Anchoring",
    "Place",
    "Reanchoring",
    "anchor",
    "reanchor",
]
