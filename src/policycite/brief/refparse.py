"""Reference strings to fields.

A brief's reference list is typed by hand: APA 7, often with APA 6 leftovers ("Retrieved
from"), sometimes Chicago. :func:`parse_reference` reads one entry into a
:class:`ParsedReference` (:mod:`policycite.brief.matching` then finds the library records
it may name). Nothing is corrected here: a mojibake title or a wrong date comes through
as written, so that rules can point at it.

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
import re

import attrs

__all__ = ["ParsedReference", "RefName", "parse_reference"]

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
DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_DOI_LABEL_RE = re.compile(r"\bdoi:\s*(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
WAYBACK_RE = re.compile(r"^(?:https?://)?web\.archive\.org/web/\d+[a-z_]*/(.+)$", re.IGNORECASE)
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
            # A Markdown title's emphasis may close after its "?": "*Is it ready?* Site."
            after = i + 1
            while ch in "?!" and after < stop and text[after] in "*_":
                after += 1
            at_break = after >= stop or text[after].isspace()
            if ch == "?" and (text[i - 1 : i] == "?" or text[i + 1 : i + 2] == "?"):
                at_break = False
            if ch == "." and at_break:
                word = _LAST_WORD_RE.search(text, start, i)
                token = word[1] if word else ""
                if (len(token) == 1 and token.isupper()) or token.casefold() in _ABBREVIATIONS:
                    at_break = False
            if at_break:
                return (i, i + 1) if ch == "." else (after, after)
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
    doi_url = DOI_URL_RE.match(text[urls[0][0] : urls[0][1]]) if urls else None
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
