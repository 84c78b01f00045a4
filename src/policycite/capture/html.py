"""Extract a citable document from a saved HTML page: its fields, with evidence, and its text.

:func:`extract_html` is the one entry point. Metadata is read here with lxml, in the order
that proved most reliable on policy pages (``citation_*`` → ``DC.*`` → JSON-LD → ``og:*``
→ ``<time>`` → ``<h1>`` → ``<title>``); trafilatura, which gives the best main text on real
pages but splits "Last, First" authors, ignores organisation authors and reports no
language, is used for the main text only, and htmldate for a date when the markup has
none. This module must not fetch anything: the page is parsed once, by a hardened lxml
parser (no network, no DTD, no entity expansion, no huge trees), and trafilatura and
htmldate get that parsed tree, never the text, so neither parses or downloads on its own.

Fields hold evidence best first. For single-valued fields (title, issued, url …) the
tuple lists *alternatives*, one per distinct value. ``author`` and ``issuer`` hold
several values: every person (organisation) named by the best source that names any, in
page order, one Evidence each; other sources are not mixed in, so that two spellings of
one name never become two authors.

The main text is found by the first of :data:`TEXT_METHODS` that gives three or more
blocks (else the first that gives any); the choice is logged at DEBUG level.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import htmldate
import lxml.html
import trafilatura
import trafilatura.settings
from lxml import etree
from trafilatura.core import determine_returnstring
from trafilatura.settings import Extractor

from policycite.capture import language, outlets, preamble
from policycite.capture.changing import changing_cue
from policycite.capture.cues import (
    event_date_from_heading,
    event_from_heading,
    event_place_from_heading,
    find_date,
    is_date_line,
    is_speech_heading,
    kind_cues,
    parse_date,
    speaker_from_heading,
    split_date,
)
from policycite.capture.document import Block, Document, Evidence, Page
from policycite.capture.spelled import Spelled
from policycite.errors import InputError
from policycite.findings import Finding, Location
from policycite.safeparse import cut_short, parse_html, parse_json, xml_parser

_log = logging.getLogger(__name__)

#: How the main text may be found, in the order tried.
TEXT_METHODS: Mapping[str, str] = {
    "trafilatura": "trafilatura without tables (table layouts would flatten into rows)",
    "trafilatura-tables": (
        "trafilatura with tables, when the first try gave under 3 blocks and the page has tables"
    ),
    "densest-paragraphs": "the element holding the most paragraph text, as a last resort",
}

# --- small text helpers --------------------------------------------------------------------


def _squash(text: str | None) -> str:
    """A field value: NFC, every run of whitespace (no-break spaces too) one space."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _fold(text: str) -> str:
    """A comparison key: case-folded words, trailing punctuation ignored."""
    return " ".join(text.casefold().split()).rstrip(" .:;,")


def _words(text: str) -> int:
    return len(text.split())


class _Fields:
    """Evidence per field, in the order added; single-valued fields drop repeated values."""

    def __init__(self) -> None:
        self.found: dict[str, list[Evidence]] = {}

    def add(self, name: str, value: str | None, how: str, *, heuristic: bool = False) -> None:
        value = _squash(value)
        if not value:
            return
        items = self.found.setdefault(name, [])
        if all(_fold(e.value) != _fold(value) for e in items):
            items.append(Evidence(value, how, heuristic))

    def values(self, name: str) -> list[str]:
        return [e.value for e in self.found.get(name, ())]

    def best(self, name: str) -> str | None:
        items = self.found.get(name)
        return items[0].value if items else None


# --- metadata: meta, link, JSON-LD ---------------------------------------------------------


