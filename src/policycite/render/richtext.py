"""Field values into citeproc-py strings: CSL rich text, typographic quotes, escaping.

CSL-JSON field values may carry a little HTML-like markup (``<i>``, ``<b>``, ``<sc>``,
``<sup>``, ``<sub>``, ``<span class="nocase">``, ``<span style="font-variant:
small-caps;">``). citeproc-py understands only the nocase span and prints the other tags
literally. Here each value becomes a citeproc-py string of segments: plain text, text
protected from case changes, and formatted runs that the output format wraps (and
flips back to roman inside an italic title, as citeproc-js does). Straight quotes and
apostrophes become typographic ones (“…”, ’), and characters the output format must
escape are replaced by placeholders (see :mod:`.output`) in text only, never in markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from citeproc import DATES, NAMES, VARIABLES
from citeproc.source import Date as CslDate
from citeproc.source import DateRange, Reference, VariableError
from citeproc.source import Name as CslName
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, NoCase, String

from policycite.render.quotemarks import drop_markers, mark_quotes, smart
from policycite.render.superscripts import has_superscripts, split_superscripts

#: Variables holding identifiers: no typographic quotes and no markup.
IDENTIFIERS = frozenset({"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "call-number"})
#: Variables citeproc-py formats as numbers, splitting "142-145 & 235" itself.
PAGES = frozenset({"page", "page-first"})

_TAG = re.compile(r'<(/?)(i|b|sc|sup|sub|span)((?:\s+(?:class|style)="[^"]*")?)\s*>', re.IGNORECASE)
_WRAPPERS = {
    "i": "Italic",
    "b": "Bold",
    "sc": "SmallCaps",
    "sup": "Superscript",
    "sub": "Subscript",
}


def smart_quotes(text: str) -> str:
    """Straight quotes and apostrophes to typographic ones, as citeproc-js prints them.

    For text that holds no quotation of its own (names: O’Neill); field values go
    through :func:`.quotemarks.mark_quotes`.
    """
    if "'" not in text and '"' not in text:
        return text
    return "".join(
        smart(char, text[index - 1] if index else " ", text[index + 1 : index + 2] or " ")
        for index, char in enumerate(text)
    )


class MarkupString(String):  # type: ignore[misc]
    """A run of text formatted by markup in the data; the output format wraps it."""

    wrappers: tuple[str, ...] = ()
    formatter: Any = None

    def __str__(self) -> str:
        text: Any = str.__str__(self)
        for name in self.wrappers:
            text = getattr(self.formatter, name)(text)
        return str(text)


def markup_class(
    formatter: Any, wrappers: tuple[str, ...], cache: dict[tuple[str, ...], type]
) -> type:
    """A MarkupString subclass bound to a formatter and wrappers.

    citeproc-py string methods rebuild segments with ``self.__class__``, so the class
    carries the formatting.
    """
    cls = cache.get(wrappers)
    if cls is None:
        cls = cache[wrappers] = type(
            "MarkupString", (MarkupString,), {"wrappers": wrappers, "formatter": formatter}
        )
    return cls


class Upright(String):  # type: ignore[misc]
    """Text an italic style never sets in italics: a title's bracketed translation.

    APA (and Chicago, MLA) italicise a work's title but never the English translation
    that follows it in brackets; the output formats close the italics before it.
    """

    upright = True


class UprightNoCase(NoCase):  # type: ignore[misc]
    """Upright text protected from case changes."""

    upright = True


class TranslatedTitle(str):
    """A title value "Original [Translation]" that knows its two parts.

    Its text is what every CSL processor gets (see ``formats.record._csl_view``);
    :class:`RichTextJSON` turns the bracketed translation into :class:`Upright` text.
    """

    __slots__ = ("original", "translation")
    original: str
    translation: str

    def __new__(cls, original: str, translation: str) -> TranslatedTitle:
        """The title "original [translation]"."""
        title = super().__new__(cls, f"{original} [{translation}]")
        title.original = original
        title.translation = translation
        return title


#: The style guides whose rules set a title's bracketed translation upright (APA 7,
#: Chicago, MLA, Cite Them Right, policycite's own styles: issue 14), by the end of the
#: style's CSL id. Other styles print the title value whole, as citeproc-js does:
#: "<i>Título [Title]</i>".
_UPRIGHT_GUIDES = re.compile(
    r"/(?:apa|chicago-|modern-language-association|harvard-cite-them-right|policycite-)[^/]*$"
)


def keeps_translations_upright(style_id: str) -> bool:
    """Whether a style (by its CSL id) sets a title's bracketed translation upright."""
    return bool(_UPRIGHT_GUIDES.search(style_id.strip()))


class Identifier(str):
    """A value of an identifier variable: escaped, but no markup and no smart quotes."""

    __slots__ = ()


class Pages(Identifier):
    """A page value: like an identifier, but its "&" is left for citeproc-py to split."""

    __slots__ = ()


def _marked(variable: str, value: Any) -> Any:
    if not isinstance(value, str) or isinstance(value, TranslatedTitle):
        return value
    if variable in PAGES:
        return Pages(value)
    return Identifier(value) if variable in IDENTIFIERS else value


