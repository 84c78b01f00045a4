"""Recognise the textual cues of policy documents: dates, speech headings, speakers, salutations.

Every extractor (HTML, plain text) asks the same questions of a line of text: is it a date,
a speech heading, a salutation; who is speaking, at which event; what kind of document is
this. The answers live here, as pure functions on strings, so the extractors agree. This
module does no I/O and imports nothing from policycite.

Dates are parsed by hand-written regexes and month tables (a few microseconds a line):
dateutil's ``fuzzy`` mode invents dates from clock widgets ("03:56Phnom Penh" became
today), and dotted dates are always day first, which dateutil gets wrong with ``/``.
"""

# Russian and Chinese cue words are the point of this module, not look-alike typos.
# ruff: noqa: RUF001, RUF002, RUF003

from __future__ import annotations

import datetime
import re
import unicodedata

# --- dates ---------------------------------------------------------------------------

# Month names, lower-cased, in the languages policy sites publish in. Genitive forms
# ("мая") are what Russian dates use; abbreviations may carry a trailing dot.
_MONTHS: dict[str, int] = {}


def _add_months(names: str) -> None:
    for number, group in enumerate(names.split(), start=1):
        for name in group.split("|"):
            _MONTHS[name] = number


_add_months(  # English
    "january|jan february|feb march|mar april|apr may june|jun july|jul "
    "august|aug september|sep|sept october|oct november|nov december|dec"
)
_add_months(  # Russian, nominative, genitive and abbreviated
    "январь|января|янв февраль|февраля|фев|февр март|марта|мар апрель|апреля|апр "
    "май|мая июнь|июня|июн июль|июля|июл август|августа|авг "
    "сентябрь|сентября|сен|сент октябрь|октября|окт ноябрь|ноября|ноя|нояб "
    "декабрь|декабря|дек"
)
_add_months(  # German
    "januar|jänner februar märz|maerz|mrz april|apr mai juni juli august "
    "september oktober|okt november dezember|dez"
)
_add_months(  # French
    "janvier|janv février|fevrier|févr|fevr mars avril|avr mai juin juillet|juil "
    "août|aout septembre octobre novembre décembre|decembre|déc"
)
_add_months(  # Spanish
    "enero febrero marzo abril mayo junio julio agosto septiembre|setiembre "
    "octubre noviembre diciembre"
)

_WORD = r"[^\W\d_]+"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<y>\d{4})"
_MONTH = rf"(?P<m>{_WORD})\.?"
# An optional label before the date ("DATE 2020-05-19", "Published: 18 May 2020").
_LABEL = (
    r"(?:(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|issued"
    r"(?:\s+on)?|released(?:\s+on)?|дата|опубликовано|datum|publié\s+le)\s*:?\s+)?"
)

# Each pattern names its groups y, m (number or word) and d; all are tried with .match.
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # ISO 8601 and Y/M/D: 2020-05-18, 2020/05/18, 2020.05.18 (optionally T15:03)
        rf"{_YEAR}(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?![\d])",
        # D.M.Y and D-M-Y: dotted and dashed dates are day first
        r"(?P<d>\d{1,2})(?P<sep>[.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)",
        # A/B/Y: day first in most of the world, month first in the US; see _slash_date
        r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)",
        # Chinese and Japanese: 2020年5月18日, 2020年5月
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?",
        # APA: (2020, May 18), (2020, May)
        rf"\(\s*{_YEAR},\s*{_MONTH}(?:\s+{_DAY})?\s*\)",
        # 18 May 2020, 18. Mai 2020, 1er juin 2020, 18 мая 2020 г., 18 de mayo de 2020
        rf"{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}(?!\d)",
        # May 18, 2020; May 18 2020
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)",
        # May 2020, мая 2020 (month precision)
        rf"{_MONTH},?\s+{_YEAR}(?!\d)",
    )
)
_ISO_PARTIAL = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2}))?(?!\d)")
# What may follow a date on a date-only line: a time, a zone, a separator, "г." / "года".
_DATE_TAIL = re.compile(
    r"[\s,|–—-]*(?:г\.|года|год)?[\s,|–—-]*"
    r"(?:(?:at\s+|в\s+|à\s+|um\s+)?T?\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}|UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z)?)?"
    r"[\s.,|)]*"
)
_FIRST_YEAR, _LAST_YEAR = 1800, 2199


