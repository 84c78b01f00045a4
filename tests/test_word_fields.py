"""Reference managers' fields in Word briefs: Zotero, Mendeley (Desktop, Cite), EndNote.

The briefs under ``tests/golden/word`` are made by ``tools/make_word_fixtures.py`` (a test
below remakes them and compares the bytes) and cite the Fjordland library of
``tests/data/word-library``. Each brief's text report is a golden file; beyond it, the
tests assert what the issue asks: every field citation is found in the text and resolves
to its record by the item it stores, stale copies are reported naming the plugin, and
findings about plugin-made text say the fix belongs in the reference manager.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from policycite.brief.readers import read_brief
from policycite.brief.wordfields import read_content_control, read_field
from policycite.library import load_library
from policycite.output import text
from policycite.rules.context import Context
from policycite.rules.result import CheckResult
from policycite.rules.validate import check

from conftest import GOLDEN, ROOT, Golden

WORD = GOLDEN / "word"
LIBRARY = ROOT / "tests" / "data" / "word-library"
BRIEFS = sorted(p.name for p in WORD.glob("*.docx"))

#: Brief -> the plugin of its fields and how many citation fields it holds.
PLUGINS = {
    "endnote-data.docx": ("EndNote", 2),
    "endnote-inline.docx": ("EndNote", 2),
    "mendeley-cite.docx": ("Mendeley Cite", 2),
    "mendeley-desktop.docx": ("Mendeley Desktop", 2),
    "split-runs.docx": ("Zotero", 3),
    "stale.docx": ("Zotero", 2),
    "url-punctuation.docx": ("Zotero", 1),
    "zotero-intext.docx": ("Zotero", 3),
    "zotero-notes.docx": ("Zotero", 3),
}


def _check(name: str) -> CheckResult:
    return check(read_brief(WORD / name), load_library(LIBRARY).library, LIBRARY)


def test_every_brief_is_listed() -> None:
    assert set(BRIEFS) == set(PLUGINS)


@pytest.mark.parametrize("name", BRIEFS)
def test_golden_report(name: str, golden: Golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = check(
        read_brief(Path("tests/golden/word") / name), load_library(LIBRARY).library, LIBRARY
    )
    golden.check(
        f"word/{name.removesuffix('.docx')}.expected.txt", text.to_text(result, color=False)
    )


@pytest.mark.parametrize("name", BRIEFS)
def test_every_field_citation_is_found_and_resolves(name: str) -> None:
    brief = read_brief(WORD / name)
    plugin, count = PLUGINS[name]
    cites = [f for f in brief.fields if f.kind == "citation"]
    assert len(cites) == count
    assert {f.plugin for f in brief.fields} == {plugin}
    # A bibliography field marks the reference list, under a heading or none.
    (bibliography,) = [f for f in brief.fields if f.kind == "bibliography"]
    assert brief.references and bibliography.span is not None
    for field in cites:
        assert field.problem is None and field.items
        assert field.span is not None
        assert " ".join(brief.text[field.span.start : field.span.end].split()) == " ".join(
            field.text.split()
        )
    # Each field is a citation of the brief (a note's mark for a footnote's field).
    for field in cites:
        assert any(c.field is not None and field.text in c.field.text for c in brief.citations), (
            field.text
        )
    ctx = Context(brief, load_library(LIBRARY).library, LIBRARY)
    tied = [r for r in ctx.resolved if r.citation.field is not None]
    assert sum(len(c.field.items) for c in brief.citations if c.field) == sum(
        len(f.items) for f in cites
    )
    assert len(tied) == sum(len(f.items) for f in cites)
    for resolved in tied:
        assert resolved.source is not None, resolved.citation.text
        assert resolved.references, resolved.citation.text  # its entry in the list
        item = resolved.citation.field.items[resolved.work.item]
        assert ctx.items.find(item)[0] == resolved.source
    codes = {f.code for f in _check(name).findings}
    assert not codes & {"PC201", "PC202", "PC209", "PC218", "PC219", "PC231", "PC232"}


def test_items_name_records_by_alias_url_and_endnote_number() -> None:
    library = load_library(LIBRARY).library
    found = {}
    for name in ("zotero-intext.docx", "endnote-data.docx", "url-punctuation.docx"):
        ctx = Context(read_brief(WORD / name), library, LIBRARY)
        for field in ctx.brief.fields:
            for item in field.items:
                source, how = ctx.items.find(item)
                assert source is not None
                found[(name, source.key)] = how
    assert found[("zotero-intext.docx", "fwa2025")] == "alias"  # the Zotero URI
    assert found[("zotero-intext.docx", "dahl2024")] == "URL"  # an item not aliased
    assert found[("endnote-data.docx", "fwa2024")] == "alias"  # endnote:<db>:<record>
    assert found[("url-punctuation.docx", "fwa2025")] == "URL"  # another user's URI


def test_locator_and_label_are_the_cites_locator() -> None:
    for name in ("zotero-intext.docx", "mendeley-cite.docx", "zotero-notes.docx"):
        brief = read_brief(WORD / name)
        (holm,) = [
            w
            for c in brief.citations
            if c.field is not None
            for w in c.works
            if w.item is not None and "Holm" in json.dumps(dict(c.field.items[w.item].data))
        ]
        assert holm.locator == "para. 3"


def test_notes_style_citations_in_footnotes_belong_to_their_marks() -> None:
    brief = read_brief(WORD / "zotero-notes.docx")
    notes = [c for c in brief.citations if c.form == "note"]
    assert [c.text for c in notes] == ["¹", "²", "³"]
    assert all(
        c.field is not None and c.field.place == f"footnote {i}" for i, c in enumerate(notes, 1)
    )


def test_instructions_split_over_many_runs_and_simple_fields() -> None:
    with zipfile.ZipFile(WORD / "split-runs.docx") as package:
        document = package.read("word/document.xml").decode()
    # One character a run: the instruction is only whole when the runs are joined.
    assert '<w:instrText xml:space="preserve">A</w:instrText>' in document
    assert document.count("<w:instrText") > 300
    assert "<w:fldSimple" in document
    brief = read_brief(WORD / "split-runs.docx")
    assert [f.text for f in brief.fields if f.kind == "citation"] == [
        "(Fjordland Water Authority, 2025)",
        "(Holm, 2025, para. 3)",
        "(Fjordland Water Authority, 2025)",
    ]


def test_endnote_record_from_inline_escaped_and_base64_xml() -> None:
    inline = read_brief(WORD / "endnote-inline.docx").fields
    data = read_brief(WORD / "endnote-data.docx").fields
    titles = [i.data.get("title") for f in (*inline, *data) for i in f.items]
    assert titles == [
        "Nitrate in Fjordland's rivers: Monitoring report 2024",
        "Farmers question the cost of cleaner rivers",  # HTML-escaped once more
        "Nitrate in Fjordland's rivers: Monitoring report 2024",  # EN.CITE.DATA, base64
        "Water Authority sets stricter limits for nitrate in drinking water",
    ]
    fwa2025 = data[1].items[0].data
    assert fwa2025["author"] == [{"literal": "Fjordland Water Authority"}]
    assert fwa2025["issued"] == {"date-parts": [[2025, 3, 12]]}
    assert fwa2025["genre"] == "Press release"


def test_stale_metadata_names_the_plugin_and_where_the_fix_belongs() -> None:
    stale = [f for f in _check("stale.docx").findings if f.code == "PC230"]
    assert [f.location.key for f in stale] == ["fwa2025", "holm2025"]
    assert "date 2025-03-11 vs 2025-03-12" in stale[0].message
    assert "title “Water Authority sets new limits for nitrate”" in stale[0].message
    assert "URL https://www.fjordwater.example/speeches/holm-forum" in stale[1].message
    for finding in stale:
        assert finding.message.startswith("Zotero's copy")
        assert "in Zotero" in (finding.hint or "")
        assert "Refresh" in (finding.hint or "") and "overwritten" in (finding.hint or "")


def test_punctuation_is_no_stale_title_but_the_trial_bug_is_fixed() -> None:
    """The item has the record's URL and a title with other punctuation (the trial's case).

    Without its fields (Word's "unlink fields") the brief's words find no reference list
    and the citation has no reference (PC201): the fields resolve it.
    """
    codes = [f.code for f in _check("url-punctuation.docx").findings]
    assert "PC230" not in codes and "PC201" not in codes
    (style,) = [f for f in _check("url-punctuation.docx").findings if f.code == "PC216"]
    assert "written by Zotero" in (style.hint or "") and "Refresh" in (style.hint or "")


def test_without_its_fields_the_same_brief_got_citation_without_reference(tmp_path: Path) -> None:
    unlinked = tmp_path / "unlinked.docx"
    _unlink_fields(WORD / "url-punctuation.docx", unlinked)
    brief = read_brief(unlinked)
    assert brief.fields == ()
    result = check(brief, load_library(LIBRARY).library, LIBRARY)
    assert "PC201" in {f.code for f in result.findings}


def _unlink_fields(source: Path, target: Path) -> None:
    """What Word's Ctrl+Shift+F9 does: field codes out, their results kept as text."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(out, "w") as copy:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode()
                xml = re.sub(r"<w:r><w:fldChar [^>]*/></w:r>", "", xml)
                xml = re.sub(r"<w:r[^>]*><w:rPr><w:noProof/></w:rPr><w:instrText.*?</w:r>", "", xml)
                data = xml.encode()
            copy.writestr(info, data)
    target.write_bytes(out.getvalue())


def test_fixtures_are_made_by_the_committed_script() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_word_fixtures", ROOT / "tools" / "make_word_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    library = load_library(LIBRARY).library
    for name, data in script.fjordland_briefs(library).items():
        assert (WORD / name).read_bytes() == data, name
    for case, data in script.check_cases().items():
        assert (GOLDEN / "check" / case / "brief.docx").read_bytes() == data, case


# --- damaged and hostile data: findings, never exceptions -------------------------------


@pytest.mark.parametrize(
    ("instruction", "problem"),
    [
        (' ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": [{"id": 1,', "not JSON"),
        (" ADDIN ZOTERO_ITEM CSL_CITATION ", "no JSON object"),
        (' ADDIN CSL_CITATION {"citationItems": "none"}', "no list of citationItems"),
        (' ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": []}', "names no item"),
        (" ADDIN EN.CITE <EndNote><Cite><record>", "cannot be parsed"),
        (" ADDIN EN.CITE <EndNote/>", "no <Cite>"),
        (" ADDIN ZOTERO_ITEM CSL_CITATION " + "[" * 300 + "]" * 300, "no JSON object"),
        (" ADDIN ZOTERO_ITEM CSL_CITATION {" + '"a":[' * 300 + "]" * 300 + "}", "nested"),
    ],
)
def test_unreadable_field_data_is_a_problem(instruction: str, problem: str) -> None:
    field = read_field(instruction, "(Marsh, 2025)", [])
    assert field is not None and field.problem is not None
    assert problem in field.problem
    assert field.items == () and field.text == "(Marsh, 2025)"


def test_other_fields_are_not_reference_managers() -> None:
    for instruction in (' HYPERLINK "https://example.org" ', " PAGE ", " NOTEREF _Ref1 \\h "):
        assert read_field(instruction, "x", []) is None


def test_entities_in_endnote_xml_are_not_expanded() -> None:
    xml = (
        '<!DOCTYPE EndNote [<!ENTITY boom "exploded">]><EndNote><Cite><record><titles>'
        "<title>&boom;</title></titles></record></Cite></EndNote>"
    )
    field = read_field(f" ADDIN EN.CITE {xml}", "(x)", [])
    assert field is not None
    assert "exploded" not in json.dumps([dict(i.data) for i in field.items])


def test_mendeley_cite_tag_in_standard_or_url_safe_base64() -> None:
    data = {"citationItems": [{"id": "a", "itemData": {"title": "Über ~ Flüsse?"}}]}
    raw = json.dumps(data, ensure_ascii=False).encode()
    for encoded in (
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ):
        field = read_content_control("MENDELEY_CITATION_v3_" + encoded, "(x)")
        assert field.problem is None
        assert field.items[0].data["title"] == "Über ~ Flüsse?"
    broken = read_content_control("MENDELEY_CITATION_v3_%%%", "(x)")
    assert broken.problem is not None and "base64" in broken.problem


def test_edited_text_is_told_from_what_the_plugin_wrote() -> None:
    data = {
        "citationItems": [{"id": 1, "itemData": {"title": "T"}}],
        "properties": {"plainCitation": "(Marsh, 2025)", "noteIndex": 0},
    }
    code = f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data)} "
    field = read_field(code, "(Marsh, 2025, p. 4)", [])
    assert field is not None and field.formatted == "(Marsh, 2025)"
    data["properties"]["dontUpdate"] = True  # the writer told Zotero to keep the edit
    kept = read_field(f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data)} ", "x", [])
    assert kept is not None and kept.formatted is None


