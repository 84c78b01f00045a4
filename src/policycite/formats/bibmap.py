"""Sources <-> BibTeX/BibLaTeX entries: which entry type and fields each export profile uses.

One profile per toolchain, because one ``.bib`` cannot serve them all (see the table in
README "BibTeX and BibLaTeX"):

* ``biblatex-apa``: APA 7 through biber and biblatex-apa: a press release is ``@report`` +
  ``titleaddon = {Press release}``, a speech ``@presentation`` with its event, news
  ``@article`` + ``entrysubtype = {nonacademic}``, a translated title ``origtitle`` +
  English ``title``;
* ``biblatex``: the standard biblatex styles (authoryear, numeric), which have no
  ``@presentation`` driver and print ``type`` rather than ``titleaddon``;
* ``bibtex-natbib``: classic BibTeX with natbib and apalike or plainnat, which know no
  ``url`` or ``month``: URL, genre and full date are written into ``howpublished``/``note``;
* ``bibtex-apacite``: classic BibTeX with apacite (APA 6 layout).

What a profile cannot print but policycite must not lose goes into fields the styles do
not read: ``urldate``, ``archiveurl``, ``archivedate``, ``contentsha256``, ``capturedat``,
``capturemethod``, ``derivedfrom``, ``policycite-<CSL variable>`` for the rest, and
``policycite-custom``/``policycite-unknown`` (JSON) for other tools' data and fields that
are no CSL variable. BibTeX
and biber ignore fields they do not know, so these cost nothing and bring the source back
whole on import (see :data:`NOT_CARRIED` for what still cannot travel).

Import (:func:`entry_to_record`) reads any ``.bib``, not only policycite's: the kind is
recognised from the entry type and genre fields, and fields without a meaning here are
kept verbatim under ``custom.bibtex`` and written back on export.

This module only maps values: parsing and writing files is :mod:`policycite.formats.bibtex`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from policycite.errors import ModelError
from policycite.formats.latex import (
    closing,
    decode,
    escape,
    initial_safe,
    protect_case,
    protect_cjk,
)
from policycite.formats.record import (
    date_from_csl,
    names_from_csl,
    page_fields,
    same_name,
    transliteration_record,
)
from policycite.kinds import DATE_VARIABLES, KINDS, NAME_VARIABLES, TRANSCRIPT_GENRES
from policycite.model import Name, PartialDate, Source

__all__ = [
    "NOT_CARRIED",
    "PROFILES",
    "Profile",
    "entry_fields",
    "entry_to_record",
    "kind_of_entry",
]


@attrs.frozen
class Profile:
    """An export target: a BibLaTeX or classic BibTeX toolchain and its styles."""

    name: str
    dialect: str  # "biblatex" or "bibtex"
    description: str

    @property
    def is_biblatex(self) -> bool:
        """True for biber/biblatex targets (UTF-8 names, ISO dates, verbatim URLs)."""
        return self.dialect == "biblatex"


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        p.name: p
        for p in (
            Profile(
                "biblatex-apa",
                "biblatex",
                "APA 7 with biber and biblatex-apa (\\usepackage[style=apa]{biblatex})",
            ),
            Profile(
                "biblatex",
                "biblatex",
                "standard biblatex styles with biber (authoryear, numeric, ...)",
            ),
            Profile(
                "bibtex-natbib",
                "bibtex",
                "classic BibTeX with natbib and apalike/plainnat (no url field)",
            ),
            Profile(
                "bibtex-apacite",
                "bibtex",
                "classic BibTeX with apacite (APA 6 layout)",
            ),
        )
    }
)

#: What each profile cannot carry through export and import, so a round trip loses it.
#: Everything else comes back (tests/test_bibtex.py checks it field by field).
NOT_CARRIED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    dict.fromkeys(
        PROFILES,
        (
            "quotation anchors (custom.anchors): they belong to the library and its snapshots",
            "how captured fields were found (custom.provenance.extracted): a review aid "
            "for the library, not bibliographic data",
            "dropping-particle of a name: BibTeX has one 'von' part, read back as "
            "non-dropping-particle",
        ),
    )
)

# Language codes <-> babel/biblatex language names (langid) and English names (language).
_LANGUAGES = {
    "en": ("english", "English"),
    "en-US": ("american", "English"),
    "en-GB": ("british", "English"),
    "ru": ("russian", "Russian"),
    "uk": ("ukrainian", "Ukrainian"),
    "de": ("ngerman", "German"),
    "fr": ("french", "French"),
    "es": ("spanish", "Spanish"),
    "it": ("italian", "Italian"),
    "pt": ("portuguese", "Portuguese"),
    "nl": ("dutch", "Dutch"),
    "pl": ("polish", "Polish"),
    "cs": ("czech", "Czech"),
    "et": ("estonian", "Estonian"),
    "lv": ("latvian", "Latvian"),
    "lt": ("lithuanian", "Lithuanian"),
    "fi": ("finnish", "Finnish"),
    "sv": ("swedish", "Swedish"),
    "da": ("danish", "Danish"),
    "nb": ("norsk", "Norwegian"),
    # No babel language for these: biblatex would warn on a langid, so only `language`.
    "zh": (None, "Chinese"),
    "ja": (None, "Japanese"),
    "ko": (None, "Korean"),
    "ar": (None, "Arabic"),
}
_LANGUAGE_CODES = {
    **{name.casefold(): code for code, (_, name) in reversed(_LANGUAGES.items())},
    **{babel: code for code, (babel, _) in _LANGUAGES.items() if babel},
    **{code.casefold(): code for code in _LANGUAGES},
}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
#: BibTeX's predefined month macros (``month = mar``) and the text they stand for.
MONTH_MACROS: Mapping[str, str] = MappingProxyType(dict(zip(_MONTHS, _MONTH_NAMES, strict=True)))

# CSL variables in Source.extra with a native field: (biblatex field, BibTeX field).
_EXTRA_FIELDS = {
    "DOI": ("doi", "doi"),
    "ISBN": ("isbn", "isbn"),
    "ISSN": ("issn", "issn"),
    "volume": ("volume", "volume"),
    "issue": ("number", "number"),
    "page": ("pages", "pages"),
    "edition": ("edition", "edition"),
    "version": ("version", "version"),
    "abstract": ("abstract", "abstract"),
    "keyword": ("keywords", "keywords"),
    "note": ("note", "note"),
    "title-short": ("shorttitle", "shorttitle"),
    "collection-title": ("series", "series"),
    "editor": ("editor", "editor"),
    "translator": ("translator", "translator"),
}
# Fields written as they are: biber reads them verbatim, and they are ASCII by nature.
_VERBATIM = frozenset(
    "url doi urldate archiveurl archivedate contentsha256 capturedat capturemethod "
    "derivedfrom date eventdate origdate langid isbn issn month day year".split()
)
# Text fields a style may change the case of: capitals in them are brace-protected.
_CASED = frozenset("title origtitle titleaddon booktitle eventtitle englishtitle".split())
# biblatex's list fields (biber splits them at "and": "Ministry of Energy; Climate of
# Ostland"), and the BibTeX fields some .bst files and biblatex's bibtex backend split too.
_LISTS = frozenset("publisher location address institution organization".split())
_AND = re.compile(r"\band\b", re.IGNORECASE)
_PREFIX = "policycite-"


# ---------------------------------------------------------------------------------------
# Export

# Source attributes a .bib entry must bring back; what no native field carried is written
# as policycite-<CSL variable> at the end (see _carry_rest).
_CARRIED = (
    "title",
    "translated_title",
    "container_title",
    "section",
    "publisher",
    "publisher_place",
    "event_title",
    "event_place",
    "event_date",
    "number",
    "genre",
    "transcript",
    "language",
)


class _Entry:
    """An entry being built: ordered LaTeX fields, and the attributes they carry back."""

    def __init__(self, profile: Profile, source: Source, entry_type: str) -> None:
        self.profile = profile
        self.source = source
        self.type = entry_type
        self.fields: dict[str, str] = {}
        self.carried: set[str] = set()

    def text(self, field: str, value: str | None, carries: str | None = None) -> None:
        """Add an escaped text field; ``carries`` names the attribute import reads from it."""
        if value is None or field in self.fields:
            return
        latex = escape(value)
        if field in _CASED:
            latex = protect_case(latex)
        latex = protect_cjk(latex)
        if field in _LISTS and _AND.search(latex):
            latex = "{" + latex + "}"  # one item: an organisation or place holding "and"
        self.fields[field] = latex
        if carries:
            self.carried.add(carries)

    def attr(self, field: str, attr: str) -> None:
        """Add the text of a Source attribute, which the field then carries."""
        self.text(field, getattr(self.source, attr), carries=attr)

    def raw(self, field: str, value: str | None) -> None:
        """Add a value written as it is (verbatim fields, ready-made LaTeX)."""
        if value is not None and field not in self.fields:
            self.fields[field] = value

    def date(self, field: str, value: PartialDate) -> None:
        """Add a date: EDTF as it is, a literal date ("Spring 1998") as escaped text."""
        iso = value.iso()
        if iso is not None:
            self.raw(field, iso)
        else:
            self.text(field, value.literal)

    def names(self, field: str, names: Iterable[Name]) -> None:
        written = [self.name(n) for n in names]
        if written:
            self.fields[field] = " and ".join(written)

    def name(self, name: Name) -> str:
        """One name as BibTeX reads it: ``{Organisation}`` or ``von Last, Jr, First``."""
        if name.literal is not None:
            return "{" + escape(name.literal) + "}"
        last = escape(str(name.family))
        if " " in last or "," in last:
            last = "{" + last + "}"  # one family name, not a von part and a last name
        particles = [escape(p) for p in (name.dropping_particle, name.non_dropping_particle) if p]
        last = " ".join([*particles, last])
        given = escape(name.given) if name.given else None
        if given is not None and not self.profile.is_biblatex:
            given = initial_safe(given)
        parts = [p for p in (last, escape(name.suffix) if name.suffix else None, given) if p]
        if name.suffix and not given:
            parts.append("")
        elif len(parts) == 1 and last.startswith("{"):
            return last + ","  # a braced family name alone: a person, not an organisation
        return ", ".join(parts)


def _is_author(source: Source, value: str | None) -> bool:
    return any(same_name(n.literal, value) for n in source.authors)


def _day_text(date: PartialDate) -> str:
    """``12 March 2024`` (or as much of it as is known)."""
    if date.literal is not None:
        return date.literal
    parts = [str(date.day)] if date.day is not None else []
    if date.month is not None:
        parts.append(_MONTH_NAMES[date.month - 1])
    return " ".join([*parts, str(date.year)])


def _genre(entry: _Entry, field: str) -> None:
    """Write the genre APA prints in brackets; it carries genre or transcript back."""
    source = entry.source
    genre = source.effective_genre
    if genre is None and source.kind == "interview":
        genre = "Interview"
    if genre is None:
        return
    entry.text(field, genre)
    entry.carried.add("genre")
    if source.genre is None and source.transcript is not None:
        entry.carried.add("transcript")


def _dates(entry: _Entry) -> None:
    issued = entry.source.issued
    if entry.profile.is_biblatex:
        if issued is not None:
            entry.date("date" if issued.literal is None else _PREFIX + "issued", issued)
        return
    if issued is None or issued.year is None:
        entry.raw("year", "n.d.")
    else:
        entry.raw("year", str(issued.year))
        if issued.month is not None:
            entry.raw("month", _MONTHS[issued.month - 1])
        if issued.day is not None:
            entry.raw("day", str(issued.day))
    plain = issued is None or (
        issued.literal is None and issued.season is None and not issued.circa and not issued.end
    )
    if not plain and issued is not None:
        entry.date(_PREFIX + "issued", issued)


def _language(entry: _Entry) -> None:
    code = entry.source.language
    if code is None:
        return
    babel, name = _LANGUAGES.get(code, (None, None))
    if babel is not None:
        entry.raw("langid", babel)
        entry.carried.add("language")
    if entry.profile.name == "biblatex" and name is not None and not code.startswith("en"):
        entry.text("language", name)  # standard styles print it: "Russian."
        if babel is None:
            entry.carried.add("language")


def _transliteration(entry: _Entry) -> None:
    """A romanised title and names are printed; the originals travel unprinted.

    ``policycite-title`` and ``policycite-author`` hold the original script,
    ``policycite-transliteration`` (JSON) the romanised forms and the system used.
    """
    source = entry.source
    forms = transliteration_record(source)
    if not forms:
        return
    if source.title_transliterated:
        entry.text(_PREFIX + "title", source.title)
    if "author" in forms:
        entry.names(_PREFIX + "author", source.authors)
    data = {"forms": forms, "system": source.provenance.transliteration}
    entry.raw(_PREFIX + "transliteration", json_field(data))


def _title(entry: _Entry) -> None:
    source = entry.source
    # APA (9.38-9.39) prints a non-Latin title romanised: the romanised form is "the" title.
    original, english = source.title_transliterated or source.title, source.translated_title
    entry.carried.update({"title", "translated_title"})
    if english is None:
        entry.text("title", original)
    elif entry.profile.name == "biblatex-apa":
        # biblatex-apa prints origtitle, then the English title in brackets.
        entry.text("title", english)
        entry.text("origtitle", original)
    elif entry.profile.name == "biblatex":
        entry.text("title", original)
        entry.text("titleaddon", f"[{english}]")
    elif entry.profile.name == "bibtex-apacite":
        entry.text("title", original)
        entry.text("englishtitle", english)
    else:
        title = protect_case(escape(original or "")) + " [{" + escape(english) + "}]"
        entry.fields["title"] = protect_cjk(title)


def _sentence(*parts: str | None) -> str | None:
    r"""Join the non-empty parts as sentences: ``A, b. C.`` (no stop after a ``\\url{}``)."""
    text = ". ".join(p.rstrip(".") for p in parts if p)
    if not text:
        return None
    return text if text.endswith("}") else text + "."


_LINKED_KINDS = frozenset({"news-article", "journal-article", "report", "book", "chapter"})


def natbib_display(source: Source) -> dict[str, str]:
    """The ``howpublished`` and ``note`` text apalike prints (it knows no url or month).

    They only display what other fields carry, so import drops them when they are still
    what this function gives, and keeps them as the user's own text when edited.
    """
    out: dict[str, str] = {}
    date = _day_text(source.issued) if source.issued and source.issued.month else None
    url = "\\url{" + source.url + "}" if source.url else None
    accessed = source.provenance.accessed
    accessed_text = f"Accessed {_day_text(accessed)}" if accessed else None
    if _bib_kind(source) in _LINKED_KINDS:
        doi = source.extra.get("DOI")
        link = "\\url{https://doi.org/" + str(doi) + "}" if doi else url
        full = source.issued is not None and source.issued.day is not None
        news_date = date if source.kind == "news-article" and full else None
        note = _sentence(news_date, link, accessed_text)
    else:
        genre = source.effective_genre or ("Interview" if source.kind == "interview" else None)
        if source.kind == "speech":
            where = [escape(p) for p in (source.event_title, source.event_place) if p]
            given = source.event_date or source.issued
            delivered = _day_text(given) if given and given.month else None
            when = ", ".join([*where, *([delivered] if delivered else [])])
            howpublished = _sentence(
                escape(genre or "Speech"),
                f"Delivered at {when}" if where else when,
                escape(source.publisher) if source.publisher else None,
                url,
            )
        else:
            site = None if _is_author(source, source.container_title) else source.container_title
            lead = ", ".join(escape(p) for p in (genre, site) if p)
            howpublished = _sentence(", ".join(p for p in (lead, date) if p), url)
        if howpublished:
            out["howpublished"] = howpublished
        note = _sentence(accessed_text)
    if note:
        out["note"] = note
    return out


def apacite_display(source: Source) -> dict[str, str]:
    """The fields apacite prints that only display other fields (see natbib_display)."""
    out: dict[str, str] = {}
    accessed = source.provenance.accessed
    if accessed is not None and accessed.month is not None:
        out["lastchecked"] = f"{_MONTH_NAMES[accessed.month - 1]} {accessed.day}, {accessed.year}"
    if source.kind == "speech" and source.event_title:
        out["howpublished"] = "Speech delivered at " + escape(source.event_title)
    return out


# kind -> entry type, per profile (kinds not listed are @misc)
_TYPES = {
    "biblatex-apa": {
        "press-release": "report",
        "speech": "presentation",
        "news-article": "article",
        "webpage": "online",
        "statement": "online",
        "report": "report",
        "journal-article": "article",
        "book": "book",
        "chapter": "incollection",
        "post": "online",
    },
    "biblatex": {
        "speech": "unpublished",
        "news-article": "article",
        "webpage": "online",
        "report": "report",
        "journal-article": "article",
        "book": "book",
        "chapter": "incollection",
        "post": "online",
    },
    "bibtex-natbib": {
        "news-article": "article",
        "report": "techreport",
        "journal-article": "article",
        "book": "book",
        "chapter": "incollection",
    },
    "bibtex-apacite": {
        "speech": "lecture",
        "news-article": "newspaper",
        "report": "techreport",
        "journal-article": "article",
        "book": "book",
        "chapter": "incollection",
    },
}


def _bib_kind(source: Source) -> str:
    """The kind whose entry shape a source takes: a news website's article is a web page.

    APA cites an article of a news website without a newspaper (CNN, BBC News) as a
    webpage on a news website, so it is exported as one (``@online``, or ``@misc`` with
    ``howpublished``); ``policycite-kind`` and ``container-type`` bring it back.
    """
    return "webpage" if source.container_type == "news-site" else source.kind


def _outlet(entry: _Entry, journal: str) -> None:
    """The periodical or book a part appears in; news is marked non-academic (APA dates)."""
    kind = _bib_kind(entry.source)
    if kind in {"news-article", "journal-article"}:
        if kind == "news-article":
            entry.raw("entrysubtype", "nonacademic")
        entry.attr(journal, "container_title")
    elif kind == "chapter":
        entry.attr("booktitle", "container_title")


def _fill_biblatex(entry: _Entry) -> None:
    source = entry.source
    apa = entry.profile.name == "biblatex-apa"
    kind = _bib_kind(source)
    _outlet(entry, "journaltitle")
    if kind == "journal-article":
        entry.attr("eid", "number")
    if kind == "report":
        _genre(entry, "type")
        entry.attr("number", "number")
        if not apa:
            entry.attr("institution", "publisher")
            entry.attr("location", "publisher_place")
        elif not _is_author(source, source.publisher):
            entry.attr("publisher", "publisher")  # APA 7: only when not the author
    elif kind == "speech":
        _genre(entry, "titleaddon" if apa else "type")
        entry.attr("publisher" if apa else "howpublished", "publisher")
        entry.attr("eventtitle", "event_title")
        entry.attr("venue", "event_place")
        if source.event_date is not None:
            entry.raw("eventdate", source.event_date.iso())
            entry.carried.add("event_date")
    elif kind in {"book", "chapter"}:
        entry.attr("publisher", "publisher")
        if not apa:  # APA 7 prints no place of publication
            entry.attr("location", "publisher_place")
    elif kind not in {"news-article", "journal-article"}:
        # press releases, statements, web pages and the rest: @report, @online or @misc
        _genre(entry, "titleaddon" if apa or entry.type == "online" else "type")
        # A @misc document's organization is its publisher (biblatex; Better BibLaTeX
        # writes Zotero's publisher there): a container travels as policycite-container-title.
        if not _is_author(source, source.container_title) and entry.type != "misc":
            entry.attr("organization", "container_title")
        if not _is_author(source, source.publisher):
            entry.attr("publisher", "publisher")


def _fill_bibtex(entry: _Entry) -> None:
    source = entry.source
    apacite = entry.profile.name == "bibtex-apacite"
    kind = _bib_kind(source)
    _outlet(entry, "journal")
    if entry.type == "techreport":
        _genre(entry, "type")
        if "type" not in entry.fields and apacite:
            entry.raw("type", "\\bibnotype")  # else apacite prints "Tech. Rep."
        entry.attr("number", "number")
        if apacite and _is_author(source, source.publisher):
            entry.raw("institution", "Author")  # APA 6: the publisher is the author
        elif source.publisher is not None:
            entry.attr("institution", "publisher")
        elif source.authors and source.authors[0].literal is not None:
            # BibTeX wants an institution: the organisation that wrote it. The empty
            # policycite-publisher tells import that the source itself names none.
            entry.raw("institution", escape(source.authors[0].literal))
            entry.raw(_PREFIX + "publisher", "")
        entry.attr("address", "publisher_place")
    elif kind in {"book", "chapter"}:
        entry.attr("publisher", "publisher")
        entry.attr("address", "publisher_place")
    elif entry.type in {"misc", "lecture"}:
        _genre(entry, "type")
    display = apacite_display(source) if apacite else natbib_display(source)
    for field, value in display.items():
        entry.raw(field, value)


def _extra(entry: _Entry) -> None:
    dialect = 0 if entry.profile.is_biblatex else 1
    for var, value in entry.source.extra.items():
        native = _EXTRA_FIELDS.get(var)
        field = native[dialect] if native else _PREFIX + var
        if field in entry.fields:
            field = _PREFIX + var
        if var in NAME_VARIABLES:
            entry.names(field, names_from_csl(var, value))
        elif var in DATE_VARIABLES:
            date = date_from_csl(var, value)
            entry.date(field, date) if date else entry.raw(field, "n.d.")
        elif field in _VERBATIM:
            entry.raw(field, str(value))
        elif isinstance(value, list):
            entry.text(_PREFIX + var, "; ".join(str(v) for v in value))
        else:
            entry.text(field, str(value))


def _provenance(entry: _Entry) -> None:
    prov = entry.source.provenance
    entry.raw("url", prov.url)
    if prov.accessed:
        # APA 7 gives a retrieval date only to an unarchived page designed to change
        # (Manual 9.16), and biblatex-apa prints every urldate: for other sources the
        # access date travels unprinted.
        unprinted = entry.profile.name == "biblatex-apa" and not entry.source.gets_retrieval_date
        entry.raw(_PREFIX + "accessed" if unprinted else "urldate", prov.accessed.iso())
    entry.raw("archiveurl", prov.archive_url)
    if prov.archive_date:
        entry.raw("archivedate", prov.archive_date.iso())
    entry.raw("contentsha256", prov.content_sha256)
    entry.raw("capturedat", prov.captured_at)
    if prov.method.value != "manual":
        entry.raw("capturemethod", prov.method.value)
    if prov.derived_from:
        entry.raw(
            "derivedfrom", ", ".join(f"{d.relation.value}:{d.key}" for d in prov.derived_from)
        )
    if prov.aliases:
        entry.raw(_PREFIX + "aliases", " ".join(prov.aliases))


def _carry_rest(entry: _Entry) -> None:
    """Write what no printed field carries as policycite-<variable>, so nothing is lost."""
    for attr in _CARRIED:
        value = getattr(entry.source, attr)
        if value is None or attr in entry.carried:
            continue
        field = _PREFIX + attr.replace("_", "-")
        if isinstance(value, PartialDate):
            entry.date(field, value)
        else:
            entry.text(field, value)


# JSON text tokens: braces and % inside them are written as \\u escapes, so that the
# value's braces balance and no tool reads a comment.
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')


def _plain_mapping(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):  # a Source's read-only mappings
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not data")


def json_field(value: Any) -> str:
    """Nested data as a field value BibTeX and biber pass over: ASCII JSON, braces balanced."""
    text = json.dumps(value, ensure_ascii=True, default=_plain_mapping)
    return _JSON_STRING_RE.sub(
        lambda m: m.group().replace("{", "\\u007b").replace("}", "\\u007d").replace("%", "\\u0025"),
        text,
    )


def entry_fields(source: Source, profile: Profile | str) -> tuple[str, dict[str, str]]:
    """Return (entry type, fields) for a source; the values are ready-made LaTeX.

    Every value comes enclosed in braces, except ``month`` (an unbraced macro: ``mar``).
    Fields the source brought from a ``.bib`` (``custom.bibtex``) are written back as they
    were, over generated ones of the same name: they are the user's own text.
    """
    profile = PROFILES[profile] if isinstance(profile, str) else profile
    kept: Mapping[str, Any] = source.custom.get("bibtex") or {}
    entry_type = _TYPES[profile.name].get(_bib_kind(source), "misc")
    if source.kind == "document" and isinstance(kept.get("@type"), str):
        entry_type = kept["@type"]
    entry = _Entry(profile, source, entry_type)

    entry.names("author", [n.transliterated or n for n in source.authors])
    _transliteration(entry)
    if any(n.abbreviation for n in source.authors):
        entry.raw(
            "shortauthor",
            " and ".join(
                "{" + escape(n.abbreviation) + "}" if n.abbreviation else entry.name(n)
                for n in source.authors
            ),
        )
    _title(entry)
    _dates(entry)
    if profile.is_biblatex:
        _fill_biblatex(entry)
    else:
        _fill_bibtex(entry)
    _language(entry)
    _carry_rest(entry)
    _extra(entry)
    _provenance(entry)

    others = {k: v for k, v in source.custom.items() if k != "bibtex"}
    others.update(page_fields(source))  # no BibTeX field means "changes" or "news site"
    if others:  # other tools' data, as JSON
        entry.raw(_PREFIX + "custom", json_field(others))
    if source.unknown:  # record fields that are no CSL variable, as JSON
        entry.raw(_PREFIX + "unknown", json_field(source.unknown))
    fields = {k: v if k == "month" else "{" + v + "}" for k, v in entry.fields.items()}
    for field, value in kept.items():
        if not field.startswith("@"):
            fields[field] = "{" + str(value) + "}"
    if kind_of_entry(entry_type, entry.fields) != source.kind:
        fields[_PREFIX + "kind"] = "{" + source.kind + "}"
    if source.csl_type is not None:  # a CSL type other than the kind's (a blog post)
        fields[_PREFIX + "type"] = "{" + source.csl_type + "}"
    return entry_type, fields


# ---------------------------------------------------------------------------------------
# Import

_SPEECH_GENRE_RE = re.compile(
    r"^(speech|keynote|address|remarks|lecture|presentation|talk)", re.IGNORECASE
)
# A howpublished that is only one of these words is the genre, not the publisher: Zotero's
# presentation type ("Speech") and Better BibLaTeX's item type on @unpublished land there.
# The whole value must be the genre: natbib's display text "Speech. Delivered at ..." is
# not one (see natbib_display).
_HOWPUBLISHED_GENRE_RE = re.compile(
    r"(speech|keynote( address| speech)?|address|remarks|lecture|presentation|talk"
    r"|conference presentation|press release|news release|media release|statement"
    r"|joint statement)\.?",
    re.IGNORECASE,
)
_KIND_GENRES = {
    "press release": "press-release",
    "news release": "press-release",
    "media release": "press-release",
    "statement": "statement",
    "joint statement": "statement",
}


def _plain(value: str | None) -> str:
    return (value or "").replace("{", "").replace("}", "").strip()


def _genre_text(fields: Mapping[str, str]) -> str:
    for name in ("titleaddon", "type"):
        value = _plain(fields.get(name))
        if value and not (value.startswith("[") and value.endswith("]")):
            return value
    howpublished = _plain(fields.get("howpublished"))
    return howpublished if _HOWPUBLISHED_GENRE_RE.fullmatch(howpublished) else ""


#: ``entrysubtype`` values of an ``@article`` that make it news: policycite's own export
#: writes biblatex-apa's ``nonacademic``; Better BibLaTeX writes ``newspaper`` for Zotero's
#: newspaperArticle (the standard biblatex styles' value).
_NEWS_SUBTYPES = frozenset({"nonacademic", "newspaper"})


def kind_of_entry(entry_type: str, fields: Mapping[str, str]) -> str:
    """The policycite kind of a ``.bib`` entry, from its type and genre fields.

    ``fields`` may be LaTeX (braces are ignored here). A ``policycite-kind`` field,
    which export writes only where the structure says otherwise, wins.
    """
    explicit = _plain(fields.get(_PREFIX + "kind"))
    if explicit:
        return explicit
    entry_type = entry_type.lower()
    genre = _genre_text(fields).casefold()
    for prefix, kind in _KIND_GENRES.items():
        if genre.startswith(prefix):
            return kind
    if entry_type in {"presentation", "lecture"} or _SPEECH_GENRE_RE.match(genre):
        return "speech"
    if entry_type == "unpublished" and fields.get("eventtitle"):
        return "speech"
    if entry_type == "newspaper":
        return "news-article"
    if entry_type == "article":
        subtype = _plain(fields.get("entrysubtype")).casefold()
        return "news-article" if subtype in _NEWS_SUBTYPES else "journal-article"
    if entry_type in {"report", "techreport"}:
        return "report"
    if entry_type in {"book", "mvbook", "booklet"}:
        return "book"
    if entry_type in {"incollection", "inbook", "inproceedings", "bookinbook"}:
        return "chapter"
    if genre == "interview":
        return "interview"
    if entry_type in {"legislation", "legal", "jurisdiction"}:
        return "legislation"
    has_url = bool(fields.get("url")) or "\\url{" in fields.get("howpublished", "")
    # A classic BibTeX @misc with a URL is how web pages are written for natbib; biblatex
    # (a ``date`` field) has @online for them, so its @misc is a document (Better
    # BibLaTeX's Zotero document).
    if entry_type in {"online", "www", "electronic"} or (
        entry_type == "misc" and has_url and not genre and "date" not in fields
    ):
        return "webpage"
    return "document"


#: Entry types read as a kind without a PC014 finding.
KNOWN_TYPES = frozenset(
    "article book mvbook booklet inbook incollection inproceedings bookinbook report "
    "techreport online www electronic misc unpublished presentation lecture newspaper "
    "legislation legal jurisdiction".split()
)


def _names(value: str) -> list[dict[str, str]]:
    """BibTeX name lists as CSL names: ``{Org}`` is a literal, the rest family/given."""
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    out = []
    for raw in split_multiple_persons_names(value):
        if raw.strip() == "others":
            continue
        if raw.startswith("{") and raw.endswith("}") and _enclosed(raw):
            out.append({"literal": decode(raw[1:-1])})
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        name = {
            "family": decode(" ".join(parts.last)),
            "given": decode(" ".join(parts.first)),
            "non-dropping-particle": decode(" ".join(parts.von)),
            "suffix": decode(" ".join(parts.jr)),
        }
        if not name["family"]:
            name = {"literal": decode(raw)}
        out.append({k: v for k, v in name.items() if v})
    return out


def _enclosed(value: str) -> bool:
    """True when the outer braces of ``{...}`` belong together (not ``{a} and {b}``)."""
    return value.startswith("{") and closing(value, 0) == len(value) - 1


# A time of day after an ISO date (Better BibLaTeX writes Zotero's "2016-07-18T20:26:06").
_TIME_RE = re.compile(r"(?<=\d{4}-\d\d-\d\d)[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def _date(fields: Mapping[str, str], consumed: set[str]) -> str | None:
    if "date" in fields:
        consumed.add("date")
        return _TIME_RE.sub("", _plain(fields["date"]))
    year = _plain(fields.get("year"))
    if not year:
        return None
    consumed.add("year")
    if not year.removeprefix("-").isdigit():
        return None if year.casefold() in {"n.d.", "nd", "n. d."} else year
    # A month or day that is not one is left unused: the caller keeps it and reports it.
    month = _plain(fields.get("month")).casefold()
    number = _MONTHS.index(month[:3]) + 1 if month[:3] in _MONTHS else 0
    if month.isdigit() and len(month) <= 2:
        number = int(month)
    if not 1 <= number <= 12:
        return year
    consumed.add("month")
    day = _plain(fields.get("day"))
    if day.isdigit() and len(day) <= 2:
        consumed.add("day")
        return f"{year}-{number:02d}-{int(day):02d}"
    return f"{year}-{number:02d}"


def _date_or_literal(text: str) -> str | dict[str, str]:
    """EDTF date text as it is; anything else ("Spring 1998") as a literal date."""
    try:
        PartialDate.parse(text)
    except ModelError:
        return {"literal": text}
    return text


_TRANSCRIPTS = {genre.casefold(): kind for kind, genre in TRANSCRIPT_GENRES.items()}
_EXTRA_BY_FIELD = {
    field: var for var, pair in _EXTRA_FIELDS.items() for field in pair if var != "issue"
}
_VERBATIM_VARS = frozenset({"DOI", "ISBN", "ISSN", "URL"})
#: Fields that only display what others carry (natbib_display, apacite_display).
DISPLAY_FIELDS = frozenset({"howpublished", "note", "lastchecked"})


def entry_to_record(
    entry_type: str, key: str, fields: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Read one entry (LaTeX values, macros resolved) into a library record.

    Returns the record (record form, as :func:`~policycite.formats.record.source_from_dict`
    reads it) and the fields it did not use, still as LaTeX: the caller keeps those that
    are not mere display (see :data:`DISPLAY_FIELDS`) under ``custom.bibtex``.
    """
    reader = _EntryReader(entry_type.lower(), key, fields)
    for step in (
        reader.names,
        reader.titles,
        reader.genre,
        reader.places,
        reader.numbers,
        reader.provenance,
        reader.carried,
        reader.extras,
    ):
        step()
    if reader.custom:
        reader.record["custom"] = reader.custom
    rest = {k: v for k, v in fields.items() if k not in reader.consumed}
    return reader.record, rest


