"""Conditions and labels: CSL rules citeproc-py implements differently.

* ``is-numeric``: CSL 1.0.2 and citeproc-js count "2019/1", "813-13", "2 & 4", "2, 3",
  "12a" and "xii" as numeric (numbers with affixes, joined by hyphens, commas, ampersands
  or slashes); citeproc-py accepts only a single number, so APA drops "No." before such
  report numbers;
* ``text-case`` on cs:label: citeproc-py passes no language, and skips title case and
  capitalisation it considers non-English ("(eds.)" for "(Eds.)");
* cs:label prints its term whether or not its variable is set, as citeproc-js does;
  groups decide (see groups.py: Chicago's stray "Edition." went with its group).
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

from policycite.render.fixes import caching, groups
from policycite.render.fixes.disambiguation import (
    CITE_CONFIG,
    CONFIG,
    YEAR_SUFFIX,
    suffix_letters,
)

# citeproc-js's reading of a number variable (``processNumber``): the value is split at
# "&", "and", "; ", ", " and hyphens or dashes; it is numeric when its first part is a
# number or a lower-case roman numeral, optionally after a letter prefix ("A7") and with
# a letter suffix ("12a", "2nd"), or when it is one run of numbers joined by slashes;
# a part holding a space makes it text.
_JOINER = re.compile(r"\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\*[-\u2013]+\s*")
_PARTICLE = re.compile(r"^(?:[0-9]*[a-zA-Z]+0*)?([0-9]+(?:[a-zA-Z]*|[-,a-zA-Z]+))$")
_FIRST_NUMBER = re.compile(r"^(?:[0-9]+|[ixv]+)(?:[-,:a-zA-Z]*|-[-0-9]+)$")
_SLASHED = re.compile(r"^[0-9]+(?:/[0-9]+)+$")
# The labels citeproc-js recognises at the start of a number (CSL.STATUTE_SUBDIV_STRINGS).
_LEADING_LABEL = re.compile(
    r"^(?:vrs|sv|subpara|op|subch|add|amend|annot|app|art|bibliog|bk|ch|cl|col|cmt|dec|dept"
    r"|div|ex|fig|fld|fol|n|hypo|illus|intro|l|no|p|pp|para|pt|pmbl|princ|pub|r|rn|sched|sec"
    r"|ser|subdiv|subsec|supp|tbl|tit|vol)\. *(?=\S)"
)
#: The variables citeproc-js tests as numbers; "title" is numeric when it ends in a digit;
#: any other variable (page-first among them) never is.
NUMBER_VARIABLES = frozenset(
    "call-number chapter-number collection-number division edition page issue locator "
    "locator-extra number number-of-pages number-of-volumes part-number printing-number "
    "section supplement-number version volume supplement citation-number".split()
)


# Values reach the engine with the characters the output format escapes ("&" in HTML)
# replaced by noncharacters (render.output); in a number only "&" can stand there.
_ESCAPED_AS_AMPERSAND = dict.fromkeys(range(0xFDD0, 0xFDF0), "&")


def is_numeric(variable: str, value: Any) -> bool:
    """Whether citeproc-js counts ``value`` of ``variable`` as numeric."""
    text = str(value).translate(_ESCAPED_AS_AMPERSAND).strip()
    if not text:
        return False
    if variable == "title":  # citeproc-js: version is a number variable, tested as such
        return text[-1].isdigit() and text[-1].isascii()
    if variable not in NUMBER_VARIABLES:
        return False
    text = _LEADING_LABEL.sub("", text, count=1)  # "p. 5", "vol. 3": the label is no part
    parts = _JOINER.split(text)
    if len(parts) == 1 and _SLASHED.match(text):
        return True
    if any(" " in part for part in parts):
        return False  # words between the numbers: "2002, amended effective June 1, 2010"
    first = parts[0]
    particle = _PARTICLE.match(first)
    return _FIRST_NUMBER.match(particle.group(1) if particle else first) is not None


class NumericTest:
    """cs:if is-numeric with citeproc-js's definition of a numeric value."""

    def _is_numeric(self, item: Any) -> list[bool]:
        reference = item.reference
        results = []
        # The variables are read once per element (an lxml attribute read per test).
        variables = self.__dict__.get("_policycite_numeric_variables")
        if variables is None:
            variables = self.__dict__["_policycite_numeric_variables"] = tuple(
                self.get("is-numeric").split()
            )
        for variable in variables:
            if variable == "locator":
                value = item.locator.identifier if item.has_locator else None
            else:
                value = reference.get(variable.replace("-", "_"))
            results.append(value is not None and is_numeric(variable, value))
        return results


