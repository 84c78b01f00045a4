"""The corrected reference list of a check, built once and written as text, Markdown or Word.

:func:`corrected_list` is the one place that decides what the list holds: the entries
rendered from the matched records (in the style's order, with the style's italics), then
the entries that matched no record, kept as the brief wrote them under a note, so that
nothing the author wrote is lost. `check --fix` writes it beside the brief
(:func:`to_text`, :func:`to_markdown`, :func:`to_docx`) and the HTML report shows it.

Formatting comes from the renderer's HTML output (citeproc's ``<i>``, ``<b>``, small
capitals, super- and subscripts, and roman text inside italics), read into runs of
text with flags; a result rendered without HTML falls back to plain runs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import lxml.html

from policycite.output.markdown import runs as markdown_runs
from policycite.rules.result import CheckResult

#: What the list is called in the written files.
HEADING = "References"


@attrs.frozen
class Run:
    """A stretch of an entry's text with one formatting."""

    text: str
    italic: bool = False
    bold: bool = False
    small_caps: bool = False
    superscript: bool = False
    subscript: bool = False
    code: bool = False  # a command name in the note, code in an entry as written
    #: The attributes of the link the run is the text of (the renderer's ``<a>``: href
    #: and the Robust Link ``data-*`` values), in order; empty for text that is no link.
    link: tuple[tuple[str, str], ...] = ()


def _runs(items: Iterable[Run]) -> tuple[Run, ...]:
    return tuple(items)


@attrs.frozen
class Entry:
    """One entry of the list: its runs, and the brief's own text when it is kept as written.

    ``written`` is None for an entry rendered from a record; for an unmatched entry it
    is the entry as the brief has it (Markdown markup included, for a Markdown brief).
    """

    runs: tuple[Run, ...] = attrs.field(converter=_runs)
    written: str | None = None

    @property
    def text(self) -> str:
        """The entry as plain text."""
        return "".join(run.text for run in self.runs)


def _entries(items: Iterable[Entry]) -> tuple[Entry, ...]:
    return tuple(items)


@attrs.frozen
class CorrectedList:
    """The corrected list: rendered entries, and the unmatched ones under ``note``."""

    entries: tuple[Entry, ...] = attrs.field(converter=_entries)
    unmatched: tuple[Entry, ...] = attrs.field(converter=_entries)
    note: tuple[Run, ...] = attrs.field(
        default=(
            Run("Not in the library (kept as written; capture them with "),
            Run("policycite add", code=True),
            Run("):"),
        ),
        converter=_runs,
    )


def corrected_list(result: CheckResult) -> CorrectedList:
    """The corrected reference list of a check: what --fix writes and the report shows."""
    entries = []
    for index, text in enumerate(result.corrected):
        html = result.corrected_html[index] if index < len(result.corrected_html) else None
        entries.append(Entry(runs_of_html(html) if html is not None else (Run(text),)))
    # An entry is matched when its reference highlight names a record.
    matched = {h.start for h in result.highlights if h.kind == "reference" and h.status}
    markdown = result.brief.format == "markdown"
    unmatched = [
        Entry(_markdown_runs(e.text) if markdown else (Run(e.text),), written=e.text)
        for e in result.brief.references
        if e.span.start not in matched
    ]
    return CorrectedList(entries, unmatched)


def _markdown_runs(text: str) -> tuple[Run, ...]:
    """An entry written in Markdown as runs: its emphasis italic, its markup gone."""
    return tuple(
        Run(
            part,
            italic="em" in kinds,
            bold="strong" in kinds,
            code="code" in kinds,
        )
        for part, kinds in markdown_runs(text)
    )


# --- from the renderer's HTML ----------------------------------------------------------

_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(italic|oblique|normal)", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|normal)", re.IGNORECASE)
_SMALL_CAPS_STYLE = re.compile(r"font-variant\s*:\s*(small-caps|normal)", re.IGNORECASE)
_SKIP = {"script", "style", "template", "noscript", "iframe", "object"}


def runs_of_html(fragment: str) -> tuple[Run, ...]:
    """The runs of an HTML fragment from the renderer; tags other than formatting are text.

    Runs of equal formatting are merged; nothing of the markup survives but the flags.
    """
    if not fragment.strip():
        return ()
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    out: list[Run] = []
    for run in _walk(root, Run("")):
        if out and attrs.evolve(out[-1], text="") == attrs.evolve(run, text=""):
            out[-1] = attrs.evolve(out[-1], text=out[-1].text + run.text)
        elif run.text:
            out.append(run)
    return tuple(out)


def _walk(element: lxml.html.HtmlElement, style: Run) -> Iterator[Run]:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    inner = _styled(tag, element.get("style") or "", style)
    if tag == "a" and element.get("href"):
        inner = attrs.evolve(inner, link=_link_attributes(element))
    if element.text:
        yield attrs.evolve(inner, text=element.text)
    for index, child in enumerate(element):
        if index and tag == "div" and isinstance(child.tag, str) and child.tag == "div":
            yield attrs.evolve(inner, text=" ")  # a numeric style's number and entry
        yield from _walk(child, inner)
        if child.tail:
            yield attrs.evolve(inner, text=child.tail)


#: The attributes of the renderer's links a run keeps (see render.robust); writers check
#: their values again before they write them.
LINK_ATTRIBUTES = ("href", "data-originalurl", "data-versionurl", "data-versiondate")


