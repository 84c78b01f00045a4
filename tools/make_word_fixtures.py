"""Write the Word briefs cited with Zotero, Mendeley and EndNote, and their library.

What a reference manager's Word plugin writes is reproduced here as WordprocessingML
(python-docx has no API for fields or content controls): complex fields (``w:fldChar``
begin / separate / end with ``w:instrText``), simple fields (``w:fldSimple``), content
controls (``w:sdt``), an EndNote field nesting ``ADDIN EN.CITE.DATA`` with its record
as base64 in ``w:fldData``, and footnotes (``word/footnotes.xml``). The formats follow
the plugins: Zotero's CSL citation JSON (``citationItems`` with ``itemData``, ``uris``,
``locator``, ``label``; ``properties.plainCitation``; the schema URL), Mendeley
Desktop's (``mendeley.previouslyFormattedCitation``), Mendeley Cite's content control
tag ``MENDELEY_CITATION_v3_`` + base64 JSON, EndNote's ``<EndNote><Cite>…<record>``.

Written (run from the repository root: ``python tools/make_word_fixtures.py``):

* ``tests/data/word-library/``: the library of a fictional Fjordland Water Authority
  and the sources around it (one YAML record each; Zotero/Mendeley/EndNote ids kept
  as aliases where the brief's plugin would know them);
* ``tests/golden/word/*.docx``: one brief per plugin and trap (see BRIEFS);
* ``tests/golden/check/PC23x-*/brief.docx``: the golden check cases of the field rules,
  citing the library of tests/test_check.py (their items are written out here);
* ``examples/word/brief.docx`` and ``examples/word/references/``: the README's example.

Packages are written by tools/docxpackage.py with fixed dates, so running the script again
gives the same bytes.
The items a plugin stored are made from the records (CSL-JSON), then changed where a
brief is meant to hold a stale copy; the bibliographies are policycite's APA rendering.
"""

from __future__ import annotations

import base64
import datetime
import html
import json
import re
import shutil
import sys
import zlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# The package writer shared with the other fixture scripts sits next to this one; tests
# load this script by path, so its folder is not on the path by itself.
sys.path.insert(0, str(ROOT / "tools"))

import docxpackage  # noqa: E402

from policycite.formats.csljson import to_items  # noqa: E402
from policycite.library import load_library, save_source  # noqa: E402
from policycite.model import Library, Name, PartialDate, Provenance, Source  # noqa: E402
from policycite.render import Renderer  # noqa: E402

W = docxpackage.W
FIXED = datetime.datetime(2025, 5, 6, 9, 0, 0)
SCHEMA = "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"
LIBRARY = ROOT / "tests" / "data" / "word-library"
GOLDEN = ROOT / "tests" / "golden" / "word"
CHECK = ROOT / "tests" / "golden" / "check"
EXAMPLE = ROOT / "examples" / "word"

FWA = Name.organisation("Fjordland Water Authority")
ZOTERO = "http://zotero.org/users/4242/items/"
MENDELEY = "http://www.mendeley.com/documents/?uuid="


def _source(key: str, kind: str, url: str, aliases: tuple[str, ...] = (), **fields: Any) -> Source:
    provenance = Provenance(url=url, accessed=PartialDate(2025, 5, 2), aliases=aliases)
    return Source(key=key, kind=kind, language="en", provenance=provenance, **fields)


