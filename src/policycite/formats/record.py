"""Source <-> plain dicts: the library's record form and the CSL-JSON form (the pivot).

Two dict shapes, one reader:

* **record form** (library YAML files): CSL variable names, ``kind`` instead of CSL
  ``type``, dates as text (``2020-05-13``), organisation abbreviations inline, and
  policycite's own data (provenance, anchors) under ``custom``.
* **CSL form** (CSL-JSON/CSL-YAML): valid CSL 1.0.2 input that any processor renders as
  policycite does. The style rules of :func:`_csl_view` (genre from the kind, translated
  title in brackets, publisher dropped when it is the author) are applied, and whatever
  they changed is kept in ``custom.record`` so that reading the item back gives the very
  same source.

:func:`source_from_dict` reads both, and CSL items from other tools (Zotero, pandoc),
whose kind is guessed from type and genre. Structural problems raise ModelError naming
the field; unknown fields become findings and are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from policycite.errors import ModelError
from policycite.findings import Finding, Location
from policycite.kinds import (
    CONTAINER_TYPES,
    CSL_TYPES,
    CSL_VARIABLES,
    DATE_VARIABLES,
    KINDS,
    NAME_VARIABLES,
    kind_for_csl,
)
from policycite.model import (
    AnchorStatus,
    CaptureMethod,
    Derivation,
    Name,
    PartialDate,
    Provenance,
    QuoteAnchor,
    Source,
)

Record = dict[str, Any]
Locate = Callable[[str | None], Location]

# Source attribute <-> CSL variable, for the plain text fields.
_TEXT_FIELDS = (
    ("title", "title"),
    ("translated_title", "translated-title"),
    ("genre", "genre"),
    ("container_title", "container-title"),
    ("section", "section"),
    ("publisher", "publisher"),
    ("publisher_place", "publisher-place"),
    ("event_title", "event-title"),
    ("event_place", "event-place"),
    ("number", "number"),
    ("language", "language"),
)
# The order variables are written in: what a reader looks for first comes first.
_FIELD_ORDER = (
    ("title", "title"),
    ("translated_title", "translated-title"),
    ("authors", "author"),
    ("issued", "issued"),
    *_TEXT_FIELDS[2:7],
    ("event_title", "event-title"),
    ("event_place", "event-place"),
    ("event_date", "event-date"),
    ("number", "number"),
    ("language", "language"),
)
_OWN_CUSTOM = frozenset(
    {"kind", "provenance", "anchors", "abbreviations", "transcript", "record", "transliteration"}
    | {"changes", "container-type"}
)
_NAME_KEYS = {
    "family": "family",
    "given": "given",
    "literal": "literal",
    "non-dropping-particle": "non_dropping_particle",
    "dropping-particle": "dropping_particle",
    "suffix": "suffix",
}
_SEASON_NAMES = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


# ---------------------------------------------------------------------------------------
# Reading


def _expect(field: str, value: Any, kinds: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise ModelError(f"expected {what}, got {_describe(value)}", field=field)
    return value


def _describe(value: Any) -> str:
    names = {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


#: Modelled variables the CSL schema lets be numbers; they are kept as text.
_NUMERIC = frozenset({"number"})


def _text(field: str, value: Any) -> str:
    if field in _NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return str(_expect(field, value, str, "text"))


def _name(field: str, value: Any, abbreviations: Mapping[str, str]) -> Name:
    data = _expect(field, value, dict, "a name (family/given or literal)")
    unknown = set(data) - set(_NAME_KEYS) - {"abbreviation"}
    if unknown:
        raise ModelError(f"unknown name part(s): {', '.join(sorted(unknown))}", field=field)
    parts: dict[str, Any] = {
        _NAME_KEYS[k]: _text(f"{field}.{k}", v) for k, v in data.items() if k in _NAME_KEYS
    }
    abbreviation = data.get("abbreviation")
    if abbreviation is None and "literal" in parts:
        abbreviation = abbreviations.get(parts["literal"])
    try:
        return Name(**parts, abbreviation=abbreviation)
    except ModelError as err:
        raise ModelError(err.message, field=field) from None


def _names(field: str, value: Any, abbreviations: Mapping[str, str]) -> tuple[Name, ...]:
    items = _expect(field, value, list, "a list of names")
    return tuple(_name(f"{field}[{i}]", item, abbreviations) for i, item in enumerate(items))


def names_from_csl(field: str, value: Any) -> tuple[Name, ...]:
    """CSL-JSON names (a list of ``{family, given}`` or ``{literal}``) as Name values."""
    return _names(field, value, {})


def date_from_csl(field: str, value: Any) -> PartialDate | None:
    """A CSL-JSON date (object, EDTF text or year) as a PartialDate; None for n.d."""
    return _date(field, value)


def _season_number(field: str, season: Any) -> int:
    """A CSL season given as a number (1-4; "spring" and the like are looked up before)."""
    try:
        return int(season)
    except (TypeError, ValueError, OverflowError):
        raise ModelError(
            f"season must be 1-4 or spring/summer/autumn/winter, got {season!r}",
            field=f"{field}.season",
        ) from None


def _date_parts(field: str, parts: Any) -> PartialDate:
    values = _expect(field, parts, list, "date parts [year, month, day]")
    if not 1 <= len(values) <= 3:
        raise ModelError("date parts need 1 to 3 numbers", field=field)
    try:
        numbers = [int(v) for v in values]
    except (TypeError, ValueError, OverflowError):  # OverflowError: inf, 1e400
        raise ModelError(f"date parts must be numbers, got {values!r}", field=field) from None
    numbers += [None] * (3 - len(numbers))  # type: ignore[list-item]
    return PartialDate(numbers[0], numbers[1], numbers[2])


def _date(field: str, value: Any) -> PartialDate | None:
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return PartialDate(value)
        if isinstance(value, str):
            if value.strip().lower() in {"n.d.", "nd", "no date", ""}:
                return None
            return PartialDate.parse(value)
        data = _expect(field, value, dict, "a date (YYYY-MM-DD text or CSL date object)")
        if "date-parts" in data:
            ranges = _expect(f"{field}.date-parts", data["date-parts"], list, "a list")
            if not ranges or len(ranges) > 2:
                raise ModelError("date-parts needs one date or two (a range)", field=field)
            start = _date_parts(f"{field}.date-parts[0]", ranges[0])
            if len(ranges) == 2:
                start = PartialDate(
                    start.year,
                    start.month,
                    start.day,
                    end=_date_parts(f"{field}.date-parts[1]", ranges[1]),
                )
            season = data.get("season")
            if season is not None:
                season = _SEASON_NAMES.get(str(season).lower()) or _season_number(field, season)
                start = PartialDate(start.year, season=season, end=start.end)
            circa = data.get("circa")
            if circa:
                start = PartialDate(
                    start.year, start.month, start.day, start.season, circa=True, end=start.end
                )
            return start
        for key in ("edtf", "raw"):
            if key in data:
                # citeproc-py ignores raw dates; parse them here so they are not lost.
                try:
                    return PartialDate.parse(_text(f"{field}.{key}", data[key]))
                except ModelError:
                    return PartialDate(literal=_text(f"{field}.{key}", data[key]))
        if "literal" in data:
            return PartialDate(literal=_text(f"{field}.literal", data["literal"]))
        raise ModelError("a date object needs date-parts, literal or raw", field=field)
    except ModelError as err:
        raise ModelError(err.message, field=err.field if err.field != "date" else field) from None


def _provenance(data: Mapping[str, Any], custom: Mapping[str, Any]) -> Provenance:
    raw = _expect("custom.provenance", custom.get("provenance", {}), dict, "a mapping")
    known = {
        "archive-url",
        "archive-date",
        "content-sha256",
        "captured-at",
        "method",
        "derived-from",
        "extracted",
        "transliteration",
        "aliases",
    }
    stray = set(raw) - known
    if stray:
        raise ModelError(
            f"unknown provenance field(s): {', '.join(sorted(stray))}", field="custom.provenance"
        )
    derived = _expect(
        "custom.provenance.derived-from",
        raw.get("derived-from", []),
        list,
        "a list of {key, relation}",
    )
    try:
        return Provenance(
            url=_text("URL", data["URL"]) if data.get("URL") is not None else None,
            accessed=_date("accessed", data["accessed"]) if "accessed" in data else None,
            archive_url=raw.get("archive-url"),
            archive_date=(
                _date("custom.provenance.archive-date", raw["archive-date"])
                if "archive-date" in raw
                else None
            ),
            content_sha256=raw.get("content-sha256"),
            captured_at=(
                _text("custom.provenance.captured-at", raw["captured-at"])
                if "captured-at" in raw
                else None
            ),
            method=raw.get("method", CaptureMethod.MANUAL.value),
            extracted=_expect(
                "custom.provenance.extracted", raw.get("extracted", {}), dict, "a mapping"
            ),
            transliteration=(
                _text("custom.provenance.transliteration", raw["transliteration"])
                if raw.get("transliteration") is not None
                else None
            ),
            aliases=_expect(
                "custom.provenance.aliases", raw.get("aliases", []), list, "a list of identifiers"
            ),
            derived_from=tuple(
                Derivation(
                    key=_text("custom.provenance.derived-from.key", d.get("key")),
                    relation=d.get("relation", "relays"),
                )
                for d in (
                    _expect("custom.provenance.derived-from", d, dict, "{key, relation}")
                    for d in derived
                )
            ),
        )
    except ValueError as err:  # an unknown method or relation (enum), or a ModelError
        if isinstance(err, ModelError):
            raise
        raise ModelError(str(err), field="custom.provenance") from None


_ANCHOR_KEYS = {
    "exact": "exact",
    "prefix": "prefix",
    "suffix": "suffix",
    "start": "start",
    "end": "end",
    "paragraph": "paragraph",
    "section": "section",
    "snapshot": "snapshot_sha256",
    "status": "status",
    "score": "score",
    "quote": "quote",
}


def _anchors(custom: Mapping[str, Any]) -> tuple[QuoteAnchor, ...]:
    items = _expect("custom.anchors", custom.get("anchors", []), list, "a list of anchors")
    anchors = []
    for i, item in enumerate(items):
        field = f"custom.anchors[{i}]"
        data = _expect(field, item, dict, "an anchor {exact, prefix, suffix, ...}")
        stray = set(data) - set(_ANCHOR_KEYS)
        if stray:
            raise ModelError(f"unknown anchor field(s): {', '.join(sorted(stray))}", field=field)
        if "exact" not in data:
            raise ModelError("an anchor needs 'exact' (the quoted text)", field=field)
        for k in ("exact", "prefix", "suffix", "section", "snapshot", "quote"):
            if k in data and data[k] is not None:
                _expect(f"{field}.{k}", data[k], str, "text")
        for k in ("start", "end", "paragraph"):
            if k in data and data[k] is not None:
                _expect(f"{field}.{k}", data[k], int, "a whole number")
        if data.get("score") is not None:
            _expect(f"{field}.score", data["score"], (int, float), "a number")
        try:
            anchors.append(QuoteAnchor(**{_ANCHOR_KEYS[k]: v for k, v in data.items()}))
        except ModelError as err:
            raise ModelError(err.message, field=field) from None
        except ValueError:
            raise ModelError(
                f"unknown anchor status {data.get('status')!r}; known: "
                f"{', '.join(s.value for s in AnchorStatus)}",
                field=field,
            ) from None
    return tuple(anchors)


def _check_extra(field: str, value: Any) -> Any:
    """Light shape check of a CSL variable that Source keeps as a raw CSL value."""
    if field in NAME_VARIABLES:
        _names(field, value, {})
    elif field in DATE_VARIABLES:
        _date(field, value)
    elif field == "categories":
        for i, v in enumerate(_expect(field, value, list, "a list of text")):
            _expect(f"{field}[{i}]", v, str, "text")
    elif not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ModelError(f"expected text or a number, got {_describe(value)}", field=field)
    return value


def source_from_dict(
    data: Mapping[str, Any], locate: Locate | None = None
) -> tuple[Source, list[Finding]]:
    """Read one record (record form, CSL form, or a foreign CSL item) into a Source.

    Returns the source and findings (unknown fields). Raises ModelError naming the field
    when the record cannot be a source. ``locate`` maps a field name to the place it
    stands (file, line) for the findings.
    """
    record = _expect("record", data, dict, "a mapping of fields")
    custom = dict(_expect("custom", record.get("custom") or {}, dict, "a mapping"))
    overrides = _expect("custom.record", custom.get("record", {}), dict, "a mapping")
    if overrides:  # undo the style rules applied on CSL export (see _csl_view)
        record = dict(record)
        for k, v in overrides.items():
            if v is None and k not in record and k not in CSL_VARIABLES:
                record[k] = None  # an unknown field whose value is null (see source_to_csl)
            elif v is None:
                record.pop(k, None)
            else:
                record[k] = v
    if "event" in record and "event-title" not in record:
        record = {("event-title" if k == "event" else k): v for k, v in record.items()}

    if "id" not in record or record["id"] in (None, ""):
        raise ModelError("a record needs an 'id' (its citation key)", field="id")
    key = _text("id", record["id"])
    kind, csl_type, genre = _kind_of(record, custom)
    abbreviations = _expect(
        "custom.abbreviations", custom.get("abbreviations", {}), dict, "a mapping"
    )

    fields: dict[str, Any] = {"key": key, "kind": kind, "csl_type": csl_type}
    for attr, var in _TEXT_FIELDS:
        if record.get(var) is not None:
            fields[attr] = _text(var, record[var])
    if "genre" in fields or genre is not None:
        fields["genre"] = genre
    _authors(record, custom, abbreviations, fields)
    for attr, var in (("issued", "issued"), ("event_date", "event-date")):
        if record.get(var) is not None:
            fields[attr] = _date(var, record[var])
    _own_fields(custom, fields)
    fields["provenance"] = _provenance(record, custom)
    fields["anchors"] = _anchors(custom)

    modelled = {var for _, var in _TEXT_FIELDS} | {
        "id",
        "kind",
        "type",
        "custom",
        "author",
        "issued",
        "event-date",
        "URL",
        "accessed",
    }
    extra: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    findings: list[Finding] = []
    for k, v in record.items():
        if k in modelled:
            continue
        if k in CSL_VARIABLES:
            extra[k] = _check_extra(k, v)
        else:
            unknown[k] = v
            where = locate(k) if locate else Location()
            findings.append(
                Finding(
                    "PC001",
                    f"unknown field {k!r} is kept as it is",
                    location=Location(where.path, where.line, where.column, key, k),
                    hint="use a CSL variable name, or move the value under 'custom'",
                )
            )
    fields["extra"] = extra
    fields["unknown"] = unknown
    fields["custom"] = {k: v for k, v in custom.items() if k not in _OWN_CUSTOM}
    try:
        return Source(**fields), findings
    except ModelError as err:
        raise ModelError(err.message, field=err.field) from None  # the caller names the record


def _own_fields(custom: Mapping[str, Any], fields: dict[str, Any]) -> None:
    """Source fields policycite keeps under ``custom``: transcript, changes, container type."""
    if custom.get("transcript") is not None:
        fields["transcript"] = _text("custom.transcript", custom["transcript"])
    if custom.get("changes") is not None:
        if not isinstance(custom["changes"], bool):
            raise ModelError(
                f"expected true or false, got {_describe(custom['changes'])}",
                field="custom.changes",
            )
        fields["changes"] = custom["changes"]
    if custom.get("container-type") is not None:
        container = _text("custom.container-type", custom["container-type"])
        fields["container_type"] = container
        if fields.get("csl_type") == CONTAINER_TYPES.get(container):
            fields["csl_type"] = None  # the type the container gives (see source_to_csl)


def _authors(
    record: Mapping[str, Any],
    custom: Mapping[str, Any],
    abbreviations: Mapping[str, str],
    fields: dict[str, Any],
) -> None:
    """Read the authors and ``custom.transliteration`` (romanised title and names).

    ``custom.transliteration.author`` is a list aligned with the record's authors: a name
    in the Latin alphabet for each, or null for a name that needs none.
    """
    if "author" in record:
        fields["authors"] = _names("author", record["author"], abbreviations)
    field = "custom.transliteration"
    data = _expect(field, custom.get("transliteration") or {}, dict, "a mapping")
    stray = set(data) - {"title", "author"}
    if stray:
        raise ModelError(f"unknown field(s): {', '.join(sorted(stray))}", field=field)
    if data.get("title") is not None:
        fields["title_transliterated"] = _text(f"{field}.title", data["title"])
    if data.get("author") is None:
        return
    items = _expect(f"{field}.author", data["author"], list, "a list of names (or null)")
    authors = fields.get("authors", ())
    if len(items) != len(authors):
        raise ModelError(
            f"{len(items)} transliterated name(s) for {len(authors)} author(s): give one "
            "for each author, null where the name needs none",
            field=f"{field}.author",
        )
    names = []
    for i, (name, item) in enumerate(zip(authors, items, strict=True)):
        where = f"{field}.author[{i}]"
        latin = None if item is None else _name(where, item, {})
        try:
            names.append(attrs.evolve(name, transliterated=latin))
        except ModelError as err:
            raise ModelError(err.message, field=where) from None
    fields["authors"] = tuple(names)


def _kind_of(
    record: Mapping[str, Any], custom: Mapping[str, Any]
) -> tuple[str, str | None, str | None]:
    """Return (kind, CSL type override, genre to store) for a record or CSL item."""
    genre = record.get("genre")
    genre = _text("genre", genre) if genre is not None else None
    csl_type = record.get("type")
    if csl_type is not None:
        csl_type = _text("type", csl_type)
        if csl_type not in CSL_TYPES:
            raise ModelError(f"{csl_type!r} is not a CSL type", field="type")
    kind = record.get("kind", custom.get("kind"))
    if kind is not None:
        kind = _text("kind", kind)
        if kind not in KINDS:
            raise ModelError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}", field="kind")
    elif csl_type is not None:
        spec = kind_for_csl(csl_type, genre)
        kind = spec.name
        if genre is not None and spec.genre and genre.casefold() == spec.genre.casefold():
            genre = None  # implied by the kind
        if spec.genre is not None and csl_type == "report":
            # The genre made it a press release or statement, filed as a report (Zotero's
            # way: Report + Report Type "Press release"). The type only stood in for one
            # CSL lacks, and kept it would make APA print the year alone, not the
            # release's full date. (A web page or document type prints the date: kept.)
            csl_type = None
    else:
        raise ModelError("a record needs a 'kind' (or a CSL 'type')", field="kind")
    spec = KINDS[kind]
    if csl_type == spec.csl_type:
        csl_type = None
    return kind, csl_type, genre


# ---------------------------------------------------------------------------------------
# Writing


def _name_dict(name: Name, *, with_abbreviation: bool) -> dict[str, str]:
    out = {var: getattr(name, attr) for var, attr in _NAME_KEYS.items()}
    if with_abbreviation:
        out["abbreviation"] = name.abbreviation
    return {k: v for k, v in out.items() if v is not None}


def _date_text(date: PartialDate) -> str | dict[str, str]:
    iso = date.iso()
    return iso if iso is not None else {"literal": str(date.literal)}


def _date_csl(date: PartialDate) -> dict[str, Any]:
    if date.literal is not None:
        return {"literal": date.literal}

    def parts(d: PartialDate) -> list[int]:
        return [p for p in (d.year, d.month, d.day) if p is not None]

    out: dict[str, Any] = {"date-parts": [parts(date)]}
    if date.end is not None:
        out["date-parts"].append(parts(date.end))
    if date.season is not None:
        out["season"] = date.season
    if date.circa:
        out["circa"] = True
    return out


def _custom(source: Source, *, csl: bool) -> dict[str, Any]:
    prov = source.provenance
    provenance: dict[str, Any] = {}
    if prov.archive_url:
        provenance["archive-url"] = prov.archive_url
    if prov.archive_date:
        provenance["archive-date"] = prov.archive_date.iso()
    if prov.content_sha256:
        provenance["content-sha256"] = prov.content_sha256
    if prov.captured_at:
        provenance["captured-at"] = prov.captured_at
    if prov.method is not CaptureMethod.MANUAL:
        provenance["method"] = prov.method.value
    if prov.derived_from:
        provenance["derived-from"] = [
            {"key": d.key, "relation": d.relation.value} for d in prov.derived_from
        ]
    if prov.extracted:
        provenance["extracted"] = dict(prov.extracted)
    if prov.transliteration:
        provenance["transliteration"] = prov.transliteration
    if prov.aliases:
        provenance["aliases"] = list(prov.aliases)
    out: dict[str, Any] = {}
    if csl:
        out["kind"] = source.kind
        abbreviations = {n.literal: n.abbreviation for n in source.authors if n.abbreviation}
        if abbreviations:
            out["abbreviations"] = abbreviations
    if source.transcript:
        out["transcript"] = source.transcript
    transliteration = transliteration_record(source)
    if transliteration:
        out["transliteration"] = transliteration
    out.update(page_fields(source))
    if provenance:
        out["provenance"] = provenance
    if source.anchors:
        out["anchors"] = [anchor_record(a) for a in source.anchors]
    out.update(source.custom)
    return out


def page_fields(source: Source) -> dict[str, Any]:
    """``changes`` and ``container-type`` as stored under ``custom`` (unset ones left out)."""
    out: dict[str, Any] = {}
    if source.changes is not None:
        out["changes"] = source.changes
    if source.container_type is not None:
        out["container-type"] = source.container_type
    return out


def transliteration_record(source: Source) -> dict[str, Any]:
    """``custom.transliteration`` of a source (empty when it has none)."""
    out: dict[str, Any] = {}
    if source.title_transliterated:
        out["title"] = source.title_transliterated
    if any(n.transliterated for n in source.authors):
        out["author"] = [
            _name_dict(n.transliterated, with_abbreviation=False) if n.transliterated else None
            for n in source.authors
        ]
    return out


def anchor_record(anchor: QuoteAnchor) -> dict[str, Any]:
    """An anchor as stored under ``custom.anchors`` (empty and unverified values left out)."""
    out: dict[str, Any] = {}
    for key, attr in _ANCHOR_KEYS.items():
        value = getattr(anchor, attr)
        if key == "status":
            value = None if value is AnchorStatus.UNVERIFIED else value.value
        if value not in (None, ""):
            out[key] = value
    return out


def _fields(source: Source, *, csl: bool) -> Record:
    """The source's CSL variables in canonical order, dates and names in either form."""

    def date(value: PartialDate) -> Any:
        return _date_csl(value) if csl else _date_text(value)

    out: Record = {}
    for attr, var in _FIELD_ORDER:
        value = getattr(source, attr)
        if value is None or value == ():
            continue
        if attr == "authors":
            value = [_name_dict(n, with_abbreviation=not csl) for n in value]
        elif isinstance(value, PartialDate):
            value = date(value)
        out[var] = value
    if source.provenance.url:
        out["URL"] = source.provenance.url
    if source.provenance.accessed:
        out["accessed"] = date(source.provenance.accessed)
    out.update(source.extra)
    return out


