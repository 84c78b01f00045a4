"""The command line: output, exit codes 0/1/2, one-line errors, nothing written on failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policycite.cli import main
from policycite.render.styles import resolve

from conftest import DATA, ROOT, SAMPLE_LIBRARY


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_format_sample_library_in_apa(capsys) -> None:
    code, out, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", "apa")
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == len(list(SAMPLE_LIBRARY.glob("*.yaml")))
    assert (
        "Baltic Council for Water Security. (2024a, March 12). Council adopts joint "
        "monitoring plan for the Narva basin [Press release]. "
        "https://www.bcws.example/press/2024-03-12-monitoring-plan"
    ) in lines


@pytest.mark.parametrize(
    "style",
    [
        "chicago-notes-bibliography",
        "modern-language-association",
        "harvard-cite-them-right",
        "ieee",
        "chicago-author-date",
    ],
)
def test_format_other_styles(capsys, style: str) -> None:
    code, out, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", style)
    assert code in (0, 1)
    assert out.count("\n") >= 9
    assert "Traceback" not in err
    for line in err.splitlines():  # only Chicago leaves an unretrievable item out
        assert "PC104" in line


def test_cite(capsys) -> None:
    code, out, _ = run(
        capsys, "cite", "-l", str(DATA / "kinds.yaml"), "[@pr; @sp, para. 4]", "[@news, p. 2]"
    )
    assert code == 0
    assert out == (
        "(Harbour Safety Authority [HSA], 2020; Okafor, 2021, para. 4)\n(Brennan, 2020, p. 2)\n"
    )


def test_python_dash_m_runs_the_cli() -> None:
    """``python -m policycite`` is the console script: same output, same exit codes."""
    done = subprocess.run(
        [sys.executable, "-m", "policycite", "cite", "-l", str(DATA / "kinds.yaml"), "[@news]"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "(Brennan, 2020)\n", "")
    missing = subprocess.run(
        [sys.executable, "-m", "policycite", "cite", "-l", str(DATA / "kinds.yaml"), "[@nope]"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1


def test_cite_unknown_key_exits_1(capsys) -> None:
    code, _, err = run(capsys, "cite", "-l", str(DATA / "kinds.yaml"), "[@nope]")
    assert code == 1
    assert "PC102" in err


def test_cite_prints_the_valid_clusters_when_one_cannot_be_read(capsys) -> None:
    # One unreadable cluster used to stop the batch (exit 2, nothing printed).
    code, out, err = run(
        capsys, "cite", "-l", str(DATA / "kinds.yaml"), "[@pr]", "[see @, p. 4", "[@news, p. 2]"
    )
    assert code == 1
    assert out == "(Harbour Safety Authority [HSA], 2020)\n\n(Brennan, 2020, p. 2)\n"
    assert err == "citation 2:1: PC105 citation-syntax [error] a '[' is never closed\n"


def test_cite_with_nothing_readable_is_a_finding(capsys) -> None:
    code, out, err = run(capsys, "cite", "-l", str(DATA / "kinds.yaml"), "[@pr", "[@news")
    assert (code, out) == (1, "\n\n")
    assert err.count("PC105") == 2


def test_convert_round_trip_through_the_cli(capsys, tmp_path: Path) -> None:
    out_json = tmp_path / "lib.json"
    assert (
        run(capsys, "convert", str(SAMPLE_LIBRARY), "--to", "csljson", "-o", str(out_json))[0] == 0
    )
    assert (
        run(capsys, "convert", str(out_json), "--to", "yaml", "-o", str(tmp_path / "lib"))[0] == 0
    )
    for path in SAMPLE_LIBRARY.glob("*.yaml"):
        assert (tmp_path / "lib" / path.name).read_text(encoding="utf-8") == path.read_text(
            encoding="utf-8"
        )


def test_styles(capsys) -> None:
    code, out, _ = run(capsys, "styles", "chicago", "notes")
    assert code == 0
    assert "chicago-notes-bibliography\t" in out
    code, out, _ = run(capsys, "styles")
    assert code == 0
    assert "apa" in out.splitlines()


BAD_INPUTS = {
    "malformed.yaml": (
        b"id: a\nkind: report\ntitle: [unclosed\n",
        r"malformed\.yaml:4:1: malformed YAML",
    ),
    "badrecord.yaml": (
        b"id: a\nkind: speech\ntitle: No speaker\n",
        r"badrecord\.yaml:1: record 1 \('a'\), field 'author': a speech needs "
        r"a speaker",
    ),
    "wrongtype.json": (
        b'[{"id": "a", "type": "report", "title": 5}]',
        r"wrongtype\.json: record 1 \('a'\), field 'title': expected text, got "
        r"a number",
    ),
    "badtype.json": (
        b'[{"id": "a", "type": "press-release"}]',
        r"badtype\.json: record 1 \('a'\), field 'type': 'press-release' is not "
        r"a CSL type",
    ),
    "broken.json": (b'[{"id": "a",\n "type": }]', r"broken\.json:2:10: malformed JSON"),
    "latin1.yaml": (
        "id: a\nkind: report\ntitle: Caf\xe9\n".encode("latin-1"),
        r"latin1\.yaml:3:11: not UTF-8 text \(byte 0xe9\)",
    ),
    "list.json": (b'{"not": "a list"}', r"list\.json: record 1, field 'id': a record needs"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line(capsys, tmp_path: Path, name: str) -> None:
    data, pattern = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "convert", str(path), "--to", "csljson", "-o", str(target))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert re.search(pattern, err), err
    assert not target.exists()


def test_huge_file_is_refused_before_reading(capsys, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: 65 MiB on paper, nothing on disk
        handle.truncate(65 * 1024 * 1024)
    code, out, err = run(capsys, "format", str(huge))
    assert (code, out) == (2, "")
    assert err == f"policycite: error: {huge}: file is 65 MiB; the limit is 64 MiB\n"


def test_binary_file_exits_2(capsys, tmp_path: Path) -> None:
    blob = tmp_path / "blob.yaml"
    blob.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "format", str(blob))
    assert code == 2
    assert err.startswith(f"policycite: error: {blob}:2:118: not UTF-8 text")


def test_unknown_style_exits_2(capsys) -> None:
    code, out, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", "apa-7th-editon")
    assert (code, out) == (2, "")
    assert err.startswith(
        "policycite: error: unknown style 'apa-7th-editon'; did you mean apa-6th-edition"
    )
    assert err.count("\n") == 1


def test_csl_file_that_is_not_xml_exits_2(capsys, tmp_path: Path) -> None:
    style = tmp_path / "mine.csl"
    style.write_text("this is not XML", encoding="utf-8")
    code, _, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", str(style))
    assert code == 2
    assert re.fullmatch(r"policycite: error: .*mine\.csl:1:1: not well-formed XML: .*\n", err)


def test_csl_with_external_entity_is_refused(capsys, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    apa = resolve("apa")[0].decode("utf-8")
    body = apa.split("?>", 1)[1]
    evil = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE style [<!ENTITY leak SYSTEM '
        f'"file://{secret}">]>{body}'
    ).replace("<title>", "<title>&leak;", 1)
    style = tmp_path / "evil.csl"
    style.write_text(evil, encoding="utf-8")
    code, out, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", str(style))
    assert (code, out) == (2, "")
    assert "declares XML entities" in err and "TOP SECRET" not in err


def test_xml_that_is_not_csl_exits_2(capsys, tmp_path: Path) -> None:
    style = tmp_path / "page.csl"
    style.write_text("<html><body/></html>", encoding="utf-8")
    code, _, err = run(capsys, "format", str(SAMPLE_LIBRARY), "--style", str(style))
    assert code == 2
    assert "not a CSL style: the root element is <html>" in err


def test_missing_library_exits_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "format", str(tmp_path / "nowhere"))
    assert code == 2
    assert err == f"policycite: error: {tmp_path / 'nowhere'}: no such library folder or file\n"


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["format", "--to", "pdf"])
    assert exc.value.code == 2


def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "policycite.cli", "format", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


PANDOC = shutil.which("pandoc")


def _pandoc(bibliography: Path, style: Path, tmp_path: Path) -> str:
    """Plain-text bibliography of every item, as ``pandoc --citeproc`` renders it."""
    doc = tmp_path / "doc.md"
    doc.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    command = [
        PANDOC or "pandoc",
        str(doc),
        "--citeproc",
        "--bibliography",
        str(bibliography),
        "--csl",
        str(style),
        "-t",
        "plain",
        "--wrap=none",
    ]
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    assert proc.stderr == ""
    return proc.stdout


@pytest.mark.skipif(
    PANDOC is None and not os.environ.get("CI"),
    reason="pandoc is not installed (.ci/run installs it; under CI this test must run)",
)
def test_pandoc_renders_the_exports_the_same(capsys, tmp_path: Path) -> None:
    style = tmp_path / "apa.csl"
    style.write_bytes(resolve("apa")[0])
    exports = {}
    for target, name in (("csljson", "lib.json"), ("cslyaml", "lib.yaml")):
        path = tmp_path / name
        assert run(capsys, "convert", str(SAMPLE_LIBRARY), "--to", target, "-o", str(path))[0] == 0
        exports[target] = _pandoc(path, style, tmp_path)
    # pandoc reads CSL-YAML strings as Markdown, whose smart typography ties "Mr." to the
    # next word with a no-break space; CSL-JSON strings are taken literally.
    assert exports["cslyaml"].replace("\u00a0", " ") == exports["csljson"]

    ours = run(capsys, "format", str(SAMPLE_LIBRARY))[1].splitlines()
    theirs = [line for line in exports["csljson"].splitlines() if line.strip()]
    assert len(theirs) == len(ours)
    for mine, pandoc in zip(ours, theirs, strict=True):
        # The one known difference comes from pandoc, not from the exported data:
        # pandoc 2.17's built-in locale has no "No." label for report numbers.
        assert pandoc == mine.replace(" No. ", " ")


# --- quiet successes say what they did (on standard error, like --fix) ----------------


def test_check_report_to_a_file_says_what_and_where(capsys, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "check"
    report = tmp_path / "report.html"
    brief = str(example / "brief.md")
    argv = ["check", brief, "-l", str(example / "references"), "--format", "html"]
    code, out, err = run(capsys, *argv, "-o", str(report))
    assert code == 1
    assert out == ""
    assert err == (
        f"policycite: 3 errors, 11 warnings, 3 notes in {brief}; report written to {report}\n"
    )
    assert report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_convert_to_a_file_says_what_it_wrote(capsys, tmp_path: Path) -> None:
    target = tmp_path / "library.json"
    code, out, err = run(
        capsys, "convert", str(SAMPLE_LIBRARY), "--to", "csljson", "-o", str(target)
    )
    assert (code, out) == (0, "")
    count = len(list(SAMPLE_LIBRARY.glob("*.yaml")))
    assert err == f"policycite: {count} records written to {target}\n"
    folder = tmp_path / "records"
    code, out, err = run(capsys, "convert", str(target), "--to", "yaml", "-o", str(folder))
    assert err == f"policycite: {count} records written to {folder}\n"


def test_verify_offline_counts_the_snapshots_it_found_sound(capsys, tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_LIBRARY, tmp_path / "lib")
    code, out, err = run(capsys, "verify", "--offline", "-l", str(tmp_path / "lib"))
    assert (code, out, err) == (0, "", "policycite: 2 snapshots OK\n")
    code, out, err = run(
        capsys, "verify", "lindqvist2024", "--offline", "-l", str(tmp_path / "lib")
    )
    assert err == "policycite: 1 snapshot OK\n"
    # A damaged snapshot is a finding, and then nothing is said to be OK.
    damaged = next((tmp_path / "lib" / "snapshots").rglob("*.txt"))
    damaged.write_text("changed", encoding="utf-8")
    code, out, err = run(capsys, "verify", "--offline", "-l", str(tmp_path / "lib"))
    assert code == 1 and "PC310" in err and "OK" not in err


def test_styles_search_ranks_whole_words_first(capsys, monkeypatch, tmp_path: Path) -> None:
    # "apa" used to match inside "Japan" in file order; whole-word and id matches first.
    monkeypatch.setenv("POLICYCITE_CACHE_DIR", str(tmp_path))
    from policycite.render import styleindex

    styleindex.style_index.cache_clear()
    code, out, _ = run(capsys, "styles", "apa")
    assert code == 0
    names = [line.split("\t")[0] for line in out.splitlines()]
    assert names[0] == "apa"
    whole = [i for i, n in enumerate(names) if "apa" in n.split("-")]
    inside = [i for i, n in enumerate(names) if "jap" in n]
    assert whole and inside and max(whole) < min(inside)
    assert len(list(tmp_path.glob("styles-*.json"))) == 1  # the index, built once
    styleindex.style_index.cache_clear()
    assert run(capsys, "styles", "apa")[1] == out  # read back from the cache


def test_style_index_key_follows_the_project_styles(monkeypatch, tmp_path: Path) -> None:
    # A project style edited or added gets a new index; an unchanged folder the same one.
    from policycite.render import styleindex

    monkeypatch.setattr(styleindex, "project_styles_folder", lambda: tmp_path)
    style = tmp_path / "house.csl"
    style.write_text("<style/>", encoding="utf-8")
    first = styleindex._key(())
    assert styleindex._key(()) == first
    os.utime(style, ns=(1, 10**18))
    edited = styleindex._key(())
    assert edited != first
    (tmp_path / "other.csl").write_text("<style/>", encoding="utf-8")
    assert styleindex._key(()) not in (first, edited)
    (tmp_path / "notes.txt").write_text("not a style", encoding="utf-8")
    monkeypatch.setattr(styleindex, "project_styles_folder", lambda: tmp_path / "absent")
    assert styleindex._key(()) != first  # no project folder: still a key, never an error


def test_styles_info(capsys) -> None:
    code, out, _ = run(capsys, "styles", "--info", "nature-communications")
    assert code == 0
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert lines["title"] == "Nature Communications"
    assert lines["class"] == "in-text (numeric)"
    assert lines["default locale"] == lines["renders in"] == "en-GB"
    assert lines["parent"] == "nature"
    assert lines["sample entry"].startswith("1. Baltic Council for Water Security. ")
    code, _, err = run(capsys, "styles", "--info", "apaa")
    assert code == 2 and "did you mean apa" in err


def test_locale_and_style_from_the_configuration(capsys, monkeypatch, tmp_path: Path) -> None:
    # harvard-cite-them-right has no default-locale: US dates and double quotes unless
    # policycite.toml (or --locale) says otherwise, for format, cite and styles --info.
    library = tmp_path / "references"
    shutil.copytree(SAMPLE_LIBRARY, library)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "format", "-s", "harvard-cite-them-right")
    assert code == 0 and "“Council adopts joint monitoring plan" in out
    assert "(Accessed: March 20, 2024)" in out
    (tmp_path / "policycite.toml").write_text(
        'style = "harvard-cite-them-right"\nlocale = "en-GB"\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "format")
    assert code == 0 and "‘Council adopts joint monitoring plan for the Narva basin’" in out
    assert "(Accessed: 20 March 2024)" in out
    code, out, _ = run(capsys, "format", "--locale", "en-US")  # the command line wins
    assert "(Accessed: March 20, 2024)" in out
    code, out, _ = run(capsys, "cite", "[@bcws2024a]")
    assert (code, out) == (0, "(Baltic Council for Water Security, 2024)\n")  # not APA's
    code, out, _ = run(capsys, "styles", "--info", "harvard-cite-them-right")
    assert "default locale: none\nrenders in: en-GB\n" in out
    example = ROOT / "examples" / "check"
    code, _, err = run(
        capsys,
        "check",
        "--locale",
        "xx-YY",
        str(example / "brief.md"),
        "-l",
        str(example / "references"),
    )
    assert code == 2 and "unknown locale 'xx-YY'" in err, err


def test_configuration_locale_must_be_a_name(capsys, monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "policycite.toml").write_text("locale = 5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "format", str(SAMPLE_LIBRARY))
    assert code == 2
    assert err.startswith(f"policycite: error: {tmp_path / 'policycite.toml'}: locale: locale")


def test_init_creates_a_project_and_keeps_what_exists(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "init", str(tmp_path / "brief"), "--locale", "en-GB")
    assert code == 0
    assert out.splitlines()[:3] == [
        f"created {tmp_path / 'brief' / 'references'}/",
        f"created {tmp_path / 'brief' / 'policycite.toml'}",
        f"created {tmp_path / 'brief' / 'brief.md'}",
    ]
    config = (tmp_path / "brief" / "policycite.toml").read_text(encoding="utf-8")
    assert 'style = "apa"\nlocale = "en-GB"\n' in config
    (tmp_path / "brief" / "brief.md").write_text("my own text\n", encoding="utf-8")
    code, out, _ = run(capsys, "init", str(tmp_path / "brief"))
    assert code == 0 and out.count("kept") == 3
    assert (tmp_path / "brief" / "brief.md").read_text(encoding="utf-8") == "my own text\n"
    code, _, err = run(capsys, "init", str(tmp_path / "other"), "--style", "apaa")
    assert code == 2 and "did you mean apa" in err
    assert not (tmp_path / "other").exists()  # nothing written on bad input
