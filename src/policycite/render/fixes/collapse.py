"""Cite collapsing (CSL ``collapse="year"``) and the suppressed author it needs.

citeproc-py renders every cite of a cluster in full: "(Lee, 2020a; Lee, 2020b)" where
CSL asks for "(Lee, 2020a, 2020b)". Cites that follow one with the same rendered author
are rendered with their first cs:names element suppressed (author, or the substitute
standing for it) and joined with the cite-group delimiter.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

from policycite.render.fixes.caching import memo
from policycite.render.fixes.intext import NARRATIVE, introduced, mode_of

SUPPRESS = "_policycite_suppress_author"
SUBSTITUTE = "_policycite_author_substitute"
CAPTURE = "_policycite_author"
CAPTURE_RICH = "_policycite_author_rich"


class SuppressibleNames:
    """The first cs:names of a cite or entry can be suppressed or replaced.

    Collapsing suppresses it, subsequent-author-substitute replaces it; either way it
    records what it rendered.
    """

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        context = kwargs.get("context")
        try:
            layout = (context if context is not None else self).get_layout()
        except IndexError:  # rendered outside a layout (a sort key): nothing to do
            return super().render(item, *args, **kwargs)
        state = layout.__dict__
        if state.get(SUPPRESS):
            state[SUPPRESS] = False
            raise model.VariableError
        substitute = state.get(SUBSTITUTE)
        if substitute is not None:  # subsequent-author-substitute ("———")
            state[SUBSTITUTE] = None
            return self.wrap(self.format(model.String(substitute))) if substitute else None
        text = super().render(item, *args, **kwargs)
        if state.get(CAPTURE, ...) is None:
            state[CAPTURE] = str(text) if text is not None else ""
            state[CAPTURE_RICH] = text
        return text


class CollapsingLayout:
    """A citation layout that collapses consecutive cites by the same author.

    Cites also keep the order they were written in unless the style sorts them.
    """

    def _render_cite(
        self, item: Any, suppress: bool, *, prefix: bool = True
    ) -> tuple[Any, str | None]:
        state = self.__dict__
        self.repressed = {}
        state[CAPTURE] = None
        state[SUPPRESS] = suppress
        try:
            output = self.render_children(item)
        except model.VariableError:
            output = None
        finally:
            state[SUPPRESS] = False
        author = state.pop(CAPTURE, None)
        if output is None:
            return None, author
        before = item.get("prefix", "") if prefix else ""
        return before + output + item.get("suffix", ""), author

    def _narrative_author(self, item: Any) -> Any:
        """The author of a narrative cite as it stands in the sentence ("Kask and Lind")."""
        state = self.__dict__
        state[NARRATIVE] = True
        state[CAPTURE_RICH] = None
        try:
            self._render_cite(item, suppress=False)
        finally:
            state[NARRATIVE] = False
        return state.pop(CAPTURE_RICH, None)

    def _lead(self, item: Any, groups: list[list[Any]]) -> tuple[Any, str | None]:
        """A narrative cite: its author for the sentence, the rest as the first group.

        Returns the author (None when the cite has none to take out) and the author as
        compared for collapsing, so that "Zhou (n.d., 2016)" collapses too.
        """
        text, author = self._render_cite(item, suppress=False)
        lead = self._narrative_author(item) if author else None
        if lead is None or text is None:
            return lead, None
        self.getparent().cites.append(item)
        rest, _ = self._render_cite(item, suppress=True, prefix=False)
        abbreviation = introduced(item)
        if abbreviation:  # "World Health Organization (WHO, 2020)"
            rest = abbreviation if rest is None else abbreviation + ", " + rest
        groups.append([rest] if rest is not None else [])
        return lead, author

    def render_citation(self, citation: Any, callback: Any) -> Any:
        collapse = self.getparent().get("collapse") == "year"
        good = [cite for cite in citation.cites if not cite.is_bad()]
        bad = [cite for cite in citation.cites if cite.is_bad()]
        # A narrative cite comes first (its author opens the sentence's citation); note
        # styles have no author-date cite to split, so theirs render as usual.
        lead_item = None
        if good and mode_of(good[0]) == "narrative" and self.get_root().get("class") != "note":
            lead_item, good = good[0], good[1:]
        # Cites keep the order they were written in unless the style sorts them
        # (citeproc-py always put them in bibliography order first).
        sort = memo(self, "_policycite_citation_sort", _sort_of, self)
        if sort is not None and len(good) > 1:  # one cite needs no sort keys rendered
            good = sort.sort(good, self)
        # Consecutive cites whose first names render alike form a group.
        groups: list[list[Any]] = []
        last_author: str | None = None
        lead: Any = None
        if lead_item is not None:
            lead, last_author = self._lead(lead_item, groups)
            if lead is None:  # no author to take out (a numeric style): a normal cite
                good.insert(0, lead_item)
        for item in good:
            if mode_of(item) == "suppress-author":
                text, _ = self._render_cite(item, suppress=True)
                if text is not None:
                    self.getparent().cites.append(item)
                    groups.append([text])
                last_author = None
                continue
            text, author = self._render_cite(item, suppress=False)
            if text is None:
                continue
            self.getparent().cites.append(item)
            if collapse and groups and author and author == last_author:
                short, _ = self._render_cite(item, suppress=True)
                groups[-1].append(short if short is not None else text)
            else:
                groups.append([text])
                last_author = author
        group_delimiter = self.getparent().get("cite-group-delimiter", ", ")
        delimiter = self.get("delimiter", "")
        after = self.getparent().get("after-collapse-delimiter") or delimiter
        out: Any = None
        for index, group in enumerate(groups):
            if not group:
                continue
            text = model.join(group, group_delimiter)
            if out is None:
                out = text
            else:
                out = out + (after if len(groups[index - 1]) > 1 else delimiter) + text
        out = [out] if out is not None else []
        for item in bad:
            out.append(callback(item) or f"{item.key}?")
        if lead is not None:
            before = lead_item.get("prefix", "") if lead_item is not None else ""
            inner = model.join(out, delimiter) if out else None
            return self.format(before + lead + (" " + self.wrap(inner) if inner else ""))
        return self.format(self.wrap(model.join(out, delimiter)))


def _sort_of(layout: Any) -> Any:
    return layout.getparent().sort
