"""The caches a check writes never change its findings.

A first check of a library writes the library's ``snapshots/grams.pack``, the library
cache and the derived caches (matcher index, copy index, rendered entries: see
policycite.derived) without an fsync (they are derived data); a crash may leave any of
them empty, short or zeroed. Such a file must be rebuilt, never trusted; a cache made
before a record or snapshot changed must not be used; and a first check must report
exactly what a warm one does.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

from policycite import derived
from policycite.anchors import shingles
from policycite.anchors.copying import gram_hashes
from policycite.anchors.shingles import MAGIC, PACK_NAME, grams_bytes, read_pack
from policycite.capture.document import Paragraph
from policycite.cli import main
from policycite.errors import InputError
from policycite.library import _cache_file, load_library, save_source
from policycite.model import Name, PartialDate
from policycite.paths import cache_folder
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

from libraries import write_library

PARAGRAPHS = [
    "The harbour board approved a fund of forty million euros for the ports of the "
    "northern coast, to be spent over six years on quays, locks and storm barriers.",
    "Each port may claim up to sixty percent of the cost of works that keep it open "
    "during storm surges, provided the municipality pays the rest within two years.",
    "Applications open in March and are judged by an independent panel of engineers "
    "who publish their reasons for every grant and every refusal.",
]
SOURCES = [
    (
        {
            "key": "harbour2024",
            "kind": "webpage",
            "title": "Harbour fund for the northern ports",
            "authors": (Name(literal="Northern Harbour Board"),),
            "issued": PartialDate(2024, 3, 5),
            "container_title": "Northern Harbour Board",
            "url": "https://harbour.example.org/news/fund",
        },
        PARAGRAPHS,
    ),
    (
        {
            "key": "rivers2023",
            "kind": "webpage",
            "title": "River freight in numbers",
            "authors": (Name(literal="Inland Waterways Office"),),
            "issued": PartialDate(2023, 11, 2),
            "url": "https://rivers.example.org/freight",
        },
        ["Inland waterways carry a fifth of the region's freight at half the cost of roads."],
    ),
]
BRIEF = """# Ports

The board says that each port "may claim up to seventy percent of the cost of works"
(Northern Harbour Board, 2024, para. 2). Applications open in March and are judged by an
independent panel of engineers who publish their reasons for every grant. Freight by
river is cheap (Inland Waterways Office, 2023).

## References

Northern Harbour Board. (2024, March 5). Harbour fund for the northern ports. https://harbour.example.org/news/fund

Inland Waterways Office. (2023). River freight in numbers. https://rivers.example.org/freight
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "references"
    folder.mkdir()
    write_library(folder, SOURCES, "2025-01-10T09:00:00Z")
    (tmp_path / "brief.md").write_text(BRIEF, encoding="utf-8")
    return folder


