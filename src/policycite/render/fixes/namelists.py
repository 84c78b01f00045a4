"""cs:names inside cs:substitute, as the CSL specification and citeproc-js have them.

* A cs:names without a cs:name of its own anywhere inside a cs:substitute (also inside a
  cs:choose there, as Chicago's author macros have it) takes the cs:name, cs:et-al and
  cs:label of the cs:names the substitute belongs to. citeproc-py gives only the direct
  children that, and a bare default cs:name to the rest: "A. Okonkwo-Bright,
  J. Lindqvist." for "Okonkwo-Bright, Adaeze, and Johan Lindqvist, eds.".
* A name variable the substitute printed is not printed again in the entry (CSL 1.0.2,
  Substitution): citeproc-py never suppresses names, so Chicago printed the editors first
  and then "Edited by" the same editors.

The variables a substitute renders are recorded the way :mod:`.conditions` records
substituted text variables, and suppressed from then on like them.
"""

from __future__ import annotations

from typing import Any

from policycite.render.fixes.conditions import RECORDING

_CSL = "{http://purl.org/net/xbiblio/csl}"
_OWNER = "_policycite_substitute_owner"
_ROLES = "_policycite_names_roles"


def _owner(element: Any) -> Any:
    """The cs:names whose cs:substitute holds ``element`` (None: not in a substitute)."""
    node = element.getparent()
    while node is not None:
        if node.tag == f"{_CSL}substitute":
            names = node.getparent()
            return names if names is not None and names.tag == f"{_CSL}names" else None
        if node.tag in (f"{_CSL}names", f"{_CSL}macro", f"{_CSL}layout"):
            return None
        node = node.getparent()
    return None


class SubstituteNames:
    """cs:names: inherits inside a substitute; a substituted name variable prints once."""

    def process(
        self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        state = self.__dict__
        # Speed: the element's own cs:name and its roles, read once (an lxml search and
        # two attribute reads for every cs:names rendered, most of them for absent roles).
        roles = state.get(_ROLES)
        if roles is None:
            roles = state[_ROLES] = (
                self.find(f"{_CSL}name") is not None,
                tuple(self.get("variable", "").split()),
            )
        has_name, roles = roles
        if names_context is None and not has_name:
            owner = state.get(_OWNER, state)
            if owner is state:
                owner = state[_OWNER] = _owner(self)
            if owner is not None:
                names_context = owner
        layout = _layout(self, context)
        reference = item.reference
        hidden: dict[str, Any] = {}
        if layout is not None:
            suppressed = layout.repressed.get(f"{_CSL}names") or ()
            # A substitute under way suppresses what it printed at once (citeproc-js):
            # an editor macro printing the editors twice prints them once.
            printing = layout.__dict__.get(RECORDING) or ()
            if suppressed or printing:
                for role in roles:
                    key = role if role in reference else role.replace("-", "_")
                    done = role in suppressed or (f"{_CSL}names", role) in printing
                    if done and key in reference:
                        hidden[key] = dict.pop(reference, key)
        try:
            text = super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            for key, value in hidden.items():
                dict.__setitem__(reference, key, value)
        recording = layout.__dict__.get(RECORDING) if layout is not None else None
        if text and recording is not None:
            for role in roles:
                if role not in hidden and reference.get(role.replace("-", "_")):
                    recording.append((f"{_CSL}names", role))
        return text


def _layout(element: Any, context: Any) -> Any:
    try:
        return (context if context is not None else element).get_layout()
    except IndexError:  # outside a layout (a sort key)
        return None
