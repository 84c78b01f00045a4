"""The values policycite works with: sources, names, dates, provenance, quotation anchors.

Every class here is a frozen ``attrs`` value; sequences are tuples. Validators enforce
invariants only (a speech has a speaker, an archive date needs an archive URL) and raise
:class:`~policycite.errors.ModelError` naming the field. Quality problems (a missing URL, a
mojibake title) are not invariants: rules report them as findings. This module does no I/O
and knows nothing of file formats or CSL processors.
"""

from __future__ import annotations

import calendar
import copyreg
import datetime as dt
import enum
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import repeat
from types import MappingProxyType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs

from policycite.errors import ModelError
from policycite.kinds import (
    CONTAINER_TYPES,
    CSL_TYPES,
    CSL_VARIABLES,
    KINDS,
    TRANSCRIPT_GENRES,
    KindSpec,
)

__all__ = [
    "AnchorStatus",
    "CaptureMethod",
    "Cite",
    "Cluster",
    "Derivation",
    "Library",
    "Name",
    "PartialDate",
    "Provenance",
    "QuoteAnchor",
    "Relation",
    "Source",
]


def _fail(field: str, message: str) -> ModelError:
    return ModelError(message, field=field)


def _name_tuple(items: Iterable[Name]) -> tuple[Name, ...]:
    return tuple(items)


def _derivation_tuple(items: Iterable[Derivation]) -> tuple[Derivation, ...]:
    return tuple(items)


def _anchor_tuple(items: Iterable[QuoteAnchor]) -> tuple[QuoteAnchor, ...]:
    return tuple(items)


def _cite_tuple(items: Iterable[Cite]) -> tuple[Cite, ...]:
    return tuple(items)


