"""Concurrent writers on one library: nothing is lost, nothing is overwritten (issue 13.1).

Writers are forked processes of this test process (policycite already imported, so a
writer costs milliseconds, not an interpreter start), released together by a barrier, each
running one CLI command: ``add`` of a page whose key collides, ``add`` of a new version of
a page, ``anchor`` of a quotation, ``convert -o`` into the library. Afterwards every record
and every anchor must be there and ``verify --offline`` must be clean.
``POLICYCITE_CONCURRENCY_ROUNDS`` raises the number of rounds (default 50).
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from policycite.anchors.pinning import pin, save_anchors
from policycite.capture.pipeline import add
from policycite.cli import main
from policycite.library import load_library
from policycite.snapshots import SnapshotStore
from policycite.verify import VerifyOptions, verify

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="writers are forked"
)

ROUNDS = int(os.environ.get("POLICYCITE_CONCURRENCY_ROUNDS", "50"))
ISSUER = "author=Ministry of Coastal Affairs of Veldoria (MCAV)"
ISSUED = "issued=2024-03-12"
BASE_URL = "https://www.coastal.gov.example/en/press/harbour-fund"
PARAGRAPHS = [
    "The Ministry of Coastal Affairs opened a fund today for small ports and their towns.",
    "Grants will pay for storm walls and quay repairs along the northern coast.",
    "Harbour towns may apply from the first of April until the end of June.",
    "Each grant covers up to sixty percent of the cost of the works.",
    "The ministry expects the first works to begin before the autumn storms.",
    "Fishing cooperatives and ferry operators may join a town's application.",
]
QUOTES = [p.split(" ", 3)[3].rstrip(".") for p in PARAGRAPHS]  # unique tails, verbatim


def _page(folder: Path, name: str, title: str, extra: Sequence[str] = ()) -> Path:
    path = folder / name
    body = "\n\n".join([title, "12 March 2024", *PARAGRAPHS, *extra])
    path.write_text(body + "\n", encoding="utf-8")
    return path


def _add_args(page: Path, library: Path, url: str) -> list[str]:
    return ["add", str(page), "-l", str(library), "--url", url, "--set", ISSUER, "--set", ISSUED]


def _run(argv: list[str]) -> int:
    """One CLI command, its output kept out of the test's."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def _child(barrier: object, argv: list[str]) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    code = _run(argv)
    sys.stdout.flush()
    os._exit(code)


def _together(commands: Sequence[list[str]]) -> list[int]:
    """Run the commands at the same moment, one forked process each; their exit codes."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(commands))
    procs = [ctx.Process(target=_child, args=(barrier, argv)) for argv in commands]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    return [proc.exitcode if proc.exitcode is not None else -1 for proc in procs]


class Scene:
    """A library holding the base record mcav2024, and the inputs the writers use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.library = root / "references"
        pages = root / "pages"
        pages.mkdir(parents=True)
        base = _page(pages, "base.txt", "Harbour fund opens for small ports")
        assert _run(_add_args(base, self.library, BASE_URL)) == 0
        assert load_library(self.library).library.keys == ("mcav2024",)
        self.pages = pages
        self.expected_titles = {"Harbour fund opens for small ports"}
        self.expected_quotes: set[str] = set()
        self.expected_keys = {"mcav2024"}
        self.expected_text: str | None = None  # the base record's newest text, if updated

    def add_colliding(self, n: int) -> list[str]:
        title = f"Harbour fund notice number {n} for small ports"
        page = _page(self.pages, f"notice{n}.txt", title, [f"This is notice number {n}."])
        self.expected_titles.add(title)
        return _add_args(page, self.library, f"https://www.coastal.gov.example/en/notice/{n}")

    def update_base(self) -> list[str]:
        extra = "The fund was raised by a further two million after consultation."
        page = _page(self.pages, "base-v2.txt", "Harbour fund opens for small ports", [extra])
        self.expected_text = extra
        return _add_args(page, self.library, BASE_URL)

    def anchor(self, n: int) -> list[str]:
        self.expected_quotes.add(QUOTES[n])
        return ["anchor", "mcav2024", QUOTES[n], "-l", str(self.library)]

    def convert(self, n: int) -> list[str]:
        key = f"veldoria{n}"
        data = [{"id": key, "type": "report", "title": f"Report {n}", "issued": "2024"}]
        path = self.root / f"{key}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        self.expected_keys.add(key)
        return ["convert", str(path), "--to", "yaml", "-o", str(self.library)]

    def check(self, codes: Sequence[int]) -> None:
        assert list(codes) == [0] * len(codes)
        library = load_library(self.library).library
        assert self.expected_keys <= set(library.keys)
        titles = {s.title for s in library if s.key.startswith("mcav2024")}
        assert titles == self.expected_titles
        assert len([k for k in library.keys if k.startswith("mcav2024")]) == len(titles)
        base = library["mcav2024"]
        assert {a.quote or a.exact for a in base.anchors} == self.expected_quotes
        if self.expected_text is not None:
            sha = base.provenance.content_sha256
            assert sha is not None and self.expected_text in SnapshotStore(self.library).text(sha)
        report = verify(self.library, options=VerifyOptions(online=False, archive=False))
        assert not report.has_problems, [str(f) for f in report.findings]
        assert not list(self.library.rglob("*.tmp"))


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    yield Scene(tmp_path)


