"""Cite collapsing (CSL ``collapse="year"``) and the suppressed author it needs.

citeproc-py renders every cite of a cluster in full: "(Lee, 2020a; Lee, 2020b)" where
CSL asks for "(Lee, 2020a, 2020b)". Cites that follow one with the same rendered author
are rendered with their first cs:names element suppressed (author, or the substitute
standing for it) and joined with the cite-group delimiter. Under collapse="year-suffix"
a collapsed cite also leaves out the year the cite before printed (:class:`CollapsedYear`)
and its year suffix joins as citeproc-js joins numbers ("(Lee 2020a: 12, b; c)").
"""

from __future__ import annotations

import contextvars
from typing import Any

import attrs
from citeproc import model
from citeproc.string import MixedString

from policycite.render.fixes import leadterm
from policycite.render.fixes.caching import memo
from policycite.render.fixes.disambiguation import implicit_suffix, implicit_year_suffix
from policycite.render.fixes.intext import NARRATIVE, introduced, mode_of
from policycite.render.fixes.names import recorded
from policycite.render.fixes.sorting import citation_order

SUPPRESS = "_policycite_suppress_author"
#: On a citation: rendered alone, not as part of a document (citeproc-js's
#: makeCitationCluster; see CollapsingLayout._sorted).
ALONE = "_policycite_alone"
#: What citeproc-js prints for a citation whose cites print nothing.
NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
SUBSTITUTE = "_policycite_author_substitute"
CAPTURE = "_policycite_author"
CAPTURE_RICH = "_policycite_author_rich"
#: Layout state: the author of the cite just rendered was printed by cs:name (not a
#: substitute's term or title).
CAPTURE_NAMED = "_policycite_author_named"
#: Layout state: the cite just rendered reached a cs:text of a variable.
TEXT_VARIABLE = "_policycite_text_variable"
#: While a cite of a collapse="year-suffix" citation renders: the years it printed so
#: far, and the years of the cite before when the cite collapses into it (a context
#: variable: a localized date's parts render with the locale's cs:date as context).
YEARS: contextvars.ContextVar[_Years | None] = contextvars.ContextVar(
    "policycite_years", default=None
)
#: Layout state: the element that printed last in the cite just rendered.
LAST = "_policycite_last_printed"


class SuppressibleNames:
    """The first cs:names of a cite or entry can be suppressed or replaced.

    Collapsing suppresses it, subsequent-author-substitute replaces it; either way it
    records what it rendered.
    """

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        context = kwargs.get("context")
        try:
            layout = (context if context is not None else self).get_layout()
        except IndexError:  # rendered outside a layout (a sort key): nothing to do
            return super().render(item, *args, **kwargs)
        state = layout.__dict__
        if state.get(SUPPRESS):
            state[SUPPRESS] = False
            # citeproc-js renders the names and takes them out: a term after them is not
            # the cite's first word ("op. cit." after a suppressed author, not "Op. cit.").
            if leadterm.STATE.active and _prints_for(self, item):
                leadterm.STATE.rendered = True
            raise model.VariableError
        substitute = state.get(SUBSTITUTE)
        if substitute is not None:  # subsequent-author-substitute ("———")
            state[SUBSTITUTE] = None
            return self.wrap(self.format(model.String(substitute))) if substitute else None
        if state.get(CAPTURE, ...) is not None:
            return super().render(item, *args, **kwargs)
        # The names cs:name prints are recorded (names.RECORDERS): citeproc-js collapses
        # only cites whose names were printed, not a substitute's term or title ("(Anon
        # 2021b, Anon n.d.)": the anonymous term stands for no author).
        text, printed = recorded(super().render, item, *args, **kwargs)
        if state.get(CAPTURE, ...) is None:
            state[CAPTURE] = str(text) if text is not None else ""
            state[CAPTURE_RICH] = text
            state[CAPTURE_NAMED] = bool(printed)
            years = YEARS.get()
            if years is not None and years.author is None:
                years.author = state[CAPTURE]
        return text


