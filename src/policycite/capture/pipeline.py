"""The capture job: read a saved page, a text copy or a URL; extract; repair; store; record.

:func:`capture` reads one input and returns what it holds (documents with their
snapshots) without touching a library; :func:`add` also matches each document against
a library, builds the records and, unless ``dry_run``, writes snapshots first and records
second, so that a record never names a snapshot that is not there.

Re-adding the same content changes nothing. When a source's page has changed, a new
snapshot is stored beside the old one (its sidecar ``replaces`` the old hash) and only the
record's provenance moves on: fields a user corrected are kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import attrs

from policycite.anchors.shingles import snapshot_grams
from policycite.capture import records, transliteration
from policycite.capture.addresses import AddressPolicy
from policycite.capture.decoding import decode_page
from policycite.capture.document import Document, Evidence, Page
from policycite.capture.fetch import DEFAULT_MEDIA_TYPES, Response, fetch
from policycite.capture.mojibake import check_text
from policycite.errors import InputError
from policycite.findings import Finding, Location
from policycite.library import load_library, record_path, save_source
from policycite.locking import library_lock
from policycite.model import CaptureMethod, Library, PartialDate, Provenance, Source
from policycite.snapshots import Snapshot, SnapshotStore, renumbered_finding, sha256_text

#: The largest file or response capture reads (saved pages are rarely over 5 MB).
MAX_BYTES = 32 * 2**20
#: Seconds a URL fetch may take in all.
TIMEOUT = 20.0

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
_TEXT_SUFFIXES = {".txt", ".text", ".md"}
_URL_RE = re.compile(r"^https?://", re.IGNORECASE)
_HTML_SNIFF = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


@attrs.frozen
class Input:
    """The bytes of one input and what is known of where they came from."""

    data: bytes = attrs.field(repr=False)
    name: str  # the file path or the URL as given, for messages
    media_type: str  # text/html or text/plain
    method: CaptureMethod
    url: str | None = None  # the final URL of a fetch, or the one given for a file
    charset: str | None = None  # declared by HTTP
    status: int | None = None
    redirects: tuple[tuple[str, int], ...] = ()
    fetched_at: str | None = None
    accessed: PartialDate | None = None

    @classmethod
    def from_response(cls, response: Response, name: str) -> Input:
        """A fetched page as an input (anything but plain text is read as HTML)."""
        return cls(
            data=response.body,
            name=name,
            media_type="text/plain" if response.media_type == "text/plain" else "text/html",
            method=CaptureMethod.URL_FETCH,
            url=response.final_url,
            charset=response.charset,
            status=response.status,
            redirects=tuple((h.url, h.status) for h in response.redirects),
            fetched_at=response.fetched_at,
            accessed=PartialDate.parse(response.fetched_at[:10]),
        )


@attrs.frozen
class Capture:
    """What one input holds: its documents, a snapshot for each, page-level findings."""

    input: Input
    documents: tuple[Document, ...]
    snapshots: tuple[Snapshot, ...]
    findings: tuple[Finding, ...]
    original_sha256: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _media_type_of(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "text/html"
    if suffix in _TEXT_SUFFIXES:
        return "text/plain"
    return "text/html" if _HTML_SNIFF.match(data[:4096]) else "text/plain"


def read_input(
    target: str | Path,
    *,
    url: str | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    addresses: AddressPolicy | None = None,
) -> Input:
    """Read a file, or fetch a URL (http/https); InputError when it cannot be used.

    For a file, ``url`` is where the page was read (it becomes the record's URL unless
    the page names a canonical one) and the access date is the file's modification date.
    ``addresses`` says which non-public addresses a URL may reach (see :func:`fetch`).
    """
    name = str(target)
    if isinstance(target, str) and _URL_RE.match(target):
        response = fetch(
            target,
            timeout=timeout,
            max_bytes=max_bytes,
            accept=DEFAULT_MEDIA_TYPES,
            addresses=addresses,
        )
        if not 200 <= response.status < 300:
            raise InputError(
                f"HTTP {response.status} {response.reason}".strip(), source=response.final_url
            )
        return Input.from_response(response, name)
    path = Path(target)
    if not path.is_file():
        raise InputError("no such file (or not a file)", source=name)
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"file is {size / 2**20:.0f} MiB; capture reads at most {max_bytes // 2**20} MiB",
            source=name,
        )
    data = path.read_bytes()
    media_type = _media_type_of(path, data)
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    return Input(
        data=data,
        name=name,
        media_type=media_type,
        method=(
            CaptureMethod.HTML_CAPTURE if media_type == "text/html" else CaptureMethod.TEXT_CAPTURE
        ),
        url=url,
        accessed=PartialDate.from_date(mtime),
    )


def _repair(page: Page, where: str) -> Page:
    """Page with encoding damage repaired in every field and block (findings say where)."""
    findings = list(page.findings)
    documents = []
    for number, document in enumerate(page.documents, start=1):
        label = f"document {number}: " if len(page.documents) > 1 else ""
        fields: dict[str, list[Evidence]] = {}
        for name, items in document.fields.items():
            fields[name] = []
            for item in items:
                text, found = check_text(
                    item.value, location=Location(where, field=name), what=f"{label}{name}"
                )
                findings.extend(found)
                fields[name].append(attrs.evolve(item, value=text))
        blocks = []
        paragraphs = document.paragraphs
        for block, para in zip(document.blocks, paragraphs, strict=True):
            what = f"para. {para.number}" if para.number else "heading"
            text, found = check_text(block.text, location=Location(where), what=label + what)
            findings.extend(found)
            blocks.append(attrs.evolve(block, text=text))
        documents.append(attrs.evolve(document, blocks=blocks, fields=fields))
    return Page(documents, findings)


def extract(item: Input) -> Page:
    """Decode and extract an input's documents, with encoding damage repaired."""
    decoded = decode_page(
        item.data,
        source=item.name,
        http_charset=item.charset,
        html=item.media_type == "text/html",
    )
    if item.media_type == "text/html":
        from policycite.capture.html import extract_html  # trafilatura: import when needed

        page = extract_html(decoded.text, url=item.url, source=item.name)
    else:
        from policycite.capture.plaintext import extract_text

        page = extract_text(decoded.text, source=item.name)
    page = attrs.evolve(page, findings=(*decoded.findings, *page.findings))
    return _repair(page, item.name)


