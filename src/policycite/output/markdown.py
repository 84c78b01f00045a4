"""Markdown markup in a brief's paragraph, as spans over its text, for the HTML report.

The report shows a Markdown brief rendered (emphasis, strong, code, links, headings,
block quotes, lists) while every offset of the brief's text stays where it was: the
checks' highlights are offsets into that text. So nothing is converted here: each
paragraph's markup is found as :class:`Markup` spans, *hidden* ones for the markup
characters ("**", "](https://…)", "# ", "> ", "- ") and *formatting* ones around the
words they format; the report wraps the text in tags accordingly, escaping all of it.
HTML written in the brief is never passed through (it stays visible text); comments
are hidden; images show their description and are never loaded.

A small subset of CommonMark, read per paragraph, without nesting of links in links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

#: Link targets that may become a link in the report; anything else stays text.
SAFE_HREF = re.compile(r"(?:https?:|mailto:)[^\s\"'<>`]*\Z", re.IGNORECASE)


@attrs.frozen
class Markup:
    """A span of a paragraph's text: ``hide`` (markup characters) or a formatting.

    ``kind`` is ``hide``, ``em``, ``strong``, ``code`` or ``link`` (``href`` then holds
    the target as written; it is checked against :data:`SAFE_HREF` before use).
    """

    start: int
    end: int
    kind: str
    href: str | None = None


@attrs.frozen
class ListItem:
    """One item of a Markdown list: where it starts, where its text starts, where it ends."""

    start: int
    text_start: int
    end: int


_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>", re.IGNORECASE)
_LINK = re.compile(
    r"(!?)\[(?=[^\]\s@^])([^\[\]]*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EM = re.compile(r"(\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1", re.DOTALL)
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*\Z")
_QUOTE_MARKER = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
_LIST_MARKER = re.compile(r"[ \t]{0,8}(?:[-*+]|(\d{1,9})[.)])[ \t]+(?=\S)")


def inline(text: str) -> list[Markup]:
    """The inline markup of ``text`` (one paragraph): code, links, emphasis, escapes."""
    found: list[Markup] = []
    # What emphasis must not look into (code, link targets, comments) is masked with a
    # letter of the same length, so that offsets and the flanking of "*" stay right.
    masked = list(text)
    taken = [False] * len(text)

    def protect(start: int, end: int) -> None:
        masked[start:end] = "x" * (end - start)
        taken[start:end] = [True] * (end - start)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    for match in _CODE.finditer(text):
        ticks = len(match.group(1))
        found += [
            Markup(match.start(), match.start() + ticks, "hide"),
            Markup(match.start() + ticks, match.end() - ticks, "code"),
            Markup(match.end() - ticks, match.end(), "hide"),
        ]
        protect(match.start(), match.end())
    for match in _COMMENT.finditer(text):
        if free(match.start(), match.end()):
            found.append(Markup(match.start(), match.end(), "hide"))
            protect(match.start(), match.end())
    for match in _AUTOLINK.finditer(text):
        if free(match.start(), match.end()):
            found += [
                Markup(match.start(), match.start() + 1, "hide"),
                Markup(match.start() + 1, match.end() - 1, "link", match.group(1)),
                Markup(match.end() - 1, match.end(), "hide"),
            ]
            protect(match.start(), match.end())
    for match in _LINK.finditer(text):
        if not free(match.start(), match.end()):
            continue
        image = bool(match.group(1))
        open_end, close_start = match.start(2), match.end(2)
        found.append(Markup(match.start(), open_end, "hide"))
        if not image:  # an image shows its description, as plain text
            found.append(Markup(open_end, close_start, "link", match.group(3)))
        found.append(Markup(close_start, match.end(), "hide"))
        protect(match.start(), open_end)
        protect(close_start, match.end())
    for match in _ESCAPE.finditer("".join(masked)):
        found.append(Markup(match.start(), match.start() + 1, "hide"))
        protect(match.start(), match.end())
    plain = "".join(masked)
    for pattern, kind in ((_STRONG, "strong"), (_EM, "em")):
        for match in pattern.finditer(plain):
            start, end = match.span()
            marker = len(match.group(1))
            if match.group(1)[0] == "_" and not _underscore_flanks(plain, start, end):
                continue
            found += [
                Markup(start, start + marker, "hide"),
                Markup(start + marker, end - marker, kind),
                Markup(end - marker, end, "hide"),
            ]
            protect(start, start + marker)
            protect(end - marker, end)
        plain = "".join(masked)
    return sorted(found, key=lambda m: (m.start, -m.end))


def _underscore_flanks(text: str, start: int, end: int) -> bool:
    """True when "_" emphasis may open and close here: never inside a word ("a_b_c")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def block(text: str, kind: str) -> list[Markup]:
    """The markup characters of a paragraph of ``kind`` (a heading, a block quote).

    An ATX heading's "# " and closing "#"s; the ">" markers on each line of a quote.
    """
    found = []
    if kind == "heading":
        opening = _HEADING.match(text)
        if opening and "#" in opening.group():
            found.append(Markup(0, opening.end(), "hide"))
            closing = _HEADING_CLOSE.search(text, opening.end())
            if closing:
                found.append(Markup(closing.start(), len(text), "hide"))
    elif kind == "blockquote":
        for match in _QUOTE_MARKER.finditer(text):
            if ">" in match.group() and (match.start() == 0 or text[match.start() - 1] == "\n"):
                found.append(Markup(match.start(), match.end(), "hide"))
    return found


def list_items(text: str) -> tuple[list[ListItem], int | None] | None:
    """The items of a paragraph that is a list, and the first number of an ordered one.

    None when the paragraph does not open with a list marker. A line without a marker
    continues the item above it.
    """
    first = _LIST_MARKER.match(text)
    if first is None:
        return None
    items: list[ListItem] = []
    position = 0
    for line in text.split("\n"):
        marker = _LIST_MARKER.match(line)
        end = position + len(line)
        if marker is not None:
            items.append(ListItem(position, position + marker.end(), end))
        elif items:
            items[-1] = attrs.evolve(items[-1], end=end)
        position = end + 1
    start = int(first.group(1)) if first.group(1) else None
    return items, start


def runs(text: str) -> list[tuple[str, frozenset[str]]]:
    """``text`` without its markup, as (text, formatting kinds) pieces in order.

    For text that is shown elsewhere than in the brief's flow (an unmatched reference in
    the corrected list): what is italic stays italic, what is code stays code.
    """
    spans = inline(text)
    hidden = [False] * len(text)
    styles: list[set[str]] = [set() for _ in text]
    for markup in spans:
        for index in range(markup.start, markup.end):
            if markup.kind == "hide":
                hidden[index] = True
            else:
                styles[index].add(markup.kind)
    out: list[tuple[str, frozenset[str]]] = []
    for index, char in enumerate(text):
        if hidden[index]:
            continue
        style = frozenset(styles[index])
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + char, style)
        else:
            out.append((char, style))
    return out


def shifted(spans: Iterable[Markup], offset: int, length: int) -> list[Markup]:
    """``spans`` moved by ``-offset`` and clipped to [0, length) (a list item's text)."""
    out = []
    for markup in spans:
        start, end = max(markup.start - offset, 0), min(markup.end - offset, length)
        if start < end:
            out.append(attrs.evolve(markup, start=start, end=end))
    return out


__all__ = ["SAFE_HREF", "ListItem", "Markup", "block", "inline", "list_items", "runs", "shifted"]
