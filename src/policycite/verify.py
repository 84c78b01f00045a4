"""Verify a library's sources: snapshots intact, URLs alive and unchanged, copies archived.

For each record (or the keys asked for):

* **snapshots**: the text the record was checked against is re-hashed (PC310 when it was
  edited or damaged, PC311 when it is missing), and so is the original page it came from;
* **quotation anchors** stored on the record are checked again in that snapshot
  (PC401–PC403 when a quotation is no longer verbatim), or re-anchored in it when they
  were pinned to an older one (PC404 moved, PC405 changed, PC406 removed);
* **live URL** (unless offline): fetched with a time-out and size limit; an HTTP error is
  PC312, a redirect to a home page or a "page not found" text is a soft 404 (PC313), a
  permanent move to another page PC315, no answer PC316; a live page whose extracted text
  differs from the snapshot is content drift (PC314, with how much changed);
* **archived copy** (unless offline or the record names one): a Wayback-style
  availability endpoint is asked for the closest copy (PC317 with its address, or PC318).

Derived files are verified too: a missing sidecar is PC332, one that does not match its
checksum (or, written before sidecars had one, no longer fits its text) PC333; a .grams
file that does not match its checksum is rebuilt from the text (PC335).

Network checks run a few at a time. Nothing is written but derived data: a snapshot whose
paragraph numbers follow an older numbering rule is renumbered in its sidecar (PC308; the
text and its hash stay), a sidecar without checksum gets one once checked against its
text, and a damaged, old or missing .grams file is rebuilt. Findings come back as a Report.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import attrs
from rapidfuzz import fuzz

from policycite.anchors.pinning import recheck
from policycite.anchors.shingles import rebuild_grams
from policycite.capture.addresses import AddressPolicy
from policycite.capture.fetch import FetchError, fetch, find_archived_copy
from policycite.capture.pipeline import TIMEOUT, Input, capture_input
from policycite.crash import save_traceback
from policycite.errors import InputError
from policycite.findings import Finding, Location, Report
from policycite.leftovers import leftover_findings
from policycite.library import key_to_filename, load_library
from policycite.model import Source
from policycite.snapshots import SidecarError, Snapshot, SnapshotStore, renumbered_finding

#: Network checks in flight at once (politeness to servers versus waiting on time-outs).
WORKERS = 8
#: Titles of "page not found" pages served with status 200 (soft 404s).
_NOT_FOUND_TEXT = re.compile(
    r"\b(?:page (?:not found|cannot be found|does not exist|no longer exists)|404\b|"
    r"not found|seite nicht gefunden|page introuvable|страница не найдена|页面不存在)",
    re.IGNORECASE,
)


@attrs.frozen
class VerifyOptions:
    """What :func:`verify` checks and how long it waits."""

    online: bool = True
    archive: bool = True
    timeout: float = TIMEOUT
    archive_endpoint: str | None = None  # default: $POLICYCITE_ARCHIVE_ENDPOINT or Wayback
    workers: int = WORKERS
    addresses: AddressPolicy | None = None  # default: $POLICYCITE_ALLOW_PRIVATE, else public only


def verify(
    library_folder: Path | str,
    keys: Sequence[str] | None = None,
    *,
    options: VerifyOptions = VerifyOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Check the sources of a library folder (all, or ``keys``); returns the findings.

    ``progress`` is called with the number of sources finished and the number to check,
    after each one (for a progress bar). Raises InputError for an unknown key.
    """
    folder = Path(library_folder)
    read = load_library(folder)
    library = read.library
    if keys:
        missing = [k for k in keys if k not in library]
        if missing:
            raise InputError(
                f"no such key(s) in the library: {', '.join(missing)}", source=str(folder)
            )
        sources = [library[k] for k in keys]
    else:
        sources = list(library)
    store = SnapshotStore(folder)
    findings: list[Finding] = list(read.findings)
    if not keys:
        findings.extend(_damaged_store(store, sources))
        findings.extend(leftover_findings(folder, sources))

    def check(source: Source) -> list[Finding]:
        # One source that cannot be verified (an unreadable live page, a bug) is a finding
        # of its own: the others are still verified.
        try:
            return _check_source(folder, store, source, options)
        except InputError as err:
            why = f"could not be verified: {err}"
        except Exception as err:  # isolated; the traceback is kept
            saved = save_traceback(err)
            why = f"could not be verified: internal error {type(err).__name__}: {err}" + (
                f" (traceback saved to {saved})" if saved else ""
            )
        where = Location(str(folder / key_to_filename(source.key)), key=source.key)
        return [Finding("PC316", " ".join(why.split()), location=where)]

    if options.online and options.workers > 1 and len(sources) > 1:
        with ThreadPoolExecutor(max_workers=options.workers) as pool:
            results = pool.map(check, sources)
            for done, found in enumerate(results, start=1):
                findings.extend(found)
                if progress:
                    progress(done, len(sources))
    else:
        for done, source in enumerate(sources, start=1):
            findings.extend(check(source))
            if progress:
                progress(done, len(sources))
    return Report(findings)