def _prints_for(names: Any, item: Any) -> bool:
    """Whether a cs:names prints for the item: one of its roles, or its cs:substitute."""
    reference = item.reference
    for role in str(names.get("variable", "")).split():
        if role in reference or role.replace("-", "_") in reference:
            return True
    return names.find("{http://purl.org/net/xbiblio/csl}substitute") is not None


class CollapsedYear:
    """cs:date-part name="year": left out where the cite before printed the same year.

    citeproc-js, under collapse="year-suffix" with year suffixes, leaves out a year the
    cite before printed at the same place when the cite's author collapsed into that
    cite's, with or without a locator: "(Lee 2020a: 12, b: 31)". The implicit year
    suffix still prints.
    """

    def render(self, date: Any, context: Any = None) -> Any:
        years = YEARS.get()
        if years is None or self.get("name") != "year":
            return super().render(date, context)
        value = getattr(date, "year", None)
        years.used.append(value)
        index = len(years.used) - 1
        before = years.before
        if (
            before is None
            or index >= len(before)
            or before[index] != value
            # citeproc-js's have_collapsed: no longer once other names or a cs:text of a
            # variable printed; a cite printing no names stays collapsed ("1965a,b").
            or (years.author is not None and years.author != years.last_author)
            or leadterm.STATE.text_variable
        ):
            return super().render(date, context)
        years.dropped = True
        return implicit_suffix(self, date)


class _Years:
    """The years a cite printed, and the years and author of the cite before."""

    __slots__ = ("author", "before", "dropped", "last_author", "used")

    def __init__(self, before: list[Any] | None, last_author: str | None) -> None:
        self.used: list[Any] = []
        self.before = before
        self.last_author = last_author
        #: The names the cite printed, once it printed them.
        self.author: str | None = None
        self.dropped = False


