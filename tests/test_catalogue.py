"""policycite against citeproc-js on a stratified sample of the CSL style catalogue.

tests/golden/catalogue/styles/ holds citeproc-js 2.4.63's outputs (compact xz JSON, text
and HTML) of the corpus in tests/data/corpus/ for a sample of catalogue styles: every
default locale and every class (note; in-text author-date, numeric, label, author) and the
top 50 (see tools/catalogue_conformance.py, which wrote them with
``--golden-sample 300 --seed 16 --write-golden``). No node is needed here.

tests/golden/catalogue/baseline.json records, per style, the outputs that differ today.
A style fails when an output identical in the baseline now differs (a regression), and
when a recorded difference is now identical (so the record stays true, as
known-differences.yaml does for the six tuned styles): then re-record it with

    PYTHONPATH=$PWD/src python tools/catalogue_conformance.py --golden-styles \\
        --from-golden --update-baseline

Text is compared for every style; HTML for the top 50 only, which keeps the run modest
(policycite renders each style's corpus, three parts, once per format).
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from functools import cache
from types import ModuleType

import pytest

from conftest import ROOT


def _tool() -> ModuleType:
    path = ROOT / "tools" / "catalogue_conformance.py"
    spec = importlib.util.spec_from_file_location("catalogue_conformance", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("catalogue_conformance", module)
    spec.loader.exec_module(module)
    return module


cc = _tool()
STYLES = cc.golden_styles()
BASELINE = cc.read_baseline()
HTML_STYLES = frozenset(cc.top50())
UPDATE = "tools/catalogue_conformance.py --golden-styles --from-golden --update-baseline"


@cache
def _corpus() -> object:
    return cc.load_corpus()


def test_golden_sample_covers_the_catalogue() -> None:
    """At least 300 styles, the top 50, every default locale and every class."""
    catalogue = cc.catalogue()
    assert len(STYLES) >= 300
    assert set(cc.top50()) <= set(STYLES)
    styles = [catalogue[name] for name in STYLES]
    assert {i.locale for i in styles} == {i.locale for i in catalogue.values()}
    assert {i.klass for i in styles} == {i.klass for i in catalogue.values()}


def test_golden_outputs_are_of_this_corpus() -> None:
    """The goldens were rendered from the corpus as it is (else: --write-golden again)."""
    digest = cc.load_corpus().digest
    stale = [name for name in STYLES if cc.read_golden(name)["corpus"] != digest]
    assert stale == [], "rerun tools/catalogue_conformance.py --golden-styles --write-golden"


def test_baseline_names_golden_styles() -> None:
    assert sorted(set(BASELINE) - set(STYLES)) == []


@pytest.mark.parametrize("style", STYLES)
def test_same_differences_as_baseline(style: str) -> None:
    info = cc.catalogue()[style]
    corpus = _corpus()
    formats = ("text", "html") if style in HTML_STYLES else ("text",)

    def ours(fmt: str) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
        # Warnings of the style are findings of the renderer, not this test's subject.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows: tuple[dict[str, list[tuple[str, str]]], list[str]] = cc.ours_rows(
                info, corpus, fmt
            )
            return rows

    result = cc.compare(info, corpus, cc.read_golden(style), formats, ours)
    assert not result.js_error, result.js_error
    assert not result.crash, f"policycite crashed on {style}: {result.crash}"
    recorded = BASELINE.get(style, {})
    differing = result.differing()
    diffs = {(d["fmt"], d["short"]): d for d in result.diffs}
    for fmt in formats:
        now, before = set(differing[fmt]), set(recorded.get(fmt, ()))
        regressions = []
        for short in sorted(now - before):
            d = diffs[fmt, short]
            regressions.append(f"{short} ({d['cause']}): {cc.excerpt(d['js'], d['ours'])}")
        assert not regressions, f"{fmt}: identical to citeproc-js before, now differ:\n" + (
            "\n".join(regressions[:10])
        )
        fixed = sorted(before - now)
        assert not fixed, f"{fmt}: now identical to citeproc-js; record it: {UPDATE}"
    assert (result.order_same is False) == (recorded.get("order") is False), (
        f"bibliography order {'now differs' if result.order_same is False else 'now agrees'}"
    )


def _diff(style: str, part: str, fmt: str, js: str, ours: str, text_same: bool = False) -> object:
    return cc.Diff(style, part, fmt, "x", js, ours, False, text_same)


@pytest.mark.parametrize(
    ("diff", "name"),
    [
        (
            _diff(
                "chicago-author-date",
                "bibliography",
                "html",
                "<i>Jahresbericht 2021 [Annual report 2021]</i>. 2021.",
                "<i>Jahresbericht 2021</i> [Annual report 2021]. 2021.",
                text_same=True,
            ),
            "translated title upright",
        ),
        (
            _diff(
                "apa",
                "citations",
                "text",
                "(Lee, 2020b, 2020c, 2020a)",
                "(Lee, 2020a, 2020b, 2020c)",
            ),
            "APA year letters in reference-list order",
        ),
        (
            _diff(
                "modern-language-association",
                "citations",
                "text",
                "(Çelik, 12:45)",
                "(Çelik 12:45)",
            ),
            "time locator as the style tests it",
        ),
        (
            _diff(
                "nature", "bibliography", "text", "Outlook (2022–(2023)).", "Outlook (2022–2023)."
            ),
            "first date range without stray affixes",
        ),
        (
            _diff(
                "x",
                "bibliography",
                "text",
                "Accessed: 2022–Accessed: 2023.",
                "Accessed: 2022–2023.",
            ),
            "first date range without stray affixes",
        ),
        (
            _diff("x", "bibliography", "text", "Grid. 2022–Accessed 2023.", "Grid. 2022–2023."),
            "first date range without stray affixes",
        ),
        # Not deliberate: the same changes where the rule does not hold.
        (_diff("x", "bibliography", "text", "Grid. 2022–Accessed 2024.", "Grid. 2022–2023."), ""),
        (_diff("nature", "bibliography", "text", "(2022–(2024)).", "(2022–2023)."), ""),
        (_diff("nature", "bibliography", "text", "(2022–2023).", "(2022–(2023))."), ""),
        (
            _diff(
                "chicago-author-date",
                "bibliography",
                "html",
                "<i>Jahresbericht 2021</i> [Annual report 2021].",
                "<i>Jahresbericht 2021 [Annual report 2021]</i>.",
                text_same=True,
            ),
            "",
        ),
        (_diff("ieee", "citations", "text", "(Lee, 2020b, 2020a)", "(Lee, 2020a, 2020b)"), ""),
        (_diff("apa", "citations", "text", "(Lee, 2020a, 2020b)", "(Lee, 2020b, 2020a)"), ""),
        (_diff("apa", "bibliography", "text", "Lee 2020b, 2020a", "Lee 2020a, 2020b"), ""),
        (
            _diff("modern-language-association", "citations", "text", "(Çelik, 12)", "(Çelik 12)"),
            "",
        ),
        (_diff("ieee", "citations", "text", "(Çelik, 12:45)", "(Çelik 12:45)"), ""),
    ],
)
def test_deliberate_differences_are_narrow(diff: object, name: str) -> None:
    """Each deliberate difference recognises its one change, not a look-alike."""
    assert cc.deliberate_of(diff) == name


def test_deliberate_differences_have_reasons() -> None:
    assert all(len(why) > 40 for _, why, _ in cc.DELIBERATE)
