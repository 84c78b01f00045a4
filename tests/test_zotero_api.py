"""The Zotero Web API client against a local server that speaks the API.

The server (tests/httpserver.py routes) serves a user library (``/api/users/0``, as
Zotero 7's local API) and a group library (``/api/groups/77``, with an API key), pages
of at most ``PAGE`` entries with ``Link``/``Total-Results``/``Last-Modified-Version``
headers, HTML snapshot files (one plain, one in a ZIP as the file store keeps them), and
the API's refusals. Nothing leaves 127.0.0.1; the client's waits go to a fake clock.
"""

from __future__ import annotations

import copy
import io
import ipaddress
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from policycite.capture.addresses import AddressPolicy
from policycite.errors import InputError
from policycite.model import PartialDate
from policycite.zotero.api import ZoteroAPI

from httpserver import Request, Route, Server, dynamic, hang, page, redirect, serve

DATA = Path(__file__).parent / "data" / "zotero"
ENTRIES: list[dict[str, Any]] = json.loads((DATA / "api-library.json").read_text("utf-8"))
PAGE = 3
VERSION = 46
GROUP_KEY = "k3y-for-group-77"

SNAPSHOT = (
    "<!DOCTYPE html><html><head><title>Storm shelters</title></head><body><main>"
    "<h1>Ministry Opens Three New Storm Shelters on the North Coast</h1>"
    "<p>The Ministry of Coastal Affairs opened three storm shelters on 12 March 2024.</p>"
    "</main></body></html>"
)


def _zip(name: str, html: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, html)
        archive.writestr("images/logo.png", b"\x89PNG")
    return buffer.getvalue()


class FakeZotero:
    """The API's answers for one library: paging, versions, files, refusals."""

    def __init__(
        self,
        library: str,
        library_json: dict[str, Any],
        *,
        key: str | None = None,
        links: bool = True,
    ) -> None:
        self.library = library
        self.library_json = library_json
        self.key = key
        self.links = links
        self.busy = 0  # answer this many requests with 429 first
        self.backoff: str | None = None  # a Backoff header on the first page
        self.drop_last = False  # send one entry fewer than Total-Results says
        self.versions: dict[str, int] = {}  # entries changed since the fixture was made
        self.alternate: str | None = None  # the local API's link to zotero.org, signed in

    def all_entries(self) -> list[dict[str, Any]]:
        out = []
        for entry in ENTRIES:
            sent = copy.deepcopy(entry)
            sent["library"] = self.library_json
            sent["version"] = sent["data"]["version"] = self.versions.get(
                entry["key"], entry["version"]
            )
            out.append(sent)
        return out

    def entries(self, since: int) -> list[dict[str, Any]]:
        return [entry for entry in self.all_entries() if entry["version"] > since]

    def one(self, request: Request) -> Route:
        key = request.path.split("/")[-1]
        (entry,) = [e for e in self.all_entries() if e["key"] == key]
        headers = {"Zotero-API-Version": "3", "Last-Modified-Version": str(entry["version"])}
        return page(json.dumps(entry), content_type="application/json", headers=headers)

    def children(self, request: Request) -> Route:
        key = request.path.split("/")[-2]
        found = [e for e in self.all_entries() if e["data"].get("parentItem") == key]
        headers = {"Zotero-API-Version": "3", "Total-Results": str(len(found))}
        return page(json.dumps(found), content_type="application/json", headers=headers)

    def refused(self, request: Request) -> Route | None:
        if self.key is not None and request.headers.get("zotero-api-key") != self.key:
            headers = {"Zotero-API-Version": "3"}
            return page("Forbidden", status=403, content_type="text/plain", headers=headers)
        return None

    def items(self, request: Request) -> Route:
        refused = self.refused(request)
        if refused is not None:
            return refused
        if self.busy:
            self.busy -= 1
            return page(
                "Too many requests",
                status=429,
                content_type="text/plain",
                headers={"Retry-After": "3", "Zotero-API-Version": "3"},
            )
        since = int(request.param("since") or 0)
        start = int(request.param("start") or 0)
        limit = min(int(request.param("limit") or 25), PAGE)
        entries = self.entries(since)
        chunk = entries[start : start + limit]
        if self.drop_last and start + limit >= len(entries):
            chunk = chunk[:-1]
        headers = {
            "Zotero-API-Version": "3",
            "Total-Results": str(len(entries)),
            "Last-Modified-Version": str(VERSION),
        }
        if self.alternate:
            headers["Link"] = f'<{self.alternate}>; rel="alternate"'
        if self.backoff and start == 0:
            headers["Backoff"] = self.backoff
        if self.links and start + limit < len(entries):
            query = {"format": "json", "include": "data", "limit": limit, "start": start + limit}
            if since:
                query["since"] = since
            link = f'<{self.library}/items?{urlencode(query)}>; rel="next"'
            headers["Link"] = ", ".join(filter(None, (headers.get("Link"), link)))
        return page(json.dumps(chunk), content_type="application/json", headers=headers)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve() as running:
        yield running