class _Markup:
    """What the page's head (and JSON-LD anywhere) says, read once."""

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        self.meta: dict[str, list[tuple[str, str]]] = {}  # lower-cased key -> (as written, value)
        for el in root.iter("meta"):
            content = el.get("content")
            if content is None:
                continue
            for attr in ("name", "property", "http-equiv"):
                key = (el.get(attr) or "").strip()
                if key:
                    self.meta.setdefault(key.lower(), []).append((key, content))
        self.links: list[tuple[set[str], str]] = [
            (set((el.get("rel") or "").lower().split()), el.get("href") or "")
            for el in root.iter("link")
        ]
        self.ld_nodes: list[dict[str, Any]] = []
        self.ld_ids: dict[str, dict[str, Any]] = {}
        for script in root.iter("script"):
            kind = (script.get("type") or "").split(";")[0].strip().lower()
            if kind != "application/ld+json" or not script.text:
                continue
            try:
                # Depth-limited (MAX_JSON_DEPTH): a block nested deeper is skipped whole.
                data = parse_json(script.text, "JSON-LD")
            except InputError as err:
                _log.debug("skipping a JSON-LD block: %s", err)
                continue
            self._collect(data)

    def _collect(self, data: object) -> None:
        # A loop, not recursion: parse_json bounds the depth, but the walk needs no stack.
        pending = [data]
        while pending:
            item = pending.pop()
            if isinstance(item, list):
                pending.extend(reversed(item))
            elif isinstance(item, dict):
                if "@type" in item:
                    self.ld_nodes.append(item)
                if isinstance(item.get("@id"), str) and len(item) > 1:
                    self.ld_ids.setdefault(item["@id"], item)
                pending.extend(
                    value for value in reversed(item.values()) if isinstance(value, (dict, list))
                )

    def get(self, *keys: str) -> Iterator[tuple[str, str]]:
        """(key as written, value) of every meta tag with one of these keys, keys in order."""
        for key in keys:
            for written, value in self.meta.get(key.lower(), ()):
                if value.strip():
                    yield written, value

    def link(self, rel: str) -> str | None:
        return next((href for rels, href in self.links if rel in rels and href.strip()), None)

    def resolve(self, node: object) -> object:
        """A JSON-LD node with a bare ``{"@id": …}`` reference replaced by its definition."""
        if isinstance(node, dict) and set(node) <= {"@id", "@type"} and "@id" in node:
            return self.ld_ids.get(str(node["@id"]), node)
        return node

    def nodes_of(self, types: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
        wanted = set(types)
        out = []
        for node in self.ld_nodes:
            for name in _ld_types(node):
                if name in wanted:
                    out.append((name, node))
                    break
        return out


def _ld_types(node: Mapping[str, Any]) -> list[str]:
    raw = node.get("@type")
    items = raw if isinstance(raw, list) else [raw]
    # "schema:NewsArticle" and "http://schema.org/NewsArticle" name the same type.
    return [re.split(r"[/:#]", t)[-1] for t in items if isinstance(t, str)]


def _ld_text(value: object) -> str | None:
    """A JSON-LD property as text: a string, the first of a list, or a node's name/@id."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url") or value.get("@id")
        if isinstance(value, list):
            value = value[0] if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and value.strip() else None


# schema.org types whose node describes the document itself, most specific first.
_ARTICLE_TYPES = (
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "Report",
    "ScholarlyArticle",
    "BlogPosting",
    "TechArticle",
    "Article",
)
_ORG_TYPES = frozenset(
    "Organization GovernmentOrganization NGO Corporation NewsMediaOrganization "
    "EducationalOrganization CollegeOrUniversity ResearchOrganization LocalBusiness "
    "PoliticalParty Consortium FundingScheme OnlineBusiness MedicalOrganization "
    "PerformingGroup SportsOrganization WorkersUnion LibrarySystem Project".split()
)
_KIND_OF_TYPE = {
    "NewsArticle": "news-article",
    "ReportageNewsArticle": "news-article",
    "AnalysisNewsArticle": "news-article",
    "OpinionNewsArticle": "news-article",
    "BackgroundNewsArticle": "news-article",
    "Report": "report",
}
# Words that make a name an organisation's when markup does not say (DC.creator, meta author).
_ORG_WORDS = re.compile(
    r"\b(?:ministry|ministries|department|office|agency|council|commission|government"
    r"|authority|institute|institution|association|foundation|bank|union|organi[sz]ation"
    r"|university|secretariat|committee|embassy|parliament|federation|ltd|inc|gmbh|plc"
    r"|corporation|company|board|service|bureau|cent(?:re|er)|society|alliance|network"
    r"|trust|fund|programme|program|group|administration|press\s+office|directorate"
    r"|assembly|court|tribunal|observatory|forum|coalition|partnership|initiative)\b",
    re.IGNORECASE,
)


def _is_org_name(name: str) -> bool:
    return bool(_ORG_WORDS.search(name))


def _split_persons(text: str) -> list[str]:
    """Person names in one meta value, with "Petrova, Anna" kept whole.

    Splits on ";", " and ", "&" always; on "," only when every part has two words or more
    ("Marta Lindqvist, Oskar Feld"). Single-word parts in even number are paired as
    "Family, Given" ("Petrova, Anna, Li, Wei").
    """
    out: list[str] = []
    for chunk in re.split(r"\s*;\s*|\s+(?:and|&)\s+", text):
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if len(parts) <= 1 or all(_words(p) >= 2 for p in parts):
            out.extend(parts)
        elif all(_words(p) == 1 for p in parts) and len(parts) % 2 == 0:
            out.extend(f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2))
        else:
            out.append(", ".join(parts))
    return out


# --- dates, languages, URLs ----------------------------------------------------------------


def _iso_date(value: str) -> str | None:
    # Markup dates are written as the publisher's local date ("2024-03-12T23:30-05:00"):
    # keep that date rather than converting it to UTC.
    return parse_date(value.strip())


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def _language(value: str) -> str | None:
    """A BCP 47 tag in its usual case ("en_gb" → "en-GB"), or None if it is not one."""
    tag = value.split(",", maxsplit=1)[0].strip()
    if not _LANG_TAG.match(tag):
        return None
    parts = re.split(r"[-_]", tag)
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _absolute_url(value: str, base: str | None) -> str | None:
    href = value.strip()
    if base and not urlsplit(href).scheme:
        href = urljoin(base, href)
    return href if urlsplit(href).scheme in {"http", "https"} and urlsplit(href).netloc else None


# --- the <title> and the site name ---------------------------------------------------------

# " | Site", " - Site", " – Site", " — Site", " :: Site", " » Site", " · Site".
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|·|/)\s+")


def _strip_site(title: str, sites: Iterable[str]) -> tuple[str, str | None]:
    """The title without a known site name before or after a separator, and the separator."""
    for site in sites:
        folded_site = _fold(site)
        parts = _TITLE_SEPARATOR.split(title)
        seps = _TITLE_SEPARATOR.findall(title)
        if len(parts) < 2:
            break
        if _fold(parts[-1]) == folded_site:
            return _join_parts(parts[:-1], seps), seps[-1].strip()
        if _fold(parts[0]) == folded_site:
            return _join_parts(parts[1:], seps[1:]), seps[0].strip()
    return title, None


def _join_parts(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out


def _is_section_name(text: str) -> bool:
    """True for the name of a site's section ("Pressemitteilungen", "News"), not a site's."""
    return _section_kind(text, plural_ok=True) is not None or _fold(text) in _SECTION_NAMES


def _title_suffix(title: str) -> tuple[str, str, str] | None:
    """(title, site, separator) when the last part after a separator looks like a site name."""
    parts = _TITLE_SEPARATOR.split(title)
    seps = _TITLE_SEPARATOR.findall(title)
    if len(parts) < 2:
        return None
    head, tail, sep = _join_parts(parts[:-1], seps[:-1]), parts[-1], seps[-1].strip()
    if _is_section_name(tail):  # "Landesamt … - Pressemitteilungen": a section, no site
        return None
    if tail.endswith((".", "?", "!")) or _words(tail) > 8:
        return None
    # A bar almost always sets off a site name; a dash may be part of the title ("Floods -
    # what we know"), so there the tail must also be no longer than the head.
    if sep in {"-", "–", "—", "/"} and (_words(tail) > 6 or len(tail) > len(head)):
        return None
    return head, tail, sep


# Section names that end a listing page's <title> ("Landesamt … - Aktuelles"); press
# releases, speeches and statements are known by _SECTION_KIND.
_SECTION_NAMES = frozenset(
    "news|latest news|news and events|news and speeches|media|newsroom|press|presse|aktuelles"
    "|nachrichten|meldungen|actualités|actualites|noticias|publications|publikationen"
    "|consultations|blog|home|startseite|accueil|inicio".split("|")
)
# Link texts that name no site.
_GENERIC_LINKS = frozenset(
    "home|home page|homepage|start|startseite|accueil|inicio|главная|back to home|go to home"
    "|skip to main content|skip to content".split("|")
)


# --- the text: trafilatura's XML to blocks -------------------------------------------------

# No-break and other Unicode spaces are evidence of copy-paste (document.py keeps them), but
# trafilatura collapses every Unicode space. They cross it as printable placeholders (rare
# cuneiform signs) and are put back in the blocks.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u2028\u2029\u202f\u205f\u3000"
_PLACEHOLDERS = "".join(chr(0x12000 + i) for i in range(len(_SPACES)))
# trafilatura also merges "<br><br>", which old pages use between paragraphs: a mark after
# the last <br> of such a run splits the paragraph again.
_BREAK = chr(0x12000 + len(_SPACES))
_RESTORE = tuple(zip(_PLACEHOLDERS, _SPACES, strict=True))
_MARKS = (*_PLACEHOLDERS, _BREAK)
# The text nodes (an element's text or tail) holding the character $char: found by libxml2,
# not by a Python loop over every text of the page (which cost 9 ms of a page's 40).
_TEXTS_WITH = etree.XPath("/descendant::text()[contains(., $char)]")


def _protect_spaces(root: lxml.html.HtmlElement) -> bool:
    """Swap Unicode spaces for placeholders and mark "<br><br>" in place.

    Returns False, changing nothing, when the page already holds a placeholder.
    """
    # The whole text at once (libxml2's string value: every text and tail; the parser
    # keeps no comments), searched a character at a time, not by a regular expression's
    # class: CPython answers at once for a character wider than the string's widest.
    whole = root.text_content()
    if any(mark in whole for mark in _MARKS):
        return False
    # Most pages hold one kind of Unicode space (no-break) or none.
    present = [(space, _PLACEHOLDERS[i]) for i, space in enumerate(_SPACES) if space in whole]
    runs: set[tuple[lxml.html.HtmlElement, bool]] = set()
    for space, _placeholder in present:
        runs.update((run.getparent(), run.is_tail) for run in _TEXTS_WITH(root, char=space))
    for owner, is_tail in runs:
        if is_tail:
            owner.tail = _swap(owner.tail, present)
        else:
            owner.text = _swap(owner.text, present)
    for br in root.iter("br"):
        after = br.getnext()
        if after is not None and after.tag == "br" and not (br.tail or "").strip():
            following = after.getnext()
            if following is None or following.tag != "br":
                after.tail = _BREAK + (after.tail or "")
    return True


def _swap(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``text`` with each pair's first character replaced by its second.

    One str.replace per character the text holds: str.translate looks every character of
    the text up in a dict (0.8 ms a page for the blocks alone). A placeholder (astral) in a
    text without astral characters is ruled out at once by CPython.
    """
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "code"})