SOURCES = [
    _source(
        "fwa2025",
        "press-release",
        "https://www.fjordwater.example/press/2025-03-12-nitrate-limits",
        (f"{ZOTERO}NITR8ATE",),
        title="Water Authority sets stricter limits for nitrate in drinking water",
        authors=[FWA],
        issued=PartialDate(2025, 3, 12),
    ),
    _source(
        "holm2025",
        "speech",
        "https://www.fjordwater.example/speeches/2025-04-02-water-forum",
        (f"{ZOTERO}H0LM2025", f"{MENDELEY}5b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"),
        title="Speech by Director Sigrid Holm at the Fjordland Water Forum",
        authors=[Name.person("Holm", "Sigrid")],
        issued=PartialDate(2025, 4, 2),
        publisher="Fjordland Water Authority",
    ),
    _source(
        "dahl2024",
        "news-article",
        "https://www.fjordpost.example/news/2024/11/20/cleaner-rivers",
        title="Farmers question the cost of cleaner rivers",
        authors=[Name.person("Dahl", "Ivar")],
        issued=PartialDate(2024, 11, 20),
        container_title="Fjord Post",
    ),
    _source(
        "fwa2024",
        "report",
        "https://www.fjordwater.example/reports/nitrate-monitoring-2024",
        ("endnote:FJ0RDW4T3R:14",),
        title="Nitrate in Fjordland's rivers: Monitoring report 2024",
        authors=[FWA],
        issued=PartialDate(2024),
    ),
]
BY_KEY = {s.key: s for s in SOURCES}


def item(key: str, **changes: Any) -> dict[str, Any]:
    """The CSL-JSON a plugin stores for a record (Zotero's ids are numbers), changed."""
    (data,) = to_items([BY_KEY[key]])
    data.pop("custom", None)
    data.pop("accessed", None)
    data["id"] = 100 + list(BY_KEY).index(key)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- runs and fields -----------------------------------------------------------------


def run(text: str, *, italic: bool = False, rsid: str | None = None) -> str:
    props = "<w:rPr><w:i/></w:rPr>" if italic else ""
    attribute = f' w:rsidR="{rsid}"' if rsid else ""
    return f'<w:r{attribute}>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def marked(text: str) -> str:
    """Runs of text whose ``*…*`` stretches are in italics."""
    return "".join(
        run(piece, italic=index % 2 == 1) for index, piece in enumerate(text.split("*")) if piece
    )


def fld(kind: str, data: str | None = None) -> str:
    inner = f'<w:fldData xml:space="preserve">{data}</w:fldData>' if data else ""
    if inner:
        return f'<w:r><w:fldChar w:fldCharType="{kind}">{inner}</w:fldChar></w:r>'
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def instruction(text: str, pieces: int = 1) -> str:
    """The instruction in ``pieces`` runs (0: one character a run, as Word may split it)."""
    if pieces == 0:
        chunks = list(text)
    else:
        size = -(-len(text) // pieces)
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
    return "".join(
        f'<w:r w:rsidR="00{index % 97:02d}A1{index % 13:X}F"><w:rPr><w:noProof/></w:rPr>'
        f'<w:instrText xml:space="preserve">{escape(chunk)}</w:instrText></w:r>'
        for index, chunk in enumerate(chunks)
    )


def complex_field(code: str, result: str, *, pieces: int = 1, nested: str = "") -> str:
    return (
        fld("begin")
        + instruction(code, pieces)
        + nested
        + fld("separate")
        + marked(result)
        + fld("end")
    )


def csl_citation(
    items: list[tuple[dict[str, Any], dict[str, Any]]], text: str, note: int = 0, **extra: Any
) -> dict[str, Any]:
    """A CSL citation: each item as (itemData, other citationItem fields)."""
    return {
        "citationID": f"c{zlib.crc32(text.encode()):08x}",
        "properties": {"formattedCitation": text, "plainCitation": text, "noteIndex": note},
        "citationItems": [
            {
                "id": data["id"],
                **({"uris": []} if "uris" not in more else {}),
                **more,
                "itemData": data,
            }
            for data, more in items
        ],
        "schema": SCHEMA,
        **extra,
    }


def zotero(items: list[tuple[dict[str, Any], dict[str, Any]]], text: str, **options: Any) -> str:
    note = options.pop("note", 0)
    written = options.pop("written", text).replace("*", "")  # Zotero's plain text
    pieces = options.pop("pieces", 1)
    data = csl_citation(items, written, note)
    code = f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data, ensure_ascii=False)} "
    return complex_field(code, text, pieces=pieces)


