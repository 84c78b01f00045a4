"""Start-up of the commands a writer runs most, beside its peers, in the same run (issue 17).

    python benchmarks/startup_speed.py            # 5 runs of each
    python benchmarks/startup_speed.py -n 3 --src /tmp/other/src   # another checkout

Each command runs in a fresh process, as the console script does (``from policycite.cli
import main``), from the repository folder on the sample library (``references/``):
``--version``, ``cite "[@key]"``, ``format`` of the 13 records, ``styles apa`` (warm: the
style index is built once before timing) and ``check`` of the example brief. The peers run
in the same loop, interleaved, so a noisy machine slows both: ``python -c pass`` (the
floor every Python program pays), ``pandoc --version`` and pandoc's own citeproc on one
citation of the same library in APA (the tool a writer would otherwise use).

Prints CPU (user + system of the child) and wall seconds, min and median, and each
command's ratio to ``python -c pass`` and to pandoc's citeproc (min CPU over min CPU).
Targets (issue 17, 18): --version <= 0.1 s CPU, cite <= 0.25 s wall, format <= 0.3 s,
styles apa <= 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = "import sys; from policycite.cli import main; sys.exit(main())"
KEY = "[@bcws2024a]"  # one citation of the sample library (references/)


def _run(argv: list[str], env: dict[str, str], stdin: str | None) -> tuple[float, float]:
    """CPU (user + system) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        argv,
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: findings (check of the example brief has some)
        sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _environment(folder: Path) -> dict[str, str]:
    """The environment of every child: bytecode cached, as an installed package has it.

    Without it (PYTHONDONTWRITEBYTECODE=1, as some shells and CI set) each run compiles
    every policycite module again, which no installed copy does: the caches go to a
    folder of this run (PYTHONPYCACHEPREFIX), filled by the warm-up in _prepare.
    """
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE"}
    }
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def _commands(src: Path, folder: Path) -> dict[str, tuple[list[str], dict[str, str], str | None]]:
    py = sys.executable
    plain = _environment(folder)
    ours = {**plain, "PYTHONPATH": str(src)}
    cli = [py, "-c", MAIN]
    commands: dict[str, tuple[list[str], dict[str, str], str | None]] = {
        "python -c pass": ([py, "-c", "pass"], plain, None),
        "policycite --version": ([*cli, "--version"], ours, None),
        'policycite cite "[@key]"': ([*cli, "cite", KEY, "-l", "references"], ours, None),
        "policycite format (13 records)": ([*cli, "format", "references"], ours, None),
        "policycite styles apa": ([*cli, "styles", "apa"], ours, None),
        "policycite check (example brief)": (
            [*cli, "check", "examples/check/brief.md", "-l", "examples/check/references"],
            ours,
            None,
        ),
    }
    pandoc = shutil.which("pandoc")
    if pandoc:
        commands["pandoc --version"] = ([pandoc, "--version"], plain, None)
        commands['pandoc --citeproc "[@key]"'] = (
            [
                pandoc,
                "--citeproc",
                "--bibliography",
                str(folder / "references.json"),
                "--csl",
                str(folder / "apa.csl"),
                "-f",
                "markdown",
                "-t",
                "plain",
            ],
            plain,
            f"{KEY}\n",
        )
    return commands


def _prepare(src: Path, folder: Path) -> None:
    """pandoc's inputs (the same library as CSL-JSON, the same APA style) and a warm cache."""
    env = {**_environment(folder), "PYTHONPATH": str(src)}
    code = (
        "from pathlib import Path\n"
        "from policycite.render.styles import resolve\n"
        f"Path({str(folder / 'apa.csl')!r}).write_bytes(resolve('apa')[0])\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    convert = [sys.executable, "-c", MAIN, "convert", "references", "--to", "csljson"]
    out = folder / "references.json"
    with out.open("w") as handle:
        subprocess.run(convert, cwd=ROOT, env=env, stdout=handle, check=True)
    # Warm every cache a writer's second run finds: the style index, the library cache,
    # the bytecode of every module the commands import.
    for argv in (
        ["--version"],
        ["styles", "apa"],
        ["cite", KEY, "-l", "references"],
        ["format", "references"],
        ["check", "examples/check/brief.md", "-l", "examples/check/references"],
    ):
        warm = [sys.executable, "-c", MAIN, *argv]  # check exits 1: its findings
        subprocess.run(warm, cwd=ROOT, env=env, capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", "-n", type=int, default=5, help="runs of each (default: 5)")
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="policycite sources (default: ./src)"
    )
    args = parser.parse_args()
    src = args.src.resolve()
    with tempfile.TemporaryDirectory(prefix="policycite-startup-") as tmp:
        folder = Path(tmp)
        _prepare(src, folder)
        commands = _commands(src, folder)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved: a busy moment slows every command alike
            for name, (argv, env, stdin) in commands.items():
                times[name].append(_run(argv, env, stdin))
    floor = min(c for c, _ in times["python -c pass"])
    peer = min((c for c, _ in times.get('pandoc --citeproc "[@key]"', [])), default=None)
    print(f"sources: {src}; {args.runs} runs each")
    print(
        f"{'command':36} {'cpu min':>8} {'cpu med':>8} {'wall min':>9} {'wall med':>9}"
        f" {'x pass':>7} {'x pandoc':>9}"
    )
    for name, runs in times.items():
        cpus = [c for c, _ in runs]
        walls = [w for _, w in runs]
        ratio = f"{min(cpus) / peer:9.2f}" if peer else f"{'':9}"
        print(
            f"{name:36} {min(cpus):8.3f} {statistics.median(cpus):8.3f} {min(walls):9.3f}"
            f" {statistics.median(walls):9.3f} {min(cpus) / floor:7.1f} {ratio}"
        )


if __name__ == "__main__":
    main()
