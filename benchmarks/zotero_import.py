"""Time ``import zotero`` on a data directory of 5,000 newspaper articles.

    python benchmarks/zotero_import.py [ITEMS]

Builds the test data directory (tools/make_zotero_fixture.py) in a temporary folder,
adds ITEMS (default 5,000) newspaper articles with an author, outlet, date and URL, then
times reading the database (copy + queries), the first import (every record written,
atomically, each file fsynced) and a second import (nothing changed, nothing written).
Wall-clock times (perf_counter).
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from policycite.zotero.importer import import_items
from policycite.zotero.sqlite import read_data_directory

ROOT = Path(__file__).resolve().parent.parent


def _build(target: Path) -> None:
    spec = importlib.util.spec_from_file_location("fixture", ROOT / "tools/make_zotero_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fixture"] = module
    spec.loader.exec_module(module)
    module.build(target)


def _add_articles(database: Path, count: int) -> None:
    db = sqlite3.connect(database)
    fields = dict(db.execute("SELECT fieldName, fieldID FROM fields"))
    news = db.execute("SELECT itemTypeID FROM itemTypes WHERE typeName = 'newspaperArticle'")
    news_type = news.fetchone()[0]
    next_value = db.execute("SELECT max(valueID) FROM itemDataValues").fetchone()[0] + 1
    values: dict[str, int] = {}
    for number in range(count):
        item = 10_000 + number
        db.execute(
            "INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, ?, 1, ?)",
            (item, news_type, f"B{number:07X}"),
        )
        data = {
            "title": f"Article number {number}",
            "publicationTitle": "The Benchmark Times",
            "date": f"2023-{number % 12 + 1:02d}-{number % 28 + 1:02d} as typed",
            "url": f"https://times.example/{number}",
        }
        for name, text in data.items():
            if text not in values:
                values[text] = next_value
                db.execute("INSERT INTO itemDataValues VALUES (?, ?)", (next_value, text))
                next_value += 1
            db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item, fields[name], values[text]))
        creator = 1_000 + number % 300
        db.execute(
            "INSERT OR IGNORE INTO creators VALUES (?, 'Given', ?, 0)",
            (creator, f"Family{number % 300}"),
        )
        db.execute("INSERT INTO itemCreators VALUES (?, ?, 1, 0)", (item, creator))
    db.commit()
    db.close()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "Zotero"
        _build(data_dir)
        _add_articles(data_dir / "zotero.sqlite", count)
        library = Path(tmp) / "refs"
        start = time.perf_counter()
        data = read_data_directory(data_dir)
        read = time.perf_counter()
        first = import_items(data.items, library)
        imported = time.perf_counter()
        second = import_items(data.items, library)
        again = time.perf_counter()
    unchanged = sum(1 for i in second.imported if i.status == "unchanged")
    print(f"{len(data.items)} items")
    print(f"read the data directory  {read - start:7.2f} s")
    print(f"first import             {imported - read:7.2f} s  ({len(first.imported)} records)")
    print(f"second import            {again - imported:7.2f} s  ({unchanged} unchanged)")


if __name__ == "__main__":
    main()
