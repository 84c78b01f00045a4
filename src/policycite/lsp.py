"""``policycite lsp``: a language server that shows a brief's findings as you write it.

Over stdio (the Language Server Protocol, pygls 2), for Markdown (``.md``, ``.markdown``),
LaTeX (``.tex``, ``.latex``) and text (``.txt``) briefs. When a document is opened or
saved, and a moment after each change, the text in the editor (saved or not) is checked
as ``policycite check`` checks the file, against the library ``check`` would use: the
bibliography the brief names (relative to the file), else the nearest ``references``
folder in the file's folder or above it (up to the workspace folder), or the folder the
client names in ``initializationOptions`` (``{"library": "refs"}``, relative to the
workspace). ``policycite.toml`` selects the rules, as for ``check``.

Each finding becomes a diagnostic: its range is the finding's span, its severity the
finding's (error, warning, information), its code the finding code with a link to the
rules, its source "policycite"; a finding about a record points to the record's file as
related information. Where the fix is certain (the finding carries its edits, see
:attr:`policycite.findings.Finding.fix`), a quick fix applies it, and "Fix all" applies
every such fix that does not overlap another; nothing is offered where the fix needs
judgement (a misquote, a missing reference). In LaTeX, a column counts in the decoded
line (accents and commands read as the PDF shows them), so a range may sit a few
characters off, and a fix is offered only where the characters it replaces are in the
source exactly as the check read them.

Checks run one at a time in a worker thread, so the server keeps answering; a change
while a check runs makes its result stale, and it is dropped for the newer one.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from policycite.about import version
from policycite.brief.readers import FORMATS, brief_from_text
from policycite.config import discover
from policycite.errors import PolicyciteError
from policycite.findings import Finding, Severity
from policycite.library import DEFAULT_FOLDER, key_to_filename
from policycite.output.sarif import HELP_URI
from policycite.output.text import in_brief
from policycite.rules.inputs import library_for
from policycite.rules.result import CheckResult
from policycite.rules.validate import check

#: The formats of the documents the server checks (a Word or HTML brief is not text).
CHECKED = frozenset({"markdown", "latex", "text"})
#: Seconds of quiet after a change before the document is checked again.
DEBOUNCE = 0.4
SOURCE = "policycite"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


# --- positions ---------------------------------------------------------------------------


class _Lines:
    """Offsets of a text's lines, to turn offsets into (line, column) in code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")

    def position(self, offset: int) -> types.Position:
        import bisect

        line = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line=line, character=offset - self.starts[line])

    def line_text(self, line: int) -> str:
        if not 0 <= line < len(self.starts):
            return ""
        end = self.text.find("\n", self.starts[line])
        return self.text[self.starts[line] : end if end >= 0 else len(self.text)]

    def offset(self, position: types.Position) -> int | None:
        if not 0 <= position.line < len(self.starts):
            return None
        if position.character > len(self.line_text(position.line)):
            return None
        return self.starts[position.line] + position.character


def finding_range(finding: Finding, lines: _Lines) -> types.Range:
    """A finding's span as a range in code points (0-based), kept inside the document.

    No column: the whole line. No end: to the end of the start line. No line at all
    (a finding about the whole brief): the first line.
    """
    loc = finding.location
    line = (loc.line or 1) - 1
    last = len(lines.starts) - 1
    line = min(max(line, 0), last)
    text = lines.line_text(line)
    start = min((loc.column or 1) - 1, len(text)) if loc.line is not None else 0
    if loc.line is None or loc.column is None:
        return types.Range(types.Position(line, 0), types.Position(line, len(text)))
    end_line = min((loc.end_line or loc.line) - 1, last)
    if loc.end_column is not None and end_line >= line:
        end = min(loc.end_column - 1, len(lines.line_text(end_line)))
        if (end_line, end) > (line, start):
            return types.Range(types.Position(line, start), types.Position(end_line, end))
    return types.Range(types.Position(line, start), types.Position(line, len(text)))


def fix_edits(finding: Finding, checked: str, buffer: str) -> list[types.TextEdit]:
    """The finding's certain fix as edits of the buffer, in code points; [] when none.

    ``checked`` is the text the check read (the brief's text), ``buffer`` the document's.
    An edit is kept only where the buffer holds, at the same line and column, exactly
    the characters the check saw there: otherwise (a LaTeX line the reader decoded) the
    fix might land on the wrong characters, and none is offered.
    """
    if not finding.fix:
        return []
    seen, own = _Lines(checked), _Lines(buffer)
    edits = []
    for edit in finding.fix:
        if not 0 <= edit.start <= edit.end <= len(checked):
            return []
        start, end = seen.position(edit.start), seen.position(edit.end)
        first, last = own.offset(start), own.offset(end)
        if first is None or last is None or buffer[first:last] != checked[edit.start : edit.end]:
            return []
        edits.append(types.TextEdit(types.Range(start, end), edit.text))
    return edits


# --- the check of one document --------------------------------------------------------


