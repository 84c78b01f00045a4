"""`policycite check` end to end: one golden brief per rule, a clean brief, and the CLI.

The library is built here from Python values (a fictional Ministry of Coastal Affairs and
the sources around it), so that nothing generated is committed but the briefs and their
expected reports. Each folder of ``tests/golden/check`` holds one brief named after the
code it triggers (``PC208-event-date``) and ``expected.txt``, the text report; the brief
must trigger exactly that code, and ``clean`` none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from policycite.brief.readers import read_brief
from policycite.brief.structure import parse_brief
from policycite.cli import main
from policycite.library import load_library
from policycite.model import Name, PartialDate, Provenance, Source
from policycite.output import jsonreport, text
from policycite.render import Renderer
from policycite.rules.result import CheckResult
from policycite.rules.validate import RULE_CODES, check

from conftest import GOLDEN, ROOT, Golden
from libraries import write_library

CASES = GOLDEN / "check"
CAPTURED_AT = "2024-10-01T09:00:00+00:00"

MINISTRY = Name.organisation("Ministry of Coastal Affairs")

# Each source: the record's fields, and the blocks of its snapshot (a heading is a str
# starting with "# "); None for a source captured without a snapshot.
SOURCES: list[tuple[dict[str, object], list[str] | None]] = [
    (
        {
            "key": "mca2024a",
            "kind": "press-release",
            "title": "Ministry opens consultation on the Coastal Erosion Fund",
            "authors": [MINISTRY],
            "issued": PartialDate(2024, 4, 3),
            "language": "en",
            "url": "https://www.coastal-affairs.example/press/2024-04-03-erosion-fund",
        },
        [
            "# Ministry opens consultation on the Coastal Erosion Fund",
            "The Ministry of Coastal Affairs today opened a twelve-week public consultation "
            "on the design of the Coastal Erosion Fund, which will support municipalities "
            "whose shorelines are retreating fastest.",
            "The fund will make 240 million crowns available over five years. Municipalities "
            "will be able to apply for grants covering up to 70 per cent of the cost of dune "
            "restoration, managed retreat and sea wall repairs.",
            "Priority will go to places where homes or critical infrastructure stand within "
            "50 metres of the eroding edge, the ministry said.",
            "Residents, businesses and local councils can submit their views until 26 June "
            "2024 through the ministry's consultation portal.",
        ],
    ),
    (
        {
            "key": "mca2024b",
            "kind": "press-release",
            "title": "Harbour dredging permits to be decided within 60 days",
            "authors": [MINISTRY],
            "issued": PartialDate(2024, 9, 17),
            "language": "en",
            "url": "https://www.coastal-affairs.example/press/2024-09-17-dredging-permits",
        },
        [
            "# Harbour dredging permits to be decided within 60 days",
            "From 1 October, the Ministry of Coastal Affairs will decide on applications for "
            "harbour dredging permits within 60 days, down from an average of seven months "
            "last year.",
            "Applicants will submit a single environmental statement instead of the three "
            "separate assessments required until now.",
            "The ministry will publish every decision, with its conditions, on its website "
            "within five working days.",
        ],
    ),
    (
        {
            "key": "haldane2024",
            "kind": "speech",
            "title": "Address to the North Shore Resilience Forum",
            "authors": [Name.person("Haldane", "Ilse")],
            "issued": PartialDate(2024, 5, 15),
            "publisher": "Ministry of Coastal Affairs",
            "event_title": "North Shore Resilience Forum",
            "event_place": "Port Elswick",
            "event_date": PartialDate(2024, 5, 14),
            "language": "en",
            "url": "https://www.coastal-affairs.example/speeches/2024-05-14-resilience-forum",
        },
        [
            "Good morning, and thank you to the people of Port Elswick for hosting us.",
            "Every winter the sea takes a little more of this coast. Last year alone, the "
            "North Shore lost an average of two metres of cliff along a 40-kilometre stretch.",
            "No family should have to wait three years for help while the ground disappears "
            "beneath their garden.",
            "That is why the Coastal Erosion Fund will pay out its first grants before the end "
            "of this year, and why we will open an office in Port Elswick to help councils "
            "prepare their applications.",
            "We cannot hold back the sea everywhere, but we can make sure that nobody faces "
            "it alone. Every winter the sea takes a little more of this coast, and every "
            "winter this ministry will be there.",
        ],
    ),
    (
        {
            "key": "brandt2024",
            "kind": "news-article",
            "title": "Minister promises faster help for the eroding North Shore",
            "authors": [Name.person("Brandt", "Tomas")],
            "issued": PartialDate(2024, 5, 15),
            "container_title": "Harbour Gazette",
            "language": "en",
            "url": "https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion",
        },
        [
            "Coastal Affairs Minister Ilse Haldane on Tuesday promised that the first grants "
            "from the government's erosion fund would be paid before the end of the year.",
            "Speaking at a resilience forum in Port Elswick, Haldane told local officials: "
            "“No family should have to wait three years for help while the ground disappears "
            "beneath their garden.”",
            "Councillors welcomed the announcement but warned that the cap of 70 per cent "
            "would still leave small municipalities with large bills.",
            "Harbour master Petra Lind said the village of Skarby had lost four houses to the "
            "sea since 2019. “We have been asking for a plan for a decade,” she said.",
        ],
    ),
    (
        {
            "key": "npa2024",
            "kind": "press-release",
            "title": "Агентство утвердило план обновления северных портов до 2030 года",
            "translated_title": "Agency approves plan to upgrade northern ports by 2030",
            "title_transliterated": "Agentstvo utverdilo plan obnovleniya severnykh portov do "
            "2030 goda",
            "authors": [Name.organisation("Northern Ports Agency")],
            "issued": PartialDate(2024, 6, 3),
            "language": "ru",
            "url": "https://www.northports.example/ru/press/2024-06-03-plan",
        },
        [
            "# Агентство утвердило план обновления северных портов до 2030 года",
            "Агентство северных портов утвердило план обновления портовой инфраструктуры на "
            "период до 2030 года.",
            "План предусматривает ремонт причалов в шести портах и строительство двух новых "
            "волноломов.",
            "Работы начнутся весной 2025 года, сообщила пресс-служба агентства.",
        ],
    ),
    (
        {
            "key": "cct",
            "kind": "webpage",
            "title": "How the Trust’s small grants programme works",
            "authors": [Name.organisation("Coastal Communities Trust")],
            "container_title": "Coastal Communities Trust",
            "language": "en",
            "url": "https://www.coastaltrust.example/grants/how-it-works",
            "accessed": PartialDate(2024, 10, 1),
            "changes": True,  # updated as the programme changes: APA keeps the retrieval date
        },
        [
            "# How the Trust’s small grants programme works",
            "The Coastal Communities Trust awards small grants of up to 15,000 crowns to "
            "volunteer groups that look after dunes, salt marshes and coastal paths.",
            "Groups can apply at any time of year. A panel of trustees meets every two months "
            "to decide on applications.",
            "Grants can pay for tools, plants, fencing and training, but not for salaries or "
            "for work on private land.",
        ],
    ),
    (
        {
            "key": "iss2023",
            "kind": "report",
            "title": "Counting the cost: Coastal erosion and public budgets to 2050",
            "authors": [Name.organisation("Institute for Shoreline Studies")],
            "issued": PartialDate(2023, 11),
            "publisher": "Institute for Shoreline Studies",
            "number": "7",
            "language": "en",
            "url": "https://www.shorelinestudies.example/reports/7-counting-the-cost",
        },
        None,
    ),
    (
        {
            "key": "kask2024",
            "kind": "report",
            "title": "Dune restoration on the North Shore: Costs and results",
            "authors": [
                Name.person("Kask", "Marta"),
                Name.person("Lind", "Petra"),
                Name.person("Okafor", "Ada"),
            ],
            "issued": PartialDate(2024),
            "publisher": "Coastal Communities Trust",
            "language": "en",
            "url": "https://www.coastaltrust.example/reports/dune-restoration",
        },
        None,
    ),
]


def build_library(folder: Path) -> None:
    """Write the records of SOURCES to ``folder``, with their snapshots."""
    write_library(folder, SOURCES, CAPTURED_AT)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("check") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


#: The APA rendering of each record, as a clean reference list writes it.
SOURCES_APA = {
    "brandt2024": "Brandt, T. (2024, May 15). Minister promises faster help for the eroding "
    "North Shore. Harbour Gazette. "
    "https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion",
    "mca2024b": "Ministry of Coastal Affairs. (2024, September 17). Harbour dredging permits "
    "to be decided within 60 days [Press release]. "
    "https://www.coastal-affairs.example/press/2024-09-17-dredging-permits",
}


# --- golden briefs ---------------------------------------------------------------------


def _cases() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _brief_of(case: str) -> Path:
    """The case's brief, relative to the repository root (as the reports show it)."""
    (found,) = (CASES / case).glob("brief.*")
    return found.relative_to(ROOT)


