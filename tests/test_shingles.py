"""Stored 5-gram hashes: which snapshots can share copied text with a brief."""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.anchors.copying import gram_hashes
from policycite.anchors.shingles import MAGIC, MIN_SHARED, grams_bytes, sharing, snapshot_grams
from policycite.capture.document import Block, Document
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

COPIED = (
    "The harbour fund pays up to sixty percent of the cost of works that keep a port open "
    "during storm surges."
)
OTHER = "Inland waterways carry a fifth of the region's freight and are cheaper than roads."


def _store(tmp_path: Path, *texts: str) -> tuple[SnapshotStore, list[str]]:
    store = SnapshotStore(tmp_path)
    shas = []
    for text in texts:
        doc = Document([Block(text)])
        store.put(Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs))
        shas.append(sha256_text(doc.text))
    return store, shas


def test_hashes_are_stable_folded_and_sorted() -> None:
    a = gram_hashes("The Council’s plan for the Organisation was agreed by all members.")
    b = gram_hashes("the council's plan  for the organization was agreed by all members")
    assert a == b  # spelling, case, apostrophes and spacing fold as in the copy index
    assert list(a) == sorted(a)
    # The same in every process (no per-process seed); .grams format 3 (anchors.shingles).
    assert list(gram_hashes("one two three four five")) == [1288035290]


def test_only_snapshots_sharing_a_run_are_candidates(tmp_path: Path) -> None:
    store, (copied, other) = _store(tmp_path, COPIED, OTHER)
    brief = "As reported, the fund pays up to sixty percent of the cost of works."
    assert MIN_SHARED == 4
    assert sharing(store, [copied, other], brief) == [copied]
    # Four shared words make one 5-gram at most: not enough for a run worth reporting.
    assert sharing(store, [copied], "We note it pays up to sixty percent.") == []


def test_the_cache_is_written_reused_and_rebuilt(tmp_path: Path) -> None:
    store, (sha,) = _store(tmp_path, COPIED)
    path = store.cache_path(sha, "grams")
    grams = snapshot_grams(store, sha)
    assert path.read_bytes() == grams_bytes(sha, grams)
    assert store.original_path(sha) is None  # derived data is not an original
    path.write_bytes(b"junk")  # damaged: rebuilt from the text
    assert snapshot_grams(store, sha) == grams
    assert path.read_bytes().startswith(MAGIC)


def test_a_read_only_library_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, (sha,) = _store(tmp_path, COPIED)

    def refuse(path: Path, data: bytes, **_options: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    # The tests run as root, for whom chmod does not make a folder read-only.
    monkeypatch.setattr("policycite.anchors.shingles.write_bytes_atomic", refuse)
    assert snapshot_grams(store, sha) == gram_hashes(COPIED)
    assert not store.cache_path(sha, "grams").exists()
