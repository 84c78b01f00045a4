"""Find text damaged by a wrong character encoding (mojibake, lost characters) and repair it.

A captured title or paragraph can arrive damaged in two ways:

* *misread* bytes: UTF-8 read as cp1252 (``Councilâ€™s``), cp1251 read as cp1252
  (``Øàíõàéñêàÿ``), KOI8-R or GBK read as latin-1. No byte is lost, so the text can be
  decoded again and repaired;
* *lost* characters: a converter replaced what it could not encode with ``?`` or
  U+FFFD (``Organisation?s``, ``上海合作??``). That cannot be undone; the user has to take
  the text from another copy.

The rules and their thresholds were measured on broken and clean titles (see the project
notes, "Mojibake in reference titles"): they flag every broken case and none of the clean
ones, in Russian, Chinese, Kazakh, Japanese, Hindi, Arabic, Vietnamese, Turkish and Western
European languages with curly quotes, guillemets and dashes. ftfy repairs UTF-8 misread
as a single-byte charset; re-decoding, gated by charset-normalizer's mess ratio, repairs
the legacy charsets ftfy does not try. This module does no I/O.
"""

# ruff: noqa: RUF001, RUF002, RUF003 - mojibake, Cyrillic and CJK examples, on purpose

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable

import attrs

from policycite.findings import Finding, Location


def _charset_normalizer_mess_ratio(text: str, maximum: float) -> float:
    """charset-normalizer's mess ratio; ImportError when this release lacks it.

    Imported on first use: most text is ASCII and never asks, and the import costs a
    warm ``policycite check`` a tenth of its start-up (issue 17).
    """
    from charset_normalizer.md import mess_ratio

    return float(mess_ratio(text, maximum))


# charset-normalizer's mess detector is private API: used when it is there (None: never).
_cn_mess_ratio: Callable[[str, float], float] | None = _charset_normalizer_mess_ratio


@attrs.frozen
class Damage:
    """What is wrong with a text, and its repair when one is possible.

    ``repaired`` is None when no repair was found. It may still hold lost characters
    (U+FFFD left by a lossy conversion) when the repair is only partial: see
    :attr:`recoverable`. ``reasons`` are human-readable, e.g. ``"UTF-8 read as cp1252"``.
    """

    text: str
    repaired: str | None
    reasons: tuple[str, ...]

    @property
    def recoverable(self) -> bool:
        """True when :attr:`repaired` is a complete repair (no characters lost)."""
        return self.repaired is not None and not _lost(self.repaired)


# --- characters that never belong in captured text ------------------------------------

