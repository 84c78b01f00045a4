"""Robust Links in HTML output (issue 15, item 5).

A web reference's printed address becomes ``<a href data-originalurl data-versionurl
data-versiondate>`` (https://robustlinks.mementoweb.org/spec/), its text exactly as the
style printed it; the check report does the same for the corrected reference list and
links each quotation found in its source to the passage there (Text Fragments) on the
live page and in the archived copy. Plain text output is unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest

import policycite as pc
from policycite.anchors.fragments import deep_link
from policycite.brief.structure import parse_brief
from policycite.cli import main
from policycite.formats.cslyaml import loads
from policycite.library import load_library
from policycite.model import Name, PartialDate
from policycite.output.corrected import Run
from policycite.output.html import runs_html, to_html
from policycite.output.jsonreport import schema, to_dict
from policycite.render.engine import Renderer
from policycite.render.robust import RobustLink, link_urls, memento_date, robust_link
from policycite.rules.result import CheckResult
from policycite.rules.validate import check
from test_output import chromium

from httpserver import page, serve
from libraries import write_library

LIVE = "https://heat.example/plan?a=1&b=\"x\"&c='y'"
ARCHIVE = "https://web.archive.org/web/20240503101500/https://cold.example/plan"

RECORDS = """
- id: heat2024
  kind: webpage
  title: Heat plan
  author: [{literal: Ministry of Heat}]
  issued: 2024-03-01
  container-title: Heat Portal
  URL: "https://heat.example/plan?a=1&b=\\"x\\"&c='y'"
  accessed: 2024-05-02
- id: cold2024
  kind: webpage
  title: Cold plan
  author: [{literal: Ministry of Cold}]
  issued: 2024-03-01
  URL: https://cold.example/plan
  accessed: 2024-05-02
  custom:
    provenance:
      archive-url: https://web.archive.org/web/20240503101500/https://cold.example/plan
      archive-date: 2024-05-03
- id: tide2024
  kind: webpage
  title: Tide tables
  author: [{literal: Tide Office}]
  URL: https://tide.example/tables
  accessed: 2024-05-02
  custom:
    changes: true
    provenance:
      archive-url: https://web.archive.org/web/20240504080000/https://tide.example/tables
- id: lee2018
  kind: journal-article
  title: Measuring port state control
  author: [{family: Lee, given: Soo}]
  issued: 2018
  container-title: Maritime Policy Review
  volume: "12"
  page: 201-219
  DOI: 10.5555/mpr.2018.12.3.201
- id: undated
  kind: webpage
  title: A page with no date to give
  author: [{literal: Nobody}]
  issued: 2020
  URL: https://nobody.example/page