class CollapsingLayout:
    """A citation layout that collapses consecutive cites by the same author.

    Cites also keep the order they were written in unless the style sorts them.
    """

    def _render_cite(
        self,
        item: Any,
        suppress: bool,
        *,
        prefix: bool = True,
        first: bool = False,
        years: _Years | None = None,
    ) -> tuple[Any, str | None]:
        state = self.__dict__
        self.repressed = {}
        state[CAPTURE] = None
        state[CAPTURE_NAMED] = False
        state[SUPPRESS] = suppress
        token = YEARS.set(years)
        in_text = memo(self, "_policycite_collapse", _Options.of, self).in_text
        leadterm.start_cite(item, first, in_text)
        try:
            output = self.render_children(item)
        except model.VariableError:
            output = None
        finally:
            state[SUPPRESS] = False
            YEARS.reset(token)
            state[TEXT_VARIABLE] = leadterm.STATE.text_variable
            state[LAST] = leadterm.STATE.last
            leadterm.end_cite()
        author = state.pop(CAPTURE, None)
        if output is None:
            return None, author
        before = item.get("prefix", "") if prefix else ""
        return before + output + item.get("suffix", ""), author

    def _narrative_author(self, item: Any) -> Any:
        """The author of a narrative cite as it stands in the sentence ("Kask and Lind")."""
        state = self.__dict__
        state[NARRATIVE] = True
        state[CAPTURE_RICH] = None
        try:
            self._render_cite(item, suppress=False)
        finally:
            state[NARRATIVE] = False
        return state.pop(CAPTURE_RICH, None)

    def _lead(self, item: Any, groups: list[_Cite]) -> tuple[Any, str | None]:
        """A narrative cite: its author for the sentence, the rest as the first group.

        Returns the author (None when the cite has none to take out) and the author as
        compared for collapsing, so that "Zhou (n.d., 2016)" collapses too.
        """
        text, author = self._render_cite(item, suppress=False, first=True)
        lead = self._narrative_author(item) if author else None
        if lead is None or text is None:
            return lead, None
        self.getparent().cites.append(item)
        rest, _ = self._render_cite(item, suppress=True, prefix=False)
        abbreviation = introduced(item)
        if abbreviation:  # "World Health Organization (WHO, 2020)"
            rest = abbreviation if rest is None else abbreviation + ", " + rest
        if rest is not None:
            groups.append(_Cite(item, rest, author))
        return lead, author

    def render_citation(self, citation: Any, callback: Any) -> Any:
        options = memo(self, "_policycite_collapse", _Options.of, self)
        good = [cite for cite in citation.cites if not cite.is_bad()]
        bad = [cite for cite in citation.cites if cite.is_bad()]
        # A narrative cite comes first (its author opens the sentence's citation); note
        # styles have no author-date cite to split, so theirs render as usual.
        lead_item = None
        if good and mode_of(good[0]) == "narrative" and not options.note:
            lead_item, good = good[0], good[1:]
        # Cites keep the order they were written in unless the style sorts them
        # (citeproc-py always put them in bibliography order first).
        sort = memo(self, "_policycite_citation_sort", _sort_of, self)
        if sort is not None and len(good) > 1:  # one cite needs no sort keys rendered
            good = self._sorted(sort, good, options, alone=bool(dict.get(citation, ALONE)))
        cites: list[_Cite] = []
        last_author: str | None = None
        lead: Any = None
        if lead_item is not None:
            lead, last_author = self._lead(lead_item, cites)
            if lead is None:  # no author to take out (a numeric style): a normal cite
                good.insert(0, lead_item)
        self._collect(good, cites, last_author, options, first=lead is None)
        if options.collapse == "citation-number":
            out = self._join_numbers(cites, options)
        else:
            out = self._join(cites, options)
        if out is None and not bad and lead_item is None and _unprinted(good):
            # citeproc-js marks a citation whose cites all print nothing.
            return self.format(self.wrap(NO_PRINTED_FORM))
        parts = [out] if out is not None else []
        for item in bad:
            parts.append(callback(item) or f"{item.key}?")
        delimiter = options.delimiter
        if lead is not None:
            before = lead_item.get("prefix", "") if lead_item is not None else ""
            inner = model.join(parts, delimiter) if parts else None
            return self.format(before + lead + (" " + self.wrap(inner) if inner else ""))
        return self.format(self.wrap(model.join(parts, delimiter)))

    def _collect(
        self,
        items: list[Any],
        cites: list[_Cite],
        last_author: str | None,
        options: _Options,
        *,
        first: bool,
    ) -> None:
        """Render ``items`` onto ``cites``, as citeproc-js collapses them.

        The names of a cite by the author of the cite before are left out; for the
        delimiters, a cite counts as collapsed when they are, or when it has none,
        unless it reached a cs:text of a variable.
        """
        # The years each cite printed, for citeproc-js's year collapsing (CollapsedYear).
        track = options.year_suffix and options.adds_year_suffix
        years_before: list[Any] | None = None
        for item in items:
            opens = first and not cites
            years = _Years(years_before, last_author) if track else None
            if mode_of(item) == "suppress-author":
                text, _ = self._render_cite(item, suppress=True, first=opens, years=years)
                years_before = years.used if years is not None else None
                if text is not None:
                    self.getparent().cites.append(item)
                    cites.append(_Cite(item, text, None))
                last_author = None
                continue
            text, author = self._render_cite(item, suppress=False, first=opens, years=years)
            named = self.__dict__[CAPTURE_NAMED]
            if text is None or not str(text).strip():
                # citeproc-js keeps the affixes of a cite that prints nothing ("see").
                affixes = item.get("prefix", "") + item.get("suffix", "")
                if affixes:
                    cites.append(_Cite(item, affixes, None))
                    last_author = None
                continue
            self.getparent().cites.append(item)
            cite = _Cite(item, text, author)
            # citeproc-js compares the names printed with the cite before's: alike, the
            # cite-group delimiter joins them, collapsing or not (its names node).
            cite.grouped = bool(named and author and cites and author == last_author)
            same = bool(options.authors and author and cites and author == last_author)
            if options.authors:
                cite.collapsed = (same or not author) and not self.__dict__.get(TEXT_VARIABLE)
            elif options.collapse == "citation-number":
                # citeproc-js's have_collapsed stays set while a cite prints only numbers
                # and its locator (no names, no other text variable).
                cite.collapsed = not author and not self.__dict__.get(TEXT_VARIABLE)
            if author:
                last_author = author
            # citeproc-js leaves out names printed as the cite before's under any
            # collapse, citation-number too (a note style's "…; Ferry subsidies …").
            if options.collapse and cite.grouped:
                years = _Years(years_before, last_author) if track else None
                short, _ = self._render_cite(item, suppress=True, years=years)
                if short is None:  # nothing but the author: citeproc-js prints nothing
                    continue
                cite.text = short
                if options.year_suffix and cites and not track:
                    cite.suffix_only = _same_year(cites[-1], cite)
            if years is not None:
                years_before = years.used
                cite.year_dropped = years.dropped
                cite.trailing = _trailing_number(cite, self.__dict__.get(LAST))
                cite.suffix_only = (
                    cite.year_dropped and cite.plain() and bool(cites) and cite.trailing is not None
                )
            elif options.collapse == "citation-number" and not cite.plain():
                # A numeric locator ending the cite is a number blob in citeproc-js too,
                # chained with the citation numbers that follow (see _join_numbers).
                trailing = _trailing_number(cite, self.__dict__.get(LAST))
                cite.trailing = trailing if trailing and trailing[1] == "number" else None
            cites.append(cite)

    def _sorted(self, sort: Any, items: list[Any], options: _Options, *, alone: bool) -> list[Any]:
        """The cites in the order citeproc-js gives them (see sorting.citation_order).

        A style that groups cites sorts a document's citation by each cite's author
        first; a citation rendered alone (citeproc-js's makeCitationCluster) is sorted
        without it, its key directions shifted by one.
        """
        if not options.js_grouped:
            return citation_order(sort, items, self)
        if alone:
            return citation_order(sort, items, self, shifted=True)
        authors = [self._render_cite(item, suppress=False)[1] or None for item in items]
        return citation_order(sort, items, self, authors=authors)

    def _join(self, cites: list[_Cite], options: _Options) -> Any:
        """Cites joined as citeproc-js splices them (CSL.getSpliceDelimiter).

        A collapsed cite follows the one before with the layout delimiter (or the
        cite-group delimiter); after-collapse-delimiter ends a group, follows a cite
        with a locator, and separates cites that did not collapse. A year suffix that
        stands for its whole cite ("2020a, b") follows with the year-suffix delimiter,
        and three or more in a row become a range ("a–c") under year-suffix-ranged.
        """
        if options.year_suffix and options.adds_year_suffix:
            return self._join_blobs(cites, options)
        out: Any = None
        index = 0
        while index < len(cites):
            cite = cites[index]
            if out is None:
                out = cite.text
            else:
                out = _spliced(out, self._delimiter(cites[index - 1], cite, options), cite.text)
            end = index + 1
            while end < len(cites) and cites[end].suffix_only:
                end += 1
            if end > index + 1:  # year suffixes standing for their cites
                chain = cites[index:end]
                numbers = [_suffix_number(c) for c in chain]
                for position, show in _ranges(numbers, options.ranged)[1:]:
                    letter = chain[position].letter()
                    if show == "range":
                        out = out + options.range_delimiter + letter
                    elif show == "each":
                        out = out + options.year_suffix_delimiter + letter
            index = end
        return out

    def _delimiter(self, before: _Cite, cite: _Cite, options: _Options) -> str:
        """The delimiter between two cites (CSL.getSpliceDelimiter, then the affixes)."""
        delimiter = _affixed(options.splice(before, cite), before, cite)
        if "  " in delimiter and getattr(self.get_formatter(), "escape_affixes", False):
            # citeproc-js's HTML text_escape writes two spaces as "&#160; "
            # (karlstad-universitet-harvard's cite-group-delimiter="  ").
            delimiter = delimiter.replace("  ", "\u00a0 ")
        return delimiter

    def _join_blobs(self, cites: list[_Cite], options: _Options) -> Any:
        """collapse="year-suffix(-ranged)": cites joined as citeproc-js's number blobs.

        citeproc-js keeps a number that ends a cite (its year suffix, a numeric locator)
        as a blob, and a cite that prints only its year suffix is such a blob alone; the
        blobs are chained across cites (NumericBlob.checkNext, checkLast): a suffix
        following the one before it takes the year-suffix delimiter (or the range
        delimiter), one that does not, the cite delimiter, except that the last of a
        chain takes the year-suffix delimiter again: "(Lee 2020b, a; c)".
        """
        objects: list[_Cite | _Blob] = []
        for index, cite in enumerate(cites):
            splice = self._delimiter(cites[index - 1], cite, options) if index else ""
            if cite.suffix_only and index:
                objects.append(_Blob(_suffix_number(cite) - 1, "suffix", splice, cite))
                continue
            objects.append(cite)
            if cite.trailing is not None and not cite.year_dropped:
                objects.append(_Blob(cite.trailing[0], cite.trailing[1], "", None))
        _chain(objects, bool(options.ranged))
        out: Any = None
        for index, obj in enumerate(objects):
            if isinstance(obj, _Cite):
                text = obj.text
                if out is not None:
                    text = self._delimiter(cites[cites.index(obj) - 1], obj, options) + text
            elif obj.cite is None or obj.status == _SUPPRESS:
                continue  # the number ending a cite prints with it
            else:
                if obj.status == _END:
                    before = options.range_delimiter
                elif obj.status == _SUCCESSOR:
                    before = options.year_suffix_delimiter
                elif obj.status == _START and not index:
                    before = ""
                else:
                    before = obj.splice
                text = before + obj.cite.text
            out = text if out is None else out + text
        return out

    def _join_numbers(self, cites: list[_Cite], options: _Options) -> Any:
        """collapse="citation-number": cites joined as citeproc-js's number blobs.

        A cite that prints only its number is a blob; three or more numbers in a row
        become a range ("[1]–[3]"); a cite with a locator or affixes stands alone, as
        text, and a numeric locator ending it is a blob of its own. The blobs are chained
        as in _join_blobs: a number following the one before takes the layout delimiter,
        one that does not takes its splice delimiter (the after-collapse-delimiter after
        a cite with a locator), except the last of a chain: iso690's "(7, para. 12;
        8, para. 4)" and "(1, p. 3; 3, 5)", but "(1, p. 3, 3)".
        """
        objects: list[_Cite | _Blob] = []
        for index, cite in enumerate(cites):
            splice = self._delimiter(cites[index - 1], cite, options) if index else ""
            if cite.plain():
                objects.append(_Blob(int(cite.item.number), "citation-number", splice, cite))
                continue
            objects.append(cite)
            if cite.trailing is not None:
                objects.append(_Blob(cite.trailing[0], cite.trailing[1], "", None))
        _chain(objects, True)
        out: Any = None
        for index, obj in enumerate(objects):
            if isinstance(obj, _Cite):
                text = obj.text
                if out is not None:
                    text = self._delimiter(cites[cites.index(obj) - 1], obj, options) + text
            elif obj.cite is None or obj.status == _SUPPRESS:
                continue  # the locator ending a cite prints with it
            else:
                if obj.status == _END:
                    before = options.range_delimiter
                elif obj.status == _SUCCESSOR:
                    before = options.delimiter
                elif obj.status == _START and not index:
                    before = ""
                else:
                    before = obj.splice
                text = before + obj.cite.text
            out = text if out is None else out + text
        return out


