"""Load CSL styles into citeproc-py with policycite's fixes applied to its element classes.

citeproc-py parses a style with an lxml class lookup that maps each CSL tag to one of its
element classes. Here the same parse uses subclasses that put the fixes of
:mod:`.fixes` in front of citeproc-py's methods. Every element proxy of the parsed style
is kept alive for the life of the style, so per-element caches persist.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import citeproc
from citeproc import model
from citeproc import source as citeproc_source
from citeproc.frontend import CitationStylesBibliography, CitationStylesStyle
from lxml import etree

from policycite.render.disambiguation import Disambiguator, plain_references
from policycite.render.fixes import FIXES, Fix
from policycite.render.fixes.entities import decode_style
from policycite.render.fixes.sorting import (
    bibliography_sort,
    casing_language,
    lowered,
    lowering_of,
    lowers_alike,
)

CSL_NS = "http://purl.org/net/xbiblio/csl"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tag(cls: type) -> str:
    return cls.__name__.replace("_", "-").lower()


@functools.cache
def element_classes(disabled: frozenset[str] = frozenset()) -> dict[str | None, type]:
    """CSL tag -> element class with the fixes that apply to it (None: the default).

    ``disabled`` names fixes to leave out, to see what citeproc-py does without them.
    """
    return {tag: _fixed_class(base, fixes) for tag, (base, fixes) in _tag_fixes(disabled).items()}


@functools.cache
def _tag_fixes(disabled: frozenset[str]) -> dict[str | None, tuple[type, tuple[Fix, ...]]]:
    """CSL tag -> citeproc-py's element class and the fixes for the tag, in MRO order."""
    unknown = disabled - {f.name for f in FIXES}
    if unknown:
        raise ValueError(f"no such fix: {', '.join(sorted(unknown))}")
    # citeproc-py's own element classes only: the classes built here subclass them too.
    bases = [model.CitationStylesElement] + [
        cls
        for cls in model.CitationStylesElement.__subclasses__()
        if cls.__module__ == model.__name__
    ]
    fixes = [f for f in FIXES if f.name not in disabled]
    found: dict[str | None, tuple[type, tuple[Fix, ...]]] = {}
    for base in bases:
        tag = None if base is model.CitationStylesElement else _tag(base)
        found[tag] = (base, tuple(f for f in fixes if "*" in f.elements or tag in f.elements))
    return found


@functools.cache
def _fixed_class(base: type, fixes: tuple[Fix, ...]) -> type:
    """``base`` with the mixins of ``fixes`` in front of it (one class per combination)."""
    mixins = tuple(f.mixin for f in fixes)
    return type(base.__name__, (*mixins, base), {"__module__": __name__})


def bind_applicable(elements: list[Any], disabled: frozenset[str]) -> None:
    """Give each element the class of the fixes that apply to it (``Fix.applies``).

    An element's tag class carries every fix for the tag; one whose attributes rule some
    out gets a class without them (lxml keeps the class of a live proxy), so its method
    calls skip those mixins' frames. The test reads attributes only, which nothing
    changes after parsing, except a locale's cs:date-part: citeproc-py copies a style's
    date-part attributes into it, so date-parts keep their full class.
    """
    by_class = {cls: tag for tag, cls in element_classes(disabled).items()}
    tag_fixes = _tag_fixes(disabled)
    for element in elements:
        if type(element) not in by_class:
            continue
        tag = by_class[type(element)]
        if tag == "date-part":
            continue
        base, fixes = tag_fixes[tag]
        kept = tuple(f for f in fixes if f.applies is None or f.applies(element))
        if len(kept) != len(fixes):
            element.__class__ = _fixed_class(base, kept)