def capture(
    target: str | Path,
    *,
    url: str | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    now: Callable[[], str] = _now,
    addresses: AddressPolicy | None = None,
) -> Capture:
    """Read and extract one input; build (but do not store) a snapshot per document."""
    item = read_input(target, url=url, timeout=timeout, max_bytes=max_bytes, addresses=addresses)
    return capture_input(item, now=now)


def capture_input(item: Input, *, now: Callable[[], str] = _now) -> Capture:
    """Extract an input already read (see :func:`read_input`) and build its snapshots."""
    page = extract(item)
    captured_at = item.fetched_at or now()
    original = hashlib.sha256(item.data).hexdigest()
    snapshots = []
    for number, document in enumerate(page.documents, start=1):
        text = document.text
        snapshots.append(
            Snapshot(
                sha256=sha256_text(text),
                text=text,
                paragraphs=document.paragraphs,
                original_sha256=original,
                media_type=item.media_type,
                url=item.url,
                final_url=item.url if item.method is CaptureMethod.URL_FETCH else None,
                status=item.status,
                redirects=item.redirects,
                captured_at=captured_at,
                method=item.method.value,
                document=number,
            )
        )
    return Capture(item, page.documents, tuple(snapshots), page.findings, original)


# ---------------------------------------------------------------------------------------
# Adding to a library


@attrs.frozen
class Added:
    """One document's outcome: the record, whether it is new, changed or unchanged."""

    status: str  # "new", "updated" (page changed), "unchanged" or "skipped" (no record)
    source: Source | None
    snapshot: Snapshot
    document: Document
    path: Path | None  # the record file (to be) written
    reason: str | None = None  # why no record was made ("skipped")


