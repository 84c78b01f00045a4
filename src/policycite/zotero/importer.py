"""Import Zotero items into a library folder: keys, snapshots, idempotence, hand edits.

Keys: an item's Better BibTeX citation key is kept (documents cite it already); without
one, the key is author + year as ``policycite add`` makes it (``norov2020``, then
``norov2020a``). A Zotero item key or URI is never a key or a file name: the item's URI
is kept in ``provenance.aliases``, and that is how a re-import finds the record again.

Re-importing is idempotent and keeps hand edits, by ``add``'s rule
(:func:`policycite.capture.records.hand_edits`): each field the import filled is
recorded in ``provenance.extracted`` with a short hash of the value written
(``zotero title #1f2e3d4c``). On the next import a field whose value no longer matches
its hash was corrected in the record file: it is kept and marked "edited by hand", as
are fields the user gave or ``add`` marked; every other field takes Zotero's value, so
a correction made in Zotero arrives. Nothing changed, nothing written: the files stay
byte for byte the same.

An item's HTML snapshot (a Zotero "snapshot" attachment) is captured as ``add``
captures a saved page (:func:`policycite.capture.pipeline.capture_input`) and stored
with its provenance, so that quotations can be checked against it. Snapshots are
written before records, both atomically and under the library's lock.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from policycite.anchors.shingles import snapshot_grams
from policycite.capture import records, transliteration
from policycite.capture.pipeline import Input, capture_input, same_url, save_records
from policycite.errors import InputError, ModelError
from policycite.findings import Finding, Location, finding_tuple
from policycite.library import load_library, record_path
from policycite.locking import library_lock
from policycite.model import CaptureMethod, Library, Source
from policycite.snapshots import Snapshot, SnapshotStore
from policycite.zotero.items import Attachment, ZoteroItem, citation_key_of, source_from_item

__all__ = ["ImportResult", "Imported", "Incoming", "import_items", "import_sources", "incoming"]

#: What the snapshot sidecar says of a snapshot Zotero took (``method``).
SNAPSHOT_METHOD = "zotero-snapshot"
_HASH = re.compile(r" #([0-9a-f]{8})$")
_KEPT_MARKS = frozenset({records.USER_GIVEN, records.HAND_EDITED})
_ZOTERO_URI = "http://zotero.org/"


@attrs.frozen
class Incoming:
    """A source ready for import: from a Zotero item, an API answer or an export.

    ``source`` carries a provisional key; ``citation_key`` is a Better BibTeX key to keep;
    ``snapshot`` the item's saved page; ``where`` names the item in messages.
    """

    source: Source
    citation_key: str | None = None
    snapshot: Attachment | None = None
    where: str = "<zotero>"
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


@attrs.frozen
class Imported:
    """One item's outcome: ``new``, ``updated`` or ``unchanged``, and what was kept."""

    status: str
    source: Source
    path: Path
    where: str
    snapshot: Snapshot | None = None
    kept: tuple[str, ...] = ()  # fields whose hand edits were kept
    conflicts: tuple[str, ...] = ()  # …of which Zotero changed too


@attrs.frozen
class ImportResult:
    """What an import did (or would do, on a dry run)."""

    imported: tuple[Imported, ...]
    findings: tuple[Finding, ...]
    dry_run: bool
    library: Library

    def to_text(self) -> str:
        """One line per item (its key, kind and record file), and what was kept."""
        verbs = _VERBS[self.dry_run]
        lines = []
        for item in self.imported:
            where = f" -> {item.path}" if item.status != "unchanged" else ""
            source = item.source
            lines.append(f"{verbs[item.status]} @{source.key} ({source.kind}){where}")
            if item.snapshot is not None:
                state = "stored" if item.status != "unchanged" and not self.dry_run else ""
                paragraphs = sum(1 for p in item.snapshot.paragraphs if p.number is not None)
                lines.append(
                    f"  snapshot {item.snapshot.sha256[:12]}, {paragraphs} paragraphs"
                    + (f" ({state})" if state else "")
                )
            for name in item.kept:
                note = " (changed in Zotero too)" if name in item.conflicts else ""
                lines.append(f"  kept hand edit of {name}{note}")
        counts = {s: sum(1 for i in self.imported if i.status == s) for s in verbs}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no items"
        lines.append(f"{summary} (dry run: nothing written)" if self.dry_run else summary)
        return "\n".join(lines) + "\n"


