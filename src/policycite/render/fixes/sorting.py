"""Sorting as citeproc-js sorts: its collation, its date and name keys, its ties.

citeproc-py compares sort keys by code point ("Ålund" after "Zhou"), renders a macro's
dates as text ("2020June15" before "2020May13"), prints "and" and role labels into name
keys and keeps particles in front of family names ("van der Berg" under V where
``demote-non-dropping-particle`` says B). citeproc-js, the reference processor:

* collates keys with ICU (``localeCompare``: base strength, punctuation and spaces
  ignored, digit runs compared as numbers), after turning each space of a key into a
  separator that sorts before every letter and digit ("Doe John" before "Doeb Adam");
* renders a macro that holds a ``cs:date`` as nothing but the dates' sort keys
  (``1YYYYMMDD`` and the range end, CSL 1.0.2 "Sorting"): "2020-05-13" before
  "2020-06-15" in any date format;
* renders names in sort keys in sort order without "and", "et al." or labels, with
  particles read off the family and given names ("van der Berg" is "Berg, van der");
* puts empty keys last in either direction and keeps entries tied on every key in the
  order they were registered (a stable sort; citeproc-py kept it too).

A year suffix (2020a) printed in a date macro is left out of its key with the rest of
the macro's text; printed elsewhere, it is part of the key, as in citeproc-js. Cites
tied on every sort key keep the order they were written in, as in citeproc-js ("2022b,
para. 1, 2022a, para. 5"), except under APA, where policycite puts them in the order of
their year letters (given in reference-list order): "(Lee, 2020a, 2020b)" however they
were typed (APA 7, 8.12). The locale's collation comes from ICU (PyICU), as citeproc-js's
``Intl.Collator`` does.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from citeproc import model
from citeproc import source as citeproc_source

from policycite.render import parallel
from policycite.render.fixes.labels import generated_label
from policycite.render.fixes.textcase import is_apa_style

# Letters that carry a stroke or ligature rather than a combining accent: ICU's root
# collation gives them the primary weight of these (Ł as L, ß as ss, æ as ae).
_BASE_LETTERS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
    }
)

#: Letters ICU's root collation sorts as letters of their own after another one:
#: "Þórsdóttir" after every Z, a dotless i after every i.
_AFTER = {"þ": "z~", "\u0131": "i~", "ŋ": "n~", "ə": "e~", "ĸ": "q~"}

#: Markup the HTML formatter wrote into a sort key (an authorless work's italic title);
#: a "<" of the data is a placeholder while rendering (see ``render.output``), never this.
_TAGS = re.compile(r"</?[a-z]+(?:\s[^<>]*)?>")

#: policycite's markers in rendered text (quotation marks to be resolved, terms that may
#: be capitalised: see ``render.quotemarks``): Unicode noncharacters, which ICU sorts
#: after every letter, where the text they stand for is ignored punctuation or nothing.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)

#: What citeproc-js puts for each space of a key ("|": a symbol, sorted before letters
#: and digits and not ignored as punctuation is).
SEPARATOR = "|"

#: On a style's root: the locale it renders in (set by render.processor) and sorts in.
OUTPUT_LOCALE = "_policycite_locale"
SORT_LOCALE = "_policycite_sort_locale"

# Weights of the three kinds of collation element: symbols < digits < letters (ICU).
_SYMBOL, _DIGITS, _LETTER = 0, 1, 2
_RUN = re.compile(r"\d+|\D")


@functools.cache
def collator(locale: str) -> Any:
    """ICU's collator for ``locale`` set up as citeproc-js's ``localeCompare`` (or None).

    citeproc-js compares keys with ``Intl.Collator(locale, {sensitivity: "base",
    ignorePunctuation: true, numeric: true})``, that is ICU with primary strength,
    shifted alternates and numeric collation, in the style's locale: Swedish puts
    "Ålund" after "Zhou", Czech "Chen" after "Humboldt", Chinese sorts by pinyin. PyICU
    wraps the same library; None when it is not installed (the root-collation
    approximation of :func:`root_collation_key` is used then).
    """
    try:
        import icu
    except ImportError:  # the "icu" extra is not installed: Unicode collation
        return None
    tag = locale.replace("_", "-") or "en-US"
    made = icu.Collator.createInstance(icu.Locale.forLanguageTag(tag))
    made.setStrength(icu.Collator.PRIMARY)
    made.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    made.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return made


@functools.cache
def _lowering(locale: str) -> Any:
    import icu

    return icu.Locale.forLanguageTag(locale.replace("_", "-") or "en-US")


def collation_key(text: str, locale: str = "en-US", lowering: str | None = None) -> Any:
    """A key that orders text as citeproc-js's ``localeCompare`` does in ``locale``.

    The text is lower-cased first (citeproc-js's ``toLocaleLowerCase``: Turkish "I" is
    a dotless i) in ``lowering``, the language of the item citeproc-js rendered last
    (see :func:`casing_language`), else in ``locale``; markup the HTML formatter wrote is
    left out.
    """
    text = _NONCHARACTERS.sub("", _TAGS.sub("", text))  # "<i>Why …" sorted as "Why …"
    made = collator(locale)
    if made is None:  # pragma: no cover - PyICU is a dependency
        return root_collation_key(text)
    import icu

    lower = _lowering(lowering or locale)
    return made.getSortKey(str(icu.UnicodeString(text).toLower(lower)))


#: The leading letters of an item's language, as citeproc-js reads it (CSL.citeStart).
_LANGUAGE = re.compile(r"[a-zA-Z]+")

#: The languages whose lower-casing differs from the root's (ICU's, and so V8's, special
#: casings): Turkish and Azerbaijani dotless "I", Lithuanian dotted "i" before accents.
_CASINGS = {"tr": "tr", "az": "tr", "lt": "lt"}


def casing_language(item: Any, root: Any) -> str:
    """The language citeproc-js changes an item's case in: its own, else the style's.

    ``CSL.citeStart`` sets ``tmp.lang_array`` to the leading letters of the item's
    ``language`` (lower-cased) before the style's locale, and case changes use its first
    entry; the array stays as the last item rendered left it, and citeproc-js's
    comparator lower-cases both sort keys with it (``CSL.getSortCompare``).
    """
    language = item.reference.get("language")
    if language:
        found = _LANGUAGE.match(str(language))
        if found:
            return found.group(0).lower()
    return str(root.__dict__.get(OUTPUT_LOCALE) or "en-US")


def lowers_alike(first: str | None, second: str | None) -> bool:
    """True when text lower-cased in either language comes out the same (ICU's rules)."""

    def casing(language: str | None) -> str:
        return _CASINGS.get(str(language or "").replace("_", "-").split("-")[0].lower(), "")

    return casing(first) == casing(second)


def root_collation_key(text: str) -> tuple[tuple[int, Any], ...]:
    """An approximation of ICU's root collation in Python (when PyICU is missing).

    ICU at base strength with ``ignorePunctuation`` and ``numeric``: case and accents
    do not count, punctuation and white space are skipped, symbols come before digits
    and digits before letters, and a run of digits counts as its number ("Report 9"
    before "Report 10"). No locale's tailoring.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS)).casefold()
    key: list[tuple[int, Any]] = []
    for run in _RUN.findall(decomposed):
        if run[0].isdigit():
            key.append((_DIGITS, int(run)))
            continue
        if unicodedata.combining(run):
            continue
        category = unicodedata.category(run)
        if category[0] in "LM" or category == "No":
            key.append((_LETTER, _AFTER.get(run, run)))
        elif category[0] == "S":
            key.append((_SYMBOL, run))
        # P* (punctuation), Z* (spaces) and C* (controls) are ignored.
    return tuple(key)


def key_string(value: Any) -> str | None:
    """A rendered sort key as citeproc-js stores it: spaces as separators, or None."""
    text = _TAGS.sub("", str(value)) if value is not None else ""
    if not text.strip():
        return None
    # Not stripped: citeproc-js keeps a key's leading and trailing spaces (a title
    # substituted for an author, rendered with a space in front, is "|Title…" and sorts
    # before every letter).
    return SEPARATOR.join(text.split(" ")) + SEPARATOR


def date_key(date: Any, parts: tuple[str, ...] = ("year", "month", "day")) -> str:
    """citeproc-js's sort key of a date: ``1YYYYMMDD`` and the same for the range end.

    Parts not shown by the date element count as zero; a date without a year (a
    literal date, "n.d.") has no key. Years before the common era sort first.
    """
    if date is None or isinstance(date, citeproc_source.LiteralDate):
        return ""
    if isinstance(date, citeproc_source.DateRange):
        begin, end = date.begin, date.get("end")
    else:
        begin, end = date, None
    year = _part(begin, "year")
    if not year:
        return ""
    # A date that shows no year keys it as year 0 (citeproc-js: "10000"), so "1 July"
    # of a legislation date sorts before every dated work's year.
    out = [_year(year) if "year" in parts else "10000"]
    out += [f"{_part(begin, p) if p in parts else 0:02d}" for p in ("month", "day")]
    if end is not None and _part(end, "year") and "year" in parts:
        out.append(_year(_part(end, "year")))
    else:
        out.append("10000")
    out += [
        f"{_part(end, p) if end is not None and p in parts else 0:02d}" for p in ("month", "day")
    ]
    return "".join(out)


def number_key(value: Any) -> str | None:
    """citeproc-js's key of a number variable: its first whole number, 20 digits wide.

    "Vol. 3a" is 3; a value without a number is its own key.
    """
    if value is None:
        return None
    found = _INTEGER.search(str(value))
    if found is None:
        return str(value)
    number = int(found.group(1))
    if number < 0:
        number += 99999999999999999999
    return f"{number:020d}"


def _part(date: Any, name: str) -> int:
    try:
        return int(date.get(name, 0) or 0)
    except (TypeError, ValueError):
        return 0


def _year(year: int) -> str:
    if year < 0:  # citeproc-js: "0" and 9999 less the year, so 50 BC before 20 BC
        return f"0{9999 + year}"
    return f"1{year:04d}"


# -- particles, as citeproc-js reads them off names ------------------------------------

_FAMILY_PARTICLE = re.compile(r"^([^ ]+(?:-|\u02bb|\u2019| |') *)(.+)$")
_GIVEN_PARTICLE = re.compile(r"^([^ ]+(?:\u02bb |\u2019 | |' ) *)(.+)$")
_LEAD = re.compile(r"^[-'\u02bb\u2019\s]*(.)")


def _split_particles(value: str, given: bool) -> tuple[str, list[str]]:
    """Particles split off a name part, as citeproc-js's splitParticles does.

    Lower-case words before a family name (or after a given name) are particles:
    "van der Berg" -> "Berg", ["van ", "der "].
    """
    original = value
    if given:
        value = value[::-1]
    particles: list[str] = []
    match = _GIVEN_PARTICLE.match(value) if given else _FAMILY_PARTICLE.match(value)
    while match:
        head = match.group(1)[::-1] if given else match.group(1)
        first = _LEAD.match(head)
        if first is None or first.group(1).upper() == first.group(1):
            break
        if given:
            particles.append(original[-len(head) :])
            original = original[: -len(head)]
        else:
            particles.append(original[: len(head)])
            original = original[len(head) :]
        value = match.group(2)
        match = _GIVEN_PARTICLE.match(value) if given else _FAMILY_PARTICLE.match(value)
    if given:
        particles.reverse()
        return original[: len(value)], [p.strip() for p in particles]
    return original[-len(value) :] if value else original, particles


def parse_particles(name: Any) -> Any:
    """A citeproc-py name with particles split off as citeproc-js does (sort keys only).

    Only a personal name with a family and a given name and no particles of its own is
    parsed; a family name in double quotes is taken as it is.
    """
    family, given = name.get("family"), name.get("given")
    if (
        "literal" in name
        or not family
        or not given
        or name.get("non-dropping-particle")
        or (family.startswith('"') and family.endswith('"'))
    ):
        return name
    rest, found = _split_particles(family, given=False)
    fields = dict(name.items())
    if found:
        fields["family"] = rest
        fields["non-dropping-particle"] = "".join(found).strip()
    if not name.get("dropping-particle"):
        rest_given, dropped = _split_particles(given, given=True)
        if dropped:
            fields["given"] = rest_given.strip()
            fields["dropping-particle"] = " ".join(dropped).strip()
    if fields == dict(name.items()):
        return name
    return citeproc_source.Name(**fields)


def name_key(name: Any, demote: str) -> str:
    """One name of a name-variable key, in citeproc-js's sort order."""
    if "literal" in name:
        return str(name["literal"])
    given, family, dropping, non_dropping, suffix = parse_particles(name).parts()
    if demote in ("sort-only", "display-and-sort"):
        order = (family, given, dropping, non_dropping, suffix)
    else:
        order = (non_dropping, family, given, dropping, suffix)
    return " ".join(str(part) for part in order if part)


# -- the sort -----------------------------------------------------------------------------

#: On a cs:sort: the language its keys are lower-cased in for the sort under way.
LOWERING = "_policycite_lowering"


class LastItemLowering:
    """cs:sort: keys lower-cased in the language of the item citeproc-js rendered last.

    citeproc-js builds each item's sort keys in that item's language (a Russian item's
    "MINISTRY", a Turkish style's "MİNİSTRY") but lower-cases both keys of a comparison
    in ``tmp.lang_array``, the language of whichever item it rendered last
    (``CSL.getSortCompare``): a citation's last cite; for a bibliography, the item its
    disambiguation rendered last (render.processor.Bibliography), and for the year
    suffixes of a set of alike cites, the set's last (render.disambiguation). Under
    Turkish casing "I" is a dotless i (U+0131), sorted before "i": "MINISTRY OF FOREIGN
    AFFAIRS" (ru) before "MİNİSTRY OF COASTAL AFFAİRS" in a Turkish style.
    """

    def lowering(self, items: list[Any]) -> str | None:
        """The language this sort lower-cases ``items``'s keys in (None: its locale's)."""
        found = self.__dict__.get(LOWERING)
        if found is None and items:
            found = casing_language(items[-1], self.get_root())
        return None if found is None else str(found)


def lowering_of(sort: Any, items: list[Any]) -> str | None:
    """The language ``sort`` lower-cases keys in (the last-item-lowering fix), or None."""
    lowering = getattr(sort, "lowering", None)
    return None if lowering is None else lowering(items)


@contextlib.contextmanager
def lowered(sort: Any, language: str) -> Iterator[None]:
    """``sort`` compares its keys lower-cased in ``language`` while the block runs.

    citeproc-js lower-cases both keys of each comparison in the language of the item it
    rendered last, which for a bibliography is not the last item sorted (see
    render.processor.Bibliography).
    """
    sort.__dict__[LOWERING] = language
    try:
        yield
    finally:
        sort.__dict__.pop(LOWERING, None)


def bibliography_sort(root: Any) -> Any:
    """The style's bibliography cs:sort, or None."""
    bibliography = root.find("cs:bibliography", root.nsmap) if root is not None else None
    if bibliography is None:
        return None
    return bibliography.find("cs:sort", bibliography.nsmap)


class CollatedSort:
    """cs:sort compared as citeproc-js compares: collation keys, empty keys last.

    A key is computed only for items the keys before it left tied: APA's ten keys would
    render five macros for every item, where author and date alone decide nearly all.
    The keys go level by level: the items of every tie left by one key get the next key
    in one batch, so that a large bibliography's ties render in worker processes too,
    in one pool a key rather than one a tie. An item's key does not depend on the other
    items it is computed with, so the order is the one a tie-by-tie sort gives.
    """

    def sort(self, items: list[Any], context: Any) -> list[Any]:
        keys = self.findall("cs:key", self.nsmap)
        root = self.get_root()
        locale = sort_locale(root)
        lowering = lowering_of(self, items)
        # Runs of items in their final order, each tied on the keys seen so far.
        runs: list[list[Any]] = [list(items)]
        for key in keys:
            tied = [run for run in runs if len(run) > 1]
            if not tied:
                break
            batch = [item for run in tied for item in run]
            # Keys of many items (a large bibliography's) render, and are collated, in
            # worker processes.
            values = parallel.map_chunks(
                lambda start, stop, key=key, batch=batch: [
                    None if text is None else collation_key(text, locale, lowering)
                    for text in map(key_string, key.sort_keys(batch[start:stop], context))
                ],
                len(batch),
                parallel.jobs_for(batch),
            )
            descending = key.get("sort", "ascending").lower() == "descending"
            found = iter(values)
            next_runs: list[list[Any]] = []
            for run in runs:
                if len(run) < 2:
                    next_runs.append(run)
                    continue
                run_values = [next(found) for _ in run]
                next_runs += _split(run, run_values, descending)
            runs = next_runs
        if _letter_order(self.get_root()):
            # citeproc-js leaves items tied on every key in the order they came (the
            # cites of a citation as written: "2022b, para. 1, 2022a, para. 5").
            # policycite's APA rule (8.12) puts them in letter order instead.
            runs = [_by_suffix(run) if len(run) > 1 else run for run in runs]
        return [item for run in runs for item in run]


def _split(items: list[Any], values: list[Any], descending: bool) -> list[list[Any]]:
    """Tied ``items`` ordered by the collation keys ``values`` of one key: runs still tied.

    Empty keys (None) come last, as one run; sorted() is stable, also with reverse=True,
    so ties keep the order they came in.
    """
    present = [(v, item) for v, item in zip(values, items, strict=True) if v is not None]
    missing = [item for v, item in zip(values, items, strict=True) if v is None]
    ranked = sorted(present, key=lambda pair: pair[0], reverse=descending)
    runs: list[list[Any]] = []
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and ranked[end][0] == ranked[start][0]:
            end += 1
        runs.append([item for _, item in ranked[start:end]])
        start = end
    if missing:
        runs.append(missing)
    return runs


def citation_order(
    sort: Any,
    items: list[Any],
    context: Any,
    *,
    shifted: bool = False,
    authors: list[str | None] | None = None,
) -> list[Any]:
    """The cites of one citation in citeproc-js's order (its citation_sort).

    Where a style groups cites (an in-text style that collapses, or one with a
    cite-group-delimiter) citeproc-js gives its comparator one more direction in front,
    a copy of the first key's:

    * ``authors`` (a citation of a document, processCitationCluster): each cite's
      rendered author is a first key, the cites are sorted, and each author's run is
      then put where its first cite's first key puts it;
    * ``shifted`` (a citation rendered alone, makeCitationCluster): no author key is
      added, so every key after the first is compared in the direction of the key
      before it (elsevier-harvard's descending years come out ascending).
    """
    columns: list[Any] = sort.findall("cs:key", sort.nsmap)
    descending = [key.get("sort", "ascending").lower() == "descending" for key in columns]
    if shifted or authors is not None:
        descending = descending[:1] + descending
    locale = sort_locale(sort.get_root())
    # citeproc-js renders each cite's keys in turn: the last cite's language lower-cases.
    lowering = lowering_of(sort, items)
    texts: dict[int, list[str | None]] = {}
    values: dict[int, list[Any]] = {}

    def column(index: int) -> list[Any]:
        found = values.get(index)
        if found is None:
            rendered = texts[index] = [
                key_string(v) for v in columns[index].sort_keys(items, context)
            ]
            found = values[index] = [
                None if v is None else collation_key(v, locale, lowering) for v in rendered
            ]
        return found

    def compare(a: int, b: int, first: list[Any] | None) -> int:
        position = 0
        if first is not None:
            outcome = _compare(first[a], first[b], descending[0])
            if outcome:
                return outcome
            position = 1
        for index in range(len(columns)):
            outcome = _compare(column(index)[a], column(index)[b], descending[position + index])
            if outcome:
                return outcome
        return 0

    order = list(range(len(items)))
    lead: list[Any] | None = None
    if authors is not None:
        lead = [None if a is None else collation_key(a, locale, lowering) for a in authors]
    by_lead: Callable[[int, int], int] = lambda a, b: compare(a, b, lead)  # noqa: E731
    order.sort(key=functools.cmp_to_key(by_lead))
    if lead is not None and columns:
        # Each run of one author takes its first cite's first key and its place: the
        # key "<first key><position>" (citeproc-js's grouped sort).
        column(0)
        firsts = texts[0]
        regrouped: list[Any] = [None] * len(items)
        last: Any = object()
        run_text = "undefined"
        for position, index in enumerate(order):
            if lead[index] != last:
                text = firsts[index]
                run_text = "undefined" if text is None else text
                last = lead[index]
            regrouped[index] = collation_key(f"{run_text}{position}", locale, lowering)
        by_group: Callable[[int, int], int] = lambda a, b: compare(a, b, regrouped)  # noqa: E731
        order.sort(key=functools.cmp_to_key(by_group))
    result = [items[i] for i in order]
    if _letter_order(sort.get_root()):
        return _apa_ties(result, order, by_lead)
    return result


def _compare(a: Any, b: Any, descending: bool) -> int:
    """citeproc-js's comparison of one key, an empty key last (as CollatedSort)."""
    if a == b:
        return 0
    if a is None:
        return 1
    if b is None:
        return -1
    outcome = -1 if a < b else 1
    return -outcome if descending else outcome


def _apa_ties(result: list[Any], order: list[int], compare: Callable[[int, int], int]) -> list[Any]:
    """APA's cites tied on every key, in the order of their year letters (APA 8.12)."""
    out: list[Any] = []
    start = 0
    while start < len(result):
        end = start + 1
        while end < len(result) and compare(order[start], order[end]) == 0:
            end += 1
        out += _by_suffix(result[start:end])
        start = end
    return out


def sort_locale(root: Any) -> str:
    """The locale citeproc-js sorts in: the style's default-locale-sort, else its locale."""
    value = root.__dict__.get(SORT_LOCALE)
    if value is None:
        value = root.get("default-locale-sort") or root.__dict__.get(OUTPUT_LOCALE) or "en-US"
        root.__dict__[SORT_LOCALE] = value
    return str(value)


def _letter_order(root: Any) -> bool:
    """True for APA styles, whose tied cites follow their year letters (APA 8.12)."""
    value = root.__dict__.get("_policycite_letter_order")
    if value is None:
        value = root.__dict__["_policycite_letter_order"] = is_apa_style(root)
    return bool(value)


def _by_suffix(items: list[Any]) -> list[Any]:
    """Cites tied on every sort key, in the order of their year letters ("2024a, 2024b").

    The letters were given in reference-list order; without them, ties keep their order.
    APA 8.12: "(Kask, 2024a, 2024b)" however they were typed.
    """
    suffixes = [item.reference.get("year_suffix") for item in items]
    if None in suffixes:
        return items
    return [item for _, item in sorted(zip(suffixes, items, strict=True), key=_suffix_rank)]


def _suffix_rank(pair: tuple[Any, Any]) -> tuple[int, str]:
    return len(str(pair[0])), str(pair[0])  # "z" before "aa"


#: citeproc-js's numeric variables: as a key, the first whole number in the value.
_NUMBER_VARIABLES = frozenset(
    v.replace("-", "_")
    for v in (
        "call-number chapter-number collection-number division edition page issue locator "
        "locator-extra number number-of-pages number-of-volumes part-number printing-number "
        "section supplement-number version volume supplement"
    ).split()
)
_INTEGER = re.compile(r"\s*(-?[0-9]+)")
_NAME_VARIABLES = frozenset(v.replace("-", "_") for v in model.NAMES)
_DATE_VARIABLES = frozenset(v.replace("-", "_") for v in model.DATES)


def _inherited_option(key: Any, name: str) -> str | None:
    """An option set on the cs:citation or cs:bibliography of a cs:key, or the style."""
    sort = key.getparent()
    area = sort.getparent() if sort is not None else None
    for element in (area, key.get_root()):
        if element is not None and element.get(name) is not None:
            return str(element.get(name))
    return None


class SortKeys:
    """cs:key: date, name and number keys as citeproc-js makes them.

    A date variable gives its ``1YYYYMMDD`` key (citeproc-py's differs for ranges and
    years before 1000); a name variable its names in sort order with particles split
    off; a number variable its first whole number ("Vol. 3a" as 3). A macro renders
    with "and" left out of names and with particles split off, its names cut by the
    key's names-min or else the et-al options of its cs:citation or cs:bibliography (over
    the cs:name's own), and (see :class:`DateMacroKeys`) as its dates' keys when it holds
    a cs:date. ``year-suffix`` is no item variable for citeproc-js: an empty key.
    """

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        variable = self.get("variable")
        if variable is not None:
            name = variable.replace("-", "_")
            if name in _DATE_VARIABLES:
                return [date_key(item.reference.get(name)) for item in items]
            if name in _NAME_VARIABLES:
                demote = str(
                    self.get_root().get("demote-non-dropping-particle", "display-and-sort")
                )
                return [self._names_key(item, name, demote) for item in items]
            if name in _NUMBER_VARIABLES:
                return [number_key(item.reference.get(name)) for item in items]
            if name == "citation_label":  # citeproc-js sorts by the label it makes
                return [generated_label(item.reference) for item in items]
            if name == "year_suffix":  # no item variable for citeproc-js: an empty key
                return [None for _ in items]
            return list(super().sort_keys(items, context))
        if self.get("macro") is None:
            return list(super().sort_keys(items, context))
        layout = context.get_layout()
        # name-as-sort-order as citeproc-py sets it, and no "and" (citeproc-js).
        options: dict[str, Any] = {"name-as-sort-order": "all", "and": None}
        for option in ("names-min", "names-use-first", "names-use-last"):
            if option in self.attrib:
                options[option.replace("names", "et-al")] = self.get(option)
            else:
                # citeproc-js (CSL.Node.key): else the et-al option cs:citation or
                # cs:bibliography inherits, over the cs:name's own (et-al-min="6" on a
                # name, et-al-min="3" on the citation: "Kask et al." ties).
                inherited = _inherited_option(self, option.replace("names", "et-al"))
                if inherited is not None:
                    options[option.replace("names", "et-al")] = inherited
        macro = self.get_macro(self.get("macro"))
        keys = []
        for item in items:
            layout.repressed = {}
            reference = item.reference
            originals = {v: reference[v] for v in _NAME_VARIABLES if v in reference}
            for var, names in originals.items():
                reference[var] = [parse_particles(n) for n in names]
            try:
                keys.append(macro.render(item, context=context, sort_options=options))
            finally:
                reference.update(originals)
        return keys

    def _names_key(self, item: Any, variable: str, demote: str) -> str | None:
        names = item.reference.get(variable)
        if not names:
            return None
        minimum, first = _et_al(self)
        if minimum and len(names) >= minimum:
            names = names[:first]
        return " ".join(name_key(n, demote) for n in names)


def _et_al(key: Any) -> tuple[int, int]:
    """A name key's et-al truncation: (minimum, names kept); (0, 0) for none.

    The key's names-min and names-use-first, else the et-al options of its
    bibliography or citation, else the style's (citeproc-js).
    """
    found = key.__dict__.get("_policycite_et_al")
    if found is None:
        area = key.getparent().getparent()  # cs:key < cs:sort < cs:bibliography/citation
        sources = (
            (key, "names-min", "names-use-first"),
            (area, "et-al-min", "et-al-use-first"),
            (key.get_root(), "et-al-min", "et-al-use-first"),
        )
        found = (0, 0)
        for element, minimum, first in sources:
            if element is not None and element.get(minimum) is not None:
                with contextlib.suppress(ValueError):
                    found = (int(element.get(minimum)), int(element.get(first, 1)))
                break
        key.__dict__["_policycite_et_al"] = found
    return (int(found[0]), int(found[1]))


class ShortNameSortKeys:
    """cs:name form="short" in a sort key: a demoted particle follows the family name.

    citeproc-js sorts "van den Berg" in short form as "Berg van den" unless the style
    says ``demote-non-dropping-particle="never"``; citeproc-py keeps "van den Berg".
    """

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        if sort_options is None or self.get_option("form", context, sort_options) != "short":
            return super().process(item, variable, context, sort_options, **kwargs)
        demote = str(self.get_root().get("demote-non-dropping-particle", "display-and-sort"))
        reference = item.reference
        names = reference.get(variable) or []
        if demote == "never" or not any(_particle(n) for n in names):
            return super().process(item, variable, context, sort_options, **kwargs)
        reference[variable] = [_demoted(n) for n in names]
        try:
            return super().process(item, variable, context, sort_options, **kwargs)
        finally:
            reference[variable] = names


def _particle(name: Any) -> bool:
    return isinstance(name, dict) and bool(name.get("non-dropping-particle"))


def _demoted(name: Any) -> Any:
    if not _particle(name):
        return name
    fields = {k: v for k, v in name.items() if k != "non-dropping-particle"}
    fields["family"] = f"{name.get('family') or ''} {name['non-dropping-particle']}".strip()
    return citeproc_source.Name(**fields)


class DateMacroKeys:
    """cs:key: a macro holding a cs:date gives only its dates' keys (citeproc-js).

    citeproc-js renders such a macro for a sort key as the ``1YYYYMMDD`` keys of the
    dates it renders and nothing else: no text, names, affixes or delimiters, so that
    "9.4.2020" sorts before "24.6.2020". The macro is walked for its dates, taking the
    branches of cs:choose an item takes and following called macros; citeproc-js's
    dates-only flag goes off when a called date macro ends, so what follows one is text
    in the key (TU Dresden's issue number after the year, UCAD's URL after the access
    date). The style's date macros get this sort-key rendering on the element itself,
    the first time a key is computed: every other macro, and every render outside sort
    keys, costs nothing more.
    """

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        root = self.get_root()
        if not root.__dict__.get(_DATE_MACROS):
            for macro in root.iterchildren(_MACRO):
                if _has_date(macro):
                    _install_date_keys(macro)
            root.__dict__[_DATE_MACROS] = True
        keys: list[Any] = super().sort_keys(items, context)
        return keys


_DATE_MACROS = "_policycite_date_macros"
_MACRO = "{http://purl.org/net/xbiblio/csl}macro"


def _install_date_keys(macro: Any) -> None:
    plain = macro.render

    def render(item: Any, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options is None:
            return plain(item, context=context, sort_options=sort_options)
        keys: list[str] = []
        _date_keys(macro, item, context, keys, {_AS_DATES: True, _OPTIONS: sort_options})
        return "".join(keys) or None

    # An instance attribute: found before the class's method, for this macro only.
    macro.__dict__["render"] = render


def _has_date(macro: Any) -> bool:
    found = macro.__dict__.get("_policycite_has_date")
    if found is None:
        found = macro.__dict__["_policycite_has_date"] = bool(
            macro.findall(".//cs:date", macro.nsmap)
        )
    return bool(found)


#: _date_keys's state: whether only dates are keys still, and the key's sort options.
_AS_DATES = "dates"
_OPTIONS = "options"


def _date_keys(
    element: Any, item: Any, context: Any, keys: list[str], state: dict[str, Any]
) -> None:
    """Append the keys of the dates ``element`` renders for ``item`` to ``keys``.

    citeproc-js keeps a flag while it renders a date macro for a key that lets only the
    dates' keys through, and clears it when any date macro ends, a nested one too:
    what the outer macro renders after a nested date macro goes into the key as text
    (Université Cheikh Anta Diop's "[cité le …]. Disponible sur: URL" after its
    accessed-date macro: two pages read the same day sort by their URLs).
    """
    for child in element.iterchildren():
        if not state[_AS_DATES]:
            _text_key(child, item, context, keys, state[_OPTIONS])
        elif isinstance(child, model.Date):
            variable = str(child.get("variable", "")).replace("-", "_")
            key = date_key(item.reference.get(variable), shown_parts(child))
            if key:
                keys.append(key)
        elif isinstance(child, model.Text):
            if "macro" in child.attrib:
                macro = child.get_macro(child.get("macro"))
                _date_keys(macro, item, context, keys, state)
                if _has_date(macro):
                    state[_AS_DATES] = False
        elif isinstance(child, model.Group):
            _date_keys(child, item, context, keys, state)
        elif isinstance(child, model.Choose):
            branch = _branch(child, item, context)
            if branch is not None:
                _date_keys(branch, item, context, keys, state)


def _text_key(child: Any, item: Any, context: Any, keys: list[str], options: Any) -> None:
    """Append what ``child`` renders in a sort key, as text, to ``keys``."""
    try:
        text = child.render(item, context=context, sort_options=options)
    except model.VariableError:
        return
    if text:
        keys.append(str(text))


def _branch(choose: Any, item: Any, context: Any) -> Any:
    """The branch of a cs:choose that ``item`` takes, or None."""
    for branch in choose.iterchildren():
        if isinstance(branch, model.Else):
            return branch
        matches = getattr(branch, "matches", None)
        if matches is not None:  # the condition-test fix
            if matches(item, context):
                return branch
            continue
        try:  # citeproc-py's own way: a branch not taken raises
            branch.render(item, context=context)
        except model.ConditionFailed:
            continue
        except model.VariableError:
            pass
        return branch
    return None


def shown_parts(date: Any) -> tuple[str, ...]:
    """The date-parts a cs:date prints: a localized date's date-parts, else its children's."""
    parts = date.__dict__.get("_policycite_parts")
    if parts is None:
        if date.get("form") is not None:
            parts = tuple(str(date.get("date-parts", "year-month-day")).split("-"))
        else:
            parts = tuple(str(p.get("name")) for p in date.iterchildren() if p.get("name"))
        date.__dict__["_policycite_parts"] = parts
    return tuple(parts)


class NoLabelsInSortKeys:
    """A cs:label of cs:names is not part of a sort key (citeproc-js).

    "Doe, John ed." sorts as "Doe, John", not after "Doe, John Eamon".
    """

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("sort_options") is not None and _in_names(self):
            return None
        return super().render(item, *args, **kwargs)


def _in_names(label: Any) -> bool:
    found = label.__dict__.get("_policycite_in_names")
    if found is None:
        parent = label.getparent()
        found = label.__dict__["_policycite_in_names"] = isinstance(parent, model.Names)
    return bool(found)


class CountSortKeys:
    """cs:names with ``form="count"`` in a sort key: "0" for an item with no names.

    citeproc-js puts a count into a sort key even when it is zero
    (``NameOutput.outputNames``: ``tmp.extension || names_count != 0``), so an edited
    book with no author sorts before the author's own works on a count key ("0" < "1");
    citeproc-py renders nothing, an empty key, sorted last.
    """

    def process(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("sort_options") is None or not _counts(self):
            return super().process(item, *args, **kwargs)
        try:
            text = super().process(item, *args, **kwargs)
        except model.VariableError:
            text = None
        return "0" if text is None else text


def _counts(names: Any) -> bool:
    value = names.__dict__.get("_policycite_counts")
    if value is None:
        name = names.find("{http://purl.org/net/xbiblio/csl}name")
        value = names.__dict__["_policycite_counts"] = name is not None and (
            name.get("form") == "count"
        )
    return bool(value)
