"""The snapshot store: captured texts and the bytes they came from, addressed by SHA-256.

A library folder keeps what was read when a source was captured, so that quotations can
be checked and link rot or silent edits detected later::

    references/snapshots/ab/ab12….txt    the normalised text of one document (UTF-8)
    references/snapshots/ab/ab12….json   its sidecar: paragraph offsets and numbers,
                                          where and when it was captured, the original
    references/snapshots/cd/cd34….html   the original bytes (page or text file) as received

The text is addressed by the SHA-256 of its UTF-8 bytes (the record's
``provenance.content-sha256``), the original by the SHA-256 of its bytes. Everything is
immutable: storing the same content twice is a no-op, and changed content gets a new
address, so older versions are never overwritten. The sidecar of a newer capture names
the snapshot it ``replaces``. Every write is atomic and every path stays inside the
library folder.

One exception, which leaves the text and its hash alone: paragraph *numbers* follow a
rule that may improve (``numbering`` in the sidecar, see
:mod:`policycite.capture.preamble`). :meth:`SnapshotStore.renumber` brings an older
sidecar's numbers to the current rule and records the rule and paragraph count it had
(``renumbered``), so the change can be reported and the old numbers told apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from policycite.capture.document import Paragraph
from policycite.capture.numbering import NUMBERING
from policycite.errors import InputError
from policycite.findings import Finding, Location
from policycite.formats import read_text
from policycite.paths import inside, read_regular, write_atomic, write_bytes_atomic
from policycite.safeparse import parse_json

_SHA_RE = re.compile(r"[0-9a-f]{64}")
#: The largest snapshot text (or derived file) read back; capture stores far less.
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
#: Endings the original bytes are stored under, by media type (others: ``.bin``).
_ORIGINAL_SUFFIX = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "text/plain": ".txt.orig",
}
#: Endings of the text, its sidecar and data derived from it (not originals).
_DERIVED_SUFFIXES = frozenset({".txt", ".json", ".grams"})
_SIDECAR_KEYS = frozenset(
    {
        "sha256",
        "paragraphs",
        "original",
        "media-type",
        "url",
        "final-url",
        "status",
        "redirects",
        "captured-at",
        "method",
        "replaces",
        "document",
        "numbering",
        "renumbered",
        "checksum",
    }
)


def sha256_text(text: str) -> str:
    """The address of a text snapshot: SHA-256 of its UTF-8 bytes, lower-case hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _paragraph_tuple(items: Iterable[Paragraph]) -> tuple[Paragraph, ...]:
    return tuple(items)


