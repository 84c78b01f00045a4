"""One Zotero item (the Zotero API's JSON ``data`` object) -> one policycite Source.

The one place that decides what a Zotero item type and field mean for policycite: a
``report`` whose report type says "Press release" is a press release (with its full date,
which APA prints and ``apa.csl`` would cut to the year for a CSL ``report``), a
``presentation`` is a speech whose presenter is the speaker and whose meeting is the
event, a ``newspaperArticle`` a news article in its ``publicationTitle``. Field names
follow Zotero's own CSL mapping (``websiteTitle`` -> ``container-title``, ``institution``
-> ``publisher``, ``reportType`` -> ``genre``); lines of ``extra`` are read as Zotero and
Better BibTeX read them ("Citation Key: …", "original-date: …", "Type: …", CSL variables).

Nothing is dropped: Zotero fields with no CSL variable (``rights``, …), tags and ``extra``
lines that are not fields are kept under ``custom.zotero`` and CSL ``note``. The item's
URI (``http://zotero.org/users/<id>/items/<KEY>``) becomes a provenance alias, never a key.

No I/O: :mod:`policycite.zotero.sqlite` and the API client hand items in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from policycite.capture.cues import split_date
from policycite.capture.records import key_stem, new_key
from policycite.errors import ModelError
from policycite.findings import Finding, Location, finding_tuple
from policycite.formats.record import names_from_csl, source_from_dict
from policycite.kinds import (
    CSL_TYPES,
    CSL_VARIABLES,
    DATE_VARIABLES,
    KINDS,
    NAME_VARIABLES,
    kind_for_csl,
)
from policycite.model import CaptureMethod, PartialDate, Source

__all__ = [
    "Attachment",
    "ItemResult",
    "ZoteroItem",
    "citation_key_of",
    "item_uri",
    "parse_extra",
    "source_from_item",
]

#: The CSL type Zotero gives each item type (Zotero's schema, ``csl.types``), except that
#: ``document`` stays a CSL ``document`` (Zotero says ``article``), the type policycite's
#: document, statement and press-release kinds render as.
CSL_TYPE_OF: Mapping[str, str] = {
    "artwork": "graphic",
    "audioRecording": "song",
    "bill": "bill",
    "blogPost": "post-weblog",
    "book": "book",
    "bookSection": "chapter",
    "case": "legal_case",
    "computerProgram": "software",
    "conferencePaper": "paper-conference",
    "dataset": "dataset",
    "dictionaryEntry": "entry-dictionary",
    "document": "document",
    "email": "personal_communication",
    "encyclopediaArticle": "entry-encyclopedia",
    "film": "motion_picture",
    "forumPost": "post",
    "hearing": "hearing",
    "instantMessage": "personal_communication",
    "interview": "interview",
    "journalArticle": "article-journal",
    "letter": "personal_communication",
    "magazineArticle": "article-magazine",
    "manuscript": "manuscript",
    "map": "map",
    "newspaperArticle": "article-newspaper",
    "patent": "patent",
    "podcast": "song",
    "preprint": "article",
    "presentation": "speech",
    "radioBroadcast": "broadcast",
    "report": "report",
    "standard": "standard",
    "statute": "legislation",
    "thesis": "thesis",
    "tvBroadcast": "broadcast",
    "videoRecording": "motion_picture",
    "webpage": "webpage",
}

#: Item types whose kind is not the one their CSL type suggests.
_KIND_OF_TYPE = {
    "magazineArticle": "journal-article",  # APA cites magazines as periodicals, like journals
    "blogPost": "webpage",  # rendered as CSL post-weblog
    "presentation": "speech",
}

#: Zotero field (base and type-specific) -> CSL variable, after Zotero's schema.
_FIELD_VARIABLES: Mapping[str, str] = {
    "title": "title",
    "shortTitle": "title-short",
    "abstractNote": "abstract",
    "url": "URL",
    "DOI": "DOI",
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "language": "language",
    "publicationTitle": "container-title",
    "websiteTitle": "container-title",
    "blogTitle": "container-title",
    "forumTitle": "container-title",
    "bookTitle": "container-title",
    "proceedingsTitle": "container-title",
    "encyclopediaTitle": "container-title",
    "dictionaryTitle": "container-title",
    "programTitle": "container-title",
    "journalAbbreviation": "container-title-short",
    "publisher": "publisher",
    "institution": "publisher",
    "university": "publisher",
    "label": "publisher",
    "distributor": "publisher",
    "studio": "publisher",
    "company": "publisher",
    "network": "publisher",
    "place": "publisher-place",
    "meetingName": "event-title",
    "conferenceName": "event-title",
    "genre": "genre",
    "type": "genre",
    "reportType": "genre",
    "websiteType": "genre",
    "presentationType": "genre",
    "postType": "genre",
    "thesisType": "genre",
    "letterType": "genre",
    "manuscriptType": "genre",
    "mapType": "genre",
    "number": "number",
    "reportNumber": "number",
    "billNumber": "number",
    "documentNumber": "number",
    "patentNumber": "number",
    "episodeNumber": "number",
    "publicLawNumber": "number",
    "section": "section",
    "committee": "section",
    "edition": "edition",
    "volume": "volume",
    "codeVolume": "volume",
    "issue": "issue",
    "pages": "page",
    "codePages": "page",
    "numPages": "number-of-pages",
    "numberOfVolumes": "number-of-volumes",
    "series": "collection-title",
    "seriesTitle": "collection-title",
    "seriesNumber": "collection-number",
    "archive": "archive",
    "archiveLocation": "archive_location",
    "callNumber": "call-number",
    "libraryCatalog": "source",
    "medium": "medium",
    "artworkMedium": "medium",
    "interviewMedium": "medium",
    "audioRecordingFormat": "medium",
    "videoRecordingFormat": "medium",
    "runningTime": "dimensions",
    "artworkSize": "dimensions",
    "court": "authority",
    "legislativeBody": "authority",
    "issuingAuthority": "authority",
    "versionNumber": "version",
    "legalStatus": "status",
    "history": "references",
    "references": "references",
    "scale": "scale",
    "date": "issued",
    "dateDecided": "issued",
    "dateEnacted": "issued",
    "issueDate": "issued",
    "filingDate": "submitted",
    "accessDate": "accessed",
    "extra": "note",
}

#: Zotero creator type -> CSL name variable. The primary creator of each type (presenter,
#: podcaster, sponsor, interviewee …) is its CSL author, as in Zotero's CSL export.
_CREATOR_VARIABLES: Mapping[str, str] = {
    "author": "author",
    "presenter": "author",
    "podcaster": "author",
    "programmer": "author",
    "artist": "author",
    "sponsor": "author",
    "inventor": "author",
    "cartographer": "author",
    "interviewee": "author",
    "performer": "author",
    "director": "author",
    "contributor": "contributor",
    "editor": "editor",
    "seriesEditor": "collection-editor",
    "bookAuthor": "container-author",
    "reviewedAuthor": "reviewed-author",
    "translator": "translator",
    "interviewer": "interviewer",
    "recipient": "recipient",
    "composer": "composer",
    "producer": "producer",
    "castMember": "performer",
    "guest": "contributor",
    "wordsBy": "author",
    "cosponsor": "contributor",
    "counsel": "contributor",
    "attorneyAgent": "contributor",
}

#: Item-level keys of the API JSON that are sync bookkeeping or relations, not fields.
_NOT_FIELDS = frozenset(
    {
        "key",
        "version",
        "itemType",
        "creators",
        "tags",
        "collections",
        "relations",
        "dateAdded",
        "dateModified",
        "parentItem",
        "deleted",
        "inPublications",
        "citationKey",
    }
)

#: Presentation types that are speeches (the presenter is the speaker, not a paper's author).
_SPEECH_TYPES = re.compile(
    r"^(?:speech|address|remarks|keynote|lecture|statement|talk|oration|sermon|"
    r"(?:opening|closing|keynote|welcome|policy) (?:speech|address|remarks|statement))\b",
    re.IGNORECASE,
)
_PRESS_RELEASE = re.compile(r"\b(?:press|news|media) release\b", re.IGNORECASE)
_EXTRA_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*:\s*(.*?)\s*$")
# Zotero 4 wrote CSL variables in extra as "{:original-date: 1900}".
_OLD_EXTRA = re.compile(r"^\s*\{:([a-zA-Z-]+):\s*(.*?)\s*\}\s*$")


@attrs.frozen
class Attachment:
    """An HTML snapshot Zotero saved of an item's page (an ``imported_url`` attachment)."""

    data: bytes = attrs.field(repr=False)
    name: str  # where it was read, for messages (storage/ABCD2345/page.html)
    url: str | None = None  # the page the snapshot was taken of
    accessed: PartialDate | None = None  # the attachment's access date
    captured_at: str | None = None  # ISO 8601 with zone: when Zotero saved it
    media_type: str = "text/html"


