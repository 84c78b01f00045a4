"""Bibliography entries: one at a time, aligned and with repeated authors replaced.

citeproc-py renders the whole list at once and drops entries that come out empty (so
results can no longer be matched to items), and ignores ``second-field-align``: IEEE's
"[1]" runs into the author ("[1]J. Kask"). ``render_entry`` renders one item and, for
styles with second-field-align, returns the first field apart from the rest, which the
output format lays out in two columns (HTML) or separates with a space (text). It also
does ``subsequent-author-substitute`` (MLA's "———" for a repeated author), which
citeproc-py ignores (the "complete-all" rule, CSL's default).
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.string import MixedString, String

from policycite.render.fixes.collapse import CAPTURE, SUBSTITUTE
from policycite.render.fixes.punctuation import (
    SUFFIX_INTO,
    closing_markup,
    macro_text,
    translated,
)
from policycite.render.output import (
    NORMAL_NAMES,
    has_normals,
    merged_plan,
    nested,
    resolve_normals,
)
from policycite.render.quotemarks import TERM_START, has_markers, resolve_table


class BibliographyEntry:
    """cs:layout of a bibliography: ``render_entry(item, previous_author)``."""

    def render_entry(self, item: Any, previous_author: str | None = None) -> tuple[Any, Any, str]:
        """Render one entry: (first field or None, the rest, the author as rendered).

        ``previous_author`` is the author of the entry before; when it is the same and
        the style sets subsequent-author-substitute ("———"), the names are replaced.
        """
        state = self.__dict__
        state[CAPTURE] = None
        first, body = self._render_fields(item)
        author = state.pop(CAPTURE, None) or ""
        # "Lee, Sujin, et al." shows the same names as "Lee, Sujin": the et-al term is
        # not part of what is compared (as in citeproc-js).
        et_al = str(self.get_single_term(name="et-al"))
        if et_al and et_al in author:
            author = author.split(et_al)[0].rstrip(" ,")
        substitute = self.getparent().get("subsequent-author-substitute")
        if substitute is not None and author and author == previous_author:
            state[SUBSTITUTE] = substitute
            try:
                first, body = self._render_fields(item)
            finally:
                state[SUBSTITUTE] = None
        return first, body, author

    def _render_fields(self, item: Any) -> tuple[Any, Any]:
        self.repressed = {}
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        children = list(self.iterchildren())
        if not aligned or len(children) < 2:
            if children and self._suffix_into_display(children[0]):
                return None, self._render_displayed(item, children)
            return None, self.format(self.wrap(self.render_children(item)))
        first = _render(children[0], item)
        if first is not None:
            first = translated(first, quote_table(self))
            if TERM_START in str(first):
                first = String(str(first).replace(TERM_START, ""))
        rest = [text for child in children[1:] if (text := _render(child, item)) is not None]
        body = self.format(self.wrap(self._seam_join(rest, ""))) if rest else None
        return first, body

    def _suffix_into_display(self, first: Any) -> bool:
        """Whether the layout's suffix goes inside its last child's display.

        citeproc-js does so (``state.opt.using_display``) when the first element of a
        bibliography layout has a display attribute and the layout a suffix:
        "<div class="csl-right-inline">… 2024a.</div>", not "…</div>." after it.
        """
        found = self.__dict__.get("_policycite_suffix_into")
        if found is None:
            found = self.__dict__["_policycite_suffix_into"] = bool(
                self.get("suffix") and first.get("display") and getattr(first, "displays", False)
            )
        return bool(found)

    def _render_displayed(self, item: Any, children: list[Any]) -> Any:
        root = self.get_root().__dict__
        into: dict[Any, Any] = {"suffix": self.get("suffix")}
        root[SUFFIX_INTO] = into
        try:
            rendered = [(c, t) for c in children if (t := _render(c, item)) is not None]
        finally:
            root[SUFFIX_INTO] = None
        if not rendered:
            return self.format(self.wrap(None))
        last = rendered[-1][0]
        # The "display-suffix-lost" fix (punctuation.DisplaySuffixLost): a last cs:text
        # macro that printed nothing takes the suffix with it.
        lost = (
            getattr(self, "suffix_lost", False)
            and last is not children[-1]
            and macro_text(children[-1])
        )
        if last not in into and not lost:
            return self.format(self.wrap(self._seam_join([t for _, t in rendered], "")))
        if not lost:  # The last child as its display laid it out, the suffix inside.
            rendered[-1] = (last, into[last][1])
        affixes = self.__dict__.get("_policycite_affixes")
        self.__dict__["_policycite_affixes"] = (self.get("prefix", ""), "", None)
        try:
            return self.format(self.wrap(self._seam_join([t for _, t in rendered], "")))
        finally:
            if affixes is None:
                self.__dict__.pop("_policycite_affixes", None)
            else:
                self.__dict__["_policycite_affixes"] = affixes


def _render(child: Any, item: Any) -> Any:
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter="")
        return child.render(item)
    except model.VariableError:
        return None


#: Opening markup an output format writes before formatted text: HTML's tags, unless the
#: formatter names its own (``opening_markup``). Field values never hold markup characters
#: (see :mod:`..output`), so what matches here is the formatter's.
_OPENING_TAGS = re.compile(r"^(?:<[a-z]+(?: [^>]*)?>)+")


_TRIM = "_policycite_trim_ends"


def trim_ends(root: Any) -> None:
    """Have the layouts of the style whose root element is ``root`` trim their ends."""
    root.__dict__[_TRIM] = True


class TrimmedLayout:
    r"""cs:layout: no whitespace at the ends of an entry or a citation.

    A style's layout often ends in a space that nothing follows: a suffix " " on the
    last element ("Accesso em: 20 feb. 2024. "), a cs:text value " " before a variable
    the item lacks, an author macro that renders nothing before " (2021)". citeproc-py
    keeps it; the reference output (citeproc-js, as policycite compares with it) has
    none, and in a document it is a stray space before the next word or the line end.
    The layout's assembled text is trimmed inside any markup around it
    ("<i>Title</i> " -> "<i>Title</i>", "<i> Title</i>" -> "<i>Title</i>"), segment by
    segment, so that the layout's own formatting still sees the segments.

    citeproc-js's engine itself keeps these spaces (the CSL test suite expects
    "<div class=\"csl-entry\"> (1994).</div>"); its callers trim them, as policycite's
    reference renderer (tools/citeproc-js/render.js) does. So the trimming is done for
    styles marked with :func:`trim_ends`, which the renderer does: a style driven as
    the test suite drives processors prints what citeproc-js's engine prints.
    """

    def wrap(self, string: Any) -> Any:
        text = super().wrap(string)
        if text is None or not self.get_root().__dict__.get(_TRIM):
            return text
        formatter = self.get_formatter()
        opening = getattr(formatter, "opening_markup", None) or _OPENING_TAGS
        # With second-field-align the rest of an entry keeps its leading space, as in
        # citeproc-js ("19.  The port needs a plan"): only its end is trimmed.
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        return _trim(text, opening, closing_markup(formatter), lead=not aligned)


def _segments(text: Any) -> list[Any]:
    return list(text) if isinstance(text, MixedString) else [text]


def _rebuilt(segment: Any, new: str) -> Any:
    if type(segment) in (str, String):
        return String(new)
    try:
        return type(segment)(new)
    except TypeError:  # a segment type that needs more than its text
        return String(new)


def _trim(text: Any, opening: re.Pattern[str], closing: re.Pattern[str], lead: bool = True) -> Any:
    """``text`` without whitespace at its end (and its start if ``lead``), markup kept."""
    plain = str(text)
    if _rstrip_inside(plain, closing) == plain and (
        not lead or _lstrip_inside(plain, opening) == plain
    ):
        return text  # the common case: nothing to do, nothing rebuilt
    segments = _segments(text)
    # The end: whitespace-only segments go, then the last one is stripped before and
    # inside its closing markup.
    while segments:
        last = str(segments[-1])
        stripped = _rstrip_inside(last, closing)
        if stripped:
            if stripped != last:
                segments[-1] = _rebuilt(segments[-1], stripped)
            break
        segments.pop()
    # The start: the same after and inside any opening markup.
    while lead and segments:
        first = str(segments[0])
        stripped = _lstrip_inside(first, opening)
        if stripped:
            if stripped != first:
                segments[0] = _rebuilt(segments[0], stripped)
            break
        segments.pop(0)
    if not segments:
        return String("")
    return MixedString(segments) if isinstance(text, MixedString) else segments[0]


def _rstrip_inside(text: str, closing: re.Pattern[str]) -> str:
    """'<i>Title </i> ' -> '<i>Title</i>'."""
    text = text.rstrip()
    match = closing.search(text)
    if match and match.start():
        return text[: match.start()].rstrip() + text[match.start() :]
    return text


def _lstrip_inside(text: str, opening: re.Pattern[str]) -> str:
    """' <i> Title' -> '<i>Title'."""
    text = text.lstrip()
    match = opening.match(text)
    if match and match.end() < len(text):
        return text[: match.end()] + text[match.end() :].lstrip()
    return text


_QUOTE_TERMS = ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")


def quote_table(layout: Any) -> dict[int, str]:
    """The layout's locale's quotation marks for the markers of :mod:`...quotemarks`."""
    table: dict[int, str] | None = layout.__dict__.get("_policycite_quote_table")
    if table is None:
        marks = [str(layout.get_single_term(name=name)) for name in _QUOTE_TERMS]
        table = layout.__dict__["_policycite_quote_table"] = resolve_table(
            (marks[0], marks[1]), (marks[2], marks[3])
        )
    return table


_MARKUP = re.compile(r"<[^>]*>")
_OPENING = "([{\"'\u201c\u2018\u00ab\u2039\u201e"


def _capitalised(text: str) -> str:
    """``text`` with its first letter (past any markup) upper-case."""
    index = 0
    while index < len(text):
        if text[index] == "<":
            end = text.find(">", index)
            if end < 0:
                break
            index = end + 1
            continue
        if text[index].isalpha():
            return text[:index] + text[index].upper() + text[index + 1 :]
        if not (text[index].isspace() or has_markers(text[index])):
            break
        index += 1
    return text


class MarkedTerms:
    """cs:text term="…": the term's text carries a mark for the layout (see ResolvedQuotes)."""

    def _term(self, item: Any) -> Any:
        text = super()._term(item)
        # A term the style cases itself (text-case="lowercase") is printed so.
        if not text or self.get("text-case") is not None:
            return text
        return String(TERM_START + str(text))

    def case(self, text: Any, language: Any = None) -> Any:
        # The mark is no letter: text-case ("capitalize-first") works on the term.
        if isinstance(text, str) and text.startswith(TERM_START):
            return String(TERM_START + str(super().case(String(text[1:]), language)))
        return super().case(text, language)


