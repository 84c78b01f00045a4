"""Run the CSL processor test suite against bare citeproc-py and policycite's fixed engine.

The suite is the official one (citation-style-language/test-suite, ``processor-tests/
humans``): one ``.txt`` fixture per test, with sections ``>>===== MODE =====>>`` …
``<<===== MODE =====<<`` for MODE, RESULT, CSL and INPUT, and optionally CITATION-ITEMS,
CITATIONS, BIBENTRIES, BIBSECTION, ABBREVIATIONS and OPTIONS. The suite is not part of
this project: pass the folder holding the fixtures.

Every test runs twice, with bare citeproc-py and with policycite (``FixedStyle``,
``RichTextJSON``, its ``Bibliography`` with sorting and disambiguation, bibliography
entries through ``render_entry``), both driven as citeproc-py's own runner
(``tests/citeproc-test.py`` in citeproc-py) drives citeproc-py, and both outputs are
normalised the same way before they are compared with RESULT. A CITATIONS fixture (a
document built by successive processCitationCluster calls) is run as citeproc-js's test
runner runs it: after each call the whole document is rendered again, with the cite
positions of the document (policycite: ``fixes.positions``), and the last call's new or
changed citations are marked ``>>``. Any exception, or a run
longer than the timeout, is an error for that processor only.

Usage::

    python tools/csl_suite.py SUITE/processor-tests/humans
    python tools/csl_suite.py SUITE --only disambiguate_       # substring of test names
    python tools/csl_suite.py SUITE --show name_AsianGlyphs    # expected vs both outputs
    python tools/csl_suite.py SUITE --json results.json        # per-test results
    python tools/csl_suite.py SUITE --regressions-exit         # exit 1 on any regression

The report gives pass/fail/error counts per category (the file name up to the first
``_``) for both processors side by side, the totals, the regressions (tests bare
citeproc-py passes and policycite does not) and the tests only policycite passes.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import re
import signal
import sys
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import citeproc
import citeproc.formatter
from citeproc.source import Citation, Locator
from citeproc.source.json import CiteProcJSON

from policycite.render import processor as fixed
from policycite.render.fixes import collapse, positions
from policycite.render.output import FORMATS, HTML_DISPLAY
from policycite.render.richtext import RichTextJSON

BARE = "citeproc-py"
POLICYCITE = "policycite"
PROCESSORS = (BARE, POLICYCITE)
STATUSES = ("pass", "fail", "error")

BIB_PREFIX = '<div class="csl-bib-body">'
BIB_SUFFIX = "</div>"
ENTRY_PREFIX = '  <div class="csl-entry">'
ENTRY_SUFFIX = "</div>"

#: Sections of a fixture and whether their content is JSON.
SECTIONS = {
    "MODE": False,
    "RESULT": False,
    "CSL": False,
    "INPUT": True,
    "CITATION-ITEMS": True,
    "CITATIONS": True,
    "BIBENTRIES": True,
    "BIBSECTION": True,
    "ABBREVIATIONS": True,
    "OPTIONS": True,
}
REQUIRED = ("MODE", "RESULT", "CSL", "INPUT")
_OPEN = re.compile(r"^>>=+\s*([A-Z][A-Z-]*)\s*=+(?:>>)?\s*$")
_CLOSE = re.compile(r"^<<=+\s*([A-Z][A-Z-]*)\s*=+(?:<<)?\s*$")


#: Options of a fixture's citation item that set its position, and the item keys for them.
_GIVEN_POSITION = {
    "position": positions.POSITION,
    "first_reference_note_number": positions.FIRST_NOTE,
    "near_note": positions.NEAR_NOTE,
}


def _position_state(citation: Any) -> tuple[tuple[Any, ...], ...]:
    """Each cite's key, position, near-note and first-reference-note-number."""
    return tuple(
        (
            item.key,
            dict.get(item, positions.POSITION),
            dict.get(item, positions.NEAR_NOTE),
            dict.get(item, positions.FIRST_NOTE),
        )
        for item in citation.cites
    )


# -- fixtures -------------------------------------------------------------------------------


@dataclass
class Fixture:
    """One test of the suite, parsed from its human-readable file."""

    name: str
    mode: str
    result: str
    csl: str
    input: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None = None
    citations: list[list[Any]] | None = None
    bibentries: list[list[Any]] | None = None
    bibsection: Any = None
    abbreviations: Any = None
    options: Any = None

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def expected(self) -> list[str]:
        return self.result.splitlines()