class _EntryReader:
    """One entry being read: the fields, which are used up, and the record built."""

    def __init__(self, entry_type: str, key: str, fields: Mapping[str, str]) -> None:
        self.type = entry_type
        self.fields = fields
        self.kind = kind_of_entry(entry_type, fields)
        self.consumed: set[str] = {_PREFIX + "kind"}
        self.record: dict[str, Any] = {"id": key, "kind": self.kind}
        self.custom: dict[str, Any] = {}

    def take(self, *names: str) -> str | None:
        """The decoded text of the first of ``names`` present and unused, now used."""
        for name in names:
            if name in self.fields and name not in self.consumed:
                self.consumed.add(name)
                return decode(self.fields[name])
        return None

    def take_raw(self, name: str) -> str | None:
        """A verbatim field (URL, date, hash): braces dropped, nothing decoded."""
        if name in self.fields:
            self.consumed.add(name)
            return _plain(self.fields[name]) or None
        return None

    def put(self, var: str, value: Any) -> None:
        if value is not None:
            self.record[var] = value

    def names(self) -> None:
        if "author" not in self.fields:
            return
        self.consumed.add("author")
        authors = _names(self.fields["author"])
        if self.take_raw("shortauthor") is not None:
            shorts = _names(self.fields["shortauthor"])
            if len(shorts) == len(authors):
                for author, abbreviation in zip(authors, shorts, strict=True):
                    short = abbreviation.get("literal") or abbreviation.get("family")
                    if "literal" in author and short != author["literal"]:
                        author["abbreviation"] = str(short)
        self.record["author"] = authors

    def titles(self) -> None:
        """Title and translated title, however the profile wrote them.

        origtitle + English title (biblatex-apa), [translation] in titleaddon (biblatex),
        englishtitle (apacite), "Original [{Translation}]" (natbib).
        """
        fields = self.fields
        title = self.take("title")
        original = self.take("origtitle")
        translated = self.take("englishtitle")
        addon = _plain(fields.get("titleaddon"))
        if original is not None:
            title, translated = original, title
        elif addon.startswith("[") and addon.endswith("]"):
            self.consumed.add("titleaddon")
            translated = decode(fields["titleaddon"]).strip()[1:-1]
        elif title is not None and translated is None:
            raw = fields["title"].rstrip()
            split = raw.rfind(" [{")
            declared = _plain(
                fields.get(_PREFIX + "language") or fields.get("langid") or fields.get("language")
            )
            code = _LANGUAGE_CODES.get(declared.casefold(), declared)
            if raw.endswith("}]") and split > 0 and declared and not code.startswith("en"):
                title, translated = decode(raw[:split]), decode(raw[split + 3 : -2])
        self.put("title", title)
        self.put("translated-title", translated)

    def genre(self) -> None:
        """The genre, unless it is the kind's own (press release) or a transcript form."""
        genre = None
        for name in ("titleaddon", "type", "howpublished"):
            value = self.fields.get(name)
            if value is not None and "\\bibnotype" in value:
                self.consumed.add(name)  # apacite's "no type"
            elif name == "howpublished" and not _HOWPUBLISHED_GENRE_RE.fullmatch(_plain(value)):
                continue  # a publisher or display text (see places)
            elif value is not None and name not in self.consumed:
                genre = self.take(name)
                break
        if genre is None:
            return
        default = KINDS[self.kind].genre if self.kind in KINDS else None
        transcript = _TRANSCRIPTS.get(genre.casefold()) if self.kind == "speech" else None
        if default is not None and genre.casefold() == default.casefold():
            return  # the kind's own genre ("Press release")
        if transcript is not None:
            self.custom["transcript"] = transcript
        elif not (self.kind == "interview" and genre == "Interview"):
            self.record["genre"] = genre

    def places(self) -> None:
        """Date, outlet, publisher or host, event and places."""
        issued = _date(self.fields, self.consumed)
        self.put("issued", _date_or_literal(issued) if issued is not None else None)
        if self.type == "misc" and self.kind == "document" and "publisher" not in self.fields:
            self.put("publisher", self.take("organization"))  # see _fill_biblatex
        self.put(
            "container-title", self.take("journaltitle", "journal", "booktitle", "organization")
        )
        if self.kind == "speech" and self.type == "unpublished":
            publisher = self.take("howpublished", "publisher")
        else:
            publisher = self.take("publisher")
            if publisher is None and self.type in {"report", "techreport"}:
                if _plain(self.fields.get("institution")) == "Author" and self.record.get("author"):
                    self.consumed.add("institution")  # apacite: the publisher is the author
                    publisher = self.record["author"][0].get("literal")
                else:
                    publisher = self.take("institution")
        self.put("publisher", publisher)
        if self.type == "lecture":
            self.put("event-place", self.take("address", "venue"))
        else:
            self.put("event-place", self.take("venue"))
            self.put("publisher-place", self.take("location", "address"))
        self.put("event-title", self.take("eventtitle"))
        event_date = self.take_raw("eventdate")
        self.put("event-date", _date_or_literal(event_date) if event_date else None)

    def numbers(self) -> None:
        """Report or release number; for articles ``number`` is the issue."""
        if self.kind == "journal-article" or (
            self.kind == "news-article" and "number" in self.fields
        ):
            self.put("issue", self.take("number"))
            self.put("number", self.take("eid"))
        else:
            self.put("number", self.take("number"))
        language = (
            self.take_raw(_PREFIX + "language")
            or self.take_raw("langid")
            or self.take_raw("language")
        )
        self.consumed.update({"langid", "language"})
        if language is not None:
            self.record["language"] = _LANGUAGE_CODES.get(language.casefold(), language)
        if _plain(self.fields.get("entrysubtype")).casefold() in _NEWS_SUBTYPES:
            self.consumed.add("entrysubtype")  # read by kind_of_entry
            if self.kind == "news-article" and "section" not in self.record:
                # Better BibLaTeX writes a newspaper article's section as journalsubtitle.
                self.put("section", self.take("journalsubtitle"))

    def provenance(self) -> None:
        self.put("URL", self.take_raw("url"))
        self.put("accessed", self.take_raw("urldate"))
        provenance: dict[str, Any] = {}
        for field, name in (
            ("archiveurl", "archive-url"),
            ("archivedate", "archive-date"),
            ("contentsha256", "content-sha256"),
            ("capturedat", "captured-at"),
            ("capturemethod", "method"),
        ):
            value = self.take_raw(field)
            if value is not None:
                provenance[name] = value
        derived = self.take_raw("derivedfrom")
        if derived is not None:
            links = []
            for item in derived.split(","):
                relation, _, target = item.strip().rpartition(":")
                links.append({"key": target, "relation": relation or "relays"})
            provenance["derived-from"] = links
        aliases = self.take_raw(_PREFIX + "aliases")
        if aliases is not None:
            provenance["aliases"] = aliases.split()
        if provenance:
            self.custom["provenance"] = provenance

    def carried(self) -> None:
        """policycite-<variable> fields: what the profile could not print."""
        for field, value in self.fields.items():
            if not field.startswith(_PREFIX) or field in self.consumed:
                continue
            var = field[len(_PREFIX) :]
            if var in {"custom", "unknown"}:
                self.json(field, var)
                continue
            if var == "transliteration":
                self.transliteration(field)
                continue
            self.consumed.add(field)
            if var == "transcript":
                self.custom["transcript"] = _plain(value)
            elif var in DATE_VARIABLES:
                # EDTF is written raw ("2019~" is circa, not a tie); literal dates escaped.
                self.record[var] = _date_or_literal(
                    decode(value) if "\\" in value else _plain(value)
                )
            elif var in NAME_VARIABLES:
                self.record[var] = _names(value)
            elif var in _VERBATIM_VARS:
                self.record[var] = _plain(value)
            elif var == "language":
                text = _plain(value)
                self.record[var] = _LANGUAGE_CODES.get(text.casefold(), text)
            else:
                self.record[var] = decode(value)

    def transliteration(self, field: str) -> None:
        """policycite-transliteration: the romanised forms and the system (JSON)."""
        try:
            data = json.loads(self.fields[field])
        except ValueError:
            return  # not policycite's: kept as written, with a finding
        if not isinstance(data, dict) or not isinstance(data.get("forms"), dict):
            return
        self.consumed.add(field)
        self.custom["transliteration"] = data["forms"]
        if data.get("system") is not None:
            self.custom.setdefault("provenance", {})["transliteration"] = data["system"]

    def json(self, field: str, var: str) -> None:
        """policycite-custom and policycite-unknown: JSON mappings (see json_field)."""
        try:
            data = json.loads(self.fields[field])
        except ValueError:
            return  # not policycite's: kept as written, with a finding
        if not isinstance(data, dict):
            return
        self.consumed.add(field)
        target = self.custom if var == "custom" else self.record
        for key, value in data.items():
            target.setdefault(key, value)

    def extras(self) -> None:
        """Fields with a CSL variable of their own: doi, isbn, pages, editor and the like."""
        for field, value in self.fields.items():
            var = _EXTRA_BY_FIELD.get(field)
            if var is None or field in self.consumed or field in DISPLAY_FIELDS:
                continue  # a note may be display text or the user's own: the caller decides
            self.consumed.add(field)
            if var in NAME_VARIABLES:
                self.record[var] = _names(value)
            elif var in _VERBATIM_VARS:
                self.record[var] = _plain(value)
            else:
                self.record[var] = decode(value)
