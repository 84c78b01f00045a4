"""Deterministic Word packages for the scripts that write the .docx test fixtures.

tools/make_corpus_docx.py, tools/make_word_fixtures.py and tools/make_annotate_docx.py
build their briefs with python-docx, which has no API for footnotes and stamps the
package with the current time. This module holds what they share: a document with fixed
core properties, the ``word/footnotes.xml`` part (with the two separator notes Word
itself writes), and the re-packing of the saved package with fixed member dates, DEFLATE
compression and the parts and relationships python-docx cannot add, so that running a
script again gives the same bytes.

The scripts import it by name; each puts its own folder on ``sys.path`` first, so that
works when a script is run (``python tools/x.py``) and when a test loads it by path.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Relationship types are this prefix and a name ("footnotes", "hyperlink").
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Relationship(NamedTuple):
    """A relationship of word/document.xml, written into word/_rels/document.xml.rels."""

    id: str
    type: str  # the last segment of the type URI: "footnotes", "hyperlink"
    target: str
    external: bool = False

    def xml(self) -> bytes:
        """The ``<Relationship>`` element."""
        mode = ' TargetMode="External"' if self.external else ""
        target = escape(self.target, {'"': "&quot;"})  # a URL's & and any quote, in an attribute
        return (
            f'<Relationship Id="{self.id}" Type="{RELATIONSHIPS}{self.type}" '
            f'Target="{target}"{mode}/>'
        ).encode()


class Part(NamedTuple):
    """A part added to the package: its name, content type, bytes and how the body links it."""

    name: str  # in the zip, e.g. "word/footnotes.xml"
    content_type: str
    data: bytes
    relationship: Relationship


def document(author: str, when: datetime.datetime) -> Any:
    """A new python-docx document whose core properties are fixed: author, dates, revision."""
    made = docx.Document()
    properties = made.core_properties
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = when
    properties.revision = 1
    return made


def text_note(text: str) -> str:
    """The runs of a footnote holding plain text (after the space that follows its mark)."""
    return f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'


def footnotes_xml(notes: Mapping[int, str]) -> bytes:
    """``word/footnotes.xml``: the separators, then each note's mark and its runs (XML)."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for number, runs in sorted(notes.items()):
        parts.append(
            f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f"</w:rPr><w:footnoteRef/></w:r>{runs}</w:p></w:footnote>"
        )
    parts.append("</w:footnotes>")
    return "".join(parts).encode("utf-8")


def footnotes(notes: Mapping[int, str]) -> Part:
    """The footnotes part of ``notes`` (number -> the note's runs as XML)."""
    return Part(
        "word/footnotes.xml",
        FOOTNOTES_TYPE,
        footnotes_xml(notes),
        Relationship("rIdFootnotes", "footnotes", "footnotes.xml"),
    )


def package(
    made: Any,
    when: datetime.datetime,
    parts: Iterable[Part] = (),
    relationships: Iterable[Relationship] = (),
) -> bytes:
    """The .docx bytes of ``made``, with ``parts`` and ``relationships`` added.

    Every member is dated ``when`` and DEFLATE-compressed (a bare ``zipfile.ZipInfo`` is
    stored uncompressed); members keep python-docx's order, the added parts follow.
    """
    parts = tuple(parts)
    links = b"".join(r.xml() for r in (*(p.relationship for p in parts), *relationships))
    overrides = b"".join(
        f'<Override PartName="/{p.name}" ContentType="{p.content_type}"/>'.encode() for p in parts
    )
    plain = io.BytesIO()
    made.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", overrides + b"</Types>")
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", links + b"</Relationships>")
            target.writestr(_member(info.filename, when), data)
        for part in parts:
            target.writestr(_member(part.name, when), part.data)
    return out.getvalue()


def _member(name: str, when: datetime.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