_VERBS = {
    False: {"new": "added", "updated": "updated", "unchanged": "unchanged"},
    True: {"new": "would add", "updated": "would update", "unchanged": "unchanged"},
}


def incoming(item: ZoteroItem) -> tuple[Incoming | None, list[Finding]]:
    """Map a Zotero item; None (and a PC320 finding) when it cannot be a record."""
    key = item.citation_key or citation_key_of(item.data)
    result = source_from_item(item.data, uri=item.uri, where=item.where)
    found = [*item.problems, *result.findings]
    if result.source is None:
        return None, found
    return Incoming(result.source, key, item.snapshot, item.where), found


def import_items(
    items: Iterable[ZoteroItem],
    library_folder: Path | str,
    *,
    dry_run: bool = False,
    transliterate: str = "auto",
) -> ImportResult:
    """Import Zotero items into a library folder (see :func:`import_sources`)."""
    ready: list[Incoming] = []
    findings: list[Finding] = []
    for item in items:
        made, found = incoming(item)
        findings.extend(found)
        if made is not None:
            ready.append(made)
    result = import_sources(ready, library_folder, dry_run=dry_run, transliterate=transliterate)
    return attrs.evolve(result, findings=(*findings, *result.findings))


def import_sources(
    sources: Sequence[Incoming],
    library_folder: Path | str,
    *,
    dry_run: bool = False,
    transliterate: str = "auto",
) -> ImportResult:
    """Import sources into a library folder: new records, updates, snapshots.

    A source whose alias (Zotero item URI) a record already has updates that record
    (hand edits kept); others become new records. On a dry run nothing is written. The
    folder is read again under its lock, so records other writers added are seen.
    ``transliterate`` romanises titles and names in Cyrillic or Chinese beside the
    originals, as ``add`` does (see :mod:`policycite.capture.transliteration`).
    """
    if transliterate not in transliteration.CHOICES:
        raise InputError(
            f"unknown transliteration {transliterate!r}; use one of "
            f"{', '.join(transliteration.CHOICES)}",
            place="--transliterate",
        )
    folder = Path(library_folder)
    # Snapshots are extracted before the lock is taken: that is the slow part.
    captured = [_capture(item) for item in sources]
    plan = functools.partial(_plan, sources, captured, folder, transliterate=transliterate)
    if dry_run:
        return plan(load_library(folder).library if folder.is_dir() else Library(()))
    with library_lock(folder):
        return plan(load_library(folder).library, write=True)


def _capture(item: Incoming) -> tuple[Snapshot | None, bytes | None, list[Finding]]:
    """The item's snapshot as ``add`` captures a saved page (the first document)."""
    attachment = item.snapshot
    if attachment is None:
        return None, None, []
    page = Input(
        data=attachment.data,
        name=attachment.name,
        media_type=attachment.media_type,
        method=CaptureMethod.ZOTERO_IMPORT,
        url=attachment.url,
        fetched_at=attachment.captured_at,
        accessed=attachment.accessed,
    )
    try:
        result = capture_input(page)
    except InputError as err:
        return None, None, [_no_snapshot(item, attachment, str(err))]
    found = list(result.findings)
    for snapshot in result.snapshots:
        if snapshot.text.strip():
            return attrs.evolve(snapshot, method=SNAPSHOT_METHOD), attachment.data, found
    return None, None, [*found, _no_snapshot(item, attachment, "no text was extracted")]


def _no_snapshot(item: Incoming, attachment: Attachment, why: str) -> Finding:
    return Finding(
        "PC324",
        f"{item.where}: snapshot {attachment.name} not read: {why}",
        location=Location(item.where, key=item.source.key),
        hint="take a new snapshot of the page in Zotero, or capture it with `policycite add`",
    )