_ISO_DATE = re.compile(r"-?\d{1,4}(?:-\d{1,2}(?:-\d{1,2})?)?")


def _date_parts(parts: list[Any]) -> list[int]:
    """A date's parts as numbers, up to the first empty or zero one."""
    numbers: list[int] = []
    for part in parts[:3]:
        try:
            number = int(str(part).strip())
        except ValueError:
            break
        if number == 0 and numbers:
            break
        numbers.append(number)
    return numbers


class _FastReference(Reference):  # type: ignore[misc]
    """citeproc-py's Reference, its lookups done by dict itself (speed).

    citeproc-py's ``CustomDict`` looks every variable up in Python (``__getitem__``
    catching KeyError, ``__getattr__`` calling it): about 100 lookups an entry. Here a
    found variable is dict's own C lookup and only a missing one runs Python
    (``__missing__``), raising the same VariableError. Items are given this class
    after citeproc-py has built them (same layout, no new attributes).
    """

    __getitem__ = dict.__getitem__
    __getattr__ = dict.__getitem__

    def __missing__(self, key: str) -> Any:
        raise VariableError


class _FastName(CslName):  # type: ignore[misc]
    """citeproc-py's Name with dict's own lookups (see _FastReference)."""

    __getitem__ = dict.__getitem__
    __getattr__ = dict.__getitem__

    def __missing__(self, key: str) -> Any:
        raise VariableError


#: The variables citeproc-py's Reference takes without a warning.
_SUPPORTED = frozenset({"uri", "container_uri", "contributor", "date", *VARIABLES})
_NAME_KEYS = frozenset(NAMES)
#: The parts citeproc-py's Name takes without a warning (a name without "literal").
_NAME_PARTS = frozenset({"family", "given", "dropping-particle", "non-dropping-particle", "suffix"})
_DATE_KEYS = frozenset(DATES)