@attrs.frozen
class ZoteroItem:
    """One item as any Zotero reader delivers it, ready for :func:`source_from_item`.

    ``data`` is the API's ``data`` object; ``uri`` the item's Zotero URI; ``citation_key``
    a Better BibTeX key from outside the item (its ``better-bibtex.sqlite``);
    ``problems`` what the reader met (an unreadable snapshot), reported with the item.
    """

    data: Mapping[str, Any]
    uri: str | None = None
    citation_key: str | None = None
    snapshot: Attachment | None = None
    where: str = "<zotero>"
    problems: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


@attrs.frozen
class ItemResult:
    """The source made of an item (None when none could be) and what the mapping found."""

    source: Source | None
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


def item_uri(
    key: str,
    *,
    user_id: int | str | None = None,
    group_id: int | str | None = None,
    local_user_key: str | None = None,
) -> str:
    """The URI Zotero knows an item by (what Word citation fields embed).

    ``http://zotero.org/groups/<id>/items/<KEY>`` for a group library, ``…/users/<id>/…``
    for a synced personal library, ``…/users/local/<localUserKey>/…`` for one never synced.
    """
    if group_id is not None:
        return f"http://zotero.org/groups/{group_id}/items/{key}"
    if user_id is not None:
        return f"http://zotero.org/users/{user_id}/items/{key}"
    if local_user_key is not None:
        return f"http://zotero.org/users/local/{local_user_key}/items/{key}"
    raise ValueError("an item URI needs a user id, a group id or a local user key")


