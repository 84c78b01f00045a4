"""Text output: a check's findings for the terminal, grouped under the place they are about.

The brief's paragraphs come in order, each with a one-line excerpt as its header and its
findings below; entries of the reference list come under "References" with their
number; findings about no line of the brief (another file, a record key) come last, and
a summary line closes. :func:`place` decides which paragraph a finding belongs to; the
HTML report uses it too, so that both put a finding in the same place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

import attrs

from policycite.brief.model import Brief, Paragraph, ReferenceEntry
from policycite.findings import Finding, Location, Severity
from policycite.rules.result import CheckResult

#: Characters shown in a group header before the excerpt is cut with "…".
EXCERPT_WIDTH = 60

# C0/C1 controls (ESC starts a terminal escape sequence) and the bidirectional overrides
# ("Trojan Source"): the brief is untrusted, and its text reaches the terminal in excerpts
# and in messages that quote it. Shown escaped instead, like Python's repr().
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_COLORS = {
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
# "note" is how SARIF and compilers call the lowest severity; the summary reads better so.
_NOUNS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@attrs.frozen
class Placement:
    """Where the findings of a check belong: which paragraph, which line, or neither.

    ``by_paragraph`` maps an index of :attr:`Brief.paragraphs` to the findings on its
    lines; ``by_line`` holds findings on a line of the brief that no paragraph covers (a
    blank line, a line past the end); ``elsewhere`` the findings about another file or
    about no line. Each tuple is sorted by line, column, severity and code.
    """

    by_paragraph: dict[int, tuple[Finding, ...]]
    by_line: dict[int, tuple[Finding, ...]]
    elsewhere: tuple[Finding, ...]


def in_brief(brief: Brief, location: Location) -> bool:
    """True when a location points into the brief (no path counts as the brief)."""
    # PurePath equality ignores "./" and doubled slashes, which callers add freely.
    return location.path is None or PurePath(location.path) == PurePath(brief.path)


def line_range(brief: Brief, paragraph: Paragraph) -> tuple[int, int]:
    """The first and last line (1-based, inclusive) of a paragraph in the brief's text."""
    span = paragraph.span
    inner = brief.text[span.start : span.end].rstrip("\n")
    return span.line, span.line + inner.count("\n")


def _sort_key(finding: Finding) -> tuple[int, int, int, str]:
    loc = finding.location
    return (loc.line or 0, loc.column or 0, finding.severity.rank, finding.code)


def place(result: CheckResult) -> Placement:
    """Assign each finding of ``result`` to a paragraph, a bare line, or elsewhere."""
    brief = result.brief
    owner: dict[int, int] = {}
    for index, paragraph in enumerate(brief.paragraphs):
        first, last = line_range(brief, paragraph)
        for number in range(first, last + 1):
            owner.setdefault(number, index)
    by_paragraph: dict[int, list[Finding]] = {}
    by_line: dict[int, list[Finding]] = {}
    elsewhere: list[Finding] = []
    for finding in result.report:
        line = finding.location.line
        if line is None or not in_brief(brief, finding.location):
            elsewhere.append(finding)
        elif line in owner:
            by_paragraph.setdefault(owner[line], []).append(finding)
        else:
            by_line.setdefault(line, []).append(finding)
    return Placement(
        {k: tuple(sorted(v, key=_sort_key)) for k, v in by_paragraph.items()},
        {k: tuple(sorted(v, key=_sort_key)) for k, v in by_line.items()},
        # Report order is the order the rules ran in; by path and line reads better.
        tuple(
            sorted(
                elsewhere,
                key=lambda f: (f.location.path or "", *_sort_key(f)),
            )
        ),
    )


def safe(text: str) -> str:
    """``text`` with control and bidi-override characters shown escaped, as repr() does."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


def excerpt(text: str, width: int = EXCERPT_WIDTH) -> str:
    """The start of ``text`` on one line, cut at a word boundary with "…" when longer."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[:width]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