def parse_sections(text: str) -> dict[str, str]:
    """The sections of a fixture by name, stripped; text outside them is ignored."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if current is None:
            opening = _OPEN.match(line)
            if opening and opening.group(1) in SECTIONS:
                current, lines = opening.group(1), []
            continue
        closing = _CLOSE.match(line)
        if closing and closing.group(1) == current:
            sections[current] = "\n".join(lines).strip()
            current = None
        else:
            lines.append(line)
    return sections


def load_fixture(path: Path) -> Fixture:
    """Parse a fixture file as the suite's ``processor.py`` grinds it."""
    sections = parse_sections(path.read_text(encoding="utf-8-sig"))
    missing = [name for name in REQUIRED if name not in sections]
    if missing:
        raise ValueError(f"{path.name}: missing section(s) {', '.join(missing)}")
    data: dict[str, Any] = {}
    for name, text in sections.items():
        data[name.lower().replace("-", "_")] = json.loads(text) if SECTIONS[name] else text
    items = data["input"]
    # As citeproc-py's runner does: items without an id or a type get one.
    for index, item in enumerate(items):
        item.setdefault("id", index)
        item.setdefault("type", "book")
    return Fixture(name=path.stem, **data)


# -- driving the processors -------------------------------------------------------------------


def _do_nothing(item: Any) -> None:
    """The callback for cites of unknown items: citeproc-py then prints ``key?``."""


class Driver:
    """Runs a fixture through one processor as citeproc-py's test runner does."""

    name = ""

    def make_bibliography(self, csl: bytes, items: list[dict[str, Any]]) -> Any:
        raise NotImplementedError

    def make_item(self, key: str, **options: Any) -> Any:
        raise NotImplementedError

    def prepare(self, bib: Any) -> None:
        """Called once all citations are registered."""
        if bib.style.has_bibliography():
            bib.sort()

    def cite(self, bib: Any, citation: Any) -> str:
        return str(bib.cite(citation, _do_nothing))

    def entries(self, bib: Any) -> list[str]:
        return [str(entry) for entry in bib.bibliography()]

    # -- shared -----------------------------------------------------------------------------

    def citation_item(self, data: dict[str, Any]) -> Any:
        options: dict[str, Any] = {}
        key = ""
        for name, value in data.items():
            option = name.replace("-", "_")
            if option == "id":
                key = str(value)
            elif option == "locator":
                # Some tests give no label: citeproc-py's runner takes "page".
                options["locator"] = Locator(data.get("label", "page"), value)
            elif option != "label":
                options[option] = value
        return self.make_item(key, **options)

    def citations(self, fixture: Fixture) -> list[Any]:
        if fixture.citation_items:
            return [
                Citation([self.citation_item(item) for item in cluster])
                for cluster in fixture.citation_items
            ]
        if fixture.citations:
            citations = []
            for entry in fixture.citations:
                data = entry[0]
                citation = Citation([self.citation_item(i) for i in data["citationItems"]])
                citation.key = data.get("citationID")
                citation.note_index = data.get("properties", {}).get("noteIndex", 0)
                citations.append(citation)
            return citations
        if fixture.bibentries:
            return [Citation([self.citation_item({"id": key}) for key in fixture.bibentries[-1]])]
        return [Citation([self.citation_item({"id": item["id"]}) for item in fixture.input])]

    def position(self, bib: Any, citations: Sequence[Any], notes: Sequence[int] | None) -> None:
        """Work out cite positions: ``notes`` gives a document's note numbers, None says
        that each cluster stands alone (the suite's CITATION-ITEMS: citeproc-js's
        makeCitationCluster, where every cite is first unless the item says otherwise).

        Bare citeproc-py decides positions while it renders.
        """

    def execute_document(self, fixture: Fixture) -> list[str]:
        """A CITATIONS fixture as citeproc-js's test runner drives it.

        Each entry is ``[citation, citations before, citations after]``: one call of
        processCitationCluster, which inserts (or replaces) the citation in the document
        between the others (their note numbers as given there) and leaves out citations
        not named. After each call the whole document is rendered afresh; the output is
        the document after the last call, each citation as ``[index] text``, marked
        ``>>`` when the last call added or changed it and ``..`` otherwise.
        """
        assert fixture.citations is not None
        latest: dict[str, dict[str, Any]] = {}
        texts: dict[str, str] = {}
        states: dict[str, tuple[tuple[Any, ...], ...]] = {}
        lines: list[str] = []
        for data, before, after in fixture.citations:
            cid = str(data.get("citationID"))
            latest[cid] = data
            note = int(data.get("properties", {}).get("noteIndex", 0) or 0)
            order = [(str(c), int(n or 0)) for c, n in before]
            order += [(cid, note)] + [(str(c), int(n or 0)) for c, n in after]
            bib = self.make_bibliography(fixture.csl.encode("utf-8"), copy.deepcopy(fixture.input))
            citations = []
            for key, _ in order:
                citation = Citation([self.citation_item(i) for i in latest[key]["citationItems"]])
                citations.append(citation)
                bib.register(citation)
            self.prepare(bib)
            self.position(bib, citations, [n for _, n in order])
            rendered = {
                key: self.cite(bib, c) for (key, _), c in zip(order, citations, strict=True)
            }
            state = {key: _position_state(c) for (key, _), c in zip(order, citations, strict=True)}
            changed = {cid} | {key for key in rendered if rendered[key] != texts.get(key)}
            changed |= {key for key in state if key in states and state[key] != states[key]}
            # As citeproc-js: a changed first-reference-note-number re-renders every
            # citation of that item.
            moved = {
                cite[0]
                for key in state
                if key in states
                for cite, old in zip(state[key], states[key], strict=False)
                if cite[3] != old[3]
            }
            changed |= {key for key in state if any(cite[0] in moved for cite in state[key])}
            lines = [
                f"{'>>' if key in changed else '..'}[{index}] {rendered[key]}"
                for index, (key, _) in enumerate(order)
            ]
            texts, states = rendered, state
        return lines

    def execute(self, fixture: Fixture) -> list[str]:
        """The output lines of the fixture, unnormalised."""
        if fixture.citations and fixture.mode == "citation":
            return self.execute_document(fixture)
        bib = self.make_bibliography(fixture.csl.encode("utf-8"), copy.deepcopy(fixture.input))
        citations = self.citations(fixture)
        for citation in citations:
            bib.register(citation)
        self.prepare(bib)
        implicit = not (fixture.citation_items or fixture.citations or fixture.bibentries)
        if implicit and fixture.mode == "citation":
            # A fixture without citation items cites every item, in bibliography order:
            # what the suite expects (bugreports_ChicagoAuthorDateLooping), and what
            # citeproc-py gets by always putting cites in bibliography order.
            order = {item.key: n for n, item in enumerate(bib.items)}
            citations[0].cites.sort(key=lambda cite: order.get(cite.key, len(order)))
        self.position(bib, citations, None)
        results: list[str] = []
        if fixture.mode == "citation":
            for index, citation in enumerate(citations):
                text = self.cite(bib, citation)
                if fixture.citations:
                    marker = ">>" if index == len(citations) - 1 else ".."
                    text = f"{marker}[{index}] {text}"
                results.append(text)
        elif fixture.mode in ("bibliography", "bibliography-nosort"):
            results.append(BIB_PREFIX)
            results.extend(ENTRY_PREFIX + entry + ENTRY_SUFFIX for entry in self.entries(bib))
            results.append(BIB_SUFFIX)
        else:
            raise ValueError(f"unsupported mode {fixture.mode!r}")
        return results


