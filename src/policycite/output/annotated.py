"""The annotated copy of a Word brief: every finding a Word comment on the text it concerns.

:func:`annotate` takes the bytes of the .docx that was checked and the check's result,
and returns a copy in which each finding is a comment (author "policycite", initials
"PC": severity, code and name, the message, the fix) whose range covers exactly the
finding's span of the brief's text. Runs are split at the span's ends (each part keeps
the run's properties), so the range starts and ends inside a run where the span does.
python-docx 1.2 writes the comments themselves; the range markers are written here (its
API anchors only on whole runs of the body). A finding in a footnote or endnote is
commented in the text, on the note's mark and the word before it, quoting the note's
words: LibreOffice (7.4) cannot open a file with a comment inside a note, which Word
allows (``notes_in_place=True`` writes that). A finding with no place in the text
(about a record, or about the whole brief) is put on the reference list's heading, or
on the first paragraph, and says so. The
corrected reference list follows the brief's own, as Word paragraphs with the style's
italics and a hanging indent (:func:`policycite.output.corrected.add_to_docx`, which
``--fix`` also uses). Nothing of the author's text is changed or removed.

Must not write files: the caller writes the bytes (atomically, never over the brief).
"""

from __future__ import annotations

import bisect
import copy
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import attrs
from lxml import etree

from policycite.brief.model import Brief
from policycite.brief.readers import GENERATED_TAG
from policycite.brief.wordmap import Spot, WordMap, word_map
from policycite.errors import InputError
from policycite.findings import Finding
from policycite.output.corrected import CorrectedList, add_to_docx
from policycite.rules.result import CheckResult

AUTHOR = "policycite"
INITIALS = "PC"
#: The heading of the corrected list in the annotated copy.
CORRECTED_HEADING = "Corrected references (policycite)"
#: What a comment on a finding with no place in the text says of itself.
UNPLACED = "Not tied to a place in the text; noted here."

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WR = f"{{{_W}}}r"
_WT = f"{{{_W}}}t"
_WRPR = f"{{{_W}}}rPr"
_WPPR = f"{{{_W}}}pPr"
_WBODY = f"{{{_W}}}body"
_NOTE_MARKS = frozenset({f"{{{_W}}}footnoteReference", f"{{{_W}}}endnoteReference"})
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def annotated_path(brief: Path) -> Path:
    """Where ``check --annotate`` writes the copy of ``brief``: ``NAME.checked.docx``."""
    return brief.with_name(f"{brief.stem}.checked.docx")


@attrs.frozen
class Anchor:
    """Where a finding's comment goes: a span of the brief's text.

    ``placed`` is False when the span stands in for a finding with no place in the text.
    """

    start: int
    end: int
    placed: bool = True


def anchor_of(brief: Brief, finding: Finding) -> Anchor:
    """The span of ``brief.text`` a finding's comment covers.

    The finding's span (line and column to end line and end column); a finding with a
    start only covers the rest of its paragraph; one with no place in the text (or an
    empty span) goes on the reference list's heading (its first entry when it has no
    heading) when the finding names a record and the brief has a list, else on the
    brief's first paragraph.
    """
    text = brief.text
    starts = _line_starts(text)
    location = finding.location
    if location.line is not None and 1 <= location.line <= len(starts):
        start = starts[location.line - 1] + (location.column or 1) - 1
        end: int | None = None
        if location.end_column is not None:
            end_line = location.end_line or location.line
            if 1 <= end_line <= len(starts):
                end = starts[end_line - 1] + location.end_column - 1
        elif location.column is None:
            start = starts[location.line - 1]
        if end is None:
            end = _paragraph_end(brief, start)
        start, end = max(start, 0), min(end, len(text))
        if text[start:end].strip():
            return Anchor(start, end)
    return _unplaced(brief, finding)


@functools.lru_cache(maxsize=4)
def _line_starts(text: str) -> tuple[int, ...]:
    """The offset of each line of ``text`` (computed once for all a brief's findings)."""
    return (0, *(i + 1 for i, char in enumerate(text) if char == "\n"))


def _paragraph_end(brief: Brief, offset: int) -> int:
    for paragraph in brief.paragraphs:
        if paragraph.span.start <= offset < paragraph.span.end:
            return paragraph.span.end
    found = brief.text.find("\n", offset)
    return len(brief.text) if found < 0 else found


def _unplaced(brief: Brief, finding: Finding) -> Anchor:
    heading = _list_heading(brief)
    if finding.location.key is not None and heading is not None:
        return Anchor(heading[0], heading[1], placed=False)
    first = next((p for p in brief.paragraphs if p.text.strip()), None)
    if first is not None:
        return Anchor(first.span.start, first.span.end, placed=False)
    line_end = brief.text.find("\n")
    return Anchor(0, len(brief.text) if line_end < 0 else line_end, placed=False)


