"""Re-run the ``$ policycite …`` commands of README.md and write their output back.

    python tools/update_readme.py        # from the repository root

tests/test_readme.py fails when the README's output is stale; this refreshes it.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

from policycite.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run(command: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(shlex.split(command)[1:])
    return out.getvalue() + err.getvalue()


def _refresh(block: re.Match[str]) -> str:
    lines = []
    for chunk in re.split(r"^(?=\$ )", block.group(1), flags=re.MULTILINE):
        if chunk.strip():
            command = chunk.partition("\n")[0]
            lines.append(f"{command}\n{_run(command.removeprefix('$ '))}")
    return "```console\n" + "".join(lines) + "```"


def main_() -> None:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"```console\n(.*?)```", _refresh, text, flags=re.DOTALL), encoding="utf-8"
    )


if __name__ == "__main__":
    main_()
