"""Speed: remember what depends only on the style, not on the item being rendered.

citeproc-py looks macros, terms, locale options and the enclosing layout up with lxml
XPath on every use and re-reads formatting attributes for every piece of text (a group's
children are planned once by :mod:`.groups`). All of it depends
only on the parsed style, so it is worked out once per element. This relies
on the processor keeping every element proxy of the style alive (see
``processor.FixedStyle``): lxml then hands back the same Python object for a node, and
attributes set on it persist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model

_MISSING = object()
#: A tuple, not ``int | float``: that expression builds a union object on every call.
_NUMBERS = (int, float)
_FORM_FALLBACK = {"symbol": "short", "short": None, "verb-short": "verb", "verb": None}


def memo(element: Any, name: str, compute: Callable[..., Any], *args: Any) -> Any:
    """The value cached on ``element`` as ``name``: ``compute(*args)`` on first use."""
    # Element classes have a __getattr__ that searches child elements, so the cache
    # lives in the instance dict and is read through it.
    state = element.__dict__
    value = state.get(name, _MISSING)
    if value is _MISSING:
        value = state[name] = compute(*args)
    return value


def memo_keyed(element: Any, name: str, key: Any, compute: Callable[..., Any], *args: Any) -> Any:
    """Like :func:`memo`, for a family of values told apart by ``key``."""
    cache = element.__dict__.get(name)
    if cache is None:
        cache = element.__dict__[name] = {}
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = cache[key] = compute(*args)
    return value


def item_language(element: Any, item: Any) -> str:
    """The language an item's text is cased in: its own, else the style's.

    citeproc-py's rule; the answer is kept on the item.
    """
    language = item.__dict__.get("_policycite_language", _MISSING)
    if language is _MISSING:
        try:
            language = item.reference.language[:2]
        except model.VariableError:
            language = element.get_root().get("default-locale", "en")[:2]
        item.__dict__["_policycite_language"] = language
    return str(language)


class CachedLookups:
    """Cache the lookups that depend only on the style tree.

    These are get_root, xpath_search, get_macro, get_term, get_date, get_locale_option
    and get_layout.

    A ``cs:locale`` inside a style answers term lookups for itself only, so its own
    lookups pass through uncached.
    """

    def __getattr__(self, name: str) -> Any:
        # citeproc-py finds child elements by attribute (``names.name``, ``layout``) with
        # a search each time. A found child is kept as a real attribute; a missing one is
        # not, since citeproc-py inserts a default cs:name where there is none.
        found = super().__getattr__(name)
        # A missing cs:label is kept too (citeproc-py asks every cs:names for one, and
        # nothing inserts it), with a search saved per cs:names rendered; so is the
        # missing cs:name of a cs:names in a cs:substitute, which citeproc-py asks for
        # on every substitution: the implicit-name fix inserts one into the cs:names
        # the substitute belongs to, never into it.
        if (
            (found is not None and not name.startswith("_"))
            or name == "label"
            or (
                name == "name"
                and isinstance(self, model.Names)
                and isinstance(self.getparent(), model.Substitute)
            )
        ):
            self.__dict__[name] = found
        return found

    # The hottest lookups read their cache from the instance dict directly: a call to
    # memo() costs more than the lookup it saves.
    def get_root(self) -> Any:
        state = self.__dict__
        root = state.get("_policycite_root")
        if root is None:
            root = state["_policycite_root"] = self.getroottree().getroot()
        return root

    def xpath_search(self, expression: str) -> Any:
        # Every expression citeproc-py evaluates (ancestors, siblings, terms, macros) is
        # about the style tree, which does not change once parsed.
        cache = self.__dict__.get("_policycite_xpath")
        if cache is None:
            cache = self.__dict__["_policycite_xpath"] = {}
        found = cache.get(expression)
        if found is None:
            found = cache[expression] = super().xpath_search(expression)
        return found

    def get_macro(self, name: str) -> Any:
        parent = super()
        return memo_keyed(self.get_root(), "_policycite_macros", name, parent.get_macro, name)

    def get_term(self, *args: Any, **kwargs: Any) -> Any:
        parent = super()
        if isinstance(self, model.Locale):
            return parent.get_term(*args, **kwargs)
        key = (args, tuple(kwargs.items()))

        def lookup() -> Any:
            term = parent.get_term(*args, **kwargs)
            # CSL term forms fall back: symbol -> short -> long, verb-short -> verb -> long
            # (citeproc-py returns nothing, so Chicago lost the "at" before a timestamp).
            options = dict(kwargs)
            form = options.pop("form", args[1] if len(args) > 1 else None)
            name = options.pop("name", args[0] if args else None)
            while term is None and form in _FORM_FALLBACK:
                form = _FORM_FALLBACK[form]
                term = parent.get_term(name, form, **options)
            return term

        return memo_keyed(self.get_root(), "_policycite_terms", key, lookup)

    def get_date(self, form: str) -> Any:
        parent = super()
        if isinstance(self, model.Locale):
            return parent.get_date(form)
        return memo_keyed(self.get_root(), "_policycite_dates", form, parent.get_date, form)

    def get_locale_option(self, name: str) -> Any:
        if isinstance(self, model.Locale):
            return super().get_locale_option(name)
        root = self.get_root()
        options = root.__dict__.get("_policycite_locale_options")
        if options is None:
            options = root.__dict__["_policycite_locale_options"] = {}
        if name not in options:
            options[name] = super().get_locale_option(name)
        return options[name]

    # Two searches citeproc-py makes for every cs:date and cs:names rendered, answered by
    # catching an IndexError when nothing is found (the common case).
    def is_locale_date(self) -> bool:
        """cs:date: whether the date is a locale's (the answer cached)."""
        found = self.__dict__.get("_policycite_locale_date")
        if found is None:
            found = self.__dict__["_policycite_locale_date"] = super().is_locale_date()
        return bool(found)

    def substitute(self) -> Any:
        """cs:names: its cs:substitute or None (the answer cached)."""
        state = self.__dict__
        if "_policycite_substitute" not in state:
            state["_policycite_substitute"] = super().substitute()
        return state["_policycite_substitute"]

    def get_layout(self) -> Any:
        layout = self.__dict__.get("_policycite_layout")
        if layout is None:
            layout = self.__dict__["_policycite_layout"] = super().get_layout()
        return layout