def zotero_uri(key: str) -> dict[str, Any]:
    return {"uris": [a for a in BY_KEY[key].provenance.aliases if a.startswith(ZOTERO)]}


def mendeley_desktop(items: list[tuple[dict[str, Any], dict[str, Any]]], text: str) -> str:
    data = csl_citation(items, text)
    del data["properties"]["formattedCitation"], data["properties"]["plainCitation"]
    data["mendeley"] = {
        "formattedCitation": text,
        "plainTextFormattedCitation": text,
        "previouslyFormattedCitation": text,
    }
    code = f" ADDIN CSL_CITATION {json.dumps(data, ensure_ascii=False)} "
    return complex_field(code, text)


def mendeley_cite(items: list[tuple[dict[str, Any], dict[str, Any]]], text: str) -> str:
    data = {
        "citationID": f"MENDELEY_CITATION_{zlib.crc32(text.encode()):08x}",
        "properties": {"noteIndex": 0},
        "isEdited": False,
        "manualOverride": {
            "isManuallyOverridden": False,
            "citeprocText": text,
            "manualOverrideText": "",
        },
        "citationItems": [
            {"id": str(d["id"]), "itemData": d, "isTemporary": False, **more} for d, more in items
        ],
    }
    encoded = base64.b64encode(json.dumps(data, ensure_ascii=False).encode()).decode()
    tag = f"MENDELEY_CITATION_v3_{encoded}"
    return (
        f'<w:sdt><w:sdtPr><w:tag w:val={quoteattr(tag)}/><w:id w:val="{len(text) * 7919}"/>'
        f"</w:sdtPr><w:sdtContent>{marked(text)}</w:sdtContent></w:sdt>"
    )


def endnote_xml(key: str, recnum: int, display: str, pages: str | None = None) -> str:
    """An EndNote <Cite> of a record, as Cite While You Write writes it."""
    source = BY_KEY[key]
    types = {
        "press-release": ("Press Release", 63),
        "report": ("Report", 27),
        "speech": ("Speech", 50),
        "news-article": ("Newspaper Article", 23),
    }
    name, number = types[source.kind]
    authors = "".join(
        f'<author><style face="normal" font="default" size="100%">'
        f"{escape(a.literal + ',' if a.literal else f'{a.family}, {a.given}')}</style></author>"
        for a in source.authors
    )
    date = ""
    if source.issued and source.issued.month:
        month = datetime.date(2000, source.issued.month, 1).strftime("%B")
        date = f"<pub-dates><date>{month} {source.issued.day}</date></pub-dates>"
    container = (
        f"<secondary-title>{escape(source.container_title)}</secondary-title>"
        if source.container_title
        else ""
    )
    first = source.authors[0].literal or source.authors[0].family or ""
    return (
        f"<EndNote><Cite><Author>{escape(first)}"
        f"</Author><Year>{source.issued.year if source.issued else ''}</Year>"
        f"<RecNum>{recnum}</RecNum>"
        + (f"<Pages>{pages}</Pages>" if pages else "")
        + f"<DisplayText>{escape(display)}</DisplayText><record><rec-number>{recnum}</rec-number>"
        f'<foreign-keys><key app="EN" db-id="FJ0RDW4T3R">{recnum}</key></foreign-keys>'
        f'<ref-type name="{name}">{number}</ref-type><contributors><authors>{authors}'
        f'</authors></contributors><titles><title><style face="normal" font="default" '
        f'size="100%">{escape(source.title or "")}</style></title>{container}</titles>'
        f"<dates><year>{source.issued.year if source.issued else ''}</year>{date}</dates>"
        f"<urls><related-urls><url>{escape(source.url or '')}</url></related-urls></urls>"
        "</record></Cite></EndNote>"
    )