def _month_number(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return _MONTHS.get(raw.lower().rstrip("."))


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    """ISO text for a date, or None when the date cannot exist."""
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _prepare(text: str) -> str:
    # NFKC folds full-width digits (２０２０年) and no-break spaces into what the regexes read.
    return unicodedata.normalize("NFKC", text).strip()


def _slash_date(first: int, second: int) -> dict[str, str]:
    """Day and month of "a/b/yyyy", only when one of them cannot be a month."""
    if first > 12 >= second:
        return {"d": str(first), "m": str(second)}
    if second > 12 >= first:
        return {"d": str(second), "m": str(first)}
    return {}  # 05/06/2020 is 5 June or May 6: do not guess


def _match_at(text: str, pos: int) -> tuple[str, int] | None:
    """The date starting exactly at ``pos`` and where it ends, or None."""
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text, pos)
        if not found:
            continue
        groups = found.groupdict()
        if groups.get("a"):
            groups.update(_slash_date(int(groups["a"]), int(groups["b"])))
        if not groups.get("m"):
            continue
        month = _month_number(groups["m"])
        if month is None:
            continue
        day = int(groups["d"]) if groups.get("d") else None
        iso = _iso(int(groups["y"]), month, day)
        if iso:
            return iso, found.end()
    return None


_LABEL_RE = re.compile(_LABEL, re.IGNORECASE)


def split_date(text: str) -> tuple[str, str] | None:
    """The date a line starts with, as ISO, and the rest of the line after it and its time.

    ``"18.05.2020 15:03 Moscow"`` gives ``("2020-05-18", "Moscow")``. A bare year or
    year-month counts only when it is all the line holds ("2020", "2020-05").
    """
    prepared = _prepare(text)
    start = _LABEL_RE.match(prepared)
    pos = start.end() if start else 0
    found = _match_at(prepared, pos)
    if found is None:
        partial = _ISO_PARTIAL.fullmatch(prepared, pos)
        if partial is None:
            return None
        month = int(partial["m"]) if partial["m"] else None
        iso = _iso(int(partial["y"]), month, None)
        return (iso, "") if iso else None
    iso, end = found
    tail = _DATE_TAIL.match(prepared, end)
    rest = prepared[tail.end() if tail else end :]
    return iso, rest.strip()


def parse_date(text: str) -> str | None:
    """ISO 8601 date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) of a date string, or None.

    Reads ISO, Y/M/D, D.M.Y (dotted and dashed dates are day first), "18 May 2020",
    "May 18, 2020", APA "(2020, May 18)", "18 мая 2020 г.", "18. Mai 2020",
    "18 mai 2020", "2020年5月18日", with an optional trailing time, at the start of the
    text. Impossible dates (30 February) give None, and so does "03:56Phnom Penh".
    """
    found = split_date(text)
    return found[0] if found else None


