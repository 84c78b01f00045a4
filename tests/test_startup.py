"""Start-up: importing policycite loads none of the heavy libraries (issue 17).

Each public name is imported on first use, so a script that needs the model alone, or
``import policycite`` in a notebook, does not pay for citeproc, trafilatura, ftfy,
rapidfuzz or python-docx. The command line imports, per command, what that command
runs: each test below runs a command in a fresh interpreter and lists the modules it
loaded. (Timings are in benchmarks/startup_speed.py, not here.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import policycite as pc
from policycite import cli

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("citeproc", "trafilatura", "ftfy", "rapidfuzz", "docx", "lxml", "bibtexparser")


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(list(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_policycite_loads_no_heavy_library() -> None:
    loaded = _modules_after("import policycite")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_a_public_name_loads_what_it_needs() -> None:
    loaded = _modules_after("import policycite\npolicycite.Source")
    assert "policycite.model" in loaded
    assert "citeproc" not in loaded


def test_functions_keep_their_names_over_submodules() -> None:
    # policycite.verify and policycite.capture are modules too; importing them must not
    # replace the functions the package exports under those names.
    import policycite.capture.pipeline
    import policycite.verify  # noqa: F401

    assert callable(pc.verify) and pc.verify.__module__ == "policycite.verify"
    assert callable(pc.capture) and pc.capture.__module__ == "policycite.capture.pipeline"
    assert set(pc.__all__) <= set(dir(pc))


# What no command below needs: the capture and check layers' libraries, Word, the editor
# and pandoc integrations, and importlib.metadata (the version is read from about.py).
NEVER = (
    "docx",
    "ftfy",
    "trafilatura",
    "rapidfuzz",
    "panflute",
    "pygls",
    "watchfiles",
    "sqlite3",
    "importlib.metadata",
    "policycite.capture",
    "policycite.rules",
    "policycite.brief",
    "policycite.anchors",
    "policycite.verify",
)
# Readers of the formats a YAML library folder does not hold: .bib, CSL-JSON.
OTHER_FORMATS = ("bibtexparser", "pylatexenc", "policycite.formats.bibtex")


def _command_modules(argv: list[str], cache: Path) -> set[str]:
    """The modules a fresh interpreter has loaded after ``policycite ARGV`` (run in ROOT)."""
    code = (
        "import json, sys\n"
        "from policycite.cli import main\n"
        "try:\n"
        "    main(sys.argv[2:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "with open(sys.argv[1], 'w') as out:\n"
        "    json.dump(sorted(sys.modules), out)\n"
    )
    listing = cache / "modules.json"
    env = {**os.environ, "POLICYCITE_CACHE_DIR": str(cache)}
    subprocess.run(
        [sys.executable, "-c", code, str(listing), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return set(json.loads(listing.read_text(encoding="utf-8")))


def _loaded(modules: set[str], names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` (packages count with their submodules) are in ``modules``."""
    return {n for n in names for m in modules if m == n or m.startswith(f"{n}.")}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the module: the style index is built once, not per test."""
    return tmp_path_factory.mktemp("startup-cache")


def test_version_loads_nothing_heavy(cache: Path) -> None:
    loaded = _command_modules(["--version"], cache)
    assert "policycite.cli" in loaded
    assert not _loaded(loaded, (*NEVER, "citeproc", "lxml", "attrs", "yaml", *OTHER_FORMATS))
    assert not _loaded(loaded, ("policycite.render", "policycite.library", "policycite.model"))


def test_styles_search_loads_no_renderer(cache: Path) -> None:
    _command_modules(["styles", "apa"], cache)  # builds the style index (a cold cache)
    loaded = _command_modules(["styles", "apa"], cache)
    assert "policycite.render.styleindex" in loaded
    assert not _loaded(loaded, (*NEVER, "citeproc", "lxml.html", "yaml", *OTHER_FORMATS))
    assert not _loaded(loaded, ("policycite.render.engine", "policycite.library"))


@pytest.mark.parametrize(
    "argv",
    [
        ["cite", "[@bcws2024a]", "-l", "references"],
        ["format", "references"],
    ],
    ids=["cite", "format"],
)
def test_cite_and_format_load_the_renderer_only(argv: list[str], cache: Path) -> None:
    first = _command_modules(argv, cache)
    assert "citeproc" in first  # the test would pass on a command that failed early
    assert not _loaded(first, (*NEVER, "lxml.html", *OTHER_FORMATS))
    # A second run reads the library from its cache: no YAML parser either.
    again = _command_modules(argv, cache)
    assert not _loaded(again, (*NEVER, "lxml.html", "yaml", *OTHER_FORMATS))


def test_check_of_a_markdown_brief_loads_no_word_or_latex_reader(cache: Path) -> None:
    argv = ["check", "examples/check/brief.md", "-l", "examples/check/references"]
    loaded = _command_modules(argv, cache)
    assert "policycite.rules.validate" in loaded and "policycite.output.text" in loaded
    assert not _loaded(loaded, ("docx", "pylatexenc", "trafilatura", *OTHER_FORMATS))
    # Only the report asked for (text) is written: not the HTML, SARIF or JSON writers.
    others = ("policycite.output.html", "policycite.output.sarif", "policycite.output.jsonreport")
    assert not _loaded(loaded, others)


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub: argparse.ArgumentParser = action.choices[name]
    return sub


@pytest.mark.parametrize("name", list(cli._ARGUMENTS))
def test_each_command_parses_as_with_every_command_built(name: str) -> None:
    # The parser builds only the given command's arguments: its help (every option, choice
    # and default) is the one of the parser that builds them all, and so is the main help.
    full = cli._build_parser()
    lazy = cli._build_parser([name])
    assert _subparser(lazy, name).format_help() == _subparser(full, name).format_help()
    assert lazy.format_help() == full.format_help()
    assert cli._build_parser(["--version"]).format_help() == full.format_help()
