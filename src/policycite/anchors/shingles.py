"""Which snapshots can share copied text with a brief, answered from stored 5-gram hashes.

Building the full copy index over a large library takes seconds (about 8 s for 1,000
snapshots of 20 KB); a brief copies from a few sources at most. Each snapshot's distinct
word 5-grams (:func:`~policycite.anchors.copying.gram_hashes`) are stored once beside it
(``snapshots/ab/<sha>.grams``) and checked against the brief's own 5-grams: only the
snapshots that share a run's worth go into the index. The file is derived data, rebuilt when it is
missing, unreadable or of another format version.
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Iterable

from policycite.anchors.copying import CLOSE_MIN_RUN, GRAM, gram_hashes
from policycite.errors import InputError
from policycite.model import Source
from policycite.paths import write_bytes_atomic
from policycite.snapshots import Snapshot, SnapshotStore

#: The first bytes of a .grams file; the digit is the format version (fold and hash).
MAGIC = b"PCG1"
#: 5-grams a snapshot must share with a brief to be indexed: a run of CLOSE_MIN_RUN words
#: (the shortest the copy index reports) holds this many; chance collisions of common
#: words rarely reach it.
MIN_SHARED = CLOSE_MIN_RUN - GRAM + 1


def snapshot_grams(store: SnapshotStore, sha256: str) -> array[int]:
    """A snapshot's 5-gram hashes: read from the store, else computed and stored."""
    path = store.cache_path(sha256, "grams")
    if path.exists():
        data = path.read_bytes()
        if data[: len(MAGIC)] == MAGIC and (len(data) - len(MAGIC)) % 4 == 0:
            grams = array("I")
            grams.frombytes(data[len(MAGIC) :])
            return grams
    grams = gram_hashes(store.text(sha256))
    with contextlib.suppress(OSError):  # a read-only library: compute again next time
        write_bytes_atomic(path, MAGIC + grams.tobytes())
    return grams


def snapshots_of(
    store: SnapshotStore, sources: Iterable[Source], text: str | None = None
) -> list[tuple[Source, Snapshot]]:
    """Sources with their intact snapshots, in library order.

    With ``text``, only those whose snapshot shares at least :data:`MIN_SHARED` 5-grams
    with it: the ones that can hold a quotation or a copied run of it.
    """
    by_sha: dict[str, list[Source]] = {}
    for source in sources:
        sha = source.provenance.content_sha256
        if sha is not None and sha in store:
            by_sha.setdefault(sha, []).append(source)
    out: list[tuple[Source, Snapshot]] = []
    for sha in by_sha if text is None else sharing(store, by_sha, text):
        try:
            snapshot = store.get(sha)
        except InputError:
            continue  # damaged: `policycite verify` reports it
        out.extend((source, snapshot) for source in by_sha[sha])
    return out


def sharing(store: SnapshotStore, hashes: Iterable[str], text: str) -> list[str]:
    """The snapshots (by hash) that share at least :data:`MIN_SHARED` 5-grams with ``text``."""
    mine = set(gram_hashes(text))
    out = []
    for sha in hashes:
        try:
            grams = snapshot_grams(store, sha)
        except InputError:
            continue  # missing or damaged: `policycite verify` reports it
        if not mine.isdisjoint(grams) and len(mine.intersection(grams)) >= MIN_SHARED:
            out.append(sha)
    return out


__all__ = ["MAGIC", "MIN_SHARED", "sharing", "snapshot_grams", "snapshots_of"]
