"""In-text cite modes and group-author abbreviations, which CSL 1.0 leaves to the processor.

citeproc-py renders every cite in full, in parentheses. Readers write more than that:

* narrative ("author-in-text", pandoc's ``@key``): the author stands in the sentence and
  the rest of the cite in the layout's affixes after it: "Kask (2024, p. 4)". Names
  joined by ``and="symbol"`` read "and" there ("Kask and Lind (2024)"): the ampersand is
  for parentheses only (APA 8.17);
* suppress-author (pandoc's ``[-@key]``): the cite without its author, "(2024)";
* group-author abbreviations (APA 8.21): a cite may print an organisation's name
  differently ("World Health Organization [WHO]", then "WHO"); the engine decides which,
  per cite, from the document's earlier citations.

The mode and the name replacements ride on the citation item (set by the engine);
:class:`~.collapse.CollapsingLayout` lays the cluster out, :class:`InTextNames` renders
the names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from citeproc import source as citeproc_source

MODE = "_policycite_mode"
NAMES = "_policycite_names"
INTRODUCE = "_policycite_introduce"
#: Layout state: the narrative author is being rendered.
NARRATIVE = "_policycite_narrative"
_AND_TEXT = "_policycite_and_text"


def mode_of(item: Any) -> str:
    """The cite's mode: "normal", "narrative" or "suppress-author"."""
    return str(dict.get(item, MODE, "normal"))


def introduced(item: Any) -> str | None:
    """The abbreviation a narrative first mention introduces: "(WHO, 2020)"."""
    value = dict.get(item, INTRODUCE)
    return str(value) if value else None


def _layout_state(element: Any, context: Any) -> dict[str, Any] | None:
    try:
        layout = (context if context is not None else element).get_layout()
    except IndexError:  # outside a layout (a sort key)
        return None
    state: dict[str, Any] = layout.__dict__
    return state


class InTextNames:
    """cs:name: "and" for "&" in a narrative author; organisation names as the cite asks."""

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        if sort_options is not None:  # sort keys use the names as written
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        state = _layout_state(self, context)
        self.__dict__[_AND_TEXT] = bool(state and state.get(NARRATIVE))
        replace: Mapping[str, str] | None = dict.get(item, NAMES)
        reference = item.reference
        original = reference.get(variable)
        if replace and original and any(n.get("literal") in replace for n in original):
            reference[variable] = [
                citeproc_source.Name(literal=replace[n["literal"]])
                if n.get("literal") in replace
                else n
                for n in original
            ]
        try:
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        finally:
            if original is not None:
                reference[variable] = original
            self.__dict__[_AND_TEXT] = False

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = super().get_option(name, context, sort_options)
        if name == "and" and value == "symbol" and self.__dict__.get(_AND_TEXT):
            return "text"
        return value
