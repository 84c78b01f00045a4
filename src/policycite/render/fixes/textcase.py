"""CSL title case as citeproc-js applies it.

citeproc-py's stop-word list is short ("Central Asia After the Pandemic", "Remarks Amid
the Drought") and it does not treat hyphenated parts as words ("Cross-border"). Here:
the stop words are citeproc-js's (prepositions, articles and conjunctions, including
two-word phrases such as "due to"); a stop word is lower-cased except at the start and
after a colon, full stop, question or exclamation mark; words starting with a digit are
left as they are; every other all-lower-case word or
hyphenated part is capitalised; words with capitals of their own ("SCO", "iPhone") and
text protected from case changes are left alone. Only English items are title-cased.

APA styles (see :func:`is_apa_style`) get APA's own title case instead (Publication
Manual 6.17): only the minor words of three letters or fewer stay lower-case (articles,
short conjunctions, short prepositions: "a", "and", "of", "via"), so every word of four
letters or more is capitalised ("After", "Into", "With", "From", "Over"); the first word,
the first word after a colon, an em dash or end punctuation, and both parts of a
hyphenated word ("Self-Report") are capitalised too.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.string import MixedString, NoCase, String

from policycite.render.fixes.caching import item_language
from policycite.render.quotemarks import has_markers

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

#: APA's minor words (Manual 6.17, apastyle.apa.org "Title case capitalization"): articles,
#: short conjunctions and short prepositions of three letters or fewer; the name particles
#: and abbreviations CSL keeps lower-case ("van", "de", "et", "ca") stay so as well.
APA_MINOR_WORDS = frozenset(
    """
