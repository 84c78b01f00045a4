"""Numbers: ordinals by grammatical gender, ranges with the locale's delimiter, page ranges.

citeproc-py

* takes the first ordinal term it finds, whatever its gender: French volumes came out
  "1ʳᵉ" (feminine, for an édition) where citeproc-js prints "1ᵉʳ" (a volume is
  masculine); likewise "long-ordinal" terms; and it lets a CSL 1.0 style's own
  ``ordinal-01`` to ``04`` replace a locale file's CSL 1.0.1 table ("2e", and "5" with
  no suffix, where citeproc-js prints "2ᵉ" and "5ᵉ");
* joins number ranges other than pages with an en dash, where citeproc-js uses the
  locale's ``page-range-delimiter`` for every numeric variable (French "2ᵉ-3ᵉ" with a
  non-breaking hyphen, Spanish "2.ª-3.ª");
* applies ``page-range-format`` to bare digits only, and its own way: Chicago's
  "1536–38", "100–104" and "1496–1504", a prefix repeated on the second page
  ("N110–N115" under "expanded"), and a range whose ends carry different prefixes left
  with its hyphen ("N110-P5") all differ from citeproc-js. The page range code here
  follows citeproc-js's (``CSL.Util.PageRangeMangler``) step for step.

A fix changes how a value is turned into text before it is rendered, never the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from citeproc import model

_CSL = "{http://purl.org/net/xbiblio/csl}"

#: Variables whose ranges follow page-range-format (a page locator is rendered as "page").
PAGE_VARIABLES = frozenset({"page", "page-first"})


# -- ordinals ----------------------------------------------------------------------------


def _term_text(term: Any) -> str:
    single = term.find(f"{_CSL}single")
    return str((single.text if single is not None else term.text) or "")


def _locale_terms(root: Any) -> list[dict[str, list[Any]]]:
    """The terms of each locale a style uses, by name, in the style's order of priority."""
    cached = root.__dict__.get("_policycite_locale_terms")
    if cached is None:
        cached = []
        for locale in getattr(root, "locales", ()):
            terms = locale.find(f"{_CSL}terms")
            table: dict[str, list[Any]] = {}
            for term in terms if terms is not None else ():
                name = term.get("name")
                if name and term.get("form") in (None, "long"):
                    table.setdefault(name, []).append(term)
            cached.append(table)
        root.__dict__["_policycite_locale_terms"] = cached
    return list(cached)


def term_gender(root: Any, name: str) -> str | None:
    """The grammatical gender of the term ``name`` ("masculine", "feminine") if it has one."""
    genders: dict[str, str | None] = root.__dict__.setdefault("_policycite_genders", {})
    if name not in genders:
        genders[name] = None
        for table in _locale_terms(root):
            terms = table.get(name)
            if terms:
                genders[name] = str(terms[0].get("gender")) if terms[0].get("gender") else None
                break
    return genders[name]


def _ordinal_matches(name: str, match: str | None, number: int) -> int | None:
    """How specifically the term ``ordinal-NN`` matches ``number`` (higher wins), or None."""
    digits = name.rsplit("-", 1)[1]
    if not digits.isdigit():
        return None
    value = int(digits)
    match = match or ("last-digit" if value < 10 else "last-two-digits")
    if match == "whole-number":
        return 3 if number == value else None
    if match == "last-two-digits":
        return 2 if number % 100 == value else None
    return 1 if number % 10 == value else None


def _by_gender(terms: list[Any], gender: str | None) -> Any:
    """The term of the gender asked for, else the one without a gender form."""
    for wanted in (gender, None):
        for term in terms:
            if term.get("gender-form") == wanted:
                return term
    return None


def _ordinal_term(tables: list[dict[str, list[Any]]], name: str, gender: str | None) -> Any:
    """The term ``name`` of ``gender`` in any of ``tables``, else its neuter form.

    citeproc-js merges the locales into one table of terms with a form per gender, so a
    style's neuter "ère" leaves the locale file's feminine "ʳᵉ" in place.
    """
    for wanted in (gender, None) if gender else (None,):
        for table in tables:
            for term in table.get(name, ()):
                if term.get("gender-form") == wanted:
                    return term
    return None


