"""Romanise titles and names in Cyrillic or Chinese at capture (APA Manual 9.38-9.39).

APA prints a title or a name in a non-Latin script transliterated into the Latin alphabet
(the title followed by an [English translation]); policycite keeps the original on the
record and fills ``custom.transliteration`` beside it, naming the system used in
``custom.provenance.transliteration``. The systems:

* ``bgn`` (BGN/PCGN, Russian: "Ekonomicheskaya politika"), ``alalc`` (ALA-LC, Russian,
  the Library of Congress table with its diacritics: "Ėkonomicheskai͡a") and ``iso9``
  (ISO 9:1995, any Cyrillic language: "Èkonomičeskaâ"), from the ``iuliia`` tables;
* ``pinyin`` (Hanyu Pinyin without tone marks, the form APA's guides print): readings
  from ``pypinyin``, word division and proper names from ``jieba``'s dictionary, so that
  中国社工与志愿者合作的模式 becomes "Zhongguo shegong yu zhiyuanzhe hezuo de moshi".

``auto`` (the default of ``policycite add``) picks BGN/PCGN for Russian, ISO 9 for other
Cyrillic languages and pinyin for Chinese; Japanese, Korean, Arabic and the rest have no
system here and get a PC305 finding (a field a reference needs was not made). The
libraries are imported on first use: reading a library or checking a brief never loads
them.
"""

# ruff: noqa: RUF001 - Cyrillic letters and Chinese punctuation, on purpose

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import attrs

from policycite.capture.language import detect
from policycite.findings import Finding, Location
from policycite.model import Name, Source

__all__ = ["CHOICES", "SYSTEMS", "is_latin", "romanise", "romanise_name", "transliterate"]

#: System name (the ``--transliterate`` value) -> the name recorded in provenance.
SYSTEMS = {"bgn": "BGN/PCGN", "alalc": "ALA-LC", "iso9": "ISO 9", "pinyin": "pinyin"}
#: What ``--transliterate`` accepts: a system, ``auto`` (by language) or ``none``.
CHOICES = ("auto", *SYSTEMS, "none")
_CYRILLIC_SYSTEMS = frozenset({"bgn", "alalc", "iso9"})

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

#: ISO 9:1995 letters of Ukrainian, Belarusian, Serbian and Macedonian that the Russian
#: table lacks (the standard is one table for all Cyrillic languages).
_ISO9_EXTRA = {
    "ґ": "g̀",
    "є": "ê",
    "і": "ì",
    "ї": "ï",
    "ў": "ŭ",
    "ђ": "đ",
    "ѓ": "ǵ",
    "ѕ": "ẑ",
    "ј": "ǰ",
    "љ": "l̂",
    "њ": "n̂",
    "ћ": "ć",
    "ќ": "ḱ",
    "џ": "d̂",
}
_ISO9_EXTRA.update({k.upper(): v[0].upper() + v[1:] for k, v in list(_ISO9_EXTRA.items())})

#: Chinese compound (two-character) surnames; other surnames are the first character.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 "
    "澹台 申屠 轩辕 呼延 南宫 独孤 歐陽 諸葛 長孫 夏侯 司空 闻人 聞人".split()
)
#: jieba's part-of-speech tags of proper names (person, place, organisation, other).
_PROPER = ("nr", "ns", "nt", "nz")
#: Chinese punctuation -> (Latin text, space before?, space after?).
_PUNCTUATION = {
    "，": (",", False, True),
    "。": (".", False, True),
    "、": (",", False, True),
    "：": (":", False, True),
    "；": (";", False, True),
    "！": ("!", False, True),
    "？": ("?", False, True),
    "（": ("(", True, False),
    "）": (")", False, True),
    "“": ('"', True, False),
    "”": ('"', False, True),
    "‘": ("'", True, False),
    "’": ("'", False, True),
    "《": ("", True, False),
    "》": ("", False, True),
    "—": ("—", False, False),
}


