"""``policycite lsp`` driven over stdio by a scripted client, as an editor drives it.

The client speaks JSON-RPC with Content-Length framing to a real server process: it
opens briefs whose text exists only in the "editor" (the file on disk says something
else), reads the diagnostics published, asks for code actions, applies a quick fix,
sends the change and sees the diagnostic go, then shuts the server down.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "check"
TIMEOUT = 60.0
#: Requests a server may send the client; answered with null.
SERVER_REQUESTS = {"window/workDoneProgress/create", "client/registerCapability"}


class Client:
    """A minimal LSP client: framed JSON-RPC over a server's stdin and stdout."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policycite.cli", "lsp", "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.next_id = 0
        self.backlog: list[dict[str, Any]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def close(self) -> None:
        """End the server if it still runs and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, wanted: Any) -> dict[str, Any]:
        """The first message (kept or new) for which ``wanted`` is true."""
        for index, message in enumerate(self.backlog):
            if wanted(message):
                return self.backlog.pop(index)
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no answer from the server in {TIMEOUT} s; stderr: {self.stderr()}")
            if message is None:
                pytest.fail(f"the server ended; stderr: {self.stderr()}")
            if message.get("method") in SERVER_REQUESTS:
                self.send({"id": message["id"], "result": None})
                continue
            if wanted(message):
                return message
            self.backlog.append(message)

    def diagnostics(self, uri: str, version: int) -> list[dict[str, Any]]:
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        return message["params"]["diagnostics"]

    def stderr(self) -> str:
        if self.process.poll() is None:
            return "(running)"
        assert self.process.stderr is not None
        return self.process.stderr.read().decode("utf-8", "replace")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with the example library as ./references."""
    shutil.copytree(EXAMPLE / "references", tmp_path / "references")
    return tmp_path


@pytest.fixture
def client(workspace: Path) -> Any:
    client = Client(workspace)
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": workspace.as_uri(),
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": "briefs"}],
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
                    "codeAction": {"dataSupport": True},
                }
            },
            "initializationOptions": {"debounce": 0.05},
        },
    )
    capabilities = result["capabilities"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix", "source.fixAll"]
    assert result["serverInfo"]["name"] == "policycite"
    client.notify("initialized", {})
    yield client
    client.close()


def _open(client: Client, path: Path, text: str, language: str) -> str:
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
    )
    return uri


def _at(text: str, needle: str) -> dict[str, Any]:
    """The LSP range of the one occurrence of ``needle`` in ``text`` (ASCII lines here)."""
    assert text.count(needle) == 1, needle
    start = text.index(needle)
    line = text.count("\n", 0, start)
    column = start - (text.rfind("\n", 0, start) + 1)
    return {
        "start": {"line": line, "character": column},
        "end": {"line": line, "character": column + len(needle)},
    }


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply TextEdits (ranges in UTF-16 units; the texts here are ASCII there) to ``text``."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:
        return starts[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def _shutdown(client: Client) -> None:
    assert client.request("shutdown", None) is None
    client.notify("exit", None)
    assert client.process.wait(timeout=TIMEOUT) == 0


def test_markdown_brief_diagnostics_quick_fix_and_change(client: Client, workspace: Path) -> None:
    text = (EXAMPLE / "brief.md").read_text(encoding="utf-8")
    path = workspace / "brief.md"
    path.write_text("# An older draft, saved\n\nNothing cited yet.\n", encoding="utf-8")
    uri = _open(client, path, text, "markdown")  # the editor's text, not the file's

    found = client.diagnostics(uri, 1)
    codes = sorted(d["code"] for d in found)
    assert codes == sorted(
        "PC401 PC212 PC410 PC213 PC211 PC209 PC201 PC203 PC208 PC202 PC202 PC206 PC207 "
        "PC218 PC215 PC215 PC215".split()
    )
    assert {d["source"] for d in found} == {"policycite"}
    by_code = {d["code"]: d for d in found}
    wrong = by_code["PC212"]
    assert wrong["range"] == _at(text, "common rules for the depth of fairways")
    assert wrong["severity"] == 2  # warning
    assert wrong["message"].startswith("the citation says para. 5; the quotation is in para. 6")
    assert wrong["codeDescription"]["href"].startswith("https://")
    assert wrong["relatedInformation"][0]["location"]["uri"] == (
        (workspace / "references" / "valk2023.yaml").as_uri()
    )
    assert by_code["PC201"]["severity"] == 1 and by_code["PC215"]["severity"] == 3
    assert by_code["PC201"]["range"] == _at(text, "(Kestrian Water Board, 2022)")

    # A quick fix for the wrong paragraph: the locator rewritten, nothing else.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": wrong["range"],
            "context": {"diagnostics": [wrong]},
        },
    )
    (action,) = actions
    assert action["kind"] == "quickfix" and action["title"] == "PC212: write “para. 6”"
    assert action["diagnostics"][0]["code"] == "PC212"
    (edits,) = action["edit"]["changes"].values()
    assert edits == [{"range": _at(text, "para. 5"), "newText": "para. 6"}]
    fixed = _apply(text, edits)
    assert "(Valk, 2023, para. 6). Kestria" in fixed

    # No quick fix where the fix needs judgement: a misquote, a missing reference.
    for code in ("PC401", "PC201"):
        assert (
            client.request(
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": uri},
                    "range": by_code[code]["range"],
                    "context": {"diagnostics": [by_code[code]], "only": ["quickfix"]},
                },
            )
            == []
        )

    # The editor applies the fix: the diagnostic goes, the others stay.
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]},
    )
    after = client.diagnostics(uri, 2)
    assert sorted(d["code"] for d in after) == [c for c in codes if c != "PC212"]

    # Fix all: every certain fix at once (the date, the paragraph, the title).
    (fix_all,) = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert fix_all["kind"] == "source.fixAll.policycite"
    assert sorted(d["code"] for d in fix_all["diagnostics"]) == ["PC206", "PC208", "PC211"]
    (edits,) = fix_all["edit"]["changes"].values()
    repaired = _apply(fixed, edits)
    assert "(Halvorsen, 2021, para. 5)" in repaired
    assert "Halvorsen, I. (2021, March 18)." in repaired
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": repaired}]},
    )
    left = sorted(d["code"] for d in client.diagnostics(uri, 3))
    assert not {"PC206", "PC208", "PC211", "PC212"} & set(left)
    assert path.read_text(encoding="utf-8").startswith("# An older draft")  # never written

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    closed = client.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"]["diagnostics"] == []
        )
    )
    assert closed["params"]["uri"] == uri
    _shutdown(client)


