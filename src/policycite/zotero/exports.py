"""Zotero's export files as import input: Better BibTeX/BibLaTeX ``.bib`` and CSL-JSON.

A library exported from Zotero (File → Export Library, or a Better BibTeX auto-export)
is read by the format readers, which know Zotero's shapes (see
:mod:`policycite.formats.bibmap` and :mod:`policycite.formats.zoteroids`), and handed to
:func:`policycite.zotero.importer.import_sources` as :class:`Incoming` sources, so that an
export is imported by the same rules as a data directory or the API: keys, hand edits
kept on re-import, nothing written on a dry run.

Keys: a ``.bib`` entry key is the Better BibTeX key, and is kept; a CSL-JSON item keeps
its ``citation-key`` (or ``Citation Key:`` line); other items get author + year keys from
the importer. A Zotero CSL-JSON item is matched on re-import by its item URI (an alias);
a ``.bib`` carries no URI, so its entries are matched by their citation key.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from policycite.errors import InputError
from policycite.findings import Finding
from policycite.formats import ReadResult, bibtex, csljson
from policycite.model import CaptureMethod
from policycite.zotero.importer import Incoming

__all__ = ["EXPORT_SUFFIXES", "read_export"]

#: The export files read here, by suffix.
EXPORT_SUFFIXES = (".bib", ".json")


def read_export(path: Path | str) -> tuple[list[Incoming], list[Finding]]:
    """The sources of a Zotero export file, ready for import, and what reading found."""
    path = Path(path)
    suffix = path.suffix.lower()
    read: ReadResult
    if suffix == ".bib":
        read = bibtex.load(path)
    elif suffix == ".json":
        read = csljson.load(path)
    else:
        raise InputError(
            "not a Zotero export: expected a .bib (Better BibTeX) or .json (CSL JSON) file, "
            "a data directory or zotero.sqlite",
            source=str(path),
        )
    # A key made from author and year is the importer's to make, in view of the library.
    generated = {f.location.key for f in read.findings if f.code == "PC327"}
    findings = [f for f in read.findings if f.code != "PC327"]
    incoming = []
    for source in read.library:
        provenance = attrs.evolve(source.provenance, method=CaptureMethod.ZOTERO_IMPORT)
        incoming.append(
            Incoming(
                attrs.evolve(source, provenance=provenance),
                citation_key=None if source.key in generated else source.key,
                where=f"{path} @{source.key}",
            )
        )
    return incoming, findings
