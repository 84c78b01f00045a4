"""A local HTTP server for tests that fetch: pages, redirects, slow and hostile answers.

It listens on 127.0.0.1 on a free port, so tests never leave the machine::

    with serve({"/": page("<p>Hello</p>")}) as server:
        response = fetch(server.url("/"))
        server.routes["/"] = page("<p>Changed</p>")  # the page changes while it runs

A :class:`Route` says what one path answers; build them with :func:`page`,
:func:`redirect`, :func:`dynamic`, :func:`trickle`, :func:`hang`, :func:`huge`,
:func:`gzipped` and :func:`gzip_bomb`. Routes are looked up by path (the query is
ignored; a :func:`dynamic` handler sees it), and may be replaced while the server runs.
Every request is recorded in :attr:`Server.requests`.

Nothing here can keep a test run alive: handler threads are daemons, every wait ends when
the server stops, and no answer takes longer than :data:`MAX_SECONDS` or sends more than
its route says.
"""

from __future__ import annotations

import contextlib
import http
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: No answer lasts longer than this, whatever its route says.
MAX_SECONDS = 30.0


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, decoded, or None."""
        values = parse_qs(self.query).get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Route:
    """What the server answers at one path.

    ``body`` is sent as it is, with a Content-Length; ``stream`` (a function returning
    chunks) replaces it for generated bodies, sent without Content-Length (the end is
    the connection closing) or ``chunked``. ``content_length`` overrides the header (a
    lie, or a huge size announced). ``delay`` waits before answering at all;
    ``interval`` waits before each byte of the body (and of the head too when
    ``trickle_head``). ``handler`` makes the answer depend on the request.
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    stream: Callable[[], Iterable[bytes]] | None = None
    content_length: int | None = None
    chunked: bool = False
    delay: float = 0.0
    interval: float = 0.0
    trickle_head: bool = False
    handler: Callable[[Request], Route] | None = None


def _headers(
    content_type: str | None, extra: Mapping[str, str] | None
) -> tuple[tuple[str, str], ...]:
    found = [("Content-Type", content_type)] if content_type else []
    return (*found, *(extra or {}).items())


def _bytes(body: str | bytes) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def page(
    body: str | bytes = "",
    *,
    status: int = 200,
    content_type: str | None = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Route:
    """A static answer (a str body is sent as UTF-8)."""
    return Route(status=status, headers=_headers(content_type, headers), body=_bytes(body))


def redirect(location: str, status: int = 302) -> Route:
    """A redirect to ``location`` (absolute or relative, sent as it is)."""
    return Route(status=status, headers=(("Location", location),), body=b"")


def dynamic(handler: Callable[[Request], Route]) -> Route:
    """An answer computed from each request by ``handler``."""
    return Route(handler=handler)


def trickle(
    body: str | bytes = "<p>" + "slow " * 100 + "</p>",
    *,
    interval: float = 0.2,
    head: bool = False,
    content_type: str = "text/html; charset=utf-8",
) -> Route:
    """An answer sent one byte every ``interval`` seconds (the head too when ``head``)."""
    return Route(
        headers=_headers(content_type, None),
        body=_bytes(body),
        interval=interval,
        trickle_head=head,
    )


def hang(seconds: float = MAX_SECONDS) -> Route:
    """No answer for ``seconds`` (or until the server stops), then a short page."""
    return Route(headers=_headers("text/html", None), body=b"<p>late</p>", delay=seconds)


def huge(
    size: int,
    *,
    declare: bool = False,
    chunked: bool = False,
    content_type: str = "text/html; charset=utf-8",
) -> Route:
    """A generated body of ``size`` bytes, streamed; ``declare`` announces its length."""

    def chunks() -> Iterator[bytes]:
        block = b"x" * 65536
        left = size
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)

    return Route(
        headers=_headers(content_type, None),
        stream=chunks,
        content_length=size if declare else None,
        chunked=chunked,
    )


def gzipped(
    body: str | bytes,
    *,
    coding: str = "gzip",
    content_type: str = "text/html; charset=utf-8",
) -> Route:
    """A page sent compressed: ``coding`` is gzip, deflate (zlib) or raw-deflate."""
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw-deflate": -15}[coding]
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    data = compressor.compress(_bytes(body)) + compressor.flush()
    name = "deflate" if coding == "raw-deflate" else coding
    return Route(headers=_headers(content_type, {"Content-Encoding": name}), body=data)


