"""Speed: a group or macro that printed nothing for an item prints nothing for the next alike.

About a third of an APA entry's render time went to groups and macros that end up
printing nothing: the "identifier", "publication-history" and "title-volume" macros of
most items, "label-locator" and "date-original-year" in every cite the disambiguation
renders, each walking its cs:choose branches, macros and groups down to variables the
item does not have.

Whether such a subtree (its macros included) prints, and what it tells the groups
around it, is decided by the item's type and by which of the variables it reads are
set, as long as it reads nothing else:

* variables it tests for presence (cs:if variable=) and plain variables it prints (a
  cs:text of a variable, a cs:names role): a plain value that is set prints once its
  element is reached, so a subtree that printed nothing never reached it;
* variables whose value matters for more than being set (dates, numbers, labels,
  is-numeric and is-uncertain-date tests, the cite's locator, a cs:text under
  strip-periods, page numbers): the outcome is only kept for items without them;
* inside a cite, the two flags of :mod:`.leadterm` that terms read and elements set.

That is the *key*. The first render of a key is watched; if it printed nothing, later
renders of the key replay what it did instead of rendering:

* the enclosing group's flags (:mod:`.groups`): the subtree, a group or macro of its own,
  either tells its parent that it printed (``success``) or hands up its ``attempt``;
* inside a cite, the marks-rendered flags (``rendered``, ``text_variable``);
* the :data:`.groups.SUBSTITUTED` flag its last cs:names left;
* None returned, or VariableError raised (a suppressed cs:group).

A render that printed something marks the key as printing, and renders of it go on as
before. Subtrees that read anything else are never memoised: positions, the disambiguate
condition, citation numbers and labels, a collapsing cite's year suffix. Neither are
renders of sort keys (their names options and zero counts) or of note citations
counting parentheses (:mod:`.braces`); renders of a subtree holding a cs:names while a
cs:names fix has state pending (:mod:`.absentnames`) or a cite's author is still to be
captured for collapsing (:mod:`.collapse`: the first cs:names captures it, even empty);
renders with a plain variable set while the entry has variables repressed (a substitute
printed them: a set variable may then print nothing), or with a plain value that is
empty.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from citeproc import model

from policycite.render.fixes import absentnames, braces, collapse, groups
from policycite.render.fixes.disambiguation import YEAR_SUFFIX
from policycite.render.fixes.leadterm import STATE as LEAD

_CSL = "{http://purl.org/net/xbiblio/csl}"
_PLAN = "_policycite_empty_plan"
_READS = "_policycite_empty_reads"
_MACROS = "_policycite_macros_by_name"
#: A macro being walked (see _macro_reads).
_CALLING = object()
_OUTCOMES = "_policycite_empty_outcomes"
#: The cite's locator, read from the citation item rather than the reference.
LOCATOR = "locator"
#: An outcome that printed: the key renders as before.
_PRINTS = object()

#: Variables that depend on the citation or the disambiguation, not on the item's fields.
#: (Not the year suffix: the disambiguation stores it on the reference, read like a
#: field; only a collapsing cite reads more, see _key.)
_DYNAMIC_VARIABLES = frozenset(
    {
        "citation-number",
        "citation-label",
        "first-reference-note-number",
        "locator-extra",
        "hereinafter",
        "citation-key",
    }
)
#: The attributes of cs:if that test the item alone: its type, which variables are set,
#: a value's shape (variables the subtree must lack) and the locator's label.
_ITEM_TESTS = frozenset({"type", "variable", "is-numeric", "is-uncertain-date", "locator", "match"})
#: Elements that read no variable of their own (their children do).
_STRUCTURE = frozenset(
    {
        "group",
        "choose",
        "else",
        "substitute",
        "name",
        "name-part",
        "et-al",
        "date-part",
        "macro",
    }
)


class Plan:
    """What a subtree reads of an item (reference keys), and whether it holds a cs:names."""

    __slots__ = (
        "hint",
        "keys",
        "locator_strict",
        "locator_tested",
        "names",
        "plain",
        "strict",
        "suffixed",
    )

    def __init__(self, strict: set[str], plain: set[str], tested: set[str], names: bool) -> None:
        #: Variables whose value matters: the outcome is only kept for items without them.
        self.strict = frozenset(strict - {LOCATOR})
        #: Plain variables it prints: an empty value of one is not kept either.
        self.plain = frozenset(plain - strict)
        #: Every variable read: which of them are set is part of the key.
        self.keys = frozenset((strict | plain | tested) - {LOCATOR})
        self.locator_strict = LOCATOR in strict
        self.locator_tested = LOCATOR in tested and LOCATOR not in strict
        #: Whether it holds a cs:names (SUBSTITUTED, the cs:names fixes' pending state).
        self.names = names
        #: Whether it reads the year suffix the disambiguation stores on the reference.
        self.suffixed = YEAR_SUFFIX in self.keys
        #: The strict variable an item had last: tested first (a subtree most items
        #: print, such as a date's, is then ruled out with one lookup).
        self.hint = ""


def _keys(variable: str) -> set[str]:
    """The reference keys a variable may be stored under (citeproc-py: "_" for "-")."""
    return {variable, variable.replace("-", "_")}


def _read_keys(variable: str, *, short: bool = False) -> set[str]:
    """The keys a variable is read from: its short form's too, and a short form's base."""
    keys = _keys(variable)
    if short:
        keys |= _keys(f"{variable}-short")
    if variable.endswith("-short"):
        keys |= _keys(variable.removesuffix("-short"))
    if variable == "page-first":  # derived from the page (see fixes.conditions)
        keys |= _keys("page")
    return keys


def plan_of(element: Any) -> Plan | None:
    """The plan of a cs:group or cs:macro, or None when its outcome is never memoised."""
    state = element.__dict__
    if _PLAN not in state:
        state[_PLAN] = _plan(element)
    plan: Plan | None = state[_PLAN]
    return plan


def applies(element: Any) -> bool:
    """Whether a cs:group or cs:macro reads nothing but the item's type and variables.

    A group that is all its macro or group holds is decided there: its key would be the
    same, tested again.
    """
    parent = element.getparent()
    if (
        element.tag == f"{_CSL}group"
        and parent is not None
        and parent.tag in (f"{_CSL}group", f"{_CSL}macro")
        and sum(1 for child in parent.iterchildren() if isinstance(child.tag, str)) == 1
    ):
        return False
    return plan_of(element) is not None


def _plan(element: Any) -> Plan | None:
    reads = _reads(element, _macros(element.getroottree().getroot()))
    if reads is None or reads is _CALLING:
        return None
    return Plan(set(reads.strict), set(reads.plain), set(reads.tested), reads.names)


class _Reads(NamedTuple):
    """What a subtree reads of an item (see :class:`Plan`)."""

    strict: frozenset[str]
    plain: frozenset[str]
    tested: frozenset[str]
    names: bool


def _macros(root: Any) -> dict[str, Any]:
    """The style's macros by name (looked up once per style)."""
    macros: dict[str, Any] | None = root.__dict__.get(_MACROS)
    if macros is None:
        macros = root.__dict__[_MACROS] = {
            m.get("name"): m for m in root.iterchildren(f"{_CSL}macro")
        }
    return macros


