"""Hostile inputs for the file formats (issue 13, items 2, 3 and 6's .bib part).

Data that loads must save; what cannot be written is refused before anything is written;
a .bib never loses a field or a date part without a finding; @string macros cannot blow
up memory. The memory test runs in a child process under an address-space limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import policycite as pc
from policycite.cli import main
from policycite.errors import InputError
from policycite.formats import bibtex, csljson, cslyaml
from policycite.formats.bibmap import PROFILES

NESTED_RECORD = """\
id: vrelka2024
kind: report
title: Water security outlook -- 2024
custom:
  zotero:
    key: ABC
    collections: [policy, {name: water, ids: [1, 2]}]
"""


def _nested_source() -> pc.Source:
    return next(iter(cslyaml.loads(NESTED_RECORD).library))


def _custom(source: pc.Source) -> dict[str, object]:
    return json.loads(json.dumps(dict(source.custom)))


# ---------------------------------------------------------------------------------------
# Item 2: any data that loads must save; multi-file writes are all or nothing


def test_nested_custom_saves_and_loads_in_every_format() -> None:
    source = _nested_source()
    want = {"zotero": {"key": "ABC", "collections": ["policy", {"name": "water", "ids": [1, 2]}]}}
    assert _custom(source) == want
    back = [
        cslyaml.loads(cslyaml.dump_record(source)),
        cslyaml.loads(cslyaml.dumps([source])),
        cslyaml.loads(cslyaml.dumps_csl([source])),
        csljson.loads(csljson.dumps([source])),
        *(bibtex.loads(bibtex.dumps([source], profile)) for profile in PROFILES),
    ]
    for read in back:
        assert _custom(read.library["vrelka2024"]) == want
        assert read.library["vrelka2024"] == source


def test_convert_of_nested_custom_to_a_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "in.yaml").write_text(NESTED_RECORD, encoding="utf-8")
    for target in ("yaml", "cslyaml", "csljson"):
        assert main(["convert", str(tmp_path / "in.yaml"), "--to", target]) == 0
    out = tmp_path / "lib"
    assert main(["convert", str(tmp_path / "in.yaml"), "--to", "yaml", "-o", str(out)]) == 0
    capsys.readouterr()
    assert pc.load_library(out).library["vrelka2024"] == _nested_source()


def test_convert_to_a_folder_is_all_or_nothing(tmp_path: Path, capsys) -> None:
    # Five good records and one whose title no file can hold (a lone surrogate).
    items = [{"id": f"rec{i}", "type": "report", "title": f"Report {i}"} for i in range(5)]
    text = json.dumps(items)[:-1] + ', {"id": "zbad", "type": "report", "title": "a\\ud800b"}]'
    (tmp_path / "in.json").write_text(text, encoding="utf-8")
    out = tmp_path / "lib"
    out.mkdir()
    (out / "keep.yaml").write_text("id: keep\nkind: report\n", encoding="utf-8")
    code = main(["convert", str(tmp_path / "in.json"), "--to", "yaml", "-o", str(out)])
    assert code == 2
    assert "lone surrogate" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["keep.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "lib"]  # no temp left


def test_save_library_keeps_other_files_and_replaces_records(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "lib" / "snapshots").mkdir()
    (tmp_path / "lib" / "snapshots" / "a.txt").write_text("snap", encoding="utf-8")
    source = _nested_source()
    pc.save_library(tmp_path / "lib", [source])
    assert (tmp_path / "lib" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "lib" / "snapshots" / "a.txt").read_text(encoding="utf-8") == "snap"
    assert pc.load_library(tmp_path / "lib").library["vrelka2024"] == source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib"]


# ---------------------------------------------------------------------------------------
# Item 3: .bib import reports what it does not read


def test_fields_after_a_stray_brace_are_a_finding_with_line() -> None:
    text = "@misc{vrelka, title={Outlook}},\n  note={Kept?}, year={2020}}\n"
    read = bibtex.loads(text, "x.bib")
    found = [f for f in read.findings if f.code == "PC010"]
    assert found and "stray" in found[0].message and found[0].location.line == 1


@pytest.mark.parametrize(("month", "value"), [("month = {Smarch}", "Smarch"), ("month = 13", "13")])
def test_invalid_month_is_a_finding_and_kept(month: str, value: str) -> None:
    text = f"@report{{vrelka,\n  title = {{Outlook}},\n  year = 2020,\n  {month},\n}}\n"
    read = bibtex.loads(text, "x.bib")
    found = [f for f in read.findings if f.code == "PC017"]
    assert found and found[0].location.line == 4 and found[0].location.field == "month"
    source = read.library["vrelka"]
    assert source.issued == pc.PartialDate(2020)
    assert source.custom["bibtex"]["month"] == value
    assert f"month = {{{value}}}" in bibtex.dumps([source])


# ---------------------------------------------------------------------------------------
# Item 3: BibTeX export writes the characters a value holds


@pytest.mark.parametrize("profile", list(PROFILES))
def test_dashes_and_quotes_and_decomposed_text_survive_bibtex(profile: str) -> None:
    title = "Lake Vrelka -- data --- sharing ``draft'' ,,low'' <<a>> ?`! Cafe\u0301"
    source = pc.Source("vrelka", "report", title=title)
    back = bibtex.loads(bibtex.dumps([source], profile)).library["vrelka"]
    assert back.title == title


@pytest.mark.parametrize("profile", list(PROFILES))
def test_unknown_fields_are_kept_on_bibtex_export(profile: str) -> None:
    record = "id: vrelka\nkind: report\ntitle: Outlook\nreviewed-by: Ada Vrel\nboard: {seat: 3}\n"
    source = next(iter(cslyaml.loads(record).library))
    assert dict(source.unknown) == {"reviewed-by": "Ada Vrel", "board": {"seat": 3}}
    back = bibtex.loads(bibtex.dumps([source], profile)).library["vrelka"]
    assert back == source


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\r", "\r\n"])
def test_line_separators_survive_yaml(char: str) -> None:
    source = pc.Source("vrelka", "report", title=f"one{char}two")
    for text in (cslyaml.dump_record(source), cslyaml.dumps_csl([source])):
        assert next(iter(cslyaml.loads(text).library)).title == f"one{char}two"


def test_five_digit_years_are_refused_on_reading() -> None:
    with pytest.raises(InputError, match="year 12345"):
        csljson.loads('[{"id": "x", "type": "report", "issued": {"date-parts": [[12345]]}}]')
    with pytest.raises(ValueError, match="year 12345"):
        pc.PartialDate(12345)


def test_lone_surrogates_are_refused_before_writing() -> None:
    with pytest.raises(InputError, match="lone surrogate"):
        csljson.loads('[{"id": "x", "type": "report", "title": "a\\udc00"}]')
    # A pair is one character, read as usual.
    read = csljson.loads('[{"id": "x", "type": "report", "title": "a\\ud83d\\ude00"}]')
    assert read.library["x"].title == "a\U0001f600"
    source = pc.Source("x", "report", title="a\ud800")
    writers = [cslyaml.dump_record, lambda s: csljson.dumps([s]), lambda s: bibtex.dumps([s])]
    for write in writers:
        with pytest.raises(InputError, match="record 'x'"):
            write(source)


def test_control_characters_round_trip_or_are_refused() -> None:
    source = pc.Source("x", "report", title="bell\x07 and nul\x00")
    assert next(iter(cslyaml.loads(cslyaml.dump_record(source)).library)) == source
    assert csljson.loads(csljson.dumps([source])).library["x"] == source
    with pytest.raises(InputError, match=r"record 'x'.*U\+0007"):
        bibtex.dumps([source])


# ---------------------------------------------------------------------------------------
# Item 6 (.bib): @string macros expand only when used, within a limit


DOUBLING = "\n".join(
    ["@string{m0 = {ab}}"]
    + [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 64)]
    + ["@report{small, title = m2, year = 2020}"]
    + ["@report{huge, title = {Outlook}, note = m63, year = 2020}"]
)


def test_doubling_string_macros_under_a_memory_limit() -> None:
    assert len(DOUBLING) < 2048
    script = textwrap.dedent(
        """
        import resource, sys
        limit = 512 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from policycite.formats import bibtex
        read = bibtex.loads(sys.stdin.read(), "x.bib")
        print(read.library["small"].title)
        print(sorted(f.code + ":" + str(f.location.line) for f in read.findings))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=DOUBLING,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(Path(pc.__file__).parents[1])},  # the policycite under test
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    title, codes = done.stdout.splitlines()
    assert title == "ab" * 4
    assert codes == "['PC018:66']"


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 RENAME_EXCHANGE is Linux's")
def test_a_folder_write_swaps_in_one_exchange_and_the_folder_never_goes(tmp_path: Path) -> None:
    import threading

    from policycite.paths import write_files_together

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "a.yaml").write_text("a\n")
    inode = folder.stat().st_ino
    write_files_together(folder, {"first.yaml": "first\n"})
    assert folder.stat().st_ino != inode  # exchanged, not moved file by file
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not folder.is_dir():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for round_ in range(30):
            write_files_together(folder, {f"b{round_}.yaml": "b\n"})
    finally:
        stop.set()
        watcher.join()
    assert (folder / "a.yaml").read_text() == "a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib"]  # no staging left
    assert not missing