class LabelFixes:
    """cs:label: honour text-case; a locator label with no locator is "page"'s."""

    def process(
        self,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        if variable is None and self.get("variable") == "locator" and not item.has_locator:
            variable = "page"  # citeproc-js's label for a locator of no label
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)

    def _is_plural(self, item: Any) -> bool:
        # A slash joins parts of one number ("No. 2019/1"), it does not list several.
        variable = self.get("variable")
        try:
            value = (
                item.locator.identifier
                if variable == "locator"
                else item.reference[variable.replace("-", "_")]
            )
        except (model.VariableError, KeyError):
            return False
        if variable.startswith("number-of"):
            return int(str(value)) > 1
        return re.search(r"\d+[^\d./]+\d+", str(value)) is not None

    def markup(self, text: Any) -> Any:
        if text:
            language = self.get_root().__dict__.get("_policycite_language", "en")
            return self.wrap(self.format(self.case(self.strip_periods(text), language)))
        return None


#: Where citeproc-js splits a number into the values a label counts (CSL.Engine
#: processNumber: a comma, a hyphen or dash, an ampersand).
_NUMBER_SEPARATOR = re.compile(r",\s*|\s*[-\u2013]+\s*|\s*&\s*")
_ROMAN = re.compile(r"[ivxlcmIVXLCM]+")
#: Variables citeproc-js counts otherwise ("pp. A1–A5": a page range is a range).
_OWN_PLURALS = frozenset({"page", "locator"})


class NumberPlurals:
    """cs:label: several values make a plural label only if the first is a number.

    citeproc-js splits a number variable into values ("2-4", "3, 5", "iv-vi") and makes
    the label plural only when there are several and the first is numeric
    (``fixNumericAndCount``: parseInt or a roman numeral): a report number "TR-22-03"
    takes "no.", "iv-vi" "nos". citeproc-py looks for two runs of digits: "nos
    TR-22-03", "no. iv-vi".
    """

    def _is_plural(self, item: Any) -> bool:
        variable = self.get("variable")
        if variable.startswith("number-of") or variable in _OWN_PLURALS:
            return bool(super()._is_plural(item))
        try:
            value = item.reference[variable.replace("-", "_")]
        except (model.VariableError, KeyError):
            return False
        parts = _NUMBER_SEPARATOR.split(str(value).strip(), maxsplit=1)
        if len(parts) < 2 or not parts[1]:
            return False  # one value ("2019/1", "TR22")
        first = parts[0]
        return first[:1].isdigit() or _ROMAN.fullmatch(first) is not None


RECORDING = "_policycite_rendered_variables"


class SubstituteSuppression:
    """Variables a cs:substitute printed are not printed again in the same entry.

    citeproc-py only suppresses a substituted ``<text variable="…">``; APA substitutes
    ``<text macro="title">``, so the title of a work with no author printed twice. The
    variables the substitute actually rendered are recorded (by :class:`RecordedText`)
    and suppressed: no more, since Harvard's title macro also holds the container title.
    """

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        layout = (context if context is not None else self).get_layout()
        outer = layout.__dict__.get(RECORDING)
        layout.__dict__[RECORDING] = []
        try:
            return super().render(item, context=context, **kwargs)
        finally:
            recorded = layout.__dict__[RECORDING]
            layout.__dict__[RECORDING] = outer
            if outer is not None:
                outer.extend(recorded)

    def add_to_repressed_list(self, child: Any, context: Any) -> None:
        if isinstance(child, model.Text) and ("term" in child.attrib or "value" in child.attrib):
            groups.SUBSTITUTED[0] = groups.TERM | groups.ATTEMPT
        layout = context.get_layout()
        recorded = layout.__dict__.get(RECORDING) or []
        if isinstance(child, model.Choose) and not recorded and groups.terms_and_texts(child):
            # A branch printed a term and no variable ("anonymous" in an else): a term
            # for citeproc-js too, so a macro of nothing else prints nothing.
            groups.SUBSTITUTED[0] = groups.TERM | groups.ATTEMPT
        variable = child.get("variable")
        if variable is not None:  # a substituted cs:names or cs:text variable itself
            recorded = [*recorded, *((child.tag, v) for v in variable.split())]
        for tag, name in recorded:
            repressed = layout.repressed.setdefault(tag, [])
            if name not in repressed:
                repressed.append(name)