def _macro_reads(name: str, macros: dict[str, Any]) -> _Reads | None:
    """What a macro reads (None: it reads more, or calls itself)."""
    macro = macros.get(name)
    if macro is None:
        return None
    found = _reads(macro, macros)
    return None if found is _CALLING else found


def _reads(element: Any, macros: dict[str, Any]) -> Any:
    """What ``element``'s subtree reads; None if it reads anything but the item's fields.

    Worked out once per element (a group's is its children's, a macro's is read by every
    element that calls it); _CALLING while it is worked out (a macro calling itself).
    """
    state = element.__dict__
    if _READS not in state:
        state[_READS] = _CALLING
        state[_READS] = _walk(element, macros)
    return state[_READS]


def _walk(element: Any, macros: dict[str, Any]) -> _Reads | None:
    tag = element.tag[len(_CSL) :] if isinstance(element.tag, str) else ""
    if not isinstance(element.tag, str) or not element.tag.startswith(_CSL):
        return None
    strict: set[str] = set()
    plain: set[str] = set()
    tested: set[str] = set()
    names = tag == "names"
    found: list[_Reads | None] = []
    variable = element.get("variable")
    if tag in ("if", "else-if"):
        if not _condition(element.attrib, strict, tested):
            return None
    elif tag == "text" and variable is None:
        name = element.get("macro")
        if name is not None:  # else a term or a value
            found.append(_macro_reads(name, macros))
    elif tag == "label" and variable is None and element.getparent().tag == f"{_CSL}names":
        pass  # the role label of its cs:names, whose variables are read there
    elif tag not in _STRUCTURE:
        if tag not in ("text", "number", "date", "names", "label") or variable is None:
            return None
        if not _variables(element, tag, variable.split(), strict, plain):
            return None
    found += (_reads(child, macros) for child in element.iterchildren())
    for reads in found:
        if reads is None or reads is _CALLING:
            return None
        strict |= reads.strict
        plain |= reads.plain
        tested |= reads.tested
        names = names or reads.names
    return _Reads(frozenset(strict), frozenset(plain), frozenset(tested), names)


