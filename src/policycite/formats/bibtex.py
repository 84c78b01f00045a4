"""BibTeX and BibLaTeX files in and out, through bibtexparser v2.

bibtexparser does the tokenising and writing; it is lenient on purpose, so this module
checks what it lets through (a missing comma merges two fields into one value, an
undefined ``@string`` stays a bare word) and turns every problem into a finding with the
file and line: failed blocks (PC010), duplicate fields (PC011), undefined macros (PC012),
entries that cannot be sources (PC013), unknown entry types (PC014), duplicate keys
(PC002). Nothing is dropped without a finding, and bad bytes stop with an InputError.

bibtexparser's LaTeX encoding and decoding middlewares are not used: they escape URLs and
cut them at ``%``. Values are mapped by :mod:`policycite.formats.bibmap` and escaped by
:mod:`policycite.formats.latex`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
from bibtexparser import model as bib
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library as BibLibrary
from bibtexparser.writer import BibtexFormat

from policycite.errors import InputError, ModelError
from policycite.findings import Finding, Location
from policycite.formats import ReadResult, collect, naming, read_text
from policycite.formats.bibmap import (
    DISPLAY_FIELDS,
    KNOWN_TYPES,
    MONTH_MACROS,
    PROFILES,
    apacite_display,
    entry_fields,
    entry_to_record,
    natbib_display,
)
from policycite.formats.latex import closing, decode
from policycite.formats.record import source_from_dict
from policycite.model import Source

__all__ = ["DEFAULT_PROFILE", "dumps", "key_findings", "load", "loads"]

DEFAULT_PROFILE = "biblatex-apa"

# Text between blocks that reads like fields ("}, note = {...}"): an entry closed early.
_STRAY_FIELDS_RE = re.compile(r"\s*,?\s*[\w-]+\s*=\s*[{\"\w]")

# Control characters other than tab, newline, form feed and carriage return: a binary file.
_BINARY_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------------------
# Writing


def dumps(sources: Iterable[Source], profile: str = DEFAULT_PROFILE) -> str:
    """Sources as a ``.bib`` file for one export profile (see ``bibmap.PROFILES``)."""
    if profile not in PROFILES:
        raise InputError(f"unknown BibTeX profile {profile!r}; known: {', '.join(PROFILES)}")
    library = BibLibrary()
    # An @comment, not a % line: an @ in a % comment starts an entry for BibTeX.
    library.add(bib.ExplicitComment(f"Written by policycite, profile {profile}"))
    for source in sources:
        with naming(source):
            entry_type, fields = entry_fields(source, profile)
            _refuse_unwritable({"key": source.key, **fields})
        library.add(bib.Entry(entry_type, source.key, [bib.Field(k, v) for k, v in fields.items()]))
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.indent = "  "
    layout.block_separator = "\n\n"
    layout.trailing_comma = True
    # No middleware: the values are finished LaTeX, enclosures included.
    return str(write_string(library, unparse_stack=[], bibtex_format=layout))


# What a .bib file cannot hold: control characters (read as a binary file) and lone
# surrogates (no UTF-8 for them).
_UNWRITABLE_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def _refuse_unwritable(fields: dict[str, str]) -> None:
    for field, value in fields.items():
        found = _UNWRITABLE_RE.search(value)
        if found:
            raise InputError(
                f"field {field!r} holds U+{ord(found.group()):04X}, which a .bib file cannot "
                "hold (control characters make it a binary file); fix the value or export "
                "to CSL-JSON or YAML"
            )


_LATEX_UNSAFE_KEY = re.compile(r"[#%&$~^\\{}]")


def key_findings(sources: Iterable[Source]) -> list[Finding]:
    """PC016 for each key that LaTeX cannot cite (pandoc keys may hold ``#%&$~``)."""
    return [
        Finding(
            "PC016",
            f"citation key {s.key!r} cannot be used in \\cite",
            Location(key=s.key, field="id"),
            hint="use letters, digits and :.-_/ in keys meant for LaTeX",
        )
        for s in sources
        if _LATEX_UNSAFE_KEY.search(s.key)
    ]


# ---------------------------------------------------------------------------------------
# Reading


#: The most text one value may expand to through ``@string`` macros, and all expanded
#: macros of one file together; checked before the text is built.
MAX_VALUE_CHARS = 1024 * 1024
MAX_EXPANDED_CHARS = 64 * 1024 * 1024

# A part of a value: literal text, or the index of a macro in _Reader.macros.
_Part = str | int


@attrs.define
class _Macro:
    """An ``@string`` definition: its parts, the length they add up to, its text once used."""

    parts: list[_Part]
    length: int
    text: str | None = None


@attrs.define
class _Reader:
    name: str
    macros: list[_Macro] = attrs.field(factory=list)
    strings: dict[str, int] = attrs.field(factory=dict)  # folded name -> index in macros
    expanded: int = 0  # characters of macro text built so far
    findings: list[Finding] = attrs.field(factory=list)

    def at(self, line: int | None, key: str | None = None, field: str | None = None) -> Location:
        return Location(self.name, None if line is None else line + 1, None, key, field)

    def define(self, name: str, raw: str, line: int | None) -> None:
        """Record an ``@string``; it is expanded only when a value uses it (and fits)."""
        parts = self.parts(raw, line, None, f"@string {name}")
        if parts is None:
            parts = [raw]
        length = sum(len(p) if isinstance(p, str) else self.macros[p].length for p in parts)
        self.strings[name.casefold()] = len(self.macros)
        self.macros.append(_Macro(parts, length))

    def value(self, raw: str, line: int | None, key: str | None, field: str) -> str:
        """Resolve a raw value (``{..}``, ``".."``, numbers, macros joined by ``#``)."""
        parts = self.parts(raw, line, key, field)
        if parts is None:
            return raw
        length = sum(len(p) if isinstance(p, str) else self.macros[p].length for p in parts)
        if length > MAX_VALUE_CHARS or (
            length > len(raw) and self.expanded + length > MAX_EXPANDED_CHARS
        ):
            self.findings.append(
                Finding(
                    "PC018",
                    f"field {field!r} would expand to {length:,} characters through "
                    f"@string macros (limit {MAX_VALUE_CHARS:,} per value, "
                    f"{MAX_EXPANDED_CHARS:,} per file); it is kept unexpanded",
                    self.at(line, key, field),
                    hint="check the @string definitions it uses",
                )
            )
            return raw
        return "".join(p if isinstance(p, str) else self.expand(p) for p in parts)

    def expand(self, index: int) -> str:
        """A macro's text, built once; without recursion, since chains may be long."""
        stack = [index]
        while stack:
            macro = self.macros[stack[-1]]
            if macro.text is not None:
                stack.pop()
                continue
            pending = [p for p in macro.parts if isinstance(p, int) and self.macros[p].text is None]
            if pending:
                stack.extend(pending)
                continue
            self.expanded += macro.length
            macro.text = "".join(
                p if isinstance(p, str) else str(self.macros[p].text) for p in macro.parts
            )
            stack.pop()
        return str(self.macros[index].text)

    def parts(self, raw: str, line: int | None, key: str | None, field: str) -> list[_Part] | None:
        """The parts of a raw value; None when its braces do not balance."""
        parts: list[_Part] = []
        i, n = 0, len(raw)
        while i < n:
            char = raw[i]
            if char.isspace():
                i += 1
                continue
            if char in '{"':
                end = closing(raw, i)
                if end is None:
                    self.findings.append(
                        Finding(
                            "PC010",
                            f"unbalanced braces in field {field!r}",
                            self.at(line, key, field),
                        )
                    )
                    return None
                parts.append(raw[i + 1 : end])
                i = end + 1
            else:
                match = re.match(r"[^\s#]+", raw[i:])
                word = match.group() if match else raw[i]
                i += len(word)
                parts.append(self.macro(word, line, key, field))
            # After a value: only white space, then "#" and another value.
            rest = raw[i:].lstrip()
            if not rest:
                break
            if rest[0] != "#":
                self.findings.append(
                    Finding(
                        "PC010",
                        f"field {field!r} has text after its value: {_clip(rest)!r} "
                        "(a missing comma between two fields?)",
                        self.at(line, key, field),
                        hint="put a comma after each field value",
                    )
                )
                break
            i = n - len(rest) + 1
        return parts

    def macro(self, word: str, line: int | None, key: str | None, field: str) -> _Part:
        if word.isdigit():
            return word
        folded = word.casefold()
        if folded in self.strings:
            return self.strings[folded]
        if folded in MONTH_MACROS:
            return MONTH_MACROS[folded] if field != "month" else folded
        self.findings.append(
            Finding(
                "PC012",
                f"field {field!r} uses the undefined macro {word!r}; it is kept as text",
                self.at(line, key, field),
                hint=f"define it with @string{{{word} = {{...}}}} or brace the value",
            )
        )
        return word


def _clip(text: str, size: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _failed(reader: _Reader, block: bib.ParsingFailedBlock) -> bib.Entry | None:
    """Report a failed block; return the entry still worth reading, if any."""
    line = block.start_line
    if isinstance(block, bib.DuplicateBlockKeyBlock):
        reader.findings.append(
            Finding(
                "PC002",
                f"citation key {block.key!r} is used again; the first entry is used",
                reader.at(line, block.key, "key"),
                hint="give one of the two entries another key",
            )
        )
        return None
    if isinstance(block, bib.DuplicateFieldKeyBlock):
        # Read on: _source reports each repeated field at its own line.
        entry = block.ignore_error_block
        return entry if isinstance(entry, bib.Entry) else None
    first = str(block.error).strip().splitlines()[0] if str(block.error).strip() else "syntax error"
    reader.findings.append(
        Finding(
            "PC010",
            f"entry not read: {first}",
            reader.at(line),
            hint="check the braces and commas of this entry",
        )
    )
    return None


def loads(text: str, name: str = "<string>") -> ReadResult:
    """Read a ``.bib`` file's text into a library; problems come back as findings."""
    binary = _BINARY_RE.search(text)
    if binary:
        raise InputError(
            f"not a text file: control character U+{ord(binary.group()):04X}",
            source=name,
            line=text.count("\n", 0, binary.start()) + 1,
            column=binary.start() - (text.rfind("\n", 0, binary.start()) + 1) + 1,
        )
    parsed = parse_string(text, parse_stack=[])
    reader = _Reader(name)
    entries: list[tuple[bib.Entry, int | None]] = []  # with the line of each
    for block in parsed.blocks:
        if isinstance(block, bib.String):
            reader.define(block.key, block.value, block.start_line)
        elif isinstance(block, bib.Entry):
            entries.append((block, block.start_line))
        elif isinstance(block, bib.ImplicitComment) and _STRAY_FIELDS_RE.match(block.comment):
            reader.findings.append(
                Finding(
                    "PC010",
                    f"fields after the end of an entry are not read: {_clip(block.comment)!r} "
                    "(a stray '}' closed the entry early?)",
                    reader.at(block.start_line),
                    hint="check the braces of the entry before this text",
                )
            )
        elif isinstance(block, bib.ParsingFailedBlock):
            salvaged = _failed(reader, block)
            if salvaged is not None:
                entries.append((salvaged, block.start_line))
    read: list[tuple[Source, Location]] = []
    for block, line in sorted(entries, key=lambda e: e[1] or 0):
        source = _source(reader, block, line)
        if source is not None:
            read.append((source, reader.at(line, source.key)))
    return collect(read, reader.findings)


def load(path: Path | str) -> ReadResult:
    """Read a ``.bib`` file (UTF-8; see :func:`loads`)."""
    return loads(read_text(path), str(path))


def _source(reader: _Reader, entry: bib.Entry, line: int | None) -> Source | None:
    key = entry.key
    fields: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    for item in entry.fields:
        name = item.key.casefold()
        if name in fields:
            reader.findings.append(
                Finding(
                    "PC011",
                    f"field {name!r} is given twice; the first value is used",
                    reader.at(item.start_line, key, name),
                )
            )
            continue
        fields[name] = reader.value(str(item.value), item.start_line, key, name)
        lines[name] = item.start_line
    entry_type = entry.entry_type.casefold()
    try:
        record, rest = entry_to_record(entry_type, key, fields)
    except ModelError as err:  # a value LaTeX cannot decode (nested too deep)
        reader.findings.append(
            Finding("PC013", f"entry not imported: {err.message}", reader.at(line, key, None))
        )
        return None
    kept: dict[str, Any] = {}
    if entry_type not in KNOWN_TYPES:
        kept["@type"] = entry_type
        reader.findings.append(
            Finding(
                "PC014",
                f"entry type @{entry_type} is read as a generic document; the type is kept",
                reader.at(line, key, "type"),
            )
        )
    display = {k: rest.pop(k) for k in DISPLAY_FIELDS if k in rest}
    for field, value in rest.items():
        kept[field] = value
        if field in {"month", "day"}:
            reader.findings.append(
                Finding(
                    "PC017",
                    f"{field} {value!r} is not a {field} (month: jan-dec or 1-12; day: 1-31); "
                    "the date is read without it and the field is kept as written",
                    reader.at(lines.get(field), key, field),
                    hint=f"correct the {field} or remove it",
                )
            )
            continue
        reader.findings.append(
            Finding(
                "PC015",
                f"field {field!r} has no policycite meaning; it is kept as written",
                reader.at(lines.get(field), key, field),
            )
        )
    try:
        source, _ = source_from_dict(record)
        if display:
            source = _with_display(source, record, display, kept)
    except ModelError as err:
        field = err.field or "entry"
        reader.findings.append(
            Finding(
                "PC013",
                f"entry not imported: {err.message}",
                reader.at(lines.get(field.split(".")[0].casefold(), line), key, err.field),
            )
        )
        return None
    if kept:
        source = attrs.evolve(source, custom={**source.custom, "bibtex": kept})
    return source


def _with_display(
    source: Source, record: dict[str, Any], display: dict[str, str], kept: dict[str, Any]
) -> Source:
    """Drop display fields that are what export writes; keep the rest as the user's text."""
    derived = (apacite_display(source), natbib_display(source))
    rebuild = False
    for field, value in display.items():
        if any(d.get(field) == value for d in derived):
            continue
        if field == "note":
            record["note"] = decode(value)
            rebuild = True
            continue
        kept[field] = value
        url = re.search(r"\\url\{([^{}\s]+)\}", value)
        if url and "URL" not in record:
            record["URL"] = url.group(1)
            rebuild = True
    return source_from_dict(record)[0] if rebuild else source
