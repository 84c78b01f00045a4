"""The output layer: text, JSON, SARIF and the HTML report of a check, from hand-made results."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import lxml.html
import pytest
from lxml import etree

from policycite.brief.model import Brief, Paragraph, ReferenceEntry, Span
from policycite.findings import CODES, Finding, Location, Report
from policycite.output import html as html_output
from policycite.output import jsonreport, sarif, text
from policycite.rules.result import CheckResult, Highlight

from conftest import DATA, ROOT

PATH = "briefs/narva.md"

BLOCKS = [
    ("heading", "# Shared monitoring of the Narva basin"),
    (
        "body",
        "The Council adopted a joint monitoring plan (BCWS, 2024a). It calls the plan "
        '"a first step towards open data" (BCWS, 2024a, para. 2).',
    ),
    (
        "body",
        "Lastly, they reviewed the agreement, which commits both parties to publish water "
        "quality data every quarter on a common portal (Kask, 2024).",
    ),
    ("blockquote", '> "Monitoring <script>alert(1)</script> is a shared duty" (BCWS, 2024b).'),
    ("heading", "## References"),
    (
        "reference",
        "Baltic Council for Water Security. (2024a, March 12). Council adopts joint "
        "monitoring plan for the Narva basin [Press release].",
    ),
    ("reference", "Kask, J. (2024). Ministers agree on shared monitoring. Baltic Times Review."),
]


def make_brief(blocks: list[tuple[str, str]] = BLOCKS, path: str = PATH) -> Brief:
    """A brief whose paragraphs are ``blocks`` separated by blank lines, as a reader gives."""
    content = "\n\n".join(t for _, t in blocks) + "\n"
    paragraphs: list[Paragraph] = []
    references: list[ReferenceEntry] = []
    heading = None
    offset = 0
    for kind, block in blocks:
        line = content.count("\n", 0, offset) + 1
        span = Span(offset, offset + len(block), line, 1)
        paragraphs.append(Paragraph(span, block, kind))
        if kind == "reference":
            references.append(ReferenceEntry(span, block, len(references) + 1))
        if block == "## References":
            heading = span
        offset += len(block) + 2
    return Brief(
        path=path,
        format="markdown",
        text=content,
        paragraphs=paragraphs,
        citations=(),
        quotations=(),
        references=references,
        reference_heading=heading,
    )


def where(brief: Brief, needle: str, **extra: Any) -> Location:
    """The location of ``needle`` in the brief, with its end."""
    start = brief.text.index(needle)
    first = brief.span_at(start, start)
    last = brief.span_at(start + len(needle), start + len(needle))
    return Location(
        brief.path, first.line, first.column, end_line=last.line, end_column=last.column, **extra
    )


def highlight(
    brief: Brief, needle: str, kind: str, status: str | None = None, *codes: str
) -> Highlight:
    start = brief.text.index(needle)
    return Highlight(start, start + len(needle), kind, status, codes)


def make_result() -> CheckResult:
    brief = make_brief()
    findings = [
        Finding(
            "PC401",
            'Misquote: "a first step towards [-open-] {+shared+} data"',
            where(brief, "a first step towards open data"),
            hint='quote the source: "a first step towards shared data"',
        ),
        Finding(
            "PC410",
            "12 words copied from kask2024 without quotation marks",
            where(brief, "publish water quality data every quarter on a common portal"),
            hint="quote it, or paraphrase it and cite Kask (2024)",
        ),
        Finding(
            "PC411",
            "a close paraphrase of kask2024",
            where(brief, "commits both parties"),
        ),
        Finding(
            "PC403",
            "Quotation not in bcws2024b (nearest passage 41%)",
            where(brief, "Monitoring <script>alert(1)</script> is a shared duty"),
        ),
        Finding(
            "PC305",
            "Reference 2 has no URL",
            where(brief, "Kask, J. (2024)", key="kask2024"),
            hint="add the article's address",
        ),
        Finding("PC102", "No record for bcws2024c", Location(key="bcws2024c")),
        Finding(
            "PC001",
            "Unknown field 'venue'",
            Location("references/kask2024.yaml", 4, key="kask2024", field="venue"),
        ),
    ]
    copied = "publish water quality data every quarter on a common portal (Kask"
    highlights = [
        highlight(brief, "(BCWS, 2024a)", "citation"),
        highlight(brief, "a first step towards open data", "quotation", "misquote", "PC401"),
        highlight(brief, "(BCWS, 2024a, para. 2)", "citation"),
        # Crosses the citation "(Kask, 2024)": the marks must stay well-formed.
        highlight(brief, copied, "copied", None, "PC410"),
        highlight(brief, "(Kask, 2024)", "citation", "kask2024"),
        highlight(
            brief,
            "Monitoring <script>alert(1)</script> is a shared duty",
            "quotation",
            "not-found",
            "PC403",
        ),
        highlight(brief, "Baltic Council for Water Security. (2024a", "reference", "bcws2024a"),
        highlight(brief, "Kask, J. (2024)", "reference", "kask2024", "PC305"),
    ]
    return CheckResult(
        brief=brief,
        report=Report(findings),
        highlights=highlights,
        corrected=(
            "Baltic Council for Water Security. (2024a, March 12). Council adopts joint "
            "monitoring plan for the Narva basin [Press release]. https://www.bcws.example/p",
            "Kask, J. (2024, March 13). Ministers agree on shared monitoring of the Narva "
            "river. Baltic Times Review. https://www.btr.example/narva",
        ),
        corrected_html=(
            "Baltic Council for Water Security. (2024a, March 12). <i>Council adopts joint "
            "monitoring plan for the Narva basin</i> [Press release]. https://www.bcws.example/p",
            "Kask, J. (2024, March 13). Ministers agree on shared monitoring of the Narva "
            "river. <i>Baltic Times Review</i>. https://www.btr.example/narva"
            '<script>alert("x")</script><img src=x onerror=alert(1)>',
        ),
        style="apa",
    )


def empty_result() -> CheckResult:
    return CheckResult(brief=make_brief(), report=Report())


# --- text -------------------------------------------------------------------------------

EXPECTED_TEXT = """\
3: The Council adopted a joint monitoring plan (BCWS, 2024a)…
  3:79 warning PC401 misquote  Misquote: "a first step towards [-open-] {+shared+} data"
      fix: quote the source: "a first step towards shared data"

