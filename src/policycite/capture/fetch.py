"""The only module that opens network connections: fetch one URL, look up an archived copy.

:func:`fetch` gets a page over HTTP(S) and records what happened on the way (every
redirect, the final status, headers, media type and charset) in a :class:`Response`.
It is built on :mod:`http.client` rather than :mod:`urllib.request` so that every limit
holds whatever the server does:

* ``timeout`` bounds the connection, each read *and* the whole fetch, redirects
  included: a watchdog shuts the socket down at the deadline, so a server that trickles
  one byte a second (which no per-read timeout would catch) fails too;
* ``max_bytes`` bounds the body as sent and, for gzip/deflate bodies, as decoded, so a
  compression bomb is refused after decoding ``max_bytes`` bytes;
* redirects are followed by hand, each hop recorded, loops detected;
* every host name is resolved once per hop and every address it gives is checked against
  an :class:`~policycite.capture.addresses.AddressPolicy` (no private, loopback,
  link-local or metadata address unless allowed) before connecting, and the connection
  goes to a checked address, so a second DNS answer cannot slip past the check.

HTTP error statuses are not errors here: a 404 is a :class:`Response` with
``status == 404``, which is what the verifier needs to report. :class:`FetchError` is
raised when there is no usable answer (refused, time-out, too large, not a web page).

:func:`find_archived_copy` asks a Wayback-style availability API for the closest
archived copy of a URL. The API is ``https://archive.org/wayback/available`` unless the
environment variable ``POLICYCITE_ARCHIVE_ENDPOINT`` names another one (a mirror, or a
local fake in tests).

Proxies named in the environment (``http_proxy`` …) are not used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import attrs

from policycite.about import version
from policycite.capture.addresses import AddressPolicy
from policycite.errors import InputError
from policycite.safeparse import parse_json

#: Media types a page may have when :func:`fetch` is called with the default ``accept``.
DEFAULT_MEDIA_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml", "text/plain")

#: The availability API :func:`find_archived_copy` asks unless told otherwise.
DEFAULT_ARCHIVE_ENDPOINT = "https://archive.org/wayback/available"

#: The environment variable that replaces :data:`DEFAULT_ARCHIVE_ENDPOINT`.
ARCHIVE_ENDPOINT_VARIABLE = "POLICYCITE_ARCHIVE_ENDPOINT"


#: Sent with every request: names the tool so that site owners can see who fetches.
USER_AGENT = f"policycite/{version()} (citation capture and verification)"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# Path and query characters that stay as they are; "%" too, so that an address that is
# already percent-encoded is not encoded twice.
_PATH_SAFE = "/%:@!$&'()*+,;=~"
_QUERY_SAFE = _PATH_SAFE + "?"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WAYBACK_STAMP = re.compile(r"\d{14}")


class FetchError(InputError):
    """A URL could not be fetched; ``str(error)`` is one line that starts with the URL."""

    @property
    def url(self) -> str | None:
        """The URL that was asked for."""
        return self.source


@attrs.frozen
class Hop:
    """One redirect on the way to the final page: the URL asked and the status it gave."""

    url: str
    status: int


def _header_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType({k.lower(): v for k, v in value.items()})


def _hop_tuple(items: Collection[Hop]) -> tuple[Hop, ...]:
    return tuple(items)


@attrs.frozen
class Response:
    """What a URL answered, and how the answer was reached.

    ``url`` is the URL as it was asked for, ``final_url`` the address that answered
    (after redirects, encoded as a URI, without fragment). ``headers`` have lower-case
    names; a header sent several times has its values joined by ``", "``. ``body`` is
    decoded from gzip/deflate (the ``content-encoding`` header is kept as it was sent).
    ``media_type`` and ``charset`` come from ``Content-Type``, lower-cased, or are None.
    ``fetched_at`` is when the final answer arrived (UTC, ``YYYY-MM-DDTHH:MM:SSZ``),
    ``elapsed`` the seconds the whole fetch took.
    """

    url: str
    final_url: str
    status: int
    reason: str
    headers: Mapping[str, str] = attrs.field(converter=_header_map, hash=False)
    body: bytes
    media_type: str | None
    charset: str | None
    redirects: tuple[Hop, ...] = attrs.field(default=(), converter=_hop_tuple)
    fetched_at: str = ""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300


@attrs.frozen
class Archived:
    """The closest archived copy of a page: its address, when it was taken, its status.

    ``timestamp`` is ISO 8601 in UTC (``2020-05-18T12:00:00Z``); ``status`` is the HTTP
    status the archive recorded for the page (``"200"``), when it says.
    """

    url: str
    timestamp: str
    status: str | None = None


class _HopError(Exception):
    """Internal: one hop failed; :func:`fetch` turns it into a :class:`FetchError`."""


def _size(limit: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if limit >= scale and limit % scale == 0:
            return f"{limit // scale} {unit}"
    return f"{limit} bytes"


def to_uri(url: str) -> str:
    """``url`` as an ASCII URI: IDNA host, percent-encoded path and query, no fragment.

    Spaces and non-ASCII characters (an IRI pasted from a browser) are encoded as UTF-8;
    escapes already present are kept. Raises :class:`FetchError` for anything but an
    absolute ``http`` or ``https`` URL.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise FetchError(f"not a valid URL: {error}", source=url) from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}: URLs" if scheme else "a URL without a scheme"
        raise FetchError(f"cannot fetch {shown}; only http and https", source=url)
    host = parts.hostname
    if not host:
        raise FetchError("the URL names no host", source=url)
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"not a valid host name: {host!r}", source=url) from None
    if ":" in ascii_host:  # an IPv6 literal keeps its brackets
        ascii_host = f"[{ascii_host}]"
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    path = quote(_STRAY_PERCENT.sub("%25", parts.path), safe=_PATH_SAFE) or "/"
    query = quote(_STRAY_PERCENT.sub("%25", parts.query), safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, ""))


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    """Media type and charset of a Content-Type value, lower-cased, or None."""
    if not value:
        return None, None
    head, *params = value.split(";")
    media = head.strip().lower()
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return (media if "/" in media else None), charset