def is_date_line(text: str) -> bool:
    """True when a line holds a date and nothing else but a time ("18.05.2020 15:03")."""
    found = split_date(text)
    return found is not None and not found[1]


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date anywhere in a text, as (ISO, start, end) offsets into the text.

    Only full dates with a day or a month name count here ("On 13 May 2020 the …"), so
    that numbers in prose ("2020 targets") are not taken as dates. Offsets are into the
    NFKC form of the text, which for ordinary text is the text itself.
    """
    prepared = _blank_release_numbers(unicodedata.normalize("NFKC", text))
    for candidate in _DATE_START.finditer(prepared):
        found = _match_at(prepared, candidate.start())
        if found and len(found[0]) == 10:
            return found[0], candidate.start(), found[1]
    return None


# Where a date can start: a digit, an opening parenthesis or a word (a month name), each at
# a word boundary.
_DATE_START = re.compile(r"(?<![\w.])(?:\d|\(|[^\W\d_])")

# A release or report number ("Nr. 12/2025", "No. 12/2025", "n° 12/2025", "№ 12/2025",
# which NFKC spells "No 12/2025") is never a date, whatever its digits look like.
_RELEASE_NUMBER = re.compile(r"(?:\b(?:nr|no|n[°º]|number)\.?|#)\s*\d[\w/.-]*", re.IGNORECASE)
# The word that puts the release's own date after its number: "Nr. 12/2025 vom 3. März 2025".
_DATE_WORD = re.compile(r"\b(?:vom|du|от|of|dated|del|de)\s+", re.IGNORECASE)


def _blank_release_numbers(text: str) -> str:
    """The text with release numbers blanked out, offsets kept."""
    return _RELEASE_NUMBER.sub(lambda m: " " * len(m.group()), text)


def release_date(text: str) -> str | None:
    """The date of a line that may hold a release number, as ISO, or None.

    "Pressemitteilung Nr. 12/2025 vom 3. März 2025", "Communiqué de presse n° 12/2025 du
    3 mars 2025", "Пресс-релиз № 12/2025 от 3 марта 2025 г." all give "2025-03-03": the
    number is never read as a date and the date after "vom"/"du"/"от"/"of"/"dated" wins
    over any other.
    """
    prepared = _blank_release_numbers(unicodedata.normalize("NFKC", text))
    for word in _DATE_WORD.finditer(prepared):
        found = _match_at(prepared, word.end())
        if found is not None:
            return found[0]
    found_anywhere = find_date(prepared)
    return found_anywhere[0] if found_anywhere else None


# --- speech headings, speakers, events ---------------------------------------------------

_SPEECH_WORDS = (
    r"(?:Speech|Remarks|Address|Statement|Keynote(?:\s+(?:speech|address|remarks))?"
    r"|(?:Opening|Closing|Concluding|Welcome|Welcoming|Introductory|Introduction|Prepared"
    r"|Delivered)\s+(?:remarks|speech|address|statement)"
    r"|Opening\s+statement|Video\s+(?:message|address)|Message|Intervention|Lecture|Toast"
    r"|Transcript(?:\s+of\s+(?:the\s+)?(?:speech|remarks|address))?"
    r"|Выступление|Речь|Обращение|Заявление|Приветствие|Доклад"
    r"|Discours|Allocution|Déclaration|Rede|Ansprache|Grußwort|Erklärung|Discurso)"
)
_SPEECH_HEADING = re.compile(
    rf"^(?:(?:the\s+)?(?:full\s+)?(?:text\s+of\s+(?:the\s+)?)?){_SPEECH_WORDS}"
    r"(?:\s*[:—–-]|\s+(?:by|of|at|to|from|delivered|given|before|on\s+behalf|as\s+prepared"
    r"|as\s+delivered|по|на)\b|(?-i:\s+[А-ЯЁ])|$)",
    re.IGNORECASE,
)
# A heading that lost its first word ("Speech"): "of the Secretary-General Ms. X at the …".
_HEADLESS_HEADING = re.compile(
    r"^(?:of|by)\s+(?:the\s+)?[A-Z].*?\s(?:at|to|before|during)\s+(?:the\s+)?[A-Z0-9]"
)
_CHINESE_SPEECH = re.compile(r"(?:讲话|致辞|演讲|发言|講話|致詞|演講)\s*$")

_HONORIFIC = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady|H\.\s?E|S\.\s?E|Mme|Herr|Frau"
    r"|His\s+Excellency|Her\s+Excellency|His\s+Majesty|Her\s+Majesty|His\s+Royal\s+Highness"
    r"|Her\s+Royal\s+Highness|Minister|Ambassador|President|Prime\s+Minister|Chancellor"
    r"|Governor|Commissioner|Senator|Deputy|Director(?:-General)?|Secretary-General"
    r"|Secretary|Chairman|Chairwoman|Chair|Professor|Judge|Mayor|Vice-President|Vice\s+President"
    r"|Queen|King|Prince|Princess|Cardinal|Pope|Rabbi|Imam|Sheikh|General|Admiral|Colonel"
    r"|Господин|Госпожа|г-на|г-жи|г-н|г-жа)\.?"
)
_NAME_WORD = r"(?:[A-ZА-ЯЁ][\w'’-]*\.?|[A-ZА-ЯЁ]\.)"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|le|la|bin|binti|ibn|al|el|ter|ten|y)"
_SPEAKER = re.compile(
    rf"(?<![\w-]){_HONORIFIC}(?:\s+{_HONORIFIC})*\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,4}})"
)
# Words that look like names after an honorific but are roles or places.
_NOT_NAMES = frozenset(
    "Of The And For At To On In Minister Ambassador President Secretary Secretary-General "
    "Chairman Chair Director Director-General General Deputy Foreign Affairs Republic "
    "Federation Council Committee Commission Organization Organisation State States Prime "
    "Excellency Excellencies Majesty Highness Government Executive Permanent Representative "
    "Mr Mrs Ms Dr H.E Minister-Counsellor Special Envoy Plenipotentiary Extraordinary "
    "Kingdom Union United Nations Alliance Assembly Secretariat".split()
)
# "at the …" names the event; "to"/"before"/"during" only when no "at" does.
_EVENT_AT = re.compile(r"\sat\s+(?:the\s+)?(?P<event>[A-Z0-9«\"“].*)$")
_EVENT = re.compile(
    r"\s(?:to|before|during|on\s+the\s+occasion\s+of)\s+(?:the\s+)?(?P<event>[A-Z0-9«\"“].*)$"
)
_EVENT_PLACE = re.compile(
    r"(?:,\s*|\s+)(?:(?P<via>via|by|through)\s+(?P<medium>video[\s-]?conference|video\s+link"
    r"|videolink|teleconference|video)|in\s+(?P<place>[A-Z][\w.’'-]*(?:[\s,]+[A-Z][\w.’'-]*){0,3})"
    r"|\((?P<paren>online|virtual|videoconference|video\s+conference)\))\s*$"
    r"|,\s*(?P<cplace>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})\s*$",
    re.IGNORECASE,
)
_TRAILING_DATE = re.compile(r"(?:,\s*|\s+on\s+|\s*[(–—-]\s*)(?P<date>[^,()]{6,40}?)\)?\s*$")


def is_speech_heading(text: str) -> bool:
    """True for a heading that opens a speech or statement transcript.

    "Speech by …", "Remarks of …", "Address by …", "Statement by …", "Keynote …",
    "Opening remarks …" (and their Russian, French, German, Spanish and Chinese kin), and a
    heading that lost its first word: "of the Secretary-General Ms. X at the …".
    """
    line = text.strip()
    if not line or len(line) > 400 or len(line.split()) > 45:
        return False
    if _SPEECH_HEADING.match(line) or _CHINESE_SPEECH.search(line):
        return True
    # A headless heading is a fragment, not a sentence: it never ends in a full stop.
    return bool(_HEADLESS_HEADING.match(line)) and not line.endswith((".", "!", "?"))


def _clean_name(raw: str) -> str | None:
    words = raw.split()
    # Cut at the first word that is a role or a place rather than a name ("Minister of").
    kept: list[str] = []
    for word in words:
        if word.rstrip(".,") in _NOT_NAMES:
            break
        kept.append(word)
    while kept and kept[-1].lower() in _PARTICLE_WORDS:
        kept.pop()
    if not kept:
        return None
    name = " ".join(kept).rstrip(",")
    # A single initial is not a name.
    return name if len(name.rstrip(".")) > 1 else None


_PARTICLE_WORDS = frozenset(_PARTICLE.strip("(?:)").split("|"))


def speaker_from_heading(text: str) -> str | None:
    """The speaker's name in a speech heading, without honorifics, or None.

    "Speech of the Secretary-General Mr. Anders Kask at the …" gives "Anders Kask":
    an honorific (Mr./Ms./Dr./H.E./Minister/Ambassador/President …) followed by
    capitalised name words, stopping at "at", "to", "on", "before" or a comma.
    """
    line = unicodedata.normalize("NFKC", text)
    for found in _SPEAKER.finditer(line):
        name = _clean_name(found["name"])
        if name:
            return name
    return None


def _split_event(text: str) -> tuple[str, str | None, str | None] | None:
    """(event, place, date) from a heading's "at the …" part, or None."""
    line = unicodedata.normalize("NFKC", text).strip().rstrip(".")
    found = _EVENT_AT.search(line) or _EVENT.search(line)
    if found is None:
        return None
    event = found["event"].strip()
    place: str | None = None
    date: str | None = None
    trailing = _TRAILING_DATE.search(event)
    if trailing:
        date = parse_date(trailing["date"])
        if date:
            event = event[: trailing.start()].rstrip(" ,")
    where = _EVENT_PLACE.search(event)
    if where:
        place = where["medium"] or where["place"] or where["paren"] or where["cplace"]
        event = event[: where.start()].rstrip(" ,")
    if place is not None:
        place = re.sub(r"\s+", " ", place)
    return (event, place, date) if event else None