def _install(server: Server, fake: FakeZotero, files: dict[str, Route] | None = None) -> None:
    server.set(f"{fake.library}/items", dynamic(fake.items))
    for entry in ENTRIES:
        server.set(f"{fake.library}/items/{entry['key']}", dynamic(fake.one))
        server.set(f"{fake.library}/items/{entry['key']}/children", dynamic(fake.children))
    for key, route in (files or {}).items():
        server.set(f"{fake.library}/items/{key}/file", route)


def _files() -> dict[str, Route]:
    return {
        "SNAP2345": page(SNAPSHOT),
        "ZIP2345A": page(_zip("storm-shelters.html", SNAPSHOT), content_type="application/zip"),
    }


class Clock:
    """A fake wall clock: sleeping advances it, and every wait is recorded."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.waits: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


#: The test server is on loopback; a client that treats it as the web API needs leave.
LOOPBACK = AddressPolicy(networks=(ipaddress.ip_network("127.0.0.0/8"),))


def _client(server: Server, clock: Clock | None = None, **options: Any) -> ZoteroAPI:
    """A client of the local API (users/0 on loopback) unless options say otherwise."""
    clock = clock or Clock()
    options.setdefault("library_id", 0)
    return ZoteroAPI(server.url("/api"), sleep=clock.sleep, clock=clock.time, **options)


def _web(server: Server, clock: Clock | None = None, **options: Any) -> ZoteroAPI:
    """A client that takes the server for the Web API: files are downloaded."""
    return _client(server, clock, local=False, addresses=LOOPBACK, **options)


@pytest.fixture
def storage(tmp_path: Path) -> Path:
    """Zotero's storage folder on this computer, as the local API names its files."""
    for key in ("SNAP2345", "ZIP2345A"):
        folder = tmp_path / "storage" / key
        folder.mkdir(parents=True)
        (folder / "storm-shelters.html").write_text(SNAPSHOT, encoding="utf-8")
    return tmp_path / "storage"


def _user(server: Server, storage: Path | None = None, **options: Any) -> FakeZotero:
    """The local API's personal library; its files are named by file:// URL."""
    fake = FakeZotero("/api/users/0", {"type": "user", "id": 0, "name": "My Library"}, **options)
    _install(server, fake)
    for key in ("SNAP2345", "ZIP2345A"):
        target = (storage or Path("/nonexistent")) / key / "storm-shelters.html"
        server.set(
            f"{fake.library}/items/{key}/file/view/url",
            page(target.as_uri(), content_type="text/plain", headers={"Zotero-API-Version": "3"}),
        )
    return fake


def _group(server: Server) -> FakeZotero:
    """A group library on the Web API, with a key; its files are downloaded."""
    fake = FakeZotero("/api/groups/77", {"type": "group", "id": 77, "name": "Team"}, key=GROUP_KEY)
    _install(server, fake, _files())
    return fake


def test_pages_through_the_library_following_link_headers(server: Server, storage: Path) -> None:
    _user(server, storage)
    pull = _client(server).pull()
    keys = [item.data["key"] for item in pull.items]
    assert keys == ["PR2345AB", "NW2345AB", "WB2345AB", "SP2345AB", "DC2345AB"]  # no notes
    assert pull.version == VERSION
    item_requests = [r for r in server.requests if r.path == "/api/users/0/items"]
    assert [r.param("start") for r in item_requests] == [None, "3", "6"]
    first = item_requests[0]
    assert first.param("format") == "json" and first.param("include") == "data"
    assert first.param("limit") == "100"
    assert first.headers["zotero-api-version"] == "3"
    assert "zotero-api-key" not in first.headers  # the local API needs none
    assert pull.findings == ()


def test_pages_by_total_results_without_link_headers(server: Server) -> None:
    _user(server, links=False)
    pull = _client(server).pull(snapshots=False)
    assert len(pull.items) == 5
    starts = [r.param("start") for r in server.requests if r.path == "/api/users/0/items"]
    assert starts == [None, "3", "6"]
    assert not any(r.path.endswith("/file") for r in server.requests)


