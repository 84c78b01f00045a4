"""Conditions and labels: CSL rules citeproc-py implements differently.

* ``is-numeric``: CSL 1.0.2 counts "2019/1", "813-13", "2 & 4" and "2, 3" as numeric
  (numbers with affixes, joined by hyphens, commas, ampersands or slashes); citeproc-py
  accepts only a single number, so APA drops "No." before such report numbers;
* ``text-case`` on cs:label: citeproc-py passes no language, and skips title case and
  capitalisation it considers non-English ("(eds.)" for "(Eds.)");
* cs:label for an empty variable prints nothing (Chicago printed a stray "Edition.").
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model

_NUMBER = r"[A-Za-z]*\d+[A-Za-z]*"
IS_NUMERIC = re.compile(rf"^\s*{_NUMBER}(?:\s*(?:[-\u2013,&/]|and)\s*{_NUMBER})*\s*$")


class NumericTest:
    """cs:if is-numeric with CSL 1.0.2's definition of a numeric value."""

    def _is_numeric(self, item: Any) -> list[bool]:
        reference = item.reference
        results = []
        for variable in self.get("is-numeric").split():
            if variable == "locator":
                value = item.locator.identifier if item.has_locator else None
            else:
                value = reference.get(variable.replace("-", "_"))
            results.append(value is not None and bool(IS_NUMERIC.match(str(value))))
        return results


class LabelFixes:
    """cs:label: honour text-case, and print nothing for an empty variable."""

    def process(
        self,
        item: Any,
        variable: Any = None,
        plural: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        name = variable if variable is not None else self.get("variable")
        if variable is None and name is not None:
            if name == "locator":
                if not item.has_locator:
                    return None
            elif name.replace("-", "_") not in item.reference:
                return None
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
        layout = context.get_layout()
        recorded = layout.__dict__.get(RECORDING) or []
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


class PageLocator:
    """A page locator follows the style's page-range-format, as the page variable does.

    citeproc-py only puts an en dash into locators: Chicago's "pp. 315-317" stayed
    "315–317" where the style asks for "315–17".
    """

    def _variable(self, item: Any, context: Any) -> Any:
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        return super()._variable(item, context)


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
AMBIGUOUS = "_policycite_ambiguous"


class DisambiguateCondition:
    """cs:if disambiguate="true": true only for items whose cites would be ambiguous.

    citeproc-py leaves the test out (a TODO), so the branch is always taken: MLA added
    the title to every citation, "(Lowry, “Budget Statement…,” pars. 14–16)" for
    "(Lowry, pars. 14–16)".
    """

    def _disambiguate(self, item: Any) -> list[bool]:
        wanted = self.get("disambiguate") == "true"
        return [bool(item.reference.get(AMBIGUOUS, False)) == wanted]


# The tests of cs:if, in citeproc-py's order: (attribute, method name).
_TESTS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
    ("position", "_position"),
    ("disambiguate", "_disambiguate"),
)


def _tests_of(element: Any) -> tuple[tuple[Any, ...], Any]:
    tests = tuple(
        (getattr(element, method), method == "_position")
        for attribute, method in _TESTS
        if attribute in element.attrib
    )
    return tests, element.get("match")


class ConditionTest:
    """cs:if as a test (``matches``), with the list of its tests worked out once.

    citeproc-py finds out whether a branch applies only by rendering it and catching
    ConditionFailed, and re-reads the element's attributes for every item.
    """

    def _disambiguate(self, item: Any) -> list[bool]:
        return [True]  # citeproc-py ignores the test; DisambiguateCondition implements it

    def matches(self, item: Any, context: Any = None) -> bool:
        plan = self.__dict__.get("_policycite_tests")
        if plan is None:
            plan = self.__dict__["_policycite_tests"] = _tests_of(self)
        tests, match = plan
        results: list[Any] = []
        for test, with_context in tests:
            results += test(item, context) if with_context else test(item)
        if match == "any":
            return any(results)
        if match == "none":
            return not any(results)
        return all(results)

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not self.matches(item, context):
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


class ChooseByTest:
    """cs:choose picks its branch with ``matches``.

    citeproc-py catches an exception for every branch not taken.
    """

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        branches = self.__dict__.get("_policycite_branches")
        if branches is None:
            branches = self.__dict__["_policycite_branches"] = [
                (branch, getattr(branch, "matches", None)) for branch in self.getchildren()
            ]
        for branch, matches in branches:
            if matches is None:  # the condition-test fix is disabled: citeproc-py's way
                try:
                    return branch.render(item, context=context, delimiter=delimiter, **kwargs)
                except model.ConditionFailed:
                    continue
            if isinstance(branch, model.Else) or matches(item, context):
                return branch.render_children(item, context=context, delimiter=delimiter, **kwargs)
        return None