def _pairs(scene: Scene, number: int) -> list[list[str]]:
    kind = number % 5
    if kind == 0:
        return [scene.add_colliding(1), scene.add_colliding(2)]
    if kind == 1:
        return [scene.update_base(), scene.anchor(0)]
    if kind == 2:
        return [scene.anchor(1), scene.anchor(2)]
    if kind == 3:
        return [scene.convert(1), scene.add_colliding(3)]
    return [scene.convert(2), scene.anchor(3)]


def _eights(scene: Scene, number: int) -> list[list[str]]:
    first = [scene.update_base()] if number % 2 else [scene.add_colliding(4)]
    return [
        *first,
        scene.add_colliding(1),
        scene.add_colliding(2),
        scene.add_colliding(3),
        scene.anchor(0),
        scene.anchor(1),
        scene.anchor(2),
        scene.convert(number % 3),
    ]


# ---------------------------------------------------------------------------------------
# Interleavings that lost data, played out one step at a time


def test_an_add_on_a_stale_library_does_not_overwrite_a_colliding_record(scene: Scene) -> None:
    stale = load_library(scene.library).library
    first = scene.add_colliding(1)
    assert _run(first) == 0  # a concurrent add took mcav2024a in the meantime
    page = scene.pages / "notice2.txt"
    _page(
        scene.pages,
        "notice2.txt",
        "Harbour fund notice number 2 for small ports",
        ["This is notice number 2."],
    )
    scene.expected_titles.add("Harbour fund notice number 2 for small ports")
    result = add(
        page,
        scene.library,
        url="https://www.coastal.gov.example/en/notice/2",
        overrides={"author": ISSUER.split("=", 1)[1], "issued": "2024-03-12"},
        library=stale,
    )
    assert [a.source.key for a in result.added if a.source] == ["mcav2024b"]
    scene.check([])


def test_an_anchor_saved_from_a_stale_read_merges(scene: Scene) -> None:
    stale = load_library(scene.library).library["mcav2024"]
    pinned = pin(scene.library, stale, QUOTES[0])
    assert _run(scene.anchor(1)) == 0  # another anchor run saved first
    assert _run(scene.update_base()) == 0  # and an add moved the record to a new snapshot
    save_anchors(scene.library, stale, [pinned.anchor])
    scene.expected_quotes.add(QUOTES[0])
    scene.check([])


def _swap_while_listing(
    monkeypatch: pytest.MonkeyPatch, folder: Path, writer: Callable[[], None]
) -> list[bool]:
    """Make the next listing of ``folder`` meet ``writer`` between its two steps.

    Listing a folder is two system calls: open it (``opendir``), then read its names
    (``getdents``). A reader descheduled between the two while ``convert -o`` swaps the
    library folder for a new one and deletes the old one reads the names of a deleted
    folder: none. The flake of test_rounds_of_concurrent_writers[8] (an ``anchor`` exiting
    2, "no such key") was this interleaving; here it happens every time. Returns a list
    that holds True once the writer has run.
    """
    real = os.listdir
    identity = (folder.stat().st_dev, folder.stat().st_ino)
    done: list[bool] = []

    def listdir(target: Any = ".") -> list[str]:
        if done:
            return real(target)
        fd = target if isinstance(target, int) else os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        try:
            info = os.fstat(fd)
            if (info.st_dev, info.st_ino) == identity:  # the library, opened: now the swap
                done.append(True)
                writer()
            return real(fd)
        finally:
            if fd is not target:
                os.close(fd)

    monkeypatch.setattr(os, "listdir", listdir)
    return done