def test_local_api_snapshots_are_read_from_this_computer(server: Server, storage: Path) -> None:
    _user(server, storage)
    items = {item.data["key"]: item for item in _client(server).pull().items}
    for key in ("PR2345AB", "NW2345AB"):
        snapshot = items[key].snapshot
        assert snapshot is not None and snapshot.data.decode("utf-8") == SNAPSHOT
    assert items["PR2345AB"].snapshot.accessed == PartialDate(2024, 3, 14)  # type: ignore[union-attr]
    asked = [r.path for r in server.requests if "/file" in r.path]
    assert asked == [
        "/api/users/0/items/SNAP2345/file/view/url",
        "/api/users/0/items/ZIP2345A/file/view/url",
    ]


def test_local_api_reads_only_html_files(server: Server, storage: Path) -> None:
    fake = _user(server, storage)
    secret = storage.parent / "secret.txt"
    secret.write_text("not a snapshot", encoding="utf-8")
    server.set(
        f"{fake.library}/items/SNAP2345/file/view/url",
        page(secret.as_uri(), content_type="text/plain", headers={"Zotero-API-Version": "3"}),
    )
    items = {item.data["key"]: item for item in _client(server).pull().items}
    assert items["PR2345AB"].snapshot is None
    assert "not an HTML file" in items["PR2345AB"].problems[0].message
    missing = _client(server)  # a file Zotero names but that is gone: a finding
    (storage / "ZIP2345A" / "storm-shelters.html").unlink()
    items = {item.data["key"]: item for item in missing.pull().items}
    assert [f.code for f in items["NW2345AB"].problems] == ["PC325"]


def test_web_api_snapshots_are_downloaded_plain_and_from_zip(server: Server) -> None:
    _group(server)
    client = _web(server, library_type="group", library_id=77, api_key=GROUP_KEY)
    items = {item.data["key"]: item for item in client.pull().items}
    release = items["PR2345AB"].snapshot
    assert release is not None
    assert release.data.decode("utf-8") == SNAPSHOT
    assert release.url == "https://coastal.example.org/news/2024/storm-shelters"
    assert release.accessed == PartialDate(2024, 3, 14)
    assert release.captured_at == "2024-03-14T09:30:05Z"
    assert release.media_type == "text/html"
    news = items["NW2345AB"].snapshot
    assert news is not None and news.data.decode("utf-8") == SNAPSHOT  # unzipped
    # A linked URL is not a stored file: no download, a PC325 finding on the item.
    speech = items["SP2345AB"]
    assert speech.snapshot is None
    assert [f.code for f in speech.problems] == ["PC325"]
    assert "linked_url" in speech.problems[0].message
    assert items["DC2345AB"].snapshot is None and items["DC2345AB"].problems == ()


def test_a_missing_snapshot_file_is_a_finding_not_an_error(server: Server) -> None:
    fake = _group(server)
    server.set(
        f"{fake.library}/items/SNAP2345/file",
        page("Not found", status=404, content_type="text/plain"),
    )
    client = _web(server, library_type="group", library_id=77, api_key=GROUP_KEY)
    items = {item.data["key"]: item for item in client.pull().items}
    problem = items["PR2345AB"].problems[0]
    assert problem.code == "PC325" and "404" in problem.message
    assert problem.location.path == server.url("/api/groups/77/items/SNAP2345/file")


def test_429_is_retried_after_retry_after(server: Server) -> None:
    fake = _user(server)
    fake.busy = 1
    clock = Clock()
    pull = _client(server, clock).pull(snapshots=False)
    assert len(pull.items) == 5
    assert clock.waits == [3.0]
    starts = [r.param("start") for r in server.requests if r.path == "/api/users/0/items"]
    assert starts == [None, None, "3", "6"]


def test_retries_are_bounded(server: Server) -> None:
    fake = _user(server)
    fake.busy = 10
    clock = Clock()
    with pytest.raises(InputError) as caught:
        _client(server, clock, retries=2).pull()
    assert clock.waits == [3.0, 3.0]
    message = str(caught.value)
    assert message.startswith(server.url("/api/users/0/items"))
    assert "429" in message and "\n" not in message


def test_a_wait_longer_than_allowed_is_an_error(server: Server) -> None:
    fake = _user(server)
    fake.busy = 1
    with pytest.raises(InputError, match="asks to wait 3 s"):
        _client(server, max_wait=1).pull()


