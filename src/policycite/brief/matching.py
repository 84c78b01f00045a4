"""Reference fields to the library record they most likely name, with a confidence.

:class:`ReferenceMatcher` indexes a library once (by URL/DOI, author and year, rare title
words) and scores the candidates for each :class:`~policycite.brief.refparse.ParsedReference`;
its docstring gives the weights. A damaged or banner title does not prevent a match when
author, date and site agree, but it keeps the match from being sure.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import unquote

import attrs
from rapidfuzz import fuzz

from policycite.brief.refparse import DOI_URL_RE, WAYBACK_RE, ParsedReference, RefName
from policycite.capture.mojibake import diagnose, mixed_script_tokens
from policycite.model import Library, Source

__all__ = ["MATCH_MIN", "SURE", "Match", "MatcherIndex", "ReferenceMatcher"]

#: A matcher's candidate index (see :attr:`ReferenceMatcher.index`): each record's year,
#: and record positions by URL, by author key and year, and by title word.
MatcherIndex = tuple[
    list[int | None],
    dict[str, list[int]],
    dict[str, dict[int | None, list[int]]],
    dict[str, list[int]],
]

#: Matches below this confidence are not reported: the reference stays unresolved.
MATCH_MIN = 0.5
#: At or above this confidence a match is sure enough to act on without asking.
SURE = 0.85

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
    doi = DOI_URL_RE.match(url)
    if doi:
        return {"doi:" + doi[1].casefold()}
    keys = set()
    wayback = WAYBACK_RE.match(url)
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
    # A romanised name (APA writes "Ivanov, I.") matches as well as the original "Иванов".
    romanised = [n.transliterated for n in source.authors if n.transliterated]
    for name in (*source.authors, *romanised):
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
    titles = tuple(
        t
        for t in (
            _fold(source.title),
            _fold(source.translated_title),
            _fold(source.title_transliterated),
        )
        if t
    )
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
    written = len(record.source.authors)  # persons and orgs count romanised names twice
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

    def __init__(self, library: Library, index: MatcherIndex | None = None) -> None:
        self._sources = library.sources
        # Records are folded when first scored: with an index read back from the cache
        # (see :attr:`index`) only the few candidates of a brief's references are.
        self._records: list[_Record | None] = [None] * len(self._sources)
        if index is not None and len(index[0]) == len(self._sources):
            self._years, self._by_url, self._by_author, self._by_title_word = index
            return
        by_url: dict[str, list[int]] = defaultdict(list)
        by_author: dict[str, dict[int | None, list[int]]] = defaultdict(dict)
        by_title_word: dict[str, list[int]] = defaultdict(list)
        for index_, source in enumerate(self._sources):
            record = self._records[index_] = _record(source)
            for url in record.urls:
                by_url[url].append(index_)
            for key in self._record_author_keys(record):
                by_author[key].setdefault(record.year, []).append(index_)
            for word in {w for t in record.titles for w in t.split()}:
                if len(word) >= 3 and word not in _STOPWORDS:
                    by_title_word[word].append(index_)
        self._years = [source.issued.year if source.issued else None for source in self._sources]
        self._by_url, self._by_author = dict(by_url), dict(by_author)
        self._by_title_word = dict(by_title_word)

    @property
    def index(self) -> MatcherIndex:
        """What the matcher found candidates by, as plain values (to be kept between runs).

        Depends on the library's records alone: a matcher built with it over the same
        records finds the same matches (the records themselves are folded when scored).
        """
        return self._years, self._by_url, self._by_author, self._by_title_word

    def _record(self, index: int) -> _Record:
        record = self._records[index]
        if record is None:
            record = self._records[index] = _record(self._sources[index])
        return record

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
        known.sort(key=lambda w: sum(map(len, self._by_author["w:" + w].values())))
        keys |= {"w:" + w for w in known[:2]}
        # An author's records from other years are left to the title index: a reference
        # more than a year off is rare, and a prolific author has many records.
        years = None if ref.year is None else (ref.year - 1, ref.year, ref.year + 1, None)
        for key in keys:
            by_year = self._by_author.get(key)
            if by_year is None:
                continue
            if years is None:
                for postings in by_year.values():
                    found.update(postings)
            else:
                for year in years:
                    found.update(by_year.get(year, ()))
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
        # (Read from the URL index: the record's own URLs are folded only when scored.)
        sharing_url = {i for url in ref_urls for i in self._by_url.get(url, ())}
        by_url = [i for i in candidates if i in sharing_url]
        matches = []
        for index in by_url or candidates:
            record = self._record(index)
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
