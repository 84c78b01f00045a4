"""Titles as APA (and CSL) print them, in every output format.

* a title ending in "?" or "!" takes no period after it, whether the output closes its
  italics with a tag (HTML) or with "*" (Markdown);
* the bracketed English translation of a title is never italic: ``*Título* [Title]``;
* APA title case (Manual 6.17) where an APA style asks for title case, and titles of
  works without author in in-text citations.
"""

from __future__ import annotations

import re

import pytest

import policycite as pc
from policycite.formats import csljson
from policycite.formats.cslyaml import loads

from conftest import BUNDLED_STYLES as STYLES

FORMATS = ("text", "html", "markdown")

END_PUNCTUATION = """
- id: homesick
  kind: webpage
  title: Why do people get homesick?
  issued: 2021-05-03
  container-title: Nordwater News
  URL: https://www.nordwater.example/homesick
- id: actnow
  kind: webpage
  author: [{family: Kask, given: Liisa}]
  title: Act now!
  issued: 2021-05-03
  container-title: Nordwater News
  URL: https://www.nordwater.example/act-now
- id: wait
  kind: report
  author: [{family: Kask, given: Liisa}]
  title: Can rivers wait?
  issued: 2021
  publisher: Nordwater Institute
- id: pays
  kind: press-release
  author: [{literal: Nordwater Institute}]
  title: Who pays for floods?
  issued: 2021-05-03
- id: outlet
  kind: news-article
  author: [{family: Ruiz, given: Ana}]
  title: Who pays for floods?
  container-title: Daily Fictional?
  issued: 2021-05-03
"""


def _library(text: str) -> pc.Library:
    read = loads(text, "test")
    assert read.findings == ()
    return read.library


def _plain(entry: str) -> str:
    """An entry without markup: tags, Markdown emphasis and escapes."""
    return re.sub(r"<[^>]+>|\*|\\(?=\S)", "", entry)


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("style", STYLES)
def test_no_period_after_a_title_ending_in_question_or_exclamation_mark(
    style: str, output: str
) -> None:
    entries = pc.render_bibliography(_library(END_PUNCTUATION), style, output=output).entries
    assert entries
    for entry in entries:
        assert not re.search(r"[?!][”’\]]?\.", _plain(entry)), entry


def test_markdown_drops_the_period_after_an_italic_question() -> None:
    entries = pc.render_bibliography(_library(END_PUNCTUATION), "apa", output="markdown").entries
    assert "Kask, L. (2021a). *Can rivers wait?* Nordwater Institute." in entries
    assert (
        "*Why do people get homesick?* (2021, May 3). Nordwater News. "
        "https://www.nordwater.example/homesick"
    ) in entries
    assert "Ruiz, A. (2021, May 3). Who pays for floods? *Daily Fictional?*" in entries


TRANSLATED = """
- id: informe
  kind: report
  author: [{literal: Instituto Ficticio del Agua}]
  title: Título del informe
  translated-title: Title of the report
  issued: 2020
  language: es
  URL: https://www.aguaficticia.example/informe
- id: comunicado
  kind: press-release
  author: [{literal: Instituto Ficticio del Agua}]
  title: Título del comunicado
  translated-title: Title of the release
  issued: 2020-03-02
  language: es
  URL: https://www.aguaficticia.example/comunicado
- id: pagina
  kind: webpage
  title: Título de la página
  translated-title: Title of the page
  container-title: Agua Ficticia
  issued: 2020-04-01
  language: es
  URL: https://www.aguaficticia.example/pagina
- id: articulo
  kind: news-article
  author: [{family: Ruiz, given: Ana}]
  title: Título del artículo
  translated-title: Title of the article
  container-title: El Diario Ficticio
  issued: 2020-03-02
  language: es
  URL: https://www.diarioficticio.example/articulo
"""

