"""Which snapshots can share copied text with a brief, answered from stored 5-gram hashes.

Building the full copy index over a large library takes seconds (about 8 s for 1,000
snapshots of 20 KB); a brief copies from a few sources at most. Each snapshot's distinct
word 5-grams (:func:`~policycite.anchors.copying.gram_hashes`) are stored once beside it
(``snapshots/ab/<sha>.grams``) and checked against the brief's own 5-grams: only the
snapshots that share a run's worth go into the index. The file is derived data that carries
its own checksum; it is rebuilt when it is missing, does not match its checksum or is of
another format version.
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence

from policycite import derived
from policycite.anchors.copying import (
    CLOSE_MIN_RUN,
    GRAM,
    GRAM_HASH_PROBE,
    WORD,
    fold_word,
    gram_hashes,
)
from policycite.errors import InputError
from policycite.model import Source
from policycite.paths import inside, read_regular, write_bytes_atomic
from policycite.snapshots import MAX_SNAPSHOT_BYTES, Snapshot, SnapshotStore

#: The first bytes of a .grams file; the digit is the format version (fold, hash and
#: layout). Version 3 follows the magic with the interpreter's gram-hash probe
#: (:data:`~policycite.anchors.copying.GRAM_HASH_PROBE`, 4 bytes) and a SHA-256 of the
#: snapshot's hash, the probe and the gram bytes, so that a file zeroed or edited behind a
#: valid header is told apart. The file is written without an fsync (it is a cache): a
#: crash that leaves it empty, short or zeroed fails the checksum and it is rebuilt.
MAGIC = b"PCG3"
#: Version 2 files (CRC-32 of each joined gram, checksummed) and version 1 files (no
#: checksum) are read once more to be checked and upgraded.
_V2_MAGIC = b"PCG2"
_OLD_MAGIC = b"PCG1"
_DIGEST = 32
_PROBE = struct.pack("<I", GRAM_HASH_PROBE)
#: 5-grams a snapshot must share with a brief to be indexed: a run of CLOSE_MIN_RUN words
#: (the shortest the copy index reports) holds this many; chance collisions of common
#: words rarely reach it.
MIN_SHARED = CLOSE_MIN_RUN - GRAM + 1


def _checksum(sha256: str, payload: bytes, probe: bytes = b"") -> bytes:
    return hashlib.sha256(bytes.fromhex(sha256) + probe + payload).digest()


def grams_bytes(sha256: str, grams: array[int]) -> bytes:
    """The content of a snapshot's .grams file: magic, probe, checksum, 32-bit gram hashes."""
    payload = grams.tobytes()
    return MAGIC + _PROBE + _checksum(sha256, payload, _PROBE) + payload


def _stored_grams(data: bytes, sha256: str) -> array[int] | None:
    """The grams of a current-version file that matches its checksum, else None."""
    head = len(MAGIC) + len(_PROBE) + _DIGEST
    if data[: len(MAGIC) + len(_PROBE)] != MAGIC + _PROBE or (len(data) - head) % 4:
        return None
    payload = data[head:]
    if data[head - _DIGEST : head] != _checksum(sha256, payload, _PROBE):
        return None
    grams = array("I")
    grams.frombytes(payload)
    return grams


def _legacy_grams(text: str) -> bytes:
    """What a version-1 or -2 file held for a text: CRC-32 of each joined folded gram."""
    words = [fold_word(w) for w in WORD.findall(text)]
    grams = {
        zlib.crc32("\x1f".join(words[i : i + GRAM]).encode("utf-8"))
        for i in range(len(words) - GRAM + 1)
    }
    return array("I", sorted(grams)).tobytes()


def _old_state(data: bytes, sha256: str, text: str) -> str:
    """``upgraded`` when an older-version file held the right grams, else ``damaged``."""
    if data[: len(_V2_MAGIC)] == _V2_MAGIC:
        head = len(_V2_MAGIC) + _DIGEST
        payload = data[head:]
        intact = len(data) >= head and data[len(_V2_MAGIC) : head] == _checksum(sha256, payload)
    else:
        payload = data[len(_OLD_MAGIC) :]
        intact = True
    return "upgraded" if intact and payload == _legacy_grams(text) else "damaged"


