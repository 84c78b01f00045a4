"""Anchors on a library's records: the anchor command, storage, re-checks in verify."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policycite.capture.pipeline import add
from policycite.cli import main
from policycite.library import load_library
from policycite.model import AnchorStatus, PartialDate
from policycite.verify import VerifyOptions, verify

from conftest import SAMPLE_LIBRARY


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "references"
    shutil.copytree(SAMPLE_LIBRARY, folder)
    return folder


def test_anchor_command_reports_and_stores(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quotes = [
        "“What happens upstream in spring is felt downstream in summer.”",
        "What happens upstream in spring is felt downstream in autumn",
        "The treaty was signed in Riga",
    ]
    assert main(["anchor", "lindqvist2024", *quotes, "-l", str(library)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("verbatim   @lindqvist2024 para. 3, score 1.00") == 1
    assert "misquote   @lindqvist2024 para. 3" in captured.out
    assert "… felt downstream in [-autumn-]{+summer+}" in captured.out
    assert "link    https://www.bcws.example/speeches/2024-03-12-lindqvist#:~:text=" in captured.out
    assert "PC401 misquote" in captured.err and "PC403 quote-not-in-source" in captured.err
    source = load_library(library).library["lindqvist2024"]
    by_status = {a.status: a for a in source.anchors}
    assert set(by_status) == {AnchorStatus.VERBATIM, AnchorStatus.MISQUOTE, AnchorStatus.NOT_FOUND}
    misquote = by_status[AnchorStatus.MISQUOTE]
    assert misquote.exact.endswith("felt downstream in summer")
    assert misquote.quote == "What happens upstream in spring is felt downstream in autumn"
    assert misquote.paragraph == 3 and misquote.start is not None
    assert "\n" not in misquote.prefix
    # The record's own earlier anchor is kept; anchoring the same quote again replaces it.
    assert len(source.anchors) == 4
    assert main(["anchor", "lindqvist2024", quotes[1], "-l", str(library)]) == 1
    assert len(load_library(library).library["lindqvist2024"].anchors) == 4


def test_anchor_no_save_file_and_json(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (library / "lindqvist2024.yaml").read_bytes()
    quotes = tmp_path / "quotes.txt"
    quotes.write_text(
        "# quotations from the brief\nno river in our region stops at a border\n\n"
        "our administrations will measure the same things … in the same way\n",
        encoding="utf-8",
    )
    args = ["anchor", "lindqvist2024", "--file", str(quotes), "--no-save", "--format", "json"]
    assert main([*args, "-l", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["status"], d["paragraph"]) for d in data] == [("verbatim", 3), ("verbatim", 4)]
    assert data[1]["quote"] == "our administrations will measure the same things … in the same way"
    assert data[0]["links"]["live"].endswith(
        "#:~:text=no%20river%20in%20our%20region%20stops%20at%20a%20border"
    )
    assert (library / "lindqvist2024.yaml").read_bytes() == before


def test_anchor_errors(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["anchor", "nobody", "x", "-l", str(library)]) == 2
    assert "no such key" in capsys.readouterr().err
    assert main(["anchor", "kask2024", "some words", "-l", str(library)]) == 2
    assert "no snapshot" in capsys.readouterr().err
    assert main(["anchor", "lindqvist2024", "-l", str(library)]) == 2


PAGE = """<html lang="en"><head><title>Harbour fund opens</title>
<meta name="citation_title" content="Harbour fund opens">
<meta name="citation_publication_date" content="2026-02-03">
<meta name="DC.publisher" content="Ministry of Coastal Affairs">
<link rel="canonical" href="https://coastal.example/press/fund"></head><body><main>
<h1>Harbour fund opens</h1>{extra}
<p>Small ports can apply from April for grants from the new harbour fund, the Ministry of
Coastal Affairs announced on Tuesday in the capital.</p>
<p>The fund pays up to sixty percent of the cost of works that keep a port open during
storm surges, such as raising quays and access roads.</p>
<p>Applications will be assessed in two rounds, closing in June and in November, by a
panel of engineers and port users.</p></main></body></html>"""


def _captured(tmp_path: Path, page: str) -> None:
    path = tmp_path / "fund.html"
    path.write_text(page, encoding="utf-8")
    add(path, tmp_path / "lib", kind="press-release", accessed=PartialDate.parse("2026-02-04"))


def _recheck_codes(tmp_path: Path) -> list[str]:
    return [f.code for f in verify(tmp_path / "lib", options=VerifyOptions(online=False))]


@pytest.mark.parametrize(
    ("new_page", "expected"),
    [
        (PAGE.format(extra=""), []),
        (
            PAGE.format(
                extra="<p>The minister opened the fund at the port of Lira on Monday morning.</p>"
            ),
            ["PC404"],
        ),
        (PAGE.format(extra="").replace("raising quays", "raising piers"), ["PC405"]),
        (
            PAGE.format(extra="").replace("such as raising quays and access roads", "for example"),
            ["PC406"],
        ),
    ],
)
def test_verify_reanchors_in_a_newer_snapshot(
    tmp_path: Path, new_page: str, expected: list[str]
) -> None:
    _captured(tmp_path, PAGE.format(extra=""))
    assert (
        main(["anchor", "mca2026", "raising quays and access roads", "-l", str(tmp_path / "lib")])
        == 0
    )
    assert _recheck_codes(tmp_path) == []
    _captured(tmp_path, new_page)  # the page changed and was captured again
    assert _recheck_codes(tmp_path) == expected


def test_verify_rechecks_anchors_in_the_same_snapshot(library: Path) -> None:
    record = library / "lindqvist2024.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace("- exact: no river in our region", "- exact: no lake in our region"), "utf-8"
    )
    findings = list(verify(library, options=VerifyOptions(online=False)))
    assert [f.code for f in findings] == ["PC401"]
    assert "[-lake-]{+river+}" in findings[0].message


def test_copying_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _captured(tmp_path, PAGE.format(extra=""))
    brief = tmp_path / "brief.md"
    brief.write_text(
        "# Ports\n\nThe ministry has opened a fund. It pays up to sixty percent of the cost of "
        "works that keep a port open during storm surges.\n\n"
        "The minister said it “pays up to sixty percent of the cost of works that keep a port "
        "open during storm surges”.\n",
        encoding="utf-8",
    )
    assert main(["copying", str(brief), "-l", str(tmp_path / "lib")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1  # the quoted copy in the second paragraph is fine
    assert err[0].startswith(f"{brief}:3:33: PC410 unquoted-copying [warning] ")
    assert "with @mca2026 para. 2" in err[0]
    assert main(["copying", str(brief), "-l", str(SAMPLE_LIBRARY)]) == 0


def test_api_anchor_accepts_a_source_a_snapshot_or_a_text(library: Path) -> None:
    import policycite as pc

    source = pc.load_library(library).library["lindqvist2024"]
    by_source = pc.anchor(source, "no flood waits for a treaty", library=library)
    assert by_source.status is AnchorStatus.VERBATIM and by_source.place is not None
    assert by_source.place.paragraph == 3
    assert pc.anchor("One.\n\nTwo words here.", "two words").place.paragraph == 2  # type: ignore[union-attr]
    with pytest.raises(pc.InputError, match="no snapshot"):
        pc.anchor(pc.load_library(library).library["kask2024"], "x", library=library)
