"""A Zotero Web API v3 client: pull a library's items and HTML snapshots over HTTP.

The same code speaks to ``https://api.zotero.org`` (``/users/<id>`` and ``/groups/<id>``,
with an API key) and to Zotero 7's local API (``http://localhost:23119/api``, library
``users/0``, no key; it must be enabled in Zotero's settings, Advanced). What it does:

* ``GET <library>/items?format=json&include=data&limit=100``, paged with ``start``:
  the ``Link: <…>; rel="next"`` header is followed while there is one (only within the
  API's own origin), else ``Total-Results`` says when to stop; a page shorter than
  announced is a PC326 finding;
* ``Zotero-API-Version: 3`` on every request, and the key as ``Zotero-API-Key``; neither
  goes to another origin (the file store a ``/file`` download redirects to), nor is a key
  sent over plain HTTP to anything but this computer;
* 429 and 503 answers are retried after their ``Retry-After`` (seconds or an HTTP date),
  a ``Backoff`` header on any answer delays the next request; both a bounded number of
  times and never longer than ``max_wait`` seconds;
* ``since=<version>`` pulls only what changed after a library version (with a changed
  item's attachments and a changed attachment's item); the library's
  ``Last-Modified-Version`` is returned for the next pull. Deletions are not pulled: a
  record stays until it is removed by hand;
* notes and attachments are not items of their own; an item's HTML snapshot (an
  ``imported_url`` or ``imported_file`` attachment of type ``text/html``) is downloaded
  from ``/items/<key>/file`` (a ZIP, as the file store keeps multi-file snapshots, is
  opened for its HTML); the local API names the file on this computer instead
  (``/file/view/url`` gives its ``file://`` URL), which is read from disk. A snapshot
  that cannot be had is a PC325 finding;
* connections go through :func:`policycite.capture.fetch.fetch` (time-outs for the whole
  exchange, size limits, redirects, refusal of private addresses); the local API is on
  this computer by design, so a base URL on a loopback address is allowed to be one.

Every failure that stops the pull (401/403/404, a timeout, an answer that is not the
Zotero API's JSON) is an :class:`~policycite.errors.InputError` of one line naming the
URL. The items come back in the API's shape (``data`` objects) as
:class:`~policycite.zotero.items.ZoteroItem` values, ready for
:func:`policycite.zotero.importer.import_items`.
"""

from __future__ import annotations

import email.utils
import io
import ipaddress
import re
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit
from urllib.request import url2pathname

import attrs

from policycite.capture.addresses import AddressPolicy
from policycite.capture.fetch import FetchError, Response, fetch
from policycite.errors import InputError, ModelError
from policycite.findings import Finding, Location, finding_tuple
from policycite.model import PartialDate
from policycite.paths import read_regular
from policycite.safeparse import parse_json
from policycite.zotero.items import Attachment, ZoteroItem

__all__ = ["LOCAL_API", "WEB_API", "Pull", "ZoteroAPI"]

#: The Zotero Web API.
WEB_API = "https://api.zotero.org"
#: Zotero 7's local API (Settings → Advanced → "Allow other applications on this computer
#: to communicate with Zotero"); its personal library is ``users/0``.
LOCAL_API = "http://localhost:23119/api"

_PAGE = 100  # the API's largest page
_RETRY_STATUSES = frozenset({429, 503})
_LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')
_SNAPSHOT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_STORED = frozenset({"imported_url", "imported_file"})
_NOT_ITEMS = frozenset({"note", "annotation", "attachment"})
_LOOPBACK_NETWORKS = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@attrs.frozen
class Pull:
    """What one pull brought: items, the library version to pull ``since`` next, findings.

    The items are :class:`~policycite.zotero.items.ZoteroItem` values, the shape every
    Zotero reader delivers to :func:`policycite.zotero.importer.import_items`.
    """

    items: tuple[ZoteroItem, ...]
    version: int | None
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)


