"""Quotation marks in field values, set at the nesting level where they are printed.

CSL processors treat the quotation marks in a value as structure, not as characters
(citeproc-js's "flip-flop"): a title ``Central Asia after "the pandemic"`` prints the
pandemic in the locale's outer quotes (“…” in en-US, ‘…’ in en-GB), and inside a quoted
title (``quotes="true"``) in its inner ones; a straight single quote pair starts at the
inner level; quotes nested in quotes alternate. An apostrophe ("Russia's") is never a
quote: it is always ’, even where the locale's closing quote is the same character.

The level of a pair is known only when the value is rendered, inside or outside a quoted
element, and the locale's marks only at the layout. So values carry marker characters
(Unicode noncharacters, like the escapes of :mod:`.output`; they have no letter case, so
text-casing cannot touch them): :func:`mark_quotes` turns a value's quotes into markers,
:func:`quoted` sets the level of the markers inside a quoted element and wraps it in a
pair of its own, and :func:`resolve_table` gives the locale's marks for the layout to put
in their place.
"""

from __future__ import annotations

import re

#: Markers of data quotes whose level is not set yet: opening/closing x kind x depth.
#: kind 0: outer pair (straight "), 1: inner pair (straight '), 2: a literal “…” pair,
#: 3: a literal ‘…’ pair (printed as written unless a quoted element encloses it).
_FREE_BASE = 0xFDE0
#: Markers with a level set by an enclosing quoted element: open/close x outer/inner.
_SET_BASE = 0xFDDA
OPEN_OUTER, CLOSE_OUTER, OPEN_INNER, CLOSE_INNER = (chr(_SET_BASE + i) for i in range(4))

_LITERAL = {2: ("\u201c", "\u201d"), 3: ("\u2018", "\u2019")}
#: Every marker, for dropping from input (a value never carries one of its own).
MARKERS = frozenset(
    [chr(_FREE_BASE + i) for i in range(16)] + [chr(_SET_BASE + i) for i in range(4)]
)
#: The closing marks of quoted elements (quotes="true"): punctuation-in-quote moves a
#: comma or period inside them, never inside a value's own quotes (citeproc-js).
CLOSING = frozenset([CLOSE_OUTER, CLOSE_INNER])
#: Markers around text an element sets in its "normal" form (font-style="normal",
#: vertical-align="baseline" …): (opening, closing) per CSL attribute. Noncharacters of
#: the supplementary planes (U+1FFFE …). The layout keeps the formatting only inside an
#: element that sets the other form (citeproc-js: a "normal" decoration with no
#: decorated ancestor is dropped), see ``output.resolve_normals``.
NORMAL_ATTRIBUTES = (
    "font-style",
    "font-variant",
    "font-weight",
    "text-decoration",
    "vertical-align",
)
NORMALS: dict[str, tuple[str, str]] = {
    name: (chr(0x1FFFE + 0x10000 * i), chr(0x1FFFF + 0x10000 * i))
    for i, name in enumerate(NORMAL_ATTRIBUTES)
}
#: Put before a term a cs:text prints: a term that starts a citation or an entry is
#: capitalised there ("Ibid." at the start of a note; see ``fixes.layout.FirstTerm``).
TERM_START = "\ufdde"
_DROP: dict[int, None] = dict.fromkeys(
    [ord(m) for m in MARKERS]
    + [ord(TERM_START)]
    + [ord(c) for pair in NORMALS.values() for c in pair]
)

#: Any quotation mark or apostrophe a value's quotes are made of (one search a value).
_QUOTE = re.compile("[\"'\u201c\u201d\u2018\u2019]")
_OPENERS = {'"': 0, "'": 1, "\u201c": 2, "\u2018": 3}
_CLOSERS = {'"': (0,), "'": (1,), "\u201d": (2,), "\u2019": (3,)}
#: What may stand before an opening quote (and a quote that opened just before it).
_BEFORE_OPEN = "([{\u2014\u2013-/\u201c\u2018"


def _free(closing: bool, kind: int, depth: int) -> str:
    return chr(_FREE_BASE + (8 if closing else 0) + kind * 2 + depth % 2)


def drop_markers(text: str) -> str:
    """``text`` without marker characters (input never carries its own)."""
    return text.translate(_DROP)


def smart(char: str, before: str, after: str) -> str:
    """A lone straight quote or apostrophe as the typographic character citeproc-js prints."""
    if char in ("'", "\u2019"):
        opening = (before.isspace() or before in _BEFORE_OPEN) and not after.isdigit()
        return "\u2018" if opening and not before.isalnum() else "\u2019"
    if char == '"':
        return "\u201c" if before.isspace() or before in _BEFORE_OPEN else "\u201d"
    return char