def test_a_field_resolves_by_its_item_not_by_its_words() -> None:
    """Words that name no entry ("FWA, 2031") still resolve: the item names the record."""
    import attrs

    brief = read_brief(WORD / "zotero-intext.docx")
    garbled = [
        attrs.evolve(c, works=[attrs.evolve(w, authors="FWA", year="2031") for w in c.works])
        for c in brief.citations
    ]
    library = load_library(LIBRARY).library
    ctx = Context(attrs.evolve(brief, citations=garbled), library, LIBRARY)
    assert [r.source.key if r.source else None for r in ctx.resolved] == [
        "fwa2025",
        "holm2025",
        "dahl2024",
        "fwa2024",
    ]
    assert all(r.references for r in ctx.resolved)
    # The same words without the fields resolve to nothing.
    bare = [attrs.evolve(c, field=None) for c in garbled]
    ctx = Context(attrs.evolve(brief, citations=bare), library, LIBRARY)
    assert not any(r.references for r in ctx.resolved)


def test_fields_in_text_boxes_and_endnotes(tmp_path: Path) -> None:
    """A text box is a story of its own; an endnote's field is placed in its endnote."""
    import docx

    data = {
        "citationItems": [
            {"id": 1, "uris": ["http://zotero.org/users/4242/items/NITR8ATE"], "itemData": {}}
        ],
        "properties": {"plainCitation": "(Fjordland Water Authority, 2025)", "noteIndex": 0},
    }
    code = json.dumps(data).replace("&", "&amp;").replace("<", "&lt;")
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        f" ADDIN ZOTERO_ITEM CSL_CITATION {code} </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>(Fjordland Water Authority, 2025)</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    paragraph = document.add_paragraph("The limit was lowered ")
    from docx.oxml import parse_xml

    box = parse_xml(
        f'<w:r xmlns:w="{w}"><w:pict><w:txbxContent><w:p><w:r><w:t>Box: the limit fell '
        f"</w:t></w:r>{field}</w:p></w:txbxContent></w:pict></w:r>"
    )
    paragraph._p.append(box)
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    endnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:endnotes xmlns:w="{w}">'
        f'<w:endnote w:id="1"><w:p><w:r><w:t xml:space="preserve">See </w:t></w:r>{field}'
        "</w:p></w:endnote></w:endnotes>"
    )
    boxed = tmp_path / "boxed.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(boxed, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("word/endnotes.xml", endnotes)
    brief = read_brief(boxed)
    assert [(f.place, f.span is not None) for f in brief.fields] == [
        ("paragraph 2", True),
        ("endnote i", True),
    ]
    ctx = Context(brief, load_library(LIBRARY).library, LIBRARY)
    assert {r.source.key for r in ctx.resolved if r.source} == {"fwa2025"}


