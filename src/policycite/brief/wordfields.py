"""Reference managers' fields in a Word file: what Zotero, Mendeley and EndNote embed.

A citation inserted by a Word plugin is a field whose *instruction* holds the cited
items and whose *result* is the text the reader sees. Read here:

* complex fields, ``w:fldChar`` begin / separate / end with the instruction in
  ``w:instrText`` runs (Word splits it over many runs, at revisions and rsids, even
  character by character) and fields nested in fields;
* simple fields, ``w:fldSimple`` with the instruction in ``w:instr``;
* content controls, ``w:sdt``, whose ``w:tag`` carries Mendeley Cite's data.

What the instructions say:

* Zotero: ``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` (a CSL citation: ``citationItems``
  with ``itemData`` in CSL-JSON, ``uris``, ``locator``, ``label``, ``prefix``,
  ``suffix``, ``suppress-author``; ``properties.plainCitation`` the text Zotero wrote)
  and ``ADDIN ZOTERO_BIBL {json} CSL_BIBLIOGRAPHY``, the bibliography;
* Mendeley Desktop: ``ADDIN CSL_CITATION {json}`` (the same CSL citation, with
  ``mendeley.previouslyFormattedCitation``) and ``ADDIN Mendeley Bibliography
  CSL_BIBLIOGRAPHY``;
* Mendeley Cite: a content control tagged ``MENDELEY_CITATION_v3_`` + the CSL citation
  as base64 JSON (``manualOverride.citeprocText`` the text it wrote), and one tagged
  ``MENDELEY_BIBLIOGRAPHY``;
* EndNote: ``ADDIN EN.CITE <EndNote><Cite>…<record>…</record></Cite></EndNote>``, the
  XML inline (sometimes HTML-escaped once more) or, for long records, base64 in the
  ``w:fldData`` of a field ``ADDIN EN.CITE.DATA`` nested in the instruction; and
  ``ADDIN EN.REFLIST``, the bibliography. EndNote's record is converted to CSL-JSON.

A field whose data cannot be read (malformed JSON, XML or base64) is kept with its
``problem`` said, never raised: its display text is still a citation of the brief.
XML is parsed only through :func:`policycite.safeparse.xml_parser`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import html
import re
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree

from policycite.brief.model import Brief, Citation, CitedWork, FieldItem, WordField
from policycite.brief.notes import mark_label
from policycite.errors import InputError
from policycite.safeparse import parse_json, xml_parser

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P = f"{{{_W}}}p"
_R = f"{{{_W}}}r"
_T = f"{{{_W}}}t"
_TAB = f"{{{_W}}}tab"
_BR = f"{{{_W}}}br"
_CR = f"{{{_W}}}cr"
_HYPHEN = f"{{{_W}}}noBreakHyphen"
_FLDCHAR = f"{{{_W}}}fldChar"
_FLDDATA = f"{{{_W}}}fldData"
_INSTR = f"{{{_W}}}instrText"
_FLDSIMPLE = f"{{{_W}}}fldSimple"
_SDT = f"{{{_W}}}sdt"
_SDTPR = f"{{{_W}}}sdtPr"
_SDTCONTENT = f"{{{_W}}}sdtContent"
_TAG = f"{{{_W}}}tag"
_VAL = f"{{{_W}}}val"
_TYPE = f"{{{_W}}}fldCharType"
_INSTR_ATTR = f"{{{_W}}}instr"
_TXBX = f"{{{_W}}}txbxContent"

_ADDIN = re.compile(r"\s*ADDIN\s+(?P<code>\S+)(?P<rest>.*)\Z", re.DOTALL)
_MENDELEY_CITE = "MENDELEY_CITATION_v3_"
_MENDELEY_BIBLIOGRAPHY = "MENDELEY_BIBLIOGRAPHY"
#: Fields nest a few levels in practice (EndNote's two); deeper begins are not tracked, so
#: that a file of unclosed fields cannot make every run of text cost thousands of steps.
MAX_DEPTH = 32
#: A citation's display text of more words than this is not looked for in the text.
MAX_WORDS = 1000
#: A field's instruction longer than this is not read (Word's own limit is far lower
#: for typed fields; plugins' JSON for a long citation runs to some hundred KB).
MAX_INSTRUCTION = 4 * 2**20


@attrs.define
class Found:
    """A field as found in one part: the paragraphs its result is in, by position."""

    field: WordField
    #: Index of the w:p (in the part's order) where the result starts, and the note id
    #: holding it (None in the body).
    paragraph: int
    note: str | None = None
    #: Indices of every w:p the result runs through (a bibliography spans many).
    paragraphs: tuple[int, ...] = ()


@attrs.define
class _Open:
    """A complex field being read: instruction until ``separate``, result after it."""

    instruction: list[str] = attrs.Factory(list)
    data: list[str] = attrs.Factory(list)  # w:fldData: EndNote's base64 record
    result: list[str] = attrs.Factory(list)
    separated: bool = False
    children: list[_Open] = attrs.Factory(list)
    paragraphs: list[int] = attrs.Factory(list)


def scan(root: etree._Element, *, notes: bool = False) -> list[Found]:
    """The reference managers' fields of one part (document, footnotes or endnotes).

    ``notes``: the part's top-level children are notes; each field remembers its note's
    id. Paragraphs are counted in ``root.iter(w:p)`` order, as the Word reader walks
    them (text boxes included).
    """
    # Keyed by the elements themselves: a dict holding them keeps lxml's proxies alive,
    # so each paragraph keeps its identity (an id() of a freed proxy may be reused).
    index: dict[etree._Element, int] = {p: i for i, p in enumerate(root.iter(_P))}
    out: list[Found] = []
    if notes:
        for note in root:
            note_id = note.get(f"{{{_W}}}id")
            _Walker(index, out, note_id).walk(note)
    else:
        _Walker(index, out, None).walk(root)
    return out


class _Walker:
    """Walk one part in document order, reading fields as Word would display them."""

    def __init__(
        self, index: dict[etree._Element, int], out: list[Found], note: str | None
    ) -> None:
        self.index = index
        self.out = out
        self.note = note
        self.stack: list[_Open] = []
        self.untracked = 0  # begins beyond MAX_DEPTH, whose ends are skipped too
        self.paragraph = -1
        # Open simple fields and content controls: (their result parts, first paragraph).
        self.wrappers: list[tuple[list[str], list[int]]] = []

    def text(self, value: str) -> None:
        """Text shown in the document: it belongs to every open field's result."""
        if any(not f.separated for f in self.stack):
            return  # text inside an instruction (a nested field's result) is not shown
        for field in self.stack:
            field.result.append(value)
            if not field.paragraphs or field.paragraphs[-1] != self.paragraph:
                field.paragraphs.append(self.paragraph)
        for parts, paragraphs in self.wrappers:
            parts.append(value)
            if not paragraphs or paragraphs[-1] != self.paragraph:
                paragraphs.append(self.paragraph)

    def walk(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == _P:
                self.paragraph = self.index.get(child, self.paragraph)
                if self._shown_paragraphs():
                    self.text("\n")  # a result running over paragraphs
                self.walk(child)
            elif tag == _FLDCHAR:
                self._fldchar(child)
            elif tag == _INSTR:
                if self.stack and not self.stack[-1].separated and not self.untracked:
                    self.stack[-1].instruction.append(child.text or "")
            elif tag == _T:
                self.text(child.text or "")
            elif tag == _TAB:
                self.text("\t")
            elif tag in {_BR, _CR}:
                self.text("\n")
            elif tag == _HYPHEN:
                self.text("-")
            elif tag == _FLDSIMPLE:
                self._wrapped(child, child.get(_INSTR_ATTR) or "", None)
            elif tag == _SDT:
                self._sdt(child)
            elif tag == _TXBX:
                # A text box is a story of its own, read as paragraphs of their own: its
                # fields neither continue nor end the fields of the run anchoring it.
                _Walker(self.index, self.out, self.note).walk(child)
            elif isinstance(tag, str):
                self.walk(child)

    def _shown_paragraphs(self) -> bool:
        """Whether a paragraph break now falls inside a field's shown result."""
        opened = [f for f in self.stack if f.result]
        return bool(opened) or any(parts for parts, _ in self.wrappers)

    def _fldchar(self, element: etree._Element) -> None:
        kind = element.get(_TYPE)
        if self.untracked and kind in {"begin", "separate", "end"}:
            self.untracked += {"begin": 1, "separate": 0, "end": -1}[str(kind)]
            return
        if kind == "begin" and len(self.stack) >= MAX_DEPTH:
            self.untracked = 1
        elif kind == "begin":
            field = _Open()
            data = element.find(_FLDDATA)
            if data is not None and data.text:
                field.data.append(data.text)
            self.stack.append(field)
        elif kind == "separate" and self.stack:
            self.stack[-1].separated = True
        elif kind == "end" and self.stack:
            field = self.stack.pop()
            if self.stack and not self.stack[-1].separated:
                self.stack[-1].children.append(field)  # EndNote's EN.CITE.DATA
                return
            instruction = "".join(field.instruction)
            result = "".join(field.result).strip("\n")
            made = read_field(instruction, result, field.children)
            if made is not None:
                first = field.paragraphs[0] if field.paragraphs else max(self.paragraph, 0)
                self.out.append(Found(made, first, self.note, tuple(field.paragraphs)))

    def _wrapped(self, element: etree._Element, instruction: str, tag: str | None) -> None:
        parts: list[str] = []
        paragraphs: list[int] = []
        self.wrappers.append((parts, paragraphs))
        self.walk(element)
        self.wrappers.pop()
        result = "".join(parts).strip("\n")
        made = (
            read_content_control(tag, result)
            if tag is not None
            else read_field(instruction, result, [])
        )
        if made is not None:
            first = paragraphs[0] if paragraphs else max(self.paragraph, 0)
            self.out.append(Found(made, first, self.note, tuple(paragraphs)))

    def _sdt(self, element: etree._Element) -> None:
        tag_element = element.find(f"{_SDTPR}/{_TAG}")
        tag = tag_element.get(_VAL, "") if tag_element is not None else ""
        content = element.find(_SDTCONTENT)
        if content is None:
            return
        if tag.startswith(_MENDELEY_CITE) or tag == _MENDELEY_BIBLIOGRAPHY:
            self._wrapped(content, "", tag)
        else:
            self.walk(content)


# --- instructions ------------------------------------------------------------------------


def read_field(instruction: str, result: str, children: list[_Open]) -> WordField | None:
    """The WordField an instruction makes, or None for fields of no reference manager."""
    if len(instruction) > MAX_INSTRUCTION:
        match = _ADDIN.match(instruction[:200])
        if match is None:
            return None
        plugin, kind = _plugin(match.group("code"), match.group("rest"))
        if plugin is None:
            return None
        problem = (
            f"its data is {len(instruction):,} characters long; the limit is {MAX_INSTRUCTION:,}"
        )
        return WordField(plugin, kind, result, problem=problem, instruction=instruction[:200])
    match = _ADDIN.match(instruction)
    if match is None:
        return None
    code, rest = match.group("code"), match.group("rest")
    plugin, kind = _plugin(code, rest)
    if plugin is None:
        return None
    field = WordField(plugin, kind, result, instruction=instruction)
    if kind == "bibliography":
        return field
    if plugin == "EndNote":
        return _endnote(field, rest, children)
    return _csl_citation(field, rest)


def _plugin(code: str, rest: str) -> tuple[str | None, str]:
    if code == "ZOTERO_ITEM":
        return "Zotero", "citation"
    if code == "ZOTERO_BIBL":
        return "Zotero", "bibliography"
    if code == "CSL_CITATION":
        return "Mendeley Desktop", "citation"
    if code == "Mendeley" and rest.split()[:1] == ["Bibliography"]:
        return "Mendeley Desktop", "bibliography"
    if code == "EN.CITE":
        return "EndNote", "citation"
    if code == "EN.REFLIST":
        return "EndNote", "bibliography"
    return None, ""


def read_content_control(tag: str, result: str) -> WordField:
    """A Mendeley Cite content control: its tag holds the citation as base64 JSON."""
    if tag == _MENDELEY_BIBLIOGRAPHY:
        return WordField("Mendeley Cite", "bibliography", result, instruction=tag)
    field = WordField("Mendeley Cite", "citation", result, instruction=tag)
    encoded = tag.removeprefix(_MENDELEY_CITE)
    try:
        text = _base64(encoded).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as err:
        return attrs.evolve(field, problem=f"its tag is not base64 JSON ({err})")
    return _csl_citation(field, text)


def _base64(text: str) -> bytes:
    """Decode base64, standard or URL-safe, with or without padding."""
    compact = "".join(text.split())
    compact += "=" * (-len(compact) % 4)
    try:
        if "-" in compact or "_" in compact:
            return base64.urlsafe_b64decode(compact)
        return base64.b64decode(compact, validate=True)
    except binascii.Error as err:
        raise ValueError(str(err)) from None


def _csl_citation(field: WordField, text: str) -> WordField:
    """Zotero's and Mendeley's CSL citation JSON: the items, locators, and written text."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0:
        return attrs.evolve(field, problem="it holds no citation data (no JSON object)")
    # Cut after the last brace (Zotero's bibliography and Mendeley's fields write words
    # after the JSON); JSON cut short keeps its whole text, so the parser says what broke.
    body = text[start : end + 1] if end > start else text[start:]
    try:
        data = parse_json(body, field.plugin)
    except InputError as err:
        return attrs.evolve(field, problem=f"its citation data is not JSON ({err.message})")
    if not isinstance(data, dict) or not isinstance(data.get("citationItems"), list):
        return attrs.evolve(field, problem="its citation data has no list of citationItems")
    items = []
    for entry in data["citationItems"]:
        if not isinstance(entry, dict):
            continue
        item_data = entry.get("itemData")
        uris = entry.get("uris", entry.get("uri", ()))
        if isinstance(uris, str):
            uris = [uris]
        items.append(
            FieldItem(
                item_data if isinstance(item_data, dict) else {},
                tuple(u for u in uris if isinstance(u, str)) if isinstance(uris, list) else (),
                locator=_text(entry.get("locator")),
                label=_text(entry.get("label")),
                prefix=_text(entry.get("prefix")),
                suffix=_text(entry.get("suffix")),
                suppress_author=bool(entry.get("suppress-author")),
            )
        )
    if not items:
        return attrs.evolve(field, problem="its citation data names no item")
    return attrs.evolve(field, items=items, formatted=_formatted(data))


def _formatted(data: dict[str, Any]) -> str | None:
    """The text the plugin last wrote into the field, to tell an edit made in Word."""
    properties = data.get("properties")
    if isinstance(properties, dict) and isinstance(properties.get("plainCitation"), str):
        if properties.get("dontUpdate"):
            return None  # the writer chose to keep an edit: Zotero leaves it alone
        return str(properties["plainCitation"])
    mendeley = data.get("mendeley")
    if isinstance(mendeley, dict):
        for key in ("previouslyFormattedCitation", "plainTextFormattedCitation"):
            value = mendeley.get(key)
            if isinstance(value, str):
                return _untagged(value)
    override = data.get("manualOverride")
    if isinstance(override, dict) and not override.get("isManuallyOverridden"):
        value = override.get("citeprocText")
        if isinstance(value, str):
            return _untagged(value)
    return None


_TAGS = re.compile(r"<[^>]{0,200}>")


def _untagged(text: str) -> str:
    """The plain text Word shows for citeproc's HTML (``<i>…</i>``)."""
    return html.unescape(_TAGS.sub("", text))


def _text(value: object) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = str(value).strip()
        return shown or None
    return None


# --- EndNote -----------------------------------------------------------------------------


def _endnote(field: WordField, rest: str, children: list[_Open]) -> WordField:
    """EN.CITE: the record XML inline, HTML-escaped, or base64 in a nested EN.CITE.DATA."""
    xml = rest.strip()
    for child in children:
        instruction = "".join(child.instruction).strip()
        if instruction.startswith("ADDIN EN.CITE.DATA") and not child.data and not xml:
            return attrs.evolve(
                field,
                problem="its nested EN.CITE.DATA field holds no record (no w:fldData): the "
                "program that last saved the file dropped it (LibreOffice does)",
            )
        if instruction.startswith("ADDIN EN.CITE.DATA") and child.data:
            try:
                xml = _base64("".join(child.data)).decode("utf-8")
            except (ValueError, UnicodeDecodeError) as err:
                return attrs.evolve(field, problem=f"its EN.CITE.DATA is not base64 ({err})")
            break
    if xml.startswith("&lt;"):
        xml = html.unescape(xml)
    if not xml.startswith("<"):
        return attrs.evolve(field, problem="it holds no EndNote record (no <EndNote> XML)")
    try:
        root = etree.fromstring(xml.encode("utf-8"), parser=xml_parser())
    except etree.XMLSyntaxError as err:
        return attrs.evolve(field, problem=f"its EndNote XML cannot be parsed ({err})")
    items = [_endnote_item(cite) for cite in root.iter("Cite")]
    if not items:
        return attrs.evolve(field, problem="its EndNote XML holds no <Cite>")
    return attrs.evolve(field, items=items)


#: EndNote reference types (their names in <ref-type name="…">) as CSL types.
_ENDNOTE_TYPES = {
    "Journal Article": "article-journal",
    "Newspaper Article": "article-newspaper",
    "Magazine Article": "article-magazine",
    "Web Page": "webpage",
    "Report": "report",
    "Government Document": "report",
    "Press Release": "report",
    "Book": "book",
    "Book Section": "chapter",
    "Speech": "speech",
    "Conference Paper": "paper-conference",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_PROSE_DATE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})\b|(\d{1,2})\s+([A-Za-z]+)")


