"""A library never read before, on every core: the same records, findings and errors as one.

Issue 17: the first check of a library parses every record file and hashes the 5-grams of
every snapshot. Both run in forked workers when there are many; these tests lower the
thresholds so that a small library takes the parallel path, and compare it with the
one-process read of the same files.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policycite as pc
from policycite import library
from policycite.anchors import shingles
from policycite.anchors.copying import gram_hashes
from policycite.capture.document import Block, Document
from policycite.errors import InputError
from policycite.formats import cslyaml
from policycite.render import parallel
from policycite.snapshots import Snapshot, SnapshotStore, sha256_text

from conftest import SAMPLE_LIBRARY

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers even on a one-core runner (the result must not depend on it).

    A thread another test left behind (a server's handler still winding down) would keep
    the read in one process; here the workers only read files, so forking is let through.
    """
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(parallel, "fork_is_safe", parallel.can_fork)


def _messy_library(folder: Path) -> Path:
    """The sample library, plus a misnamed copy, a stray file and a duplicate key."""
    shutil.copytree(SAMPLE_LIBRARY, folder, ignore=shutil.ignore_patterns("snapshots"))
    first = sorted(folder.glob("*.yaml"))[0]
    shutil.copy(first, folder / "renamed.yaml")
    (folder / "notes.txt").write_text("not a record", encoding="utf-8")
    return folder


def _read(folder: Path, minimum: int, monkeypatch: pytest.MonkeyPatch) -> pc.ReadResult:
    monkeypatch.setattr(library, "PARALLEL_MINIMUM", minimum)
    return pc.load_library(folder)


@pytest.mark.usefixtures("two_cores")
def test_records_read_in_workers_equal_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _messy_library(tmp_path / "references")
    one = _read(folder, 10**9, monkeypatch)
    many = _read(folder, 2, monkeypatch)
    assert len(one.library) >= 8
    assert list(many.library) == list(one.library)
    assert many.findings == one.findings
    assert {f.code for f in one.findings} >= {"PC002", "PC004", "PC005"}


@pytest.mark.usefixtures("two_cores")
def test_a_bad_record_among_many_is_the_same_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _messy_library(tmp_path / "references")
    names = sorted(p.name for p in folder.glob("*.yaml"))
    # Two bad files in different workers' chunks: the first in name order is reported.
    (folder / names[2]).write_text("id: [unclosed\n", encoding="utf-8")
    (folder / names[-1]).write_text("id: x\ntitle: [1, 2]\n", encoding="utf-8")
    errors = []
    for minimum in (10**9, 2):
        with pytest.raises(InputError) as caught:
            _read(folder, minimum, monkeypatch)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert names[2] in errors[0] and "\n" not in errors[0]


def _store(folder: Path, count: int) -> tuple[SnapshotStore, list[str]]:
    store = SnapshotStore(folder)
    shas = []
    for i in range(count):
        text = f"Snapshot {i} says the harbour fund pays up to {i} percent of the works."
        doc = Document([Block(text)])
        store.put(Snapshot(sha256_text(doc.text), doc.text, doc.paragraphs))
        shas.append(sha256_text(doc.text))
    return store, shas


@pytest.mark.usefixtures("two_cores")
def test_grams_hashed_in_workers_equal_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, shas = _store(tmp_path, 9)
    missing = "0" * 64  # named by a record, but no snapshot of it is stored
    damaged = shas[4]
    store.text_path(damaged).write_text("edited behind the hash", encoding="utf-8")
    hashes = [*shas, missing]
    brief = "As reported, the harbour fund pays up to 3 percent of the works."
    answers = []
    for minimum in (10**9, 2):
        monkeypatch.setattr(shingles, "PARALLEL_MINIMUM", minimum)
        grams = shingles.StoredGrams(store)
        grams.prefetch(hashes)
        # The parallel path fills the grams ahead; the one-process path leaves them.
        assert bool(grams._added) == (minimum == 2)
        unread: list[str] = []
        answers.append((shingles.sharing(store, hashes, brief, grams, unread), unread))
        for sha in shas:
            if sha != damaged:
                assert list(grams.grams(sha)) == list(gram_hashes(store.text(sha)))
    assert answers[0] == answers[1]
    assert answers[0] == ([shas[3]], [damaged, missing])


