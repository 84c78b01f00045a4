"""Build the Zotero data directories the tests and the README import.

    python tools/make_zotero_fixture.py

writes tests/data/zotero/data/ and the README's smaller example, examples/zotero/.

The database has Zotero's own layout: the tables and columns policycite reads (and the
others they refer to), as Zotero creates them. They follow ``resource/schema/userdata.sql``
(userdata version 107, zotero/zotero commit f7d895ab52ce0e2ebaca37d40925578a912ace39)
and ``resource/schema/system.sql`` (the type and field tables; in Zotero 5 and later
they are filled at start-up from the global schema, zotero/zotero-schema ``schema.json``,
and ``itemTypesCombined``/``fieldsCombined`` hold them with custom ones). The ids of item
types, fields and creator types are those of system.sql; readers must join by name, as
ids differ between databases. Only the statements policycite needs are written here,
trimmed of indexes and triggers; Zotero's files are AGPL and not copied.

The items (all sources fictional) cover every item type the importer maps, a Better
BibTeX key from ``better-bibtex.sqlite`` (its ``citationkey`` table, Better BibTeX 6),
one from "Citation Key:" in extra and one from Zotero 7's ``citationKey`` field, a
non-Latin title, an HTML snapshot in ``storage/``, a trashed item, a group library item,
a child note, and an attachment whose path tries to leave the data directory. Output is
deterministic: running the script again gives the same bytes.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "data" / "zotero" / "data"
EXAMPLE = ROOT / "examples" / "zotero"

SCHEMA = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE settings (setting TEXT, key TEXT, value, PRIMARY KEY (setting, key));
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT,
    templateItemTypeID INT, display INT DEFAULT 1);
CREATE TABLE itemTypesCombined (itemTypeID INT NOT NULL, typeName TEXT NOT NULL,
    display INT DEFAULT 1 NOT NULL, custom INT NOT NULL, PRIMARY KEY (itemTypeID));
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE fieldsCombined (fieldID INT NOT NULL, fieldName TEXT NOT NULL, label TEXT,
    fieldFormatID INT, custom INT NOT NULL, PRIMARY KEY (fieldID));
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL,
    editable INT NOT NULL, filesEditable INT NOT NULL, version INT NOT NULL DEFAULT 0,
    storageVersion INT NOT NULL DEFAULT 0, lastSync INT NOT NULL DEFAULT 0,
    archived INT NOT NULL DEFAULT 0);
CREATE TABLE users (userID INTEGER PRIMARY KEY, username TEXT NOT NULL);
CREATE TABLE groups (groupID INTEGER PRIMARY KEY, libraryID INT NOT NULL UNIQUE,
    name TEXT NOT NULL, description TEXT NOT NULL, version INT NOT NULL,
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key),
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID),
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (fieldID) REFERENCES fieldsCombined(fieldID),
    FOREIGN KEY (valueID) REFERENCES itemDataValues(valueID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT,
    title TEXT);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT,
    contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0,
    storageModTime INT, storageHash TEXT);
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL,
    PRIMARY KEY (itemID, tagID));
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex), UNIQUE (itemID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE relationPredicates (predicateID INTEGER PRIMARY KEY, predicate TEXT UNIQUE);
CREATE TABLE itemRelations (itemID INT NOT NULL, predicateID INT NOT NULL,
    object TEXT NOT NULL, PRIMARY KEY (itemID, predicateID, object));
"""

# Ids as in system.sql (citationKey is Zotero 7's, given a free id here).
ITEM_TYPES = {
    "note": 1,
    "book": 2,
    "journalArticle": 4,
    "newspaperArticle": 6,
    "webpage": 13,
    "attachment": 14,
    "report": 15,
    "blogPost": 23,
    "presentation": 27,
    "document": 34,
}
FIELDS = {
    "url": 1,
    "rights": 2,
    "place": 7,
    "publisher": 8,
    "publicationTitle": 12,
    "date": 14,
    "section": 15,
    "extra": 22,
    "accessDate": 27,
    "institution": 31,
    "reportType": 32,
    "number": 60,
    "websiteType": 70,
    "presentationType": 74,
    "meetingName": 75,
    "language": 87,
    "abstractNote": 90,
    "websiteTitle": 91,
    "reportNumber": 92,
    "blogTitle": 107,
    "title": 110,
    "shortTitle": 116,
    "citationKey": 124,
}
CREATOR_TYPES = {"author": 1, "contributor": 2, "editor": 3, "presenter": 24}

