"""`policycite check` end to end: a 13,400-word brief against 10,000 records, 1,000 snapshots.

    python benchmarks/check_speed.py                       # builds the library once, in /tmp
    python benchmarks/check_speed.py --keep /tmp/bench     # build there once, reuse after
    python benchmarks/check_speed.py --records 100000 --snapshots 10000 --keep /tmp/big

The library: N synthetic records (benchmarks/synthetic.py); the first S have a snapshot
of about 20 KB of generated prose. The brief: 200 references rendered in APA from records
with snapshots, a body of about 10,000 words (13,400 in all) citing them author–date,
with quotations taken from the snapshots (with paragraph locators) and sentences
copied without quotation marks.

Measured, each as a separate process running the CLI (`policycite check brief.md -l
references`), CPU seconds (user + system of the child) and wall seconds, min of
``--repeat`` runs:

* **warm**: the library checked before (library cache and 5-gram files in place);
* **first**: a copy of the library never checked before (no ``.grams`` files, an empty
  cache folder), each run on a fresh copy; its findings must equal the warm run's;
* the peers in the same run: ``python -c pass`` (the floor: the interpreter alone) and
  pandoc --citeproc rendering the brief's citations and reference list from the same
  records (CSL JSON of the whole library, Markdown with the brief's ``[@key]``
  citations), when pandoc is installed.

Then, in a process of its own, where the time of a warm check goes: loading the library (from
the library cache), reading the brief, the check itself (``--phases``, the default).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import subprocess
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
from policycite.formats.cslyaml import dump_record
from policycite.library import key_to_filename, load_library
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
            # Written plainly, not through store.put / save_library: a benchmark's
            # fixture needs no fsync per file (100,000 of them took over an hour).
            text_path = store.text_path(snap.sha256)
            text_path.parent.mkdir(parents=True, exist_ok=True)
            text_path.write_bytes(snap.text.encode("utf-8"))
            sidecar = json.dumps(snap.sidecar(), ensure_ascii=False, indent=1) + "\n"
            store.sidecar_path(snap.sha256).write_text(sidecar, encoding="utf-8")
            source = attrs.evolve(
                source, provenance=attrs.evolve(source.provenance, content_sha256=snap.sha256)
            )
        out.append(source)
    for source in out:
        (folder / key_to_filename(source.key)).write_text(dump_record(source), encoding="utf-8")


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


_CLI = "import sys; from policycite.cli import main; sys.exit(main(sys.argv[1:]))"


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, bytes]:
    """CPU seconds (user + system of the child), wall seconds and stdout of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return cpu, wall, done.stdout


def _best(runs: list[tuple[float, float, bytes]]) -> str:
    cpu, wall = min(r[0] for r in runs), min(r[1] for r in runs)
    return f"{cpu:6.2f} s CPU {wall:6.2f} s wall"