def _list_heading(brief: Brief) -> tuple[int, int] | None:
    """The span of the reference list's heading, or of its first entry without one."""
    if not brief.references:
        return None
    first = min(entry.span.start for entry in brief.references)
    before = [p for p in brief.paragraphs if p.span.end <= first]
    if before and before[-1].kind == "heading":
        return before[-1].span.start, before[-1].span.end
    entry = min(brief.references, key=lambda e: e.span.start)
    return entry.span.start, entry.span.end


def comment_text(finding: Finding, *, placed: bool = True) -> list[str]:
    """The paragraphs of a finding's comment: severity, code, name and message; the fix."""
    head = f"{finding.severity.value} {finding.code} {finding.name}: {finding.message}"
    paragraphs = [head]
    if finding.hint:
        paragraphs.append(f"Fix: {finding.hint}")
    if finding.location.key and finding.location.key not in finding.message:
        paragraphs.append(f"Library record: @{finding.location.key}")
    if not placed:
        paragraphs.append(UNPLACED)
    return paragraphs


def annotate(
    data: bytes,
    result: CheckResult,
    corrected: CorrectedList | None = None,
    *,
    notes_in_place: bool = False,
) -> bytes:
    """The annotated copy of the Word brief ``data`` (the file ``result`` checked).

    A finding in a footnote or endnote is commented in the text, on the word the note's
    mark is attached to, quoting the words of the note it concerns, unless
    ``notes_in_place``: then the comment's range is those words in the note itself, as
    Word allows, but LibreOffice (7.4) refuses to open a file with a comment in a note,
    so that is not the default.

    Raises InputError when the file no longer reads as the text that was checked (it
    changed in between), or its notes cannot be parsed.
    """
    import docx  # slow to import; only --annotate needs it

    brief = result.brief
    document = docx.Document(io.BytesIO(data))
    mapped = word_map(document, data)
    if mapped.text != brief.text:
        raise InputError("the file changed while it was checked; check it again", source=brief.path)
    findings = list(result.report)
    anchors = [anchor_of(brief, finding) for finding in findings]
    bounds = [_bounds(mapped, anchor) for anchor in anchors]
    for index, found in enumerate(bounds):
        if found is None and anchors[index].placed:
            # Its span has no run in the file (it lies between paragraphs): unplaced.
            anchors[index] = _unplaced(brief, findings[index])
            bounds[index] = _bounds(mapped, anchors[index])
    body = document.element.body
    in_notes = [
        found is not None and found[0][0].getroottree().getroot().tag != f"{{{_W}}}document"
        for found in bounds
    ]
    if not notes_in_place:
        bounds = [
            _before_mark(mapped, body, found[0][0]) if moved and found is not None else found
            for found, moved in zip(bounds, in_notes, strict=True)
        ]
    cutter = _Cutter()
    for found in bounds:
        if found is not None:
            cutter.want(*found[0])
            cutter.want(*found[1])
    cutter.cut()
    for finding, anchor, found, moved in zip(findings, anchors, bounds, in_notes, strict=True):
        if found is None:
            continue  # no run at all to hang it on: the report still has it
        paragraphs = comment_text(finding, placed=anchor.placed)
        if moved and not notes_in_place:
            where = finding.location.place or "the note"
            paragraphs.append(f"In {where}: “{brief.text[anchor.start : anchor.end]}”")
        comment = document.comments.add_comment(
            text=paragraphs[0], author=AUTHOR, initials=INITIALS
        )
        for more in paragraphs[1:]:
            comment.add_paragraph(more)
        start, end = cutter.boundary(*found[0], side="before"), cutter.boundary(*found[1])
        _mark(start, end, comment.comment_id)
    if corrected is not None and (corrected.entries or corrected.unmatched):
        _add_corrected(document, mapped, brief, corrected)
    out = io.BytesIO()
    document.save(out)
    return _with_notes(out.getvalue(), mapped.notes)


def _with_notes(package: bytes, notes: dict[str, Any]) -> bytes:
    """``package`` with its notes members replaced by the (commented) ``notes`` trees.

    python-docx keeps the notes parts as bytes it does not read, and drops a notes
    member that no relationship names (which the reader reads all the same): the
    members are written here, by name, as the reader finds them.
    """
    if not notes:
        return package
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename not in notes:
                target.writestr(item, source.read(item.filename))
        for name, root in notes.items():
            xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(name, xml)
    return out.getvalue()


_Bounds = tuple[tuple[Any, int], tuple[Any, int]]


