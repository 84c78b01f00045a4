"""Group authors of a brief's reference list, and where the brief defines their abbreviations.

APA (7th ed., 8.21; apastyle.apa.org, "Group author abbreviations") lets a brief cite a
group by an abbreviation once its full name has been given with it: in a parenthetical
citation "(World Health Organization [WHO], 2020)", in a narrative one "World Health
Organization (WHO, 2020)", or in the running text "the World Health Organization (WHO)".
The reference list keeps the full name.

This module finds, for each entry whose first author is a group, the group's full name,
the abbreviations it may be cited by (the record's ``abbreviation``, the one the entry
writes, the ones the brief defines) and every definition in the brief's text. It reads
values only: the context (:mod:`.context`) uses it to resolve "(WHO, 2020)", the rules of
:mod:`.abbreviations` to say where an abbreviation is used before its definition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from policycite.brief.model import Brief
from policycite.brief.refparse import ParsedReference
from policycite.model import Source

#: Paragraph kinds whose words can define an abbreviation (not the reference list, nor
#: a heading: APA defines an abbreviation in the text that follows it).
_DEFINING = frozenset({"body", "blockquote", "footnote"})
#: Headings of a brief's abstract: APA defines an abbreviation there and again in the
#: text (6.25), so a definition there is no first definition of the text.
_ABSTRACTS = frozenset(
    {"abstract", "summary", "executive summary", "key points", "key messages", "in brief"}
)
# An abbreviation as written after the name: "WHO", "MoCA", "UN-Habitat", "R&D".
_ABBREVIATION = r"[A-Z][\w&\-]{1,15}"


@attrs.frozen
class Definition:
    """One place the brief gives a group's full name with its abbreviation.

    ``start`` and ``end`` are offsets into the brief's text, from the first letter of the
    name to the end of the abbreviation.
    """

    abbreviation: str
    start: int
    end: int
    #: In the brief's abstract or summary, which APA defines apart from the text.
    in_abstract: bool = False


@attrs.frozen
class Group:
    """A group author of one reference entry, with its abbreviations and definitions.

    ``abbreviations`` are the forms the group may be cited by, as written (record,
    entry, brief); ``definitions`` the places the brief defines one, in text order.
    """

    name: str
    abbreviations: tuple[str, ...]
    definitions: tuple[Definition, ...]


def is_abbreviation(text: str) -> bool:
    """Whether a citation's author part reads as an abbreviation ("WHO", "MoCA").

    One word of at least two capitals: a group's full name has several words or starts
    with a capital only.
    """
    return re.fullmatch(_ABBREVIATION, text) is not None and sum(c.isupper() for c in text) >= 2


def _name_pattern(name: str) -> re.Pattern[str]:
    """The full name followed by an abbreviation in brackets or parentheses.

    The name's words match in any case and across line breaks ("the World Health
    Organization (WHO)"); the abbreviation is taken as written.
    """
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.compile(
        rf"(?<!\w)(?i:{words})\s*[(\[]\s*(?P<abbreviation>{_ABBREVIATION})\s*(?:[)\]]|,)"
    )


def _definitions(brief: Brief, folded: str, name: str) -> tuple[Definition, ...]:
    """Every place of the brief's text (outside the reference list) defining ``name``.

    ``folded`` is the brief's text casefolded (once for all names).
    """
    text = brief.text
    if name.split(maxsplit=1)[0].casefold() not in folded:
        return ()  # the name is not written at all: no search of the whole text
    spans: list[tuple[int, int, bool]] = []
    abstract = False
    for paragraph in brief.paragraphs:
        if paragraph.kind == "heading":
            abstract = " ".join(paragraph.text.split()).strip("#: ").casefold() in _ABSTRACTS
        elif paragraph.kind in _DEFINING:
            spans.append((paragraph.span.start, paragraph.span.end, abstract))
    out = []
    for match in _name_pattern(name).finditer(text):
        written = match["abbreviation"]
        inside = next((s for s in spans if s[0] <= match.start() < s[1]), None)
        if inside is not None and is_abbreviation(written):
            end = match.end("abbreviation")
            out.append(Definition(written, match.start(), end, in_abstract=inside[2]))
    return tuple(out)


def groups(
    brief: Brief, parsed: Sequence[ParsedReference], sources: Sequence[Source | None]
) -> tuple[Group | None, ...]:
    """The group author of each entry (None when the first author is a person or none).

    ``sources`` are the records the entries match (None where an entry matches none).
    The full name is the entry's, else the record's (an entry that writes only "WHO."
    names its group by the record).
    """
    found: dict[str, tuple[Definition, ...]] = {}
    folded = brief.text.casefold()
    out: list[Group | None] = []
    for ref, source in zip(parsed, sources, strict=True):
        first = ref.authors[0] if ref.authors else None
        record = source.authors[0] if source is not None and source.authors else None
        name = (first.literal if first is not None else None) or (
            record.literal if record is not None else None
        )
        if (first is not None and first.family is not None) or not name:
            out.append(None)
            continue
        if name not in found:
            found[name] = _definitions(brief, folded, name)
        definitions = found[name]
        known = [
            record.abbreviation if record is not None else None,
            first.abbreviation if first is not None else None,
            *(d.abbreviation for d in definitions),
        ]
        abbreviations = tuple(dict.fromkeys(a for a in known if a))
        out.append(Group(name, abbreviations, definitions))
    return tuple(out)


__all__ = ["Definition", "Group", "groups", "is_abbreviation"]
