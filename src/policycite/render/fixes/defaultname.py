"""A cs:names without a cs:name renders its names with policycite's fixed cs:name.

citeproc-py gives such a cs:names (``<names variable="author"/>``, as the AMA and NLM
styles have it) a bare ``citeproc.model.Name()`` of its own making: an element built
outside the style's parser, so none of the fixes to cs:name apply to it. Its sort keys
then kept particles in front ("van den Berg" under V where the style says
``demote-non-dropping-particle="sort-only"``, citeproc-js: under B). The default cs:name
is made here instead, by the style's parser, with every fix of its tag.
"""

from __future__ import annotations

from typing import Any

_CSL = "{http://purl.org/net/xbiblio/csl}"
#: On the cs:names given a default cs:name: that element (keeps its proxy, and so its
#: class and caches, alive).
_DEFAULT = "_policycite_default_name"


class DefaultName:
    """cs:names: a missing cs:name is made by the style's parser, with its fixes."""

    def process(
        self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        target = self if names_context is None else names_context
        if _DEFAULT not in target.__dict__ and target.find(f"{_CSL}name") is None:
            # Where citeproc-py puts its bare Name(): first child of the names context.
            made = target.makeelement(f"{_CSL}name", {})
            target.insert(0, made)
            target.__dict__[_DEFAULT] = made
        return super().process(item, names_context=names_context, context=context, **kwargs)
