"""The snapshot store: addressed by hash, immutable, verified on read, inside its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policycite.capture.document import Block, Document
from policycite.errors import InputError
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text


def _snapshot(*blocks: Block, **extra: object) -> Snapshot:
    doc = Document(blocks)
    return Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs, **extra)  # type: ignore[arg-type]


def test_document_text_and_paragraph_numbers() -> None:
    doc = Document(
        [
            Block("First  paragraph\n of text."),
            Block("Background", heading=True),
            Block("Second\u00a0paragraph."),
        ]
    )
    assert doc.text == "First paragraph of text.\n\nBackground\n\nSecond\u00a0paragraph."
    numbers = [(p.number, p.section, doc.text[p.start : p.end]) for p in doc.paragraphs]
    assert numbers == [
        (1, None, "First paragraph of text."),
        (None, "Background", "Background"),
        (2, "Background", "Second\u00a0paragraph."),  # no-break spaces are kept
    ]


def test_put_get_round_trip_and_idempotence(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    snap = _snapshot(Block("One."), Block("Two."), url="https://x.example/a", method="html-capture")
    assert store.put(snap) is True
    assert store.put(snap) is False  # the same text again: nothing written
    assert snap.sha256 in store
    back = store.get(snap.sha256)
    assert back == snap
    assert back.paragraph_at(6) is not None and back.paragraph_at(6).number == 2  # type: ignore[union-attr]
    assert list(store.hashes()) == [snap.sha256]
    side = json.loads(store.sidecar_path(snap.sha256).read_text(encoding="utf-8"))
    assert side["paragraphs"] == [[0, 4, 1, None], [6, 10, 2, None]]


def test_originals_are_stored_once_by_their_own_hash(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    sha = store.put_original(b"<html>x</html>", "text/html")
    assert store.put_original(b"<html>x</html>", "text/html") == sha
    path = store.original_path(sha)
    assert path is not None and path.suffix == ".html" and path.read_bytes() == b"<html>x</html>"
    assert store.original_path("0" * 64) is None


def test_tampered_snapshot_is_refused(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    snap = _snapshot(Block("The minister said 2025."))
    store.put(snap)
    store.text_path(snap.sha256).write_text("The minister said 2026.", encoding="utf-8")
    with pytest.raises(InputError, match="does not match its SHA-256"):
        store.get(snap.sha256)


def test_hash_must_match_text() -> None:
    doc = Document([Block("Text.")])
    with pytest.raises(ValueError, match="does not match"):
        SnapshotStore("/nonexistent").put(Snapshot("0" * 64, doc.text, doc.paragraphs))


def test_paths_cannot_leave_the_library(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        with pytest.raises(InputError, match="not a SHA-256"):
            store.text_path(bad)
    assert "../x" not in store


def test_damaged_sidecar_is_an_input_error(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    snap = _snapshot(Block("Text."))
    store.put(snap)
    store.sidecar_path(snap.sha256).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"\.json:1:2"):
        store.get(snap.sha256)
    store.sidecar_path(snap.sha256).write_text('{"sha256": 1, "evil": 2}', encoding="utf-8")
    with pytest.raises(InputError, match="not a snapshot sidecar"):
        store.get(snap.sha256)


def test_text_without_sidecar_gets_blank_line_paragraphs(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    text = "Alpha.\n\nBeta."
    sha = sha256_text(text)
    store.text_path(sha).parent.mkdir(parents=True)
    store.text_path(sha).write_text(text, encoding="utf-8")
    assert [p.number for p in store.get(sha).paragraphs] == [1, 2]


def test_sidecar_that_does_not_fit_its_text_is_refused(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    snap = _snapshot(Block("One."), Block("Two."))
    store.put(snap)
    side = store.sidecar_path(snap.sha256)
    data = json.loads(side.read_text(encoding="utf-8"))
    data["paragraphs"][1] = [6, 99, 2, None]
    side.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"offsets 6\.\.99 do not fit"):
        store.get(snap.sha256)
    data["paragraphs"][1] = [6, 10, 2, None]
    data["sha256"] = "0" * 64
    side.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="names another snapshot"):
        store.get(snap.sha256)


def test_a_byte_order_mark_added_to_a_snapshot_is_tampering(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    snap = _snapshot(Block("The minister said 2025."))
    store.put(snap)
    path = store.text_path(snap.sha256)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # same text once decoded
    with pytest.raises(InputError, match="does not match its SHA-256"):
        store.text(snap.sha256)
