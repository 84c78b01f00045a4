"""What interrupted runs leave in a library: temporary files and snapshots no record names.

An atomic write goes through a temporary file (``.NAME.xxxxxxxx.tmp``) that a killed run
leaves behind; ``add`` stores snapshots before the record that names them, so an ``add``
killed in between leaves a snapshot (text, sidecar, word grams, original page) that no
record names. Neither harms the library, but both take room and hide real damage.

A snapshot is kept when a record names it (its ``content-sha256`` or an anchor's
``snapshot``), or when a kept snapshot's sidecar ``replaces`` it (a library keeps older
versions of a page); a snapshot whose sidecar cannot be read is kept too, as nothing
can be said of it. An original page is a left-over only when a left-over snapshot names
it and no kept one does. :func:`leftover_findings` reports (PC309),
:func:`remove_leftovers` deletes, under the library's lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import attrs

from policycite.findings import Finding, Location
from policycite.library import load_library
from policycite.locking import library_lock
from policycite.model import Source
from policycite.snapshots import SnapshotStore


@attrs.frozen
class Leftover:
    """Files one interrupted run left: a temporary file, or a snapshot's files."""

    what: str  # "temporary file", "snapshot …", "original page …"
    paths: tuple[Path, ...]


def _sidecar(store: SnapshotStore, sha: str) -> dict[str, object] | None:
    try:
        data = json.loads(store.sidecar_path(sha).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def find_leftovers(folder: Path | str, sources: Iterable[Source]) -> list[Leftover]:
    """Temporary files, and snapshots (with their originals) that no record reaches."""
    folder = Path(folder)
    store = SnapshotStore(folder)
    found = [
        Leftover("temporary file", (path,))
        for pattern in (".*.tmp", "snapshots/.*.tmp", "snapshots/??/.*.tmp")
        for path in sorted(folder.glob(pattern))
        if path.is_file()
    ]
    named: set[str] = set()
    for source in sources:
        named.add(source.provenance.content_sha256 or "")
        named.update(a.snapshot_sha256 or "" for a in source.anchors)
    hashes = list(store.hashes())
    if all(sha in named for sha in hashes):
        return found  # the common case: no sidecar need be read
    sidecars = {sha: _sidecar(store, sha) for sha in hashes}
    kept = {sha for sha, data in sidecars.items() if sha in named or data is None}
    todo = list(kept)
    while todo:  # older versions a kept snapshot replaces are kept too
        replaced = (sidecars.get(todo.pop()) or {}).get("replaces")
        if isinstance(replaced, str) and replaced in sidecars and replaced not in kept:
            kept.add(replaced)
            todo.append(replaced)
    originals_kept = {(sidecars[sha] or {}).get("original") for sha in kept}
    originals: set[str] = set()
    for sha in sorted(set(sidecars) - kept):
        paths = tuple(
            path
            for path in sorted(store.text_path(sha).parent.glob(f"{sha}.*"))
            if path.suffix in {".txt", ".json", ".grams"} or sha not in originals_kept
        )
        found.append(Leftover(f"snapshot {sha[:12]}… is named by no record", paths))
        original = (sidecars[sha] or {}).get("original")
        if isinstance(original, str) and original not in originals_kept:
            originals.add(original)
    for sha in sorted(originals):
        path = store.original_path(sha)
        if path is not None:
            found.append(Leftover(f"original page {sha[:12]}… is named by no record", (path,)))
    return found


def leftover_findings(folder: Path | str, sources: Iterable[Source]) -> list[Finding]:
    """A PC309 finding for each left-over of :func:`find_leftovers`."""
    return [
        Finding(
            "PC309",
            f"{item.what}: left by an interrupted run",
            location=Location(str(item.paths[0])),
            hint="`policycite verify --fix` removes it",
        )
        for item in find_leftovers(folder, sources)
    ]


def remove_leftovers(folder: Path | str) -> list[Path]:
    """Delete every left-over file (holding the library's lock); returns what was removed.

    The lock keeps a running writer's temporary files and its not yet named snapshots
    safe: they are only looked for while no other writer holds it.
    """
    folder = Path(folder)
    removed = []
    with library_lock(folder):
        sources = load_library(folder).library
        for item in find_leftovers(folder, sources):
            for path in item.paths:
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


__all__ = ["Leftover", "find_leftovers", "leftover_findings", "remove_leftovers"]
