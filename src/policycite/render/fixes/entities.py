"""Character references a style escapes in its XML, read as citeproc-js reads them.

Some styles write a character reference with its ampersand escaped:
``prefix="&amp;#160;"`` (sociologie's «&#160;…&#160;»), ``prefix="&amp;#9;"``
(journal-of-juridical-sciences's citation layout), ``suffix="&amp;lt;"``. An XML parser
reads the attribute as the six characters "&#160;", which citeproc-py prints. citeproc-js
parses styles with its own reader (``CSL.parseXml``), whose ``_decodeHtmlEntities``
decodes ``&amp;`` and then, in the result, ``&quot;``, ``&gt;``, ``&lt;`` and the
numeric references: the attribute holds a no-break space (or a tab, which the trimmed
ends of a citation then drop). The same goes for the text of an element (a cs:term).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: What citeproc-js decodes after "&amp;" (CSL.parseXml's _decodeHtmlEntities).
_REFERENCE = re.compile(r"&(?:#([0-9]{1,6})|#[xX]([0-9a-fA-F]{1,6})|(quot|gt|lt));")
_NAMED = {"quot": '"', "gt": ">", "lt": "<"}


def _character(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name:
        return _NAMED[name]
    code = int(decimal, 10) if decimal else int(hexadecimal, 16)
    # JavaScript's String.fromCharCode keeps the low 16 bits; a code outside Unicode
    # (or a lone surrogate) is left as written rather than made into a bad string.
    code &= 0xFFFF
    if 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    return chr(code)


def decoded(value: str) -> str:
    """``value`` (as the XML parser read it) with citeproc-js's second decoding."""
    return _REFERENCE.sub(_character, value) if "&" in value else value


class DecodedReferences:
    """Any element: its attributes and text hold the characters their references name."""

    def decode_references(self: Any) -> None:
        """Decode, once, at load (see :func:`decode_style`)."""
        for name, value in self.attrib.items():
            new = decoded(value)
            if new != value:
                self.set(name, new)
        if self.text and "&" in self.text:
            self.text = decoded(self.text)


def decode_style(elements: Iterable[Any], data: bytes) -> None:
    """Decode the references of a style's elements (parsed from ``data``).

    Only a style whose XML escapes an ampersand can hold one, so the others cost a
    substring search.
    """
    if b"&amp;" not in data:
        return
    for element in elements:
        if isinstance(element, DecodedReferences):
            element.decode_references()