class FixedStyle(CitationStylesStyle):  # type: ignore[misc]
    """A citeproc-py style parsed into policycite's fixed element classes."""

    def __init__(
        self, data: bytes, locale: str | None = None, disabled: frozenset[str] = frozenset()
    ) -> None:
        lookup = etree.ElementNamespaceClassLookup()
        namespace = lookup.get_namespace(CSL_NS)
        for tag, cls in element_classes(disabled).items():
            namespace[tag] = cls
        # The bytes were checked by styles.check_csl (no entities, no DTD) beforehand.
        self.parser = etree.XMLParser(
            remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False
        )
        self.parser.set_element_class_lookup(lookup)
        self.xml = etree.parse(io.BytesIO(data), self.parser)
        self.root: Any = self.xml.getroot()
        # Keep every proxy alive: lxml then returns the same object per node, so the
        # caches the fixes keep on elements survive between renders.
        self._elements = list(self.xml.iter())
        decode_style(self._elements, data)  # "&amp;#160;" as citeproc-js reads it
        locale = locale or self.root.get("default-locale", "en-US")
        self._set_locales(locale, lookup)
        bind_applicable(self._elements, disabled)
        # The language of the locale's terms, for text-case on labels (fixes.conditions).
        self.root.__dict__["_policycite_language"] = locale[:2]
        # The locale whose collation sorts the bibliography (fixes.sorting).
        self.root.__dict__["_policycite_locale"] = locale

    def _set_locales(self, output_locale: str, lookup: Any) -> None:
        """citeproc-py's Style.set_locale_list, with locale files in the fixed classes.

        Locale files hold cs:date and cs:date-part elements that render localized dates,
        so they need the fixes as much as the style does.
        """
        root = self.root
        root.locales = []
        loaded: set[str] = set()

        def in_style(lang: str | None) -> None:
            # Compared, not put in an XPath: the language comes from the style's
            # default-locale, which may hold a quote (an XPath error, or an injection).
            for element in root.iterchildren(f"{{{CSL_NS}}}locale"):
                if element.get(_XML_LANG) == (lang or None):
                    root.locales.append(element)
                    return

        def from_file(lang: str) -> None:
            if lang in loaded:
                return
            loaded.add(lang)
            parser = etree.XMLParser(
                remove_comments=True, encoding="UTF-8", no_network=True, resolve_entities=False
            )
            parser.set_element_class_lookup(lookup)
            path = Path(citeproc.LOCALES_PATH) / f"locales-{lang}.xml"
            tree = etree.parse(str(path), parser)
            self._elements.extend(tree.iter())
            root.locales.append(tree.getroot())

        language = output_locale.split("-", maxsplit=1)[0]
        in_style(output_locale)
        # The "primary-dialect-locale" fix: the style's block for the language's primary
        # dialect (en-US for en-GB) comes next, as in citeproc-js.
        primary = citeproc.PRIMARY_DIALECTS.get(language)
        if getattr(root, "primary_dialect_locale", False) and primary not in (None, output_locale):
            in_style(primary)
        in_style(language)
        in_style(None)
        if output_locale in citeproc.LANGUAGE_NAMES:
            from_file(output_locale)
        if language in citeproc.PRIMARY_DIALECTS:
            from_file(citeproc.PRIMARY_DIALECTS[language])
        from_file("en-US")
        for locale in root.locales:
            locale.style = root


class CitationItem(citeproc_source.CitationItem):  # type: ignore[misc]
    """citeproc-py's CitationItem, with its reference and bibliography looked up once.

    citeproc-py resolves ``item.reference`` through two properties and a dict lookup on
    every variable access (hundreds per rendered entry). Its own fields (``key``,
    ``citation``, ``locator``) are read by dict itself, a missing one raising
    VariableError from ``__missing__`` as citeproc-py's Python ``__getitem__`` does.
    """

    __getitem__ = dict.__getitem__
    __getattr__ = dict.__getitem__

    def __missing__(self, key: str) -> Any:
        raise citeproc_source.VariableError

    @functools.cached_property
    def bibliography(self) -> Any:
        return self.citation.bibliography

    @functools.cached_property
    def reference(self) -> Any:
        return self.bibliography.source[self.key]

    @property
    def number(self) -> int:
        return int(self.bibliography.number_of(self.key))

    def is_bad(self) -> bool:
        # citeproc-py looks the key up in a list: quadratic over a large bibliography.
        return not self.bibliography.has(self.key)