# C1 controls are what cp1252 punctuation (’ “ ” – …) becomes when read as latin-1;
# private-use characters come from icon fonts or from lost characters mapped by a converter.
_BAD_CHAR = re.compile("[\x80-\x9f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


def _bad_char_reasons(text: str) -> list[str]:
    kinds: dict[str, list[str]] = {}
    for match in _BAD_CHAR.finditer(text):
        char = match.group()
        if char == "\ufffd":
            kind = "U+FFFD replacement character where a character was lost"
        elif char <= "\x9f":
            kind = "C1 control character"
        else:
            kind = "private-use character"
        codes = kinds.setdefault(kind, [])
        code = f"U+{ord(char):04X}"
        if code not in codes and len(codes) < 3:  # enough to say what is wrong
            codes.append(code)
    reasons = []
    for kind, codes in kinds.items():
        if kind.startswith("U+FFFD"):
            reasons.append(kind)
        else:
            reasons.append(f"{kind}{'s' if len(codes) > 1 else ''} {', '.join(codes)}")
    return reasons


# --- question marks where characters were lost ----------------------------------------

# A converter that cannot encode a character writes "?" instead. Legitimate "?" ends a
# sentence ("What next for the SCO??"), so only these count as loss: "?" between two
# letters (Organisation?s, Шанхай?кая); "??" touching a CJK character, since CJK text
# writes its questions with a full-width "？"; and words made of three or more "?" (a whole
# Cyrillic word sent through ASCII). A plain loop over the "?" is several times faster
# than regular expressions with look-behind, which try every position of a paragraph.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD_OPEN = "(«\"'“‘"
_WORD_CLOSE = ")»\"'”’.,;:!"
# "?" in a URL's query string sits between letters too (index.php?id=3).
_URLISH = re.compile(r"://|www\.|[=&/]")


def _token_around(text: str, index: int) -> str:
    start = max(text.rfind(c, 0, index) for c in " \t\n") + 1
    ends = [e for e in (text.find(c, index) for c in " \t\n") if e != -1]
    return text[start : min(ends) if ends else len(text)]


def _question_reasons(text: str) -> list[str]:
    reasons: list[str] = []
    end = len(text)
    i = text.find("?")
    while i != -1:
        j = i
        while j < end and text[j] == "?":
            j += 1
        before = text[i - 1] if i else " "
        after = text[j] if j < end else " "
        run = text[i:j]
        if before.isalpha() and after.isalpha():
            if not _URLISH.search(_token_around(text, i)):
                lost = "a character was" if len(run) == 1 else "characters were"
                return [f"{run!r} inside a word where {lost} lost"]
        elif len(run) >= 2 and (_CJK.match(before) or _CJK.match(after)):
            reasons = ["'??' where characters were lost"]
        elif (
            len(run) >= 3
            and (before.isspace() or before in _WORD_OPEN)
            and (after.isspace() or after in _WORD_CLOSE)
            and not reasons
        ):
            reasons = ["a word of '?' where characters were lost"]
        i = text.find("?", j)
    return reasons


def _lost(text: str) -> bool:
    """True when characters are lost for good (U+FFFD or '?' in place of letters)."""
    return "\ufffd" in text or ("?" in text and bool(_question_reasons(text)))


# --- scripts --------------------------------------------------------------------------

_SCRIPT_ALIASES = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "KATAKANA-HIRAGANA": "Kana",
}
# The first word of a letter's Unicode name that names a script; other letters (µ MICRO
# SIGN, ª FEMININE ORDINAL INDICATOR, ʻ MODIFIER LETTER) belong to no script here.
_SCRIPTS = frozenset(
    "LATIN CYRILLIC GREEK ARMENIAN HEBREW ARABIC SYRIAC THAANA DEVANAGARI BENGALI GURMUKHI "
    "GUJARATI ORIYA TAMIL TELUGU KANNADA MALAYALAM SINHALA THAI LAO TIBETAN MYANMAR "
    "GEORGIAN HANGUL ETHIOPIC KHMER MONGOLIAN Han Kana".split()
)
# Japanese writes kanji and kana in one word; Chinese and Japanese put Latin acronyms inside
# words without spaces (GDP增长). Neither is a sign of damage.
_EAST_ASIAN = frozenset({"Han", "Kana", "HANGUL"})


@functools.lru_cache(maxsize=8192)
def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name ("LATIN", "CYRILLIC", "Han"), or None."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "LATIN"
    words = unicodedata.name(char, "").split()
    if words and words[0] in ("FULLWIDTH", "HALFWIDTH"):
        words = words[1:]
    if not words:
        return None
    script = _SCRIPT_ALIASES.get(words[0], words[0])
    return script if script in _SCRIPTS else None


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if a in _EAST_ASIAN and b in _EAST_ASIAN:
        return True
    return (a == "LATIN" and b in _EAST_ASIAN) or (b == "LATIN" and a in _EAST_ASIAN)


# Parts of a token that may legitimately be in different scripts: ШОС/SCO, COVID-тест,
# Twitter'е (Russian inflects foreign names after an apostrophe).
_SUBTOKEN_SPLIT = re.compile(r"[/\-\u2010-\u2015'\u2019]")


def mixed_script_tokens(text: str) -> list[str]:
    """Whitespace tokens in which the script changes from one letter to the next.

    ``"сотрудничестваThe"`` and ``"上海合作??Шанхайская"`` are returned: two texts run
    together, as when a site banner is glued to a title. Parts split by ``/``, ``-`` or an
    apostrophe are checked separately (``ШОС/SCO`` is fine), and East Asian scripts mixed
    with each other or with Latin (``GDP增长``) are normal. Legitimate text can still
    trip this, so callers should report it with a low severity.
    """
    found = []
    for token in text.split():
        if token.isascii():
            continue
        for part in _SUBTOKEN_SPLIT.split(token):
            previous: str | None = None
            mixed = False
            for char in part:
                script = _script(char)
                if script is None:
                    continue
                if previous is not None and not _compatible(previous, script):
                    mixed = True
                    break
                previous = script
            if mixed:
                found.append(token)
                break
    return found


