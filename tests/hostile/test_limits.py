"""Hostile inputs against the readers' limits (issue 13, items 6 and 7).

Every input is generated here (nothing big is committed). Readers that could allocate
are run as the CLI in a subprocess under a 1 GiB address-space limit: the run must end
with one line and exit 2 (input error) or a finding, within a bound; an unexpected
exception exits 3, never 1 (which means "problems found").
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from limited import run_cli


def run_main(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process (for inputs that cannot exhaust memory)."""
    from policycite.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(map(str, args)), code, out, err)


def one_line_error(proc: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The single stderr line of a run that exited with ``code`` (no traceback)."""
    assert proc.returncode == code, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return lines[0]


# --- the CLI: exit codes ------------------------------------------------------------------


def test_an_unexpected_exception_exits_3_with_one_line_and_a_saved_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycite import cli

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug in a command")

    monkeypatch.setenv("POLICYCITE_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(cli._COMMANDS, "styles", broken)
    assert cli.main(["styles"]) == 3
    line = capsys.readouterr().err.strip()
    assert "\n" not in line
    assert line.startswith("policycite: internal error: ZeroDivisionError: a bug in a command;")
    saved = Path(line.split("traceback saved to ")[1])
    assert saved.parent == tmp_path / "crashes"
    assert "ZeroDivisionError: a bug in a command" in saved.read_text(encoding="utf-8")
    assert "Traceback" in saved.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0"])
def test_a_timeout_that_is_not_a_finite_positive_number_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycite.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["add", "--timeout", value, "page.html"])
    assert exited.value.code == 2
    assert "--timeout" in capsys.readouterr().err


# --- brief readers ------------------------------------------------------------------------


def _docx(path: Path, extra: dict[str, int], *, document: bytes | None = None) -> Path:
    """A small valid Word package plus members of ``extra`` (name -> size in zero bytes)."""
    import docx

    buffer = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("Housing costs rose (Norov, 2020).")
    word.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename not in extra:
                target.writestr(info, source.read(info.filename))
        for name, size in extra.items():
            # An XML part stays well-formed: its own text, then white space.
            head = source.read(name) if name in source.namelist() else b""
            chunk = (b" " if name.endswith(".xml") else b"\0") * 2**24
            with target.open(name, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(size // len(chunk)):
                    member.write(chunk)
    return path


@pytest.mark.parametrize(
    ("member", "size"),
    [("word/media/image1.png", 640 * 2**20), ("word/styles.xml", 320 * 2**20)],
    ids=["big-image", "big-styles"],
)
def test_a_word_brief_counts_every_member_before_reading(
    member: str, size: int, tmp_path: Path
) -> None:
    brief = _docx(tmp_path / "brief.docx", {member: size})
    (tmp_path / "references").mkdir()
    assert brief.stat().st_size < 4 * 2**20  # a small file that unpacks big
    line = one_line_error(run_cli("check", brief, cwd=tmp_path))
    assert str(brief) in line
    assert "unpack to" in line and "the limit is" in line


@pytest.mark.parametrize("report", ["json", "sarif"])
def test_a_line_of_many_citations_is_checked_in_bounded_time(report: str, tmp_path: Path) -> None:
    from policycite.brief.citations import find_citations

    # 25,000 pandoc and 25,000 APA citations on one line: minutes when each citation was
    # checked against all earlier ones, its line counted from the top and every highlight
    # given a copy of all the line's codes; the bound below is generous for n log n.
    line = " ".join(f"[@norov{2000 + i % 20}] and (Brekke, {2001 + i % 9})" for i in range(25_000))
    (tmp_path / "brief.md").write_text(f"# Housing\n\n{line}\n", encoding="utf-8")
    (tmp_path / "references").mkdir()
    proc = run_cli(
        "check", "brief.md", "--format", report, "-o", "report.json", cwd=tmp_path, timeout=60
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    if report == "json":
        assert data["summary"]["errors"] == 50_000  # every citation, none in the library
    else:
        results = data["runs"][0]["results"]
        assert sum(r["ruleId"] == "PC201" for r in results) == 50_000
    # The answers are the same as for a short line.
    short = find_citations("See [@norov2020] and (Brekke, 2001), then @osei2019 [p. 4].")
    assert [c.text for c in short] == ["[@norov2020]", "(Brekke, 2001)", "@osei2019 [p. 4]"]


# --- capture and verify ------------------------------------------------------------------


def _page(title: str, head: str = "", charset: str = "utf-8") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
        f"<title>{title}</title>{head}"
        '<meta name="citation_publication_date" content="2026/03/02">'
        '<meta name="DC.publisher" content="Ministry of Coastal Affairs">'
        f"</head><body><main><h1>{title}</h1>"
        "<p>The Ministry of Coastal Affairs today opened the tender for the second phase "
        "of the northern breakwater, which will protect the harbour towns.</p>"
        "<p>Bids are due by 30 June 2026; the contract will be signed in the autumn.</p>"
        "</main></body></html>"
    ).encode()


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "punycode"])
def test_a_page_declaring_a_codec_that_is_no_charset_is_read_as_undeclared(
    charset: str, tmp_path: Path
) -> None:
    from policycite.capture.decoding import decode_page

    data = _page("Breakwater tender opens", charset=charset)
    decoded = decode_page(data, source="page.html", html=True)
    assert decoded.encoding == "utf-8"
    assert "northern breakwater" in decoded.text
    assert [f.code for f in decoded.findings] == ["PC303"]
    assert f"{charset!r}" in decoded.findings[0].message
    (tmp_path / "page.html").write_bytes(data)
    if charset == "rot13":  # once through the CLI too
        proc = run_cli("add", "page.html", "--dry-run", cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr[-2000:]  # findings, the PC303 among them
        assert f"declared charset {charset!r}" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_deeply_nested_json_ld_is_skipped_not_a_crash(tmp_path: Path) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    ld = f'<script type="application/ld+json">{{"@type": "Report", "x": {nested}}}</script>'
    good = '<script type="application/ld+json">{"@type": "Report", "name": "Tender"}</script>'
    (tmp_path / "page.html").write_bytes(_page("Breakwater tender opens", ld + good))
    proc = run_cli("add", "page.html", "--dry-run", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-2000:]  # findings (no URL), not a crash
    assert "Traceback" not in proc.stderr
    assert "[JSON-LD Report.name]" in proc.stdout  # the sound block next to it is read


def test_one_unreadable_live_page_does_not_stop_verify(tmp_path: Path) -> None:
    from policycite.capture.pipeline import add
    from policycite.verify import VerifyOptions, verify

    from httpserver import page, serve

    folder = tmp_path / "references"
    with serve(
        {"/a": page(_page("Breakwater tender opens")), "/b": page(_page("Harbour levy cut"))}
    ) as server:
        add(server.url("/a"), folder, key="aaa2026", timeout=5)
        add(server.url("/b"), folder, key="bbb2026", timeout=5)
        server.routes["/a"] = page(b"%PDF-1.7 not a page")  # the page became a PDF
        server.routes["/b"] = page(_page("Harbour levy cut", charset="rot13"))
        report = verify(folder, options=VerifyOptions(timeout=5, archive=False, workers=1))
    by_key = {(f.location.key if f.location else None, f.code) for f in report}
    assert ("aaa2026", "PC316") in by_key
    bad = next(f for f in report if f.location and f.location.key == "aaa2026")
    assert "could not be verified" in bad.message and "PDF" in bad.message
    # The other page was fetched and compared: unchanged text gives no finding for it.
    assert not [f for f in report if f.location and f.location.key == "bbb2026"], list(report)


def test_a_100000_deep_sidecar_is_a_finding_and_the_other_source_is_verified(
    tmp_path: Path,
) -> None:
    from policycite.capture.pipeline import add
    from policycite.snapshots import SnapshotStore

    folder = tmp_path / "references"
    for name, title in (("a.html", "Breakwater tender opens"), ("b.html", "Harbour levy cut")):
        (tmp_path / name).write_bytes(_page(title))
    add(tmp_path / "a.html", folder, key="aaa2026", url="https://coastal.example/a")
    add(tmp_path / "b.html", folder, key="bbb2026", url="https://coastal.example/b")
    store = SnapshotStore(folder)
    side = next(store.sidecar_path(sha) for sha in store.hashes())
    side.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    proc = run_cli("verify", "--offline", "--library", folder, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-2000:]  # a finding, not a crash
    assert "Traceback" not in proc.stderr
    assert "nested 100000 levels deep; the limit is 256" in proc.stderr
    assert proc.stderr.count("PC310") == 1  # only the damaged one


# --- records and styles --------------------------------------------------------------------


def _csl_json(tmp_path: Path, issued: str, extra: str = "") -> Path:
    path = tmp_path / "library.json"
    path.write_text(
        '[{"id": "norov2020", "type": "report", "title": "Housing costs",'
        f' "author": [{{"family": "Norov", "given": "Ann"}}], "issued": {issued}{extra}}}]',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        ('{"date-parts": [[2020]], "season": "monsoon"}', "season must be 1-4"),
        ('{"date-parts": [[2020]], "season": 1e400}', "season must be 1-4"),
        ('{"date-parts": [[1e400]]}', "date parts must be numbers"),
        ('{"date-parts": [[2020, 1e400]]}', "date parts must be numbers"),
        ('{"date-parts": [[Infinity]]}', "Infinity is not a JSON value"),
    ],
    ids=["season-word", "season-inf", "year-inf", "month-inf", "json-infinity"],
)
def test_dates_that_are_no_numbers_are_input_errors(
    issued: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csl_json(tmp_path, issued)
    line = one_line_error(run_main(capsys, "format", path))
    assert str(path) in line and expected in line


def test_integers_over_4300_digits_are_input_errors_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csl_json(tmp_path, '{"date-parts": [[2020]]}', ', "volume": ' + "9" * 5000)
    line = one_line_error(run_main(capsys, "format", path))
    assert line.startswith(f"policycite: error: {path}: ") and "4300 digits" in line
    yaml_path = tmp_path / "library.yaml"
    yaml_path.write_text(
        "- id: norov2020\n  type: report\n  title: Housing costs\n  volume: " + "9" * 5000 + "\n",
        encoding="utf-8",
    )
    line = one_line_error(run_main(capsys, "format", yaml_path))
    assert str(yaml_path) in line and "4300 digits" in line


def test_a_bib_value_nested_2000_braces_deep_is_a_finding(tmp_path: Path) -> None:
    deep = "\\textit{" * 2000 + "Housing" + "}" * 2000
    path = tmp_path / "library.bib"
    path.write_text(
        f"@techreport{{norov2020,\n  title = {{{deep}}},\n  author = {{Norov, Ann}},\n"
        "  year = {2020},\n  institution = {Ministry of Coastal Affairs}\n}\n"
        "@techreport{brekke2019,\n  title = {Harbour levies},\n  author = {Brekke, Ola},\n"
        "  year = {2019},\n  institution = {Ministry of Coastal Affairs}\n}\n",
        encoding="utf-8",
    )
    proc = run_cli("format", path, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "PC013" in proc.stderr and "more than 64 deep" in proc.stderr
    assert "Brekke, O. (2019). Harbour levies" in proc.stdout  # the other entry is read


def _style(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def _brief_style() -> str:
    from policycite.render.styles import project_styles_folder

    return (project_styles_folder() / "policycite-brief.csl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "locale", ["en&quot;", "en&quot;]|//*[&quot;"], ids=["lone-quote", "injection"]
)
def test_a_default_locale_holding_a_quote_is_not_put_in_an_xpath(
    locale: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policycite.render.engine import _style as fixed_style

    text = _brief_style().replace('default-locale="en-GB"', f'default-locale="{locale}"')
    assert f'default-locale="{locale}"' in text
    style = _style(tmp_path, "quoted.csl", text)
    library = _csl_json(tmp_path, '{"date-parts": [[2020]]}')
    proc = run_main(capsys, "format", library, "--style", style)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == "Norov, A. (2020). Housing costs.\n"
    # Only locale elements are locales (the injection selected every element of the style).
    fixed = fixed_style(text.encode("utf-8"), None, frozenset())
    assert {etree_name(e) for e in fixed.root.locales} == {"locale"}


def etree_name(element: object) -> str:
    from lxml import etree

    return str(etree.QName(element).localname)  # type: ignore[arg-type]


def test_a_dependent_style_linking_to_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # the link names a file beside it
    _style(
        tmp_path,
        "loop.csl",
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        '<info><title>Loop</title><id>loop</id><link rel="independent-parent" href="loop.csl"/>'
        "<updated>2020-01-01T00:00:00+00:00</updated></info></style>\n",
    )
    library = _csl_json(tmp_path, '{"date-parts": [[2020]]}')
    line = one_line_error(run_main(capsys, "format", library, "--style", "loop.csl"))
    assert "dependent styles link in a loop" in line


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_style_that_is_not_utf8_is_a_one_line_error(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _brief_style().replace("<title>", "<title>Caf\u00e9 ")
    text = text.replace('encoding="utf-8"', f'encoding="{encoding}"')
    style = _style(tmp_path, "other.csl", text.encode(encoding))
    library = _csl_json(tmp_path, '{"date-parts": [[2020]]}')
    line = one_line_error(run_main(capsys, "format", library, "--style", style))
    assert str(style) in line and "not UTF-8" in line


@pytest.mark.parametrize(
    "value", ["[" * 50_000 + "]" * 50_000, "9" * 5000], ids=["deep", "long-integer"]
)
def test_markdown_front_matter_that_yaml_cannot_hold_is_ignored(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(
        f"---\ntitle: Housing\nx: {value}\n---\n\n# Housing\n\nCosts rose (Norov, 2020).\n",
        encoding="utf-8",
    )
    (tmp_path / "references").mkdir()
    proc = run_main(capsys, "check", brief, "--library", tmp_path / "references")
    assert proc.returncode == 1, proc.stderr[-2000:]  # the citation has no reference
    assert "PC201" in proc.stdout and "internal error" not in proc.stderr
