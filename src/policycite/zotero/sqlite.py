"""Read a Zotero data directory (``zotero.sqlite``, ``storage/``) into Zotero items.

Zotero holds its database with an exclusive lock while it runs, so the database (and
its ``-wal``/``-journal`` files) is copied to a private temporary folder first and the
copy is opened read-only (SQLite URI ``mode=ro``): the user's file is never opened,
let alone written. Items come out in the Zotero API's JSON shape
(:class:`~policycite.zotero.items.ZoteroItem`), each with its Zotero URI, its Better
BibTeX key (Zotero 7's ``citationKey`` field, "Citation Key:" in extra, or
``better-bibtex.sqlite`` beside the database) and its HTML snapshot. Items in the trash,
notes, attachments, annotations and feed items are left out.

Tables and columns are those of Zotero 5 to 7 (``resource/schema/userdata.sql`` of
zotero/zotero, userdata versions 80 onwards); a file that is not a SQLite database, not
Zotero's, or of a layout without the columns read here is one InputError naming it. No
path from the database leaves the data directory: an attachment is read only from
``storage/<its key>/``.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from policycite.errors import InputError
from policycite.findings import Finding, Location, finding_tuple
from policycite.model import PartialDate
from policycite.paths import read_regular
from policycite.zotero.items import Attachment, ZoteroItem, item_uri

__all__ = ["DATABASE", "MIN_USERDATA", "ZoteroData", "read_data_directory"]

#: The database file's name in a data directory.
DATABASE = "zotero.sqlite"
#: The Better BibTeX database beside it.
BBT_DATABASE = "better-bibtex.sqlite"
#: The oldest userdata schema read: Zotero 5's layout (libraries.type, items.version,
#: itemAttachments.parentItemID) arrived with the migration to version 80.
MIN_USERDATA = 80
#: The largest snapshot file read (capture reads pages up to 32 MB).
MAX_SNAPSHOT_BYTES = 32 * 2**20
#: Columns read, by table: a layout without one of them is not one this reader knows.
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "version": ("schema", "version"),
    "settings": ("setting", "key", "value"),
    "libraries": ("libraryID", "type"),
    "groups": ("groupID", "libraryID"),
    "items": ("itemID", "itemTypeID", "libraryID", "key", "dateAdded", "dateModified"),
    "itemData": ("itemID", "fieldID", "valueID"),
    "itemDataValues": ("valueID", "value"),
    "creators": ("creatorID", "firstName", "lastName", "fieldMode"),
    "itemCreators": ("itemID", "creatorID", "creatorTypeID", "orderIndex"),
    "creatorTypes": ("creatorTypeID", "creatorType"),
    "deletedItems": ("itemID",),
    "itemRelations": ("itemID", "predicateID", "object"),
    "relationPredicates": ("predicateID", "predicate"),
    "itemAttachments": ("itemID", "parentItemID", "linkMode", "contentType", "path"),
    "tags": ("tagID", "name"),
    "itemTags": ("itemID", "tagID", "type"),
}
#: Item types that are not citable items.
_NOT_ITEMS = ("note", "attachment", "annotation")
#: Zotero's attachment link mode for a file it saved from a URL (a snapshot).
_IMPORTED_URL = 1
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Fields Zotero stores as "YYYY-MM-DD text as typed" (Zotero.Date.multipartToStr).
_MULTIPART = re.compile(r"^(\d{4}-\d{2}-\d{2}) (.*)$", re.S)
_DATE_FIELDS = frozenset({"date", "dateDecided", "dateEnacted", "issueDate", "filingDate"})
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")


@attrs.frozen
class ZoteroData:
    """What a data directory holds: its items (in the API's shape) and problems met."""

    path: Path  # the database read
    items: tuple[ZoteroItem, ...]
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)
    userdata: int = 0  # the database's userdata schema version


def database_path(source: Path | str) -> Path:
    """The ``zotero.sqlite`` of a data directory, or the file itself; InputError if none."""
    path = Path(source)
    if path.is_dir():
        path = path / DATABASE
    if not path.is_file():
        raise InputError(
            "no Zotero database here (give a Zotero data directory or its zotero.sqlite)",
            source=str(source),
        )
    return path


def read_data_directory(source: Path | str) -> ZoteroData:
    """Read a Zotero data directory (or a ``zotero.sqlite`` path) into items."""
    path = database_path(source)
    with tempfile.TemporaryDirectory(prefix="policycite-zotero-") as tmp:
        with _opened_copy(path, Path(tmp)) as db:
            userdata = _check_schema(db, path)
            found = _Reader(db, path).items()
        bbt, findings = _bbt_keys(path.parent / BBT_DATABASE, Path(tmp))
    items = tuple(
        attrs.evolve(item, citation_key=bbt[(library, item.data["key"])])
        if item.citation_key is None and (library, item.data["key"]) in bbt
        else item
        for library, item in found
    )
    return ZoteroData(path, items, findings, userdata)


