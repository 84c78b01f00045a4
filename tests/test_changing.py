"""Capture cues for APA's retrieval date and a news article's outlet type (issue 14).

Fictional pages, one per cue, and the negatives: site chrome ("Last updated" in a footer)
and fixed documents (press releases, news articles) are never marked as changing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.capture import outlets
from policycite.capture.changing import changing_cue
from policycite.capture.document import Document
from policycite.capture.html import extract_html
from policycite.capture.records import apply_overrides, build_source
from policycite.errors import InputError
from policycite.kinds import CONTAINER_TYPES
from policycite.model import Provenance, Source

BODY = (
    "The Nordvik Water Board manages the four reservoirs that supply the towns of the "
    "Nordvik valley. Water is drawn from the reservoirs in turn, so that none of them "
    "falls below its summer reserve, and the board publishes how full each one is."
)


def _page(
    title: str,
    body: str = "",
    *,
    head: str = "",
    footer: str = "",
    url: str = "https://nordvik-water.example.org/reservoirs/levels",
) -> str:
    return f"""<!doctype html>
<html lang="en"><head><title>{title} | Nordvik Water Board</title>
<meta property="og:site_name" content="Nordvik Water Board">
<link rel="canonical" href="{url}">{head}</head>
<body><header><nav><a href="/">Nordvik Water Board</a> <a href="/about">About</a>
<a href="/faq">FAQ</a> <a href="/contact">Contact</a></nav></header>
<main><h1>{title}</h1>
<p>{BODY}</p>
{body}
<p>Questions about the reservoirs can be sent to the board's customer service, which
answers on working days; the board's annual report sets out how the reservoirs were
managed over the year and what was spent on their upkeep.</p>
</main>
<footer><p>{footer}</p><p>© 2024 Nordvik Water Board</p></footer></body></html>"""


def _source(html: str, kind: str | None = None) -> Source:
    (document,) = extract_html(html, source="page.html").documents
    source, _ = build_source(document, provenance=Provenance(), kind=kind)
    assert source is not None
    return source


# --- the cues, one page each ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "url"),
    [
        ("Reservoir levels dashboard", "", None),
        ("Frequently asked questions about water charges", "", None),
        ("FAQs", "", None),
        ("About us", "", None),
        ("Our board", "", "https://nordvik-water.example.org/about-us/"),
        ("Contact the board", "", "https://nordvik-water.example.org/contact"),
        ("Reservoir levels", "<p>This page is updated every Monday morning.</p>", None),
        ("Reservoir levels", "<p>The figures below are updated daily at 06:00.</p>", None),
        ("Reservoir levels", "<p>Last updated: 3 May 2024</p>", None),
        ("Reservoir levels", "<p>Page updated 12.03.2024</p>", None),
        ("Reservoir levels", "<p>Live data from the gauges at each dam.</p>", None),
    ],
)
def test_a_page_that_says_it_changes_is_marked(title: str, body: str, url: str | None) -> None:
    kwargs = {"url": url} if url else {}
    source = _source(_page(title, body, **kwargs))
    assert source.kind == "webpage"
    assert source.changes is True
    assert source.provenance.extracted["changes"]  # how it was found, for review


def test_a_stable_page_is_not_marked() -> None:
    source = _source(_page("How the reservoirs are managed"))
    assert source.changes is None
    assert "changes" not in source.provenance.extracted


@pytest.mark.parametrize(
    "footer",
    ["Page last updated: 3 May 2024", "Last updated 3 May 2024. This site is updated daily."],
)
def test_a_last_updated_line_in_the_site_chrome_is_not_a_cue(footer: str) -> None:
    source = _source(_page("How the reservoirs are managed", footer=footer))
    assert source.changes is None


def test_a_press_release_with_an_update_notice_is_a_fixed_document() -> None:
    release = _page(
        "Board approves new reservoir reserve",
        "<p>Last updated: 3 May 2024</p><p>The figures are updated monthly.</p>",
        head='<meta name="DC.type" content="Press release">',
        footer="Page last updated: 3 May 2024",
    )
    source = _source(release)
    assert source.kind == "press-release"
    assert source.changes is None


def test_a_sentence_that_mentions_an_update_is_not_a_notice() -> None:
    body = "<p>Last updated in 2019, the drought plan sets out when the board restricts use.</p>"
    assert changing_cue("Drought plan", None, [body]) is None
    assert (
        changing_cue("Drought plan", None, ["The drought plan was last updated in 2019."]) is None
    )


def test_user_says_yes_or_no_with_set() -> None:
    html = _page("How the reservoirs are managed")
    (document,) = extract_html(html, source="page.html").documents
    for value, expected in (("yes", True), ("no", False)):
        edited = apply_overrides(document, {"changes": value})
        source, _ = build_source(edited, provenance=Provenance())
        assert source is not None and source.changes is expected
        assert source.provenance.extracted["changes"] == "given by the user"
    with pytest.raises(InputError, match="yes or no"):
        apply_overrides(document, {"changes": "sometimes"})


# --- news websites and newspapers -------------------------------------------------------

ARTICLE = """<!doctype html>
<html lang="en"><head><title>Harbour pilots vote to strike over night shifts</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site}">
<meta name="author" content="Oda Fenwick">
<meta property="article:published_time" content="2024-06-03T08:00:00Z">
<link rel="canonical" href="{url}">{head}</head>
<body><main><article><h1>Harbour pilots vote to strike over night shifts</h1>
<p class="byline">By Oda Fenwick</p>
<p>Harbour pilots at the port of Nordvik have voted to strike over new night-shift rosters,
their union said on Monday, in a dispute that could hold up ferries for a week.</p>
<p>The port authority said it regretted the vote and would meet the union on Wednesday to
discuss the rosters, which were introduced in April to cover longer opening hours.</p>
</article></main></body></html>"""


def _article(site: str, url: str, head: str = "") -> Document:
    (document,) = extract_html(
        ARTICLE.format(site=site, url=url, head=head), source="article.html"
    ).documents
    return document


@pytest.mark.parametrize(
    ("site", "url", "expected"),
    [
        ("CNN", "https://edition.cnn.com/2024/06/03/europe/pilots-strike", "news-site"),
        ("BBC News", "https://www.bbc.co.uk/news/articles/c0000000", "news-site"),
        ("Reuters", "https://www.reuters.com/world/europe/pilots-strike-2024-06-03/", "news-site"),
        ("The New York Times", "https://www.nytimes.com/2024/06/03/world/pilots.html", "newspaper"),
        ("Nordvik", "https://www.nytimes.com/2024/06/03/world/pilots.html", "newspaper"),
    ],
)
def test_known_outlets_give_the_container_type(site: str, url: str, expected: str) -> None:
    document = _article(site, url)
    source, _ = build_source(document, provenance=Provenance(), kind="news-article")
    assert source is not None
    assert source.container_type == expected
    assert "known" in source.provenance.extracted["container-type"]


def test_a_broadcaster_byline_page_is_a_news_article() -> None:
    source, _ = build_source(
        _article("CNN", "https://edition.cnn.com/2024/06/03/europe/pilots-strike"),
        provenance=Provenance(),
    )
    assert source is not None
    assert (source.kind, source.container_type, source.container_title) == (
        "news-article",
        "news-site",
        "CNN",
    )


def test_an_unknown_outlet_is_left_undecided_and_json_ld_newspaper_decides() -> None:
    url = "https://harbourgazette.example/2024/06/03/pilots"
    source, _ = build_source(
        _article("The Harbour Gazette", url), provenance=Provenance(), kind="news-article"
    )
    assert source is not None and source.container_type is None
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "Newspaper", "name": "The Harbour Gazette"}</script>'
    )
    source, _ = build_source(
        _article("The Harbour Gazette", url, ld), provenance=Provenance(), kind="news-article"
    )
    assert source is not None and source.container_type == "newspaper"


def test_a_web_page_of_a_news_outlet_gets_no_container_type() -> None:
    source, _ = build_source(
        _article("CNN", "https://edition.cnn.com/about"), provenance=Provenance(), kind="webpage"
    )
    assert source is not None and source.container_type is None


def test_the_outlet_table_is_well_formed() -> None:
    folder = Path(outlets.__file__).parent
    seen: dict[str, str] = {}
    for line in (folder / "news_outlets.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        container, name, domains = line.split("\t")
        assert container in CONTAINER_TYPES, line
        assert domains.split() and all("." in d and d == d.lower() for d in domains.split())
        assert seen.setdefault(name.casefold(), container) == container, name
    assert outlets.container_type(["HuffPost"], None) == (
        "news-site",
        "site name 'HuffPost' (a known news website)",
    )
    assert outlets.container_type([], "https://example.org/") is None


def test_a_text_copy_of_a_faq_is_marked_and_its_chrome_is_not_read() -> None:
    from policycite.capture.plaintext import extract_text

    faq = (
        "Home | About | Contact | Last updated 3 May 2024\n"
        "Frequently asked questions about water charges\n"
        f"{BODY}\n"
        "Charges are billed every quarter; households can ask for monthly bills if they "
        "prefer to spread the cost of water over the year.\n"
    )
    (document,) = extract_text(faq, source="faq.txt").documents
    assert document.first("changes") is not None
    stable = faq.replace("Frequently asked questions about water charges", "Water charges")
    (document,) = extract_text(stable, source="stable.txt").documents
    assert document.first("changes") is None  # the menu line's "Last updated" is chrome


def test_the_add_command_takes_changes_and_container_type(tmp_path: Path, capsys) -> None:
    from policycite.cli import main

    page = tmp_path / "faq.html"
    page.write_text(_page("Frequently asked questions about water charges"), encoding="utf-8")
    folder = tmp_path / "references"
    args = ["add", str(page), "-l", str(folder), "--accessed", "2024-03-05"]
    # exit 1: the page has no date (PC305), a warning
    assert main([*args, "--set", "changes=no", "--dry-run"]) == 1
    assert "  changes     no  [given by the user]" in capsys.readouterr().out
    assert main(args) == 1
    assert "  changes     yes  [title " in capsys.readouterr().out
    (record,) = folder.glob("*.yaml")
    assert "custom:\n  changes: true\n" in record.read_text(encoding="utf-8")
    assert main([*args, "--set", "container-type=blog"]) == 2
    assert "container-type= takes newspaper or news-site" in capsys.readouterr().err
