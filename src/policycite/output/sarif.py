"""SARIF output: a check's findings as SARIF 2.1.0, the format code-scanning tools read.

One run, with policycite as the tool; the rules are the codes that occur; each finding
becomes a result pointing at the brief (path relative to the source root, so that
GitHub code scanning can place it in the repository), with a region (lines, columns,
the text) when the finding has a line, a logical location when it names a record key,
and a fingerprint that survives edits elsewhere in the brief. In a Word brief, where
lines count in the extracted text, the location's message and a logical location name
the place as Word shows it ("paragraph 12", "footnote 3", "reference 4").
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePath, PurePosixPath
from typing import Any
from urllib.parse import quote

from policycite.findings import CODES, Finding, Location, Severity
from policycite.output.text import in_brief
from policycite.rules.result import CheckResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
#: Where a reader of a SARIF log learns what the tool is.
INFORMATION_URI = "https://pypi.org/project/policycite/"
#: The base a relative artifact URI is resolved against; the uploader maps it to the checkout.
SRCROOT = "%SRCROOT%"
#: The partialFingerprints member; bump "v1" when the hashed content changes.
FINGERPRINT = "policycite/v1"
#: Where a rule's help links to: the project page, whose README lists every check (there
#: is no page per rule; ``policycite rules CODE`` prints one rule's text offline).
HELP_URI = INFORMATION_URI
#: The families of codes (the hundreds digit), as a rule's tag in code scanning.
FAMILIES = {
    "0": "library",
    "1": "rendering",
    "2": "brief",
    "3": "capture",
    "4": "quotations",
}

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def level(severity: Severity) -> str:
    """The SARIF level of a severity: ``error``, ``warning`` or ``note``."""
    return _LEVELS[severity]


def source_root(path: str | os.PathLike[str]) -> Path:
    """The root a file's SARIF path counts from: its git work tree's top, else the cwd.

    Code scanning places a result by its path from the repository's root; a check run
    from a subfolder must still say ``docs/brief.md``, not ``brief.md``.
    """
    start = Path(path).resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():  # a folder, or a file in a worktree or submodule
            return folder
    return Path.cwd()


def _artifact(path: str, root: Path, start: Path) -> dict[str, str]:
    """An artifactLocation: relative to ``%SRCROOT%`` when the file is under the root.

    A relative ``path`` counts from ``start`` (the working directory of the check).
    """
    pure = PurePath(path)
    if not pure.is_absolute() and start != root:
        pure = PurePath(os.path.normpath(start / pure))
    if pure.is_absolute():
        try:
            pure = pure.relative_to(root)
        except ValueError:
            return {"uri": Path(pure).as_uri()}
    if ".." in pure.parts:  # outside the root: an absolute file URI is the honest answer
        return {"uri": Path(os.path.normpath(root / pure)).as_uri()}
    # SARIF wants a URI reference: forward slashes, percent-encoded spaces and the like.
    return {"uri": quote(PurePosixPath(*pure.parts).as_posix(), safe="/"), "uriBaseId": SRCROOT}


class _Lines:
    """The brief's lines, for regions' snippets and the fingerprints' line content."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.hashed: dict[tuple[str, int], Any] = {}  # (code, line) -> a started SHA-256

    def line(self, number: int) -> str | None:
        if not 1 <= number <= len(self.starts):
            return None
        start = self.starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def between(self, line: int, column: int, end_line: int, end_column: int) -> str | None:
        if not (1 <= line <= end_line <= len(self.starts)):
            return None
        start = self.starts[line - 1] + column - 1
        end = self.starts[end_line - 1] + end_column - 1
        return self.text[start:end] if start < end <= len(self.text) else None


def _region(location: Location, lines: _Lines | None) -> dict[str, Any] | None:
    if location.line is None:
        return None
    region: dict[str, Any] = {"startLine": location.line}
    if location.column is not None:
        region["startColumn"] = location.column
    end_line = location.end_line
    if end_line is None and location.end_column is not None:
        end_line = location.line  # an end column alone ends on the start line
    if end_line is not None:
        region["endLine"] = end_line
    if location.end_column is not None:
        region["endColumn"] = location.end_column
    if lines is not None:
        snippet = None
        if location.column is not None and end_line is not None and location.end_column:
            snippet = lines.between(location.line, location.column, end_line, location.end_column)
        if snippet is None:
            snippet = lines.line(location.line)
        if snippet:
            region["snippet"] = {"text": snippet}
    return region


def _fingerprint_content(finding: Finding, region: dict[str, Any] | None, lines: _Lines) -> str:
    """What identifies a finding across edits: its line's text and the text it spans.

    Not the line number, so that adding a paragraph above does not make every finding
    below look new; the spanned text tells apart two findings of one code on one line.
    """
    loc = finding.location
    if region is not None:
        line = lines.line(region["startLine"]) or ""
        span = region.get("snippet", {}).get("text", "")
        return "\0".join((" ".join(line.split()), " ".join(span.split())))
    return "\0".join(str(p or "") for p in (loc.path, loc.key, loc.field, finding.message))


