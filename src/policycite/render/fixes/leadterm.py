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
    __slots__ = ("active", "capitalize", "last", "rendered", "text_variable")

    def __init__(self) -> None:
        self.active = False  # inside a cite of a citation
        self.capitalize = False  # a citation that capitalizes a leading term
        self.rendered = True
        # A cs:text of a variable (not locator, year-suffix, citation-number) was
        # reached: citeproc-js then no longer counts the cite as collapsed.
        self.text_variable = False
        # The element of a variable that printed last in the cite: whether a cite ends
        # in a number, for collapsing (collapse._trailing_number).
        self.last: Any = None


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
    STATE.last = None


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


_NOT_TEXT_VARIABLES = frozenset({"locator", "year-suffix", "citation-number", "citation-label"})
_KIND = "_policycite_text_variable"


def _is_text_variable(element: Any) -> bool:
    kind = element.__dict__.get(_KIND)
    if kind is None:
        variable = element.get("variable") if element.tag.endswith("}text") else None
        kind = element.__dict__[_KIND] = bool(variable) and variable not in _NOT_TEXT_VARIABLES
    return bool(kind)


_CSL = "{http://purl.org/net/xbiblio/csl}"
_IN_CITATION = "_policycite_citation_elements"
_PLAIN = "_policycite_plain_render"
_TEXT_VARIABLE = "_policycite_marks_text_variable"  # None: no citation renders it


def _citation_elements(root: Any) -> frozenset[int]:
    """The elements a citation can render: under cs:citation or in a macro it calls."""
    elements = root.__dict__.get(_IN_CITATION)
    if elements is not None:
        return elements  # type: ignore[no-any-return]
    macros = {m.get("name"): m for m in root.iterchildren(f"{_CSL}macro")}
    found: set[int] = set()
    todo = [root.find(f"{_CSL}citation")]
    seen: set[str] = set()
    while todo:
        top = todo.pop()
        if top is None:
            continue
        for element in top.iter():
            found.add(id(element))
            name = element.get("macro")
            if name and name not in seen and name in macros:
                seen.add(name)
                todo.append(macros[name])
    elements = root.__dict__[_IN_CITATION] = frozenset(found)
    # Every other element renders as citeproc-py does, without this fix's frame: a group
    # that plans its children now keeps their plain render.
    for element in root.iter():
        if id(element) not in elements and isinstance(element, MarksRendered):
            plain = super(MarksRendered, element).render
            element.__dict__[_PLAIN] = element.__dict__["render"] = plain
            element.__dict__[_TEXT_VARIABLE] = None
    return elements


class MarksRendered:
    """Elements that print text note that something was rendered.

    A cs:text of a variable also notes that it was reached, for collapsing. Elements no
    citation renders (the bibliography's own) skip this from their first render on.
    """

    def render(self, *args: Any, **kwargs: Any) -> Any:
        state = self.__dict__
        plain = state.get(_PLAIN)
        if plain is None:
            # The next render in the MRO, bound to this element; an element no citation
            # renders uses it directly from now on (groups keep a child's bound render,
            # so this method may still be called).
            plain = state[_PLAIN] = super().render
            if id(self) not in _citation_elements(self.get_root()):
                state["render"] = plain
                state[_TEXT_VARIABLE] = None
            else:
                state[_TEXT_VARIABLE] = _is_text_variable(self)
        if not STATE.active:  # a bibliography entry, a sort key
            return plain(*args, **kwargs)
        marks = state[_TEXT_VARIABLE]
        if marks is None:
            return plain(*args, **kwargs)
        if marks:
            STATE.text_variable = True
        text = plain(*args, **kwargs)
        if text:
            STATE.rendered = True
            # Only a variable's output: a group drops a term or label it printed
            # when none of its variables printed.
            if "variable" in self.attrib and not self.tag.endswith("}label"):
                STATE.last = self
        return text
