"""Parse a quotation as a brief gives it into literal pieces and the gaps between them.

A quotation may leave words out or put words in; the search must look for what the
writer claims the source says, and nothing else. The rules, in order:

1. Surrounding whitespace and the outer quotation marks are stripped: ``"…"``, ``“…”``,
   ``„…“``, ``«…»``, ``»…«`` (each end on its own, as a writer may keep only one), and
   single marks ``'…'``, ``‘…’`` only when both ends have one (a lone trailing ``'`` may
   be a possessive).
2. An ellipsis (``…``, ``...``, ``. . .``, also bracketed ``[…]``/``[...]``) is a *gap*
   of up to :data:`ELLIPSIS_GAP` characters of source text. A four-dot ellipsis
   (``end. . . . Next``) keeps its first dot with the words before it. Gaps at the very
   start or end say nothing and are dropped.
3. ``[T]he``: brackets around one or two letters (a changed capital, an added ``s``)
   keep the letters, which are then compared as case-insensitively as everything else.
4. ``[sic]``, ``[sic!]``, ``[emphasis added]``, ``[italics added]``, ``[emphasis in
   original]``, ``[emphasis mine]``, ``[original emphasis]`` are the writer's comments:
   dropped.
5. Any other bracket (``[the Alliance]``) replaces source words: a wildcard gap of up to
   ``max(40, 3 * len(bracket))`` characters (or nothing: it may be an insertion).
6. A trailing ``.``, ``,``, ``;`` or ``:`` of the whole quotation is not compared:
   American style puts them inside the closing quotation mark whatever the source has.
   ``?`` and ``!`` are kept (they change the meaning).

Literal pieces keep the writer's text (for diffs) and carry its normalised form
(:mod:`.normalize`) for the search.
"""

from __future__ import annotations

import re

import attrs

from policycite.anchors.normalize import normalized

#: How much source text an ellipsis may stand for (characters, normalised).
ELLIPSIS_GAP = 2000
#: The least a bracketed replacement may stand for; longer brackets allow three times their length.
BRACKET_GAP_MIN = 40

_DOUBLE_OPEN = '"\u201c\u201e\u00ab\u00bb\u201f'
_DOUBLE_CLOSE = '"\u201d\u201c\u00bb\u00ab'
_SINGLE_PAIRS = {"'": "'", "\u2018": "\u2019", "\u201a": "\u2018", "\u2039": "\u203a"}
_COMMENTS = frozenset(
    {
        "sic",
        "sic!",
        "emphasis added",
        "italics added",
        "emphasis in original",
        "emphasis mine",
        "original emphasis",
    }
)
# One pass over the quotation: an ellipsis (optionally bracketed, optionally the fourth
# dot of a sentence end first) or any bracket.
_TOKEN_RE = re.compile(
    r"(?P<dot4>(?<=\w)\.(?=\s?\.\s?\.\s?\.))"
    r"|\s*(?P<ellipsis>\[\s*(?:\u2026|\.\s?\.\s?\.)\s*\]|\u2026|\.\s?\.\s?\.)\s*"
    r"|(?P<bracket>\[(?P<inner>[^\[\]]*)\])"
)
_LETTERS_RE = re.compile(r"[^\W\d_]{1,2}")
_TRAILING_RE = re.compile(r"[.,;:]+$")
_SPACE_RE = re.compile(r"\s+")


@attrs.frozen
class Literal:
    """Words the quotation claims the source has, in this order.

    ``text`` is the writer's text (markers removed), ``norm`` its normalised form.
    """

    text: str
    norm: str


@attrs.frozen
class Gap:
    """Source text the quotation leaves out or replaces: up to ``max_chars`` characters.

    ``text`` is what the quotation has there (``…``, ``[the Alliance]``); ``wildcard``
    is True for a bracket (it replaces words) and False for an ellipsis (it omits them).
    """

    max_chars: int
    text: str
    wildcard: bool = False


@attrs.frozen
class ParsedQuote:
    """A quotation split into literal pieces and gaps.

    ``parts`` starts and ends with a literal and alternates literal, gap, literal.
    """

    raw: str
    body: str  # the quotation without its outer quotation marks
    parts: tuple[Literal | Gap, ...]

    @property
    def literals(self) -> tuple[Literal, ...]:
        """The literal pieces, in order."""
        return tuple(p for p in self.parts if isinstance(p, Literal))

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """The gaps between consecutive literals, in order."""
        return tuple(p for p in self.parts if isinstance(p, Gap))


def strip_quotation_marks(quote: str) -> str:
    """The quotation without surrounding whitespace and outer quotation marks."""
    text = quote.strip()
    if len(text) >= 2 and text[0] in _SINGLE_PAIRS and text[-1] == _SINGLE_PAIRS[text[0]]:
        return text[1:-1].strip()
    if text and text[0] in _DOUBLE_OPEN:
        text = text[1:]
    if text and text[-1] in _DOUBLE_CLOSE:
        text = text[:-1]
    return text.strip()


def _literal(text: str) -> Literal | None:
    text = _SPACE_RE.sub(" ", text).strip()
    norm = normalized(text).strip()
    return Literal(text, norm) if norm else None


def parse_quote(quote: str) -> ParsedQuote:
    """A quotation's literal pieces and gaps under the rules of this module."""
    body = strip_quotation_marks(quote)
    parts: list[Literal | Gap] = []
    pending: list[str] = []
    gap: Gap | None = None

    def flush() -> None:
        nonlocal gap
        lit = _literal("".join(pending))
        pending.clear()
        if lit is None:
            return
        if gap is not None and parts:
            parts.append(gap)
        gap = None
        parts.append(lit)

    def add_gap(new: Gap) -> None:
        nonlocal gap
        flush()
        if gap is None:
            gap = new
        else:  # two gaps in a row ("[…] [the Council]") allow the sum
            gap = Gap(gap.max_chars + new.max_chars, f"{gap.text} {new.text}", gap.wildcard)

    prev = 0
    for match in _TOKEN_RE.finditer(body):
        pending.append(body[prev : match.start()])
        prev = match.end()
        if match["dot4"]:
            pending.append(".")
        elif match["ellipsis"]:
            add_gap(Gap(ELLIPSIS_GAP, match["ellipsis"]))
        else:
            inner = match["inner"].strip()
            if _LETTERS_RE.fullmatch(inner):
                pending.append(inner)
            elif inner.casefold() in _COMMENTS:
                pending.append(" ")
            else:
                size = max(BRACKET_GAP_MIN, 3 * len(match["bracket"]))
                add_gap(Gap(size, match["bracket"], wildcard=True))
    pending.append(body[prev:])
    flush()
    if parts and isinstance(last := parts[-1], Literal):
        trimmed = _literal(_TRAILING_RE.sub("", last.text))
        if trimmed is not None:
            parts[-1] = trimmed
    return ParsedQuote(quote, body, tuple(parts))


def literal_quote(text: str) -> ParsedQuote:
    """A source text to search as it is (no ellipses or brackets read into it)."""
    lit = _literal(text)
    return ParsedQuote(text, text, (lit,) if lit else ())


__all__ = [
    "BRACKET_GAP_MIN",
    "ELLIPSIS_GAP",
    "Gap",
    "Literal",
    "ParsedQuote",
    "literal_quote",
    "parse_quote",
    "strip_quotation_marks",
]