def test_backoff_delays_the_next_request(server: Server) -> None:
    fake = _user(server)
    fake.backoff = "5"
    clock = Clock()
    _client(server, clock).pull(snapshots=False)
    assert clock.waits == [5.0]


def test_since_pulls_only_newer_items_and_returns_the_version(server: Server) -> None:
    _user(server)
    pull = _client(server).pull(since=44, snapshots=False)
    assert [item.data["key"] for item in pull.items] == ["SP2345AB", "DC2345AB"]
    assert pull.version == VERSION
    assert {r.param("since") for r in server.requests if r.path.endswith("/items")} == {"44"}


def test_since_brings_a_changed_items_snapshot_and_a_changed_snapshots_item(
    server: Server, storage: Path
) -> None:
    fake = _user(server, storage)
    fake.versions = {"PR2345AB": 50, "ZIP2345A": 51}  # an edited item, a new snapshot
    pull = _client(server).pull(since=46)
    assert pull.version == VERSION
    items = {item.data["key"]: item for item in pull.items}
    assert sorted(items) == ["NW2345AB", "PR2345AB"]
    assert all(item.snapshot is not None for item in items.values())
    asked = [r.path for r in server.requests if not r.path.endswith("/url")]
    assert asked == [
        "/api/users/0/items",
        "/api/users/0/items/NW2345AB",  # the parent of the new snapshot
        "/api/users/0/items/PR2345AB/children",  # the snapshot of the edited item
    ]


def test_group_library_with_api_key_and_item_uris(server: Server) -> None:
    _group(server)
    pull = _web(server, library_type="group", library_id=77, api_key=GROUP_KEY).pull()
    assert len(pull.items) == 5
    assert pull.items[0].uri == "http://zotero.org/groups/77/items/PR2345AB"
    assert all(r.headers.get("zotero-api-key") == GROUP_KEY for r in server.requests)
    # The local API's users/0: the signed-in user's id from the alternate link, else
    # Zotero's own link to the item (a library never synced has no id to give).
    fake = _user(server)
    assert _client(server).pull(snapshots=False).items[0].uri == (
        "zotero://select/library/items/PR2345AB"
    )
    fake.alternate = "https://www.zotero.org/users/4815/items"
    assert _client(server).pull(snapshots=False).items[0].uri == (
        "http://zotero.org/users/4815/items/PR2345AB"
    )


def test_bad_key_is_one_line_naming_the_url(server: Server) -> None:
    fake = FakeZotero("/api/groups/77", {"type": "group", "id": 77}, key=GROUP_KEY)
    _install(server, fake)
    with pytest.raises(InputError) as caught:
        _client(server, library_type="group", library_id=77, api_key="wrong").pull()
    text = str(caught.value)
    assert text.startswith(server.url("/api/groups/77/items?"))
    assert "403" in text and "API key" in text and "\n" not in text


def test_unknown_library_is_404(server: Server) -> None:
    with pytest.raises(InputError, match=r"404.*user or group id"):
        _client(server, library_id=5).pull()


def test_a_server_that_is_not_zotero_is_refused(server: Server) -> None:
    server.set("/api/users/0/items", page("[]", content_type="application/json"))
    with pytest.raises(InputError, match="not a Zotero API"):
        _client(server).pull()
    server.set(
        "/api/users/0/items",
        page("<html>", content_type="application/json", headers={"Zotero-API-Version": "3"}),
    )
    with pytest.raises(InputError, match="not JSON"):
        _client(server).pull()
    server.set(
        "/api/users/0/items",
        page('{"a": 1}', content_type="application/json", headers={"Zotero-API-Version": "3"}),
    )
    with pytest.raises(InputError, match="list of items"):
        _client(server).pull()


def test_a_short_pull_is_reported(server: Server) -> None:
    fake = _user(server, links=False)
    fake.drop_last = True
    pull = _client(server).pull(snapshots=False)
    assert [f.code for f in pull.findings] == ["PC326"]
    assert "announced 9 items and sent 8" in pull.findings[0].message


def test_time_out_names_the_url(server: Server) -> None:
    server.set("/api/users/0/items", hang(5))
    with pytest.raises(InputError) as caught:
        _client(server, timeout=0.3).pull()
    assert str(caught.value).startswith(server.url("/api/users/0/items"))
    assert "timed out" in str(caught.value)


