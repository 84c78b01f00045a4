"""Group suppression as citeproc-js does it: by what printed, with macros as groups.

CSL suppresses a ``cs:group`` that calls variables when all of them are empty, and CSL
1.0.2 makes a macro called by ``cs:text`` an implicit group. citeproc-py decides the
first statically (it asks each child of a group whether its subtree *mentions* a
variable) and has no implicit groups at all, so a macro's terms print without its
variables: "moorings”, in , (Port of Selwyn)." where citeproc-js (the reference) prints
"moorings”, (Port of Selwyn).". citeproc-js keeps three flags for each group being
rendered, set by the elements inside it as they render:

* ``attempt``: a variable was asked for and was empty;
* ``success``: a variable printed (a nested group or macro that printed counts as one);
* ``term``: a term, a ``text value`` or a label printed.

A group prints when ``success or (term and not attempt)``. A suppressed group hands its
``attempt`` flag up to the enclosing group (it replaces the parent's, as citeproc-js
does). cs:choose is transparent: its branch's children set the flags of the enclosing
group, and a branch not taken sets none.

Leaves are not wrapped (that would cost a call for every rendered text): the flags are
set by the loops that render the children of a group, a macro or a branch, which see
each child's output and know, once per element, what kind of child it is. The open
groups are a stack of small ints in this module, as citeproc-py renders one thing at a
time (see also :mod:`.leadterm`).
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.string import MixedString, String

from policycite.render.fixes import leadterm
from policycite.render.fixes.caching import CachedFormatting
from policycite.render.fixes.leadterm import STATE as LEAD
from policycite.render.fixes.punctuation import SeamPunctuation, lifted

# The flags of one open group.
ATTEMPT, SUCCESS, TERM = 1, 2, 4
#: The flags of the open groups, innermost last. The bottom entry stands for the layout
#: (never read): a choose or a macro in the layout itself sets or hands up flags there.
STACK: list[int] = [0]

# What a child tells the group it renders in, worked out once per element: the flags
# it sets when it printed something, and when it printed nothing.
_VARIABLE = (SUCCESS, ATTEMPT)
_TERM = (TERM, 0)
# citeproc-js counts these as printed whether or not they print anything.
_ALWAYS = (SUCCESS, SUCCESS)
_ALWAYS_PRINTED = frozenset({"year-suffix", "citation-number", "citation-label"})
# A macro, a group of its own (ImplicitGroup), has told the group already; a macro
# rendered some other way (a date macro's sort key, see sorting.DateMacroKeys) has not,
# and what it printed counts as printed.
_MACRO = (SUCCESS, 0)
# A cs:group sets its parent's flags itself; a cs:choose's branch sets them for it.
_SILENT = (0, 0)
#: A cs:names whose cs:substitute may print a term: what it printed is told by
#: SUBSTITUTED (a names element resets it, a substitute that printed a term or a text
#: value sets it): citeproc-js counts "anonymous" printed for a missing author as a
#: term, so a macro of nothing else prints nothing.
_SUBSTITUTED = -1
SUBSTITUTED = [SUCCESS]
_NAMES_SUBSTITUTED = (_SUBSTITUTED, ATTEMPT)


def _signals(child: Any) -> tuple[int, int]:
    if isinstance(child, model.Text):
        attrib = child.attrib
        if "variable" in attrib:
            return _ALWAYS if attrib["variable"] in _ALWAYS_PRINTED else _VARIABLE
        if "term" in attrib or "value" in attrib:
            return _TERM
        return _MACRO if "macro" in attrib else _SILENT
    if isinstance(child, model.Label):
        return _TERM  # citeproc-js prints a label as a term, whatever its variable
    if isinstance(child, model.Names) and _substitutes_term(child):
        return _NAMES_SUBSTITUTED
    if isinstance(child, model.Names | model.Date | model.Number):
        return _ALWAYS if child.get("variable") in _ALWAYS_PRINTED else _VARIABLE
    return _SILENT


def _substitutes_term(names: Any) -> bool:
    substitute = names.find("cs:substitute", names.nsmap)
    if substitute is None:
        return False
    return any(_prints_term(child) for child in substitute.iterchildren())


def _prints_term(element: Any) -> bool:
    """A cs:text term or value, or a cs:choose with one in a branch."""
    if isinstance(element, model.Text):
        return "term" in element.attrib or "value" in element.attrib
    if isinstance(element, model.Choose):
        return any(_prints_term(child) for branch in element for child in branch)
    return False


def terms_and_texts(choose: Any) -> bool:
    """True when a cs:choose (with the macros it calls) holds no cs:date or cs:number.

    Then what its branch printed in a cs:substitute was a term when no variable was
    recorded (see conditions.SubstituteSuppression): text variables and names record
    themselves, dates are not recorded in sort keys and numbers never.
    """
    found = choose.__dict__.get("_policycite_terms_and_texts")
    if found is None:
        found = choose.__dict__["_policycite_terms_and_texts"] = _no_dates(choose, set())
    return bool(found)


def _no_dates(element: Any, seen: set[str]) -> bool:
    for node in element.iterdescendants():
        if isinstance(node, model.Date | model.Number):
            return False
        macro = node.get("macro") if isinstance(node, model.Text) else None
        if macro is not None and macro not in seen:
            seen.add(macro)
            if not _no_dates(node.get_macro(macro), seen):
                return False
    return True


Children = tuple[tuple[Any, bool, int, int], ...]


def _children(element: Any) -> tuple[Children, Children]:
    """(render, is a cs:choose, flags if it printed, flags if not) for each child.

    Twice: outside cites (bibliography entries, sort keys) and inside them, indexed by
    ``leadterm.STATE.active``. Outside cites the marks-rendered fix only calls on, so
    there a child's render is the one after it in the MRO: a frame less per child.
    """
    children = [
        (child, isinstance(child, model.Choose), *_signals(child))
        for child in element.iterchildren()
    ]
    in_cites = tuple((child.render, *rest) for child, *rest in children)
    outside = tuple((_plain_render(child), *rest) for child, *rest in children)
    return outside, in_cites


def _plain_render(element: Any) -> Any:
    """The render of ``element`` outside cites: past MarksRendered, which calls on there."""
    if isinstance(element, leadterm.MarksRendered):
        return super(leadterm.MarksRendered, element).render
    return element.render


_PLAN = "_policycite_group_children"
#: Output classes no fix marks (see punctuation: marked pieces are subclasses).
_UNMARKED = frozenset({str, String, MixedString})
_FORMAT_PLAN = "_policycite_format_plan"  # CachedFormatting's: () for no formatting


class GroupFlags:
    """cs:group: suppressed by the flags its children set, not by a static test.

    It also plans its children once (their render and kind), which the retired
    ``planned-group`` speed fix did.
    """

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        return GroupFlags.render(self, item, context, _policycite_process=True, **kwargs)

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # citeproc-py renders a group as markup(process(...)); both are written out here
        # (two frames less per group rendered) unless another fix refines one of them.
        # With _policycite_process, the joined text unformatted (process's answer).
        unmarked = kwargs.pop("_policycite_process", False)
        state = self.__dict__
        plan = state.get(_PLAN)
        if plan is None:
            cls = type(self)
            plan = state[_PLAN] = (
                self.get("delimiter", ""),
                _children(self),
                cls.process is GroupFlags.process and cls.markup is model.Group.markup,
                cls.format is CachedFormatting.format,
                cls.join is SeamPunctuation.join,
            )
        delimiter, both, fused, cached_format, seam_join = plan
        if not unmarked and not fused:
            return super().render(item, context, **kwargs)
        children = both[LEAD.active]
        stack = STACK
        depth = len(stack)
        stack.append(0)
        # The loop is FlaggedChildren's, written out: a call more per group or branch
        # rendered cost several per cent of the render time.
        output = []
        for render, is_choose, on_text, on_empty in children:
            try:
                # Without kwargs (entries, cites) a call with "**kwargs" would still
                # build a dict: about 0.1 µs of each of a hundred child renders an entry.
                if kwargs:
                    text = (
                        render(item, context=context, delimiter=delimiter, **kwargs)
                        if is_choose
                        else render(item, context=context, **kwargs)
                    )
                elif is_choose:
                    text = render(item, context=context, delimiter=delimiter)
                else:
                    text = render(item, context=context)
            except model.VariableError:
                text = None
            flags = on_text if text else on_empty
            if flags:
                if flags < 0:  # a names element whose substitute may print a term
                    flags = SUBSTITUTED[0]
                stack[-1] |= flags
            if text is not None:
                output.append(text)
        flags = stack[depth]
        del stack[depth:]  # also frames a failed render left open above it
        if flags & SUCCESS or (flags & TERM and not flags & ATTEMPT):
            stack[-1] |= SUCCESS
            # A kept group may print nothing (a year-suffix not assigned): no error.
            if not output:
                text = None
            elif len(output) == 1 and seam_join and type(output[0]) in _UNMARKED:
                # SeamPunctuation's join of one unmarked piece is the piece (most groups
                # print one child): two calls saved.
                text = output[0]
            else:
                text = self.join(output)
            if unmarked:
                return text
            # Group.markup, with no call to format for a group without formatting.
            if not text:
                return None
            if not cached_format or state.get(_FORMAT_PLAN) != ():
                text = self.format(text)
            return self.wrap(text)
        # citeproc-js assigns, not ors: a suppressed group resets its parent's attempt.
        stack[-1] = (stack[-1] & ~ATTEMPT) | (flags & ATTEMPT)
        raise model.VariableError


class ImplicitGroup:
    """cs:macro: rendered as a group of its own (CSL 1.0.2, citeproc-js)."""

    def render(self, item: Any, context: Any = None, sort_options: Any = None) -> Any:
        stack = STACK
        depth = len(stack)
        stack.append(0)
        # citeproc-py's Macro.render is render_children. FlaggedChildren's is written
        # out here (a macro call is frequent), and the group closed here (as in
        # GroupFlags), unless another fix refines render_children.
        plan = self.__dict__.get(_PLAN)
        if plan is None and type(self).render_children is FlaggedChildren.render_children:
            plan = self.__dict__[_PLAN] = _branch_plan(self)
        if plan is None:
            text = self.render_children(item, context=context, sort_options=sort_options)
        else:
            join, both = plan
            children = both[LEAD.active]
            output = []
            for render, is_choose, on_text, on_empty in children:
                try:
                    text = (
                        render(item, delimiter="", context=context, sort_options=sort_options)
                        if is_choose
                        else render(item, context=context, sort_options=sort_options)
                    )
                except model.VariableError:
                    text = None
                flags = on_text if text else on_empty
                if flags:
                    if flags < 0:  # a names element whose substitute may print a term
                        flags = SUBSTITUTED[0]
                    stack[-1] |= flags
                if text is not None:
                    output.append(text)
            if not output:
                text = None
            elif len(output) == 1:
                text = output[0]
            else:
                text = join(self, output, "") if join is not None else model.join(output, "")
        flags = stack[depth]
        del stack[depth:]
        if flags & SUCCESS or (flags & TERM and not flags & ATTEMPT):
            stack[-1] |= SUCCESS
            # A formatted last child's trailing space is the macro's (decorated-spaces).
            return lifted(text)
        stack[-1] = (stack[-1] & ~ATTEMPT) | (flags & ATTEMPT)
        return None


class FlaggedChildren:
    """cs:macro, cs:if, cs:else-if, cs:else: their children set the open group's flags.

    The children of a branch of cs:choose set the flags of the group around the
    cs:choose; a macro's set its own (:class:`ImplicitGroup`). Joined as citeproc-py's
    ``render_children`` joins them, by the element's ``join`` where a fix gives it one.
    """

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        state = self.__dict__
        plan = state.get(_PLAN)
        if plan is None:
            plan = state[_PLAN] = _branch_plan(self)
        join, both = plan
        children = both[LEAD.active]
        stack = STACK
        output = []
        for render, is_choose, on_text, on_empty in children:
            try:
                text = (
                    render(item, delimiter=delimiter, **kwargs)
                    if is_choose
                    else render(item, **kwargs)
                )
            except model.VariableError:
                text = None
            flags = on_text if text else on_empty
            if flags:
                if flags < 0:  # a names element whose substitute may print a term
                    flags = SUBSTITUTED[0]
                stack[-1] |= flags
            if text is not None:
                output.append(text)
        if not output:
            return None
        if len(output) == 1:  # most branches and macros: nothing to join
            return output[0]
        return join(self, output, delimiter) if join is not None else model.join(output, delimiter)


def _branch_plan(element: Any) -> tuple[Any, tuple[Children, Children]]:
    """FlaggedChildren's plan: the element's join and its children (see _children)."""
    return getattr(type(element), "join", None), _children(element)


class SubstitutedTerm:
    """cs:names: what it printed counts as a variable until its substitute says otherwise."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        SUBSTITUTED[0] = SUCCESS
        return super().render(*args, **kwargs)
