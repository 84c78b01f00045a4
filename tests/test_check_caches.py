"""The caches a check writes (5-gram files, the library cache) never change its findings.

A first check of a library writes each snapshot's ``.grams`` file and the library cache
without an fsync (they are derived data); a crash may leave either empty, short or
zeroed. Such a file must be rebuilt, never trusted, and a first check must report
exactly what a warm one does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policycite.anchors.shingles import MAGIC, grams_bytes, snapshot_grams
from policycite.cli import main
from policycite.library import _cache_file, load_library
from policycite.model import Name, PartialDate
from policycite.snapshots import SnapshotStore

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


def test_a_first_check_and_a_warm_check_report_the_same(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _grams_files(library) == []
    assert not _cache_file(library).exists()
    first = _check(library, capsys)
    assert len(_grams_files(library)) == 2  # written by the first check
    assert _cache_file(library).exists()
    # The findings this test is about: a misquotation and a sentence copied unmarked.
    assert "PC220" in first or "PC401" in first
    assert "PC410" in first
    assert _check(library, capsys) == first
    assert _check(library, capsys) == first


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
def test_a_damaged_grams_file_is_rebuilt_and_the_findings_stay(
    library: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    first = _check(library, capsys)
    store = SnapshotStore(library)
    for path in _grams_files(library):
        sha = path.name.removesuffix(".grams")
        good = path.read_bytes()
        assert good == grams_bytes(sha, snapshot_grams(store, sha))
        path.write_bytes(damage(good))  # type: ignore[operator]
    assert _check(library, capsys) == first
    for path in _grams_files(library):  # rebuilt whole by that check
        sha = path.name.removesuffix(".grams")
        assert path.read_bytes() == grams_bytes(sha, snapshot_grams(store, sha))


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
    assert cache.read_bytes() == data  # written again whole
    assert _check(library, capsys) == first


def test_caches_skip_the_fsync_records_do_not(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = __import__("os").fsync
    monkeypatch.setattr("os.fsync", lambda fd: (synced.append(fd), real(fd))[1])
    _check(library, capsys)  # writes two .grams files and the library cache
    assert synced == []
    write_library(library, SOURCES[:1], "2025-01-10T09:00:00Z")  # a record: durable
    assert synced
