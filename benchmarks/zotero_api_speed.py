"""Time a Zotero API pull: 5,000 items in pages of 100 from a local server.

    python benchmarks/zotero_api_speed.py

A threading http.server on 127.0.0.1 answers ``/api/users/0/items`` as Zotero's local
API does (``Link: rel="next"``, ``Total-Results``, ``Last-Modified-Version``), with
5,000 regular items of realistic size and no attachments. Printed: the wall-clock time of
:meth:`ZoteroAPI.pull` (50 requests), and items per second. The network is loopback, so
this is the client's own cost (JSON decoding, paging, the safety checks of every
request), not the Web API's latency. Wall-clock times (perf_counter).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from policycite.zotero.api import ZoteroAPI

COUNT = 5000


def _item(n: int) -> dict[str, Any]:
    key = f"K{n:07d}"
    data = {
        "key": key,
        "version": n + 1,
        "itemType": "newspaperArticle",
        "title": f"Storm shelters open on the north coast, part {n}",
        "creators": [{"creatorType": "author", "firstName": "Maria", "lastName": "Kask"}],
        "publicationTitle": "The Coastal Herald",
        "date": "2024-03-13",
        "url": f"https://herald.example.com/2024/03/13/{n}",
        "accessDate": "2024-03-14T10:00:00Z",
        "abstractNote": "A regional report. " * 20,
        "tags": [{"tag": "storms"}],
        "collections": [],
        "relations": {},
    }
    return {"key": key, "version": n + 1, "library": {"type": "user", "id": 0}, "data": data}


ITEMS = [_item(n) for n in range(COUNT)]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        start = int(query.get("start", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        body = json.dumps(ITEMS[start : start + limit]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Zotero-API-Version", "3")
        self.send_header("Total-Results", str(COUNT))
        self.send_header("Last-Modified-Version", str(COUNT))
        if start + limit < COUNT:
            following = f"{parts.path}?format=json&include=data&limit={limit}&start={start + limit}"
            self.send_header("Link", f'<{following}>; rel="next"')
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ZoteroAPI(f"http://127.0.0.1:{server.server_port}/api", library_id=0)
        started = time.perf_counter()
        pull = client.pull()
        elapsed = time.perf_counter() - started
    finally:
        server.shutdown()
    assert len(pull.items) == COUNT
    print(f"pulled {COUNT} items in {elapsed:.2f} s ({COUNT / elapsed:,.0f} items/s, 50 pages)")


if __name__ == "__main__":
    main()