def endnote(
    key: str, recnum: int, display: str, how: str = "inline", pages: str | None = None
) -> str:
    xml = endnote_xml(key, recnum, display, pages)
    if how == "data":  # the record as base64 in a nested EN.CITE.DATA field
        data = base64.b64encode(xml.encode()).decode()
        nested = fld("begin", data) + instruction(" ADDIN EN.CITE.DATA ") + fld("end")
        return complex_field(" ADDIN EN.CITE ", display, nested=nested)
    if how == "escaped":  # HTML-escaped once more, as some versions write it
        xml = html.escape(xml, quote=False)
    return complex_field(f" ADDIN EN.CITE {xml}", display)


def simple_field(code: str, result: str) -> str:
    return f"<w:fldSimple w:instr={quoteattr(code)}>{marked(result)}</w:fldSimple>"


def note_mark(number: int) -> str:
    return (
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'
    )


# --- bibliographies ----------------------------------------------------------------------


def apa_entries(library: Library, keys: list[str]) -> dict[str, str]:
    """The APA entry of each record by key, italics as ``*…*``."""
    rendered = Renderer(library, "apa", output="html").bibliography(keys)
    return {
        key: html.unescape(re.sub(r"</?i>", "*", re.sub(r"<(?!/?i>)[^>]+>", "", entry)))
        for key, entry in zip(rendered.keys, rendered.entries, strict=True)
    }


def field_bibliography(code: str, entries: list[str]) -> list[str]:
    """A bibliography field running over one paragraph per entry (Zotero, Mendeley, EndNote)."""
    paragraphs = []
    for index, entry in enumerate(entries):
        start = fld("begin") + instruction(code) + fld("separate") if index == 0 else ""
        end = fld("end") if index == len(entries) - 1 else ""
        paragraphs.append(f"<w:p>{start}{marked(entry)}{end}</w:p>")
    return paragraphs


def sdt_bibliography(entries: list[str]) -> list[str]:
    """Mendeley Cite's bibliography: one content control around its paragraphs."""
    inner = "".join(f"<w:p>{marked(entry)}</w:p>" for entry in entries)
    return [
        f'<w:sdt><w:sdtPr><w:tag w:val="MENDELEY_BIBLIOGRAPHY"/><w:id w:val="42"/></w:sdtPr>'
        f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>"
    ]


def plain_list(entries: list[str]) -> list[str]:
    return [f"<w:p>{marked(entry)}</w:p>" for entry in entries]


# --- packages ----------------------------------------------------------------------------


Block = tuple[str, str]  # (style or "xml", content: text with ``*`` italics, or raw XML)


def heading(text: str, level: int = 1) -> Block:
    return (f"Heading {level}", text)


def para(*parts: str) -> Block:
    return ("xml", "<w:p>" + "".join(parts) + "</w:p>")


def build(blocks: list[Block | list[str]], notes: dict[int, str] | None = None) -> bytes:
    """The .docx bytes: python-docx's package, the blocks' XML, footnotes added."""
    document = docxpackage.document("policycite fixtures", FIXED)
    body = document.element.body
    section = body[-1]
    xml_blocks: list[str] = []
    for block in blocks:
        if isinstance(block, list):
            xml_blocks += block
            continue
        style, content = block
        if style == "xml":
            xml_blocks.append(content)
        else:
            paragraph = document.add_paragraph(content, style=style)
            xml_blocks.append(_xml(paragraph._p))
            body.remove(paragraph._p)
    for xml in xml_blocks:
        section.addprevious(_parse(xml))
    parts = [docxpackage.footnotes({n: run(" ") + c for n, c in notes.items()})] if notes else []
    return docxpackage.package(document, FIXED, parts)