def _check(library: Path, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(["check", str(library.parent / "brief.md"), "-l", str(library)])
    assert status == 1
    return capsys.readouterr().out


def _grams_files(library: Path) -> list[Path]:
    return sorted((library / "snapshots").glob("??/*.grams"))


def _pack(library: Path) -> Path:
    return library / "snapshots" / PACK_NAME


def _derived_files() -> list[Path]:
    """The derived caches a check keeps: matcher index, copy index, rendered entries and
    which snapshots share text with the brief."""
    return sorted(p for p in cache_folder().glob("*.pickle") if not p.name.startswith("library-"))


def test_a_first_check_and_a_warm_check_report_the_same(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not _pack(library).exists()
    assert not _cache_file(library).exists()
    first = _check(library, capsys)
    # One pack of both snapshots' grams, written by the first check; no file per snapshot.
    assert _grams_files(library) == []
    packed = read_pack(_pack(library).read_bytes())
    assert packed is not None
    store = SnapshotStore(library)
    assert {sha: list(g) for sha, g in packed.items()} == {
        sha: list(gram_hashes(store.text(sha))) for sha in store.hashes()
    }
    assert _cache_file(library).exists()
    assert {p.name.split("-")[0] for p in _derived_files()} == {
        "matcher",
        "copyindex",
        "render",
        "sharing",
    }
    # The findings this test is about: a misquotation and a sentence copied unmarked.
    assert "PC220" in first or "PC401" in first
    assert "PC410" in first
    assert _check(library, capsys) == first
    assert _check(library, capsys) == first


def test_the_derived_caches_are_read_back_and_give_the_cold_findings(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(library, capsys)
    # Building any of them again would be a cache miss: none may happen on a warm run.
    built: list[str] = []
    monkeypatch.setattr(
        "policycite.derived.store", lambda kind, scope, key, value: built.append(kind)
    )
    assert _check(library, capsys) == first
    assert built == []


def test_the_snapshots_sharing_text_with_the_brief_are_remembered(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(library, capsys)
    compared: list[int] = []
    real = shingles.sharing

    def counted(*args: object, **kwargs: object) -> list[str]:
        compared.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shingles, "sharing", counted)
    # The same brief against the same snapshots: the answer is read back, not compared.
    assert _check(library, capsys) == first
    assert compared == []
    # Another brief text is compared again (and its answer kept in place of the old one).
    brief = library.parent / "brief.md"
    brief.write_text(BRIEF.replace("Freight by", "Goods by"), encoding="utf-8")
    second = _check(library, capsys)
    assert compared == [1]
    assert second == first
    assert _check(library, capsys) == second
    assert compared == [1]


def test_an_answer_that_met_an_unreadable_snapshot_is_not_remembered(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SnapshotStore(library)
    shas = sorted(store.hashes())

    def unreadable(self: shingles.StoredGrams, sha256: str) -> object:
        raise InputError("damaged")

    monkeypatch.setattr(shingles.StoredGrams, "grams", unreadable)
    grams = shingles.StoredGrams(store)
    assert shingles._remembered_sharing(store, shas, BRIEF, grams) == []
    assert not list(cache_folder().glob("sharing-*.pickle"))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: bytes(len(data)), id="zeroed"),
        pytest.param(lambda data: data[:44] + bytes(len(data) - 44), id="zeroed-body"),
        pytest.param(lambda data: data[:-4], id="one-gram-short"),
        pytest.param(lambda data: data[:-4] + b"\xff\xff\xff\xff", id="one-gram-changed"),
    ],
)
def test_a_damaged_pack_is_rebuilt_and_the_findings_stay(
    library: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    first = _check(library, capsys)
    good = _pack(library).read_bytes()
    _pack(library).write_bytes(damage(good))  # type: ignore[operator]
    # The same brief again: which snapshots share its text is remembered, the pack unread.
    assert _check(library, capsys) == first
    # Without that answer the grams are compared again: the damaged pack is not trusted.
    for path in cache_folder().glob("sharing-*.pickle"):
        path.unlink()
    assert _check(library, capsys) == first
    assert _pack(library).read_bytes() == good  # rebuilt whole by that check


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: bytes(len(data)), id="zeroed"),
        pytest.param(lambda data: data[: len(MAGIC) + 4] + bytes(len(data) - 8), id="zeroed-body"),
        pytest.param(lambda data: data[:-4], id="one-gram-short"),
    ],
)
def test_a_damaged_grams_file_is_not_trusted_for_the_pack(
    library: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    first = _check(library, capsys)
    store = SnapshotStore(library)
    for sha in store.hashes():  # as `policycite add` leaves them: one per snapshot
        path = store.cache_path(sha, "grams")
        path.write_bytes(damage(grams_bytes(sha, gram_hashes(store.text(sha)))))  # type: ignore[operator]
    good = _pack(library).read_bytes()
    _pack(library).unlink()
    for path in cache_folder().glob("sharing-*.pickle"):
        path.unlink()  # the grams must be compared again, not the answer read back
    assert _check(library, capsys) == first
    assert _pack(library).read_bytes() == good  # made from the texts, not the damaged files


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:40] + bytes(len(data) - 40), id="zeroed-tail"),
        pytest.param(lambda data: data[:32] + b"not a pickle", id="garbage"),
    ],
)
def test_a_damaged_derived_cache_is_ignored_and_rebuilt(
    library: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    first = _check(library, capsys)
    files = _derived_files()
    assert len(files) == 4
    good = {path: path.read_bytes() for path in files}
    for path, data in good.items():
        path.write_bytes(damage(data))  # type: ignore[operator]
    assert _check(library, capsys) == first
    for path in files:  # written again, whole, and read back next time
        assert derived.read_sealed(path) is not None
    assert _check(library, capsys) == first


def _cold(library: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    """The findings of a check with no caches at all (an empty cache folder, no pack)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYCITE_CACHE_DIR", str(tmp_path / "cold-cache"))
        pack = _pack(library)
        kept = pack.read_bytes() if pack.exists() else None
        pack.unlink(missing_ok=True)
        try:
            return _check(library, capsys)
        finally:
            shutil.rmtree(tmp_path / "cold-cache")
            if kept is not None:
                pack.write_bytes(kept)


def test_a_cache_made_before_a_record_was_edited_is_not_used(
    library: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _check(library, capsys)
    records = load_library(library).library
    # One record now says 2023 (the reference's date no longer fits it); the other has
    # another title (the rendering proposed for its entry changes).
    save_source(library, attrs.evolve(records["harbour2024"], issued=PartialDate(2023, 3, 5)))
    save_source(library, attrs.evolve(records["rivers2023"], title="River freight in figures"))
    after = _check(library, capsys)
    assert after != before
    assert "is dated 2023-03-05" in after
    assert "@rivers2023 (0.99)" in after  # matched again: the title differs now
    assert "which lacks “numbers”" in after  # rendered again, from the edited record
    assert after == _cold(library, capsys, tmp_path)


def test_a_cache_made_before_a_snapshot_was_replaced_is_not_used(
    library: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _check(library, capsys)
    assert "PC410" in before
    source = load_library(library).library["harbour2024"]
    store = SnapshotStore(library)
    old = store.get(source.provenance.content_sha256 or "")
    # A new capture: the quotation is now verbatim and the copied sentence is gone.
    text = old.text.replace("sixty percent", "seventy percent").replace(
        "Applications open in March and are judged by an independent panel", "Panels judge"
    )
    new = Snapshot(sha256_text(text), text, _reflowed(old.paragraphs, old.text, text))
    store.put(new)
    provenance = attrs.evolve(source.provenance, content_sha256=new.sha256)
    save_source(library, attrs.evolve(source, provenance=provenance))
    after = _check(library, capsys)
    assert after != before
    assert "PC401" in before and "PC401" not in after  # the quotation is verbatim now
    copied = "Applications open in March and are judged by an"
    assert copied in before and copied not in after
    assert after == _cold(library, capsys, tmp_path)


def _reflowed(paragraphs: tuple[Paragraph, ...], old: str, new: str) -> list[Paragraph]:
    """The paragraphs of ``old`` laid over ``new`` (blocks separated by blank lines)."""
    blocks = new.split("\n\n")
    assert len(blocks) == len(paragraphs)
    out, offset = [], 0
    for para, block in zip(paragraphs, blocks, strict=True):
        out.append(attrs.evolve(para, start=offset, end=offset + len(block)))
        offset += len(block) + 2
    return out


def test_concurrent_writers_leave_one_whole_cache(tmp_path: Path) -> None:
    # Each writer's value is large enough that a torn write would be seen.
    values = [list(range(n, n + 200_000)) for n in range(6)]
    seen: list[object] = []

    def write(value: list[int]) -> None:
        for _ in range(5):
            derived.store("test", "scope", "key", value)
            seen.append(derived.load("test", "scope", "key"))

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, values))
    final = derived.load("test", "scope", "key")
    assert final in values
    # A reader between writes sees one writer's value whole, never a mix or an error.
    assert all(value in values for value in seen)
    assert list(cache_folder().glob(".*.tmp")) == []


def test_a_stale_key_or_another_kind_is_never_read(tmp_path: Path) -> None:
    derived.store("test", "scope", "key-1", {"made": 1})
    assert derived.load("test", "scope", "key-1") == {"made": 1}
    assert derived.load("test", "scope", "key-2") is None
    assert derived.load("other", "scope", "key-1") is None
    assert derived.load("test", "other scope", "key-1") is None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:100] + bytes(len(data) - 100), id="zeroed-tail"),
        # A pickle that still loads, but not the one written: the digest tells.
        pytest.param(lambda data: data.replace(b"Harbour fund", b"Harbour fine"), id="edited"),
    ],
)
def test_a_damaged_library_cache_is_not_trusted(
    library: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    first = _check(library, capsys)
    cache = _cache_file(library)
    data = cache.read_bytes()
    cache.write_bytes(damage(data))  # type: ignore[operator]
    assert load_library(library, cache=True) == load_library(library)
    # Written again whole (not byte for byte: a record written under two seconds before
    # is stored as one to read again, see library._RACY_NS, and the test may cross that).
    assert derived.read_sealed(cache) is not None
    assert load_library(library, cache=True) == load_library(library)
    assert _check(library, capsys) == first


def test_caches_skip_the_fsync_records_do_not(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = __import__("os").fsync
    monkeypatch.setattr("os.fsync", lambda fd: (synced.append(fd), real(fd))[1])
    _check(library, capsys)  # writes the grams pack, the library cache, derived caches
    assert synced == []
    write_library(library, SOURCES[:1], "2025-01-10T09:00:00Z")  # a record: durable
    assert synced
