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
import yaml

import policycite as pc
from policycite.formats.cslyaml import loads

STYLES = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
    "policycite-brief",
)
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
