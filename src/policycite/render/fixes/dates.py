"""Dates: ranges and seasons.

citeproc-py raises on some date ranges (a TypeError) and prints others garbled
("( 13– 14May)"), and asserts on seasons in numeric month forms. Ranges are rendered as
CSL 1.0.2 describes: the parts larger than the largest differing part are shared, the
rest is rendered for both ends and joined with that part's range delimiter (en dash by
default): "2020, May 13–14", "May 13 – June 2, 2020" style orders alike.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.string import String

from policycite.render.fixes.numbers import ordinal, term_gender

_ORDER = ("year", "month", "day")


def _differing(begin: Any, end: Any) -> str | None:
    """The largest date part that differs between the two ends, if any."""
    for name in _ORDER:
        if begin.get(name) != end.get(name):
            return name
    return None


class DateRanges:
    """cs:date: render a range from its parts instead of citeproc-py's version."""

    #: Set by the "date-range-affixes" fix (:class:`RangeAffixes`).
    end_prefix_dropped = False

    def render_date_range(
        self, date_range: Any, show_parts: Any = None, context: Any = None
    ) -> Any:
        show_parts = list(show_parts or _ORDER)
        begin, end = date_range.begin, date_range.end
        if end.is_nil():  # an open range: "1987–"
            single = self.render_single_date(begin, show_parts, context)
            return (
                None if single is None else single.rstrip() + self._range_delimiter("year", context)
            )
        largest = _differing(begin, end)
        if largest is None:
            return self.render_single_date(begin, show_parts, context)
        block = set(_ORDER[_ORDER.index(largest) :]) & set(show_parts)
        # A localized format joins its parts with its own delimiter (see LocaleDelimiter).
        style_context = self
        pieces: list[Any] = []
        block_done = False
        for part in self.iterchildren():
            name = part.get("name")
            if name not in show_parts:
                continue
            if name not in block:
                pieces += self.parts(begin, [name], context)
            elif not block_done:
                block_done = True
                first = style_context.join(self._first_half(begin, block, context))
                last = self.join_range_end(self._second_half(end, block, context), context)
                if first is None or last is None:
                    return None
                pieces.append(
                    first.rstrip() + self._range_delimiter(largest, context) + str(last).lstrip()
                )
        return style_context.join(pieces) if pieces else None

    def join_range_end(self, pieces: list[Any], context: Any) -> Any:
        """The range's second end, joined as its first (refined by "range-end-delimiter")."""
        return self.join(pieces)

    def _first_half(self, begin: Any, block: set[str], context: Any) -> list[Any]:
        """The range's first end, the suffix of its last part left to the range delimiter.

        "May 13–15, 2020", "13–15.05.2020" (citeproc-js), not "May 13,–15, 2020".
        """
        pieces: list[Any] = []
        last: tuple[Any, Any] | None = None
        for part in self.iterchildren():
            if part.get("name") not in block:
                continue
            try:
                text = part.render(begin, context)
            except model.VariableError:
                continue
            if text is not None:
                pieces.append(text)
                last = (part, text)
        if last is not None:
            # citeproc-py's date-part takes the calling cs:date's overrides into its own
            # attributes while it renders, so its suffix is the one that was printed.
            suffix = str(last[0].get("suffix", ""))
            text = str(last[1])
            if suffix and text.endswith(suffix):
                pieces[-1] = String(text[: -len(suffix)])
        return pieces

    def _second_half(self, end: Any, block: set[str], context: Any) -> list[Any]:
        """The range's second end: without the prefix of its first part (citeproc-js).

        "(2022–2023)" for a year part with prefix "(" and suffix ")", "<Nov.>,
        (2022–Feb.>, (2023)": the prefix opened the range, the suffix closes it.
        """
        if not self.end_prefix_dropped:
            return list(self.parts(end, sorted(block), context))
        pieces: list[Any] = []
        for part in self.iterchildren():
            if part.get("name") not in block:
                continue
            try:
                text = part.render(end, context)
            except model.VariableError:
                continue
            if text is None:
                continue
            if not pieces:
                # The date-part took the calling cs:date's overrides while it rendered
                # (see _first_half), so its prefix is the one printed.
                prefix = str(part.get("prefix", ""))
                if prefix and str(text).startswith(prefix):
                    text = String(str(text)[len(prefix) :])
            pieces.append(text)
        return pieces

    def _range_delimiter(self, name: str, context: Any) -> str:
        for part in self.iterchildren():
            if part.get("name") == name and part.get("range-delimiter"):
                return str(part.get("range-delimiter"))
        if context is not None and context is not self:
            for part in context.iterchildren():
                if part.get("name") == name and part.get("range-delimiter"):
                    return str(part.get("range-delimiter"))
        return "\u2013"