def grams_state(store: SnapshotStore, sha256: str) -> str:
    """What a snapshot's .grams file is: ``ok``, ``missing``, ``old`` or ``damaged``.

    An ``old`` (version 1 or 2, or written by a Python whose tuple hash differs) file is
    ``ok`` only if it holds what the text gives, which :func:`rebuild_grams` recomputes.
    """
    path = store.cache_path(sha256, "grams")
    if not path.exists():
        return "missing"
    data = read_regular(path, MAX_SNAPSHOT_BYTES)
    if _stored_grams(data, sha256) is not None:
        return "ok"
    if data[: len(_OLD_MAGIC)] in {_OLD_MAGIC, _V2_MAGIC}:
        return "old"
    if data[: len(MAGIC)] == MAGIC and _intact_elsewhere(data, sha256):
        return "other-python"
    return "damaged"


def _intact_elsewhere(data: bytes, sha256: str) -> bool:
    """A current-version file written by a Python with another probe, matching its checksum."""
    probe_end = len(MAGIC) + len(_PROBE)
    head = probe_end + _DIGEST
    probe, payload = data[len(MAGIC) : probe_end], data[head:]
    return (
        len(data) >= head
        and probe != _PROBE
        and data[probe_end:head] == _checksum(sha256, payload, probe)
    )


def rebuild_grams(store: SnapshotStore, sha256: str) -> tuple[str, array[int]]:
    """Verify a snapshot's .grams file, rebuilding it from the text unless it is intact.

    Returns what it was (``ok``, ``missing``, ``upgraded`` for an older-version file that
    held the right grams or one written by a Python with another tuple hash, ``damaged``
    for any other) and the grams. Raises InputError when the text itself is missing or
    damaged.
    """
    state = grams_state(store, sha256)
    path = store.cache_path(sha256, "grams")
    if state == "ok":
        grams = _stored_grams(read_regular(path, MAX_SNAPSHOT_BYTES), sha256)
        assert grams is not None
        return state, grams
    text = store.text(sha256)
    grams = gram_hashes(text)
    if state == "old":
        state = _old_state(read_regular(path, MAX_SNAPSHOT_BYTES), sha256, text)
    elif state == "other-python":
        state = "upgraded"  # its hashes cannot be checked here; rebuilt for this one
    with contextlib.suppress(OSError):  # a read-only library: compute again next time
        write_bytes_atomic(path, grams_bytes(sha256, grams), durable=False)
    return state, grams


def snapshot_grams(store: SnapshotStore, sha256: str) -> array[int]:
    """A snapshot's 5-gram hashes: read from the store, else computed and stored.

    A file that does not match its checksum (zeroed, edited, cut) or of an older version
    is rebuilt from the snapshot's text, so that no copied run is missed.
    """
    path = store.cache_path(sha256, "grams")
    if path.exists():
        grams = _stored_grams(read_regular(path, MAX_SNAPSHOT_BYTES), sha256)
        if grams is not None:
            return grams
    return rebuild_grams(store, sha256)[1]


#: The library's one file of every snapshot's 5-gram hashes (``snapshots/grams.pack``).
PACK_NAME = "grams.pack"
#: The first bytes of a pack; the digit is its format version. Then the byte order of
#: the gram hashes, the interpreter's gram-hash probe, a BLAKE2b digest of everything
#: after it, the number of snapshots, a table of (snapshot hash, gram count) and the
#: gram hashes of each snapshot in the table's order.
PACK_MAGIC = b"PCK1"
_ORDER = {"little": b"L", "big": b"B"}[sys.byteorder] + b"\0\0\0"
_ENTRY = struct.Struct("<32sI")
#: The largest pack read (10,000 snapshots of 20 KB make a 130 MB pack).
MAX_PACK_BYTES = 1 << 32
#: Snapshots without stored grams that are hashed on every core (issue 17: the first check
#: of a library hashes every snapshot, 1.6 s of CPU for 1,000 of 20 KB). Fewer are hashed
#: in this process: a fork and its pool cost a few tens of milliseconds.
PARALLEL_MINIMUM = 64


def pack_bytes(entries: Mapping[str, Sequence[int]]) -> bytes:
    """The content of a grams.pack holding these snapshots' gram hashes (by text hash)."""
    table = b"".join(_ENTRY.pack(bytes.fromhex(sha), len(g)) for sha, g in entries.items())
    payload = b"".join(array("I", g).tobytes() for g in entries.values())
    body = struct.pack("<I", len(entries)) + table + payload
    seal = hashlib.blake2b(body, digest_size=_DIGEST).digest()
    return PACK_MAGIC + _ORDER + _PROBE + seal + body