def event_from_heading(text: str) -> str | None:
    """The event a speech was given at, from its heading's "at the …" part, or None.

    "… Mr. Anders Kask at the Extraordinary Meeting of the Council via videoconference"
    gives "Extraordinary Meeting of the Council"; the place ("via videoconference",
    "in Geneva") and a trailing date are left to :func:`event_place_from_heading` and
    :func:`event_date_from_heading`.
    """
    found = _split_event(text)
    return found[0] if found else None


def event_place_from_heading(text: str) -> str | None:
    """Where the event of a speech heading took place ("Geneva", "videoconference"), or None."""
    found = _split_event(text)
    return found[1] if found else None


def event_date_from_heading(text: str) -> str | None:
    """The ISO date that ends a speech heading ("…, 13 May 2020"), or None."""
    found = _split_event(text)
    return found[2] if found else None


# --- salutations and closings ------------------------------------------------------------

_SALUTATION = re.compile(
    r"^(?:"
    r"(?:my\s+)?dear(?:est)?\s+\S.*"
    r"|(?:your|their|his|her)\s+(?:excellenc(?:y|ies)|majest(?:y|ies)|royal\s+highness(?:es)?"
    r"|highness(?:es)?|holiness|eminence)\b.*"
    r"|excellenc(?:y|ies)\b.*"
    r"|ladies\s+and\s+gentlemen\b.*"
    r"|(?:distinguished|honou?rable|esteemed|respected)\s+\S.*"
    r"|(?:mr\.?|madam|madame|mister)\s+(?:president|chair(?:man|woman|person)?|speaker"
    r"|secretary-general|secretary|moderator|minister|prime\s+minister|ambassador)\b.*"
    r"|(?:good\s+(?:morning|afternoon|evening))\b.*"
    r"|(?:colleagues|friends|comrades|fellow\s+\w+(?:\s+\w+)?)"
    r"|уважаем\w*\s+\S.*|дорог\w+\s+\S.*|господин\s+\S.*|госпожа\s+\S.*"
    r"|дамы\s+и\s+господа\b.*|коллеги|друзья|ваше\s+превосходительство.*"
    r"|ваши\s+превосходительства.*"
    r"|mesdames\s+et\s+messieurs\b.*|monsieur\s+le\s+\S.*|madame\s+la\s+\S.*|cher(?:e|s|es)?\s+\S.*"
    r"|sehr\s+geehrte\w*\s+\S.*|meine\s+(?:sehr\s+geehrten\s+)?damen\s+und\s+herren\b.*"
    r"|liebe\w*\s+\S.*|señoras\s+y\s+señores\b.*|estimad[oa]s?\s+\S.*"
    r")[,!:;]?$",
    re.IGNORECASE,
)
_CHINESE_SALUTATION = re.compile(
    r"^(?:尊敬的.*|女士们[、，,]\s*先生们|各位.*|同事们|朋友们)[：:，,！!]?$"
)
_CLOSING = re.compile(
    r"^(?:i\s+)?(?:thank\s+you|thanks)(?:\s+(?:very|so)\s+much)?"
    r"(?:\s+(?:all|everyone))?(?:\s+for\s+(?:your|the)\s+(?:kind\s+|undivided\s+)?"
    r"(?:attention|listening|patience))?[.!]?$"
    r"|^(?:благодарю|спасибо)(?:\s+вас)?(?:\s+за\s+внимание)?[.!]?$"
    r"|^(?:je\s+vous\s+remercie|merci)(?:\s+(?:de|pour)\s+votre\s+attention)?[.!]?$"
    r"|^(?:vielen\s+dank|danke)(?:\s+für\s+ihre\s+aufmerksamkeit)?[.!]?$"
    r"|^(?:muchas\s+)?gracias(?:\s+por\s+su\s+atención)?[.!]?$"
    r"|^谢谢(?:大家|各位)?[。！!]?$",
    re.IGNORECASE,
)