def _damaged_store(store: SnapshotStore, sources: Iterable[Source]) -> list[Finding]:
    """Snapshots no record names are still re-hashed: a library keeps old versions."""
    named = {s.provenance.content_sha256 for s in sources}
    out = []
    for sha in store.hashes():
        if sha in named:
            continue  # checked with its record
        try:
            store.text(sha)
        except InputError:
            out.append(
                Finding(
                    "PC310",
                    f"snapshot {sha[:12]}… no longer matches its SHA-256",
                    location=Location(str(store.text_path(sha))),
                )
            )
    return out


def _check_source(
    folder: Path, store: SnapshotStore, source: Source, options: VerifyOptions
) -> list[Finding]:
    where = Location(str(folder / key_to_filename(source.key)), key=source.key)
    findings: list[Finding] = []
    snapshot = _check_snapshot(store, source, where, findings)
    if snapshot is not None:
        findings.extend(recheck(source, snapshot, where))
    url = source.url
    if not options.online:
        return findings
    if url is None:
        findings.append(Finding("PC319", "no URL: nothing to check online", location=where))
        return findings
    findings.extend(_check_live(url, snapshot, where, options))
    if options.archive and source.provenance.archive_url is None:
        findings.extend(_check_archive(url, where, options))
    return findings


def _check_snapshot(
    store: SnapshotStore, source: Source, where: Location, findings: list[Finding]
) -> Snapshot | None:
    sha = source.provenance.content_sha256
    if sha is None:
        return None
    field = attrs.evolve(where, field="provenance.content-sha256")
    if sha not in store:
        findings.append(
            Finding(
                "PC311",
                f"snapshot {sha[:12]}… is not in the library",
                location=field,
                hint="capture the source again with `policycite add`",
            )
        )
        return None
    try:
        snapshot = store.get(sha)
        if (counts := store.renumber(sha)) is not None:
            findings.append(renumbered_finding(counts, field))
            snapshot = store.get(sha)
    except SidecarError as err:
        findings.append(
            Finding(
                "PC333",
                err.message,
                location=attrs.evolve(field, path=err.source),
                hint="capture the source again with `policycite add`, or restore the file",
            )
        )
        return None
    except InputError as err:
        findings.append(
            Finding("PC310", err.message, location=attrs.evolve(field, path=err.source))
        )
        return None
    findings.extend(_check_derived(store, sha, field))
    original = snapshot.original_sha256
    if original is not None:
        path = store.original_path(original)
        if path is None:
            findings.append(
                Finding("PC311", f"the original page {original[:12]}… is missing", location=field)
            )
        elif _sha256_file(path) != original:
            findings.append(
                Finding(
                    "PC310",
                    "the original page no longer matches its SHA-256",
                    location=Location(str(path), key=source.key),
                )
            )
    return snapshot


def _check_derived(store: SnapshotStore, sha: str, field: Location) -> list[Finding]:
    """The sidecar and .grams of an intact snapshot: present, verified, old ones upgraded."""
    findings = []
    side = store.sidecar_path(sha)
    if not side.exists():
        findings.append(
            Finding(
                "PC332",
                f"the sidecar of snapshot {sha[:12]}… is missing (its URL, capture details "
                "and paragraph map are lost)",
                location=attrs.evolve(field, path=str(side)),
                hint="capture the source again with `policycite add`, or restore the file",
            )
        )
    else:
        # get() has checked a sidecar without checksum against its text: now it gets one.
        with contextlib.suppress(OSError):
            store.upgrade_sidecar(sha)
    state, _grams = rebuild_grams(store, sha)
    if state == "damaged":
        findings.append(
            Finding(
                "PC335",
                f"the 5-gram index of snapshot {sha[:12]}… was damaged; rebuilt from its text",
                location=attrs.evolve(field, path=str(store.cache_path(sha, "grams"))),
            )
        )
    return findings


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_home(url: str, original: str) -> bool:
    """True when url is a site's root or a bare section index the original was not."""
    path = urlsplit(url).path.rstrip("/")
    before = urlsplit(original).path.rstrip("/")
    if path == before:
        return False
    return path in {"", "/index.html", "/index.php", "/home", "/en", "/default.aspx"} or (
        path.count("/") <= 1 and before.count("/") > 1 and before.startswith(path)
    )