class _Cite:
    """One rendered cite of a citation, as the collapsing needs it."""

    __slots__ = (
        "author",
        "collapsed",
        "grouped",
        "item",
        "suffix_only",
        "text",
        "trailing",
        "year_dropped",
    )

    def __init__(self, item: Any, text: Any, author: str | None) -> None:
        self.item = item
        self.text = text
        self.author = author
        self.collapsed = False
        #: Its names print as the cite before's (the cite-group delimiter joins them).
        self.grouped = False
        self.suffix_only = False
        #: CollapsedYear left its year out: it opens with its year suffix.
        self.year_dropped = False
        #: The number the cite ends with (see _trailing_number).
        self.trailing: tuple[int, str] | None = None

    def plain(self) -> bool:
        """No locator, prefix or suffix."""
        return not (self.item.get("locator") or self.item.get("prefix") or self.item.get("suffix"))

    def letter(self) -> str:
        return str(self.item.reference.get("year_suffix", ""))


_START, _SUCCESSOR, _SUCCESSOR_OF_SUCCESSOR, _SEEN, _SUPPRESS, _END = range(6)


class _Blob:
    """A number as citeproc-js keeps it in a citation: a year suffix or a locator.

    ``cite`` is the cite it stands for when it is all the cite prints, None when it ends
    a cite printed as text.
    """

    __slots__ = ("cite", "kind", "number", "splice", "status")

    def __init__(self, number: int, kind: str, splice: str, cite: _Cite | None) -> None:
        self.number = number
        self.kind = kind
        self.splice = splice
        self.cite = cite
        self.status = _START

    def follows(self, before: _Blob) -> bool:
        """In sequence after ``before``.

        citeproc-js tests ``next.num``: a suffix "a", number 0, never is.
        """
        return bool(self.number) and self.kind == before.kind and self.number == before.number + 1


