"""``policycite check --watch``: a real process, real file events, Ctrl-C as SIGINT."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "check"
TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX's")


class Watcher:
    """``check --watch`` in a subprocess, its output read line by line as it comes."""

    def __init__(self, folder: Path, *args: str) -> None:
        env = dict(os.environ, NO_COLOR="1")
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policycite.cli", "check", *args, "--watch"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,
            env=env,
            text=True,
        )
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.backlog: dict[str, list[str]] = {"out": [], "err": []}
        self.readers = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line))

    def until(self, stream: str, needle: str) -> list[str]:
        """The lines of ``stream`` read up to and including the first holding ``needle``.

        The other stream's lines are kept for their own turn: the two pipes interleave
        in any order.
        """
        got: list[str] = []
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.backlog[stream]:
                line = self.backlog[stream].pop(0)
            else:
                try:
                    name, line = self.lines.get(timeout=0.5)
                except queue.Empty:
                    continue
                self.seen.append((name, line))
                if name != stream:
                    self.backlog[name].append(line)
                    continue
            got.append(line)
            if needle in line:
                return got
        pytest.fail(f"no {needle!r} on std{stream} in {TIMEOUT} s; so far: {self.seen}")

    def interrupt(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=TIMEOUT)
        for reader in self.readers:
            reader.join(timeout=TIMEOUT)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        for stream in (self.process.stdout, self.process.stderr):
            assert stream is not None
            stream.close()
        return code, "".join(line for name, line in self.seen if name == "err")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.interrupt()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE / "brief.md", tmp_path / "brief.md")
    shutil.copytree(EXAMPLE / "references", tmp_path / "references")
    return tmp_path


def _save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def test_watch_rechecks_on_save_survives_a_missing_brief_and_stops_on_ctrl_c(
    folder: Path,
) -> None:
    brief = folder / "brief.md"
    watcher = Watcher(folder, "brief.md")
    try:
        first = "".join(watcher.until("out", "in brief.md"))
        assert "PC212 wrong-locator" in first
        watcher.until("err", "watching brief.md")

        text = brief.read_text(encoding="utf-8")
        _save(brief, text.replace("(Valk, 2023, para. 5)", "(Valk, 2023, para. 6)"))
        watcher.until("err", "brief.md changed; checking again")
        second = "".join(watcher.until("out", "in brief.md"))
        assert "PC212" not in second and "PC401 misquote" in second
        watcher.until("err", "watching brief.md")

        brief.unlink()  # mid-save, or moved away: one line, and the watch goes on
        error = watcher.until("err", "policycite: error:")
        assert error[-1] == "policycite: error: brief.md: no such file\n"
        watcher.until("err", "watching brief.md")

        _save(brief, text)
        third = "".join(watcher.until("out", "in brief.md"))
        assert "PC212 wrong-locator" in third
        watcher.until("err", "watching brief.md")

        # The library changes: a record's date corrected, the date finding goes.
        record = folder / "references" / "halvorsen2021.yaml"
        assert "PC208 date-mismatch" in third
        _save(record, record.read_text(encoding="utf-8").replace("2021-03-18", "2021-03-16"))
        watcher.until("err", "references/halvorsen2021.yaml changed; checking again")
        fourth = "".join(watcher.until("out", "in brief.md"))
        assert "PC208" not in fourth
        watcher.until("err", "watching brief.md")

        code, err = watcher.interrupt()
    finally:
        watcher.kill()
    assert code == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_watch_refuses_the_report_over_the_brief(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policycite.cli", "check", "brief.md", "--watch", "-o", "brief.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "policycite: error: brief.md: refusing to overwrite the brief with the report\n"
    )
