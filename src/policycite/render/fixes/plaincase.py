"""text-case on the plain strings citeproc-py hands to ``case``.

citeproc-py's ``TextCased.case`` calls ``capitalize_first`` / ``words``, which only its
own ``String`` has, but some values reach it as a plain ``str``: a ``cs:number`` in
``form="long-ordinal"`` (a locale term: "segunda"), and a ``cs:text
variable="locator"``. The item then fails ("'str' object has no attribute
'capitalize_first'") and is left out (PC103), or a whole document's citations are left
empty. citeproc-js cases these as any other text: "Segunda ed.", "Fol. 3".
"""

from __future__ import annotations

from typing import Any

from citeproc.string import String


class PlainTextCase:
    """cs:text, cs:number: a plain string is cased as citeproc-py's own strings are."""

    def case(self, text: Any, *args: Any, **kwargs: Any) -> Any:
        if type(text) is str and _cased(self):
            text = String(text)
        return super().case(text, *args, **kwargs)


def _cased(element: Any) -> bool:
    """The element has a text-case and is no macro call (cached: asked per rendering).

    A macro's output is left to macro-text-case (citeproc-js does not case it).
    """
    value = element.__dict__.get("_policycite_plain_case")
    if value is None:
        value = element.__dict__["_policycite_plain_case"] = (
            element.get("text-case") is not None and element.get("macro") is None
        )
    return bool(value)