def _lines(el: etree._Element) -> list[str]:
    """The text of an element split at its <lb/> line breaks."""
    lines = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            lines.append("")
        elif child.tag not in ("graphic",):
            inner = _lines(child)
            lines[-1] += inner[0]
            lines.extend(inner[1:])
        lines[-1] += child.tail or ""
    return lines


def _paragraphs(el: etree._Element) -> list[str]:
    """An element's text as paragraphs: a single <lb/> is a space, an empty line splits."""
    out: list[str] = []
    current: list[str] = []
    for line in _lines(el):
        if line.strip():
            current.append(line)
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _xml_blocks(el: etree._Element, out: list[tuple[str, bool]]) -> None:
    for child in el:
        tag = child.tag
        if tag == "head":
            out.extend((text, True) for text in _paragraphs(child))
        elif tag in ("list", "quote", "item", "cell") and any(c.tag in _BLOCK_TAGS for c in child):
            if tag in ("item", "cell") and (child.text or "").strip():
                out.append((child.text or "", False))
            _xml_blocks(child, out)
        elif tag == "table":
            for row in child.iter("row"):
                cells = row.findall("cell")
                if any(c.tag in _BLOCK_TAGS for cell in cells for c in cell):
                    _xml_blocks(row, out)
                    continue
                # A data table: one row is one line a reader sees, cells kept apart.
                texts = [" ".join(_paragraphs(c)) for c in cells]
                line = " | ".join(t for t in texts if t.strip())
                if line:
                    out.append((line, False))
        elif tag in ("graphic", "lb"):
            continue
        else:
            out.extend((text, False) for text in _paragraphs(child))


def _to_blocks(items: Iterable[tuple[str, bool]]) -> list[Block]:
    blocks = []
    for text, heading in items:
        for part in _swap(text, _RESTORE).split(_BREAK):
            if part.strip():  # a paragraph of &nbsp; only is layout, not text
                blocks.append(Block(part, heading=heading))
    return blocks


@functools.cache
def _trafilatura_options(*, tables: bool) -> Extractor:
    """The settings trafilatura gets for the main text: XML, no comments, images, links, formatting.

    Built once, not per call (trafilatura documents an Extractor as shareable).
    """
    return Extractor(
        output_format="xml",
        tables=tables,
        comments=False,
        images=False,
        links=False,
        formatting=False,
        dedup=False,
    )


def trafilatura_xml(root: lxml.html.HtmlElement, *, tables: bool) -> str | None:
    """The main text as ``trafilatura.extract(root, output_format="xml", …)`` gives it.

    Done as extract() does it (bare_extraction, then the XML cleaning and serialisation of
    ``determine_returnstring``) less the content fingerprint extract() puts on the <doc>
    element for XML output: a hash over the whole text that policycite never reads, 2 ms of
    a page. ``tests/test_capture_html.py`` holds this equal to extract()'s <main>.
    """
    options = _trafilatura_options(tables=tables)
    document = trafilatura.bare_extraction(root, options=options)
    if not isinstance(document, trafilatura.settings.Document):
        return None
    return determine_returnstring(document, options)


def _trafilatura_blocks(root: lxml.html.HtmlElement, *, tables: bool) -> list[Block]:
    xml = trafilatura_xml(root, tables=tables)
    if not xml:
        return []
    try:
        doc = etree.fromstring(xml.encode("utf-8"), parser=xml_parser())
    except etree.XMLSyntaxError as err:  # runs joined past libxml2's limits
        raise InputError(f"the extracted text cannot be read back: {err}") from None
    main = doc.find("main")
    if main is None:
        return []
    items: list[tuple[str, bool]] = []
    _xml_blocks(main, items)
    return _to_blocks(items)