def is_latin(text: str | None) -> bool:
    """True when every letter of the text is in the Latin alphabet (or there is none)."""
    return not text or not _NON_LATIN_LETTER.search(text)


# ---------------------------------------------------------------------------------------
# Cyrillic


@functools.cache
def _cyrillic(system: str) -> Callable[[str], str]:
    import iuliia

    # BGN/PCGN without its optional middle dot ("Agent·stvo"), which no reader expects.
    schema = {"bgn": iuliia.BGN_PCGN_ALT, "alalc": iuliia.ALA_LC, "iso9": iuliia.GOST_779}[system]
    extra = _ISO9_EXTRA if system == "iso9" else {}

    def convert(text: str) -> str:
        out = str(schema.translate("".join(extra.get(c, c) for c in text)))
        # iuliia 0.13 leaves the Cyrillic ё where all three systems write the Latin ë.
        return out.replace("ё", "ë").replace("Ё", "Ë")

    return convert


# ---------------------------------------------------------------------------------------
# Chinese


@functools.cache
def _segmenter() -> Any:
    """The part-of-speech tokenizer of jieba, its dictionary loaded once (about a second)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # it reports loading its dictionary at DEBUG level
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return jieba.posseg.POSTokenizer(tokenizer)


def _syllables(word: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return list(lazy_pinyin(word, style=Style.NORMAL, v_to_u=True))


def _join(syllables: list[str]) -> str:
    """Syllables as one word, with the apostrophe pinyin puts before a, e, o: "Xi'an"."""
    out = syllables[0] if syllables else ""
    for syllable in syllables[1:]:
        out += ("'" if syllable[:1] in "aeo" else "") + syllable
    return out


def _split_long(word: str, freq: dict[str, int]) -> list[str]:
    """A long dictionary word (a full organisation name) as its words of up to 3 characters."""
    parts: list[str] = []
    rest = word
    while rest:
        size = next((n for n in (3, 2) if freq.get(rest[:n])), 1)
        parts.append(rest[:size])
        rest = rest[size:]
    return parts


def _pinyin(text: str, *, capitalise_all: bool = False) -> str:
    """Chinese text as pinyin words without tone marks; proper names capitalised."""
    tokenizer = _segmenter()
    freq = tokenizer.tokenizer.FREQ
    pieces: list[tuple[str, bool, bool]] = []  # (text, space before, space after)
    for pair in tokenizer.cut(text):
        word, flag = pair.word, pair.flag
        if word.isspace():
            continue
        if word in _PUNCTUATION:
            pieces.append(_PUNCTUATION[word])
            continue
        if not _HAN.search(word):
            pieces.append((word, True, True))
            continue
        proper = capitalise_all or flag.startswith(_PROPER)
        parts = _split_long(word, freq) if len(word) > 4 else [word]
        for part in parts:
            romanised = _join(_syllables(part))
            pieces.append((romanised.capitalize() if proper else romanised, True, True))
    out = ""
    after = False
    for piece, before, space_after in pieces:
        if out and before and after and not out.endswith(" "):
            out += " "
        out += piece
        after = space_after
    out = " ".join(out.split())
    return out[:1].upper() + out[1:]


def _chinese_name(name: Name) -> Name:
    if name.literal is not None:
        return Name(literal=_pinyin(name.literal, capitalise_all=True))
    family, given = name.family or "", name.given
    if given is None and _HAN.search(family) and len(family) > 1:
        # Chinese names are written family name first, without a space: 王毅.
        size = 2 if family[:2] in _COMPOUND_SURNAMES else 1
        family, given = family[:size], family[size:]
    return Name(
        family=_join(_syllables(family)).capitalize(),
        given=_join(_syllables(given)).capitalize() if given else None,
    )


# ---------------------------------------------------------------------------------------
# The public functions


def romanise(text: str, system: str) -> str:
    """Text in the Latin alphabet by a system of :data:`SYSTEMS`; Latin text is unchanged."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown transliteration system {system!r}; known: {', '.join(SYSTEMS)}")
    if is_latin(text):
        return text
    if system == "pinyin":
        return _pinyin(text) if _HAN.search(text) else text
    return _cyrillic(system)(text) if _CYRILLIC.search(text) else text