def _expected_codes(case: str) -> set[str]:
    return set() if case.startswith("clean") else {case.split("-", 1)[0]}


def _check(brief: Path, library: Path) -> CheckResult:
    return check(read_brief(brief), load_library(library).library, library)


def test_one_case_per_rule() -> None:
    codes = {c for case in _cases() for c in _expected_codes(case)}
    assert codes == set(RULE_CODES)
    assert "clean" in _cases()


@pytest.mark.parametrize("case", _cases())
def test_golden_brief(
    case: str, library: Path, golden: Golden, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = _check(_brief_of(case), library)
    assert {f.code for f in result.report} == _expected_codes(case)
    report = text.to_text(result, color=False)
    assert str(library) not in report
    golden.check(f"check/{case}/expected.txt", report)


def test_duplicate_entry_still_names_its_source(library: Path) -> None:
    # Two entries for one record: the citation fits both, but names one source, so its
    # quotation is checked against that source.
    entry = SOURCES_APA["brandt2024"]
    brief = parse_brief(
        '# Skarby\n\nThe harbour master said: "We have been asking for a plan for a '
        f'decade" (Brandt, 2024, para. 4).\n\n## References\n\n{entry}\n\n{entry}\n',
        format="markdown",
    )
    result = check(brief, load_library(library).library, library)
    assert [f.code for f in result.report] == ["PC214"]
    assert [h.status for h in result.highlights if h.kind == "quotation"] == ["verbatim"]


# --- the command -----------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_rendering_matches_the_records(library: Path) -> None:
    renderer = Renderer(load_library(library).library, "apa")
    for key, entry in SOURCES_APA.items():
        assert renderer.bibliography([key]).entries == (entry,)


def test_cli_json_validates(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    brief = _brief_of("PC212-wrong-locator")
    code, out, _ = _run(["check", str(brief), "-l", str(library), "--format", "json"], capsys)
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, jsonreport.schema())
    assert [f["code"] for f in document["findings"]] == ["PC212"]


@pytest.mark.parametrize("case", ["clean", "PC209-author-year-mismatch", "PC410-unquoted-copying"])
def test_cli_sarif_has_one_result_per_finding(
    case: str,
    library: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    brief = _brief_of(case)
    _, out, _ = _run(["check", str(brief), "-l", str(library), "--format", "sarif"], capsys)
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    findings = list(_check(brief, library).report)
    assert [r["ruleId"] for r in sarif_run["results"]] == [f.code for f in findings]


def test_cli_html_report_to_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    brief = CASES / "PC401-misquote" / "brief.md"
    argv = ["check", str(brief), "-l", str(library), "--format", "html", "-o", str(target)]
    code, out, _ = _run(argv, capsys)
    assert code == 1
    assert out == ""
    page = target.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "PC401" in page


def test_cli_fix_writes_the_corrected_list_beside_the_brief(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.md"
    original = (CASES / "PC218-unresolved-reference" / "brief.md").read_bytes()
    brief.write_bytes(original)
    code, out, err = _run(["check", str(brief), "-l", str(library), "--fix"], capsys)
    assert code == 1
    assert "PC218" in out
    target = tmp_path / "brief.references.md"
    assert f"written to {target}" in err
    assert brief.read_bytes() == original
    unmatched = (
        "Harbour Operators Federation. (2022). Keeping small harbours open: A survey of "
        "maintenance costs. https://www.harbouroperators.example/survey-2022"
    )
    # APA's italics as Markdown emphasis: the title of a stand-alone work.
    italic = SOURCES_APA["mca2024b"].replace("Harbour dredging", "*Harbour dredging")
    italic = italic.replace("60 days", "60 days*")
    assert target.read_text(encoding="utf-8") == (
        f"References\n\n{italic}\n\n"
        "Not in the library (kept as written; capture them with `policycite add`):\n\n"
        f"{unmatched}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "brief.references.md"]


def test_cli_fix_puts_style_corrections_in_the_list(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "note.md"
    brief.write_bytes((CASES / "PC216-reference-style" / "brief.md").read_bytes())
    _run(["check", str(brief), "-l", str(library), "--fix"], capsys)
    fixed = (tmp_path / "note.references.md").read_text(encoding="utf-8")
    italic = SOURCES_APA["brandt2024"].replace("Harbour Gazette", "*Harbour Gazette*")
    assert fixed == f"References\n\n{italic}\n"


@pytest.mark.parametrize(
    ("case", "fail_on", "expected"),
    [
        ("PC201-citation-without-reference", "warning", 1),  # an error
        ("PC201-citation-without-reference", "error", 1),
        ("PC201-citation-without-reference", "never", 0),
        ("PC202-reference-not-cited", "warning", 1),  # a warning
        ("PC202-reference-not-cited", "error", 0),
        ("PC205-apa6-retrieved-from", "warning", 0),  # a note
        ("clean", "warning", 0),
    ],
)
def test_cli_fail_on(
    case: str,
    fail_on: str,
    expected: int,
    library: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    brief = CASES / case / "brief.md"
    code, _, _ = _run(["check", str(brief), "-l", str(library), "--fail-on", fail_on], capsys)
    assert code == expected


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(b"\x00\x01\x02 brief \xff\xfe")


def _sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)


def _not_a_zip(path: Path) -> None:
    path.write_text("a Word file in name only\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty.md", _empty, "empty"),
        ("binary.txt", _binary, "binary"),
        ("sparse.txt", _sparse, "limit"),
        ("fake.docx", _not_a_zip, "not a Word file"),
    ],
)
def test_cli_bad_brief_exits_2_and_writes_nothing(
    name: str,
    make: Callable[[Path], None],
    message: str,
    library: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    brief = tmp_path / name
    make(brief)
    report = tmp_path / "report.json"
    argv = ["check", str(brief), "-l", str(library), "--format", "json", "-o", str(report)]
    code, out, err = _run([*argv, "--fix"], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("policycite: error: ")
    assert name in err
    assert message in err
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_cli_brief_without_reference_list(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    brief = _brief_of("PC219-no-reference-list")
    code, out, err = _run(["check", str(brief), "-l", str(library)], capsys)
    assert code == 1
    assert "PC219 no-reference-list" in out
    assert err == ""


@pytest.mark.parametrize(
    ("locator", "codes"),
    [(", para. 5", set()), (", paras. 1–2", set()), (", para. 3", {"PC402"}), ("", {"PC402"})],
)
def test_locator_settles_an_ambiguous_quotation(
    locator: str, codes: set[str], library: Path
) -> None:
    # The quoted sentence is in paras. 2 and 5 of the speech: a locator naming one of
    # them says which is meant; one naming neither, or none, leaves it ambiguous.
    entry = Renderer(load_library(library).library, "apa").bibliography(["haldane2024"])
    brief = parse_brief(
        '# Winter\n\nThe minister said: "Every winter the sea takes a little more of this '
        f'coast" (Haldane, 2024{locator}).\n\n## References\n\n{entry.entries[0]}\n',
        format="markdown",
    )
    result = check(brief, load_library(library).library, library)
    assert {f.code for f in result.report} == codes


def test_json_gives_each_reference_its_match_and_confidence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import ROOT

    folder = ROOT / "examples" / "check"
    args = ["check", str(folder / "brief.md"), "-l", str(folder / "references")]
    assert main([*args, "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    matches = {r["number"]: r["match"] for r in document["references"]}
    assert matches[5] is None  # not in the library (PC218)
    assert matches[2]["key"] == "lindqvist2024"
    assert matches[2]["confidence"] >= 0.95  # the URL names the record
    assert matches[3]["key"] == "halvorsen2021" and matches[3]["reasons"]


def test_a_pandoc_brief_needs_no_written_reference_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import ROOT

    brief = ROOT / "examples" / "briefs" / "narva-monitoring.md"
    assert main(["check", str(brief), "-l", str(ROOT / "references"), "--format", "json"]) == 1
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert codes == ["PC410", "PC410"]  # the copied sentences; pandoc writes the list


def test_word_footnotes_cite_in_the_notes_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Chicago-style footnote cites its entry; its quoted title is not a quotation."""
    import zipfile

    import docx

    from conftest import ROOT

    folder = ROOT / "examples" / "check"
    document = docx.Document()
    document.add_paragraph("The minister said that no country can manage a river alone.")
    document.add_heading("Bibliography", level=2)
    entry = (ROOT / "examples" / "check" / "brief.md").read_text(encoding="utf-8")
    document.add_paragraph(next(line for line in entry.splitlines() if line.startswith("Valk, I.")))
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{w}"><w:footnote w:id="1">'
        "<w:p><w:r><w:t>Irena Valk, \u201cSpeech by Minister Irena Valk at the Regional "
        "Conference,\u201d May 14, 2023.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    )
    noted = tmp_path / "noted.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(noted, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", notes)
    args = ["-l", str(folder / "references"), "--format", "json"]
    assert main(["check", str(plain), *args]) == 1
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert codes == ["PC202"]  # without the note nothing cites the entry
    assert main(["check", str(noted), *args]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_word_or_html_block_quote_is_not_unquoted_copying(
    fmt: str, library: Path, tmp_path: Path
) -> None:
    """A block quote (Word's Quote style, <blockquote>) is quoted text, like Markdown's '>'."""
    intro = "The ministry set out the money available (Ministry of Coastal Affairs, 2024b):"
    quote = (
        "From 1 October, the Ministry of Coastal Affairs will decide on applications for "
        "harbour dredging permits within 60 days, down from an average of seven months last "
        "year. (para. 1)"
    )
    entry = SOURCES_APA["mca2024b"].replace("(2024,", "(2024b,")
    path = tmp_path / f"brief.{fmt}"
    if fmt == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph(intro)
        document.add_paragraph(quote, style="Quote")
        document.add_heading("References", level=2)
        document.add_paragraph(entry)
        document.save(str(path))
    else:
        path.write_text(
            f"<p>{intro}</p><blockquote><p>{quote}</p></blockquote><h2>References</h2>"
            f"<p>{entry}</p>",
            encoding="utf-8",
        )
    result = check(read_brief(path), load_library(library).library, library)
    assert "PC410" not in {f.code for f in result.report}


def test_title_of_a_record_in_another_language_needs_a_translation(tmp_path: Path) -> None:
    # A Latin-script title is foreign by its record's language (read from the page), with
    # or without a translation in the record.
    from policycite.model import Library

    url = "https://kuestenschutz.example/presse/pm-7"
    source = Source(
        key="lkn2025",
        kind="press-release",
        title="Deiche an der Westküste werden bis 2030 erhöht",
        authors=(Name.organisation("Landesamt für Küstenschutz Nordmark"),),
        issued=PartialDate.parse("2025-03-04"),
        language="de",
        provenance=Provenance(url=url, accessed=PartialDate.parse("2025-03-20")),
    )
    brief = tmp_path / "brief.md"
    brief.write_text(
        "# Dikes\n\nThe dikes on the west coast will be raised by 2030 (Landesamt für "
        "Küstenschutz Nordmark, 2025).\n\n## References\n\nLandesamt für Küstenschutz "
        "Nordmark. (2025, March 4). Deiche an der Westküste werden bis 2030 erhöht [Press "
        f"release]. {url}\n",
        "utf-8",
    )
    result = check(brief, library=Library((source,)))
    assert [f.code for f in result.findings if f.code == "PC217"] == ["PC217"]
