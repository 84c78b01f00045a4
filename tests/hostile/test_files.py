"""Issue 13, item 9: outputs through symbolic links, records that are not files, the cache.

Reading a record that is a device or a FIFO is tried in a child process with a memory
limit and a time-out, so that a regression fails the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from policycite.cli import main
from policycite.errors import InputError
from policycite.library import load_library

from conftest import ROOT, SAMPLE_LIBRARY
from limited import run_cli

EXAMPLE = ROOT / "examples" / "check"
RECORD = """\
id: tidewater2025
type: report
title: Tidal barrier maintenance review
author:
- literal: Tidewater Basin Authority
issued: 2025-04-01
"""


def library_with(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "tidewater2025.yaml").write_text(RECORD, encoding="utf-8")
    return folder / name


# --- -o never replaces a symbolic link ------------------------------------------------


def test_convert_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "library.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "library.json"
    link.symlink_to(real)
    assert main(["convert", str(SAMPLE_LIBRARY), "--to", "csljson", "-o", str(link)]) == 0
    assert link.is_symlink() and link.readlink() == real
    assert isinstance(json.loads(real.read_text(encoding="utf-8")), list)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.json", "shared"]


def test_check_report_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    real = tmp_path / "report.html"
    link = tmp_path / "latest.html"
    link.symlink_to(real.name)  # relative, as `ln -s report.html latest.html` makes it
    real.write_text("", encoding="utf-8")
    argv = ["check", str(EXAMPLE / "brief.md"), "-l", str(EXAMPLE / "references")]
    assert main([*argv, "--format", "html", "-o", str(link)]) == 1
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_output_to_a_dangling_symlink_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "missing" / "out.json")
    assert main(["convert", str(SAMPLE_LIBRARY), "--to", "csljson", "-o", str(link)]) == 2
    assert "symbolic link to a missing file" in capsys.readouterr().err
    assert link.is_symlink() and not (tmp_path / "missing").exists()


def test_output_to_a_link_to_dev_stdout_writes_standard_output(tmp_path: Path) -> None:
    """`-o /dev/stdout`: a link to the caller's output, which must be written, not replaced.

    /dev/stdout itself is not used here: a failing version run as root would replace the
    machine's /dev/stdout. A link to it in a temporary folder shows the same thing.
    """
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    done = run_cli("convert", str(SAMPLE_LIBRARY), "--to", "csljson", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)
    assert link.is_symlink() and link.readlink() == Path("/dev/stdout")


# --- records that are not regular files are refused before reading --------------------


def test_record_symlinked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    record = library_with(tmp_path, "zeros.yaml")
    record.symlink_to("/dev/zero")
    done = run_cli("convert", str(record.parent), "--to", "csljson")
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr.count("\n") == 1
    assert "zeros.yaml" in done.stderr and "character device, not a regular file" in done.stderr


def test_fifo_record_is_refused_without_waiting(tmp_path: Path) -> None:
    record = library_with(tmp_path, "pipe.yaml")
    os.mkfifo(record)
    done = run_cli("convert", str(record.parent), "--to", "csljson", timeout=20)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "pipe.yaml" in done.stderr and "FIFO" in done.stderr


def test_fifo_bibliography_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "library.bib"
    os.mkfifo(fifo)
    done = run_cli("convert", str(fifo), "--to", "csljson", timeout=20)
    assert done.returncode == 2 and "FIFO" in done.stderr


def test_oversized_record_is_refused_by_its_size(tmp_path: Path) -> None:
    record = library_with(tmp_path, "huge.yaml")
    with record.open("wb") as handle:  # sparse: 65 MiB announced, nothing written
        handle.truncate(65 * 2**20)
    with pytest.raises(InputError, match="the limit is 64 MiB"):
        load_library(record.parent)


# --- the library cache -------------------------------------------------------------------


def title_of(folder: Path) -> str:
    return load_library(folder, cache=True).library["tidewater2025"].title or ""


def test_cache_sees_an_edit_that_keeps_size_and_mtime(tmp_path: Path) -> None:
    record = library_with(tmp_path, "tidewater2025.yaml")
    assert title_of(record.parent) == "Tidal barrier maintenance review"
    before = record.stat()
    with record.open("r+", encoding="utf-8") as handle:  # same file, same length
        handle.write(RECORD.replace("Tidal barrier", "Tidal culvert"))
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size
    assert title_of(record.parent) == "Tidal culvert maintenance review"


def test_cache_sees_a_file_replaced_with_its_old_mtime(tmp_path: Path) -> None:
    record = library_with(tmp_path, "tidewater2025.yaml")
    other = tmp_path / "other.yaml"
    other.write_text(RECORD.replace("Tidal barrier", "Tidal culvert"), encoding="utf-8")
    shutil.copystat(record, other)  # cp -p / rsync -t keep the old time
    assert title_of(record.parent) == "Tidal barrier maintenance review"
    other.replace(record)
    assert title_of(record.parent) == "Tidal culvert maintenance review"


class _Planted:
    """Unpickling this creates a file: the proof that a planted cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def plant(cache: Path, marker: Path) -> None:
    cache.write_bytes(pickle.dumps(_Planted(marker)))


def test_cache_writable_by_others_is_not_unpickled(tmp_path: Path) -> None:
    record = library_with(tmp_path, "tidewater2025.yaml")
    title_of(record.parent)
    cache_dir = Path(os.environ["POLICYCITE_CACHE_DIR"])
    (cache,) = cache_dir.glob("library-*.pickle")
    assert cache.stat().st_mode & 0o777 == 0o600
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    marker = tmp_path / "planted-code-ran"
    plant(cache, marker)
    cache.chmod(0o666)  # as a file in a shared folder would be
    assert title_of(record.parent) == "Tidal barrier maintenance review"
    assert not marker.exists()


def test_cache_folder_writable_by_others_is_closed_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = library_with(tmp_path, "tidewater2025.yaml")
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("POLICYCITE_CACHE_DIR", str(shared))
    title_of(record.parent)
    # A folder of our own is closed (0700) before the cache goes in.
    assert shared.stat().st_mode & 0o777 == 0o700
    (cache,) = shared.glob("library-*.pickle")
    marker = tmp_path / "planted-code-ran"
    plant(cache, marker)
    if os.geteuid() != 0:
        pytest.skip("giving the folder to another user needs root")
    os.chown(shared, 4242, 4242)  # a folder someone else owns
    os.chown(cache, 4242, 4242)
    assert title_of(record.parent) == "Tidal barrier maintenance review"
    assert not marker.exists()


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_snapshot_that_is_no_regular_file_is_a_finding_not_a_hang(
    tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "references"
    shutil.copytree(SAMPLE_LIBRARY, folder)
    text = next((folder / "snapshots").glob("*/*.txt"))
    text.unlink()
    if kind == "fifo":
        os.mkfifo(text)
    else:
        text.symlink_to("/dev/zero")
    done = run_cli("verify", "--offline", "-l", str(folder), timeout=60)
    assert done.returncode == 1, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    # A FIFO is refused as no regular file; a link out of the folder as leaving it.
    assert text.name in done.stdout + done.stderr
    assert ("not a regular file" if kind == "fifo" else "leaves the library folder") in (
        done.stdout + done.stderr
    )
