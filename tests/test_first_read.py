"""A library never read before, on every core: the same records, findings and errors as one.

Issue 17: the first check of a library parses every record file and hashes the 5-grams of
every snapshot. Both run in forked workers when there are many; these tests lower the
thresholds so that a small library takes the parallel path, and compare it with the
one-process read of the same files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import policycite as pc
from policycite import library
from policycite.anchors import shingles
from policycite.anchors.copying import gram_hashes
from policycite.capture.document import Block, Document
from policycite.errors import InputError
from policycite.render import parallel
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

from conftest import SAMPLE_LIBRARY

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers even on a one-core runner (the result must not depend on it)."""
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)


def _messy_library(folder: Path) -> Path:
    """The sample library, plus a misnamed copy, a stray file and a duplicate key."""
    shutil.copytree(SAMPLE_LIBRARY, folder, ignore=shutil.ignore_patterns("snapshots"))
    first = sorted(folder.glob("*.yaml"))[0]
    shutil.copy(first, folder / "renamed.yaml")
    (folder / "notes.txt").write_text("not a record", encoding="utf-8")
    return folder


def _read(folder: Path, minimum: int, monkeypatch: pytest.MonkeyPatch) -> pc.ReadResult:
    monkeypatch.setattr(library, "PARALLEL_MINIMUM", minimum)
    return pc.load_library(folder)


@pytest.mark.usefixtures("two_cores")
def test_records_read_in_workers_equal_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _messy_library(tmp_path / "references")
    one = _read(folder, 10**9, monkeypatch)
    many = _read(folder, 2, monkeypatch)
    assert len(one.library) >= 8
    assert list(many.library) == list(one.library)
    assert many.findings == one.findings
    assert {f.code for f in one.findings} >= {"PC002", "PC004", "PC005"}


@pytest.mark.usefixtures("two_cores")
def test_a_bad_record_among_many_is_the_same_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _messy_library(tmp_path / "references")
    names = sorted(p.name for p in folder.glob("*.yaml"))
    # Two bad files in different workers' chunks: the first in name order is reported.
    (folder / names[2]).write_text("id: [unclosed\n", encoding="utf-8")
    (folder / names[-1]).write_text("id: x\ntitle: [1, 2]\n", encoding="utf-8")
    errors = []
    for minimum in (10**9, 2):
        with pytest.raises(InputError) as caught:
            _read(folder, minimum, monkeypatch)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert names[2] in errors[0] and "\n" not in errors[0]


def _store(folder: Path, count: int) -> tuple[SnapshotStore, list[str]]:
    store = SnapshotStore(folder)
    shas = []
    for i in range(count):
        text = f"Snapshot {i} says the harbour fund pays up to {i} percent of the works."
        doc = Document([Block(text)])
        store.put(Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs))
        shas.append(sha256_text(doc.text))
    return store, shas


@pytest.mark.usefixtures("two_cores")
def test_grams_hashed_in_workers_equal_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, shas = _store(tmp_path, 9)
    missing = "0" * 64  # named by a record, but no snapshot of it is stored
    damaged = shas[4]
    store.text_path(damaged).write_text("edited behind the hash", encoding="utf-8")
    hashes = [*shas, missing]
    brief = "As reported, the harbour fund pays up to 3 percent of the works."
    answers = []
    for minimum in (10**9, 2):
        monkeypatch.setattr(shingles, "PARALLEL_MINIMUM", minimum)
        grams = shingles.StoredGrams(store)
        grams.prefetch(hashes)
        # The parallel path fills the grams ahead; the one-process path leaves them.
        assert bool(grams._added) == (minimum == 2)
        unread: list[str] = []
        answers.append((shingles.sharing(store, hashes, brief, grams, unread), unread))
        for sha in shas:
            if sha != damaged:
                assert list(grams.grams(sha)) == list(gram_hashes(store.text(sha)))
    assert answers[0] == answers[1]
    assert answers[0] == ([shas[3]], [damaged, missing])
