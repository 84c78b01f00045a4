"""Seams as citeproc-js's punctuation merging leaves them (``CSL.Output.Queue.adjust``).

citeproc-js settles the punctuation where rendered pieces meet on its tree of output
blobs, in four passes (upward, leftward, downward, fix); :mod:`.punctuation` reproduces
the common outcome at citeproc-py's seams. The fixes here are the cases it did not know:

* the locale option punctuation-in-quote comes from the locale that sets it: a style's
  ``<locale xml:lang="en"><style-options/></locale>`` keeps the locale file's value;
* a formatted element's prefix merges with nothing before it (citeproc-js's leftward pass
  skips a sibling with decorations): an italic container title with prefix ", " after a
  quoted title prints “Title”, The Ledger in en-US too.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.string import String

from policycite.render.fixes.braces import NUMBER_FIELDS
from policycite.render.fixes.punctuation import (
    _DECORATIONS,
    ends_in_number,
    number_ended,
    value_led,
)
from policycite.render.fixes.punctuation import _escaped as escaped


class InheritedQuoteOption:
    """punctuation-in-quote from the first locale that sets it, as citeproc-js reads it.

    citeproc-js layers a style's cs:locale over the locale file attribute by attribute
    (``CSL.localeSet``); citeproc-py takes the option from the first locale that has a
    cs:style-options at all, so ``<style-options/>`` in a style's "en" locale turned the
    en-US file's punctuation-in-quote="true" off.
    """

    def _piq(self) -> bool:
        piq = self.__dict__.get("_policycite_piq")
        if piq is None:
            piq = self.__dict__["_policycite_piq"] = _quote_option(self)
        return bool(piq)


def _quote_option(element: Any) -> bool:
    root = element.get_root()
    locales = getattr(root, "locales", None)
    if locales is None:
        return str(root.get_option("punctuation-in-quote")).lower() == "true"
    for locale in locales:
        options = locale.find("cs:style-options", locale.nsmap)
        if options is not None and "punctuation-in-quote" in options.attrib:
            return str(options.get("punctuation-in-quote")).lower() == "true"
        if locale.getparent() is None:
            # The locale file of the language: what it does not set is false (citeproc-js
            # never looks at the en-US file for a language's options).
            return False
    return False


class DecoratedPrefixes:
    """A formatted element's leading punctuation is not merged with what precedes it.

    citeproc-js moves a sibling's leading punctuation onto the element before it (where
    punctuation-in-quote then takes a comma into the quotation marks) only when neither
    has decorations (font-style, font-weight, font-variant, text-decoration,
    vertical-align): a quoted title followed by an italic container title with prefix
    ", " prints “Harbour plan”, The Ledger in en-US, "plan?. The Ledger" after a title
    ending in "?", "plan;. The Ledger" after a suffix ";". citeproc-py and the seam rules
    merged them ("plan,” The Ledger", "plan? The Ledger").
    """

    decorated_prefixes = True


class ValueMarks:
    """cs:text value=". ": its leading mark is text, merged with nothing but its repeat.

    citeproc-js merges the punctuation of affixes and delimiters only; a style's text
    value is content: after a suffix " ;", ``<text value="."/>`` prints "2020 ;." where
    citeproc-py and the seam rules merged it ("2020 ;"). A repeated mark still goes
    ("Act." then ". x": "Act. x"), as in citeproc-js.
    """

    def wrap(self, string: Any) -> Any:
        return value_led(super().wrap(string))


def leads_with_mark(element: Any) -> bool:
    """Whether a cs:text prints a value that begins with a punctuation mark, unprefixed."""
    value = element.get("value")
    return bool(value) and value[0] in ".,;:!?" and not element.get("prefix")


class SuffixRepeats:
    """A group's or macro's suffix that repeats its last child's: both its ends go.

    citeproc-js's duplicate control (``downward``) compares the last mark of the last
    child's suffix with the first of the parent's, and on a match cuts the parent's
    suffix at its end, then drops the repeated first mark: ``<group suffix=".">`` around
    a title with suffix "." and followed by ``prefix="; "`` prints "Act. 2018" (the ";"
    moved onto the group's suffix goes), ``suffix=". "`` prints "Act.Pub", a delimiter
    ", " after it " ". citeproc-py merges the marks ("Act.; 2018", "Act. Pub").
    """

    suffix_repeats = True


class AlignedLayoutPrefix:
    """second-field-align: the layout's prefix opens the first field, not the rest.

    citeproc-js puts a bibliography layout's prefix before the first rendered field
    (the citation number) and so inside the left-margin column: NIST's ``<layout
    prefix="[">`` with ``suffix="] "`` on the number prints "[1]  Ministry…", where the
    second-field-align fix printed "1]  [Ministry…".
    """

    def _render_fields(self, item: Any) -> tuple[Any, Any]:
        prefix = self.get("prefix", "")
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        if not prefix or not aligned or self._formats_columns():
            return super()._render_fields(item)  # type: ignore[no-any-return]
        state = self.__dict__
        affixes = state.get("_policycite_affixes")
        state["_policycite_affixes"] = ("", self.get("suffix", ""), None)
        try:
            first, body = super()._render_fields(item)
        finally:
            if affixes is None:
                state.pop("_policycite_affixes", None)
            else:
                state["_policycite_affixes"] = affixes
        opening = String(escaped(self.get_formatter(), prefix))
        if first is not None:
            return opening + first, body
        return None, opening + body if body is not None else None


class DecoratedSuffix:
    """A formatted text's own suffix mark does not merge with the mark its text ends in.

    citeproc-js merges an element's suffix with the end of its text (``downward``:
    "If field content ends with swappable punctuation") only when the element has no
    decorations: an italic title "…reform?" with suffix "." prints "reform?." (iso690's
    "reform?</i>. Online"), a bold one with suffix ":" "Reform?:"; a repeated mark still
    goes ("Reform." then "."). citeproc-py and the seam rules merged them ("reform?").
    A group's suffix still merges into a formatted last child ("<i>Reform?</i>"), and so
    does the text's own suffix when the text is not one string for citeproc-js (a
    quotation mark or apostrophe in it splits it into parts: "What's next for the
    region?" with suffix "." prints "region?").
    """

    decorated_suffix = True


class SuffixIntoText:
    """A suffix's mark goes into the text before a last suffix it merges into.

    citeproc-js migrates a level's suffix "." down its last children; on a text whose
    own suffix ends in a mark that absorbs it (";", ":", "?", "!"), the "." goes onto the
    text itself, before that suffix: the publisher with suffix ";" at the end of a layout
    with suffix "." prints "Maritime Policy Centre.;" (cath-lab-digest). citeproc-py
    merges them ("Maritime Policy Centre;").
    """

    suffix_into_text = True


#: The variables citeproc-js renders as numbers with cs:text too (``CSL.Node.text``:
#: ``outputNumericField``), besides the cite's locator and the citation number.
_NUMBER_TEXT_VARIABLES = (NUMBER_FIELDS - {"locator-extra"}) | {"citation-number"}
#: citeproc-js's joints between the numbers of a value (``processNumber``'s splitter).
_JOINTS = re.compile(r"\s*&\s*|,\s+and\s+|\s+and\s+|;\s+|,\s+|\s*\\*[\-\u2013]+\s*")
#: A last number that citeproc-js keeps as an integer blob: a particle, then 1-9 digits.
_INTEGER_END = re.compile(r"(?:[0-9]*[a-zA-Z]+0*)?[1-9][0-9]*")
#: A first number citeproc-js counts as collapsible (digits first, or roman).
_NUMBER_START = re.compile(r"(?:[0-9]*[a-zA-Z]+0*)?[0-9]|[ivxlcmIVXLCM]+$")


def ends_in_integer(value: Any) -> bool:
    """Whether citeproc-js renders ``value`` as numbers ending in an integer blob.

    ``processNumber`` splits the value at its joints ("-", ", ", " & " …) and keeps each
    number as a numeric blob, an integer one when it is digits (after a letter particle:
    "S12") not starting with 0: "3", "12-15", "3 & 5", "e12" end in one; "12a", "iv",
    "07", "3.2", "No. 5" do not.
    """
    text = str(value).strip()
    if not text:
        return False
    pieces = _JOINTS.split(text)
    return bool(_NUMBER_START.match(pieces[0])) and bool(_INTEGER_END.fullmatch(pieces[-1]))


class NumberEnds:
    """Marks after a number variable's integer value do not merge into its own.

    citeproc-js renders a number variable (cs:number, or cs:text of volume, issue, page
    …) as a numeric blob, and moves a parent's suffix or delimiter mark down onto its
    last child only when that child does not end in one (``blobEndsInNumber``): MDPI's
    group with suffix ";" ending in the volume, in a layout with suffix ".", prints
    "Vol. 3;.", where the seam rules merged the marks ("Vol. 3;"). Its output is marked
    (punctuation.NUMBER_END) and the mark is handed up to the enclosing levels.
    """

    def render(self, *args: Any, **kwargs: Any) -> Any:
        text = super().render(*args, **kwargs)
        variable = self.__dict__.get("_policycite_number_variable", _UNSET)
        if variable is _UNSET:
            variable = self.__dict__["_policycite_number_variable"] = _number_variable(self)
        if text is None or variable is None or not args:
            return text
        return number_ended(text) if _integer_value(variable, args[0]) else text

    def format(self, string: Any) -> Any:
        text = super().format(string)
        if text is not string and ends_in_number(string):
            return number_ended(text)
        return text


_UNSET = object()


def _number_variable(element: Any) -> str | None:
    """The variable a cs:number, or a cs:text of a number variable, prints."""
    tag = element.tag.rpartition("}")[2]
    variable = element.get("variable")
    if tag == "number" or (tag == "text" and variable in _NUMBER_TEXT_VARIABLES):
        return str(variable) if variable else None
    return None


def _integer_value(variable: str, item: Any) -> bool:
    if variable == "citation-number":
        return True
    if variable == "locator":
        return bool(item.has_locator) and ends_in_integer(item.locator.identifier)
    try:
        if variable == "page-first":
            value = str(item.reference.page).split("-")[0].split("\u2013")[0]
        else:
            value = item.reference[variable.replace("-", "_")]
    except (KeyError, model.VariableError):
        return False
    return ends_in_integer(value)


def number_blob(element: Any) -> bool:
    """Whether an element prints a number blob or hands one up through its formatting."""
    return _number_variable(element) is not None or (
        element.tag.rpartition("}")[2] in ("group", "text")
        and any(name in element.attrib for name in _DECORATIONS)
    )


class QuotedMarks:
    """Marks meet a quoted text's own suffix as citeproc-js moves them into the quotes.

    Under punctuation-in-quote citeproc-js merges a quoted cs:text's suffix marks into
    the text one by one ("Plan." then suffix "," is "“Plan.,”", not "“Plan.”,"), and a
    mark of a level above that ends with the quoted text (a suffix, a delimiter, a
    sibling's prefix) migrates down onto the text itself, before its own suffix: the
    title with suffix "," at the end of a layout with suffix "." prints
    "“Draft plan.,”" (econometrica), a delimiter ", " after a title with suffix "." in a
    macro "“Plan,.”". citeproc-py put the marks in the order they come ("“Plan,.”").
    """

    quoted_marks = True


class PrefixMarks:
    """A prefix keeps the mark its content begins with: both are printed.

    citeproc-js merges a prefix's punctuation with the suffix or delimiter before it,
    never with what the prefix stands before (a child's prefix, a value): a macro call
    with prefix "," whose date has prefix ", " prints "ports’,, 2022"
    (the-journal-of-juristic-papyrology). citeproc-py drops the repeated mark.
    """

    prefix_marks = True


class MarkOnlyValues:
    """A cs:text value of punctuation alone is printed whole after the same mark.

    citeproc-js drops a text value's leading mark where it repeats the mark before it
    only when text follows in the value (". x" after "Plan." prints "Plan. x"); a value
    of marks alone stays: ``<text value="."/>`` after a date followed by a value "."
    prints "2020.." (universitat-heidelberg-medizinische-fakultat-mannheim-numeric).
    """

    mark_only_values = True
