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
    _drop_first,
    _escaped,
    closing_markup,
    seam,
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
        if aligned and len(children) == 1:
            return self._only_field(children[0], item)
        if not aligned or len(children) < 2:
            if children and self._displays_children(children):
                return None, self._render_displayed(item, children)
            return None, self.format(self.wrap(self.render_children(item)))
        first = _render(children[0], item)
        if first is not None:
            first = self._first_field(first)
        rest = [text for child in children[1:] if (text := _render(child, item)) is not None]
        if not rest:
            return first, None
        joined = self._seam_join(rest, "")
        body = self.wrap(joined)
        if first is not None and self._formats_columns():
            entry = self.format(self._columns(first, body, joined))
            if self.get_root().__dict__.get(_TRIM):
                # Trimmed as a whole, as the reference output is (see TrimmedLayout):
                # the white space inside the layout's formatting stays.
                entry = String(str(entry).strip())
            return None, entry
        return first, self.format(body)

    def _first_field(self, first: Any) -> Any:
        """The first field's quote and normal-formatting markers resolved, its term mark gone.

        It is rendered outside the layout's wrap (ResolvedQuotes), which does this for
        the rest: left alone, the markers would print.
        """
        first = translated(first, quote_table(self))
        if getattr(self.get_formatter(), "normals", False) and has_normals(str(first)):
            first = String(resolve_normals(str(first)))
        if TERM_START in str(first):
            first = String(str(first).replace(TERM_START, ""))
        return first

    def _only_field(self, child: Any, item: Any) -> tuple[Any, Any]:
        """An aligned layout's only child: the whole entry is its first field.

        citeproc-js puts all of it in the left margin (``<div
        class="csl-left-margin">1. Abara, C. … 2023</div>``) with the layout's prefix;
        the layout's suffix belongs to the right column, which is empty, and is lost.
        """
        first = _render(child, item)
        if first is None:
            return None, None
        first = self._first_field(first)
        left = getattr(self.get_formatter(), "display", {}).get("left-margin")
        if left is not None and self._formats_columns():
            # (Otherwise the aligned-layout-prefix fix puts the prefix before the field.)
            prefix = self.get("prefix")
            if prefix:
                first = MixedString([String(prefix), first])
            # (The text layout's margin ends in a space, which citeproc-js trims.)
            return None, self.format(String(left(str(first)).rstrip()))
        return first, None

    def _formats_columns(self) -> bool:
        r"""Whether the layout's own formatting goes round both columns of an entry.

        citeproc-js applies a layout's formatting (thieme-german's
        ``vertical-align="baseline"``) to the whole entry, its two column divisions
        included: ``<span style="baseline">\n    <div class="csl-left-margin">…</div>
        <div class="csl-right-inline">…</div>\n  </span>``; the output format's columns
        (engine) would put it inside the second.
        """
        found = self.__dict__.get("_policycite_formats_columns")
        if found is None:
            found = self.__dict__["_policycite_formats_columns"] = bool(self._format_plan())
        return bool(found)

    def _columns(self, first: Any, body: Any, joined: Any) -> Any:
        """The two columns laid out as citeproc-js's left-margin and right-inline displays.

        White space that ends the entry's text (``joined``, before the layout's
        affixes) is moved out of the right column, as citeproc-js moves a trailing space
        up out of the display (``CSL.Output.Queue.adjust``'s upward pass).
        """
        layouts = getattr(self.get_formatter(), "display", {})
        left, right = layouts.get("left-margin"), layouts.get("right-inline")
        if left is None or right is None:
            return MixedString([first, String(" "), body])
        text = str(body)
        end = str(joined)
        tail = "" if self.get("suffix") else end[len(end.rstrip()) :]
        text = text.rstrip()
        return String(left(str(first)) + right(text) + tail)

    def _displays_children(self, children: list[Any]) -> bool:
        """Whether an element the layout renders has a display attribute that counts."""
        found = self.__dict__.get("_policycite_displays")
        if found is None:
            found = self.__dict__["_policycite_displays"] = any(
                element.get("display") and getattr(element, "displays", False)
                for child in children
                for element in child.iter()
            )
        return bool(found)

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
        """The entry of a layout whose children display, laid out as citeproc-js does.

        citeproc-js joins the children at their seams before it lays out their display
        (its output queue keeps a display as a mark on a blob, not as text): a
        left-margin "Kask. " and an indent " 2020." share one space ("Kask.  " and
        "2020." in its div), a block ". URL" after "Bluesky." loses its period. So each
        displayed child's text is taken as it was before the layout (``SUFFIX_INTO``
        records it), the seams are adjusted on those texts, and then each is laid out.
        """
        into_suffix = self._suffix_into_display(children[0])
        root = self.get_root().__dict__
        suffix = self.get("suffix", "") if into_suffix else ""
        into: dict[Any, Any] = {"suffix": suffix}
        root[SUFFIX_INTO] = into
        try:
            rendered = [(c, t) for c in children if (t := _render(c, item)) is not None]
        finally:
            root[SUFFIX_INTO] = None
        if not rendered:
            return self.format(self.wrap(None))
        layouts = getattr(self.get_formatter(), "display", {})
        pieces = [_before_display(child, text, into, layouts) for child, text in rendered]
        # Where the layout's suffix goes: with the layout (as usual), inside the last
        # child's display, or nowhere.
        suffix_placed = False
        if into_suffix:
            last_child = rendered[-1][0]
            after = children[children.index(last_child) + 1 :]
            if any(_leaves_a_blob(child) for child in after):
                # citeproc-js puts the suffix on the layout's last output blob, which a
                # text macro or a cs:names that printed nothing still leaves: it is lost.
                suffix_placed = True
            elif pieces[-1][1] is not None:
                text, layout, element = pieces[-1]
                pieces[-1] = (_with_suffix(self, text, suffix), layout, element)
                suffix_placed = True
        joined = self._joined_displays(pieces)
        if not suffix_placed:
            return self.format(self.wrap(joined))
        # The layout adds only its prefix.
        affixes = self.__dict__.get("_policycite_affixes")
        self.__dict__["_policycite_affixes"] = (self.get("prefix", ""), "", None)
        try:
            return self.format(self.wrap(joined))
        finally:
            if affixes is None:
                self.__dict__.pop("_policycite_affixes", None)
            else:
                self.__dict__["_policycite_affixes"] = affixes

    def _joined_displays(self, pieces: list[tuple[Any, Any, Any]]) -> Any:
        r"""The pieces joined at their seams as texts, then each laid out.

        A punctuation mark that starts the piece after a displayed one moves into the
        display ("… 2020,</div>\n Treasury"), as citeproc-js moves a sibling's leading
        mark to the end of the blob before it when neither is formatted.
        """
        texts = [text for text, _, _ in pieces]
        piq = self._piq()
        for index in range(1, len(texts)):
            left, right = seam(texts[index - 1], texts[index], piq, self._closing, self.quoted_stop)
            right = model.normalize_seam(left, right)
            mark = str(right)[:1]
            if (
                mark in _MOVING_MARKS
                and pieces[index - 1][1] is not None
                and str(left)
                and not _formatted(pieces[index - 1][2])
                and not _formatted(pieces[index][2])
            ):
                left, right = left + String(mark), _drop_first(right)
            texts[index - 1] = left
            texts[index] = right
        # White space at the start of the first piece and the end of the last goes out
        # of their displays (citeproc-js's upward pass, when nothing on the way is
        # formatted), where the entry's trimming takes it.
        before = after = ""
        plain_layout = not self._format_plan()
        if plain_layout and pieces[0][1] is not None and not _formatted(pieces[0][2]):
            text = str(texts[0])
            kept = text.lstrip()
            if kept != text:
                before, texts[0] = text[: len(text) - len(kept)], String(kept)
        if plain_layout and pieces[-1][1] is not None and not _formatted(pieces[-1][2]):
            text = str(texts[-1])
            kept = text.rstrip()
            if kept and kept != text:
                after, texts[-1] = text[len(kept) :], String(kept)
        # Laid out, the pieces are put side by side with no seam rule: citeproc-js
        # adjusts nothing after the layout (" N.d. " then " Port" keeps both spaces).
        segments: list[Any] = [String(before)] if before else []
        for text, (_, layout, _) in zip(texts, pieces, strict=True):
            if not str(text):
                continue
            laid = String(layout(str(text))) if layout is not None else text
            segments.extend(laid if isinstance(laid, MixedString) else [laid])
        if after:
            segments.append(String(after))
        return MixedString(segments) if segments else String("")