def _is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def _day(value: Any) -> PartialDate | None:
    """The day of a Zotero timestamp (``2024-03-14T09:30:00Z``, or ``… 09:30:00``)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return PartialDate.parse(value[:10])
    except ModelError:
        return None


def _retry_after(value: str | None, now: Callable[[], float]) -> float | None:
    """Seconds a ``Retry-After``/``Backoff`` header asks for (delta seconds or HTTP date)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now())


def _next_link(value: str | None) -> str | None:
    for found in _LINK_RE.finditer(value or ""):
        if "next" in found.group(2).split():
            return found.group(1)
    return None


_ALTERNATE_USER_RE = re.compile(r"^https?://(?:www\.)?zotero\.org/users/(\d+)/")


def _user_id(link: str | None) -> str | None:
    """The user id in the local API's ``alternate`` link (the item's page on zotero.org)."""
    for found in _LINK_RE.finditer(link or ""):
        if "alternate" in found.group(2).split():
            user = _ALTERNATE_USER_RE.match(found.group(1))
            if user and user.group(1) != "0":
                return user.group(1)
    return None


def _int_header(response: Response, name: str) -> int | None:
    value = response.headers.get(name, "").strip()
    return int(value) if value.isdigit() else None


class ZoteroAPI:
    """A read-only client of one Zotero library over the Web API v3 (or the local API).

    ``base`` is the API root (:data:`WEB_API`, :data:`LOCAL_API` or another server that
    speaks the API); the library is ``users/<library_id>`` or ``groups/<library_id>``
    (``library_type`` ``"user"`` or ``"group"``). ``api_key`` is sent as
    ``Zotero-API-Key`` (the local API needs none). ``local`` says whether ``base`` is
    Zotero's local API (default: when its host is a loopback address), which names
    attachment files on this computer rather than serving them. ``sleep`` and ``clock``
    are the waits and the wall clock (replaceable so that a test need not wait).
    """

    def __init__(
        self,
        base: str = WEB_API,
        *,
        library_type: str = "user",
        library_id: int | str = 0,
        api_key: str | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        max_wait: float = 120.0,
        max_bytes: int = 32 * 2**20,
        addresses: AddressPolicy | None = None,
        local: bool | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if library_type not in {"user", "group"}:
            raise InputError(f"a Zotero library is 'user' or 'group', not {library_type!r}")
        ident = str(library_id).strip()
        if not ident.isdigit():
            raise InputError(f"a Zotero library id is a number, not {ident!r}")
        parts = urlsplit(base.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise InputError("not an http(s) address of a Zotero API", source=base)
        self.base = base.strip().rstrip("/")
        self.library_type = library_type
        self.library_id = ident
        loopback = _is_loopback_host(parts.hostname)
        self.local = loopback if local is None else local
        if api_key and parts.scheme != "https" and not loopback:
            raise InputError(
                "refusing to send the API key unencrypted: use an https:// address",
                source=base,
            )
        self.api_key = api_key or None
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        policy = AddressPolicy.from_environment() if addresses is None else addresses
        if self.local and loopback:
            # The local API is on this computer by design: loopback is what it must reach.
            policy = attrs.evolve(policy, networks=(*policy.networks, *_LOOPBACK_NETWORKS))
        self.addresses = policy
        self.sleep = sleep
        self.clock = clock
        self._not_before = 0.0  # a Backoff header's end, on self.clock
        self._user_id: str | None = None  # the local API's users/0, when signed in
        self._origin = _origin(self.base)

    @property
    def library_url(self) -> str:
        """``<base>/users/<id>`` or ``<base>/groups/<id>``."""
        return f"{self.base}/{self.library_type}s/{self.library_id}"

    # -- requests ------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Zotero-API-Version": "3"}
        if self.api_key:
            headers["Zotero-API-Key"] = self.api_key
        return headers

    def _wait(self, seconds: float, url: str, why: str) -> None:
        if seconds > self.max_wait:
            raise InputError(
                f"the server asks to wait {seconds:.0f} s ({why}), more than {self.max_wait:.0f}"
                " s: try again later",
                source=url,
            )
        if seconds > 0:
            self.sleep(seconds)

    def _get(self, url: str, *, accept: tuple[str, ...] | None) -> Response:
        """GET with the API headers; retries 429/503 as told; raises for 4xx/5xx."""
        attempt = 0
        while True:
            pause = self._not_before - self.clock()
            if pause > 0:
                self._wait(pause, url, "Backoff")
            try:
                response = fetch(
                    url,
                    timeout=self.timeout,
                    max_bytes=self.max_bytes,
                    accept=accept,
                    addresses=self.addresses,
                    headers=self._headers(),
                )
            except FetchError as error:
                raise InputError(error.message, source=url) from None
            backoff = _retry_after(response.headers.get("backoff"), self.clock)
            if backoff:
                self._not_before = self.clock() + backoff
            if response.status in _RETRY_STATUSES and attempt < self.retries:
                attempt += 1
                told = _retry_after(response.headers.get("retry-after"), self.clock)
                # Without Retry-After, wait longer each time: 1, 2, 4 … seconds.
                self._wait(told if told is not None else 2.0 ** (attempt - 1), url, "Retry-After")
                continue
            if not response.ok:
                raise InputError(self._refusal(response), source=url)
            return response

    def _refusal(self, response: Response) -> str:
        status = f"{response.status} {response.reason}".strip()
        if response.status in {401, 403}:
            if self.local and not self.api_key:
                return (
                    f"{status}: the local API refused; enable it in Zotero (Settings → "
                    "Advanced → Allow other applications on this computer to communicate "
                    "with Zotero)"
                )
            return (
                f"{status}: the API key is missing, wrong or has no read access to this "
                "library (zotero.org → Settings → Security → Applications)"
            )
        if response.status == 404:
            return f"{status}: no such library or item (check the user or group id)"
        if response.status in _RETRY_STATUSES:
            return f"{status}: the server is still busy after {self.retries} retries; try later"
        return f"{status}: the Zotero API answered with an error"

    def _json(self, response: Response, url: str) -> Any:
        if "zotero-api-version" not in response.headers:
            raise InputError(
                "not a Zotero API (its answer has no Zotero-API-Version header)", source=url
            )
        try:
            text = response.body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("the Zotero API's answer is not UTF-8 JSON", source=url) from None
        try:
            return parse_json(text, url)
        except InputError as error:
            message = f"the Zotero API's answer is not JSON: {error.message}"
            raise InputError(message, source=url) from None

    # -- pulling -------------------------------------------------------------------------

    def _same_origin(self, url: str) -> bool:
        return _origin(url) == self._origin

    def _pages(self, since: int | None) -> Iterator[tuple[str, Response, list[Any]]]:
        query: dict[str, str | int] = {"format": "json", "include": "data", "limit": _PAGE}
        if since is not None:
            query["since"] = since
        url: str | None = f"{self.library_url}/items?{urlencode(query)}"
        start = 0
        seen: set[str] = set()
        while url is not None:
            seen.add(url)
            response = self._get(url, accept=("application/json",))
            page = self._json(response, url)
            if not isinstance(page, list) or not all(
                isinstance(entry, dict) and isinstance(entry.get("data"), dict) for entry in page
            ):
                raise InputError(
                    "not a Zotero API answer: expected a list of items with 'data'", source=url
                )
            yield url, response, page
            start += len(page)
            total = _int_header(response, "total-results")
            link = _next_link(response.headers.get("link"))
            if link is not None:
                following = urljoin(url, link)
                if not self._same_origin(following):
                    raise InputError(
                        f"the next page is on another server ({following}); not following",
                        source=url,
                    )
                url = None if following in seen else following
            elif total is not None and page and start < total:
                query["start"] = start
                url = f"{self.library_url}/items?{urlencode(query)}"
            else:
                url = None

    def pull(self, *, since: int | None = None, snapshots: bool = True) -> Pull:
        """All regular items of the library (changed after ``since``), with snapshots.

        Notes, annotations and attachments are not returned as items; with ``snapshots``
        each item's first stored HTML snapshot is downloaded.
        """
        entries: list[dict[str, Any]] = []
        version: int | None = None
        total: int | None = None
        first_url = ""
        for url, response, page in self._pages(since):
            if version is None:
                version = _int_header(response, "last-modified-version")
                total = _int_header(response, "total-results")
                first_url = url
                self._user_id = _user_id(response.headers.get("link"))
            entries.extend(page)
        findings: list[Finding] = []
        if total is not None and len(entries) < total:
            findings.append(
                Finding(
                    "PC326",
                    f"the Zotero API announced {total} items and sent {len(entries)}",
                    location=Location(first_url),
                    hint="the library changed during the pull: run the import again",
                )
            )
        attachments: dict[str, list[Mapping[str, Any]]] = {}
        regular: list[dict[str, Any]] = []
        for entry in entries:
            data = entry["data"]
            item_type = data.get("itemType")
            if item_type == "attachment":
                parent = data.get("parentItem")
                if isinstance(parent, str):
                    attachments.setdefault(parent, []).append(data)
            elif item_type not in {"note", "annotation"}:
                regular.append(entry)
        if since is not None and snapshots:
            self._complete(regular, attachments)
        items = []
        for entry in regular:
            data = entry["data"]
            key = str(data.get("key") or entry.get("key") or "")
            where = f"{self.library_url}/items/{key}"
            snapshot: Attachment | None = None
            problems: list[Finding] = []
            if snapshots:
                snapshot, problems = self._snapshot(key, attachments.get(key, []))
            items.append(
                ZoteroItem(
                    data=data,
                    uri=self._uri(entry, key),
                    snapshot=snapshot,
                    where=where,
                    problems=problems,
                )
            )
        return Pull(tuple(items), version, findings)

    def _complete(
        self, regular: list[dict[str, Any]], attachments: dict[str, list[Mapping[str, Any]]]
    ) -> None:
        """An incremental pull sends what changed: fetch what a changed part belongs with.

        A changed item's unchanged snapshot is among its children; a changed snapshot's
        unchanged parent item is fetched so the new snapshot reaches its record.
        """
        present = {str(entry["data"].get("key")) for entry in regular}
        for parent in sorted(set(attachments) - present):
            url = f"{self.library_url}/items/{parent}?format=json&include=data"
            entry = self._json(self._get(url, accept=("application/json",)), url)
            data = entry.get("data") if isinstance(entry, dict) else None
            if isinstance(data, dict) and data.get("itemType") not in _NOT_ITEMS:
                regular.append(entry)
        for key in sorted(present - set(attachments)):
            url = f"{self.library_url}/items/{key}/children?format=json&include=data&limit=100"
            children = self._json(self._get(url, accept=("application/json",)), url)
            for child in children if isinstance(children, list) else []:
                data = child.get("data") if isinstance(child, dict) else None
                if isinstance(data, dict) and data.get("itemType") == "attachment":
                    attachments.setdefault(key, []).append(data)

    def _uri(self, entry: Mapping[str, Any], key: str) -> str | None:
        """The identifier Zotero knows the item by, kept as the record's alias.

        ``http://zotero.org/users/<id>/items/<KEY>`` (or ``groups/<id>``), what Word
        citation fields embed. The local API calls the personal library ``users/0``; the
        user's id comes from the library the item names or the API's ``alternate`` link
        (a Zotero signed in to sync). A library never synced has a URI with a local key
        the API does not give: its items are named ``zotero://select/library/items/<KEY>``,
        Zotero's own link to an item, so that a re-import finds the records again.
        """
        library = entry.get("library")
        kind, ident = self.library_type, self.library_id
        if isinstance(library, Mapping):
            kind = str(library.get("type") or kind)
            ident = str(library.get("id") if library.get("id") is not None else ident)
        if not key or kind not in {"user", "group"}:
            return None
        if kind == "user" and ident in {"", "0"}:
            ident = self._user_id or ""
        if not ident:
            return f"zotero://select/library/items/{key}"
        return f"http://zotero.org/{kind}s/{ident}/items/{key}"

    def _snapshot(
        self, key: str, attachments: list[Mapping[str, Any]]
    ) -> tuple[Attachment | None, list[Finding]]:
        candidates = [
            a for a in attachments if str(a.get("contentType") or "").lower() in _SNAPSHOT_TYPES
        ]
        if not candidates:
            return None, []
        # A stored copy first; a linked file is on another computer's disk.
        candidates.sort(key=lambda a: a.get("linkMode") not in _STORED)
        chosen = candidates[0]
        file_url = f"{self.library_url}/items/{chosen.get('key')}/file"
        name = str(chosen.get("filename") or chosen.get("url") or chosen.get("key"))

        def unavailable(why: str, hint: str) -> tuple[None, list[Finding]]:
            return None, [
                Finding(
                    "PC325",
                    f"the HTML snapshot of Zotero item {key} ({name}) was not downloaded: {why}",
                    location=Location(file_url),
                    hint=hint,
                )
            ]

        if chosen.get("linkMode") not in _STORED:
            return unavailable(
                f"it is a {chosen.get('linkMode') or 'link'}, not a stored file",
                "store a copy in Zotero (right-click the item → Retrieve / save a snapshot) "
                "or capture the page with `policycite add`",
            )
        try:
            if self.local:
                body = self._local_file(f"{file_url}/view/url")
            else:
                body = self._get(file_url, accept=None).body
        except InputError as error:
            return unavailable(
                error.message,
                "check that the file is in Zotero (Show File) and, for a group or another "
                "computer, that Zotero syncs attachment files (Settings → Sync → File Syncing)",
            )
        if body.startswith(b"PK\x03\x04"):
            try:
                body = self._from_zip(body, str(chosen.get("filename") or ""))
            except (zipfile.BadZipFile, InputError) as error:
                return unavailable(f"the stored ZIP cannot be read ({error})", "save it again")
        return (
            Attachment(
                data=body,
                name=name,
                url=str(chosen["url"]) if chosen.get("url") else None,
                accessed=_day(chosen.get("accessDate")),
                captured_at=str(chosen["dateAdded"]) if chosen.get("dateAdded") else None,
                media_type=str(chosen.get("contentType") or "text/html").lower(),
            ),
            [],
        )

    def _local_file(self, url: str) -> bytes:
        """A snapshot the local API names by its ``file://`` URL, read from this computer.

        The local API answers ``/file`` with a redirect to the file on disk (and
        ``/file/view/url`` with that URL as text): the client and Zotero share the disk,
        since the API is on loopback. Only an HTML file is read, and only up to
        ``max_bytes``.
        """
        answer = self._get(url, accept=None).body.decode("utf-8", "replace").strip()
        parts = urlsplit(answer)
        if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
            raise InputError(f"the local API gave {answer[:80]!r}, not a file on this computer")
        path = Path(url2pathname(unquote(parts.path)))
        if path.suffix.lower() not in {".html", ".htm", ".xhtml"}:
            raise InputError(f"{path.name} is not an HTML file")
        return read_regular(path, self.max_bytes)

    def _from_zip(self, data: bytes, filename: str) -> bytes:
        """The named HTML file of a ZIP snapshot (or its first HTML file), size-limited."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            chosen = next((i for i in infos if i.filename == filename), None) or next(
                (i for i in infos if i.filename.lower().endswith((".html", ".htm"))), None
            )
            if chosen is None:
                raise InputError("no HTML file in it")
            if chosen.file_size > self.max_bytes:
                raise InputError(f"{chosen.filename} is larger than {self.max_bytes} bytes")
            with archive.open(chosen) as handle:
                content = handle.read(self.max_bytes + 1)
            if len(content) > self.max_bytes:  # the header lied about the size
                raise InputError(f"{chosen.filename} is larger than {self.max_bytes} bytes")
            return content