class RecordedText:
    """cs:text variable: note the variable rendered while a substitute is recording."""

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        if text:
            recording = context.get_layout().__dict__.get(RECORDING)
            if recording is not None:
                recording.append((self.tag, self.get("variable")))
        return text


class SubstitutedDates:
    """cs:date: a date a cs:substitute printed is not printed again in the same entry.

    citeproc-py suppresses only cs:text and cs:names variables: a title macro that holds
    the year, substituted for a missing author, left the full date to print again
    ("Coastal Protection Act 2018, 2018. . Online. 1 July 2018.").
    """

    def process(
        self,
        item: Any,
        variable: Any = None,
        show_parts: Any = None,
        context: Any = None,
        **kw: Any,
    ) -> Any:
        name = variable if variable is not None else self.get("variable")
        try:
            layout = (context if context is not None else self).get_layout()
        except IndexError:  # a sort key
            layout = None
        if layout is not None and name in layout.repressed.get("date", ()):
            raise model.VariableError(name)
        text = super().process(item, variable, show_parts, context, **kw)
        if text and layout is not None:
            recording = layout.__dict__.get(RECORDING)
            if recording is not None:
                recording.append(("date", name))
        return text


_URL_PATH = re.compile(r"(.*\.[^/]+)/.*")


class ShortUrl:
    """cs:text variable="URL" form="short": the address without its path, as citeproc-js.

    citeproc-py has no short form of URL and prints the whole address
    ("https://ledger.example/city/2020/03/02/dredging" for "https://ledger.example").
    """

    def _variable(self, item: Any, context: Any) -> Any:
        text = super()._variable(item, context)
        short = self.__dict__.get("_policycite_short_url")
        if short is None:
            short = self.__dict__["_policycite_short_url"] = (
                self.get("variable") == "URL" and self.get("form") == "short"
            )
        if short and text and isinstance(text, str):
            text = type(text)(_URL_PATH.sub(r"\1", str(text), count=1))
            if "//www." in text:
                text = re.sub(r"https?://", "", text, count=1)
        return text


class PageLocator:
    """A page locator follows the style's page-range-format, as the page variable does.

    citeproc-py only puts an en dash into locators: Chicago's "pp. 315-317" stayed
    "315–317" where the style asks for "315–17".
    """

    def _variable(self, item: Any, context: Any) -> Any:
        if self.get("variable") == "locator":
            return self._locator(item, context)
        return super()._variable(item, context)

    def _locator(self, item: Any, context: Any) -> Any:
        if item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        return super()._variable(item, context)


class LocatorOnce:
    """cs:text variable="locator": printed once in a cite, as citeproc-js does.

    citeproc-js counts the locator as done once printed (its ``done_vars``), so a
    style that prints it in the title group and again in a locator macro prints it
    once ("13/05/2020, 3."); citeproc-py printed "13/05/2020, 3, para. 3.". What the
    layout printed is kept in citeproc-py's list of repressed variables, which each
    cite starts empty. (Reached through :class:`PageLocator`'s ``_locator``.)
    """

    def _locator(self, item: Any, context: Any) -> Any:
        repressed = context.get_layout().repressed
        done = repressed.get(_LOCATOR_DONE)
        if done:
            return None
        text = super()._locator(item, context)
        if text:
            repressed[_LOCATOR_DONE] = True
        return text


# A key of its own in the layout's ``repressed`` (citeproc-py keys it by tag).
_LOCATOR_DONE = "_policycite_locator_done"


