"""fetch() and find_archived_copy() against a local server: every limit holds, every hop is kept.

All requests go to tests/httpserver.py on 127.0.0.1; the archive endpoint is pointed at a
closed local port for the whole module, so nothing can reach archive.org by mistake.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator

import pytest

from policycite.capture.fetch import (
    DEFAULT_ARCHIVE_ENDPOINT,
    USER_AGENT,
    Archived,
    FetchError,
    Hop,
    fetch,
    find_archived_copy,
    to_uri,
)
from policycite.errors import InputError

from httpserver import (
    Request,
    Route,
    Server,
    dynamic,
    gzip_bomb,
    gzipped,
    hang,
    huge,
    page,
    redirect,
    serve,
    trickle,
    unused_port,
)

TIMEOUT = 1.0
MARGIN = 1.0  # how much later than the timeout a failure may come, on a slow CI machine

HTML = "<html><head><title>Statement</title></head><body><p>Välkommen</p></body></html>"


@pytest.fixture(autouse=True)
def no_real_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    # A lookup that forgets its endpoint is refused locally instead of reaching archive.org.
    monkeypatch.setenv("POLICYCITE_ARCHIVE_ENDPOINT", f"http://127.0.0.1:{unused_port()}/")


@pytest.fixture
def server() -> Iterator[Server]:
    with serve() as running:
        yield running
    assert running.active == 0, "a handler thread outlived the server"


# --- pages, statuses ----------------------------------------------------------------


def test_page_with_charset(server: Server) -> None:
    server.set("/p", page(HTML.encode("iso-8859-1"), content_type="Text/HTML; Charset=ISO-8859-1"))
    response = fetch(server.url("/p"), timeout=TIMEOUT)
    assert response.status == 200
    assert response.reason == "OK"
    assert response.ok
    assert response.url == response.final_url == server.url("/p")
    assert response.body == HTML.encode("iso-8859-1")
    assert response.media_type == "text/html"
    assert response.charset == "iso-8859-1"
    assert response.headers["content-type"] == "Text/HTML; Charset=ISO-8859-1"
    assert response.redirects == ()
    assert response.fetched_at.endswith("Z") and len(response.fetched_at) == 20
    assert 0 < response.elapsed < TIMEOUT
    sent = server.requests[-1].headers
    assert sent["user-agent"] == USER_AGENT and USER_AGENT.startswith("policycite/")
    assert "text/html" in sent["accept"]
    assert sent["accept-encoding"] == "gzip, deflate"


def test_page_without_charset_or_content_type(server: Server) -> None:
    server.set("/plain", page("just text", content_type="text/plain"))
    server.set("/bare", page("<p>bare</p>", content_type=None))
    plain = fetch(server.url("/plain"), timeout=TIMEOUT)
    assert (plain.media_type, plain.charset) == ("text/plain", None)
    bare = fetch(server.url("/bare"), timeout=TIMEOUT)  # no Content-Type: let through
    assert (bare.media_type, bare.charset, bare.body) == (None, None, b"<p>bare</p>")


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_are_returned(server: Server, status: int) -> None:
    server.set("/gone", page("<h1>Nope</h1>", status=status))
    response = fetch(server.url("/gone"), timeout=TIMEOUT)
    assert response.status == status
    assert not response.ok
    assert response.body == b"<h1>Nope</h1>"


def test_error_status_with_pdf_is_returned_not_refused(server: Server) -> None:
    # The media type check is for pages that were found; a 404 is reported as a 404.
    server.set("/x.pdf", page(b"%PDF", status=404, content_type="application/pdf"))
    assert fetch(server.url("/x.pdf"), timeout=TIMEOUT).status == 404


def test_page_changes_between_fetches(server: Server) -> None:
    server.set("/p", page("<p>first</p>"))
    assert fetch(server.url("/p"), timeout=TIMEOUT).body == b"<p>first</p>"
    server.routes["/p"] = page("<p>second</p>")
    assert fetch(server.url("/p"), timeout=TIMEOUT).body == b"<p>second</p>"


def test_dynamic_route_sees_the_query(server: Server) -> None:
    def echo(request: Request) -> Route:
        return page(f"<p>{request.param('q')}</p>")

    server.set("/echo", dynamic(echo))
    assert fetch(server.url("/echo?q=hello"), timeout=TIMEOUT).body == b"<p>hello</p>"


# --- URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,<p>hi</p>", "example.org/x"],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https") as caught:
        fetch(url, timeout=TIMEOUT)
    assert caught.value.source == url
    assert isinstance(caught.value, InputError)
    assert "\n" not in str(caught.value)


def test_iri_is_sent_as_uri(server: Server) -> None:
    server.set("/d%C3%A9claration%20finale", page("<p>encoded</p>"))
    response = fetch(server.url("/déclaration finale"), timeout=TIMEOUT)
    assert response.status == 200
    assert response.final_url == server.url("/d%C3%A9claration%20finale")
    assert server.requests[-1].path == "/d%C3%A9claration%20finale"


def test_to_uri() -> None:
    assert to_uri(" HTTPS://Bücher.example/a b?q=ä&x=1#frag ") == (
        "https://xn--bcher-kva.example/a%20b?q=%C3%A4&x=1"
    )
    assert to_uri("http://example.org") == "http://example.org/"
    # escapes already there stay; a stray % is escaped
    assert to_uri("http://example.org/a%20b/100%") == "http://example.org/a%20b/100%25"
    assert to_uri("http://[::1]:8080/x") == "http://[::1]:8080/x"
    with pytest.raises(FetchError, match="no host"):
        to_uri("http:///path")
    with pytest.raises(FetchError, match="not a valid URL"):
        to_uri("http://example.org:99999/")


# --- redirects -----------------------------------------------------------------------


def test_redirect_chain_is_recorded(server: Server) -> None:
    server.set("/old", redirect(server.url("/moved"), 301))
    server.set("/moved", redirect("final?x=1", 302))  # relative Location
    server.set("/final", page("<p>here</p>"))
    response = fetch(server.url("/old"), timeout=TIMEOUT)
    assert response.status == 200
    assert response.url == server.url("/old")
    assert response.final_url == server.url("/final?x=1")
    assert response.redirects == (Hop(server.url("/old"), 301), Hop(server.url("/moved"), 302))
    assert response.body == b"<p>here</p>"


@pytest.mark.parametrize("status", [303, 307, 308])
def test_other_redirect_statuses(server: Server, status: int) -> None:
    server.set("/a", redirect("/b", status))
    server.set("/b", page("<p>b</p>"))
    assert fetch(server.url("/a"), timeout=TIMEOUT).redirects == (Hop(server.url("/a"), status),)


def test_redirect_to_an_error_keeps_the_hops(server: Server) -> None:
    server.set("/a", redirect("/missing", 301))
    response = fetch(server.url("/a"), timeout=TIMEOUT)
    assert response.status == 404
    assert response.redirects == (Hop(server.url("/a"), 301),)


def test_redirect_loop(server: Server) -> None:
    server.set("/a", redirect("/b"))
    server.set("/b", redirect("/a"))
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/a"), timeout=TIMEOUT)
    a, b = server.url("/a"), server.url("/b")
    assert f"redirect loop: {a} → {b} → {a}" in str(caught.value)
    assert caught.value.source == a
    assert server.paths_requested() == ["/a", "/b"]


def test_too_many_redirects(server: Server) -> None:
    for i in range(12):
        server.set(f"/r{i}", redirect(f"/r{i + 1}"))
    with pytest.raises(FetchError, match="more than 10 redirects"):
        fetch(server.url("/r0"), timeout=TIMEOUT)
    assert len(server.requests) == 11
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch(server.url("/r0"), timeout=TIMEOUT, max_redirects=2)


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    server.set("/a", redirect("file:///etc/passwd"))
    with pytest.raises(FetchError, match="redirected to file:///etc/passwd"):
        fetch(server.url("/a"), timeout=TIMEOUT)


def test_redirect_without_location_is_returned(server: Server) -> None:
    server.set("/a", page("<p>pick one</p>", status=300))
    server.set("/b", Route(status=302, headers=(("Content-Type", "text/html"),)))
    assert fetch(server.url("/a"), timeout=TIMEOUT).status == 300
    assert fetch(server.url("/b"), timeout=TIMEOUT).status == 302


# --- time -----------------------------------------------------------------------------


def _fails_in_time(url: str, match: str = "timed out after 1.0 s") -> float:
    started = time.monotonic()
    with pytest.raises(FetchError, match=match):
        fetch(url, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + MARGIN
    return elapsed


def test_hang_times_out(server: Server) -> None:
    server.set("/hang", hang())
    assert _fails_in_time(server.url("/hang")) >= TIMEOUT * 0.9


def test_trickled_body_times_out(server: Server) -> None:
    # One byte every 0.2 s: each read is quick, only the whole-transfer deadline stops it.
    server.set("/slow", trickle(interval=0.2))
    assert _fails_in_time(server.url("/slow")) >= TIMEOUT * 0.9


def test_trickled_head_times_out(server: Server) -> None:
    server.set("/slow", trickle(interval=0.05, head=True))
    _fails_in_time(server.url("/slow"))


def test_deadline_covers_the_redirects(server: Server) -> None:
    server.set("/a", redirect("/slow"))
    server.set("/slow", trickle(interval=0.2))
    _fails_in_time(server.url("/a"), match=r"timed out after 1\.0 s \(at .*/slow\)")


def test_trickle_short_enough_succeeds(server: Server) -> None:
    server.set("/slow", trickle("<p>ok</p>", interval=0.01))
    assert fetch(server.url("/slow"), timeout=TIMEOUT).body == b"<p>ok</p>"


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{unused_port()}/x"
    with pytest.raises(FetchError, match="connection refused") as caught:
        fetch(url, timeout=TIMEOUT)
    assert str(caught.value).startswith(f"{url}: ")


def test_tls_error(server: Server) -> None:
    # An https URL on the plain HTTP server: the handshake fails, as with a broken TLS site.
    server.set("/p", page("<p>plain</p>"))
    url = server.url("/p").replace("http:", "https:")
    with pytest.raises(FetchError, match="TLS error") as caught:
        fetch(url, timeout=TIMEOUT)
    assert caught.value.source == url


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    # No real look-up: the resolver is replaced by one that knows no name at all.
    def unknown(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    with pytest.raises(FetchError, match=r"cannot resolve the host name \(Name or service"):
        fetch("http://gone.invalid/page", timeout=TIMEOUT)


def test_connection_closed_early(server: Server) -> None:
    server.set(
        "/short", Route(headers=(("Content-Type", "text/html"),), body=b"<p>", content_length=100)
    )
    with pytest.raises(FetchError, match="before the body was complete"):
        fetch(server.url("/short"), timeout=TIMEOUT)


# --- size -------------------------------------------------------------------------------


def test_content_length_too_big_is_refused_before_reading(server: Server) -> None:
    server.set("/big", huge(10 * 2**20, declare=True))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"larger than 1 MiB \(Content-Length 10485760\)"):
        fetch(server.url("/big"), timeout=TIMEOUT, max_bytes=2**20)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("chunked", [False, True], ids=["until-close", "chunked"])
def test_streamed_body_over_the_limit_is_refused(server: Server, chunked: bool) -> None:
    server.set("/big", huge(50 * 2**20, chunked=chunked))
    with pytest.raises(FetchError, match="larger than 1 MiB; download stopped"):
        fetch(server.url("/big"), timeout=TIMEOUT, max_bytes=2**20)


def test_body_at_the_limit_is_accepted(server: Server) -> None:
    server.set("/exact", huge(2**20))
    assert len(fetch(server.url("/exact"), timeout=TIMEOUT, max_bytes=2**20).body) == 2**20
    with pytest.raises(FetchError, match="larger than 1048575 bytes"):
        fetch(server.url("/exact"), timeout=TIMEOUT, max_bytes=2**20 - 1)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_page_is_decoded(server: Server, coding: str) -> None:
    server.set("/z", gzipped(HTML * 50, coding=coding))
    response = fetch(server.url("/z"), timeout=TIMEOUT)
    assert response.body == (HTML * 50).encode("utf-8")
    assert response.headers["content-encoding"] == ("deflate" if "deflate" in coding else "gzip")


def test_decoded_size_is_limited(server: Server) -> None:
    server.set("/z", gzipped("x" * 5000))
    with pytest.raises(FetchError, match="larger than 4 KiB"):
        fetch(server.url("/z"), timeout=TIMEOUT, max_bytes=4096)
    with pytest.raises(FetchError, match="larger than 4000 bytes"):
        fetch(server.url("/z"), timeout=TIMEOUT, max_bytes=4000)
    assert len(fetch(server.url("/z"), timeout=TIMEOUT, max_bytes=5000).body) == 5000


def test_gzip_bomb_is_refused_quickly(server: Server) -> None:
    server.set("/bomb", gzip_bomb(2**30))
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than 1 MiB"):
        fetch(server.url("/bomb"), timeout=TIMEOUT * 5, max_bytes=2**20)
    assert time.monotonic() - started < 1.0


def test_bad_gzip_body(server: Server) -> None:
    server.set(
        "/z",
        page(b"not gzip at all", headers={"Content-Encoding": "gzip"}),
    )
    with pytest.raises(FetchError, match="cannot decode the gzip body"):
        fetch(server.url("/z"), timeout=TIMEOUT)


def test_unknown_content_encoding(server: Server) -> None:
    server.set("/br", page(b"\x8b\x00", headers={"Content-Encoding": "br"}))
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        fetch(server.url("/br"), timeout=TIMEOUT)


def test_gzip_stdlib_roundtrip_sanity(server: Server) -> None:
    # A body compressed by the gzip module (header with a file name and mtime) decodes too.
    server.set("/z", page(gzip.compress(b"<p>gz</p>"), headers={"Content-Encoding": "x-gzip"}))
    assert fetch(server.url("/z"), timeout=TIMEOUT).body == b"<p>gz</p>"


# --- media types ------------------------------------------------------------------------


def test_pdf_is_not_a_web_page(server: Server) -> None:
    server.set("/report.pdf", page(b"%PDF-1.7", content_type="application/pdf"))
    with pytest.raises(FetchError, match="application/pdf is not a web page"):
        fetch(server.url("/report.pdf"), timeout=TIMEOUT)
    response = fetch(server.url("/report.pdf"), timeout=TIMEOUT, accept=None)
    assert (response.media_type, response.body) == ("application/pdf", b"%PDF-1.7")
    assert server.requests[-1].headers["accept"] == "*/*"


def test_accept_can_be_given(server: Server) -> None:
    server.set("/data", page(b"{}", content_type="application/json"))
    assert fetch(server.url("/data"), timeout=TIMEOUT, accept=["application/json"]).body == b"{}"
    with pytest.raises(FetchError, match="application/json is not a web page"):
        fetch(server.url("/data"), timeout=TIMEOUT)


def test_xhtml_is_a_web_page(server: Server) -> None:
    server.set("/x", page(b"<html/>", content_type="application/xhtml+xml; charset=utf-8"))
    assert fetch(server.url("/x"), timeout=TIMEOUT).charset == "utf-8"


# --- archived copies --------------------------------------------------------------------

FOUND = {
    "url": "example.org/x",
    "archived_snapshots": {
        "closest": {
            "available": True,
            "url": "http://web.archive.org/web/20200518120000/https://example.org/x",
            "timestamp": "20200518120000",
            "status": "200",
        }
    },
}


def _availability(answers: dict[str, object]) -> Route:
    def answer(request: Request) -> Route:
        body = answers.get(request.param("url") or "", {"archived_snapshots": {}})
        text = body if isinstance(body, str) else json.dumps(body)
        return page(text, content_type="application/json")

    return dynamic(answer)


def test_archived_copy_found(server: Server) -> None:
    server.set("/wayback/available", _availability({"https://example.org/x?a=1&b=2": FOUND}))
    found = find_archived_copy(
        "https://example.org/x?a=1&b=2", endpoint=server.url("/wayback/available"), timeout=TIMEOUT
    )
    assert found == Archived(
        url="http://web.archive.org/web/20200518120000/https://example.org/x",
        timestamp="2020-05-18T12:00:00Z",
        status="200",
    )
    # the URL travels as one quoted parameter
    assert server.requests[-1].query == "url=https%3A%2F%2Fexample.org%2Fx%3Fa%3D1%26b%3D2"


def test_archived_copy_not_found(server: Server) -> None:
    server.set("/wayback/available", _availability({}))
    endpoint = server.url("/wayback/available")
    assert find_archived_copy("https://example.org/new", endpoint=endpoint, timeout=TIMEOUT) is None
    unavailable = {"archived_snapshots": {"closest": {"available": False}}}
    server.set("/wayback/available", _availability({"https://example.org/y": unavailable}))
    assert find_archived_copy("https://example.org/y", endpoint=endpoint, timeout=TIMEOUT) is None


@pytest.mark.parametrize(
    "answer",
    [
        "<html>not json</html>",
        "[1, 2]",
        {"archived_snapshots": []},
        {"archived_snapshots": {"closest": {"available": True}}},
        {"archived_snapshots": {"closest": {"url": "http://a/", "timestamp": "2020"}}},
        {"archived_snapshots": {"closest": {"url": "http://a/", "timestamp": "20201340000000"}}},
    ],
    ids=["html", "list", "snapshots-list", "no-url", "short-stamp", "bad-date"],
)
def test_archive_answer_malformed(server: Server, answer: object) -> None:
    server.set("/api", _availability({"https://example.org/x": answer}))
    endpoint = server.url("/api")
    with pytest.raises(FetchError, match="malformed answer from the archive") as caught:
        find_archived_copy("https://example.org/x", endpoint=endpoint, timeout=TIMEOUT)
    assert caught.value.source == endpoint
    assert "\n" not in str(caught.value)


def test_archive_http_error_names_the_endpoint(server: Server) -> None:
    server.set("/api", page("busy", status=503, content_type="text/plain"))
    with pytest.raises(FetchError, match="HTTP 503") as caught:
        find_archived_copy("https://example.org/x", endpoint=server.url("/api"), timeout=TIMEOUT)
    assert caught.value.source == server.url("/api")


def test_archive_unreachable_names_the_endpoint() -> None:
    endpoint = f"http://127.0.0.1:{unused_port()}/api"
    with pytest.raises(FetchError, match="archive lookup failed: connection refused") as caught:
        find_archived_copy("https://example.org/x", endpoint=endpoint, timeout=TIMEOUT)
    assert caught.value.source == endpoint


def test_archive_endpoint_from_environment(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    server.set("/mirror", _availability({"https://example.org/x": FOUND}))
    monkeypatch.setenv("POLICYCITE_ARCHIVE_ENDPOINT", server.url("/mirror"))
    found = find_archived_copy("https://example.org/x", timeout=TIMEOUT)
    assert found is not None and found.timestamp == "2020-05-18T12:00:00Z"
    assert server.paths_requested() == ["/mirror"]


def test_archive_endpoint_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from policycite.capture.fetch import archive_endpoint

    monkeypatch.delenv("POLICYCITE_ARCHIVE_ENDPOINT")
    assert archive_endpoint() == DEFAULT_ARCHIVE_ENDPOINT == "https://archive.org/wayback/available"


# --- the helper server itself -----------------------------------------------------------


def test_server_stops_promptly_while_a_request_hangs() -> None:
    import threading

    with serve({"/hang": hang()}) as running:
        url = running.url("/hang")
        errors: list[BaseException] = []

        def client() -> None:
            try:
                fetch(url, timeout=5.0)
            except FetchError as error:
                errors.append(error)

        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        time.sleep(0.2)  # the request is in, the handler is waiting
        started = time.monotonic()
    assert time.monotonic() - started < 2.0
    thread.join(5)
    assert not thread.is_alive()
    assert errors  # the handler gave up without answering: the client saw an error