_FORMAT_PLAN = (
    ("font-style", "normal", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"underline": "Underline"}),
    ("vertical-align", "baseline", {"sup": "Superscript", "sub": "Subscript"}),
)


class CachedFormatting:
    """Decide once per element which formatter wrappers and affixes apply.

    citeproc-py's ``format`` reads five attributes and looks the formatter up five times
    for every rendered piece of text; ``wrap`` reads prefix and suffix each time.
    """

    def _format_plan(self) -> tuple[str, ...]:
        return tuple(
            names[value]
            for attribute, default, names in _FORMAT_PLAN
            if (value := self.get(attribute, default)) in names
        )

    def format(self, string: Any) -> Any:
        if isinstance(string, _NUMBERS):
            string = str(string)
        state = self.__dict__
        plan = state.get("_policycite_format_plan")
        if plan is None:
            plan = self._format_plan()
            # A locale's date-part takes the attributes of the style's date-part on every
            # use (citeproc-py copies them in), so its plan is not cached.
            if not isinstance(self, model.Date_Part):
                state["_policycite_format_plan"] = plan
        if plan:
            # get_formatter, inlined: format runs for every piece of rendered text.
            root = state.get("_policycite_root")
            if root is None:
                root = self.get_root()
            formatter = root.style.formatter if isinstance(root, model.Locale) else root.formatter
            for name in plan:
                string = getattr(formatter, name)(string)
        return string

    def get_formatter(self) -> Any:
        root = self.__dict__.get("_policycite_root")  # get_root, inlined: a hot path
        if root is None:
            root = self.get_root()
        return root.style.formatter if isinstance(root, model.Locale) else root.formatter


