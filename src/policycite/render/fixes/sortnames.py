"""Names in sort keys cut as citeproc-js cuts them, et-al-use-last included.

citeproc-py keeps the last name of a truncated list in a sort key only when
``et-al-use-first`` is at most ``et-al-min`` - 2 (its display rule). citeproc-js
(``NameOutput._imposeNameConstraints`` with decorations suppressed) has no such
condition in sort keys: when ``et-al-min`` is reached and the list is longer than
``et-al-use-first``, the key holds the first names and, with ``et-al-use-last``, the
last one too. "Kask, L., Lind, T., Orav, S." (et-al-min 3, use-first 2, use-last) then
sorts before "Kask, L., Lind, T., Tamm, H." where citeproc-py tied them on
"Kask, L., Lind, T.". It applies only when ``et-al-min`` >= ``et-al-use-first``
(citeproc-js's "sane" settings). The options are the key's (``names-min``,
``names-use-first``, ``names-use-last``, or those its cs:bibliography/cs:citation sets),
else the cs:name's own, as citeproc-js inherits them.

A family name and its given name are joined by a space in a key, whatever the style's
``sort-separator`` (citeproc-js joins them with its key separator): "Okonkwo-Bright,A."
with ``sort-separator=","`` sorted as one word, "okonkwobrighta", after
"Okonkwo-Bright A., Lindqvist J." where citeproc-js puts it before.
"""

from __future__ import annotations

from typing import Any


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SortKeyEtAl:
    """cs:name in a sort key: citeproc-js's truncation (use-last kept) and separator."""

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        if sort_options is None:
            return super().process(item, variable, context=context, **kwargs)
        sort_options = {**sort_options, "sort-separator": " "}
        names = item.reference.get(variable)
        if not names or self.get_option("form", context, sort_options) == "count":
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        minimum = _number(self.get_option("et-al-min", context, sort_options))
        first = _number(self.get_option("et-al-use-first", context, sort_options))
        count = len(names)
        if not minimum or first is None or count < minimum or minimum < first or count <= first:
            shown = list(names)
        else:
            use_last = bool(self.get_option("et-al-use-last", context, sort_options))
            shown = list(names[:first]) + ([names[-1]] if use_last else [])
        reference = item.reference
        # The names cut here; citeproc-py cuts no more (et-al-min 0 is no truncation).
        reference[variable] = shown
        try:
            return super().process(
                item,
                variable,
                context=context,
                sort_options={**sort_options, "et-al-min": "0"},
                **kwargs,
            )
        finally:
            reference[variable] = names