def source_to_record(source: Source) -> Record:
    """The record form of a source: what a library YAML file holds."""
    out: Record = {"id": source.key, "kind": source.kind}
    if source.csl_type:
        out["type"] = source.csl_type
    out.update(_fields(source, csl=False))
    out.update(source.unknown)
    custom = _custom(source, csl=False)
    if custom:
        out["custom"] = custom
    return out


def same_name(a: str | None, b: str | None) -> bool:
    """True when two names are the same but for letter case and spacing."""
    if a is None or b is None:
        return False
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _csl_view(source: Source, natural: Record) -> Record:
    """Apply policycite's style rules to the CSL variables of a source.

    The rules: date variables as CSL date objects, the kind's genre, the translated
    title in brackets, hidden variables left out, the publisher or site name dropped
    where it repeats the author, and a speech's original date (:func:`_date_speech`).
    They make every CSL processor print what APA 7 wants for policy sources; each is
    undone on import through ``custom.record``.
    """
    view = dict(natural)
    for var in DATE_VARIABLES & source.extra.keys():
        # A date variable Source keeps raw (original-date, submitted …) may be written in
        # any form the reader takes ('1900', '2020-21', {raw: …}); CSL processors read
        # only date objects (citeproc-py raised on the text), so it goes out as one.
        date = _date(var, source.extra[var])
        if date is None:
            del view[var]
        elif _date_csl(date) != source.extra[var]:  # an equal object keeps its key order
            view[var] = _date_csl(date)
    genre = source.effective_genre
    if genre is not None:
        view["genre"] = genre
    # APA (Manual 9.38-9.39), Chicago and MLA print a title in a non-Latin script
    # transliterated, and names romanised: the Latin forms stand in for the originals.
    title = source.title_transliterated or source.title
    if source.title_transliterated:
        view["title"] = title
    if any(n.transliterated for n in source.authors):
        view["author"] = [
            _name_dict(n.transliterated or n, with_abbreviation=False) for n in source.authors
        ]
    if source.translated_title and source.title:
        # APA, Chicago and MLA all give the original title, then the English one in brackets.
        view["title"] = f"{title} [{source.translated_title}]"
    for hidden in source.spec.hidden:
        view.pop(hidden, None)
    authors = [n.literal for n in source.authors if n.literal]
    for var in source.spec.omit_if_author:
        value = view.get(var)
        if isinstance(value, str) and any(same_name(a, value) for a in authors):
            del view[var]
    if source.kind == "speech":
        _date_speech(source, view)
    return view