def _chain(objects: list[_Cite | _Blob], ranged: bool) -> None:
    """The blobs' statuses, as citeproc-js's renderBlobs sets them."""
    start = True
    for index, obj in enumerate(objects):
        following = objects[index + 1] if index + 1 < len(objects) else None
        if isinstance(obj, _Blob):
            _check_next(obj, following if isinstance(following, _Blob) else None, start, ranged)
            start = False
        else:
            start = not (isinstance(following, _Blob) and following.splice)
    last_fixed = False
    for index in range(len(objects) - 1, 0, -1):
        obj = objects[index]
        if not isinstance(obj, _Blob):
            last_fixed = False
            continue
        before = objects[index - 1]
        if last_fixed:
            continue
        in_sequence = isinstance(before, _Blob) and before.number == obj.number - 1
        if obj.status == _SEEN or (obj.status == _SUCCESSOR and not in_sequence):
            obj.status = _SUCCESSOR
            last_fixed = True


def _check_next(blob: _Blob, following: _Blob | None, start: bool, ranged: bool) -> None:
    """citeproc-js's NumericBlob.checkNext."""
    if start:
        blob.status = _START
        if following is not None:
            following.status = _SUCCESSOR if following.follows(blob) else _SEEN
    elif following is None or not following.follows(blob):
        if blob.status == _SUCCESSOR_OF_SUCCESSOR:
            blob.status = _END
        if following is not None:
            following.status = _SEEN
    elif blob.status in (_START, _SEEN):
        following.status = _SUCCESSOR
    elif ranged:
        following.status = _SUCCESSOR_OF_SUCCESSOR
        blob.status = _SUPPRESS
    else:
        following.status = _SUCCESSOR


