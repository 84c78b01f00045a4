"""Fictional libraries for the check tests: records with snapshots, written as capture would."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from policycite.capture.document import Block, Document
from policycite.library import save_source
from policycite.model import Provenance, Source
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

#: A record's fields (with ``url`` and optionally ``accessed``, ``archive_url`` and
#: ``archive_date``) and its paragraphs, or
#: None for a record without a snapshot. A paragraph starting "# " is a heading.
SourceSpec = tuple[Mapping[str, Any], list[str] | None]


def write_library(folder: Path, sources: Iterable[SourceSpec], captured_at: str) -> None:
    """Write each source's record to ``folder``, with its snapshot when it has paragraphs."""
    store = SnapshotStore(folder)
    for fields, blocks in sources:
        values = dict(fields)
        url = str(values.pop("url"))
        accessed = values.pop("accessed", None)
        archive_url = values.pop("archive_url", None)
        archive_date = values.pop("archive_date", None)
        sha = None
        if blocks is not None:
            doc = Document(
                [
                    Block(b.removeprefix("# "), heading=True) if b.startswith("# ") else Block(b)
                    for b in blocks
                ]
            )
            sha = sha256_text(doc.text)
            store.put(
                Snapshot(
                    sha,
                    doc.text,
                    doc.paragraphs,
                    url=url,
                    captured_at=captured_at,
                    method="html-capture",
                )
            )
        provenance = Provenance(
            url=url,
            accessed=accessed,
            archive_url=archive_url,
            archive_date=archive_date,
            content_sha256=sha,
            captured_at=captured_at if sha else None,
            method="html-capture" if sha else "manual",
        )
        save_source(folder, Source(provenance=provenance, **values))