5: Lastly, they reviewed the agreement, which commits both…
  5:44 info    PC411 close-paraphrase  a close paraphrase of kask2024
  5:68 warning PC410 unquoted-copying  12 words copied from kask2024 without quotation marks
      fix: quote it, or paraphrase it and cite Kask (2024)

7: > "Monitoring <script>alert(1)</script> is a shared duty"…
  7:4 error   PC403 quote-not-in-source  Quotation not in bcws2024b (nearest passage 41%)

References
[2] 13: Kask, J. (2024). Ministers agree on shared monitoring…
  13:1 (@kask2024) warning PC305 field-not-found  Reference 2 has no URL
      fix: add the article's address

Other findings
  @bcws2024c error   PC102 unknown-citation-key  No record for bcws2024c
  references/kask2024.yaml:4 (@kask2024 venue) warning PC001 unknown-field  Unknown field 'venue'

2 errors, 4 warnings, 1 note in briefs/narva.md
"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_groups_findings_by_paragraph() -> None:
    assert text.to_text(make_result(), color=False) == EXPECTED_TEXT


def test_text_colours_only_on_request() -> None:
    plain = text.to_text(make_result(), color=False)
    colored = text.to_text(make_result(), color=True)
    assert "\x1b" not in plain
    assert ANSI.sub("", colored) == plain
    assert "\x1b[31merror  \x1b[0m \x1b[1mPC403\x1b[0m" in colored
    assert "\x1b[33mwarning\x1b[0m \x1b[1mPC401\x1b[0m" in colored
    assert "\x1b[36minfo   \x1b[0m" in colored
    assert "\x1b[2mfix: add the article's address\x1b[0m" in colored
    assert colored.endswith(
        "\x1b[31m2 errors\x1b[0m, \x1b[33m4 warnings\x1b[0m, \x1b[36m1 note\x1b[0m"
        " in briefs/narva.md\n"
    )