class NoLibraryError(PolicyciteError):
    """No library to check a document against: not a brief, or not set up; not checked."""


@attrs.frozen
class Checked:
    """One check of a document's text: the result and the record files it may point to."""

    result: CheckResult
    folder: Path | None


def nearest_library(path: Path, roots: Sequence[Path]) -> Path | None:
    """The ``references`` folder nearest the file, up to its workspace folder; else None."""
    top = next((root for root in roots if path.is_relative_to(root)), None)
    for folder in path.parents:
        candidate = folder / DEFAULT_FOLDER
        if candidate.is_dir():
            return candidate
        if top is not None and folder == top:
            break
    return None


def check_text(text: str, path: Path, library: Path | None, roots: Sequence[Path]) -> Checked:
    """Check ``text`` as the brief at ``path``, against the library ``check`` would use.

    ``library`` is the client's setting (None: the brief's bibliography, else the
    nearest ``references`` folder). Raises InputError when no library is found or one
    cannot be read, and for a brief that cannot be read.
    """
    brief = brief_from_text(text, path)
    if library is None and not brief.bibliography:
        library = nearest_library(path, roots)
        if library is None:
            raise NoLibraryError(
                f"{path}: no library: the brief names no bibliography and there is no "
                f"{DEFAULT_FOLDER} folder beside it or above it (set initializationOptions."
                "library); not checked"
            )
    try:
        given = library_for(brief, library, cache=True)
        config = discover(path, *given.paths)
        result = check(brief, given.library, given.folder, selection=[config.check])
    finally:
        # A library read from its cache is frozen out of the collector's sight (see
        # collector.paused); a server lives on, so what it froze is handed back, or
        # cyclic garbage frozen with it would never be freed.
        gc.unfreeze()
    return Checked(result, given.folder)


def diagnostics(checked: Checked, document: TextDocument) -> list[tuple[types.Diagnostic, Any]]:
    """The diagnostics of a check (ranges in the client's units) and each one's fix edits."""
    result = checked.result
    brief = result.brief
    lines = _Lines(document.source)
    out: list[tuple[types.Diagnostic, Any]] = []
    for finding in result.report:
        if not in_brief(brief, finding.location):
            continue  # about a library file: the check's log says it
        span = _client(document, finding_range(finding, lines))
        message = finding.message + (f"\nFix: {finding.hint}" if finding.hint else "")
        related = None
        key = finding.location.key
        if key and checked.folder is not None:
            record = checked.folder / key_to_filename(key)
            if record.is_file():
                related = [
                    types.DiagnosticRelatedInformation(
                        types.Location(from_fs_path(str(record.resolve())) or "", _TOP),
                        f"@{key}, the library's record",
                    )
                ]
        diagnostic = types.Diagnostic(
            range=span,
            message=message,
            severity=_SEVERITIES[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=HELP_URI),
            source=SOURCE,
            related_information=related,
            data={"name": finding.name},
        )
        edits = [
            types.TextEdit(_client(document, e.range), e.new_text)
            for e in fix_edits(finding, brief.text, document.source)
        ]
        out.append((diagnostic, edits))
    return out


_TOP = types.Range(types.Position(0, 0), types.Position(0, 0))


def _client(document: TextDocument, span: types.Range) -> types.Range:
    """A range in code points as the client counts (UTF-16 unless it chose otherwise)."""
    return document.position_codec.range_to_client_units(document.lines, span)


# --- the server ---------------------------------------------------------------------------