#: What citeproc-js moves from a sibling's start to the blob before it (its PUNCT).
_MOVING_MARKS = frozenset(".,;:!?")


def _formatted(element: Any) -> bool:
    """Whether an element has formatting of its own (citeproc-js's blob decorations)."""
    return bool(element is not None and element._format_plan())


def _before_display(
    child: Any, text: Any, into: dict[Any, Any], layouts: Any
) -> tuple[Any, Any, Any]:
    """A rendered child as (its text before its display, the display's layout, element).

    A child that displays (itself, or as the one displayed element of a cs:choose
    branch) and whose text is just that element's laid-out text gives the text before
    the layout; anything else is kept as it is, with no layout.
    """
    if child in into:
        candidates = [child]
    else:
        candidates = [e for e in into if not isinstance(e, str) and _within(e, child)]
    if len(candidates) == 1:
        element = candidates[0]
        before = into[element][0]
        layout = layouts.get(element.get("display"))
        if layout is not None and str(layout(str(before))) == str(text):
            return before, layout, element
    return text, None, child


def _within(element: Any, ancestor: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not ancestor:
        if not isinstance(parent, model.Choose | model.If | model.Else):
            return False
        parent = parent.getparent()
    return parent is ancestor


def _leaves_a_blob(child: Any) -> bool:
    """Whether citeproc-js keeps an output blob for the child when it prints nothing."""
    return isinstance(child, model.Names) or (
        isinstance(child, model.Text) and child.get("macro") is not None
    )


def _with_suffix(layout: Any, text: Any, suffix: str) -> Any:
    """``text`` followed by the layout's suffix, at a seam."""
    if not suffix:
        return text
    formatter = layout.get_formatter()
    escaped = _escaped(formatter, suffix)
    text, last = seam(text, String(escaped), layout._piq(), layout._closing)
    return text + model.normalize_seam(text, last)


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
#: Markup that never matches: the ends of the string only (see TrimmedLayout).
_NO_MARKUP = re.compile(r"(?!)")


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
    The layout's assembled text is trimmed segment by segment, so that the layout's own
    formatting still sees the segments: in HTML its ends only, as citeproc-js's output
    is ("<i>Title</i> " -> "<i>Title</i>", but "<b> (2021):</b>" stays); in Markdown
    also inside the markup ("*Title *" is no emphasis).

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
        # With second-field-align the rest of an entry keeps its leading space, as in
        # citeproc-js ("19.  The port needs a plan"): only its end is trimmed.
        aligned = self.getparent().get("second-field-align") in {"flush", "margin"}
        if getattr(formatter, "spaces_in_markup", False):
            # HTML as citeproc-js writes it: the string is trimmed, not what a tag holds
            # ("<b> (2021):</b>", "<i> Port Office </i>").
            return _trim(text, _NO_MARKUP, _NO_MARKUP, lead=not aligned)
        opening = getattr(formatter, "opening_markup", None) or _OPENING_TAGS
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
        if normals and isinstance(self, (model.Name, model.Name_Part)):
            # citeproc-js does not count the enclosing cs:names's (or a name part's
            # cs:name's) formatting when it decides whether a normal shows: <names
            # font-style="italic"><name font-style="normal"> prints "<i>Kask/Lee</i>",
            # a family name-part font-variant="normal" in small-caps names stays small-caps
            # (as it would not if a group round the cs:names were small-caps too: rare).
            enclosing = [self.getparent()]
            if isinstance(self, model.Name_Part):
                enclosing.append(enclosing[0].getparent())
            normals = {
                a: n
                for a, n in normals.items()
                if all(e.get(a, None) in (None, "normal", "none") for e in enclosing)
            }
        if not normals:
            return plan
        # citeproc-js applies an element's formatting in one order (font-style first,
        # vertical-align last: "<span style="baseline"><i>2nd</i></span>"), normal or not.
        return merged_plan(plan, tuple(normals.values()))


#: The normal values citeproc-js writes even on a layout (see output._ALWAYS).
_ALWAYS_WRITTEN = ("vertical-align", "text-decoration")