def _bounds(mapped: WordMap, anchor: Anchor) -> _Bounds | None:
    """The first and last character of the span that stand in the file: (element, index).

    The end is kept in the part the start is in (a span never crosses from the body
    into the notes, but the guard costs nothing).
    """
    spots = mapped.spots
    inside = [i for i in range(anchor.start, anchor.end) if spots[i] is not None]
    if not inside:
        return None
    first = spots[inside[0]]
    assert first is not None
    root = first.element.getroottree().getroot()
    last: Spot | None = None
    for index in reversed(inside):
        spot = spots[index]
        if spot is not None and spot.element.getroottree().getroot() is root:
            last = spot
            break
    assert last is not None
    return (first.element, first.offset), (last.element, last.offset + 1)


def _before_mark(mapped: WordMap, body: Any, inside: Any) -> _Bounds | None:
    """The bounds of a note's mark in the text and the word it follows.

    ``inside`` is an element of the note; the mark alone when no word comes before it.
    """
    note = next(inside.iterancestors(f"{{{_W}}}footnote", f"{{{_W}}}endnote"), None)
    if note is None:
        return None
    tag = f"{{{_W}}}{etree.QName(note).localname}Reference"
    note_id = note.get(f"{{{_W}}}id")
    mark = next((m for m in body.iter(tag) if m.get(f"{{{_W}}}id") == note_id), None)
    if mark is None:
        return None
    spots, text = mapped.spots, mapped.text
    at = next(
        (i for i, spot in enumerate(spots) if spot is not None and spot.element is mark), None
    )
    if at is None:
        return None
    start = at
    while start > 0 and spots[start - 1] is not None and not text[start - 1].isspace():
        start -= 1
    first = spots[start]
    assert first is not None
    return (first.element, first.offset), (mark, 1)


class _Cutter:
    """Splits w:t elements and their runs so that spans begin and end on run boundaries."""

    def __init__(self) -> None:
        self.cuts: dict[Any, set[int]] = {}
        # w:t -> its pieces after cutting: (offset in the original text, element).
        self.pieces: dict[Any, list[tuple[int, Any]]] = {}

    def want(self, element: Any, index: int) -> None:
        """Ask for a boundary before character ``index`` of ``element``."""
        if element.tag == _WT and 0 < index < len(element.text or ""):
            self.cuts.setdefault(element, set()).add(index)

    def cut(self) -> None:
        """Split each w:t at its cuts; the pieces stay in one run until isolated."""
        for element, cuts in self.cuts.items():
            text = element.text or ""
            points = sorted(cuts)
            pieces = [(0, element)]
            previous = element
            for a, b in zip(points, [*points[1:], len(text)], strict=True):
                twin = copy.deepcopy(previous)
                twin.tail = None
                twin.text = text[a:b]
                twin.set(_XML_SPACE, "preserve")
                previous.addnext(twin)
                pieces.append((a, twin))
                previous = twin
            element.text = text[: points[0]]
            element.set(_XML_SPACE, "preserve")
            self.pieces[element] = pieces

    def boundary(self, element: Any, index: int, side: str = "after") -> Any:
        """The run that starts (``side`` before) or ends (after) at a boundary.

        The run is split out of its run; ``index`` counts in the element's original text
        (for a tab or a note mark, a boundary inside it falls before or after it).
        """
        pieces = self.pieces.get(element, [(0, element)])
        if side == "before":
            target = next((piece for offset, piece in pieces if offset == index), pieces[0][1])
            return _split_before(target)
        starts = [offset for offset, _ in pieces]
        target = pieces[max(bisect.bisect_right(starts, index - 1) - 1, 0)][1]
        return _split_after(target)


def _content(run: Any) -> list[Any]:
    return [child for child in run if child.tag != _WRPR]


def _split_before(child: Any) -> Any:
    """The run of ``child``, split so that it begins with ``child``."""
    run = child.getparent()
    children = _content(run)
    index = children.index(child)
    if index == 0:
        return run
    twin = _twin(run)
    for moved in children[index:]:
        twin.append(moved)
    run.addnext(twin)
    return twin


def _split_after(child: Any) -> Any:
    """The run of ``child``, split so that it ends with ``child``."""
    run = child.getparent()
    children = _content(run)
    index = children.index(child)
    if index == len(children) - 1:
        return run
    twin = _twin(run)
    for moved in children[index + 1 :]:
        twin.append(moved)
    run.addnext(twin)
    return run


def _twin(run: Any) -> Any:
    """An empty run with ``run``'s attributes and properties (w:rPr: bold, italics, style)."""
    twin = copy.deepcopy(run)
    for child in list(twin):
        if child.tag != _WRPR:
            twin.remove(child)
    twin.tail = None
    return twin