def _hop_tuple(items: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple((str(u), int(s)) for u, s in items)


@attrs.frozen
class Snapshot:
    """One stored document text with its paragraph map and capture record.

    ``document`` is the 1-based position of this document in its page when the page held
    several (a news item and a speech transcript share one original).
    """

    sha256: str
    text: str = attrs.field(repr=False)
    paragraphs: tuple[Paragraph, ...] = attrs.field(converter=_paragraph_tuple, repr=False)
    original_sha256: str | None = None
    media_type: str | None = None
    url: str | None = None
    final_url: str | None = None
    status: int | None = None
    redirects: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_hop_tuple)
    captured_at: str | None = None
    method: str | None = None
    replaces: str | None = None
    document: int = 1
    numbering: int = NUMBERING  # the numbering rule its paragraph numbers follow
    renumbered: tuple[int, int] | None = None  # (rule, paragraph count) before renumbering

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The block that holds a character offset of :attr:`text` (None between blocks)."""
        for para in self.paragraphs:
            if para.start <= offset < para.end:
                return para
        return None

    def sidecar(self) -> dict[str, Any]:
        """The JSON-ready sidecar (everything but the text itself)."""
        out: dict[str, Any] = {
            "sha256": self.sha256,
            "document": self.document,
            "paragraphs": [[p.start, p.end, p.number, p.section] for p in self.paragraphs],
            "numbering": self.numbering,
        }
        if self.renumbered is not None:
            rule, count = self.renumbered
            out["renumbered"] = {"numbering": rule, "paragraphs": count}
        optional = {
            "original": self.original_sha256,
            "media-type": self.media_type,
            "url": self.url,
            "final-url": self.final_url,
            "status": self.status,
            "redirects": [list(h) for h in self.redirects] or None,
            "captured-at": self.captured_at,
            "method": self.method,
            "replaces": self.replaces,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        out["checksum"] = sidecar_checksum(out)
        return out


class SidecarError(InputError):
    """A sidecar that does not match its checksum or no longer fits its text."""


def sidecar_checksum(data: Mapping[str, Any]) -> str:
    """SHA-256 of a sidecar's fields but ``checksum``, as canonical JSON (sorted keys).

    A sidecar carries it so that an edited URL, paragraph number or offset is told from
    the one captured: the text's own hash says nothing of its sidecar.
    """
    fields = {k: v for k, v in data.items() if k != "checksum"}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _from_sidecar(data: Mapping[str, Any], text: str, where: str) -> Snapshot:
    if not isinstance(data, dict) or set(data) - _SIDECAR_KEYS:
        raise InputError("not a snapshot sidecar", source=where)
    try:
        paragraphs = [
            Paragraph(int(s), int(e), None if n is None else int(n), sec)
            for s, e, n, sec in data.get("paragraphs", [])
        ]
        return Snapshot(
            sha256=str(data["sha256"]),
            text=text,
            paragraphs=paragraphs,
            original_sha256=data.get("original"),
            media_type=data.get("media-type"),
            url=data.get("url"),
            final_url=data.get("final-url"),
            status=data.get("status"),
            redirects=data.get("redirects", ()),
            captured_at=data.get("captured-at"),
            method=data.get("method"),
            replaces=data.get("replaces"),
            document=int(data.get("document", 1)),
            # Sidecars written before the rule had a number follow rule 1.
            numbering=int(data.get("numbering", 1)),
            renumbered=_renumbered(data.get("renumbered")),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise InputError(f"damaged snapshot sidecar ({err})", source=where) from None


def _renumbered(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    return int(value["numbering"]), int(value["paragraphs"])


def renumbered_finding(counts: tuple[int, int], location: Location) -> Finding:
    """The PC308 finding for a snapshot renumbered by :meth:`SnapshotStore.renumber`."""
    before, after = counts
    return Finding(
        "PC308",
        f"paragraphs renumbered ({before} → {after} paragraphs): datelines, labels and "
        "delivery notes above the body, and link lines such as 'Download (PDF)', are no "
        "longer counted",
        location=location,
        hint="check the 'para.' locators of quotations from this source",
    )


def numbered(snapshot: Snapshot) -> int:
    """How many paragraphs of a snapshot a reader counts."""
    return sum(1 for p in snapshot.paragraphs if p.number is not None)


def renumbered(snapshot: Snapshot) -> Snapshot:
    """The snapshot with paragraph numbers by the current rule (text and offsets kept).

    A heading is told by its section being its own text, as capture writes it.
    """
    # Imported here: reading a snapshot that is up to date needs no numbering (issue 17).
    from policycite.capture.preamble import numbers

    blocks = [
        (
            snapshot.text[p.start : p.end],
            p.number is None and p.section == snapshot.text[p.start : p.end],
        )
        for p in snapshot.paragraphs
    ]
    paragraphs = [
        attrs.evolve(p, number=n) for p, n in zip(snapshot.paragraphs, numbers(blocks), strict=True)
    ]
    return attrs.evolve(snapshot, paragraphs=paragraphs, numbering=NUMBERING)


class SnapshotStore:
    """Snapshots under ``<library>/snapshots``, addressed by SHA-256."""

    def __init__(self, library_folder: Path | str) -> None:
        self.library = Path(library_folder)
        self.root = self.library / "snapshots"
        self._folders: dict[str, Path] = {}  # "ab" -> snapshots/ab, checked to stay inside

    def _path(self, sha256: str, suffix: str) -> Path:
        if not _SHA_RE.fullmatch(sha256):
            raise InputError(f"not a SHA-256 hash: {sha256!r}", source=str(self.root))
        # Resolving every path (each component's link read, the library's too) took 11 %
        # of a check: the 256 folders are resolved once each, and a file only when it is
        # a link. A hex name cannot leave its folder; only links can.
        folder = self._folders.get(sha256[:2])
        if folder is None:
            folder = inside(self.library, self.root / sha256[:2])
            self._folders[sha256[:2]] = folder
        path = folder / f"{sha256}{suffix}"
        return inside(self.library, path) if path.is_symlink() else path

    def text_path(self, sha256: str) -> Path:
        """Where the text snapshot with this hash is (or would be) stored."""
        return self._path(sha256, ".txt")

    def sidecar_path(self, sha256: str) -> Path:
        """Where the sidecar of the text snapshot with this hash is stored."""
        return self._path(sha256, ".json")

    def cache_path(self, sha256: str, name: str) -> Path:
        """Where data derived from a text snapshot is kept (``<sha>.<name>``)."""
        return self._path(sha256, f".{name}")

    def original_path(self, sha256: str) -> Path | None:
        """The stored original with this hash, whatever its ending; None if absent."""
        folder = self._path(sha256, "").parent
        if not folder.is_dir():
            return None
        for path in folder.glob(f"{sha256}.*"):
            if path.suffix not in _DERIVED_SUFFIXES:
                return path
        return None

    # -- writing --------------------------------------------------------------------

    def put_original(self, data: bytes, media_type: str | None) -> str:
        """Store original bytes (idempotent); returns their SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        if self.original_path(sha) is None:
            suffix = _ORIGINAL_SUFFIX.get(media_type or "", ".bin")
            write_bytes_atomic(self._path(sha, suffix), data)
        return sha

    def put(self, snapshot: Snapshot) -> bool:
        """Store a text snapshot and its sidecar; False when it was already there.

        The first capture of a text wins: a later capture of the same text (same hash)
        leaves the stored sidecar alone, so re-adding is idempotent.
        """
        if snapshot.sha256 != sha256_text(snapshot.text):
            raise ValueError("snapshot hash does not match its text")
        text_path = self.text_path(snapshot.sha256)
        if text_path.exists() and self.sidecar_path(snapshot.sha256).exists():
            return False
        write_atomic(text_path, snapshot.text)
        write_atomic(
            self.sidecar_path(snapshot.sha256),
            json.dumps(snapshot.sidecar(), ensure_ascii=False, indent=1) + "\n",
        )
        return True

    # -- reading --------------------------------------------------------------------

    def __contains__(self, sha256: object) -> bool:
        return (
            isinstance(sha256, str)
            and _SHA_RE.fullmatch(sha256) is not None
            and self.text_path(sha256).exists()
        )

    def present(self, hashes: Iterable[str]) -> set[str]:
        """The hashes among ``hashes`` whose text snapshot is stored (as ``in`` tells).

        Each folder is listed once instead of a stat (and a link check) per snapshot:
        10,000 of them cost a check a noticeable part of its time. An entry that is a
        symbolic link is checked as ``in`` checks it (it must stay inside the library).
        """
        wanted: dict[str, list[str]] = {}
        for sha in hashes:
            if _SHA_RE.fullmatch(sha):
                wanted.setdefault(sha[:2], []).append(sha)
        out: set[str] = set()
        if not wanted:
            return out
        try:
            with os.scandir(self.root) as listing:
                linked = {e.name: e.is_symlink() for e in listing}
        except OSError:
            return out
        # The root is checked once, as _path would check it for every snapshot; a folder
        # of it is checked again only if it is a link (a plain folder cannot leave it).
        inside(self.library, self.root)
        for prefix, shas in wanted.items():
            try:
                if prefix not in linked:
                    continue
                folder = self._path(shas[0], "").parent if linked[prefix] else self.root / prefix
                with os.scandir(folder) as listing:
                    entries = {e.name: e.is_symlink() for e in listing}
            except OSError:
                continue
            for sha in shas:
                link = entries.get(f"{sha}.txt")
                if link is None:
                    continue
                if not link or sha in self:
                    out.add(sha)
        return out

    def text(self, sha256: str) -> str:
        """The stored text, verified against its hash (InputError if missing or changed)."""
        path = self.text_path(sha256)
        if not path.exists():
            raise InputError("snapshot not found", source=str(path))
        # The bytes are hashed as stored: decoding first would let an added BOM or a
        # non-UTF-8 byte pass unnoticed or fail with another message.
        # A regular file of bounded size only: a snapshot linked to /dev/zero or a FIFO
        # would otherwise be read for ever.
        data = read_regular(path, MAX_SNAPSHOT_BYTES)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise InputError(
                "snapshot does not match its SHA-256 (edited or damaged)", source=str(path)
            )
        return data.decode("utf-8")  # the hash of UTF-8 text matched: it decodes

    def get(self, sha256: str) -> Snapshot:
        """The verified text with its sidecar (a bare text gets one paragraph per block)."""
        text = self.text(sha256)
        side = self.sidecar_path(sha256)
        if not side.exists():
            return Snapshot(sha256, text, _blocks_of(text))
        data = parse_json(read_text(side), str(side))  # depth-limited: a 100,000-deep file
        snapshot = _from_sidecar(data, text, str(side))
        _check_sidecar(snapshot, sha256, str(side), checked="checksum" in data)
        if "checksum" in data and data["checksum"] != sidecar_checksum(data):
            raise SidecarError(
                "sidecar does not match its checksum (edited or damaged)", source=str(side)
            )
        return snapshot

    def upgrade_sidecar(self, sha256: str) -> bool:
        """Give a sidecar written before checksums its checksum; True when it was written.

        :meth:`get` has verified such a sidecar against its text first (paragraphs tile
        the text, numbers follow their rule); a sidecar that fails raises, unchanged.
        """
        side = self.sidecar_path(sha256)
        if not side.exists():
            return False
        data = parse_json(read_text(side), str(side))
        if isinstance(data, dict) and "checksum" in data:
            return False
        snapshot = self.get(sha256)
        write_atomic(side, json.dumps(snapshot.sidecar(), ensure_ascii=False, indent=1) + "\n")
        return True

    def renumber(self, sha256: str) -> tuple[int, int] | None:
        """Bring a stored sidecar's paragraph numbers to the current rule.

        Returns (paragraphs before, paragraphs after) when numbers changed, and writes the
        sidecar (the text and its hash are untouched; ``renumbered`` keeps the old rule
        and count); None when they did not, and nothing is written then, so that a
        library under version control stays clean.
        """
        if not self.sidecar_path(sha256).exists():
            return None
        snapshot = self.get(sha256)
        if snapshot.numbering >= NUMBERING:
            return None
        updated = renumbered(snapshot)
        if [p.number for p in updated.paragraphs] == [p.number for p in snapshot.paragraphs]:
            return None
        before, after = numbered(snapshot), numbered(updated)
        updated = attrs.evolve(updated, renumbered=(snapshot.numbering, before))
        write_atomic(
            self.sidecar_path(sha256),
            json.dumps(updated.sidecar(), ensure_ascii=False, indent=1) + "\n",
        )
        return before, after

    def hashes(self) -> Iterator[str]:
        """Every text snapshot's hash, in file-name order."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*.txt")):
            if _SHA_RE.fullmatch(path.stem):
                yield path.stem


def _check_sidecar(snapshot: Snapshot, sha256: str, where: str, *, checked: bool) -> None:
    """A sidecar must describe its own text: same hash, paragraphs in order and in range.

    One without a checksum (written before sidecars had one) is checked against what can
    be rebuilt from the text: capture joins a document's blocks with a blank line, so its
    paragraphs tile the text exactly, and their numbers follow the rule it names.
    """
    if snapshot.sha256 != sha256:
        raise SidecarError(
            f"sidecar names another snapshot ({snapshot.sha256[:12]}…)", source=where
        )
    end = 0
    for para in snapshot.paragraphs:
        if not end <= para.start < para.end <= len(snapshot.text):
            raise SidecarError(
                f"sidecar paragraph offsets {para.start}..{para.end} do not fit the text",
                source=where,
            )
        end = para.end
    if checked:
        return
    text = snapshot.text
    starts = [0] + [p.end + 2 for p in snapshot.paragraphs[:-1]]
    if snapshot.paragraphs and (
        [p.start for p in snapshot.paragraphs] != starts
        or snapshot.paragraphs[-1].end != len(text)
        or any(text[p.end : p.end + 2] != "\n\n" for p in snapshot.paragraphs[:-1])
    ):
        raise SidecarError("sidecar paragraph offsets do not match the text's blocks", source=where)
    if snapshot.numbering == NUMBERING:
        expected = [p.number for p in renumbered(snapshot).paragraphs]
        if [p.number for p in snapshot.paragraphs] != expected:
            raise SidecarError(
                "sidecar paragraph numbers do not follow its numbering rule", source=where
            )


def _blocks_of(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs of a text without a sidecar: blocks separated by blank lines."""
    out = []
    offset = 0
    for number, block in enumerate(text.split("\n\n"), start=1):
        out.append(Paragraph(offset, offset + len(block), number, None))
        offset += len(block) + 2
    return tuple(out)


__all__ = [
    "SidecarError",
    "Snapshot",
    "SnapshotStore",
    "numbered",
    "renumbered",
    "renumbered_finding",
    "sha256_text",
    "sidecar_checksum",
]