class CachedLanguage:
    """Read an item's language once per item, not once per cs:text rendered.

    citeproc-py's ``Text.process`` asks ``item.reference.language`` for every text
    element, which raises (slowly) for the many items without a language. It also
    passes sort options on to called macros, which citeproc-py forgot.
    """

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        return CachedLanguage.render(self, item, context, _policycite_process=True, **kwargs)

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # citeproc-py's Text.render is markup(*process(...)). Process is written out here
        # (a frame less per cs:text rendered) unless another fix refines it; with
        # _policycite_process, the text and language unmarked (process's answer).
        unmarked = kwargs.pop("_policycite_process", False)
        state = self.__dict__
        plan = state.get("_policycite_text_plan")
        if plan is None:
            plan = state["_policycite_text_plan"] = _text_plan(self)
        kind, fused, markup = plan
        if not unmarked and not fused:
            return super().render(item, context, **kwargs)
        if context is None:
            context = self
        # item_language, its cached answer read here (a call less per cs:text).
        language = item.__dict__.get("_policycite_language")
        if type(language) is not str:
            language = item_language(self, item)
        text = None
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            # Pass the sort options on: citeproc-py dropped them here, so a sort key's
            # names-min/names-use-first never reached a macro called from a macro.
            # The macro is looked up once per element: the style does not change.
            macro = state.get("_policycite_macro")
            if macro is None:
                macro = state["_policycite_macro"] = self.get_macro(self.get("macro"))
            text = macro.render(item, context, sort_options=kwargs.get("sort_options"))
        elif kind == "term":
            text = self._term(item)
        elif kind == "value":
            text = self.preformat(self.get("value"))
            if not isinstance(text, model.String):  # a fix's String subclass is kept
                text = model.String(text)
        if unmarked:
            return text, language
        if markup is None:
            return self.markup(text, language)
        # PlannedMarkup's markup, written out (a frame less per cs:text rendered).
        if not text:
            return None
        strip, case, quotes, cached_format = markup
        if strip and not isinstance(text, int):  # citation-number: see number-markup
            text = self.strip_periods(text)  # the strip-periods fix decides how
        if case:
            text = self.case(text, language)
        if not cached_format or state.get("_policycite_format_plan") != ():
            text = self.format(text)
        elif isinstance(text, _NUMBERS):
            text = str(text)
        if quotes:
            text = self.quote(text)
        return self.wrap(text)


def _text_plan(element: Any) -> tuple[str, bool, tuple[bool, bool, bool, bool] | None]:
    """What a cs:text prints, whether its render may skip process, and its markup plan.

    The kind of text is decided once (lxml makes an attribute proxy per read); the
    render writes process out where no other fix refines it, and PlannedMarkup's markup
    where that is the element's.
    """
    attrib = element.attrib
    kind = next((k for k in _TEXT_KINDS if k in attrib), "")
    cls = type(element)
    fused = cls.process is CachedLanguage.process
    markup = _markup_plan(element) if cls.markup is PlannedMarkup.markup else None
    return kind, fused, markup


# citeproc-py's order of the cs:text attributes that say what it prints.
_TEXT_KINDS = ("variable", "macro", "term", "value")


class CachedConditions:
    """Split a condition's type and variable lists once per element, not per item."""

    def _type(self, item: Any) -> list[bool]:
        # The answer depends on the item's type alone: one list per type, shared (the
        # callers read it). The type is read from the dict: the attribute goes through
        # citeproc-py's __getattr__ and __getitem__.
        results = self.__dict__.get("_policycite_types")
        if results is None:
            results = self.__dict__["_policycite_types"] = {}
        item_type = dict.get(item.reference, "type")
        found = results.get(item_type)
        if found is None:
            types = [t.lower() for t in self.get("type").split()]
            found = results[item_type] = [t == item_type for t in types]
        return found

    def _variable(self, item: Any) -> list[bool]:
        variables = memo(self, "_policycite_variables", _variables_of, self)
        reference = item.reference
        return [("locator" in item) if v == "locator" else (v in reference) for v in variables]


def _variables_of(element: Any) -> list[str]:
    return [v.replace("-", "_") for v in element.get("variable").split()]


def _markup_plan(element: Any) -> tuple[bool, bool, bool, bool]:
    return (
        str(element.get("strip-periods", "false")).lower() == "true",
        element.get("text-case") is not None,
        str(element.get("quotes", "false")).lower() == "true",
        # CachedFormatting's format, whose cached plan says when it does nothing.
        type(element).format is CachedFormatting.format,
    )


