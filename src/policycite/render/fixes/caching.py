"""Speed: remember what depends only on the style, not on the item being rendered.

citeproc-py looks macros, terms, locale options and the enclosing layout up with lxml
XPath on every use, and recomputes ``calls_variable`` for a group's whole subtree on every
render. All of it depends only on the parsed style, so it is computed once. This relies
on the processor keeping every element proxy of the style alive (see
``processor.FixedStyle``): lxml then hands back the same Python object for a node, and
attributes set on it persist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model

_MISSING = object()


def memo(element: Any, key: object, compute: Callable[[], Any]) -> Any:
    """The value cached on ``element`` under ``key``, computed on first use."""
    # Element classes have a __getattr__ that searches child elements, so the cache
    # lives in the instance dict and is read through it.
    cache = element.__dict__.setdefault("_policycite_cache", {})
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = cache[key] = compute()
    return value


class CachedLookups:
    """Cache get_root, get_macro, get_term, get_date, get_locale_option and get_layout.

    A ``cs:locale`` inside a style answers term lookups for itself only, so its own
    lookups pass through uncached.
    """

    def get_root(self) -> Any:
        return memo(self, "root", lambda: self.getroottree().getroot())

    def get_macro(self, name: str) -> Any:
        parent = super()
        return memo(self.get_root(), ("macro", name), lambda: parent.get_macro(name))

    def get_term(self, *args: Any, **kwargs: Any) -> Any:
        parent = super()
        if isinstance(self, model.Locale):
            return parent.get_term(*args, **kwargs)
        key = ("term", args, tuple(sorted(kwargs.items())))
        return memo(self.get_root(), key, lambda: parent.get_term(*args, **kwargs))

    def get_date(self, form: str) -> Any:
        parent = super()
        if isinstance(self, model.Locale):
            return parent.get_date(form)
        return memo(self.get_root(), ("date", form), lambda: parent.get_date(form))

    def get_locale_option(self, name: str) -> Any:
        parent = super()
        if isinstance(self, model.Locale):
            return parent.get_locale_option(name)
        return memo(
            self.get_root(), ("locale-option", name), lambda: parent.get_locale_option(name)
        )

    def get_layout(self) -> Any:
        return memo(self, "layout", super().get_layout)


class CachedCallsVariable:
    """Cache calls_variable: whether an element (or its subtree) calls a variable."""

    def calls_variable(self) -> Any:
        return memo(self, "calls-variable", super().calls_variable)
