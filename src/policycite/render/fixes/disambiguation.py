"""What disambiguation changes in a rendered cite: names shown, given names, year suffix.

citeproc-py has no disambiguation. :mod:`..disambiguation` decides, for the whole
document, how each item's cite must render to be told apart from the others (CSL 1.0.2,
Disambiguation) and leaves the answer on the item's reference; the mixins here render
it:

* :class:`DisambiguatedNames` (cs:name, in citations only): more names before "et al."
  (``disambiguate-add-names``) and given names or initials added to family names
  (``disambiguate-add-givenname``, for one cite or, with the global
  ``givenname-disambiguation-rule`` values, for every cite naming an ambiguous person);
* :class:`ImplicitYearSuffix` (cs:date-part) with :class:`YearSuffixDate` (cs:date): a
  style that asks for year suffixes but never renders the ``year-suffix`` variable gets
  the suffix after the first year it renders for the item, in citations and in the
  bibliography, as the specification says and citeproc-js does ("Gabuev 2020a").

Nameset numbering, the done-flag of the implicit suffix and the names trace live in the
layout's ``repressed`` dict, which citeproc-py (and the layout fixes) make anew for every
item rendered.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from typing import Any

import attrs
from citeproc import source as citeproc_source
from citeproc.string import String

#: On an item's reference: the :class:`Config` its cites render with.
CONFIG = "_policycite_disambig"
#: On the citation item of a cite rendered to tell cites apart (citeproc-js's
#: getAmbiguousCite, "just looking").
PROBE = "_policycite_probe"
#: On a citation item of a note style's document: the :class:`Config` (None: none) this
#: cite renders with where it is not its item's (a set run again with note numbers).
CITE_CONFIG = "_policycite_cite_disambig"
#: On the bibliography: the :class:`NameRegistry` of the global givenname rules, or None.
REGISTRY = "_policycite_name_registry"
#: On the bibliography: a list receiving a :class:`NameTrace` per cs:name rendered in a cite.
TRACE = "_policycite_name_trace"
YEAR_SUFFIX = "year_suffix"

_NAMESET = NAMESET = "\0policycite-nameset"
_SUFFIX_DONE = "\0policycite-year-suffix-done"
# The end of a date range whose years differ: the implicit suffix follows its year.
_SUFFIX_ON = "\0policycite-year-suffix-on"
_OVERRIDE = "_policycite_name_override"
#: On a cs:name while it renders: the names it expanded, already formatted in full.
EXPANDED = "_policycite_expanded_names"
# The item and the layout's per-item state while a (style) cs:date renders.
_DATE: contextvars.ContextVar[tuple[Any, dict[Any, Any]] | None] = contextvars.ContextVar(
    "policycite_date", default=None
)

_MISSING: Any = object()
# Given-name levels, as citeproc-js numbers them.
FAMILY, INITIALS, FULL = 0, 1, 2


def suffix_letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, 27 -> ab (CSL year-suffix letters)."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


@attrs.define
class Config:
    """How one item's cite renders: names shown and given-name level, per nameset.

    ``names[k]`` is the number of names shown of the k-th cs:name rendered in the cite
    (None: as the style says), ``givens[k][j]`` the level of its j-th name.
    """

    names: list[int | None] = attrs.Factory(list)
    givens: list[list[int]] = attrs.Factory(list)
    disambiguate: int = 0  # the level: how many disambiguate tests pass
    year_suffix: int | None = None

    def copy(self) -> Config:
        return Config(
            list(self.names), [list(g) for g in self.givens], self.disambiguate, self.year_suffix
        )


@attrs.define
class NameTrace:
    """What one cs:name rendered in a cite: names shown, names there are, their levels.

    ``base`` is the level the style's form gives a name, ``initialize`` whether it has
    an initialize-with mark.
    """

    shown: int
    total: int
    levels: list[int]
    names: list[Any]
    base: int = 0
    initialize: bool = False


def _strip_periods(text: str | None) -> str:
    return " ".join((text or "").replace(".", " ").split())


def name_keys(name: Any, particle: bool = False) -> tuple[str, str, str] | None:
    """citeproc-js's keys of a personal name: family, initials, given (periods dropped).

    With ``particle`` (a style with demote-non-dropping-particle="never") the family key
    holds the non-dropping particle: "dos Santos" is not "Santos".
    """
    if not isinstance(name, dict) or "literal" in name or not name.get("family"):
        return None  # an organisation, or bad data (a string) citeproc-py renders as is
    family = _strip_periods(name.get("family"))
    if particle and name.get("non-dropping-particle"):
        family = f"{family} {name.get('non-dropping-particle')}"
    given = _strip_periods(name.get("given"))
    initials = "".join(part[:1] for part in re.split(r"[\s\-]+", given) if part)
    return family, initials, given


class NameRegistry:
    """The rendered personal names of a document, for the global givenname rules.

    A family name written with two sets of initials needs initials; initials shared by
    two given names need the given name (citeproc-js's NameReg).
    """

    def __init__(self, rule: str, particle: bool = False) -> None:
        self.rule = rule
        self.particle = particle
        #: While open, names are registered as they render (citeproc-js's addname).
        self.open = True
        #: While False, names render at the style's level (registered all the same): the
        #: rendering citeproc-js groups alike cites by (its "akey", worked out before the
        #: item is in its registry, when evalname gives the style's level).
        self.applied = True
        #: Grows when a name registered makes a family ambiguous (or more so): renderings
        #: before and after may differ.
        self.version = 0
        self._initials: dict[str, set[str]] = {}
        self._names: dict[int, Any] = {}
        self._ambiguous: tuple[int, bool] | None = None
        self._givens: dict[tuple[str, str], set[str]] = {}

    def add(self, name: Any, position: int) -> None:
        if self.rule.startswith("primary-") and position > 0:
            return
        keys = self._keys(name)
        if keys is None:
            return
        family, initials, given = keys
        givens = self._givens.setdefault((family, initials), set())
        if given not in givens:
            givens.add(given)
            initials_of_family = self._initials.setdefault(family, set())
            initials_of_family.add(initials)
            if len(initials_of_family) > 1 or len(givens) > 1:  # levels may change
                self.version += 1

    def add_list(self, names: list[Any]) -> None:
        """Register one variable's (or nameset's) names, each at its position.

        The primary-name rules take a list's first name only: the rest is not looked at.
        """
        if not names:
            return
        if self.rule.startswith("primary-"):
            self.add(names[0], 0)
            return
        for position, name in enumerate(names):
            self.add(name, position)

    def keys_of(self, name: Any) -> tuple[str, str, str] | None:
        """The name's keys (family, initials, given) as this registry compares them."""
        return self._keys(name)

    def _keys(self, name: Any) -> tuple[str, str, str] | None:
        # The same name objects render again and again: their keys are worked out once.
        found = self._names.get(id(name), _MISSING)
        if found is _MISSING or found[0] is not name:
            found = self._names[id(name)] = (name, name_keys(name, self.particle))
        return found[1]  # type: ignore[no-any-return]

    def ambiguous(self) -> bool:
        """True when any family name stands for more than one person."""
        if self._ambiguous is None or self._ambiguous[0] != self.version:
            value = any(len(v) > 1 for v in self._initials.values()) or any(
                len(v) > 1 for v in self._givens.values()
            )
            self._ambiguous = (self.version, value)
        return self._ambiguous[1]

    def ambiguous_families(self) -> set[str]:
        """The family names (as written) standing for more than one person."""
        keys = {
            family
            for family, initials in self._initials.items()
            if len(initials) > 1 or any(len(self._givens[family, i]) > 1 for i in initials)
        }
        return {
            str(name.get("family"))
            for name, found in self._names.values()
            if found is not None and found[0] in keys
        }

    def can_raise(self, base: int) -> bool:
        """Whether any name rendered at level ``base`` could need more."""
        if base >= FULL or not self.ambiguous():
            return False
        return not (base >= INITIALS and self.rule.endswith("-with-initials"))

    def level(self, name: Any, position: int, base: int, initialize: bool) -> int:
        """The given-name level of a rendered name (citeproc-js's evalname)."""
        if self.rule.startswith("primary-") and position > 0:
            return base
        keys = self._keys(name)
        if keys is None or keys[0] not in self._initials:
            return base
        family, initials, _ = keys
        several = len(self._initials[family]) > 1
        level = base
        if self.rule in ("all-names", "primary-name"):
            if several:
                level = INITIALS
            if len(self._givens.get((family, initials), ())) > 1 or (several and not initialize):
                level = FULL
        elif several:  # *-with-initials
            level = INITIALS
        return max(level, base)