def _source_tuple(items: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(items)


#: The one empty frozen mapping: most records have no ``extra`` or ``custom`` fields, and
#: a pickle stores a shared value once (a 100,000-record library cache rebuilt 400,000
#: empty mappings one by one).
_EMPTY_MAPPING: Mapping[str, Any] = MappingProxyType({})


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not value:
        return _EMPTY_MAPPING
    return MappingProxyType(dict(value))


def _pickle_frozen_mapping(value: MappingProxyType[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    return _frozen_mapping, (dict(value),)


# Frozen mappings pickle as the dict they wrap (Python cannot pickle a mappingproxy), so
# that sources can be kept in the library cache (library.load_library(cache=True)).
copyreg.pickle(MappingProxyType, _pickle_frozen_mapping)


_T = TypeVar("_T")
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _restore(cls: type, values: tuple[Any, ...]) -> Any:
    """A value rebuilt from the tuple :func:`_pickled_as_tuple` made (no converters run)."""
    value: Any = object.__new__(cls)
    # Each slot set by C (map over object.__setattr__, consumed by any()): attrs' own
    # __setstate__ loops over the fields in Python, per value.
    any(map(object.__setattr__, repeat(value, len(values)), _FIELD_NAMES[cls], values))
    return value


def _restorer(cls: type) -> Callable[..., Any]:
    """A function rebuilding a value of ``cls`` from its field values, made for the class.

    Generated, as attrs makes its own methods: each slot set by its own descriptor, with
    no loop and no lookup by name. A 100,000-record library cache unpickled in 0.40 s
    instead of 0.61 s with :func:`_restore`. It is a global of this module (named
    ``_restore_<Class>``), so that a pickle can name it.
    """
    names = _FIELD_NAMES[cls]
    params = ", ".join(f"a{n}" for n in range(len(names)))
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def restore({params}):", "    value = new(cls)"]
    for n, name in enumerate(names):
        # The slot's own descriptor: a frozen class's __setattr__ refuses, as it should.
        namespace[f"set{n}"] = getattr(cls, name).__set__
        lines.append(f"    set{n}(value, a{n})")
    lines.append("    return value")
    exec("\n".join(lines), namespace)  # only names made above: no outside text
    restore: Callable[..., Any] = namespace["restore"]
    restore.__name__ = restore.__qualname__ = f"_restore_{cls.__name__}"
    restore.__module__ = __name__
    globals()[restore.__name__] = restore
    return restore


def _pickled_as_tuple(cls: type[_T]) -> type[_T]:
    """Pickle a frozen model class as its field values, rebuilt by a function of its own.

    Reading a 10,000-record library cache spent a third of its time in attrs'
    per-field __setstate__; the function :func:`_restorer` makes sets the slots
    directly and the pickle holds no field names. Pickles made before still load
    (attrs' __setstate__ and :func:`_restore` are kept).
    """
    names = tuple(a.name for a in attrs.fields(cls))  # type: ignore[arg-type]
    _FIELD_NAMES[cls] = names
    values = operator.attrgetter(*names)
    if len(names) < 2:  # attrgetter of one name gives the value itself, not a tuple
        raise TypeError(f"{cls.__name__}: pickled as a tuple needs two fields or more")
    restore = _restorer(cls)

    def reduce(self: _T) -> tuple[Any, tuple[Any, ...]]:
        if type(self) is not cls:  # a subclass: its own class named, rebuilt generically
            return _restore, (type(self), values(self))
        return restore, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


def _optional_text(value: object) -> str | None:
    """Converter: strip strings, turn empty strings into None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ModelError(f"expected text, got {type(value).__name__}")
    return value.strip() or None


def _check_url(field: str, value: str | None) -> None:
    if value is None:
        return
    parts = urlsplit(value)
    if not (parts.scheme and (parts.netloc or parts.scheme in {"urn", "doi"})):
        raise _fail(field, f"not an absolute URL: {value!r}")
    if any(c.isspace() for c in value):
        raise _fail(field, f"URL contains white space: {value!r}")


# ---------------------------------------------------------------------------------------
# Names


@_pickled_as_tuple
@attrs.frozen
class Name:
    """A person (``family`` + ``given`` …) or an organisation (``literal``).

    Organisations may carry an ``abbreviation`` ("SCO"), which APA lets a brief use in
    text after first mention: "(Shanghai Cooperation Organisation [SCO], 2020)".
    A name in a non-Latin script may carry its ``transliterated`` form (a Name of the same
    shape in the Latin alphabet: "Иванов, Иван" -> "Ivanov, Ivan"), which APA prints in its
    place (Manual 9.38-9.39); the original is kept.
    """

    family: str | None = attrs.field(default=None, converter=_optional_text)
    given: str | None = attrs.field(default=None, converter=_optional_text)
    literal: str | None = attrs.field(default=None, converter=_optional_text)
    non_dropping_particle: str | None = attrs.field(default=None, converter=_optional_text)
    dropping_particle: str | None = attrs.field(default=None, converter=_optional_text)
    suffix: str | None = attrs.field(default=None, converter=_optional_text)
    abbreviation: str | None = attrs.field(default=None, converter=_optional_text)
    transliterated: Name | None = None

    def __attrs_post_init__(self) -> None:
        if self.transliterated is not None:
            latin = self.transliterated
            if latin.transliterated is not None or latin.abbreviation is not None:
                raise _fail("name.transliterated", "a transliteration is a plain name")
            if (latin.literal is None) != (self.literal is None):
                raise _fail(
                    "name.transliterated",
                    "a transliteration has the shape of its name (family/given or literal)",
                )
        if self.literal is None and self.family is None:
            raise _fail("name", "a name needs a family name or a literal (organisation) name")
        if self.literal is not None and (self.family or self.given):
            raise _fail(
                "name", f"{self.literal!r}: a literal name cannot also have family/given parts"
            )
        if self.abbreviation is not None and self.literal is None:
            raise _fail(
                "name.abbreviation", "only organisation (literal) names have an abbreviation"
            )

    @classmethod
    def organisation(cls, name: str, abbreviation: str | None = None) -> Name:
        """An organisation (group author), e.g. ``Name.organisation("UN", None)``."""
        return cls(literal=name, abbreviation=abbreviation)

    @classmethod
    def person(cls, family: str, given: str | None = None, **parts: str) -> Name:
        """A person, e.g. ``Name.person("Norov", "Vladimir")``."""
        return cls(family=family, given=given, **parts)  # type: ignore[arg-type]

    @property
    def is_organisation(self) -> bool:
        """True for group authors (literal names)."""
        return self.literal is not None

    @property
    def display(self) -> str:
        """The name as a reader writes it: "Vladimir Norov", "World Health Organization"."""
        if self.literal is not None:
            return self.literal
        parts = (self.given, self.dropping_particle, self.non_dropping_particle, self.family)
        text = " ".join(p for p in parts if p)
        return f"{text}, {self.suffix}" if self.suffix else text

    @property
    def sort_name(self) -> str:
        """The name as sorted in a reference list: family (with particle) first."""
        if self.literal is not None:
            return self.literal
        family = " ".join(p for p in (self.non_dropping_particle, self.family) if p)
        return ", ".join(p for p in (family, self.given) if p)


# ---------------------------------------------------------------------------------------
# Dates

_SEASONS = {21: 1, 22: 2, 23: 3, 24: 4}  # EDTF season codes -> CSL season numbers
_DATE_RE = re.compile(r"^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%]?)$")


@_pickled_as_tuple
@attrs.frozen
class PartialDate:
    """A date known to the year, the month or the day, optionally a range or a season.

    A source with no date has ``issued = None`` and renders as "n.d.". ``literal`` holds
    dates that are only text ("Spring 2020, as broadcast").
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: int | None = None
    circa: bool = False
    end: PartialDate | None = None
    literal: str | None = attrs.field(default=None, converter=_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.literal is not None:
            parts = (self.year, self.month, self.day, self.season, self.end)
            if any(p is not None for p in parts) or self.circa:
                raise _fail("date", "a literal date cannot also have date parts")
            return
        if self.year is None:
            raise _fail("date", "a date needs a year (leave the date out for n.d.)")
        if not -9999 <= self.year <= 9999:
            # Dates are written as EDTF text (YYYY-MM-DD), which has four year digits.
            raise _fail("date", f"year {self.year} is outside -9999 to 9999")
        if self.month is not None and not 1 <= self.month <= 12:
            raise _fail("date", f"month {self.month} is not 1-12")
        if self.season is not None and (self.month is not None or self.season not in range(1, 5)):
            raise _fail("date", "a season is 1-4 and cannot be combined with a month")
        if self.day is not None:
            if self.month is None:
                raise _fail("date", "a day needs a month")
            last = calendar.monthrange(self.year, self.month)[1] if self.year > 0 else 31
            if not 1 <= self.day <= last:
                raise _fail("date", f"{self.year}-{self.month:02d} has no day {self.day}")
        if self.end is not None:
            if self.end.end is not None or self.end.literal is not None:
                raise _fail("date", "the end of a date range must be a plain date")
            if self.end._bounds()[1] < self._bounds()[0]:
                raise _fail("date", f"date range ends before it starts: {self}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse EDTF-style date text; raise ModelError on anything else.

        Accepted: ``2020``, ``2020-05``, ``2020-05-13``, ``2020-21`` (EDTF spring),
        ``2020~`` (circa) and ranges ``2020-05-13/2020-05-14``.
        """
        text = text.strip()
        if "/" in text:
            start, _, stop = text.partition("/")
            return attrs.evolve(cls.parse(start), end=cls.parse(stop))
        match = _DATE_RE.match(text)
        if not match:
            raise _fail("date", f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day, flag = match.groups()
        season = None
        if month is not None and int(month) in _SEASONS:
            if day is not None:
                raise _fail("date", f"not a date: {text!r}")
            season, month = _SEASONS[int(month)], None
        return cls(
            year=int(year),
            month=int(month) if month else None,
            day=int(day) if day else None,
            season=season,
            circa=bool(flag),  # CSL knows only "circa" for EDTF's ~ (approximate), ? and %
        )

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        """A full date from a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @property
    def is_full(self) -> bool:
        """True when the day is known."""
        return self.day is not None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Year, month, day with unknown parts as 0 (literal dates sort first).

        A season sorts as the last month of its quarter.
        """
        month = self.month or (self.season * 3 if self.season else 0)
        return (self.year or 0, month, self.day or 0)

    def _bounds(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """The earliest and latest (year, month, day) this date can mean."""
        year = self.year or 0
        if self.season is not None:
            first, last = self.season * 3 - 2, self.season * 3
        else:
            first, last = self.month or 1, self.month or 12
        return (year, first, self.day or 1), (year, last, self.day or 31)

    def as_date(self) -> dt.date | None:
        """The :class:`datetime.date` when the day is known, else None."""
        if self.year is None or self.month is None or self.day is None or self.year < 1:
            return None
        return dt.date(self.year, self.month, self.day)

    def iso(self) -> str | None:
        """EDTF-style text (``2020-05-13``, ``2020-21``, ``2020~``), None for literal dates."""
        if self.literal is not None or self.year is None:
            return None
        text = f"{self.year:04d}" if self.year >= 0 else str(self.year)
        if self.season is not None:
            text += f"-{self.season + 20}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.circa:
            text += "~"
        if self.end is not None:
            text += f"/{self.end.iso()}"
        return text

    def __str__(self) -> str:
        return self.literal if self.literal is not None else str(self.iso())


# ---------------------------------------------------------------------------------------
# Provenance


class CaptureMethod(enum.Enum):
    """How a record came to be."""

    MANUAL = "manual"
    HTML_CAPTURE = "html-capture"
    TEXT_CAPTURE = "text-capture"
    URL_FETCH = "url-fetch"
    CSLJSON_IMPORT = "csljson-import"
    CSLYAML_IMPORT = "cslyaml-import"
    BIBTEX_IMPORT = "bibtex-import"
    ZOTERO_IMPORT = "zotero-import"  # a Zotero data directory, API or export


class Relation(enum.Enum):
    """How a source relates to the one it is derived from."""

    RELAYS = "relays"  # a news article relaying a press release
    TRANSLATION_OF = "translation-of"  # an official or own translation of an original
    EXCERPT_OF = "excerpt-of"  # a passage republished from a longer work
    VERSION_OF = "version-of"  # another version (as prepared vs as delivered, an update)


@_pickled_as_tuple
@attrs.frozen
class Derivation:
    """A link to the source (by citation key) this one is derived from."""

    key: str
    relation: Relation = attrs.field(converter=Relation)


_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _check_sha256(field: str, value: str | None) -> None:
    if value is not None and not _SHA256_RE.match(value):
        raise _fail(field, f"not a lower-case hex SHA-256: {value!r}")


def _check_timestamp(field: str, value: str | None) -> None:
    if value is None:
        return
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _fail(field, f"not an ISO 8601 date-time: {value!r}") from None
    if stamp.tzinfo is None:
        raise _fail(field, f"date-time needs a time zone (e.g. 'Z' or +00:00): {value!r}")


def _alias_tuple(items: Iterable[str]) -> tuple[str, ...]:
    if isinstance(items, str):
        raise _fail("provenance.aliases", "a list of identifiers, not one string")
    return tuple(dict.fromkeys(items))  # in order, each once


@_pickled_as_tuple
@attrs.frozen
class Provenance:
    """Where a source was found and which version of it was read.

    ``content_sha256`` is the hash of the captured text the record (and its quotation
    anchors) were checked against; the snapshot itself lives in the library's store.
    ``extracted`` says, for each field capture filled, how it was found ("meta
    citation_title", "heuristic: heading above the body"), so a reader can trust or
    correct it. ``aliases`` are the identifiers other tools know the record by (a Zotero
    item URI such as ``http://zotero.org/users/42/items/ABCD2345``, a Mendeley id): a
    citation field in a Word file that names one resolves to this record.
    """

    url: str | None = attrs.field(default=None, converter=_optional_text)
    accessed: PartialDate | None = None
    archive_url: str | None = attrs.field(default=None, converter=_optional_text)
    archive_date: PartialDate | None = None
    content_sha256: str | None = attrs.field(default=None, converter=_optional_text)
    captured_at: str | None = attrs.field(default=None, converter=_optional_text)
    method: CaptureMethod = attrs.field(default=CaptureMethod.MANUAL, converter=CaptureMethod)
    derived_from: tuple[Derivation, ...] = attrs.field(default=(), converter=_derivation_tuple)
    extracted: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=True, hash=False
    )
    #: The system the transliterated title and names were made with ("BGN/PCGN", "pinyin").
    transliteration: str | None = attrs.field(default=None, converter=_optional_text)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_alias_tuple)

    def __attrs_post_init__(self) -> None:
        _check_url("URL", self.url)
        for alias in self.aliases:
            if not alias or alias != alias.strip() or any(c.isspace() for c in alias):
                raise _fail("provenance.aliases", f"an alias is one word, got {alias!r}")
        for field, how in self.extracted.items():
            if not isinstance(field, str) or not isinstance(how, str):
                raise _fail("provenance.extracted", "maps field names to how they were found")
        _check_url("provenance.archive-url", self.archive_url)
        _check_sha256("provenance.content-sha256", self.content_sha256)
        _check_timestamp("provenance.captured-at", self.captured_at)
        if self.archive_date is not None and self.archive_url is None:
            raise _fail("provenance.archive-date", "an archive date needs an archive URL")
        for name, date in (
            ("accessed", self.accessed),
            ("provenance.archive-date", self.archive_date),
        ):
            if date is not None and (not date.is_full or date.end is not None):
                raise _fail(name, f"must be a single full date (YYYY-MM-DD), got {date}")


# ---------------------------------------------------------------------------------------
# Quotation anchors


class AnchorStatus(enum.Enum):
    """What the last check of a quotation against its snapshot found."""

    UNVERIFIED = "unverified"
    VERBATIM = "verbatim"
    MISQUOTE = "misquote"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not-found"


@_pickled_as_tuple
@attrs.frozen
class QuoteAnchor:
    """A quotation pinned to a passage of a source (W3C TextQuoteSelector + positions).

    ``exact`` is the quoted text as it stands in the source, ``prefix``/``suffix`` the text
    just around it; ``start``/``end`` are character offsets in the snapshot
    ``snapshot_sha256``; ``paragraph`` is the 1-based paragraph number a reader counts
    (APA "para. 4"). ``quote`` is the quotation as the brief gives it, when it differs
    from ``exact`` (a misquote, an ellipsis, a bracketed insertion).
    """

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    paragraph: int | None = None
    section: str | None = attrs.field(default=None, converter=_optional_text)
    snapshot_sha256: str | None = attrs.field(default=None, converter=_optional_text)
    status: AnchorStatus = attrs.field(default=AnchorStatus.UNVERIFIED, converter=AnchorStatus)
    score: float | None = None
    quote: str | None = attrs.field(default=None, converter=_optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.exact.strip():
            raise _fail("anchors.exact", "a quotation anchor needs the quoted text")
        if (self.start is None) != (self.end is None):
            raise _fail("anchors.start", "give both start and end offsets, or neither")
        if self.start is not None and self.end is not None and not 0 <= self.start < self.end:
            raise _fail(
                "anchors.start",
                f"offsets must satisfy 0 <= start < end, got {self.start}..{self.end}",
            )
        if self.paragraph is not None and self.paragraph < 1:
            raise _fail("anchors.paragraph", "paragraph numbers start at 1")
        _check_sha256("anchors.snapshot", self.snapshot_sha256)
        if self.status is not AnchorStatus.UNVERIFIED and self.snapshot_sha256 is None:
            raise _fail(
                "anchors.status",
                f"status {self.status.value!r} needs the snapshot it was checked against",
            )
        if self.status is AnchorStatus.VERBATIM and self.start is None:
            raise _fail("anchors.status", "a verbatim anchor needs its offsets")
        if self.score is not None and not 0.0 <= self.score <= 1.0:
            raise _fail("anchors.score", f"score must be within 0..1, got {self.score}")


# ---------------------------------------------------------------------------------------
# Sources

# pandoc's rule: start with a letter, digit or _, then alphanumerics, _ and internal
# punctuation (:.#$%&-+?<>~/). Keys end in a word character so "@key." ends a sentence.
_KEY_RE = re.compile(r"\w(?:[\w:.#$%&+?<>~/-]*\w)?")


def _check_key(_: object, __: object, key: str) -> None:
    if not _KEY_RE.fullmatch(key):
        raise _fail(
            "id", f"not a usable citation key: {key!r} (letters, digits, _ and inner :.#$%&-+?<>~/)"
        )


def _check_kind(_: object, __: object, kind: str) -> None:
    if kind not in KINDS:
        raise _fail("kind", f"unknown kind {kind!r}; known: {', '.join(KINDS)}")


@_pickled_as_tuple
@attrs.frozen
class Source:
    """A citable source: the bibliographic record, its provenance and its anchors.

    Field names follow CSL variables (``container_title`` is CSL ``container-title``).
    What a field means depends on the kind (see :mod:`policycite.kinds`): ``authors`` is
    the speaker of a speech and the issuing body of a press release; ``publisher`` is the
    host site of a speech and the parent agency of a press release; ``container_title``
    is the outlet of a news article. Named accessors (:attr:`speaker`, :attr:`outlet` …)
    read them by role. ``changes`` says whether the page is designed to change over time
    (a live counter, a dashboard, a FAQ: APA gives those a retrieval date, Manual 9.16;
    None when nobody said); ``container_type`` whether a news article appeared in a
    newspaper or on a news website without one (:data:`policycite.kinds.CONTAINER_TYPES`).
    ``extra`` holds other CSL variables as CSL-JSON values, ``custom``
    other tools' CSL ``custom`` data, and ``unknown`` fields that are neither: all three
    are written back unchanged.
    """

    key: str = attrs.field(validator=_check_key)
    kind: str = attrs.field(validator=_check_kind)
    title: str | None = attrs.field(default=None, converter=_optional_text)
    authors: tuple[Name, ...] = attrs.field(default=(), converter=_name_tuple)
    issued: PartialDate | None = None
    translated_title: str | None = attrs.field(default=None, converter=_optional_text)
    language: str | None = attrs.field(default=None, converter=_optional_text)
    container_title: str | None = attrs.field(default=None, converter=_optional_text)
    section: str | None = attrs.field(default=None, converter=_optional_text)
    publisher: str | None = attrs.field(default=None, converter=_optional_text)
    publisher_place: str | None = attrs.field(default=None, converter=_optional_text)
    event_title: str | None = attrs.field(default=None, converter=_optional_text)
    event_place: str | None = attrs.field(default=None, converter=_optional_text)
    event_date: PartialDate | None = None
    number: str | None = attrs.field(default=None, converter=_optional_text)
    genre: str | None = attrs.field(default=None, converter=_optional_text)
    transcript: str | None = attrs.field(default=None, converter=_optional_text)
    csl_type: str | None = attrs.field(default=None, converter=_optional_text)
    changes: bool | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(bool))
    )
    container_type: str | None = attrs.field(default=None, converter=_optional_text)
    provenance: Provenance = attrs.field(factory=Provenance)
    anchors: tuple[QuoteAnchor, ...] = attrs.field(default=(), converter=_anchor_tuple)
    extra: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=True, hash=False
    )
    custom: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=True, hash=False
    )
    unknown: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=True, hash=False
    )
    #: The title in the Latin alphabet (a title in Cyrillic, Chinese ...), printed in its place.
    title_transliterated: str | None = attrs.field(default=None, converter=_optional_text)

    def __attrs_post_init__(self) -> None:
        try:
            self._check()
        except ModelError as err:
            raise ModelError(err.message, field=err.field, key=self.key) from None

    def _check(self) -> None:
        spec = self.spec
        for req in spec.required:
            if not self._has(req.field):
                raise _fail(req.field, f"{req.message}")
        if self.transcript is not None:
            if self.kind != "speech":
                raise _fail("transcript", "only speeches have a transcript kind")
            if self.transcript not in TRANSCRIPT_GENRES:
                raise _fail(
                    "transcript",
                    f"unknown transcript kind "
                    f"{self.transcript!r}; known: {', '.join(TRANSCRIPT_GENRES)}",
                )
        if self.csl_type is not None and self.csl_type not in CSL_TYPES:
            raise _fail("type", f"{self.csl_type!r} is not a CSL type")
        if self.container_type is not None:
            if self.kind != "news-article":
                raise _fail("container-type", "only news articles have a container type")
            if self.container_type not in CONTAINER_TYPES:
                raise _fail(
                    "container-type",
                    f"unknown container type {self.container_type!r}; "
                    f"known: {', '.join(CONTAINER_TYPES)}",
                )
        if self.translated_title is not None and self.title is None:
            raise _fail("translated-title", "a title translation needs the original title")
        if self.title_transliterated is not None and self.title is None:
            raise _fail(
                "custom.transliteration.title", "a transliterated title needs the original title"
            )
        clash = set(self.extra) & _MODELLED_VARIABLES
        if clash:
            raise _fail("extra", f"modelled fields cannot be extra: {', '.join(sorted(clash))}")
        stray = set(self.extra) - CSL_VARIABLES
        if stray:
            raise _fail("extra", f"not CSL variables: {', '.join(sorted(stray))}")

    def _has(self, csl_name: str) -> bool:
        if csl_name == "author":
            return bool(self.authors)
        return getattr(self, csl_name.replace("-", "_")) is not None

    @property
    def spec(self) -> KindSpec:
        """The kind's entry in :data:`policycite.kinds.KINDS`."""
        return KINDS[self.kind]

    @property
    def url(self) -> str | None:
        """The URL the source was read at (``provenance.url``)."""
        return self.provenance.url

    @property
    def rendered_csl_type(self) -> str:
        """The CSL type of the record's CSL view: its own, else the container's or the kind's.

        A news website's article is a ``webpage`` there, as APA cites it; the renderer gives
        other styles the kind's ``article-newspaper`` (see ``render.itemrules``).
        """
        if self.csl_type is not None:
            return self.csl_type
        if self.container_type is not None:
            return CONTAINER_TYPES[self.container_type]
        return self.spec.csl_type

    @property
    def gets_retrieval_date(self) -> bool:
        """APA 7 (Manual 9.16): a retrieval date only for an unarchived page that changes.

        A page designed to change over time (``changes``) gets "Retrieved <date>, from";
        a stable page gets none, and an archived copy is cited by its stable archive URL.
        """
        return bool(self.changes) and self.provenance.archive_url is None

    @property
    def effective_genre(self) -> str | None:
        """The genre rendered in brackets: the record's own, else the kind's default."""
        if self.genre is not None:
            return self.genre
        if self.transcript is not None:
            return TRANSCRIPT_GENRES[self.transcript]
        return self.spec.genre

    # Accessors by role, so that code reads as the domain speaks.
    @property
    def speaker(self) -> Name | None:
        """The speaker of a speech (its first author)."""
        return self.authors[0] if self.kind == "speech" and self.authors else None

    @property
    def issuing_body(self) -> Name | None:
        """The body that issued a press release or statement (its first author)."""
        if self.kind in {"press-release", "statement"} and self.authors:
            return self.authors[0]
        return None

    @property
    def host(self) -> str | None:
        """The site that hosts a speech transcript (``publisher``)."""
        return self.publisher if self.kind == "speech" else None

    @property
    def parent_agency(self) -> str | None:
        """The parent agency of the issuing body of a press release (``publisher``)."""
        return self.publisher if self.kind == "press-release" else None

    @property
    def outlet(self) -> str | None:
        """The newspaper, agency or news site of a news article (``container-title``)."""
        return self.container_title if self.kind == "news-article" else None


#: CSL variables that Source models as fields of its own (so never in ``extra``).
_MODELLED_VARIABLES = frozenset(
    {
        "title",
        "author",
        "issued",
        "translated-title",
        "language",
        "container-title",
        "section",
        "publisher",
        "publisher-place",
        "event-title",
        "event-place",
        "event-date",
        "number",
        "genre",
        "URL",
        "accessed",
    }
)


# ---------------------------------------------------------------------------------------
# Citations


#: How a cite shows in the text (pandoc: ``[@key]``, ``@key``, ``[-@key]``).
CITE_MODES = ("normal", "narrative", "suppress-author")


@attrs.frozen
class Cite:
    """One cited source inside a citation cluster, with its locator and affixes.

    ``mode`` is ``"normal"`` ("(Kask, 2024)"), ``"narrative"`` (the author in the running
    text: "Kask (2024)"; pandoc's ``@key``) or ``"suppress-author"`` ("(2024)"; pandoc's
    ``[-@key]``).
    """

    key: str
    locator: str | None = None
    label: str = "page"
    prefix: str | None = None
    suffix: str | None = None
    mode: str = attrs.field(default="normal", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.mode not in CITE_MODES:
            raise _fail(
                "mode", f"unknown cite mode {self.mode!r}; use one of {', '.join(CITE_MODES)}"
            )


@attrs.frozen
class Cluster:
    """A citation as written in a brief: ``[@norov2020, para. 4; @mfa2020]``."""

    cites: tuple[Cite, ...] = attrs.field(converter=_cite_tuple)

    def __attrs_post_init__(self) -> None:
        if not self.cites:
            raise _fail("cites", "a citation needs at least one cited key")
        # The author of a narrative cite stands in the sentence before the cluster.
        if any(c.mode == "narrative" for c in self.cites[1:]):
            raise _fail("cites", "only the first cite of a citation can be narrative")


# ---------------------------------------------------------------------------------------
# Library


def _sources_by_key(sources: Iterable[Source]) -> Mapping[str, Source]:
    table: dict[str, Source] = {}
    for source in sources:
        if source.key in table:
            raise _fail("id", f"duplicate citation key {source.key!r}")
        table[source.key] = source
    return MappingProxyType(table)


@attrs.frozen
class Library:
    """An ordered set of sources with unique citation keys (no I/O: see policycite.library)."""

    sources: tuple[Source, ...] = attrs.field(default=(), converter=_source_tuple)
    _by_key: Mapping[str, Source] = attrs.field(
        init=False,
        eq=False,
        hash=False,
        repr=False,
        default=attrs.Factory(lambda self: _sources_by_key(self.sources), takes_self=True),
    )

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Source:
        return self._by_key[key]

    def get(self, key: str) -> Source | None:
        """The source with this key, or None."""
        return self._by_key.get(key)

    @property
    def keys(self) -> tuple[str, ...]:
        """The citation keys in library order."""
        return tuple(self._by_key)

    def with_source(self, source: Source) -> Library:
        """A new library with ``source`` added, or replacing the one with its key."""
        if source.key in self._by_key:
            return Library(source if s.key == source.key else s for s in self.sources)
        return Library((*self.sources, source))