@attrs.frozen
class Extra:
    """What the ``extra`` field holds: CSL variables, Zotero fields, a key, the rest."""

    variables: Mapping[str, str]
    fields: Mapping[str, str]
    citation_key: str | None
    csl_type: str | None
    note: str | None
    #: Name variables ("original-author: Family || Given", one line per name).
    names: Mapping[str, tuple[dict[str, str], ...]] = attrs.field(factory=dict)


def _zotero_field_names() -> dict[str, str]:
    return {name.casefold(): name for name in _FIELD_VARIABLES}


_FIELD_BY_FOLDED = _zotero_field_names()


def parse_extra(text: str | None) -> Extra:
    """Read ``extra`` as Zotero (and Better BibTeX) do.

    A line ``Name: value`` whose name is a CSL variable (any case, spaces or underscores
    for hyphens: "Original Date", "original-date") or a Zotero field sets it; "Citation
    Key:" is Better BibTeX's key; "Type:" a CSL type. Other lines (``tex.*`` fields, notes)
    stay as text, returned as ``note``.
    """
    variables: dict[str, str] = {}
    fields: dict[str, str] = {}
    names: dict[str, list[dict[str, str]]] = {}
    citation_key = csl_type = None
    rest: list[str] = []
    for line in (text or "").splitlines():
        match = _OLD_EXTRA.match(line) or _EXTRA_LINE.match(line)
        if match is None or not match.group(2):
            rest.append(line)
            continue
        raw, value = match.group(1).strip(), match.group(2)
        name = re.sub(r"[\s_]+", "-", raw.casefold())
        csl_name = next((v for v in CSL_VARIABLES if v.casefold() == name), None)
        if name in {"citation-key", "bibtex"} and citation_key is None:
            citation_key = value
        elif name == "type" and value in CSL_TYPES and csl_type is None:
            csl_type = value
        elif csl_name in NAME_VARIABLES:
            names.setdefault(csl_name, []).append(_extra_name(value))
        elif csl_name is not None and csl_name not in variables and csl_name != "note":
            variables[csl_name] = value
        elif raw.casefold() in _FIELD_BY_FOLDED and " " not in raw:
            fields.setdefault(_FIELD_BY_FOLDED[raw.casefold()], value)
        else:
            rest.append(line)
    note = "\n".join(rest).strip() or None
    frozen = {var: tuple(found) for var, found in names.items()}
    return Extra(variables, fields, citation_key, csl_type, note, frozen)