# Containers that never hold the main text, for the last-resort heuristic.
_CHROME = re.compile(
    r"nav|menu|footer|header|sidebar|aside|comment|share|social|related|newsletter|cookie"
    r"|banner|breadcrumb|widget|promo|advert",
    re.IGNORECASE,
)
_CHROME_TAGS = frozenset({"nav", "footer", "header", "aside", "form", "script", "style"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _is_chrome(el: lxml.html.HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag in _CHROME_TAGS:
            return True
        if _CHROME.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _densest_blocks(root: lxml.html.HtmlElement) -> list[Block]:
    """The paragraphs of the element whose own <p> children hold the most text."""
    scores: dict[lxml.html.HtmlElement, int] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(p.text_content().strip())
    for parent in sorted(scores, key=scores.__getitem__, reverse=True):
        if _is_chrome(parent):
            continue
        items: list[tuple[str, bool]] = []
        for child in parent:
            if child.tag in _HEADING_TAGS:
                items.append((child.text_content(), True))
            elif child.tag in ("ul", "ol"):
                items.extend((li.text_content(), False) for li in child.iter("li"))
            elif child.tag in ("p", "blockquote", "pre"):
                items.append((child.text_content(), False))
        return _to_blocks(items)
    return []


def _has_tables(root: lxml.html.HtmlElement) -> bool:
    """Whether the page has any of the elements trafilatura's tables option acts on."""
    return next(root.iter("table", "tr", "td", "th"), None) is not None


def _main_text(root: lxml.html.HtmlElement) -> tuple[list[Block], str]:
    """The main text's blocks and the name of the method that found them."""
    tried: list[tuple[list[Block], str]] = []
    for method in TEXT_METHODS:
        if method == "densest-paragraphs":
            blocks = _densest_blocks(root)
        elif method == "trafilatura-tables" and not _has_tables(root):
            # With no table markup, trafilatura's tables option changes nothing: the
            # second run would repeat the first one's result (a whole extraction).
            continue
        else:
            blocks = _trafilatura_blocks(root, tables=method == "trafilatura-tables")
        if len(blocks) >= 3:
            return blocks, method
        tried.append((blocks, method))
    return next(((b, m) for b, m in tried if b), ([], "none"))


def _is_dated_headline(text: str) -> bool:
    """True for a line of a list of other pages: "14.02.2025 – New guidance for councils"."""
    if len(text) > 160 or _words(text) > 20 or text.endswith((".", "!", "?", ";", ",")):
        return False
    opening = split_date(text)
    if opening is not None and len(opening[0]) == 10 and opening[1]:
        # The date first, then a dash and the headline.
        before = text[: len(text) - len(opening[1])].rstrip()
        return text.endswith(opening[1]) and before.endswith(("–", "—", "|", "-", ":"))
    found = find_date(text)
    if found is None:
        return False
    # The headline first, the date last: "Heat prices unchanged (21 January 2025)".
    return found[1] > 0 and not text[found[2] :].strip(" )]")


def _drop_listing(blocks: list[Block]) -> list[Block]:
    """The blocks without a trailing list of dated headlines (a sidebar of other news).

    Extraction sometimes takes a sidebar's "14.02.2025 – New guidance …" lines as the last
    paragraphs of the text; they are other pages, not this one's text.
    """
    end = len(blocks)
    while end > 1 and (blocks[end - 1].heading or _is_dated_headline(blocks[end - 1].text)):
        end -= 1
    if end == len(blocks) or not any(_is_dated_headline(b.text) for b in blocks[end:]):
        return blocks
    return blocks[:end]


def _drop_title_lines(blocks: list[Block], titles: Iterable[str]) -> list[Block]:
    """The blocks without a leading title (and the short kicker lines above it)."""
    folded = {_fold(t) for t in titles if t}
    for i, block in enumerate(blocks[:4]):
        if _fold(block.text) in folded:
            if all(_words(b.text) <= 6 for b in blocks[:i]):
                return blocks[i + 1 :]
            break
    return blocks


# --- fields from the page's body -----------------------------------------------------------

# Section names of listing pages and labels, as in breadcrumbs, labels and URL paths.
_SECTION_KIND: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:press|news|media)[\s_-]*releases?|press[\s_-]*statements?"
            r"|communiqu[ée]s?(?:[\s_-]+de[\s_-]+presse)?|pressemitteilung(?:en)?"
            r"|notas?[\s_-]+de[\s_-]+prensa|пресс-релизы?",
            re.IGNORECASE,
        ),
        "press-release",
    ),
    (re.compile(r"speech(?:es)?|discours|reden?|выступления", re.IGNORECASE), "speech"),
    (re.compile(r"statements?|заявления", re.IGNORECASE), "statement"),
)
# Labels are singular ("Press release" above a title); a plural is a section name, which
# counts only in a breadcrumb or a URL (a sidebar heading "Press releases" says nothing).
_PLURAL = re.compile(r"(?:releases|speeches|statements|communiqués|communiques|reden)$", re.I)
_NOT_IN_CHROME = (
    "not(ancestor::a or ancestor::nav or ancestor::footer or ancestor::aside"
    " or ancestor::script or ancestor::style or ancestor::option or ancestor::button"
    " or ancestor::title)"
)
_LABEL_TEXTS = etree.XPath(f"//body//text()[{_NOT_IN_CHROME}]")
# What a text that is a label can start with (after spaces): the first letters of
# _SECTION_KIND's words in either case (Latin p n m c s d r, Cyrillic в з п), U+017F and
# U+1C80 (IGNORECASE matches them to "s" and "в"), and the spaces _squash strips but
# normalize-space() does not (less the control characters, which an XPath string cannot
# hold: see _Scans.labels). tests/test_capture_html.py checks the set over every code point.
_LABEL_INITIALS = "pnmcsdrPNMCSDR\u0432\u0437\u043f\u0412\u0417\u041f\u017f\u1c80"
_LABEL_INITIALS += "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_LABEL_INITIALS += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_LABEL_CONTROLS = "\x0b\x0c\x1c\x1d\x1e\x1f"
# Only the texts that can be labels: the first character is compared inside libxml2, so that
# the ancestor test (the costly part) and Python see a few texts a page, not hundreds; the
# blank texts between elements (most of a page's) go first, by the cheapest test.
_LABEL_CANDIDATES = etree.XPath(
    "//body/descendant::text()[normalize-space(.)]"
    f"[contains($initials, substring(normalize-space(.), 1, 1))][{_NOT_IN_CHROME}]"
)
# The texts inside elements whose class, id or aria-label holds "breadcrumb" in any case.
_CRUMB = "[contains(translate(., 'BREADCRUMB', 'breadcrumb'), 'breadcrumb')]"
_BREADCRUMB_TEXTS = etree.XPath(
    f"(//@class{_CRUMB} | //@id{_CRUMB} | //@aria-label{_CRUMB})/..//text()"
)
#: More ways of writing "breadcrumb" than this on one page: compared case-folded instead.
_MAX_SPELLINGS = 8


@functools.cache
def _breadcrumbs_spelled(count: int) -> etree.XPath:
    """_BREADCRUMB_TEXTS for the page's own spellings of the word, $w0 … (as written)."""
    test = " or ".join(f"contains(., $w{i})" for i in range(count))
    return etree.XPath(f"(//@class[{test}] | //@id[{test}] | //@aria-label[{test}])/..//text()")


_H1 = etree.XPath(
    "//body/descendant::h1[not(ancestor::header[not(ancestor::article)]) and not(ancestor::nav)]"
)
_TIME = etree.XPath("//body/descendant::time[@datetime]")
_LINKS = etree.XPath("//body/descendant::a[@href]")
# Where a link to the site's home page points: "/", "./", "index.html", "/en/", "/de-at".
_HOME_HREF = re.compile(r"(?:\.?/|/?index\.html?|/[a-z]{2}(?:[-_][a-z]{2})?/?)", re.IGNORECASE)
# "Press release · District heating", "Speech | Energy": a label's genre before its topic.
_LABEL_TOPIC = re.compile(r"\s*[·•|]\s*|\s+[–—]\s+")
# Every class below holds "-number": that one test first, the four on the few that pass.
# Scans here walk the attributes (//*/@class), not the elements testing theirs: half the cost.
_NUMBER_ELEMENTS = etree.XPath(
    "//body//*/@class[contains(., '-number')]/parent::*"
    "[contains(@class, 'release-number') or contains(@class, 'reference-number')"
    " or contains(@class, 'press-release-number') or contains(@class, 'document-number')]"
)
_BYLINE_ELEMENTS = etree.XPath(
    "(//body//*/@rel[. = 'author'] | //body//*/@itemprop[. = 'author']"
    " | //body//*/@class[contains(., 'byline')])/.."
)
# Blank texts (squashed to nothing, so never lines) are left out first, by the cheapest test.
_BODY_TEXTS = etree.XPath(
    "//body/descendant::text()[normalize-space(.)][not(ancestor::script or ancestor::style)]"
)


