"""Tell the language of a text that does not declare it: script, then function words.

Saved pages often have no ``lang`` attribute and text copies never do, yet APA needs to
know that a title is German (a bracketed English translation, PC217). No language
detection library is installed with policycite, and one is not worth a dependency here:
a page's language is evident from its most frequent function words ("der", "und",
"nicht"), a few microseconds' count over the first 2,000 characters. The tables below
hold words frequent in one language and rare in the others of the table (words shared
by two of them, such as "de" or "en", are left out). Norwegian, too close to Danish for
function words, is not guessed. Pure functions; no I/O, nothing from policycite.
"""

from __future__ import annotations

import re
from collections import Counter

_SAMPLE = 2000  # characters: enough to tell the script and language of a page
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "cjk": _CJK,
}
_WORDS = re.compile(r"[^\W\d_]+")
#: Function words that tell Latin-script languages apart.
FUNCTION_WORDS = {
    "en": frozenset("the and of to is that for with was were on are this it".split()),
    "de": frozenset("der die das und ist nicht mit für auf dem eine ein zu von sich im".split()),
    "fr": frozenset("le la les des et est une du dans pour avec sur au qui pas".split()),
    "es": frozenset("el los las del y es por con se al lo como más".split()),
    "it": frozenset("della di che è per sono gli nel alla dei delle il non".split()),
    "nl": frozenset("het een van en dat voor met niet op zijn te aan ook wordt".split()),
    "pt": frozenset("os das dos uma não com em ao pelo são pela".split()),
    "sv": frozenset("och att är inte av till som det med på har".split()),
    "da": frozenset("og at er ikke af til som det med på har".split()),
    "pl": frozenset("w na z się że nie jest jak przez dla oraz".split()),
}


def script(text: str) -> str | None:
    """The script most letters of a text are written in: latin, cyrillic or cjk."""
    sample = text[:_SAMPLE]
    counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None


def detect(text: str) -> tuple[str, str] | None:
    """(BCP 47 tag, how it was told) of a text's language, or None when unsure.

    Cyrillic is Russian unless Ukrainian letters show; kana is Japanese, Hangul Korean,
    other CJK Chinese; Latin-script text is the language whose function words it uses
    most, when one language clearly leads.
    """
    found = script(text)
    if found == "cyrillic":
        # Ukrainian has letters Russian lacks.
        if re.search(r"[іїєґІЇЄҐ]", text):
            return "uk", "Cyrillic script with Ukrainian letters"
        return "ru", "Cyrillic script"
    if found == "cjk":
        if re.search(r"[\u3040-\u30ff]", text):
            return "ja", "kana in the text"
        if re.search(r"[\uac00-\ud7af]", text):
            return "ko", "Hangul in the text"
        return "zh", "Chinese characters"
    if found == "latin":
        words = Counter(w.lower() for w in _WORDS.findall(text[:_SAMPLE]))
        counts = {lang: sum(words[w] for w in table) for lang, table in FUNCTION_WORDS.items()}
        ranked = sorted(counts, key=lambda lang: counts[lang], reverse=True)
        best, second = ranked[0], ranked[1]
        if counts[best] and counts[best] > counts[second]:
            return best, f"Latin script, most function words are {best!r}"
    return None


__all__ = ["FUNCTION_WORDS", "detect", "script"]