class DatePartOverrides:
    """A style's cs:date-part attributes apply to the cs:date they are written in only.

    For a localized date (``<date form="text">``) citeproc-py copies the style's
    date-part attributes into the locale's date-part (``attrib.update``) and never takes
    them back, so one ``<date-part name="month" text-case="capitalize-first"/>`` changed
    every later localized date of the style: "Mars 2023" where citeproc-js writes
    "mars 2023". The locale's attributes are put back after each use.
    """

    def render(self, date: Any, context: Any = None) -> Any:
        # citeproc-py copies the attributes of the date-part of the same name under
        # ``context``: nothing when there is none (None, a layout) and nothing new from
        # the part's own cs:date. Only another cs:date (a localized date's caller) can
        # change them, so only then are they saved (speed: two attribute dicts a part).
        if not isinstance(context, model.Date) or context is self.getparent():
            return super().render(date, context)
        attrib = self.attrib
        before = dict(attrib)
        try:
            return super().render(date, context)
        finally:
            # Only a localized date's part changes (a plain date's part copies itself).
            if dict(attrib) != before:
                attrib.clear()
                attrib.update(before)


class SeasonParts:
    """cs:date-part name="month" for a date with a season, in a numeric form.

    citeproc-py asserts the date has a month, so a season date in a numeric month form
    stopped the whole bibliography. The season is written as its term ("2020-Summer"),
    as citeproc-js writes it. (In sort keys dates are keys, see ``fixes.sorting``.)
    """

    def process(self, date: Any, context: Any = None) -> Any:
        if (
            self.get("name") == "month"
            and "month" not in date
            and "season" in date
            and self.get("form", "long") in {"numeric", "numeric-leading-zeros"}
        ):
            owner = context if context is not None else self
            return owner.get_single_term(name=f"season-{int(date['season']):02d}")
        return super().process(date, context)


class LocaleDelimiter:
    """A localized date format (``<date form="text">``) joins its parts with its own delimiter.

    citeproc-py joins the parts of a locale's date format with the delimiter of the
    cs:date that calls it, which has none, so a locale date format ``delimiter=" "``
    printed "2020May13" for citeproc-js's "2020 May 13". (CSL: the calling cs:date
    lends its affixes and formatting, never its delimiter.)
    """

    def render_single_date(self, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        if context is not None and context is not self:
            parts = self.parts(date, show_parts, context)
        else:
            parts = self.parts(date, show_parts)
        return self.join(parts) if parts else None


class DateFormatting:
    """cs:date's own formatting (font-style, font-weight, …) is applied, inside its affixes.

    citeproc-py leaves ``Date.markup`` a TODO and wraps a date in its affixes only:
    ``<date variable="issued" font-weight="bold" prefix="(" suffix=")">`` printed
    "(2020)" where citeproc-js prints "(<b>2020</b>)".
    """

    def wrap(self, string: Any) -> Any:
        return super().wrap(self.format(string) if string is not None else None)


class RangeAffixes:
    """A date range's affixes where citeproc-js puts them.

    citeproc-js writes the second end of a range without the prefix of its first part
    (``<date-part name="year" prefix="(" suffix=")"/>``: "(2022–2023)", where
    citeproc-py, and the "date-ranges" fix alone, printed "(2022–(2023)").

    Not reproduced: citeproc-js's range end sometimes takes the affixes of a cs:date
    rendered before it ("(2022–(2023))" in nature, "(2022–[2023)]" after another date
    of the same entry): state its date queue keeps between dates, a bug, not a rule.
    """

    end_prefix_dropped = True


class DayOrdinals:
    """cs:date-part name="day" form="ordinal": the ordinal of the month's gender.

    citeproc-js writes a day's ordinal in the grammatical gender of the month's term
    (French "1ᵉʳ septembre": the month is masculine); citeproc-py takes the first
    ordinal term it finds, feminine in French ("1ʳᵉ septembre").
    """

    def process(self, date: Any, context: Any = None) -> Any:
        text = super().process(date, context)
        # citeproc-py's process copied the calling cs:date's attributes in (see above).
        if self.get("name") != "day" or self.get("form") != "ordinal":
            return text
        day = date.get("day")
        if not isinstance(day, int) or str(text) == str(day) or "month" not in date:
            return text  # numeric (limit-day-ordinals-to-day-1), or no month to agree with
        # A localized date's parts belong to the locale: the style is the context's root.
        root = (context if context is not None else self).get_root()
        if getattr(root, "locales", None) is None:
            return text
        gender = term_gender(root, f"month-{int(date['month']):02d}")
        return self.preformat(ordinal(root, day, gender))