class PolicyciteServer(LanguageServer):
    """The server: documents' pending checks, the last diagnostics and their fixes."""

    def __init__(self) -> None:
        super().__init__("policycite", version())
        self.library: Path | None = None
        self.debounce = DEBOUNCE
        self.pending: dict[str, asyncio.Task[None]] = {}
        # uri -> (document version, [(diagnostic, its fix edits)])
        self.published: dict[str, tuple[int | None, list[tuple[types.Diagnostic, Any]]]] = {}
        self.checking = threading.Lock()  # one check at a time: the library cache is shared

    def roots(self) -> list[Path]:
        """The workspace folders as paths, deepest first (the nearest one contains a file)."""
        found = [to_fs_path(uri) for uri in self.workspace.folders]
        if self.workspace.root_path:
            found.append(self.workspace.root_path)
        paths = {Path(p).resolve() for p in found if p}
        return sorted(paths, key=lambda p: len(p.parts), reverse=True)

    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds; a newer request replaces a pending one."""
        if _path(uri) is None:
            return
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._check(uri, delay))

    async def _check(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.workspace.get_text_document(uri)
        path = _path(uri)
        if path is None:
            return
        text, seen = document.source, document.version
        try:
            checked = await asyncio.to_thread(self._run, text, path)
        except NoLibraryError as err:  # a Markdown file that is no brief: say so in the log only
            self.window_log_message(types.LogMessageParams(types.MessageType.Info, str(err)))
            self._publish(uri, seen, [])
            return
        except PolicyciteError as err:
            self._publish(uri, seen, [(_problem(str(err)), [])])
            return
        except Exception as err:  # a bug must not stop the server
            from policycite.crash import crash_line

            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, crash_line(err).strip())
            )
            return
        if document.version != seen or document.source != text:
            return  # edited while it was checked: the newer check publishes
        self._publish(uri, seen, diagnostics(checked, document))

    def _run(self, text: str, path: Path) -> Checked:
        with self.checking:
            roots = self.roots()
            library = self.library
            if library is not None and not library.is_absolute():
                # Relative to the workspace folder holding the file (the deepest one).
                top = next((root for root in roots if path.is_relative_to(root)), path.parent)
                library = top / library
            return check_text(text, path, library, roots)

    def _publish(
        self, uri: str, seen: int | None, found: list[tuple[types.Diagnostic, Any]]
    ) -> None:
        self.published[uri] = (seen, found)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=seen, diagnostics=[d for d, _ in found])
        )

    def close(self, uri: str) -> None:
        """Forget a closed document and clear its diagnostics."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if self.published.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    def actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Quick fixes for the certain fixes in the range, and a fix-all for the document."""
        uri = params.text_document.uri
        seen, found = self.published.get(uri, (None, []))
        document = self.workspace.get_text_document(uri)
        if seen != document.version:
            return []  # stale: a newer check is on its way
        only = params.context.only
        out = []
        if only is None or any(_kind(k, types.CodeActionKind.QuickFix) for k in only):
            for diagnostic, edits in found:
                if edits and _overlaps(diagnostic.range, params.range):
                    out.append(
                        types.CodeAction(
                            title=f"{diagnostic.code}: {_describe(edits)}",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            edit=types.WorkspaceEdit(changes={uri: list(edits)}),
                            is_preferred=True,
                        )
                    )
        if only is not None and any(_kind(k, types.CodeActionKind.SourceFixAll) for k in only):
            chosen: list[types.TextEdit] = []
            fixed = []
            for diagnostic, edits in found:
                if edits and not any(_clash(e, c) for e in edits for c in chosen):
                    chosen.extend(edits)
                    fixed.append(diagnostic)
            if chosen:
                out.append(
                    types.CodeAction(
                        title=f"policycite: apply {len(fixed)} certain fixes",
                        kind=f"{types.CodeActionKind.SourceFixAll.value}.policycite",
                        diagnostics=fixed,
                        edit=types.WorkspaceEdit(changes={uri: chosen}),
                    )
                )
        return out


def _path(uri: str) -> Path | None:
    """The file a document URI names, when it is a brief the server checks."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if path is None or FORMATS.get(Path(path).suffix.lower()) not in CHECKED:
        return None
    return Path(path)


def _problem(message: str) -> types.Diagnostic:
    """A diagnostic at the top of the document for a check that could not run."""
    return types.Diagnostic(
        range=_TOP, message=message, severity=types.DiagnosticSeverity.Error, source=SOURCE
    )


def _kind(asked: str, kind: types.CodeActionKind) -> bool:
    """Whether an asked-for kind covers ``kind`` (kinds are hierarchical: "source" too)."""
    return kind.value == asked or kind.value.startswith(f"{asked}.")


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges touch (a cursor, an empty range, at either end counts)."""
    return not (_before(a.end, b.start) or _before(b.end, a.start))


def _clash(a: types.TextEdit, b: types.TextEdit) -> bool:
    """Whether two edits overlap, or insert at one place (they cannot both apply)."""
    if a.range.start == b.range.start:
        return True
    return _before(a.range.start, b.range.end) and _before(b.range.start, a.range.end)


def _describe(edits: Sequence[types.TextEdit]) -> str:
    """A quick fix's title: what it writes."""
    edit = edits[0]
    shown = edit.new_text if len(edit.new_text) <= 60 else edit.new_text[:59] + "\u2026"
    if not edit.new_text:
        return "delete it"
    if edit.range.start == edit.range.end:
        return f"insert \u201c{shown}\u201d"
    return f"write \u201c{shown}\u201d"


def server() -> PolicyciteServer:
    """The language server with its handlers (not started)."""
    ls = PolicyciteServer()

    @ls.feature(types.INITIALIZE)
    def initialize(ls: PolicyciteServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            if isinstance(options.get("library"), str):
                ls.library = Path(options["library"])
            if isinstance(options.get("debounce"), int | float) and options["debounce"] >= 0:
                ls.debounce = float(options["debounce"])

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PolicyciteServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PolicyciteServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PolicyciteServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PolicyciteServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    def code_action(ls: PolicyciteServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.actions(params)

    return ls


def main() -> int:
    """Serve over stdin/stdout until the client says exit."""
    server().start_io()
    return 0


__all__ = [
    "CHECKED",
    "DEBOUNCE",
    "Checked",
    "NoLibraryError",
    "PolicyciteServer",
    "check_text",
    "diagnostics",
    "finding_range",
    "fix_edits",
    "main",
    "nearest_library",
    "server",
]
