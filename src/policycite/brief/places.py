"""Places of a brief's paragraphs as its author sees them in Word: "paragraph 12", "footnote 3".

Lines and columns count in the text policycite extracts from a Word package, which the
author never sees. Word shows paragraphs, footnote numbers and the reference list, so a
Word brief's paragraphs carry a place in those terms (:attr:`Paragraph.place`):

- ``paragraph N``: N counts the paragraphs of the document body that hold text, from
  the top, headings, list items and table cells included; empty paragraphs (blank lines
  typed as an empty paragraph) are not counted, as in Word's own count of paragraphs
  (Review, Word Count).
- ``footnote N`` / ``endnote N``: the number Word prints at the note's mark: notes are
  numbered in the order of their marks in the text (not by their order in the package),
  in the number format the document sets (footnotes 1, 2, 3 and endnotes i, ii, iii
  unless it sets another).
- ``reference N``: an entry of the reference list, by its position in the list (the
  number findings about it use, "reference 2 should come before reference 1").

No I/O here; the Word reader (:mod:`.readers`) finds the numbers in the package.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import attrs

from policycite.brief.model import Brief

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def note_number(number: int, number_format: str) -> str:
    """A note's number as Word prints it in a ``w:numFmt`` (decimal, lowerRoman, …).

    Letters repeat past z as Word does ("aa", "bb"); formats Word has but a brief hardly
    uses (chicago symbols, ordinal words) fall back to decimal.
    """
    if number_format == "lowerRoman":
        return _roman(number)
    if number_format == "upperRoman":
        return _roman(number).upper()
    if number_format in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if number_format == "lowerLetter" else letter.upper()
    return str(number)


def with_places(brief: Brief, places: Sequence[tuple[int, str]]) -> Brief:
    """``brief`` with each paragraph's place set.

    ``places`` gives (offset where it starts, place) for each paragraph a reader
    extracted, in text order; a paragraph of the brief takes the place of the extracted
    paragraph it lies in (a reader's paragraph may become several: header lines, the
    entries of a reference list written as one paragraph). Entries of the reference
    list are "reference N" whatever paragraph holds them.
    """
    starts = [start for start, _ in places]
    entries = {entry.span.start: entry.number for entry in brief.references}
    paragraphs = []
    for paragraph in brief.paragraphs:
        number = entries.get(paragraph.span.start)
        if paragraph.kind == "reference" and number is not None:
            place: str | None = f"reference {number}"
        else:
            index = bisect.bisect_right(starts, paragraph.span.start) - 1
            place = places[index][1] if index >= 0 else None
        paragraphs.append(attrs.evolve(paragraph, place=place))
    # The model's converter=tuple types the field as Iterable[_T_co]; Any passes it through.
    values: dict[str, Any] = {"paragraphs": tuple(paragraphs)}
    return attrs.evolve(brief, **values)


__all__ = ["note_number", "with_places"]
