"""A cs:names without a cs:name renders with the fixed cs:name class.

CSL 1.0.2 lets a cs:names leave out cs:name: its names are then rendered with the name
options the style, cs:citation or cs:bibliography set. citeproc-py supplies the missing
element by inserting ``model.Name()``: an instance of its own bare class, not of the
class :mod:`..processor` builds with the fixes in front. That proxy is then kept (the
element caches its children), so every name such a cs:names prints went without the
cs:name fixes: "王 秀英" for citeproc-js's "王秀英" under AMA and NLM, whose author
macros are a bare ``<names variable="author">``.

This fix inserts the default cs:name itself before citeproc-py looks for it, made by
the style document's parser, so the element lookup gives it the fixed class.
"""

from __future__ import annotations

from typing import Any

_CSL = "{http://purl.org/net/xbiblio/csl}"
_NAME = f"{_CSL}name"
#: The inserted element, kept on its cs:names: lxml keeps a proxy (and the caches the
#: fixes store on it) only while a Python reference to it lives.
_INSERTED = "_policycite_implicit_name"


class ImplicitName:
    """cs:names: supply a missing cs:name in the fixed class, as citeproc-py would a bare one."""

    def process(
        self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        owner = self if names_context is None else names_context
        state = owner.__dict__
        if _INSERTED not in state:
            # citeproc-py reads ``names_context.name``; where that is missing it would
            # insert a bare Name at position 0: insert the fixed one there first.
            found = owner.find(_NAME)
            if found is None:
                found = owner.makeelement(_NAME, {})
                owner.insert(0, found)
            state[_INSERTED] = found
        return super().process(item, names_context=names_context, context=context, **kwargs)
