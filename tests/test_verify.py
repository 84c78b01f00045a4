"""`verify` against a local server: tampering, loss, 404, soft 404, moves, drift, archives.

Every page here is served by tests/httpserver.py on 127.0.0.1; the archive look-up goes
to a fake availability endpoint on the same server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from policycite.capture.pipeline import add
from policycite.cli import main
from policycite.library import load_library
from policycite.model import PartialDate
from policycite.snapshots import SnapshotStore
from policycite.verify import VerifyOptions, verify

from httpserver import Request, Route, Server, dynamic, hang, page, redirect, serve

PARAGRAPHS = [
    "The Ministry of Coastal Affairs today opened the tender for the second phase of the "
    "northern breakwater, which will protect the harbour towns from winter storms.",
    "The first phase, finished in 2025, cut flood damage in the harbour by a third, "
    "according to the ministry's own assessment published in March.",
    "Bids are due by 30 June 2026; the contract will be signed in the autumn and work "
    "should start before the end of the year.",
    "The minister said the breakwater was the largest coastal defence project in the "
    "country's history and thanked the regional councils for their support.",
]


def release(paragraphs: list[str] = PARAGRAPHS, *, title: str = "Breakwater tender opens") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} | Ministry of Coastal Affairs</title>"
        '<meta name="citation_title" content="' + title + '">'
        '<meta name="citation_publication_date" content="2026/03/02">'
        '<meta name="DC.publisher" content="Ministry of Coastal Affairs">'
        '<meta property="og:site_name" content="Ministry of Coastal Affairs">'
        "</head><body><nav><a href='/'>Home</a> <a href='/press/'>Press</a></nav>"
        f"<main><h1>{title}</h1>{body}</main>"
        "<footer>© Ministry of Coastal Affairs</footer></body></html>"
    )


HOME = page(
    "<html><head><title>Ministry of Coastal Affairs</title></head><body>"
    "<h1>Welcome</h1><p>News, services and contacts of the ministry.</p></body></html>"
)


def archive_endpoint(found: bool) -> Route:
    def answer(request: Request) -> Route:
        url = request.param("url")
        closest = {
            "available": True,
            "url": f"http://archive.example/web/20260303000000/{url}",
            "timestamp": "20260303000000",
            "status": "200",
        }
        data = {"url": url, "archived_snapshots": {"closest": closest} if found else {}}
        return page(json.dumps(data), content_type="application/json")

    return dynamic(answer)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(
        {"/press/tender": page(release()), "/": HOME, "/available": archive_endpoint(True)}
    ) as srv:
        yield srv


@pytest.fixture
def library(tmp_path: Path, server: Server) -> Path:
    folder = tmp_path / "references"
    result = add(
        server.url("/press/tender"),
        folder,
        kind="press-release",
        key="mca2026",
        accessed=PartialDate.parse("2026-03-03"),
        timeout=5,
    )
    assert [a.status for a in result.added] == ["new"]
    return folder


def _codes(folder: Path, server: Server, **options: object) -> list[str]:
    opts = VerifyOptions(timeout=2.0, archive_endpoint=server.url("/available"), **options)  # type: ignore[arg-type]
    return sorted(f.code for f in verify(folder, options=opts))


def test_an_unchanged_page_with_an_archived_copy(library: Path, server: Server) -> None:
    report = verify(
        library, options=VerifyOptions(timeout=2.0, archive_endpoint=server.url("/available"))
    )
    assert [f.code for f in report] == ["PC317"]
    (found,) = report
    assert found.hint == (
        f"archive-url: http://archive.example/web/20260303000000/{server.url('/press/tender')}"
    )
    assert "2026" in found.message


def test_no_archived_copy(library: Path, server: Server) -> None:
    server.set("/available", archive_endpoint(False))
    assert _codes(library, server) == ["PC318"]


def test_offline_only_rehashes(library: Path, server: Server) -> None:
    before = len(server.requests)
    assert _codes(library, server, online=False) == []
    assert len(server.requests) == before


def test_modified_snapshot_is_detected(library: Path, server: Server) -> None:
    source = load_library(library).library["mca2026"]
    store = SnapshotStore(library)
    path = store.text_path(source.provenance.content_sha256 or "")
    path.write_text(path.read_text(encoding="utf-8").replace("a third", "a half"), encoding="utf-8")
    report = verify(library, options=VerifyOptions(online=False))
    assert [f.code for f in report] == ["PC310"]
    assert "does not match its SHA-256" in report.findings[0].message


def test_modified_original_and_lost_snapshot(library: Path, server: Server) -> None:
    store = SnapshotStore(library)
    sha = load_library(library).library["mca2026"].provenance.content_sha256 or ""
    original = store.original_path(store.get(sha).original_sha256 or "")
    assert original is not None
    original.write_bytes(original.read_bytes() + b"<!-- edited -->")
    assert _codes(library, server, online=False) == ["PC310"]
    store.text_path(sha).unlink()
    assert _codes(library, server, online=False) == ["PC311"]


def test_404(library: Path, server: Server) -> None:
    server.set("/press/tender", page("<h1>Not here</h1>", status=404))
    report = verify(library, options=VerifyOptions(timeout=2.0, archive=False))
    assert [f.code for f in report] == ["PC312"]
    assert "HTTP 404" in report.findings[0].message


def test_soft_404_redirect_to_home_page(library: Path, server: Server) -> None:
    server.set("/press/tender", redirect("/", 302))
    report = verify(library, options=VerifyOptions(timeout=2.0, archive=False))
    assert [f.code for f in report] == ["PC313"]
    assert "redirects to" in report.findings[0].message


def test_soft_404_page_not_found_with_status_200(library: Path, server: Server) -> None:
    server.set(
        "/press/tender",
        page(
            "<html><head><title>Page not found</title></head><body><h1>Page not found</h1>"
            "<p>The page you asked for does not exist or has been moved.</p></body></html>"
        ),
    )
    assert _codes(library, server, archive=False) == ["PC313"]


def test_changed_live_page_is_content_drift(library: Path, server: Server) -> None:
    changed = [*PARAGRAPHS]
    changed[2] = changed[2].replace("30 June 2026", "31 July 2026")
    server.set("/press/tender", page(release(changed)))
    report = verify(library, options=VerifyOptions(timeout=2.0, archive=False))
    assert [f.code for f in report] == ["PC314"]
    message = report.findings[0].message
    assert "1 of 4 paragraphs changed" in message
    assert "first change at para. 3" in message


def test_permanent_move_is_reported_with_the_new_address(library: Path, server: Server) -> None:
    server.set("/press/tender", redirect("/press/2026/tender", 301))
    server.set("/press/2026/tender", page(release()))
    report = verify(library, options=VerifyOptions(timeout=2.0, archive=False))
    assert [f.code for f in report] == ["PC315"]
    assert report.findings[0].hint == f"URL: {server.url('/press/2026/tender')}"


def test_hanging_server_is_unreachable_not_stuck(library: Path, server: Server) -> None:
    server.set("/press/tender", hang(10))
    report = verify(library, options=VerifyOptions(timeout=0.5, archive=False))
    assert [f.code for f in report] == ["PC316"]


def test_cli_verify_exit_codes_and_json(
    library: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = ["--archive-endpoint", server.url("/available"), "--timeout", "2"]
    assert main(["verify", "-l", str(library), *endpoint]) == 0  # PC317 is information
    server.set("/press/tender", page("gone", status=410))
    capsys.readouterr()
    assert main(["verify", "mca2026", "-l", str(library), "--format", "json", *endpoint]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["PC312", "PC317"]
    assert main(["verify", "nosuchkey", "-l", str(library), "--offline"]) == 2
    assert "nosuchkey" in capsys.readouterr().err


def test_the_sample_library_verifies_offline(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import SAMPLE_LIBRARY

    assert main(["verify", "--offline", "-l", str(SAMPLE_LIBRARY)]) == 0
    assert capsys.readouterr().err == "policycite: 2 snapshots OK\n"  # silence would say nothing


def test_the_example_check_library_verifies_offline(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import ROOT

    assert main(["verify", "--offline", "-l", str(ROOT / "examples" / "check" / "references")]) == 0
    assert capsys.readouterr().err == "policycite: 5 snapshots OK\n"