a an the and as but for if nor or so yet at by in of off on per to up via
de d' von van c et ca v. vs.
""".split()
)
#: Text that ends a phrase, after which a title-cased word is capitalised.
_PHRASE_ENDS = (":", "?", "!", ".")
_APA_PHRASE_ENDS = (*_PHRASE_ENDS, "\u2014")

_TOKENS = re.compile(r"(\s+)")
#: What may stand before the letter a title-cased word starts with.
_LEADING = "\"'\u201c\u2018\u201e\u00ab\u2039([{\u00bf\u00a1"
_JOINERS = re.compile("([-\u2013\u2014/])")
#: Markup in a value that keeps its text as it is under title case (citeproc-js).
_IMPLICIT_NOCASE = frozenset({"SmallCaps", "Superscript", "Subscript"})
_EDGE = re.compile(r"^[^\w']*|[^\w']*$")


def _core(word: str) -> str:
    return _EDGE.sub("", word).lower()


def _capitalise(part: str) -> str:
    # Past opening quotes and brackets only: "“quotas”" -> "“Quotas”", but "<script>"
    # stays as it is (citeproc-js).
    for index, char in enumerate(part):
        if char.isalpha():
            return part[:index] + char.upper() + part[index + 1 :]
        if char not in _LEADING and not has_markers(char):
            return part
    return part


def title_case(text: Any, *, apa: bool = False) -> Any:
    """Title-case citeproc-py text (String, MixedString with NoCase runs, or str).

    ``apa`` applies APA's rule (minor words of three letters or fewer only) instead of
    CSL's stop words.
    """
    minor, phrases = (APA_MINOR_WORDS, frozenset()) if apa else (STOP_WORDS, STOP_PHRASES)
    ends = _APA_PHRASE_ENDS if apa else _PHRASE_ENDS
    segments = list(text) if isinstance(text, MixedString) else [text]
    words = []  # (segment index, token index, word) for every word outside NoCase
    tokens: list[list[str]] = []
    for s_index, segment in enumerate(segments):
        parts = _TOKENS.split(str.__str__(segment)) if isinstance(segment, str) else [str(segment)]
        tokens.append(parts)
        if isinstance(segment, NoCase) or _IMPLICIT_NOCASE & set(getattr(segment, "wrappers", ())):
            continue
        for t_index, token in enumerate(parts):
            if token and not token.isspace():
                words.append((s_index, t_index, token))
    stop = [False] * len(words)
    for i in range(len(words) - 1):
        if (_core(words[i][2]), _core(words[i + 1][2])) in phrases:
            stop[i] = stop[i + 1] = True
    sentence_start = True
    for i, (s_index, t_index, word) in enumerate(words):
        if word[:1].isdigit():  # "07-x", "1990s": numbers and what hangs on them stay
            sentence_start = False
            continue
        # Hyphens, dashes and slashes join words that are cased each on its own
        # ("Cross-Border", "Scientist–Practitioner", "Cat/Mouse").
        pieces = _JOINERS.split(word)
        joiners = pieces[1::2]
        pieces = pieces[0::2]
        for j, piece in enumerate(pieces):
            core = _core(piece)
            # A hyphenated word is a major word, so its first part is capitalised
            # ("Pro-Environmental", APA's "Up-to-Date"); the inner minor parts stay
            # lower-case. Parts joined by a dash or a slash are words of their own.
            compound_head = j == 0 and len(pieces) > 1 and joiners[0] == "-"
            is_stop = (stop[i] and len(pieces) == 1) or (core in minor and not compound_head)
            starts = sentence_start and j == 0
            if piece != piece.lower() and piece != piece.capitalize():
                continue  # capitals of its own: an acronym or a name, left alone
            if is_stop and not starts:
                pieces[j] = piece.lower() if not piece.isupper() else piece
            elif piece == piece.lower():
                pieces[j] = _capitalise(piece)
        tokens[s_index][t_index] = "".join(
            piece + (joiners[j] if j < len(joiners) else "") for j, piece in enumerate(pieces)
        )
        sentence_start = word.rstrip("\u201d\u2019\"')]").endswith(ends)
    if not apa and words:
        _capitalise_last_stop_word(words[-1], segments, tokens, minor)
    rebuilt = []
    for segment, parts in zip(segments, tokens, strict=True):
        value = "".join(parts)
        rebuilt.append(type(segment)(value) if isinstance(segment, String) else value)
    if isinstance(text, MixedString):
        return MixedString(rebuilt)
    return rebuilt[0]


def _capitalise_last_stop_word(
    last: tuple[int, int, str],
    segments: list[Any],
    tokens: list[list[str]],
    minor: frozenset[str],
) -> None:
    # citeproc-js capitalises a stop word that ends the text ("Available At"), unless
    # case-protected text follows it.
    s_index, t_index, _ = last
    if any(str(segment).strip() for segment in segments[s_index + 1 :]):
        return
    if any(token.strip() for token in tokens[s_index][t_index + 1 :]):
        return
    word = tokens[s_index][t_index]
    piece = _JOINERS.split(word)[-1]
    core = _core(piece)
    if len(core) > 1 and core in minor and piece == piece.lower():
        tokens[s_index][t_index] = word[: len(word) - len(piece)] + _capitalise(piece)


_WORD_PARTS = re.compile(r"[^\s\-\u2013\u2014/]+")


def capitalize_all(text: Any) -> Any:
    """text-case="capitalize-all" as citeproc-js applies it.

    Every lower-case word, and every part of a hyphenated or slashed word
    ("Small-Ferry"), gets a capital; words with capitals of their own and protected
    text are left alone. citeproc-py capitalised whole words only ("Small-ferry").
    """

    def cased(segment: Any) -> Any:
        if isinstance(segment, NoCase) or _IMPLICIT_NOCASE & set(getattr(segment, "wrappers", ())):
            return segment
        raw = str.__str__(segment) if isinstance(segment, str) else str(segment)
        new = _WORD_PARTS.sub(
            lambda m: _capitalise(m.group()) if m.group() == m.group().lower() else m.group(),
            raw,
        )
        return type(segment)(new) if isinstance(segment, String) else new

    if isinstance(text, MixedString):
        return MixedString([cased(segment) for segment in text])
    return cased(text)


_CSL_NS = "http://purl.org/net/xbiblio/csl"
_APA_ID = re.compile(r"/apa(?:-[^/]*)?$")


def is_apa_style(root: Any) -> bool:
    """True for an APA style: its CSL id names it (``…/styles/apa``, ``…/apa-no-ampersand``).

    policycite's own APA style keeps an id ending in ``/apa``; a style can be marked APA
    so by its id alone, whatever its file is called.
    """
    ident = root.findtext(f"{{{_CSL_NS}}}info/{{{_CSL_NS}}}id") or ""
    return bool(_APA_ID.search(ident.strip()))


class TitleCase:
    """text-case as citeproc-js applies it.

    Title case with citeproc-js's stop words and hyphen rules (APA's in APA); lowercase
    and uppercase that leave case-protected text alone.
    """

    def case(self, text: Any, language: Any = None) -> Any:
        text_case = self.get("text-case")
        if text_case == "title":
            # Only English values are title-cased; a term or label is title-cased in
            # any locale, as citeproc-js does ("(Red.)" in da-DK, "U.å.").
            is_term = isinstance(self, model.Label) or self.get("term") is not None
            if (language not in (None, "en") and not is_term) or not text:
                return text
            return title_case(text, apa=self._apa())
        if text_case == "capitalize-all" and text:
            return capitalize_all(text)
        if text_case in ("lowercase", "uppercase") and isinstance(text, MixedString):
            # citeproc-py cases text protected from case changes too ("a smith pencil"
            # for "a <span class="nocase">Smith</span> pencil").
            upper = text_case == "uppercase"
            return MixedString(
                [s if isinstance(s, NoCase) else (s.upper() if upper else s.lower()) for s in text]
            )
        return super().case(text, language)

    def _apa(self) -> bool:
        root = self.get_root()
        if isinstance(root, model.Locale):  # a locale's term: the style decides
            root = root.style.root
        apa = root.__dict__.get("_policycite_apa")
        if apa is None:
            apa = root.__dict__["_policycite_apa"] = is_apa_style(root)
        return bool(apa)


class SentenceCaseSpaces:
    """text-case="sentence" splits words at spaces only, as citeproc-js does.

    citeproc-py splits at any white space and joins the words again with spaces: the
    no-break space of fr-FR's "s.\u00a0d." became a space ("[S. d.]" for citeproc-js's
    "[S.\u00a0d.]", inventaire-general-du-patrimoine-culturel). Plain text only (a
    string with case-protected parts is left to citeproc-py).
    """

    def case(self, text: Any, language: Any = None) -> Any:
        if (
            type(text) is String
            and self.get("text-case") == "sentence"
            and any(c.isspace() and c != " " for c in text)
        ):
            # citeproc-js's sentence(): the first word capitalised, the others lower-cased.
            words: list[str] = []
            for word in str.split(text, " "):
                if word and not any(words):
                    words.append(word[0].upper() + word[1:])
                else:
                    words.append(word.lower())
            return String(" ".join(words))
        return super().case(text, language)


class NumberMarkup:
    """text-case and strip-periods leave ``citation-number`` as it is, as in citeproc-js.

    citeproc-py hands the citation number to them as an ``int`` and raises (``'int'
    object has no attribute 'words'`` / ``'lower'`` / ``'replace'``):
    current-organic-synthesis, wiley-vch-books and
    revista-da-sociedade-brasileira-de-medicina-tropical lost every citation. Digits have
    neither case nor periods, so nothing changes.
    """

    def case(self, text: Any, language: Any = None) -> Any:
        if isinstance(text, int):
            return text
        return super().case(text, language)

    def strip_periods(self, string: Any) -> Any:
        if isinstance(string, int):
            return string
        return super().strip_periods(string)


class MacroTextCase:
    """text-case on ``<text macro>`` is not applied, as in citeproc-js.

    citeproc-js applies text-case only to terminal strings (a variable, a term, a value);
    a macro call's output is a group, so its text-case has no effect (checked against
    citeproc-js 2.4.63: ``<text macro="title" text-case="uppercase"/>`` prints the title
    as it is). citeproc-py applies it to the macro's rendered text instead, and raises
    (``'str' object has no attribute 'capitalize_first'`` / ``'words'``) when that text
    holds plain strings, as macros rendering names do: every item was lost.
    """

    def case(self, text: Any, language: Any = None) -> Any:
        if self.get("macro") is not None:
            return text
        return super().case(text, language)


class NamePartTextCase:
    """text-case on ``cs:name-part`` works on the plain strings citeproc-py passes it.

    citeproc-py hands a name part to its case methods as a ``str``, which has no
    ``capitalize_first`` or ``words``: ``<name-part name="given"
    text-case="capitalize-first"/>`` raised and the item was lost. citeproc-js applies the
    case to the part ("anna" → "Anna", "van der Berg" → "VAN DER BERG" in uppercase).
    """

    def format_part(self, given: Any, family: Any) -> tuple[Any, Any]:
        part = self.get("name")
        if part == "given" and given:
            given = self._cased(given)
        elif part == "family" and family:
            family = self._cased(family)
        return given, family

    def _cased(self, text: Any) -> Any:
        if self.get("text-case") is not None:
            language = self.__dict__.get("_policycite_case_language")
            # Cased as a String (which has the methods), handed on as the plain str
            # citeproc-py's name code joins: a name part holds no case-protected runs.
            # The item's language decides Turkish "İ" as it does for other text.
            text = str(self.case(String(text), language))
        return self.wrap(self.format(text))


#: The languages whose dotted and dotless i case as Turkish ("i" ↔ "İ", "\u0131" ↔ "I").
TURKIC = frozenset({"tr", "az"})


def _turkic_upper(text: str) -> str:
    return text.replace("i", "\u0130").upper()


def _turkic_lower(text: str) -> str:
    return text.replace("I", "\u0131").replace("\u0130", "i").lower()


class _TurkicString(String):
    """A String that changes case by Turkish rules (JavaScript's toLocaleUpperCase("tr"))."""

    def upper(self) -> Any:
        return String(_turkic_upper(str.__str__(self)))

    def lower(self) -> Any:
        return String(_turkic_lower(str.__str__(self)))

    def soft_upper(self) -> Any:
        return self.upper()

    def soft_lower(self) -> Any:
        return self.lower()

    def capitalize_first(self) -> Any:
        raw = str.__str__(self)
        return String(_turkic_upper(raw[:1]) + raw[1:]) if raw else String(raw)

    def words(self) -> Any:
        for word in self.split():
            yield _TurkicString(word)


def _turkic(text: Any) -> Any:
    """``text`` with its case-changeable segments cased by Turkish rules."""
    if isinstance(text, MixedString):
        return MixedString(
            [
                _TurkicString(str.__str__(s)) if type(s) is String else s  # NoCase stays
                for s in text
            ]
        )
    if type(text) is String:
        return _TurkicString(str.__str__(text))
    return text


class TurkicCase:
    """text-case in Turkish and Azerbaijani: "içinde" becomes "İçinde", not "Içinde".

    citeproc-js cases text with ``toLocaleUpperCase`` / ``toLocaleLowerCase`` in the
    item's language, else the style's (``CSL.citeStart``'s lang_array); Python's
    ``str.upper`` knows no locale. The item's or style's language is the ``language``
    citeproc-py passes here.
    """

    def case(self, text: Any, language: Any = None) -> Any:
        if language in TURKIC and text and self.get("text-case") in _TURKIC_CASES:
            text = _turkic(text)
        return super().case(text, language)


class NumberCaseLanguage:
    """A cs:number is cased in its item's language, as other text is.

    citeproc-py's Number.markup calls ``case`` without a language, so a Turkish style's
    ``<number form="roman" text-case="uppercase"/>`` printed "XVII" where citeproc-js
    (toLocaleUpperCase on "xvii") prints "XVİİ". process and markup run back to back in
    one render, so the language is kept on the element between them.
    """

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        self.__dict__["_policycite_case_language"] = item_language(self, item)
        return super().process(item, context, **kwargs)

    def case(self, text: Any, language: Any = None) -> Any:
        if language is None:
            language = self.__dict__.get("_policycite_case_language")
        return super().case(text, language)


#: The text-case values whose letters go through upper() and lower() (title case is for
#: English only; capitalize-all has its own word rules).
_TURKIC_CASES = frozenset({"uppercase", "lowercase", "capitalize-first"})
