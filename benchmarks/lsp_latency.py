"""Time ``policycite lsp``: start-up, the first diagnostics, and a re-check after an edit.

    python benchmarks/lsp_latency.py

A server process is started over stdio with the example brief (examples/check) opened
from a scratch workspace holding its library as ./references; the debounce is set to 0
so that what is timed is the check and the round trip. Figures on the development
machine (December 2026): initialize 0.6-1.0 s (Python and the imports), the first
diagnostics 0.05-0.15 s, a re-check after an edit 0.03-0.07 s (median). Wall-clock.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "check"
EDITS = 20


class Server:
    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policycite.cli", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=cwd,
        )
        self.ident = 0

    def send(self, method: str, params: Any, *, request: bool = False) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.ident += 1
            message["id"] = self.ident
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while (line := self.process.stdout.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        result: dict[str, Any] = json.loads(self.process.stdout.read(length))
        return result

    def until(self, method: str | None = None, version: int | None = None) -> None:
        while True:
            message = self.read()
            if method is None and message.get("id") == self.ident:
                return
            if message.get("method") == method and message["params"].get("version") == version:
                return


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copytree(EXAMPLE / "references", work / "references")
        server = Server(work)
        start = time.perf_counter()
        server.send(
            "initialize",
            {
                "processId": None,
                "rootUri": work.as_uri(),
                "capabilities": {},
                "initializationOptions": {"debounce": 0},
            },
            request=True,
        )
        server.until()
        ready = time.perf_counter()
        server.send("initialized", {})
        uri = (work / "brief.md").as_uri()
        text = (EXAMPLE / "brief.md").read_text(encoding="utf-8")
        item = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
        server.send("textDocument/didOpen", {"textDocument": item})
        server.until("textDocument/publishDiagnostics", 1)
        first = time.perf_counter()
        times = []
        for version in range(2, EDITS + 2):
            text += " "
            began = time.perf_counter()
            server.send(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            )
            server.until("textDocument/publishDiagnostics", version)
            times.append(time.perf_counter() - began)
        server.send("shutdown", None, request=True)
        server.until()
        server.send("exit", None)
        server.process.wait()
    times.sort()
    print(f"initialize: {ready - start:.2f} s")
    print(f"first diagnostics: {first - ready:.3f} s")
    print(f"re-check after an edit: median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