class PlannedMarkup:
    """cs:text markup that skips the steps the element does not ask for.

    citeproc-py calls strip_periods, case and quote for every rendered text, each
    reading its attribute again, though most texts ask for none of them.
    """

    def markup(self, text: Any, language: Any) -> Any:
        if not text:
            return None
        plan = self.__dict__.get("_policycite_markup")
        if plan is None:
            plan = self.__dict__["_policycite_markup"] = _markup_plan(self)
        strip, case, quotes, cached_format = plan
        if strip and not isinstance(text, int):  # citation-number: see number-markup
            text = self.strip_periods(text)  # the strip-periods fix decides how
        if case:
            text = self.case(text, language)
        # Most texts have no formatting: no call to format for them.
        if not cached_format or self.__dict__.get("_policycite_format_plan") != ():
            text = self.format(text)
        elif isinstance(text, _NUMBERS):
            text = str(text)
        if quotes:
            text = self.quote(text)
        return self.wrap(text)


class CachedVariable:
    """cs:text variable: what citeproc-py's ``_variable`` reads of the element, read once.

    citeproc-py reads the variable, tag and form attributes (lxml proxies each time) and
    rewrites the variable's name for every cs:text variable rendered. Page numbers,
    citation-number and the locator keep its code, which does more with them.
    """

    def _variable(self, item: Any, context: Any) -> Any:
        state = self.__dict__
        plan = state.get("_policycite_variable_plan")
        if plan is None:
            plan = state["_policycite_variable_plan"] = _variable_plan(self)
        if plan is False:
            return super()._variable(item, context)
        variable, tag, key, short_key = plan
        repressed = context.get_layout().repressed
        if repressed and tag in repressed and variable in repressed[tag]:
            return None
        reference = item.reference
        if short_key is not None and short_key in reference:
            return reference[short_key]
        return reference[key]


def _variable_plan(element: Any) -> tuple[str, str, str, str | None] | bool:
    """(variable, tag, its key, its short form's key or None); False: citeproc-py's way."""
    variable = element.get("variable")
    if variable is None or variable.startswith("page") or variable in _SPECIAL_VARIABLES:
        return False
    short = element.get("form") == "short"
    short_key = f"{variable}-short".replace("-", "_") if short else None
    return variable, element.tag, variable.replace("-", "_"), short_key


_SPECIAL_VARIABLES = frozenset({"citation-number", "locator"})


class CachedNames:
    """cs:names: roles read once; a names element whose roles the item lacks fails fast.

    citeproc-py's ``Names.process`` splits the variable list, builds two sets (the
    editor-translator test) and, when no role is present and there is no cs:substitute,
    fails by catching a NameError to raise VariableError, for every cs:names rendered:
    most of APA's (interviewer, container-author, illustrator …) print nothing for
    most items. That case is answered here with the same VariableError; any other goes
    to citeproc-py's code.
    """

    def process(
        self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        state = self.__dict__
        roles = state.get("_policycite_names_variables")
        if roles is None:
            variable = self.get("variable")
            if variable is None:  # citeproc-py's own error, as it raises it
                return super().process(item, names_context, context, **kwargs)
            roles = state["_policycite_names_variables"] = tuple(variable.split())
        reference = item.reference
        for role in roles:
            if role in reference:
                return super().process(item, names_context, context, **kwargs)
        substitute = self.substitute()
        if substitute is None:
            raise model.VariableError
        return substitute.render(item, context=self if context is None else context, **kwargs)


class CachedTerm:
    """cs:term: its singular and plural texts, found once per output format.

    citeproc-py searches the term's children each time a term is printed ("and",
    "et al.", "Retrieved", month names …).
    """

    @property
    def single(self) -> Any:
        return self._form("single")

    @property
    def multiple(self) -> Any:
        return self._form("multiple")

    def _form(self, name: str) -> Any:
        formatter = self.get_formatter()
        cache = self.__dict__.get("_policycite_forms")
        if cache is None:
            cache = self.__dict__["_policycite_forms"] = {}
        key = (name, id(formatter))
        if key not in cache:
            child = self.find(f"cs:{name}", self.nsmap)
            text = child.text if child is not None else self.text
            cache[key] = model.String(self.preformat(text or ""))
        return cache[key]