class PageRanges:
    """page-range-format with ranges whose ends differ in length.

    citeproc-py compares the two pages digit by digit from the left, so with
    "minimal-two" the range "1-24" came out as "1–4".
    """

    def _format_last_page(self, first: str, last: str) -> str:
        style = self.get_root().get_option("page-range-format")
        if (
            style in (None, "expanded")
            or not (first.isdigit() and last.isdigit())
            or len(first) != len(last)
        ):
            return last
        common = next(
            (i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), len(last)
        )
        number = int(first)
        if style in ("chicago", "chicago-15", "chicago-16"):
            if number < 100 or number % 100 == 0:
                return last
            if style != "chicago-16" and len(first) >= 4 and common < 2:
                return last  # chicago-15: 1496-1504 stays whole
            style = "minimal" if number % 100 < 10 else "minimal-two"
        if style == "minimal":
            return last[min(common, len(last) - 1) :]
        if style == "minimal-two":
            return last[max(0, min(common, len(last) - 2)) :]
        return last


#: Set on an item's reference by ``processor.Bibliography`` when its cite is ambiguous.
#: The item's disambiguation level (0: none): how many cs:if disambiguate="true" tests
#: pass in one rendering of it (see :class:`DisambiguateCondition`).
AMBIGUOUS = "_policycite_ambiguous"

#: The disambiguate tests of the rendering under way: [passed, evaluated]. Reset at the
#: start of every cite and entry (:class:`DisambiguateLevels`); the disambiguation run
#: reads both after rendering a cite, as citeproc-js reads its disambiguate_count and
#: disambiguate_maxMax.
COUNTER = [0, 0]


class DisambiguateCondition:
    """cs:if disambiguate="true": true only for items whose cites would be ambiguous.

    citeproc-py leaves the test out (a TODO), so the branch is always taken: MLA added
    the title to every citation, "(Lowry, “Budget Statement…,” pars. 14–16)" for
    "(Lowry, pars. 14–16)".

    As in citeproc-js, disambiguation comes in levels: at level n only the first n
    disambiguate tests evaluated in a rendering pass, so a style's extra details are
    added one test at a time until the cites differ (Chicago's short notes add "2nd
    ed." before they add the publisher).
    """

    def _disambiguate(self, item: Any) -> list[bool]:
        wanted = self.get("disambiguate") == "true"
        level = item.reference.get(AMBIGUOUS, 0)
        if not wanted:  # not a CSL value; kept as policycite always read it
            return [not level]
        counter = COUNTER
        counter[1] += 1
        if level and counter[0] < level:
            counter[0] += 1
            return [True]
        return [False]


class DisambiguateLevels:
    """cs:layout: every cite and entry starts with no disambiguate test passed.

    citeproc-py has no levels of disambiguation (a disambiguate test is all or nothing):
    the count of tests passed belongs to one rendering (citeproc-js's citeStart).
    """

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        COUNTER[0] = COUNTER[1] = 0
        return super().render_children(item, delimiter=delimiter, **kwargs)


