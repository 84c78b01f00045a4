"""policycite's page extraction vs trafilatura: time per page and main-text quality.

    python tools/fetch_extraction_benchmark.py          # once: the 181 pages, outside the repo
    python benchmarks/extraction_quality.py             # 3 timed rounds
    python benchmarks/extraction_quality.py --profile   # cProfile of policycite's extraction

Reads the article-extraction-benchmark (scrapinghub; 181 news and blog pages with the
article body a person marked) from the folder the tool fills (``--data``). In one run,
page by page and in turns, it times

* **trafilatura** as the benchmark's own ``extractors/run_trafilatura.py`` calls it:
  ``trafilatura.extract(html, include_comments=False)`` on the decoded page (text output);
* **policycite**: :func:`policycite.capture.html.extract_html` on the same decoded page
  (the metadata fields *and* the main text: what ``policycite add`` keeps of a page);
* **policycite add's extraction**: :func:`policycite.capture.pipeline.extract` on the page's
  bytes (charset detection and decoding, the above, and the mojibake repair of every field
  and block), the whole of what ``add`` does to a page before it writes anything.

Times are CPU seconds (``time.process_time``: the machine is shared), the fastest of the
rounds. Quality is the benchmark's ``evaluate.py`` metric, computed here the same way:
per page, true/false positives and false negatives over word 4-gram shingles (``\\w+``
tokens), normalised per page; precision and recall are means over pages, F1 their
harmonic mean. policycite's main text is the document's text (blocks joined by a blank
line); a page it splits into several documents counts all of them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from policycite.capture.html import extract_html
from policycite.capture.pipeline import Input, extract
from policycite.model import CaptureMethod

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from fetch_extraction_benchmark import default_folder

# --- the benchmark's metric (evaluate.py: string_shingle_matching, metrics_from_tp_fp_fns)

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Shingle matches of one page, normalised so that long pages weigh no more."""
    t, p = _shingles(true), _shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) as evaluate.py computes them."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return p, r, 2 * p * r / (p + r)


# --- the extractors ----------------------------------------------------------------------


def run_trafilatura(page: bytes, name: str) -> str:
    return trafilatura.extract(page.decode("utf-8"), include_comments=False) or ""


def run_policycite(page: bytes, name: str) -> str:
    documents = extract_html(page.decode("utf-8"), source=name).documents
    return "\n\n".join(d.text for d in documents)


def run_pipeline(page: bytes, name: str) -> str:
    item = Input(data=page, name=name, media_type="text/html", method=CaptureMethod.HTML_CAPTURE)
    return "\n\n".join(d.text for d in extract(item).documents)


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "trafilatura": run_trafilatura,
    "policycite": run_policycite,
    "policycite add": run_pipeline,
}


def load(folder: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    truth_path = folder / "ground-truth.json"
    if not truth_path.is_file():
        raise SystemExit(f"no benchmark in {folder}: run tools/fetch_extraction_benchmark.py")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = {key: (folder / "html" / f"{key}.html").read_bytes() for key in sorted(truth)}
    return pages, {key: truth[key].get("articleBody") or "" for key in pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_folder())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--profile", action="store_true", help="cProfile policycite only")
    parser.add_argument("--save", type=Path, help="write every extractor's texts as JSON")
    args = parser.parse_args()
    pages, truth = load(args.data)
    if args.limit:
        pages = dict(list(pages.items())[: args.limit])

    texts: dict[str, dict[str, str]] = {name: {} for name in EXTRACTORS}
    for name, run in EXTRACTORS.items():  # warm: imports, caches; and the texts scored
        for key, page in pages.items():
            texts[name][key] = run(page, key)

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for key, page in pages.items():
            run_policycite(page, key)
        profile.disable()
        stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return

    best: dict[str, float] = dict.fromkeys(EXTRACTORS, float("inf"))
    for _ in range(args.rounds):
        spent = dict.fromkeys(EXTRACTORS, 0.0)
        for key, page in pages.items():  # in turns, page by page: same load for each
            for name, run in EXTRACTORS.items():
                start = time.process_time()
                run(page, key)
                spent[name] += time.process_time() - start
        for name in EXTRACTORS:
            best[name] = min(best[name], spent[name])

    n = len(pages)
    base = best["trafilatura"]
    print(f"{n} pages, {args.rounds} rounds (fastest), trafilatura {trafilatura.__version__}")
    print(f"{'':<16} {'ms/page':>8} {'ratio':>6}  {'precision':>9} {'recall':>7} {'F1':>6}")
    for name in EXTRACTORS:
        p, r, f1 = scores([tp_fp_fn(truth[k], texts[name][k]) for k in pages])
        ms = 1000 * best[name] / n
        print(f"{name:<16} {ms:8.2f} {best[name] / base:6.2f}  {p:9.3f} {r:7.3f} {f1:6.3f}")
    if args.save:
        args.save.write_text(json.dumps(texts, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
