"""Retrieval dates (APA 9.16) and news websites (APA 10.16) on records, in CSL and in BibTeX.

Issue 14, items 2 and 8: ``custom.changes`` says a page is designed to change over time,
``custom.container-type`` whether a news article is a newspaper's or a news website's.
"""

from __future__ import annotations

import json

import pytest

import policycite as pc
from policycite.errors import InputError
from policycite.formats import bibtex
from policycite.formats.cslyaml import dump_record, dumps_csl, loads
from policycite.formats.record import source_from_dict, source_to_csl
from policycite.model import Name, PartialDate, Provenance, Source
from policycite.render.engine import _style
from policycite.render.fixes.textcase import is_apa_style
from policycite.render.styles import resolve

RECORD = """\
id: nordvik-levels
kind: webpage
title: Reservoir levels this week
author:
- literal: Nordvik Water Board
URL: https://nordvik-water.example.org/levels
accessed: '2024-02-01'
custom:
  changes: true
"""

NEWS_SITE = """\
id: fenwick2024
kind: news-article
title: Harbour pilots vote to strike over night shifts
author:
- family: Fenwick
  given: Oda
issued: '2024-06-03'
container-title: Nordic Wire
URL: https://nordicwire.example/2024/06/03/pilots-strike
custom:
  container-type: news-site
"""


def _source(text: str) -> Source:
    result = loads(text, "test.yaml")
    assert not result.findings
    (source,) = result.library
    return source


def _page(key: str, **fields: object) -> Source:
    provenance = fields.pop("provenance", None) or Provenance(
        url=f"https://halden-institute.example.org/{key}", accessed=PartialDate(2024, 3, 5)
    )
    return Source(
        key=key,
        kind="webpage",
        title="Our mission and history",
        authors=[Name.organisation("Halden Institute for Water Policy")],
        provenance=provenance,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


# --- the record fields -------------------------------------------------------------------


@pytest.mark.parametrize("text", [RECORD, RECORD.replace("true", "false"), NEWS_SITE])
def test_record_round_trips_byte_for_byte(text: str) -> None:
    assert dump_record(_source(text)) == text


def test_fields_are_read_into_the_model() -> None:
    assert _source(RECORD).changes is True
    assert _source(RECORD.replace("true", "false")).changes is False
    assert _source(RECORD.replace("custom:\n  changes: true\n", "")).changes is None
    assert _source(NEWS_SITE).container_type == "news-site"
    assert "changes" not in _source(RECORD).custom  # policycite's own, not another tool's


def test_csl_json_carries_them_under_custom_and_reads_back_the_same_source() -> None:
    news = _source(NEWS_SITE)
    item = source_to_csl(news)
    assert item["type"] == "webpage"  # what APA's webpage-on-a-news-website form needs
    assert item["custom"]["container-type"] == "news-site"
    assert source_from_dict(item)[0] == news
    page = _source(RECORD)
    assert source_to_csl(page)["custom"]["changes"] is True
    assert source_from_dict(source_to_csl(page))[0] == page
    again = loads(dumps_csl([news, page]), "csl.yaml")
    assert list(again.library) == [news, page]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (RECORD.replace("changes: true", "changes: 'yes'"), "custom.changes"),
        (NEWS_SITE.replace("news-site", "blog"), "container-type"),
        (RECORD + "  container-type: newspaper\n", "container-type"),  # not a news article
    ],
)
def test_bad_values_name_the_field(text: str, field: str) -> None:
    with pytest.raises(InputError, match=f"field '{field}'"):
        loads(text, "bad.yaml")


# --- rendering: APA's rule, other styles as before --------------------------------------


def test_apa_gives_no_retrieval_date_to_a_stable_page() -> None:
    library = pc.Library([_page("stable")])
    (entry,) = pc.render_bibliography(library, "apa").entries
    assert "2024" not in entry and "March 5" not in entry
    assert entry.endswith("https://halden-institute.example.org/stable")


def test_apa_gives_a_retrieval_date_to_a_page_designed_to_change() -> None:
    library = pc.Library([_page("live", changes=True)])
    (entry,) = pc.render_bibliography(library, "apa").entries
    assert "Retrieved March 5, 2024, from https://halden-institute.example.org/live" in entry


