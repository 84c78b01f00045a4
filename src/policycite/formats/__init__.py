"""Readers and writers for the file formats policycite exchanges; CSL-JSON is the pivot.

Each format module has the same verbs: ``loads``/``load`` return a :class:`ReadResult`,
``dumps``/``dump`` write sources. Bad input raises :class:`~policycite.errors.InputError`
with the file and place; content problems come back as findings.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from policycite.errors import InputError, ModelError
from policycite.findings import Finding, Location, finding_tuple
from policycite.formats.record import source_from_dict
from policycite.model import Library, Source
from policycite.paths import read_regular

#: Input files larger than this are refused rather than read into memory.
MAX_INPUT_BYTES = 64 * 1024 * 1024


@attrs.frozen
class ReadResult:
    """What a reader found: the library and the findings met on the way."""

    library: Library
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


def read_text(path: Path | str) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise InputError naming the file and byte."""
    # Only a regular file, checked before reading: a record symlinked to /dev/zero or a
    # FIFO would otherwise be read for ever or hang.
    return decode(read_regular(path, MAX_INPUT_BYTES), str(path))


# Lone surrogates are not Unicode characters: UTF-8 cannot encode them and the YAML reader
# refuses them even escaped. They can only arrive as a JSON ``\\uD800`` escape.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def refuse_surrogates(text: str) -> None:
    """Raise InputError when text holds a lone surrogate, which no file can carry."""
    found = _SURROGATE_RE.search(text)
    if found:
        raise InputError(
            f"text holds a lone surrogate (U+{ord(found.group()):04X}), which no UTF-8 "
            "file can hold: fix the value before saving"
        )


def refuse_surrogates_in(value: Any) -> None:
    """refuse_surrogates for every text (keys included) in nested lists and mappings."""
    if isinstance(value, str):
        refuse_surrogates(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_surrogates_in(key)
            refuse_surrogates_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_surrogates_in(item)


@contextlib.contextmanager
def naming(source: Source) -> Iterator[None]:
    """Name the record in an InputError raised while writing it."""
    try:
        yield
    except InputError as err:
        if err.place:
            raise
        raise InputError(err.message, source=err.source, place=f"record {source.key!r}") from None


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); a non-UTF-8 byte is an InputError with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            source=name,
            line=line,
            column=column,
        ) from None


def collect(
    entries: Iterable[tuple[Source, Location]], findings: Iterable[Finding] = ()
) -> ReadResult:
    """Build a library from sources read one by one.

    Reports duplicate keys and keys that differ only in case. The first of two
    duplicates wins; nothing is dropped silently.
    """
    found = list(findings)
    sources: dict[str, Source] = {}
    where: dict[str, Location] = {}
    folded: dict[str, str] = {}
    for source, location in entries:
        key = source.key
        if key in sources:
            found.append(
                Finding(
                    "PC002",
                    f"citation key {key!r} is used again; the record at {where[key]} is used",
                    location=attrs.evolve(location, key=key, field="id"),
                    hint="give one of the two records another key",
                )
            )
            continue
        other = folded.get(key.casefold())
        if other is not None:
            found.append(
                Finding(
                    "PC003",
                    f"citation keys {other!r} and {key!r} differ only in letter case",
                    location=attrs.evolve(location, key=key, field="id"),
                    hint="rename one of them",
                )
            )
        folded.setdefault(key.casefold(), key)
        sources[key] = source
        where[key] = location
    return ReadResult(Library(sources.values()), found)


def read_records(records: Iterable[Any], name: str) -> ReadResult:
    """Read parsed records (mappings) into a library.

    A record that cannot be a source is an InputError naming the file, line and field.
    """
    entries = []
    findings = []
    for index, record in enumerate(records):
        line = getattr(record, "line", None)
        lines = getattr(record, "lines", {})

        def locate(
            field: str | None, _lines: dict[str, int] = lines, _line: int | None = line
        ) -> Location:
            return Location(name, _lines.get(field or "", _line))

        try:
            source, found = source_from_dict(record, locate)
        except ModelError as err:
            top = (err.field or "").split(".")[0].split("[")[0]
            ident = record.get("id") if isinstance(record, dict) else None
            place = f"record {index + 1}" + (f" ({ident!r})" if ident else "")
            if err.field:
                place += f", field {err.field!r}"
            raise InputError(
                err.message, source=name, line=lines.get(top, line), place=place
            ) from None
        entries.append((source, locate(None)))
        findings.extend(found)
    return collect(entries, findings)
