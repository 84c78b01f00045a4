"""The policycite CLI in a child process with bounded memory and time (hostile-input tests)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import policycite

#: The source tree under test, so the child imports the same policycite.
SRC = Path(policycite.__file__).resolve().parents[1]
GIB = 2**30


def run_cli(
    *args: str | Path, cwd: Path | None = None, memory: int | None = GIB, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``policycite ARGS``, its address space limited to ``memory`` bytes.

    ``timeout`` is a bound (the run is killed past it), not a measurement. The child
    inherits the test's environment (conftest's cache folder and address policy).
    """

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "policycite.cli", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