def _condition(attrib: Any, strict: set[str], tested: set[str]) -> bool:
    """Add what a cs:if reads; False for a test of anything but the item's fields."""
    if not set(attrib) <= _ITEM_TESTS:
        return False  # position, disambiguate, or a test unknown here
    for variable in attrib.get("variable", "").split():
        if variable in _DYNAMIC_VARIABLES:
            return False
        tested |= {LOCATOR} if variable == LOCATOR else _read_keys(variable)
    for test in ("is-numeric", "is-uncertain-date"):
        for variable in attrib.get(test, "").split():
            if variable in _DYNAMIC_VARIABLES:
                return False
            strict |= {LOCATOR} if variable == LOCATOR else _read_keys(variable)
    if "locator" in attrib:
        strict.add(LOCATOR)
    return True


def _variables(
    node: Any, tag: str, variables: list[str], strict: set[str], plain: set[str]
) -> bool:
    """Add the variables an element prints; False for one the item does not hold."""
    is_plain = (tag == "text" and node.get("strip-periods") is None) or tag == "names"
    for variable in variables:
        if variable in _DYNAMIC_VARIABLES:
            return False
        if variable == LOCATOR:
            # A locator label with no locator prints the page's (fixes.conditions).
            strict |= {LOCATOR, *_read_keys("page")}
            continue
        keys = _read_keys(variable, short=node.get("form") == "short")
        if is_plain and not variable.startswith("page"):
            plain |= keys
        else:
            strict |= keys
    return True


