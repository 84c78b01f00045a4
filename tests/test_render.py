"""Rendering: golden files per style and output format, escaping, locators, findings."""

from __future__ import annotations

import pytest

import policycite as pc
from policycite.errors import StyleError

from conftest import BUNDLED_STYLES as STYLES
from conftest import DATA, SAMPLE_LIBRARY

CLUSTERS = (
    "[@pr]",
    "[see @sp, para. 4; @news, p. 2]",
    "[@web, sec. 3]",
    "[@rep, 1:02:03]",
    "[@art, pp. 201-203, emphasis added]",
    "[@st; @esc]",
)


@pytest.fixture(scope="module")
def sample() -> pc.Library:
    return pc.load_library(SAMPLE_LIBRARY).library


@pytest.fixture(scope="module")
def kinds() -> pc.Library:
    return pc.library_from([DATA / "kinds.yaml"]).library


def _with_findings(result: pc.RenderResult) -> str:
    findings = "".join(f"# {f}\n" for f in result.findings)
    return result.as_text() + findings


@pytest.mark.parametrize("style", STYLES)
def test_sample_library_bibliography(style: str, sample: pc.Library, golden) -> None:
    result = pc.render_bibliography(sample, style)
    golden.check(f"render/sample/{style}.txt", _with_findings(result))


@pytest.mark.parametrize("style", STYLES)
def test_every_kind_bibliography(style: str, kinds: pc.Library, golden) -> None:
    result = pc.render_bibliography(kinds, style)
    assert len(result.entries) == len(kinds)
    golden.check(f"render/kinds/{style}.txt", _with_findings(result))


@pytest.mark.parametrize("style", STYLES)
def test_citations(style: str, kinds: pc.Library, golden) -> None:
    clusters = [c for text in CLUSTERS for c in pc.parse_citations(text)]
    result = pc.render_citations(kinds, clusters, style)
    lines = "".join(
        f"{text}\t{entry}\n" for text, entry in zip(CLUSTERS, result.entries, strict=True)
    )
    golden.check(f"render/citations/{style}.txt", lines)


@pytest.mark.parametrize("output", ["html", "markdown"])
def test_output_formats(output: str, kinds: pc.Library, golden) -> None:
    result = pc.render_bibliography(kinds, "apa", output=output)
    suffix = {"html": "html", "markdown": "md"}[output]
    golden.check(f"render/kinds/apa.{suffix}", result.as_text())


def test_press_release_in_apa(kinds: pc.Library) -> None:
    entry = pc.render_bibliography(kinds, "apa", keys=["pr"]).entries[0]
    # Full date, bracketed genre, no publisher repeating the author, no release number.
    assert entry == (
        "Harbour Safety Authority. (2020, May 13). Agency confirms new inspection "
        "schedule [Press release]. https://hsa.example/press/2020-041"
    )


def test_speech_in_apa(kinds: pc.Library) -> None:
    entry = pc.render_bibliography(kinds, "apa", keys=["sp"]).entries[0]
    assert entry.startswith("Okafor, A. (2021, September 30). Remarks at the opening")
    assert "[Speech transcript, as prepared for delivery]. Coastal Resilience Forum." in entry


def test_html_escapes_field_values(kinds: pc.Library) -> None:
    html = pc.render_bibliography(kinds, "apa", output="html", keys=["esc"]).entries[0]
    assert "<script>" not in html
    assert "AT&amp;T &lt;Policy&gt; Office" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "?a=1&amp;b=2" in html
    assert html.count("<i>") == 1  # the style's own italics survive


def test_markdown_escapes_field_values(kinds: pc.Library) -> None:
    md = pc.render_bibliography(kinds, "apa", output="markdown", keys=["esc"]).entries[0]
    assert r"\*starred\* \_under\_ \[link\](x)" in md
    assert md.count("*") - md.count(r"\*") == 2  # one italic span from the style


def test_keys_keep_their_case() -> None:
    lib = pc.Library(
        [
            pc.Source("WHO2020", "webpage", "Upper", authors=[pc.Name.organisation("WHO")]),
            pc.Source("who2020", "webpage", "Lower", authors=[pc.Name.organisation("who")]),
        ]
    )
    result = pc.render_bibliography(lib, "apa")
    assert dict(zip(result.keys, result.entries, strict=True)) == {
        "WHO2020": "WHO. (n.d.). Upper.",
        "who2020": "who. (n.d.). Lower.",
    }


BROKEN_BRANCH_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Broken branch</title><id>broken</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>
    <text variable="title"/>
    <choose><if variable="volume"><text macro="no-such-macro"/></if></choose>
  </layout></bibliography>