def ordinal(root: Any, number: int, gender: str | None) -> str:
    """``number`` with its ordinal suffix ("2nd", "1ᵉʳ" for a masculine French term).

    As citeproc-js decides it (``CSL.Util.Ordinalizer`` with its CSL 1.0.1 table): the
    locale of highest priority that defines the ``ordinal`` term decides which
    ``ordinal-NN`` term a number takes (NN matching the last digit below 10, else the last
    two digits, or the whole number with ``match="whole-number"``; the gender asked for
    first, then neuter terms; else ``ordinal``) and drops the ordinal terms of lower
    priority. Locales above it that define ``ordinal-NN`` but no ``ordinal`` (a CSL 1.0
    style's "ordinal-02: e") only change the text of the terms that table names: a
    French style defining ordinal-01 to 04 prints "2ᵉ" and "5ᵉ" with the locale file's
    table, as citeproc-js does. With no ``ordinal`` anywhere, the first locale with
    ordinal terms decides.
    """
    tables = _locale_terms(root)
    deciding = next((i for i, table in enumerate(tables) if "ordinal" in table), None)
    if deciding is None:
        deciding = next(
            (i for i, t in enumerate(tables) if any(n.startswith("ordinal-") for n in t)), None
        )
        if deciding is None:
            return str(number)
    table = tables[deciding]
    visible = tables[: deciding + 1]
    chosen: str | None = None
    for wanted in (gender, None) if gender else (None,):
        best: tuple[int, str] | None = None
        for name, terms in table.items():
            if not name.startswith("ordinal-"):
                continue
            for term in terms:
                if term.get("gender-form") != wanted:
                    continue
                rank = _ordinal_matches(name, term.get("match"), number)
                if rank is not None and (best is None or rank > best[0]):
                    best = (rank, name)
        if best is not None:
            chosen = best[1]
            break
    term = _ordinal_term(visible, chosen or "ordinal", gender)
    if term is None and chosen is not None:
        term = _ordinal_term(visible, "ordinal", gender)
    return f"{number}{_term_text(term) if term is not None else ''}"


def long_ordinal(root: Any, number: int, gender: str | None) -> str:
    """The long-ordinal term ("first", "deuxième"), else the ordinal (above ten)."""
    if 1 <= number <= 10:
        name = f"long-ordinal-{number:02}"
        for table in _locale_terms(root):
            if name in table:
                term = _by_gender(table[name], gender)
                if term is not None:
                    return _term_text(term)
    return ordinal(root, number, gender)


def roman(number: int) -> str:
    """Lower-case roman numerals, as CSL's form="roman" prints them (up to 3999)."""
    if not 0 < number < 4000:
        return str(number)
    out = []
    for letters, value in (
        ("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
        ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1),
    ):  # fmt: skip
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


# -- page ranges (citeproc-js's PageRangeMangler) ----------------------------------------------

_RANGE = re.compile(
    r"([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)\s*(?:\u2013|-)\s*([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)"
)
_PART = r"(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-z]*"
_RANGE_IN_TEXT = re.compile(rf"({_PART}\s+-\s+{_PART})")


def _listify(text: str, delimiter: str) -> list[Any]:
    """Text and ranges alternating: ["", "110-115", ", ", "200-99", ""]."""
    own = "" if delimiter == "-" else re.escape(delimiter)
    text = re.sub(rf"([^\\])[-{own}\u2013]", r"\1 - ", text)
    text = re.sub(r"\s+-\s+", " - ", text)
    parts = _RANGE_IN_TEXT.split(text)
    return [re.sub(r"\s*-\s*", "-", p) if i % 2 else p for i, p in enumerate(parts)]


def _expand(text: str, delimiter: str) -> list[Any]:
    parts = _listify(text, delimiter)
    for index in range(1, len(parts), 2):
        match = _RANGE.match(parts[index])
        if match:
            begin_prefix, begin, end_prefix, end = match.groups()
            if not end_prefix or begin_prefix == end_prefix:
                if len(end) < len(begin):
                    end = begin[: len(begin) - len(end)] + end
                if _int(begin) < _int(end):
                    parts[index] = [
                        begin_prefix,
                        begin,
                        delimiter + (begin_prefix or ""),
                        end,
                    ]
        if isinstance(parts[index], str):
            parts[index] = parts[index].replace("-", delimiter)
    return parts