def _endnote_item(cite: etree._Element) -> FieldItem:
    """One <Cite>: its <record> as CSL-JSON, its pages as the locator."""
    record = cite.find("record")
    data: dict[str, Any] = {}
    uris: list[str] = []
    if record is not None:
        kind = record.find("ref-type")
        if kind is not None and kind.get("name") in _ENDNOTE_TYPES:
            data["type"] = _ENDNOTE_TYPES[str(kind.get("name"))]
            if kind.get("name") == "Press Release":
                data["genre"] = "Press release"
        authors = [
            _endnote_name(_all_text(a)) for a in record.iterfind("contributors/authors/author")
        ]
        if authors:
            data["author"] = [a for a in authors if a]
        for path, variable in (
            ("titles/title", "title"),
            ("titles/secondary-title", "container-title"),
            ("publisher", "publisher"),
            ("electronic-resource-num", "DOI"),
            ("urls/related-urls/url", "URL"),
        ):
            found = record.find(path)
            value = _all_text(found) if found is not None else ""
            if value:
                data[variable] = value
        issued = _endnote_date(record)
        if issued:
            data["issued"] = {"date-parts": [issued]}
        number = record.findtext("rec-number")
        key = record.find("foreign-keys/key")
        if number and key is not None and key.get("db-id"):
            uris.append(f"endnote:{key.get('db-id')}:{number.strip()}")
    pages = cite.findtext("Pages")
    return FieldItem(
        data,
        uris,
        locator=pages.strip() if pages and pages.strip() else None,
        label="page" if pages and pages.strip() else None,
        prefix=_text(cite.findtext("Prefix")),
        suffix=_text(cite.findtext("Suffix")),
        suppress_author=cite.get("AuthorYear") == "1" or cite.get("ExcludeAuth") == "1",
    )


