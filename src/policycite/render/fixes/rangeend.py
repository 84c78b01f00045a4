"""The second end of a date range, joined as citeproc-js 2.4.63 joins it.

citeproc-js renders the end of a range ("2023 Feb" in "2022 Nov–2023 Feb") into a
side queue whose level it opens with the token of a cs:date it remembers from compiling
the style (``state.tmp.date_token`` in ``CSL.Node.date.build``), not with the cs:date
being rendered. That token is the last cs:date compiled: the citation's, then the
bibliography's, in document order, a macro compiled at its first call only (later calls
reuse it), a sort key's macro at each key. So the parts of a range's end are joined with
that cs:date's delimiter, a localized date with its locale format's: NLM's
``<date form="text">`` (locale format ``delimiter=" "``) printed "2022 Nov–2023Feb",
as the last cs:date its bibliography compiles is a numeric one without a delimiter.
citeproc-py (and the "date-ranges" fix alone) joins both ends alike: "2022 Nov–2023 Feb".

Not reproduced: the first range a citeproc-js processor renders also takes that
cs:date's prefix and suffix (the token is cleared of them only after one range).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from citeproc.string import join

_CSL = "{http://purl.org/net/xbiblio/csl}"
_CACHE = "_policycite_range_end_delimiter"


def _compiled_dates(root: Any) -> Iterator[Any]:
    """The style's cs:date elements in the order citeproc-js compiles them."""
    macros = {m.get("name"): m for m in root.iterchildren(f"{_CSL}macro")}
    built: set[str] = set()

    def walk(element: Any, sorting: bool) -> Iterator[Any]:
        for child in element.iterchildren():
            if not isinstance(child.tag, str):
                continue
            tag = child.tag[len(_CSL) :]
            if tag == "date":
                yield child
            name = child.get("macro") if tag in ("text", "key") else None
            if name is not None and name in macros:
                in_key = sorting or tag == "key"
                if in_key or name not in built:
                    if not in_key:
                        built.add(name)
                    yield from walk(macros[name], in_key)
            yield from walk(child, sorting or tag == "sort")

    for area in ("citation", "bibliography"):
        for element in root.iterchildren(f"{_CSL}{area}"):
            yield from walk(element, False)


def range_end_delimiter(root: Any) -> str | None:
    """The delimiter of the last cs:date the style compiles (None: the style has none)."""
    state = root.__dict__
    if _CACHE not in state:
        # The last cs:date compiled (deque keeps only the last one it is fed).
        last = next(iter(deque(_compiled_dates(root), maxlen=1)), None)
        delimiter = None
        if last is not None:
            form = last.get("form")
            if form is not None:
                try:
                    last = last.get_date(form)
                except (IndexError, AttributeError, KeyError):
                    last = None
            delimiter = "" if last is None else str(last.get("delimiter", ""))
        state[_CACHE] = delimiter
    result: str | None = state[_CACHE]
    return result


class RangeEndDelimiter:
    """cs:date: a range's second end joined with the last compiled cs:date's delimiter."""

    def join_range_end(self, pieces: list[Any], context: Any) -> Any:
        owner = context if context is not None else self
        delimiter = range_end_delimiter(owner.get_root())
        if delimiter is None:
            return super().join_range_end(pieces, context)
        return join((piece for piece in pieces if piece is not None), delimiter)
