"""Footnote marks as citations: Chicago's notes style, where the note names the work.

A mark in the text refers to a note: a superscript number (``…none will.”²``, as the
Word reader writes a footnote reference) or a Markdown footnote reference (``[^2]``). A
note opens with its own mark: ``² Edda Marsh, “Speech …,” April 2, 2025, para. 3.`` (the
Word reader writes the number Word shows), or ``[^2]: …`` in Markdown.

Each mark whose note exists becomes a :class:`~policycite.brief.model.Citation` of form
``note``: its span is the mark, its one work's ``authors`` the words of the note that
name the work (author, title, publication, as written) and its ``locator`` the pinpoint
that ends the note ("para. 3", "p. 12"). "Ibid." (also "Ibid., para. 4", "Id.") names the
work of the note before it, with its own locator if it gives one. The reference list
entry a note names is decided later, by the author's name and title words in it
(:mod:`policycite.rules.context`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from policycite.brief.model import Citation, CitedWork, Span

#: The superscript digits a Word footnote mark is written with.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

_MARK_RE = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+|\[\^(?P<label>[^\]\s]+)\](?!:)")
_NOTE_LABEL_RE = re.compile(
    rf"\s*(?:(?P<sup>[{SUPERSCRIPT_DIGITS}]+)|\[\^(?P<label>[^\]\s]+)\]:)\s*"
)
_LOCATOR_RE = re.compile(
    r"[,;:]?\s*(?P<locator>(?:paras?|pp?|sec(?:tion)?|ch(?:ap(?:ter)?)?)\.?\s*"
    r"\d+(?:\s*[-–]\s*\d+)?)\s*[.;]?\s*\Z",
    re.IGNORECASE,
)
_IBID_RE = re.compile(r"\A(?:ibid|ib|id)\.?(?=[\s,.;]|\Z)", re.IGNORECASE)


def mark_label(mark: str) -> str:
    """The label a mark refers to: "²" gives "2", "[^a]" gives "a"."""
    return mark.strip("[]^").translate(_DIGITS)


def note_label(text: str) -> tuple[str, int] | None:
    """The label of a note's opening mark ("2") and where its words start, or None."""
    match = _NOTE_LABEL_RE.match(text)
    if match is None:
        return None
    sup = match.group("sup")
    label = sup.translate(_DIGITS) if sup else None
    return label or match.group("label"), match.end()


def note_citations(
    mask: str,
    blocks: Sequence[tuple[int, int, str]],
    span_at: Callable[[int, int], Span],
) -> list[list[Citation]]:
    """The note citations of each block (empty for a block that is not text).

    ``blocks`` are the (start, end, kind) of the brief's paragraphs; marks are looked for
    in ``body`` and ``blockquote`` blocks, notes are the ``footnote`` blocks.
    """
    works: dict[str, CitedWork] = {}
    previous: CitedWork | None = None
    for start, end, kind in blocks:
        if kind != "footnote":
            continue
        opening = note_label(mask[start:end])
        if opening is None:
            continue
        label, at = opening
        work = _work(mask[start + at : end].strip(), previous)
        if work is not None:
            works[label] = previous = work
    out: list[list[Citation]] = []
    for start, end, kind in blocks:
        found: list[Citation] = []
        if works and kind in {"body", "blockquote"}:
            for match in _MARK_RE.finditer(mask, start, end):
                label = mark_label(match.group())
                if label in works:
                    # converter=tuple types works as Iterable[_T_co] under mypy; see structure.
                    cited: Any = (works[label],)
                    span = span_at(match.start(), match.end())
                    found.append(Citation(span, match.group(), "note", cited))
        out.append(found)
    return out


def _work(text: str, previous: CitedWork | None) -> CitedWork | None:
    """The work a note's text names, with its locator; "Ibid." repeats the one before."""
    text = " ".join(text.split())
    locator_match = _LOCATOR_RE.search(text)
    locator = " ".join(locator_match.group("locator").split()) if locator_match else None
    naming = text[: locator_match.start()] if locator_match else text
    naming = naming.strip(" ,.;")
    if _IBID_RE.match(naming):
        if previous is None:
            return None
        return CitedWork(previous.authors, locator=locator or previous.locator)
    if not naming:
        return None
    return CitedWork(naming, locator=locator)


__all__ = ["SUPERSCRIPT", "SUPERSCRIPT_DIGITS", "mark_label", "note_citations", "note_label"]