class ResolvedQuotes:
    """cs:layout: the quote markers of the values become the locale's quotation marks.

    citeproc-py copies the quotation marks of a value as they are: "the pandemic" stays
    “the pandemic” inside an en-GB quoted title (‘… “the pandemic”’ is right by luck) and
    in an en-GB title without quotes (‘the pandemic’ expected), and its inner-quote
    substitution (see ``nested-quotes``) turns the apostrophe of "Russia’s" into a
    closing quote. The level of each pair is settled below; here it gets its marks.

    Also the marks of MarkedTerms: a term that starts an entry, or a citation of a note
    style, is capitalised, as citeproc-js does ("Ibid." for "ibid.").
    """

    def wrap(self, string: Any) -> Any:
        text = super().wrap(string)
        if text is None:
            return None
        # The values' own markup that no element formatting laid out, nested as
        # citeproc-js nests it ("<i>One <i>Two</i></i>": the inner run turns italics off).
        text = translated(nested(text), quote_table(self))
        if getattr(self.get_formatter(), "normals", False) and has_normals(str(text)):
            text = String(resolve_normals(str(text)))
        if TERM_START in str(text):
            text = String(self._first_term(str(text)))
        return text

    def _first_term(self, text: str) -> str:
        """The term that starts the text capitalised (citeproc-js), the term marks gone.

        A term is capitalised when nothing but punctuation or markup comes before it in
        an entry ("(In T)"); the terms that open citations ("Ibid.") are lead-term's.
        """
        # Citations are lead-term's (fixes/leadterm.py), which also reads cite prefixes.
        in_citation = self.getparent().tag.endswith("citation")
        head, _, rest = text.partition(TERM_START)
        # Only spaces, markup and opening brackets or quotes may come before: anything
        # else printed ("———. " for a repeated author, a number) precedes the term.
        plain_head = _MARKUP.sub("", head)
        if (
            rest
            and not in_citation
            and all(c.isspace() or c in _OPENING or has_markers(c) for c in plain_head)
        ):
            rest = _capitalised(rest)
        return (head + rest).replace(TERM_START, "")