class CiteDisambiguation:
    """cs:layout: a cite of a note style's document renders with its own disambiguation.

    citeproc-js runs an item's set of alike cites again as the document goes on, with
    note numbers ("Aris (n 8)", "Aris (n 9)" are no longer alike) and renders again the
    notes citing the item; a note keeps what the run before it rendering decided
    (:meth:`..disambiguation.Disambiguator.rerun_notes`). citeproc-py has one
    disambiguation per item.
    """

    def _render_cite(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        if CITE_CONFIG not in item:
            return super()._render_cite(item, *args, **kwargs)
        reference = item.reference
        saved = {key: reference.get(key) for key in _DISAMBIGUATED}
        put_config(reference, dict.get(item, CITE_CONFIG))
        try:
            return super()._render_cite(item, *args, **kwargs)
        finally:
            for key, value in saved.items():
                reference.pop(key, None)
                if value is not None:
                    reference[key] = value


_DISAMBIGUATED = (CONFIG, AMBIGUOUS, YEAR_SUFFIX)


def put_config(reference: Any, config: Any) -> None:
    """Leave a disambiguation Config (None: none) on an item's reference, as cites read it."""
    for key in _DISAMBIGUATED:
        reference.pop(key, None)
    if config is None:
        return
    reference[CONFIG] = config
    if config.disambiguate:
        reference[AMBIGUOUS] = config.disambiguate
    if config.year_suffix is not None:
        reference[YEAR_SUFFIX] = suffix_letters(config.year_suffix)


class TypeList:
    """cs:if type="a b": one test, passed when the item is of any of the types.

    citeproc-py tests each type on its own and combines them by the condition's match,
    so type="webpage post-weblog" (match "all", the default) was never true. CSL 1.0.2
    and citeproc-js read a list of types as one test, whatever the match.
    """

    def _any_type(self, item: Any) -> list[bool]:
        # ConditionTest's plan tests a condition of several types with this, not _type:
        # conditions of one type (most) cost nothing more.
        return [any(self._type(item))]


class PageFirstCondition:
    """cs:if variable="page-first": set when the page is, as citeproc-js derives it.

    citeproc-py prints page-first from the page but tests a condition on the item's own
    fields, where page-first never is: "311–334" for "311" in styles that print
    page-first when there is one.
    """

    def _page_first_variable(self, item: Any) -> list[bool]:
        # ConditionTest's plan tests a condition naming page-first with this, not
        # _variable: other conditions cost nothing more.
        results: list[bool] = self._variable(item)
        if "page" in item.reference:
            names = self.get("variable").split()
            results = [r or name == "page-first" for r, name in zip(results, names, strict=True)]
        return results


# The tests of cs:if: (attribute, method name).
_TESTS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
    ("position", "_position"),
    ("disambiguate", "_disambiguate"),
)


def _compiled(element: Any, name: str, values: list[str], reduce: Any) -> Any:
    """One test of a condition as ``check(item, context)``: its results reduced by the match.

    ``reduce`` is ``any`` under match="any" and "none", ``all`` under "all". The type
    and variable tests of the caching-conditions fix (and type-list's) are written out
    here, which saves three frames a test; any other test calls its method.
    """
    cls = type(element)
    if name in ("_type", "_any_type") and cls._type is caching.CachedConditions._type:
        types = tuple(t.lower() for t in values)
        if (name == "_any_type" and cls._any_type is TypeList._any_type) or len(types) == 1:
            wanted = frozenset(types)
            return lambda item, context: dict.get(item.reference, "type") in wanted
    if name == "_variable" and cls._variable is caching.CachedConditions._variable:
        variables = tuple(v.replace("-", "_") for v in values)
        if variables == ("locator",):
            return lambda item, context: "locator" in item
        if len(variables) == 1 and "locator" not in variables:
            variable = variables[0]
            return lambda item, context: variable in item.reference
        return _variables_test(variables, reduce is any)
    method = getattr(element, name)
    if name == "_position":
        return lambda item, context: reduce(method(item, context))
    return lambda item, context: reduce(method(item))


def _variables_test(variables: tuple[str, ...], any_: bool) -> Any:
    """A variable test of several variables: whether any (``any_``) or all are set."""

    def test(item: Any, context: Any) -> bool:
        reference = item.reference
        for variable in variables:
            found = ("locator" in item) if variable == "locator" else (variable in reference)
            if found is any_:
                return any_  # any: one set decides; all: one missing does
        return not any_

    return test


def _tests_of(element: Any) -> tuple[tuple[Any, ...], Any, dict[Any, bool] | None]:
    tests = []
    methods = dict(_TESTS)
    for attribute in element.attrib:  # in the style's order (citeproc-js's)
        method = methods.get(attribute)
        if method is None:
            continue
        name = method
        values = element.get(attribute).split()
        # The type-list and page-first-condition fixes, for the conditions they change.
        if method == "_type" and len(values) > 1 and hasattr(type(element), "_any_type"):
            name = "_any_type"
        elif method == "_variable" and "page-first" in values:
            name = (
                "_page_first_variable" if hasattr(type(element), "_page_first_variable") else name
            )
        reduce = any if element.get("match") in ("any", "none") else all
        tests.append(_compiled(element, name, values, reduce))
    # A condition of type tests alone, read by the caching-conditions fix, depends on
    # nothing but the item's type: its answer is kept per type (ChooseByTest also skips
    # the branches it knows fail for a type).
    by_type: dict[Any, bool] | None = None
    if (
        tests
        and all(attribute == "type" for attribute in element.attrib if attribute in methods)
        and getattr(type(element), "_type", None) is caching.CachedConditions._type
    ):
        by_type = {}
    return tuple(tests), element.get("match"), by_type