@attrs.frozen
class AddResult:
    """What :func:`add` did (or would do, on a dry run)."""

    capture: Capture
    added: tuple[Added, ...]
    findings: tuple[Finding, ...]
    dry_run: bool
    library: Library  # the library with the new and updated records

    def to_text(self) -> str:
        """A review of each record: its fields, how each was found, its snapshot."""
        return "".join(_review(item, self.dry_run) for item in self.added)


_VERBS = {
    False: {"new": "added", "updated": "updated", "unchanged": "unchanged", "skipped": "skipped"},
    True: {
        "new": "would add",
        "updated": "would update",
        "unchanged": "unchanged",
        "skipped": "would skip",
    },
}


def _review(item: Added, dry_run: bool) -> str:
    verb = _VERBS[dry_run][item.status]
    source = item.source
    if source is None:
        return _review_skipped(item, verb)
    where = f" -> {item.path}" if item.path is not None and item.status != "unchanged" else ""
    lines = [f"{verb} @{source.key} ({source.kind}){where}"]
    how = source.provenance.extracted
    guessed = {ev[0].how for ev in item.document.fields.values() if ev and ev[0].heuristic}
    romanised = "; ".join(
        p
        for p in (
            source.title_transliterated,
            *(n.transliterated.display for n in source.authors if n.transliterated),
        )
        if p
    )
    system = source.provenance.transliteration
    rows = [
        ("title", "title", source.title),
        ("author", "author", "; ".join(n.display for n in source.authors) or None),
        ("transliteration", "romanised", f"{romanised}  [{system}]" if romanised else None),
        ("issued", "issued", str(source.issued) if source.issued else None),
        ("site", "site", source.container_title or source.publisher),
        ("url", "URL", source.url),
        ("language", "language", source.language),
        ("event-title", "event", source.event_title),
        ("event-place", "event place", source.event_place),
        ("event-date", "event date", str(source.event_date) if source.event_date else None),
        ("transcript", "transcript", source.transcript),
        ("publisher-place", "place", source.publisher_place),
        ("number", "number", source.number),
        ("genre", "genre", source.genre),
        (
            "changes",
            "changes",
            None if source.changes is None else "yes" if source.changes else "no",
        ),
        ("container-type", "outlet", source.container_type),
    ]
    for name, label, value in rows:
        if value is None:
            continue
        found = how.get(name)
        note = f"  [{found}{', guessed' if found in guessed else ''}]" if found else ""
        lines.append(f"  {label:<11} {value}{note}")
    paragraphs = sum(1 for p in item.snapshot.paragraphs if p.number is not None)
    state = "stored" if item.status in {"new", "updated"} and not dry_run else "not written"
    if item.status == "unchanged":
        state = "already stored"
    lines.append(
        f"  {'text':<11} {paragraphs} paragraphs, snapshot {item.snapshot.sha256[:12]} ({state})"
    )
    return "\n".join(lines) + "\n"


#: What the review of a document without a record shows: field name, label.
_SKIPPED_ROWS = (
    ("title", "title"),
    ("speaker", "speaker"),
    ("author", "author"),
    ("issuer", "issuer"),
    ("issued", "issued"),
    ("site", "site"),
    ("url", "URL"),
    ("language", "language"),
    ("event-title", "event"),
    ("event-place", "event place"),
    ("event-date", "event date"),
    ("delivery", "transcript"),
    ("place", "place"),
    ("number", "number"),
)