def test_text_without_findings() -> None:
    assert text.to_text(empty_result(), color=True) == "no problems found in briefs/narva.md\n"


def test_text_escapes_terminal_controls_from_the_brief() -> None:
    brief = make_brief([("body", "Evil \x1b[2J\u202etext (Norov, 2020) here.")])
    finding = Finding("PC410", "copied: \x1b]0;title\x07", where(brief, "text"))
    out = text.to_text(CheckResult(brief, Report([finding])), color=False)
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "1: Evil \\x1b[2J\\u202etext (Norov, 2020) here." in out
    assert "copied: \\x1b]0;title\\x07" in out


def test_text_multiline_message_stray_line_and_path_spelling() -> None:
    brief = make_brief([("body", "First paragraph."), ("body", "Second paragraph.")])
    findings = [
        # "./" and no path both name the brief; line 2 is the blank line between paragraphs.
        Finding("PC402", "occurs twice:\n  para. 3\n  para. 9", Location("./" + PATH, 3, 1)),
        Finding("PC411", "near a source", Location(None, 2)),
    ]
    out = text.to_text(CheckResult(brief, Report(findings)), color=False)
    assert out == (
        "2: (blank line)\n"
        "  2 info    PC411 close-paraphrase  near a source\n"
        "\n"
        "3: Second paragraph.\n"
        "  3:1 warning PC402 quote-ambiguous  occurs twice:\n"
        "        para. 3\n"
        "        para. 9\n"
        "\n"
        "1 warning, 1 note in briefs/narva.md\n"
    )


def test_excerpt_cuts_at_a_word() -> None:
    assert text.excerpt("short  text\n here") == "short text here"
    long = "Lastly, they reviewed the agreement, which commits both parties to publish"
    assert text.excerpt(long) == "Lastly, they reviewed the agreement, which commits both…"


# --- JSON -------------------------------------------------------------------------------


