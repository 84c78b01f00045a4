"""Spacing inside the text an element prints, as citeproc-js spaces it.

* ``narrow-spaces``: citeproc-js puts a narrow no-break space (U+202F) in place of the
  space before ":", ";", "?", "!" and "»", and after "«", in every string it prints as
  content — a variable's value, a term, a ``cs:text value`` — in every locale
  (``CSL.Output.Queue.prototype.append``; French typography, where a line must not
  break there): french3's ``<text value="Disponible sur : "/>`` prints "Disponible
  sur\u202f: ". Affixes and delimiters are written as the style gives them ("Riverside :
  Riverside University Press" from a suffix " : "), and so are numbers (a volume "3 : 4").
  citeproc-py prints every space as it is.

The change is made to the content before it is formatted, as citeproc-js makes it when
the string enters its output queue; never to finished output.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, String

from policycite.render.fixes.punctuation import KeptSpaces

NARROW_NBSP = "\u202f"
#: The marks citeproc-js puts a narrow no-break space before (in place of a space).
_BEFORE = ":;?!\u00bb"
#: Variables citeproc-js prints through its number parser (no narrow spaces there), and
#: identifiers, which are printed as they are.
_NUMERIC = frozenset(
    {
        "chapter-number",
        "citation-number",
        "collection-number",
        "edition",
        "first-reference-note-number",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part-number",
        "printing-number",
        "supplement-number",
        "volume",
        "URL",
        "DOI",
        "ISBN",
        "ISSN",
        "PMID",
        "PMCID",
    }
)


#: Where a narrow no-break space goes (a test on the value, before it is formatted).
_NEEDS = re.compile(" [:;?!\u00bb]|\u00ab ")


def _needs(text: str) -> bool:
    return _NEEDS.search(text) is not None


def narrowed(text: str) -> str:
    """``text`` with citeproc-js's narrow no-break spaces ("sur : " -> "sur\u202f: ")."""
    if not _needs(text):
        return text
    for mark in _BEFORE:
        text = text.replace(" " + mark, NARROW_NBSP + mark)
    return text.replace("\u00ab ", "\u00ab" + NARROW_NBSP)


def narrowed_string(text: Any) -> Any:
    """A str, String or MixedString with :func:`narrowed` applied segment by segment.

    Segment classes are kept (a case-protected or formatted run stays so); a segment
    boundary is markup in citeproc-js too (``a <i>: b</i>``), where it puts no space.
    """
    if isinstance(text, MixedString):
        if not _needs(str(text)):
            return text
        return MixedString([narrowed_string(segment) for segment in text])
    if isinstance(text, str):
        plain = str.__str__(text)
        if not _needs(plain):
            return text
        return text.__class__(narrowed(plain)) if type(text) is not str else narrowed(plain)
    return text


class NarrowSpaces:
    """cs:text and cs:term: narrow no-break spaces in the content, as citeproc-js prints it.

    A term's text is made once (the "caching-terms" fix keeps it), a text value's on each
    use (a few substring tests), a variable's when it is printed.
    """

    def preformat(self, text: Any) -> Any:
        if text and isinstance(text, str) and _needs(text):
            text = narrowed(text)
        return super().preformat(text)

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        narrow = self.__dict__.get("_policycite_narrow")
        if narrow is None:  # cached: asked for every variable printed
            narrow = self.__dict__["_policycite_narrow"] = self.get("variable") not in _NUMERIC
        if not text or not narrow:
            return text
        if isinstance(text, (String, MixedString)):
            return narrowed_string(text)
        return text


class ValueSpaces:
    """cs:text value="…": the spaces at the ends of the value are never merged.

    citeproc-js prints a value as a field's text, not as an affix: its output queue
    merges a doubled space only between affixes and delimiters, so london-south-bank's
    ``<text prefix=" " macro="access"/>`` over ``<text value=" Available from: "/>``
    prints "2020.  Available from:", urban-habitats' ``<text value="Retreived "
    suffix=" "/>`` "Retreived  from". citeproc-py merges every doubled space where two
    pieces meet.
    """

    def preformat(self, text: Any) -> Any:
        text = super().preformat(text)
        return KeptSpaces(text) if isinstance(text, str) and text else text

    def format(self, text: Any) -> Any:
        formatted = super().format(text)
        if isinstance(text, KeptSpaces) and type(formatted) is str:
            return KeptSpaces(formatted)  # the plain formatter's str
        return formatted


def has_spaced_value(element: Any) -> bool:
    """Whether a cs:text prints a value that starts or ends with a space."""
    value = element.get("value")
    return bool(value) and (value[:1].isspace() or value[-1:].isspace())