def _review_skipped(item: Added, verb: str) -> str:
    """What was found in a document no record could be made of, and why."""
    document = item.document
    kind = document.value("kind") or records.DEFAULT_KIND
    lines = [f"{verb}: document {item.snapshot.document} ({kind}), no record made"]
    if item.reason:
        lines.append(f"  {'why':<11} {item.reason}")
    for name, label in _SKIPPED_ROWS:
        found = document.first(name)
        if found is not None:
            note = f"  [{found.how}{', guessed' if found.heuristic else ''}]"
            lines.append(f"  {label:<11} {found.value}{note}")
    paragraphs = sum(1 for p in item.snapshot.paragraphs if p.number is not None)
    lines.append(f"  {'text':<11} {paragraphs} paragraphs, snapshot {item.snapshot.sha256[:12]}")
    return "\n".join(lines) + "\n"


def same_url(a: str | None, b: str | None) -> bool:
    """URLs equal but for scheme, a trailing slash, a fragment and letter case of the host."""
    if not a or not b:
        return False

    def norm(u: str) -> str:
        parts = urlsplit(u)
        return urlunsplit(("", parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))

    return norm(a) == norm(b)


def _match(
    library: Library, source: Source, snapshot: Snapshot, siblings: int
) -> tuple[str, Source | None]:
    """How a newly built source relates to the library: unchanged, updated or new."""
    for old in library:
        if old.provenance.content_sha256 == snapshot.sha256:
            return "unchanged", old
    if source.url:
        same_page = [
            old for old in library if same_url(old.url, source.url) and old.kind == source.kind
        ]
        if siblings > 1:  # a page with several documents: match on the title too
            same_page = [o for o in same_page if o.title == source.title]
        if same_page:
            return "updated", same_page[0]
    return "new", None


def add(
    target: str | Path,
    library_folder: Path | str,
    *,
    url: str | None = None,
    kind: str | None = None,
    key: str | None = None,
    overrides: Mapping[str, str] | None = None,
    documents: Sequence[int] | None = None,
    accessed: PartialDate | None = None,
    dry_run: bool = False,
    library: Library | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    now: Callable[[], str] = _now,
    addresses: AddressPolicy | None = None,
    transliterate: str = "auto",
) -> AddResult:
    """Capture an input into a library folder: snapshots and one record per document.

    ``accessed`` is the date the user read the page (default: today for a URL, the
    file's modification date for a file). ``documents`` picks documents of a page by
    number (1-based; default all); ``kind``,
    ``key`` and ``overrides`` (``{"issuer": "…"}``, the ``--set`` values) apply to every
    picked document, so ``key`` needs exactly one. On a dry run nothing is written.
    ``library`` is the folder's content when the caller has it already (adding many
    pages in a row: pass on :attr:`AddResult.library`); a dry run uses it as given.
    ``transliterate`` romanises a new record's title and names in Cyrillic or Chinese
    beside the originals (APA prints them romanised): ``auto`` picks the system by
    language (BGN/PCGN for Russian, ISO 9 for other Cyrillic, pinyin for Chinese), or
    ``bgn``, ``alalc``, ``iso9``, ``pinyin``, or ``none``; see
    :mod:`policycite.capture.transliteration`.

    Unless ``dry_run``, everything after the capture holds the library's lock
    (:mod:`policycite.locking`) and the folder is read again under it, so that records
    other writers added meanwhile are seen: two pages whose keys collide get
    ``mcav2024`` and ``mcav2024a``, never one record. A passed ``library`` only lets that
    read use the library cache. New record files are created exclusively.
    """
    folder = Path(library_folder)
    if transliterate not in transliteration.CHOICES:
        raise InputError(
            f"unknown transliteration {transliterate!r}; use one of "
            f"{', '.join(transliteration.CHOICES)}",
            place="--transliterate",
        )
    # The page is read before the lock is taken: a slow fetch must not block other writers.
    result = capture(
        target, url=url, timeout=timeout, max_bytes=max_bytes, now=now, addresses=addresses
    )
    if accessed is not None:
        result = attrs.evolve(result, input=attrs.evolve(result.input, accessed=accessed))
    count = len(result.documents)
    if count == 0:
        raise InputError("no text found to capture (empty page?)", source=str(target))
    picked = _picked(documents, count, key)
    plan = functools.partial(
        _plan,
        result,
        str(target),
        folder,
        picked=picked,
        key=key,
        kind=kind,
        overrides=overrides,
        transliterate=transliterate,
    )
    if dry_run:
        if library is None:
            library = load_library(folder).library if folder.is_dir() else Library(())
        return plan(library=library)
    with library_lock(folder):
        library = load_library(folder, cache=library is not None).library
        return plan(library=library, write=True)