def _trailing_number(cite: _Cite, last: Any) -> tuple[int, str] | None:
    """The number a cite ends with, which citeproc-js keeps as a blob: (number, kind).

    Its year suffix (the variable, or a date printing the implicit suffix), or a locator
    of digits alone, when that printed last; nothing after a cite suffix.
    """
    if last is None or cite.item.get("suffix"):
        return None
    variable = last.get("variable")
    tag = last.tag.rsplit("}", 1)[-1]
    if variable == "year-suffix" or (tag == "date" and implicit_year_suffix(last.get_root())):
        if cite.letter():
            return _suffix_number(cite) - 1, "suffix"
        return None
    locator = cite.item.get("locator")
    identifier = str(getattr(locator, "identifier", "") or "")
    if variable == "locator" and identifier.isdigit():
        return int(identifier), "number"
    return None


def _spliced(out: Any, delimiter: str, text: Any) -> Any:
    """``out``, the delimiter and the next cite's text, as citeproc-js splices them.

    citeproc-js puts the cite after the delimiter as it is: a collapsed cite whose first
    printed element has the prefix " " keeps it ("(2020a);  ‘Ferry subsidies’",
    review-of-international-studies), where citeproc-py's seams merge the two spaces.
    """
    joined = out + delimiter
    if not (str(text)[:1] == " " and str(delimiter)[-1:] == " "):
        return joined + text
    left = list(joined) if isinstance(joined, MixedString) else [joined]
    right = list(text) if isinstance(text, MixedString) else [text]
    return MixedString(left + right)