def _link_attributes(element: lxml.html.HtmlElement) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, value) for name in LINK_ATTRIBUTES if (value := element.get(name)) is not None
    )


def _styled(tag: str, css: str, style: Run) -> Run:
    changes: dict[str, Any] = {}  # Any: evolve() types each keyword as its field
    if tag in {"i", "em"}:
        changes["italic"] = True
    elif tag in {"b", "strong"}:
        changes["bold"] = True
    elif tag == "sup":
        changes["superscript"] = True
    elif tag == "sub":
        changes["subscript"] = True
    for pattern, flag, on in (
        (_ITALIC_STYLE, "italic", {"italic", "oblique"}),
        (_BOLD_STYLE, "bold", {"bold"}),
        (_SMALL_CAPS_STYLE, "small_caps", {"small-caps"}),
    ):
        found = pattern.search(css)
        if found:
            changes[flag] = found.group(1).lower() in on
    return attrs.evolve(style, **changes) if changes else style


# --- writers ---------------------------------------------------------------------------


def to_text(corrected: CorrectedList) -> str:
    """The list as plain text: one entry a paragraph, the note in its place."""
    return _plain(corrected, lambda entry: entry.written or entry.text, _text_run)


def to_markdown(corrected: CorrectedList) -> str:
    """The list as Markdown: APA's italics as ``*…*``; unmatched entries as written."""
    return _plain(
        corrected,
        lambda entry: entry.written or "".join(_markdown_run(r) for r in entry.runs),
        _markdown_run,
    )


def _plain(
    corrected: CorrectedList, entry_text: Callable[[Entry], str], run_text: Callable[[Run], str]
) -> str:
    lines = [HEADING, ""]
    lines += [f"{entry_text(entry)}\n" for entry in corrected.entries]
    if corrected.unmatched:
        lines += ["".join(run_text(r) for r in corrected.note), ""]
        lines += [f"{entry_text(entry)}\n" for entry in corrected.unmatched]
    return "\n".join(lines).rstrip("\n") + "\n"


def _text_run(run: Run) -> str:
    return f"`{run.text}`" if run.code else run.text


# Characters that would start Markdown markup, where they could: "_" not inside words or
# URLs ("survey_2022"), "]" only before "(", "[" or ":" (a link or a link definition),
# so that "[Press release]" and addresses read as they are.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*<>]|\](?=[(\[:])|(?<![^\W_])_|_(?![^\W_])")


def _markdown_run(run: Run) -> str:
    if run.code:
        return f"`{run.text}`"
    text = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), run.text)
    # Emphasis markers must touch the words: spaces go outside them.
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if run.bold:
        core = f"**{core}**"
    if run.italic:
        core = f"*{core}*"
    if run.superscript:
        core = f"^{core}^"
    if run.subscript:
        core = f"~{core}~"
    return f"{lead}{core}{trail}"


def to_docx(corrected: CorrectedList) -> bytes:
    """The list as a Word document: real italic runs, a 0.5 in hanging indent per entry."""
    import docx  # python-docx is slow to import; only --fix on a Word brief needs it

    document = docx.Document()
    add_to_docx(document, corrected)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_to_docx(
    document: Any,
    corrected: CorrectedList,
    *,
    heading: str = HEADING,
    heading_style: Any = "Heading 1",
    entry_style: Any = None,
) -> list[Any]:
    """Add the list to the end of a python-docx ``document``; the paragraphs added.

    A heading (``heading_style``, a paragraph style or its name; bold text when the
    document has no such style), then each entry as a paragraph of ``entry_style``
    (the document's default when None) with a 0.5 in hanging indent and the entry's
    italics, bold, small capitals, super- and subscripts as real run properties, so
    that Word shows and keeps them; the unmatched entries under their note. Shared by
    ``--fix`` (a document of its own) and ``--annotate`` (the brief's annotated copy).
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches

    hanging = Inches(0.5)
    added: list[Any] = []

    def paragraph_of(style: Any) -> Any:
        try:
            return document.add_paragraph(style=style)
        except KeyError:  # the document has no such style: the default paragraph style
            return document.add_paragraph()

    title = paragraph_of(heading_style)
    run = title.add_run(heading)
    if (
        title.style is None
        or title.style.name == document.styles.default(WD_STYLE_TYPE.PARAGRAPH).name
    ):
        run.bold = True  # no heading style to set it apart
    added.append(title)

    def add(runs: Iterable[Run], *, indent: bool) -> None:
        paragraph = paragraph_of(entry_style)
        if indent:
            paragraph.paragraph_format.left_indent = hanging
            paragraph.paragraph_format.first_line_indent = -hanging
        for run in runs:
            piece = paragraph.add_run(run.text)
            piece.italic = run.italic or None
            piece.bold = run.bold or None
            piece.font.small_caps = run.small_caps or None
            piece.font.superscript = run.superscript or None
            piece.font.subscript = run.subscript or None
            if run.code:
                piece.font.name = "Courier New"
        added.append(paragraph)

    for entry in corrected.entries:
        add(entry.runs, indent=True)
    if corrected.unmatched:
        add(corrected.note, indent=False)
        for entry in corrected.unmatched:
            add(entry.runs, indent=True)
    return added


__all__ = [
    "HEADING",
    "LINK_ATTRIBUTES",
    "CorrectedList",
    "Entry",
    "Run",
    "add_to_docx",
    "corrected_list",
    "runs_of_html",
    "to_docx",
    "to_markdown",
    "to_text",
]