def _plan(
    result: Capture,
    target: str,
    folder: Path,
    library: Library,
    picked: Sequence[int],
    *,
    key: str | None,
    kind: str | None,
    overrides: Mapping[str, str] | None,
    write: bool = False,
    transliterate: str = "auto",
) -> AddResult:
    """Match a capture against the library, build its records and (``write``) store them."""
    dry_run = not write
    findings = list(result.findings)
    added: list[Added] = []
    rewrite: list[Source] = []  # unchanged records whose provenance now notes hand edits
    store = SnapshotStore(folder)
    taken = set(library.keys)
    for number in picked:
        document = records.apply_overrides(result.documents[number - 1], overrides or {})
        snapshot = result.snapshots[number - 1]
        built = _build(
            library,
            document,
            snapshot,
            _provenance(result, document, snapshot),
            taken=taken,
            key=key,
            kind=kind,
            where=str(target),
            siblings=len(picked),
            transliterate=transliterate,
        )
        source, found, status, old, edits = built
        findings.extend(found)
        if source is None:
            added.append(Added("skipped", None, snapshot, document, None, _why(found)))
            continue
        if source.url is None:
            findings.append(
                Finding(
                    "PC305",
                    "no URL: the page names none and none was given; APA cites web sources by URL",
                    location=Location(str(target), key=source.key, field="URL"),
                    hint="give it with --url",
                )
            )
        if old is not None:
            old = records.mark_hand_edits(old, edits)
            if edits:
                rewrite.append(old)
        if old is not None and status == "unchanged":
            source = old
            if not dry_run and (counts := store.renumber(snapshot.sha256)) is not None:
                findings.append(renumbered_finding(counts, Location(str(target), key=old.key)))
        elif old is not None:  # the page changed: keep the record, move its provenance on
            snapshot = attrs.evolve(snapshot, replaces=old.provenance.content_sha256)
            source = attrs.evolve(
                old,
                provenance=attrs.evolve(
                    old.provenance,
                    content_sha256=snapshot.sha256,
                    captured_at=snapshot.captured_at,
                    accessed=source.provenance.accessed,
                ),
            )
            findings.append(
                Finding(
                    "PC307",
                    f"the text differs from snapshot {old.provenance.content_sha256 or '-'}"
                    f"; stored as {snapshot.sha256[:12]}…",
                    location=Location(str(target), key=old.key),
                )
            )
        elif key is not None and key in library:
            raise InputError(
                f"key {key!r} is already in the library for another source", place="--key"
            )
        taken.add(source.key)
        path = record_path(folder, source.key)  # a key too long stops here, before writing
        added.append(Added(status, source, snapshot, document, path))
    # Records left unchanged but for provenance noting hand edits are written too.
    rewrite = [s for s in rewrite if any(a.status == "unchanged" and a.source == s for a in added)]
    if not dry_run:
        _write(folder, result, added, rewrite)
    changed = [a.source for a in added if a.status in {"new", "updated"} and a.source]
    for item in [*changed, *rewrite]:
        library = library.with_source(item)
    return AddResult(result, tuple(added), tuple(findings), dry_run, library)


def _picked(documents: Sequence[int] | None, count: int, key: str | None) -> list[int]:
    """The document numbers to add (InputError for one the page does not hold)."""
    picked = list(documents) if documents else list(range(1, count + 1))
    for number in picked:
        if not 1 <= number <= count:
            raise InputError(
                f"document {number} does not exist; the page holds {count}", place="--document"
            )
    if key is not None and len(picked) > 1:
        raise InputError(
            f"the page holds {count} documents; choose one with --document to give a key",
            place="--key",
        )
    return picked