USER, GROUP = 1, 2
LOCAL_USER_KEY = "Q8XK2M4P"
GROUP_ID = 4711

SNAPSHOT_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Freedonia and Sylvania sign trade accord | The Freedonia Herald</title>
<meta property="og:site_name" content="The Freedonia Herald">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Freedonia and Sylvania sign trade accord</h1>
<p class="byline">By Ana Lima, 6 March 2024</p>
<p>Freedonia and Sylvania signed a trade accord on Tuesday after two years of talks.</p>
<p>"This accord opens our ports to the goods of both nations," the foreign minister
said at the signing ceremony in Fredonia City.</p>
<p>The accord lowers tariffs on grain and machinery over five years.</p>
</article>
<footer>© The Freedonia Herald</footer>
</body></html>
"""

# (itemID, library, key, type, added, modified, fields, creators)
ITEMS: list[tuple[int, int, str, str, str, dict[str, str], list[tuple[str, str, str, int]]]] = [
    (
        1,
        USER,
        "PRESS234",
        "report",
        "2024-03-06 09:15:00",
        {
            "title": "Freedonia and Sylvania sign trade accord",
            "reportType": "Press release",
            "institution": "Ministry of Foreign Affairs of Freedonia",
            "date": "2024-03-05 March 5, 2024",
            "url": "https://mfa.freedonia.example/press/2024/03/05-accord",
            "accessDate": "2024-03-06 09:15:00",
            "language": "en",
            "rights": "Public domain",
        },
        [],
    ),
    (
        2,
        USER,
        "NEWS2345",
        "newspaperArticle",
        "2024-03-06 10:00:00",
        {
            "title": "Freedonia and Sylvania sign trade accord",
            "publicationTitle": "The Freedonia Herald",
            "section": "World",
            "date": "2024-03-06 6 March 2024",
            "url": "https://herald.freedonia.example/world/2024/03/06/trade-accord",
            "accessDate": "2024-03-06 10:00:00",
        },
        [("author", "Ana", "Lima", 0)],
    ),
    (
        3,
        USER,
        "SPEECH23",
        "presentation",
        "2024-04-03 08:00:00",
        {
            "title": "Remarks at the Freedonia Trade Forum",
            "presentationType": "Speech",
            "meetingName": "Freedonia Trade Forum",
            "place": "Fredonia City",
            "date": "2024-04-02 2024-04-02",
            "url": "https://mfa.freedonia.example/speeches/2024/forum",
        },
        [("presenter", "Rufus T.", "Firefly", 0)],
    ),
    (
        4,
        USER,
        "STATE234",
        "document",
        "2024-01-10 12:00:00",
        {
            "title": "Joint statement on the Freedonian-Sylvanian border commission",
            "date": "2024-01-09 January 9, 2024",
            "publisher": "Council of the Sylvanian Union",
            "url": "https://council.sylvania.example/statements/2024-01-09",
            "extra": "genre: Statement\nCitation Key: csu2024border\nChecked against the "
            "council's register.",
        },
        [("author", "", "Council of the Sylvanian Union", 1)],
    ),
    (
        5,
        USER,
        "WEBPAG23",
        "webpage",
        "2024-05-01 07:30:00",
        {
            "title": "Trade dashboard",
            "websiteTitle": "Sylvania Statistics Office",
            "url": "https://stats.sylvania.example/trade",
            "accessDate": "2024-05-01 07:30:00",
            "citationKey": "sso-dashboard",
        },
        [("author", "", "Sylvania Statistics Office", 1)],
    ),
    (
        6,
        USER,
        "RUSNEW23",
        "newspaperArticle",
        "2024-02-21 06:00:00",
        {
            "title": "Переговоры о торговле возобновились",  # noqa: RUF001
            "publicationTitle": "Вестник Примера",
            "date": "2024-02-20 20.02.2024",
            "language": "ru",
            "url": "https://vestnik.example/2024/02/20/talks",
        },
        [("author", "Мария", "Иванова", 0)],
    ),
    (
        7,
        USER,
        "TRASH234",
        "journalArticle",
        "2023-01-01 00:00:00",
        {"title": "A trashed article", "date": "2023-01-01 2023"},
        [("author", "Trash", "Bin", 0)],
    ),
    (
        8,
        GROUP,
        "GROUP234",
        "report",
        "2024-02-01 09:00:00",
        {
            "title": "Annual trade review 2023",
            "institution": "Freedonia Trade Institute",
            "reportType": "Annual report",
            "reportNumber": "FTI-2024-1",
            "date": "2024-01-00 January 2024",
            "url": "https://fti.freedonia.example/reviews/2023",
        },
        [],
    ),
    (
        9,
        USER,
        "BLOGPO23",
        "blogPost",
        "2024-06-01 09:00:00",
        {
            "title": "What the accord means for farmers",
            "blogTitle": "Grain Notes",
            "date": "2024-06-01 2024-06-01",
            "url": "https://grainnotes.example/2024/06/accord",
        },
        [("author", "Otto", "Grainger", 0)],
    ),
]
# (itemID, parent, key, added, path, content type, url, accessDate)
ATTACHMENTS = [
    (
        20,
        2,
        "SNAPKEY2",
        "2024-03-06 10:00:05",
        "storage:trade-accord.html",
        "text/html",
        "https://herald.freedonia.example/world/2024/03/06/trade-accord",
        "2024-03-06 10:00:05",
    ),
    (
        21,
        5,
        "EVILKEY2",
        "2024-05-01 07:30:05",
        "storage:../../../etc/passwd",
        "text/html",
        "https://stats.sylvania.example/trade",
        "2024-05-01 07:30:05",
    ),
]
NOTE = (30, 1, "NOTEKEY2", "<p>Check the date against the ministry's register.</p>")
TAGS = {1: ["trade"], 2: ["trade", "news"]}
# The press release absorbed a duplicate when the user merged items in Zotero: Word
# documents may still cite the duplicate's URI.
MERGED = (1, "http://zotero.org/users/local/Q8XK2M4P/items/DUPLIC23")
EXAMPLE_ITEMS = {1, 2, 3}
BBT_KEYS = [(3, "SPEECH23", USER, "firefly2024forum")]  # itemID, itemKey, libraryID, key


def build(target: Path = TARGET, *, example: bool = False) -> None:
    """Write zotero.sqlite, better-bibtex.sqlite and storage/ under target.

    ``example``: only the press release, the news article (with its snapshot) and the
    speech (with its Better BibTeX key), for the README's example in examples/zotero/.
    """
    keep = EXAMPLE_ITEMS if example else {item[0] for item in ITEMS}
    target.mkdir(parents=True, exist_ok=True)
    for name in ("zotero.sqlite", "better-bibtex.sqlite"):
        (target / name).unlink(missing_ok=True)
    db = sqlite3.connect(target / "zotero.sqlite")
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO version VALUES (?, ?)",
        [("userdata", 107), ("system", 31), ("globalSchema", 33)],
    )
    db.execute("INSERT INTO settings VALUES ('account', 'localUserKey', ?)", (LOCAL_USER_KEY,))
    _write_types(db)
    values: dict[str, int] = {}
    creators: dict[tuple[str, str, int], int] = {}

    def value_id(text: str) -> int:
        if text not in values:
            values[text] = len(values) + 1
            db.execute("INSERT INTO itemDataValues VALUES (?, ?)", (values[text], text))
        return values[text]

    def add_item(item_id: int, library: int, key: str, kind: str, added: str) -> None:
        db.execute(
            "INSERT INTO items (itemID, itemTypeID, dateAdded, dateModified, "
            "clientDateModified, libraryID, key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item_id, ITEM_TYPES[kind], added, added, added, library, key),
        )

    def set_field(item_id: int, name: str, text: str) -> None:
        db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, FIELDS[name], value_id(text)))

    for item_id, library, key, kind, added, data, people in ITEMS:
        if item_id not in keep:
            continue
        add_item(item_id, library, key, kind, added)
        for name, text in data.items():
            set_field(item_id, name, text)
        for order, (role, first, last, mode) in enumerate(people):
            ident = creators.setdefault((first, last, mode), len(creators) + 1)
            db.execute(
                "INSERT OR IGNORE INTO creators VALUES (?, ?, ?, ?)", (ident, first, last, mode)
            )
            db.execute(
                "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
                (item_id, ident, CREATOR_TYPES[role], order),
            )
    if 7 in keep:
        db.execute("INSERT INTO deletedItems VALUES (7, '2024-02-01 00:00:00')")
    for att_id, parent, key, added, path, content_type, url, accessed in ATTACHMENTS:
        if parent not in keep:
            continue
        add_item(att_id, USER, key, "attachment", added)
        db.execute(
            "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) "
            "VALUES (?, ?, 1, ?, ?)",
            (att_id, parent, content_type, path),
        )
        set_field(att_id, "title", "Snapshot")
        set_field(att_id, "url", url)
        set_field(att_id, "accessDate", accessed)
    db.execute("INSERT INTO relationPredicates VALUES (1, 'dc:replaces')")
    if MERGED[0] in keep:
        db.execute("INSERT INTO itemRelations VALUES (?, 1, ?)", MERGED)
    note_id, parent, note_key, text = NOTE
    add_item(note_id, USER, note_key, "note", "2024-03-07 08:00:00")
    db.execute("INSERT INTO itemNotes VALUES (?, ?, ?, '')", (note_id, parent, text))
    names = sorted({t for tags in TAGS.values() for t in tags})
    db.executemany("INSERT INTO tags VALUES (?, ?)", list(enumerate(names, start=1)))
    for item_id, tags in TAGS.items():
        if item_id not in keep:
            continue
        for tag in tags:
            db.execute("INSERT INTO itemTags VALUES (?, ?, 0)", (item_id, names.index(tag) + 1))
    db.commit()
    db.execute("VACUUM")
    db.close()

    _write_files(target)


def _write_types(db: sqlite3.Connection) -> None:
    """The item types, fields, creator types and libraries."""
    for name, ident in ITEM_TYPES.items():
        db.execute("INSERT INTO itemTypes VALUES (?, ?, NULL, 1)", (ident, name))
        db.execute("INSERT INTO itemTypesCombined VALUES (?, ?, 1, 0)", (ident, name))
    for name, ident in FIELDS.items():
        db.execute("INSERT INTO fields VALUES (?, ?, NULL)", (ident, name))
        db.execute("INSERT INTO fieldsCombined VALUES (?, ?, NULL, NULL, 0)", (ident, name))
    db.executemany(
        "INSERT INTO creatorTypes VALUES (?, ?)", [(v, k) for k, v in CREATOR_TYPES.items()]
    )
    db.execute("INSERT INTO libraries VALUES (?, 'user', 1, 1, 0, 0, 0, 0)", (USER,))
    db.execute("INSERT INTO libraries VALUES (?, 'group', 1, 1, 0, 0, 0, 0)", (GROUP,))
    db.execute("INSERT INTO groups VALUES (?, ?, 'Freedonia trade team', '', 0)", (GROUP_ID, GROUP))


def _write_files(target: Path) -> None:
    """The snapshot in storage/ and Better BibTeX's database."""
    storage = target / "storage" / "SNAPKEY2"
    storage.mkdir(parents=True, exist_ok=True)
    (storage / "trade-accord.html").write_text(SNAPSHOT_HTML, encoding="utf-8")
    # Better BibTeX 6 and later: the citationkey table of better-bibtex.sqlite.
    bbt = sqlite3.connect(target / "better-bibtex.sqlite")
    bbt.execute(
        "CREATE TABLE citationkey (itemID NOT NULL PRIMARY KEY, itemKey NOT NULL, "
        "libraryID NOT NULL, citationKey NOT NULL, pinned NOT NULL DEFAULT 0)"
    )
    bbt.executemany("INSERT INTO citationkey VALUES (?, ?, ?, ?, 0)", BBT_KEYS)
    bbt.commit()
    bbt.close()


if __name__ == "__main__":
    if sys.argv[1:]:
        sys.exit("usage: python tools/make_zotero_fixture.py (writes both data directories)")
    build(TARGET)
    build(EXAMPLE, example=True)
    print(f"wrote {TARGET.relative_to(ROOT)} and {EXAMPLE.relative_to(ROOT)}")