def _pandoc_inputs(root: Path, folder: Path, brief_path: Path) -> tuple[Path, Path]:
    """The library as CSL JSON and the brief's citations (keys as the check resolved them)."""
    bib, md = root / "library.json", root / "citations.md"
    if not bib.exists():
        from policycite.formats import csljson

        library = load_library(folder).library
        bib.write_text(csljson.dumps(library), encoding="utf-8")
        result = check(read_brief(brief_path), library, folder, html=False)
        cited: dict[tuple[int, int], list[str]] = {}
        for h in result.highlights:
            if h.kind == "citation" and h.status:
                cited.setdefault((h.start, h.end), []).append(f"@{h.status}")
        lines = [f"Text [{'; '.join(keys)}]." for keys in cited.values()]
        md.write_text("# Briefing note\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return bib, md


def end_to_end(root: Path, folder: Path, brief_path: Path, firsts: int, repeat: int) -> None:
    """The CLI as a user runs it, warm and on a library never checked before, and peers."""
    python = sys.executable
    src = Path(__file__).resolve().parent.parent / "src"
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    env["POLICYCITE_CACHE_DIR"] = str(root / "cache")
    # A user's runs read compiled bytecode; with PYTHONDONTWRITEBYTECODE=1 (some shells and
    # CI set it) each run would compile policycite's modules again (+0.25 s here).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    check = [python, "-c", _CLI, "check", brief_path.name, "-l", folder.name]
    warm_out = _run(check, root, env)[2]  # primes the caches if this library is new
    warm = [_run(check, root, env) for _ in range(repeat)]
    first = []
    for i in range(firsts):
        fresh = root / f"first-{i}"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(
            folder, fresh / folder.name, ignore=shutil.ignore_patterns("*.grams", "grams.pack")
        )
        shutil.copy2(brief_path, fresh / brief_path.name)
        fresh_env = dict(env, POLICYCITE_CACHE_DIR=str(fresh / "cache"))
        first.append(_run(check, fresh, fresh_env))
        shutil.rmtree(fresh, ignore_errors=True)
    same = all(run[2] == warm_out for run in (*warm, *first))
    print(f"policycite check, end to end (min of {repeat}):")
    print(f"  warm                      : {_best(warm)}")
    if first:
        print(f"  first (never checked)     : {_best(first)}")
    print(f"  findings identical (first, warm): {'yes' if same else 'NO'}")
    floor = [_run([python, "-c", "pass"], root, env) for _ in range(repeat)]
    print(f"  peer: python -c pass      : {_best(floor)}")
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("  peer: pandoc --citeproc   : (pandoc not installed)")
        return
    bib, md = _pandoc_inputs(root, folder, brief_path)
    argv = [pandoc, "--citeproc", "--bibliography", str(bib), "-t", "plain", str(md)]
    runs = [_run(argv, root, env) for _ in range(repeat)]
    print(f"  peer: pandoc --citeproc   : {_best(runs)} (the brief's citations and their")
    print("        reference list from the same records: no quotation or copying checks)")


def phases(root: Path, folder: Path, brief_path: Path) -> None:
    """Where a warm check's time goes, in this process."""
    # The warm runs' cache folder: without it this process would time a cold cache.
    os.environ["POLICYCITE_CACHE_DIR"] = str(root / "cache")
    snapshot_mb = sum(p.stat().st_size for p in (folder / "snapshots").rglob("*.txt")) / 1e6
    t0 = time.perf_counter()
    library = load_library(folder, cache=True).library  # as `policycite check` reads it
    gc.freeze()  # as `policycite check` does
    t1 = time.perf_counter()
    brief = read_brief(brief_path)
    t2 = time.perf_counter()
    result = check(brief, library, folder, html=False)  # as `policycite check` (text) does
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
    gc.unfreeze()
    start = time.perf_counter()
    load_library(folder)
    print(f"  (without the cache, parsing every YAML file: {time.perf_counter() - start:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=1_000)
    parser.add_argument("--references", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the min counts")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the library here")
    parser.add_argument("--no-first", action="store_true", help="skip the first-run timing")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process phases")
    parser.add_argument("--phases-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp())
    folder, brief_path = root / "references", root / "brief.md"
    if not folder.exists():
        start = time.perf_counter()
        build_library(folder, args.records, args.snapshots)
        build_brief(folder, brief_path, args.references, args.words)
        print(f"built the library and brief in {time.perf_counter() - start:.1f} s")
    if args.phases_only:
        phases(root, folder, brief_path)
        return
    end_to_end(root, folder, brief_path, 0 if args.no_first else args.repeat, args.repeat)
    if not args.no_phases:
        # In a process of its own: this one's earlier libraries and runs would be timed too
        # (its in-process load took 3.8 s here against 0.3 s alone).
        sys.stdout.flush()
        argv = [sys.executable, __file__, "--phases-only", "--keep", str(root)]
        # This checkout's code, as the end-to-end runs use (not an installed policycite).
        src = Path(__file__).resolve().parent.parent / "src"
        path = f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
        subprocess.run(argv, check=True, env=dict(os.environ, PYTHONPATH=path))


if __name__ == "__main__":
    main()