def _neighbours(plain: str, index: int) -> tuple[str, str]:
    before = plain[index - 1] if index else " "
    after = plain[index + 1] if index + 1 < len(plain) else " "
    return before, after


def mark_quotes(pieces: list[str]) -> list[str]:
    """The text pieces of one value (markup between them) with quote pairs as markers.

    A quote opens after a space, the start or an opening bracket or quote and before a
    non-space; it closes a pair that is open. An apostrophe ("Russia's", "’90s") is ’;
    so is a single quote that pairs with nothing; a double one is left as it is, as
    citeproc-js leaves it.
    """
    text = "\x00".join(pieces)  # pieces are joined by a separator no value holds
    if _QUOTE.search(text) is None:
        return pieces
    # Markup between pieces is transparent: the neighbours of a quote are found past it.
    plain = text.replace("\x00", "")
    position = [0] * len(text)  # index in text -> index in plain
    count = 0
    for index, char in enumerate(text):
        position[index] = count
        count += char != "\x00"
    chars = list(text)
    stack: list[tuple[int, int]] = []  # (index, kind) of open quotes
    pairs: dict[int, tuple[bool, int, int]] = {}  # index -> (closing, kind, depth)
    for index, char in enumerate(chars):
        if char not in _OPENERS and char not in _CLOSERS:
            continue
        before, after = _neighbours(plain, position[index])
        if char in ("'", "\u2019") and before.isalnum() and after.isalnum():
            continue  # an apostrophe: Russia's
        kinds = _CLOSERS.get(char, ())
        if kinds and stack and stack[-1][1] in kinds and not before.isspace():
            start, kind = stack.pop()
            depth = len(stack)
            pairs[start] = (False, kind, depth)
            pairs[index] = (True, kind, depth)
            continue
        opened_before = bool(stack) and stack[-1][0] == index - 1
        may_open = before.isspace() or before in _BEFORE_OPEN or opened_before
        digit_after = char in "'\u2018" and after.isdigit()  # "’90s"
        if char in _OPENERS and may_open and not after.isspace() and not digit_after:
            stack.append((index, _OPENERS[char]))
    # The kind of quote that opens first (double or single) is the outer level; the other
    # kind is the inner one ('a "b" c' prints as “a ‘b’ c” in en-US, like "a 'b' c").
    first = min(pairs, default=None)
    outer_double = first is None or chars[first] in '"\u201c'
    for index, char in enumerate(chars):
        if index in pairs:
            closing, kind, depth = pairs[index]
            if kind < 2 and not outer_double:
                kind = 1 - kind
            chars[index] = _free(closing, kind, depth)
        elif char == "'":
            chars[index] = "\u2019"  # an apostrophe, or a quote that pairs with nothing
    return "".join(chars).split("\x00")


def _quoted_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for closing in (False, True):
        for kind in range(4):
            for depth in (0, 1):
                inner = depth == 0  # the first level inside a quoted element is inner
                if closing:
                    table[ord(_free(True, kind, depth))] = CLOSE_INNER if inner else CLOSE_OUTER
                else:
                    table[ord(_free(False, kind, depth))] = OPEN_INNER if inner else OPEN_OUTER
    table[ord(OPEN_OUTER)], table[ord(OPEN_INNER)] = OPEN_INNER, OPEN_OUTER
    table[ord(CLOSE_OUTER)], table[ord(CLOSE_INNER)] = CLOSE_INNER, CLOSE_OUTER
    return table


#: Inside a quoted element: free markers take their level, set ones go one level in.
QUOTED_TABLE = _quoted_table()


_ANY_MARKER = re.compile(f"[{_SET_BASE:c}-{_SET_BASE + 3:c}{_FREE_BASE:c}-{_FREE_BASE + 15:c}]")


def has_markers(text: str) -> bool:
    """Whether ``text`` holds any marker (most text does not: nothing to translate)."""
    return _ANY_MARKER.search(text) is not None


def resolve_table(outer: tuple[str, str], inner: tuple[str, str]) -> dict[int, str]:
    """Marker -> the locale's marks (``outer``, ``inner``: its open and close quotes)."""
    table: dict[int, str] = {
        ord(OPEN_OUTER): outer[0],
        ord(CLOSE_OUTER): outer[1],
        ord(OPEN_INNER): inner[0],
        ord(CLOSE_INNER): inner[1],
    }
    for kind in range(4):
        for depth in (0, 1):
            if kind in _LITERAL:
                opening, closing = _LITERAL[kind]
            else:
                # Straight pairs are written alternating ("…'…"…"…'…"): the kind is the level.
                opening, closing = (outer, inner)[kind]
            table[ord(_free(False, kind, depth))] = opening
            table[ord(_free(True, kind, depth))] = closing
    return table