def read_pack(data: bytes) -> dict[str, memoryview] | None:
    """Each snapshot's gram hashes in a pack's content; None when it is not an intact pack.

    The hashes are views into ``data`` (no copy): sets test them as they are.
    """
    head = len(PACK_MAGIC) + len(_ORDER) + len(_PROBE)
    if data[:head] != PACK_MAGIC + _ORDER + _PROBE:
        return None
    seal, body = data[head : head + _DIGEST], memoryview(data)[head + _DIGEST :]
    if len(seal) != _DIGEST or hashlib.blake2b(body, digest_size=_DIGEST).digest() != seal:
        return None
    (count,) = struct.unpack_from("<I", body)
    table_end = 4 + count * _ENTRY.size
    if table_end > len(body):
        return None
    out: dict[str, memoryview] = {}
    offset = table_end
    for raw, length in _ENTRY.iter_unpack(body[4:table_end]):
        end = offset + 4 * length
        if end > len(body):
            return None
        out[raw.hex()] = body[offset:end].cast("I")
        offset = end
    return out if offset == len(body) else None


class StoredGrams:
    """The 5-gram hashes of a library's snapshots, read from its one ``grams.pack``.

    One file read instead of one per snapshot: 10,000 ``.grams`` files cost more to open
    than to compare. A snapshot the pack lacks gets its grams from its own ``.grams``
    file (``add`` writes one) or its text, and :meth:`save` writes the pack again with
    them. The pack is derived data that carries its own digest, written atomically
    without an fsync: a pack that is damaged, cut short or of another format or Python
    is not used, and rebuilt. A snapshot whose text was edited has another hash, so its
    entry is never asked for.
    """

    def __init__(self, store: SnapshotStore) -> None:
        self.store = store
        self.path = store.root / PACK_NAME
        self._pack: dict[str, memoryview] | None = None
        self._added: dict[str, array[int]] = {}

    @property
    def _packed(self) -> dict[str, memoryview]:
        # Read when first asked: a warm check that remembers which snapshots share text
        # with its brief (see sharing) never reads or digests the pack.
        if self._pack is None:
            self._pack = {}
            with contextlib.suppress(OSError, InputError):
                if self.path.is_file() and not self.path.is_symlink():
                    data = read_regular(self.path, MAX_PACK_BYTES)
                    self._pack = read_pack(data) or {}
        return self._pack

    def grams(self, sha256: str) -> Sequence[int]:
        """A snapshot's 5-gram hashes; InputError when its text is missing or damaged."""
        found = self._packed.get(sha256)
        if found is not None:
            return found
        added = self._added.get(sha256)
        if added is None:
            added = self._added[sha256] = _unpacked_grams(self.store, sha256)
        return added

    def prefetch(self, hashes: Sequence[str]) -> None:
        """Hash the snapshots the pack lacks ahead of :meth:`grams`, on every core when many.

        Each worker computes what :meth:`grams` would (``_unpacked_grams``); a snapshot a
        worker could not read is left to :meth:`grams`, which raises its error here as a
        one-process run would.
        """
        packed, added = self._packed, self._added
        missing = [sha for sha in dict.fromkeys(hashes) if sha not in packed and sha not in added]
        if len(missing) < PARALLEL_MINIMUM:
            return
        # Loaded here: a check that finds every snapshot's grams stored never needs it.
        from policycite.render.parallel import available_cores, fork_is_safe, map_chunks

        jobs = min(available_cores(), len(missing) // (PARALLEL_MINIMUM // 2))
        if jobs < 2 or not fork_is_safe():
            return
        store = self.store

        def work(start: int, stop: int) -> list[array[int] | None]:
            out: list[array[int] | None] = []
            for sha in missing[start:stop]:
                try:
                    out.append(_unpacked_grams(store, sha))
                except Exception:  # raised again by grams(), in order, in the parent
                    out.append(None)
            return out

        for sha, found in zip(missing, map_chunks(work, len(missing), jobs), strict=True):
            if found is not None:
                added[sha] = found

    def save(self, keep: Iterable[str]) -> None:
        """Write the pack again when snapshots were added to it, holding those in ``keep``.

        A read-only library keeps the pack it has (the grams are computed again next time).
        """
        if not self._added:
            return
        wanted = set(keep)
        entries: dict[str, Sequence[int]] = {
            sha: grams for sha, grams in self._packed.items() if sha in wanted
        }
        entries.update((sha, g) for sha, g in self._added.items() if sha in wanted)
        with contextlib.suppress(OSError, InputError):
            inside(self.store.library, self.path)
            write_bytes_atomic(self.path, pack_bytes(dict(sorted(entries.items()))), durable=False)
            self._packed.update((sha, memoryview(g)) for sha, g in self._added.items())
            self._added = {}


def _unpacked_grams(store: SnapshotStore, sha256: str) -> array[int]:
    """A snapshot's grams from its intact .grams file, else from its text (nothing written)."""
    path = store.cache_path(sha256, "grams")
    if path.exists():
        grams = _stored_grams(read_regular(path, MAX_SNAPSHOT_BYTES), sha256)
        if grams is not None:
            return grams
    return gram_hashes(store.text(sha256))


def snapshots_of(
    store: SnapshotStore,
    sources: Iterable[Source],
    text: str | None = None,
    grams: StoredGrams | None = None,
    remember: bool = False,
) -> list[tuple[Source, Snapshot]]:
    """Sources with their intact snapshots, in library order.

    With ``text``, only those whose snapshot shares at least :data:`MIN_SHARED` 5-grams
    with it: the ones that can hold a quotation or a copied run of it (their grams read
    from ``grams``, else from the library's pack). With ``remember``, that answer is kept
    in the user's cache folder (see :mod:`policycite.derived`) and read back by a check of
    the same text against the same snapshots.
    """
    by_sha: dict[str, list[Source]] = {}
    named = [s for s in sources if s.provenance.content_sha256 is not None]
    present = store.present(s.provenance.content_sha256 or "" for s in named)
    for source in named:
        sha = source.provenance.content_sha256
        if sha is not None and sha in present:
            by_sha.setdefault(sha, []).append(source)
    out: list[tuple[Source, Snapshot]] = []
    if text is not None:
        grams = grams if grams is not None else StoredGrams(store)
        if remember:
            shared = _remembered_sharing(store, list(by_sha), text, grams)
        else:
            shared = sharing(store, by_sha, text, grams)
        grams.save(by_sha)
    for sha in by_sha if text is None else shared:
        try:
            snapshot = store.get(sha)
        except InputError:
            continue  # damaged: `policycite verify` reports it
        out.extend((source, snapshot) for source in by_sha[sha])
    return out


def sharing(
    store: SnapshotStore,
    hashes: Iterable[str],
    text: str,
    grams: StoredGrams | None = None,
    unread: list[str] | None = None,
) -> list[str]:
    """The snapshots (by hash) that share at least :data:`MIN_SHARED` 5-grams with ``text``.

    Snapshots whose grams cannot be read (text missing or damaged) are left out, and their
    hashes added to ``unread`` when it is given.
    """
    stored = grams if grams is not None else StoredGrams(store)
    hashes = list(hashes)
    stored.prefetch(hashes)
    mine = set(gram_hashes(text))
    out = []
    for sha in hashes:
        try:
            theirs = stored.grams(sha)
        except InputError:
            if unread is not None:
                unread.append(sha)
            continue  # missing or damaged: `policycite verify` reports it
        if not mine.isdisjoint(theirs) and len(mine.intersection(theirs)) >= MIN_SHARED:
            out.append(sha)
    return out


def _remembered_sharing(
    store: SnapshotStore, hashes: Sequence[str], text: str, grams: StoredGrams
) -> list[str]:
    """:func:`sharing`, kept in the cache folder between runs for the same text and hashes.

    Comparing a brief's 5-grams with those of every snapshot (1,000 of 20 KB) is the
    largest part of a warm check; its answer depends only on the text, the snapshot
    hashes (a hash names one text, hence one set of grams) and the interpreter's gram
    hash (the probe). An answer that met an unreadable snapshot is not kept: that
    snapshot may be repaired under the same hash.
    """
    key = derived.digest(_PROBE, text, "\n".join(hashes))
    scope = str(store.root.resolve())  # one file whatever path the library was named by
    found = derived.load("sharing", scope, key)
    if isinstance(found, list) and all(isinstance(sha, str) for sha in found):
        return found
    unread: list[str] = []
    shared = sharing(store, hashes, text, grams, unread)
    if not unread:
        derived.store("sharing", scope, key, shared)
    return shared


__all__ = [
    "MAGIC",
    "MIN_SHARED",
    "PACK_MAGIC",
    "PACK_NAME",
    "StoredGrams",
    "grams_bytes",
    "grams_state",
    "pack_bytes",
    "read_pack",
    "rebuild_grams",
    "sharing",
    "snapshot_grams",
    "snapshots_of",
]