def _initials(given: str, mark: str) -> str:
    """A given name as initials ("Jean-Paul" -> "J.-P."), the mark's spaces dropped."""
    mark = mark.strip()
    words = []
    for word in str(given).split():
        words.append("-".join(part[:1] + mark for part in word.split("-") if part))
    return " ".join(words)


def _layout_of(element: Any, context: Any) -> Any:
    try:
        return (context if context is not None else element).get_layout()
    except IndexError:  # outside a layout: a sort key
        return None


def _in_citation(layout: Any) -> bool:
    state = layout.__dict__
    value = state.get("_policycite_is_citation")
    if value is None:
        parent = layout.getparent()
        value = state["_policycite_is_citation"] = bool(
            parent is not None and str(parent.tag).endswith("}citation")
        )
    return bool(value)


def _adds(root: Any) -> tuple[bool, bool]:
    """Whether the style adds names, and given names, to tell cites apart."""
    value = root.__dict__.get("_policycite_adds")
    if value is None:
        citation = root.find("{http://purl.org/net/xbiblio/csl}citation")
        get = citation.get if citation is not None else (lambda _: None)
        value = root.__dict__["_policycite_adds"] = (
            get("disambiguate-add-names") == "true",
            get("disambiguate-add-givenname") == "true",
        )
    return value  # type: ignore[no-any-return]


