"""Whether a page's tree can hold an ASCII word, answered from the page's text.

libxml2's whole-tree XPath scans (``//*[contains(@class, 'byline')]``) cost 1–2 ms a page
each, and most pages hold none of the words they look for. A tree parsed from a text holds
an ASCII word in an attribute (or an ASCII character anywhere) only where the text spells
it, or builds its characters from character references: numeric ones (``&#98;``,
``&#x62;``) or the one named reference HTML has for ASCII letters (``&fjlig;``, "fj").
So a word none of whose characters a reference of the text builds, and which the text
does not spell, is absent from the tree, and the scan can be skipped without changing its
answer. (Words in texts are another matter: the parser joins the texts around a comment
it drops, "Press<!-- -->release"; this module answers for attribute values and single
characters.)
"""

from __future__ import annotations

import re

# A reference to a character below U+0080: decimal 0-127, hex 0-7F (libxml2 takes them
# with or without the closing ";"), or HTML5's &fjlig; (case-insensitively, to be safe).
_ASCII_REFERENCE = re.compile(
    r"&(?:#(?:[xX]0*(?P<hex>[0-7]?[0-9a-fA-F])(?![0-9a-fA-F])"
    r"|0*(?P<dec>1[01][0-9]|12[0-7]|[0-9]{1,2})(?![0-9]))"
    r"|[fF][jJ][lL][iI][gG])"
)


class Spelled:
    """Which ASCII words a page's text spells, asked before scanning its tree for them.

    Answers are conservative: True means the tree *may* hold the word (scan it), False
    that it cannot.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        # The ASCII characters references build ("'" of &#39; on many pages): only a word
        # holding one of them can be in the tree without being in the text.
        built: set[str] = set()
        for found in _ASCII_REFERENCE.finditer(text):
            if found["hex"]:
                built.add(chr(int(found["hex"], 16)))
            elif found["dec"]:
                built.add(chr(int(found["dec"])))
            else:
                built.update("fjFJ")
        self._built = frozenset(built)
        self._encoded = b""
        self._folded: bytes | None = None

    def _built_in(self, word: str) -> bool:
        return not self._built.isdisjoint(word)

    def may_hold(self, *words: str) -> bool:
        """Whether the tree may hold any of ``words`` as written (XPath ``contains``, ``=``).

        A word of one character asks about the whole tree, texts included.
        """
        return any(word in self._text or self._built_in(word) for word in words)

    def spellings(self, word: str) -> frozenset[str] | None:
        """How the text spells ``word`` in any mix of ASCII case, or None when it can't say.

        ``word`` is lower-case ASCII, compared as XPath ``translate(…, 'ABC', 'abc')``
        compares. None (the text builds one of its letters from a reference): the tree
        may hold spellings the text does not show. Otherwise the tree's attributes hold no
        other spelling, and a scan can look for these as written (a third of the cost of
        translate() in libxml2).
        """
        if self._built_in(word) or self._built_in(word.upper()):
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