TRANSLATED_APA = {
    "informe": (
        "Instituto Ficticio del Agua. (2020a). {i}Título del informe{/i} [Title of the report]."
        " https://www.aguaficticia.example/informe"
    ),
    "comunicado": (
        "Instituto Ficticio del Agua. (2020b, March 2). {i}Título del comunicado{/i}"
        " [Title of the release] [Press release]. https://www.aguaficticia.example/comunicado"
    ),
    "pagina": (
        "{i}Título de la página{/i} [Title of the page]. (2020, April 1). Agua Ficticia."
        " https://www.aguaficticia.example/pagina"
    ),
    # A newspaper article's title is roman; the translation follows it, the outlet is italic.
    "articulo": (
        "Ruiz, A. (2020, March 2). Título del artículo [Title of the article]."
        " {i}El Diario Ficticio{/i}. https://www.diarioficticio.example/articulo"
    ),
}
MARKUP = {"text": ("", ""), "html": ("<i>", "</i>"), "markdown": ("*", "*")}


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("key", list(TRANSLATED_APA))
def test_the_translation_of_a_title_is_never_italic_in_apa(key: str, output: str) -> None:
    library = _library(TRANSLATED)
    result = pc.render_bibliography(library, "apa", output=output)
    entry = dict(zip(result.keys, result.entries, strict=True))[key]
    opening, closing = MARKUP[output]
    expected = TRANSLATED_APA[key].format(i=opening, **{"/i": closing})
    if output == "html":  # the address is a link (tests/test_robust_links.py)
        url = expected.rsplit(" ", 1)[1]
        expected = expected.removesuffix(url) + f'<a href="{url}">{url}</a>'
    assert entry == expected


@pytest.mark.parametrize("output", ["html", "markdown"])
@pytest.mark.parametrize("style", STYLES)
def test_the_translation_of_a_title_is_never_italic_in_any_style(style: str, output: str) -> None:
    opening, closing = MARKUP[output]
    for entry in pc.render_bibliography(_library(TRANSLATED), style, output=output).entries:
        for translation in ("Title of the report", "Title of the release", "Title of the page"):
            if translation in entry:
                before = entry[: entry.index(translation)]
                assert before.count(opening) == before.count(closing) or opening == closing
                if opening == closing:  # Markdown: an even number of "*" before it
                    assert before.count("*") % 2 == 0, entry


def test_the_csl_json_title_keeps_the_bracketed_translation() -> None:
    """Other CSL processors get the same "Original [Translation]" title as before."""
    items = csljson.to_items(_library(TRANSLATED))
    assert items[0]["title"] == "Título del informe [Title of the report]"


@pytest.mark.parametrize(
    ("title", "apa"),
    [
        (
            "Climate adaptation after the floods: lessons from the river basin",
            "Climate Adaptation After the Floods: Lessons From the River Basin",
        ),
        (
            "Moving into towns with rivers over their banks",
            "Moving Into Towns With Rivers Over Their Banks",
        ),
        (
            "self-report measures for the up-to-date census",
            "Self-Report Measures for the Up-to-Date Census",
        ),
        (
            "Is it the end of the road? a look at off-road rules",
            "Is It the End of the Road? A Look at Off-Road Rules",
        ),
        (
            "Floods \u2014 a guide for towns via the NWA",
            "Floods \u2014 A Guide for Towns via the NWA",
        ),
        ("between the rivers and the sea", "Between the Rivers and the Sea"),
    ],
)
def test_apa_title_case_capitalises_words_of_four_letters_or_more(title: str, apa: str) -> None:
    """Publication Manual 6.17: only minor words of three letters or fewer stay lower-case."""
    from policycite.render.fixes.textcase import title_case

    assert title_case(title, apa=True) == apa


def test_csl_title_case_is_unchanged_outside_apa() -> None:
    from policycite.render.fixes.textcase import title_case

    title = "Moving into towns with rivers over their banks"
    assert title_case(title) == "Moving into Towns with Rivers over Their Banks"


@pytest.mark.parametrize(
    ("style", "apa"),
    [
        ("apa", True),
        ("apa-no-ampersand", True),
        ("apa-6th-edition", True),
        ("chicago-author-date", False),
        ("modern-language-association", False),
        ("policycite-brief", False),
    ],
)
def test_apa_styles_are_known_by_their_id(style: str, apa: bool) -> None:
    from policycite.render.engine import _style
    from policycite.render.fixes.textcase import is_apa_style
    from policycite.render.styles import resolve

    data, _ = resolve(style)
    assert is_apa_style(_style(data, None, frozenset()).root) is apa