@attrs.frozen
class _Request:
    """What the document's disambiguation asks of one cs:name rendering."""

    config: Config | None
    registry: NameRegistry | None
    trace: list[NameTrace] | None
    citing: bool


class DisambiguatedNames:
    """cs:name in a cite: the names and given names the document's disambiguation asks for."""

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        parent: Callable[..., Any] = super().process
        if sort_options is not None:
            raised = self._sort_names(item, variable, context)
            if raised is None:
                return parent(item, variable, context=context, sort_options=sort_options, **kwargs)
            reference = item.reference
            original = reference[variable]
            reference[variable] = raised
            try:
                return parent(item, variable, context=context, sort_options=sort_options, **kwargs)
            finally:
                reference[variable] = original
        if self.__dict__.get(_OVERRIDE) is not None:
            return parent(item, variable, context=context, sort_options=sort_options, **kwargs)
        request = self._request(item, context)
        names = list(item.reference.get(variable) or ())
        if request is None or not names or self.get_option("form", context) == "count":
            return parent(item, variable, context=context, **kwargs)
        layout = _layout_of(self, context)
        nameset = layout.repressed.get(_NAMESET, 0)
        layout.repressed[_NAMESET] = nameset + 1
        override, levels, base = self._plan(item, names, nameset, request, context)
        expanded = {
            index: self._expanded(item, variable, name, context, index=index, level=level)
            for index, (name, level) in enumerate(zip(names, levels, strict=False))
            if level > base and "literal" not in name and name.get("given")
        }
        reference = item.reference
        original = reference[variable]
        if expanded:
            reference[variable] = [
                citeproc_source.Name(literal=expanded[i]) if i in expanded else name
                for i, name in enumerate(original)
            ]
        self._override(override or None)
        self.__dict__[EXPANDED] = {str(text) for text in expanded.values()}
        try:
            return parent(item, variable, context=context, **kwargs)
        finally:
            self._override(None)
            self.__dict__[EXPANDED] = None
            reference[variable] = original

    def _sort_names(self, item: Any, variable: str, context: Any) -> list[Any] | None:
        """A citation's sort key names with the given names the global rule adds.

        citeproc-js renders a cite's sort keys with its name registry: under
        givenname-disambiguation-rule="primary-name", "Aris" sorts as "Aris M." and
        "(M. Aris 2020; W. Aris 2020)" keeps that order however it was typed.
        """
        registry: NameRegistry | None = getattr(getattr(item, "bibliography", None), REGISTRY, None)
        if registry is None or not registry.applied:
            return None
        layout = _layout_of(self, context)
        if layout is None or not _in_citation(layout):
            return None
        names = item.reference.get(variable)
        if not names:
            return None
        initialize = self.get_option("initialize-with", context)
        base = self._base(context)
        raised: list[Any] = []
        for index, name in enumerate(names):
            given = name.get("given")
            level = base
            if given and "literal" not in name and name.get("family"):
                level = registry.level(name, index, base, initialize is not None)
            if level <= base:
                raised.append(name)
                continue
            shown = given if level == FULL else _initials(given, initialize or ".")
            raised.append(citeproc_source.Name(literal=f"{name['family']} {shown}"))
        return raised if any(a is not b for a, b in zip(raised, names, strict=True)) else None

    def _request(self, item: Any, context: Any) -> _Request | None:
        """What disambiguation asks of this rendering; None: render as the style says."""
        bibliography = getattr(item, "bibliography", None)
        registry: NameRegistry | None = getattr(bibliography, REGISTRY, None)
        trace: list[NameTrace] | None = getattr(bibliography, TRACE, None)
        config: Config | None = item.reference.get(CONFIG)
        if registry is None and trace is None and config is None:
            return None
        layout = _layout_of(self, context)
        if layout is None:
            return None
        if _in_citation(layout):
            return _Request(config, registry, trace, citing=True)
        # citeproc-js shows the names and given names added to tell cites apart in the
        # bibliography too (MLA: "Kask, Mari, Jaan Lind, et al."; "Kask, Mari").
        if config is not None:
            adds_names, adds_givens = _adds(self.get_root())
            config = Config(
                config.names if adds_names else [], config.givens if adds_givens else []
            )
        if config and (config.names or config.givens):
            return _Request(config, registry, None, citing=False)
        if registry is None or not registry.can_raise(self._base(context)):
            return None
        return _Request(None, registry, None, citing=False)

    def _base(self, context: Any) -> int:
        """The given-name level the style's options give the names of this element."""
        if self.get_option("form", context) == "short":
            return FAMILY
        return INITIALS if self.get_option("initialize-with", context) is not None else FULL

    def _plan(
        self, item: Any, names: list[Any], nameset: int, request: _Request, context: Any
    ) -> tuple[dict[str, Any], list[int], int]:
        """The option overrides, the level of each name shown, and the style's level."""
        config, registry = request.config, request.registry
        shown = self._shown(item, len(names), context)
        wanted = config.names[nameset] if config and nameset < len(config.names) else None
        override: dict[str, Any] = {}
        if wanted is not None and wanted > shown:
            shown = max(1, min(wanted, len(names)))
            override["et-al-use-first"] = override["et-al-subsequent-use-first"] = shown
            if shown >= len(names):
                override["et-al-min"] = override["et-al-subsequent-min"] = 0
        initialize_with = self.get_option("initialize-with", context)
        base = self._base(context)
        requested = config.givens[nameset] if config and nameset < len(config.givens) else []
        levels = []
        for index, name in enumerate(names[:shown]):
            level = requested[index] if index < len(requested) else base
            if level == INITIALS and initialize_with is None and registry is None:
                level = FULL  # by-cite: no initials to add without initialize-with
            level = max(level, base)
            if registry is not None:
                if registry.open and request.citing:
                    registry.add(name, index)
                if registry.applied:
                    level = registry.level(name, index, level, initialize_with is not None)
            levels.append(level)
        if request.trace is not None:
            request.trace.append(
                NameTrace(
                    shown,
                    len(names),
                    list(levels),
                    names[:shown],
                    base,
                    initialize_with is not None,
                )
            )
        return override, levels, base

    def _shown(self, item: Any, count: int, context: Any) -> int:
        """How many names the style shows of ``count`` (et-al truncation).

        A cite cited before takes the et-al-subsequent options, as cs:name renders it
        (fixes.names): what disambiguation starts from is the form the cite shows.
        """
        minimum = int(self.get_option("et-al-min", context) or 0)
        # et-al-use-first="0" shows no names (as cs:name renders it): add-names then
        # starts from none, as in citeproc-js ("(Lee vd., 2018)" where it is ambiguous).
        raw_first = self.get_option("et-al-use-first", context)
        first = None if raw_first is None or raw_first == "" else int(raw_first)
        options = getattr(self, "_name_options", None)
        if options is not None:  # name-rendering's: the subsequent form after a first cite
            minimum, first = self._et_al_numbers(
                item, options(context), context, minimum, first, count=count
            )
        if count > 1 and minimum and count >= minimum and first is not None:
            return min(int(first), count)
        return count

    def _expanded(
        self, item: Any, variable: str, name: Any, context: Any, *, index: int, level: int
    ) -> Any:
        """One name rendered in the long form, with initials (level 1) or in full (2)."""
        initialize_with = self.get_option("initialize-with", context)
        mark = initialize_with if initialize_with is not None else ". "
        order = self.get_option("name-as-sort-order", context)
        self._override(
            {
                # Rendered alone, the name is the first: "first" must not invert a later one.
                "name-as-sort-order": order if order == "all" or index == 0 else None,
                "form": "long",
                "initialize-with": mark if level == INITIALS else None,
                "et-al-min": 0,
                "et-al-subsequent-min": 0,
            }
        )
        reference = item.reference
        original = reference[variable]
        reference[variable] = [name]
        try:
            text = super().process(item, variable, context=context)
        finally:
            reference[variable] = original
            self._override(None)
        return String(str(text)) if not isinstance(text, str) else text

    def _override(self, options: dict[str, Any] | None) -> None:
        """Answer ``get_option`` from ``options`` first (None: as the style says).

        Set as an instance attribute only while needed, so that the many option lookups
        of every other rendering pay nothing for it.
        """
        state = self.__dict__
        if options is None:
            state.pop("get_option", None)
            state[_OVERRIDE] = None
            return
        state[_OVERRIDE] = options
        lookup = type(self).get_option

        def get_option(name: str, context: Any = None, sort_options: Any = None) -> Any:
            if sort_options is None and name in options:
                return options[name]
            return lookup(self, name, context, sort_options)

        state["get_option"] = get_option