def is_salutation(text: str) -> bool:
    """True for a salutation line of a speech ("Dear colleagues,", "Your Excellencies,").

    Also "Ladies and gentlemen,", "Excellencies,", "Mr. Chairman,", Russian "Уважаемые
    коллеги!" and "Господин Председатель!", and the French, German, Spanish and Chinese
    forms. Only short lines count: a sentence that starts "Dear …" is prose.
    """
    line = unicodedata.normalize("NFKC", text).strip()
    if not line or len(line) > 120 or len(line.split()) > 12:
        return False
    if line.endswith((".", "?")):
        return False
    return bool(_SALUTATION.match(line) or _CHINESE_SALUTATION.match(line))


def is_closing(text: str) -> bool:
    """True for a closing formula of a speech ("Thank you for your attention.")."""
    line = unicodedata.normalize("NFKC", text).strip()
    return len(line) <= 80 and bool(_CLOSING.match(line))


# --- kinds -------------------------------------------------------------------------------

_PRESS_LABEL = re.compile(
    r"\b(?:press\s+release|news\s+release|media\s+release|press\s+statement"
    r"|communiqué\s+de\s+presse|pressemitteilung|nota\s+de\s+prensa|comunicado\s+de\s+prensa)\b"
    r"|пресс-релиз|新闻稿|新聞稿",
    re.IGNORECASE,
)
_STATEMENT_TITLE = re.compile(
    r"^(?:joint\s+)?(?:statement|declaration|communiqu[ée]|joint\s+communiqu[ée]"
    r"|заявление|декларация|совместное\s+заявление|déclaration|erklärung|声明)\b",
    re.IGNORECASE,
)