AUTHORLESS = """
- id: living
  kind: webpage
  title: 'Living with floods: what towns learn after the storm'
  container-title: Nordwater News
  issued: 2021-05-03
  URL: https://www.nordwater.example/living-with-floods
- id: rivers
  kind: news-article
  title: Rivers over their banks into the towns with little warning
  container-title: The Daily Fictional
  issued: 2019-04-02
  URL: https://www.dailyfictional.example/rivers
"""


@pytest.mark.parametrize(
    ("key", "output", "expected"),
    [
        # A whole work (italic in the reference list): italic title in title case.
        ("living", "html", "(<i>Living With Floods: What Towns Learn After the Storm</i>, 2021)"),
        ("living", "text", "(Living With Floods: What Towns Learn After the Storm, 2021)"),
        # Part of a whole (roman in the reference list): quotation marks, title case.
        (
            "rivers",
            "text",
            "(\u201cRivers Over Their Banks Into the Towns With Little Warning,\u201d 2019)",
        ),
        (
            "rivers",
            "html",
            "(\u201cRivers Over Their Banks Into the Towns With Little Warning,\u201d 2019)",
        ),
    ],
)
def test_apa_in_text_citation_of_a_work_without_author(
    key: str, output: str, expected: str
) -> None:
    """Manual 8.14: the title (title case; italic or in quotation marks) and the year."""
    library = _library(AUTHORLESS)
    result = pc.render_citations(library, pc.parse_citations(f"[@{key}]"), "apa", output=output)
    assert result.entries == (expected,)


def test_mla_keeps_csl_title_case_for_works_without_author() -> None:
    library = _library(AUTHORLESS)
    cite = pc.render_citations(
        library, pc.parse_citations("[@rivers]"), "modern-language-association"
    )
    assert cite.entries == (
        "(\u201cRivers over Their Banks into the Towns with Little Warning\u201d)",
    )


@pytest.mark.parametrize("output", FORMATS)
def test_works_without_author_sort_by_title_in_every_output_format(output: str) -> None:
    """An italic title in the author's place sorts by its words, not by its markup."""
    library = _library(END_PUNCTUATION + AUTHORLESS)
    result = pc.render_bibliography(library, "apa", output=output)
    text = pc.render_bibliography(library, "apa")
    assert result.keys == text.keys
    assert text.keys.index("rivers") < text.keys.index("homesick")


def test_a_transliterated_title_keeps_its_translation_upright() -> None:
    """The Latin form stands for the original title; the translation stays outside italics."""
    source = pc.Source(
        key="ivanov2020",
        kind="report",
        title="Экономическая политика",
        title_transliterated="Ekonomicheskaya politika",
        translated_title="Economic policy",
        authors=[pc.Name("Ivanov", "Ivan")],
        issued=pc.PartialDate(2020),
        publisher="Northern Policy Institute",
    )
    html = pc.render_bibliography(pc.Library([source]), "apa", output="html").entries
    assert html == (
        "Ivanov, I. (2020). <i>Ekonomicheskaya politika</i> [Economic policy]. "
        "Northern Policy Institute.",
    )


@pytest.mark.parametrize(
    ("title", "cased"),
    [  # citeproc-js 2.4.63, text-case="title"
        ("the harbour we sail in", "The Harbour We Sail In"),
        ("what to look out for", "What to Look out For"),
        ("the end of.", "The End Of."),
        ("rivers of the north-to", "Rivers of the North-To"),
        ("places to go: a look at", "Places to Go: A Look At"),
        ("available at", "Available At"),
    ],
)
def test_csl_title_case_capitalises_a_stop_word_at_the_end(title: str, cased: str) -> None:
    from policycite.render.fixes.textcase import title_case

    assert title_case(title) == cased


def test_csl_title_case_leaves_a_stop_word_before_protected_text() -> None:
    from citeproc.string import MixedString, NoCase, String

    from policycite.render.fixes.textcase import title_case

    cased = title_case(MixedString([String("a guide to "), NoCase("eu")]))
    assert str(cased) == "A Guide to eu"