# --- re-decoding legacy charsets ------------------------------------------------------

#: Charsets tried when text read as cp1252/latin-1 looks like mojibake, in order of
#: preference when two give an equally clean result.
REDECODE_CHARSETS = (
    "utf-8",
    "cp1251",
    "koi8_r",
    "gbk",
    "big5",
    "shift_jis",
    "euc_kr",
    "cp1256",
    "iso8859_7",
)
_MESS_THRESHOLD = 0.1

_VOWELS = {
    "CYRILLIC": frozenset("аеёиоуыэюяіїєўөүұәӑӗ"),
    "GREEK": frozenset("αεηιουωάέήίόύώϊϋΐΰ"),
}


def _fallback_mess_ratio(text: str) -> float:
    """A rough stand-in for charset-normalizer's mess ratio, used if its API moves.

    Counts what single-byte mojibake is made of, per non-ASCII character: C1 controls
    and Latin-1 symbols (× ÷ ¯ º £) inside words, case switching inside a word (ûÁÎÈ),
    and words of four or more accented letters with no plain one (Øàíõàéñêàÿ): real
    Latin-script words have some.
    """
    non_ascii = sum(1 for c in text if not c.isascii())
    if not non_ascii:
        return 0.0
    suspicious = 0
    for word in text.split():
        if len(word) >= 4 and all(not c.isascii() and _script(c) == "LATIN" for c in word):
            suspicious += len(word)
            continue
        for before, char in itertools.pairwise(word):
            symbol = before.isalpha() and ("\x80" <= char <= "\xbf" or char in "×÷")
            if symbol or (before.islower() and char.isupper()):
                suspicious += 1
    return suspicious / non_ascii


def _mess(text: str) -> float:
    if _cn_mess_ratio is not None:
        try:
            return float(_cn_mess_ratio(text, 1.0))
        except ImportError:  # pragma: no cover - depends on the installed release
            pass
    return _fallback_mess_ratio(text)


# Shift JIS spells half-width katakana with single bytes 0xA1-0xDF, so any Latin-1 symbol
# (° ² ³ µ ±) "decodes" to one; modern text does not use them.
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_LETTER_RUN = re.compile(r"[^\W\d_a-zA-Z]{4}")  # four letters, none ASCII


def _plausible(candidate: str) -> bool:
    """A re-decoded text is accepted only if clean and in a single non-Latin script."""
    if _BAD_CHAR.search(candidate) or _HALFWIDTH_KANA.search(candidate) or _ftfy_bad(candidate):
        return False
    scripts: dict[str, int] = {}
    vowels = 0
    for char in candidate:
        script = _script(char)
        if script is None or char.isascii():
            continue
        if script == "Kana":  # kanji and kana together are one (Japanese) text
            script = "Han"
        scripts[script] = scripts.get(script, 0) + 1
        if char.lower() in _VOWELS.get(script, ()):
            vowels += 1
    if len(scripts) != 1 or "LATIN" in scripts:
        return False
    ((script, letters),) = scripts.items()
    # A legacy charset spells every letter of its script with non-ASCII bytes, so real
    # mojibake gives back words, not a stray letter ("£5" would become cp1251 "Ј5") or
    # short all-accented words (Swedish "ÅÄÖ" would become "ЕДЦ").
    if script in _EAST_ASIAN:
        if letters < 2:
            return False
    elif not _LETTER_RUN.search(candidate):
        return False
    # Cyrillic read from Greek bytes (and the reverse) is also one clean script; real
    # words in either alphabet are about 40% vowels, such misreadings far fewer.
    if script in _VOWELS and letters >= 6 and vowels < 0.25 * letters:
        return False
    return not mixed_script_tokens(candidate)


