r"""Find the in-text citations of one stretch of a brief's text, with their exact offsets.

Three forms are recognised (:attr:`Citation.form`):

``parenthetical`` (APA)
    Parentheses holding one or more *author, year[, locator]* parts separated by ";":
    "(Norov, 2020)", "(Norov, 2020, para. 4)", "(Smith et al., 2021)", "(Smith & Jones,
    2019)", "(Shanghai Cooperation Organisation [SCO], 2020)", "(SCO, n.d.-a)",
    "(Ministry of Foreign Affairs of Russia, 2020; SCO, 2020a)", "(Norov, 2019, 2020)"
    (two works), "(Smith, 2019, as cited in Norov, 2020)" (two works; the first may have
    no year, "(Osei, as cited in Norov, 2020)"). A part may open
    with a known prefix ("e.g.,", "see", "see also", "cf.", "for example,", …), which is
    not kept. Everything after the year is the locator, as written ("paras. 3–4",
    "Background section, para. 2").
``narrative`` (APA)
    An author phrase right before parentheses that open with the year: "Norov (2020)",
    "Norov (2020, para. 4)", "Smith et al. (2021)", "Smith and Jones (2019)",
    "Norov’s (2020)". Also an organisation named in full before its abbreviation and
    year, "the Shanghai Cooperation Organisation (SCO, 2020)", when the initials of the
    name spell the abbreviation; its authors read "Shanghai Cooperation Organisation
    [SCO]", as the parenthetical form writes them.
``pandoc``
    Bracketed clusters "[@norov2020, para. 4]", "[see @a; @b]", parsed by
    :func:`policycite.citations.parse_citations`, and narrative keys "@norov2020 says"
    (optionally "@norov2020 [para. 4]"). ``authors`` is empty and ``key`` set.

Rules that keep false positives out:

* A year is 1600–2099, optionally with a letter ("2020a"; not "s", so "(1990s)" is no
  year), or "n.d." / "n.d.-b". It must stand alone: "(2020–2021)", "(13 May 2020)",
  "(May 13, 2020)" and "(in 2020)" are not citations, and years in running text never are.
* Parentheses without a year ("(COVID-19)", "(see below)") are never citations; all the
  ";"-parts of a parenthetical must parse, or the parentheses are left alone.
* An author phrase is made of capitalised words (any script without case counts as
  capitalised), "&", "and", "et al.", bracketed abbreviations and the small words of
  organisation names ("of", "for", "on", "the", "van", "de", …); it may not be a month, a
  lone number or a sentence word such as "In" or "The" ("In 2020, Norov…" has no
  parentheses and is no citation; "the report (2020)" has no capitalised name).
  Sentence words, a leading "The" and titles ("Foreign Minister", "Dr.") are trimmed
  from the front of a narrative author phrase.
* A narrative pandoc key must contain a digit ("@norov2020"), so that handles such as
  "@UN" are not read as citations; "@" after a letter, ".", "/" or "\\" (e-mail
  addresses, URLs, escapes) never starts one.

What is *not* recognised: nested parentheses inside a citation, "(Norov, 2020, May 13)"
style dates, a lone locator "(para. 4)" after a narrative citation, and free text parts
inside a parenthetical ("(Norov, 2020; emphasis added)").
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable
from typing import Any

import attrs

from policycite.brief.model import Citation, CitedWork, Span
from policycite.citations import parse_citations
from policycite.errors import InputError

#: A year as APA prints it; the letter excludes "s" so that decades are not years.
YEAR = r"(?:(?:1[6-9]|20)\d{2}(?:[a-rt-z])?|n\.\s?d\.(?:-[a-z])?)(?![\w\u2013-])"

_YEAR_RE = re.compile(YEAR)
# Parentheses without nested parentheses; inner text long enough for "X, 2020".
_PAREN_RE = re.compile(r"\((?P<inner>[^()]{4,400})\)")
_NARRATIVE_RE = re.compile(
    rf"\A\s*(?P<years>{YEAR}(?:\s*,\s*{YEAR})*)\s*(?:,\s*(?P<locator>[^\s,][^()]{{0,100}}?))?\s*\Z"
)
_SEGMENT_RE = re.compile(
    rf"\A(?P<authors>[^,].*?)\s*,\s*(?P<years>{YEAR}(?:\s*,\s*{YEAR})*)"
    rf"\s*(?:,\s*(?P<locator>\S.*?))?\s*\Z",
    re.DOTALL,
)
_YEAR_SPLIT_RE = re.compile(r"\s*,\s*")
_PREFIX_RE = re.compile(
    r"\A(?:(?:e\.\s?g\.|i\.\s?e\.|cf\.|see(?:\s+also)?|but\s+see|compare|also|"
    r"for\s+(?:example|instance|a\s+review|details|more)(?:,?\s+see)?|including|"
    r"notably|especially|esp\.|as\s+reported\s+(?:by|in))\s*,?\s+)+",
    re.IGNORECASE,
)
# "(Smith, 2019, as cited in Norov, 2020)" names two works, like a ";": Smith's quoted
# through Norov's. "cited in" and "as quoted in" are written for the same.
_THROUGH = r"(?:as\s+)?cited\s+in|as\s+quoted\s+in"
# The marker with what precedes it: "," (the work just before is the primary), ";" or
# nothing (every work before it since the last secondary is), or the start.
_THROUGH_SPLIT_RE = re.compile(rf"(?:\s*(?P<sep>[,;])\s*|\A\s*)\b(?:{_THROUGH})\s+", re.IGNORECASE)
_NARRATIVE_THROUGH_RE = re.compile(
    rf"\A\s*(?P<years>{YEAR}(?:\s*,\s*{YEAR})*)\s*,\s*(?P<rest>(?:{_THROUGH})\s+\S.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
_THROUGH_HINT_RE = re.compile(r"(?:cited|quoted)\s+in\s", re.IGNORECASE)
_SEMICOLON_RE = re.compile(r"\s*;\s*")
# Primaries joined by "and": "(Smith, 1990, and Jones, 1991, as cited in Kask, 2024)".
_AND_SPLIT_RE = re.compile(r"\s*,\s*and\s+(?=[^\W\d_])")
_ACRONYM_RE = re.compile(r"\A[A-Z][A-Z&]{1,9}\Z")
_BRACKETED_RE = re.compile(r"\A\[[^\[\]\s]{1,20}\]\Z")
_LOWER_NAME_RE = re.compile(r"\A(?:al|el|d|o|ibn|bin|de|di|da|van|von)['’\-][^\W\d_]", re.I)
_TOKEN_RE = re.compile(r"\S+")
_HYPHENS_RE = re.compile("[-\u2010\u2011]")
_WORD_CHARS_RE = re.compile(r"\A[^\W_][\w'’.\-]*\Z")
_TITLE_RE = re.compile(
    r"\A(?:(?:Deputy|Foreign|Prime|Vice|Acting|Former)\s+)*"
    r"(?:President|Minister|Secretary[- ]General|Secretary|Ambassador|Dr\.?|Prof\.?|"
    r"Professor|Mr\.?|Mrs\.?|Ms\.?|Director[- ]General|Chairman|Chairwoman|Chair|"
    r"Chancellor|Senator|Spokesperson|Spokesman|Envoy|Commissioner)\s+"
)
# Pandoc keys, as policycite.citations reads them; "-@key" (author suppressed) too.
_KEY = r"(?:\{[^}]+\}|\w(?:[\w:.#$%&+?<>~/-]*\w)?)"
_NARRATIVE_KEY_RE = re.compile(rf"(?<![\w.@/\\-])@(?P<key>{_KEY})")
_KEY_IN_GROUP_RE = re.compile(rf"(?<![\w.@])-?@(?P<key>{_KEY})")
_LOCATOR_GROUP_RE = re.compile(r"[ \t]?\[(?P<locator>[^\[\]@\n]{1,80})\]")

_CONNECTORS = frozenset(
    "of for the on in to at and & und et y de du des la le van von der den del della di "
    "da dos das al el bin ibn ten ter zu".split()
    # German and Nordic names of bodies: "Landesamt für …", "Styrelsen for … og …".
    + "für fur zur zum för och og af".split()
)
_PARTICLES = frozenset(
    "van von de du des la le der den del della di da dos das al el bin ibn ten ter zu".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday "
    "thursday friday saturday sunday".split()
)
# Capitalised only because they open a sentence or clause: never part of a name.
_SENTENCE_WORDS = frozenset(
    "the a an as in on at by for from with both and but or if when while since after "
    "before unlike like per following then also thus hence so yet this that these those "
    "here there it we they he she our its their his her according during although though "
    "however moreover furthermore meanwhile whereas where which who whom whose what why "
    "how not nor all some most many each every other others one two three see cf later "
    "earlier now today yesterday first second third finally indeed instead still even "
    "only just again yet last next above below thereafter afterwards previously".split()
)


def find_citations(
    text: str,
    *,
    offset: int = 0,
    span_at: Callable[[int, int], Span] | None = None,
) -> list[Citation]:
    """The in-text citations of ``text``, in order of their start.

    ``offset`` is where ``text`` starts in the brief; ``span_at(start, end)`` makes a
    :class:`Span` of brief offsets (without it, lines and columns count in ``text``).
    Characters the caller wants ignored (code spans, markup) may be blanked to spaces
    beforehand: offsets stay exact.
    """
    make_span = span_at or _local_spans(text, offset)
    found: list[tuple[int, int, str, list[CitedWork]]] = []
    taken = _pandoc(text, found)
    for match in _PAREN_RE.finditer(text):
        inner = match.group("inner")
        if not _YEAR_RE.search(inner) or _overlaps(match.start(), match.end(), taken):
            continue
        through = _NARRATIVE_THROUGH_RE.match(inner)
        if through:
            # "Rabbitt (1982, as cited in Kask, 2024)": Rabbitt's work seen through Kask's.
            named = _name_before(text, match.start())
            secondary = _parenthetical(through.group("rest"))
            if named is not None and secondary is not None:
                start, authors = named
                primary = [
                    attrs.evolve(w, role="primary")
                    for w in _works(authors, through.group("years"), None)
                ]
                found.append((start, match.end(), "narrative", primary + secondary))
                continue
        narrative = _NARRATIVE_RE.match(inner)
        if narrative:
            named = _name_before(text, match.start())
            if named is not None:
                start, authors = named
                years, locator = narrative.group("years"), narrative.group("locator")
                found.append((start, match.end(), "narrative", _works(authors, years, locator)))
            continue
        parsed = _parenthetical(inner)
        if parsed is None:
            continue
        works = parsed
        if len(works) == 1 and _ACRONYM_RE.match(works[0].authors):
            spelled = _spelled_out_before(text, match.start(), works[0].authors)
            if spelled is not None:
                start, name = spelled
                acronym, year, locator = works[0].authors, works[0].year, works[0].locator
                work = CitedWork(f"{name} [{acronym}]", year, None, locator)
                found.append((start, match.end(), "narrative", [work]))
                continue
        found.append((match.start(), match.end(), "parenthetical", works))
    found.sort(key=lambda item: item[0])
    citations: list[Citation] = []
    for start, end, form, cited in found:
        if citations and start < citations[-1].span.end - offset:
            continue  # an APA reading inside a pandoc cluster, or the like
        # The model's converter=tuple types the field as Iterable[_T_co], which no value
        # satisfies under mypy; the value is a tuple of CitedWork all the same.
        as_tuple: Any = tuple(cited)
        citations.append(
            Citation(make_span(offset + start, offset + end), text[start:end], form, as_tuple)
        )
    return citations


def _local_spans(text: str, offset: int) -> Callable[[int, int], Span]:
    # Line starts found once: counting newlines from the top for each citation made a
    # long text quadratic.
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def span(start: int, end: int) -> Span:
        local = start - offset
        line = bisect.bisect_right(line_starts, local)
        column = local - line_starts[line - 1] + 1
        return Span(start, end, line, column)

    return span


class _Taken:
    """Stretches of text already read as citations, sorted by start and disjoint.

    Asking whether a stretch overlaps any of them is a binary search: a line of 32,000
    citations took 35 s when every question scanned them all. Stretches are added in
    order of their start (see :meth:`add`), so adding is appending.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Disjoint and sorted by start, so sorted by end too: the last stretch starting
        # before ``end`` is the one reaching furthest.
        before = bisect.bisect_left(self.starts, end)
        return before > 0 and self.ends[before - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a stretch starting at or after every other's start (merged when overlapping)."""
        if self.ends and start < self.ends[-1]:
            self.ends[-1] = max(self.ends[-1], end)
        else:
            self.starts.append(start)
            self.ends.append(end)

    def merged(self, other: _Taken) -> _Taken:
        """Both sets of stretches in one."""
        both = _Taken()
        for start, end in heapq.merge(
            zip(self.starts, self.ends, strict=True), zip(other.starts, other.ends, strict=True)
        ):
            both.add(start, end)
        return both


def _overlaps(start: int, end: int, taken: _Taken) -> bool:
    return taken.overlaps(start, end)


# --- APA -------------------------------------------------------------------------------


def _works(authors: str, years: str, locator: str | None) -> list[CitedWork]:
    """One work per year ("Norov, 2019, 2020a"); the locator goes with the last."""
    year_list = [_squash(y) for y in _YEAR_SPLIT_RE.split(years.strip())]
    loc = _squash(locator) if locator else None
    return [
        CitedWork(authors, year, None, loc if index == len(year_list) - 1 else None)
        for index, year in enumerate(year_list)
    ]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _parenthetical(inner: str) -> list[CitedWork] | None:
    """The works of "(A, 2020; B, 2019, p. 3)", or None when any part is not a citation.

    A secondary-source citation (APA 7, 8.6) gives its works roles: in "(Rabbitt, 1982,
    as cited in Kask, 2024)" Rabbitt is the ``primary``, Kask the ``secondary`` work;
    "(Smith, 1990; Jones, 1991; as cited in Kask, 2024)" and "(Smith, 1990, and Jones,
    1991, as cited in Kask, 2024)" have two primaries, "(as cited in Kask, 2024)" none
    (the primaries are named in the sentence before it).
    """
    works: list[CitedWork] = []
    inner = inner.strip()
    # Most citations have no marker: the splitting regex is only run where one may be.
    pieces = _THROUGH_SPLIT_RE.split(inner) if _THROUGH_HINT_RE.search(inner) else [inner]
    # split() gives piece, separator, piece, …: the separator of marker k precedes piece k.
    texts, seps = pieces[::2], pieces[1::2]
    for k, piece in enumerate(texts):
        if k == 0 and not piece.strip() and seps:
            continue  # "(as cited in Kask, 2024)"
        parts = _SEMICOLON_RE.split(piece.strip())
        before_marker = k < len(seps)
        joined = 1  # how many parts at the end the marker's "," makes primaries
        if before_marker and seps[k] != ";" and len(parts) == 1 + (k > 0):
            # "Smith, 1990, and Jones, 1991, as cited in": both are primaries.
            last = _AND_SPLIT_RE.split(parts[-1])
            if len(last) > 1 and all(_SEGMENT_RE.match(p) for p in last):
                parts[-1:] = last
                joined = len(last)
        for index, part in enumerate(parts):
            secondary = k > 0 and index == 0
            if not before_marker:
                primary = False
            elif seps[k] == ";":
                primary = not secondary
            else:
                primary = index >= len(parts) - joined
            role = "primary" if primary else "secondary" if secondary else None
            found = _part(part, primary)
            if found is None:
                return None
            works.extend(attrs.evolve(w, role=role) if role else w for w in found)
    return works or None


def _part(part: str, primary: bool) -> list[CitedWork] | None:
    """The works of one ";"-part, its prefix ("see also") kept on the first work."""
    prefix = _PREFIX_RE.match(part)
    body = part[prefix.end() :] if prefix else part
    said = _squash(prefix.group().strip()) if prefix else None
    match = _SEGMENT_RE.match(body)
    if not match and primary:
        # "(Osei, as cited in Brekke, 2025)": a speaker quoted in a dated work.
        authors = _squash(body)
        if not _is_author_phrase(authors.split()):
            return None
        return [CitedWork(authors, prefix=said)]
    if not match:
        return None
    authors = _squash(match.group("authors"))
    if not _is_author_phrase(authors.split()):
        return None
    works = _works(authors, match.group("years"), match.group("locator"))
    works[0] = attrs.evolve(works[0], prefix=said)
    return works


def _capitalised(token: str) -> bool:
    """Starts (after opening punctuation) with a letter that is not lower case."""
    for char in token:
        if char.isalpha():
            return not char.islower()
        if char.isdigit():
            return False
    return False


def _name_token(token: str) -> bool:
    """A word that can be (part of) a name: "Norov", "Co-operation", "G20", "al-Hakim"."""
    word = token.rstrip(",")
    if _BRACKETED_RE.match(word):
        return True
    if not _WORD_CHARS_RE.match(word) or word.isdigit():
        return False
    return _capitalised(word) or bool(_LOWER_NAME_RE.match(word))


def _is_author_phrase(tokens: list[str]) -> bool:
    """Whether the tokens, as a whole, read as the author part of a citation."""
    if not tokens or len(tokens) > 15:
        return False
    if not _name_token(tokens[0]) and tokens[0].lower() not in _PARTICLES | {"the"}:
        return False
    if len(tokens) == 1 and tokens[0].lower().rstrip(".") in _MONTHS:
        return False
    named = False
    for index, token in enumerate(tokens):
        word = token.rstrip(",")
        lower = word.lower()
        if lower in {"et", "al."} and _et_al(tokens, index):
            continue
        if (lower in _CONNECTORS and index < len(tokens) - 1 and word == lower) or word == "&":
            continue
        if not _name_token(word):
            return False
        named = named or not _BRACKETED_RE.match(word)
    # "WHO" is an organisation's abbreviation, not the sentence word "who".
    first = tokens[0].rstrip(",")
    return named and (
        first.lower() not in _SENTENCE_WORDS - _CONNECTORS or _ACRONYM_RE.match(first) is not None
    )


def _et_al(tokens: list[str], index: int) -> bool:
    word = tokens[index].rstrip(",").lower()
    if word == "et":
        return index + 1 < len(tokens) and tokens[index + 1].rstrip(",").lower() == "al."
    return index > 0 and tokens[index - 1].lower() == "et"


def _tokens_before(text: str, end: int) -> list[tuple[int, str]]:
    """The (start, token) pairs of the 200 characters before ``end``, closest last."""
    begin = max(0, end - 200)
    window = text[begin:end]
    if window and not window[-1].isspace():
        return []  # "word(2020)": no space before the parenthesis
    tokens = [(begin + m.start(), m.group()) for m in _TOKEN_RE.finditer(window)]
    if begin > 0 and tokens and tokens[0][0] == begin:
        tokens.pop(0)  # cut in the middle
    return tokens


def _name_before(text: str, paren: int) -> tuple[int, str] | None:
    """The author phrase of a narrative citation ending just before ``paren``."""
    tokens = _tokens_before(text, paren)
    if not tokens:
        return None
    phrase: list[tuple[int, str]] = []
    has_and = False
    for start, token in reversed(tokens):
        word = token
        if not phrase:
            word = re.sub(r"['’]s\Z", "", token)  # "Norov’s (2020)"
            if word.lower().rstrip(".") in _MONTHS or (
                word.lower() in _SENTENCE_WORDS and not _ACRONYM_RE.match(word)
            ):
                return None
            if word == "al.":
                phrase.append((start, word))
                continue
            if not _name_token(word) or word.endswith(","):
                return None
            phrase.append((start, word))
            continue
        lower = word.lower()
        last_word = phrase[-1][1]
        if last_word == "al." and lower == "et":
            phrase.append((start, word))
            continue
        if word in {"&", "and"}:
            has_and = True
            phrase.append((start, word))
            continue
        if lower in _CONNECTORS and word == lower:
            phrase.append((start, word))
            continue
        if word.endswith(",") and not (has_and and _name_token(word)):
            break
        if lower.rstrip(",.") in _MONTHS:
            break  # "In May, Smith and Jones (2019)"
        if word.endswith((".", ":", ";", "!", "?")) and not re.fullmatch(r"[A-Z]\.", word):
            break
        if not _name_token(word) or len(phrase) >= 10:
            break
        phrase.append((start, word))
    phrase.reverse()
    phrase = _trim_front(phrase)
    if not phrase or phrase[-1][1].lower() in _CONNECTORS or phrase[0][1] in {"&", "et"}:
        return None
    words = [token for _, token in phrase]
    if not _is_author_phrase(words):
        return None
    authors = " ".join(words)
    title = _TITLE_RE.match(authors)
    if title and any(_capitalised(w) for w in authors[title.end() :].split()):
        skipped = len(authors[: title.end()].split())
        phrase = phrase[skipped:]
        authors = authors[title.end() :]
    return phrase[0][0], authors


def _trim_front(phrase: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop sentence words, small words and "-ly" adverbs from the front of a phrase."""
    while phrase:
        word = phrase[0][1]
        lower = word.lower().rstrip(",")
        is_adverb = len(word) >= 6 and lower.endswith("ly") and len(phrase) > 1
        sentence_word = lower in _SENTENCE_WORDS and not _ACRONYM_RE.match(word.rstrip(","))
        if sentence_word or lower in _CONNECTORS or is_adverb or word == "&":
            phrase = phrase[1:]
            continue
        break
    return phrase


def _initials(word: str) -> str:
    """The initials of a word's capitalised parts: "Co-operation" gives "C"."""
    return "".join(part[0] for part in _HYPHENS_RE.split(word) if part and _capitalised(part))


def _spelled_out_before(text: str, paren: int, acronym: str) -> tuple[int, str] | None:
    """The full name before "(SCO, 2020)" whose initials spell the abbreviation."""
    tokens = _tokens_before(text, paren)
    words: list[tuple[int, str]] = []
    for start, token in reversed(tokens):
        if len(words) >= 12 or not (_name_token(token) or token.lower() in _CONNECTORS):
            break
        if token.endswith((",", ".", ";", ":")):
            break
        words.append((start, token))
        if not _capitalised(token):
            continue
        spelled = "".join(_initials(w) for _, w in reversed(words))
        if spelled.upper() == acronym.replace("&", "").upper():
            name = " ".join(w for _, w in reversed(words))
            return start, name
    return None


# --- pandoc ----------------------------------------------------------------------------


def _pandoc(text: str, found: list[tuple[int, int, str, list[CitedWork]]]) -> _Taken:
    """Add the pandoc citations of ``text`` to ``found``; return the stretches they take."""
    taken = _Taken()
    if "@" not in text:
        return taken
    for start, end in _bracket_groups(text):
        inner = text[start + 1 : end - 1]
        if not _KEY_IN_GROUP_RE.search(inner):
            continue
        works = _cluster(inner)
        if works:
            found.append((start, end, "pandoc", works))
            taken.add(start, end)
    keys = _Taken()  # in order of their start too, but between the groups
    for match in _NARRATIVE_KEY_RE.finditer(text):
        key = match.group("key")
        if not any(c.isdigit() for c in key):
            continue
        if _overlaps(match.start(), match.end(), taken) or keys.overlaps(
            match.start(), match.end()
        ):
            continue
        end = match.end()
        locator = None
        group = _LOCATOR_GROUP_RE.match(text, end)
        if group:
            locator = _squash(group.group("locator"))
            end = group.end()
        found.append(
            (match.start(), end, "pandoc", [CitedWork(key=key.strip("{}"), locator=locator)])
        )
        keys.add(match.start(), end)
    return taken.merged(keys)


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level, balanced "[...]" groups (a backslash escapes a bracket)."""
    groups = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char not in "[]" or (index and text[index - 1] == "\\"):
            continue
        if char == "[":
            if depth == 0:
                start = index
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups


def _cluster(inner: str) -> list[CitedWork] | None:
    """The works of a bracketed pandoc cluster, locators as written; None if malformed."""
    # parse_citations refuses "-@key" (author suppressed); the key is the same without it.
    try:
        clusters = parse_citations("[" + inner.replace("-@", " @") + "]")
    except InputError:
        return None
    if len(clusters) != 1:
        return None
    parts = _split_top_level(inner)
    if len(parts) != len(clusters[0].cites):
        return None
    works = []
    for part, cite in zip(parts, clusters[0].cites, strict=True):
        locator = None
        if cite.locator is not None:
            key = _KEY_IN_GROUP_RE.search(part)
            after = part[key.end() :].strip() if key else ""
            written = after[1:].strip() if after.startswith(",") else after
            if cite.suffix and written.endswith(cite.suffix):
                written = written[: -len(cite.suffix)].rstrip(" ,")
            locator = _squash(written) or None
        works.append(CitedWork(key=cite.key, locator=locator))
    return works


def _split_top_level(inner: str) -> list[str]:
    parts = []
    depth = 0
    begin = 0
    for index, char in enumerate(inner):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(inner[begin:index])
            begin = index + 1
    parts.append(inner[begin:])
    return parts


__all__ = ["YEAR", "find_citations"]