def strict(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with additionalProperties false wherever it lists properties.

    The published schema stays open (members may be added within a version); the test
    closes it, so that every member the code writes is documented.
    """
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if isinstance(value, dict):
            out[key] = strict(value)
        elif isinstance(value, list):
            out[key] = [strict(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    if "properties" in schema and schema.get("type") == "object":
        out.setdefault("additionalProperties", False)
    return out


def validate_report(document: dict[str, Any]) -> None:
    schema = jsonreport.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    jsonschema.Draft202012Validator(strict(schema)).validate(document)


def test_json_validates_against_its_schema() -> None:
    document = json.loads(jsonreport.to_json(make_result()))
    validate_report(document)
    assert document["schema"] == "policycite-check/1"
    assert document["brief"] == {"path": PATH, "format": "markdown"}
    assert document["summary"] == {"errors": 2, "warnings": 4, "info": 1, "suppressed": 0}
    first = document["findings"][0]
    assert first["code"] == "PC401" and first["rule"]["name"] == "misquote"
    assert first["rule"]["summary"] == CODES["PC401"].summary
    assert first["location"] == {
        "path": PATH,
        "line": 3,
        "column": 79,
        "end_line": 3,
        "end_column": 109,
    }
    assert document["references"][1] == {
        "number": 2,
        "text": BLOCKS[-1][1],
        "line": 13,
        "match": None,  # the hand-made result matched nothing
        "place": None,  # Markdown: the line is the place
    }
    assert document["corrected"][1]["html"].startswith("Kask, J. (2024, March 13)")
    assert document["style"] == "apa"
    quote = document["highlights"][1]
    assert (quote["kind"], quote["status"], quote["codes"]) == ("quotation", "misquote", ["PC401"])
    assert (quote["line"], quote["column"]) == (3, 79)


def test_json_without_findings_validates() -> None:
    document = json.loads(jsonreport.to_json(empty_result()))
    validate_report(document)
    assert document["findings"] == [] and document["corrected"] == []


def test_json_schema_documents_every_location_part() -> None:
    location = jsonreport.schema()["$defs"]["finding"]["properties"]["location"]
    assert set(location["properties"]) == {f.name for f in attrs.fields(Location)}


def test_json_schema_ships_in_the_package() -> None:
    # Beside the module inside src/policycite, so that the wheel (packages = src/policycite)
    # carries it; loaded through importlib.resources, not a path next to the tests.
    path = Path(jsonreport.__file__).with_name("check-report.schema.json")
    assert json.loads(path.read_text(encoding="utf-8")) == jsonreport.schema()


# --- SARIF ------------------------------------------------------------------------------


def validate_sarif(log: dict[str, Any]) -> None:
    subset = json.loads((DATA / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(subset)
    jsonschema.Draft202012Validator(subset).validate(log)
    json.dumps(log)  # JSON-ready: no tuples, no Path objects


def test_sarif_log(tmp_path: Path) -> None:
    log = sarif.to_sarif(make_result(), version="1.2.3", root=tmp_path)
    validate_sarif(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("policycite", "1.2.3")
    assert [r["id"] for r in driver["rules"]] == sorted(
        {"PC401", "PC410", "PC411", "PC403", "PC305", "PC102", "PC001"}
    )
    by_id = {r["id"]: r for r in driver["rules"]}
    assert by_id["PC403"]["defaultConfiguration"] == {"level": "error"}
    assert by_id["PC411"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["PC410"]["shortDescription"] == {"text": "unquoted-copying"}
    assert by_id["PC410"]["fullDescription"] == {"text": CODES["PC410"].summary}
    results = run["results"]
    for item in results:
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    misquote = results[0]
    assert misquote["level"] == "warning"
    assert misquote["message"]["text"] == (
        'Misquote: "a first step towards [-open-] {+shared+} data"\n'
        'Fix: quote the source: "a first step towards shared data"'
    )
    physical = misquote["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": PATH, "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {
        "startLine": 3,
        "startColumn": 79,
        "endLine": 3,
        "endColumn": 109,
        "snippet": {"text": "a first step towards open data"},
    }
    reference = results[4]
    assert reference["locations"][0]["logicalLocations"] == [
        {"name": "kask2024", "fullyQualifiedName": "kask2024", "kind": "object"}
    ]
    keyed = results[5]  # no path, no line: about the brief as a whole
    assert keyed["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": PATH, "uriBaseId": "%SRCROOT%"}
    }
    library = results[6]["locations"][0]
    assert library["physicalLocation"]["artifactLocation"]["uri"] == "references/kask2024.yaml"
    assert library["physicalLocation"]["region"] == {"startLine": 4}
    assert library["logicalLocations"][0]["fullyQualifiedName"] == "kask2024/venue"
    assert results[3]["level"] == "error" and results[2]["level"] == "note"
    prints = [r["partialFingerprints"]["policycite/v1"] for r in results]
    assert len(set(prints)) == len(prints)


def test_sarif_fingerprints_survive_an_inserted_paragraph() -> None:
    before = sarif.to_sarif(make_result(), version="0")
    blocks = [BLOCKS[0], ("body", "A new paragraph that moves everything down."), *BLOCKS[1:]]
    brief = make_brief(blocks)
    moved = Finding(
        "PC401", "Misquote", where(brief, "a first step towards open data"), hint="quote it"
    )
    after = sarif.to_sarif(CheckResult(brief, Report([moved])), version="0")
    region = after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 5
    assert (
        after["runs"][0]["results"][0]["partialFingerprints"]
        == before["runs"][0]["results"][0]["partialFingerprints"]
    )


def test_sarif_every_code_and_paths(tmp_path: Path) -> None:
    brief = make_brief(path=str(tmp_path / "briefs" / "my brief.md"))
    findings = [Finding(code, f"about {code}", Location(brief.path, 3, 1)) for code in CODES]
    findings.append(Finding("PC001", "elsewhere", Location("/elsewhere/refs.yaml", 1)))
    log = sarif.to_sarif(CheckResult(brief, Report(findings)), version="0", root=tmp_path)
    validate_sarif(log)
    run = log["runs"][0]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["defaultConfiguration"]["level"] == levels[CODES[rule["id"]].severity.value]
    assert len(run["tool"]["driver"]["rules"]) == len(CODES)
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "briefs/my%20brief.md", "uriBaseId": "%SRCROOT%"}
    outside = run["results"][-1]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert outside == {"uri": "file:///elsewhere/refs.yaml"}


# --- HTML -------------------------------------------------------------------------------


def parse(document: str) -> Any:
    return lxml.html.document_fromstring(document)


def marks_by_highlight(tree: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for mark in tree.iter("mark"):
        if mark.get("data-highlight") is not None:
            found.setdefault(int(mark.get("data-highlight")), []).append(mark)
    return found


def own_text(element: Any) -> str:
    """The text of a mark without that of marks nested in it."""
    return (element.text or "") + "".join(
        (own_text(child) if child.tag != "mark" else "") + (child.tail or "") for child in element
    )


def test_html_report_marks_and_findings() -> None:
    result = make_result()
    document = html_output.to_html(result)
    tree = parse(document)
    assert tree.findtext(".//title") == f"Citation check: {PATH}"
    summary = [s.text_content() for s in tree.find_class("count")]
    assert summary == ["2 errors", "4 warnings", "1 note"]
    marks = marks_by_highlight(tree)
    assert sorted(marks) == list(range(len(result.highlights)))
    for number, highlight in enumerate(result.highlights):
        pieces = marks[number]
        # Each piece carries the highlight's class and data; together they cover its text.
        for mark in pieces:
            assert mark.get("class") == highlight.kind
            assert mark.get("data-status") == highlight.status
            assert mark.get("data-codes") == (" ".join(highlight.codes) or None)
        covered = "".join(m.text_content() for m in pieces)
        nested = "".join(own_text(m) for m in pieces)
        wanted = result.brief.text[highlight.start : highlight.end]
        assert wanted in (covered, nested)
    # The copied passage crosses the citation "(Kask, 2024)": split, still well-formed.
    assert len(marks[4]) == 2
    assert [m.text_content() for m in marks[4]] == ["(Kask", ", 2024)"]
    quote = marks[1][0]
    assert (quote.get("data-status"), quote.text_content()) == (
        "misquote",
        "a first step towards open data",
    )
    # Markdown's "#" and ">" are dimmed, not taken for the author's words.
    assert [m.text for m in tree.find_class("markup")] == ["# ", "> ", "## "]
    row = tree.get_element_by_id("L3")
    cards = row.find_class("finding")
    assert [c.get("data-code") for c in cards] == ["PC401"]
    assert "Fix: quote the source" in cards[0].text_content()
    assert "warning" in cards[0].get("class")
    assert [c.get("data-code") for c in tree.get_element_by_id("L5").find_class("finding")] == [
        "PC411",
        "PC410",
    ]
    other = tree.find_class("other")[0]
    assert [c.get("data-code") for c in other.find_class("finding")] == ["PC102", "PC001"]
    corrected = tree.find_class("corrected")[0]
    assert corrected.findtext("h2") == "Corrected references (APA 7)"
    entries = corrected.find_class("csl-entry")
    assert [e.findtext("i") for e in entries] == [
        "Council adopts joint monitoring plan for the Narva basin",
        "Baltic Times Review",
    ]


def test_html_escapes_the_brief_and_the_corrected_list() -> None:
    document = html_output.to_html(make_result())
    tree = parse(document)
    assert tree.find(".//script") is None and tree.find(".//img") is None
    assert "<script>" not in document and "onerror" not in document
    quote = marks_by_highlight(tree)[5][0]
    assert quote.text_content() == "Monitoring <script>alert(1)</script> is a shared duty"
    assert "Monitoring &lt;script&gt;alert(1)&lt;/script&gt;" in document


def test_html_is_self_contained() -> None:
    document = html_output.to_html(make_result())
    tree = parse(document)
    assert not tree.xpath("//*[@src] | //link | //script | //iframe | //object")
    assert not re.search(r"@import|url\(|@font-face", document)
    assert all(a.get("href", "").startswith("#") for a in tree.iter("a"))
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy and "default-src 'none'" in policy[0]
    assert "@media print" in document


def test_html_attributes_cannot_be_broken_out_of() -> None:
    brief = make_brief([("body", 'He said "x" here.')])
    weird = Highlight(8, 11, 'quotation" onmouseover="alert(1)', '"><b>', ("PC401",))
    finding = Finding("PC401", '"><script>alert(2)</script>', Location(None, 1, 9))
    tree = parse(html_output.to_html(CheckResult(brief, Report([finding]), [weird])))
    mark = marks_by_highlight(tree)[0][0]
    assert mark.get("onmouseover") is None and mark.get("data-status") == '"><b>'
    assert mark.get("class") == "quotationonmouseoveralert1"
    assert tree.find(".//script") is None


def test_html_overlapping_highlights_stay_well_formed() -> None:
    # Many random overlapping highlights: each must be covered exactly by its marks, and
    # the markup must be well-formed XML (no crossing tags).
    rng = random.Random(7)
    body = "abcdefghijklmnopqrstuvwxyz" * 3
    brief = make_brief([("body", body)])
    highlights = []
    for _ in range(30):
        start = rng.randrange(len(body))
        end = rng.randrange(start, len(body) + 1)
        highlights.append(Highlight(start, end, rng.choice(["citation", "copied", "quotation"])))
    document = html_output.to_html(CheckResult(brief, Report(), highlights))
    paragraph = re.search(r'<p class="para body">.*?</p>', document, re.DOTALL)
    assert paragraph is not None
    root = etree.fromstring(paragraph.group())  # raises on crossing tags
    assert "".join(root.itertext()) == body
    spans = mark_spans(root)
    for number, highlight in enumerate(highlights):
        if highlight.start == highlight.end:
            assert number not in spans
            continue
        pieces = sorted(spans[number])
        assert pieces[0][0] == highlight.start and pieces[-1][1] == highlight.end
        assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))


def mark_spans(root: Any) -> dict[int, list[tuple[int, int]]]:
    """The text offsets each highlight's marks cover, walking the markup in order."""
    spans: dict[int, list[tuple[int, int]]] = {}
    position = 0

    def walk(element: Any) -> None:
        nonlocal position
        start = position
        position += len(element.text or "")
        for child in element:
            walk(child)
            position += len(child.tail or "")
        if element.tag == "mark":
            spans.setdefault(int(element.get("data-highlight")), []).append((start, position))

    walk(root)
    return spans


# --- the report in a browser ------------------------------------------------------------


def chromium() -> str:
    """The chromium binary; skipped without it, except in CI where it must be installed."""
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs the Debian package)")
        pytest.skip("chromium is not installed")
    return found


