"""Tell the lines above a body that a reader does not count from the body's paragraphs.

Government pages put short lines between the title and the text: a dateline ("Tuesday 11
February 2025, 06:45", "Aarhus, 5 February 2025", "BRUSSELS, 3 March 2025 —"), what is
left of a label ("Press release ·"), a release number ("Pressemitteilung Nr. 12/2025 vom
3. März 2025") and delivery notes ("Check against delivery", "As prepared for delivery",
"Embargoed until 00:01 …"). A reader counting paragraphs for APA's "para." locator
starts after them, so they are kept in the snapshot's text (its hash does not change)
but are not numbered; what they say (date, place, delivery status, number) becomes
metadata.

:func:`numbers` is the one numbering rule, used for new captures
(:attr:`~policycite.capture.document.Document.paragraphs`) and to renumber snapshots
stored under an older rule (:data:`NUMBERING` says which rule a sidecar follows). Pure
functions on strings; no I/O, and nothing from policycite but :mod:`cues`.
"""

# German, French and Russian cue words are the point of this module.

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import attrs

from policycite.capture import cues
from policycite.capture.linklines import is_link_line
from policycite.capture.numbering import NUMBERING

_MAX_LINE = 120  # characters: a preamble line is short; a paragraph that opens alike is prose

_WEEKDAY = re.compile(
    r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
    r"|^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag),?\s+(?:den\s+)?"
    r"|^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+(?:le\s+)?"
    r"|^(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье),?\s+",
    re.IGNORECASE,
)
# A place before a comma and a date: one to four words, each capitalised or a particle.
_PLACE = re.compile(
    r"^(?P<place>[^\W\d_][\w.'’-]*(?:[ -](?:[^\W\d_][\w.'’-]*)){0,3}),\s*"
    r"(?:den\s+|le\s+|am\s+)?(?P<rest>\d.*|[^\W\d_]+\.?\s+\d.*)$"
)
_SEPARATORS = " \t·•|/–—-:,"
_LABELS = (
    r"(?:press|news|media)\s+releases?|press\s+statement|news(?:\s+story)?|speech(?:es)?"
    r"|remarks|statement|opinion|blog(?:\s+post)?|article|communiqu[ée](?:\s+de\s+presse)?"
    r"|pressemitteilung|pressemeldung|presseinformation|rede|nota\s+de\s+prensa"
    r"|comunicado(?:\s+de\s+prensa)?|discours|пресс-релиз|новости|выступление|заявление"
)
# "Nr. 12/2025", "No. 12/2025", "n° 12/2025", "№ 12/2025", "Nr 12": a release number.
_NUMBER = r"(?:nr\.?|no\.?|n[°º]|№|#|number)\s*(?P<number>\d[\w/.-]*)"
_LABEL_LINE = re.compile(rf"^(?:{_LABELS})(?:\s*{_NUMBER})?(?P<rest>[\s·•|/–—:,-].*)?$", re.I)
# Delivery notes, one pattern per status, each matched against the whole line.
_PREPARED = (
    r"(?:\*\s*)?(?:please\s+)?(?:check|to\s+be\s+checked)\s+against\s+delivery"
    r"|(?:as\s+|text\s+as\s+)?prepared\s+for\s+delivery"
    r"|(?:only\s+)?the\s+spoken\s+word\s+(?:is\s+binding|applies)"
    r"|es\s+gilt\s+das\s+gesprochene\s+wort|seul\s+le\s+prononcé\s+fait\s+foi"
)
_DELIVERED = r"(?:text\s+)?as\s+delivered"
_EMBARGO = r"(?:embargo(?:ed)?|sperrfrist|sous\s+embargo)\b.*"
_DELIVERY = re.compile(
    rf"\(?\s*(?:(?P<prepared>{_PREPARED})|(?P<delivered>{_DELIVERED}))\s*\)?[.!*]?"
    rf"|\(?\s*(?P<embargo>{_EMBARGO})",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")


@attrs.frozen
class Preamble:
    """What one preamble line says: its role and the metadata it holds."""

    role: str  # "dateline", "label" or "delivery"
    date: str | None = None  # ISO 8601
    place: str | None = None
    delivery: str | None = None  # "as-prepared" or "as-delivered"
    number: str | None = None  # a release number
    embargo: str | None = None  # ISO 8601: the day an embargoed text may be used


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _place(raw: str) -> str:
    # "BRUSSELS" is a typographic habit of datelines; the place is Brussels.
    return raw.title() if raw.isupper() and len(raw) > 3 else raw


def _dateline(line: str) -> tuple[str, str | None, str] | None:
    """(date, place, what follows) of a line that opens with a dateline, else None."""
    found = cues.split_date(_WEEKDAY.sub("", line, count=1))
    if found is not None:
        return found[0], None, found[1]
    placed = _PLACE.match(line)
    if placed is None:
        return None
    words = placed["place"].replace("-", " ").split()
    if not all(w[0].isupper() for w in words):
        return None
    rest = _WEEKDAY.sub("", placed["rest"], count=1)
    found = cues.split_date(rest)
    if found is None or len(found[0]) < 7:  # a bare year after a comma is no dateline
        return None
    return found[0], _place(placed["place"]), found[1]


def classify(text: str) -> Preamble | None:
    """The preamble a line is, or None when it is (or may be) a body paragraph."""
    line = _norm(text)
    if not line or len(line) > _MAX_LINE:
        return None
    delivery = _DELIVERY.fullmatch(line)
    if delivery is not None:
        # An embargo's date is when the text may be used: it dates the text only when
        # nothing else does (see metadata); an embargoed text is the one prepared before
        # delivery.
        status = "as-delivered" if delivery["delivered"] else "as-prepared"
        lifted = cues.find_date(line) if delivery["embargo"] else None
        return Preamble("delivery", delivery=status, embargo=lifted[0] if lifted else None)
    label = _LABEL_LINE.match(line)
    if label is not None:
        rest = (label["rest"] or "").strip(_SEPARATORS)
        date = cues.release_date(line) if rest else None
        if not rest or date is not None:
            return Preamble("label", date=date, number=label["number"])
        return None
    if not _HAS_DIGIT.search(line):  # every dateline has a day or a year
        return None
    dated = _dateline(line)
    if dated is not None and not dated[2].strip(_SEPARATORS):
        return Preamble("dateline", date=dated[0], place=dated[1])
    return None


def dateline_prefix(text: str) -> Preamble | None:
    """The dateline a paragraph opens with ("BRUSSELS, 3 March 2025 — The …"), or None.

    The paragraph stays a body paragraph (the reader counts it); only its date and place
    are read.
    """
    line = _norm(text)
    dated = _dateline(line)
    if dated is None or dated[1] is None or not dated[2]:
        return None
    # The date ends in a dash before the text: "BRUSSELS, 3 March 2025 — The …".
    if not line[: len(line) - len(dated[2])].rstrip().endswith(("—", "–", "-")):
        return None
    return Preamble("dateline", date=dated[0], place=dated[1])


def numbers(blocks: Sequence[tuple[str, bool]]) -> list[int | None]:
    """The reader's paragraph number of each block, given as (text, is_heading).

    Headings are not numbered; nor are preamble lines before the first body paragraph,
    nor link lines anywhere (:mod:`policycite.capture.linklines`).
    """
    out: list[int | None] = []
    number = 0
    for text, heading in blocks:
        if heading or (number == 0 and classify(text) is not None) or is_link_line(text):
            out.append(None)
            continue
        number += 1
        out.append(number)
    return out


def leading(blocks: Sequence[tuple[str, bool]]) -> list[Preamble]:
    """The preamble lines before the first body paragraph, in order."""
    out = []
    for text, heading in blocks:
        if heading:
            continue
        found = classify(text)
        if found is None:
            break
        out.append(found)
    return out


def body_texts(blocks: Sequence[tuple[str, bool]]) -> list[str]:
    """The blocks' texts without the preamble lines before the first body paragraph.

    What the body opens with (a salutation makes a speech) is read after them.
    """
    skip = len(leading(blocks))
    out = []
    for text, heading in blocks:
        if not heading and skip:
            skip -= 1
            continue
        out.append(text)
    return out


def metadata(blocks: Sequence[tuple[str, bool]]) -> list[tuple[str, str, str]]:
    """(field, value, how) for what the preamble and the first paragraph's dateline say.

    Fields are those of :data:`policycite.capture.document.FIELDS`: ``issued``,
    ``place``, ``delivery`` and ``number``; the first value of each is kept.
    """
    found: dict[str, tuple[str, str, str]] = {}

    def add(name: str, value: str | None, how: str) -> None:
        if value and name not in found:
            found[name] = (name, value, how)

    lines = leading(blocks)
    for line in lines:
        how = {
            "dateline": "dateline above the body",
            "label": "label line above the body",
            "delivery": "delivery note above the body",
        }[line.role]
        add("issued", line.date, how)
        add("place", line.place, how)
        add("delivery", line.delivery, how)
        add("number", line.number, how)
    body = [text for text, heading in blocks if not heading][len(lines) : len(lines) + 1]
    if body and (opening := dateline_prefix(body[0])) is not None:
        add("issued", opening.date, "dateline opening the first paragraph")
        add("place", opening.place, "dateline opening the first paragraph")
    # With no other date, the day the embargo lifts is the day the text was released (a
    # speech is given, a release published): better than any date found elsewhere.
    for line in lines:
        add("issued", line.embargo, "embargo date above the body (the day of release)")
    return list(found.values())


__all__ = [
    "NUMBERING",
    "Preamble",
    "body_texts",
    "classify",
    "dateline_prefix",
    "leading",
    "metadata",
    "numbers",
]
