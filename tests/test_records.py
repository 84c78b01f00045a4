"""Records: YAML and CSL-JSON round trips, unknown fields, CSL validity, the library folder."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import jsonschema
import pytest

import policycite as pc
from policycite.formats import csljson, cslyaml
from policycite.formats.record import source_from_dict, source_to_csl
from policycite.library import filename_to_key, key_to_filename

from conftest import DATA, SAMPLE_LIBRARY

SCHEMA = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))

UNKNOWN_RECORD = """\
id: odd2021
kind: report
title: A report with fields nobody defined
issued: 2021-06
reviewer-notes: check the figures in table 2
priority: 3
custom:
  zotero-key: ABCD1234
"""


def _sample_files() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_LIBRARY.glob("*.yaml"))}


def test_sample_library_is_rich_enough() -> None:
    lib = pc.load_library(SAMPLE_LIBRARY).library
    assert len(lib) >= 8
    assert {s.kind for s in lib} >= {
        "press-release",
        "speech",
        "news-article",
        "webpage",
        "statement",
        "report",
    }
    assert any(n.abbreviation for s in lib for n in s.authors)
    assert any(s.translated_title and s.language != "en" for s in lib)
    assert any(s.kind == "webpage" and s.issued is None for s in lib)
    by_author_year = [(s.authors[0], s.issued.year) for s in lib if s.authors and s.issued]
    assert len(by_author_year) > len(set(by_author_year))  # two works, one author, one year


def test_sample_library_files_are_canonical(tmp_path: Path) -> None:
    read = pc.load_library(SAMPLE_LIBRARY)
    assert read.findings == ()
    pc.save_library(tmp_path, read.library)
    assert {
        p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.yaml")
    } == _sample_files()


def test_yaml_to_csljson_to_yaml_is_identical(tmp_path: Path) -> None:
    lib = pc.load_library(SAMPLE_LIBRARY).library
    json_path = tmp_path / "library.json"
    json_path.write_text(csljson.dumps(lib), encoding="utf-8")
    back = csljson.load(json_path)
    assert back.findings == ()
    assert back.library == lib
    out = tmp_path / "out"
    pc.save_library(out, back.library)
    assert {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.yaml")} == _sample_files()


def test_unknown_fields_survive_both_formats(tmp_path: Path) -> None:
    read = cslyaml.loads(UNKNOWN_RECORD, "odd.yaml")
    assert [(f.code, f.location.field, f.location.line) for f in read.findings] == [
        ("PC001", "reviewer-notes", 5),
        ("PC001", "priority", 6),
    ]
    source = read.library["odd2021"]
    assert dict(source.unknown) == {"reviewer-notes": "check the figures in table 2", "priority": 3}
    assert cslyaml.dump_record(source) == UNKNOWN_RECORD
    item = source_to_csl(source)
    jsonschema.validate([item], SCHEMA)  # unknown fields ride in custom
    again, findings = source_from_dict(json.loads(json.dumps(item)))
    assert again == source
    assert [f.location.field for f in findings] == ["reviewer-notes", "priority"]


def test_csljson_output_is_valid_csl(tmp_path: Path) -> None:
    for path in (SAMPLE_LIBRARY, DATA / "kinds.yaml"):
        lib = pc.library_from([path]).library
        items = json.loads(csljson.dumps(lib))
        jsonschema.validate(items, SCHEMA)


def test_csl_view_applies_style_rules_and_keeps_the_record() -> None:
    lib = pc.library_from([DATA / "kinds.yaml"]).library
    item = source_to_csl(lib["pr"])
    assert item["type"] == "document"
    assert item["genre"] == "Press release"
    assert "publisher" not in item and "number" not in item
    assert item["custom"]["record"] == {
        "genre": None,
        "publisher": "Harbour Safety Authority",
        "number": "HSA-2020-041",
    }
    assert item["custom"]["abbreviations"] == {"Harbour Safety Authority": "HSA"}
    speech = source_to_csl(lib["sp"])
    assert speech["event"] == "Coastal Resilience Forum 2021"  # CSL-JSON schema name
    assert speech["genre"] == "Speech transcript, as prepared for delivery"


def test_foreign_csl_item_gets_a_kind() -> None:
    zotero = {
        "id": "fda2019",
        "type": "webpage",
        "genre": "Press Release",
        "title": "FDA approves first contact lens",
        "author": [{"literal": "U.S. Food and Drug Administration"}],
        "issued": {"date-parts": [["2019", "11", "15"]]},
        "URL": "https://www.fda.gov/news-events/press-announcements/x",
    }
    source, findings = source_from_dict(zotero)
    assert findings == []
    assert source.kind == "press-release"
    assert source.csl_type == "webpage"  # kept, since the kind's own type is document
    assert source.genre is None
    assert source.issued == pc.PartialDate(2019, 11, 15)
    assert source_to_csl(source)["type"] == "webpage"


def test_raw_and_literal_dates_are_not_lost() -> None:
    source, _ = source_from_dict({"id": "a", "type": "report", "issued": {"raw": "2020-05-13"}})
    assert source.issued == pc.PartialDate(2020, 5, 13)
    source, _ = source_from_dict(
        {"id": "b", "type": "report", "issued": {"literal": "Spring 2020, as broadcast"}}
    )
    assert source.issued == pc.PartialDate(literal="Spring 2020, as broadcast")
    assert cslyaml.dump_record(source).count("literal: Spring 2020, as broadcast") == 1


def test_yaml_dates_stay_text() -> None:
    read = cslyaml.loads("id: a\nkind: report\nissued: 2020-05-13\naccessed: 2024-01-02\n")
    source = read.library["a"]
    assert source.issued == pc.PartialDate(2020, 5, 13)
    assert "issued: '2020-05-13'" in cslyaml.dump_record(source)


def test_pandoc_style_references_document() -> None:
    read = cslyaml.loads("references:\n- id: a\n  type: report\n  title: T\n")
    assert read.library.keys == ("a",)


def test_duplicate_and_case_colliding_keys_are_findings() -> None:
    text = (
        "- {id: Norov2020, kind: report}\n- {id: norov2020, kind: report}\n"
        "- {id: Norov2020, kind: webpage}\n"
    )
    read = cslyaml.loads(text, "dups.yaml")
    assert read.library.keys == ("Norov2020", "norov2020")
    assert read.library["Norov2020"].kind == "report"  # the first wins
    assert [f.code for f in read.findings] == ["PC003", "PC002"]


def test_library_folder_findings(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_LIBRARY / "sco2020.yaml", tmp_path / "renamed.yaml")
    (tmp_path / "notes.txt").write_text("not a record", encoding="utf-8")
    (tmp_path / "snapshots").mkdir()
    read = pc.load_library(tmp_path)
    assert read.library.keys == ("sco2020",)
    assert [f.code for f in read.findings] == ["PC005", "PC004"]


@pytest.mark.parametrize("key", ["Smith:2020", "a/b", "WHO_2020-a", "x%y", "über2020"])
def test_key_file_names_round_trip_and_stay_inside(key: str, tmp_path: Path) -> None:
    name = key_to_filename(key)
    assert "/" not in name and not name.startswith(".")
    assert filename_to_key(name) == key
    source = pc.Source(key, "report", "T")
    path = pc.save_source(tmp_path, source)
    assert path.parent == tmp_path
    assert pc.load_library(tmp_path).library[key] == source


def test_save_is_atomic_and_keeps_nothing_half_written(tmp_path: Path, monkeypatch) -> None:
    source = pc.Source("a", "report", "Original")
    path = pc.save_source(tmp_path, source)
    before = path.read_text(encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        pc.save_source(tmp_path, pc.Source("a", "report", "Changed"))
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temp file left
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_csl_yaml_round_trip_and_validity() -> None:
    lib = pc.load_library(SAMPLE_LIBRARY).library
    text = cslyaml.dumps_csl(lib)
    data = cslyaml.parse(text)
    jsonschema.validate(json.loads(json.dumps(data["references"])), SCHEMA)
    back = cslyaml.loads(text, "lib.yaml")
    assert back.findings == ()
    assert back.library == lib


def test_library_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(SAMPLE_LIBRARY, folder, ignore=shutil.ignore_patterns("snapshots"))
    first = pc.load_library(folder, cache=True)
    assert first == pc.load_library(folder)  # the same with and without the cache
    assert pc.load_library(folder, cache=True) == first  # read from the cache
    record = folder / "kask2024.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("kask2024", "kask2024x", 1), "utf-8"
    )
    changed = pc.load_library(folder, cache=True)
    assert "kask2024x" in changed.library.keys
    assert [f.code for f in changed.findings] == ["PC004"]  # file name no longer matches
    record.unlink()
    assert "kask2024x" not in pc.load_library(folder, cache=True).library.keys
    caches = list(Path(os.environ["POLICYCITE_CACHE_DIR"]).glob("library-*.pickle"))
    assert len(caches) == 1
    caches[0].write_bytes(b"not a pickle")  # a damaged cache is ignored, then replaced
    assert pc.load_library(folder, cache=True).library == pc.load_library(folder).library


def _copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(SAMPLE_LIBRARY, folder, ignore=shutil.ignore_patterns("snapshots"))
    return folder


def test_library_cache_sees_a_record_edited_in_place_with_its_size_and_mtime(
    tmp_path: Path,
) -> None:
    folder = _copy_sample(tmp_path)
    record = folder / "kask2024.yaml"
    before = record.stat()
    assert "Narva" in pc.load_library(folder, cache=True).library["kask2024"].title
    with record.open("r+b") as handle:  # in place: the same file (inode), the same size
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(b"Narva", b"Nerva"))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime set back
    assert record.stat().st_size == before.st_size
    assert "Nerva" in pc.load_library(folder, cache=True).library["kask2024"].title


def test_library_cache_sees_an_edit_within_the_file_systems_clock_tick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system that keeps times to the second (ext3, HFS+; Linux's own clock ticks
    # every few ms): a second version written in the same second as the one read has
    # the same ctime, and with the same size, inode and mtime the same whole stamp.
    real = os.stat

    def coarse(*args: object, **kwargs: object) -> os.stat_result:
        info = real(*args, **kwargs)  # type: ignore[arg-type]
        second = info.st_ctime_ns // 1_000_000_000 * 1_000_000_000
        times = {
            "st_atime_ns": info.st_atime_ns,
            "st_mtime_ns": info.st_mtime_ns,
            "st_ctime_ns": second,
        }
        return os.stat_result(tuple(info), times)

    folder = _copy_sample(tmp_path)
    record = folder / "kask2024.yaml"
    record.write_text(record.read_text(encoding="utf-8"), encoding="utf-8")  # ctime: now
    before = record.stat()
    monkeypatch.setattr(os, "stat", coarse)
    assert "Narva" in pc.load_library(folder, cache=True).library["kask2024"].title
    record.write_bytes(record.read_bytes().replace(b"Narva", b"Nerva"))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "Nerva" in pc.load_library(folder, cache=True).library["kask2024"].title


def test_library_cache_sees_added_and_removed_records_and_stray_files(tmp_path: Path) -> None:
    folder = _copy_sample(tmp_path)
    (folder / "kask2024.yaml").write_text(
        (folder / "kask2024.yaml").read_text(encoding="utf-8").replace("kask2024", "k2", 1),
        encoding="utf-8",
    )  # a file name that no longer matches its key: a finding kept in the cache
    (folder / "a-note.txt").write_text("not a record", encoding="utf-8")
    (folder / "zz-note.txt").write_text("not a record", encoding="utf-8")
    assert pc.load_library(folder, cache=True) == pc.load_library(folder)
    cached = pc.load_library(folder, cache=True)  # read from the cache
    assert cached == pc.load_library(folder)  # the same findings, in the same order
    assert [f.code for f in cached.findings] == ["PC005", "PC004", "PC005"]
    shutil.copy(folder / "nri2023.yaml", folder / "nri2023b.yaml")
    added = pc.load_library(folder, cache=True)
    assert added == pc.load_library(folder)
    assert "PC004" in [f.code for f in added.findings if "nri2023b" in str(f.location)]
    (folder / "nri2023.yaml").unlink()
    removed = pc.load_library(folder, cache=True)
    assert removed == pc.load_library(folder)
    assert "nri2023" in removed.library.keys  # now from nri2023b.yaml only
    assert not any("nri2023.yaml" in str(f.location) for f in removed.findings)


def test_a_library_cache_whose_columns_disagree_is_rebuilt(tmp_path: Path) -> None:
    from policycite import derived, library

    folder = _copy_sample(tmp_path)
    first = pc.load_library(folder, cache=True)
    path = library._cache_file(folder)
    sealed = derived.read_sealed(path)
    assert sealed is not None
    data = pickle.loads(sealed[1])
    cached = data["files"]
    # Intact and sealed, but one name short: never trusted.
    data["files"] = cached._replace(names=cached.names[1:])
    derived.write_sealed(path, pickle.dumps(data))
    assert pc.load_library(folder, cache=True) == first
    rebuilt = derived.read_sealed(path)
    assert rebuilt is not None
    assert pickle.loads(rebuilt[1])["files"].names == cached.names