def run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",  # root in containers; the page is our own file
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            # Stay offline even if the report asked for something (it must not).
            "--host-resolver-rules=MAP * ~NOTFOUND",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the set of colours of an 8-bit RGB(A) PNG (no interlacing)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0) and color_type in {2, 6}
    bpp = 3 if color_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    colors: set[bytes] = set()
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        # Undo the PNG row filters (None, Sub, Up, Average, Paeth).
        if kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous, strict=True))
        elif kind in {1, 3, 4}:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
                if kind == 1:
                    predicted = left
                elif kind == 3:
                    predicted = (left + up) >> 1
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    predicted = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predicted) & 255
        colors.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        previous = line
    return width, height, colors


def test_html_report_renders_in_chromium(tmp_path: Path) -> None:
    binary = chromium()
    report = tmp_path / "report.html"
    report.write_text(html_output.to_html(make_result()), encoding="utf-8")
    shot = tmp_path / "report.png"
    done = run_chromium(
        binary, tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", report.as_uri()
    )
    assert shot.exists() and shot.stat().st_size > 0, done.stderr
    width, height, colors = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    assert len(colors) > 50  # text, anti-aliasing and the highlight colours: not a blank page
    # The highlight and card backgrounds of the CSS, drawn: not-found red, misquote orange,
    # the copied passage's yellow hatching, a citation's blue, an error card's pink.
    for css in ("ffe3e3", "ffe8cc", "fff3bf", "ffe066", "e7f5ff", "fff5f5"):
        assert bytes.fromhex(css) in colors, css

    dom = run_chromium(binary, tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr
    tree = parse(dom.stdout)
    marks = marks_by_highlight(tree)
    assert len(marks) == len(make_result().highlights)
    statuses = {m.get("data-status") for pieces in marks.values() for m in pieces}
    assert {"misquote", "not-found", "kask2024"} <= statuses
    assert tree.find(".//script") is None
    assert [c.get("data-code") for c in tree.get_element_by_id("L7").find_class("finding")] == [
        "PC403"
    ]


# --- Markdown rendered, long lines wrapped ------------------------------------------------

LONG_URL = "https://www.bcws.example/" + "monitoringreport" * 14 + "?edition=2024"
MARKDOWN_BLOCKS = [
    ("heading", "# Narva *basin* monitoring ##"),
    (
        "body",
        "The plan is **binding** and _public_ (BCWS, 2024a), see the "
        f"[plan text]({LONG_URL}) and `policycite check`; "
        "<b>raw</b> <script>alert(1)</script> [bad](javascript:alert(1)) stays text "
        "and a \\*starred\\* word.",
    ),
    ("body", "- Quarterly *reports* (Kask, 2024).\n- A common portal.\n  Open to all."),
    ("blockquote", '> "Monitoring is a *shared* duty"\n> (BCWS, 2024b).'),
    ("heading", "## References"),
    ("reference", f"Kask, J. (2024). *Ministers agree*. Baltic Times Review. {LONG_URL}"),
]


def markdown_result() -> CheckResult:
    brief = make_brief(MARKDOWN_BLOCKS)
    findings = [
        Finding(
            "PC401",
            f"Misquote of {LONG_URL}",
            where(brief, "binding", key="bcws2024a-with-a-rather-long-citation-key"),
        ),
        Finding(
            "PC305",
            "Reference 1 has no URL",
            where(brief, "Kask, J. (2024)", key="kask2024", field="reference 1"),
        ),
        Finding("PC403", "Quotation not in bcws2024b", where(brief, "Monitoring is")),
    ]
    highlights = [
        highlight(brief, "binding** and _public_ (BCWS", "copied", None, "PC410"),
        highlight(brief, "(BCWS, 2024a)", "citation"),
        highlight(brief, "Monitoring is a *shared* duty", "quotation", "not-found", "PC403"),
        highlight(brief, "Kask, J. (2024)", "reference", "kask2024", "PC305"),
    ]
    return CheckResult(brief, Report(findings), highlights, style="apa")


def test_html_renders_the_briefs_markdown_safely() -> None:
    result = markdown_result()
    document = html_output.to_html(result)
    tree = parse(document)
    heading = tree.find_class("heading")[0]
    assert heading.findtext("em") == "basin"
    body = tree.get_element_by_id("L3")
    assert body.findtext(".//strong") == "binding"
    assert body.findtext(".//em") == "public"
    assert body.findtext(".//code") == "policycite check"
    (link,) = body.xpath(".//a[@class='link']")  # the unsafe target is no link
    assert (link.text_content(), link.get("href")) == ("plan text", LONG_URL)
    assert link.get("rel") == "noopener noreferrer"
    # HTML in the brief stays text; an unsafe target does not become a link.
    assert tree.find(".//script") is None and tree.find(".//b") is None
    assert "&lt;b&gt;raw&lt;/b&gt; &lt;script&gt;" in document
    assert "javascript" not in "".join(a.get("href", "") for a in tree.iter("a"))
    # Markup characters stay in the text (hidden), so highlights keep their offsets.
    hidden = [m.text for m in tree.find_class("markup")]
    assert hidden[:5] == ["# ", "*", "*", " ##", "**"]
    assert "\\" in hidden and "](" + LONG_URL + ")" in "".join(hidden)
    copied = marks_by_highlight(tree)[0]
    assert "".join(m.text_content() for m in copied) == "binding** and _public_ (BCWS"
    items = tree.get_element_by_id("L5").find_class("list")[0]
    assert items.tag == "ul"
    assert [" ".join(li.text_content().split()) for li in items] == [
        "- Quarterly *reports* (Kask, 2024).",
        "- A common portal. Open to all.",
    ]
    assert items[0].findtext("em") == "reports"
    quote = tree.find_class("blockquote")[0]
    assert [m.text for m in quote.find_class("markup")] == ["> ", "*", "*", "> "]
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]


