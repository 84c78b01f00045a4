"""PC216: a reference entry against the rendering of its record, formatting aware.

Compared first are the words and punctuation (quotation marks and dashes folded,
spacing ignored), then, where the brief's format carries italics, which words are in
italics: Markdown emphasis (``*Journal*``, ``_Title_``; ``**bold**`` is not italics),
HTML ``<i>``/``<em>``/``<cite>`` and italic runs in Word. Plain text carries none, so
there italics are not compared, and ``*…*``/``_…_`` are read as the author's marks.
Nor are they in a reference list that has no italics at all: a choice of the medium, not
an error in every entry.

The proposal ("write: …") is withheld where it would be worse than what is written:

- when the rendering drops words the entry gives, the record lacks them (a report
  with no genre renders "(No. 7)" where the entry has "(Report No. 7)"): the finding
  names the words and asks for the record to be completed;
- when another reference rule would flag the rendering itself (PC203–PC207, PC217:
  a damaged title, a missing URL, an untranslated title in the record): the finding
  names that problem, to be fixed in the record first.

Nor is a fault of the rendering proposed (issue 14): policycite's APA style prints APA's
forms, and the one fault a single list cannot avoid (a year letter for works whose
authors only begin alike) is undone first (:mod:`.artefacts`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence

from policycite.brief.structure import parse_brief
from policycite.findings import Finding
from policycite.rules import artefacts, references
from policycite.rules.context import Context

#: Brief formats that mark italics apart from the words.
ITALIC_FORMATS = frozenset({"markdown", "html", "docx"})

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
# Markdown emphasis: ***x*** (bold italics), **x** / __x__ (bold), *x* / _x_ (italics).
# "_" only at word boundaries, so that URLs and snake_case names keep their underscores.
_EMPHASIS = re.compile(
    r"(?P<both>\*\*\*|___)(?=\S)(?P<b>.+?)(?<=\S)(?P=both)"
    r"|(?P<strong>\*\*|__)(?=\S)(?P<s>.+?)(?<=\S)(?P=strong)"
    r"|\*(?=[^\s*])(?P<i>[^*]+?)(?<=[^\s*])\*"
    r"|(?<![\w\\])_(?=[^\s_])(?P<u>[^_]+?)(?<=[^\s_])_(?!\w)"
)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
_WORD = re.compile(r"\d+|[^\W\d_]+")
# A year's suffix ("2024a") is the rendering's to add or leave out.
_YEAR_SUFFIX = re.compile(r"\b(\d{4})[a-z]\b")
#: Words a rendering may drop without losing what the entry says: APA 6 and Harvard
#: wording, "and" for "&", "n.d." for a date the record has.
_DROPPABLE = frozenset("retrieved from available at online accessed viewed and n d".split())
#: Rules on a reference that a proposed rendering must pass.
_PROPOSAL_RULES = (
    references.retrieved_from,
    references.missing_url,
    references.mojibake,
    references.title_is_site_name,
    references.untranslated_title,
)

Spans = list[tuple[int, int]]


def _comparable(text: str) -> str:
    return " ".join(text.translate(_QUOTES).replace("\u00a0", " ").split()).removesuffix(".")


def emphasis(text: str) -> tuple[str, Spans]:
    """Markdown text without its emphasis marks, and the (start, end) of each italic run."""
    out: list[str] = []
    runs: Spans = []
    position = last = 0
    for match in _EMPHASIS.finditer(text):
        out.append(text[last : match.start()])
        position += match.start() - last
        inner = next(g for g in (match["b"], match["s"], match["i"], match["u"]) if g)
        if match["s"] is not None:  # bold: the words count, the weight does not
            inner, italic = emphasis(inner)
            runs += [(position + a, position + b) for a, b in italic]
        else:
            runs.append((position, position + len(inner)))
        out.append(inner)
        position += len(inner)
        last = match.end()
    out.append(text[last:])
    return "".join(out), runs


def from_html(markup: str) -> tuple[str, Spans]:
    """Rendered HTML as text (entities resolved), and the (start, end) of its italic runs."""
    out: list[str] = []
    runs: Spans = []
    position = last = depth = start = 0
    for tag in _TAG.finditer(markup):
        piece = html.unescape(markup[last : tag.start()])
        out.append(piece)
        position += len(piece)
        last = tag.end()
        if tag.group(2).lower() not in {"i", "em", "cite"}:
            continue
        if not tag.group(1):
            start = position if depth == 0 else start
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and position > start:
                runs.append((start, position))
    out.append(html.unescape(markup[last:]))
    return "".join(out), runs


def _italic_words(text: str, runs: Spans) -> list[str]:
    """The words of ``text`` inside italic runs, in order."""
    return [w.group() for w in _WORD.finditer(text) if any(a <= w.start() < b for a, b in runs)]


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(_YEAR_SUFFIX.sub(r"\1", text))}


def _as_markdown(text: str, runs: Spans) -> str:
    out = []
    last = 0
    for start, end in runs:
        out += [text[last:start], f"*{text[start:end]}*"]
        last = end
    return "".join([*out, text[last:]])


def _written(ctx: Context, index: int) -> tuple[str, Spans]:
    """An entry's words and italic runs, as its brief's format carries them."""
    entry = ctx.entries[index]
    brief = ctx.brief
    if brief.format in {"markdown", "text"}:
        plain, runs = emphasis(entry.text)
        return plain, runs if brief.format == "markdown" else []
    start, end = entry.span.start, entry.span.end
    runs = [
        (max(a, start) - start, min(b, end) - start)
        for a, b in brief.italics
        if a < end and b > start
    ]
    return entry.text, runs


def _missing(record: str, written: str) -> list[str]:
    """Words of the written entry that the rendering of its record leaves out, in order."""
    kept = _words(record) | _DROPPABLE
    seen: dict[str, None] = {}
    for word in _WORD.findall(_YEAR_SUFFIX.sub(r"\1", written)):
        if word.casefold() not in kept:
            seen.setdefault(word, None)
    return list(seen)


def _flagged(ctx: Context, proposals: Mapping[int, str]) -> dict[int, Finding]:
    """The first finding another reference rule makes about each proposed rendering."""
    if not proposals:
        return {}
    order = list(proposals)
    text = "References\n\n" + "\n\n".join(proposals[i] for i in order) + "\n"
    brief = parse_brief(text, path=ctx.brief.path, format="text")
    if len(brief.references) != len(order):
        return {}  # a rendering the parser cannot take apart: nothing to say about it
    other = Context(brief, ctx.library, ctx.folder)
    # Each rendering is of a known record: the rules need no matching to find it.
    vars(other)["matches"] = tuple(ctx.matches[i] for i in order)
    found: dict[int, Finding] = {}
    for rule in _PROPOSAL_RULES:
        for finding in rule(other):
            number = int((finding.location.field or "reference 0").rsplit(" ", 1)[-1])
            if 0 < number <= len(order):
                found.setdefault(order[number - 1], finding)
    return found


def _same_authors_and_year(ctx: Context, key: str, keys: Mapping[str, str]) -> bool:
    """Whether another record rendered with ``key`` has its authors and year (APA 9.47)."""
    source = ctx.library.get(key)
    if source is None:
        return True
    year = source.issued.year if source.issued is not None else None
    return any(
        other is not None
        and other.authors == source.authors
        and (other.issued.year if other.issued is not None else None) == year
        for other in (ctx.library.get(k) for k in keys if k != key)
    )


def _same(form: str, written: tuple[str, Spans], *, italic: bool) -> bool:
    """Whether an entry as written is ``form`` (Markdown-marked when italics count)."""
    if not italic:
        return _comparable(form) == _comparable(written[0])
    text, runs = emphasis(form)
    return _comparable(text) == _comparable(written[0]) and _italic_words(
        text, runs
    ) == _italic_words(*written)


def _phrases(text: str, runs: Spans) -> str:
    return ", ".join(f"\u201c{text[a:b]}\u201d" for a, b in runs) or "nothing"


def reference_style(
    ctx: Context,
    *,
    skip: set[int],
    rendered: Mapping[str, str],
    rendered_html: Callable[[], Mapping[str, str]],
) -> list[Finding]:
    """PC216: matched entries that differ from the rendering of their record.

    ``rendered`` maps keys to their entries as text in the check's style,
    ``rendered_html`` gives them as HTML (called only when italics are compared or
    proposed). Entries another rule already reported (``skip``) are left out: the
    specific finding says more, and the corrected reference list shows the rendering
    anyway.
    """
    written_all = [_written(ctx, i) for i in range(len(ctx.entries))]
    # A list written without any italics is a choice of the medium (a plain e-mail, a
    # Markdown file read as text), not a style error in every entry: italics are then
    # compared no more than in plain text.
    italic = ctx.brief.format in ITALIC_FORMATS and any(runs for _, runs in written_all)
    differing: dict[int, tuple[str, str, Spans, Spans]] = {}
    for i, (written, written_runs) in enumerate(written_all):
        match = ctx.matches[i]
        if match is None or i in skip or match.key not in rendered:
            continue
        expected = rendered[match.key]
        same_words = _comparable(expected) == _comparable(written)
        if same_words and not italic:
            continue
        runs: Spans = []
        if italic:
            shown, runs = from_html(rendered_html().get(match.key, ""))
            if _comparable(shown) == _comparable(expected):
                expected = shown
            else:
                runs = []  # the two renderings disagree: compare the words alone
            if same_words and _italic_words(expected, runs) == _italic_words(written, written_runs):
                continue
        # The rendering's known faults undone (what APA prints), and the other forms APA
        # allows: an entry written in any of them is right, and the proposal is APA's.
        known = artefacts.forms(
            _as_markdown(expected, runs),
            suffix_needed=_YEAR_SUFFIX.search(expected) is None
            or _same_authors_and_year(ctx, match.key, rendered),
        )
        if any(
            _same(form, (written, written_runs), italic=italic)
            for form in (known.repaired, *known.accepted)
        ):
            continue
        expected, runs = emphasis(known.repaired) if runs else (known.repaired, [])
        differing[i] = (expected, written, runs, written_runs)
    flagged = _flagged(
        ctx,
        {i: e for i, (e, w, _, _) in differing.items() if not _missing(e, w)},
    )
    out = []
    for i, (expected, written, runs, written_runs) in differing.items():
        out.append(_finding(ctx, i, (expected, written), (runs, written_runs), flagged.get(i)))
    return out


def _finding(
    ctx: Context,
    index: int,
    texts: tuple[str, str],
    italics: tuple[Spans, Spans],
    flagged: Finding | None,
) -> Finding:
    """The PC216 finding for one entry: ``texts`` are the rendering and the entry."""
    match = ctx.matches[index]
    assert match is not None  # only matched entries differ from a rendering
    key = match.key
    expected, written = texts
    runs, written_runs = italics
    location = ctx.entry_location(index)
    missing = _missing(expected, written)
    if missing:
        words = ", ".join(f"\u201c{w}\u201d" for w in missing[:4])
        return Finding(
            "PC216",
            f"differs from the rendering of @{key}, which lacks {words}",
            location=location,
            hint=_complete(ctx, index, key, missing),
        )
    if flagged is not None:
        return Finding(
            "PC216",
            f"differs from the rendering of @{key}, but that rendering would be reported "
            f"too ({flagged.code} {flagged.name}: {flagged.message})",
            location=location,
            hint=f"correct the record @{key} first"
            + (f" ({flagged.hint})" if flagged.hint else ""),
        )
    if _comparable(expected) == _comparable(written):
        message = (
            f"italics differ from the rendering of @{key}: APA sets "
            f"{_phrases(expected, runs)} in italics, the entry {_phrases(written, written_runs)}"
        )
    else:
        message = f"differs from the rendering of @{key}"
    if ctx.brief.format == "markdown":
        proposal = _as_markdown(expected, runs)
    elif runs and ctx.brief.format in ITALIC_FORMATS:
        proposal = f"{expected} (in italics: {_phrases(expected, runs)})"
    else:
        proposal = expected
    # The rendering replaces the entry where the brief's own markup can say all of it.
    fix = (
        ctx.entry_edit(index, (0, len(ctx.entries[index].text)), proposal)
        if ctx.brief.format == "markdown" or (ctx.brief.format == "text" and not runs)
        else ()
    )
    return Finding("PC216", message, location=location, hint=f"write: {proposal}", fix=fix)


def _complete(ctx: Context, index: int, key: str, missing: Sequence[str]) -> str:
    """How to complete a record whose rendering drops words the entry gives."""
    source = ctx.matched_source(index)
    folded = {w.casefold() for w in missing}
    if (
        source is not None
        and source.kind == "report"
        and source.number
        and source.effective_genre is None
        and "report" in folded
    ):
        return (
            f"@{key} has no genre, so APA prints its number alone "
            f"(\u201cNo. {source.number}\u201d): add \u201cgenre: Report\u201d to its record"
        )
    return (
        f"the record @{key} lacks what the entry gives: complete the record (or correct the "
        "entry), then check again"
    )


__all__ = ["ITALIC_FORMATS", "emphasis", "from_html", "reference_style"]