def _int(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 0


def _stringify(parts: list[Any], delimiter: str) -> str:
    text = "".join(
        "".join(p or "" for p in part) if isinstance(part, list) else part for part in parts
    )
    return re.sub(r"([^\\])-", lambda m: m.group(1) + delimiter, text)


def _minimize_end(begin: str, end: str, keep: int) -> str:
    if len(begin) != len(end):
        return end
    kept = list(reversed(end))
    for b, e in zip(begin, end, strict=True):
        if b == e and len(kept) > keep:
            kept.pop()
        else:
            break
    return "".join(reversed(kept))


def _chicago_end(begin: int, end: int, version: int) -> str | None:
    if version == 16:
        if begin > 100 and begin % 100:
            for power in range(2, len(str(end))):
                divisor = 10**power
                if begin // divisor == end // divisor:
                    return str(end % divisor)
        return None
    if begin > 100 and begin % 100 and begin // 100 == end // 100:
        return str(end % 100)
    if begin >= 10000:
        return str(end % 1000)
    return None


_PAGE = re.compile(r"([0-9]*[a-zA-Z]+0*)?([0-9]+[a-z]*)")
_ROMAN_OR_DIGITS = re.compile(r"[0-9]+|[ivxlcmIVXLCM]+")
_ONE_RANGE = re.compile(r"\s*(\S+?)\s*(?<!\\)[-\u2013]\s*(\S+)\s*")


def page_range(
    text: str,
    page_format: str | None,
    delimiter: str,
    minimize: Callable[[str, str], str] | None = None,
) -> str:
    """A page value with its ranges formatted as citeproc-js formats them.

    Each range of a list ("123N110 - N5, 456K200 - 99") is taken on its own. Ends with
    the same prefix ("N110 - N5") are numbers: the range is formatted by
    ``page-range-format``; roman numerals and bare digits are joined with the range
    delimiter; any other range keeps its hyphen ("N110-5", "110-N6").
    ``minimize(begin, end)`` shortens the end under "minimal" and "minimal-two"
    (default: citeproc-js's digit by digit comparison).
    """
    pieces = re.split(r"(\s*,\s*)", text)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(", ")
            continue
        match = _ONE_RANGE.fullmatch(piece)
        if not match:
            out.append(piece.strip())
            continue
        begin, end = match.groups()
        begin_parts, end_parts = _PAGE.fullmatch(begin), _PAGE.fullmatch(end)
        if begin_parts and end_parts and (begin_parts.group(1) or "") == (end_parts.group(1) or ""):
            if page_format is None and _int(begin_parts.group(2)) > _int(end_parts.group(2)):
                out.append(begin + delimiter + end)  # "110–5" as it is
            else:
                out.append(_mangle(f"{begin} - {end}", page_format, delimiter, minimize))
        elif _ROMAN_OR_DIGITS.fullmatch(begin) and _ROMAN_OR_DIGITS.fullmatch(end):
            out.append(begin + delimiter + end)
        else:
            out.append(f"{begin}-{end}")
    return "".join(out)


def _mangle(
    text: str,
    page_format: str | None,
    delimiter: str,
    minimize: Callable[[str, str], str] | None,
) -> str:
    """One range of numbers with the same prefix, as citeproc-js's page mangler does it."""
    parts = _expand(text, delimiter)
    if page_format in ("minimal", "minimal-two", "chicago", "chicago-15", "chicago-16"):
        for part in parts[1::2]:
            if not isinstance(part, list):
                continue
            if page_format.startswith("minimal"):
                keep = 2 if page_format == "minimal-two" else 0
                part[3] = (
                    minimize(part[1], part[3])
                    if minimize
                    else _minimize_end(part[1], part[3], keep)
                )
            else:
                version = 16 if page_format == "chicago-16" else 15
                shorter = _chicago_end(_int(part[1]), _int(part[3]), version)
                part[3] = shorter if shorter is not None else part[3]
            if part[2][1:] == (part[0] or ""):
                part[2] = delimiter
    return _stringify(parts, delimiter)


# -- the fix -----------------------------------------------------------------------------------


class PageRangeFormat:
    """Page values (cs:text and cs:number) formatted as citeproc-js formats them."""

    def _process(self, value: Any, variable: str) -> Any:
        root = self.get_root()
        marks = self.__dict__.get("_policycite_number_marks")
        if marks is None:
            marks = self.__dict__["_policycite_number_marks"] = (
                str(self.get_single_term(name="page-range-delimiter") or "\u2013"),
                f" {self.unicode_character('AMPERSAND')} ",
            )
        delimiter, ampersand = marks
        text = str(value)
        numeric = not isinstance(self, model.Number) or self.get("form", "numeric") == "numeric"
        if variable in PAGE_VARIABLES and numeric:
            if variable == "page-first":
                return re.split(r"\s*(?:,|&|-|\u2013)\s*", text, maxsplit=1)[0]
            page_format = root.get_option("page-range-format")
            # The shortening itself is citeproc-py's, as fixed by "page-ranges".
            return ampersand.join(
                page_range(piece.strip(), page_format, delimiter, self._format_last_page)
                for piece in text.split("&")
            )
        return self._numbers(text, variable, delimiter, ampersand)

    def _numbers(self, text: str, variable: str, delimiter: str, ampersand: str) -> Any:
        # Other variables: citeproc-py's cs:text prints them as they are (NumberFormatting
        # handles cs:number).
        return text


#: A piece of a number variable citeproc-js counts as a number: digits with an optional
#: letter prefix and suffix ("12a", "N110"), or a roman numeral.
_NUMERIC_PIECE = re.compile(r"(?:[0-9]*[a-zA-Z]+0*)?[0-9]+[a-zA-Z]*|[ivxlcdmIVXLCDM]+")


def all_numeric(pieces: list[str]) -> bool:
    """Whether every piece of a value split at its separators (odd places) is a number."""
    return all(_NUMERIC_PIECE.fullmatch(piece.strip()) for piece in pieces[::2])


class NumberFormatting(PageRangeFormat):
    """cs:number: gendered ordinals, the locale's range delimiter, hyphenated variables.

    citeproc-py's cs:number also looks up a hyphenated variable ("number-of-volumes",
    "collection-number") under its CSL name, which its references store with "_", so it
    never printed one.
    """

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable") or ""
        if "-" in variable and variable != "page-first":
            return self._process(item.reference[variable.replace("-", "_")], variable)
        return super().process(item, context, **kwargs)

    def _numbers(self, text: str, variable: str, delimiter: str, ampersand: str) -> Any:
        self.__dict__["_policycite_gender"] = term_gender(self.get_root(), variable)
        pieces = re.split(r"(\s*(?:,|&|-|\u2013)\s*)", text)
        # The "number-text-ranges" fix (TextNumbers) sets text_numbers_kept.
        kept_text = getattr(self, "text_numbers_kept", False)
        if kept_text and not all_numeric(pieces):
            return text  # "SSEO-20-3", "A-3": not a number, printed as it is
        out = []
        for index, piece in enumerate(pieces):
            if index % 2:
                mark = piece.strip()
                kept = kept_text and mark == "\u2013"  # an en dash stays one
                out.append(
                    ", "
                    if mark == ","
                    else ampersand
                    if mark == "&"
                    else mark
                    if kept
                    else delimiter
                )
            else:
                out.append(str(self.format_number(piece.strip())))
        return "".join(out)

    def format_number(self, number: Any) -> Any:
        form = self.get("form", "numeric")
        if form not in ("ordinal", "long-ordinal", "roman") or not str(number).isdigit():
            return super().format_number(number)
        value = int(number)
        gender = self.__dict__.get("_policycite_gender")
        if form == "roman":
            return roman(value)
        # The terms' text is the style's own: escaped (and raised, in HTML) as citeproc-py
        # does with the terms it prints.
        if form == "long-ordinal":
            return self.preformat(long_ordinal(self.get_root(), value, gender))
        return self.preformat(ordinal(self.get_root(), value, gender))


class TextNumbers:
    """Numbers that are not all numbers keep their hyphens; locators use the locale's dash.

    citeproc-js joins the parts of a number variable with the locale's
    ``page-range-delimiter`` only when every part is a number: a report number
    "SSEO-20-3" or "OHA-2023" is printed as it is, where citeproc-py (and the
    "number-formatting" fix alone) printed it with the locale's range delimiter in every
    joint (a non-breaking hyphen in French, an en dash elsewhere); an en dash in the
    value stays one. A locator other than a page ("paras. 14-16") is joined the same
    way, where citeproc-py always put an en dash (AMA's ``page-range-delimiter`` is "-").
    """

    text_numbers_kept = True

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        locator = self.__dict__.get("_policycite_locator")
        if locator is None:  # cached: asked for every variable printed
            locator = self.__dict__["_policycite_locator"] = self.get("variable") == "locator"
        if text is None or not locator or not item.has_locator or item.locator.label == "page":
            return text
        value = str(item.locator.identifier)
        pieces = re.split(r"(\s*(?:,|&|-|\u2013)\s*)", value)
        if len(pieces) == 1:
            return text
        if not all_numeric(pieces):
            return type(text)(value)
        delimiter = str(self.get_single_term(name="page-range-delimiter") or "\u2013")
        joined = "".join(
            piece.strip() if not index % 2 else _joint(piece.strip(), delimiter)
            for index, piece in enumerate(pieces)
        )
        return type(text)(joined)


def _joint(mark: str, delimiter: str) -> str:
    return (
        ", " if mark == "," else " & " if mark == "&" else mark if mark == "\u2013" else delimiter
    )
