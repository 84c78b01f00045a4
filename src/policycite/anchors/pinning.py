"""Quotations pinned to a library's sources: anchor, store on the record, re-check.

The library-facing side of anchoring: find a source's current snapshot, anchor a
quotation in it (:func:`policycite.anchors.match.anchor`), turn the outcome into a
finding and deep links, store the anchor on the record (atomically, replacing an earlier
anchor of the same quotation), and re-check stored anchors when the library is verified:
against the same snapshot (is it still what was recorded?) or against a newer one
(unchanged, moved to another paragraph, changed, removed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from policycite.anchors.copying import Copying
from policycite.anchors.fragments import deep_link
from policycite.anchors.match import Anchoring, anchor, reanchor
from policycite.anchors.quotes import strip_quotation_marks
from policycite.errors import InputError
from policycite.findings import Finding, Location
from policycite.library import DEFAULT_FOLDER, read_record, save_source
from policycite.locking import library_lock
from policycite.model import AnchorStatus, QuoteAnchor, Source
from policycite.snapshots import Snapshot, SnapshotStore


def snapshot_of(folder: Path | str, source: Source) -> Snapshot:
    """The snapshot a source's record names; InputError when there is none to read."""
    sha = source.provenance.content_sha256
    if sha is None:
        raise InputError(
            f"@{source.key} has no snapshot to anchor in; capture it with `policycite add`",
            source=str(folder),
        )
    return SnapshotStore(folder).get(sha)


def _locator(anchoring: Anchoring) -> str:
    place = anchoring.place
    if place is None or place.paragraph is None:
        return "no paragraph"
    if place.paragraph_end and place.paragraph_end != place.paragraph:
        return f"paras. {place.paragraph}–{place.paragraph_end}"
    section = f" ({place.section})" if place.section else ""
    return f"para. {place.paragraph}{section}"


def shorten(text: str, limit: int = 90) -> str:
    """Text on one line, cut to ``limit`` characters with "…" (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def anchoring_finding(anchoring: Anchoring, location: Location) -> Finding | None:
    """The finding for a quotation that is not verbatim in its source (None if it is)."""
    status = anchoring.status
    if status is AnchorStatus.VERBATIM:
        return None
    if status is AnchorStatus.MISQUOTE:
        # The source's own quotation marks around the passage would double the hint's.
        source_text = strip_quotation_marks(anchoring.place.text) if anchoring.place else ""
        return Finding(
            "PC401",
            f"{_locator(anchoring)}, score {anchoring.score:.2f}: {anchoring.diff_text()}",
            location=location,
            hint=f"the source reads: \u201c{shorten(source_text)}\u201d",
        )
    if status is AnchorStatus.AMBIGUOUS:
        places = ", ".join(
            f"para. {p.paragraph}" if p.paragraph else f"offset {p.start}" for p in anchoring.places
        )
        return Finding(
            "PC402",
            f"\u201c{shorten(anchoring.quote, 60)}\u201d occurs at {places}",
            location=location,
            hint="quote more words, or give the paragraph of the place meant",
        )
    nearest = anchoring.place
    detail = (
        f"; nearest: {_locator(anchoring)}, score {nearest.score:.2f}, "
        f"\u201c{shorten(nearest.text, 70)}\u201d"
        if nearest is not None
        else ""
    )
    return Finding(
        "PC403",
        f"\u201c{shorten(anchoring.quote, 60)}\u201d is not in the source{detail}",
        location=location,
    )


@attrs.frozen
class Pinned:
    """A quotation anchored in a source's snapshot, with links to the passage."""

    source: Source
    snapshot: Snapshot
    anchoring: Anchoring

    @property
    def anchor(self) -> QuoteAnchor:
        """The anchor to store on the record."""
        return self.anchoring.to_anchor(self.snapshot.sha256)

    def links(self) -> tuple[str | None, str | None]:
        """Text Fragment links to the passage on the live page and in the archived copy."""
        return passage_links(self.source, self.anchoring)

    def to_text(self) -> str:
        """Status, locator, score and links, as the ``anchor`` command prints them."""
        a = self.anchoring
        head = f"{a.status.value:<10} @{self.source.key} {_locator(a)}, score {a.score:.2f}"
        lines = [head, f"  quote   \u201c{shorten(a.quote, 200)}\u201d"]
        if a.place is not None:
            label = "source " if a.status is not AnchorStatus.NOT_FOUND else "nearest"
            lines.append(f"  {label} \u201c{shorten(a.place.text, 200)}\u201d")
        if a.status in {AnchorStatus.MISQUOTE, AnchorStatus.NOT_FOUND} and a.diff:
            lines.append(f"  diff    {a.diff_text()}")
        if a.status is AnchorStatus.AMBIGUOUS:
            lines.append("  places  " + "; ".join(_locator_of(p) for p in a.places))
        lines.extend(f"  note    {note}" for note in a.notes)
        live, archived = self.links()
        if live:
            lines.append(f"  link    {live}")
        if archived:
            lines.append(f"  archive {archived}")
        return "\n".join(lines) + "\n"


