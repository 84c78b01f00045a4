"""Damaged captures are findings or errors, never records pointing at wrong or empty text.

Issue 13 item 4: a corrupt (truncated) gzip body, a gzip body of several members, HTML
nested deeper than libxml2's 256 levels, a wrong ``charset=utf-16`` and a text run over
libxml2's 10 MB text-node limit. Pages are served by tests/httpserver.py on 127.0.0.1.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from policycite.capture.fetch import FetchError, fetch
from policycite.capture.pipeline import add, capture
from policycite.cli import main
from policycite.errors import InputError

from httpserver import Route, Server, page, serve

PARAGRAPHS = [
    "The Harbour Board of Velmora approved the dredging plan for the eastern basin on "
    "Tuesday, after two years of consultation with the fishing cooperatives.",
    "Work will start in September and is expected to last eighteen months, the board said "
    "in a statement published on its website.",
]
TITLE = "Harbour Board approves dredging plan"


def release(body: str | None = None) -> str:
    text = body if body is not None else "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{TITLE}</title>"
        '<meta name="citation_publication_date" content="2026/04/14">'
        '<meta name="DC.publisher" content="Harbour Board of Velmora">'
        f"</head><body><main><h1>{TITLE}</h1>{text}</main></body></html>"
    )


def gzipped_route(body: bytes, content_type: str = "text/html; charset=utf-8") -> Route:
    return Route(headers=(("Content-Type", content_type), ("Content-Encoding", "gzip")), body=body)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve() as running:
        yield running


def records(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


# --- gzip ------------------------------------------------------------------------------


def test_truncated_gzip_is_refused_not_stored(server: Server, tmp_path: Path) -> None:
    # Cut before its CRC trailer: zlib gives what it has without complaint.
    body = gzip.compress(release().encode())[:-8]
    server.set("/cut", gzipped_route(body))
    with pytest.raises(FetchError, match="stops before its end"):
        fetch(server.url("/cut"))
    library = tmp_path / "refs"
    with pytest.raises(InputError, match="cannot decode the gzip body"):
        add(server.url("/cut"), library)
    assert records(library) == []
    assert not (library / "snapshots").exists()


def test_truncated_mid_stream_gzip_is_refused(server: Server) -> None:
    data = gzip.compress(release().encode() * 20)
    server.set("/half", gzipped_route(data[: len(data) // 2]))
    with pytest.raises(FetchError, match="stops before its end"):
        fetch(server.url("/half"))


def test_multi_member_gzip_is_decoded_in_full(server: Server, tmp_path: Path) -> None:
    html = release().encode()
    cut = html.index(b"<main>")
    server.set("/two", gzipped_route(gzip.compress(html[:cut]) + gzip.compress(html[cut:])))
    assert fetch(server.url("/two")).body == html
    result = add(server.url("/two"), tmp_path / "refs")
    [item] = result.added
    assert item.status == "new"
    assert PARAGRAPHS[1] in item.snapshot.text


def test_many_small_members_and_trailing_padding(server: Server) -> None:
    html = "".join(f"<p>Paragraph {i} of the Velmora harbour minutes.</p>" for i in range(3000))
    data = html.encode()
    members = b"".join(gzip.compress(data[i : i + 500]) for i in range(0, len(data), 500))
    server.set("/many", gzipped_route(members + b"\x00" * 16))
    assert fetch(server.url("/many")).body == data


# --- HTML the parser stops reading --------------------------------------------------------


def test_nesting_deeper_than_256_is_a_finding_not_an_empty_record(
    server: Server, tmp_path: Path
) -> None:
    deep = "<div>" * 300 + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>" * 300
    server.set("/deep", page(release(deep)))
    library = tmp_path / "refs"
    result = add(server.url("/deep"), library)
    codes = [f.code for f in result.findings]
    assert "PC330" in codes
    message = next(f.message for f in result.findings if f.code == "PC330")
    assert "256 levels" in message
    assert "PC331" in codes
    assert [a.status for a in result.added] == ["skipped"]
    assert records(library) == []


def test_text_run_over_10_mb_is_a_finding(tmp_path: Path) -> None:
    saved = tmp_path / "minutes.html"
    run = "Velmora " * (10_000_000 // 8 + 10)
    saved.write_text(release(f"<p>{PARAGRAPHS[0]}</p><p>{run}</p><p>{PARAGRAPHS[1]}</p>"))
    result = capture(saved)
    found = [f for f in result.findings if f.code == "PC330"]
    assert found, [f.code for f in result.findings]
    assert "10 MB" in found[0].message


def test_wrong_utf16_charset_is_overruled_with_a_finding(server: Server, tmp_path: Path) -> None:
    html = release().encode()
    html += b" " * (len(html) % 2)  # an even length: every byte pair is a UTF-16 code unit
    server.set("/u16", page(html, content_type="text/html; charset=utf-16"))
    result = add(server.url("/u16"), tmp_path / "refs")
    [item] = result.added
    assert item.status == "new"
    assert PARAGRAPHS[0] in item.snapshot.text
    [note] = [f for f in result.findings if f.code == "PC303"]
    assert "utf-16" in note.message


def test_meta_utf16_on_utf8_bytes(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(release().replace('charset="utf-8"', 'charset="utf-16"'), encoding="utf-8")
    result = capture(saved)
    assert PARAGRAPHS[1] in result.snapshots[0].text
    assert any(f.code == "PC303" for f in result.findings)


# --- empty extraction --------------------------------------------------------------------


def test_empty_extraction_makes_no_record_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "app.html"
    saved.write_text(
        "<html><head><title>Velmora portal</title></head><body>"
        "<div id='app'></div><script>render()</script></body></html>"
    )
    library = tmp_path / "refs"
    code = main(["add", str(saved), "--library", str(library)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "PC331" in err
    assert records(library) == []