def _extra_name(text: str) -> dict[str, str]:
    """A name in extra: "Family || Given" (Zotero's form) or one field, an organisation."""
    family, bar, given = text.partition("||")
    if bar and family.strip():
        return {"family": family.strip(), **({"given": given.strip()} if given.strip() else {})}
    return {"literal": text.strip()}


def citation_key_of(data: Mapping[str, Any]) -> str | None:
    """The Better BibTeX key an item carries: Zotero 7's ``citationKey`` or "Citation Key:"."""
    key = data.get("citationKey")
    if isinstance(key, str) and key.strip():
        return key.strip()
    extra = data.get("extra")
    return parse_extra(extra if isinstance(extra, str) else None).citation_key


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _name(creator: Mapping[str, Any]) -> dict[str, str] | None:
    """A CSL name of a Zotero creator: two fields a person, one field an organisation."""
    if _text(creator.get("name")):
        return {"literal": str(creator["name"]).strip()}
    last, first = _text(creator.get("lastName")), _text(creator.get("firstName"))
    if last is None and first is None:
        return None
    if last is None:  # only a first name: keep it as the family name CSL requires
        return {"family": str(first)}
    return {"family": last, **({"given": first} if first else {})}


def _date(text: str) -> tuple[str | dict[str, str], bool]:
    """(a CSL date value, understood?) of Zotero's free-text date."""
    text = text.strip()
    try:
        return PartialDate.parse(text).iso() or text, True
    except ModelError:
        pass
    found = split_date(text)
    if found is not None and not found[1]:
        return found[0], True
    # Zotero's stored form "2020-05-13 May 13, 2020" (its parse, then the text as typed).
    multipart = re.match(r"^(\d{4})-(\d{2})-(\d{2})\b", text)
    if multipart:
        year, month, day = multipart.groups()
        parts = [year] + [p for p in (month, day) if p != "00"]
        if len(parts) == 3 or parts[1:] == [month]:
            return "-".join(parts), True
    return {"literal": text}, False


def _accessed(text: str) -> str | None:
    """The day of Zotero's access date ("2020-05-13 10:02:03" UTC, or ISO 8601)."""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", text.strip())
    if match:
        return match.group(1)
    found = split_date(text)
    return found[0] if found and len(found[0]) == 10 else None


def _kind(item_type: str, genre: str | None, csl_type: str | None) -> str:
    """The policycite kind of an item type and genre (a press release wins everywhere)."""
    if genre and _PRESS_RELEASE.search(genre):
        return "press-release"
    if item_type in _KIND_OF_TYPE:
        return _KIND_OF_TYPE[item_type]
    return kind_for_csl(csl_type or CSL_TYPE_OF.get(item_type, "document"), genre).name


def source_from_item(
    data: Mapping[str, Any],
    *,
    uri: str | None = None,
    key: str | None = None,
    where: str = "<zotero>",
) -> ItemResult:
    """Map a Zotero item (API JSON ``data``) to a Source, with what the mapping found.

    ``key`` is the citation key to give it (default: its Better BibTeX key, else author
    and year as ``policycite add`` makes them; never the Zotero item key). ``uri`` is
    kept in ``provenance.aliases``. The source is None, with a PC320 finding, when the
    item cannot be a record; a kind whose required field is missing falls back to
    ``document`` (PC321); a date that is not one is kept as text (PC322).
    """
    item_type = str(data.get("itemType") or "document")
    label = f"Zotero item {data.get('key') or uri or '?'}"
    extra = parse_extra(data.get("extra") if isinstance(data.get("extra"), str) else None)
    record, how, kept = _variables(data, extra, item_type)
    findings = _dates(record, kept, label, Location(where, key=key))
    kept_creators = _creators(data, record, how)
    _kind_fields(record, how, item_type, extra)

    zotero: dict[str, Any] = {"item-type": item_type}
    if kept:
        zotero["fields"] = kept
    if kept_creators:
        zotero["creators"] = kept_creators
    tags = [t.get("tag") for t in data.get("tags") or [] if isinstance(t, Mapping)]
    if any(tags):
        zotero["tags"] = [str(t) for t in tags if t]
    provenance: dict[str, Any] = {"method": CaptureMethod.ZOTERO_IMPORT.value}
    aliases = [uri] if uri else []
    relations = data.get("relations")
    if isinstance(relations, Mapping):
        # Items merged into this one in Zotero: Word documents may still cite them.
        replaced = relations.get("dc:replaces") or []
        aliases += [replaced] if isinstance(replaced, str) else list(replaced)
    if aliases:
        provenance["aliases"] = [str(a) for a in aliases]
    provenance["extracted"] = _review_names(how)
    record["custom"] = {"provenance": provenance, "zotero": zotero}
    record["id"] = key or _default_key(data, record)
    return _build(record, label, Location(where, key=record["id"]), findings)