def kind_cues(title: str, text: str) -> tuple[str, str] | None:
    """What the wording says the document is: (kind, reason), or None if nothing speaks.

    Looks at the title first ("Speech by …" → speech, "Statement by …" → statement, a
    "Press release" label → press-release), then at how the text opens (a salutation →
    speech). ``text`` is the main text; only its first lines are read.
    """
    head = title.strip()
    opening = text.lstrip()[:600]
    if _PRESS_LABEL.search(head) or _PRESS_LABEL.search(opening[:200]):
        return "press-release", "'Press release' label"
    first_line = opening.split("\n", 1)[0].strip()
    if _STATEMENT_TITLE.match(head):
        word = head.split()[0]
        return "statement", f"title starts {word!r}"
    if is_speech_heading(head):
        first = _SPEECH_HEADING.match(head)
        if first is None:
            return "speech", "heading names a speaker at an event (its first word is lost)"
        word = " ".join(head.split()[:2])
        if head.split()[0].lower() in {"statement", "заявление", "déclaration", "erklärung"}:
            # "Statement by the Minister at the Council" is spoken at an event: a speech;
            # "Statement by the Ministry on …" is a written statement.
            if (_EVENT_AT.search(head) or _EVENT.search(head)) and (
                is_salutation(first_line) or speaker_from_heading(head)
            ):
                return "speech", f"heading starts {word!r} and names a speaker at an event"
            return "statement", f"heading starts {word!r}"
        return "speech", f"heading starts {word!r}"
    if is_salutation(first_line):
        return "speech", f"text opens with a salutation {first_line!r}"
    return None


__all__ = [
    "event_date_from_heading",
    "event_from_heading",
    "event_place_from_heading",
    "find_date",
    "is_closing",
    "is_date_line",
    "is_salutation",
    "is_speech_heading",
    "kind_cues",
    "parse_date",
    "release_date",
    "speaker_from_heading",
    "split_date",
]
