"""The README's commands: the two set-up lines match .ci/run; the CLI tour prints what it says."""

from __future__ import annotations

import re
import shlex
from importlib import metadata
from pathlib import Path

import pytest

from policycite.cli import main

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def _sessions() -> list[tuple[str, str]]:
    sessions = []
    for block in _blocks("console"):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.MULTILINE):
            if chunk.strip():
                command, _, output = chunk.partition("\n")
                sessions.append((command.removeprefix("$ "), output))
    return sessions


def test_setup_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, flags=re.DOTALL)
    assert len(commands) == 2
    assert "policycite check examples/check/brief.md" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_setup_installs_without_pip_warnings() -> None:
    # justext asks for lxml[html_clean]; lxml publishes the extra as "html-clean", and
    # pip before 23.3 does not normalise extras (PEP 685): "WARNING: lxml ... does not
    # provide the extra 'html_clean'" on every install. Both set-up lines create the venv
    # with --upgrade-deps, and the venv running these tests must have such a pip.
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    for command in re.findall(r"```sh\n(.*?)\n```", setup, flags=re.DOTALL):
        assert command.startswith("python3 -m venv --upgrade-deps .venv && "), command
    pip = metadata.version("pip").split(".")
    assert (int(pip[0]), int(pip[1])) >= (23, 3), f"pip {'.'.join(pip)} warns on lxml's extras"


@pytest.mark.parametrize(("command", "expected"), _sessions(), ids=lambda v: v[:60])
def test_cli_tour(command: str, expected: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    assert words[0] == "policycite"
    main(words[1:])
    out, err = capsys.readouterr()
    assert out + err == expected


# --- every other snippet: Python, shell lines, the YAML record ------------------------


def _python_snippets() -> list[tuple[str, str | None]]:
    """Each Python block, with the ```text block right after it (its output), if any."""
    found = re.findall(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```)?", README, flags=re.DOTALL)
    return [(code, output or None) for code, output in found]


def test_every_snippet_is_run_by_a_test() -> None:
    # A new kind of block needs a test here before it can be in the README; a block tied
    # to a file (<!-- file: PATH -->: Lua, Emacs Lisp ...) is that file's, whatever its kind.
    untied = re.sub(r"<!-- file: \S+ -->\n+```\w*\n.*?```\n", "", README, flags=re.DOTALL)
    fences = re.findall(r"^```(\w*)$", untied, flags=re.MULTILINE)
    languages = set(fences[::2])  # opening fences; every other one closes a block
    assert not any(fences[1::2])
    assert languages <= {
        "sh",
        "console",
        "python",
        "text",
        "yaml",
        "toml",
        "markdown",
        "shell",
        "json",
    }
    assert len(_python_snippets()) == len(_blocks("python")) >= 2
    assert len(_blocks("text")) == sum(1 for _, out in _python_snippets() if out is not None)


@pytest.mark.parametrize(("code", "expected"), _python_snippets(), ids=lambda v: str(v)[:40])
def test_python_snippet(code: str, expected: str | None, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    out, err = capsys.readouterr()
    assert err == ""
    if expected is not None:
        assert out == expected


def _shell_lines() -> list[str]:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in _blocks("sh"):
        if block in setup:
            continue  # the set-up lines are .ci/run's (see above)
        lines.extend(line for line in block.splitlines() if line.strip())
    return lines


@pytest.mark.parametrize("line", _shell_lines(), ids=lambda v: v[:60])
def test_shell_snippet(line: str, capsys, monkeypatch, tmp_path) -> None:
    import shutil

    shutil.copytree(ROOT / "references", tmp_path / "references")
    monkeypatch.chdir(tmp_path)
    for command in _shell_commands(line, tmp_path):
        words = shlex.split(command, comments=True)
        assert words[0] == "policycite"
        assert main(words[1:]) == 0, capsys.readouterr().err


def _shell_commands(line: str, folder) -> list[str]:
    """The commands a line needs: the ones before it in its block make its inputs."""
    for block in _blocks("sh"):
        lines = [item for item in block.splitlines() if item.strip()]
        if line in lines:
            return lines[: lines.index(line) + 1]
    return [line]


def test_yaml_snippet_is_the_sample_record() -> None:
    from policycite.formats import read_records
    from policycite.formats.cslyaml import parse
    from policycite.library import load_library

    (block,) = [b for b in _blocks("yaml") if b not in _file_blocks().values()]
    read = read_records([parse(block, "README.md")], "README.md")
    assert read.findings == ()
    (source,) = read.library
    assert source == load_library(ROOT / "references").library[source.key]


def test_toml_and_markdown_snippets_configure_and_suppress(tmp_path) -> None:
    from policycite.brief.structure import parse_brief
    from policycite.config import load_config
    from policycite.rules.validate import RULE_CODES
    from policycite.selection import selected

    (toml,) = _blocks("toml")
    path = tmp_path / "policycite.toml"
    path.write_text(toml, encoding="utf-8")
    layer = load_config(path).check
    assert (layer.select, layer.ignore, layer.extend_select) == (("ALL",), ("PC216", "PC41"), ())
    assert selected([layer], RULE_CODES) == set(RULE_CODES) - {"PC216", "PC410", "PC411"}
    (markdown,) = _blocks("markdown")
    brief = parse_brief(markdown, format="markdown")
    assert [(sorted(s.codes), s.first_line, s.last_line) for s in brief.suppressions] == [
        (["PC216"], 2, 2),
        (["PC211"], 4, 4),
        (["PC215"], None, None),
    ]


# --- integrations: other programs' commands (```shell) and files shown in full ---------
# A block right after "<!-- file: PATH -->" is that file of the repository, byte for byte
# (.pre-commit-hooks.yaml, the GitHub Actions example). A ```shell block holds command
# lines for bash (pandoc, pre-commit ...), run in order in a copy of examples/ and
# references/, with the venv's scripts on PATH; each must exit 0, or the code a trailing
# "# exit N" gives. A line whose program is missing is skipped, except under CI.


def _file_blocks() -> dict[str, str]:
    found = re.findall(r"<!-- file: (\S+) -->\n+```\w*\n(.*?)```", README, flags=re.DOTALL)
    return dict(found)


@pytest.mark.parametrize(("path", "block"), sorted(_file_blocks().items()))
def test_file_block_is_the_file(path: str, block: str) -> None:
    assert (ROOT / path).read_text(encoding="utf-8") == block


def _shell_blocks() -> list[str]:
    return _blocks("shell")


@pytest.mark.parametrize("block", _shell_blocks(), ids=lambda v: v.splitlines()[0][:60])
def test_integration_commands(block: str, tmp_path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    for folder in ("examples", "references"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for line in (item for item in block.splitlines() if item.strip()):
        command, _, expect = line.partition("# exit ")
        program = shlex.split(command)[0]
        if shutil.which(program, path=env["PATH"]) is None:
            if os.environ.get("CI"):
                pytest.fail(f"{program} is not installed (.ci/run installs it)")
            pytest.skip(f"{program} is not installed")
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == int(expect or 0), f"{line}\n{done.stdout}{done.stderr}"
