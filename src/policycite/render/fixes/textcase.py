"""CSL title case as citeproc-js applies it.

citeproc-py's stop-word list is short ("Central Asia After the Pandemic", "Remarks Amid
the Drought") and it does not treat hyphenated parts as words ("Cross-border"). Here:
the stop words are citeproc-js's (prepositions, articles and conjunctions, including
two-word phrases such as "due to"); a stop word is lower-cased except at the start and
after a colon, full stop, question or exclamation mark; words starting with a digit are
left as they are; every other all-lower-case word or
hyphenated part is capitalised; words with capitals of their own ("SCO", "iPhone") and
text protected from case changes are left alone. Only English items are title-cased.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, NoCase, String

STOP_WORDS = frozenset(
    """
about above across afore after against along alongside amid amidst among amongst anenst
apropos apud around as aside astride at athwart atop barring before behind below beneath
beside besides between beyond but by circa despite down during except for forenenst from
given in inside into lest like modulo near next notwithstanding of off on onto out over per
plus pro qua sans since than through thru throughout thruout till to toward towards under
underneath until unto up upon versus vs. v. vs v via vis-à-vis with within without or yet so
and nor a an the de d' von van c et ca
""".split()
)
STOP_PHRASES = frozenset(
    tuple(p.split())
    for p in """
according to|ahead of|apart from|as for|as of|as per|as regards|aside from|back to|because of
|close to|due to|except for|far from|inside of|instead of|near to|next to|on to|out from
|out of|outside of|prior to|pursuant to|rather than|regardless of|such as|that of|up to
|where as""".replace("\n", "").split("|")
)

_TOKENS = re.compile(r"(\s+)")
_EDGE = re.compile(r"^[^\w']*|[^\w']*$")


def _core(word: str) -> str:
    return _EDGE.sub("", word).lower()


def _capitalise(part: str) -> str:
    for index, char in enumerate(part):
        if char.isalpha():
            return part[:index] + char.upper() + part[index + 1 :]
    return part


def title_case(text: Any) -> Any:
    """Title-case citeproc-py text (String, MixedString with NoCase runs, or str)."""
    segments = list(text) if isinstance(text, MixedString) else [text]
    words = []  # (segment index, token index, word) for every word outside NoCase
    tokens: list[list[str]] = []
    for s_index, segment in enumerate(segments):
        parts = _TOKENS.split(str.__str__(segment)) if isinstance(segment, str) else [str(segment)]
        tokens.append(parts)
        if isinstance(segment, NoCase):
            continue
        for t_index, token in enumerate(parts):
            if token and not token.isspace():
                words.append((s_index, t_index, token))
    stop = [False] * len(words)
    for i in range(len(words) - 1):
        if (_core(words[i][2]), _core(words[i + 1][2])) in STOP_PHRASES:
            stop[i] = stop[i + 1] = True
    sentence_start = True
    for i, (s_index, t_index, word) in enumerate(words):
        if word[:1].isdigit():  # "07-x", "1990s": numbers and what hangs on them stay
            sentence_start = False
            continue
        pieces = word.split("-")
        for j, piece in enumerate(pieces):
            core = _core(piece)
            is_stop = (stop[i] and len(pieces) == 1) or core in STOP_WORDS
            starts = sentence_start and j == 0
            if piece != piece.lower() and piece != piece.capitalize():
                continue  # capitals of its own: an acronym or a name, left alone
            if is_stop and not starts:
                pieces[j] = piece.lower() if not piece.isupper() else piece
            elif piece == piece.lower():
                pieces[j] = _capitalise(piece)
        tokens[s_index][t_index] = "-".join(pieces)
        sentence_start = word.rstrip("\u201d\u2019\"')]").endswith((":", "?", "!", "."))
    rebuilt = []
    for segment, parts in zip(segments, tokens, strict=True):
        value = "".join(parts)
        rebuilt.append(type(segment)(value) if isinstance(segment, String) else value)
    if isinstance(text, MixedString):
        return MixedString(rebuilt)
    return rebuilt[0]


class TitleCase:
    """text-case="title" with citeproc-js's stop words and hyphen rules."""

    def case(self, text: Any, language: Any = None) -> Any:
        if self.get("text-case") == "title":
            if language not in (None, "en") or not text:
                return text
            return title_case(text)
        return super().case(text, language)