def _parse(xml: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(
        xml.replace("<w:p>", f'<w:p xmlns:w="{W}">', 1)
        if xml.startswith("<w:p>")
        else xml.replace("<w:sdt>", f'<w:sdt xmlns:w="{W}">', 1)
    )


def _xml(element: Any) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


# --- the briefs --------------------------------------------------------------------------


def fjordland_briefs(library: Library) -> dict[str, bytes]:
    """The golden Word briefs citing the Fjordland library, by file name."""
    apa = apa_entries(library, ["fwa2025", "holm2025", "dahl2024", "fwa2024"])
    ordered = [apa[k] for k in ("dahl2024", "fwa2024", "fwa2025", "holm2025")]
    fwa25 = (item("fwa2025"), zotero_uri("fwa2025"))
    holm = (item("holm2025"), {**zotero_uri("holm2025"), "locator": "3", "label": "paragraph"})
    dahl = (item("dahl2024"), {"uris": [f"{ZOTERO}DAHL2024"]})
    fwa24 = (item("fwa2024"), {"uris": [f"{ZOTERO}FWAREP24"]})
    intro = heading("Nitrate limits: what changes for farms", 1)
    briefs: dict[str, bytes] = {}

    briefs["zotero-intext.docx"] = build(
        [
            intro,
            para(
                run(
                    "The Fjordland Water Authority lowered the limit for nitrate in drinking water "
                ),
                zotero([fwa25], "(Fjordland Water Authority, 2025)"),
                run("."),
            ),
            para(
                run("Its director told the Water Forum that the rivers had improved for a decade "),
                zotero([holm], "(Holm, 2025, para. 3)"),
                run(". Farmers doubt the costs "),
                zotero([dahl, fwa24], "(Dahl, 2024; Fjordland Water Authority, 2024)"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                ordered,
            ),
        ]
    )

    notes = {
        1: zotero(
            [fwa25],
            "Fjordland Water Authority, “Water Authority Sets Stricter Limits "
            "for Nitrate in Drinking Water,” press release, March 12, 2025.",
            note=1,
        ),
        2: zotero(
            [holm],
            "Sigrid Holm, “Speech by Director Sigrid Holm at the Fjordland Water "
            "Forum” (Fjordland Water Authority, April 2, 2025), para. 3.",
            note=2,
        ),
        3: zotero(
            [dahl],
            "Ivar Dahl, “Farmers Question the Cost of Cleaner Rivers,” *Fjord "
            "Post*, November 20, 2024.",
            note=3,
        ),
    }
    briefs["zotero-notes.docx"] = build(
        [
            intro,
            para(
                run("The Authority lowered the limit for nitrate in drinking water."),
                note_mark(1),
                run(" Its director said the rivers had improved for a decade."),
                note_mark(2),
            ),
            para(run("Farmers doubt that the costs are worth it."), note_mark(3)),
            heading("Bibliography", 2),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                [apa[k] for k in ("dahl2024", "fwa2025", "holm2025")],
            ),
        ],
        notes,
    )

    mendeley_holm = (
        item("holm2025", id="ITEM-2"),
        {
            "uris": [a for a in BY_KEY["holm2025"].provenance.aliases if a.startswith(MENDELEY)],
            "locator": "3",
            "label": "paragraph",
        },
    )
    mendeley_dahl = (
        item("dahl2024", id="ITEM-1"),
        {"uris": [f"{MENDELEY}0d4f8e2a-5c1b-4e6f-9a7d-3b2c1e0f9a8b"]},
    )
    briefs["mendeley-desktop.docx"] = build(
        [
            intro,
            para(
                run("Farmers doubt the costs "),
                mendeley_desktop([mendeley_dahl], "(Dahl, 2024)"),
                run(", though the director sees progress "),
                mendeley_desktop([mendeley_holm], "(Holm, 2025, para. 3)"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(
                " ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY ", [apa["dahl2024"], apa["holm2025"]]
            ),
        ]
    )

    briefs["mendeley-cite.docx"] = build(
        [
            intro,
            para(
                run("Farmers doubt the costs "),
                mendeley_cite([mendeley_dahl], "(Dahl, 2024)"),
                run(", though the director sees progress "),
                mendeley_cite([mendeley_holm], "(Holm, 2025, para. 3)"),
                run("."),
            ),
            heading("References", 2),
            sdt_bibliography([apa["dahl2024"], apa["holm2025"]]),
        ]
    )

    reflist = " ADDIN EN.REFLIST "
    briefs["endnote-inline.docx"] = build(
        [
            intro,
            para(
                run("The monitoring report found nitrate falling "),
                endnote("fwa2024", 14, "(Fjordland Water Authority, 2024)"),
                run("; farmers doubt the costs "),
                endnote("dahl2024", 15, "(Dahl, 2024)", how="escaped"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(reflist, [apa["dahl2024"], apa["fwa2024"]]),
        ]
    )
    briefs["endnote-data.docx"] = build(
        [
            intro,
            para(
                run("The monitoring report found nitrate falling "),
                endnote("fwa2024", 14, "(Fjordland Water Authority, 2024)", how="data"),
                run(", and the new limit follows from it "),
                endnote("fwa2025", 16, "(Fjordland Water Authority, 2025)", how="data"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(reflist, [apa["fwa2024"], apa["fwa2025"]]),
        ]
    )

    simple_data = csl_citation([fwa25], "(Fjordland Water Authority, 2025)")
    briefs["split-runs.docx"] = build(
        [
            intro,
            para(
                run("The limit for nitrate was lowered "),
                zotero([fwa25], "(Fjordland Water Authority, 2025)", pieces=0),
                run(", as the director explained "),
                zotero([holm], "(Holm, 2025, para. 3)", pieces=37),
                run("."),
            ),
            para(
                run("Word may also keep a field as a simple field "),
                simple_field(
                    " ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(simple_data) + " ",
                    "(Fjordland Water Authority, 2025)",
                ),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                [apa["fwa2025"], apa["holm2025"]],
            ),
        ]
    )

    stale25 = (
        item(
            "fwa2025",
            title="Water Authority sets new limits for nitrate",
            issued={"date-parts": [[2025, 3, 11]]},
        ),
        zotero_uri("fwa2025"),
    )
    stale_holm = (
        item("holm2025", URL="https://www.fjordwater.example/speeches/holm-forum"),
        {**zotero_uri("holm2025"), "locator": "3", "label": "paragraph"},
    )
    briefs["stale.docx"] = build(
        [
            intro,
            para(
                run("The limit for nitrate was lowered "),
                zotero([stale25], "(Fjordland Water Authority, 2025)"),
                run(", as the director explained "),
                zotero([stale_holm], "(Holm, 2025, para. 3)"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                [apa["fwa2025"], apa["holm2025"]],
            ),
        ]
    )

    # The trial's case: the item carries the record's URL (and another Zotero user's URI),
    # its title has other punctuation, and the bibliography stands under no heading with
    # a closing line after it, so the words of the text find no reference list.
    punctuated = (
        item(
            "fwa2025", title="Water Authority sets stricter limits for nitrate in drinking-water!"
        ),
        {"uris": [f"{ZOTERO.replace('4242', '977')}Q8W7E6R5"]},
    )
    entry = apa["fwa2025"].replace(
        "stricter limits for nitrate in drinking water",
        "stricter limits for nitrate in drinking-water!",
    )
    briefs["url-punctuation.docx"] = build(
        [
            intro,
            para(
                run("The limit for nitrate was lowered "),
                zotero([punctuated], "(Fjordland Water Authority, 2025)"),
                run("."),
            ),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                [entry],
            ),
            ("Normal", "Prepared by the policy unit, May 2025. Questions to the editor."),
        ]
    )
    return briefs


# --- golden check cases: the library of tests/test_check.py -------------------------------

MCA = {"literal": "Ministry of Coastal Affairs"}
DREDGING = {
    "id": 7,
    "type": "report",
    "genre": "Press release",
    "title": "Harbour dredging permits to be decided within 60 days",
    "author": [MCA],
    "issued": {"date-parts": [[2024, 9, 17]]},
    "URL": "https://www.coastal-affairs.example/press/2024-09-17-dredging-permits",
}
DREDGING_ENTRY = (
    "Ministry of Coastal Affairs. (2024, September 17). *Harbour dredging permits to be "
    "decided within 60 days* [Press release]. "
    "https://www.coastal-affairs.example/press/2024-09-17-dredging-permits"
)
MCA_URI = {"uris": ["http://zotero.org/users/61/items/DREDGE24"]}


def check_case(code_field: str) -> bytes:
    return build(
        [
            heading("Dredging costs in small harbours", 1),
            para(
                run("Small harbours will gain most from faster dredging permits "),
                code_field,
                run("."),
            ),
            heading("References", 2),
            plain_list([DREDGING_ENTRY]),
        ]
    )


def check_cases() -> dict[str, bytes]:
    cite = "(Ministry of Coastal Affairs, 2024)"
    broken = complex_field(
        ' ADDIN ZOTERO_ITEM CSL_CITATION {"citationID":"x1","citationItems":[{"id":7,'
        '"itemData":{"title":"Harbour dredging permits"',
        cite,
    )
    other = {
        **DREDGING,
        "id": 8,
        "title": "Dredging decisions to come faster",
        "URL": "https://www.coastal-affairs.example/news/dredging",
    }
    return {
        "PC230-stale-field-metadata": check_case(
            zotero([({**DREDGING, "issued": {"date-parts": [[2024, 9, 16]]}}, MCA_URI)], cite)
        ),
        "PC231-field-unreadable": check_case(broken),
        "PC232-field-item-not-in-library": check_case(
            zotero([(other, {"uris": ["http://zotero.org/users/61/items/OLDC0PY1"]})], cite)
        ),
        "PC233-field-text-edited": check_case(
            zotero([(DREDGING, MCA_URI)], "(see Ministry of Coastal Affairs, 2024)", written=cite)
        ),
    }


def example_brief(library: Library) -> bytes:
    """The README's example: Zotero fields, one of them a stale copy, and the bibliography."""
    apa = apa_entries(library, ["fwa2025", "dahl2024"])
    stale = (item("fwa2025", issued={"date-parts": [[2025, 3, 11]]}), zotero_uri("fwa2025"))
    return build(
        [
            heading("Nitrate limits: what changes for farms", 1),
            para(
                run(
                    "The Fjordland Water Authority lowered the limit for nitrate in drinking water "
                ),
                zotero([stale], "(Fjordland Water Authority, 2025)"),
                run(". Farmers doubt the costs "),
                zotero([(item("dahl2024"), {"uris": [f"{ZOTERO}DAHL2024"]})], "(Dahl, 2024)"),
                run("."),
            ),
            heading("References", 2),
            field_bibliography(
                ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY ',
                [apa["dahl2024"], apa["fwa2025"]],
            ),
        ]
    )


def write_library(folder: Path, keys: list[str]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for key in keys:
        save_source(folder, BY_KEY[key])


def main() -> None:
    write_library(LIBRARY, list(BY_KEY))
    library = load_library(LIBRARY).library
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, data in fjordland_briefs(library).items():
        (GOLDEN / name).write_bytes(data)
        print(f"wrote {(GOLDEN / name).relative_to(ROOT)}")
    for case, data in check_cases().items():
        (CHECK / case).mkdir(parents=True, exist_ok=True)
        (CHECK / case / "brief.docx").write_bytes(data)
        print(f"wrote {(CHECK / case / 'brief.docx').relative_to(ROOT)}")
    write_library(EXAMPLE / "references", ["fwa2025", "dahl2024"])
    (EXAMPLE / "brief.docx").write_bytes(example_brief(library))
    print(f"wrote {(EXAMPLE / 'brief.docx').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