class Displayed:
    """``display`` (block, left-margin, right-inline, indent) on a rendering element.

    citeproc-py ignores it: a left-margin year runs into the title ("2021Global health")
    and no ``csl-block``/``csl-left-margin``/``csl-right-inline``/``csl-indent`` division
    reaches HTML. The element's text, affixes included, is laid out as citeproc-js lays
    it out in the output format (see ``output.TEXT_DISPLAY``/``HTML_DISPLAY``).

    The layout is done where the affixes are added (``punctuation.SeamPunctuation.wrap``,
    which reads the element's affixes and display once): this mixin marks the elements
    that display, so that no element pays for another call on every render.
    """

    @property
    def displays(self) -> bool:
        """Whether the element's display counts.

        citeproc-js honours it only on the layout's own children (render_nesting_level
        0; cs:choose does not nest) and ignores it further in: a block inside a group
        starts no new line ("E.2023 Ocean").
        """
        parent = self.getparent()
        while parent is not None and isinstance(parent, model.Choose | model.If | model.Else):
            parent = parent.getparent()
        return isinstance(parent, model.Layout)


#: An element's explicit "normal" values: (CSL attribute, its normal value).
_NORMAL_VALUES = (
    ("font-style", "normal"),
    ("font-variant", "normal"),
    ("font-weight", "normal"),
    ("text-decoration", "none"),
    ("vertical-align", "baseline"),
)