def test_no_fork_beside_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second thread running keeps the read in one process (its locks would stay held)."""
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert not parallel.fork_is_safe()
    finally:
        release.set()
        other.join(5)
    if threading.active_count() == 1:  # another test's thread may still be winding down
        assert parallel.fork_is_safe()


@pytest.mark.usefixtures("two_cores")
def test_grams_stay_in_one_process_beside_another_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, shas = _store(tmp_path, 9)
    monkeypatch.setattr(shingles, "PARALLEL_MINIMUM", 2)
    monkeypatch.setattr(parallel, "fork_is_safe", lambda: False)
    grams = shingles.StoredGrams(store)
    grams.prefetch(shas)
    assert not grams._added
    assert list(grams.grams(shas[0])) == list(gram_hashes(store.text(shas[0])))


ROOT = Path(__file__).resolve().parent.parent
TRICKY = [
    "id: 12\ntitle: 1_000\nnumber: 0x1F\nvolume: 1:20\nissue: 1.5e3\npage: .inf\n",
    "id: a\nyes: no\non: off\nnote: ~\nx: null\ny: Null\nz: true\n",
    "id: a\nissued: 2020-05-13\naccessed: 2020-05-13T10:00:00Z\n",
    "id: !!str 12\ntitle: !!int '7'\nURL: '12'\nnote: \"yes\"\n",
    "base: &b {title: T, kind: report}\nid: a\n<<: *b\nauthor: [*b, {literal: X}]\n",
    "id: a\n1: one\n2.5: two\ntrue: three\n",
    "id: a\nid: b\n",
    "id: a\n? [x]\n: y\n",
    "id: a\ntitle: |\n  two\n  lines\nabstract: >\n  folded\n  text\n",
    "- id: a\n- id: b\n  custom: {provenance: {content-sha256: ab}}\n",
    "id: a\ntitle: ''\nnote: \"\"\nempty:\n'': x\n",
    "id: a\ntitle: [unclosed\n",
    "",
    "just text\n",
]


def _yaml_inputs() -> list[str]:
    files = [
        p
        for folder in (ROOT / "references", ROOT / "tests" / "data", ROOT / "tests" / "hostile")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".yaml", ".yml"}
    ]
    return [p.read_text(encoding="utf-8", errors="replace") for p in files] + TRICKY


def _parsed(text: str) -> tuple[object, object]:
    """What parse makes of a text, with every mapping's lines; or the error's text."""

    def lines(value: object) -> object:
        if isinstance(value, dict):
            own = (getattr(value, "line", None), getattr(value, "lines", None))
            return own, [(k, lines(v)) for k, v in value.items()]
        if isinstance(value, list):
            return [lines(v) for v in value]
        return value, type(value)

    try:
        return "ok", lines(cslyaml.parse(text, "x.yaml"))
    except InputError as err:
        return "error", str(err)


def test_text_scalars_read_as_construct_object_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _yaml_inputs()
    assert len(texts) > 30
    fast = [_parsed(text) for text in texts]
    monkeypatch.setattr(cslyaml, "_STR", "no such tag")  # every node through construct_object
    slow = [_parsed(text) for text in texts]
    assert fast == slow
    assert sum(kind == "error" for kind, _ in fast) >= 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab: -[]{},\n'\"&*!<>?#|~0123456789.eyno_T", max_size=60))
def test_any_text_reads_as_construct_object_reads_it(text: str) -> None:
    fast = _parsed(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cslyaml, "_STR", "no such tag")
        assert _parsed(text) == fast