def _all_text(element: etree._Element | None) -> str:
    """An element's text (EndNote wraps values in <style> runs), spaces collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _endnote_name(text: str) -> dict[str, str]:
    """An EndNote author as a CSL name.

    "Marsh, Edda" is a person; "Ministry of Coastal Affairs," (a trailing comma, as
    EndNote marks a group author) or a name without a comma is an organisation.
    """
    text = text.strip()
    if not text:
        return {}
    if text.endswith(",") or "," not in text:
        return {"literal": text.rstrip(",").strip()}
    family, given = text.split(",", 1)
    name = {"family": family.strip()}
    if given.strip():
        name["given"] = given.strip()
    return name


def _endnote_date(record: etree._Element) -> list[int]:
    year_text = _all_text(record.find("dates/year"))
    full = _all_text(record.find("dates/pub-dates/date"))
    iso = _ISO_DATE.search(full) if full else None
    if iso:
        return [int(part) for part in iso.groups() if part]
    if not year_text[:4].isdigit():
        return []
    parts = [int(year_text[:4])]
    prose = _PROSE_DATE.search(full) if full else None
    if prose:
        month_name = (prose.group(1) or prose.group(4) or "").casefold()
        day = prose.group(2) or prose.group(3)
        if month_name in _MONTHS:
            parts.append(_MONTHS[month_name])
            if day:
                parts.append(int(day))
    return parts


# --- the fields in the brief ---------------------------------------------------------


#: CSL locator labels as APA writes them before the number.
_LABELS = {
    "page": "p.",
    "paragraph": "para.",
    "section": "section",
    "chapter": "chapter",
    "line": "line",
    "figure": "figure",
    "note": "note",
    "volume": "vol.",
    "verse": "verse",
    "sub-verbo": "s.v.",
}


def locator_text(item: FieldItem) -> str | None:
    """An item's locator as a citation writes it: ("4", "paragraph") -> "para. 4"."""
    if item.locator is None:
        return None
    label = _LABELS.get(item.label or "page", item.label or "")
    if label == "p." and re.search(r"[-–,]", item.locator):
        label = "pp."
    if label == "para." and re.search(r"[-–,]", item.locator):
        label = "paras."
    return f"{label} {item.locator}".strip()