def _affixed(delimiter: str, before: _Cite, cite: _Cite) -> str:
    """The delimiter next to cite affixes that bring their own punctuation (citeproc-js).

    After a suffix ending in ";", "." or "," only its space stays; before a prefix
    starting with one (and no suffix before), nothing.
    """
    suffix = str(before.item.get("suffix", "") or "")
    prefix = str(cite.item.get("prefix", "") or "")
    if suffix and suffix[-1] in ";.,":
        space = delimiter.find(" ")
        return delimiter[space:] if space > -1 else ""
    if not suffix and prefix and prefix[0] in ";.,":
        return ""
    return delimiter


def _year_of(cite: _Cite) -> Any:
    issued = cite.item.reference.get("issued")
    return issued.get("year") if isinstance(issued, dict) else None


def _same_year(before: _Cite, cite: _Cite) -> bool:
    """Whether ``cite`` prints only its year suffix after ``before`` ("2020a, b")."""
    reference = cite.item.reference
    if not reference.get("year_suffix") or not before.item.reference.get("year_suffix"):
        return False
    if before.author != cite.author or not cite.plain():
        return False
    year = _year_of(cite)
    return year is not None and year == _year_of(before)


def _suffix_number(cite: _Cite) -> int:
    number = 0
    for letter in cite.letter():
        number = number * 26 + ord(letter) - ord("a") + 1
    return number


def _ranges(numbers: list[int], ranged: bool) -> list[tuple[int, str]]:
    """Which of a chain of numbers print, and how: citeproc-js's NumericBlob.checkNext.

    Returns (index, "first" | "each" | "range" | "hidden") for every number: in a run
    of three or more consecutive numbers (with ``ranged``) the inner ones are hidden and
    the last follows the range delimiter.
    """
    shown: list[tuple[int, str]] = []
    start = 0
    while start < len(numbers):
        end = start + 1
        while end < len(numbers) and numbers[end] == numbers[end - 1] + 1:
            end += 1
        if ranged and end - start >= 3:
            shown.append((start, "each"))
            shown += [(i, "hidden") for i in range(start + 1, end - 1)]
            shown.append((end - 1, "range"))
        else:
            shown += [(i, "each") for i in range(start, end)]
        start = end
    if shown:
        shown[0] = (0, "first")
    return shown