class _Scans:
    """The whole-tree scans the body's fields need, each run only when it can find something.

    The page's text is asked first (:class:`Spelled`) whether the words a scan looks for
    are there at all: most pages have no breadcrumb, byline or number element.
    """

    def __init__(self, root: lxml.html.HtmlElement, text: str) -> None:
        self.root = root
        self._spelled = Spelled(text)
        self._bylines: list[lxml.html.HtmlElement] | None = None

    def labels(self) -> list[str]:
        """The body's texts outside links and page chrome that may be labels, in page order.

        Every text :func:`_section_kind` can match starts with one of _LABEL_INITIALS;
        a page whose text holds a control character _squash strips gets every text.
        """
        if self._spelled.may_hold(*_LABEL_CONTROLS):
            texts: list[str] = _LABEL_TEXTS(self.root)
            return texts
        candidates: list[str] = _LABEL_CANDIDATES(self.root, initials=_LABEL_INITIALS)
        return candidates

    def breadcrumb_texts(self) -> list[str]:
        """The texts inside elements whose class, id or aria-label says "breadcrumb"."""
        spellings = self._spelled.spellings("breadcrumb")
        texts: list[str]
        if spellings is None or len(spellings) > _MAX_SPELLINGS:
            texts = _BREADCRUMB_TEXTS(self.root)
        elif spellings:
            words = {f"w{i}": word for i, word in enumerate(sorted(spellings))}
            texts = _breadcrumbs_spelled(len(words))(self.root, **words)
        else:
            texts = []
        return texts

    def number_elements(self) -> list[lxml.html.HtmlElement]:
        """The body's elements whose class names a release or document number."""
        if not self._spelled.may_hold("-number"):
            return []
        elements: list[lxml.html.HtmlElement] = _NUMBER_ELEMENTS(self.root)
        return elements

    def byline_elements(self) -> list[lxml.html.HtmlElement]:
        """The body's elements marked as an author (rel, itemprop) or a byline (class)."""
        if self._bylines is None:
            found = self._spelled.may_hold("author", "byline")
            self._bylines = _BYLINE_ELEMENTS(self.root) if found else []
        return self._bylines


def _section_kind(text: str, *, plural_ok: bool) -> str | None:
    text = text.strip()
    if not plural_ok and _PLURAL.search(text):
        return None
    return next((kind for pattern, kind in _SECTION_KIND if pattern.fullmatch(text)), None)


def _date_below(body_texts: Iterable[str], titles: Iterable[str]) -> str | None:
    """A date line among the three text lines after the title in the body, as ISO.

    ``body_texts`` are the page's _BODY_TEXTS.
    """
    folded = {_fold(t) for t in titles if t}
    # Squashed as read: the title is near the top, the lines after it are never needed.
    lines = (line for line in map(_squash, body_texts) if line)
    for line in lines:
        if _fold(line) in folded:
            for after in itertools.islice(lines, 3):
                if len(after) <= 40 and is_date_line(after):
                    return parse_date(after)
            return None
    return None


# --- the extractor -------------------------------------------------------------------------


#: The longest run of text (UTF-8 bytes) kept: libxml2's own limit for a text node, which
#: the XML trafilatura returns must stay within.
MAX_RUN = 10_000_000


# Runs that may be over MAX_RUN bytes: a character is at most 4 bytes in UTF-8, so only a
# run of more than MAX_RUN / 4 characters can be (found in libxml2, not by a Python walk).
_LONG_RUNS = etree.XPath("//text()[string-length() > $chars]")