def test_next_page_on_another_server_is_not_followed(server: Server) -> None:
    headers = {
        "Zotero-API-Version": "3",
        "Total-Results": "9",
        "Link": '<https://elsewhere.example.net/items?start=3>; rel="next"',
    }
    server.set("/api/users/0/items", page("[]", content_type="application/json", headers=headers))
    with pytest.raises(InputError, match="another server"):
        _client(server).pull()


def test_api_key_is_not_sent_to_the_file_store(server: Server) -> None:
    """A /file download redirects to storage elsewhere: the key stays with the API."""
    with serve({"/store/snap.html": page(SNAPSHOT)}) as store:
        fake = FakeZotero("/api/groups/77", {"type": "group", "id": 77}, key=GROUP_KEY)
        # localhost and 127.0.0.1 are different origins, as another host would be.
        storage = store.url("/store/snap.html").replace("127.0.0.1", "localhost")
        _install(server, fake, {"SNAP2345": redirect(storage)})
        pull = _web(server, library_type="group", library_id=77, api_key=GROUP_KEY).pull()
        assert pull.items[0].snapshot is not None
        assert pull.items[0].snapshot.data.decode() == SNAPSHOT
        (stored,) = store.requests
        assert "zotero-api-key" not in stored.headers
        assert "zotero-api-version" not in stored.headers


def test_private_addresses_and_plain_http_keys_are_refused() -> None:
    with pytest.raises(InputError, match="unencrypted"):
        ZoteroAPI("http://api.zotero.org", library_id=1, api_key="secret")
    with pytest.raises(InputError, match="private"):
        ZoteroAPI("https://10.1.2.3/api", library_id=1).pull()
    with pytest.raises(InputError, match="'user' or 'group'"):
        ZoteroAPI(library_type="users", library_id=1)
    with pytest.raises(InputError, match="is a number"):
        ZoteroAPI(library_id="me")


# --- policycite import zotero --api / --local --------------------------------------------

#: key -> (kind, issued): every Zotero item type the issue names, through the API.
API_EXPECTED = {
    "mca2024": ("press-release", "2024-03-12"),  # report + Report Type "Press release"
    "kask2024shelters": ("news-article", "2024-03-13"),  # Better BibTeX key in Extra
    "hsa2024": ("webpage", "2024-02"),
    "norov2024": ("speech", "2024-03-20"),  # presentation, type Speech
    "ncc2023": ("document", "2023-11-02"),
}


def test_import_zotero_api_command(server: Server, storage: Path, tmp_path: Path, capsys) -> None:
    from policycite.cli import main
    from policycite.library import load_library

    _user(server, storage)
    folder = tmp_path / "references"
    args = ["import", "zotero", "--api", server.url("/api"), "--user", "0", "-l", str(folder)]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 1, err  # the speech's linked transcript is a PC325 warning
    assert "PC325" in err and "LNK2345A" in err
    assert f"Zotero library version {VERSION}" in out
    library = load_library(folder).library
    facts = {s.key: (s.kind, s.issued.iso() if s.issued else None) for s in library}
    assert facts == API_EXPECTED
    release = library["mca2024"]
    assert release.provenance.content_sha256 is not None  # the snapshot was stored
    assert release.genre is None and release.csl_type is None
    assert library["norov2024"].event_title == "Coastal Resilience Forum 2024"
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(
        f"{key}.yaml" for key in API_EXPECTED
    )
    # Again: nothing changes, nothing is written.
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    main(args)
    assert "5 unchanged" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_import_zotero_group_with_key_from_the_environment(
    server: Server, tmp_path: Path, capsys, monkeypatch
) -> None:
    from policycite.cli import main
    from policycite.library import load_library

    _group(server)
    folder = tmp_path / "references"
    args = ["import", "zotero", "--api", server.url("/api"), "--group", "77", "-l", str(folder)]
    assert main([*args, "--no-snapshots"]) == 2  # no key: 403, one line, nothing written
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "403" in err and not folder.exists()
    monkeypatch.setenv("ZOTERO_API_KEY", GROUP_KEY)
    assert main([*args, "--no-snapshots"]) == 0, capsys.readouterr().err
    library = load_library(folder).library
    assert library["mca2024"].provenance.aliases == ("http://zotero.org/groups/77/items/PR2345AB",)


def test_import_zotero_usage_errors(capsys) -> None:
    from policycite.cli import main

    assert main(["import", "zotero"]) == 2
    assert main(["import", "zotero", "--api", "https://api.zotero.org"]) == 2
    assert "--user ID or --group ID" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:  # argparse's usage error
        main(["import", "zotero", "--local", "--api", "https://x.example"])
    assert caught.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