def _plan(
    sources: Sequence[Incoming],
    captured: Sequence[tuple[Snapshot | None, bytes | None, list[Finding]]],
    folder: Path,
    library: Library,
    *,
    write: bool = False,
    transliterate: str = "auto",
) -> ImportResult:
    by_alias = {alias: s for s in library for alias in s.provenance.aliases}
    # Records add captured that no Zotero item has claimed yet (see _captured).
    pages = [
        s
        for s in library
        if _captured_by_add(s) and not any(a.startswith(_ZOTERO_URI) for a in s.provenance.aliases)
    ]
    matched: set[str] = set()  # records an item of this import went to
    taken = set(library.keys)
    result: dict[str, Source] = dict(zip(library.keys, library, strict=True))
    findings: list[Finding] = []
    done: list[Imported] = []
    originals: dict[str, bytes] = {}
    for item, (taken_snapshot, original, found) in zip(sources, captured, strict=True):
        snapshot = taken_snapshot
        findings.extend([*item.findings, *found])
        fresh, romanised = transliteration.transliterate(
            item.source, transliterate, where=item.where
        )
        findings.extend(romanised)
        if snapshot is not None:
            fresh = _with_snapshot(fresh, snapshot)
        old = next((by_alias[a] for a in fresh.provenance.aliases if a in by_alias), None)
        if old is None and item.citation_key is not None and not fresh.provenance.aliases:
            # A .bib export carries no item URI: its Better BibTeX key names the record
            # an earlier import of Zotero's made.
            same = library.get(item.citation_key)
            if same is not None and same.provenance.method is CaptureMethod.ZOTERO_IMPORT:
                old = same
        if old is None:
            old = _captured(pages, fresh, matched)
        if old is not None and _captured_by_add(old):
            snapshot = None  # the page the user captured stays the record's snapshot
        if old is not None:
            matched.add(old.key)
            if snapshot is not None and old.provenance.content_sha256 not in {
                None,
                snapshot.sha256,
            }:
                snapshot = attrs.evolve(snapshot, replaces=old.provenance.content_sha256)
            merged, kept, conflicts = _merge(old, _stamp(fresh))
            status = "unchanged" if merged == old else "updated"
            source = merged
        else:
            key, keyed = _key(item, fresh, taken)
            findings.extend(keyed)
            source, kept, conflicts, status = _stamp(attrs.evolve(fresh, key=key)), [], [], "new"
        taken.add(source.key)
        for alias in source.provenance.aliases:
            by_alias[alias] = source
        path = record_path(folder, source.key)  # a key too long stops here, before writing
        if snapshot is not None and original is not None and status != "unchanged":
            originals[snapshot.sha256] = original
        done.append(
            Imported(status, source, path, item.where, snapshot, tuple(kept), tuple(conflicts))
        )
        result[source.key] = source  # (a library rebuilt per item would cost n²)
    if write:
        _write(folder, done, originals)
    return ImportResult(tuple(done), tuple(findings), not write, Library(result.values()))


def _captured_by_add(source: Source) -> bool:
    return source.provenance.method not in {CaptureMethod.MANUAL, CaptureMethod.ZOTERO_IMPORT}


def _captured(pages: Sequence[Source], fresh: Source, matched: set[str]) -> Source | None:
    """A record ``add`` captured of the item's page (same URL and kind, no Zotero URI).

    Importing it adds the item's URI to that record instead of making a second one.
    """
    if fresh.url is None:
        return None
    for old in pages:
        if old.key not in matched and old.kind == fresh.kind and same_url(old.url, fresh.url):
            return old
    return None


def _with_snapshot(source: Source, snapshot: Snapshot) -> Source:
    provenance = source.provenance
    return attrs.evolve(
        source,
        provenance=attrs.evolve(
            provenance,
            url=provenance.url or snapshot.url,
            content_sha256=snapshot.sha256,
            captured_at=snapshot.captured_at,
        ),
    )


def _write(folder: Path, done: Sequence[Imported], originals: Mapping[str, bytes]) -> None:
    """Snapshots first, then records, so a record never names a snapshot not there."""
    store = SnapshotStore(folder)
    for item in done:
        if item.snapshot is None or item.snapshot.sha256 not in originals:
            continue
        store.put_original(originals[item.snapshot.sha256], item.snapshot.media_type)
        store.put(item.snapshot)
        snapshot_grams(store, item.snapshot.sha256)  # ready for `policycite check`
    save_records(
        folder,
        [item.source for item in done if item.status != "unchanged"],
        {item.source.key for item in done if item.status == "new"},
        while_="importing",
        again="import again",
    )


# ---------------------------------------------------------------------------------------
# Keys


def _key(item: Incoming, source: Source, taken: set[str]) -> tuple[str, list[Finding]]:
    """The key of a new record: its Better BibTeX key if usable and free, else author-year."""
    year = source.issued.year if source.issued is not None else None
    default = records.new_key(records.key_stem(source.authors, source.title), year, taken)
    wanted = item.citation_key
    if wanted is None:
        return default, []
    place = Location(item.where, key=wanted, field="id")
    try:
        attrs.evolve(source, key=wanted)
    except ModelError as err:
        return default, [
            Finding(
                "PC323",
                f"{item.where}: Better BibTeX key {wanted!r} cannot be a citation key "
                f"({err.message}); the record is {default!r}",
                location=place,
                hint="change the item's citation key in Better BibTeX (letters, digits, "
                "_ and inner :.#$%&-+?<>~/) and import again",
            )
        ]
    if wanted not in taken:
        return wanted, []
    free = records.suffixed(wanted, taken)
    return free, [
        Finding(
            "PC323",
            f"{item.where}: Better BibTeX key {wanted!r} already names another record; "
            f"this one is {free!r}",
            location=place,
            hint="give one of the two another key (in Better BibTeX, or rename the record "
            "file and its id)",
        )
    ]