def attach(brief: Brief, found: list[tuple[Found, str]]) -> Brief:
    """``brief`` with its reference managers' fields, each tied to its text and citations.

    ``found`` gives each field with the place of the paragraph (or note) it starts in. A
    citation field's display text is looked for in that paragraph; the citations the
    text parser found in it get the field (their works its items, in order, or by
    author and year); a field in a footnote whose text holds no author-date citation is
    the note's: its mark's citation gets it. A field whose text no citation was found
    in becomes a citation of its own (form ``field``), so that every field is checked.
    A bibliography field spans the reference list.
    """
    by_place: dict[str, tuple[int, int]] = {}
    for paragraph in brief.paragraphs:
        if paragraph.place is not None:
            by_place.setdefault(paragraph.place, (paragraph.span.start, paragraph.span.end))
    cursor: dict[str, int] = {}
    fields: list[WordField] = []
    for item, place in found:
        field = attrs.evolve(item.field, place=place)
        if field.kind == "bibliography":
            if brief.references:
                first, last = brief.references[0].span, brief.references[-1].span
                field = attrs.evolve(field, span=brief.span_at(first.start, last.end))
            fields.append(field)
            continue
        bounds = by_place.get(place)
        words = field.text.split()
        if bounds is not None and 0 < len(words) <= MAX_WORDS:
            pattern = re.compile(r"\s*".join(re.escape(w) for w in words))
            match = pattern.search(brief.text, max(cursor.get(place, 0), bounds[0]), bounds[1])
            if match is not None:
                cursor[place] = match.end()
                field = attrs.evolve(field, span=brief.span_at(match.start(), match.end()))
        fields.append(field)
    return _with_citations(attrs.evolve(brief, fields=fields))