LATEX = r"""\documentclass{article}
\begin{document}
\section{Rivers}
At the Port Halden conference, the Kestrian minister proposed ``common rules for the
depth of fairways'' \parencite[para.~5]{valk2023}, and asked that ``no country can
manage a river alone'' be the motto \parencite{valk2023}.
\end{document}
"""


def test_latex_brief(client: Client, workspace: Path) -> None:
    path = workspace / "brief.tex"
    uri = _open(client, path, LATEX, "latex")  # never saved: the buffer alone is checked
    found = client.diagnostics(uri, 1)
    by_code = {d["code"]: d for d in found}
    assert sorted(by_code) == ["PC211", "PC212"]
    assert by_code["PC212"]["range"]["start"]["line"] == 3
    assert by_code["PC212"]["range"]["end"]["line"] == 4
    assert by_code["PC211"]["range"]["start"]["line"] == 4
    assert by_code["PC211"]["message"].endswith("add “para. 9”")
    # In LaTeX the locator is written "para.~5": the fix the check knows ("para. 5" ->
    # "para. 6") does not match the source's characters, so none is offered.
    for diagnostic in found:
        actions = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic]},
            },
        )
        assert actions == []
    _shutdown(client)


def test_a_markdown_file_without_a_library_gets_no_diagnostics(tmp_path: Path) -> None:
    client = Client(tmp_path)
    try:
        client.request(
            "initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
        )
        client.notify("initialized", {})
        uri = _open(client, tmp_path / "notes.md", "# Notes\n\nSee (Valk, 2023).\n", "markdown")
        assert client.diagnostics(uri, 1) == []
        log = client.wait(lambda m: m.get("method") == "window/logMessage")
        assert "no library" in log["params"]["message"]
        _shutdown(client)
    finally:
        client.close()


def test_a_bibliography_the_brief_names_but_lacks_is_an_error_at_the_top(
    client: Client, workspace: Path
) -> None:
    text = "---\nbibliography: missing.json\n---\n\n# Brief\n\nText (Valk, 2023).\n"
    uri = _open(client, workspace / "named.md", text, "markdown")
    (problem,) = client.diagnostics(uri, 1)
    assert problem["severity"] == 1 and "missing.json" in problem["message"]
    assert problem["range"]["start"] == {"line": 0, "character": 0}
    _shutdown(client)


def test_lsp_is_not_imported_by_other_commands() -> None:
    code = (
        "import sys; from policycite.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pygls', 'lsprotocol', 'watchfiles', 'policycite.lsp') "
        "if m in sys.modules))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_editor_set_ups_start_this_server() -> None:
    editors = ROOT / "examples" / "editors"
    settings = json.loads((editors / "vscode-settings.json").read_text(encoding="utf-8"))
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == ["policycite", "lsp"]
    assert settings["glspc.server.languageId"] == ["markdown", "latex"]
    lua = (editors / "neovim.lua").read_text(encoding="utf-8")
    assert 'cmd = { "policycite", "lsp" }' in lua and 'vim.lsp.enable("policycite")' in lua
    elisp = (editors / "eglot.el").read_text(encoding="utf-8")
    assert '. ("policycite" "lsp"))' in elisp
    assert elisp.count("(") == elisp.count(")")


def test_the_library_the_client_names(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE / "references", tmp_path / "sources")  # not ./references
    (tmp_path / "briefs").mkdir()
    client = Client(tmp_path)
    try:
        client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": tmp_path.as_uri(),
                "capabilities": {},
                "initializationOptions": {"library": "sources"},
            },
        )
        client.notify("initialized", {})
        text = "# Note\n\nA claim (Kestrian Water Board, 2022).\n\n## References\n\n"
        uri = _open(client, tmp_path / "briefs" / "note.md", text, "markdown")
        found = client.diagnostics(uri, 1)
        assert sorted(d["code"] for d in found) == ["PC201", "PC219"]
        _shutdown(client)
    finally:
        client.close()
