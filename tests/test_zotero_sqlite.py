"""Importing a Zotero data directory: kinds, dates, keys, aliases, snapshots, idempotence.

The data directory is tests/data/zotero/data, built by tools/make_zotero_fixture.py with
Zotero's table layout (a test below checks the committed files are what it builds).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from policycite.anchors.pinning import pin
from policycite.cli import main
from policycite.formats.bibmap import PROFILES
from policycite.library import load_library
from policycite.model import AnchorStatus, CaptureMethod, PartialDate, Source
from policycite.snapshots import SnapshotStore
from policycite.zotero.importer import import_items
from policycite.zotero.sqlite import read_data_directory

from conftest import DATA

DATA_DIR = DATA / "zotero" / "data"
ROOT = Path(__file__).resolve().parent.parent
LOCAL = "http://zotero.org/users/local/Q8XK2M4P/items/"
GROUP = "http://zotero.org/groups/4711/items/"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    """Every file under folder (but the lock) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the data directory (tests that change it must not touch the repo)."""
    target = tmp_path / "Zotero"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    library = tmp_path / "refs"
    result = import_items(read_data_directory(DATA_DIR).items, library)
    assert {i.status for i in result.imported} == {"new"}
    return library


# key, kind, issued, alias, and fields that must hold
EXPECTED: list[tuple[str, str, str | None, str | tuple[str, ...], dict[str, Any]]] = [
    (
        "mfaf2024",
        "press-release",
        "2024-03-05",
        (LOCAL + "PRESS234", LOCAL + "DUPLIC23"),  # and the item merged into it
        {"authors": "Ministry of Foreign Affairs of Freedonia", "csl_type": None, "genre": None},
    ),
    (
        "lima2024",
        "news-article",
        "2024-03-06",
        LOCAL + "NEWS2345",
        {"container_title": "The Freedonia Herald", "section": "World", "authors": "Ana Lima"},
    ),
    (
        "firefly2024forum",
        "speech",
        "2024-04-02",
        LOCAL + "SPEECH23",
        {
            "authors": "Rufus T. Firefly",
            "event_title": "Freedonia Trade Forum",
            "event_place": "Fredonia City",
            "genre": None,
        },
    ),
    (
        "csu2024border",
        "statement",
        "2024-01-09",
        LOCAL + "STATE234",
        {"authors": "Council of the Sylvanian Union", "csl_type": None},
    ),
    (
        "sso-dashboard",
        "webpage",
        None,
        LOCAL + "WEBPAG23",
        {"container_title": "Sylvania Statistics Office"},
    ),
    (
        "ivanova2024",
        "news-article",
        "2024-02-20",
        LOCAL + "RUSNEW23",
        {"title": "Переговоры о торговле возобновились", "language": "ru"},  # noqa: RUF001
    ),
    (
        "annual2024",
        "report",
        "2024-01",
        GROUP + "GROUP234",
        {
            "publisher": "Freedonia Trade Institute",
            "number": "FTI-2024-1",
            "genre": "Annual report",
        },
    ),
    (
        "grainger2024",
        "webpage",
        "2024-06-01",
        LOCAL + "BLOGPO23",
        {"csl_type": "post-weblog", "container_title": "Grain Notes"},
    ),
]


@pytest.mark.parametrize(
    ("key", "kind", "issued", "alias", "fields"), EXPECTED, ids=lambda v: str(v)[:20]
)
def test_every_item_type_gets_its_kind_date_key_and_alias(
    imported: Path,
    key: str,
    kind: str,
    issued: str | None,
    alias: str | tuple[str, ...],
    fields: dict[str, Any],
) -> None:
    source = load_library(imported).library[key]
    assert source.kind == kind
    assert (str(source.issued) if source.issued else None) == issued
    assert source.provenance.aliases == (alias if isinstance(alias, tuple) else (alias,))
    assert source.provenance.method is CaptureMethod.ZOTERO_IMPORT
    for name, value in fields.items():
        actual = getattr(source, name)
        if name == "authors":
            actual = "; ".join(n.display for n in actual)
        assert actual == value, name


def test_keys_are_citation_keys_or_author_year_never_zotero_keys(imported: Path) -> None:
    library = load_library(imported).library
    assert sorted(library.keys) == sorted(k for k, *_ in EXPECTED)
    names = {p.name for p in imported.glob("*.yaml")}
    assert names == {f"{k}.yaml" for k, *_ in EXPECTED}
    for source in library:
        item_key = source.provenance.aliases[0].rsplit("/", 1)[1]
        assert item_key not in source.key and "zotero.org" not in source.key


def test_press_release_and_news_keep_their_full_date_in_apa(imported: Path) -> None:
    from policycite.render import Renderer

    library = load_library(imported).library
    text = Renderer(library, "apa").bibliography(["mfaf2024", "lima2024"]).as_text()
    assert "(2024, March 5). Freedonia and Sylvania sign trade accord [Press release]" in text
    assert "Lima, A. (2024, March 6)." in text


def test_trash_notes_attachments_and_bad_paths_are_left_out() -> None:
    data = read_data_directory(DATA_DIR)
    keys = {item.data["key"] for item in data.items}
    assert "TRASH234" not in keys  # in deletedItems
    assert not keys & {"NOTEKEY2", "SNAPKEY2", "EVILKEY2"}  # a note and attachments
    assert data.userdata == 107
    page = next(i for i in data.items if i.data["key"] == "WEBPAG23")
    assert page.snapshot is None
    assert [f.code for f in page.problems] == ["PC324"]
    assert "storage:../../../etc/passwd" in page.problems[0].message


def test_zotero_stored_dates_become_the_text_as_typed() -> None:
    data = {i.data["key"]: i.data for i in read_data_directory(DATA_DIR).items}
    assert data["PRESS234"]["date"] == "March 5, 2024"  # stored "2024-03-05 March 5, 2024"
    assert data["GROUP234"]["date"] == "January 2024"
    assert data["NEWS2345"]["accessDate"] == "2024-03-06 10:00:00"


def test_snapshot_is_stored_with_its_provenance_and_quotations_check(imported: Path) -> None:
    source = load_library(imported).library["lima2024"]
    sha = source.provenance.content_sha256
    assert sha is not None
    assert source.provenance.captured_at == "2024-03-06T10:00:05Z"
    assert source.provenance.accessed == PartialDate(2024, 3, 6)
    store = SnapshotStore(imported)
    snapshot = store.get(sha)
    assert snapshot.method == "zotero-snapshot"
    assert snapshot.url == "https://herald.freedonia.example/world/2024/03/06/trade-accord"
    assert snapshot.captured_at == "2024-03-06T10:00:05Z"
    assert "Home" not in snapshot.text  # extracted as add extracts a saved page
    original = store.original_path(snapshot.original_sha256 or "")
    assert original is not None
    assert original.read_bytes() == (DATA_DIR / "storage/SNAPKEY2/trade-accord.html").read_bytes()
    right = pin(imported, source, "This accord opens our ports to the goods of both nations")
    assert right.anchor.status is AnchorStatus.VERBATIM
    assert right.anchor.paragraph == 2
    wrong = pin(imported, source, "This accord opens our borders to the goods of both nations")
    assert wrong.anchor.status is AnchorStatus.MISQUOTE


def test_reimport_is_idempotent_byte_for_byte(imported: Path) -> None:
    before = files(imported)
    result = import_items(read_data_directory(DATA_DIR).items, imported)
    assert {i.status for i in result.imported} == {"unchanged"}
    assert files(imported) == before


def test_reimport_keeps_a_hand_edit_and_takes_zoteros_changes(
    imported: Path, data_dir: Path
) -> None:
    record = imported / "mfaf2024.yaml"
    text = record.read_text(encoding="utf-8")
    edited = text.replace(
        "title: Freedonia and Sylvania sign trade accord",
        "title: Freedonia and Sylvania sign a trade accord",
    )
    assert edited != text
    record.write_text(edited, encoding="utf-8")
    # Meanwhile, in Zotero: the date is corrected, and the title too.
    db = sqlite3.connect(data_dir / "zotero.sqlite")
    db.execute(
        "UPDATE itemDataValues SET value = '2024-03-04 March 4, 2024' "
        "WHERE value = '2024-03-05 March 5, 2024'"
    )
    db.execute(
        "UPDATE itemData SET valueID = (SELECT max(valueID) + 1 FROM itemDataValues) "
        "WHERE itemID = 1 AND fieldID = 110"
    )
    db.execute(
        "INSERT INTO itemDataValues SELECT max(valueID) + 1, 'Trade accord signed' "
        "FROM itemDataValues"
    )
    db.commit()
    db.close()

    result = import_items(read_data_directory(data_dir).items, imported)
    statuses = {i.source.key: i.status for i in result.imported}
    assert statuses["mfaf2024"] == "updated"
    assert statuses["lima2024"] == "unchanged"
    press = next(i for i in result.imported if i.source.key == "mfaf2024")
    assert press.kept == ("title",) and press.conflicts == ("title",)
    source = load_library(imported).library["mfaf2024"]
    assert source.title == "Freedonia and Sylvania sign a trade accord"  # the hand edit
    assert source.issued == PartialDate(2024, 3, 4)  # Zotero's correction
    assert source.provenance.extracted["title"] == "edited by hand"
    assert "kept hand edit of title (changed in Zotero too)" in result.to_text()
    # Once more: nothing changes.
    before = files(imported)
    again = import_items(read_data_directory(data_dir).items, imported)
    assert {i.status for i in again.imported} == {"unchanged"}
    assert files(imported) == before


def test_reimport_keeps_anchors_and_fields_added_by_hand(imported: Path) -> None:
    from policycite.anchors.pinning import save_anchors

    source = load_library(imported).library["lima2024"]
    save_anchors(imported, source, [pin(imported, source, "opens our ports").anchor])
    record = imported / "lima2024.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "section: World\n", "section: World\nnumber: '42'\n"
        ),
        encoding="utf-8",
    )
    before = files(imported)
    result = import_items(read_data_directory(DATA_DIR).items, imported)
    lima = next(i for i in result.imported if i.source.key == "lima2024")
    assert lima.source.anchors and lima.source.number == "42"
    assert lima.status == "unchanged"  # kept as it is: nothing to write
    assert lima.kept == ("number",)
    assert files(imported) == before


def test_the_database_is_copied_never_opened_in_place(data_dir: Path, tmp_path: Path) -> None:
    database = data_dir / "zotero.sqlite"
    # Zotero running: WAL mode with a change not yet checkpointed, an exclusive lock held.
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute(
        "UPDATE itemDataValues SET value = 'Talks on the accord resume' "
        "WHERE value = 'What the accord means for farmers'"
    )
    db.commit()
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
    db.execute("BEGIN EXCLUSIVE")
    db.execute("SELECT count(*) FROM items").fetchone()
    try:
        stamps = {
            p: (p.stat().st_mtime_ns, p.read_bytes()) for p in data_dir.glob("zotero.sqlite*")
        }
        assert (data_dir / "zotero.sqlite-wal").exists()
        other = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("SELECT count(*) FROM items").fetchone()
        other.close()
        data = read_data_directory(data_dir)
        titles = {i.data.get("title") for i in data.items}
        assert "Talks on the accord resume" in titles  # read from the copied -wal
        assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in stamps} == stamps
        assert sorted(p.name for p in data_dir.iterdir()) == sorted(
            [
                "better-bibtex.sqlite",
                "storage",
                "zotero.sqlite",
                "zotero.sqlite-shm",
                "zotero.sqlite-wal",
            ]
        )
    finally:
        db.rollback()
        db.close()


def test_the_committed_fixture_is_what_the_script_builds(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fixture", ROOT / "tools/make_zotero_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fixture"] = module
    try:
        spec.loader.exec_module(module)
        module.build(tmp_path / "data")
        module.build(tmp_path / "example", example=True)
    finally:
        del sys.modules["fixture"]
    assert files(tmp_path / "data") == files(DATA_DIR)
    assert files(tmp_path / "example") == files(ROOT / "examples" / "zotero")


def _same_records(a: Source, b: Source, *, carried_only: bool = False) -> None:
    if carried_only:  # what BibTeX cannot carry (bibmap.NOT_CARRIED)
        a = _without_review(a)
        b = _without_review(b)
    assert a == b


def _without_review(source: Source) -> Source:
    import attrs

    return attrs.evolve(source, provenance=attrs.evolve(source.provenance, extracted={}))


@pytest.mark.parametrize("target", ["csljson", *sorted(PROFILES)])
def test_round_trip_through_convert_is_lossless(
    capsys: pytest.CaptureFixture[str], imported: Path, tmp_path: Path, target: str
) -> None:
    suffix = ".json" if target == "csljson" else ".bib"
    exported = tmp_path / f"out{suffix}"
    args = ["--to", "csljson"] if target == "csljson" else ["--to", "bibtex", "--profile", target]
    code, _, err = run(capsys, "convert", str(imported), *args, "-o", str(exported))
    assert code == 0, err
    back = tmp_path / "back"
    code, _, err = run(capsys, "convert", str(exported), "--to", "yaml", "-o", str(back))
    assert code == 0, err
    original, again = load_library(imported).library, load_library(back).library
    assert sorted(original.keys) == sorted(again.keys)
    for source in original:
        _same_records(source, again[source.key], carried_only=target != "csljson")


def test_cli_imports_and_dry_run_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library = tmp_path / "refs"
    code, out, err = run(capsys, "import", "zotero", str(DATA_DIR), "-l", str(library), "-n")
    assert code == 1  # the attachment whose path leaves the data directory: PC324
    assert "would add @mfaf2024 (press-release)" in out
    assert out.rstrip().endswith("8 new (dry run: nothing written)")
    assert "PC324" in err
    assert not library.exists()
    code, out, err = run(
        capsys, "import", "zotero", str(DATA_DIR / "zotero.sqlite"), "-l", str(library)
    )
    assert code == 1
    assert "added @firefly2024forum (speech)" in out
    assert len(list(library.glob("*.yaml"))) == 8


def _old_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE version SET version = 70 WHERE schema = 'userdata'")
    db.commit()
    db.close()


def _no_column(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE itemAttachments RENAME COLUMN contentType TO mimeType")
    db.commit()
    db.close()


def _not_zotero(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text)")
    db.commit()
    db.close()


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"SQLite format 2\x00 this is not a database at all" * 20)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_not_sqlite, "not a SQLite database"),
        (_not_zotero, "not a Zotero database"),
        (_old_schema, "schema version 70, older than Zotero 5"),
        (_no_column, "table itemAttachments has no column contentType"),
    ],
)
def test_a_bad_database_is_one_line_exit_2_nothing_written(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, damage: Any, message: str
) -> None:
    database = data_dir / "zotero.sqlite"
    damage(database)
    library = tmp_path / "refs"
    code, out, err = run(capsys, "import", "zotero", str(data_dir), "-l", str(library))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and str(database) in err and message in err, err
    assert not library.exists()


def test_a_taken_better_bibtex_key_gets_a_letter(tmp_path: Path) -> None:
    library = tmp_path / "refs"
    library.mkdir()
    (library / "firefly2024forum.yaml").write_text(
        "id: firefly2024forum\nkind: book\ntitle: Another work\n", encoding="utf-8"
    )
    result = import_items(read_data_directory(DATA_DIR).items, library)
    speech = next(i for i in result.imported if i.source.kind == "speech")
    assert speech.source.key == "firefly2024foruma"
    assert [f.code for f in result.findings if f.code == "PC323"] == ["PC323"]
    assert load_library(library).library["firefly2024forum"].title == "Another work"


def test_zotero_item_keys_appear_only_in_the_aliases(imported: Path) -> None:
    library = load_library(imported).library
    for name, data in files(imported).items():
        assert "PRESS234" not in name
        if name.endswith(".yaml"):
            aliases = library[name.removesuffix(".yaml")].provenance.aliases
            assert data.decode("utf-8").count("zotero.org") == len(aliases), name


def test_a_page_captured_with_add_gets_the_items_uri_not_a_second_record(
    tmp_path: Path,
) -> None:
    from policycite.capture.pipeline import add

    library = tmp_path / "refs"
    page = DATA_DIR / "storage" / "SNAPKEY2" / "trade-accord.html"
    url = "https://herald.freedonia.example/world/2024/03/06/trade-accord"
    added = add(page, library, url=url, kind="news-article", accessed=PartialDate(2024, 3, 1))
    key = added.added[0].source.key if added.added[0].source else None
    assert key is not None
    before = load_library(library).library[key]
    result = import_items(read_data_directory(DATA_DIR).items, library)
    news = next(i for i in result.imported if i.source.key == key)
    assert news.status == "updated"
    assert len(list(library.glob("*.yaml"))) == 8  # not 9
    after = load_library(library).library[key]
    assert after.provenance.aliases == (LOCAL + "NEWS2345",)
    assert after.provenance.method is before.provenance.method  # the page add captured
    assert after.provenance.content_sha256 == before.provenance.content_sha256
    assert after.provenance.accessed == PartialDate(2024, 3, 1)
    assert after.title == before.title
    again = files(library)
    import_items(read_data_directory(DATA_DIR).items, library)
    assert files(library) == again


def test_items_of_a_feed_library_are_left_out(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "zotero.sqlite")
    db.execute("INSERT INTO libraries VALUES (3, 'feed', 0, 0, 0, 0, 0, 0)")
    db.execute(
        "INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (99, 4, 3, 'FEEDIT23')"
    )
    db.commit()
    db.close()
    keys = {i.data["key"] for i in read_data_directory(data_dir).items}
    assert "FEEDIT23" not in keys and "NEWS2345" in keys


def test_better_bibtex_5_keys_are_read(data_dir: Path) -> None:
    bbt = data_dir / "better-bibtex.sqlite"
    bbt.unlink()
    db = sqlite3.connect(bbt)
    db.execute("CREATE TABLE `better-bibtex` (name TEXT PRIMARY KEY, data TEXT)")
    entry = {"itemID": 2, "itemKey": "NEWS2345", "libraryID": 1, "citekey": "lima2024accord"}
    data = json.dumps({"data": [entry]})
    db.execute("INSERT INTO `better-bibtex` VALUES ('better-bibtex.citekey', ?)", (data,))
    db.commit()
    db.close()
    keys = {i.data["key"]: i.citation_key for i in read_data_directory(data_dir).items}
    assert keys["NEWS2345"] == "lima2024accord"
    assert keys["SPEECH23"] is None  # only in the BBT 6 table, gone now


def test_an_unreadable_better_bibtex_database_is_a_warning(data_dir: Path) -> None:
    (data_dir / "better-bibtex.sqlite").write_bytes(b"not a database" * 100)
    data = read_data_directory(data_dir)
    assert [f.code for f in data.findings] == ["PC323"]
    assert len(data.items) == 8


def test_non_latin_titles_are_romanised_beside_the_original_unless_asked_not(
    imported: Path, tmp_path: Path
) -> None:
    source = load_library(imported).library["ivanova2024"]
    assert source.title == "Переговоры о торговле возобновились"  # noqa: RUF001
    assert source.title_transliterated == "Peregovory o torgovle vozobnovilis’"
    assert source.authors[0].transliterated is not None
    plain = tmp_path / "plain"
    import_items(read_data_directory(DATA_DIR).items, plain, transliterate="none")
    assert load_library(plain).library["ivanova2024"].title_transliterated is None
