"""Turn an extracted :class:`~policycite.capture.document.Document` into a Source.

The one place that decides which extracted field fills which Source field for each kind
(the speaker is the author of a speech, the site is the outlet of a news article), how a
printed name splits into family and given names, and which citation key a new record
gets. No I/O: the pipeline passes in the provenance and the keys already taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping

import attrs

from policycite.capture.document import FIELDS, Document, Evidence
from policycite.errors import InputError, ModelError
from policycite.findings import Finding, Location
from policycite.kinds import CONTAINER_TYPES, KINDS, TRANSCRIPT_GENRES
from policycite.model import Name, PartialDate, Provenance, Source

#: How a value given by the user (``--set field=value``) is recorded.
USER_GIVEN = "given by the user"
#: How a field is recorded once the user has corrected it in the record file.
HAND_EDITED = "edited by hand"

#: Kinds capture produces when nothing else is known.
DEFAULT_KIND = "webpage"

#: The kinds a page's own wording may mark as designed to change (a press release, speech
#: or news article with a "last updated" line is still a fixed document).
CHANGING_KINDS = frozenset({"webpage"})
_YES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|h\.?\s?e|his excellency|"
    r"her excellency|hon|rt\.? hon)\.?\s+)+",
    re.IGNORECASE,
)
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le"}
_PARTICLES |= {"ter", "ten", "dos", "das", "bin", "al", "el", "zu", "vom", "zum", "zur"}
_ABBREVIATION_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<abbr>[A-Z][A-Za-z&.\-]{1,11})\)$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
#: Russian patronymics ("Иванович", "Ивановна", "Ильинична"): a name ending in one is written
#: "Family Given Patronymic" or "Given Patronymic Family".
_PATRONYMIC = re.compile(r"(?:[ое]вич|[ое]вна|[ие]нична|ична|ич)$", re.IGNORECASE)  # noqa: RUF001

# Romanisation of Cyrillic for citation keys only (keys must be typable; records keep
# the original script).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўқғңүұөһә",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya i i e g u "
        "q g n u u o h a".split(" "),
        strict=True,
    )
)


def apply_overrides(document: Document, overrides: Mapping[str, str]) -> Document:
    """The document with user-given values first in line for each field.

    ``author`` and ``issuer`` take several names separated by ``;``. Raises InputError
    for a field capture does not know.
    """
    fields = {name: list(items) for name, items in document.fields.items()}
    for name, value in overrides.items():
        if name not in FIELDS:
            raise InputError(
                f"unknown field {name!r} for --set; known: {', '.join(FIELDS)}", place="--set"
            )
        if name == "changes" and value.strip().casefold() not in _YES:
            raise InputError(f"--set changes= takes yes or no, got {value!r}", place="--set")
        if name == "container-type" and value.strip() not in CONTAINER_TYPES:
            raise InputError(
                f"--set container-type= takes {' or '.join(CONTAINER_TYPES)}, got {value!r}",
                place="--set",
            )
        parts = [v.strip() for v in value.split(";")] if name in {"author", "issuer"} else [value]
        fields[name] = [Evidence(v, USER_GIVEN) for v in parts if v.strip()]
    return attrs.evolve(document, fields=fields)


def person_name(text: str) -> Name:
    """A printed person name as a CSL name: "Petrova, Anna", "Dr. Anna Petrova", "王毅"."""
    text = " ".join(_HONORIFICS.sub("", text.strip()).split())
    if "," in text:
        family, _, given = (p.strip() for p in text.partition(","))
        if given.casefold() in _SUFFIXES:  # "Anna Petrova, Jr."
            return attrs.evolve(person_name(family), suffix=given)
        return _with_particle(family, given or None)
    words = text.split()
    suffix = None
    if len(words) > 1 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    if len(words) == 1 or _CJK.search(text):
        return Name(family=" ".join(words), suffix=suffix)
    if len(words) == 3 and _PATRONYMIC.search(words[2]) and not _PATRONYMIC.search(words[1]):
        # Russian order, family name first: "Иванов Иван Иванович".
        return Name(family=words[0], given=" ".join(words[1:]), suffix=suffix)
    # The family name starts at the first lower-case particle after the given names
    # ("Ursula von der Leyen"), else it is the last word.
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i].casefold() in _PARTICLES:
            start = i
            break
    name = _with_particle(" ".join(words[start:]), " ".join(words[:start]))
    return attrs.evolve(name, suffix=suffix) if suffix else name


def _with_particle(family: str, given: str | None) -> Name:
    words = family.split()
    lead = []
    while len(words) > 1 and words[0].casefold() in _PARTICLES and words[0].islower():
        lead.append(words.pop(0))
    return Name(family=" ".join(words), given=given, non_dropping_particle=" ".join(lead) or None)


def organisation_name(text: str) -> Name:
    """An organisation, with an abbreviation taken from a trailing "(ABC)"."""
    text = " ".join(text.split())
    found = _ABBREVIATION_IN_NAME.match(text)
    if found:
        return Name.organisation(found["name"], found["abbr"])
    return Name.organisation(text)


def _names(document: Document, kind: str) -> tuple[list[Name], dict[str, str]]:
    """The authors for a kind, and how they were found (field name -> how)."""
    speaker = document.first("speaker")
    persons = document.fields.get("author", ())
    issuers = document.fields.get("issuer", ())
    how: dict[str, str] = {}
    if kind == "speech":
        chosen = [speaker] if speaker else list(persons[:1])
        if chosen:
            how["author"] = chosen[0].how
        return [person_name(e.value) for e in chosen], how
    if kind in {"press-release", "statement"} and issuers:
        how["author"] = issuers[0].how
        return [organisation_name(issuers[0].value)], how
    if persons:
        how["author"] = persons[0].how
        return [person_name(e.value) for e in _distinct(persons)], how
    if issuers and kind != "news-article":
        how["author"] = issuers[0].how
        return [organisation_name(issuers[0].value)], how
    return [], how


def _distinct(items: Iterable[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    out = []
    for item in items:
        folded = " ".join(item.value.casefold().split())
        if folded not in seen:
            seen.add(folded)
            out.append(item)
    return out


def _date(evidence: Evidence | None) -> PartialDate | None:
    if evidence is None:
        return None
    try:
        return PartialDate.parse(evidence.value)
    except ModelError:
        return None


def _ascii_word(text: str) -> str:
    folded = "".join(_CYRILLIC.get(c, c) for c in text.casefold())
    folded = unicodedata.normalize("NFKD", folded)
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode("ascii"))


def key_stem(authors: Iterable[Name], title: str | None) -> str:
    """The author part of a new key: family name, organisation abbreviation or initials."""
    for name in authors:
        if name.literal is not None:
            if name.abbreviation:
                return _ascii_word(name.abbreviation)
            words = [w for w in re.findall(r"\w+", name.literal) if w[:1].isupper()]
            initials = _ascii_word("".join(w[0] for w in words))
            if len(initials) >= 2:
                return initials
            return _ascii_word(name.literal)[:12]
        stem = _ascii_word(name.family or "")
        if stem:
            return stem
    words = [_ascii_word(w) for w in re.findall(r"\w+", title or "")]
    return next((w for w in words if len(w) > 3), "source")


def new_key(stem: str, year: int | None, taken: Collection[str]) -> str:
    """``stem + year``, with a, b, c … appended when that key is taken."""
    base = f"{stem or 'source'}{year if year is not None else 'nd'}"
    return base if base not in taken else suffixed(base, taken)


def suffixed(key: str, taken: Collection[str]) -> str:
    """``key`` with a, b, c … (then -2, -3 …) appended: the first one not taken."""
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if key + letter not in taken:
            return key + letter
    number = 2
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"


def build_source(
    document: Document,
    *,
    provenance: Provenance,
    taken: Collection[str] = (),
    key: str | None = None,
    kind: str | None = None,
    where: str = "<capture>",
    edited: Collection[str] = (),
) -> tuple[Source | None, list[Finding]]:
    """A record for one document, with findings on guessed and missing fields.

    The record is None (and a PC305 finding says why) when the kind's required fields
    were not found.
    ``kind`` and ``key`` override the extracted kind and the generated key; ``taken`` are
    the keys already in the library (a new key never reuses one). ``edited`` names fields
    the user corrected in the record: they are not reported as guessed.
    """
    kind_evidence = document.first("kind")
    kind = kind or (kind_evidence.value if kind_evidence else DEFAULT_KIND)
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}", place="--kind")
    authors, how = _names(document, kind)
    fields: dict[str, object] = {"kind": kind, "authors": authors}
    for name in ("title", "language", "number", "event-title", "event-place"):
        found = document.first(name)
        if found is not None:
            how[name] = found.how
            fields[name.replace("-", "_")] = found.value
    for name in ("issued", "event-date"):
        found = document.first(name)
        fields[name.replace("-", "_")] = value = _date(found)
        if found is not None and value is not None:
            how[name] = found.how
    _dateline_fields(document, kind, fields, how)
    _page_fields(document, kind, fields, how)
    site = document.first("site")
    if site is not None and not _names_site(authors, site.value):
        # The site is the outlet of a news article, the host of a speech, the site name of
        # other pages (dropped on rendering where it repeats the author, as APA asks).
        target = "publisher" if kind in {"speech", "report"} else "container_title"
        fields[target] = site.value
        how["site"] = site.how
    if (canonical := document.first("url")) is not None:
        how["url"] = canonical.how
    if kind_evidence is not None and kind == kind_evidence.value:
        how["kind"] = kind_evidence.how
    source_key = key or new_key(key_stem(authors, document.value("title")), _year(fields), taken)
    place = Location(where, key=source_key)
    findings = _review(document, {k: v for k, v in how.items() if k not in edited}, place)
    try:
        source = Source(
            key=source_key,
            provenance=attrs.evolve(provenance, extracted=how),
            **fields,  # type: ignore[arg-type]
        )
    except ModelError as err:
        findings.append(
            Finding(
                "PC305",
                f"no record made: {err.message}",
                location=attrs.evolve(place, field=err.field),
                hint=_hint(err.field),
            )
        )
        return None, findings
    for name, label in (("title", "title"), ("issued", "date")):
        if name not in how:
            findings.append(
                Finding(
                    "PC305",
                    f"no {label} found; APA will print "
                    + ("the title in its place" if name == "title" else "(n.d.)"),
                    location=attrs.evolve(place, field=name),
                    hint=_hint(name),
                )
            )
    return source, findings


def _dateline_fields(
    document: Document, kind: str, fields: dict[str, object], how: dict[str, str]
) -> None:
    """Genre, delivery status and dateline place, where the kind has room for them."""
    genre = document.first("genre")
    if genre is not None:
        fields["genre"], how["genre"] = genre.value, genre.how
    delivery = document.first("delivery")
    if delivery is not None and kind == "speech" and delivery.value in TRANSCRIPT_GENRES:
        # APA: "[Speech transcript, as prepared for delivery]"; CSL custom carries it.
        fields["transcript"], how["transcript"] = delivery.value, delivery.how
    place = document.first("place")
    if place is None:
        return
    if kind == "speech":
        if "event_place" not in fields:
            fields["event_place"], how["event-place"] = place.value, place.how
    else:
        fields["publisher_place"], how["publisher-place"] = place.value, place.how


def _page_fields(
    document: Document, kind: str, fields: dict[str, object], how: dict[str, str]
) -> None:
    """``changes`` (APA's retrieval date) and a news article's ``container_type``."""
    changes = document.first("changes")
    if changes is not None and (kind in CHANGING_KINDS or changes.how == USER_GIVEN):
        fields["changes"], how["changes"] = _YES[changes.value.strip().casefold()], changes.how
    container = document.first("container-type")
    if container is not None and kind == "news-article":
        fields["container_type"], how["container-type"] = container.value, container.how


def field_values(source: Source) -> dict[str, object]:
    """The value of each field provenance can name, to tell what a user changed.

    Shared with :mod:`policycite.zotero.importer`, which keeps hand edits by the same rule.
    """
    return {
        "kind": source.kind,
        "title": source.title,
        "author": source.authors,
        "issued": source.issued,
        "site": source.container_title or source.publisher,
        "url": source.url,
        "language": source.language,
        "event-title": source.event_title,
        "event-place": source.event_place,
        "event-date": source.event_date,
        "number": source.number,
        "genre": source.genre,
        "transcript": source.transcript,
        "publisher-place": source.publisher_place,
        "changes": source.changes,
        "container-type": source.container_type,
    }


def hand_edits(stored: Source, fresh: Source) -> list[str]:
    """Fields capture filled in ``stored`` that now differ from what it finds (``fresh``).

    The user corrected them in the record file; fields given with ``--set`` or already
    marked are not counted.
    """
    before, now = field_values(stored), field_values(fresh)
    return [
        name
        for name, how in stored.provenance.extracted.items()
        if how not in {USER_GIVEN, HAND_EDITED} and name in now and before[name] != now[name]
    ]


def mark_hand_edits(stored: Source, fields: Iterable[str]) -> Source:
    """The stored record with provenance saying these fields were edited by hand."""
    extracted = dict(stored.provenance.extracted)
    extracted.update(dict.fromkeys(fields, HAND_EDITED))
    if extracted == dict(stored.provenance.extracted):
        return stored
    return attrs.evolve(stored, provenance=attrs.evolve(stored.provenance, extracted=extracted))


def _names_site(authors: Iterable[Name], site: str) -> bool:
    """True when a group author already names the site (APA drops the repetition)."""
    folded = " ".join(site.casefold().split())
    for name in authors:
        if name.literal is not None:
            literal = " ".join(name.literal.casefold().split())
            if folded in literal or folded == (name.abbreviation or "").casefold():
                return True
    return False


def _year(fields: Mapping[str, object]) -> int | None:
    issued = fields.get("issued")
    return issued.year if isinstance(issued, PartialDate) else None


def _hint(field: str | None) -> str:
    target = {"author": "issuer", "container-title": "site"}.get(field or "", field or "title")
    if field == "author":
        return "give it with --set issuer=NAME (or --set speaker=NAME for a speech)"
    return f"give it with --set {target}=VALUE"


def _review(document: Document, how: Mapping[str, str], place: Location) -> list[Finding]:
    guessed = sorted(
        name
        for name, items in document.fields.items()
        if items and items[0].heuristic and (name in how or name in {"speaker", "issuer"})
    )
    if not guessed:
        return []
    return [
        Finding(
            "PC304",
            "found by heuristics on the text, review before citing: " + ", ".join(guessed),
            location=place,
        )
    ]


__all__ = [
    "DEFAULT_KIND",
    "HAND_EDITED",
    "USER_GIVEN",
    "apply_overrides",
    "build_source",
    "hand_edits",
    "key_stem",
    "mark_hand_edits",
    "new_key",
    "organisation_name",
    "person_name",
    "suffixed",
]
