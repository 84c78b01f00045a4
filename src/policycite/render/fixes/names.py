"""Names: what citeproc-py renders differently from the CSL specification.

* ``initialize="false"``: given names stay whole (Chicago, MLA), only existing initials
  get the initialize-with mark;
* hyphenated given names with a lower-case part ("Min-jun") initialise to "M.", not
  "M.-. jun .";
* sort keys leave out "et al." when names are truncated (CSL 1.0.2, Sorting), and
  demote particles when the style says ``demote-non-dropping-particle="sort-only"``;
* names in CJK scripts print family then given with no space, never initialised.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from citeproc import source as citeproc_source

SORTING = "_policycite_sorting"
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]")


def _inherited(element: Any, attribute: str, default: str) -> str:
    """A name option from cs:name, else cs:citation/cs:bibliography, else cs:style."""
    node = element
    while node is not None:
        value = node.get(attribute)
        if value is not None:
            return str(value)
        node = node.getparent()
    return default


def is_cjk(text: str | None) -> bool:
    """True when the text is written in a Chinese, Japanese or Korean script."""
    return bool(text and _CJK.search(text))


class NameFixes:
    """cs:name: initialize="false", hyphenated lower-case parts, CJK order, sort keys."""

    def initialize(self, given: Any, mark: str, context: Any) -> Any:
        if _inherited(self, "initialize", "true") == "false":
            # Keep the given names; only stand-alone initials get the mark ("James T.").
            return " ".join(
                f"{word[0]}{mark.rstrip()}"
                if len(word.rstrip(".")) == 1 and word[0].isupper()
                else word
                for word in str(given).split()
            )
        if "-" in str(given) and self.get_option("initialize-with-hyphen", context):
            parts = str(given).split("-")
            kept = [parts[0], *(p for p in parts[1:] if p[:1].isupper())]
            parent = super()
            return "-".join(parent.initialize(part, mark, context) for part in kept)
        return super().initialize(given, mark, context)

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        names = item.reference.get(variable, [])
        if any(is_cjk(n.get("family")) for n in names):
            return self._process_cjk(item, variable, context, sort_options, **kwargs)
        if (
            sort_options is not None
            and _inherited(self, "demote-non-dropping-particle", "display-and-sort") == "sort-only"
        ):
            # citeproc-py treats "sort-only" as "never": "van den Berg" sorted under V.
            sort_options = {**sort_options, "demote-non-dropping-particle": "display-and-sort"}
        self.__dict__[SORTING] = sort_options is not None
        try:
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        finally:
            self.__dict__[SORTING] = False

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        # Outside sort keys an option depends only on the style and the context
        # (citation or bibliography): citeproc-py looked it up with XPath on every name.
        if sort_options is not None:
            return super().get_option(name, context, sort_options)
        cache = self.__dict__.get("_policycite_options")
        if cache is None:
            cache = self.__dict__["_policycite_options"] = {}
        key = (name, id(context))
        if key not in cache:
            cache[key] = super().get_option(name, context, sort_options)
        return cache[key]

    def et_al(self) -> Any:
        if self.__dict__.get(SORTING):
            return None  # "et al." is not part of a sort key
        return super().et_al()

    def _process_cjk(
        self, item: Any, variable: str, context: Any, sort_options: Any, **kwargs: Any
    ) -> Any:
        # Family name first, given name straight after it, no initials, no comma.
        reference = item.reference
        original = reference[variable]
        short = self.get_option("form", context, sort_options) == "short"
        reference[variable] = [
            _literal(n, short) if is_cjk(n.get("family")) else n for n in original
        ]
        try:
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        finally:
            reference[variable] = original


def _literal(name: Any, short: bool) -> Any:
    given = "" if short else name.get("given") or ""
    text = unicodedata.normalize("NFC", f"{name.get('family') or ''}{given}")
    return citeproc_source.Name(literal=text)