class Bibliography(CitationStylesBibliography):  # type: ignore[misc]
    """citeproc-py's bibliography with constant-time registration and numbering.

    citeproc-py checks ``key not in self.keys`` (a list) on every registration and
    numbers items with ``keys.index``: quadratic for large bibliographies.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numbers: dict[str, int] = {}
        #: Item id -> the caller's key (citation key), where the ids are internal:
        #: disambiguation orders alike cites by the keys, as citeproc-js does by its ids.
        self.public_ids: dict[str, str] = {}
        self.disambiguator: Disambiguator | None = None
        #: Item id -> its place in registration order (citeproc-js's seq before sorting).
        self.registered: dict[str, int] = {}
        #: The language the bibliography's sort keys were last lower-cased in (None:
        #: unsorted, or the locale's: see fixes.sorting.LastItemLowering).
        self.lowering: str | None = None

    def register(self, citation: Any, callback: Any = None) -> None:
        citation.bibliography = self
        for item in citation.cites:
            if item.key in self.source:
                if item.key not in self._numbers:
                    self._numbers[item.key] = len(self.keys) + 1
                    self.registered[item.key] = len(self.keys)
                    self.keys.append(item.key)
                    self.items.append(item)
            elif callback is not None:
                callback(item)

    def sort(self, lowering: str | None = None) -> None:
        """Sort the items, their keys lower-cased in ``lowering`` (see ``disambiguate``).

        By default in the language of the last item registered: the item citeproc-js
        renders last before sorting when its style does no disambiguation. Items tied on
        every key keep their registration order.
        """
        registered = self.registered
        self.items.sort(key=lambda item: registered.get(item.key, len(registered)))
        sort = bibliography_sort(self.style.root)
        if lowering is None and self.items:
            lowering = lowering_of(sort, self.items)
        self.lowering = lowering
        if sort is None or lowering is None:
            super().sort()
        else:
            with lowered(sort, lowering):
                super().sort()
        self._numbers = {key: n for n, key in enumerate(self.keys, start=1)}

    def disambiguate(self) -> None:
        """Disambiguate cites as citeproc-js does (CSL 1.0.2, Disambiguation).

        Names, given names, year suffixes and the disambiguate condition, in that order,
        for cites alike in their subsequent form; the global givenname rules for every
        cite (see :mod:`.disambiguation`). Call after sorting: year suffixes follow the
        bibliography's order.
        """
        self.disambiguator = Disambiguator(self, CitationItem)
        self.disambiguator.run()
        # citeproc-js sorts after disambiguating, its keys lower-cased in the language of
        # the last item that rendered (fixes.sorting.LastItemLowering): sorted again when
        # that lower-cases otherwise than the language sorted in (Turkish or not).
        if self.lowering is not None:
            last = self.disambiguator.last_rendered()
            if last is not None:
                language = casing_language(last, self.style.root)
                if not lowers_alike(language, self.lowering):
                    with plain_references(self.items):
                        self.sort(language)

    def disambiguate_notes(self, citations: Sequence[Any], notes: Sequence[int]) -> None:
        """A note style's document: sets of alike cites run again with note numbers.

        Call after ``disambiguate`` and after the citations' positions are set
        (:meth:`.disambiguation.Disambiguator.rerun_notes`).
        """
        if self.disambiguator is not None:
            self.disambiguator.rerun_notes(
                [
                    (note, list(citation.cites))
                    for citation, note in zip(citations, notes, strict=True)
                ]
            )

    def assign_year_suffixes(self) -> None:
        """Disambiguate (kept for callers of the first round: suffixes come with the rest)."""
        self.disambiguate()

    def has(self, key: str) -> bool:
        """True when ``key`` is registered."""
        return key in self._numbers

    def number_of(self, key: str) -> int:
        """The 1-based position of ``key`` in the bibliography (CSL citation-number)."""
        return self._numbers[key]
