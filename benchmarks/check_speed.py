"""Check a 10,000-word brief with 200 references against 10,000 records and 1,000 snapshots.

    python benchmarks/check_speed.py            # builds the library once in a temp folder

The library: N synthetic records (benchmarks/synthetic.py); the first S have a snapshot
of about 20 KB of generated prose. The brief: 200 references rendered in APA from records
with snapshots, a body of about 10,000 words citing them author–date, with quotations
taken from the snapshots (with paragraph locators) and sentences copied without quotation
marks. Prints wall-clock seconds for loading the library (from the library cache, as
`policycite check` does, and parsing every YAML file), reading the brief and the check
itself, and the findings by code. The first run also writes the snapshots' 5-gram files
and the library cache.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import sources

from policycite.brief.readers import read_brief
from policycite.capture.document import Block, Document
from policycite.library import load_library, save_library
from policycite.render import Renderer
from policycite.rules.validate import check
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

SYLLABLES = "ka lo mi ne ru sa te vi do pa le ro ta ni su ma ke li".split()


def _vocabulary(size: int = 6000) -> list[str]:
    """Pseudo-words, most frequent first; the first few are real function words."""
    words = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "by"]
    rng = random.Random(3)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


VOCABULARY = _vocabulary()
# Word frequencies follow Zipf's law, as in real prose: the 12 commonest words make up
# about a quarter of the text, most words are rare, so long shared runs are rare too.
WEIGHTS = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]


def _prose(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = rng.randint(12, 28)
        sentence = " ".join(rng.choices(VOCABULARY, WEIGHTS, k=n))
        sentences.append(sentence.capitalize() + ".")
        words -= n
    return " ".join(sentences)


def build_library(folder: Path, records: int, snapshots: int) -> None:
    rng = random.Random(7)
    store = SnapshotStore(folder)
    items = sources(records)
    out = []
    for i, item in enumerate(items):
        source = item
        if i < snapshots:
            doc = Document([Block(_prose(rng, 160)) for _ in range(20)])  # ~20 KB
            snap = Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs)
            store.put(snap)
            source = attrs.evolve(
                source, provenance=attrs.evolve(source.provenance, content_sha256=snap.sha256)
            )
        out.append(source)
    save_library(folder, out)


def build_brief(folder: Path, path: Path, references: int, words: int) -> None:
    rng = random.Random(11)
    library = load_library(folder).library
    store = SnapshotStore(folder)
    with_snapshots = [s for s in library if s.provenance.content_sha256][:1000]
    cited = rng.sample(with_snapshots, references)
    entries = Renderer(library, "apa").bibliography([s.key for s in cited]).entries
    body: list[str] = []
    written = 0
    while written < words:
        source = rng.choice(cited)
        author = source.authors[0].literal or source.authors[0].family or ""
        year = source.issued.year if source.issued else "n.d."
        text = store.text(source.provenance.content_sha256 or "")
        snapshot = store.get(source.provenance.content_sha256 or "")
        para = rng.choice([p for p in snapshot.paragraphs if p.number])
        passage = text[para.start : para.end].split()
        start = rng.randrange(0, max(1, len(passage) - 20))
        quote = " ".join(passage[start : start + 14]).rstrip(".")
        copied = " ".join(passage[start + 20 : start + 34])
        paragraph = (
            f"{_prose(rng, 60)} As the source puts it, \u201c{quote}\u201d ({author}, {year}, "
            f"para. {para.number}). {copied.capitalize()}. {_prose(rng, 40)} ({author}, {year})."
        )
        body.append(paragraph)
        written += len(paragraph.split())
    text = "# Briefing note\n\n" + "\n\n".join(body) + "\n\n## References\n\n"
    text += "\n\n".join(entries) + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=1_000)
    parser.add_argument("--references", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the library here")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp())
    folder, brief_path = root / "references", root / "brief.md"
    if not folder.exists():
        start = time.perf_counter()
        build_library(folder, args.records, args.snapshots)
        build_brief(folder, brief_path, args.references, args.words)
        print(f"built the library and brief in {time.perf_counter() - start:.1f} s")
    snapshot_mb = sum(p.stat().st_size for p in (folder / "snapshots").rglob("*.txt")) / 1e6

    t0 = time.perf_counter()
    library = load_library(folder, cache=True).library  # as `policycite check` reads it
    gc.freeze()  # as `policycite check` does
    t1 = time.perf_counter()
    brief = read_brief(brief_path)
    t2 = time.perf_counter()
    result = check(brief, library, folder)
    t3 = time.perf_counter()
    words = len(brief.text.split())
    print(
        f"{len(library)} records, {snapshot_mb:.1f} MB of snapshots; brief of {words} words, "
        f"{len(brief.references)} references, {len(brief.citations)} citations, "
        f"{len(brief.quotations)} quotations"
    )
    print(f"  load library : {t1 - t0:6.2f} s (from the library cache)")
    print(f"  read brief   : {t2 - t1:6.2f} s")
    print(f"  check        : {t3 - t2:6.2f} s")
    print(f"  total        : {t3 - t0:6.2f} s")
    print("  findings:", dict(sorted(Counter(f.code for f in result.report).items())))
    del library, result
    start = time.perf_counter()
    load_library(folder)
    print(f"  (without the cache, parsing every YAML file: {time.perf_counter() - start:.2f} s)")


if __name__ == "__main__":
    main()
