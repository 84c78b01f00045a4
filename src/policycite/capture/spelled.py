"""Whether a page's tree can hold an ASCII word, answered from the page's text.

libxml2's whole-tree XPath scans (``//*[contains(@class, 'byline')]``) cost 1–2 ms a page
each, and most pages hold none of the words they look for. A tree parsed from a text holds
an ASCII word (in a tag, an attribute or a text) only where the text spells it, or builds
its characters from character references: numeric ones (``&#98;``, ``&#x62;``) or the one
named reference HTML has for ASCII letters (``&fjlig;``, "fj"). A text holding none of
these spells every ASCII character of its tree literally, so a word absent from it is
absent from the tree, and the scan can be skipped without changing its answer.
"""

from __future__ import annotations

import re

# A reference to a character below U+0080: decimal 0-127, hex 0-7F (libxml2 takes them
# with or without the closing ";"), or HTML5's &fjlig; (case-insensitively, to be safe).
_ASCII_REFERENCE = re.compile(
    r"&(?:#(?:[xX]0*[0-7]?[0-9a-fA-F](?![0-9a-fA-F])|0*(?:1[01][0-9]|12[0-7]|[0-9]{1,2})(?![0-9]))"
    r"|[fF][jJ][lL][iI][gG])"
)


class Spelled:
    """Which ASCII words a page's text spells, asked before scanning its tree for them.

    Answers are conservative: True means the tree *may* hold the word (scan it), False
    that it cannot.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._references = _ASCII_REFERENCE.search(text) is not None
        self._encoded = b""
        self._folded: bytes | None = None

    def may_hold(self, *words: str) -> bool:
        """Whether the tree may hold any of ``words`` as written (XPath ``contains``, ``=``)."""
        return self._references or any(word in self._text for word in words)

    def spellings(self, word: str) -> frozenset[str] | None:
        """How the text spells ``word`` in any mix of ASCII case, or None when it can't say.

        ``word`` is lower-case ASCII, compared as XPath ``translate(…, 'ABC', 'abc')``
        compares. None (the text builds characters from references): the tree may hold
        spellings the text does not show. Otherwise the tree holds no other spelling, and
        a scan can look for these as written, which costs libxml2 a third of translate().
        """
        if self._references:
            return None
        if self._folded is None:
            # bytes.lower() folds ASCII letters only, as translate() does; cheaper than
            # str.lower() (Unicode) or an IGNORECASE search over the whole page. No byte
            # of a multi-byte UTF-8 character is ASCII, so offsets are the text's bytes'.
            self._encoded = self._text.encode("utf-8", "surrogatepass")
            self._folded = self._encoded.lower()
        found = set()
        target = word.encode("ascii")
        at = self._folded.find(target)
        while at >= 0:
            found.add(self._encoded[at : at + len(target)].decode("ascii"))
            at = self._folded.find(target, at + 1)
        return frozenset(found)


__all__ = ["Spelled"]