class UnseenCitationNumber:
    """cs:text variable="citation-number": nothing, in the cites disambiguation compares.

    citeproc-js renders no citation number while it works out which cites are alike
    (just_looking), so the cites of a style whose citation prints only the number are
    all alike: with disambiguate-add-year-suffix every item gets a suffix, in
    bibliography order (serdica-journal-of-computing's "(2022b)", "(2020c)").
    """

    def _variable(self, item: Any, context: Any) -> Any:
        if dict.get(item, PROBE) and self.get("variable") == "citation-number":
            return None
        return super()._variable(item, context)


def implicit_year_suffix(root: Any) -> bool:
    """True when the style asks for year suffixes but never renders them itself."""
    value = root.__dict__.get("_policycite_implicit_suffix")
    if value is None:
        citation = root.find("{http://purl.org/net/xbiblio/csl}citation")
        asks = citation is not None and citation.get("disambiguate-add-year-suffix") == "true"
        renders = root.xpath(
            "//cs:text[@variable='year-suffix' or @variable='citation-label']",
            namespaces={"cs": "http://purl.org/net/xbiblio/csl"},
        )
        value = root.__dict__["_policycite_implicit_suffix"] = asks and not renders
    return bool(value)


class YearSuffixDate:
    """cs:date: tells its date-parts which item they render, for the implicit suffix."""

    def process(
        self,
        item: Any,
        variable: Any = None,
        show_parts: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        parent: Callable[..., Any] = super().process
        implicit = self.__dict__.get("_policycite_implicit_suffix")
        if implicit is None:
            implicit = self.__dict__["_policycite_implicit_suffix"] = implicit_year_suffix(
                self.get_root()
            )
        if not implicit:  # most styles: nothing to do, at the cost of one lookup
            return parent(item, variable, show_parts, context, **kwargs)
        reference = getattr(item, "reference", None)
        if reference is None or reference.get(YEAR_SUFFIX) is None or _DATE.get() is not None:
            return parent(item, variable, show_parts, context, **kwargs)
        layout = _layout_of(self, context)
        if layout is None or layout.__dict__.get("_policycite_sorting"):
            return parent(item, variable, show_parts, context, **kwargs)
        state = layout.repressed
        # citeproc-js prints a year range and then the suffix: "2022–2023b".
        value = reference.get(str(variable or self.get("variable") or "").replace("-", "_"))
        end = value.get("end") if isinstance(value, citeproc_source.DateRange) else None
        if end is not None and not end.is_nil() and end.get("year") != value.begin.get("year"):
            state[_SUFFIX_ON] = end
        token = _DATE.set((item, state))
        try:
            return parent(item, variable, show_parts, context, **kwargs)
        finally:
            _DATE.reset(token)
            state.pop(_SUFFIX_ON, None)


class ImplicitYearSuffix:
    """cs:date-part name="year": the year suffix after the item's first rendered year.

    The suffix takes the date-part's affixes and formatting as the year does: citeproc-js
    makes it a number blob of the date-part ("2020:a:" for ``suffix=":"``).
    """

    def render(self, date: Any, context: Any = None) -> Any:
        text = super().render(date, context)
        if text is None:
            return text
        suffix = implicit_suffix(self, date)
        if suffix is None:
            return text
        # citeproc-js keeps the punctuation that opens the cs:date's delimiter before the
        # suffix: "15.06.2022.a", "June, 2022,a" (delimiter "."; ", "), but "15-6-2022a".
        mark = str(self.getparent().get("delimiter") or "")[:1]
        return text + mark + suffix if mark in _SUFFIX_MARKS else text + suffix


# The delimiter characters citeproc-js keeps before an implicit year suffix.
_SUFFIX_MARKS = frozenset(".,;:!?")


def implicit_suffix(part: Any, date: Any) -> Any:
    """The implicit year suffix a year date-part prints for ``date``, if it is the first.

    None when the style renders ``year-suffix`` itself, the item has no suffix, an
    earlier year printed it or ``date`` begins a range of years; the suffix is then
    marked printed.
    """
    current = _DATE.get()
    if current is None or part.get("name") != "year":
        return None
    item, state = current
    if state.get(_SUFFIX_DONE):
        return None
    on = state.get(_SUFFIX_ON)
    if on is not None and date is not on:
        return None
    suffix = item.reference.get(YEAR_SUFFIX)
    if not suffix:
        return None
    state[_SUFFIX_DONE] = True
    return part.markup(String(str(suffix)))