class NormalFormatting:
    """An element's explicit normal formatting (font-style="normal" …) inside a decorated one.

    citeproc-py ignores ``font-style="normal"``, ``vertical-align="baseline"`` and the
    like; citeproc-js writes them: ``<span style="baseline">`` and
    ``<span style="text-decoration:none;">`` always, the "normal" font style, variant and
    weight (``<i>…<span style="font-style:normal;">…</span></i>``) wherever an enclosing
    element or markup sets the decorated form, and not elsewhere. The formatter's
    ``Baseline`` … functions (see ``output.NORMAL_NAMES``) write the first two and mark
    the others; the layout, which sees the enclosing markup, keeps or drops the marks
    (``output.resolve_normals``).
    """

    def _format_plan(self) -> tuple[str, ...]:
        plan: tuple[str, ...] = super()._format_plan()
        values: tuple[tuple[str, str], ...] = _NORMAL_VALUES
        if isinstance(self, model.Layout):
            # Nothing encloses a layout: its normal font style, variant and weight never
            # show, but citeproc-js writes baseline and text-decoration none on it too.
            values = tuple(v for v in values if v[0] in _ALWAYS_WRITTEN)
        elif isinstance(self, model.Date) and self.get("form") is not None:
            return plan  # citeproc-js drops it on a localized date too
        normals = {
            attribute: NORMAL_NAMES[attribute]
            for attribute, normal in values
            if self.get(attribute) == normal
        }
        if normals and isinstance(self, model.Name):
            # citeproc-js does not count the enclosing cs:names's formatting when it
            # decides whether a cs:name's normal shows: <names font-style="italic">
            # <name font-style="normal"> prints "<i>Kask/Lee</i>".
            names = self.getparent()
            normals = {
                a: n for a, n in normals.items() if names.get(a, None) in (None, "normal", "none")
            }
        if not normals:
            return plan
        # citeproc-js applies an element's formatting in one order (font-style first,
        # vertical-align last: "<span style="baseline"><i>2nd</i></span>"), normal or not.
        return merged_plan(plan, tuple(normals.values()))


#: The normal values citeproc-js writes even on a layout (see output._ALWAYS).
_ALWAYS_WRITTEN = ("vertical-align", "text-decoration")
