"""Precision and recall of `policycite check` on the corpus of tests/golden/briefs/.

Captures the corpus's pages into a temporary library (policycite's own capture), checks
every brief and prints, per rule code, how many findings the manifest expects, how many
`check` reported, true/false positives and false negatives, precision and recall; then
every false positive and false negative with its message. The same figures are what
tests/test_corpus.py asserts (recall and precision at least 0.95 overall).

    python benchmarks/corpus_scores.py [BRIEF ...]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corpus import build_library, report, score_corpus


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "references"
        for note in build_library(folder):
            print(f"capture: {note}")
        scores = score_corpus(folder, argv or None)
        print(report(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
