"""Per-element fix classes: an element gets only the fixes that can act on it.

A fix may tell from an element's attributes that it changes nothing there
(``Fix.applies``); the processor then parses the element into a class without that
fix's mixin (:func:`policycite.render.processor.bind_applicable`), which saves a call
per use of its methods. Here: the classes really differ by element, and leaving the
mixins out changes no output (bibliographies and citations of the synthetic APA corpus
in styles of each kind, compared with a parse that keeps every fix on every element).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from policycite.render import engine, processor
from policycite.render.engine import Renderer
from policycite.render.fixes import FIXES, conditions, names
from policycite.render.styles import resolve
from test_apa_synthetic import _corpus

CSL = "{http://purl.org/net/xbiblio/csl}"
STYLES = (
    "apa",
    "modern-language-association",
    "chicago-notes-bibliography",
    "ieee",
    "chicago-author-date",
)


@pytest.fixture
def fresh_styles() -> Iterator[None]:
    # Styles are parsed once per process: each comparison parses its own.
    engine._style.cache_clear()
    yield
    engine._style.cache_clear()


def test_elements_carry_only_the_fixes_that_apply() -> None:
    style = processor.FixedStyle(resolve("apa")[0])
    texts = {
        element.get("variable"): element
        for element in style.root.iter(f"{CSL}text")
        if element.get("variable")
    }
    # short-url acts on the URL variable only, page-locator on the locator only.
    assert isinstance(texts["URL"], conditions.ShortUrl)
    assert not isinstance(texts["title"], conditions.ShortUrl)
    assert isinstance(texts["locator"], conditions.PageLocator)
    assert not isinstance(texts["title"], conditions.PageLocator)
    # Fixes without a test stay on every element of their tags.
    assert isinstance(texts["title"], conditions.RecordedText)
    listed = {
        element.get("variable"): element
        for element in style.root.iter(f"{CSL}names")
        if element.get("variable")
    }
    hyphenated = [v for v in listed if "-" in v]
    assert hyphenated, "APA names a hyphenated name variable (container-author)"
    assert isinstance(listed[hyphenated[0]], names.HyphenatedNameVariables)
    assert not isinstance(listed["author"], names.HyphenatedNameVariables)


def test_every_applicability_test_names_a_fix_of_its_elements() -> None:
    tested = [fix for fix in FIXES if fix.applies is not None]
    assert tested
    for fix in tested:
        assert "*" not in fix.elements, fix.name


@pytest.mark.parametrize("style", STYLES)
def test_leaving_out_fixes_that_do_not_apply_changes_no_output(
    fresh_styles: None, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    library, clusters = _corpus()
    bound = Renderer(library, style)
    bound_result = (bound.bibliography(), bound.document(clusters, library.keys))
    engine._style.cache_clear()
    monkeypatch.setattr(processor, "bind_applicable", lambda elements, disabled: None)
    full = Renderer(library, style)
    assert not any(
        type(element) is not processor.element_classes()[element.tag[len(CSL) :]]
        for element in full._style.root.iter(f"{CSL}text")
    ), "the comparison parse keeps every fix"
    full_result = (full.bibliography(), full.document(clusters, library.keys))
    assert bound_result[0].entries == full_result[0].entries
    assert bound_result[0].keys == full_result[0].keys
    assert bound_result[1] == full_result[1]