@contextlib.contextmanager
def _opened_copy(path: Path, folder: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a private copy of the database (and its journal files)."""
    copy = folder / path.name
    for suffix in ("", "-wal", "-journal"):
        original = path.with_name(path.name + suffix)
        if original.is_file():
            try:
                shutil.copyfile(original, copy.with_name(copy.name + suffix))
            except OSError as err:
                raise InputError(
                    f"cannot copy the database: {err.strerror or err}", source=str(original)
                ) from None
    try:
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise InputError(f"cannot open as SQLite: {err}", source=str(path)) from None
    try:
        yield db
    except sqlite3.DatabaseError as err:
        raise InputError(f"not a readable Zotero database ({err})", source=str(path)) from None
    finally:
        db.close()


def _check_schema(db: sqlite3.Connection, path: Path) -> int:
    """The userdata schema version; InputError for a file that is not Zotero's or unknown."""
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        raise InputError(
            "not a SQLite database (expected Zotero's zotero.sqlite)", source=str(path)
        ) from None
    row = None
    if "version" in tables:
        row = db.execute("SELECT version FROM version WHERE schema = 'userdata'").fetchone()
    if row is None:
        raise InputError("not a Zotero database (no userdata schema version)", source=str(path))
    try:
        userdata = int(row[0])
    except (TypeError, ValueError):
        raise InputError(
            f"not a Zotero database (userdata version {row[0]!r})", source=str(path)
        ) from None
    if userdata < MIN_USERDATA:
        raise InputError(
            f"Zotero database of schema version {userdata}, older than Zotero 5 "
            f"({MIN_USERDATA}); open it once in Zotero 5 or later to upgrade it",
            source=str(path),
        )
    for table, columns in {**_COLUMNS, **_type_tables(tables)}.items():
        have = {r[1] for r in db.execute(f"PRAGMA table_info('{table}')")}
        missing = [c for c in columns if c not in have]
        if missing:
            raise InputError(
                f"unknown Zotero schema (userdata version {userdata}): table {table} has "
                f"no column {missing[0]}",
                source=str(path),
            )
    return userdata


def _type_tables(tables: set[str]) -> dict[str, tuple[str, ...]]:
    """Zotero 5 and later fill itemTypesCombined and fieldsCombined (custom types too)."""
    return {
        _pick(tables, "itemTypes"): ("itemTypeID", "typeName"),
        _pick(tables, "fields"): ("fieldID", "fieldName"),
    }


def _pick(tables: set[str], name: str) -> str:
    return f"{name}Combined" if f"{name}Combined" in tables else name


def _iso(stamp: str | None) -> str | None:
    """Zotero's UTC "YYYY-MM-DD HH:MM:SS" as ISO 8601 with its zone."""
    match = _STAMP.match(stamp or "")
    return f"{match.group(1)}T{match.group(2)}Z" if match else None


class _Reader:
    """The queries, on one open copy."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self.folder = path.parent
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        self.item_types = _pick(tables, "itemTypes")
        self.fields_table = _pick(tables, "fields")

    def _settings(self) -> dict[str, Any]:
        rows = self.db.execute("SELECT key, value FROM settings WHERE setting = 'account'")
        return {str(k): v for k, v in rows}

    def _libraries(self) -> dict[int, tuple[str, str | None]]:
        """Each library's type and URI prefix (None: a feed, whose items are not imported)."""
        account = self._settings()
        groups = dict(self.db.execute("SELECT libraryID, groupID FROM groups"))
        out: dict[int, tuple[str, str | None]] = {}
        for library_id, kind in self.db.execute("SELECT libraryID, type FROM libraries"):
            if kind == "group" and library_id in groups:
                out[library_id] = (kind, f"groups:{groups[library_id]}")
            elif kind == "user":
                user = account.get("userID")
                local = account.get("localUserKey")
                ref = f"users:{user}" if user else f"local:{local}" if local else None
                out[library_id] = (kind, ref)
            else:  # feeds and anything newer: not the user's items
                out[library_id] = (str(kind), None)
        return out

    def _fields(self, ids: set[int]) -> dict[int, dict[str, str]]:
        fields: dict[int, dict[str, str]] = {}
        query = (
            f"SELECT d.itemID, f.fieldName, v.value FROM itemData d "
            f"JOIN {self.fields_table} f ON f.fieldID = d.fieldID "
            "JOIN itemDataValues v ON v.valueID = d.valueID"
        )
        for item_id, name, value in self.db.execute(query):
            if item_id not in ids:
                continue
            text = str(value)
            if name in _DATE_FIELDS:
                multipart = _MULTIPART.match(text)
                if multipart:  # the text as typed, as the API gives it
                    text = multipart.group(2).strip() or multipart.group(1)
            fields.setdefault(item_id, {})[str(name)] = text
        return fields

    def _creators(self, ids: set[int]) -> dict[int, list[dict[str, str]]]:
        out: dict[int, list[dict[str, str]]] = {}
        query = (
            "SELECT ic.itemID, ct.creatorType, c.firstName, c.lastName, c.fieldMode "
            "FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID "
            "JOIN creatorTypes ct ON ct.creatorTypeID = ic.creatorTypeID "
            "ORDER BY ic.itemID, ic.orderIndex"
        )
        for item_id, role, first, last, mode in self.db.execute(query):
            if item_id not in ids:
                continue
            if mode == 1:  # single field: an organisation
                creator = {"creatorType": str(role), "name": str(last or "")}
            else:
                creator = {
                    "creatorType": str(role),
                    "firstName": str(first or ""),
                    "lastName": str(last or ""),
                }
            out.setdefault(item_id, []).append(creator)
        return out

    def _relations(self, ids: set[int]) -> dict[int, dict[str, list[str]]]:
        """The API's ``relations``: ``dc:replaces`` names the items merged into this one."""
        out: dict[int, dict[str, list[str]]] = {}
        query = (
            "SELECT r.itemID, p.predicate, r.object FROM itemRelations r "
            "JOIN relationPredicates p ON p.predicateID = r.predicateID ORDER BY r.object"
        )
        for item_id, predicate, target in self.db.execute(query):
            if item_id in ids:
                out.setdefault(item_id, {}).setdefault(str(predicate), []).append(str(target))
        return out

    def _tags(self, ids: set[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        query = (
            "SELECT it.itemID, t.name, it.type FROM itemTags it JOIN tags t "
            "ON t.tagID = it.tagID ORDER BY t.name"
        )
        for item_id, name, kind in self.db.execute(query):
            if item_id not in ids:
                continue
            tag: dict[str, Any] = {"tag": str(name)}
            if kind:
                tag["type"] = int(kind)
            out.setdefault(item_id, []).append(tag)
        return out

    def items(self) -> list[tuple[int, ZoteroItem]]:
        """(libraryID, item) of every item in the user's and group libraries, trash left out."""
        libraries = self._libraries()
        skipped = ", ".join(f"'{t}'" for t in _NOT_ITEMS)
        rows = self.db.execute(
            "SELECT i.itemID, i.key, i.libraryID, t.typeName, i.dateAdded, i.dateModified "
            f"FROM items i JOIN {self.item_types} t ON t.itemTypeID = i.itemTypeID "
            f"WHERE t.typeName NOT IN ({skipped}) "
            "AND i.itemID NOT IN (SELECT itemID FROM deletedItems) ORDER BY i.itemID"
        ).fetchall()
        rows = [r for r in rows if libraries.get(r[2], ("", None))[1] is not None]
        if not rows:
            return []
        ids = {r[0] for r in rows}
        fields, creators, tags = self._fields(ids), self._creators(ids), self._tags(ids)
        relations = self._relations(ids)
        snapshots, findings = self._snapshots(ids)
        items = []
        for item_id, key, library_id, item_type, added, modified in rows:
            ref = libraries[library_id][1]
            assert ref is not None
            data: dict[str, Any] = {"key": str(key), "itemType": str(item_type)}
            data.update(fields.get(item_id, {}))
            data["creators"] = creators.get(item_id, [])
            data["tags"] = tags.get(item_id, [])
            data["relations"] = relations.get(item_id, {})
            if added:
                data["dateAdded"] = _iso(str(added))
            if modified:
                data["dateModified"] = _iso(str(modified))
            items.append(
                (
                    library_id,
                    ZoteroItem(
                        data,
                        uri=_uri(ref, str(key)),
                        snapshot=snapshots.get(item_id),
                        where=f"{self.path} item {key}",
                        problems=findings.get(item_id, ()),
                    ),
                )
            )
        return items

    def _snapshots(self, ids: set[int]) -> tuple[dict[int, Attachment], dict[int, list[Finding]]]:
        """Each item's first HTML snapshot (by date added), read from storage/<key>/."""
        query = (
            "SELECT a.itemID, a.parentItemID, a.path, a.contentType, i.key, i.dateAdded "
            "FROM itemAttachments a JOIN items i ON i.itemID = a.itemID "
            f"WHERE a.linkMode = {_IMPORTED_URL} "
            "AND a.itemID NOT IN (SELECT itemID FROM deletedItems) "
            "ORDER BY a.parentItemID, i.dateAdded, a.itemID"
        )
        rows = [r for r in self.db.execute(query) if r[1] in ids and r[3] in _HTML_TYPES]
        fields = self._fields({r[0] for r in rows}) if rows else {}
        out: dict[int, Attachment] = {}
        problems: dict[int, list[Finding]] = {}
        for att_id, parent, stored, content_type, key, added in rows:
            if parent in out:
                continue
            where = f"{self.path} item attachment {key}"
            try:
                file = self._storage_file(str(key), stored)
                data = read_regular(file, MAX_SNAPSHOT_BYTES)
            except InputError as err:
                problems.setdefault(parent, []).append(
                    Finding(
                        "PC324",
                        f"snapshot of {where} not read: {err.message}",
                        location=Location(where),
                        hint="take a new snapshot of the page in Zotero, or capture it "
                        "with `policycite add`",
                    )
                )
                continue
            meta = fields.get(att_id, {})
            accessed = None
            if meta.get("accessDate", "")[:10]:
                with contextlib.suppress(ValueError):
                    accessed = PartialDate.parse(meta["accessDate"][:10])
            out[parent] = Attachment(
                data=data,
                name=str(file),
                url=meta.get("url"),
                accessed=accessed,
                captured_at=_iso(str(added)) if added else None,
                media_type=str(content_type),
            )
        return out, problems

    def _storage_file(self, key: str, stored: Any) -> Path:
        """storage/<key>/<file> of a "storage:file.html" path; InputError for any other."""
        text = str(stored or "")
        if not re.fullmatch(r"[A-Z0-9]{8}", key):
            raise InputError(f"attachment key {key!r} is not a Zotero key", source=str(self.path))
        if not text.startswith("storage:"):
            raise InputError(f"path {text!r} is not in the storage folder", source=str(self.path))
        name = text.removeprefix("storage:")
        if not name or "/" in name or "\\" in name or name in {".", ".."} or "\x00" in name:
            raise InputError(f"path {text!r} leaves its storage folder", source=str(self.path))
        folder = self.folder / "storage" / key
        file = folder / name
        if not file.resolve().is_relative_to(self.folder.resolve()):
            raise InputError(f"path {text!r} leaves the data directory", source=str(self.path))
        return file


def _uri(ref: str, key: str) -> str:
    kind, _, ident = ref.partition(":")
    if kind == "groups":
        return item_uri(key, group_id=ident)
    if kind == "users":
        return item_uri(key, user_id=ident)
    return item_uri(key, local_user_key=ident)


def _bbt_keys(path: Path, folder: Path) -> tuple[dict[tuple[int, str], str], list[Finding]]:
    """(libraryID, item key) -> Better BibTeX key from better-bibtex.sqlite, if there."""
    if not path.is_file():
        return {}, []
    keys: dict[tuple[int, str], str] = {}
    try:
        with _opened_copy(path, folder) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if "citationkey" in tables:  # Better BibTeX 6 and later
                rows = db.execute("SELECT libraryID, itemKey, citationKey FROM citationkey")
                for library_id, item_key, citekey in rows:
                    if item_key and citekey:
                        keys[(int(library_id or 1), str(item_key))] = str(citekey)
            elif "better-bibtex" in tables:  # Better BibTeX 5: a LokiJS collection as JSON
                row = db.execute(
                    "SELECT data FROM `better-bibtex` WHERE name = 'better-bibtex.citekey'"
                ).fetchone()
                for entry in json.loads(row[0]).get("data", []) if row else []:
                    if entry.get("itemKey") and entry.get("citekey"):
                        keys[(int(entry.get("libraryID") or 1), entry["itemKey"])] = entry[
                            "citekey"
                        ]
            else:
                raise sqlite3.DatabaseError("no citation key table")
    except (InputError, sqlite3.Error, ValueError, AttributeError, TypeError) as err:
        return {}, [
            Finding(
                "PC323",
                f"Better BibTeX keys not read ({getattr(err, 'message', err)}): keys come "
                "from the items' own citation key fields, else author and year",
                location=Location(str(path)),
                hint="update Better BibTeX, or export with Better BibTeX and import the export",
            )
        ]
    return keys, []