def test_hints_for_plugin_made_text_only() -> None:
    from policycite.findings import Finding
    from policycite.rules.fields import manager_hints
    from policycite.rules.locations import located

    brief = read_brief(WORD / "mendeley-cite.docx")
    (cite, _, bibliography) = brief.fields
    assert cite.span is not None and bibliography.span is not None
    typed = brief.span_at(0, 5)  # the heading, typed in Word
    findings = [
        Finding("PC209", "m", location=located(brief, cite.span), hint="cite (Dahl, 2023)"),
        Finding("PC216", "m", location=located(brief, bibliography.span)),
        Finding("PC218", "m", location=located(brief, bibliography.span), hint="capture it"),
        Finding("PC223", "m", location=located(brief, typed), hint="reorder"),
    ]
    hints = [f.hint for f in manager_hints(brief, findings)]
    assert hints[0] == (
        "cite (Dahl, 2023); this citation was written by Mendeley Cite: make the change in "
        "Mendeley Reference Manager (the item, or the citation dialog), then refresh from the "
        "Mendeley Cite pane; an edit made in Word would be overwritten"
    )
    assert hints[1] is not None and hints[1].startswith(
        "this bibliography was written by Mendeley Cite: make the change in the item in "
        "Mendeley Reference Manager"
    )
    assert hints[2:] == ["capture it", "reorder"]  # the library's fix; text typed in Word