class _Painter:
    """ANSI styling that is a no-op without colour, so layout code never branches on it."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, *styles: str) -> str:
        if not self.color or not styles or not text:
            return text
        return "".join(styles) + text + _RESET


@attrs.frozen
class _Block:
    """One group of the output: its place in the text, its header and its findings."""

    order: int
    header: str | None  # None: the findings go straight under the "References" title
    findings: tuple[Finding, ...]
    reference: bool = False


def _where(brief: Brief, location: Location) -> str:
    """A location as shown before a finding: ``12:27`` in the brief, the full place else.

    In a Word brief the place as Word shows it: ``paragraph 12``, ``footnote 3``.
    """
    if in_brief(brief, location):
        location = attrs.evolve(location, path=None)
    if location.place is not None and location.path is None and not location.key:
        return location.place
    if location.line is not None and location.path is None and not location.key:
        return f"{location.line}:{location.column}" if location.column else str(location.line)
    return str(location)


def _finding_lines(
    brief: Brief, findings: Sequence[Finding], paint: _Painter, *, align: bool = True
) -> list[str]:
    places = [safe(_where(brief, f.location)) for f in findings]
    # Line:column places are short and align into a column; other files' paths would
    # push every message far to the right, so those are not padded.
    width = max((len(p) for p in places), default=0) if align else 0
    lines = []
    for finding, where in zip(findings, places, strict=True):
        severity = paint(f"{finding.severity.value:<7}", _COLORS[finding.severity])
        head = " ".join(
            p for p in (where.ljust(width), severity, paint(finding.code, _BOLD), finding.name) if p
        )
        message, *more = safe(finding.message).split("\n")
        lines.append(f"  {head}  {message}")
        # Multi-line messages (a word diff) and the hint hang under the finding.
        lines.extend(f"      {line}" for line in more)
        if finding.hint:
            hint = safe(" ".join(finding.hint.split()))
            lines.append("      " + paint(f"fix: {hint}", _DIM))
    return lines


def _entry_at(brief: Brief, first: int, last: int) -> ReferenceEntry | None:
    for entry in brief.references:
        if first <= entry.span.line <= last:
            return entry
    return None


def _blocks(result: CheckResult, placement: Placement) -> list[_Block]:
    brief = result.brief
    heading = brief.reference_heading
    blocks = []
    for index, findings in placement.by_paragraph.items():
        paragraph = brief.paragraphs[index]
        first, last = line_range(brief, paragraph)
        header: str | None = f"{paragraph.place or first}: {safe(excerpt(paragraph.text))}"
        entry = _entry_at(brief, first, last)
        reference = paragraph.kind == "reference" or entry is not None
        if heading is not None and paragraph.span.start == heading.start:
            header, reference = None, True
        elif entry is not None:
            # "[4] reference 4: …" would say the number twice.
            shown = safe(excerpt(paragraph.text)) if paragraph.place else header
            header = f"[{entry.number}] {shown}"
            match = next((m for m in result.matches if m.number == entry.number), None)
            if match is not None:
                header += f"  \u2192 @{match.key} ({match.confidence:.2f})"
        blocks.append(_Block(paragraph.span.start, header, findings, reference))
    lines = brief.text.split("\n")
    for line, findings in placement.by_line.items():
        text = lines[line - 1] if line <= len(lines) else ""
        header = f"{line}: {safe(excerpt(text)) or '(blank line)'}"
        blocks.append(_Block(_offset_of_line(brief.text, line), header, findings))
    return sorted(blocks, key=lambda b: b.order)


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text) + 1  # past the end: after every paragraph
        offset = found + 1
    return offset


def _summary(findings: Iterable[Finding], path: str, paint: _Painter, suppressed: int = 0) -> str:
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    parts = [
        paint(f"{n} {_NOUNS[severity]}{'' if n == 1 else 's'}", _COLORS[severity])
        for severity, n in counts.items()
        if n
    ]
    line = f"{', '.join(parts)} in {path}" if parts else f"no problems found in {path}"
    if suppressed:
        line += f" ({suppressed} finding{'' if suppressed == 1 else 's'} suppressed)"
    return line


def summary(findings: Iterable[Finding], path: str, *, suppressed: int = 0) -> str:
    """``3 errors, 5 warnings, 2 notes in brief.md`` (zero counts left out).

    ``suppressed`` findings (silenced by inline comments) are counted at the end:
    ``… in brief.md (2 findings suppressed)``.
    """
    return _summary(findings, path, _Painter(color=False), suppressed)


def to_text(result: CheckResult, *, color: bool = False) -> str:
    """The findings of a check as terminal text, grouped by paragraph, with a summary.

    ANSI colours (red errors, yellow warnings, cyan notes, bold codes, dim fixes) only
    when ``color`` is true (default: none); the caller decides (a terminal,
    ``NO_COLOR``). Text from the brief is shown with control characters escaped.
    """
    paint = _Painter(color)
    brief = result.brief
    placement = place(result)
    out: list[str] = []
    titled = False
    for block in _blocks(result, placement):
        if block.reference and not titled:
            out.extend(["", paint("References", _BOLD)] if out else [paint("References", _BOLD)])
            titled = True
        elif out:
            out.append("")
        if block.header is not None:
            out.append(paint(block.header, _BOLD))
        out.extend(_finding_lines(brief, block.findings, paint))
    if placement.elsewhere:
        out.extend(
            ["", paint("Other findings", _BOLD)] if out else [paint("Other findings", _BOLD)]
        )
        out.extend(_finding_lines(brief, placement.elsewhere, paint, align=False))
    if out:
        out.append("")
    out.append(_summary(result.report, safe(brief.path), paint, len(result.report.suppressed)))
    return "\n".join(out) + "\n"


__all__ = [
    "EXCERPT_WIDTH",
    "Placement",
    "excerpt",
    "in_brief",
    "line_range",
    "place",
    "safe",
    "summary",
    "to_text",
]
