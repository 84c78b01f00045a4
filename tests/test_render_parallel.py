"""Rendering in worker processes gives the one-process output, byte for byte.

A large bibliography's sort keys, disambiguation probes and entries render in forked
processes (:mod:`policycite.render.parallel`). Here the per-process minimum is lowered so
that a small corpus (the 120 synthetic items and 132 clusters of the APA golden tests)
is split over workers, and every result is compared with the one-process run: entries,
their order, year letters, citations and findings, for styles that exercise each path
(APA's primary-name registry and year suffixes, MLA's subsequent-author-substitute across
chunk bounds, a numeric style, an all-names registry whose sets of alike cites stay in
one process, Chicago's primary-name rule).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from policycite.render import parallel
from policycite.render.engine import Renderer
from test_apa_synthetic import _corpus

STYLES = (
    "apa",
    "modern-language-association",
    "ieee",
    "chicago-author-date",
    "institut-francais-darcheologie-orientale-en",
)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # 120 items over 2 processes in 18 chunks of 30 down to 1: every path forks.
    monkeypatch.setattr(parallel, "PER_JOB_MINIMUM", 1)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("output", ["text", "html"])
def test_bibliography_in_workers_is_the_one_process_bibliography(
    small_chunks: None, style: str, output: str
) -> None:
    library, _ = _corpus()
    one = Renderer(library, style, output=output, jobs=1).bibliography()
    two = Renderer(library, style, output=output, jobs=2).bibliography()
    assert two.entries == one.entries
    assert two.keys == one.keys
    assert two.findings == one.findings
    assert len(one.entries) == len(library)


@pytest.mark.parametrize("style", ["apa", "modern-language-association"])
def test_document_in_workers_is_the_one_process_document(small_chunks: None, style: str) -> None:
    library, clusters = _corpus()
    one = Renderer(library, style, jobs=1).document(clusters, library.keys)
    two = Renderer(library, style, jobs=2).document(clusters, library.keys)
    assert two == one


def test_the_corpus_needs_year_letters_and_substitutes(small_chunks: None) -> None:
    """The comparisons above are not vacuous: letters and "———" occur in the corpus."""
    library, _ = _corpus()
    apa = Renderer(library, "apa", jobs=2).bibliography().entries
    assert any("a)." in e for e in apa) and any("b)." in e for e in apa)
    mla = Renderer(library, "modern-language-association", jobs=2).bibliography().entries
    assert any(e.startswith("———") for e in mla)


def test_warnings_of_workers_become_findings_once(small_chunks: None) -> None:
    """A worker's warnings reach the renderer as findings, in order, not doubled by the
    entry each chunk renders again for its author."""
    library, _ = _corpus()
    one = Renderer(library, "ieee", jobs=1).bibliography()
    two = Renderer(library, "ieee", jobs=2).bibliography()
    assert [f.message for f in two.findings] == [f.message for f in one.findings]


@pytest.mark.parametrize("count", [1, 2, 3, 120, 1000, 100_000])
@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_chunks_cover_the_range_and_shrink(count: int, jobs: int) -> None:
    bounds = parallel._bounds(count, jobs)
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    sizes = [stop - start for start, stop in bounds]
    assert all(size > 0 for size in sizes)
    assert sizes == sorted(sizes, reverse=True) or sizes[-1] < sizes[-2]  # a remainder last
    if count >= 1000:
        # Few chunks, the last ones small: the workers finish together.
        assert len(bounds) < 12 * jobs and max(sizes[-3:]) <= count // (jobs * parallel.TAIL) + 1


@pytest.mark.parametrize(
    ("style", "in_workers"),
    [
        ("apa", True),  # primary-name-with-initials: the registry is complete up front
        ("chicago-author-date", True),  # primary-name
        ("modern-language-association", True),  # by-cite: no registry
        ("institut-francais-darcheologie-orientale-en", False),  # all-names: names raise
    ],
)
def test_workers_remember_what_this_process_would(
    small_chunks: None, monkeypatch: pytest.MonkeyPatch, style: str, in_workers: bool
) -> None:
    """The default renderings the workers say to remember are the ones run() would."""
    from policycite.render import disambiguation

    checked = []
    trace_all = disambiguation.Disambiguator._trace_all

    def checking(self: Any, rendered: Any, traces: Any, registry: Any) -> Any:
        remembered = trace_all(self, rendered, traces, registry)
        for item in self.items:
            if item.key in remembered:
                raised = registry is not None and self._raised(registry, traces[item.key])
                expected = None if raised else self._signature(item, self._default(item))
                assert remembered[item.key] == expected
        checked.append(len(remembered))
        return remembered

    monkeypatch.setattr(disambiguation.Disambiguator, "_trace_all", checking)
    library, _ = _corpus()
    Renderer(library, style, jobs=2).bibliography()
    # All but the last item (rendered here) when the registry's version held.
    assert checked == [len(library) - 1 if in_workers else 0]


def test_map_chunks_keeps_order_and_reraises() -> None:
    assert parallel.map_chunks(lambda a, b: list(range(a, b)), 1000, 2) == list(range(1000))
    with pytest.raises(ZeroDivisionError):
        parallel.map_chunks(lambda a, b: [1 // 0], 1000, 2)


def test_jobs_are_resolved_sanely() -> None:
    assert parallel.resolve_jobs(1, 100_000) == 1
    assert parallel.resolve_jobs(4, 100) == 1  # too few items to be worth a fork
    assert parallel.resolve_jobs(None, 100) == 1  # automatic: one process for small work
    assert parallel.resolve_jobs(None, 100_000) == min(
        parallel.available_cores(), 100_000 // parallel.PER_JOB_MINIMUM
    )


def test_cli_format_jobs(small_chunks: None, capsys: pytest.CaptureFixture[str]) -> None:
    from policycite.cli import main

    from conftest import SAMPLE_LIBRARY

    outputs = []
    for jobs in ("1", "2"):
        assert main(["format", str(SAMPLE_LIBRARY), "--jobs", jobs]) == 0
        outputs.append(capsys.readouterr())
    assert outputs[1] == outputs[0]
    assert outputs[0].out.count("\n") == len(list(SAMPLE_LIBRARY.glob("*.yaml")))


@pytest.mark.parametrize("value", ["0", "two"])
def test_cli_format_bad_jobs(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    from policycite.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["format", "--jobs", value])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "--jobs" in err and err.count("\n") == 1


class _UnsendableError(Exception):
    def __init__(self, a: str, b: str) -> None:  # pickles, fails to unpickle
        super().__init__(f"{a} {b}")


def _raise_unsendable(start: int, stop: int) -> list[int]:
    raise _UnsendableError("no", "way")


def test_an_error_that_cannot_travel_does_not_stall_the_pool() -> None:
    with pytest.raises(RuntimeError, match="_UnsendableError: no way"):
        parallel.map_chunks(_raise_unsendable, 1000, 2)
