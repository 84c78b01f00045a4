"""Precision and recall of `check` on a realistic corpus (issue 12's acceptance).

tests/golden/briefs/ holds saved pages (press releases with datelines and labels,
speeches with delivery notes, news articles, a report, a bilingual statement, a German
release in cp1252, text copies), briefs the way analysts write them (Markdown with APA
citations, Word with footnotes, LaTeX, pandoc Markdown) and a manifest of every finding
a careful checker reports on each brief. The library is captured from the pages once per
session with policycite's own capture; each brief is then checked and its findings
matched to the manifest (tests/corpus.py does the work; benchmarks/corpus_scores.py
prints the same table).

- test_brief[<name>] is one case per brief: it fails listing the brief's false
  positives and false negatives (or why it could not be read).
- test_precision_and_recall fails when recall or precision over the whole corpus is
  below 0.95; its message is the per-code table and every miss, with messages
  (`pytest -s` prints the table when it passes too). Findings of every severity count,
  info included (manifest.yaml says why).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.findings import CODES

from corpus import (
    BRIEFS,
    MIN_PRECISION,
    MIN_RECALL,
    PAGES,
    BriefScore,
    brief_files,
    build_library,
    manifest,
    normalise,
    report,
    score_brief,
    totals,
)


@pytest.fixture(scope="session")
def corpus_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "references"
    notes = build_library(folder)
    print("\n".join(f"corpus capture: {n}" for n in notes))
    return folder


@pytest.fixture(scope="session")
def corpus_scores(corpus_library: Path) -> dict[str, BriefScore]:
    entries = manifest()
    return {p.name: score_brief(p, corpus_library, entries[p.name]) for p in brief_files()}


# --- the corpus itself -----------------------------------------------------------------


def test_corpus_size_and_formats() -> None:
    names = [p.name for p in brief_files()]
    assert len(names) >= 12
    suffixes = {Path(n).suffix for n in names}
    assert {".md", ".docx", ".tex"} <= suffixes
    assert any("[@" in (BRIEFS / n).read_text(encoding="utf-8") for n in names if n.endswith(".md"))
    assert len([p for p in PAGES.iterdir() if p.suffix in {".html", ".txt"}]) >= 12


def test_manifest_names_every_brief_and_valid_codes() -> None:
    entries = manifest()
    assert set(entries) == {p.name for p in brief_files()}
    for name, entry in entries.items():
        for item in entry.get("findings") or ():
            assert item["code"] in CODES, (name, item)
            assert ("at" in item) != ("ref" in item), (name, item)
            assert item.get("why"), (name, item)


def _source_text(path: Path) -> str:
    if path.suffix == ".docx":
        from policycite.brief.readers import read_brief

        return read_brief(path).text
    return path.read_text(encoding="utf-8")


def test_manifest_places_are_in_their_briefs() -> None:
    """Each `at` piece is in its brief, each `ref` within its reference list's length."""
    entries = manifest()
    for path in brief_files():
        text = normalise(_source_text(path))
        for item in entries[path.name].get("findings") or ():
            at = item.get("at")
            for piece in at if isinstance(at, list) else [at] if at else []:
                assert normalise(piece) in text, f"{path.name}: {piece!r} is not in the brief"


def test_word_briefs_are_what_the_generator_writes(tmp_path: Path) -> None:
    """The committed .docx briefs hold the text tools/make_corpus_docx.py gives them."""
    import importlib.util

    from policycite.brief.readers import read_brief

    script = Path(__file__).resolve().parents[1] / "tools" / "make_corpus_docx.py"
    spec = importlib.util.spec_from_file_location("make_corpus_docx", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, (blocks, notes) in module.BRIEFS.items():
        fresh = tmp_path / name
        fresh.write_bytes(module.build(blocks, notes))
        assert read_brief(fresh).text == read_brief(BRIEFS / name).text, name


def test_scoring_pairs_each_finding_with_its_own_sentence() -> None:
    """Two findings of one code in one paragraph go to the nearer piece; a finding in
    another sentence of the paragraph matches nothing (a false positive)."""
    from policycite.brief.structure import parse_brief
    from policycite.findings import Finding, Location

    from corpus import Expected, locate, match

    text = (
        "# Note\n\nThe first claim is here (Ames, 2020). A quiet sentence follows. "
        "The second claim is there (Ames, 2021).\n"
    )
    brief = parse_brief(text, path="b.md", format="markdown")

    def at(piece: str) -> Finding:
        start = brief.text.index(piece)
        span = brief.span_at(start, start + len(piece))
        return Finding("PC201", piece, Location("b.md", span.line, span.column))

    expected = [
        Expected("PC201", ("there (Ames, 2021)",), None, "second"),
        Expected("PC201", ("here (Ames, 2020)",), None, "first"),
    ]
    actual = [locate(brief, at("(Ames, 2020)")), locate(brief, at("A quiet sentence"))]
    score = match("b.md", expected, brief, actual, None)
    assert [(e.why, a.finding.message) for e, a in score.matched] == [("first", "(Ames, 2020)")]
    assert [a.finding.message for a in score.false_positives] == ["A quiet sentence"]
    assert [e.why for e in score.false_negatives] == ["second"]


# --- the scores ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [p.name for p in brief_files()])
def test_brief(name: str, corpus_scores: dict[str, BriefScore]) -> None:
    score = corpus_scores[name]
    assert score.error is None, f"{name}: {score.error}"
    assert not score.false_positives and not score.false_negatives, report([score])


def test_precision_and_recall(corpus_scores: dict[str, BriefScore]) -> None:
    scores = list(corpus_scores.values())
    _, overall = totals(scores)
    table = report(scores)
    print(f"\n{table}")
    assert overall.recall >= MIN_RECALL and overall.precision >= MIN_PRECISION, (
        f"recall {overall.recall:.2f}, precision {overall.precision:.2f} "
        f"(need {MIN_RECALL}, {MIN_PRECISION})\n{table}"
    )