def _fingerprint(finding: Finding, region: dict[str, Any] | None, lines: _Lines) -> str:
    """The SHA-256 of the code and :func:`_fingerprint_content`, first 32 hex digits.

    The same digest, found faster: the hash of a code and its line's text is computed once
    and copied for each finding on that line (hashing a long line per finding made a
    line of n citations cost n * n).
    """
    if region is None:
        content = _fingerprint_content(finding, None, lines)
        return hashlib.sha256(f"{finding.code}\0{content}".encode()).hexdigest()[:32]
    key = (finding.code, region["startLine"])
    head = lines.hashed.get(key)
    if head is None:
        line = lines.line(region["startLine"]) or ""
        head = lines.hashed[key] = hashlib.sha256(
            f"{finding.code}\0{' '.join(line.split())}\0".encode()
        )
    digest = head.copy()
    digest.update(" ".join(region.get("snippet", {}).get("text", "").split()).encode())
    return digest.hexdigest()[:32]


def _rule(code: str) -> dict[str, Any]:
    entry = CODES[code]
    # Code scanning shows help.markdown on the alert page (help.text elsewhere): what the
    # rule means, then how to look it up and how to turn it off, which the summary lacks.
    markdown = (
        f"**{entry.code} {entry.name}** ({entry.severity.value})\n\n{entry.summary}\n\n"
        f"`policycite rules {entry.code}` prints this rule. Silence one place with a "
        f"`policycite: ignore {entry.code}` comment in the brief, every place with "
        f'`ignore = ["{entry.code}"]` in policycite.toml.'
    )
    return {
        "id": entry.code,
        "name": entry.name,
        "shortDescription": {"text": entry.name},
        "fullDescription": {"text": entry.summary},
        "help": {"text": entry.summary, "markdown": markdown},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": level(entry.severity)},
        "properties": {
            "tags": ["policycite", FAMILIES.get(entry.code[2], "other")],
            # No security-severity: these are not security alerts, and code scanning
            # would file them as such.
            "problem.severity": {"error": "error", "warning": "warning"}.get(
                entry.severity.value, "recommendation"
            ),
            "precision": "high",
        },
    }


def to_sarif(
    result: CheckResult | Sequence[CheckResult],
    *,
    version: str,
    root: str | os.PathLike[str] | None = None,
    start: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """The findings of a check (or of several briefs' checks) as a SARIF 2.1.0 log.

    One run holds the results of every brief, in order. ``version`` is policycite's,
    for ``tool.driver.version``. Paths are made relative to ``root`` (default: the
    working directory; :func:`source_root` finds a repository's) under ``uriBaseId``
    ``%SRCROOT%``; a relative path counts from ``start`` (default: ``root``), and a path
    outside the root becomes an absolute ``file:`` URI. Columns count code points, as
    the findings do (``columnKind`` says so).
    """
    results = [result] if isinstance(result, CheckResult) else list(result)
    base = Path(root) if root is not None else Path.cwd()
    begin = Path(start) if start is not None else base
    codes = sorted({f.code for r in results for f in (*r.report, *r.report.suppressed)})
    index = {code: i for i, code in enumerate(codes)}
    entries: list[dict[str, Any]] = []
    for one in results:
        entries.extend(_results(one, index, base, begin))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policycite",
                        "version": version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": entries,
            }
        ],
    }


def _results(
    result: CheckResult, index: dict[str, int], base: Path, begin: Path
) -> list[dict[str, Any]]:
    """The SARIF results of one brief's check."""
    brief = result.brief
    lines = _Lines(brief.text)
    # Suppressed findings are results too, marked so: code scanning shows them as such.
    findings = [*result.report, *result.report.suppressed]
    reported = len(result.report)
    seen: dict[str, int] = {}
    results = []
    for number, finding in enumerate(findings):
        loc = finding.location
        own = in_brief(brief, loc)
        # A finding with no path is about the brief (the check found it there).
        physical: dict[str, Any] = {
            "artifactLocation": _artifact(brief.path if own else str(loc.path), base, begin)
        }
        region = _region(loc, lines if own else None)
        if region is not None:
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        logical = []
        if loc.key:
            name = f"{loc.key}/{loc.field}" if loc.field else loc.key
            logical.append({"name": loc.key, "fullyQualifiedName": name, "kind": "object"})
        if loc.place and own:
            # A Word brief's region counts in its extracted text, which no viewer shows:
            # the place as Word shows it goes beside it, for people and for tools.
            location["message"] = {"text": loc.place}
            logical.append({"name": loc.place, "kind": "element"})
        if logical:
            location["logicalLocations"] = logical
        digest = _fingerprint(finding, region if own else None, lines)
        # Identical findings (same code, same text) are told apart by their order.
        seen[digest] = seen.get(digest, 0) + 1
        text = finding.message if not finding.hint else f"{finding.message}\nFix: {finding.hint}"
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": level(finding.severity),
            "message": {"text": text},
            "locations": [location],
            "partialFingerprints": {FINGERPRINT: f"{digest}:{seen[digest]}"},
        }
        if number >= reported:
            entry["suppressions"] = [
                {"kind": "inSource", "justification": "a policycite: ignore comment"}
            ]
        results.append(entry)
    return results


__all__ = [
    "FINGERPRINT",
    "HELP_URI",
    "INFORMATION_URI",
    "SARIF_SCHEMA",
    "level",
    "source_root",
    "to_sarif",
]
