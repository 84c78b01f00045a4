"""The README's commands: the two set-up lines match .ci/run; the CLI tour prints what it says."""

from __future__ import annotations

import re
import shlex

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


@pytest.mark.parametrize(("command", "expected"), _sessions(), ids=lambda v: v[:60])
def test_cli_tour(command: str, expected: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    assert words[0] == "policycite"
    main(words[1:])
    out, err = capsys.readouterr()
    assert out + err == expected
