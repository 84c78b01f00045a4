"""Reference strings to fields, and fields to the library record they most likely name.

A brief's reference list is typed by hand: APA 7, often with APA 6 leftovers ("Retrieved
from"), sometimes Chicago. :func:`parse_reference` reads one entry into a
:class:`ParsedReference`; :class:`ReferenceMatcher` finds the library records it may
name, with a confidence and the reasons for it. Nothing is corrected here: a mojibake
title or a wrong date comes through as written, so that rules can point at it.

What is recognised
------------------

APA (``style`` "apa7", or "apa6" when it has APA 6 marks: "Retrieved from" without a
date, "doi:10…", ``dx.doi.org``)::

    Family, A. A., Family, B., & Family, C. (2020, May 13). Title [Press release]. Site. URL
    Ministry of Foreign Affairs. (2020a). Title. https://doi.org/10.1234/x
    Shanghai Cooperation Organisation [SCO]. (n.d.). Title. Retrieved May 20, 2020, from URL
    SCO. (2020, May 13–14). Title. Retrieved from

The date is the first parenthesised year, "n.d." or "in press" before any quotation mark;
what precedes it are the authors (persons "Family, I. I." joined by commas, "&" or "and";
otherwise one organisation, with an abbreviation in square or round brackets, or a bare
acronym such as "SCO." kept as the abbreviation only). The title runs to the first
sentence end outside brackets and quotes (a "." after an initial or a known abbreviation
such as "Mr." or "No." does not end it), or to a "[": bracket groups after the title are
a description ("[Press release]", "[Speech transcript]", "[Video]", "… transcript",
"… report" and similar) or, the first time, an English translation of the title (when
the title is not ASCII or the group has three words or more). The
container is what follows, up to the URL, DOI or retrieval phrase, as written (site,
outlet or "Journal, 12(3), 45–67"); "(Original work published …)" is dropped.

Chicago (``style`` "chicago")::

    Norov, Vladimir. 2020. “Speech at the meeting.” Site. May 18, 2020. URL
    Norov, Vladimir, and Anna Berg. “Title.” Site, May 18, 2020. Accessed May 20, 2020. URL

The title is the quoted text (or, in the author-date form, the first sentence after the
year). The date is the fullest prose date after the title ("May 18, 2020", "18 May 2020",
"May 2020", "2020-05-18") when its year agrees, else the author-date year; access dates
("Accessed …", "Last modified …") are skipped. A genre word ("Press release", "Speech")
among the segments after the title is the description; the first other segment the
container.

Anything else is ``style`` "unknown": no authors and no title, only the URL, DOI,
retrieval phrase and a year if one stands alone. Offsets (``*_span``) are into
:attr:`ParsedReference.text`, so ``text[start:end]`` is the field as written.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import unquote

import attrs
from rapidfuzz import fuzz

from policycite.capture.mojibake import diagnose, mixed_script_tokens
from policycite.model import Library, Source

__all__ = [
    "MATCH_MIN",
    "SURE",
    "Match",
    "ParsedReference",
    "RefName",
    "ReferenceMatcher",
    "parse_reference",
]

#: Matches below this confidence are not reported: the reference stays unresolved.
MATCH_MIN = 0.5
#: At or above this confidence a match is sure enough to act on without asking.
SURE = 0.85

Span = tuple[int, int]


# ---------------------------------------------------------------------------------------
# Values


@attrs.frozen
class RefName:
    """An author as written in a reference.

    A person has ``family`` and ``given`` (initials as written, "Z." or "A. B.", or the
    given names a Chicago entry spells out). An organisation has ``literal`` and maybe an
    ``abbreviation`` ("Shanghai Cooperation Organisation [SCO]"); a bare acronym author
    ("SCO.") has the ``abbreviation`` only, since its full name was not written.
    """

    family: str | None = None
    given: str | None = None
    literal: str | None = None
    abbreviation: str | None = None

    @property
    def shown(self) -> str:
        """The name for messages: "Norov, V.", "Shanghai Cooperation Organisation", "SCO"."""
        if self.family is not None:
            return f"{self.family}, {self.given}" if self.given else self.family
        return self.literal or self.abbreviation or ""


@attrs.frozen
class ParsedReference:
    """The fields of one reference-list entry, as written.

    ``date_text`` is the date as printed ("2020, May 13–14", "n.d.", "May 18, 2020");
    ``year``/``month``/``day`` its start; ``year_suffix`` the letter of "2020a".
    ``description`` is the bracketed genre without brackets ("Press release");
    ``translated_title`` the bracketed English translation of a non-English title.
    ``url`` is the URL as written (a ``https://doi.org/…`` one included) and ``doi`` the
    bare DOI ("10.1234/abc") from either form. ``retrieved`` is the retrieval phrase as
    written ("Retrieved from", "Retrieved May 20, 2020, from"), and
    ``retrieved_without_url`` says that no URL or DOI follows it.
    """

    text: str
    authors: tuple[RefName, ...] = ()
    date_text: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_suffix: str | None = None
    no_date: bool = False
    title: str | None = None
    translated_title: str | None = None
    description: str | None = None
    container: str | None = None
    url: str | None = None
    doi: str | None = None
    retrieved: str | None = None
    retrieved_without_url: bool = False
    style: str = "unknown"
    title_span: Span | None = None
    date_span: Span | None = None
    url_span: Span | None = None
    retrieved_span: Span | None = None


# ---------------------------------------------------------------------------------------
# Lexical pieces, compiled once

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"

# A URL runs to white space; what trails it (".", ")") is trimmed by _trim_url.
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’]+", re.IGNORECASE)
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_DOI_LABEL_RE = re.compile(r"\bdoi:\s*(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_WAYBACK_RE = re.compile(r"^(?:https?://)?web\.archive\.org/web/\d+[a-z_]*/(.+)$", re.IGNORECASE)
_RETRIEVED_RE = re.compile(
    r"\bRetrieved(?:\s+(?:on\s+)?(?P<date>[^.;]*?\d{4}))?,?\s+from\b:?", re.IGNORECASE
)
_ACCESSED_RE = re.compile(
    r"\b(?:Accessed|Last\s+modified|Last\s+updated)\s+(?:on\s+)?[^.;]*?\d{4}\.?",
    re.IGNORECASE,
)

# APA's date element: "(2020)", "(2020a, May 13–14)", "(n.d.)", "(n.d.-b)", "(in press)".
_APA_DATE_RE = re.compile(
    r"\(\s*(?P<date>(?P<nd>n\.\s?d\.)(?:\s?-\s?(?P<ndsuf>[a-z]))?"
    r"|(?P<year>\d{4})(?P<suf>[a-z])?(?:\s*,\s*(?P<rest>[^()]*?))?"
    r"|in\s+press)\s*\)\.?",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    rf"^(?:(?P<m1>{_MONTH})\.?(?:\s+(?P<d1>\d{{1,2}}))?|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?)"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
# A date in running text (Chicago): the longest forms first.
_PROSE_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:\s*[–-]\s*\d{{1,2}})?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH})\.?\s+(?P<y3>\d{{4}})"
    r"|(?P<y4>\d{4})-(?P<mo4>\d{2})-(?P<d4>\d{2}))\b",
    re.IGNORECASE,
)
_LONE_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<year>1[89]\d{2}|20\d{2})(?P<suf>[a-z])?(?![\d/-])")
# Chicago: "Authors. 2020. Title" (author-date) and "Authors. “Title.”" (notes-bibliography).
_CHICAGO_AD_RE = re.compile(
    r"^\s*(?P<authors>[^“”\"()]+?)\.\s+(?P<year>\d{4}[a-z]?|n\.\s?d\.)\.\s+"
)
_CHICAGO_NB_RE = re.compile(r"^\s*(?P<authors>[^“”\"()]+?)[.,]\s+(?=[“\"])")

_INITIALS = r"(?:[^\W\d_]{1,2}\.(?:\s*-\s*(?=[^\W\d_])|\s+(?=[^\W\d_]{1,2}\.))?)+"
_PERSON_RE = re.compile(
    rf"\s*(?P<family>[^,&()\[\]]+?),\s*(?P<given>{_INITIALS})"
    r"(?:,?\s*(?P<suffix>Jr\.|Sr\.|II|III|IV)(?![\w]))?"
)
_AUTHOR_SEP_RE = re.compile(r"\s*(?:,\s*)?(?:&|\band\b|…|\.\.\.)?\s*")
_ROLE_RE = re.compile(r"\s*\((?:Ed|Eds|Trans|Comp|Comps|Host|Producer)\.?\)\.?", re.IGNORECASE)
_ABBREVIATED_ORG_RE = re.compile(r"^(?P<literal>.+?)\s*[\[(](?P<abbr>[^\])\s]{2,15})[\])]$")
_ORIGINAL_WORK_RE = re.compile(r"\((?:Original work published|Originally published)[^)]*\)\.?")
_CHICAGO_AND_RE = re.compile(r",?\s+and\s+|,?\s*&\s*")
_NEXT_AUTHOR_RE = re.compile(r"\s*(?:[,&]|and\b|…)")
# "U.N." and "Acme Inc." keep their final period when it ends the author element.
_KEEP_PERIOD_RE = re.compile(r"(?:\b\w\.\w\.|\b(?:Inc|Ltd|Co|Corp)\.)$")
_LAST_WORD_RE = re.compile(r"(\w+)$")
_BRACKET_GROUP_RE = re.compile(r"\s*\[([^\]]+)\]")
_ELEMENT_END_RE = re.compile(r"\s*[.,]")
_AFTER_QUOTED_TITLE_RE = re.compile(r"\s*(?:[.,:\[]|$)")
_SEGMENT_SPLIT_RE = re.compile(r"[.,]\s+|\n|\.$")

# A "." after these words does not end a title ("Mr. Norov", "Report No. 5", "St. Petersburg").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vol vols pp p ed eds vs etc inc ltd co corp jr sr gen "
    "gov rep sen dept univ approx fig ch art sec para est mt ft".split()
)
# Bracketed descriptions APA puts after a title (casefolded), and word endings of others.
_DESCRIPTIONS = frozenset(
    {
        "press release",
        "news release",
        "media release",
        "speech",
        "speech transcript",
        "transcript",
        "video",
        "video file",
        "audio",
        "audio file",
        "podcast",
        "audio podcast episode",
        "statement",
        "joint statement",
        "fact sheet",
        "infographic",
        "brochure",
        "policy brief",
        "working paper",
        "tweet",
        "facebook post",
        "interview",
        "lecture",
        "lecture notes",
        "webinar",
        "blog post",
        "data set",
        "dataset",
        "map",
        "photograph",
        "unpublished manuscript",
        "editorial",
        "letter",
        "remarks",
        "address",
        "briefing",
        "communiqué",
        "declaration",
        "report",
        "annual report",
        "press conference",
        "press briefing",
        "press kit",
        "white paper",
        "policy paper",
        "letter to the editor",
        "conference presentation",
        "conference session",
        "poster",
        "audio recording",
        "film",
        "television series episode",
        "radio broadcast",
        "official translation",
        "unofficial translation",
    }
)
_DESCRIPTION_ENDINGS = (
    "transcript",
    "release",
    "report",
    "statement",
    "video",
    "podcast",
    "post",
    "episode",
    "brief",
    "paper",
    "briefing",
    "recording",
)
_NAME_PARTICLES = frozenset("van von der den de da di du del della le la bin al ibn ter".split())
_SEASONS = frozenset("spring summer fall autumn winter".split())
_QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»"}


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _is_acronym(text: str) -> bool:
    """True for "SCO", "UNICEF", "U.N.", "ШОС": upper-case letters (dots, digits, &) only."""
    if not 2 <= len(text) <= 15 or any(ch.isspace() for ch in text):
        return False
    return _letters(text) >= 2 and text == text.upper() and text != text.lower()


# ---------------------------------------------------------------------------------------
# Parsing


def _trim_url(text: str, start: int, end: int) -> int:
    """The end of the URL at text[start:end] without trailing punctuation."""
    while end > start:
        last = text[end - 1]
        if last in ".,;:!?'’”»":
            end -= 1
        elif last in ")]":
            opener = "(" if last == ")" else "["
            chunk = text[start:end]
            if chunk.count(opener) >= chunk.count(last):
                break
            end -= 1
        else:
            break
    return end


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.casefold().rstrip("."))


def _valid_day(year: int, month: int, day: int | None) -> int | None:
    if day is None or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return day


def _prose_date(match: re.Match[str]) -> tuple[int, int | None, int | None]:
    """(year, month, day) of a :data:`_PROSE_DATE_RE` match."""
    if match["y4"]:
        year, number = int(match["y4"]), int(match["mo4"])
        if not 1 <= number <= 12:
            return year, None, None
        return year, number, _valid_day(year, number, int(match["d4"]))
    for year_group, month_group, day_group in (("y1", "m1", "d1"), ("y2", "m2", "d2")):
        if match[year_group]:
            year, day = int(match[year_group]), int(match[day_group])
            month = _month_number(match[month_group])
            return year, month, _valid_day(year, month, day) if month else None
    return int(match["y3"]), _month_number(match["m3"]), None


def _person(family: str, given: str | None) -> RefName:
    return RefName(family=family.strip(), given=(given or "").strip() or None)


def _organisation(text: str) -> RefName | None:
    text = text.strip().strip(",;").strip()
    # Drop the element's closing period, but not an abbreviation's ("U.N.", "Acme Inc.").
    if text.endswith(".") and not _KEEP_PERIOD_RE.search(text):
        text = text[:-1].rstrip()
    if not text:
        return None
    found = _ABBREVIATED_ORG_RE.match(text)
    if found and _is_acronym(found["abbr"]):
        return RefName(literal=found["literal"].strip(), abbreviation=found["abbr"])
    if _is_acronym(text):
        return RefName(abbreviation=text)
    return RefName(literal=text)


def _spelled_person(text: str) -> RefName | None:
    """A person from "Norov, Vladimir" (given names spelled out), else None."""
    family, comma, given = text.strip().rstrip(".").partition(",")
    family, given = family.strip(), given.strip()
    if not comma or not family or not given:
        return None
    family_words = [w for w in family.split() if w.casefold() not in _NAME_PARTICLES]
    given_words = given.split()
    if not 1 <= len(family_words) <= 2 or not 1 <= len(given_words) <= 3:
        return None
    if not all(w[:1].isupper() for w in family_words + given_words):
        return None
    return _person(family, given)


def _apa_authors(text: str) -> tuple[RefName, ...]:
    """Authors of an APA entry: "Family, I. I., Family, I., & Family, I." or one group."""
    text = _ROLE_RE.sub("", text).strip()
    names: list[RefName] = []
    pos = 0
    while pos < len(text):
        found = _PERSON_RE.match(text, pos)
        after = found.end() if found else 0
        if found and (after == len(text) or _NEXT_AUTHOR_RE.match(text, after)):
            given = found["given"].strip()
            if found["suffix"]:
                given = f"{given}, {found['suffix']}"
            names.append(_person(found["family"].strip().lstrip("&").strip(), given))
            sep = _AUTHOR_SEP_RE.match(text, after)
            pos = sep.end() if sep else after
            continue
        rest = text[pos:]
        person = _spelled_person(rest) if not names else None
        name = person or _organisation(rest)
        if name is not None:
            names.append(name)
        break
    return tuple(names)


def _chicago_authors(text: str) -> tuple[RefName, ...]:
    """Authors of a Chicago entry: "Family, Given, Given Family, and Given Family" or a group."""
    parts = [p.strip() for p in _CHICAGO_AND_RE.split(text.strip()) if p.strip()]
    if not parts:
        return ()
    first, *others = parts
    pieces = [p.strip() for p in first.split(",")]
    names: list[RefName] = []
    person = _spelled_person(", ".join(pieces[:2])) if len(pieces) >= 2 else None
    if person is None:
        name = _organisation(text)
        return (name,) if name is not None else ()
    names.append(person)
    for other in [*pieces[2:], *others]:
        words = other.rstrip(".").split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words):
            names.append(_person(words[-1], " ".join(words[:-1])))
        elif (org := _organisation(other)) is not None:
            names.append(org)
    return tuple(names)


def _is_description(text: str) -> bool:
    folded = " ".join(text.casefold().split())
    if folded in _DESCRIPTIONS:
        return True
    words = folded.split()
    return len(words) <= 4 and folded.endswith(_DESCRIPTION_ENDINGS)


def _sentence_end(text: str, start: int, stop: int) -> tuple[int, int]:
    """Where the title starting at ``start`` ends: (end of title, end of its punctuation).

    Brackets, parentheses and quotation marks nest; "[" at depth 0 ends the title, as do
    ".", "?" and "!" before white space (a "?" or "!" belongs to the title, a "." does
    not). Runs of "??" are lost characters, not a question mark.
    """
    depth = 0
    closers: list[str] = []
    i = start
    while i < stop:
        ch = text[i]
        if closers and ch == closers[-1]:
            closers.pop()
        elif ch in "“‘«" or (ch == '"' and '"' not in closers):
            closers.append(_QUOTE_PAIRS[ch])
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch == "[" and depth == 0 and not closers and i > start:
            return i, i
        elif ch in ".?!" and depth == 0 and not closers:
            at_break = i + 1 >= stop or text[i + 1].isspace()
            if ch == "?" and (text[i - 1 : i] == "?" or text[i + 1 : i + 2] == "?"):
                at_break = False
            if ch == "." and at_break:
                word = _LAST_WORD_RE.search(text, start, i)
                token = word[1] if word else ""
                if (len(token) == 1 and token.isupper()) or token.casefold() in _ABBREVIATIONS:
                    at_break = False
            if at_break:
                return (i, i + 1) if ch == "." else (i + 1, i + 1)
        i += 1
    return stop, stop


@attrs.define
class _Fields:
    """The mutable fields parse_reference fills in before freezing them."""

    authors: tuple[RefName, ...] = ()
    date_text: str | None = None
    date_span: Span | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_suffix: str | None = None
    no_date: bool = False
    title: str | None = None
    title_span: Span | None = None
    translated_title: str | None = None
    description: str | None = None
    container: str | None = None
    style: str = "unknown"


def _read_title(text: str, start: int, stop: int, fields: _Fields) -> int:
    """Read the title element (title, translation, description) at ``start``; its end."""
    while start < stop and text[start].isspace():
        start += 1
    if start >= stop:
        return stop
    opener = text[start]
    close = text.find(_QUOTE_PAIRS[opener], start + 1, stop) if opener in _QUOTE_PAIRS else -1
    # A quoted title is the whole element (“Title.” or “Title” [Video].), not a title
    # that merely opens with a quotation («Водная безопасность» в регионе).
    if (
        close > start
        and text[close - 1] not in ".,?!"
        and not _AFTER_QUOTED_TITLE_RE.match(text, close + 1, stop)
    ):
        close = -1
    if close > start:
        # “Title.” and “Title,”: the element's punctuation sits inside the marks.
        inner_end = close
        while inner_end > start + 1 and text[inner_end - 1] in ".,":
            inner_end -= 1
        fields.title = text[start + 1 : inner_end]
        fields.title_span = (start + 1, inner_end)
        end = close + 1
    else:
        title_end, end = _sentence_end(text, start, stop)
        while title_end > start and text[title_end - 1].isspace():
            title_end -= 1
        if title_end > start:
            fields.title = text[start:title_end]
            fields.title_span = (start, title_end)
    # Bracket groups: "[Translation]" first, "[Description]".
    while True:
        found = _BRACKET_GROUP_RE.match(text, end, stop)
        if not found:
            break
        group = found[1].strip()
        # A translation follows a title in another language, and is seldom a word or two.
        translation = fields.translated_title is None and (
            not (fields.title or "").isascii() or len(group.split()) >= 3
        )
        if translation and not _is_description(group):
            fields.translated_title = group
        else:
            fields.description = fields.description or group
        end = found.end()
    found = _ELEMENT_END_RE.match(text, end, stop)
    return found.end() if found else end


def _tidy(text: str) -> str | None:
    text = _ORIGINAL_WORK_RE.sub("", text)
    text = text.strip().strip(".,;:").strip()
    return text or None


def _read_apa(text: str, date: re.Match[str], stop: int, fields: _Fields) -> None:
    fields.style = "apa7"
    fields.authors = _apa_authors(text[: date.start()])
    fields.date_text = date["date"]
    fields.date_span = date.span("date")
    if date["nd"]:
        fields.no_date = True
        fields.year_suffix = date["ndsuf"]
    elif date["year"]:
        fields.year = int(date["year"])
        fields.year_suffix = date["suf"]
        rest = (date["rest"] or "").strip()
        found = _MONTH_DAY_RE.match(rest)
        if found:
            month = _month_number(found["m1"] or found["m2"])
            if month is not None:
                fields.month = month
                day = found["d1"] or found["d2"]
                fields.day = _valid_day(fields.year, month, int(day)) if day else None
    end = _read_title(text, date.end(), stop, fields)
    fields.container = _tidy(text[end:stop])


def _read_chicago(
    text: str, authors: str, year: Span | None, title_at: int, *, stop: int, fields: _Fields
) -> None:
    fields.style = "chicago"
    fields.authors = _chicago_authors(authors)
    end = _read_title(text, title_at, stop, fields)
    rest = text[end:stop]
    if year is not None:
        written = text[year[0] : year[1]]
        fields.date_text, fields.date_span = written, year
        if written[0].isdigit():
            fields.year, fields.year_suffix = int(written[:4]), written[4:] or None
        else:
            fields.no_date = True
    found = _PROSE_DATE_RE.search(rest)
    if found:
        y, m, d = _prose_date(found)
        if fields.year in (None, y) and not fields.no_date:
            fields.year, fields.month, fields.day = y, m, d
            fields.date_text = found[0]
            fields.date_span = (end + found.start(), end + found.end())
        rest = rest[: found.start()] + "\n" + rest[found.end() :]
    elif fields.year is None and not fields.no_date and (lone := _LONE_YEAR_RE.search(rest)):
        fields.year, fields.year_suffix = int(lone["year"]), lone["suf"]
        fields.date_text = lone[0]
        fields.date_span = (end + lone.start(), end + lone.end())
    for piece in _SEGMENT_SPLIT_RE.split(rest):
        segment = piece.strip().strip(".,;:").strip()
        if not segment:
            continue
        if fields.description is None and _is_description(segment):
            fields.description = segment
        elif fields.container is None and _letters(segment) >= 2:
            fields.container = segment


@attrs.frozen
class _Tail:
    """The end of an entry: URLs, DOI, retrieval and access phrases, and where it starts."""

    urls: tuple[Span, ...]
    doi: str | None
    doi_label: re.Match[str] | None
    retrieved: re.Match[str] | None
    start: int
    apa6_marks: bool

    @property
    def url_span(self) -> Span | None:
        return self.urls[0] if self.urls else None

    @property
    def retrieved_without_url(self) -> bool:
        """True when a retrieval phrase has no URL or DOI after it."""
        if self.retrieved is None:
            return False
        after = self.retrieved.end()
        return not any(start >= after for start, _ in self.urls) and not (
            self.doi_label is not None and self.doi_label.start() >= after
        )


def _read_tail(text: str) -> _Tail:
    urls = []
    for found in _URL_RE.finditer(text):
        end = _trim_url(text, found.start(), found.end())
        if end > found.start():
            urls.append((found.start(), end))
    doi: str | None = None
    apa6_marks = False
    doi_label = _DOI_LABEL_RE.search(text)
    doi_url = _DOI_URL_RE.match(text[urls[0][0] : urls[0][1]]) if urls else None
    if doi_url is not None:
        doi = doi_url[1]
        apa6_marks = "dx.doi.org" in doi_url[0].casefold()
    elif doi_label is not None:
        doi = text[doi_label.start(1) : _trim_url(text, doi_label.start(1), doi_label.end(1))]
        apa6_marks = True
    retrieved = _RETRIEVED_RE.search(text)
    accessed = _ACCESSED_RE.search(text)
    starts = [len(text)]
    starts += [m.start() for m in (doi_label, retrieved, accessed) if m is not None]
    if urls:
        starts.append(urls[0][0])
    # APA 7 keeps "Retrieved <date>, from" for pages that change; a bare one is APA 6.
    apa6_marks = apa6_marks or (retrieved is not None and retrieved["date"] is None)
    return _Tail(tuple(urls), doi, doi_label, retrieved, min(starts), apa6_marks)


def _read_unknown(text: str, stop: int, fields: _Fields) -> None:
    found = _PROSE_DATE_RE.search(text, 0, stop)
    lone = _LONE_YEAR_RE.search(text, 0, stop)
    if found:
        fields.year, fields.month, fields.day = _prose_date(found)
        fields.date_text, fields.date_span = found[0], found.span()
    elif lone:
        fields.year, fields.year_suffix = int(lone["year"]), lone["suf"]
        fields.date_text, fields.date_span = lone[0], lone.span()


def parse_reference(text: str) -> ParsedReference:
    """Parse one reference-list entry (APA 7, APA 6 or Chicago) into its fields.

    Never raises: what is not recognised stays None (see the module docstring for the
    forms read). The title and the other fields are the text as written, mojibake
    included.
    """
    # The tail (URL, DOI, retrieval and access phrases) is found first: the body before
    # it holds authors, date, title and container.
    tail = _read_tail(text)
    stop = tail.start
    fields = _Fields()
    apa_date = _APA_DATE_RE.search(text, 0, stop)
    if apa_date and any(q in text[: apa_date.start()] for q in '“”"'):
        apa_date = None  # a Chicago journal's "12 (2020)" comes after a quoted title
    if apa_date is not None:
        _read_apa(text, apa_date, stop, fields)
        if tail.apa6_marks:
            fields.style = "apa6"
    elif chicago := _CHICAGO_AD_RE.match(text, 0, stop):
        _read_chicago(
            text, chicago["authors"], chicago.span("year"), chicago.end(), stop=stop, fields=fields
        )
    elif chicago := _CHICAGO_NB_RE.match(text, 0, stop):
        _read_chicago(text, chicago["authors"], None, chicago.end(), stop=stop, fields=fields)
    else:
        _read_unknown(text, stop, fields)
    url_span = tail.url_span
    return ParsedReference(
        text=text,
        authors=fields.authors,
        date_text=fields.date_text,
        year=fields.year,
        month=fields.month,
        day=fields.day,
        year_suffix=fields.year_suffix,
        no_date=fields.no_date,
        title=fields.title,
        translated_title=fields.translated_title,
        description=fields.description,
        container=fields.container,
        url=text[url_span[0] : url_span[1]] if url_span else None,
        doi=tail.doi,
        retrieved=tail.retrieved[0] if tail.retrieved else None,
        retrieved_without_url=tail.retrieved_without_url,
        style=fields.style,
        title_span=fields.title_span,
        date_span=fields.date_span,
        url_span=url_span,
        retrieved_span=tail.retrieved.span() if tail.retrieved else None,
    )


# ---------------------------------------------------------------------------------------
# Matching

#: Weights of the evidence (only what both the reference and the record have counts).
_WEIGHTS = {"author": 0.35, "date": 0.25, "title": 0.40, "site": 0.10, "genre": 0.05}
# Any two English titles share letters and small words: unrelated ones reach a similarity
# of 0.4-0.5. Title evidence counts only what lies above this floor.
_TITLE_FLOOR = 0.45
# Title evidence below this (a similarity of about 0.72) names another work: the score is
# scaled down with it.
_TITLE_GATE = 0.5
# A damaged or banner title that is still this similar to the record's title is weighed.
_TITLE_USABLE = 0.72
# Without a usable title, author and date cannot make a match sure: these cap it.
_NO_TITLE_WITH_SITE = 0.8
_NO_TITLE = 0.68
# Title words posted in more records than this are too common to find candidates by.
_TITLE_WORD_CAP = 400
_MAX_MATCHES = 10

_NON_WORD_RE = re.compile(r"[\W_]+")
# urlsplit is ten times slower, and building the index splits every record's URL.
_URL_PARTS_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?(?P<host>[^:/?#]*)(?::\d*)?"
    r"(?P<path>[^?#]*)(?P<query>\?[^#]*)?",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(
    "a an and the of for on in at to by with from as its is are be or into over under "
    "de la le les des du et und der die das den von".split()
)


@functools.lru_cache(maxsize=65536)
def _fold(text: str | None) -> str:
    """Casefolded, accent-free words joined by single spaces: what names and titles compare.

    Cached: a reference's names are folded once for all the records it is scored against.
    """
    if not text:
        return ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD_RE.sub(" ", text.casefold()).split())


def _acronym(literal: str) -> str:
    """Initials of the capitalised words: "Shanghai Cooperation Organisation" -> "sco"."""
    words = [w for w in _NON_WORD_RE.split(literal) if w and w.casefold() not in _STOPWORDS]
    letters = [w[0] for w in words if w[0].isupper()]
    return _fold("".join(letters)) if len(letters) >= 2 else ""


def _url_keys(url: str | None) -> set[str]:
    """Comparable forms of a URL: no scheme, "www.", port, fragment or trailing slash.

    A DOI URL becomes "doi:10…"; an Internet Archive URL also yields the archived URL.
    """
    if not url:
        return set()
    url = url.strip()
    doi = _DOI_URL_RE.match(url)
    if doi:
        return {"doi:" + doi[1].casefold()}
    keys = set()
    wayback = _WAYBACK_RE.match(url)
    if wayback:
        keys |= _url_keys(wayback[1])
    parts = _URL_PARTS_RE.match(url)
    if parts:  # always: every group is optional
        host = parts["host"].casefold().removeprefix("www.")
        path = unquote(parts["path"]).rstrip("/")
        keys.add(host + path + unquote(parts["query"] or ""))
    return keys


@attrs.frozen
class Match:
    """A library record a reference may name: its key, a confidence (0..1) and why."""

    key: str
    confidence: float
    reasons: tuple[str, ...]

    @property
    def sure(self) -> bool:
        """True when the confidence is at least :data:`SURE`."""
        return self.confidence >= SURE


@attrs.frozen
class _Org:
    """An organisation name, prepared for comparison."""

    shown: str
    folded: str
    abbreviations: frozenset[str]


@functools.lru_cache(maxsize=16384)
def _org(literal: str, abbreviation: str | None = None) -> _Org:
    abbreviations = {_fold(abbreviation)} if abbreviation else set()
    if acronym := _acronym(literal):
        abbreviations.add(acronym)
    return _Org(literal, _fold(literal), frozenset(abbreviations - {""}))


@attrs.frozen
class _Person:
    shown: str
    family: str
    initial: str


@attrs.frozen
class _Record:
    """What matching reads from a source, folded once when the matcher is built."""

    source: Source
    year: int | None
    titles: tuple[str, ...]
    persons: tuple[_Person, ...]
    orgs: tuple[_Org, ...]
    sites: tuple[_Org, ...]
    urls: frozenset[str]
    genre: str


def _record(source: Source) -> _Record:
    persons, orgs = [], []
    for name in source.authors:
        if name.literal is not None:
            orgs.append(_org(name.literal, name.abbreviation))
        elif name.family is not None:
            family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
            persons.append(_Person(name.sort_name, _fold(family), _fold(name.given)[:1]))
    sites = [_org(s) for s in (source.container_title, source.publisher) if s]
    urls = _url_keys(source.url) | _url_keys(source.provenance.archive_url)
    doi = source.extra.get("DOI")
    if isinstance(doi, str):
        urls.add("doi:" + doi.strip().casefold())
    titles = tuple(t for t in (_fold(source.title), _fold(source.translated_title)) if t)
    return _Record(
        source=source,
        year=source.issued.year if source.issued else None,
        titles=titles,
        persons=tuple(persons),
        orgs=tuple(orgs),
        sites=tuple(sites),
        urls=frozenset(urls),
        genre=_fold(source.effective_genre),
    )


def _title_similarity(a: str, b: str) -> float:
    """0..1: the plain ratio, or the mean of token-set and token-sort ratios.

    Token-set alone gives 1.0 to any title contained in another ("Speech" in a long
    title); averaging with token-sort keeps a shortened title high but not certain.
    """
    plain = fuzz.ratio(a, b)
    tokens = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    return max(plain, tokens) / 100


def _same_name(a: str, b: str) -> bool:
    """True when two folded names differ only in words left out or in spelling.

    "Ministry of Foreign Affairs" is part of "Ministry of Foreign Affairs of Northland";
    "… of Latvia" and "… of Northland" share all but one word and are different bodies,
    which a token-set ratio would call 90 % alike.
    """
    words_a = {w for w in a.split() if w not in _STOPWORDS}
    words_b = {w for w in b.split() if w not in _STOPWORDS}
    shared = words_a & words_b
    if len(shared) >= 2 and shared in (words_a, words_b):
        return True
    return fuzz.ratio(a, b) >= 92


def _org_vs_org(ref: RefName, org: _Org) -> tuple[float, str]:
    literal = _fold(ref.literal)
    abbreviation = _fold(ref.abbreviation)
    if literal and literal == org.folded:
        return 1.0, f"author '{ref.shown}' = {org.shown}"
    if abbreviation and abbreviation in org.abbreviations:
        return 0.95, f"author '{ref.abbreviation}' = abbreviation of {org.shown}"
    if literal and literal in org.abbreviations:
        return 0.95, f"author '{ref.literal}' = abbreviation of {org.shown}"
    if literal and _same_name(literal, org.folded):
        return 0.85, f"author '{ref.shown}' ≈ {org.shown}"
    return 0.0, ""


def _ref_vs_person(ref: RefName, person: _Person) -> tuple[float, str]:
    if ref.family is None:
        # A person written without a comma ("Vladimir Norov") reads as a literal name.
        if person.family and person.family in _fold(ref.literal).split():
            return 0.8, f"author '{ref.shown}' names {person.shown}"
        return 0.0, ""
    family = _fold(ref.family)
    initial = _fold(ref.given)[:1]
    if family == person.family:
        if initial and person.initial and initial != person.initial:
            return 0.8, f"author '{ref.shown}' = {person.shown} (initials differ)"
        return 1.0, f"author '{ref.shown}' = {person.shown}"
    ratio = fuzz.ratio(family, person.family) / 100
    if ratio >= 0.85:
        return 0.8 * ratio, f"author '{ref.shown}' ≈ {person.shown} ({ratio:.2f})"
    return 0.0, ""


def _author_score(refs: Sequence[RefName], record: _Record) -> tuple[float | None, list[str]]:
    if not refs:
        return None, []
    scores, reasons = [], []
    for ref in refs[:5]:
        best, why = 0.0, ""
        for person in record.persons:
            score, reason = _ref_vs_person(ref, person)
            if score > best:
                best, why = score, reason
        if ref.family is None:
            for org in record.orgs:
                score, reason = _org_vs_org(ref, org)
                if score > best:
                    best, why = score, reason
            if best < 0.7:
                # APA puts the site in the author position when no author is given, and
                # writers often name the host of a speech as its author.
                for site in record.sites:
                    score, reason = _org_vs_org(ref, site)
                    if score * 0.7 > best:
                        best = score * 0.7
                        why = f"author '{ref.shown}' = site or publisher {site.shown}"
        scores.append(best)
        reasons.append(why or f"author '{ref.shown}' not among the record's authors")
    score = (
        scores[0]
        if len(scores) == 1
        else 0.6 * scores[0] + 0.4 * math.fsum(scores[1:]) / (len(scores) - 1)
    )
    written = len(record.persons) + len(record.orgs)
    if written and len(refs) != written:
        score *= 0.9
        reasons.append(f"{len(refs)} author(s) vs {written} in the record")
    return score, reasons


def _date_score(ref: ParsedReference, source: Source) -> tuple[float | None, str]:
    issued = source.issued
    if ref.no_date:
        if issued is None or issued.year is None:
            return 1.0, "n.d. ✓"
        return 0.6, f"n.d. but the record is dated {issued}"
    if ref.year is None:
        return None, ""
    if issued is None or issued.year is None:
        return 0.6, f"year {ref.year} but the record is undated"
    if ref.year != issued.year:
        score = 0.3 if abs(ref.year - issued.year) == 1 else 0.1
        return score, f"year {ref.year} ≠ {issued.year}"
    if ref.month is None or issued.month is None:
        return 1.0, f"year {ref.year} ✓"
    written = f"{ref.year}-{ref.month:02d}" + (f"-{ref.day:02d}" if ref.day else "")
    if ref.month == issued.month and (None in (ref.day, issued.day) or ref.day == issued.day):
        return 1.0, f"date {written} ✓"
    event = source.event_date
    if event is not None and (event.year, event.month, event.day) == (
        ref.year,
        ref.month,
        ref.day,
    ):
        return 0.95, f"date {written} = event date (issued {issued})"
    score = 0.75 if ref.month == issued.month else 0.65
    return score, f"date {written} ≠ {issued}"


def _names_in(title: str, record: _Record) -> bool:
    """True when ``title`` contains a name of the record's author or site (a banner)."""
    padded = f" {title} "
    for org in (*record.orgs, *record.sites):
        if len(org.folded) >= 4 and org.folded in title:
            return True
        if any(f" {a} " in padded for a in org.abbreviations if len(a) >= 2):
            return True
    return False


def _site_score(ref: ParsedReference, record: _Record) -> tuple[float | None, str]:
    container = _fold(ref.container)
    names = (*record.sites, *record.orgs)
    if not container or not names:
        return None, ""
    for name in names:
        if container == name.folded or container in name.abbreviations:
            return 1.0, f"site '{ref.container}' ✓"
        if _same_name(container, name.folded):
            return 1.0, f"site '{ref.container}' ≈ {name.shown}"
    return 0.0, f"site '{ref.container}' ≠ {names[0].shown}"


class ReferenceMatcher:
    """Find the library records a parsed reference names, with a confidence.

    Built once per library: records are indexed by URL (and DOI), by author key (family
    names, organisation names, their words, abbreviations and acronyms) with the year,
    and by title word, so a reference is only scored against records that share one of
    these. How confident a match is:

    * the URL or DOI equals the record's (ignoring scheme, "www.", trailing slash and
      fragment; an Internet Archive URL counts as the page it archives): 0.95 plus a
      twentieth of the score below, so near-certain;
    * otherwise a weighted mean of the evidence both sides have: author 0.35 (family
      names and initials, organisation name, abbreviation or acronym; the record's site or
      publisher counts 0.7), date 0.25 (exact 1; same year, other day 0.75, other month
      0.65; the event date 0.95; one year off 0.3, more 0.1; n.d. against a dated record
      0.6), title 0.40 (best of title and translated title on either side, see
      :func:`_title_similarity`), site 0.10 (container against the record's container,
      publisher or group author), genre 0.05 (the bracketed description);
    * a usable title below 0.6 similarity means another work: the score is scaled by
      similarity / 0.6;
    * a title that is missing, mojibake or mixed-script, or a site banner (it contains
      the author's or site's name and is unlike the record's title) is not weighed, and
      the score is capped: times 0.8 when site or URL agree, else times 0.68. Author
      and date alone therefore never reach :data:`SURE`.

    Matches below :data:`MATCH_MIN` are dropped; a wrong date lowers the confidence but
    keeps the match, so that date rules can report the difference.
    """

    def __init__(self, library: Library) -> None:
        self._records = [_record(source) for source in library]
        self._years = [record.year for record in self._records]
        self._by_url: dict[str, list[int]] = defaultdict(list)
        self._by_author: dict[str, list[int]] = defaultdict(list)
        self._by_title_word: dict[str, list[int]] = defaultdict(list)
        for index, record in enumerate(self._records):
            for url in record.urls:
                self._by_url[url].append(index)
            for key in self._record_author_keys(record):
                self._by_author[key].append(index)
            for word in {w for t in record.titles for w in t.split()}:
                if len(word) >= 3 and word not in _STOPWORDS:
                    self._by_title_word[word].append(index)

    @staticmethod
    def _record_author_keys(record: _Record) -> set[str]:
        keys = {"p:" + p.family for p in record.persons if p.family}
        for org in (*record.orgs, *record.sites):
            keys.add("o:" + org.folded)
            keys |= {"a:" + a for a in org.abbreviations}
            keys |= {"w:" + w for w in org.folded.split() if w not in _STOPWORDS}
        return keys

    def _candidates(self, ref: ParsedReference) -> set[int]:
        found: set[int] = set()
        for url in _url_keys(ref.url) | ({"doi:" + ref.doi.casefold()} if ref.doi else set()):
            found.update(self._by_url.get(url, ()))
        keys: set[str] = set()
        words: set[str] = set()
        for name in ref.authors:
            if name.family is not None:
                keys.add("p:" + _fold(name.family))
            if name.literal:
                org = _org(name.literal, name.abbreviation)
                keys.add("o:" + org.folded)
                keys |= {"a:" + a for a in org.abbreviations}
                words |= {w for w in org.folded.split() if w not in _STOPWORDS}
                keys |= {"p:" + w for w in org.folded.split()}  # "Vladimir Norov"
            if name.abbreviation:
                keys.add("a:" + _fold(name.abbreviation))
        # Organisation words can be common ("ministry"): the two rarest find the records.
        known = [w for w in words if "w:" + w in self._by_author]
        known.sort(key=lambda w: len(self._by_author["w:" + w]))
        keys |= {"w:" + w for w in known[:2]}
        # An author's records from other years are left to the title index: a reference
        # more than a year off is rare, and a prolific author has many records.
        years = None if ref.year is None else {ref.year - 1, ref.year, ref.year + 1, None}
        for key in keys:
            for index in self._by_author.get(key, ()):
                if years is None or self._years[index] in years:
                    found.add(index)
        title_words = {
            w
            for t in (ref.title, ref.translated_title)
            for w in _fold(t).split()
            if len(w) >= 3 and w not in _STOPWORDS and w in self._by_title_word
        }
        for word in sorted(title_words, key=lambda w: len(self._by_title_word[w]))[:3]:
            postings = self._by_title_word[word]
            if len(postings) <= _TITLE_WORD_CAP:
                found.update(postings)
        return found

    def match(self, ref: ParsedReference) -> list[Match]:
        """The records ``ref`` may name, best first; empty when none is plausible."""
        candidates = self._candidates(ref)
        if not candidates:
            return []
        ref_titles = [t for t in (_fold(ref.title), _fold(ref.translated_title)) if t]
        damaged = bool(ref.title) and (
            diagnose(ref.title or "") is not None or bool(mixed_script_tokens(ref.title or ""))
        )
        ref_urls = _url_keys(ref.url) | ({"doi:" + ref.doi.casefold()} if ref.doi else set())
        # A URL or DOI the library holds names the record: score only those records (a big
        # organisation may have hundreds of releases a year, all candidates by author).
        by_url = [i for i in candidates if ref_urls & self._records[i].urls]
        matches = []
        for index in by_url or candidates:
            record = self._records[index]
            confidence, reasons = self._score(ref, record, ref_titles, damaged, ref_urls)
            if confidence >= MATCH_MIN:
                matches.append(Match(record.source.key, round(confidence, 3), tuple(reasons)))
        matches.sort(key=lambda m: (-m.confidence, m.key))
        return matches[:_MAX_MATCHES]

    def _score(
        self,
        ref: ParsedReference,
        record: _Record,
        ref_titles: Sequence[str],
        damaged: bool,
        ref_urls: set[str],
    ) -> tuple[float, list[str]]:
        url_hit = bool(ref_urls & record.urls)
        title = max(
            (_title_similarity(a, b) for a in ref_titles for b in record.titles), default=None
        )
        usable = title is not None and not (
            title < _TITLE_USABLE and (damaged or any(_names_in(t, record) for t in ref_titles))
        )
        evidence = max(0.0, ((title or 0.0) - _TITLE_FLOOR) / (1 - _TITLE_FLOOR))
        if usable and not url_hit and evidence / _TITLE_GATE < MATCH_MIN:
            # Another work's title: even perfect other evidence, scaled down by the title
            # gate, stays below MATCH_MIN. Most candidates end here, cheaply.
            return 0.0, []
        reasons: list[str] = []
        scores: dict[str, float] = {}
        if url_hit:
            reasons.append("DOI = record DOI" if ref.doi and not ref.url else "URL = record URL")
        author, why = _author_score(ref.authors, record)
        if author is not None:
            scores["author"] = author
            reasons.extend(why)
        date, because = _date_score(ref, record.source)
        if date is not None:
            scores["date"] = date
            reasons.append(because)
        if title is not None and usable:
            scores["title"] = evidence
            reasons.append(f"title {title:.2f}")
        elif title is not None:
            reasons.append(f"title {title:.2f} looks like mojibake or a site banner: not weighed")
        site, said = _site_score(ref, record)
        if site is not None:
            scores["site"] = site
            reasons.append(said)
        if ref.description and record.genre:
            same = _fold(ref.description) == record.genre
            scores["genre"] = 1.0 if same else 0.0
            shown = record.source.effective_genre
            reasons.append(f"[{ref.description}] ✓" if same else f"[{ref.description}] ≠ {shown}")
        if ref_urls and record.urls and not url_hit:
            reasons.append("URL differs from the record's")
        weight = math.fsum(_WEIGHTS[k] for k in scores)
        score = math.fsum(_WEIGHTS[k] * v for k, v in scores.items()) / weight if weight else 0
        if "title" in scores and scores["title"] < _TITLE_GATE:
            score *= scores["title"] / _TITLE_GATE
        elif "title" not in scores:
            score *= _NO_TITLE_WITH_SITE if url_hit or scores.get("site") == 1.0 else _NO_TITLE
        if url_hit:
            score = 0.95 + 0.05 * score
        return score, reasons