# ---------------------------------------------------------------------------------------
# Hand edits


def _digest(value: object) -> str:
    """A short hash of a field value, to tell later whether the record's copy was edited."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:8]


def _stamp(source: Source) -> Source:
    """Record the hash of every field the import filled in ``provenance.extracted``."""
    extracted = dict(source.provenance.extracted)
    for name, value in records.field_values(source).items():
        how = extracted.get(name)
        if how in _KEPT_MARKS:
            continue
        if value is None:
            extracted.pop(name, None)
            continue
        base = _HASH.sub("", how) if how else "zotero"
        extracted[name] = f"{base} #{_digest(value)}"
    return attrs.evolve(source, provenance=attrs.evolve(source.provenance, extracted=extracted))


#: Which Source attributes hold each field provenance names (see records.field_values).
_ATTRIBUTES: Mapping[str, tuple[str, ...]] = {
    "kind": ("kind", "csl_type"),
    "title": ("title",),
    "author": ("authors",),
    "issued": ("issued",),
    "site": ("container_title", "publisher"),
    "language": ("language",),
    "event-title": ("event_title",),
    "event-place": ("event_place",),
    "event-date": ("event_date",),
    "number": ("number",),
    "genre": ("genre",),
    "transcript": ("transcript",),
    "publisher-place": ("publisher_place",),
    "changes": ("changes",),
    "container-type": ("container_type",),
}


def _merge(old: Source, fresh: Source) -> tuple[Source, list[str], list[str]]:
    """The record after re-import: Zotero's values, but for the fields edited by hand.

    Returns (record, fields kept, fields kept that Zotero changed too).
    """
    before, now = records.field_values(old), records.field_values(fresh)
    extracted = dict(fresh.provenance.extracted)
    changes: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    kept, conflicts = [], []
    for name in before:
        how = old.provenance.extracted.get(name)
        stamp = _HASH.search(how) if how else None
        if how in _KEPT_MARKS:
            keep = True
        elif stamp is not None:
            keep = _digest(before[name]) != stamp.group(1)
            if keep:
                how = records.HAND_EDITED
                conflicts += [name] if _digest(now[name]) != stamp.group(1) else []
        else:  # not from an import: filled by add or by hand, kept unless it is empty
            keep = before[name] is not None and before[name] != now[name]
        if not keep:
            continue
        if before[name] != now[name]:
            kept.append(name)
        if how is not None:
            extracted[name] = how
        else:
            extracted.pop(name, None)
        if name == "url":
            provenance["url"] = old.provenance.url
        for attribute in _ATTRIBUTES.get(name, ()):
            changes[attribute] = getattr(old, attribute)
    provenance.update(
        aliases=(*old.provenance.aliases, *fresh.provenance.aliases),
        extracted=extracted,
        derived_from=old.provenance.derived_from,
        archive_url=old.provenance.archive_url,
        archive_date=old.provenance.archive_date,
        transliteration=old.provenance.transliteration or fresh.provenance.transliteration,
    )
    if fresh.provenance.content_sha256 is None or _captured_by_add(old):
        provenance["content_sha256"] = old.provenance.content_sha256
        provenance["captured_at"] = old.provenance.captured_at
    if _captured_by_add(old):  # captured with add, then found in Zotero: add's page stays
        provenance.update(method=old.provenance.method, accessed=old.provenance.accessed)
    try:
        merged = attrs.evolve(
            fresh,
            key=old.key,
            anchors=old.anchors,
            title_transliterated=old.title_transliterated or fresh.title_transliterated,
            extra={**old.extra, **fresh.extra},
            custom={**old.custom, **fresh.custom},
            unknown={**old.unknown, **fresh.unknown},
            provenance=attrs.evolve(fresh.provenance, **provenance),
            **changes,
        )
    except ModelError:  # the kept fields do not fit Zotero's new kind: keep the record
        return old, [], []
    return merged, kept, conflicts