def test_fields_nested_deeper_than_tracked_leave_the_outer_field_whole() -> None:
    from lxml import etree

    from policycite.brief.wordfields import MAX_DEPTH, scan

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    data = {"citationItems": [{"id": 1, "itemData": {"title": "Deep"}}]}

    def fld(kind: str) -> str:
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    def instr(text: str) -> str:
        return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'

    nested = (fld("begin") + instr(" QUOTE x ")) * (MAX_DEPTH + 20) + fld("end") * (MAX_DEPTH + 20)
    unclosed = fld("begin") * 5000 + "<w:r><w:t>lost</w:t></w:r>"
    xml = (
        f'<w:body xmlns:w="{w}"><w:p>'
        + fld("begin")
        + instr(" ADDIN ZOTERO_ITEM CSL_CITATION ")
        + nested
        + instr(json.dumps(data).replace("<", "&lt;"))
        + fld("separate")
        + "<w:r><w:t>(Deep, 2020)</w:t></w:r>"
        + fld("end")
        + unclosed
        + "</w:p></w:body>"
    )
    (found,) = scan(etree.fromstring(xml))
    assert found.field.text == "(Deep, 2020)"
    assert found.field.items[0].data["title"] == "Deep"


def _soffice() -> str:
    import os
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is not installed (.ci/run installs it)")
        pytest.skip("LibreOffice is not installed")
    return found


