"""Time quotation anchoring: one large text, and many small snapshots through an index.

    python benchmarks/anchor_speed.py

(a) a 60-word quotation against a 5 MB text (varied prose from a word list with a seeded
    RNG, the quoted passage inserted at 70 %): milliseconds per quotation for a verbatim,
    a one-word-changed, an ellipsis and an absent quotation, plus the one-off costs
    (normalising the text, building its 4-gram index).
(b) 100 quotations (verbatim, misquoted, absent) against 1,000 snapshots of 20 KB each:
    the time to build the AnchorIndex, then the total for the 100 ``find`` calls.

Targets on the development machine: under 20 ms per quotation for (a), under 1 s for
the 100 calls of (b) once the index is built. Wall-clock times (perf_counter).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any

from policycite.anchors import match
from policycite.anchors.match import AnchorIndex, Anchoring, anchor
from policycite.capture.document import Block, Document
from policycite.model import AnchorStatus
from policycite.snapshots import Snapshot, sha256_text

SEED = 20240611
RUNS = 20  # timed calls per quotation in (a)
_SYLLABLES = "ka lo mi ren tas vor del une sta pri gol ver mon tua bel ris can dor fel".split()
_COMMON = "the of and to in a that is for on with as by at from it be are was this".split()


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)}
    return sorted(words)


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [
        rng.choice(_COMMON) if rng.random() < 0.35 else rng.choice(vocab)
        for _ in range(rng.randint(8, 24))
    ]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....;?")


def _paragraph(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(_sentence(rng, vocab) for _ in range(rng.randint(2, 7)))


def _document(rng: random.Random, vocab: list[str], size: int, insert: str = "") -> Snapshot:
    blocks: list[Block] = []
    total = 0
    placed = not insert
    while total < size:
        if not placed and total >= size * 0.7:
            blocks.append(Block(insert))
            placed = True
        text = _paragraph(rng, vocab)
        blocks.append(Block(text, heading=rng.random() < 0.03))
        total += len(text) + 2
    doc = Document(blocks)
    return Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs)


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def _passage(rng: random.Random, vocab: list[str], words: int) -> str:
    out = [rng.choice(vocab) if rng.random() < 0.7 else rng.choice(_COMMON) for _ in range(words)]
    out[0] = out[0].capitalize()
    out[25] = "2026"
    return " ".join(out) + "."


def _repeat(snapshot: Snapshot, quote: str) -> list[Anchoring]:
    return [anchor(snapshot, quote) for _ in range(RUNS)]


def big_text() -> None:
    """(a) 60-word quotations against one 5 MB text."""
    rng = random.Random(SEED)
    vocab = _vocabulary(rng)
    passage = _passage(rng, vocab, 60)
    snapshot = _document(rng, vocab, 5_000_000, insert=passage)
    words = passage.rstrip(".").split()
    quotes = {
        "verbatim": " ".join(words),
        "one word changed": " ".join([*words[:25], "2025", *words[26:]]),
        "ellipsis": " ".join(words[:20]) + " \u2026 " + " ".join(words[44:]),
        "absent": " ".join(rng.choice(vocab) for _ in range(60)),
    }
    print(f"(a) {len(snapshot.text) / 1e6:.1f} MB text, 60-word quotation at 70 %")
    target, seconds = _timed(lambda: match._prepared(snapshot))
    print(f"    NormText + paragraph map (one-off): {seconds:.2f} s")
    _, seconds = _timed(target.grams)
    print(f"    4-gram index (one-off):            {seconds:.2f} s")
    for name, quote in quotes.items():
        anchor(snapshot, quote)  # warm
        result, seconds = _timed(functools.partial(_repeat, snapshot, quote))
        outcome = result[0]
        print(
            f"    {name:<17} {seconds / RUNS * 1000:7.2f} ms  "
            f"-> {outcome.status.value} {outcome.score:.3f}"
        )


def many_snapshots() -> None:
    """(b) 100 quotations against 1,000 snapshots of 20 KB."""
    rng = random.Random(SEED + 1)
    vocab = _vocabulary(rng)
    snapshots, seconds = _timed(lambda: [_document(rng, vocab, 20_000) for _ in range(1000)])
    print(f"(b) 1,000 snapshots of 20 KB generated in {seconds:.1f} s")
    index, seconds = _timed(lambda: AnchorIndex(snapshots))
    print(f"    AnchorIndex build: {seconds:.2f} s")
    quotes: list[tuple[str, str | None]] = []
    for i in range(100):
        snap = snapshots[rng.randrange(len(snapshots))]
        para = rng.choice([p for p in snap.paragraphs if p.number and p.end - p.start > 200])
        words = snap.text[para.start : para.end].split()
        n = min(len(words), rng.randint(12, 40))
        at = rng.randrange(len(words) - n + 1)
        piece = words[at : at + n]
        kind = i % 3
        if kind == 1:  # misquote: one word replaced
            piece[n // 2] = "zzquux"
        elif kind == 2:  # absent
            piece = [rng.choice(vocab) for _ in range(n)]
        quotes.append((" ".join(piece), snap.sha256 if kind != 2 else None))
    results, seconds = _timed(lambda: [index.find(q) for q, _ in quotes])
    print(f"    100 find calls: {seconds:.3f} s total ({seconds * 10:.1f} ms each)")
    tally: dict[str, int] = {}
    right = 0
    for (_, sha), result in zip(quotes, results, strict=True):
        tally[result.status.value] = tally.get(result.status.value, 0) + 1
        right += (
            result.snapshot == sha if sha else result.status is AnchorStatus.NOT_FOUND
        ) or result.status is AnchorStatus.AMBIGUOUS
    print(f"    outcomes: {tally}; right snapshot (or not found): {right}/100")


if __name__ == "__main__":
    big_text()
    many_snapshots()
