"""Speed: a cs:names none of whose name variables the item has fails at once.

Most of APA's cs:names (interviewer, container-author, illustrator, compiler …) print
nothing for most items, and each went through the whole chain of cs:names fixes
(about ten frames) only for citeproc-py to raise VariableError at its end. Without a
cs:substitute (static) and with none of its roles in the item, the outcome is that
VariableError whatever the fixes do, as long as none of them has state to act on for
this rendering: a sort key (a zero count, fixes.sorting.CountSortKeys), a cs:names to
suppress or replace (fixes.collapse.SuppressibleNames), names to record or replace
(fixes.substitute.SubstitutedNames). Then only the side effect the chain has on a
failed rendering is kept (fixes.groups.SubstitutedTerm's flag) and the error raised
here; otherwise the chain runs.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from policycite.render.fixes import collapse, groups, substitute

_CSL = "{http://purl.org/net/xbiblio/csl}"
_ROLES = "_policycite_absent_roles"


def has_no_substitute(element: Any) -> bool:
    """Whether a cs:names has no cs:substitute (the fix applies to it)."""
    return element.find(f"{_CSL}substitute") is None


class AbsentNames:
    """cs:names without cs:substitute: VariableError at once when the item has no role."""

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        state = self.__dict__
        roles = state.get(_ROLES)
        if roles is None:
            # An element with a cs:substitute keeps the whole chain (also where the
            # processor did not leave the fix out of its class).
            roles = state[_ROLES] = (
                tuple(
                    (role, role.replace("-", "_")) for role in str(self.get("variable", "")).split()
                )
                if has_no_substitute(self)
                else ()
            )
        if args or kwargs.get("sort_options") is not None or not roles:
            return super().render(item, *args, **kwargs)
        reference = item.reference
        for role, key in roles:
            if role in reference or key in reference:
                return super().render(item, *args, **kwargs)
        context = kwargs.get("context")
        try:
            layout = (context if context is not None else self).get_layout()
        except IndexError:  # outside a layout: no state to act on
            layout = None
        if layout is not None and pending(layout.__dict__):
            return super().render(item, *args, **kwargs)
        groups.SUBSTITUTED[0] = groups.SUCCESS  # as SubstitutedTerm leaves it
        raise model.VariableError


def pending(state: dict[str, Any]) -> bool:
    """Whether a cs:names fix has something to do in this rendering of the layout."""
    return bool(
        state.get(collapse.SUPPRESS)
        or state.get(collapse.SUBSTITUTE) is not None
        or state.get(substitute.REPLACE) is not None
        or (substitute.NAMES in state and state[substitute.NAMES] is None)
    )