def _variables(
    data: Mapping[str, Any], extra: Extra, item_type: str
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """(CSL record, how each variable was found, Zotero fields with no CSL variable)."""
    fields: dict[str, Any] = {
        k: v for k, v in data.items() if k not in _NOT_FIELDS and _text(v) is not None
    }
    for name, value in extra.fields.items():  # "Publisher: …" in extra fills an empty field
        fields.setdefault(name, value)
    fields.pop("extra", None)
    record: dict[str, Any] = {}
    how: dict[str, str] = {}
    kept: dict[str, Any] = {}
    for name, value in fields.items():
        var = _FIELD_VARIABLES.get(name)
        if var is None or not isinstance(value, str) or var in record:
            kept[name] = value  # no CSL variable, or a second field for one: kept as is
            continue
        if var == "publisher-place" and item_type == "presentation":
            var = "event-place"  # where the talk was given
        record[var] = value.strip()
        how[var] = f"zotero {name}"
    for var, value in extra.variables.items():
        if var not in record:
            record[var] = value
            how[var] = "zotero extra"
    for var, names in extra.names.items():  # Zotero adds these to the item's creators
        record.setdefault(var, []).extend(names)
    if extra.note:
        record["note"] = extra.note
    return record, how, kept


def _dates(
    record: dict[str, Any], kept: dict[str, Any], label: str, place: Location
) -> list[Finding]:
    """Zotero's free-text dates as CSL dates; PC322 for text that is no date."""
    findings = []
    for var in sorted(DATE_VARIABLES & set(record) - {"accessed"}):
        value, understood = _date(str(record[var]))
        record[var] = value
        if not understood:
            findings.append(
                Finding(
                    "PC322",
                    f"{label}: date {record[var]['literal']!r} is not a date policycite reads; "
                    "kept as text",
                    location=attrs.evolve(place, field=var),
                    hint="write the date in Zotero as YYYY-MM-DD (or 'May 13, 2020') and "
                    "import again",
                )
            )
    if "accessed" in record:
        accessed = _accessed(str(record["accessed"]))
        if accessed is None:
            kept["accessDate"] = record.pop("accessed")
        else:
            record["accessed"] = accessed
    return findings


def _creators(
    data: Mapping[str, Any], record: dict[str, Any], how: dict[str, str]
) -> list[dict[str, Any]]:
    """Creators as CSL names in ``record``; returns those of roles CSL has no variable for."""
    names: dict[str, list[dict[str, str]]] = {}
    creators = data.get("creators")
    kept = []
    for creator in creators if isinstance(creators, list) else []:
        if not isinstance(creator, Mapping):
            continue
        var = _CREATOR_VARIABLES.get(str(creator.get("creatorType") or "author"))
        name = _name(creator)
        if name is None:
            continue
        if var is None:
            kept.append(dict(creator))
        else:
            names.setdefault(var, []).append(name)
    for var, found in names.items():  # before any names extra adds (see _variables)
        record[var] = [*found, *record.get(var, [])]
    if "author" in names:
        how["author"] = "zotero creators"
    return kept


def _kind_fields(record: dict[str, Any], how: dict[str, str], item_type: str, extra: Extra) -> None:
    """Kind, CSL type and genre; the issuing body of a press release or statement."""
    genre = _text(record.get("genre"))
    if item_type == "presentation" and genre and _SPEECH_TYPES.match(genre):
        record.pop("genre")  # "Speech" is what the kind says
        genre = None
    kind = _kind(item_type, genre, extra.csl_type)
    spec = KINDS[kind]
    if genre and spec.genre and genre.casefold() == spec.genre.casefold():
        record.pop("genre", None)  # "Press release" is what the kind says
    if kind in {"press-release", "statement"} and "author" not in record:
        # The issuing body: Zotero users file it as the report's institution or the
        # page's publisher or site, not as a creator.
        for var in ("publisher", "container-title"):
            if record.get(var):
                record["author"] = [{"literal": record.pop(var)}]
                how["author"] = how.pop(var, "zotero") + " (issuing body)"
                break
    # A press release or statement renders as CSL document whatever Zotero filed it as:
    # apa.csl prints a report's year only, and APA wants the full date.
    csl_type = extra.csl_type or CSL_TYPE_OF.get(item_type, "document")
    record["type"] = spec.csl_type if kind in {"press-release", "statement"} else csl_type
    record["kind"] = kind
    how["kind"] = f"zotero item type {item_type}" + (f", {genre}" if genre else "")


#: CSL variable -> the field name provenance uses for it (see capture.records).
_REVIEW_NAMES = {
    "container-title": "site",
    "publisher": "site",
    "URL": "url",
}


def _review_names(how: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for var, text in how.items():
        name = _REVIEW_NAMES.get(var, var)
        out.setdefault(name, text)
    return out


def _default_key(data: Mapping[str, Any], record: Mapping[str, Any]) -> str:
    """The Better BibTeX key, else author + year (never the Zotero item key)."""
    bbt = citation_key_of(data)
    if bbt and bbt != data.get("key"):
        return bbt
    authors = names_from_csl("author", record.get("author", []))
    issued = record.get("issued")
    year = None
    if isinstance(issued, str):
        year = PartialDate.parse(issued).year
    return new_key(key_stem(authors, record.get("title")), year, ())


def _build(
    record: dict[str, Any], label: str, place: Location, findings: list[Finding]
) -> ItemResult:
    try:
        source, found = source_from_dict(record)
    except ModelError as err:
        kind = record["kind"]
        required = {r.field for r in KINDS[kind].required}
        if err.field in record and err.field not in required and err.field not in _OWN:
            # A value no record field can hold (a URL without its scheme): the item is
            # imported without it, the value kept with the other Zotero fields.
            salvaged = dict(record)
            value = salvaged.pop(err.field)
            custom = salvaged["custom"] = dict(record["custom"])
            zotero = custom["zotero"] = dict(custom["zotero"])
            zotero["fields"] = {**zotero.get("fields", {}), err.field: value}
            findings.append(
                Finding(
                    "PC320",
                    f"{label}: {err.field} not imported ({err.message}); kept under custom.zotero",
                    location=attrs.evolve(place, field=err.field),
                    hint="correct the field in Zotero and import again",
                )
            )
            return _build(salvaged, label, place, findings)
        if kind == "document" or err.field not in required:
            findings.append(
                Finding(
                    "PC320",
                    f"{label} not imported: {err.message}",
                    location=attrs.evolve(place, field=err.field),
                    hint="fix the item in Zotero and import again",
                )
            )
            return ItemResult(None, findings)
        findings.append(
            Finding(
                "PC321",
                f"{label}: {err.message}; imported as a document",
                location=attrs.evolve(place, field=err.field),
                hint=f"fill in the {_ZOTERO_NAME.get(err.field or '', err.field)} in Zotero "
                "and import again: the record keeps any hand edits",
            )
        )
        fallback = dict(record, kind="document")
        genre = KINDS[kind].genre
        if genre and "genre" not in fallback:
            fallback["genre"] = genre
        return _build(fallback, label, place, findings)
    return ItemResult(source, [*findings, *found])


#: Record fields that are not values from the item (never moved aside).
_OWN = frozenset({"id", "kind", "type", "custom"})

#: What the user calls a required field in Zotero, for hints.
_ZOTERO_NAME = {
    "author": "author (or the institution of a report)",
    "container-title": "publication (newspaper) title",
}