def _with_citations(brief: Brief) -> Brief:
    citations = list(brief.citations)
    # Citations come in text order and do not overlap: those in a field's span are found
    # by bisection (a brief of thousands of fields would cost fields times citations).
    starts = [c.span.start for c in citations]
    marks = {mark_label(c.text): i for i, c in enumerate(citations) if c.form == "note"}
    tied: dict[int, list[WordField]] = {}
    added: list[Citation] = []
    for field in brief.fields:
        if field.kind != "citation" or field.span is None:
            continue
        span = field.span
        inside: list[int] = []
        index = bisect.bisect_left(starts, span.end) - 1
        while index >= 0 and citations[index].span.end > span.start:
            if citations[index].form != "note":
                inside.insert(0, index)
            index -= 1
        if not inside and field.place and field.place.startswith("footnote"):
            number = field.place.split()[-1]
            inside = [marks[number]] if number in marks else []
        if inside:
            for i in inside:
                tied.setdefault(i, []).append(field)
        elif field.items:
            works: Any = (CitedWork(_first_author(item), _year(item)) for item in field.items)
            added.append(Citation(span, field.text, "field", works))
            tied[len(citations) + len(added) - 1] = [field]
    if not tied:
        return brief
    citations += added
    for index, fields in tied.items():
        citations[index] = _tie(citations[index], fields)
    citations.sort(key=lambda c: c.span.start)
    changed = {c.span: c for c in citations if c.field is not None}
    quotations = [
        attrs.evolve(q, citation=changed[q.citation.span])
        if q.citation is not None and q.citation.span in changed
        else q
        for q in brief.quotations
    ]
    return attrs.evolve(brief, citations=citations, quotations=quotations)