</style>
"""


def test_item_that_breaks_the_processor_is_left_out_with_a_finding(tmp_path) -> None:
    # The style calls a macro it lacks, but only for items with a volume: those items
    # fail inside citeproc-py, and the others must still render.
    style = tmp_path / "broken.csl"
    style.write_text(BROKEN_BRANCH_STYLE, encoding="utf-8")
    lib = pc.Library(
        [
            pc.Source("ok", "book", "Fine"),
            pc.Source("bad", "book", "Broken", extra={"volume": "2"}),
        ]
    )
    result = pc.render_bibliography(lib, str(style))
    assert result.entries == ("Fine",)
    assert [(f.code, f.location.key) for f in result.findings] == [("PC103", "bad")]


def test_date_ranges_and_seasons_render() -> None:
    # citeproc-py 0.11.1 raised on these (TypeError, AssertionError) or garbled them.
    lib = pc.Library(
        [
            pc.Source(
                "range",
                "webpage",
                "Two days",
                authors=[pc.Name.person("Berg", "B.")],
                issued=pc.PartialDate(2020, 5, 13, end=pc.PartialDate(2020, 5, 14)),
            ),
            pc.Source(
                "season",
                "speech",
                "Summer",
                authors=[pc.Name.person("Cruz", "C.")],
                issued=pc.PartialDate(2020, season=2),
            ),
        ]
    )
    assert pc.render_bibliography(lib, "apa").entries == (
        "Berg, B. (2020, May 13–14). Two days.",
        "Cruz, C. (2020, Summer). Summer [Speech transcript].",
    )
    mla = pc.render_bibliography(lib, "modern-language-association", keys=["range"])
    assert mla.entries == ("Berg, B. Two Days. 13–14 May 2020.",)


def test_unknown_key_in_citation_is_a_finding(kinds: pc.Library) -> None:
    result = pc.render_citations(kinds, pc.parse_citations("[@pr; @missing]"), "apa")
    assert result.entries == ("(Harbour Safety Authority [HSA], 2020)",)
    assert [(f.code, f.location.key) for f in result.findings] == [("PC102", "missing")]


def test_chicago_leaves_out_unretrievable_items_with_a_finding() -> None:
    lib = pc.Library(
        [
            pc.Source(
                "x",
                "press-release",
                "Note",
                authors=[pc.Name.organisation("Org")],
                issued=pc.PartialDate(2020, 1, 2),
            )
        ]
    )
    result = pc.render_bibliography(lib, "chicago-notes-bibliography")
    assert result.entries == ()
    assert [f.code for f in result.findings] == ["PC104"]


def test_no_warnings_escape_to_the_caller(kinds: pc.Library) -> None:
    # pytest runs with warnings as errors: a leaked citeproc-py warning fails this test.
    pc.render_bibliography(kinds, "apa")


def test_style_by_path_and_unknown_style(tmp_path) -> None:
    from policycite.render.styles import resolve

    data, _ = resolve("apa")
    path = tmp_path / "mine.csl"
    path.write_bytes(data)
    lib = pc.Library([pc.Source("a", "webpage", "T", authors=[pc.Name.organisation("O")])])
    assert pc.render_bibliography(lib, str(path)).entries == ("O. (n.d.). T.",)
    with pytest.raises(StyleError, match="did you mean apa"):
        pc.render_bibliography(lib, "apaa")


def test_dependent_style_resolves_to_its_parent() -> None:
    from policycite.render.styles import list_styles, resolve

    dependent = next(s for s in list_styles() if s.dependent)
    data, name = resolve(dependent.name)
    assert name == dependent.name
    assert b"<citation" in data


def test_locale_falls_back_to_the_style_default_then_en_us(kinds: pc.Library) -> None:
    web = ["web"]
    brief = pc.render_bibliography(kinds, "policycite-brief", keys=web).entries[0]
    assert brief.endswith("(accessed 5 January 2024)")  # the style's default-locale, en-GB
    us = pc.render_bibliography(kinds, "policycite-brief", keys=web, locale="en-US")
    assert us.entries[0].endswith("(accessed January 5, 2024)")
    german = pc.render_bibliography(kinds, "apa", keys=web, locale="de")
    assert "Januar" in german.entries[0]


def test_unknown_locale_is_refused(kinds: pc.Library) -> None:
    with pytest.raises(StyleError, match="unknown locale 'en-XX'"):
        pc.render_bibliography(kinds, "apa", locale="en-XX")


def test_project_style_is_found_by_name() -> None:
    from policycite.render.styles import project_styles_folder, resolve

    data, name = resolve("policycite-brief")
    assert name == "policycite-brief"
    assert data == (project_styles_folder() / "policycite-brief.csl").read_bytes()


def test_installed_package_carries_the_styles_folder() -> None:
    from pathlib import Path

    package = Path(pc.__file__).resolve().parent
    if "site-packages" in package.parts:  # a real install, as in CI
        assert (package / "styles" / "policycite-brief.csl").is_file()


def test_citation_locator_does_not_leak_into_the_bibliography(kinds: pc.Library) -> None:
    # citeproc-py printed "para. 4" in the bibliography entry of an item cited with one.
    renderer = pc.Renderer(kinds, "chicago-notes-bibliography")
    renderer.citations(pc.parse_citations("[@sp, para. 4]"))
    entry = dict(zip(renderer.bibliography().keys, renderer.bibliography().entries, strict=True))[
        "sp"
    ]
    assert "para" not in entry
    assert entry.startswith("Okafor, Adaeze. “Remarks at the Opening")
