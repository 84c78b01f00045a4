"""HTML output: a self-contained report of a check, the brief's text with its problems marked.

One file, no scripts and nothing fetched (inline CSS, system fonts, a Content Security
Policy that forbids the rest), so that it can be mailed, archived or printed. The brief's
paragraphs come in order, each passage that a check looked at wrapped in
``<mark class="citation|quotation|copied|reference" data-status=… data-codes=…>`` and
each finding beside its paragraph, with, for each quotation found in its source, Text
Fragment links to the passage on the live page and in the archived copy ("open in
source", "archived copy"); the corrected reference list, its web addresses Robust Links,
closes the report.
The brief is untrusted text: everything from it is escaped, and the corrected list (the
one `check --fix` writes, from :mod:`.corrected`) is rebuilt from runs of text with
formatting flags.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import attrs
import lxml.html

from policycite.brief.model import Brief, Paragraph
from policycite.findings import Finding, Location, Report, Severity
from policycite.output import markdown
from policycite.output.corrected import Run, corrected_list
from policycite.output.markdown import SAFE_HREF, Markup
from policycite.output.text import in_brief, line_range, place
from policycite.rules.result import CheckResult, Highlight

#: Titles for the corrected list's heading; other styles are named by their CSL name.
STYLE_TITLES = {"apa": "APA 7"}

_NOUNS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Class names and data values come from the check, but a stray character must not open
# an attribute or a selector: anything else than these is dropped from class names.
_CLASS_SAFE = re.compile(r"[^a-z0-9-]")

_CSS = """
:root {
  --ink: #212529; --muted: #6c757d; --rule: #dee2e6;
  --error: #c92a2a; --warning: #d9480f; --info: #1864ab;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.6 Georgia, "DejaVu Serif", "Times New Roman", serif; }
header.report, .finding, .legend, .ln, h2.section {
  font-family: system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; }
header.report { padding: 1.25rem 2rem 1rem; border-bottom: 1px solid var(--rule); }
header.report h1 { font-size: 1.35rem; margin: 0 0 .35rem; }
header.report h1 .path { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: .95em; word-break: break-all; }
.summary { margin: 0 0 .5rem; font-size: .95rem; }
.count { display: inline-block; padding: .05rem .55rem; border-radius: 1rem;
  margin-right: .35rem; font-weight: 600; color: #fff; }
.count.error { background: var(--error); }
.count.warning { background: var(--warning); }
.count.info { background: var(--info); }
.count.none { background: #2b8a3e; }
.meta { color: var(--muted); font-size: .85rem; margin: 0 0 .5rem; }
.legend { list-style: none; margin: 0; padding: 0; font-size: .8rem; color: var(--muted); }
.legend li { display: inline-block; margin-right: .9rem; }
main { padding: 1rem 0 2rem; }
.row { display: grid; grid-template-columns: minmax(0, 1fr) 23rem; column-gap: 1.5rem;
  padding: .15rem 2rem; }
.row.flagged { background: #fbfbfc; border-top: 1px solid #f1f3f5;
  border-bottom: 1px solid #f1f3f5; }
.text { position: relative; padding-left: 2.8rem; grid-column: 1; min-width: 0; }
.ln { position: absolute; left: 0; top: .55rem; width: 2.3rem; text-align: right;
  font-size: .7rem; color: #adb5bd; text-decoration: none; white-space: nowrap; }
/* Long URLs and identifiers break anywhere rather than widen the page. */
.para, .csl-entry, .finding, .note { margin: .45rem 0; overflow-wrap: anywhere; }
ul.para, ol.para { padding-left: 1.4rem; }
ul.para li, ol.para li { margin: .1rem 0; }
code.md { font: .88em ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f3f5;
  padding: 0 .2em; border-radius: 3px; }
a.link { color: #1864ab; }
h3.para { font-size: 1.15rem; margin-top: 1.1rem; }
blockquote.para { margin-left: 1.5rem; padding-left: .8rem; border-left: 3px solid var(--rule); }
p.reference { padding-left: 2rem; text-indent: -2rem; }
p.footnote, p.front { font-size: .9rem; color: #495057; }
p.stray { color: var(--muted); font-style: italic; }
/* Markdown's markup characters: kept in the text (offsets), not shown. */
.markup { display: none; }
mark { color: inherit; background: none; padding: 0; border-radius: 2px;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark.citation { background: #e7f5ff; border-bottom: 2px solid #4dabf7; }
mark.quotation { background: #e9ecef; border-bottom: 2px solid #adb5bd; }
mark.quotation[data-status="verbatim"] { background: #d3f9d8; border-bottom-color: #2f9e44; }
mark.quotation[data-status="misquote"] { background: #ffe8cc; border-bottom-color: #f76707; }
mark.quotation[data-status="not-found"] { background: #ffe3e3; border-bottom-color: #e03131; }
mark.copied { border-bottom: 2px dashed #f59f00;
  background: repeating-linear-gradient(135deg, #fff3bf 0 6px, #ffe066 6px 9px); }
mark.reference { background: #f3f0ff; }
aside.findings { grid-column: 2; padding: .4rem 0; min-width: 0; }
.finding { border-left: 4px solid var(--rule); border-radius: 3px; background: #fff;
  padding: .35rem .6rem; margin: 0 0 .45rem; font-size: .8rem; line-height: 1.45;
  box-shadow: 0 1px 2px rgba(0, 0, 0, .06); break-inside: avoid; }
.finding.error { border-left-color: var(--error); background: #fff5f5; }
.finding.warning { border-left-color: var(--warning); background: #fff9db; }
.finding.info { border-left-color: var(--info); background: #f1f8ff; }
.finding .sev { font-weight: 700; text-transform: uppercase; font-size: .68rem;
  letter-spacing: .04em; }
.finding.error .sev { color: var(--error); }
.finding.warning .sev { color: var(--warning); }
.finding.info .sev { color: var(--info); }
.finding code { font: 600 .78rem ui-monospace, "DejaVu Sans Mono", monospace; }
/* The place goes right of the code and name, or on a line of its own: never over text. */
.finding .head { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: .35rem; }
.finding .where { margin-left: auto; color: var(--muted); font-family: ui-monospace, monospace;
  text-align: right; min-width: 0; overflow-wrap: anywhere; }
.finding .msg { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.finding .fix { margin: .2rem 0 0; color: #495057; }
.finding .fix b { color: #2b8a3e; }
section.extra { padding: 0 2rem; }
h2.section { font-size: 1.1rem; margin: 1.6rem 0 .6rem; padding-top: .8rem;
  border-top: 1px solid var(--rule); }
section.extra .finding { max-width: 48rem; }
.corrected .csl-entry { padding-left: 2rem; text-indent: -2rem; margin: .35rem 0; }
.corrected .note { color: var(--muted); margin: 1rem 0 .35rem; }
.empty { color: var(--muted); font-style: italic; }
/* Where a quotation is in its source: Text Fragment links to the live and archived page. */
.passage { margin: 0 0 .45rem; padding: .25rem .6rem; font-size: .78rem; line-height: 1.45;
  border-left: 4px solid #2f9e44; background: #f4fcf5; border-radius: 3px;
  font-family: system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
  overflow-wrap: anywhere; }
.passage .what { color: var(--muted); }
a.fragment { color: #1864ab; }
@media (max-width: 900px) {
  .row { grid-template-columns: minmax(0, 1fr); }
  aside.findings { grid-column: 1; padding-left: 2.6rem; }
}
@media print {
  @page { margin: 1.6cm 1.4cm; }
  body { font-size: 10.5pt; }
  header.report, .row, section.extra { padding-left: 0; padding-right: 0; }
  /* A page is narrower than the screen rule's 900px: keep the findings beside the text. */
  .row { grid-template-columns: minmax(0, 1fr) 38%; column-gap: 1rem; break-inside: avoid; }
  aside.findings { grid-column: 2; padding-left: 0; }
  .row.flagged { background: none; }
  .finding { box-shadow: none; }
  mark, .finding, .count { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .ln { color: #868e96; }
}
"""


def _class(value: str) -> str:
    return _CLASS_SAFE.sub("", value.lower()) or "other"


@attrs.frozen
class _Piece:
    """A highlight clipped to one paragraph: offsets relative to the paragraph's text."""

    start: int
    end: int
    number: int  # the highlight's index in the result, shared by all its pieces
    highlight: Highlight | None
    tags: tuple[str, str] = ("", "</mark>")  # Markdown formatting: its own open/close tags


def _open(piece: _Piece) -> str:
    hl = piece.highlight
    if hl is None:
        return piece.tags[0]
    title = " · ".join(p for p in (hl.kind, hl.status or "", " ".join(hl.codes)) if p)
    attributes = [f'class="{_class(hl.kind)}"']
    if hl.status is not None:
        attributes.append(f'data-status="{escape(hl.status)}"')
    if hl.codes:
        attributes.append(f'data-codes="{escape(" ".join(hl.codes))}"')
    attributes += [f'data-highlight="{piece.number}"', f'title="{escape(title)}"']
    return f"<mark {' '.join(attributes)}>"


def _marked(text: str, pieces: Sequence[_Piece]) -> str:
    """``text`` escaped, with each piece wrapped in a ``<mark>``; overlaps stay well-formed.

    Marks nest while they can; where two cross ("ab[c{d]e}"), the inner one is closed at
    the outer one's end and reopened after it, so a highlight may become several
    ``<mark>`` elements sharing one ``data-highlight`` number.
    """
    starts: dict[int, list[_Piece]] = defaultdict(list)
    points = {0, len(text)}
    for piece in pieces:
        starts[piece.start].append(piece)
        points.update((piece.start, piece.end))
    out: list[str] = []
    stack: list[_Piece] = []
    position = 0
    for point in sorted(points):
        out.append(escape(text[position:point], quote=False))
        position = point
        ending = [i for i, piece in enumerate(stack) if piece.end == point]
        if ending:
            # Close down to the outermost mark that ends here, then reopen the rest.
            low = ending[0]
            out.extend(piece.tags[1] for piece in reversed(stack[low:]))
            reopen = [piece for piece in stack[low:] if piece.end != point]
            del stack[low:]
            for piece in reopen:
                out.append(_open(piece))
                stack.append(piece)
        # Longest first, so that the outer mark is opened first and fewer splits follow.
        for piece in sorted(starts[point], key=lambda p: (-p.end, p.number)):
            out.append(_open(piece))
            stack.append(piece)
    return "".join(out)


def _pieces(paragraph: Paragraph, highlights: Sequence[Highlight]) -> list[_Piece]:
    start, end = paragraph.span.start, paragraph.span.end
    pieces = []
    for number, highlight in enumerate(highlights):
        # A highlight across paragraphs (a block quotation) is marked in each of them.
        first, last = max(highlight.start, start), min(highlight.end, end)
        if first < last:
            pieces.append(_Piece(first - start, last - start, number, highlight))
    return pieces


def _format_pieces(spans: Iterable[Markup]) -> list[_Piece]:
    """Markdown markup as pieces: hidden markup characters, formatting tags."""
    pieces = []
    for markup in spans:
        if markup.kind == "link":
            href = markup.href or ""
            if SAFE_HREF.match(href):
                attributes = (
                    f'href="{escape(href)}" title="{escape(href)}" rel="noopener noreferrer"'
                )
                tags = (f'<a class="link" {attributes}>', "</a>")
            else:
                tags = (f'<span class="link" title="{escape(href)}">', "</span>")
        else:
            tags = _FORMAT_TAGS[markup.kind]
        # Numbers after the highlights': a mark and a format over one stretch nest alike.
        pieces.append(_Piece(markup.start, markup.end, 1 << 30, None, tags))
    return pieces


_FORMAT_TAGS = {
    "hide": ('<span class="markup">', "</span>"),
    "em": ("<em>", "</em>"),
    "strong": ("<strong>", "</strong>"),
    "code": ('<code class="md">', "</code>"),
}


def _paragraph_html(brief: Brief, paragraph: Paragraph, highlights: Sequence[Highlight]) -> str:
    span = paragraph.span
    items = None
    if 0 <= span.start < span.end <= len(brief.text):
        # Highlights are offsets into the brief's text: mark that, not the cleaned text.
        source = brief.text[span.start : span.end]
        pieces = _pieces(paragraph, highlights)
        if brief.format == "markdown" and paragraph.kind != "front":
            # Markdown is shown rendered: markup characters hidden (still in the text, so
            # that offsets hold), formatting as tags; all text escaped by _marked.
            spans = markdown.block(source, paragraph.kind) + markdown.inline(source)
            listed = markdown.list_items(source) if paragraph.kind == "body" else None
            if listed is not None:
                items = _list_html(source, pieces, spans, *listed)
            pieces += _format_pieces(spans)
        body = _marked(source, pieces)
    else:
        body = escape(paragraph.text)
    kind = _class(paragraph.kind)
    if items is not None:
        return items
    if paragraph.kind == "heading":
        return f'<h3 class="para heading">{body}</h3>'
    if paragraph.kind == "blockquote":
        return f'<blockquote class="para blockquote">{body}</blockquote>'
    return f'<p class="para {kind}">{body}</p>'


def _list_html(
    source: str,
    pieces: Sequence[_Piece],
    spans: Sequence[Markup],
    items: Sequence[markdown.ListItem],
    first: int | None,
) -> str:
    """A Markdown list paragraph as ``<ul>``/``<ol>``: each item marked on its own."""
    out = []
    for item in items:
        length = item.end - item.start
        clipped = [
            attrs.evolve(p, start=max(p.start - item.start, 0), end=min(p.end - item.start, length))
            for p in pieces
            if p.start < item.end and p.end > item.start
        ]
        marker = markdown.Markup(item.start, item.text_start, "hide")
        own = markdown.shifted([marker, *spans], item.start, length)
        text = source[item.start : item.end]
        out.append(f"<li>{_marked(text, [*clipped, *_format_pieces(own)])}</li>")
    if first is None:
        return '<ul class="para list">' + "".join(out) + "</ul>"
    return f'<ol class="para list" start="{first}">' + "".join(out) + "</ol>"


def _where(brief: Brief, location: Location) -> str:
    if in_brief(brief, location):
        location = attrs.evolve(location, path=None)
    return str(location)


def _finding_html(brief: Brief, finding: Finding) -> str:
    severity = finding.severity.value
    where = _where(brief, finding.location)
    parts = [
        f'<div class="finding {severity}" data-code="{finding.code}">',
        f'<div class="head"><span class="sev">{_NOUNS[finding.severity]}</span> ',
        f'<code>{finding.code}</code> <span class="name">{escape(finding.name)}</span>',
        f'<span class="where">{escape(where)}</span>' if where else "",
        "</div>",
        f'<p class="msg">{escape(finding.message)}</p>',
    ]
    if finding.hint:
        parts.append(f'<p class="fix"><b>Fix:</b> {escape(finding.hint)}</p>')
    parts.append("</div>")
    return "".join(parts)


#: How a place is shortened for the side column: "paragraph 12" is 12, "footnote 3" fn 3.
_SIDE = {"paragraph": "", "footnote": "fn ", "endnote": "en ", "reference": "ref "}


def _side(line: int, place: str | None) -> str:
    """The side number of a row: the line, or in a Word brief the number of its place."""
    if place is None:
        return str(line)
    kind, _, number = place.partition(" ")
    return f"{_SIDE.get(kind, kind + ' ')}{number}"


def _passages(paragraph: Paragraph, highlights: Sequence[Highlight]) -> list[str]:
    """Links to the places in their sources of the quotations that start in a paragraph.

    Each anchored quotation gets a Text Fragment link to the live page ("open in
    source") and one to the archived copy ("archived copy"), where the record has them.
    """
    out = []
    start, end = paragraph.span.start, paragraph.span.end
    for number, highlight in enumerate(highlights):
        links = highlight.links
        if links is None or highlight.kind != "quotation" or not start <= highlight.start < end:
            continue
        targets = [
            (url, label, kind)
            for url, label, kind in (
                (links.live, "open in source", "live"),
                (links.archived, "archived copy", "archived"),
            )
            if url and _WEB.match(url)
        ]
        if not targets:
            continue
        where = f", para. {links.paragraph}" if links.paragraph else ""
        anchors = " · ".join(
            f'<a class="fragment {kind}" href="{escape(url)}" rel="noopener noreferrer">{label}</a>'
            for url, label, kind in targets
        )
        out.append(
            f'<div class="passage" data-highlight="{number}" data-source="{escape(links.key)}">'
            f'<span class="what">Quotation in @{escape(links.key)}{where}:</span> {anchors}</div>'
        )
    return out


def _row(
    line: int,
    content: str,
    findings: Iterable[Finding],
    brief: Brief,
    place: str | None = None,
    *,
    passages: Sequence[str] = (),
) -> str:
    cards = "\n".join(_finding_html(brief, f) for f in findings)
    flagged = " flagged" if cards else ""
    side = "\n".join(p for p in (cards, *passages) if p)
    aside = f'\n<aside class="findings">\n{side}\n</aside>' if side else ""
    title = f' title="{escape(place)}"' if place else ""
    return (
        f'<div class="row{flagged}" id="L{line}">\n'
        f'<div class="text"><a class="ln" href="#L{line}"{title}>{escape(_side(line, place))}</a>'
        f"{content}</div>"
        f"{aside}\n</div>"
    )


def _summary(findings: Iterable[Finding]) -> str:
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    parts = [
        f'<span class="count {s.value}">{n} {_NOUNS[s]}{"" if n == 1 else "s"}</span>'
        for s, n in counts.items()
        if n
    ]
    summary = "".join(parts) or '<span class="count none">no problems found</span>'
    if isinstance(findings, Report) and findings.suppressed:
        n = len(findings.suppressed)
        summary += f'<span class="count none">{n} finding{"" if n == 1 else "s"} suppressed</span>'
    return summary


# The corrected list is HTML from the CSL renderer; values in it come from library files,
# so it is rebuilt from these tags and attributes only (citeproc's inline formatting).
_TAGS = {"i", "b", "em", "strong", "u", "sup", "sub", "span", "div", "a", "br", "small"}
_DROP = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
_STYLE = re.compile(r"^\s*(?:font-(?:style|weight|variant)\s*:\s*[a-z-]+\s*;?\s*)+$")
_SAFE_CLASS = re.compile(r"^[\w -]*$")
_HREF = re.compile(r"^(?:https?:|mailto:)", re.IGNORECASE)


def _rebuild(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else None  # comments, PIs: no tag
    tail = escape(element.tail or "", quote=False)
    if tag is None or tag.lower() in _DROP:
        return tail
    inner = escape(element.text or "", quote=False) + "".join(_rebuild(c) for c in element)
    tag = tag.lower()
    if tag not in _TAGS:
        return inner + tail  # unknown wrapper (citeproc's <l>): keep its text
    attributes = []
    for name, value in sorted(element.attrib.items()):
        if (
            (name == "style" and _STYLE.match(value))
            or (name == "class" and _SAFE_CLASS.match(value))
            or (name == "href" and tag == "a" and _HREF.match(value))
            or (tag == "a" and name.startswith("data-") and _robust_value(name, value))
        ):
            attributes.append(f' {name}="{escape(value)}"')
    if tag == "br":
        return f"<br>{tail}"
    return f"<{tag}{''.join(attributes)}>{inner}</{tag}>{tail}"


def clean_fragment(fragment: str) -> str:
    """An HTML fragment rebuilt from an allow-list of inline tags; the rest is text."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return escape(root.text or "", quote=False) + "".join(_rebuild(c) for c in root)


_RUN_TAGS = (("code", "code"), ("subscript", "sub"), ("superscript", "sup"), ("bold", "b"))


def runs_html(runs: Iterable[Run]) -> str:
    """Runs of text as HTML: everything escaped, formatting as a few inline tags.

    Runs of one link (the renderer's ``<a>`` of a web address, a Robust Link) are
    written inside one ``<a>`` again, its attribute values checked (:func:`link_open`).
    """
    out = []
    current: tuple[tuple[str, str], ...] = ()
    for run in runs:
        if run.link != current:
            if current:
                out.append("</a>")
            opened = link_open(run.link) if run.link else ""
            current = run.link if opened else ()
            out.append(opened)
        body = escape(run.text, quote=False)
        if run.small_caps:
            body = f'<span style="font-variant:small-caps">{body}</span>'
        for flag, tag in _RUN_TAGS:
            if getattr(run, flag):
                body = f"<{tag}>{body}</{tag}>"
        if run.italic:
            body = f"<i>{body}</i>"
        out.append(body)
    if current:
        out.append("</a>")
    return "".join(out)


_WEB = re.compile(r"^https?://", re.IGNORECASE)
# Robust Links' data-versiondate: a date, or a date and time (W3C datetime).
_DATETIME = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$")
#: The values a link from the renderer may carry, and what each must look like.
_LINK_VALUES = {
    "href": _WEB,
    "data-originalurl": _WEB,
    "data-versionurl": _WEB,
    "data-versiondate": _DATETIME,
}


def _robust_value(name: str, value: str) -> bool:
    pattern = _LINK_VALUES.get(name)
    return name != "href" and pattern is not None and bool(pattern.match(value))


def link_open(attributes: Iterable[tuple[str, str]]) -> str:
    """The ``<a …>`` start tag of a rendered link; "" when its href is no http(s) URL.

    Only href and the Robust Link attributes are kept, each value checked (http(s)
    addresses, a date) and escaped: they come from library files.
    """
    kept = [
        (name, value)
        for name, value in attributes
        if name in _LINK_VALUES and _LINK_VALUES[name].match(value)
    ]
    if not any(name == "href" for name, _ in kept):
        return ""
    written = "".join(f' {name}="{escape(value)}"' for name, value in kept)
    return f'<a class="link"{written} rel="noopener noreferrer">'


def _corrected(result: CheckResult) -> str:
    """The corrected list as `check --fix` writes it: rendered entries, unmatched ones kept."""
    title = STYLE_TITLES.get(result.style, result.style)
    heading = f'<h2 class="section">Corrected references ({escape(title)})</h2>'
    fixed = corrected_list(result)
    parts = [f'<div class="csl-entry">{runs_html(e.runs)}</div>' for e in fixed.entries]
    if not parts:
        parts.append('<p class="empty">No reference matched a record of the library.</p>')
    if fixed.unmatched:
        parts.append(f'<p class="note">{runs_html(fixed.note)}</p>')
        parts += [
            f'<div class="csl-entry unmatched">{runs_html(e.runs)}</div>' for e in fixed.unmatched
        ]
    return f'<section class="extra corrected">\n{heading}\n' + "\n".join(parts) + "\n</section>"


def to_html(result: CheckResult) -> str:
    """A self-contained HTML report of a check (one string, UTF-8 when written).

    A header (the brief's path, counts by severity, a colour legend); the brief
    paragraph by paragraph with highlights as ``<mark>`` elements and its findings in
    a column beside it; findings about no line of the brief; the corrected reference
    list. No scripts, no external resources; print-friendly.
    """
    brief = result.brief
    placement = place(result)
    rows: list[tuple[int, str]] = []
    for index, paragraph in enumerate(brief.paragraphs):
        line = line_range(brief, paragraph)[0]
        content = _paragraph_html(brief, paragraph, result.highlights)
        findings = placement.by_paragraph.get(index, ())
        passages = _passages(paragraph, result.highlights)
        row = _row(line, content, findings, brief, paragraph.place, passages=passages)
        rows.append((paragraph.span.start, row))
    lines = brief.text.split("\n")
    for line, findings in placement.by_line.items():
        # A finding on a line no paragraph covers: show the line itself in its place.
        text = lines[line - 1] if line <= len(lines) else ""
        start = sum(len(x) + 1 for x in lines[: line - 1])
        content = f'<p class="para stray">{escape(text) or "(blank line)"}</p>'
        rows.append((start, _row(line, content, findings, brief)))
    rows.sort(key=lambda r: r[0])
    other = ""
    if placement.elsewhere:
        cards = "\n".join(_finding_html(brief, f) for f in placement.elsewhere)
        other = (
            '<section class="extra other">\n<h2 class="section">Other findings</h2>\n'
            f"{cards}\n</section>"
        )
    path = escape(brief.path)
    legend = "".join(
        f"<li>{sample}</li>"
        for sample in (
            '<mark class="citation">citation</mark>',
            '<mark class="quotation" data-status="verbatim">quotation as in its source</mark>',
            '<mark class="quotation" data-status="misquote">misquoted</mark>',
            '<mark class="quotation" data-status="not-found">not in its source</mark>',
            '<mark class="copied">copied without quotation marks</mark>',
            '<mark class="reference">reference entry</mark>',
        )
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            # The report holds untrusted text: even if escaping failed, nothing would run.
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="policycite">',
            f"<title>Citation check: {path}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            '<header class="report">',
            f'<h1>Citation check: <span class="path">{path}</span></h1>',
            f'<p class="summary">{_summary(result.report)}</p>',
            f'<p class="meta">Format: {escape(brief.format)} · Style: {escape(result.style)}'
            f" · {len(brief.references)} references in the brief</p>",
            f'<ul class="legend">{legend}</ul>',
            "</header>",
            "<main>",
            '<section class="brief">',
            *(row for _, row in rows),
            "</section>",
            other,
            _corrected(result),
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


__all__ = ["STYLE_TITLES", "clean_fragment", "link_open", "runs_html", "to_html"]
