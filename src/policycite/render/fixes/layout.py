"""Bibliography entries: one at a time, aligned and with repeated authors replaced.

citeproc-py renders the whole list at once and drops entries that come out empty (so
results can no longer be matched to items), and ignores ``second-field-align``: IEEE's
"[1]" runs into the author ("[1]J. Kask"). ``render_entry`` renders one item and, for
styles with second-field-align, returns the first field apart from the rest, which the
output format lays out in two columns (HTML) or separates with a space (text). It also
does ``subsequent-author-substitute`` (MLA's "———" for a repeated author), which
citeproc-py ignores (the "complete-all" rule, CSL's default).
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from policycite.render.fixes.collapse import CAPTURE, SUBSTITUTE


class BibliographyEntry:
    """cs:layout of a bibliography: ``render_entry(item, previous_author)``."""

    def render_entry(self, item: Any, previous_author: str | None = None) -> tuple[Any, Any, str]:
        """Render one entry: (first field or None, the rest, the author as rendered).

        ``previous_author`` is the author of the entry before; when it is the same and
        the style sets subsequent-author-substitute ("———"), the names are replaced.
        """
        state = self.__dict__
        state[CAPTURE] = None
        first, body = self._render_fields(item)
        author = state.pop(CAPTURE, None) or ""
        # "Lee, Sujin, et al." shows the same names as "Lee, Sujin": the et-al term is
        # not part of what is compared (as in citeproc-js).
        et_al = str(self.get_single_term(name="et-al"))
        if et_al and et_al in author:
            author = author.split(et_al)[0].rstrip(" ,")
        substitute = self.getparent().get("subsequent-author-substitute")
        if substitute is not None and author and author == previous_author:
            state[SUBSTITUTE] = substitute
            try:
                first, body = self._render_fields(item)
            finally:
                state[SUBSTITUTE] = None
        return first, body, author

    def _render_fields(self, item: Any) -> tuple[Any, Any]:
        self.repressed = {}
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        children = list(self.iterchildren())
        if not aligned or len(children) < 2:
            return None, self.format(self.wrap(self.render_children(item)))
        first = _render(children[0], item)
        rest = [text for child in children[1:] if (text := _render(child, item)) is not None]
        body = self.format(self.wrap(self._seam_join(rest, ""))) if rest else None
        return first, body


def _render(child: Any, item: Any) -> Any:
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter="")
        return child.render(item)
    except model.VariableError:
        return None
