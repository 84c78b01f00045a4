"""Turn the plain text of a copied web page into documents: main text, title, date, speaker.

Analysts copy a page (press release, speech transcript) out of the browser; the copy holds
the site's chrome too: sponsor notices, menus run together, clock widgets, lists of other
headlines with their dates, pop-up strings in another script. :func:`extract_text` keeps
the main text and the metadata above it, and splits a page that holds several documents
(a news item followed by the transcript of the speech it reports) into one
:class:`~policycite.capture.document.Document` each.

The method (measured on a real page: no chrome line kept, every body paragraph found):

1. one non-empty line is one paragraph, because web copies often lose the blank line
   between two paragraphs; hard-wrapped text (e-mail, 72 columns) is detected and its
   blank-line blocks are joined instead;
2. each line is classified as prose, heading, date or chrome, and scored;
3. the main block is the run of lines with the largest total score (Kadane's maximum
   subarray, the Body-Text-Extraction idea): prose scores up, chrome down;
4. the title and date are the heading and date lines just above the block; the dates of
   other headlines come after the body and are never looked at;
5. the block is split where a speech heading (or a heading followed by a salutation)
   starts a new document.

Every field is guessed from the text, so each :class:`Evidence` has ``heuristic=True``.
This module does no I/O.
"""

# Full-width punctuation and Cyrillic letters are cues here, not look-alike typos.
# ruff: noqa: RUF001

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence

import attrs

from policycite.capture import cues, preamble
from policycite.capture.changing import changing_cue
from policycite.capture.document import Block, Document, Evidence, Page
from policycite.capture.language import detect as _language
from policycite.capture.language import script as _script
from policycite.findings import Finding, Location

# Line classes and their scores for the main-block search. Prose earns 1 plus up to 3
# for length, so one long paragraph outweighs a heading and a date line between two
# documents, while a run of headlines with dates (a sidebar) stays negative.
_PROSE, _SHORT, _HEADING, _DATE, _CHROME = "prose", "short", "heading", "date", "chrome"
_PREAMBLE = "preamble"  # a dateline, label or delivery note (capture.preamble)
_SCORES = {_SHORT: 0.25, _HEADING: -0.5, _DATE: -0.5, _PREAMBLE: -0.5, _CHROME: -2.0}
_LOOK_ABOVE = 6  # lines above the block searched for title, date and byline

_PROSE_END = (".", "!", "?", ":", ";", '"', "”", ")", "…", "»", "’", "。", "！", "？", "'")
_SENTENCE_END = (".", "!", "?", "…", "。", "！", "？")
_HEADING_END = (".", "!", "?", ":", ";", ",", "。", "！", "？", "：")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?=[^\W\d_])")
_CAMEL_RUN = re.compile(r"[a-zа-яё][A-ZА-ЯЁ][a-zа-яё]")
_BULLET = re.compile(r"^[•·▪►◦‣∙|]")
_CREDIT = re.compile(r"^(?:photo|image|picture|credit|source|фото|источник)s?\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|von|par|автор:?)\s+(?P<name>[A-ZА-ЯЁ][\w.'’-]*(?:\s+[A-ZА-ЯЁ][\w.'’-]*){1,3})$"
)
# Who issued the page, said above its text: "From: Department of …" (GOV.UK and its
# kin), "Published by: …", "Herausgeber: …", "Publié par : …".
_ATTRIBUTION = re.compile(
    r"^(?:from|published\s+by|issued\s+by|herausgeber(?:in)?|publié\s+par|publicado\s+por)"
    r"\s*:\s*(?P<name>[A-ZÀ-ÞА-ЯЁ].{2,150})$",
    re.IGNORECASE,
)
# The site's owner, named in its copyright line: "© 2025 Ministry of X | Privacy".
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>[A-ZÀ-ÞА-ЯЁ][^|·•]{2,100}?)\s*(?:[|·•]|\s[-–—]\s|\.\s|\.?$)",
    re.IGNORECASE,
)
_NO_HOLDER = re.compile(r"copyright|rights|reserved|rechte|droits|derechos", re.IGNORECASE)
_LOST_FIRST_WORD = re.compile(r"^(?:of|by)\s")
_RESTORED = "speech heading whose first word was lost, restored as 'Speech'"
_EVENT_OPENING = re.compile(r"^(?:On|on|В|Le|Am|El)\s+(?P<rest>.+)$", re.DOTALL)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORDS = re.compile(r"[^\W\d_]+")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# An organisation named in a title: capitalised words ending in a body's generic name.
_ORG = re.compile(
    r"(?:(?:the|The)\s+)?(?P<org>(?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the)\s+)*){0,6}"
    r"(?:Organi[sz]ation|Alliance|Union|Council|Ministry|Agency|Commission|Secretariat|Bank"
    r"|Fund|Office|Department|Association|Institute|Forum|Programme|Program|Nations|Committee"
    r"|Authority|Service|Centre|Center|Federation|Community|Parliament|Government)"
    r"(?:\s+(?:of|for|on)(?:\s+the)?(?:\s+[A-Z][\w'’-]*)+"
    # "Department of Housing, Heat and Local Government": a list of portfolios.
    r"(?:(?:,\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*,?\s+and\s+[A-Z][\w'’-]*"
    r"(?:\s+[A-Z][\w'’-]*)*)?)?)"
)
_TITLE_ORG = re.compile(
    r"\b(?:Secretary-General|Secretary|President|Director(?:-General)?|Chair(?:man)?|Minister"
    r"|Ambassador|Spokesperson)\s+of\s+(?:the\s+)?"
)