class EmptyOutcomes:
    """cs:group, cs:macro: an outcome that printed nothing replayed for items alike."""

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # Sort keys (their options reach names) and counted parentheses render as before.
        if kwargs.get("sort_options") is not None or braces.COUNTER.depth is not None:
            return super().render(item, context, **kwargs)
        plan = plan_of(self)
        key = None if plan is None else self._key(plan, item, context)
        if plan is None or key is None:
            return super().render(item, context, **kwargs)
        outcomes = self.__dict__.get(_OUTCOMES)
        if outcomes is None:
            outcomes = self.__dict__[_OUTCOMES] = {}
        outcome = outcomes.get(key)
        if outcome is _PRINTS:
            return super().render(item, context, **kwargs)
        if outcome is None:
            return self._watched(
                item, context, kwargs, outcomes=outcomes, key=key, names=plan.names
            )
        raised, effect, rendered, text_variable, substituted = outcome
        stack = groups.STACK
        stack[-1] = _replayed(stack[-1], effect)
        if key[3] is not None:
            LEAD.rendered, LEAD.text_variable = rendered, text_variable
        if substituted is not None:
            groups.SUBSTITUTED[0] = substituted
        if raised:
            raise model.VariableError
        return None

    def _key(self, plan: Plan, item: Any, context: Any) -> tuple[Any, ...] | None:
        """The key of the item's outcome; None when it is not kept (see the module)."""
        reference = item.reference
        if plan.hint in reference:
            return None
        if plan.suffixed and collapse.YEARS.get() is not None:
            return None  # a collapsing cite prints a suffix by the years before it
        # Set operations on the reference's keys: no Python loop over the variables.
        present = reference.keys() & plan.keys
        if not present:
            plain = False
        elif not present.isdisjoint(plan.strict):
            plan.hint = next(iter(present & plan.strict))
            return None
        else:
            plain = False
            for variable in present:
                if variable in plan.plain:
                    if not reference[variable]:
                        return None  # an empty value may print nothing where it is reached
                    plain = True
        locator = LOCATOR in item
        if locator and plan.locator_strict:
            return None
        if plan.names or plain:
            try:
                layout = (context if context is not None else self).get_layout()
            except IndexError:  # outside a layout: no state to act on
                layout = None
            if layout is not None and (
                (plan.names and _names_pending(layout.__dict__)) or (plain and layout.repressed)
            ):
                return None
        lead = (LEAD.rendered, LEAD.text_variable) if LEAD.active else None
        return (
            dict.get(reference, "type"),
            frozenset(present),
            locator and plan.locator_tested,
            lead,
        )

    def _watched(
        self,
        item: Any,
        context: Any,
        kwargs: dict[str, Any],
        *,
        outcomes: dict[Any, Any],
        key: Any,
        names: bool,
    ) -> Any:
        """The first render of a key: its outcome kept when it printed nothing."""
        raised, text, effect = on_clear_frame(
            functools.partial(super().render, item, context, **kwargs)
        )
        if text is not None:
            outcomes[key] = _PRINTS
            return text
        active = LEAD.active  # outside cites the marks-rendered flags are not kept
        outcomes[key] = (
            raised,
            effect,
            LEAD.rendered if active else None,
            LEAD.text_variable if active else None,
            groups.SUBSTITUTED[0] if names else None,
        )
        if raised:
            raise model.VariableError
        return None


def on_clear_frame(
    render: Callable[[], Any], after: Callable[[int, int], int] | None = None
) -> tuple[bool, Any, int]:
    """``render()`` on a clear frame of the group stack: (raised, text, effect).

    What the render sets on a clear frame is its effect on any frame: the enclosing
    group's frame then takes ``after(outer, effect)`` (default: a group or macro's, see
    _replayed). VariableError is caught (``raised``); anything else leaves the frame as
    the render left it, the outer flags added.
    """
    stack = groups.STACK
    depth = len(stack)
    outer = stack[depth - 1]
    stack[depth - 1] = 0
    raised = False
    try:
        text = render()
    except model.VariableError:
        raised = True
        text = None
    except BaseException:
        stack[depth - 1] |= outer
        raise
    effect = stack[depth - 1]
    stack[depth - 1] = (after or _replayed)(outer, effect)
    return raised, text, effect


def _names_pending(state: dict[str, Any]) -> bool:
    """Whether a cs:names rendered now may act on the layout's state, printing or not.

    The cs:names fixes' state (absentnames.pending), and a cite's author still to be
    captured for collapsing: the first cs:names that renders captures it, even empty.
    """
    return absentnames.pending(state) or state.get(collapse.CAPTURE, ...) is None


def _replayed(flags: int, effect: int) -> int:
    """The parent's flags after a group or macro with this effect on a clear frame.

    A group or macro that printed (or is kept printing nothing) adds ``success``; one
    suppressed hands up its ``attempt`` in place of the parent's (see :mod:`.groups`).
    """
    if effect & groups.SUCCESS:
        return flags | groups.SUCCESS
    return (flags & ~groups.ATTEMPT) | effect