def _date_speech(source: Source, view: Record) -> None:
    """Give a speech the dates APA's transcript form asks for.

    ``issued`` is the date of the page (the transcript), ``event-date`` that of the speech.
    APA dates a transcript by the transcript and names the speech's year only when it is
    earlier: "Bryan, W. J. (2010). *Against imperialism* [Speech transcript]. American
    Rhetoric. (Original work published 1900)", cited (Bryan, 1900/2010). So a transcript
    published in a later year than the speech gives the speech's date as ``original-date``;
    an undated page of a dated speech takes the speech's date rather than "n.d.". A record
    with its own ``original-date`` is left as it is.
    """
    given, page = source.event_date, source.issued
    if given is None or given.year is None or "original-date" in view:
        return
    if page is None:
        view["issued"] = _date_csl(given)
    elif page.year is not None and page.year > given.year:
        view["original-date"] = _date_csl(given)


def source_to_csl(source: Source) -> Record:
    """The CSL form of a source: a valid CSL-JSON item that renders as policycite does."""
    natural = _fields(source, csl=True)
    view = _csl_view(source, natural)
    keys = [*natural, *(k for k in view if k not in natural)]
    overrides = {k: natural.get(k) for k in keys if natural.get(k) != view.get(k)}
    overrides.update(source.unknown)  # CSL has no place for them but custom
    if "event-title" in view:
        # The CSL-JSON schema and older processors know the CSL 1.0.1 name only.
        view = {("event" if k == "event-title" else k): v for k, v in view.items()}
    out: Record = {"id": source.key, "type": source.rendered_csl_type}
    out.update(view)
    custom = _custom(source, csl=True)
    if overrides:
        custom["record"] = overrides
    out["custom"] = custom
    return out
