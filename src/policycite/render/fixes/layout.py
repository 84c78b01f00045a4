"""Bibliography entries: one at a time, and with a second field aligned where asked.

citeproc-py renders the whole list at once and drops entries that come out empty (so
results can no longer be matched to items), and ignores ``second-field-align``: IEEE's
"[1]" runs into the author ("[1]J. Kask"). ``render_entry`` renders one item and, for
styles with second-field-align, returns the first field apart from the rest, which the
output format lays out in two columns (HTML) or separates with a space (text).
"""

from __future__ import annotations

from typing import Any

from citeproc import model


class BibliographyEntry:
    """cs:layout of a bibliography: ``render_entry(item) -> (first field, rest)``."""

    def render_entry(self, item: Any) -> tuple[Any, Any]:
        self.repressed = {}
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        children = list(self.iterchildren())
        if not aligned or len(children) < 2:
            return None, self.format(self.wrap(self.render_children(item)))
        first = _render(children[0], item)
        rest = [text for child in children[1:] if (text := _render(child, item)) is not None]
        body = self.format(self.wrap(self._seam_join(rest, ""))) if rest else None
        if first is None:
            return None, body
        return first, body


def _render(child: Any, item: Any) -> Any:
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter="")
        return child.render(item)
    except model.VariableError:
        return None
