"""Copy detection speed: build a CopyIndex over N synthetic 20 KB snapshots, then find.

    python benchmarks/copy_speed.py            # 1,000 snapshots, a 10,000-word brief
    python benchmarks/copy_speed.py 200 5000

The snapshots are generated deterministically (seed 1): prose of 12-30-word sentences
over a 6,000-word Zipf vocabulary, 3-6 sentences per paragraph, about 20 KB each. The
brief mixes fresh sentences with 60 planted copies (a 12-20-word clause taken from a
random snapshot inside fresh words). Prints the build time (total and per snapshot),
the memory the index holds (RSS growth; wall and CPU time, as other work on the machine
slows the wall clock), the time of `find` on the brief (total and per
500-word page) and how many planted copies were found.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from policycite.anchors.copying import CopyIndex
from policycite.capture.document import Block, Document
from policycite.snapshots import Snapshot, sha256_text

SYLLABLES = [c + v for c in "bdfklmnrstv" for v in "aeio"]
FUNCTION = "the of and to in a for on that with by as at from is are was were be this".split()
PLANTED = 60  # copied clauses per brief (fewer when the brief is short)
PAGE_WORDS = 500


def _vocabulary(rng: random.Random, n: int = 6000) -> tuple[list[str], list[float]]:
    words = list(FUNCTION)
    seen = set(words)
    while len(words) < n:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        weights.append(total)
    return words, weights


def _sentence(rng: random.Random, vocab: tuple[list[str], list[float]]) -> str:
    words = rng.choices(vocab[0], cum_weights=vocab[1], k=rng.randint(12, 30))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _snapshot(rng: random.Random, vocab: tuple[list[str], list[float]]) -> Snapshot:
    blocks, size = [], 0
    while size < 20_000:
        para = " ".join(_sentence(rng, vocab) for _ in range(rng.randint(3, 6)))
        blocks.append(Block(para))
        size += len(para) + 2
    doc = Document(blocks)
    text = doc.text
    return Snapshot(sha256=sha256_text(text), text=text, paragraphs=doc.paragraphs)


def _brief(
    rng: random.Random, vocab: tuple[list[str], list[float]], snapshots: list[Snapshot], words: int
) -> tuple[str, int]:
    """A brief of about ``words`` words and the number of clauses planted in it."""
    sentences, count, planted, made = [], 0, 0, 0
    every = max(words // (PLANTED * 24), 1)  # sentences average 24 words
    while count < words:
        sentence = _sentence(rng, vocab)
        made += 1
        if planted < PLANTED and made % every == 0:
            source = rng.choice(snapshots).text.split()
            length = rng.randint(12, 20)
            at = rng.randrange(len(source) - length)
            clause = " ".join(w.strip(".") for w in source[at : at + length]).lower()
            sentence = sentence[:-1] + " " + clause + "."
            planted += 1
        sentences.append(sentence)
        count += len(sentence.split())
        if len(sentences) % 5 == 0:
            sentences.append("\n\n")
    return " ".join(sentences), planted


def _rss_mb() -> float:
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return float("nan")
    pages = int(statm.read_text().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshots", nargs="?", type=int, default=1000)
    parser.add_argument("brief_words", nargs="?", type=int, default=10_000)
    args = parser.parse_args()

    rng = random.Random(1)
    vocab = _vocabulary(rng)
    started = time.perf_counter()
    snapshots = [_snapshot(rng, vocab) for _ in range(args.snapshots)]
    brief, planted = _brief(rng, vocab, snapshots, args.brief_words)
    size = sum(len(s.text.encode("utf-8")) for s in snapshots)
    print(
        f"generated {len(snapshots)} snapshots ({size / 2**20:.1f} MB, "
        f"{sum(len(s.text.split()) for s in snapshots):,} words) and a "
        f"{len(brief.split()):,}-word brief in {time.perf_counter() - started:.1f} s"
    )

    rss = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    index = CopyIndex((f"src{i}", s) for i, s in enumerate(snapshots))
    build, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"build: {build:.2f} s wall ({cpu:.2f} s CPU), "
        f"{1000 * build / len(snapshots):.1f} ms per snapshot; RSS +{_rss_mb() - rss:.0f} MB"
    )

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        found = index.find(brief)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    pages = len(brief.split()) / PAGE_WORDS
    copies = sum(c.level == "copy" for c in found)
    print(
        f"find: {1000 * best:.1f} ms for the brief (best of 3), "
        f"{1000 * best / pages:.2f} ms per {PAGE_WORDS}-word page; "
        f"{copies} copies found, {planted} planted, {len(found) - copies} close"
    )


if __name__ == "__main__":
    main()