class ConditionTest:
    """cs:if as a test (``matches``), with the list of its tests worked out once.

    citeproc-py finds out whether a branch applies only by rendering it and catching
    ConditionFailed, and re-reads the element's attributes for every item.
    """

    def _disambiguate(self, item: Any) -> list[bool]:
        return [True]  # citeproc-py ignores the test; DisambiguateCondition implements it

    def type_only(self) -> bool:
        """Whether the condition tests the item's type alone (nothing else, no side effect)."""
        return self._plan()[2] is not None

    def _plan(self) -> tuple[tuple[Any, ...], Any, dict[Any, bool] | None]:
        plan: tuple[tuple[Any, ...], Any, dict[Any, bool] | None] | None
        plan = self.__dict__.get("_policycite_tests")
        if plan is None:
            plan = self.__dict__["_policycite_tests"] = _tests_of(self)
        return plan

    def matches(self, item: Any, context: Any = None) -> bool:
        plan = self.__dict__.get("_policycite_tests")
        if plan is None:
            plan = self._plan()
        tests, match, by_type = plan
        if by_type is not None:
            item_type = dict.get(item.reference, "type")
            known = by_type.get(item_type)
            if known is not None:
                return known
        # Tests in the order the style writes them, stopping once the result is known,
        # as citeproc-js does: a disambiguate test not reached counts for nothing. Each
        # test's results are reduced by the match already (see _compiled).
        result: bool = match != "any"  # when no test decides
        if match == "any":
            for test in tests:
                if test(item, context):
                    result = True
                    break
        elif match == "none":
            for test in tests:
                if test(item, context):
                    result = False
                    break
        else:
            for test in tests:
                if not test(item, context):
                    result = False
                    break
        if by_type is not None:
            by_type[item_type] = result
        return result

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not self.matches(item, context):
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


class ChooseByTest:
    """cs:choose picks its branch with ``matches``.

    citeproc-py catches an exception for every branch not taken.
    """

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        state = self.__dict__
        plan = state.get("_policycite_branches")
        if plan is None:
            found: dict[Any, tuple[Any, ...]] = {}
            plan = ([(branch, _condition(branch)) for branch in self.getchildren()], found)
            state["_policycite_branches"] = plan
        branches, by_type = plan
        # The branches to try for the item's type, worked out once per type: those
        # before the first that may apply test the type alone and fail for it (their
        # tests have no side effects).
        item_type = dict.get(item.reference, "type")
        todo = by_type.get(item_type)
        if todo is None:
            todo = by_type[item_type] = _candidates(branches, item, context)
        for branch, test in todo:
            if test is _CITEPROC:  # the condition-test fix is disabled: citeproc-py's way
                try:
                    return branch.render(item, context=context, delimiter=delimiter, **kwargs)
                except model.ConditionFailed:
                    continue
            if test is None or test(item, context):
                return branch.render_children(item, context=context, delimiter=delimiter, **kwargs)
        return None


#: A branch tested by citeproc-py's render (raising ConditionFailed when it fails).
_CITEPROC = object()


def _condition(branch: Any) -> Any:
    """A branch's test, ``test(item, context)``: None for cs:else (always taken)."""
    if isinstance(branch, model.Else):
        return None
    if not isinstance(branch, ConditionTest):
        return _CITEPROC
    tests, match, by_type = branch._plan()
    if by_type is None and len(tests) == 1 and match != "none":
        return tests[0]  # one test, reduced by the match already: matches would call it
    return branch.matches


def _candidates(branches: list[tuple[Any, Any]], item: Any, context: Any) -> tuple[Any, ...]:
    """The branches to try for ``item``'s type (see ChooseByTest.render)."""
    for index, (branch, test) in enumerate(branches):
        if test is None or test is _CITEPROC or not branch.type_only():
            return tuple(branches[index:])
        if test(item, context):
            return ((branch, None),)  # taken: no later branch is reached
    return ()