def _redecode(text: str) -> tuple[str, str] | None:
    """Bytes of text read as cp1252/latin-1, decoded again: (text, reason) or None."""
    best: tuple[float, int, str, str] | None = None
    for read_as in ("cp1252", "latin-1"):
        try:
            data = text.encode(read_as)
        except UnicodeEncodeError:
            continue
        for order, charset in enumerate(REDECODE_CHARSETS):
            try:
                candidate = data.decode(charset)
            except UnicodeDecodeError:
                continue
            if candidate == text or not _plausible(candidate):
                continue
            key = (
                _mess(candidate),
                order,
                candidate,
                f"{_CHARSET_NAMES[charset]} read as {read_as}",
            )
            if key[0] < _MESS_THRESHOLD and (best is None or key[:2] < best[:2]):
                best = key
        if best is not None:  # cp1252 explains it; latin-1 would only repeat the answer
            break
    return (best[2], best[3]) if best else None


_CHARSET_NAMES = {
    "utf-8": "UTF-8",
    "cp1251": "cp1251",
    "koi8_r": "KOI8-R",
    "gbk": "GBK",
    "big5": "Big5",
    "shift_jis": "Shift JIS",
    "euc_kr": "EUC-KR",
    "cp1256": "cp1256",
    "iso8859_7": "ISO 8859-7",
    "sloppy-windows-1252": "cp1252",
    "windows-1252": "cp1252",
    "sloppy-windows-1251": "cp1251",
    "windows-1251": "cp1251",
    "latin-1": "latin-1",
    "macroman": "Mac Roman",
    "cp437": "cp437",
}


def _explain(steps: list[tuple[str, str]]) -> list[str]:
    """The steps of ftfy's plan as reasons: an encode/decode pair is "X read as Y"."""
    reasons: list[str] = []
    encoded: str | None = None
    for kind, name in steps:
        if kind == "encode":
            encoded = name
        elif kind == "decode" and encoded is not None:
            read_as, actual = (_CHARSET_NAMES.get(n, n) for n in (encoded, name))
            reasons.append(f"{actual} read as {read_as}")
            encoded = None
        elif name == "decode_inconsistent_utf8":
            reasons.append("UTF-8 partly read as cp1252")
    out: list[str] = []
    for reason in reasons:  # double encoding: "UTF-8 read as cp1252 twice"
        if out and out[-1].removesuffix(" twice") == reason:
            out[-1] = f"{reason} twice"
        else:
            out.append(reason)
    return out


