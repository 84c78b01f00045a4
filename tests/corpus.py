"""The check corpus (tests/golden/briefs/): build its library, check its briefs, score them.

Shared by tests/test_corpus.py (which fails below the issue's thresholds) and
benchmarks/corpus_scores.py (which prints the same table for humans). The library is
captured from the saved pages with policycite's own capture, as `policycite add` does;
each brief is read and checked as `policycite check` does; each finding is then matched to
the manifest (see the comment at the top of manifest.yaml for the scheme).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from policycite.brief.model import Brief
from policycite.brief.readers import read_brief
from policycite.capture.pipeline import add
from policycite.errors import PolicyciteError
from policycite.findings import Finding
from policycite.library import load_library
from policycite.model import PartialDate
from policycite.rules.validate import check

CORPUS = Path(__file__).resolve().parent / "golden" / "briefs"
PAGES = CORPUS / "pages"
BRIEFS = CORPUS / "briefs"
RECORDS = CORPUS / "records"
MANIFEST = CORPUS / "manifest.yaml"
#: The issue's acceptance thresholds, over the whole corpus.
MIN_RECALL = 0.95
MIN_PRECISION = 0.95
#: Capture time of every snapshot (fixed, so the library is the same on every run).
NOW = "2025-03-24T10:00:00+00:00"


def manifest() -> dict[str, Any]:
    """The manifest: brief name -> {findings: [...], clean: [...]}."""
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return dict(data["briefs"])


def brief_files() -> list[Path]:
    """Every brief of the corpus, by name."""
    return sorted(p for p in BRIEFS.iterdir() if p.is_file() and not p.name.startswith("."))


# --- the library ---------------------------------------------------------------------


def build_library(folder: Path) -> list[str]:
    """Capture every page of library.yaml into ``folder``; add the hand-made records.

    Returns one line per page that gave no record, or whose capture failed (the briefs
    citing it are then checked against a library without it, as a user's would be).
    """
    spec = yaml.safe_load((CORPUS / "library.yaml").read_text(encoding="utf-8"))
    accessed = PartialDate.parse(spec["accessed"])
    notes: list[str] = []
    library = None
    for page in spec["pages"]:
        try:
            result = add(
                PAGES / page["file"],
                folder,
                key=page["key"],
                url=page.get("url"),
                accessed=accessed,
                now=lambda: NOW,
                library=library,
            )
        except PolicyciteError as err:
            notes.append(f"{page['file']}: capture failed: {err}")
            continue
        library = result.library
        if not any(item.source is not None for item in result.added):
            why = "; ".join(f.message for f in result.findings if f.code == "PC305")
            notes.append(f"{page['file']}: no record for @{page['key']} ({why or 'no reason'})")
    for record in sorted(RECORDS.glob("*.yaml")):
        shutil.copyfile(record, folder / record.name)
    return notes


# --- checking and matching -----------------------------------------------------------


@attrs.frozen
class Actual:
    """A finding of `check` and the text of the brief's paragraph it points to."""

    finding: Finding
    paragraph: str  # normalised; empty when the finding names no place of the brief
    window: str  # normalised: the sentence(s) of the paragraph the finding's span covers
    offset: int | None
    reference: int | None  # the reference entry's number, for findings about one

    def describe(self) -> str:
        where = (
            f"reference {self.reference}"
            if self.reference
            else _excerpt(self.window or self.paragraph)
        )
        f = self.finding
        hint = f" (hint: {f.hint})" if f.hint else ""
        return f"{f.code} at {where}: {f.message}{hint}"


@attrs.frozen
class Expected:
    """One finding of the manifest."""

    code: str
    at: tuple[str, ...]
    ref: int | None
    why: str

    def describe(self) -> str:
        where = f"reference {self.ref}" if self.ref else " / ".join(repr(a) for a in self.at)
        return f"{self.code} at {where}: {self.why}"


@attrs.frozen
class BriefScore:
    """What `check` found in one brief, matched to the manifest."""

    name: str
    error: str | None  # the brief could not be read (its expected findings are all missed)
    matched: tuple[tuple[Expected, Actual], ...]
    false_positives: tuple[Actual, ...]
    false_negatives: tuple[Expected, ...]


def expected_of(entry: Mapping[str, Any]) -> list[Expected]:
    """The manifest's findings of one brief."""
    out = []
    for item in entry.get("findings") or ():
        at = item.get("at")
        pieces = tuple(at) if isinstance(at, list) else (at,) if at else ()
        out.append(Expected(item["code"], pieces, item.get("ref"), item.get("why", "")))
    return out


_QUOTES = re.compile(
    "[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u00b4]"
)
_DASHES = re.compile("[\u2010-\u2015\u2212]")


def normalise(text: str) -> str:
    """Text compared in matching: no quotation marks, one kind of dash, one space, lower case."""
    text = _QUOTES.sub("", text.replace("~", " ").replace("\u00a0", " "))
    return " ".join(_DASHES.sub("-", text).split()).lower()


def _excerpt(text: str, size: int = 70) -> str:
    return repr(text if len(text) <= size else text[: size - 1] + "…")


def _offset(brief: Brief, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        found = brief.text.find("\n", start)
        if found < 0:
            return len(brief.text)
        start = found + 1
    return start + column - 1


_REFERENCE_FIELD = re.compile(r"reference (\d+)\b")


def locate(brief: Brief, finding: Finding) -> Actual:
    """Where in the brief a finding points: its paragraph, offset, reference number."""
    loc = finding.location
    reference = None
    field = _REFERENCE_FIELD.search(loc.field or "")
    if field:
        reference = int(field.group(1))
    if loc.line is None:
        # A place given only as a Word user counts it ("footnote 3", "paragraph 12"):
        # the whole paragraph is the window (best effort; lines are the usual case).
        paragraph = _numbered_paragraph(brief, loc.field or "")
        return Actual(finding, normalise(paragraph), normalise(paragraph), None, reference)
    offset = _offset(brief, loc.line, loc.column or 1)
    end = offset
    if loc.end_line is not None:
        end = max(offset, _offset(brief, loc.end_line, loc.end_column or 1))
    paragraph, window = "", ""
    for para in brief.paragraphs:
        if para.span.start <= offset <= para.span.end:
            paragraph = para.text
            window = _sentences(para.text, offset - para.span.start, end - para.span.start)
            break
    if reference is None:
        for entry in brief.references:
            if entry.span.start <= offset <= entry.span.end:
                reference = entry.number
    return Actual(finding, normalise(paragraph), normalise(window), offset, reference)


_NUMBERED = re.compile(r"\b(footnote|endnote|paragraph) (\d+)\b")


def _numbered_paragraph(brief: Brief, field: str) -> str:
    found = _NUMBERED.search(field)
    if not found:
        return ""
    notes = found.group(1) != "paragraph"
    paragraphs = [p for p in brief.paragraphs if (p.kind == "footnote") == notes]
    number = int(found.group(2))
    return paragraphs[number - 1].text if 0 < number <= len(paragraphs) else ""


# A sentence ends at . ! ? (and any closing quotation mark or bracket) before a capital.
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-ZÀ-Þ])")