class _Watchdog:
    """Shuts a socket down at a deadline, so that no read can outlive the timeout.

    Socket timeouts bound each read only: a server sending a byte just before every
    timeout would keep a reader busy for ever. Shutting the socket down (from a timer
    thread) wakes a blocked read at once; the reader then checks :attr:`fired`.
    """

    def __init__(self, sock: socket.socket, delay: float) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self._done = False
        self.fired = False
        self._timer = threading.Timer(max(delay, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            # socket.socket's shutdown, not SSLSocket's: that one also drops the TLS object
            # under the feet of the reading thread. OSError: the peer closed it already.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        # Under the lock, so that the timer never touches a socket being closed.
        with self._lock:
            self._done = True
        self._timer.cancel()


class _Decoder:
    """Decodes a gzip/deflate body chunk by chunk, never producing more than asked.

    A gzip body may hold several members one after another (RFC 1952; ``cat a.gz b.gz``):
    all are decoded, as browsers and ``gzip -d`` do. A stream that stops before its end
    (no final block, or a gzip member without its CRC trailer) is refused by
    :meth:`finish`: its text would be cut short without a word.
    """

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._wbits = 0
        self._inflater: zlib._Decompress | None = None
        self._tail = b""  # the first byte of what may be another gzip member
        self._ignoring = False  # bytes after the last member are not compressed data

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Decode ``chunk``; at most ``room`` bytes (room >= 1) are returned."""
        if self.coding == "identity":
            return chunk
        if self._inflater is None:
            if self.coding == "gzip":
                self._wbits = 16 + zlib.MAX_WBITS
            # "deflate" should be zlib-wrapped; some servers send raw deflate. A zlib
            # stream starts with a header whose first two bytes are a multiple of 31.
            elif len(chunk) >= 2 and chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0:
                self._wbits = zlib.MAX_WBITS
            else:
                self._wbits = -zlib.MAX_WBITS
            self._inflater = zlib.decompressobj(self._wbits)
        out = b""
        while chunk:
            if self._inflater.eof:
                if self._ignoring:
                    return out
                tail = self._tail + chunk
                if self.coding == "gzip" and tail == b"\x1f":  # wait for the next byte
                    self._tail = tail
                    return out
                self._tail = b""
                if self.coding != "gzip" or not tail.startswith(b"\x1f\x8b"):
                    # Trailing bytes that start no member (padding some servers add) are
                    # ignored, as browsers do.
                    self._ignoring = True
                    return out
                # Another gzip member follows: it is decoded too.
                self._inflater = zlib.decompressobj(self._wbits)
                chunk = tail
            # max_length keeps a bomb from expanding: a full output means the limit is
            # passed, and the caller stops.
            out += self._inflater.decompress(chunk, room - len(out))
            if len(out) >= room:
                return out
            # Below max_length all input was consumed; past a member's end, what is left.
            chunk = self._inflater.unused_data if self._inflater.eof else b""
        return out

    def finish(self) -> None:
        """Raise ``zlib.error`` when the compressed stream stopped before its end."""
        if self._inflater is not None and not self._inflater.eof:
            raise zlib.error("the compressed data stops before its end (truncated or damaged)")


def _content_coding(value: str | None) -> str:
    codings = [c.strip().lower() for c in (value or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return "identity"
    if len(codings) == 1 and codings[0] in {"gzip", "x-gzip", "deflate"}:
        return "deflate" if codings[0] == "deflate" else "gzip"
    raise _HopError(f"unsupported Content-Encoding {value!r}")


@attrs.frozen
class _Answer:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes
    location: str | None
    fetched_at: str


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_head(
    response: http.client.HTTPResponse,
    headers: Mapping[str, str],
    *,
    accept: tuple[str, ...] | None,
    max_bytes: int,
) -> None:
    """Refuse an answer before its body is read: media type not accepted, too large."""
    if accept is not None and 200 <= response.status < 300:
        media_type, _ = _media_type(headers.get("content-type"))
        # A page without Content-Type is let through: the extractor sniffs the bytes.
        if media_type is not None and media_type not in accept:
            raise _HopError(f"{media_type} is not a web page (expected {', '.join(accept)})")
    if response.length is not None and response.length > max_bytes:
        raise _HopError(
            f"larger than {_size(max_bytes)} (Content-Length {response.length}); not downloaded"
        )


def _read_body(
    response: http.client.HTTPResponse,
    watchdog: _Watchdog,
    encoding: str | None,
    max_bytes: int,
) -> bytes:
    """The body, decoded; at most ``max_bytes`` read and at most ``max_bytes`` decoded."""
    coding = _content_coding(encoding)
    decoder = _Decoder(coding)
    too_large = _HopError(f"larger than {_size(max_bytes)}; download stopped")
    body = bytearray()
    received = 0
    try:
        while True:
            chunk = response.read1(_CHUNK)
            if watchdog.fired:  # the shutdown may look like a clean end of the body
                raise TimeoutError
            if not chunk:
                break
            received += len(chunk)
            if received > max_bytes:
                raise too_large
            room = max_bytes - len(body) + 1
            data = decoder.feed(chunk, room)
            if len(data) >= room:
                raise too_large
            body += data
        # read1() takes a connection closed early for the end of the body; a declared
        # length that was not reached means the page is cut short.
        if response.length:
            raise http.client.IncompleteRead(bytes(body), response.length)
        decoder.finish()
    except zlib.error as error:
        raise _HopError(f"cannot decode the {coding} body: {error}") from None
    if len(body) > max_bytes:
        raise too_large
    return bytes(body)


_SockAddr = tuple[socket.AddressFamily, tuple[Any, ...]]


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection to addresses checked beforehand, never to a fresh look-up."""

    addresses: tuple[_SockAddr, ...] = ()

    def connect(self) -> None:
        error: OSError = OSError("no address to connect to")
        for family, address in self.addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                if isinstance(self.timeout, float | int):
                    sock.settimeout(self.timeout)
                sock.connect(address)
            except OSError as failed:
                sock.close()
                error = failed
                continue
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock = sock
            return
        raise error


class _PinnedHTTPSConnection(http.client.HTTPSConnection, _PinnedConnection):
    """HTTPS over :class:`_PinnedConnection` (TLS still checks the certificate's name)."""


def _checked_addresses(host: str, port: int, policy: AddressPolicy) -> tuple[_SockAddr, ...]:
    """Every address ``host`` resolves to, each allowed by ``policy`` (else _HopError)."""
    found: list[_SockAddr] = []
    answers: list[tuple[Any, ...]]
    try:  # an address in the URL needs no look-up
        literal = ipaddress.ip_address(host)
    except ValueError:
        answers = list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    else:
        family = socket.AF_INET if literal.version == 4 else socket.AF_INET6
        answers = [(family, socket.SOCK_STREAM, 0, "", (str(literal), port))]
    for family, _, _, _, address in answers:
        if family not in {socket.AF_INET, socket.AF_INET6}:
            continue
        ip = ipaddress.ip_address(str(address[0]).partition("%")[0])
        refusal = policy.refusal(ip)
        if refusal is not None:
            # One refused address refuses the host: which one a connection would use is
            # not ours to choose, and a name that also resolves inward is suspect.
            raise _HopError(f"not connecting to {host}: {refusal}")
        found.append((family, tuple(address)))
    if not found:
        raise _HopError(f"not connecting to {host}: it has no IPv4 or IPv6 address")
    return tuple(found)


def _exchange(
    uri: str,
    *,
    deadline: float,
    timeout: float,
    max_bytes: int,
    accept: tuple[str, ...] | None,
    user_agent: str,
    policy: AddressPolicy,
    extra_headers: Mapping[str, str] | None = None,
) -> _Answer:
    """One request and its answer; the body is not read for a redirect."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _checked_addresses(host, port, policy)
    conn: _PinnedConnection
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(
            host, parts.port, timeout=min(timeout, remaining), context=ssl.create_default_context()
        )
    else:
        conn = _PinnedConnection(host, parts.port, timeout=min(timeout, remaining))
    conn.addresses = addresses
    watchdog: _Watchdog | None = None
    response: http.client.HTTPResponse | None = None
    try:
        conn.connect()
        assert conn.sock is not None
        watchdog = _Watchdog(conn.sock, deadline - time.monotonic())
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(
            "GET",
            target,
            headers={
                "User-Agent": user_agent,
                "Accept": ", ".join((*accept, "*/*;q=0.1")) if accept else "*/*",
                "Accept-Encoding": "gzip, deflate",
                # One request per connection: nothing is left open between hops.
                "Connection": "close",
                **(extra_headers or {}),
            },
        )
        response = conn.getresponse()
        if watchdog.fired:
            raise TimeoutError
        fetched_at = _utc_now()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        status = response.status
        location = headers.get("location")
        if status in _REDIRECTS and location:
            return _Answer(status, response.reason, headers, b"", location, fetched_at)
        _check_head(response, headers, accept=accept, max_bytes=max_bytes)
        body = _read_body(response, watchdog, headers.get("content-encoding"), max_bytes)
        return _Answer(status, response.reason, headers, body, None, fetched_at)
    except (OSError, http.client.HTTPException, ValueError):
        # Whatever the shutdown caused (EOF, reset, SSL error), a fired watchdog means
        # the time was up.
        if watchdog is not None and watchdog.fired:
            raise TimeoutError from None
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if response is not None:
            response.close()
        conn.close()


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the port a scheme implies made explicit)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a port that is no number: to_uri refuses the URL
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _describe(error: BaseException) -> str:
    """A short, one-line reason for a network exception."""
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host name ({error.strerror or error})"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {error.verify_message or error}"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or error}"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.IncompleteRead):
        return "the connection was closed before the body was complete"
    if isinstance(error, http.client.HTTPException):
        return f"not a valid HTTP answer ({type(error).__name__}: {error})"
    if isinstance(error, OSError):
        return f"network error: {error.strerror or error}"
    return f"{type(error).__name__}: {error}"


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 32 * 2**20,
    max_redirects: int = 10,
    accept: Collection[str] | None = DEFAULT_MEDIA_TYPES,
    user_agent: str = USER_AGENT,
    addresses: AddressPolicy | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """GET ``url``, following redirects, and return what it answered.

    ``timeout`` (seconds) bounds connecting, each read and the whole fetch, redirects
    included. A body above ``max_bytes`` (sent or decoded) is refused, before the download
    when Content-Length says so. Redirects (301, 302, 303, 307, 308) are followed up to
    ``max_redirects`` times and recorded in :attr:`Response.redirects`. A 2xx answer whose
    media type is not in ``accept`` is refused (``accept=None`` takes any type; an answer
    without Content-Type is taken). 4xx and 5xx statuses are returned, not raised.

    Raises :class:`FetchError` (naming ``url``) for a URL that is not http(s), a network
    failure (refused, DNS, TLS, time-out), a redirect loop or too many redirects, a body
    too large, or a media type not accepted. It is raised too, before connecting, when
    the host of the URL or of a redirect resolves to an address ``addresses`` refuses
    (default: :meth:`AddressPolicy.from_environment`, which refuses private, loopback,
    link-local and metadata addresses unless ``$POLICYCITE_ALLOW_PRIVATE`` allows them).

    ``headers`` are sent as well (an API key, an API version), but only to the origin
    (scheme, host and port) of ``url``: a redirect elsewhere (a file store) never
    receives them, as browsers and requests drop credentials across origins.
    """
    policy = AddressPolicy.from_environment() if addresses is None else addresses
    origin = _origin(url)
    started = time.monotonic()
    deadline = started + timeout
    accepted = None if accept is None else tuple(t.strip().lower() for t in accept)
    current = to_uri(url)
    hops: list[Hop] = []
    visited = [current]

    def failed(message: str) -> FetchError:
        where = f" (at {current})" if hops else ""
        return FetchError(f"{message}{where}", source=url)

    while True:
        try:
            answer = _exchange(
                current,
                deadline=deadline,
                timeout=timeout,
                max_bytes=max_bytes,
                accept=accepted,
                user_agent=user_agent,
                policy=policy,
                extra_headers=headers if _origin(current) == origin else None,
            )
        except _HopError as error:
            raise failed(str(error)) from None
        except TimeoutError:  # also socket.timeout, its alias
            raise failed(f"timed out after {float(timeout)} s") from None
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise failed(_describe(error)) from None
        if answer.location is None:
            break
        hops.append(Hop(current, answer.status))
        if len(hops) > max_redirects:
            raise failed(f"more than {max_redirects} redirects")
        target = urljoin(current, answer.location)
        try:
            following = to_uri(target)
        except FetchError as error:
            raise failed(f"redirected to {target}: {error.message}") from None
        if following in visited:
            raise failed("redirect loop: " + " → ".join((*visited, following)))
        visited.append(following)
        current = following
    media_type, charset = _media_type(answer.headers.get("content-type"))
    return Response(
        url=url,
        final_url=current,
        status=answer.status,
        reason=answer.reason,
        headers=answer.headers,
        body=answer.body,
        media_type=media_type,
        charset=charset,
        redirects=tuple(hops),
        fetched_at=answer.fetched_at,
        elapsed=time.monotonic() - started,
    )


def archive_endpoint() -> str:
    """The availability API in use: ``$POLICYCITE_ARCHIVE_ENDPOINT`` or the default."""
    return os.environ.get(ARCHIVE_ENDPOINT_VARIABLE, "").strip() or DEFAULT_ARCHIVE_ENDPOINT


def find_archived_copy(
    url: str,
    *,
    endpoint: str | None = None,
    timeout: float = 20.0,
    addresses: AddressPolicy | None = None,
) -> Archived | None:
    """The closest archived copy of ``url``, or None when the archive has none.

    Asks a Wayback-style availability API (``GET {endpoint}?url=…``, answering
    ``{"archived_snapshots": {"closest": {"available": true, "url": …, "timestamp":
    "20200518120000", "status": "200"}}}``). ``endpoint`` defaults to
    :func:`archive_endpoint`: ``$POLICYCITE_ARCHIVE_ENDPOINT`` when set, else
    :data:`DEFAULT_ARCHIVE_ENDPOINT`. ``addresses`` is as for :func:`fetch`.

    Raises :class:`FetchError` when the API cannot be reached, answers with an HTTP error
    or answers something that is not the expected JSON (the error names the endpoint).
    """
    api = endpoint or archive_endpoint()
    query = f"{api}{'&' if '?' in api else '?'}url={quote(url, safe='')}"
    try:
        response = fetch(query, timeout=timeout, max_bytes=2**20, accept=None, addresses=addresses)
    except FetchError as error:
        raise FetchError(f"archive lookup failed: {error.message}", source=api) from None
    if not response.ok:
        raise FetchError(
            f"archive lookup failed: HTTP {response.status} {response.reason}", source=api
        )

    def malformed(why: str) -> FetchError:
        return FetchError(f"malformed answer from the archive availability API: {why}", source=api)

    try:
        # Depth- and size-limited like every JSON policycite reads (safeparse.parse_json).
        data = parse_json(response.body.decode(response.charset or "utf-8"), api)
    except InputError as error:
        raise malformed(error.message) from None
    except (ValueError, LookupError) as error:  # UnicodeError included
        raise malformed(str(error)) from None
    if not isinstance(data, dict):
        raise malformed("not a JSON object")
    snapshots = data.get("archived_snapshots", {})
    if not isinstance(snapshots, dict):
        raise malformed("'archived_snapshots' is not an object")
    closest = snapshots.get("closest")
    if not closest:
        return None
    if not isinstance(closest, dict):
        raise malformed("'closest' is not an object")
    if closest.get("available") is False:
        return None
    address, stamp, status = closest.get("url"), closest.get("timestamp"), closest.get("status")
    if not isinstance(address, str) or not address:
        raise malformed("the snapshot has no 'url'")
    if not isinstance(stamp, str) or not _WAYBACK_STAMP.fullmatch(stamp):
        raise malformed(f"the snapshot's timestamp is not YYYYMMDDhhmmss: {stamp!r}")
    try:
        when = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        raise malformed(f"the snapshot's timestamp is not a date: {stamp!r}") from None
    return Archived(
        url=address,
        timestamp=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        status=None if status is None else str(status),
    )


__all__ = [
    "ARCHIVE_ENDPOINT_VARIABLE",
    "DEFAULT_ARCHIVE_ENDPOINT",
    "DEFAULT_MEDIA_TYPES",
    "USER_AGENT",
    "Archived",
    "FetchError",
    "Hop",
    "Response",
    "archive_endpoint",
    "fetch",
    "find_archived_copy",
    "to_uri",
]
