"""`verify --offline` notices damage to every file beside a snapshot, and repairs what it can.

Issue 13 item 5: a deleted sidecar, a sidecar whose URL or paragraph numbers were edited,
anchor offsets shifted in a record, and a .grams file zeroed behind a valid header (after
which the copy check missed a copied sentence). Sidecars and .grams files carry their own
checksum; old ones without it are checked against their text and upgraded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from policycite.anchors.shingles import MAGIC, snapshot_grams
from policycite.capture.pipeline import add
from policycite.cli import main
from policycite.library import load_library
from policycite.snapshots import SnapshotStore
from policycite.verify import VerifyOptions, verify

PARAGRAPHS = [
    "The Lantern Valley Water Authority will replace the old pumping station at Oskarby by "
    "2028, after an inspection found cracks in two of its four intake pipes last winter.",
    "The new station will draw water from deeper in the lake, where the temperature is "
    "steadier and algae are rarer, and will be able to supply the whole valley on its own "
    "during a drought lasting several months without any help from the neighbouring "
    "municipalities of the coast.",
    "Residents of Oskarby can follow the works on the authority's website, where a map of "
    "the closed roads will be updated every Monday morning.",
]
URL = "https://water.lantern-valley.example/news/oskarby-pumping-station"
OFFLINE = VerifyOptions(online=False, archive=False)


def release() -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Oskarby pumping station to be replaced</title>"
        '<meta name="citation_title" content="Oskarby pumping station to be replaced">'
        '<meta name="citation_publication_date" content="2026/02/10">'
        '<meta name="DC.publisher" content="Lantern Valley Water Authority">'
        f"</head><body><main><h1>Oskarby pumping station to be replaced</h1>{body}</main>"
        "</body></html>"
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    page = tmp_path / "oskarby.html"
    page.write_text(release(), encoding="utf-8")
    folder = tmp_path / "refs"
    result = add(page, folder, url=URL)
    assert [a.status for a in result.added] == ["new"]
    return folder


def only(folder: Path) -> tuple[str, str]:
    """The library's one key and its snapshot's hash."""
    [source] = list(load_library(folder).library)
    assert source.provenance.content_sha256 is not None
    return source.key, source.provenance.content_sha256


def codes(folder: Path) -> list[str]:
    return [f.code for f in verify(folder, options=OFFLINE)]


def test_a_deleted_sidecar_is_reported(library: Path) -> None:
    _key, sha = only(library)
    assert codes(library) == []
    SnapshotStore(library).sidecar_path(sha).unlink()
    assert "PC332" in codes(library)


def test_an_edited_sidecar_url_is_reported(library: Path) -> None:
    _key, sha = only(library)
    side = SnapshotStore(library).sidecar_path(sha)
    data = json.loads(side.read_text(encoding="utf-8"))
    assert data["url"] == URL
    data["url"] = "https://water.lantern-valley.example/news/something-else"
    side.write_text(json.dumps(data, indent=1), encoding="utf-8")
    found = verify(library, options=OFFLINE)
    assert [f.code for f in found] == ["PC333"]
    assert "checksum" in found.findings[0].message


def test_edited_paragraph_numbers_are_reported(library: Path) -> None:
    _key, sha = only(library)
    side = SnapshotStore(library).sidecar_path(sha)
    data = json.loads(side.read_text(encoding="utf-8"))
    numbered = [p for p in data["paragraphs"] if p[2] is not None]
    numbered[-1][2] += 5
    side.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert "PC333" in codes(library)


def test_an_old_sidecar_is_checked_against_its_text_and_upgraded(library: Path) -> None:
    _key, sha = only(library)
    side = SnapshotStore(library).sidecar_path(sha)
    data = json.loads(side.read_text(encoding="utf-8"))
    data.pop("checksum", None)
    side.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert codes(library) == []
    assert "checksum" in json.loads(side.read_text(encoding="utf-8"))  # upgraded
    # An old sidecar (no checksum) whose paragraph numbers were edited is caught too.
    data["paragraphs"][-1][2] = 40
    side.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert "PC333" in codes(library)


def test_shifted_anchor_offsets_are_reported(library: Path) -> None:
    key, _sha = only(library)
    quote = "replace the old pumping station at Oskarby by 2028"
    assert main(["anchor", key, quote, "-l", str(library)]) == 0
    assert codes(library) == []
    record = library / f"{key}.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    [stored] = data["custom"]["anchors"]
    stored["start"] += 7
    stored["end"] += 7
    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = verify(library, options=OFFLINE)
    assert [f.code for f in found] == ["PC334"]
    assert f"{stored['start']}..{stored['end']}" in found.findings[0].message


@pytest.mark.parametrize("header", [MAGIC, b"PCG1"])
def test_a_zeroed_grams_file_is_rebuilt_so_copying_is_found(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], header: bytes
) -> None:
    _key, sha = only(library)
    store = SnapshotStore(library)
    grams = snapshot_grams(store, sha)
    path = store.cache_path(sha, "grams")
    copied = PARAGRAPHS[1]
    assert len(copied.split()) >= 40
    brief = tmp_path / "brief.md"
    brief.write_text(f"# Water\n\nAs we see it, {copied}\n", encoding="utf-8")
    # Zeroed behind a valid-looking header: the same length, no gram left.
    path.write_bytes(header + bytes(len(path.read_bytes()) - len(header)))
    assert main(["copying", str(brief), "-l", str(library)]) == 1
    assert "PC410" in capsys.readouterr().err
    assert snapshot_grams(store, sha) == grams
    # verify rebuilds it too, and says it was damaged.
    path.write_bytes(header + bytes(len(path.read_bytes()) - len(header)))
    assert "PC335" in codes(library)
    assert snapshot_grams(store, sha) == grams