def _sentences(text: str, start: int, end: int) -> str:
    """The sentences of a paragraph that a span [start, end) touches."""
    first, last = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            first = m.end()
        elif m.start() >= max(end - 1, start):
            last = m.end()
            break
    return text[first:last]


def _cost(expected: Expected, actual: Actual, brief: Brief | None) -> float | None:
    """How well an actual finding fits an expected one (lower is better); None: not at all."""
    if expected.code != actual.finding.code:
        return None
    if expected.ref is not None:
        return 0.0 if actual.reference == expected.ref else None
    best: float | None = None
    for piece in expected.at:
        wanted = normalise(piece)
        if wanted and wanted in actual.window:
            distance = 0.0
            if brief is not None and actual.offset is not None:
                # Two findings of one code in one paragraph: the nearer piece wins.
                place = normalise(brief.text).find(wanted)
                distance = abs(place - actual.offset) / 1e6 if place >= 0 else 0.5
            best = distance if best is None else min(best, distance)
    return best


def match(
    name: str,
    expected: list[Expected],
    brief: Brief | None,
    actual: list[Actual],
    error: str | None,
) -> BriefScore:
    """Pair expected and actual findings, nearest first; the rest are FP and FN."""
    pairs = []
    for i, exp in enumerate(expected):
        for j, act in enumerate(actual):
            cost = _cost(exp, act, brief)
            if cost is not None:
                pairs.append((cost, i, j))
    used_e: set[int] = set()
    used_a: set[int] = set()
    matched = []
    for _, i, j in sorted(pairs):
        if i in used_e or j in used_a:
            continue
        used_e.add(i)
        used_a.add(j)
        matched.append((expected[i], actual[j]))
    return BriefScore(
        name,
        error,
        tuple(matched),
        tuple(a for j, a in enumerate(actual) if j not in used_a),
        tuple(e for i, e in enumerate(expected) if i not in used_e),
    )