@attrs.frozen
class _Options:
    """The collapsing options of a cs:citation, read once."""

    collapse: str
    delimiter: str
    after_collapse: str | None
    cite_group: str | None
    year_suffix_delimiter: str
    range_delimiter: str
    in_text: bool
    note: bool
    #: citeproc-js's grouped_sort (see _sorted).
    js_grouped: bool = False
    #: disambiguate-add-year-suffix="true".
    adds_year_suffix: bool = False
    #: citeproc-js's update_mode NUMERIC: the citation prints citation-number.
    numeric: bool = False

    @classmethod
    def of(cls, layout: Any) -> _Options:
        citation = layout.getparent()
        root = layout.get_root()
        collapse = citation.get("collapse") or ""
        delimiter = layout.get("delimiter", "")
        # An empty cite-group-delimiter is no delimiter at all: citeproc-js tests its
        # length, so cites then join as if it were absent (urban-geography).
        cite_group = citation.get("cite-group-delimiter") or None
        # Locales older than CSL 1.0.1 have no such term: an en dash, as citeproc-js.
        range_delimiter = str(layout.get_single_term("citation-range-delimiter"))
        style_class = root.get("class")
        in_text = style_class == "in-text"
        return cls(
            collapse=collapse,
            delimiter=delimiter,
            after_collapse=citation.get("after-collapse-delimiter"),
            cite_group=cite_group,
            year_suffix_delimiter=(
                cite_group or citation.get("year-suffix-delimiter") or delimiter
            ),
            range_delimiter=range_delimiter or "\u2013",
            in_text=in_text,
            note=style_class == "note",
            js_grouped=(in_text and bool(collapse))
            or (bool(cite_group) and not _updates_by_position(citation)),
            adds_year_suffix=citation.get("disambiguate-add-year-suffix") == "true",
            numeric=_prints_citation_number(citation)
            and not _updates_by_position(citation, numeric=False),
        )

    @property
    def authors(self) -> bool:
        """Cites by one author collapse (all but citation-number)."""
        return bool(self.collapse) and self.collapse != "citation-number"

    @property
    def year_suffix(self) -> bool:
        return self.collapse in ("year-suffix", "year-suffix-ranged")

    @property
    def ranged(self) -> bool:
        return self.collapse == "year-suffix-ranged"

    def splice(self, before: _Cite, cite: _Cite) -> str:
        """The delimiter between two cites (citeproc-js's CSL.getSpliceDelimiter)."""
        if self.after_collapse is not None:
            if before.item.get("locator"):
                return self.after_collapse
            if before.collapsed and not cite.collapsed:
                return self.after_collapse
            if not before.collapsed and not cite.collapsed and self.collapse != "year-suffix":
                return self.after_collapse
            return self.delimiter
        if self.cite_group is not None and cite.grouped:
            return self.cite_group
        # Not in a citation printing citation-number (citeproc-js's update_mode NUMERIC):
        # "[1,2]" in london-south-bank-university-numeric's collapse="year".
        numeric = self.numeric or self.collapse == "citation-number"
        if cite.collapsed and self.in_text and not numeric:
            return ", "
        return self.delimiter


def _unprinted(items: list[Any]) -> bool:
    """The cites printed nothing and the first could have: no affix, its author shown."""
    if not items:
        return False
    first = items[0]
    return not (first.get("prefix") or first.get("suffix")) and mode_of(first) == "normal"


def _prints_citation_number(citation: Any) -> bool:
    """Whether a cs:citation's layout (with the macros it calls) prints citation-number."""
    seen: set[str] = set()
    pending = [citation.find("cs:layout", citation.nsmap)]
    while pending:
        element = pending.pop()
        if element is None:
            continue
        for node in element.iter():
            if not isinstance(node.tag, str) or not node.tag.endswith("}text"):
                continue
            if node.get("variable") == "citation-number":
                return True
            name = node.get("macro")
            if name and name not in seen:
                seen.add(name)
                pending.append(node.get_macro(name))
    return False


def _updates_by_position(citation: Any, *, numeric: bool = True) -> bool:
    """citeproc-js's update_mode POSITION or NUMERIC for a cs:citation.

    Its citation (with the macros it calls) tests positions or prints the
    citation-number, or its et-al-subsequent options differ from et-al's
    (``numeric=False``: POSITION only).
    """
    for option in ("min", "use-first"):
        later = citation.get(f"et-al-subsequent-{option}")
        if later is not None and later != citation.get(f"et-al-{option}"):
            return True
    seen: set[str] = set()
    pending = [citation]
    while pending:
        element = pending.pop()
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            if node.get("position") is not None or (
                numeric and node.get("variable") == "citation-number"
            ):
                return True
            name = node.get("macro")
            if name and name not in seen and node.tag.endswith(("}text", "}key")):
                seen.add(name)
                macro = node.get_macro(name)
                if macro is not None:
                    pending.append(macro)
    return False


def _sort_of(layout: Any) -> Any:
    return layout.getparent().sort
