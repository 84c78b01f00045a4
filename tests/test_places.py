"""Places in a Word brief: "paragraph 12", "footnote 3", "reference 4" in every output.

A Word user cannot jump to line 23, column 14 of the text policycite extracted from the
package; Word shows paragraphs, footnote numbers and the reference list. The brief here
is the example brief of examples/check written as a .docx with footnotes, so that the
findings are the real ones of the check.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import jsonschema
import lxml.html
import pytest
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from policycite.brief.readers import read_brief
from policycite.cli import main
from policycite.output import jsonreport

from conftest import DATA, ROOT

EXAMPLE = ROOT / "examples" / "check"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

NOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0">
  <w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="3"><w:p><w:r><w:t>A regional survey of microplastics has been completed
(Kestrian Water Board, 2022).</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="7"><w:p><w:r><w:t>Harbour masters keep their own tallies.</w:t></w:r></w:p>
</w:footnote>
</w:footnotes>
"""


def _note_mark(paragraph: Any, note_id: int) -> None:
    """Append a footnote reference mark (w:footnoteReference) to a paragraph."""
    run = OxmlElement("w:r")
    mark = OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), str(note_id))
    run.append(mark)
    paragraph._p.append(run)


def make_word_brief(path: Path) -> Path:
    """examples/check/brief.md as a Word file, with an empty paragraph and two footnotes.

    The footnote with id 7 is referenced first (Word shows it as footnote 1), the one
    with id 3 second (footnote 2), although id 3 comes first in footnotes.xml.
    """
    source = (EXAMPLE / "brief.md").read_text(encoding="utf-8")
    document = docx.Document()
    blocks = [b.strip() for b in source.split("\n\n") if b.strip()]
    for block in blocks:
        flat = " ".join(block.split())
        if flat.startswith("# "):
            document.add_paragraph(flat[2:], style="Title")
            document.add_paragraph("")  # an empty paragraph: Word does not count it
        elif flat.startswith("## "):
            document.add_heading(flat[3:], level=2)
        elif "Kestrian Water Board" in flat:
            # The last sentence goes into footnote 2, after "real time (…, 2020)."
            kept = flat[: flat.index(", and a regional survey")] + "."
            paragraph = document.add_paragraph(kept)
            _note_mark(paragraph, 3)
        elif flat.startswith("The press has followed"):
            paragraph = document.add_paragraph(flat)
            _note_mark(paragraph, 7)
        else:
            document.add_paragraph(flat)
    document.save(str(path))
    # python-docx writes no footnotes part; the reader needs only the part itself.
    packed = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(packed, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("word/footnotes.xml", NOTES)
    packed.replace(path)
    return path


@pytest.fixture
def word_brief(tmp_path: Path) -> Path:
    return make_word_brief(tmp_path / "brief.docx")


def test_word_paragraphs_carry_their_place(word_brief: Path) -> None:
    brief = read_brief(word_brief)
    places = [(p.place, p.text.split()[0]) for p in brief.paragraphs]
    assert places[:7] == [
        ("paragraph 1", "Briefing"),
        # The empty paragraph after the title is not counted, as in Word's statistics.
        ("paragraph 2", "Prepared"),
        ("paragraph 3", "Summary"),
        ("paragraph 4", "Storm"),
        ("paragraph 5", "Rivers"),
        ("paragraph 6", "At"),
        ("paragraph 7", "Ports"),
    ]
    assert places[-8:] == [
        ("paragraph 11", "References"),
        ("reference 1", "Valk,"),
        ("reference 2", "Lindqvist,"),
        ("reference 3", "Halvorsen,"),
        ("reference 4", "Northern"),
        ("reference 5", "Baltic"),
        # Footnotes by the number Word shows: the order of their marks in the text.
        ("footnote 2", "A"),
        ("footnote 1", "Harbour"),
    ]
    assert brief.place_at(brief.text.index("no country")) == "paragraph 6"
    assert brief.place_at(brief.text.index("Kestrian Water Board")) == "footnote 2"


def test_markdown_paragraphs_have_no_place() -> None:
    brief = read_brief(EXAMPLE / "brief.md")
    assert {p.place for p in brief.paragraphs} == {None}


def _check(word_brief: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    args = ["check", str(word_brief), "-l", str(EXAMPLE / "references"), "--format", fmt]
    assert main(args) == 1
    return capsys.readouterr().out


def test_word_places_in_text_output(word_brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _check(word_brief, "text", capsys)
    assert "paragraph 6: At the Port Halden conference" in out
    assert re.search(r"^  paragraph 6 \(@valk2023\) +warning PC401 misquote", out, re.M), out
    assert re.search(r"^  paragraph 6 +warning PC410 unquoted-copying", out, re.M), out
    assert re.search(r"^  paragraph 10 +error +PC209 author-year-mismatch", out, re.M), out
    assert re.search(r"^  footnote 2 +error +PC201 citation-without-reference", out, re.M), out
    assert re.search(r"^  reference 3 \(@halvorsen2021\) error +PC203 retrieved", out, re.M), out
    assert "[3] Halvorsen, I. (2021, March 16)." in out
    # No line:column of the extracted text anywhere.
    assert not re.search(r"^  \d+:\d+", out, re.M), out


def test_word_places_in_json(word_brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads(_check(word_brief, "json", capsys))
    schema = jsonreport.schema()
    jsonschema.Draft202012Validator(schema).validate(document)
    places = {(f["code"], f["location"].get("place")) for f in document["findings"]}
    assert {
        ("PC401", "paragraph 6"),
        ("PC213", "paragraph 8"),
        ("PC209", "paragraph 10"),
        ("PC201", "footnote 2"),
        ("PC203", "reference 3"),
        ("PC218", "reference 5"),
    } <= places
    assert all(place is not None for _, place in places)
    assert [r["place"] for r in document["references"]] == [f"reference {n}" for n in range(1, 6)]
    assert {h["place"] for h in document["highlights"] if h["kind"] == "reference"} == {
        f"reference {n}" for n in range(1, 6)
    }
    # Markdown keeps lines and columns, and no place.
    args = ["check", str(EXAMPLE / "brief.md"), "-l", str(EXAMPLE / "references")]
    main([*args, "--format", "json"])
    markdown = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(schema).validate(markdown)
    assert all("place" not in f["location"] for f in markdown["findings"])
    assert {r["place"] for r in markdown["references"]} == {None}


def test_word_places_in_sarif(word_brief: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = json.loads(_check(word_brief, "sarif", capsys))
    subset = json.loads((DATA / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(subset).validate(log)
    found = {}
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]
        logical = [x["name"] for x in location.get("logicalLocations", ())]
        found.setdefault(result["ruleId"], set()).add(location["message"]["text"])
        assert location["message"]["text"] in logical
    assert "paragraph 6" in found["PC401"]
    assert found["PC201"] == {"footnote 2"}
    assert "reference 3" in found["PC203"]
    # Markdown keeps its regions and gets no location message.
    args = ["check", str(EXAMPLE / "brief.md"), "-l", str(EXAMPLE / "references")]
    main([*args, "--format", "sarif"])
    markdown = json.loads(capsys.readouterr().out)
    assert all("message" not in r["locations"][0] for r in markdown["runs"][0]["results"])


def test_word_places_in_html(
    word_brief: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.html"
    args = ["check", str(word_brief), "-l", str(EXAMPLE / "references"), "--format", "html"]
    assert main([*args, "-o", str(report)]) == 1
    tree = lxml.html.fromstring(report.read_bytes())
    rows = {}
    for row in tree.find_class("row"):
        side = row.find_class("ln")[0].text_content()
        where = [w.text_content() for w in row.find_class("where")]
        rows[side] = where
    # The side numbers are the places' numbers; each finding names its place in full.
    assert {w.split(" (")[0] for w in rows["6"]} == {"paragraph 6"}
    assert rows["fn 2"] == ["footnote 2"]
    assert {w.split(" (")[0] for w in rows["ref 3"]} == {"reference 3"}
    assert "1" in rows and "11" in rows
    assert not any(re.fullmatch(r"\d+:\d+", w) for ws in rows.values() for w in ws)


def test_location_place_in_str() -> None:
    from policycite.findings import Location

    assert str(Location("brief.docx", 23, 14, place="paragraph 12")) == "brief.docx, paragraph 12"
    located = Location("brief.docx", 23, 14, key="valk2023", place="footnote 3")
    assert str(located) == "brief.docx, footnote 3 (@valk2023)"


def test_endnotes_numbered_as_word_prints_them(tmp_path: Path) -> None:
    from policycite.brief.places import note_number

    assert [note_number(n, "lowerRoman") for n in (1, 4, 9, 14)] == ["i", "iv", "ix", "xiv"]
    assert [note_number(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"]
    assert note_number(3, "decimal") == note_number(3, "chicago") == "3"
    path = tmp_path / "notes.docx"
    document = docx.Document()
    paragraph = document.add_paragraph("Ports close more often (Lindqvist & Feld, 2024).")
    run = OxmlElement("w:r")
    mark = OxmlElement("w:endnoteReference")
    mark.set(qn("w:id"), "2")
    run.append(mark)
    paragraph._p.append(run)
    document.save(str(path))
    endnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:endnotes xmlns:w="{W}">'
        '<w:endnote w:id="2"><w:p><w:r><w:t>Counted by harbour masters.</w:t></w:r></w:p>'
        "</w:endnote></w:endnotes>"
    )
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("word/endnotes.xml", endnotes)
    brief = read_brief(path)
    # Word's default endnote numbers are lower-case Roman.
    assert [p.place for p in brief.paragraphs] == ["paragraph 1", "endnote i"]