def _covers(text: str | None, system: str) -> bool:
    script = _HAN if system == "pinyin" else _CYRILLIC
    return bool(text) and bool(script.search(text or ""))


def romanise_name(name: Name, system: str) -> Name | None:
    """The Latin form of a name in a script the system covers, else None.

    Russian names given family first ("Иванов Иван Иванович", as
    :func:`policycite.capture.records.person_name` reads them) keep their parts.
    """
    parts = (name.literal, name.family, name.given)
    if not any(_covers(p, system) for p in parts):
        return None
    if system == "pinyin":
        return _chinese_name(name)
    convert = _cyrillic(system)
    return Name(
        family=convert(name.family) if name.family else None,
        given=convert(name.given) if name.given else None,
        literal=convert(name.literal) if name.literal else None,
        non_dropping_particle=name.non_dropping_particle,
        dropping_particle=name.dropping_particle,
        suffix=name.suffix,
    )


def _system_for(source: Source) -> str | None:
    """The system ``auto`` picks for a source, by its language or the script of its title."""
    text = " ".join(
        p for p in (source.title, *(n.literal or n.family or "" for n in source.authors)) if p
    )
    language = (source.language or (detect(text) or ("", ""))[0]).lower()
    base = language.split("-")[0]
    if base == "zh" or (not base and _HAN.search(text)):
        return "pinyin"
    if base == "ru":
        return "bgn"
    if _CYRILLIC.search(text):
        return "iso9"  # Ukrainian, Bulgarian, Serbian ...: ISO 9 has one table for all
    return None


def transliterate(
    source: Source, system: str = "auto", *, where: str = "<capture>"
) -> tuple[Source, list[Finding]]:
    """Fill the source's transliterated title and names; the originals are kept.

    ``system`` is one of :data:`CHOICES`. A transliteration already on the record (the
    user's own) is never replaced. A title or name in a non-Latin script that the system
    does not cover gets a PC305 finding.
    """
    if system not in CHOICES:
        raise ValueError(f"unknown transliteration {system!r}; use one of {', '.join(CHOICES)}")
    if system == "none":
        return source, []
    chosen = _system_for(source) if system == "auto" else system
    changes: dict[str, Any] = {}
    if chosen is not None:
        if source.title_transliterated is None and _covers(source.title, chosen):
            changes["title_transliterated"] = romanise(source.title or "", chosen)
        authors = []
        for name in source.authors:
            latin = None if name.transliterated else romanise_name(name, chosen)
            authors.append(attrs.evolve(name, transliterated=latin) if latin else name)
        if authors != list(source.authors):
            changes["authors"] = tuple(authors)
    if changes:
        assert chosen is not None
        changes["provenance"] = attrs.evolve(source.provenance, transliteration=SYSTEMS[chosen])
        source = attrs.evolve(source, **changes)
    findings = []
    left = [
        text
        for text in (
            None if source.title_transliterated else source.title,
            *(
                n.literal or " ".join(p for p in (n.family, n.given) if p)
                for n in source.authors
                if n.transliterated is None
            ),
        )
        if not is_latin(text)
    ]
    if left:
        how = f"the system {SYSTEMS[chosen]!r} does not cover it" if chosen else "no system fits"
        findings.append(
            Finding(
                "PC305",
                f"not transliterated ({how}): {_short(left[0])}; APA prints titles and names "
                "in the Latin alphabet",
                location=Location(where, key=source.key, field="custom.transliteration"),
                hint="add custom.transliteration (title, author) to the record by hand",
            )
        )
    return source, findings


def _short(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return text if len(text) <= 40 else text[:39] + "…"