# First-person pronouns: a news item reports, a speech says "we".
_FIRST_PERSON = frozenset("i we me us my our ourselves я мы меня нас мой наш наши нашей".split())
_NEWS_FIRST_PERSON = 0.005


@attrs.frozen
class _Unit:
    """One paragraph candidate: its text as copied and a normalised form to classify."""

    raw: str
    norm: str
    kind: str = ""


def _normalise(line: str) -> str:
    # NBSPs and thin spaces become plain spaces for classification only; blocks keep them.
    return " ".join(unicodedata.normalize("NFC", line).split())


def _looks_hard_wrapped(lines: Sequence[str]) -> bool:
    """True for text wrapped at a fixed width, whose paragraphs are blank-line blocks."""
    filled = [line for line in lines if line]
    if len(filled) < 4:
        return False
    lengths = [len(line) for line in filled]
    open_ended = sum(1 for line in filled if not line.endswith(_PROSE_END))
    return (
        40 <= statistics.median(lengths) <= 90
        and max(lengths) <= 100
        and open_ended > len(filled) / 2
    )


def _join_wrapped(lines: Sequence[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # A line broken after a hyphen ("Secretary-" / "General") joins without a space.
        out += line if re.search(r"\w-$", out) else " " + line
    return out


def _units(text: str) -> list[_Unit]:
    lines = [line.strip(" \t\f\v") for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line.replace("\r", "") for line in lines]
    normalised = [_normalise(line) for line in lines]
    if not _looks_hard_wrapped(normalised):
        return [_Unit(raw, norm) for raw, norm in zip(lines, normalised, strict=True) if norm]
    units: list[_Unit] = []
    block: list[str] = []
    for raw, norm in [*zip(lines, normalised, strict=True), ("", "")]:
        if norm:
            block.append(raw.strip())
        elif block:
            joined = _join_wrapped(block)
            units.append(_Unit(joined, _normalise(joined)))
            block = []
    return units


def _word_count(norm: str) -> int:
    # Chinese and Japanese have no spaces: count two characters as a word.
    words = len(norm.split())
    return words + len(_CJK.findall(norm)) // 2 if _CJK.search(norm) else words


def _classify(unit: _Unit, main_script: str | None) -> str:
    norm = unit.norm
    words = _word_count(norm)
    if cues.is_salutation(norm) or cues.is_closing(norm):
        return _PROSE
    if cues.is_date_line(norm):
        return _DATE
    if preamble.classify(norm) is not None:
        return _PREAMBLE
    if _CLOCK.match(norm) or (_BULLET.match(norm) and words < 6):
        return _CHROME
    if main_script and words < 12 and _script(norm) not in (main_script, None):
        return _CHROME  # pop-up strings of the site's other language
    if len(_CAMEL_RUN.findall(norm)) >= 2 and not norm.endswith(_PROSE_END):
        return _CHROME  # menu links run together: "Contact usAdd to FavoritesHome"
    if words >= 6 and norm.endswith(_PROSE_END):
        return _PROSE
    if words >= 2 and norm.endswith(_SENTENCE_END) and norm[0].isupper():
        return _SHORT
    if not norm.endswith(_HEADING_END):
        capitalised = norm[0].isupper() or norm[0].isdigit()
        if 3 <= words <= 40 or (words <= 2 and capitalised):
            return _HEADING
    return _CHROME


def _score(unit: _Unit) -> float:
    if unit.kind == _PROSE:
        return 1.0 + min(3.0, len(unit.norm) / 100)
    return _SCORES[unit.kind]


def _main_block(units: Sequence[_Unit]) -> tuple[int, int] | None:
    """[start, end) of the run of units with the largest total score (Kadane)."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for index, unit in enumerate(units):
        if total <= 0:
            total, start = 0.0, index
        total += _score(unit)
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span


def _main_script(units: Sequence[_Unit]) -> str | None:
    # Judge the script on long lines only: chrome is short, body paragraphs are long.
    long_text = " ".join(u.norm for u in units if _word_count(u.norm) >= 6)
    return _script(long_text or " ".join(u.norm for u in units))


def _is_document_start(units: Sequence[_Unit], index: int, in_speech: bool) -> bool:
    unit = units[index]
    if unit.kind != _HEADING:
        return False
    if cues.is_speech_heading(unit.norm):
        return True
    if in_speech:
        return False  # mid-speech "Dear colleagues," after a section heading is no new speech
    following = units[index + 1 : index + 4]
    return any(cues.is_salutation(u.norm) for u in following)


@attrs.frozen
class _Part:
    """One document's share of the main block: its heading (if any) and its units."""

    heading: _Unit | None
    date: str | None
    units: tuple[_Unit, ...]


def _split(units: Sequence[_Unit]) -> list[_Part]:
    parts: list[_Part] = []
    heading: _Unit | None = None
    date: str | None = None
    current: list[_Unit] = []
    in_speech = False
    index = 0
    while index < len(units):
        unit = units[index]
        # A lone "Speech" line belongs to the heading under it.
        if (
            unit.kind in (_HEADING, _PREAMBLE)
            and len(unit.norm.split()) == 1
            and index + 1 < len(units)
            and units[index + 1].kind == _HEADING
            and cues.is_speech_heading(unit.norm)
        ):
            merged = f"{unit.raw} {units[index + 1].raw}"
            units = [
                *units[:index],
                _Unit(merged, _normalise(merged), _HEADING),
                *units[index + 2 :],
            ]
            continue
        if current and _is_document_start(units, index, in_speech):
            parts.append(_Part(heading, date, tuple(current)))
            heading, date, current = unit, None, []
            in_speech = True
            index += 1
            if index < len(units) and units[index].kind == _DATE:
                date = cues.parse_date(units[index].norm)
                index += 1
            continue
        if cues.is_salutation(unit.norm):
            in_speech = True
        current.append(unit)
        index += 1
    parts.append(_Part(heading, date, tuple(current)))
    return [part for part in parts if any(u.kind in (_PROSE, _SHORT) for u in part.units)]


def _blocks(units: Sequence[_Unit]) -> list[Block]:
    blocks: list[Block] = []
    for unit in units:
        if unit.kind in (_PROSE, _SHORT, _PREAMBLE):
            # A preamble line is kept in the text but not numbered (capture.preamble).
            blocks.append(Block(unit.raw))
        elif unit.kind == _HEADING:
            blocks.append(Block(unit.raw, heading=True))
        # Date and chrome lines inside the body (a "Print" link, a stray timestamp) are
        # dropped: they are not part of the text a reader cites.
    # A heading at the very end heads nothing.
    while blocks and blocks[-1].heading:
        blocks.pop()
    return blocks


@attrs.frozen
class _Above:
    """What the lines above the main block say: title, date, byline."""

    title: str | None = None
    title_how: str = ""
    issued: str | None = None
    issued_how: str = ""
    author: str | None = None
    preamble: tuple[tuple[str, bool], ...] = ()  # preamble lines, top to bottom
    issuer: str | None = None  # from a "From: …" line


def _above(units: Sequence[_Unit], start: int) -> _Above:
    title = issued = author = issuer = None
    title_how = issued_how = ""
    lines: list[tuple[str, bool]] = []
    for unit in reversed(units[max(0, start - _LOOK_ABOVE) : start]):
        norm = unit.norm
        if _CREDIT.match(norm):
            continue
        attribution = _ATTRIBUTION.match(norm)
        if attribution and issuer is None and title is None:
            issuer = attribution["name"].strip()  # metadata; never the title
            continue
        if unit.kind == _PREAMBLE:
            lines.insert(0, (norm, False))  # metadata; never the title
            continue
        byline = _BYLINE.match(norm)
        if byline and author is None and title is None:
            author = byline["name"]
            continue
        dated = cues.split_date(norm)
        if dated and issued is None:
            issued, rest = dated
            issued_how = "date line above the main text"
            if rest and title is None and unit.kind != _DATE:
                title, title_how = rest, "heading after the date above the main text"
                break
            continue
        if unit.kind == _HEADING and title is None:
            title, title_how = norm, "heading line above the main text"
            if issued is None:
                continue  # a date line may sit above the title too
            break
        if unit.kind == _CHROME and title is not None:
            break
    return _Above(title, title_how, issued, issued_how, author, tuple(lines), issuer)


def _issuer(title: str, body: str, page: str) -> tuple[str, str] | None:
    """The organisation a news item is about, when its title and text name one."""
    after_role = _TITLE_ORG.search(title)
    if after_role:
        named = _ORG.match(title, after_role.end())
        if named:
            return named["org"], "organisation named after a role in the title"
    for acronym in dict.fromkeys(_ACRONYM.findall(title)):
        uses = len(re.findall(rf"\b{acronym}\b", body))
        if uses < 3:
            continue
        how = f"acronym {acronym!r} in the title and {uses} times in the text"
        expanded = _expand(acronym, page)
        if expanded:
            return expanded, f"{how}, spelt out as {expanded!r} elsewhere on the page"
        return acronym, how
    named = _ORG.search(title)
    if named and len(named["org"].split()) >= 2:
        return named["org"], "organisation named in the title"
    return None


def _expand(acronym: str, page: str) -> str | None:
    """A run of capitalised words on the page whose initials spell the acronym."""
    letters = r"\s+(?:(?:of|for|and|the|on)\s+)?".join(rf"{c}[\w'’-]+" for c in acronym)
    found = re.search(rf"\b{letters}\b", page)
    return found.group(0) if found else None


def _first_person_rate(text: str) -> float:
    """First-person pronouns per word: about 0 in news items, 0.02 in speeches."""
    words = [w.lower() for w in _WORDS.findall(text)]
    return sum(w in _FIRST_PERSON for w in words) / len(words) if words else 0.0


def _event_date(paragraph: str) -> str | None:
    opening = _EVENT_OPENING.match(paragraph)
    return cues.parse_date(opening["rest"]) if opening else None


def _first_paragraph(blocks: Sequence[Block]) -> str:
    return next((_normalise(b.text) for b in blocks if not b.heading), "")


def _evidence(value: str, how: str) -> tuple[Evidence, ...]:
    return (Evidence(value, how, heuristic=True),)


def _news_fields(
    above: _Above, blocks: Sequence[Block], page: str
) -> dict[str, tuple[Evidence, ...]]:
    """Fields of the first document, from the lines above the main block and its text."""
    fields: dict[str, tuple[Evidence, ...]] = {}
    title = above.title
    if title:
        fields["title"] = _evidence(title, above.title_how)
    if above.issued:
        fields["issued"] = _evidence(above.issued, above.issued_how)
    if above.author:
        fields["author"] = _evidence(above.author, "'By …' line above the main text")
    _preamble_fields(fields, [*above.preamble, *((b.text, b.heading) for b in blocks)])
    # What the body opens with is read after any dateline or delivery note.
    body = "\n".join(
        _normalise(t) for t in preamble.body_texts([(b.text, b.heading) for b in blocks])
    )
    issuer = _issuer(title or "", body, page)
    found = cues.kind_cues(title or "", body)
    if found is None and issuer and _first_person_rate(body) < _NEWS_FIRST_PERSON:
        found = "press-release", "third-person news item about the organisation it names"
    kind = found[0] if found else None
    if found:
        fields["kind"] = _evidence(*found)
    if above.issuer:
        fields["issuer"] = _evidence(above.issuer, "'From: …' line above the main text")
    elif issuer and kind in {"press-release", "statement"}:
        fields["issuer"] = _evidence(*issuer)
    if kind == "speech" and title:
        _speech_heading_fields(fields, title)
        if _LOST_FIRST_WORD.match(title):
            fields["title"] = _evidence(f"Speech {title}", _RESTORED)
    event_date = _event_date(_first_paragraph(blocks))
    if event_date and "event-date" not in fields:
        fields["event-date"] = _evidence(event_date, "first paragraph opens 'On <date>'")
    return fields


def _preamble_fields(
    fields: dict[str, tuple[Evidence, ...]], blocks: Sequence[tuple[str, bool]]
) -> None:
    """Date, place, delivery status and number from datelines and notes above the body."""
    for name, value, how in preamble.metadata(blocks):
        if name not in fields:
            fields[name] = _evidence(value, how)


def _speech_heading_fields(fields: dict[str, tuple[Evidence, ...]], heading: str) -> None:
    speaker = cues.speaker_from_heading(heading)
    if speaker:
        fields["speaker"] = _evidence(speaker, "honorific and name in the speech heading")
    event = cues.event_from_heading(heading)
    if event:
        fields["event-title"] = _evidence(event, "'at the …' part of the speech heading")
    place = cues.event_place_from_heading(heading)
    if place:
        fields["event-place"] = _evidence(place, "end of the speech heading")
    date = cues.event_date_from_heading(heading)
    if date:
        fields["event-date"] = _evidence(date, "date at the end of the speech heading")


def _speech_fields(
    part: _Part, blocks: Sequence[Block], previous: Document | None
) -> dict[str, tuple[Evidence, ...]]:
    assert part.heading is not None
    heading = part.heading.norm
    fields: dict[str, tuple[Evidence, ...]] = {}
    if _LOST_FIRST_WORD.match(heading):
        fields["title"] = _evidence(f"Speech {heading}", _RESTORED)
    else:
        fields["title"] = _evidence(heading, "heading that starts the speech")
    body = "\n".join(_normalise(b.text) for b in blocks)
    found = cues.kind_cues(heading, body)
    fields["kind"] = _evidence(*(found or ("speech", "heading followed by a salutation")))
    _speech_heading_fields(fields, heading)
    if part.date:
        fields["issued"] = _evidence(part.date, "date line under the speech heading")
    _preamble_fields(fields, [(b.text, b.heading) for b in blocks])
    if "issued" not in fields and previous is not None and previous.first("issued"):
        page_date = previous.value("issued") or ""
        fields["issued"] = _evidence(page_date, "date line of the page, above the news item")
    if "event-date" not in fields and previous is not None and previous.first("event-date"):
        fields["event-date"] = _evidence(
            previous.value("event-date") or "",
            "first paragraph of the news item above ('On <date> …')",
        )
    return fields


def _copyright_holder(units: Sequence[_Unit]) -> str | None:
    """The site's owner, from the page's last copyright line ("© 2025 Ministry of X | …")."""
    for unit in reversed(units):
        found = _COPYRIGHT.match(unit.norm)
        if found:
            name = found["name"].strip(" ,.")
            # "© Crown copyright", "© 2025 All rights reserved" name no one.
            if _NO_HOLDER.search(name) or any(c.isdigit() for c in name):
                continue
            if 1 <= len(name.split()) <= 10:
                return name
    return None


def extract_text(text: str, *, source: str = "<text>") -> Page:
    """The documents in the plain text of a copied page, chrome left out.

    Each document's blocks are its paragraphs (one non-empty line each, or one blank-line
    block each for hard-wrapped text) and its section headings; the page's title and date
    lines become fields, not blocks. A page holding a news item and the speech it reports
    gives two documents and a PC306 finding. Text with no line that reads as prose gives
    a :class:`Page` with no documents. ``source`` names the input in findings.
    """
    units = _units(text)
    if not units:
        return Page(())
    main_script = _main_script(units)
    units = [attrs.evolve(u, kind=_classify(u, main_script)) for u in units]
    span = _main_block(units)
    if span is None:
        return Page(())
    start, end = span
    above = _above(units, start)
    page_text = "\n".join(u.norm for u in units)
    site = _copyright_holder(units)
    documents: list[Document] = []
    for part in _split(units[start:end]):
        blocks = _blocks(part.units)
        if part.heading is None:
            fields = _news_fields(above, blocks, page_text)
        else:
            fields = _speech_fields(part, blocks, documents[-1] if documents else None)
        language = _language("\n".join(b.text for b in blocks))
        if language:
            fields["language"] = _evidence(language[0], language[1])
        if site and "site" not in fields:
            fields["site"] = _evidence(site, "copyright line of the page")
        title = fields.get("title")
        cue = changing_cue(title[0].value if title else None, None, (b.text for b in blocks))
        if cue:  # chrome lines are not blocks: only the page's own words count
            fields["changes"] = (Evidence("yes", cue, heuristic=True),)
        documents.append(Document(blocks, fields))
    findings: list[Finding] = []
    if len(documents) > 1:
        titles = "; ".join(repr(d.value("title") or "untitled") for d in documents)
        findings.append(
            Finding(
                "PC306",
                f"the text holds {len(documents)} documents: {titles}",
                Location(path=source),
            )
        )
    return Page(documents, findings)


__all__ = ["extract_text"]
