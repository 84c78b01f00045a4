"""Names: what citeproc-py renders differently from the CSL specification and citeproc-js.

:class:`NameFixes` (fix "names") keeps citeproc-py's own name code for sort keys, with:

* ``initialize="false"``: given names stay whole, only existing initials get the mark;
* hyphenated given names with a lower-case part ("Min-jun") initialise to "M.";
* sort keys leave out "et al." when names are truncated (CSL 1.0.2, Sorting), and
  demote particles when the style says ``demote-non-dropping-particle="sort-only"``;
* names in CJK scripts sort family then given.

:class:`NameRendering` (fix "name-rendering") renders the names that are printed as
citeproc-js 2.4.63 does, in place of citeproc-py's ``Name.process``:

* every name option (``and``, ``delimiter``, ``et-al-*``, ``initialize``,
  ``initialize-with``, ``name-as-sort-order``, ``sort-separator``, ``name-form``,
  ``delimiter-precedes-*``) is inherited from cs:citation/cs:bibliography and cs:style
  into names inside macros (citeproc-py read only some, and ``initialize`` not at all);
* cs:name prefix, suffix and formatting apply to each personal name ("Aris S.,
  Snetkov A.", not "Aris S, Snetkov A."), never to an organisation's name;
* particles: split off family and given names as citeproc-js does ("van Gogh",
  "d’Aubignac", "al-One"), printed with their name part's formatting, demoted or not
  (``demote-non-dropping-particle``), with no space after an apostrophe or hyphen;
* initials as citeproc-js makes them ("Ph.", "Ts.", "M.E" → "M. E."), suffixes with a
  comma only when the data asks ("Doe, Jr."), name-part affixes around the whole part;
* "and", "et al." and the et-al-use-last ellipsis with citeproc-js's delimiters
  (``delimiter-precedes-et-al``/``-last`` including ``after-inverted-name``),
  et-al-use-last also when use-first is not at most min - 2, and
  ``et-al-subsequent-min``/``-use-first`` for cites after the first;
* ``form="count"`` returns a number that cs:names adds up over its variables.

The given-name level (full, initials, none) and the number of names shown are
methods (:meth:`NameRendering._given_level`, :meth:`NameRendering._shown`) so that
disambiguation can ask for more.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import attrs
from citeproc import model
from citeproc import source as citeproc_source
from citeproc.string import String, normalize_seam

from policycite.render.fixes.caching import item_language
from policycite.render.fixes.nameparts import STARTS_ROMANESQUE, initialize, parsed, romanesque
from policycite.render.output import list_format, merged_plan

SORTING = "_policycite_sorting"
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3040-\u30ff]")


def _inherited(element: Any, attribute: str, default: str) -> str:
    """A name option from cs:name, else cs:citation/cs:bibliography, else cs:style."""
    node = element
    while node is not None:
        value = node.get(attribute)
        if value is not None:
            return str(value)
        node = node.getparent()
    return default


def _initialize_off(element: Any) -> bool:
    """initialize="false" on cs:name or an ancestor (citeproc-js ignores "true")."""
    node = element
    while node is not None:
        if node.get("initialize") == "false":
            return True
        node = node.getparent()
    return False


def is_cjk(text: str | None) -> bool:
    """True when the text is written in a Chinese, Japanese or Korean script."""
    return bool(text and _CJK.search(text))


class NameFixes:
    """cs:name: initialize="false", hyphenated lower-case parts, CJK order, sort keys."""

    def initialize(self, given: Any, mark: str, context: Any) -> Any:
        if _initialize_off(self):
            # Keep the given names; only stand-alone initials get the mark ("James T.").
            return " ".join(
                f"{word[0]}{mark.rstrip()}"
                if len(word.rstrip(".")) == 1 and word[0].isupper()
                else word
                for word in str(given).split()
            )
        if "-" in str(given) and self.get_option("initialize-with-hyphen", context):
            parts = str(given).split("-")
            kept = [parts[0], *(p for p in parts[1:] if p[:1].isupper())]
            parent = super()
            return "-".join(parent.initialize(part, mark, context) for part in kept)
        return super().initialize(given, mark, context)

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        names = item.reference.get(variable, [])
        if any(is_cjk(n.get("family")) for n in names):
            return self._process_cjk(item, variable, context, sort_options, **kwargs)
        if (
            sort_options is not None
            and _inherited(self, "demote-non-dropping-particle", "display-and-sort") == "sort-only"
        ):
            # citeproc-py treats "sort-only" as "never": "van den Berg" sorted under V.
            sort_options = {**sort_options, "demote-non-dropping-particle": "display-and-sort"}
        if sort_options is not None and self.get_option("form", context, sort_options) == "count":
            return self._sort_count(names, context, sort_options)
        self.__dict__[SORTING] = sort_options is not None
        try:
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        finally:
            self.__dict__[SORTING] = False

    def _sort_count(self, names: Any, context: Any, sort_options: Any) -> int:
        """form="count" in a sort key: the names shown after et-al truncation.

        citeproc-py counts ``min(names, et-al-use-first)`` whatever et-al-min says, so
        three authors counted as 1 where citeproc-js counts 3 (Lee 2018 with two
        co-authors sorted among Lee's single-author works).
        """
        count = len(names)
        try:
            minimum = int(self.get_option("et-al-min", context, sort_options) or 0)
            first = int(self.get_option("et-al-use-first", context, sort_options) or 0)
        except (TypeError, ValueError):
            return count
        if minimum and first and count >= minimum:
            return min(count, first)
        return count

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        # Outside sort keys an option depends only on the style and the context
        # (citation or bibliography): citeproc-py looked it up with XPath on every name.
        # In a sort key an option the key does not set is the same (citeproc-py's
        # Name.get_option falls back alike on None and on a missing key), so it is
        # cached too: a dozen lookups, each catching a KeyError, per name sorted.
        if sort_options is not None and name in sort_options:
            return super().get_option(name, context, sort_options)
        cache = self.__dict__.get("_policycite_options")
        if cache is None:
            cache = self.__dict__["_policycite_options"] = {}
        key = (name, id(context))
        if key not in cache:
            cache[key] = super().get_option(name, context, None)
        return cache[key]

    def et_al(self) -> Any:
        if self.__dict__.get(SORTING):
            return None  # "et al." is not part of a sort key
        return super().et_al()

    def _process_cjk(
        self, item: Any, variable: str, context: Any, sort_options: Any, **kwargs: Any
    ) -> Any:
        # Family name first, given name straight after it, no initials, no comma.
        reference = item.reference
        original = reference[variable]
        short = self.get_option("form", context, sort_options) == "short"
        reference[variable] = [
            _literal(n, short) if is_cjk(n.get("family")) else n for n in original
        ]
        try:
            return super().process(
                item, variable, context=context, sort_options=sort_options, **kwargs
            )
        finally:
            reference[variable] = original


def _literal(name: Any, short: bool) -> Any:
    given = "" if short else name.get("given") or ""
    text = unicodedata.normalize("NFC", f"{name.get('family') or ''}{given}")
    return citeproc_source.Name(literal=text)


_PARENT = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
_ET_AL = "./following-sibling::cs:et-al[1]"
_OPTIONS = "_policycite_name_options"
#: Names (as literals) that disambiguation rendered whole for this rendering: printed as
#: they are, joined as personal names. Set on the cs:name by ``DisambiguatedNames``.
EXPANDED_NAMES = "_policycite_expanded_names"
#: Lists recording the names cs:name renders (each open list gets them): for
#: subsequent-author-substitute (:mod:`.substitute`), which compares names as rendered
#: (truncated by et al., expanded by disambiguation), and for collapsing (:mod:`.collapse`),
#: which needs to know whether a cite's author was printed by cs:name.
RECORDERS: list[list[Any]] = []


def recorded(render: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
    """``render(*args, **kwargs)`` and the names cs:name rendered meanwhile (RECORDERS)."""
    names: list[Any] = []
    RECORDERS.append(names)
    try:
        return render(*args, **kwargs), names
    finally:
        RECORDERS.pop()


#: Where an inheritable name option is called on cs:citation, cs:bibliography, cs:style.
_PARENT_NAMES = {"form": "name-form", "delimiter": "name-delimiter"}
_JOINING = ("\u2019", "'", "-", " ")


@attrs.frozen
class _Options:
    """A cs:name's options, resolved once per context (citation or bibliography)."""

    delimiter: str
    precedes_et_al: str
    precedes_last: str
    et_al_min: int | None
    et_al_use_first: int | None
    et_al_subsequent_min: int | None
    et_al_subsequent_use_first: int | None
    et_al_use_last: bool
    initialize: bool
    initialize_with: str | None
    name_as_sort_order: str | None
    sort_separator: str
    form: str
    demote: str
    hyphen: bool
    space: str
    parts: dict[str, Any]


def _sort_separator(separator: str) -> str:
    """A ``sort-separator`` with its trailing run of spaces cut to one space.

    citeproc-js joins "family" and "given" with the separator as the family blob's suffix,
    and its output queue keeps one space of a suffix's trailing run: ",  " prints
    "Aris, M." (karlstad-universitet-harvard), ",   x  " prints ",   x ".
    """
    stripped = separator.rstrip(" ")
    return stripped + " " if stripped != separator else separator


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _joined(parts: tuple[Any, ...] | list[Any], separator: str) -> str:
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not (separator == " " and text[-1].isspace()):  # "John\u00a0" + "Doe"
            text += separator
        text += str(part)
    return text


def _affixed(text: str, part: Any) -> str:
    if not text or part is None:
        return text
    return f"{part.get('prefix', '')}{text}{part.get('suffix', '')}"


class NameRendering:
    """cs:name: personal names, particles, initials, "and" and "et al." as citeproc-js."""

    def render(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        text = self.process(item, variable, context=context, sort_options=sort_options, **kwargs)
        if sort_options is not None:  # sort keys: citeproc-py's own code (fix "names")
            return self.markup(text)
        return text  # formatted and affixed name by name already

    def process(
        self, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        if sort_options is not None:
            # Sort keys: citeproc-py's code (fix "names"), given the particles citeproc-js
            # finds in the data ("van Gogh" sorts under G unless particles stay), and
            # the name parts cased in the item's language, as in the output (Turkish
            # "MİNİSTRY", a Russian item's "MINISTRY"): not the last item rendered's.
            language = item_language(self, item)
            for part in self._name_parts():
                part.__dict__["_policycite_case_language"] = language
            reference = item.reference
            original = reference.get(variable)
            if original:
                reference[variable] = [_split_name(name) for name in original]
            try:
                return super().process(
                    item, variable, context=context, sort_options=sort_options, **kwargs
                )
            finally:
                if original:
                    reference[variable] = original
        return self._render_names(item, variable, context if context is not None else self)

    # Hooks for disambiguation (add-names, add-givenname): the defaults are the style's.
    def _names_limit(self, item: Any, variable: str, limit: int | None, count: int) -> int | None:
        """How many names print before "et al." (None: no truncation)."""
        return limit

    def _given_level(self, item: Any, variable: str, index: int, level: int) -> int:
        """0: no given name, 1: initials (with initialize-with), 2: the full given name."""
        return level

    def _name_options(self, context: Any) -> _Options:
        cache: dict[int, _Options] = self.__dict__.setdefault(_OPTIONS, {})
        key = id(context)
        options = cache.get(key)
        if options is None:
            options = cache[key] = self._resolve_options(context)
        return options

    def _resolve_options(self, context: Any) -> _Options:
        element: Any = self
        try:
            parent = context.xpath_search(_PARENT)[0]
        except IndexError:  # a name outside citation and bibliography (a macro on its own)
            parent = None
        root = element.get_root()

        def inherited(name: str) -> str | None:
            value = element.get(name)
            if value is not None:
                return str(value)
            for node in (parent, root):
                if node is not None:
                    value = node.get(_PARENT_NAMES.get(name, name))
                    if value is not None:
                        return str(value)
            return None

        delimiter = inherited("delimiter")
        separator = inherited("sort-separator")
        language = root.__dict__.get("_policycite_language") or root.get("default-locale") or ""
        return _Options(
            delimiter=", " if delimiter is None else delimiter,
            precedes_et_al=inherited("delimiter-precedes-et-al") or "contextual",
            precedes_last=inherited("delimiter-precedes-last") or "contextual",
            et_al_min=_number(inherited("et-al-min")),
            et_al_use_first=_number(inherited("et-al-use-first")),
            et_al_subsequent_min=_number(inherited("et-al-subsequent-min")),
            et_al_subsequent_use_first=_number(inherited("et-al-subsequent-use-first")),
            et_al_use_last=inherited("et-al-use-last") == "true",
            # citeproc-js reads initialize="true" as nothing: a "false" inherited from
            # cs:bibliography or cs:style wins over cs:name's own "true".
            initialize=all(
                node is None or node.get("initialize") != "false"
                for node in (element, parent, root)
            ),
            initialize_with=inherited("initialize-with"),
            name_as_sort_order=inherited("name-as-sort-order"),
            sort_separator=", " if separator is None else _sort_separator(separator),
            form=inherited("form") or "long",
            demote=root.get("demote-non-dropping-particle", "display-and-sort"),
            hyphen=root.get("initialize-with-hyphen", "true") != "false",
            space="\u00a0" if str(language)[:2] in ("fr", "ru", "cs") else " ",
            parts={p.get("name"): p for p in element.findall("cs:name-part", element.nsmap)},
        )

    def _overridden(self, options: _Options, context: Any) -> _Options:
        get = self.get_option

        def number(name: str, zero: bool) -> int | None:
            try:
                value = int(get(name, context))
            except (TypeError, ValueError):
                return None
            return value if value or zero else None  # et-al-min 0: no truncation

        return attrs.evolve(
            options,
            et_al_min=number("et-al-min", zero=False),
            et_al_use_first=number("et-al-use-first", zero=True),
            # citeproc-py answers 0 and 1 for subsequent options the style leaves out.
            et_al_subsequent_min=number("et-al-subsequent-min", zero=False),
            et_al_subsequent_use_first=(
                number("et-al-subsequent-use-first", zero=True)
                if options.et_al_subsequent_use_first is not None
                or options.et_al_subsequent_min is not None
                else None
            ),
            initialize_with=get("initialize-with", context),
            name_as_sort_order=get("name-as-sort-order", context),
            form=get("form", context) or "long",
        )

    def _subsequent(self, item: Any, context: Any) -> bool:
        """True for a cite of an item cited before in the document (not its first cite)."""
        try:
            citation = context.get_layout().getparent()
        except IndexError:
            return False
        if not isinstance(citation, model.Citation):
            return False
        key = item.key
        return any(cite.key == key for cite in getattr(citation, "cites", ()))

    def _et_al_numbers(
        self,
        item: Any,
        options: _Options,
        context: Any,
        minimum: Any,
        first: Any,
        *,
        count: int | None = None,
    ) -> tuple[Any, Any]:
        """et-al-min and et-al-use-first for this cite: the subsequent ones after a first.

        A first cite shows at least as many names as its subsequent form when the style
        truncates more there: citeproc-js registers each item's name count in the
        subsequent form and prints a first cite with it when that count is above the
        first cite's et-al-use-first (``_imposeNameConstraints``): et-al-use-first="0"
        with et-al-subsequent-use-first="1" prints "(Lee vd., 2018)", not "(2018)".
        """
        if options.et_al_subsequent_min is None and options.et_al_subsequent_use_first is None:
            return minimum, first
        sub_min = minimum if options.et_al_subsequent_min is None else options.et_al_subsequent_min
        sub_first = (
            first
            if options.et_al_subsequent_use_first is None
            else options.et_al_subsequent_use_first
        )
        if self._subsequent(item, context):
            return sub_min, sub_first
        if count is not None and first is not None and sub_first is not None and sub_first > first:
            registered = count if sub_min is None or count < sub_min else sub_first
            if registered > first:
                return minimum, registered
        return minimum, first

    def _render_names(self, item: Any, variable: str, context: Any) -> Any:
        names = item.reference.get(variable, [])
        options = self._name_options(context)
        if "get_option" in self.__dict__:
            # An instance-level get_option overrides the style for this rendering
            # (disambiguation asks for more names or given names that way).
            options = self._overridden(options, context)
        expanded = self.__dict__.get(EXPANDED_NAMES) or ()
        count = len(names)
        minimum, first = self._et_al_numbers(
            item, options, context, options.et_al_min, options.et_al_use_first, count=count
        )
        use_last = options.et_al_use_last
        # citeproc-js's truncation (NameOutput._imposeNameConstraints), et-al-use-last
        # included: the names before the ellipsis are at most et-al-min - 2.
        limit = minimum
        if minimum is not None and first is not None and count >= minimum:
            limit = first
        limit = self._names_limit(item, variable, limit, count)
        if use_last and limit is not None and minimum is not None and limit > minimum - 2:
            limit = max(minimum - 2, 0)
        shown = list(names)
        if (
            limit is not None
            and minimum is not None
            and first is not None
            and minimum >= first
            and count > limit
        ):
            shown = shown[:limit] + (shown[-1:] if use_last else [])
        for recorder in RECORDERS:
            recorder.extend(shown)
        if options.form == "count":
            return len(shown)
        rendered: list[tuple[str, bool, bool]] = []  # text, inverted, organisation
        for index, name in enumerate(shown):
            literal = name.get("literal")
            if literal is not None and str(literal) in expanded:
                # A personal name disambiguation rendered whole (formatted, affixed).
                order = options.name_as_sort_order
                inverted = order == "all" or (order == "first" and index == 0)
                rendered.append((str(literal), inverted, False))
                continue
            if literal is not None:
                # An organisation: the family part's case and formatting and the name's
                # formatting, none of their affixes (citeproc-js).
                rendered.append((self._organisation(options, str(literal), item), False, True))
                continue
            text, inverted = self._personal_name(item, variable, index, name, options)
            if text:
                wrapped = str(self.wrap(self.format(text)))
                rendered.append((wrapped, inverted, False))
        if not rendered:
            return None
        if len(shown) < count:
            if use_last:
                return self._joined_names(rendered, options, "\u2026", context)
            return self._with_et_al(rendered, options)
        return self._joined_names(rendered, options, None, context)

    def _final_join(
        self, rendered: list[tuple[str, bool, bool]], options: _Options, term: str, ellipsis: bool
    ) -> str:
        delimiter = options.delimiter
        # "&" (symbol) is written escaped: a placeholder in HTML (output._html_preformat).
        if ellipsis or STARTS_ROMANESQUE.match(term) or term == str(self.preformat("&")):
            single, multiple, after = " ", delimiter, " "
        else:  # Hebrew "and", "、": no spaces around a term that is not a word
            single, multiple, after = "", "", ""
        rule = options.precedes_last
        # Before an organisation's name citeproc-js joins as "contextual", whatever the rule.
        if not ellipsis and not rendered[-1][2]:
            if rule == "always":
                single = delimiter
            elif rule == "never":
                multiple = " " if multiple else multiple
            elif rule == "after-inverted-name":
                single = delimiter if single else single
                multiple = " " if multiple else multiple
        prefix = single if len(rendered) == 2 else multiple
        if rule == "after-inverted-name" and rendered[-2][1]:
            prefix = delimiter
        return prefix + term + after

    def _joined_names(
        self,
        rendered: list[tuple[str, bool, bool]],
        options: _Options,
        ellipsis: str | None,
        context: Any,
    ) -> str:
        texts = [text for text, _, _ in rendered]
        delimiter = options.delimiter
        if len(texts) == 1:
            return texts[0]
        if ellipsis is not None:
            final = self._final_join(rendered, options, ellipsis, ellipsis=True)
        else:
            conjunction = self.get_option("and", context)
            if conjunction == "text":
                term = str(self.get_single_term(name="and"))
            elif conjunction == "symbol":
                term = str(self.preformat("&"))
            else:
                term = ""
            final = self._final_join(rendered, options, term, ellipsis=False) if term else delimiter
        return _seamed([*_between(texts[:-1], delimiter), final, texts[-1]])

    def _with_et_al(self, rendered: list[tuple[str, bool, bool]], options: _Options) -> str:
        texts = [text for text, _, _ in rendered]
        body = _seamed(_between(texts, options.delimiter))
        et_al = self.et_al()
        if not et_al:
            return body
        delimiter = options.delimiter
        single, multiple = " ", delimiter
        rule = options.precedes_et_al
        if rule == "always":
            single = delimiter
        elif rule == "never":
            multiple = " "
        elif rule == "after-inverted-name":
            single, multiple = delimiter, " "
        prefix = single if len(texts) == 1 else multiple
        if not STARTS_ROMANESQUE.match(self._et_al_term()) and prefix == " ":
            prefix = ""  # "等", not " 等"
        # citeproc-js gives the list with its et-al the name's formatting and affixes
        # once more, around the whole: "<i><i>Jaan Kask</i> et al.</i>".
        element = self.xpath_search(_ET_AL)  # its formatting encloses the list (output)
        whole = list_format(self, _seamed([body, prefix, str(et_al)]), (element or [None])[0])
        return str(self.wrap(whole))

    def _name_parts(self) -> list[Any]:
        """The cs:name-part children."""
        found = self.__dict__.get("_policycite_name_parts")
        if found is None:
            found = self.__dict__["_policycite_name_parts"] = self.findall(
                "cs:name-part", self.nsmap
            )
        return list(found)

    def _et_al_term(self) -> str:
        """The et-al term's own text, without the formatting cs:et-al gives it."""
        found = self.__dict__.get("_policycite_et_al_term")
        if found is None:
            nodes = self.xpath_search(_ET_AL)
            term = nodes[0].get("term", "et-al") if nodes else "et-al"
            found = str(self.get_single_term(term))
            self.__dict__["_policycite_et_al_term"] = found
        return str(found)

    def _organisation(self, options: _Options, text: str, item: Any) -> str:
        """An organisation's name: the family part's case, its formatting and the name's.

        citeproc-js applies both as one set: "<b><i>Ministry</i></b>", never "<i><i>…".
        """
        part = options.parts.get("family")
        if part is None or not text:
            return str(self.format(text))
        value: Any = text
        if part.get("text-case") is not None:
            value = str(part.case(String(text), item_language(self, item)))
        formatter = self.get_formatter()
        for name in merged_plan(self._format_plan(), part._format_plan()):
            value = getattr(formatter, name)(value)
        return str(value)

    def _decorated(self, options: _Options, kind: str, text: str, language: str) -> str:
        """A name part with its cs:name-part's text-case and formatting (no affixes).

        The case is that of the item's ``language`` (Turkish "İ").
        """
        part = options.parts.get(kind)
        if part is None or not text:
            return text
        if part.get("prefix") is None and part.get("suffix") is None:
            # Without affixes the part's own format_part is exactly this (and its fixes
            # apply); citeproc-js puts affixes around the whole part, particles and all.
            # The item's language rides on the part (format_part's signature is
            # citeproc-py's): name-part-text-case cases in it.
            part.__dict__["_policycite_case_language"] = language
            if kind == "given":
                return str(part.format_part(text, None)[0])
            return str(part.format_part(None, text)[1])
        value: Any = text
        if part.get("text-case") is not None:
            value = str(part.case(String(text), language))
        return str(part.format(value))

    def _personal_name(
        self, item: Any, variable: str, index: int, name: Any, options: _Options
    ) -> tuple[str, bool]:
        parts = _parsed_parts(name)
        family, given = parts["family"], parts["given"]
        dropping, particle = parts["dropping-particle"], parts["non-dropping-particle"]
        script = romanesque(family, given)
        level = 0 if options.form != "long" else 1 if options.initialize_with is not None else 2
        level = self._given_level(item, variable, index, level)
        if level == 0:
            given = ""
        elif family and level == 1 and options.initialize_with is not None:
            mark = options.initialize_with
            given = _initials(given, mark, not options.initialize, options.hyphen)
        suffix = parts["suffix"]
        if suffix and options.initialize_with is not None:
            suffix = _initials(suffix, options.initialize_with, True, options.hyphen)
        family_part = options.parts.get("family")
        given_part = options.parts.get("given")
        language = item_language(self, item)
        fam = self._decorated(options, "family", family, language)
        ndp = self._decorated(options, "family", particle, language)
        giv = self._decorated(options, "given", given, language)
        dp = self._decorated(options, "given", dropping, language)
        if not giv:
            dp, suffix = "", ""
        space = options.space
        if script == 0:  # family name, then given name, no space: 毛泽东
            return _joined((ndp, fam, giv), ""), False
        if script == 1 or parts["static-ordering"]:
            return _joined((_joined((ndp, fam), space), giv), " "), False
        hyphenated = particle[-1:] in _JOINING
        order = options.name_as_sort_order
        if order == "all" or (order == "first" and index == 0):
            separator = ", " if parts["given"] in ("Lord", "Lady") else options.sort_separator
            if options.demote in ("always", "display-and-sort"):
                second = _affixed(_joined((_joined((giv, dp), " "), ndp), " "), given_part)
                first = _affixed(fam, family_part)
            else:
                first = _affixed(_joined((ndp, fam), "" if hyphenated else space), family_part)
                second = _affixed(_joined((giv, dp), " "), given_part)
            return _joined((_joined((first, second), separator), suffix), separator), True
        if (
            dropping
            and family
            and not particle
            and dropping[-1] in ("'", "\u02bc", "\u2019", "-")
            and dropping[:-1] != "de"
        ):
            fam, dp = dp + fam, ""  # "d’Aubignac" as one word
        if hyphenated:
            second = _joined((dp, _joined((ndp, fam), "")), space)
        else:
            second = _joined((dp, ndp, fam), space)
        second = _affixed(
            _joined((second, suffix), ", " if parts["comma-suffix"] else " "), family_part
        )
        mark = options.initialize_with or ""
        between = space if level == 1 and ("\u00a0" in mark or "\ufeff" in mark) else " "
        return _joined((_affixed(giv, given_part), second), between), False


_PARTS = "_policycite_parts"


def _between(texts: list[str], delimiter: str) -> list[str]:
    out: list[str] = []
    for index, text in enumerate(texts):
        if index:
            out.append(delimiter)
        out.append(text)
    return out


def _seamed(pieces: list[str]) -> str:
    """The pieces joined as citeproc-js joins output blobs: no double space at a seam."""
    text = ""
    for piece in pieces:
        if piece:
            text += str(normalize_seam(text, piece)) if text else piece
    return text


def _parsed_parts(name: Any) -> dict[str, Any]:
    # Parsed once per name: the parts are kept on the name object (not in its items).
    state = vars(name)
    parts: dict[str, Any] | None = state.get(_PARTS)
    if parts is None:
        parts = state[_PARTS] = parsed(name)
    return parts


def _split_name(name: Any) -> Any:
    """The name with the particles and suffix citeproc-js parses out of it, as a name."""
    if name.get("literal") is not None:
        return name
    parts = _parsed_parts(name)
    fields = {
        key: parts[key]
        for key in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
        if parts[key]
    }
    return citeproc_source.Name(**fields)


@functools.lru_cache(maxsize=8192)
def _initials(given: str, mark: str, normalize_only: bool, hyphen: bool) -> str:
    return initialize(given, mark, normalize_only, hyphen)


class HyphenatedNameVariables:
    """cs:names: name variables with a hyphen ("container-author", "original-author").

    citeproc-py stores them as "container_author" but cs:names looks for the name as the
    style spells it, so a book chapter's "by Beaver Burtle" never printed. The data is
    shown under the style's spelling while cs:names renders.
    """

    def process(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        reference = item.reference
        aliases = [
            role
            for role in self.get("variable", "").split()
            if "-" in role
            and role not in reference
            and isinstance(reference.get(role.replace("-", "_")), list)
        ]
        for role in aliases:
            dict.__setitem__(reference, role, reference[role.replace("-", "_")])
        try:
            return super().process(item, *args, **kwargs)
        finally:
            for role in aliases:
                dict.__delitem__(reference, role)