class BareDriver(Driver):
    """citeproc-py 0.11.1 as it comes."""

    name = BARE

    def make_bibliography(self, csl: bytes, items: list[dict[str, Any]]) -> Any:
        style = citeproc.CitationStylesStyle(io.BytesIO(csl), validate=False)
        source = CiteProcJSON(items)
        return citeproc.CitationStylesBibliography(style, source, citeproc.formatter.html)

    def make_item(self, key: str, **options: Any) -> Any:
        return citeproc.CitationItem(key, **options)


class PolicyciteDriver(Driver):
    """policycite's fixed engine, driven as ``policycite.render.engine`` drives it."""

    name = POLICYCITE

    def __init__(self) -> None:
        self.format = FORMATS["html"]

    def make_bibliography(self, csl: bytes, items: list[dict[str, Any]]) -> Any:
        style = fixed.FixedStyle(csl, locale=None)
        source = RichTextJSON(items, self.format.formatter, self.format.encode)
        return fixed.Bibliography(style, source, self.format.formatter)

    def make_item(self, key: str, **options: Any) -> Any:
        # A position given in the fixture ("position": 2 for ibid) rides on the item as
        # the engine's own document positions do.
        given = {
            name: options.pop(option)
            for option, name in _GIVEN_POSITION.items()
            if option in options
        }
        item = fixed.CitationItem(key, **options)
        for name, value in given.items():
            dict.__setitem__(item, name, value)
        return item

    def position(self, bib: Any, citations: Sequence[Any], notes: Sequence[int] | None) -> None:
        root = bib.style.root
        if notes is None:  # clusters standing alone: makeCitationCluster's cite order
            for citation in citations:
                dict.__setitem__(citation, collapse.ALONE, True)
        if not positions.uses_positions(root):
            return
        if notes is not None:
            positions.position_document(root, citations, notes)
            return
        for citation in citations:
            for item in citation.cites:
                if dict.get(item, positions.POSITION) is None:
                    dict.__setitem__(item, positions.POSITION, positions.FIRST)

    def prepare(self, bib: Any) -> None:
        super().prepare(bib)
        bib.disambiguate()

    def cite(self, bib: Any, citation: Any) -> str:
        return str(self.format.decode(super().cite(bib, citation)))

    def entries(self, bib: Any) -> list[str]:
        layout = bib.style.root.bibliography.layout
        entries = []
        author = None
        for item in bib.items:
            first, text, author = layout.render_entry(item, author)
            if text is None:
                continue
            entry = self.format.decode(str(text))
            if first is not None:
                # second-field-align is laid out as citeproc-js lays out display
                # "left-margin" and "right-inline", line breaks included.
                entry = HTML_DISPLAY["left-margin"](self.format.decode(str(first))) + HTML_DISPLAY[
                    "right-inline"
                ](entry)
            entries.append(entry)
        return entries