def test_apa_cites_the_archived_copy_of_a_changing_page_without_retrieval_date() -> None:
    archive = "https://web.archive.org/web/20240305000000/https://halden-institute.example.org/a"
    provenance = Provenance(
        url="https://halden-institute.example.org/a",
        accessed=PartialDate(2024, 3, 5),
        archive_url=archive,
        archive_date=PartialDate(2024, 3, 5),
    )
    library = pc.Library([_page("archived", changes=True, provenance=provenance)])
    (entry,) = pc.render_bibliography(library, "apa").entries
    assert archive in entry
    assert "March 5" not in entry


@pytest.mark.parametrize("style", ["ieee", "harvard-cite-them-right", "chicago-author-date"])
def test_other_styles_render_a_news_website_article_as_a_news_article(style: str) -> None:
    site = pc.render_bibliography(pc.Library([_source(NEWS_SITE)]), style, output="html")
    paper = NEWS_SITE.replace("news-site", "newspaper")
    assert (
        site.entries
        == pc.render_bibliography(pc.Library([_source(paper)]), style, output="html").entries
    )
    assert "2024" in site.entries[0] and "<i>Nordic Wire</i>" in site.entries[0]


@pytest.mark.parametrize("style", ["modern-language-association", "chicago-author-date"])
def test_other_styles_keep_the_access_date(style: str) -> None:
    library = pc.Library([_page("stable")])
    (entry,) = pc.render_bibliography(library, style).entries
    assert "2024" in entry


def test_apa_style_recognised_by_its_id_whatever_its_file() -> None:
    def apa(data: bytes) -> bool:
        return is_apa_style(_style(data, None, frozenset()).root)

    upstream, _ = resolve("apa-upstream")
    assert apa(upstream) and apa(resolve("apa")[0])
    for other in ("chicago-author-date", "modern-language-association", "policycite-brief"):
        assert not apa(resolve(other)[0])


def test_news_website_article_has_an_italic_title_and_a_roman_site() -> None:
    library = pc.Library([_source(NEWS_SITE)])
    (entry,) = pc.render_bibliography(library, "apa", output="html").entries
    assert "<i>Harbour pilots vote to strike over night shifts</i>. Nordic Wire." in entry
    newspaper = NEWS_SITE.replace("news-site", "newspaper")
    (entry,) = pc.render_bibliography(
        pc.Library([_source(newspaper)]), "apa", output="html"
    ).entries
    assert "Harbour pilots vote to strike over night shifts. <i>Nordic Wire</i>." in entry


# --- BibTeX -----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["biblatex-apa", "biblatex", "bibtex-natbib", "bibtex-apacite"])
def test_bibtex_round_trip_keeps_both_fields(profile: str) -> None:
    sources = [_source(RECORD), _source(NEWS_SITE), _page("stable", changes=False)]
    text = bibtex.dumps(sources, profile=profile)
    back = bibtex.loads(text, "x.bib").library
    for source in sources:
        assert back[source.key].changes == source.changes
        assert back[source.key].container_type == source.container_type
        assert back[source.key].kind == source.kind
        assert back[source.key].container_title == source.container_title


def _fields(text: str, key: str) -> str:
    start = text.index("{" + key + ",")
    return text[start : text.index("\n}", start)]


def test_biblatex_apa_prints_urldate_only_where_apa_gives_a_retrieval_date() -> None:
    text = bibtex.dumps([_source(RECORD), _page("stable")], profile="biblatex-apa")
    assert "  urldate = {2024-02-01}" in _fields(text, "nordvik-levels")
    stable = _fields(text, "stable")
    assert "urldate" not in stable
    assert "policycite-accessed = {2024-03-05}" in stable
    # the standard biblatex styles print urldate as "visited on": kept for every source
    assert "urldate = {2024-03-05}" in bibtex.dumps([_page("stable")], profile="biblatex")


def test_news_website_article_exports_as_a_web_page() -> None:
    text = bibtex.dumps([_source(NEWS_SITE)], profile="biblatex-apa")
    assert text.count("@online{fenwick2024,") == 1
    assert "organization = {Nordic Wire}" in text
    assert "entrysubtype" not in text
    assert json.loads(text.split("policycite-custom = {")[1].split("},\n")[0]) == {
        "container-type": "news-site"
    }