"""


@pytest.fixture(scope="module")
def library() -> pc.Library:
    result = loads(RECORDS, "robust.yaml")
    assert not result.findings, result.findings
    return result.library


def _entry(library: pc.Library, key: str, output: str = "html", **options: Any) -> str:
    result = Renderer(library, "apa", output=output, **options).bibliography([key])
    assert not result.findings, result.findings
    (entry,) = result.entries
    return entry


def _anchors(fragment: str) -> list[Any]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return list(root.iter("a"))


# --- the values ---------------------------------------------------------------------------


def test_values_from_provenance(library: pc.Library) -> None:
    assert robust_link(library["heat2024"]) == RobustLink(LIVE, None, "2024-05-02")
    # The archived copy's date, not the access date: the version the link leads to.
    assert robust_link(library["cold2024"]) == RobustLink(
        "https://cold.example/plan", ARCHIVE, "2024-05-03"
    )
    # No archive date in the record: the capture date in the Wayback address.
    tide = robust_link(library["tide2024"])
    assert tide is not None
    assert tide.version_date == "2024-05-04"
    # The spec requires a date: without one there is no Robust Link (a plain link).
    assert robust_link(library["undated"]) is None
    assert robust_link(library["lee2018"]) is None  # no URL


def test_memento_dates() -> None:
    assert memento_date(ARCHIVE) == "2024-05-03"
    assert memento_date("https://web.archive.org/web/20240503id_/https://x.example/") == (
        "2024-05-03"
    )
    assert memento_date("https://wayback.archive-it.org/123/20200101000000/http://x/") == (
        "2020-01-01"
    )
    assert memento_date("https://archive.ph/abcde") is None
    assert memento_date("https://web.archive.org/web/20241399000000/https://x/") is None
    assert memento_date(None) is None


# --- HTML bibliographies ------------------------------------------------------------------


def test_live_page_with_quotes_and_ampersands(library: pc.Library) -> None:
    attr = "https://heat.example/plan?a=1&amp;b=&quot;x&quot;&amp;c=&#x27;y&#x27;"
    assert _entry(library, "heat2024") == (
        "Ministry of Heat. (2024, March 1). <i>Heat plan</i>. Heat Portal. "
        f'<a href="{attr}" data-originalurl="{attr}" data-versiondate="2024-05-02">'
        "https://heat.example/plan?a=1&amp;b=\"x\"&amp;c='y'</a>"
    )
    (anchor,) = _anchors(_entry(library, "heat2024"))
    assert anchor.get("href") == LIVE
    assert anchor.get("data-originalurl") == LIVE
    assert anchor.get("data-versionurl") is None
    assert anchor.text == LIVE


def test_live_page_with_an_archived_copy(library: pc.Library) -> None:
    # A stable page: APA prints the live URL; the memento rides along.
    assert _entry(library, "cold2024") == (
        "Ministry of Cold. (2024, March 1). <i>Cold plan</i>. "
        '<a href="https://cold.example/plan" data-originalurl="https://cold.example/plan" '
        f'data-versionurl="{ARCHIVE}" data-versiondate="2024-05-03">'
        "https://cold.example/plan</a>"
    )


def test_printed_archived_copy_is_the_href(library: pc.Library) -> None:
    # A page that changes, archived: APA cites the archived copy (Manual 9.16), so the
    # link leads there and data-originalurl keeps the live page.
    tide = "https://web.archive.org/web/20240504080000/https://tide.example/tables"
    (anchor,) = _anchors(_entry(library, "tide2024"))
    assert dict(anchor.attrib) == {
        "href": tide,
        "data-originalurl": "https://tide.example/tables",
        "data-versionurl": tide,
        "data-versiondate": "2024-05-04",
    }
    assert anchor.text == tide  # one link: the live URL inside it is not linked again


def test_doi_is_a_plain_link(library: pc.Library) -> None:
    entry = _entry(library, "lee2018")
    assert entry.endswith(
        '<a href="https://doi.org/10.5555/mpr.2018.12.3.201">'
        "https://doi.org/10.5555/mpr.2018.12.3.201</a>"
    )


def test_undated_page_gets_a_plain_link(library: pc.Library) -> None:
    (anchor,) = _anchors(_entry(library, "undated"))
    assert dict(anchor.attrib) == {"href": "https://nobody.example/page"}


def test_text_is_what_the_style_printed(library: pc.Library) -> None:
    keys = list(library.keys)
    text = pc.render_bibliography(library, "apa", keys=keys).entries
    linked = pc.render_bibliography(library, "apa", output="html", keys=keys).entries
    plain = Renderer(library, "apa", output="html", links=False).bibliography(keys).entries
    assert all("<a" not in e for e in text)
    assert all("<a" not in e for e in plain)
    assert sum(e.count("<a ") for e in linked) == 5
    for t, h, p in zip(text, linked, plain, strict=True):
        # The links only wrap the printed text: remove them and the HTML is citeproc's.
        root = lxml.html.fragment_fromstring(h, create_parent="div")
        for anchor in root.iter("a"):
            anchor.drop_tag()
        assert lxml.html.tostring(root, encoding="unicode")[5:-6] == p
        assert lxml.html.fragment_fromstring(h, create_parent="div").text_content() == t


def test_only_web_addresses_become_links() -> None:
    source = loads(
        "- id: x\n  kind: webpage\n  title: T\n  issued: 2020\n"
        "  URL: ftp://files.example/a\n  accessed: 2024-01-01\n",
        "x.yaml",
    ).library["x"]
    entry = "T. (2020). ftp://files.example/a"
    assert link_urls(entry, source) == entry
    # An http address in the text that is not the source's is left alone.
    other = "See https://elsewhere.example/ too"
    assert link_urls(other, source) == other


def test_note_citations_link_too(library: pc.Library) -> None:
    clusters = pc.parse_citations("[@cold2024]")
    result = pc.render_citations(library, clusters, "chicago-notes-bibliography", output="html")
    (anchor,) = _anchors(result.entries[0])
    assert anchor.get("href") == "https://cold.example/plan"
    assert anchor.get("data-versionurl") == ARCHIVE


def test_format_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "robust.yaml"
    path.write_text(RECORDS, encoding="utf-8")
    assert main(["format", str(path), "--to", "html", "--keys", "cold2024"]) == 0
    out = capsys.readouterr().out
    assert out == (
        '<div class="csl-bib-body">\n  <div class="csl-entry">Ministry of Cold. (2024, March 1). '
        '<i>Cold plan</i>. <a href="https://cold.example/plan" '
        f'data-originalurl="https://cold.example/plan" data-versionurl="{ARCHIVE}" '
        'data-versiondate="2024-05-03">https://cold.example/plan</a></div>\n</div>\n'
    )
    assert main(["format", str(path), "--keys", "cold2024"]) == 0
    assert capsys.readouterr().out == (
        "Ministry of Cold. (2024, March 1). Cold plan. https://cold.example/plan\n"
    )


# --- the check report ---------------------------------------------------------------------

CAPTURED_AT = "2024-04-03T09:00:00+00:00"
SPEECH_URL = "https://www.energy.example/speeches/2024-04-02-minister"
SPEECH_ARCHIVE = f"https://web.archive.org/web/20240403090000/{SPEECH_URL}"
SOURCES: list[tuple[dict[str, object], list[str] | None]] = [
    (
        {
            "key": "halden2024",
            "kind": "speech",
            "title": "Address to the heat networks conference",
            "authors": [Name.person("Halden", "Mira")],
            "issued": PartialDate(2024, 4, 2),
            "language": "en",
            "url": SPEECH_URL,
            "accessed": PartialDate(2024, 4, 3),
            "archive_url": SPEECH_ARCHIVE,
            "archive_date": PartialDate(2024, 4, 3),
        },
        [
            "# Address to the heat networks conference",
            "Thank you for having me at this conference.",
            "Every town with a river or a mine shaft has heat under its feet that nobody "
            "uses yet, and we will help councils to use it.",
            "The first grants will be paid in the autumn.",
        ],
    ),
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    folder = tmp_path_factory.mktemp("robust") / "references"
    folder.mkdir()
    write_library(folder, SOURCES, CAPTURED_AT)
    records = load_library(folder).library
    (entry,) = Renderer(records, "apa").bibliography(["halden2024"]).entries
    body = (
        "The minister said that every town with a river or a mine shaft has heat under its "
        "feet that nobody uses yet (Halden, 2024, para. 2): quoted as \u201cEvery town with "
        "a river or a mine shaft has heat under its feet that nobody uses yet\u201d "
        "(Halden, 2024, para. 2)."
    )
    brief = parse_brief(f"# Brief\n\n{body}\n\n## References\n\n{entry}\n", format="markdown")
    return check(brief, records, folder)


QUOTE = "Every town with a river or a mine shaft has heat under its feet that nobody uses yet"


def test_report_links_the_quotation_to_its_passage(checked: CheckResult) -> None:
    (quotation,) = [h for h in checked.highlights if h.kind == "quotation"]
    assert quotation.status == "verbatim"
    links = quotation.links
    assert links is not None
    assert (links.key, links.paragraph) == ("halden2024", 2)
    assert links.live == deep_link(SPEECH_URL, QUOTE)
    assert links.archived == deep_link(SPEECH_ARCHIVE, QUOTE)

    root = lxml.html.document_fromstring(to_html(checked))
    (passage,) = root.find_class("passage")
    assert passage.get("data-source") == "halden2024"
    live, archived = passage.iter("a")
    assert live.text == "open in source"
    assert live.get("href") == (
        f"{SPEECH_URL}#:~:text=Every%20town%20with%20a,that%20nobody%20uses%20yet"
    )
    assert archived.text == "archived copy"
    assert archived.get("href") == (
        f"{SPEECH_ARCHIVE}#:~:text=Every%20town%20with%20a,that%20nobody%20uses%20yet"
    )
    assert "fragment" in live.get("class") and "archived" in archived.get("class")
    # Beside the paragraph that holds the quotation.
    row = passage.getparent().getparent()
    assert "quotation" in {m.get("class") for m in row.iter("mark")}


def test_report_corrected_list_has_robust_links(checked: CheckResult) -> None:
    root = lxml.html.document_fromstring(to_html(checked))
    (section,) = root.find_class("corrected")
    (anchor,) = section.iter("a")
    assert anchor.get("href") == SPEECH_URL
    assert anchor.get("data-originalurl") == SPEECH_URL
    assert anchor.get("data-versionurl") == SPEECH_ARCHIVE
    assert anchor.get("data-versiondate") == "2024-04-03"
    assert anchor.text_content() == SPEECH_URL
    # Self-contained still: no script, no stylesheet or script from elsewhere.
    assert not root.xpath("//script | //link | //*[@src]")


def test_json_report_carries_the_links(checked: CheckResult) -> None:
    document = json.loads(json.dumps(to_dict(checked)))
    jsonschema.validate(document, schema())
    (quotation,) = [h for h in document["highlights"] if h["kind"] == "quotation"]
    assert quotation["links"] == {
        "source": "halden2024",
        "paragraph": 2,
        "live": deep_link(SPEECH_URL, QUOTE),
        "archived": deep_link(SPEECH_ARCHIVE, QUOTE),
    }
    assert all("links" not in h for h in document["highlights"] if h["kind"] != "quotation")
    assert "data-versionurl" in document["corrected"][0]["html"]


def test_text_report_is_unchanged(checked: CheckResult) -> None:
    assert checked.corrected == (
        "Halden, M. (2024, April 2). Address to the heat networks conference [Speech "
        f"transcript]. {SPEECH_URL}",
    )


def test_link_values_are_checked_before_they_are_written() -> None:
    bad = (("href", "javascript:alert(1)"),)
    assert runs_html([Run("x", link=bad)]) == "x"
    written = runs_html(
        [
            Run("a ", link=(("href", 'https://x.example/?q="><b>'),)),
            Run("b", italic=True, link=(("href", 'https://x.example/?q="><b>'),)),
            Run(
                " c",
                link=(
                    ("href", "https://y.example/"),
                    ("data-versionurl", "javascript:1"),
                    ("data-versiondate", "2024-01-02"),
                    ("onclick", "alert(1)"),
                ),
            ),
        ]
    )
    assert written == (
        '<a class="link" href="https://x.example/?q=&quot;&gt;&lt;b&gt;" '
        'rel="noopener noreferrer">a <i>b</i></a>'
        '<a class="link" href="https://y.example/" data-versiondate="2024-01-02" '
        'rel="noopener noreferrer"> c</a>'
    )


# --- the links in a browser ---------------------------------------------------------------

_SCROLL_PROBE = (
    '<div id="scroll">none</div><script>setTimeout(function () {'
    "document.getElementById('scroll').textContent = 'scroll=' + window.scrollY;}, 500);"
    "</script>"
)


def _page(paragraphs: list[str], toolbar: str = "") -> str:
    filler = "".join(f"<p>Filler paragraph {i} of the page.</p>" for i in range(150))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{toolbar}'
        f"{filler}{body}{filler}{_SCROLL_PROBE}</body></html>"
    )


def _scrolled(tmp_path: Path, url: str) -> int:
    """How far Chromium scrolled a page opened at ``url`` (a Text Fragment scrolls)."""
    done = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # root in containers; the pages are the test server's
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            # Offline but for the test server.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=3000",  # lets the page's timer run before the dump
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    found = re.search(r'id="scroll">scroll=(\d+)<', done.stdout)
    assert found, done.stdout[-500:] + done.stderr[-2000:]
    return int(found.group(1))


def test_passage_links_open_the_passage_in_chromium(tmp_path: Path) -> None:
    # The Wayback Machine replays a capture as the page itself (its toolbar inserted in
    # the page, no frame): the archive here answers the same way.
    _, paragraphs = SOURCES[0]
    assert paragraphs is not None
    text = [p for p in paragraphs if not p.startswith("# ")]
    toolbar = '<div id="wm-ipp-base">Wayback Machine · 12 captures · 3 Apr 2024</div>'
    with serve({"/speech": page(_page(text)), "/web/speech": page(_page(text, toolbar))}) as server:
        fields, blocks = SOURCES[0]
        live, archive = server.url("/speech"), server.url("/web/speech")
        folder = tmp_path / "references"
        folder.mkdir()
        write_library(
            folder, [({**fields, "url": live, "archive_url": archive}, blocks)], CAPTURED_AT
        )
        records = load_library(folder).library
        (entry,) = Renderer(records, "apa").bibliography(["halden2024"]).entries
        body = f"She said \u201c{QUOTE}\u201d (Halden, 2024, para. 2)."
        brief = parse_brief(f"# B\n\n{body}\n\n## References\n\n{entry}\n", format="markdown")
        (links,) = [h.links for h in check(brief, records, folder).highlights if h.links]
        assert links.live is not None and links.archived is not None
        assert _scrolled(tmp_path, live) == 0
        assert _scrolled(tmp_path, deep_link(live, "words that are not on the page")) == 0
        assert _scrolled(tmp_path, links.live) > 2000
        assert _scrolled(tmp_path, links.archived) > 2000