def gzip_bomb(size: int = 2**30, *, content_type: str = "text/html") -> Route:
    """A gzip body that inflates to ``size`` zero bytes; compressed lazily, as it is read."""

    def chunks() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(2**20)
        left = size
        while left > 0:
            out = compressor.compress(zeros[: min(left, len(zeros))])
            left -= len(zeros)
            if out:
                yield out
        yield compressor.flush()

    return Route(headers=_headers(content_type, {"Content-Encoding": "gzip"}), stream=chunks)


NOT_FOUND = page("<h1>Not found</h1>", status=404)


class _StoppedError(Exception):
    """The server is stopping, or the answer ran out of time."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # a client that sends nothing does not hold a thread for ever
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read Server.requests, not logs

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(request)
        route = owner.routes.get(request.path, NOT_FOUND)
        for _ in range(10):  # a handler may return a dynamic route; not for ever
            if route.handler is None:
                break
            route = route.handler(request)
        self.close_connection = True
        deadline = time.monotonic() + MAX_SECONDS
        # Server stopping, time up, or the client hung up: all expected in tests.
        with contextlib.suppress(_StoppedError, OSError):
            self._send(route, request.method == "HEAD", deadline)

    def _wait(self, seconds: float, deadline: float) -> None:
        if seconds > 0 and self.server.owner.stop.wait(
            min(seconds, max(deadline - time.monotonic(), 0))
        ):
            raise _StoppedError
        if time.monotonic() >= deadline:
            raise _StoppedError

    def _send(self, route: Route, head_only: bool, deadline: float) -> None:
        self._wait(route.delay, deadline)
        try:
            reason = http.HTTPStatus(route.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {route.status} {reason}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in route.headers]
        if route.content_length is not None:
            lines.append(f"Content-Length: {route.content_length}")
        elif route.stream is None:
            lines.append(f"Content-Length: {len(route.body)}")
        elif route.chunked:
            lines.append("Transfer-Encoding: chunked")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._write(head, route.interval if route.trickle_head else 0.0, deadline)
        if head_only:
            return
        chunks: Iterable[bytes] = [route.body] if route.stream is None else route.stream()
        for chunk in chunks:
            if not chunk:
                continue
            if route.chunked and route.stream is not None:
                self._write(b"%x\r\n%s\r\n" % (len(chunk), chunk), route.interval, deadline)
            else:
                self._write(chunk, route.interval, deadline)
        if route.chunked and route.stream is not None:
            self._write(b"0\r\n\r\n", 0.0, deadline)

    def _write(self, data: bytes, interval: float, deadline: float) -> None:
        if interval <= 0:
            self._wait(0, deadline)
            self.wfile.write(data)
            return
        for i in range(len(data)):
            self._wait(interval, deadline)
            self.wfile.write(data[i : i + 1])


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Shutdown does not join handler threads (a hanging one would block it); Server.close
    # wakes them with its stop event and waits a bounded time instead.
    block_on_close = False

    def __init__(self, owner: Server) -> None:
        self.owner = owner
        super().__init__((owner.host, 0), _Handler)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self.owner.lock:
            self.owner.active += 1
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.owner.lock:
                self.owner.active -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-answer is what several tests do on purpose


@dataclass
class Server:
    """A running test server: its routes (replaceable at any time) and the requests seen."""

    routes: dict[str, Route]
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    active: int = 0
    port: int = 0
    host: str = "127.0.0.1"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def set(self, path: str, route: Route) -> None:
        """Answer ``path`` with ``route`` from now on."""
        self.routes[path] = route

    def paths_requested(self) -> list[str]:
        """The paths asked so far, in order."""
        with self.lock:
            return [r.path for r in self.requests]


@contextlib.contextmanager
def serve(routes: Mapping[str, Route] | None = None, host: str = "127.0.0.1") -> Iterator[Server]:
    """Run a server on ``host`` (a loopback address; free port) for the ``with`` block."""
    server = Server(routes=dict(routes or {}), host=host)
    httpd = _HTTPServer(server)
    server.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()  # wakes every hang and trickle at once
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        give_up = time.monotonic() + 5
        while server.active and time.monotonic() < give_up:
            time.sleep(0.01)


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connecting to it is refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


__all__ = [
    "MAX_SECONDS",
    "NOT_FOUND",
    "Request",
    "Route",
    "Server",
    "dynamic",
    "gzip_bomb",
    "gzipped",
    "hang",
    "huge",
    "page",
    "redirect",
    "serve",
    "trickle",
    "unused_port",
]
