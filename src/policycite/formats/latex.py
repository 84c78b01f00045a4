r"""Unicode text <-> the LaTeX strings inside ``.bib`` fields, as real toolchains need them.

policycite keeps every value as plain Unicode and escapes at export time, per field class:

* **text** fields: ``\\ { } % & $ # _ ~ ^`` are escaped (an unescaped ``%`` or ``&`` is a
  fatal error in biblatex and BibTeX styles alike); capitals that a style's case change
  must not touch, and CJK runs, are brace-protected (pdflatex with CJKutf8 dies inside
  biblatex-apa's ``\\MakeSentenceCase`` on unbraced CJK);
* **verbatim** fields (``url``, ``doi``, ``urldate``…): written as they are, since biber
  reads them verbatim and ``\\%`` would end up in the link;
* **names**: organisations double-braced; for classic BibTeX, a non-ASCII first letter of
  a given name becomes a BibTeX "special character" (``{\\v{Z}}eljko``), because BibTeX
  counts bytes and would cut a UTF-8 initial in half.

Reading goes the other way with pylatexenc (already required by bibtexparser), which knows
accents, ``\\CYR…`` letters and ligatures; plain values skip it, as most values are plain.

This module knows nothing of policycite's model: strings in, strings out.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexencode import unicode_to_latex

from policycite.errors import ModelError

__all__ = [
    "closing",
    "decode",
    "escape",
    "initial_safe",
    "protect_case",
    "protect_cjk",
]

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}%&$#_~^]")

# CJK ideographs, kana, hangul and CJK punctuation: runs of them are brace-protected.
_CJK_RE = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+"
)


# Character pairs TeX fonts set as one glyph (-- is an en dash, `` a curly quote): a
# value holds the characters themselves, so an empty group keeps them apart.
_LIGATURE_RE = re.compile(r"(?<=[-`',<>?!])(?=[-`',<>])")
_LIGATURE_PAIRS = frozenset({"--", "``", "''", ",,", "<<", ">>", "?`", "!`"})
_LIGATURE_FIND_RE = re.compile("|".join(re.escape(pair) for pair in sorted(_LIGATURE_PAIRS)))


def escape(text: str) -> str:
    """Escape LaTeX's special characters in a text field; Unicode stays as it is.

    TeX ligatures are broken (``--`` is written ``-{}-``), so that the value reads back,
    and prints, as the characters it holds.
    """
    text = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group()], text)
    if _LIGATURE_FIND_RE.search(text):
        text = _LIGATURE_RE.sub(
            lambda m: "{}" if text[m.start() - 1] + text[m.start()] in _LIGATURE_PAIRS else "",
            text,
        )
    return text


def protect_cjk(latex: str) -> str:
    """Brace every run of CJK characters (``{全球安全倡议}``)."""
    return _CJK_RE.sub(lambda m: "{" + m.group() + "}", latex)


# A word of already-escaped LaTeX: no spaces; escapes like \& count as part of the word.
_WORD_RE = re.compile(r"[^\s]+")


def protect_case(latex: str) -> str:
    r"""Brace words whose capitals a style's case change must keep.

    BibTeX styles (``change.case$``) and biblatex (``\\MakeSentenceCase``) lower-case
    every letter of a title but the first. policycite stores titles as the source writes
    them, so every word with a capital is protected, except a first word whose only
    capital is its first letter (sentence case keeps that one anyway). Words holding an
    escape (``\\&``) are left alone: bracing them changes nothing a reader sees.
    """

    def brace(match: re.Match[str]) -> str:
        word = match.group()
        if "\\" in word or "{" in word or not any(c.isupper() for c in word):
            return word
        # Punctuation stays outside the braces: "[{Outcomes}", "{Narva},".
        core = word.strip(".,;:!?()[]'\"«»“”‘’")
        if not core:
            return word
        if match.start() == 0 and not any(c.isupper() for c in core[1:]):
            return word
        start = word.index(core)
        return word[:start] + "{" + core + "}" + word[start + len(core) :]

    return _WORD_RE.sub(brace, latex)


@lru_cache(maxsize=4096)
def _special(char: str) -> str:
    encoded = str(unicode_to_latex(char, unknown_char_policy="keep", unknown_char_warning=False))
    if encoded == char or "ensuremath" in encoded:
        # No text command for it: \relax makes the group a special character all the same.
        return "{\\relax " + char + "}"
    if encoded.startswith("{") and encoded.endswith("}"):
        return encoded
    return "{" + encoded + "}"


def initial_safe(given: str) -> str:
    r"""Write non-ASCII first letters of given-name words as BibTeX special characters.

    BibTeX abbreviates "Željko" to its first *byte*; ``{\\v{Z}}eljko`` is a special
    character it keeps whole (and sorts as "Z"). Both words of "Jean-Édouard" count.
    """
    return re.sub(
        r"(?:(?<=^)|(?<=[\s\-~.]))([^\x00-\x7f])",
        lambda m: _special(m.group(1)),
        given,
    )


_DECODER = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_PLAIN_RE = re.compile(r"[\\$%~]|--|``|''")
_QUOTES = (("``", "\u201c"), ("''", "\u201d"))
_COMMANDS = {c: tex for c, tex in _SPECIALS.items() if tex.endswith("{}")}
# Private-use stand-ins, so pylatexenc sees no backslash for them.
_HOLD = {c: chr(0xF0000 + i) for i, c in enumerate(_COMMANDS)}


#: pylatexenc recurses once per group: a value nested deeper is refused (2,000 levels
#: overflowed Python's stack). BibTeX values need a few levels.
MAX_LATEX_DEPTH = 64
_BRACE_STEP = {"{": 1, "}": -1}
_ESCAPED_BRACE_RE = re.compile(r"\\[{}]")


def latex_depth(latex: str) -> int:
    r"""How deep the ``{…}`` groups of LaTeX text nest (``\{`` and ``\}`` not counted)."""
    braces = re.sub(r"[^{}]+", "", _ESCAPED_BRACE_RE.sub("", latex))
    return max(itertools.accumulate(map(_BRACE_STEP.__getitem__, braces)), default=0)


def decode(latex: str) -> str:
    """The Unicode text of a LaTeX field value: escapes resolved, protective braces gone.

    Raises ModelError when the value nests groups deeper than :data:`MAX_LATEX_DEPTH`.
    """
    if not _PLAIN_RE.search(latex):
        return latex.replace("{", "").replace("}", "")
    for tex, char in _QUOTES:
        latex = latex.replace(tex, char)
    # escape()'s own commands, which pylatexenc reads otherwise (\textasciicircum becomes U+02C6).
    for char, tex in _COMMANDS.items():
        latex = latex.replace(tex, _HOLD[char])
    # A bare % would start a LaTeX comment and swallow the rest: in a .bib value it is
    # an unescaped percent sign (an error for LaTeX, but the author meant the character).
    latex = re.sub(r"(?<!\\)%", r"\\%", latex)
    if latex_depth(latex) > MAX_LATEX_DEPTH:
        raise ModelError(f"the LaTeX nests braces more than {MAX_LATEX_DEPTH} deep")
    text = _DECODER.latex_to_text(latex)
    for char, hold in _HOLD.items():
        text = text.replace(hold, char)
    # No Unicode normalisation: a value reads back as the characters written.
    return str(text)


def closing(text: str, start: int) -> int | None:
    r"""Index of the delimiter closing the ``{`` or ``"`` at ``start``, or None if unclosed.

    Braces nest, ``\{`` and ``\}`` are escapes, and a ``"`` closes a quoted BibTeX value
    only outside braces.
    """
    depth = 0
    quote = text[start] == '"'
    i = start + 1 if quote else start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quote:
                return i
            if depth < 0:
                return None
        elif char == '"' and quote and depth == 0:
            return i
        i += 1
    return None
