"""Rule selection: --select/--ignore/--extend-select, configuration files, the API.

The library is test_check's fictional Ministry of Coastal Affairs; the brief below
triggers two rules, PC216 (a title in title case) and PC202 (a reference never cited).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.brief.structure import parse_brief
from policycite.cli import main
from policycite.config import Config, discover, find_config, load_config
from policycite.errors import InputError
from policycite.library import load_library
from policycite.rules.validate import RULE_CODES, check
from policycite.selection import RuleSelection, codes_of, selected
from test_check import SOURCES_APA, build_library

BRIEF = f"""# Erosion

Local coverage stressed the bills small councils face (Brandt, 2024).

## References

Brandt, T. (2024, May 15). Minister Promises Faster Help for the Eroding North Shore. Harbour \
Gazette. https://www.harbourgazette.example/news/2024/05/15/north-shore-erosion

{SOURCES_APA["mca2024b"]}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("selection") / "references"
    folder.mkdir()
    build_library(folder)
    return folder


@pytest.fixture
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "briefs" / "erosion.md"
    path.parent.mkdir()
    path.write_text(BRIEF, encoding="utf-8")
    return path


def _codes(
    brief: Path, library: Path, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[int, set[str], str]:
    status = main(["check", str(brief), "-l", str(library), *options])
    out, err = capsys.readouterr()
    codes = {word for word in out.split() if word.startswith("PC") and word[2:].isdigit()}
    return status, codes, out + err


# --- selectors -------------------------------------------------------------------------


def test_selectors_name_codes_prefixes_names_and_all() -> None:
    assert codes_of("PC216") == {"PC216"}
    assert codes_of("pc216") == {"PC216"}
    assert codes_of("quote-not-checked") == {"PC220"}
    assert codes_of("PC21") == {f"PC21{d}" for d in range(10)}
    assert codes_of("ALL", RULE_CODES) == set(RULE_CODES)
    assert codes_of("PC999") == set()


def test_the_more_specific_selector_wins() -> None:
    universe = RULE_CODES
    only = selected([RuleSelection(select=["PC2"], ignore=["PC216"])], universe)
    assert "PC216" not in only and "PC215" in only and "PC401" not in only
    back = selected([RuleSelection(ignore=["PC2"], extend_select=["PC216"])], universe)
    assert "PC216" in back and "PC215" not in back and "PC401" in back
    # A later layer's select starts afresh; one without select carries the earlier on.
    layers = [RuleSelection(ignore=["PC216"]), RuleSelection(extend_select=["reference-style"])]
    assert selected(layers, universe) == set(universe)
    fresh = selected([RuleSelection(ignore=["PC216"]), RuleSelection(select=["PC21"])], universe)
    assert fresh == {c for c in universe if c.startswith("PC21")}
    assert selected([RuleSelection(select=[])], universe) == set()


def test_unknown_selector_is_an_error_naming_its_origin() -> None:
    with pytest.raises(InputError, match=r"^cfg\.toml: \[check\]: unknown rule 'PC999'"):
        selected([RuleSelection(ignore=["PC999"], origin="cfg.toml", place="[check]")], RULE_CODES)
    # PC301 exists, but `check` never reports it: selecting it would select nothing.
    with pytest.raises(InputError, match="not a code of `policycite check`"):
        selected([RuleSelection(select=["PC301"])], RULE_CODES)


# --- the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], {"PC202", "PC216"}),
        (["--ignore", "PC216"], {"PC202"}),
        (["--ignore", "reference-style"], {"PC202"}),
        (["--select", "PC216"], {"PC216"}),
        (["--select", "PC2", "--ignore", "PC21"], {"PC202"}),
        (["--ignore", "PC2", "--extend-select", "PC216"], {"PC216"}),
        (["--ignore", "PC202,PC216"], set()),
        (["--ignore", "PC202", "--ignore", "PC216"], set()),
        (["--select", "ALL"], {"PC202", "PC216"}),
        (["--select", "PC4"], set()),
    ],
)
def test_cli_selects_rules(
    options: list[str],
    expected: set[str],
    brief: Path,
    library: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, codes, _ = _codes(brief, library, capsys, *options)
    assert codes == expected
    assert status == (1 if "PC202" in expected else 0)


def test_cli_unknown_rule_exits_2(
    brief: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, text = _codes(brief, library, capsys, "--ignore", "PC216,reference-stlye")
    assert status == 2
    assert text == (
        "policycite: error: command line: unknown rule 'reference-stlye': not a code of "
        "`policycite check`, a code prefix (PC2), a rule name or ALL (see `policycite rules`)\n"
    )


# --- configuration files ---------------------------------------------------------------


def test_policycite_toml_next_to_the_brief(
    brief: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (brief.parent / "policycite.toml").write_text('[check]\nignore = ["PC216"]\n', "utf-8")
    assert _codes(brief, library, capsys)[1] == {"PC202"}
    # The command line comes on top of the file.
    assert _codes(brief, library, capsys, "--extend-select", "PC216")[1] == {"PC202", "PC216"}
    assert _codes(brief, library, capsys, "--select", "PC202")[1] == {"PC202"}


def test_pyproject_table_above_the_brief(
    brief: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = brief.parent.parent / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "briefs"\n\n[tool.policycite.check]\nselect = ["PC216"]\n', "utf-8"
    )
    assert find_config(brief) == pyproject
    assert _codes(brief, library, capsys)[1] == {"PC216"}


def test_precedence_of_configuration_files(brief: Path, tmp_path: Path) -> None:
    folder = brief.parent
    (folder / "pyproject.toml").write_text('[tool.policycite.check]\nignore = ["PC202"]\n')
    assert find_config(brief) == folder / "pyproject.toml"
    # policycite.toml beats pyproject.toml in the same folder ...
    (folder / "policycite.toml").write_text('[check]\nignore = ["PC216"]\n')
    assert find_config(brief) == folder / "policycite.toml"
    assert discover(brief).check.ignore == ("PC216",)
    # ... and the nearest folder beats the ones above it.
    (tmp_path / "policycite.toml").write_text('[check]\nignore = ["PC211"]\n')
    assert find_config(brief) == folder / "policycite.toml"


def test_a_pyproject_without_the_table_does_not_count(brief: Path, tmp_path: Path) -> None:
    (brief.parent / "pyproject.toml").write_text('[project]\nname = "briefs"\n')
    (tmp_path / "policycite.toml").write_text('[check]\nextend-select = ["PC2"]\n')
    assert find_config(brief) == tmp_path / "policycite.toml"


def test_the_library_folder_is_searched_after_the_brief(tmp_path: Path) -> None:
    brief = tmp_path / "brief.md"
    brief.write_text(BRIEF)
    library = tmp_path / "shared" / "references"
    library.mkdir(parents=True)
    (library / "policycite.toml").write_text('[check]\nignore = ["PC216"]\n')
    assert find_config(brief) is None
    assert discover(brief, library).path == library / "policycite.toml"
    assert discover(tmp_path / "nothing-here.md") == Config()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policycite.toml", '[check]\nignroe = ["PC216"]\n', "unknown key 'ignroe' in [check]"),
        ("policycite.toml", 'styel = "apa"\n', "unknown key 'styel' in the top level"),
        ("policycite.toml", "locale = 5\n", "locale must be a name"),
        (
            "pyproject.toml",
            '[tool.policycite.check]\nextend_select = ["PC216"]\n',
            "unknown key 'extend_select' in [tool.policycite.check]",
        ),
        (
            "pyproject.toml",
            '[tool.policycite.check]\nignore = ["PC2l6"]\n',
            "[tool.policycite.check] ignore: unknown rule 'PC2l6'",
        ),
        ("policycite.toml", '[check]\nignore = "PC216"\n', "ignore must be a list"),
        ("policycite.toml", "[check\n", "not valid TOML"),
    ],
)
def test_a_bad_configuration_file_exits_2_naming_it(
    name: str,
    content: str,
    message: str,
    brief: Path,
    library: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = brief.parent / name
    config.write_text(content, encoding="utf-8")
    status, _, text = _codes(brief, library, capsys)
    assert status == 2
    assert text.count("\n") == 1
    assert text.startswith(f"policycite: error: {config}")
    assert message in text
    with pytest.raises(InputError):
        load_config(config)


def test_a_configured_code_check_does_not_report_is_an_error(
    brief: Path, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (brief.parent / "policycite.toml").write_text('[check]\nselect = ["PC3"]\n')
    status, _, text = _codes(brief, library, capsys)
    assert status == 2
    assert f"{brief.parent / 'policycite.toml'}: [check]: unknown rule 'PC3'" in text


# --- the API ---------------------------------------------------------------------------


def test_api_select_and_ignore(library: Path) -> None:
    lib = load_library(library).library
    brief = parse_brief(BRIEF, format="markdown")
    codes = {f.code for f in check(brief, lib, library).report}
    assert codes == {"PC202", "PC216"}
    assert {f.code for f in check(brief, lib, library, ignore=["PC216"]).report} == {"PC202"}
    assert {f.code for f in check(brief, lib, library, select=["PC21"]).report} == {"PC216"}
    layer = RuleSelection(ignore=["PC2"])
    result = check(brief, lib, library, selection=[layer], extend_select=["PC202"])
    assert {f.code for f in result.report} == {"PC202"}
    with pytest.raises(InputError, match="unknown rule 'PC2166'"):
        check(brief, lib, library, ignore=["PC2166"])


def test_api_with_paths_and_a_configuration_file(brief: Path, library: Path) -> None:
    import policycite as pc
    from policycite.config import discover

    (brief.parent / "policycite.toml").write_text('[check]\nignore = ["PC202"]\n')
    result = pc.check(brief, library=library, selection=[discover(brief, library).check])
    assert {f.code for f in result.report} == {"PC216"}
    result = pc.check(str(brief), library=library, select=["PC202"])
    assert {f.code for f in result.report} == {"PC202"}
