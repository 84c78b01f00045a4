"""Zotero's exports read right: Better BibLaTeX/BibTeX .bib and Zotero's CSL-JSON.

The fixtures in examples/zotero-export/ follow what the exporters write for each Zotero item
type the issue names (Better BibTeX's translators and test fixtures; Zotero's CSL JSON
translator): a press release (Report + Report Type), a newspaper article, a web page, a
presentation (a speech) and a document. Each must come in with its kind, its full date
and a usable key, and go out and back through every format without loss.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import policycite as pc
from policycite.cli import main
from policycite.formats import bibtex, csljson, cslyaml
from policycite.formats.bibmap import PROFILES
from policycite.render import Renderer

EXAMPLES = Path(__file__).parent.parent / "examples" / "zotero-export"
BIB = EXAMPLES / "library.bib"
CSL = EXAMPLES / "library.json"

#: key -> (kind, issued, genre, publisher)
BIB_EXPECTED = {
    "mca2024storm": ("press-release", "2024-03-12", None, "Ministry of Coastal Affairs"),
    "kask2024shelters": ("news-article", "2024-03-13", None, None),
    "hsa2024locations": ("webpage", "2024-02", None, None),
    "norov2024remarks": ("speech", "2024-03-20", "Speech", None),
    "ncc2023declaration": ("document", "2023-11-02", None, "Nordic Coastal Council"),
}
CSL_EXPECTED = {
    "mca2024": ("press-release", "2024-03-12", None, "Ministry of Coastal Affairs"),
    "kask2024shelters": ("news-article", "2024-03-13", None, None),  # citation-key
    "hsa2024": ("webpage", "2024-02", None, None),
    "norov2024remarks": ("speech", "2024-03-20", "Speech", None),  # Citation Key: in note
    "ncc2023": ("document", "2023-11-02", None, "Nordic Coastal Council"),
}
ITEM_KEYS = {
    "mca2024": "PR2345AB",
    "kask2024shelters": "NW2345AB",
    "hsa2024": "WB2345AB",
    "norov2024remarks": "SP2345AB",
    "ncc2023": "DC2345AB",
}


def _facts(source: pc.Source) -> tuple[Any, ...]:
    issued = source.issued.iso() if source.issued else None
    return source.kind, issued, source.genre, source.publisher


def test_better_biblatex_export_kinds_dates_keys() -> None:
    read = bibtex.load(BIB)
    assert {s.key: _facts(s) for s in read.library} == BIB_EXPECTED
    news = read.library["kask2024shelters"]
    assert news.container_title == "The Coastal Herald"
    assert news.section == "Regional news"  # Better BibLaTeX's journalsubtitle
    speech = read.library["norov2024remarks"]
    assert speech.event_title == "Coastal Resilience Forum 2024"
    assert speech.event_place == "Tallinn"
    # Only the attachment list has no meaning here: kept, and said so.
    assert [(f.code, f.location.field) for f in read.findings] == [("PC015", "file")]


def test_better_bibtex_howpublished_speech_is_a_genre() -> None:
    """Classic BibTeX has no type for a talk: the exporter's howpublished names it."""
    text = """
@misc{norov2024remarks,
  title = {Remarks on Coastal Resilience},
  author = {Norov, Ivan},
  year = {2024},
  month = mar,
  howpublished = {Speech},
  url = {https://coastal.example.org/speeches/2024-03-20}
}
@unpublished{norov2024forum,
  title = {Opening Address},
  author = {Norov, Ivan},
  date = {2024-03-21},
  howpublished = {Presentation},
  eventtitle = {Coastal Resilience Forum 2024}
}
@unpublished{norov2024host,
  title = {Closing Remarks},
  author = {Norov, Ivan},
  date = {2024-03-22},
  howpublished = {Coastal Resilience Forum},
  eventtitle = {Coastal Resilience Forum 2024}
}
"""
    read = bibtex.loads(text)
    first, second, third = read.library
    assert (first.kind, first.genre, first.publisher) == ("speech", "Speech", None)
    assert first.issued == pc.PartialDate(2024, 3)
    assert (second.kind, second.genre, second.publisher) == ("speech", "Presentation", None)
    # A howpublished that is not a genre word stays the host, as before.
    assert (third.genre, third.publisher) == (None, "Coastal Resilience Forum")


@pytest.mark.parametrize("subtype", ["newspaper", "nonacademic"])
def test_newspaper_subtype_is_news_with_full_date(subtype: str) -> None:
    text = (
        "@article{kask2024, title = {T}, author = {Kask, Maria}, date = {2024-03-13},"
        f" journaltitle = {{The Coastal Herald}}, entrysubtype = {{{subtype}}}}}"
    )
    read = bibtex.loads(text)
    (source,) = read.library
    assert source.kind == "news-article"
    assert source.issued == pc.PartialDate(2024, 3, 13)
    assert read.findings == ()  # entrysubtype was understood, not kept as unknown