def _check_live(
    url: str, snapshot: Snapshot | None, where: Location, options: VerifyOptions
) -> list[Finding]:
    try:
        response = fetch(url, timeout=options.timeout, accept=None, addresses=options.addresses)
    except FetchError as err:
        return [Finding("PC316", err.message, location=where)]
    if response.status >= 400:
        return [
            Finding(
                "PC312",
                f"HTTP {response.status} {response.reason}".strip() + f" for {url}",
                location=where,
                hint="find the page's new address or cite an archived copy",
            )
        ]
    final = response.final_url
    moved = response.redirects and final != url
    if moved and _is_home(final, url):
        return [
            Finding(
                "PC313",
                f"{url} now redirects to {final}, a home or index page",
                location=where,
                hint="cite an archived copy",
            )
        ]
    findings: list[Finding] = []
    if moved and any(h.status in {301, 308} for h in response.redirects):
        findings.append(
            Finding("PC315", f"{url} has moved to {final}", location=where, hint=f"URL: {final}")
        )
    media = response.media_type or ""
    if media not in {"text/html", "application/xhtml+xml", "text/plain"}:
        return findings
    live = capture_input(Input.from_response(response, final))
    title = " ".join(d.value("title") or "" for d in live.documents)
    if not live.documents or _NOT_FOUND_TEXT.search(title):
        findings.append(
            Finding(
                "PC313",
                f"{final} answers 200 but says the page is gone"
                + (f" ({title.strip()!r})" if title.strip() else " (no text)"),
                location=where,
                hint="cite an archived copy",
            )
        )
        return findings
    if snapshot is not None:
        findings.extend(_drift(snapshot, live.snapshots, where, final))
    return findings


def _drift(
    snapshot: Snapshot, live: Sequence[Snapshot], where: Location, url: str
) -> list[Finding]:
    if any(s.sha256 == snapshot.sha256 for s in live):
        return []
    # Compare with the most similar live document: a page may have gained or lost one.
    best = max(live, key=lambda s: fuzz.ratio(s.text, snapshot.text))
    old = [snapshot.text[p.start : p.end] for p in snapshot.paragraphs]
    new = [best.text[p.start : p.end] for p in best.paragraphs]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed = sum(
        max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    )
    similarity = fuzz.ratio(best.text, snapshot.text)
    first = next(
        (
            (i1, old[i1] if i1 < len(old) else "", new[j1] if j1 < len(new) else "")
            for op, i1, _i2, j1, _j2 in matcher.get_opcodes()
            if op != "equal"
        ),
        None,
    )
    detail = ""
    if first is not None:
        number = snapshot.paragraphs[first[0]].number if first[0] < len(old) else None
        detail = f"; first change at para. {number}" if number else ""
    return [
        Finding(
            "PC314",
            f"the live text of {url} differs from snapshot {snapshot.sha256[:12]}…: "
            f"{changed} of {len(old)} paragraphs changed (similarity {similarity:.1f}%){detail}",
            location=where,
            hint="check quotations against the live page; `policycite add` stores a new snapshot",
        )
    ]


def _check_archive(url: str, where: Location, options: VerifyOptions) -> list[Finding]:
    try:
        found = find_archived_copy(
            url,
            endpoint=options.archive_endpoint,
            timeout=options.timeout,
            addresses=options.addresses,
        )
    except FetchError as err:
        return [Finding("PC316", f"archive lookup failed: {err.message}", location=where)]
    if found is None:
        return [
            Finding(
                "PC318",
                f"no archived copy of {url}",
                location=where,
                hint="archive it now (e.g. the Wayback Machine's 'Save Page Now')",
            )
        ]
    return [
        Finding(
            "PC317",
            f"archived copy of {url} from {found.timestamp}",
            location=where,
            hint=f"archive-url: {found.url}",
        )
    ]


__all__ = ["WORKERS", "VerifyOptions", "verify"]
