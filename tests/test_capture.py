"""Capture end to end: the example pages become the right records, snapshots and findings.

Golden files (tests/golden/capture/<page>.txt) hold, per example page, the review `add`
prints, every record as written and every document's numbered paragraphs; the tests
below also assert the key facts one by one, so that a golden file cannot quietly absorb
a wrong title or date.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from policycite.capture.pipeline import AddResult, add
from policycite.cli import main
from policycite.formats.cslyaml import dump_record
from policycite.library import load_library
from policycite.model import Name, PartialDate
from policycite.snapshots import SnapshotStore

from conftest import ROOT, Golden
from httpserver import Server, hang, page, redirect, serve

EXAMPLES = ROOT / "examples" / "capture"
ACCESSED = PartialDate.parse("2026-11-20")
NOW = "2026-11-20T09:30:00+00:00"


def _add(target: str | Path, folder: Path, **options: object) -> AddResult:
    return add(target, folder, accessed=ACCESSED, now=lambda: NOW, **options)  # type: ignore[arg-type]


def _golden_text(result: AddResult, folder: Path) -> str:
    parts = ["# review\n", result.to_text().replace(str(folder), "references"), "\n# findings\n"]
    parts += [f"{f}\n".replace(str(EXAMPLES) + "/", "") for f in result.findings]
    for item in result.added:
        if item.source is not None:
            parts += [f"\n# record @{item.source.key}\n", dump_record(item.source)]
        parts.append(f"\n# text of document {item.snapshot.document}\n")
        for para in item.snapshot.paragraphs:
            text = item.snapshot.text[para.start : para.end]
            parts.append(f"[{para.number}] {text}\n" if para.number else f"## {text}\n")
    return "".join(parts)


EXAMPLE_PAGES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in {".html", ".txt"})
#: Where the text copy was read (a copied text names no URL of its own).
TEXT_URL = "https://www.nwa.example/en/news/2021/03/18/video-conference"


@pytest.mark.parametrize("name", EXAMPLE_PAGES)
def test_example_page_golden(name: str, tmp_path: Path, golden: Golden) -> None:
    url = TEXT_URL if name.endswith(".txt") else None
    result = _add(EXAMPLES / name, tmp_path / "references", url=url)
    golden.check(f"capture/{name}.txt", _golden_text(result, tmp_path / "references"))


# ---------------------------------------------------------------------------------------
# The facts of each example, one by one

FACTS = {
    "press-release.html": [
        (
            "mcav2024",
            "press-release",
            "Veldoria opens €40 million Harbour Resilience Fund for small ports",
            [Name(literal="Ministry of Coastal Affairs of Veldoria")],
            "2024-03-12",
            "https://www.coastal.gov.example/en/press-releases/2024/harbour-resilience-fund",
            8,
        )
    ],
    "speech.html": [
        (
            "valk2023",
            "speech",
            "Speech by Minister Irena Valk at the Regional Conference on Inland Waterways "
            "in Port Halden",
            [Name(family="Valk", given="Irena")],
            "2023-05-14",
            None,
            11,
        )
    ],
    "news-article.html": [
        (
            "lindqvist2024",
            "news-article",
            "Port cities race to adapt as storm surges grow",
            [Name(family="Lindqvist", given="Marta"), Name(family="Feld", given="Oskar")],
            "2024-04-03",
            "https://meridianpost.example/2024/04/03/port-cities-race-to-adapt-storm-surges/",
            9,
        )
    ],
    "two-documents.txt": [
        (
            "nwa2021",
            "press-release",
            "NWA Secretary-General takes part in a video conference of NWA environment ministers",
            [Name(literal="Northern Waters Alliance")],
            "2021-03-18",
            TEXT_URL,
            11,
        ),
        (
            "halvorsen2021",
            "speech",
            "Speech of the NWA Secretary-General Ms. Ingrid Halvorsen at the Extraordinary "
            "Meeting of the Council of NWA Environment Ministers via videoconference",
            [Name(family="Halvorsen", given="Ingrid")],
            "2021-03-18",
            TEXT_URL,
            13,
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_example_page_facts(name: str, tmp_path: Path) -> None:
    url = TEXT_URL if name.endswith(".txt") else None
    result = _add(EXAMPLES / name, tmp_path / "references", url=url)
    got = []
    for item in result.added:
        source = item.source
        assert source is not None
        numbered = [p for p in item.snapshot.paragraphs if p.number is not None]
        got.append(
            (
                source.key,
                source.kind,
                source.title,
                list(source.authors),
                source.issued.iso() if source.issued else None,
                source.url,
                len(numbered),
            )
        )
    assert got == FACTS[name]
    sites = {s.key: s.container_title or s.publisher for s in result.library}
    expected_sites = {
        "mcav2024": None,  # the site repeats the issuing body: APA drops it
        "valk2023": "Ministry of Foreign Affairs of Kestria",
        "lindqvist2024": "The Meridian Post",
        "nwa2021": None,
        "halvorsen2021": None,
    }
    assert sites == {k: expected_sites[k] for k in sites}


def test_speech_of_the_text_copy_has_its_event(tmp_path: Path) -> None:
    result = _add(EXAMPLES / "two-documents.txt", tmp_path / "references", url=TEXT_URL)
    speech = result.library["halvorsen2021"]
    assert speech.event_title == "Extraordinary Meeting of the Council of NWA Environment Ministers"
    assert speech.speaker == Name(family="Halvorsen", given="Ingrid")
    assert [f.code for f in result.findings if f.code == "PC306"] == ["PC306"]


# ---------------------------------------------------------------------------------------
# Library behaviour: idempotence, changed pages, dry runs


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_re_adding_the_same_content_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    _add(EXAMPLES / "two-documents.txt", folder, url=TEXT_URL)
    before = _tree(folder)
    again = add(EXAMPLES / "two-documents.txt", folder, url=TEXT_URL)  # other time, other day
    assert [a.status for a in again.added] == ["unchanged", "unchanged"]
    assert _tree(folder) == before
    assert "unchanged @nwa2021" in again.to_text()


def test_a_changed_page_gets_a_new_snapshot_and_keeps_the_old(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    page_path = tmp_path / "release.html"
    original = (EXAMPLES / "press-release.html").read_text(encoding="utf-8")
    page_path.write_text(original, encoding="utf-8")
    first = _add(page_path, folder).library["mcav2024"]
    # The user corrects the title in the record; a later capture must keep the correction.
    record = folder / "mcav2024.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("for small ports", "for Small Ports"),
        encoding="utf-8",
    )
    page_path.write_text(original.replace("up to 60 percent", "up to 70 percent"), "utf-8")
    result = add(page_path, folder, accessed=PartialDate.parse("2026-12-01"), now=lambda: NOW)
    assert [a.status for a in result.added] == ["updated"]
    assert [f.code for f in result.findings] == ["PC307"]
    updated = load_library(folder).library["mcav2024"]
    assert updated.title.endswith("for Small Ports")  # type: ignore[union-attr]
    old_sha, new_sha = first.provenance.content_sha256, updated.provenance.content_sha256
    assert old_sha != new_sha and old_sha is not None and new_sha is not None
    store = SnapshotStore(folder)
    assert old_sha in store and new_sha in store
    assert store.get(new_sha).replaces == old_sha
    assert "70 percent" in store.text(new_sha) and "60 percent" in store.text(old_sha)
    assert updated.provenance.accessed == PartialDate.parse("2026-12-01")


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "references"
    code = main(["add", str(EXAMPLES / "news-article.html"), "-l", str(folder), "--dry-run"])
    assert code == 0
    assert not folder.exists()
    out = capsys.readouterr().out
    assert out.startswith("would add @lindqvist2024 (news-article)")
    assert "[JSON-LD NewsArticle.headline]" in out
    assert "(not written)" in out


def test_set_kind_key_and_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "references"
    text = str(EXAMPLES / "two-documents.txt")
    assert main(["add", text, "-l", str(folder), "--key", "x"]) == 2
    assert "choose one with --document" in capsys.readouterr().err
    args = [
        "add",
        text,
        "-l",
        str(folder),
        "-d",
        "2",
        "--key",
        "halvorsen-forum",
        "--url",
        TEXT_URL,
    ]
    assert main([*args, "--set", "event-place=Online", "--accessed", "2021-03-20"]) == 0
    source = load_library(folder).library["halvorsen-forum"]
    assert source.event_place == "Online"
    assert source.provenance.extracted["event-place"] == "given by the user"
    assert source.provenance.accessed == PartialDate.parse("2021-03-20")
    assert main(["add", text, "-l", str(folder), "--set", "colour=red"]) == 2
    assert main(["add", text, "-l", str(folder), "--set", "nonsense"]) == 2
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["halvorsen-forum.yaml"]


def test_press_release_without_issuer_asks_for_one(tmp_path: Path) -> None:
    page_path = tmp_path / "bare.html"
    page_path.write_text(
        "<html><head><title>Grants for ports</title></head><body><h1>Grants for ports</h1>"
        "<p>Small ports can apply for grants from April, the ministry said on Monday in the "
        "capital.</p><p>The fund pays up to sixty percent of the cost of storm protection "
        "works at eligible ports.</p></body></html>",
        encoding="utf-8",
    )
    result = _add(page_path, tmp_path / "references", kind="press-release")
    assert [a.status for a in result.added] == ["skipped"]
    (missing,) = [f for f in result.findings if f.code == "PC305"]
    assert "issuing body" in missing.message and "--set issuer" in (missing.hint or "")
    assert not (tmp_path / "references").exists()


# ---------------------------------------------------------------------------------------
# Encodings


def test_mojibake_title_is_repaired_with_a_finding(tmp_path: Path) -> None:
    page_path = tmp_path / "mojibake.html"
    page_path.write_text(
        "<html><head><meta charset='utf-8'>"
        "<title>Secretary-Generalâ€™s press conference on the harbour fund</title></head>"
        "<body><h1>Secretary-Generalâ€™s press conference on the harbour fund</h1>"
        "<p>The Secretary-General answered questions from journalists about the new harbour "
        "fund and its first round of grants.</p></body></html>",
        encoding="utf-8",
    )
    result = _add(page_path, tmp_path / "references", url="https://x.example/p")
    assert result.added[0].source is not None
    assert (
        result.added[0].source.title == "Secretary-General’s press conference on the harbour fund"
    )
    repaired = [f for f in result.findings if f.code == "PC301"]
    assert repaired and "â€™" in repaired[0].message and "’" in repaired[0].message


def test_page_without_charset_in_cp1251_is_detected(tmp_path: Path) -> None:
    page_path = tmp_path / "ru.html"
    text = (
        "<html><head><title>Министерство открыло фонд для малых портов</title></head><body>"
        "<h1>Министерство открыло фонд для малых портов</h1>"
        "<p>Малые порты могут с апреля подавать заявки на гранты нового фонда, сообщило "  # noqa: RUF001
        "министерство в понедельник.</p><p>Фонд оплачивает до шестидесяти процентов "
        "стоимости работ по защите портов от штормов.</p></body></html>"
    )
    page_path.write_bytes(text.encode("cp1251"))
    result = _add(page_path, tmp_path / "references", url="https://x.example/ru")
    assert result.added[0].source is not None
    assert result.added[0].source.title == "Министерство открыло фонд для малых портов"
    assert "PC303" in [f.code for f in result.findings]


# ---------------------------------------------------------------------------------------
# Bad input: a clear one-line error or a finding, and nothing written


def _refused(args: list[str], folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["add", *args, "-l", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("policycite: error: ")
    assert "Traceback" not in err
    assert not folder.exists()
    return err


def test_binary_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "photo.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "PNG" in _refused([str(png)], tmp_path / "references", capsys)


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 10**6)
    err = _refused([str(big)], tmp_path / "references", capsys)
    assert "big.html" in err and "at most 32 MiB" in err


def test_xml_bomb_and_external_entity_are_not_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY a "aaaaaaaaaa">\n'
        + "".join(
            f'<!ENTITY {name} "{("&" + prev + ";") * 10}">\n'
            for prev, name in zip("abcd", "bcde", strict=True)
        )
        + '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
        "<html><head><title>Harbour fund opens &e;</title></head><body><h1>Harbour fund</h1>"
        "<p>Small ports can apply for grants from April, the ministry said today &xxe; in the "
        "capital.</p><p>The fund pays up to sixty percent of the cost of works &e; at ports."
        "</p></body></html>",
        encoding="utf-8",
    )
    result = _add(bomb, tmp_path / "references", url="https://x.example/bomb")
    text = result.added[0].snapshot.text
    assert "aaaaaaaaaa" not in text and "root:" not in text
    assert len(text) < 1000


def test_undecodable_and_empty_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n", encoding="utf-8")
    assert "no text found" in _refused([str(empty)], tmp_path / "references", capsys)
    missing = tmp_path / "nope.html"
    assert "nope.html" in _refused([str(missing)], tmp_path / "references", capsys)


def test_one_bad_target_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "references"
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(300))
    args = ["add", str(bad), str(EXAMPLES / "news-article.html"), "-l", str(folder)]
    assert main(args) == 2
    assert "bad.html" in capsys.readouterr().err
    assert [p.name for p in folder.glob("*.yaml")] == ["lindqvist2024.yaml"]


# ---------------------------------------------------------------------------------------
# URLs, against a server on 127.0.0.1


@pytest.fixture
def server() -> Iterator[Server]:
    release = (EXAMPLES / "press-release.html").read_bytes()
    with serve(
        {
            "/old/fund": redirect("/press/fund", 301),
            "/press/fund": page(release),
            "/slow": hang(10),
            "/loop-a": redirect("/loop-b"),
            "/loop-b": redirect("/loop-a"),
            "/gone": page("<h1>Gone</h1>", status=410),
            "/report.pdf": page(b"%PDF-1.7", content_type="application/pdf"),
            "/gz": page(
                gzip.compress((EXAMPLES / "news-article.html").read_bytes()),
                headers={"Content-Encoding": "gzip"},
            ),
        }
    ) as srv:
        yield srv


def test_url_capture_records_redirects_and_status(tmp_path: Path, server: Server) -> None:
    folder = tmp_path / "references"
    result = _add(server.url("/old/fund"), folder)
    (item,) = result.added
    assert item.source is not None
    # The page's canonical URL wins over the address it was fetched from.
    assert item.source.url.startswith("https://www.coastal.gov.example/")  # type: ignore[union-attr]
    assert item.source.provenance.method.value == "url-fetch"
    snapshot = SnapshotStore(folder).get(item.snapshot.sha256)
    assert snapshot.status == 200
    assert snapshot.final_url == server.url("/press/fund")
    assert snapshot.redirects == ((server.url("/old/fund"), 301),)
    assert snapshot.original_sha256 is not None
    original = SnapshotStore(folder).original_path(snapshot.original_sha256)
    assert (
        original is not None
        and original.read_bytes() == (EXAMPLES / "press-release.html").read_bytes()
    )


def test_gzipped_page_is_captured(tmp_path: Path, server: Server) -> None:
    result = _add(server.url("/gz"), tmp_path / "references")
    assert result.added[0].source is not None
    assert result.added[0].source.key == "lindqvist2024"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/slow", "timed out"),
        ("/loop-a", "redirect loop"),
        ("/gone", "HTTP 410"),
        ("/report.pdf", "application/pdf"),
    ],
)
def test_bad_urls_are_refused(
    path: str, expected: str, tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused([server.url(path), "--timeout", "1"], tmp_path / "references", capsys)
    assert expected in err


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    folder = tmp_path / "references"
    _add(EXAMPLES / "two-documents.txt", folder, url=TEXT_URL)
    assert not [p for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert {p.suffix for p in folder.rglob("*") if p.is_file()} == {
        ".yaml",
        ".txt",
        ".json",
        ".orig",
        ".grams",  # 5-gram hashes for `policycite check`
    }
    assert any((folder / "snapshots").iterdir())