def passage_links(
    source: Source, anchoring: Anchoring, *, web_only: bool = False
) -> tuple[str | None, str | None]:
    """Text Fragment links to an anchored passage: on the live page, in the archived copy.

    None for a quotation not found, and for an address the source lacks; with
    ``web_only``, for an address that is not http(s) either (a browser opens no text
    fragment in a ``doi:`` or ``urn:``). An ambiguous quotation's link carries the source
    text around its place, so that the browser highlights that occurrence.
    """
    place = anchoring.place
    if place is None or anchoring.status is AnchorStatus.NOT_FOUND:
        return None, None
    ambiguous = anchoring.status is AnchorStatus.AMBIGUOUS
    prefix = anchoring.prefix if ambiguous else ""
    suffix = anchoring.suffix if ambiguous else ""

    def link(url: str | None) -> str | None:
        if not url or (web_only and not url.lower().startswith(("http://", "https://"))):
            return None
        return deep_link(url, place.text, prefix=prefix, suffix=suffix)

    return link(source.url), link(source.provenance.archive_url)


def _locator_of(place: object) -> str:
    paragraph = getattr(place, "paragraph", None)
    return f"para. {paragraph}" if paragraph else f"offset {getattr(place, 'start', '?')}"


def anchor_quote(
    target: Source | Snapshot | str,
    quote: str,
    *,
    library: Path | str = DEFAULT_FOLDER,
    prefix: str = "",
    suffix: str = "",
) -> Anchoring:
    """Anchor a quotation in a source, a snapshot or a text (nothing is written).

    A source is anchored in the snapshot its record names, read from ``library``.
    """
    if isinstance(target, Source):
        target = snapshot_of(library, target)
    return anchor(target, quote, prefix=prefix, suffix=suffix)


def pin(folder: Path | str, source: Source, quote: str) -> Pinned:
    """Anchor a quotation in a source's current snapshot (nothing is written)."""
    snapshot = snapshot_of(folder, source)
    return Pinned(source, snapshot, anchor(snapshot, quote))


def with_anchors(source: Source, anchors: Iterable[QuoteAnchor]) -> Source:
    """The source with ``anchors`` added; an earlier anchor of the same quotation is replaced."""
    new = list(anchors)
    quoted = {a.quote or a.exact for a in new}
    kept = [a for a in source.anchors if (a.quote or a.exact) not in quoted]
    return attrs.evolve(source, anchors=(*kept, *new))


def save_anchors(folder: Path | str, source: Source, anchors: Sequence[QuoteAnchor]) -> Source:
    """Store anchors on a source's record (atomic write); returns the updated source.

    The record is read again under the library's lock and the anchors are added to what
    it holds now, so that what another writer saved since ``source`` was read (its
    anchors, a new snapshot from ``add``) is kept, never overwritten.
    """
    with library_lock(folder):
        current = read_record(folder, source.key)
        updated = with_anchors(current if current is not None else source, anchors)
        save_source(folder, updated)
    return updated


