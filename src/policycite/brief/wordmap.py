"""Map the offsets of a Word brief's text back to the elements of the Word package.

:func:`word_map` walks a python-docx document as :mod:`policycite.brief.readers` reads
it (the same :func:`~policycite.brief.readers.run_pieces` walk of each paragraph, the
same joining: line breaks folded, italic marks taken out, paragraphs stripped and
joined by a blank line, footnotes and endnotes after the body) and gives, for every
character of :attr:`Brief.text`, the element it comes from (a ``w:t``, tab, break or
note mark) and its index there, or None for what the reader adds (the blank lines
between paragraphs). That is what anchors a finding's span on the file's runs.

The notes parts are parsed here (no DTD, no entities) from the package's members, as
the reader reads them, and kept: a caller that changes them writes :attr:`WordMap.notes`
back. Must not change the document itself.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import attrs
from lxml import etree

from policycite.brief.readers import (
    _ITALIC,
    _LINE_BREAKS,
    _ROMAN,
    _W,
    _WORD_PARTS,
    _WP,
    _WTYPE,
    _footnote_marks,
    generated,
    run_pieces,
)
from policycite.errors import InputError
from policycite.safeparse import xml_parser


class Spot(NamedTuple):
    """Where one character of the brief's text is in the package: an element, an index.

    ``element`` is a ``w:t`` (``offset`` counts in its text), or a tab, break, hyphen or
    footnote mark, which stand for their characters (the mark "¹²" has two). A named
    tuple, not an attrs class: there is one per character, and tuples are made fast.
    """

    element: Any  # an lxml element: lxml ships no types this project checks
    offset: int


@attrs.frozen(eq=False)
class WordMap:
    """The text of a Word brief and, for each of its characters, its :class:`Spot`.

    ``notes`` holds the parsed footnotes and endnotes parts (part name -> root), whose
    elements the spots of the notes' text point into.
    """

    text: str
    spots: tuple[Spot | None, ...]
    notes: dict[str, Any]
    #: (start, end, w:p) of each paragraph of the text; a note's are its w:footnote's.
    blocks: tuple[tuple[int, int, Any], ...] = ()


_Chars = list[tuple[str, Spot | None]]


def word_map(document: Any, package: bytes) -> WordMap:
    """The offset map of a python-docx ``document`` read from the bytes ``package``.

    As the reader does, the notes are the package's ``word/footnotes.xml`` and
    ``word/endnotes.xml`` members. Raises InputError when one cannot be parsed.
    """
    body = document.element.body
    marks = _footnote_marks(body)
    blocks: list[tuple[_Chars, Any]] = [
        ([] if generated(p) else _chars(run_pieces(p, marks)), p) for p in body.iter(_WP)
    ]
    notes: dict[str, Any] = {}
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = set(archive.namelist())
        parts = {name: archive.read(name) for name in _WORD_PARTS[1:] if name in members}
    for name, xml in parts.items():
        try:
            root = etree.fromstring(xml, parser=xml_parser())
        except etree.XMLSyntaxError as err:
            raise InputError(f"the Word notes cannot be parsed: {err}", source=name) from None
        notes[name] = root
        blocks += _note_blocks(root, marks)
    return _joined(blocks, notes)


def _note_blocks(root: Any, marks: dict[str, str]) -> Iterator[tuple[_Chars, Any]]:
    """The characters of each real note, its paragraphs joined by a line break."""
    for note in root:
        if note.get(_WTYPE) not in {None, "normal"}:
            continue  # separator, continuationSeparator, continuationNotice
        footnote = note.tag == f"{{{_W}}}footnote"
        note_id = note.get(f"{{{_W}}}id") if footnote else None
        chars: _Chars = []
        for index, paragraph in enumerate(note.iter(_WP)):
            if index:
                chars.append(("\n", None))
            chars += _chars(run_pieces(paragraph, marks, note_id))
        yield _stripped(chars), note


def _chars(pieces: Iterable[tuple[str, Any]]) -> _Chars:
    out: _Chars = []
    for text, element in pieces:
        if element is None:
            out += [(char, None) for char in text]
        else:
            out += [(char, Spot(element, index)) for index, char in enumerate(text)]
    return out


def _stripped(chars: _Chars) -> _Chars:
    """``chars`` without leading and trailing whitespace (as :meth:`str.strip`)."""
    text = "".join(char for char, _ in chars)
    lead = len(text) - len(text.lstrip())
    return chars[lead : lead + len(text.strip())]


def _joined(blocks: list[tuple[_Chars, Any]], notes: dict[str, Any]) -> WordMap:
    """The blocks as the reader joins them (readers._joined), spots kept."""
    out: _Chars = []
    spans: list[tuple[int, int, Any]] = []
    for chars, element in blocks:
        raw = "".join(char for char, _ in chars)
        folded: _Chars = []
        position = 0
        for found in _LINE_BREAKS.finditer(raw):
            folded += chars[position : found.start()]
            folded.append(("\n", None))
            position = found.end()
        folded += chars[position:]
        kept = _stripped([(c, spot) for c, spot in folded if c not in {_ITALIC, _ROMAN}])
        if not kept:
            continue
        if out:
            out += [("\n", None), ("\n", None)]
        spans.append((len(out), len(out) + len(kept), element))
        out += kept
    text = "".join(char for char, _ in out)
    return WordMap(text, tuple(spot for _, spot in out), notes, tuple(spans))


__all__ = ["Spot", "WordMap", "word_map"]