def score_brief(path: Path, folder: Path, entry: Mapping[str, Any]) -> BriefScore:
    """Read and check one brief against the library folder; match it to its manifest entry."""
    expected = expected_of(entry)
    try:
        brief = read_brief(path)
    except PolicyciteError as err:
        return match(path.name, expected, None, [], f"cannot be read: {err}")
    result = check(brief, load_library(folder).library, folder)
    actual = [locate(brief, f) for f in result.report.findings]
    return match(path.name, expected, brief, actual, None)


def score_corpus(folder: Path, names: Iterable[str] | None = None) -> list[BriefScore]:
    """Score every brief (or the named ones) of the corpus against the library folder."""
    entries = manifest()
    paths = {p.name: p for p in brief_files()}
    return [score_brief(paths[n], folder, entries[n]) for n in (names or sorted(paths))]


# --- the table -----------------------------------------------------------------------


@attrs.frozen
class Totals:
    """Counts over the corpus: true positives, false positives, false negatives."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def totals(scores: Iterable[BriefScore]) -> tuple[dict[str, Totals], Totals]:
    """Per code and overall."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for s in scores:
        tp.update(e.code for e, _ in s.matched)
        fp.update(a.finding.code for a in s.false_positives)
        fn.update(e.code for e in s.false_negatives)
    codes = sorted(set(tp) | set(fp) | set(fn))
    per = {c: Totals(tp[c], fp[c], fn[c]) for c in codes}
    return per, Totals(sum(tp.values()), sum(fp.values()), sum(fn.values()))


def report(scores: list[BriefScore]) -> str:
    """The per-code table, then every false positive and false negative with its message."""
    per, overall = totals(scores)
    lines = [
        f"{'code':<8}{'expected':>9}{'found':>7}{'TP':>5}{'FP':>5}{'FN':>5}"
        f"{'precision':>11}{'recall':>8}"
    ]
    for code, t in [*per.items(), ("overall", overall)]:
        lines.append(
            f"{code:<8}{t.tp + t.fn:>9}{t.tp + t.fp:>7}{t.tp:>5}{t.fp:>5}{t.fn:>5}"
            f"{t.precision:>11.2f}{t.recall:>8.2f}"
        )
    for s in scores:
        if s.error or s.false_positives or s.false_negatives:
            lines.append(f"\n{s.name}" + (f": {s.error}" if s.error else ""))
            lines += [f"  FP {a.describe()}" for a in s.false_positives]
            lines += [f"  FN {e.describe()}" for e in s.false_negatives]
    return "\n".join(lines)


__all__ = [
    "MIN_PRECISION",
    "MIN_RECALL",
    "Actual",
    "BriefScore",
    "Expected",
    "brief_files",
    "build_library",
    "locate",
    "manifest",
    "match",
    "normalise",
    "report",
    "score_brief",
    "score_corpus",
    "totals",
]