def test_a_copy_saved_by_libreoffice_keeps_its_zotero_fields(tmp_path: Path) -> None:
    """LibreOffice reads the fixtures as Word files and writes Zotero's fields back.

    It drops what it does not model: EndNote's EN.CITE.DATA record (w:fldData) and Mendeley
    Cite's content control tags. The EndNote citations then say so (PC231).
    """
    import subprocess

    program = _soffice()
    for name in ("zotero-intext.docx", "endnote-data.docx"):
        (tmp_path / name).write_bytes((WORD / name).read_bytes())
    out = tmp_path / "out"
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(tmp_path / "zotero-intext.docx"),
            str(tmp_path / "endnote-data.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = read_brief(out / "zotero-intext.docx")
    original = read_brief(WORD / "zotero-intext.docx")
    assert [(f.text, [dict(i.data) for i in f.items], f.items) for f in saved.fields] == [
        (f.text, [dict(i.data) for i in f.items], f.items) for f in original.fields
    ]
    assert check(saved, load_library(LIBRARY).library, LIBRARY).findings == ()
    endnote = read_brief(out / "endnote-data.docx")
    problems = [f.problem for f in endnote.fields if f.kind == "citation"]
    assert len(problems) == 2 and all("EN.CITE.DATA" in (p or "") for p in problems)
