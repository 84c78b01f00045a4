"""Parentheses inside parentheses in a note's citation print as brackets (citeproc-js).

In a note style citeproc-js 2.4.63 passes the affixes of every output level of a
citation (``CSL.checkNestedBrace``: groups, macros called by cs:text, dates, names) through
one counter of open parentheses (also cs:number and a cs:text of a number variable
such as volume or locator), in the order the levels open and close: an opening
"(" at odd depth becomes "[", a closing ")" at even depth (before it closes) "]". Chicago
notes print "(Meridian Books, 2018; originally published as Commerce, Ports et Pouvoir
[2011])" where citeproc-py keeps "(2011)". The affixes of other cs:text elements and of
cs:label are not levels and are not counted (so a lone ")" suffix of a group
after a cs:text prefix "(" becomes "]", as citeproc-js prints it). The counter starts at
zero for each citation; bibliographies are left alone.

Groups, macro calls and number variables other than the locator take their prefix
when they start to render and their suffix when they end, whether or not they print;
dates, names, cs:number and the locator (whose children hold no counted parentheses in
practice) take both when they print.
"""

from __future__ import annotations

from typing import Any

_CSL = "{http://purl.org/net/xbiblio/csl}"
_AFFIXES = "_policycite_affixes"  # punctuation.SeamPunctuation's cache of the affixes
_PENDING = "_policycite_brace_prefix"
#: cs:text variables citeproc-js prints as a number field, a level of their own
#: (CSL.Util.outputNumericField), as it prints cs:number.
NUMBER_FIELDS = frozenset(
    {
        "locator",
        "locator-extra",
        "page",
        "page-first",
        "chapter-number",
        "collection-number",
        "edition",
        "issue",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "volume",
    }
)
_PRINTED_LEVELS = frozenset({f"{_CSL}date", f"{_CSL}names", f"{_CSL}name", f"{_CSL}number"})


class _Counter:
    """The open parentheses of the citation being rendered (None: not counting)."""

    __slots__ = ("depth",)

    def __init__(self) -> None:
        self.depth: int | None = None

    def update(self, affix: str) -> str:
        """``affix`` with its parentheses flipped where nested (CSL.checkNestedBrace.update)."""
        if self.depth is None or ("(" not in affix and ")" not in affix):
            return affix
        out: list[str] = []
        depth = self.depth
        for char in affix:
            printed = char
            if char == "(":
                if _js_odd(depth):
                    printed = "["
                depth += 1
            elif char == ")":
                if _js_even(depth):
                    printed = "]"
                depth -= 1
            out.append(printed)
        self.depth = depth
        return "".join(out)


def _js_odd(depth: int) -> bool:
    # JavaScript's remainder keeps the sign: -1 % 2 is -1, never 1.
    return depth > 0 and depth % 2 == 1


def _js_even(depth: int) -> bool:
    return depth % 2 == 0  # -2 % 2 and 2 % 2 are 0 in both languages


COUNTER = _Counter()


def has_parentheses(element: Any) -> bool:
    """Whether an element's own affixes hold a parenthesis: nested-braces acts on no other."""
    prefix, suffix = _affixes(element)
    return "(" in prefix + suffix or ")" in prefix + suffix


class NestedBraceCitation:
    """cs:layout: a note style's citation counts its parentheses from zero."""

    def render_citation(self, citation: Any, callback: Any) -> Any:
        note = self.__dict__.get("_policycite_note_class")
        if note is None:
            note = self.__dict__["_policycite_note_class"] = self.get_root().get("class") == "note"
        if not note:
            return super().render_citation(citation, callback)
        outer = COUNTER.depth
        COUNTER.depth = 0
        try:
            return super().render_citation(citation, callback)
        finally:
            COUNTER.depth = outer


def _affixes(element: Any) -> tuple[str, str]:
    return str(element.get("prefix", "")), str(element.get("suffix", ""))


class NestedBraces:
    """Levels (cs:group, cs:text macro=, cs:date, cs:names, cs:name, numbers)."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        if COUNTER.depth is None or not self._brace_level_opens():
            return super().render(*args, **kwargs)
        prefix, suffix = _affixes(self)
        if "(" not in prefix + suffix and ")" not in prefix + suffix:
            return super().render(*args, **kwargs)
        pending = self.__dict__.setdefault(_PENDING, [])
        pending.append(COUNTER.update(prefix))
        depth = len(pending)
        try:
            return super().render(*args, **kwargs)
        finally:
            if len(pending) >= depth:  # not wrapped: the level closes all the same
                del pending[depth - 1 :]
                COUNTER.update(suffix)

    def _brace_level_opens(self) -> bool:
        """A level that opens whenever it is reached, printing or not.

        A group or a macro call (its level opens before its children render), and a
        cs:text of a number variable other than the locator (citeproc-js opens its
        number field without testing the variable).
        """
        tag = self.tag
        if tag == f"{_CSL}group":
            return True
        if tag != f"{_CSL}text":
            return False
        if self.get("macro") is not None:
            return True
        variable = self.get("variable")
        return variable in NUMBER_FIELDS and not variable.startswith("locator")

    def wrap(self, string: Any) -> Any:
        if string is None or COUNTER.depth is None:
            return super().wrap(string)
        prefix, suffix = _affixes(self)
        if "(" not in prefix + suffix and ")" not in prefix + suffix:
            return super().wrap(string)
        pending = self.__dict__.get(_PENDING)
        if self._brace_level_opens():
            if not pending:
                return super().wrap(string)
            prefix = pending.pop()
        elif self.tag in _PRINTED_LEVELS or (
            self.tag == f"{_CSL}text" and self.get("variable") in NUMBER_FIELDS
        ):
            prefix = COUNTER.update(prefix)
        else:
            return super().wrap(string)  # not a level: its affixes are not counted
        suffix = COUNTER.update(suffix)
        state = self.__dict__
        cached = state.get(_AFFIXES)
        display = self.get("display") if getattr(self, "displays", False) else None
        state[_AFFIXES] = (prefix, suffix, display)
        try:
            return super().wrap(string)
        finally:
            if cached is None:
                state.pop(_AFFIXES, None)
            else:
                state[_AFFIXES] = cached
