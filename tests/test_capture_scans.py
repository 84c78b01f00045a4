"""The cheap paths of HTML extraction's tree scans give what the full scans give.

Labels, breadcrumbs, number and byline elements are looked for only where the page's
text can hold them (policycite.capture.spelled), labels only among texts whose first
character can open one, and trafilatura's second run (tables) only on pages with tables.
Each test here is a page where a shortcut taken wrongly would lose a field.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from policycite.capture import html
from policycite.capture.document import Document
from policycite.capture.html import extract_html
from policycite.capture.spelled import Spelled


def _doc(body: str, head: str = "", url: str | None = None) -> Document:
    page = extract_html(f"<html><head>{head}</head><body>{body}</body></html>", url=url)
    return page.documents[0]


def _kinds(doc: Document) -> list[tuple[str, str]]:
    return [(e.value, e.how) for e in doc.fields.get("kind", ())]


# --- Spelled -------------------------------------------------------------------------------


def test_spelled_answers_from_the_text() -> None:
    spelled = Spelled('<div class="BreadCrumb">x</div><p class="byline">By A</p>')
    assert spelled.may_hold("byline")
    assert not spelled.may_hold("author", "-number")
    assert spelled.may_hold("author", "byline")
    assert spelled.spellings("breadcrumb") == {"BreadCrumb"}
    assert spelled.spellings("rumbread") == set()
    many = Spelled("<i class='breadcrumb'></i><i id='BREADCRUMBs'></i><p>Breadcrumb</p>")
    assert many.spellings("breadcrumb") == {"breadcrumb", "BREADCRUMB", "Breadcrumb"}


@pytest.mark.parametrize(
    "reference", ["&#114;", "&#x72;", "&#X72", "&#0114;", "&#x0072;", "&#114abc", "&#82;"]
)
def test_spelled_gives_up_on_references_to_a_letter_of_the_word(reference: str) -> None:
    # The parser builds "r" (or "R") from these: the text no longer shows every spelling.
    spelled = Spelled(f"<p>{reference}</p>")
    assert spelled.spellings("breadcrumb") is None
    assert spelled.may_hold("author") is (reference != "&#82;")  # as written: "R" is not "r"
    assert not spelled.may_hold("byline")


@pytest.mark.parametrize(
    ("reference", "char"), [("&#9;", "\t"), ("&#x0C;", "\x0c"), ("&#31", "\x1f")]
)
def test_spelled_characters_built_by_references(reference: str, char: str) -> None:
    assert Spelled(f"<p>{reference}</p>").may_hold(char)
    assert not Spelled(f"<p>{reference}</p>").may_hold("\x0b")


def test_spelled_fj_ligature() -> None:
    assert Spelled("<p>&fjlig;</p>").may_hold("fjord")
    assert not Spelled("<p>&fjlig;</p>").may_hold("author")


@pytest.mark.parametrize(
    "reference", ["&#128;", "&#x80;", "&#8217;", "&#x2019;", "&amp;", "&#39;", "&#x72ab;"]
)
def test_spelled_keeps_answering_past_other_references(reference: str) -> None:
    spelled = Spelled(f"<p>{reference} byline</p>")
    assert not spelled.may_hold("author")
    assert spelled.spellings("breadcrumb") == set()


# --- labels ----------------------------------------------------------------------------------


def test_label_initials_hold_every_character_a_label_can_open_with() -> None:
    # A character c can open a label when c + "ress release" (and so on) is one once
    # squashed: compared for every character that case folding or NFC can change, and every
    # space. A space must be an initial or a control (whose pages take every text).
    words = [w for pattern, _kind in html._SECTION_KIND for w in _spellings(pattern.pattern)]
    missing = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        if char.isspace():
            if char not in " \t\r\n" and char not in html._LABEL_INITIALS + html._LABEL_CONTROLS:
                missing.append(char)
            continue
        if char.lower() == char.upper() and unicodedata.is_normalized("NFC", char):
            continue  # uncased and unchanged by NFC: matches only itself
        if char in html._LABEL_INITIALS:
            continue
        for word in words:
            label = html._squash(char + word[1:])
            if html._section_kind(label, plural_ok=False):
                missing.append(char)
                break
    assert missing == []


def _spellings(pattern: str) -> list[str]:
    # One label each alternative of _SECTION_KIND matches (their first letters differ).
    return {
        "press-release": ["press release", "news release", "media release", "communiqué"],
        "speech": ["speech", "discours", "rede", "выступления"],
        "statement": ["statement", "заявления"],
    }[next(kind for p, kind in html._SECTION_KIND if p.pattern == pattern)] + (
        ["pressemitteilung", "nota de prensa", "пресс-релиз"] if "prensa" in pattern else []
    )


@pytest.mark.parametrize(
    ("label", "how"),
    [
        ("Speech", "label 'Speech'"),
        ("  STATEMENT ", "label 'STATEMENT'"),
        ("Заявления", "label 'Заявления'"),
        ("выступления", "label 'выступления'"),
        ("Speeches", None),  # plural: a section name, not a label
        ("Pressemitteilung Nr. 12/2025", "label 'Pressemitteilung'"),
        ("Media release · Energy", "label 'Media release'"),
        ("\x0cPress release", "label 'Press release'"),  # a control: every text is read
        ("\x1fNews release", "label 'News release'"),
        ("&#12;Speech", "label 'Speech'"),  # the control built by a reference
    ],
)
def test_labels_are_found(label: str, how: str | None) -> None:
    doc = _doc(f"<div><span>{label}</span></div><h1>Fund opens</h1><p>Text.</p>")
    hows = [h for _value, h in _kinds(doc) if h.startswith("label")]
    assert hows == ([how] if how else [])


def test_labels_in_links_and_chrome_are_not_labels() -> None:
    doc = _doc(
        "<nav><p>Press release</p></nav><p><a href='/pr'>Press release</a></p>"
        "<button>Speech</button><h1>Fund opens</h1><p>Text.</p>"
    )
    assert _kinds(doc) == [("webpage", "no kind found in markup or wording")]


# --- breadcrumbs, numbers, bylines ---------------------------------------------------------


@pytest.mark.parametrize(
    "attribute",
    [
        'class="BreadCrumb-list"',
        'id="site-BREADCRUMB"',
        'aria-label="Breadcrumb"',
        'class="b&#114;eadcrumb"',  # spelled by a reference only
        'class="x" id="BreadCrumb"><li>Menu</li></ol><ol class="Breadcrumb"',  # two spellings
    ],
)
def test_breadcrumbs_are_found(attribute: str) -> None:
    doc = _doc(f"<ol {attribute}><li>Home</li><li>Speeches</li></ol><h1>Talk</h1><p>Text.</p>")
    assert ("speech", "breadcrumb 'Speeches'") in _kinds(doc)


def test_no_breadcrumb_without_the_word() -> None:
    doc = _doc("<ol class='crumbs'><li>Home</li><li>Speeches</li></ol><h1>Talk</h1><p>Text.</p>")
    assert not [h for _v, h in _kinds(doc) if h.startswith("breadcrumb")]


@pytest.mark.parametrize("cls", ["press-release-number", "document-number", "release&#45;number"])
def test_number_elements_are_found(cls: str) -> None:
    doc = _doc(f"<h1>Fund opens</h1><p class='{cls}'>Press release No. 12/2025</p><p>Text.</p>")
    assert (doc.fields["number"][0].value, doc.fields["number"][0].how) == (
        "12/2025",
        f"element class {cls.replace('&#45;', '-')!r}",
    )


def test_no_number_element_without_the_class() -> None:
    doc = _doc("<h1>Fund opens</h1><p class='number'>Press release No. 12/2025</p><p>Text.</p>")
    assert [e.how for e in doc.fields["number"]] == ["label line above the body"]


@pytest.mark.parametrize(
    "marked",
    [
        "<p class='article-byline'>By Marta Lindqvist</p>",
        "<span itemprop='author'>Marta Lindqvist</span>",
        "<a rel='author' href='/m'>Marta Lindqvist</a>",
        "<span itemprop='&#97;uthor'>Marta Lindqvist</span>",
    ],
)
def test_bylines_are_found(marked: str) -> None:
    doc = _doc(f"<h1>Port cities race to adapt</h1>{marked}<p>Text.</p>")
    assert [(e.value, e.how) for e in doc.fields["author"]] == [("Marta Lindqvist", "byline")]


# --- trafilatura's second run ----------------------------------------------------------------


def _runs(monkeypatch: pytest.MonkeyPatch, page: str) -> tuple[list[bool], Document]:
    runs: list[bool] = []
    real = html.trafilatura_xml

    def counted(root: object, *, tables: bool) -> str | None:
        runs.append(tables)
        return real(root, tables=tables)  # type: ignore[arg-type]

    monkeypatch.setattr(html, "trafilatura_xml", counted)
    return runs, extract_html(page).documents[0]


def test_no_second_run_without_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    short = "<p>One short paragraph of the notice, which is all the page holds.</p>"
    page = f"<html><body><h1>Notice</h1>{short}</body></html>"
    runs, doc = _runs(monkeypatch, page)
    assert runs == [False]  # under 3 blocks, but no table: a second run would repeat it
    assert doc.blocks and "all the page holds." in doc.blocks[-1].text
    monkeypatch.setattr(html, "_has_tables", lambda root: True)  # the run it skipped
    runs, both = _runs(monkeypatch, page)
    assert runs == [False, True]
    assert both == doc


def test_second_run_on_pages_with_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "".join(
        f"<tr><td>Harbour {i}</td><td>{3 * i} ships a week in the season</td></tr>"
        for i in range(6)
    )
    first = "<p>The harbour fund opens on Monday for every council of the region.</p>"
    page = f"<html><body><h1>Fund</h1>{first}<table>{rows}</table></body></html>"
    runs, doc = _runs(monkeypatch, page)
    assert runs == [False, True]  # the table's rows are the text's: the second run finds them
    assert [b.text for b in doc.blocks][1:3] == [
        "Harbour 0 | 0 ships a week in the season",
        "Harbour 1 | 3 ships a week in the season",
    ]


def test_breadcrumbs_spelled_many_ways() -> None:
    # Past _MAX_SPELLINGS the scan compares case-folded: the same texts are found.
    spellings = [
        "".join(c.upper() if n >> i & 1 else c for i, c in enumerate("breadcrumb"))
        for n in range(html._MAX_SPELLINGS + 1)
    ]
    assert len(set(spellings)) == html._MAX_SPELLINGS + 1
    decoys = "".join(f"<i class='{s}'></i>" for s in spellings[1:])
    doc = _doc(f"{decoys}<ol class='{spellings[0]}'><li>Speeches</li></ol><h1>Talk</h1><p>T.</p>")
    assert ("speech", "breadcrumb 'Speeches'") in _kinds(doc)