def _tie(citation: Citation, fields: list[WordField]) -> Citation:
    """The citation with its field; each work names the item it is."""
    field = fields[0]
    if len(fields) > 1:  # two citations in one footnote: one note, their items together
        items = tuple(i for f in fields for i in f.items)
        field = attrs.evolve(field, items=items, text="; ".join(f.text for f in fields))
    items = field.items
    if not items:
        return attrs.evolve(citation, field=field)
    if citation.form == "note":
        naming = citation.works[0].authors if citation.works else ""
        works: list[CitedWork] = [
            CitedWork(naming, locator=locator_text(item), item=i) for i, item in enumerate(items)
        ]
    elif len(citation.works) == len(items):
        works = [_named(w, i, items[i]) for i, w in enumerate(citation.works)]
    else:
        works = []
        taken: set[int] = set()
        for work in citation.works:
            index = _same_work(work, items, taken)
            if index is None:
                works.append(work)
            else:
                taken.add(index)
                works.append(_named(work, index, items[index]))
    tied: Any = tuple(works)
    return attrs.evolve(citation, works=tied, field=field)


def _named(work: CitedWork, index: int, item: FieldItem) -> CitedWork:
    return attrs.evolve(work, item=index, locator=work.locator or locator_text(item))


def _same_work(work: CitedWork, items: tuple[FieldItem, ...], taken: set[int]) -> int | None:
    """The item a work written in the text is: same first author and year."""
    written = _fold(work.authors)
    for index, item in enumerate(items):
        if index in taken:
            continue
        author = _fold(_first_author(item))
        year = _year(item)
        if author and author in written and (work.year or "")[:4] == (year or "")[:4]:
            return index
    return None


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _first_author(item: FieldItem) -> str:
    """The name an author-date citation gives the item's first author (or its title)."""
    authors = item.data.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        first = authors[0]
        return str(first.get("family") or first.get("literal") or "")
    return str(item.data.get("title") or "")


def _year(item: FieldItem) -> str | None:
    issued = item.data.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        raw = issued.get("raw") or issued.get("literal")
        if isinstance(raw, str) and re.match(r"\d{4}", raw):
            return raw[:4]
    return None


def iter_items(fields: tuple[WordField, ...]) -> Iterator[tuple[WordField, FieldItem]]:
    """Every item of every citation field, with its field."""
    for field in fields:
        for item in field.items:
            yield field, item


__all__ = [
    "MAX_DEPTH",
    "MAX_INSTRUCTION",
    "MAX_WORDS",
    "Found",
    "attach",
    "iter_items",
    "locator_text",
    "read_content_control",
    "read_field",
    "scan",
]