#: Measures the laid-out report in the browser and writes what it found into the DOM.
LAYOUT_SCRIPT = """
<script>
const out = {scrollWidth: document.documentElement.scrollWidth, overlaps: []};
const box = (e) => e.getBoundingClientRect();
const meets = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
  a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
for (const card of document.querySelectorAll('.finding')) {
  const where = card.querySelector('.where');
  if (!where) continue;
  for (const other of card.querySelectorAll('.msg, .fix, .name, code, .sev')) {
    if (meets(box(where), box(other))) out.overlaps.push(card.dataset.code);
  }
}
const pre = document.createElement('pre');
pre.id = 'layout';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""


def test_html_report_layout_in_chromium(tmp_path: Path) -> None:
    """At 1400 px: no horizontal scrollbar, and no place drawn over a finding's text."""
    binary = chromium()
    report = html_output.to_html(markdown_result())
    # The report forbids scripts (CSP); the measuring copy drops the policy, nothing else.
    measured = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", report)
    measured = measured.replace("</body>", LAYOUT_SCRIPT + "</body>")
    page = tmp_path / "measured.html"
    page.write_text(measured, encoding="utf-8")
    dom = run_chromium(binary, tmp_path, "--window-size=1400,900", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    layout = json.loads(parse(dom.stdout).get_element_by_id("layout").text)
    assert layout["scrollWidth"] <= 1400, layout
    assert layout["overlaps"] == [], layout
    # A screenshot of the report itself, to look at when this fails.
    shot = tmp_path / "report.png"
    (tmp_path / "report.html").write_text(report, encoding="utf-8")
    run_chromium(
        binary,
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1400,900",
        (tmp_path / "report.html").as_uri(),
    )
    assert png_pixels(shot.read_bytes())[:2] == (1400, 900)


SCREENSHOT = ROOT / "examples" / "check" / "report.png"


def test_readme_screenshot_is_the_report_of_the_example_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's screenshot: the HTML report of `policycite check` on the example brief.

    ``pytest --update-golden`` writes it again; otherwise the committed image must be a
    1200x900 screenshot like the one made now (pixels differ with fonts: not compared).
    """
    from policycite.cli import main

    binary = chromium()
    monkeypatch.chdir(ROOT)  # the report names the brief as the reader types it
    example = Path("examples", "check")
    report = tmp_path / "report.html"
    code = main(
        [
            "check",
            str(example / "brief.md"),
            "-l",
            str(example / "references"),
            "--format",
            "html",
            "-o",
            str(report),
        ]
    )
    capsys.readouterr()
    assert code == 1  # the example brief has problems to show
    shot = tmp_path / "report.png"
    done = run_chromium(
        binary, tmp_path, f"--screenshot={shot}", "--window-size=1200,900", report.as_uri()
    )
    assert done.returncode == 0, done.stderr
    width, height, colors = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900) and len(colors) > 8  # a drawn page, not blank
    if request.config.getoption("--update-golden"):
        SCREENSHOT.write_bytes(shot.read_bytes())
    assert png_pixels(SCREENSHOT.read_bytes())[:2] == (1200, 900)
