"""JSON output: a check's result as one JSON document with a published, versioned schema.

The shape is described by ``check-report.schema.json`` (JSON Schema draft 2020-12),
which ships in the package and is returned by :func:`schema`. The ``schema`` member
names the version, ``policycite-check/1``: members may be added within a version, never
renamed or removed, so that scripts written against it keep working.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from policycite.findings import CODES, Finding, Severity
from policycite.rules.result import CheckResult, Highlight

#: The value of the document's ``schema`` member; bump the number on a breaking change.
SCHEMA_ID = "policycite-check/1"

_SCHEMA_FILE = "check-report.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every :func:`to_json` document satisfies."""
    text = resources.files(__package__ or "policycite.output").joinpath(_SCHEMA_FILE)
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def _match(result: CheckResult, number: int) -> dict[str, Any] | None:
    found = next((m for m in result.matches if m.number == number), None)
    if found is None:
        return None
    return {"key": found.key, "confidence": found.confidence, "reasons": list(found.reasons)}


def to_dict(result: CheckResult) -> dict[str, Any]:
    """The JSON-ready mapping that :func:`to_json` writes (same members, same order)."""
    brief = result.brief
    counts = dict.fromkeys(Severity, 0)
    findings = []
    for finding in result.report:
        counts[finding.severity] += 1
        findings.append(_finding(finding))
    corrected = [
        {"text": text, "html": result.corrected_html[i] if i < len(result.corrected_html) else None}
        for i, text in enumerate(result.corrected)
    ]
    return {
        "schema": SCHEMA_ID,
        "brief": {"path": brief.path, "format": brief.format},
        "summary": {
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "info": counts[Severity.INFO],
            "suppressed": len(result.report.suppressed),
        },
        "findings": findings,
        "suppressed": [_finding(f) for f in result.report.suppressed],
        "references": [
            {
                "number": e.number,
                "text": e.text,
                "line": e.span.line,
                "match": _match(result, e.number),
                "place": brief.place_at(e.span.start),
            }
            for e in brief.references
        ],
        "highlights": [_highlight(result, h) for h in result.highlights],
        "corrected": corrected,
        "style": result.style,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    entry = finding.to_dict()
    code = CODES[finding.code]
    # "rule" mirrors SARIF's reportingDescriptor, so that tools can link the code to
    # its documentation without a table of their own.
    entry["rule"] = {"code": code.code, "name": code.name, "summary": code.summary}
    return entry


def _highlight(result: CheckResult, highlight: Highlight) -> dict[str, Any]:
    span = result.brief.span_at(highlight.start, highlight.end)
    out: dict[str, Any] = {
        "start": highlight.start,
        "end": highlight.end,
        "line": span.line,
        "column": span.column,
        "kind": highlight.kind,
        "status": highlight.status,
        "codes": list(highlight.codes),
        "place": result.brief.place_at(highlight.start),
    }
    links = highlight.links
    if links is not None:
        # Added within policycite-check/1: present only for a quotation found in its source.
        out["links"] = {
            "source": links.key,
            "paragraph": links.paragraph,
            "live": links.live,
            "archived": links.archived,
        }
    return out


def to_json(result: CheckResult) -> str:
    """The result of a check as a JSON document (``policycite-check/1``), indented.

    ``place`` (in a finding's location, a reference, a highlight) names the place in a
    Word brief as Word shows it ("paragraph 12", "footnote 3", "reference 4"); it is
    absent from locations and null elsewhere for text, Markdown and HTML briefs.

    Members: ``schema``; ``brief`` (path, format); ``summary`` (counts of errors,
    warnings, info and suppressed findings); ``findings`` (each
    :meth:`~policycite.findings.Finding.to_dict` plus ``rule``: code, name, summary);
    ``suppressed`` (the findings inline ``policycite: ignore`` comments silenced, in
    the same shape); ``references`` (the brief's reference list:
    number, text, line, place); ``highlights`` (offsets into the brief's text with line,
    column, kind, status, codes, place; a quotation found in its source also ``links``:
    the source's key, the paragraph, and Text Fragment links to the passage on the live
    page and in the archived copy); ``corrected`` (the corrected reference list, each
    entry as text and HTML); ``style`` (the CSL style used).
    """
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"


__all__ = ["SCHEMA_ID", "schema", "to_dict", "to_json"]