def normalise(lines: Sequence[str]) -> list[str]:
    """Output lines as citeproc-py's runner compares them (one per line, ``&#38;``)."""
    return [line.replace("&amp;", "&#38;") for chunk in lines for line in chunk.split("\n")]


# -- running with a timeout --------------------------------------------------------------------


class TestTimeoutError(Exception):
    """A test ran longer than allowed."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TestTimeoutError in the block after ``seconds`` (no limit without SIGALRM or <= 0)."""
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TestTimeoutError(f"timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """How one processor did on one test."""

    status: str
    output: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def run_one(driver: Driver, fixture: Fixture, timeout: float) -> Outcome:
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(), time_limit(timeout):
            warnings.simplefilter("ignore")
            output = normalise(driver.execute(fixture))
    except Exception as err:  # any failure is an error for this processor only
        return Outcome("error", error=describe(err), seconds=_since(start))
    status = "pass" if output == fixture.expected else "fail"
    return Outcome(status, output, seconds=_since(start))


def describe(err: BaseException) -> str:
    """The exception and where it was raised (innermost frame)."""
    message = "".join(traceback.format_exception_only(type(err), err)).strip()
    frames = traceback.extract_tb(err.__traceback__)
    if frames:
        last = frames[-1]
        message += f"\n  at {last.filename}:{last.lineno} in {last.name}"
    return message


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 4)


@dataclass
class TestResult:
    """Both processors' outcomes on one test."""

    name: str
    category: str
    mode: str
    expected: list[str]
    outcomes: dict[str, Outcome]

    def passed(self, processor: str) -> bool:
        return self.outcomes[processor].status == "pass"


def run_test(path: Path, drivers: Sequence[Driver], timeout: float) -> TestResult:
    try:
        fixture = load_fixture(path)
    except Exception as err:  # an unreadable fixture is an error for both
        outcome = Outcome("error", error=f"bad fixture: {type(err).__name__}: {err}")
        return TestResult(
            path.stem, path.stem.split("_", 1)[0], "?", [], {d.name: outcome for d in drivers}
        )
    outcomes = {driver.name: run_one(driver, fixture, timeout) for driver in drivers}
    return TestResult(fixture.name, fixture.category, fixture.mode, fixture.expected, outcomes)


# -- reporting ---------------------------------------------------------------------------------


def summary_table(results: Sequence[TestResult]) -> str:
    counts: dict[str, dict[str, Counter[str]]] = {}
    for result in results:
        per = counts.setdefault(result.category, {p: Counter() for p in PROCESSORS})
        for processor in PROCESSORS:
            per[processor][result.outcomes[processor].status] += 1
    totals: dict[str, Counter[str]] = {p: Counter() for p in PROCESSORS}
    for per in counts.values():
        for processor in PROCESSORS:
            totals[processor].update(per[processor])

    def row(label: str, per: dict[str, Counter[str]]) -> str:
        total = sum(per[BARE].values())
        cells = [f"{label:<14} {total:>5}"]
        for processor in PROCESSORS:
            cells.append(" ".join(f"{per[processor][s]:>5}" for s in STATUSES))
        delta = per[POLICYCITE]["pass"] - per[BARE]["pass"]
        cells.append(f"{delta:>+6}" if delta else f"{'':>6}")
        return " │ ".join(cells)

    width = len(" ".join(f"{s:>5}" for s in STATUSES))
    header = " │ ".join([f"{'':<14} {'':>5}", *(f"{p:^{width}}" for p in PROCESSORS), f"{'':>6}"])
    columns = " │ ".join(
        [
            f"{'category':<14} {'tests':>5}",
            *(" ".join(f"{s:>5}" for s in STATUSES) for _ in PROCESSORS),
            f"{'Δpass':>6}",
        ]
    )
    rule = "─" * len(columns)
    lines = [header, columns, rule]
    lines += [row(category, counts[category]) for category in sorted(counts)]
    lines += [rule, row("total", totals)]
    for processor in PROCESSORS:
        done = totals[processor]["pass"]
        total = sum(totals[processor].values())
        share = done / total if total else 0.0
        lines.append(f"{processor}: {done} / {total} passed ({share:.1%})")
    return "\n".join(lines)


def show(result: TestResult) -> str:
    lines = [f"=== {result.name} ({result.mode})", "expected:"]
    lines += [f"  {line}" for line in result.expected]
    for processor in PROCESSORS:
        outcome = result.outcomes[processor]
        lines.append(f"{processor}: {outcome.status.upper()} ({outcome.seconds:.2f} s)")
        if outcome.error:
            lines += [f"  ! {line}" for line in outcome.error.splitlines()]
        lines += [f"  {line}" for line in outcome.output]
    return "\n".join(lines)


def write_json(path: Path, results: Sequence[TestResult]) -> None:
    data = [
        {
            "name": r.name,
            "category": r.category,
            "mode": r.mode,
            "expected": r.expected,
            "results": {
                p: {
                    "status": o.status,
                    "output": o.output,
                    "error": o.error,
                    "seconds": o.seconds,
                }
                for p, o in r.outcomes.items()
            },
        }
        for r in results
    ]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# -- command line ------------------------------------------------------------------------------


def find_tests(suite: Path, only: str | None) -> list[Path]:
    paths = sorted(p for p in suite.glob("*.txt") if p.is_file())
    if only:
        paths = [p for p in paths if only in p.stem]
    return paths


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run the CSL test suite with bare citeproc-py and with policycite."
    )
    parser.add_argument("suite", type=Path, help="folder of the suite's human-readable *.txt tests")
    parser.add_argument("--only", metavar="PATTERN", help="run tests whose name contains PATTERN")
    parser.add_argument("--show", metavar="NAME", help="print expected vs both outputs of a test")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write per-test results")
    parser.add_argument(
        "--regressions-exit", action="store_true", help="exit 1 if policycite regresses a test"
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per test and processor (default 10)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.suite.is_dir():
        print(f"error: {args.suite} is not a folder", file=sys.stderr)
        return 2
    drivers: list[Driver] = [BareDriver(), PolicyciteDriver()]

    if args.show:
        name = args.show.removesuffix(".txt")
        path = args.suite / f"{name}.txt"
        if not path.is_file():
            print(f"error: no test {name!r} in {args.suite}", file=sys.stderr)
            return 2
        result = run_test(path, drivers, args.timeout)
        print(show(result))
        if args.json:
            write_json(args.json, [result])
        return 0

    paths = find_tests(args.suite, args.only)
    if not paths:
        print(f"error: no tests found in {args.suite}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = [run_test(path, drivers, args.timeout) for path in paths]
    elapsed = time.perf_counter() - start

    print(summary_table(results))
    print(f"({len(results)} tests in {elapsed:.0f} s)")
    regressions = [r.name for r in results if r.passed(BARE) and not r.passed(POLICYCITE)]
    gains = [r.name for r in results if r.passed(POLICYCITE) and not r.passed(BARE)]
    print(f"\nRegressions (citeproc-py passes, policycite does not): {len(regressions)}")
    for name in regressions:
        status = next(r for r in results if r.name == name).outcomes[POLICYCITE].status
        print(f"  {name}" + (" (error)" if status == "error" else ""))
    print(f"\nNewly passing with policycite: {len(gains)}")
    for name in gains:
        print(f"  {name}")
    if args.json:
        write_json(args.json, results)
    return 1 if args.regressions_exit and regressions else 0


if __name__ == "__main__":
    sys.exit(main())