def _offsets_finding(stored: QuoteAnchor, current: Anchoring, place: Location) -> Finding | None:
    """PC334 when a stored anchor's offsets do not hold its quotation in the snapshot.

    Anchoring is re-run on the quoted words, so it finds the quotation wherever it is;
    the record's own offsets (what a deep link or an export uses) are checked apart.
    """
    if stored.start is None or stored.end is None or current.place is None:
        return None
    where = {(p.start, p.end) for p in (current.place, *current.places)}
    if (stored.start, stored.end) in where:
        return None
    found = current.place
    return Finding(
        "PC334",
        f"offsets {stored.start}..{stored.end} do not hold \u201c{shorten(stored.exact, 60)}"
        f"\u201d; it is at {found.start}..{found.end}",
        location=place,
        hint=f"start: {found.start}, end: {found.end} (or run `policycite anchor` again)",
    )


def recheck(source: Source, snapshot: Snapshot, where: Location) -> list[Finding]:
    """Findings for a source's stored anchors checked against its current snapshot."""
    findings = []
    for number, stored in enumerate(source.anchors, start=1):
        place = attrs.evolve(where, field=f"anchors[{number}]")
        if stored.snapshot_sha256 in {None, snapshot.sha256}:
            current = anchor(
                snapshot, stored.quote or stored.exact, prefix=stored.prefix, suffix=stored.suffix
            )
            found = anchoring_finding(current, place)
            if found is not None:
                findings.append(found)
            if (shifted := _offsets_finding(stored, current, place)) is not None:
                findings.append(shifted)
            continue
        moved = reanchor(stored, snapshot)
        quote = shorten(stored.exact, 60)
        if moved.status == "moved":
            findings.append(
                Finding(
                    "PC404",
                    f"\u201c{quote}\u201d moved from para. {moved.old_paragraph} to para. "
                    f"{moved.new_paragraph}",
                    location=place,
                    hint=f"cite it as para. {moved.new_paragraph}",
                )
            )
        elif moved.status == "changed":
            findings.append(
                Finding(
                    "PC405",
                    f"\u201c{quote}\u201d now reads differently: {moved.anchoring.diff_text()}",
                    location=place,
                )
            )
        elif moved.status == "removed":
            findings.append(
                Finding("PC406", f"\u201c{quote}\u201d is no longer in the source", location=place)
            )
    return findings


def copying_findings(copies: Iterable[Copying], path: str, text: str) -> list[Finding]:
    """PC410/PC411 findings for sentences of a brief (``text``) that copy sources unquoted."""
    findings = []
    for copy in copies:
        column = copy.start - text.rfind("\n", 0, copy.start)
        if copy.formulaic and copy.level != "copy":
            continue
        where = ", ".join(
            f"@{hit.label}" + (f" para. {hit.paragraph}" if hit.paragraph else "")
            for hit in copy.sources
        )
        fingerprint = "; no-break spaces at the same places" if copy.nbsp_fingerprint else ""
        findings.append(
            Finding(
                "PC410" if copy.level == "copy" else "PC411",
                f"a run of {copy.run_words} words ({copy.containment:.0%} of the sentence's "
                f"word triples) shared with {where}{fingerprint}: "
                f"“{shorten(copy.run_text, 120)}”",
                location=Location(path, copy.line, column),
                hint="put the copied words in quotation marks, or paraphrase and cite",
            )
        )
    return findings


__all__ = [
    "Pinned",
    "anchor_quote",
    "anchoring_finding",
    "copying_findings",
    "passage_links",
    "pin",
    "recheck",
    "save_anchors",
    "shorten",
    "snapshot_of",
    "with_anchors",
]