def _mark(start_run: Any, end_run: Any, comment_id: int) -> None:
    """Mark a comment's range: from before ``start_run`` to after ``end_run``.

    As Word writes it: w:commentRangeStart, the runs, w:commentRangeEnd, then the
    w:commentReference in a run of its own; but after the paragraph's last note mark
    when one follows the range in the paragraph: LibreOffice (7.4) gives the notes of
    a paragraph the wrong texts when a comment's reference comes between two marks.
    """
    start = etree.Element(f"{{{_W}}}commentRangeStart", nsmap={"w": _W})
    start.set(f"{{{_W}}}id", str(comment_id))
    start_run.addprevious(start)
    end = etree.Element(f"{{{_W}}}commentRangeEnd", nsmap={"w": _W})
    end.set(f"{{{_W}}}id", str(comment_id))
    reference = etree.Element(_WR, nsmap={"w": _W})
    properties = etree.SubElement(reference, _WRPR)
    etree.SubElement(properties, f"{{{_W}}}rStyle").set(f"{{{_W}}}val", "CommentReference")
    etree.SubElement(reference, f"{{{_W}}}commentReference").set(f"{{{_W}}}id", str(comment_id))
    end_run.addnext(reference)
    end_run.addnext(end)
    paragraph = next(reference.iterancestors(f"{{{_W}}}p"), None)
    if paragraph is None:
        return
    after = False
    last_mark = None
    for element in paragraph.iter():
        if element is reference:
            after = True
        elif after and element.tag in _NOTE_MARKS:
            last_mark = element
    if last_mark is not None:
        # The child of the paragraph that holds the mark (its run, or a hyperlink).
        holder = next(a for a in last_mark.iterancestors() if a.getparent() is paragraph)
        holder.addnext(reference)


def _add_corrected(document: Any, mapped: WordMap, brief: Brief, corrected: CorrectedList) -> None:
    """Add the corrected list after the brief's own (at the end when it has none).

    In the styles of the brief's reference heading and entries, so that it looks like
    the author's list, inside a content control (Word shows it as a labelled box, easy
    to delete as one) whose tag tells the reader it is not the author's text: checking
    the annotated copy again does not read it as part of the brief.
    """
    entries = sorted(brief.references, key=lambda e: e.span.start)
    last = _body_paragraph(mapped, entries[-1].span.start) if entries else None
    heading = _list_heading(brief)
    heading_p = _body_paragraph(mapped, heading[0]) if heading is not None and entries else None
    heading_style = _style_of(document, heading_p) if heading_p is not None else None
    added = add_to_docx(
        document,
        corrected,
        heading=CORRECTED_HEADING,
        heading_style=heading_style or "Heading 1",
        entry_style=_style_of(document, last) if last is not None else None,
    )
    for old in list(document.element.body.iter(f"{{{_W}}}sdt")):
        tag = old.find(f"{{{_W}}}sdtPr/{{{_W}}}tag")
        if tag is not None and tag.get(f"{{{_W}}}val") == GENERATED_TAG:
            old.getparent().remove(old)  # the list of an earlier --annotate: made anew
    control = etree.Element(f"{{{_W}}}sdt", nsmap={"w": _W})
    properties = etree.SubElement(control, f"{{{_W}}}sdtPr")
    etree.SubElement(properties, f"{{{_W}}}alias").set(f"{{{_W}}}val", CORRECTED_HEADING)
    etree.SubElement(properties, f"{{{_W}}}tag").set(f"{{{_W}}}val", GENERATED_TAG)
    content = etree.SubElement(control, f"{{{_W}}}sdtContent")
    if last is not None and last.getparent().tag == _WBODY:
        last.addnext(control)
    else:  # at the end of the body, where python-docx added the paragraphs
        added[0]._p.addprevious(control)
    for paragraph in added:
        content.append(paragraph._p)


def _body_paragraph(mapped: WordMap, offset: int) -> Any:
    """The w:p of the body the text at ``offset`` is in, or None (a note, a gap)."""
    for start, end, element in mapped.blocks:
        if start <= offset < end:
            return element if element.tag == f"{{{_W}}}p" else None
    return None


def _style_of(document: Any, paragraph: Any) -> Any:
    """The paragraph style of a w:p, as a python-docx style, or None."""
    found = paragraph.find(f"{_WPPR}/{{{_W}}}pStyle")
    style_id = found.get(f"{{{_W}}}val") if found is not None else None
    if not style_id:
        return None
    for style in document.styles:
        if style.style_id == style_id:
            return style
    return None


__all__ = [
    "AUTHOR",
    "CORRECTED_HEADING",
    "INITIALS",
    "UNPLACED",
    "Anchor",
    "anchor_of",
    "annotate",
    "annotated_path",
    "comment_text",
]