def _build(
    library: Library,
    document: Document,
    snapshot: Snapshot,
    provenance: Provenance,
    *,
    taken: set[str],
    key: str | None,
    kind: str | None,
    where: str,
    siblings: int,
    transliterate: str = "auto",
) -> tuple[Source | None, list[Finding], str, Source | None, list[str]]:
    """The record for a document, its findings, its match in the library and hand edits.

    Returns (source, findings, status, the library's record, fields edited by hand).
    """
    if not snapshot.text.strip():  # a record must never point at an empty snapshot
        return None, [_nothing_extracted(where)], "skipped", None, []
    source, found = records.build_source(
        document, provenance=provenance, taken=taken, key=key, kind=kind, where=where
    )
    if source is None:
        return None, found, "skipped", None, []
    source, romanised = transliteration.transliterate(source, transliterate, where=where)
    found = [*found, *romanised]
    status, old = _match(library, source, snapshot, siblings)
    if old is None:
        return source, found, status, None, []
    edits = records.hand_edits(old, source)
    if old.key != source.key or edits:
        # A known record: its findings go under its own key (not a new "a" key), and
        # fields the user corrected are not reported as guesses.
        source, found = records.build_source(
            document,
            provenance=provenance,
            taken=taken,
            key=old.key,
            kind=kind,
            where=where,
            edited=edits,
        )
    return source, found, status, old, edits


def _nothing_extracted(where: str) -> Finding:
    """PC331: a document without text, of which no record is made."""
    return Finding(
        "PC331",
        "no record made: no text was extracted",
        location=Location(where),
        hint="open the page in a browser: its text may need scripts, or the page is damaged",
    )


def _why(found: Sequence[Finding]) -> str | None:
    """Why no record was made, from build_source's PC305 finding."""
    prefix = "no record made: "
    why = next((f.message for f in found if f.message.startswith(prefix)), None)
    return why.removeprefix(prefix) if why else None


def _provenance(result: Capture, document: Document, snapshot: Snapshot) -> Provenance:
    item = result.input
    canonical = document.value("url")
    return Provenance(
        url=canonical or item.url,
        accessed=item.accessed,
        content_sha256=snapshot.sha256,
        captured_at=snapshot.captured_at,
        method=item.method,
    )


def _write(
    folder: Path, result: Capture, added: Sequence[Added], rewrite: Sequence[Source] = ()
) -> None:
    for stored in rewrite:
        save_source(folder, stored)
    store = SnapshotStore(folder)
    changed = [a for a in added if a.status in {"new", "updated"}]
    if not changed:
        return
    store.put_original(result.input.data, result.input.media_type)
    for item in changed:
        store.put(item.snapshot)
        snapshot_grams(store, item.snapshot.sha256)  # ready for `policycite check`
    sources = [item.source for item in changed if item.source is not None]
    assert len(sources) == len(changed)
    new = {item.source.key for item in changed if item.source and item.status == "new"}
    save_records(folder, sources, new, while_="adding", again="add the page again")


def save_records(
    folder: Path, sources: Iterable[Source], new: Collection[str], *, while_: str, again: str
) -> None:
    """Write records, those keyed in ``new`` only if no file of theirs exists yet.

    A new record's file appearing meanwhile is an InputError saying what was being done
    (``while_``: "adding") and what to do (``again``), never an overwrite.
    """
    for source in sources:
        try:
            save_source(folder, source, new=source.key in new)
        except FileExistsError:  # only a writer that ignores the lock can get here
            raise InputError(
                f"a record of key {source.key!r} appeared while {while_} (written by a "
                f"program that does not take the library's lock?); it was not overwritten: "
                f"{again}",
                source=str(folder),
            ) from None


__all__ = [
    "MAX_BYTES",
    "TIMEOUT",
    "AddResult",
    "Added",
    "Capture",
    "Input",
    "add",
    "capture",
    "capture_input",
    "extract",
    "read_input",
    "same_url",
    "save_records",
]