class RichTextJSON(CiteProcJSON):  # type: ignore[misc]
    """citeproc-py's CSL-JSON source with rich text, typographic quotes and escaping."""

    def __init__(
        self, items: list[dict[str, Any]], formatter: Any, encode: Callable[..., str]
    ) -> None:
        self.formatter = formatter
        self.encode = encode
        self._classes: dict[tuple[str, ...], type] = {}
        # citeproc-py's CiteProcJSON.__init__, item by item (speed: a large bibliography's
        # references are built in the parent process, before any work is shared out).
        python_keys: dict[str, str] = {}
        key = kind = None  # as there, an item without them keeps the last item's
        for item in items:
            data: dict[str, Any] = {}
            for variable, given in item.items():
                python_key = python_keys.get(variable)
                if python_key is None:
                    python_key = python_keys[variable] = variable.replace("-", "_")
                if python_key == "id":
                    key = str(given).lower()
                    continue
                if python_key == "type":
                    kind = given
                    continue
                if python_key == "key":
                    continue
                if python_key == "shortTitle":
                    python_key = "title_short"
                value = _marked(variable, given)
                if python_key in _NAME_KEYS:
                    value = self.parse_names(value)
                elif python_key in _DATE_KEYS:
                    value = self.parse_date(value)
                elif variable != "language":
                    value = self.parse_string(value)
                data[python_key] = value
            if not data.keys() <= _SUPPORTED:
                # Reference warns about the variables it does not know: built by it.
                self.add(Reference(key, kind, **data))
                continue
            # What Reference(key, kind, **data) holds, made without its checks: the
            # key and type first, then the variables.
            reference = dict.__new__(_FastReference)
            dict.__setitem__(reference, "key", key)
            dict.__setitem__(reference, "type", kind)
            dict.update(reference, data)
            self[key] = reference

    def add(self, entry: Any) -> None:
        """citeproc-py's add, the reference given dict's own lookups (_FastReference)."""
        if type(entry) is Reference:
            # object's setattr: CustomDict's would store "__class__" as a variable.
            object.__setattr__(entry, "__class__", _FastReference)
        super().add(entry)

    def parse_date(self, json_data: dict[str, Any]) -> Any:
        """A date as citeproc-js reads it: empty parts end it, months 13-24 are seasons.

        citeproc-py prints "00/00/2000" for ``["2000", "", ""]``, drops a season given
        as month 21 ("Spring 1999"), and ignores ``raw`` ("2020-05-13", or a text it
        prints as it is).
        """
        data = dict(json_data)
        parts = [_date_parts(p) for p in data.get("date-parts") or () if isinstance(p, list)]
        parts = [p for p in parts if p]
        if not parts and isinstance(data.get("raw"), str) and "literal" not in data:
            raw = data["raw"].strip()
            if _ISO_DATE.fullmatch(raw):
                parts = [[int(n) for n in raw.split("-")]]
            elif raw:
                data["literal"] = raw
        seasons: list[int | None] = []
        for index, date in enumerate(parts):
            season = None
            if len(date) >= 2 and 13 <= date[1] <= 24:
                # CSL-JSON's seasons as months: 13-16 and 21-24 (and 17-20) are
                # spring … winter; the season replaces month and day.
                season = (date[1] - 13) % 4 + 1
                parts[index] = date[:1]
            elif len(date) >= 2 and not 1 <= date[1] <= 12:
                parts[index] = date[:1]
            seasons.append(season)
        data["date-parts"] = parts
        if len(parts) > 1 and any(seasons) and "season" not in data:
            # A range of seasons ("Spring 1999–Summer 2001"): each end its own.
            ends = [
                CslDate(**dict(zip(("year", "month", "day"), date, strict=False)), **extra)
                for date, season in zip(parts[:2], seasons, strict=False)
                for extra in [{"season": season} if season else {}]
            ]
            return DateRange(begin=ends[0], end=ends[1], circa=bool(data.get("circa")))
        if seasons and seasons[0] and "season" not in data:
            data["season"] = seasons[0]
        return super().parse_date(data)

    def parse_names(self, json_data: list[dict[str, Any]]) -> list[Any]:
        """Names with typographic apostrophes (O’Neill), escaped for the output."""
        names = []
        for data in json_data:
            fields = {
                k: self.encode(smart_quotes(v)) if isinstance(v, str) else v
                for k, v in data.items()
            }
            if "literal" not in fields and fields.keys() <= _NAME_PARTS:
                # What Name(**fields) holds, made without its checks (speed).
                name = dict.__new__(_FastName)
                dict.update(name, fields)
            else:
                # Built as Name: its warnings name the class citeproc-py's way.
                name = CslName(**fields)
                object.__setattr__(name, "__class__", _FastName)
            names.append(name)
        return names

    def parse_string(self, string: Any) -> Any:
        """A field value as rich text (identifiers: escaped only)."""
        if isinstance(string, list) and string and all(isinstance(n, dict) for n in string):
            # A name variable citeproc-py does not know (CSL 1.0.2's reviewed-author,
            # director, host, ...): names all the same, as citeproc-js reads them.
            return self.parse_names(string)
        if isinstance(string, Pages):
            return String(self.encode(str(string), "&"))
        if isinstance(string, TranslatedTitle):
            # The brackets are the style rule's, not data: written as they are, like
            # the brackets of a description ("[Press release]").
            upright = [
                UprightNoCase(str(s)) if isinstance(s, NoCase) else Upright(str(s))
                for s in self.rich(string.translation)
            ]
            return MixedString([*self.rich(string.original), Upright(" ["), *upright, Upright("]")])
        return self.rich(str(string), identifier=isinstance(string, Identifier))

    def rich(self, text: str, identifier: bool = False) -> Any:
        """The segments of one field value."""
        if identifier:
            return String(self.encode(text))
        text = drop_markers(text)
        if "<" not in text:  # no markup (most values): the one piece (speed)
            return self._append(MixedString(), mark_quotes([text])[0], [])
        return self._markup(text)

    def _markup(self, text: str) -> Any:
        """The segments of a value that may hold markup (its markers dropped)."""
        tags = list(_TAG.finditer(text))
        # Quote pairs are found over the whole value (a pair may enclose markup:
        # "q <i>x</i>"), then the text between the tags is taken piece by piece.
        bounds = [0, *(n for m in tags for n in (m.start(), m.end())), len(text)]
        pieces = mark_quotes([text[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)])
        output = MixedString()
        stack: list[tuple[str, str]] = []  # open tags: (name, wrapper or "nocase")
        for index, match in enumerate(tags):
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            kind = _WRAPPERS.get(name)
            if name == "span":
                kind = (
                    "nocase"
                    if "nocase" in attributes
                    else "SmallCaps"
                    if "small-caps" in attributes
                    else "plain"
                )
            output = self._append(output, pieces[index], stack)
            if closing and (not stack or stack[-1][0] != name):
                # Unbalanced: left as text.
                output = self._append(output, match.group(0), stack)
                continue
            if closing:
                stack.pop()
            else:
                stack.append((name, kind or "plain"))
        output = self._append(output, pieces[-1], stack)
        return output

    def _append(self, output: Any, text: str, stack: list[tuple[str, str]]) -> Any:
        if not text:
            return output
        text = self.encode(text)
        kinds = [kind for _, kind in stack]
        wrappers = tuple(k for k in kinds if k not in {"nocase", "plain"})
        if getattr(self.formatter, "superscripts", False) and has_superscripts(text):
            # HTML raises superscript characters ("1ʳᵉ" -> "1<sup>r</sup><sup>e</sup>").
            for run, raised in split_superscripts(text):
                output = self._segment(
                    output, run, kinds, (*wrappers, "Superscript") if raised else wrappers
                )
            return output
        return self._segment(output, text, kinds, wrappers)

    def _segment(self, output: Any, text: str, kinds: list[str], wrappers: tuple[str, ...]) -> Any:
        if wrappers:
            segment: Any = markup_class(self.formatter, wrappers, self._classes)(text)
        elif "nocase" in kinds:
            segment = NoCase(text)
        else:
            segment = String(text)
        if not output:
            # What ``output + segment`` gives with nothing before (no seam), quicker.
            return MixedString([segment]) if segment != "" else output
        return output + segment
