"""A term that opens a cite is capitalized ("Ibid.", "Ibid. p. 23"), as citeproc-js does.

citeproc-js capitalizes the first letter of a cs:text term when nothing was rendered
before it in the citation: the first cite of a note, or a cite whose prefix ends a
sentence ("He said so. Ibid."); never in the citations of an in-text style. A prefix
that does not end a sentence counts as rendered text ("see ibid."). citeproc-py prints
the term as the locale gives it ("ibid.").

Whether anything was rendered is a flag that the elements printing text set (cs:text,
cs:number, cs:label, cs:date, cs:names); the citation layout resets it at each cite
(:class:`~.collapse.CollapsingLayout`). The flag lives in one module-level object, as
citeproc-py renders one thing at a time.
"""

from __future__ import annotations

from typing import Any

# citeproc-js's CSL.TERMINAL_PUNCTUATION without the space.
_TERMINAL = frozenset(":.;!?")
# Stripped from the end of a prefix before its last character is tested.
_CLOSING = "\"'\u201d\u2019\u00bb\u202f\u00a0 "


class _State:
    __slots__ = ("active", "capitalize", "rendered", "text_variable")

    def __init__(self) -> None:
        self.active = False  # inside a cite of a citation
        self.capitalize = False  # a citation that capitalizes a leading term
        self.rendered = True
        # A cs:text of a variable (not locator, year-suffix, citation-number) was
        # reached: citeproc-js then no longer counts the cite as collapsed.
        self.text_variable = False


STATE = _State()


def start_cite(item: Any, first: bool, in_text: bool) -> None:
    """Reset the flags before a cite renders (``first``: the cite opens its citation)."""
    STATE.active = True
    STATE.capitalize = not in_text
    prefix = str(dict.get(item, "prefix") or "")
    # A later cite goes on from the cites before it.
    rendered = STATE.rendered if not first else False
    if prefix:
        test = prefix.rstrip(_CLOSING)
        ends_sentence = bool(test) and test[-1] in _TERMINAL and " " in prefix.strip()
        rendered = not ends_sentence
    STATE.rendered = rendered
    STATE.text_variable = False


def end_cite() -> None:
    """No capitalizing outside cites (bibliography entries, sort keys)."""
    STATE.active = False


class LeadTerm:
    """cs:text term: capitalized when it is the first thing a cite prints."""

    def _term(self, item: Any) -> Any:
        text = super()._term(item)
        if STATE.active and STATE.capitalize and not STATE.rendered and text:
            capitalize = getattr(text, "capitalize_first", None)
            text = capitalize() if capitalize is not None else text[0].upper() + text[1:]
        return text


_NOT_TEXT_VARIABLES = frozenset({"locator", "year-suffix", "citation-number"})
_KIND = "_policycite_text_variable"


def _is_text_variable(element: Any) -> bool:
    kind = element.__dict__.get(_KIND)
    if kind is None:
        variable = element.get("variable") if element.tag.endswith("}text") else None
        kind = element.__dict__[_KIND] = bool(variable) and variable not in _NOT_TEXT_VARIABLES
    return bool(kind)


class MarksRendered:
    """Elements that print text note that something was rendered.

    A cs:text of a variable also notes that it was reached, for collapsing.
    """

    def render(self, *args: Any, **kwargs: Any) -> Any:
        if STATE.active and _is_text_variable(self):
            STATE.text_variable = True
        text = super().render(*args, **kwargs)
        if text:
            STATE.rendered = True
        return text