# Every pattern of ftfy's badness test involves a character from these ranges (Latin-1,
# Latin Extended, Greek, Cyrillic, general punctuation, currency, maths, box drawing, the
# fi/fl ligatures, Apple's logo and U+FFFD; tests/test_mojibake.py checks this against
# ftfy's tables). A CJK, Arabic or Hindi paragraph with none of them skips the test,
# which costs about 0.2 µs per character.
_MAYBE_BAD = re.compile("[\x80-\u04ff\u2000-\u25ff\uf8ff\ufb01\ufb02\ufffd]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _is_bad(text: str) -> bool:
    """ftfy.badness.is_bad, run only on the parts of ``text`` where it can match.

    Each of ftfy's patterns matches non-ASCII characters with at most two ASCII
    characters on either side, so the ASCII stretches of a paragraph (most of an English
    or French one) can be dropped: the test then costs a fraction of a full run. Windows
    are joined by a newline, which no pattern can use across two windows.
    """
    if not _MAYBE_BAD.search(text):
        return False
    pieces = []
    start = end = -1
    for match in _NON_ASCII_RUN.finditer(text):
        left, right = max(0, match.start() - 2), match.end() + 2
        if left <= end:
            end = right
            continue
        if end >= 0:
            pieces.append(text[start:end])
        start, end = left, right
    pieces.append(text[start:end])
    return _ftfy_bad("\n".join(pieces))


def _ftfy_bad(text: str) -> bool:
    """ftfy.badness.is_bad, with ftfy loaded on the first text that needs it.

    Not with this module: a check of text without such characters never loads it
    (start-up, issue 17).
    """
    import ftfy.badness

    return bool(ftfy.badness.is_bad(text))


def diagnose(text: str) -> Damage | None:
    """What is wrong with ``text``'s encoding, with a repair if possible; None when clean.

    Runs on every paragraph of every captured page, so clean ASCII text costs one scan.
    """
    if text.isascii():
        # ASCII cannot be mojibake; only "?" can stand for lost characters.
        if "?" not in text:
            return None
        reasons = _question_reasons(text)
        return Damage(text, None, tuple(reasons)) if reasons else None

    reasons = _bad_char_reasons(text)
    if "?" in text:
        reasons += _question_reasons(text)
    repaired: str | None = None
    if _is_bad(text):
        import ftfy

        fixed = ftfy.fix_encoding_and_explain(text)
        steps = [(str(kind), str(name)) for kind, name in fixed.explanation or ()]
        # A plan that reinterprets bytes is a repair even if some were lost; ftfy's other
        # steps alone (decode_inconsistent_utf8) also "fix" GBK mojibake, wrongly.
        reinterpreted = any(kind == "decode" for kind, _ in steps)
        if fixed.text != text and (reinterpreted or not _ftfy_bad(fixed.text)):
            repaired = fixed.text
            reasons = _explain(steps) + reasons
        else:
            reasons.append("characters typical of text decoded with the wrong charset")
    if repaired is None or _ftfy_bad(repaired):
        found = _legacy_repair(text)
        if found is not None:
            repaired, reason = found
            reasons = [reason] + [r for r in reasons if not r.startswith("characters typical")]
    return Damage(text, repaired, tuple(reasons)) if reasons else None


def _legacy_repair(text: str) -> tuple[str, str] | None:
    # Only text that cp1252 or latin-1 can encode can be their misreading (one Cyrillic
    # or CJK letter rules it out); the mess ratio gate keeps clean French or German (0.0)
    # away from the re-decoding.
    if not (_encodable(text, "latin-1") or _encodable(text, "cp1252")):
        return None
    if _mess(text) < _MESS_THRESHOLD:
        return None
    return _redecode(text)


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


# --- findings -------------------------------------------------------------------------

_EXCERPT = 70  # characters of a long text shown around the first change


def _shown(text: str, at: int = 0) -> str:
    """``text`` quoted on one line, cut to about 70 characters from a little before ``at``.

    repr() keeps the message one line and makes C1 and private-use characters visible.
    """
    if len(text) <= _EXCERPT:
        return repr(text)
    start = max(0, at - 20)
    end = start + _EXCERPT
    return ("…" if start else "") + repr(text[start:end]) + ("…" if end < len(text) else "")


def _first_change(before: str, after: str) -> int:
    for index, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            return index
    return min(len(before), len(after))


def _first_damage(text: str) -> int:
    places = [m.start() for m in (_BAD_CHAR.search(text), re.search(r"\?\?|\w\?\w", text)) if m]
    return min(places, default=0)


def check_text(text: str, *, location: Location, what: str) -> tuple[str, list[Finding]]:
    """The text to use (repaired when possible) and findings about its encoding.

    PC301 reports a repair, showing the text before and after; PC302 reports damage that
    cannot be undone (characters lost to ``?`` or U+FFFD, or mojibake no charset explains).
    ``what`` names the field in messages ("title", "paragraph 4").
    """
    damage = diagnose(text)
    if damage is None:
        return text, []
    why = "; ".join(damage.reasons)
    findings = []
    if damage.repaired is not None:
        at = _first_change(text, damage.repaired)
        findings.append(
            Finding(
                "PC301",
                f"{what} repaired ({why}): {_shown(text, at)} → {_shown(damage.repaired, at)}",
                location=location,
            )
        )
        if damage.recoverable:
            return damage.repaired, findings
        text = damage.repaired
        why = "; ".join(_bad_char_reasons(text) + _question_reasons(text)) or why
    findings.append(
        Finding(
            "PC302",
            f"{what} is damaged beyond repair ({why}): {_shown(text, _first_damage(text))}",
            location=location,
            hint="take the text from another copy of the page, or correct the record by hand",
        )
    )
    return text, findings


__all__ = ["REDECODE_CHARSETS", "Damage", "check_text", "diagnose", "mixed_script_tokens"]