def _drop_huge_runs(root: lxml.html.HtmlElement) -> int:
    """Empty the text runs over :data:`MAX_RUN` bytes in place; how many there were."""
    dropped = 0
    for run in _LONG_RUNS(root, chars=MAX_RUN // 4):
        if len(run.encode()) > MAX_RUN:
            owner = run.getparent()
            if run.is_tail:
                owner.tail = None
            else:
                owner.text = None
            dropped += 1
    return dropped


def extract_html(text: str, *, url: str | None = None, source: str = "<html>") -> Page:
    """Extract the document a saved HTML page holds: its fields with evidence, and its text.

    ``text`` is the decoded page; ``url`` is where it came from, used to resolve relative
    links and as the last fallback for the ``url`` field; ``source`` names the input in
    errors. Returns a :class:`Page` with one :class:`Document`; a page with no text gives a
    document with no blocks. Raises :class:`InputError` naming ``source`` when the text is
    empty or cannot be parsed as HTML. Nothing is fetched and no entity is expanded.
    """
    root = parse_html(text, source)
    cut = cut_short()
    findings = []
    # A run over MAX_RUN bytes needs a page of over MAX_RUN / 4 characters: most pages
    # are far smaller, and are not scanned for one.
    if len(text) > MAX_RUN // 4 and _drop_huge_runs(root):
        findings.append(
            Finding(
                "PC330",
                f"a run of text is longer than {MAX_RUN // 1_000_000} MB (libxml2's limit); "
                "it is left out of the capture",
                location=Location(source),
                hint="capture a simpler copy of the page (its print view or plain text)",
            )
        )
    if cut is not None:
        findings.append(
            Finding(
                "PC330",
                f"the page was read only in part: {cut}, and the HTML parser stops there; "
                "the text after that point is not captured",
                location=Location(source),
                hint="capture a simpler copy of the page (its print view or plain text)",
            )
        )
    markup = _Markup(root)
    scans = _Scans(root, text)
    found = _Fields()
    article = markup.nodes_of(_ARTICLE_TYPES)
    ld_type, ld_main = article[0] if article else ("", {})

    _site(found, markup, root)
    title_texts = _title(found, markup, root, ld_type, ld_main)
    _dates(found, markup, root, ld_type, ld_main)
    _urls(found, markup, ld_type, ld_main, url)
    _languages(found, markup, root, ld_type, ld_main)
    _descriptions(found, markup, ld_type, ld_main)

    # Text after metadata: protecting spaces rewrites the tree's text in place.
    _protect_spaces(root)
    blocks, method = _main_text(root)
    _log.debug("%s: main text by %s, %d blocks", source, method, len(blocks))
    blocks = _drop_listing(_drop_title_lines(blocks, title_texts))
    # Kind cues read how the body opens: after any dateline or delivery note.
    text_of = "\n".join(preamble.body_texts([(b.text, b.heading) for b in blocks]))

    if "language" not in found.found:
        # Nothing declares it (many saved pages have no lang attribute): read the text.
        guessed = language.detect("\n".join(b.text for b in blocks if not b.heading))
        if guessed:
            found.add("language", guessed[0], guessed[1], heuristic=True)
    _kinds(found, markup=markup, scans=scans, ld_type=ld_type, titles=title_texts, text=text_of)
    kind = found.best("kind")
    _people(found, markup=markup, scans=scans, ld_type=ld_type, ld_main=ld_main, kind=kind)
    _numbers(found, markup, scans, kind)
    for name, value, how in preamble.metadata([(b.text, b.heading) for b in blocks]):
        found.add(name, value, how, heuristic=True)
    if kind == "speech":
        _speech(found, title_texts, blocks)
    if "issued" not in found.found:
        # The body's visible texts: read by both searches (one XPath walk, not two).
        body_texts: list[str] = _BODY_TEXTS(root)
        _release_label(found, root, title_texts, body_texts)
        if "issued" not in found.found:
            _fallback_date(found, root, title_texts, url, body_texts)
    _page_nature(found, markup, blocks)
    return Page([Document(blocks, found.found)], findings)


def _page_nature(found: _Fields, markup: _Markup, blocks: Iterable[Block]) -> None:
    """Whether the page is designed to change, and the outlet type of a news page."""
    url = found.best("url")
    cue = changing_cue(found.best("title"), url, (b.text for b in blocks))
    if cue:
        found.add("changes", "yes", cue, heuristic=True)
    outlet = outlets.container_type(found.values("site"), url)
    if outlet:
        found.add("container-type", outlet[0], outlet[1])
    elif markup.nodes_of(["Newspaper"]):
        found.add("container-type", "newspaper", "JSON-LD @type Newspaper")


def _site(found: _Fields, markup: _Markup, root: lxml.html.HtmlElement) -> None:
    for key, value in markup.get("og:site_name", "application-name"):
        found.add("site", value, f"meta {key}")
    for _type, node in markup.nodes_of(["WebSite"]):
        found.add("site", _ld_text(node.get("name")), "JSON-LD WebSite.name")
    # The link back to the home page carries the site's name (the logo's text): better
    # than a <title>'s last part, which may be a section ("… - Pressemitteilungen").
    for link in _LINKS(root):
        if not _HOME_HREF.fullmatch((link.get("href") or "").strip()):
            continue
        name = _squash(link.text_content())
        if 2 <= _words(name) <= 8 and _fold(name) not in _GENERIC_LINKS:
            found.add("site", name, "text of the link to the home page", heuristic=True)
            break


def _title(
    found: _Fields,
    markup: _Markup,
    root: lxml.html.HtmlElement,
    ld_type: str,
    ld_main: Mapping[str, Any],
) -> list[str]:
    """Add title evidence (and a site from a title suffix); return every title text seen."""
    candidates: list[tuple[str, str, bool]] = []
    for key, value in markup.get("citation_title", "DC.title", "dcterms.title"):
        candidates.append((value, f"meta {key}", False))
    for prop in ("headline", "name"):
        ld_value = _ld_text(ld_main.get(prop))
        if ld_value:
            candidates.append((ld_value, f"JSON-LD {ld_type}.{prop}", False))
    for key, value in markup.get("og:title", "twitter:title"):
        candidates.append((value, f"meta {key}", False))
    for h1 in _H1(root):
        candidates.append((h1.text_content(), "<h1>", False))
        break
    title_el = root.find(".//title")
    raw_title = _squash(title_el.text_content()) if title_el is not None else ""
    sites = found.values("site")
    if raw_title:
        stripped, sep = _strip_site(raw_title, sites)
        if sep:
            candidates.append((stripped, f"<title> without ' {sep} Site' suffix", True))
        else:
            suffix = _title_suffix(raw_title)
            if suffix:
                head, site, sep = suffix
                candidates.append((head, f"<title> without ' {sep} Site' suffix", True))
                found.add("site", site, f"<title> suffix after ' {sep} '", heuristic=True)
            else:
                candidates.append((raw_title, "<title>", False))
    sites = [_fold(s) for s in found.values("site")]
    kept = []
    for raw, how, heuristic in candidates:
        value = _squash(raw)
        stripped, sep = _strip_site(value, found.values("site"))
        if sep and not how.startswith("<title>"):
            kept.append((stripped, f"{how} without ' {sep} Site' suffix", heuristic))
        else:
            kept.append((value, how, heuristic))
    # The site's own name is never the title when the page offers anything else.
    better = [c for c in kept if _fold(c[0]) not in sites] or kept
    for value, how, heuristic in better:
        found.add("title", value, how, heuristic=heuristic)
    return [c[0] for c in kept] + ([raw_title] if raw_title else [])


def _dates(
    found: _Fields,
    markup: _Markup,
    root: lxml.html.HtmlElement,
    ld_type: str,
    ld_main: Mapping[str, Any],
) -> None:
    keys = (
        "citation_publication_date",
        "citation_date",
        "citation_online_date",
        "DC.date.issued",
        "dcterms.issued",
        "DC.date",
        "dcterms.date",
    )
    for key, value in markup.get(*keys):
        found.add("issued", _iso_date(value), f"meta {key}")
    for prop in ("datePublished", "dateCreated"):
        ld_value = _ld_text(ld_main.get(prop))
        if ld_value:
            found.add("issued", _iso_date(ld_value), f"JSON-LD {ld_type}.{prop}")
    for key, value in markup.get("article:published_time", "og:published_time", "date"):
        found.add("issued", _iso_date(value), f"meta {key}")
    times = _TIME(root)
    # A <time> marked as the publication date beats the first <time> on the page.
    marked = [
        t
        for t in times
        if "published" in (t.get("class") or "") or t.get("itemprop") == "datePublished"
    ]
    for el in (marked or times)[:1]:
        found.add("issued", _iso_date(el.get("datetime") or ""), "<time datetime>")


def _fallback_date(
    found: _Fields,
    root: lxml.html.HtmlElement,
    titles: list[str],
    url: str | None,
    body_texts: list[str],
) -> None:
    found.add(
        "issued", _date_below(body_texts, titles), "date line below the title", heuristic=True
    )
    # htmldate's default returns the last-modified date; original_date asks for the first.
    # It gets the tree (never text, which it would fetch if it looked like a URL). Its
    # extensive search reads dates out of the prose and the sidebars ("In 2024 the price
    # …" became 2024-01-01, a sidebar headline's date a speech's): the markup and the URL
    # only, so that an undated page stays undated (APA's n.d.).
    try:
        value = htmldate.find_date(
            root, extensive_search=False, original_date=True, url=url, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError) as err:  # pragma: no cover - htmldate is defensive
        _log.debug("htmldate failed: %s", err)
        value = None
    if value:
        found.add("issued", value, "htmldate (original date)", heuristic=True)


def _urls(
    found: _Fields,
    markup: _Markup,
    ld_type: str,
    ld_main: Mapping[str, Any],
    url: str | None,
) -> None:
    canonical = markup.link("canonical")
    if canonical:
        found.add("url", _absolute_url(canonical, url), "link rel=canonical")
    for key, value in markup.get("og:url"):
        found.add("url", _absolute_url(value, url), f"meta {key}")
    for key, value in markup.get(
        "DC.identifier", "dcterms.identifier", "citation_public_url", "citation_abstract_html_url"
    ):
        found.add("url", _absolute_url(value, None), f"meta {key}")
    for prop in ("url", "mainEntityOfPage"):
        ld_value = _ld_text(markup.resolve(ld_main.get(prop)))
        if ld_value:
            found.add("url", _absolute_url(ld_value, url), f"JSON-LD {ld_type}.{prop}")
    if url:
        found.add("url", _absolute_url(url, None), "URL given to capture")


def _languages(
    found: _Fields,
    markup: _Markup,
    root: lxml.html.HtmlElement,
    ld_type: str,
    ld_main: Mapping[str, Any],
) -> None:
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        value = root.get(attr)
        if value:
            found.add("language", _language(value), f"<html {attr.split('}')[-1]}>")
    for key, value in markup.get("DC.language", "dcterms.language", "citation_language"):
        found.add("language", _language(value), f"meta {key}")
    value = _ld_text(ld_main.get("inLanguage"))
    if value:
        found.add("language", _language(value), f"JSON-LD {ld_type}.inLanguage")
    for key, value in markup.get("og:locale", "content-language", "language"):
        found.add("language", _language(value), f"meta {key}")


def _descriptions(
    found: _Fields, markup: _Markup, ld_type: str, ld_main: Mapping[str, Any]
) -> None:
    for key, value in markup.get("description", "DC.description", "dcterms.abstract"):
        found.add("description", value, f"meta {key}")
    found.add("description", _ld_text(ld_main.get("description")), f"JSON-LD {ld_type}.description")
    for key, value in markup.get("og:description", "twitter:description"):
        found.add("description", value, f"meta {key}")


def _kinds(
    found: _Fields,
    *,
    markup: _Markup,
    scans: _Scans,
    ld_type: str,
    titles: list[str],
    text: str,
) -> None:
    # Genre words beat schema.org types: CMSs mark press releases and speeches NewsArticle.
    for key, value in markup.get("DC.type", "dcterms.type"):
        words = re.sub(r"(?<=[a-z])(?=[A-Z])|[._]", " ", value).strip()
        for part in (words, *words.split(" ", 1)[1:]):
            kind = _section_kind(part, plural_ok=True)
            if kind:
                found.add("kind", kind, f"meta {key} {value!r}")
    for candidate in scans.labels():
        label = _squash(candidate)
        if number := _RELEASE_NUMBER.search(label):  # "Pressemitteilung Nr. 12/2025 vom …"
            label = label[: number.start()].strip()
        # "Press release · District heating": the genre, then the topic.
        label = _LABEL_TOPIC.split(label, maxsplit=1)[0]
        kind = _section_kind(label, plural_ok=False) if 0 < len(label) <= 40 else None
        if kind:
            found.add("kind", kind, f"label {label!r}", heuristic=True)
            break
    crumbs = [_squash(t) for t in scans.breadcrumb_texts()]
    for _type, node in markup.nodes_of(["BreadcrumbList"]):
        items = node.get("itemListElement")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                crumbs.append(_squash(_ld_text(item.get("name")) or _ld_text(item.get("item"))))
    for crumb in crumbs:
        kind = _section_kind(crumb, plural_ok=True) if crumb else None
        if kind:
            found.add("kind", kind, f"breadcrumb {crumb!r}", heuristic=True)
            break
    for address in found.values("url")[:1]:
        for segment in unquote(urlsplit(address).path).split("/")[:-1]:
            kind = _section_kind(segment, plural_ok=True)
            if kind:
                found.add("kind", kind, f"URL path /{segment}/", heuristic=True)
                break
    heading = _speech_heading(titles)
    for title in ([heading] if heading else []) + found.values("title")[:1]:
        cue = kind_cues(title, text)
        if cue:
            found.add("kind", cue[0], f"wording: {cue[1]}", heuristic=True)
            break
    kind = _KIND_OF_TYPE.get(ld_type)
    if kind:
        found.add("kind", kind, f"JSON-LD @type {ld_type}")
    for key, _value in markup.get("citation_technical_report_number"):
        found.add("kind", "report", f"meta {key}")
    news = _news_site_article(markup, scans, found)
    if news:
        found.add("kind", "news-article", news, heuristic=True)
    if "kind" not in found.found:
        found.add("kind", "webpage", "no kind found in markup or wording", heuristic=True)


# Words of newspaper and news-agency names ("The Halden Courier", "Nordstadt Zeitung").
_NEWSPAPER = re.compile(
    r"\b(?:times|post|herald|news|gazette|tribune|journal|daily|courier|chronicle|observer"
    r"|guardian|telegraph|independent|express|mirror|standard|examiner|inquirer|dispatch"
    r"|record|star|sun|monitor|press|register|bulletin|mail|globe|sentinel|tidende|avis"
    r"|ledger|argus|advertiser|echo|reporter|gleaner|clarion|messenger|enquirer|courant"
    r"|krant|avisen|tidning|tidningen|tageblatt|corriere|giornale|diario|periódico|jornal"
    r"|dagblad|posten|bladet|zeitung|rundschau|allgemeine|anzeiger|kurier|tagblatt|tagesspiegel"
    r"|nachrichten|quotidien|monde|figaro|libération|gazeta|газета|известия|новости"
    r"|ведомости|вестник|правда)\b",
    re.IGNORECASE,
)


def _news_site_article(markup: _Markup, scans: _Scans, found: _Fields) -> str:
    """Why an ``og:type=article`` page is a news article, or "" when it is not one.

    OpenGraph calls every page with a body "article"; it is news when a person signs it
    (a byline or a meta author) on a site whose name is a newspaper's.
    """
    if not any(v.strip().lower() == "article" for _k, v in markup.get("og:type")):
        return ""
    sites = found.values("site")
    site = next((s for s in sites if outlets.is_known_outlet(s)), None)
    if site is None:
        site = next((s for s in sites if _NEWSPAPER.search(s)), None)
        if site is None or _is_org_name(site):
            return ""
    signed = [
        name
        for _key, value in markup.get("author", "article:author")
        for name in _split_persons(value)
        if not _is_org_name(name) and not _absolute_url(name, None)
    ]
    if not signed:
        signed = [_squash(el.text_content()) for el in scans.byline_elements()]
    if not any(signed):
        return ""
    return f"meta og:type 'article', a byline and the news site name {site!r}"


def _speech_heading(titles: Iterable[str]) -> str | None:
    return next((t for t in titles if t and is_speech_heading(t)), None)


def _people(
    found: _Fields,
    *,
    markup: _Markup,
    scans: _Scans,
    ld_type: str,
    ld_main: Mapping[str, Any],
    kind: str | None,
) -> None:
    # Each source gives (name, is_organisation, how); the first source naming a person gives
    # every author, the first naming an organisation every issuer.
    sources: list[list[tuple[str, bool, str]]] = []
    for key in ("citation_author", "DC.creator", "dcterms.creator"):
        names = [
            (name, _is_org_name(name), f"meta {written}")
            for written, value in markup.get(key)
            for name in (value.split(";") if ";" in value else [value])
        ]
        sources.append(names)
    authors = ld_main.get("author")
    ld_names = []
    for item in authors if isinstance(authors, list) else [authors]:
        node = markup.resolve(item)
        if isinstance(node, dict):
            types = _ld_types(node)
            name = _ld_text(node.get("name"))
            is_org = bool(set(types) & _ORG_TYPES) or (not types and _is_org_name(name or ""))
            label = types[0] if types else "name"
            if name:
                ld_names.append((name, is_org, f"JSON-LD {ld_type}.author ({label})"))
        elif isinstance(node, str) and node.strip():
            ld_names.append((node, _is_org_name(node), f"JSON-LD {ld_type}.author"))
    sources.append(ld_names)
    sources.append(
        [
            (name, _is_org_name(name), f"meta {written}")
            for written, value in markup.get("author")
            for name in _split_persons(value)
        ]
    )
    for names in sources:
        persons = [(n, how) for n, is_org, how in names if not is_org]
        if persons:
            for name, how in persons:
                found.add("author", name, how)
            break
    else:
        _byline(found, scans)

    # Typed JSON-LD organisations first: the other sources are organisations by their wording.
    issuers = [[(n, how) for n, is_org, how in names if is_org] for names in (ld_names, *sources)]
    if kind != "news-article":
        # On a news site the publisher is the outlet (the site), not the author.
        issuers.append([(v, f"meta {k}") for k, v in markup.get("citation_publisher")])
        issuers.append([(v, f"meta {k}") for k, v in markup.get("DC.publisher")])
        publisher = markup.resolve(ld_main.get("publisher"))
        if isinstance(publisher, dict) and set(_ld_types(publisher)) & _ORG_TYPES:
            name = _ld_text(publisher.get("name"))
            label = _ld_types(publisher)[0]
            if name:
                issuers.append([(name, f"JSON-LD {ld_type}.publisher ({label})")])
    for group in issuers:
        if group:
            for name, how in group:
                found.add("issuer", name, how)
            break
    else:
        if kind in {"press-release", "statement"}:
            for site in found.found.get("site", ())[:1]:
                found.add("issuer", site.value, f"{site.how} (the site)", heuristic=True)


_BY = re.compile(r"^\s*(?:by|von|par|por|автор[ы]?:?)\s+", re.IGNORECASE)


def _byline(found: _Fields, scans: _Scans) -> None:
    for el in scans.byline_elements():
        line = _BY.sub("", _squash(el.text_content()))
        if 0 < len(line) <= 120:
            for name in _split_persons(line):
                if not _is_org_name(name):
                    found.add("author", name, "byline", heuristic=True)
            if "author" in found.found:
                return


_NUMBER_IN_TEXT = re.compile(
    r"\b(?:press\s+release|release|news\s+release)\s+(?:no\.?|number|nr\.?|#)\s*(?P<n>[\w/.-]+\d)",
    re.IGNORECASE,
)


def _numbers(found: _Fields, markup: _Markup, scans: _Scans, kind: str | None) -> None:
    for key, value in markup.get("citation_technical_report_number", "citation_report_number"):
        found.add("number", value, f"meta {key}")
        if kind == "report":
            # APA: "(Report No. 7)" needs the genre beside the number; a series name is
            # better, but pages rarely give one.
            found.add("genre", "Report", f"meta {key} (a numbered report)")
    for key, value in markup.get("DC.identifier", "dcterms.identifier"):
        if not _absolute_url(value, None) and not value.strip().lower().startswith("urn:"):
            found.add("number", value, f"meta {key}")
    for el in scans.number_elements()[:1]:
        value = _squash(el.text_content())
        number = _NUMBER_IN_TEXT.search(value)
        found.add(
            "number",
            number["n"] if number else value,
            f"element class {el.get('class')!r}",
            heuristic=True,
        )


# A release number in a label line: "Nr. 12/2025", "No. 7", "n° 12/2025", "№ 12/2025".
# "n(?<!\w\w)" is "\bn" (no word character before the n), written so that the search can
# skip to the next n or № (a pattern opening with \b is tried at every position: twice
# the time over a whole page's text).
_RELEASE_NUMBER = re.compile(r"(?:n(?<!\w\w)(?:r|o|[°º])\.?|№)\s*\d", re.IGNORECASE)


def _release_label(
    found: _Fields, root: lxml.html.HtmlElement, titles: list[str], body_texts: list[str]
) -> None:
    """Date and number of a release label line ("Pressemitteilung Nr. 12/2025 vom 3. März").

    Asked when the markup gives no date, before htmldate: the number is never read as a
    date (htmldate reads "12/2025" as December 2025); the date after "vom"/"du"/"от"/"of"
    is the release's.
    """
    # One search over the body's visible texts first (``body_texts``, every text a label
    # can be): most pages hold no release number at all. Not over the whole page's text:
    # its scripts hold most of the n's the search stops at (2 ms a page). A title (it may
    # come from a meta tag or JSON-LD) is asked only when the page's text holds the
    # number too, as before.
    if not any(_RELEASE_NUMBER.search(text) for text in body_texts) and not (
        any(_RELEASE_NUMBER.search(title) for title in titles)
        and _RELEASE_NUMBER.search(root.text_content())
    ):
        return
    texts = [_squash(t) for t in _LABEL_TEXTS(root) if _RELEASE_NUMBER.search(t)]
    for text in [*texts, *titles]:
        if len(text) > 120 or not _RELEASE_NUMBER.search(text):
            continue
        line = preamble.classify(text)
        if line is None or line.role != "label":
            continue
        how = f"release label {text!r}"
        found.add("issued", line.date, how, heuristic=True)
        found.add("number", line.number, how, heuristic=True)
        return


def _speech(found: _Fields, titles: list[str], blocks: list[Block]) -> None:
    candidates = [*titles, *(b.text for b in blocks[:2])]
    heading = _speech_heading(candidates)
    if heading is None:
        return
    how = "speech heading"
    best = found.best("title")
    if heading not in titles and (best is None or not is_speech_heading(best)):
        # The page's title names the site, the speech heading opens the text: a speech's
        # title is its heading.
        others = found.found.get("title", [])
        found.found["title"] = [Evidence(_squash(heading), "speech heading above the text", True)]
        found.found["title"] += [e for e in others if _fold(e.value) != _fold(heading)]
    found.add("speaker", speaker_from_heading(heading), how, heuristic=True)
    found.add("event-title", event_from_heading(heading), how, heuristic=True)
    found.add("event-place", event_place_from_heading(heading), how, heuristic=True)
    found.add("event-date", event_date_from_heading(heading), how, heuristic=True)


__all__ = ["TEXT_METHODS", "extract_html"]