def test_anchor_reads_the_library_whole_while_convert_swaps_the_folder(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    convert = scene.convert(1)
    done = _swap_while_listing(monkeypatch, scene.library, lambda: _run_ok(convert))
    assert _run(scene.anchor(0)) == 0
    assert done == [True]
    scene.check([])


def test_a_library_swapped_while_listed_is_read_again(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    convert = scene.convert(2)
    done = _swap_while_listing(monkeypatch, scene.library, lambda: _run_ok(convert))
    result = load_library(scene.library)
    assert done == [True]
    assert set(result.library.keys) == {"mcav2024", "veldoria2"}  # what the folder holds now
    assert not result.findings


def _run_ok(argv: list[str]) -> None:
    assert _run(argv) == 0


# ---------------------------------------------------------------------------------------
# Real concurrent processes


def test_two_concurrent_adds_with_colliding_keys_keep_both(scene: Scene) -> None:
    codes = _together([scene.add_colliding(1), scene.add_colliding(2)])
    scene.check(codes)
    keys = load_library(scene.library).library.keys
    assert sorted(keys) == ["mcav2024", "mcav2024a", "mcav2024b"]


def test_anchor_during_add_and_two_anchors(scene: Scene) -> None:
    scene.check(_together([scene.update_base(), scene.anchor(0), scene.anchor(1)]))


@pytest.mark.parametrize("writers", [2, 8])
def test_rounds_of_concurrent_writers(tmp_path: Path, writers: int) -> None:
    for number in range(ROUNDS):
        scene = Scene(tmp_path / f"round{number}")
        commands = _pairs(scene, number) if writers == 2 else _eights(scene, number)
        scene.check(_together(commands))


# ---------------------------------------------------------------------------------------
# The lock itself, and what killed runs leave behind


def _hold(folder: Path, ready: object, release: object) -> None:
    from policycite.locking import library_lock

    with library_lock(folder):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]
    os._exit(0)


def test_a_held_lock_times_out_with_one_line_naming_folder_and_holder(
    scene: Scene, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(scene.library, ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        monkeypatch.setenv("POLICYCITE_LOCK_TIMEOUT", "0.2")
        code = main(scene.anchor(0))
    finally:
        release.set()
        holder.join(30)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"policycite: error: {scene.library}: ")
    assert f"locked by another policycite process (pid {holder.pid})" in err
    assert "POLICYCITE_LOCK_TIMEOUT" in err
    assert not load_library(scene.library).library["mcav2024"].anchors  # nothing written


def test_the_lock_is_taken_again_by_the_same_thread(tmp_path: Path) -> None:
    from policycite.locking import library_lock

    with library_lock(tmp_path), library_lock(tmp_path):
        assert (tmp_path / ".policycite.lock").read_text(encoding="ascii").strip() == str(
            os.getpid()
        )


def _die_holding(folder: Path) -> None:
    from policycite.locking import library_lock

    with library_lock(folder):
        os._exit(9)  # killed while holding: the lock file stays, the lock goes


def test_a_lock_whose_holder_died_does_not_block(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = multiprocessing.get_context("fork").Process(target=_die_holding, args=(scene.library,))
    holder.start()
    holder.join(30)
    assert holder.exitcode == 9
    assert (scene.library / ".policycite.lock").exists()
    monkeypatch.setenv("POLICYCITE_LOCK_TIMEOUT", "0")  # no waiting: the lock is free
    assert _run(scene.anchor(0)) == 0
    scene.check([])


def test_verify_reports_and_fix_removes_what_killed_runs_left(
    scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SnapshotStore(scene.library)
    kept = set(store.hashes())
    # An add killed after its snapshots but before its record; and half-written temp files.
    assert _run(scene.update_base()) == 0
    assert _run(scene.anchor(0)) == 0  # anchors on the newest snapshot; the old one is kept
    kept = set(store.hashes())
    orphan_page = _page(
        scene.pages,
        "killed.txt",
        "Harbour fund notice killed",
        ["This notice was cut off by a kill."],
    )
    killed = add(
        orphan_page,
        scene.library,
        url="https://www.coastal.gov.example/killed",
        overrides={"author": ISSUER.split("=", 1)[1], "issued": "2024-03-12"},
    )
    record = killed.added[0].path
    assert record is not None
    record.unlink()
    orphans = set(store.hashes()) - kept
    assert len(orphans) == 1
    tmp_record = scene.library / ".mcav2024.yaml.k1ll3d.tmp"
    tmp_record.write_text("id: mcav20", encoding="utf-8")
    tmp_snapshot = store.root / "ab" / ".ab12.txt.k1ll3d.tmp"
    tmp_snapshot.parent.mkdir(parents=True, exist_ok=True)
    tmp_snapshot.write_text("half", encoding="utf-8")

    code = main(["verify", "--offline", "-l", str(scene.library)])
    err = capsys.readouterr().err
    assert code == 0  # left-overs are reported, not problems
    assert err.count("PC309") == 4  # the text (with sidecar), its original, two temp files
    assert tmp_record.exists() and orphans <= set(store.hashes())

    code = main(["verify", "--offline", "--fix", "-l", str(scene.library)])
    err = capsys.readouterr().err
    assert code == 0
    assert "PC309" not in err
    assert "removed 6 left-over files" in err  # text, sidecar, grams, original, two temps
    assert not tmp_record.exists() and not tmp_snapshot.exists()
    assert set(store.hashes()) == kept  # the record's snapshot and its older version stay
    assert not list((store.root).glob(f"??/{orphans.pop()}.*"))
    scene.check([])


def test_a_key_too_long_for_a_file_name_is_refused_before_any_snapshot(
    scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    page = _page(
        scene.pages,
        "long.txt",
        "Harbour fund notice with a long key",
        ["This notice is filed under a long key."],
    )
    before = sorted(p.name for p in scene.library.rglob("*"))
    argv = [*_add_args(page, scene.library, "https://www.coastal.gov.example/long")]
    code = main([*argv, "--key", "k" * 240])
    err = capsys.readouterr().err
    assert code == 2
    assert "too long" in err and err.count("\n") == 1
    assert sorted(p.name for p in scene.library.rglob("*")) == before