def test_zotero_csl_json_export_kinds_dates_keys_aliases() -> None:
    read = csljson.load(CSL)
    assert {s.key: _facts(s) for s in read.library} == CSL_EXPECTED
    for source in read.library:
        uri = f"http://zotero.org/users/local/xYz12AbC/items/{ITEM_KEYS[source.key]}"
        assert source.provenance.aliases == (uri,)
        assert "note" not in source.extra  # the Citation Key line was Zotero's, not a note
        assert "publisher-place" not in source.extra
    release = read.library["mca2024"]
    assert release.csl_type is None  # Zotero's "report" only stood in for press release
    generated = sorted(f.location.key or "" for f in read.findings)
    assert generated == ["hsa2024", "mca2024", "ncc2023"]
    assert {f.code for f in read.findings} == {"PC327"}


def test_press_release_renders_its_full_date_from_both_exports() -> None:
    for read in (csljson.load(CSL), bibtex.load(BIB)):
        lines = Renderer(read.library, "apa").bibliography().as_text().splitlines()
        release = next(line for line in lines if "Press release" in line)
        assert release.startswith("Ministry of Coastal Affairs. (2024, March 12). ")
        news = next(line for line in lines if "Coastal Herald" in line)
        assert news.startswith("Kask, M. (2024, March 13). ")


def _sources(read: Any) -> list[pc.Source]:
    return list(read.library)


@pytest.mark.parametrize("path", [BIB, CSL], ids=lambda p: p.suffix)
def test_round_trip_through_every_format_is_lossless(path: Path) -> None:
    read = bibtex.load(path) if path.suffix == ".bib" else csljson.load(path)
    sources = _sources(read)
    assert _sources(csljson.loads(csljson.dumps(sources))) == sources
    assert _sources(cslyaml.loads(cslyaml.dumps(sources))) == sources
    for profile in PROFILES:
        again = bibtex.loads(bibtex.dumps(sources, profile=profile))
        assert _sources(again) == sources, profile


def test_convert_round_trip_on_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    assert main(["convert", str(CSL), "--to", "yaml", "-o", str(folder)]) == 0
    names = sorted(p.name for p in folder.glob("*.yaml"))
    assert names == sorted(f"{key}.yaml" for key in CSL_EXPECTED)  # no URI as a file name
    direct = tmp_path / "direct.json"
    via_library = tmp_path / "via.json"
    assert main(["convert", str(CSL), "--to", "csljson", "-o", str(direct)]) == 0
    assert main(["convert", str(folder), "--to", "csljson", "-o", str(via_library)]) == 0
    assert _by_key(via_library) == _by_key(direct)  # a folder lists its records by name
    bib = tmp_path / "out.bib"
    assert main(["convert", str(folder), "--to", "bibtex", "-o", str(bib)]) == 0
    back = tmp_path / "back.json"
    assert main(["convert", str(bib), "--to", "csljson", "-o", str(back)]) == 0
    assert _by_key(back) == _by_key(direct)


def _by_key(path: Path) -> dict[str, Any]:
    return {item["id"]: item for item in json.loads(path.read_text("utf-8"))}


# --- policycite import zotero EXPORT ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"), [(BIB, BIB_EXPECTED), (CSL, CSL_EXPECTED)], ids=[".bib", ".json"]
)
def test_import_export_file_is_idempotent_and_keeps_hand_edits(
    path: Path, expected: dict[str, Any], tmp_path: Path, capsys
) -> None:
    from policycite.library import load_library

    folder = tmp_path / "references"
    args = ["import", "zotero", str(path), "-l", str(folder)]
    assert main(args) == 0, capsys.readouterr().err
    library = load_library(folder).library
    assert {s.key: _facts(s) for s in library} == expected
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted(expected)
    capsys.readouterr()
    before = {p: p.read_bytes() for p in folder.glob("*.yaml")}
    assert main(args) == 0
    assert "5 unchanged" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in folder.glob("*.yaml")} == before
    # A title corrected in the record file survives the next import.
    record = folder / "kask2024shelters.yaml"
    record.write_text(
        record.read_text("utf-8").replace(
            "North Coast Gets Storm Shelters Before the Autumn Season",
            "North coast gets storm shelters before autumn",
        ),
        encoding="utf-8",
    )
    assert main(args) == 0
    assert "kept hand edit of title" in capsys.readouterr().out
    kept = load_library(folder).library["kask2024shelters"]
    assert kept.title == "North coast gets storm shelters before autumn"


def test_import_of_a_file_that_is_no_export_is_one_line(tmp_path: Path, capsys) -> None:
    other = tmp_path / "library.ris"
    other.write_text("TY  - JOUR\n", encoding="utf-8")
    assert main(["import", "zotero", str(other), "-l", str(tmp_path / "refs")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "library.ris" in err
