"""Render bibliographies and citations through citeproc-py: the only module driving it.

What this layer handles so callers never see citeproc-py's traps:

* ids: citeproc-py lower-cases item ids, so ``Norov2020`` and ``norov2020`` would collide;
  items get internal ids (``i0``, ``i1`` …) and results are mapped back to the real keys;
* warnings: citeproc-py calls ``warnings.warn``; they are caught and returned as findings
  (the ones for CSL 1.0.2 variables it stores and renders anyway are dropped);
* failures: one item that makes the processor raise (data it cannot handle, or a broken
  branch of a style) must not lose the whole bibliography: it is left out with PC103;
* escaping: field values are escaped for HTML and Markdown (see :mod:`.output`);
* fidelity and speed: styles are loaded with the fixes of :mod:`.fixes`
  (:mod:`.processor`), field values become rich text (:mod:`.richtext`).
"""

from __future__ import annotations

import difflib
import functools
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs
from citeproc import (
    LANGUAGE_NAMES,
    PRIMARY_DIALECTS,
    Citation,
    Locator,
)

from policycite import collector
from policycite.errors import StyleError
from policycite.findings import Finding, Location
from policycite.formats.record import source_to_csl
from policycite.kinds import CSL_VARIABLES
from policycite.model import Cite, Cluster, Library, Source
from policycite.render import parallel
from policycite.render.abbreviations import CiteNames
from policycite.render.abbreviations import plan as abbreviation_plan
from policycite.render.fixes import intext
from policycite.render.fixes.collapse import ALONE
from policycite.render.fixes.layout import trim_ends
from policycite.render.fixes.positions import position_all_first, position_document, uses_positions
from policycite.render.fixes.textcase import is_apa_style
from policycite.render.itemrules import apply_style_rules
from policycite.render.output import FORMATS, OutputFormat
from policycite.render.processor import (
    Bibliography,
    CitationItem,
    FixedStyle,
)
from policycite.render.richtext import RichTextJSON, TranslatedTitle, keeps_translations_upright
from policycite.render.robust import link_urls
from policycite.render.styles import CSL_NS, resolve

T = TypeVar("T")

# "The following arguments for Reference are unsupported: event_title"
_UNSUPPORTED_RE = re.compile(r"arguments for \w+ are unsupported: (?P<names>.*)$")


@attrs.frozen
class RenderResult:
    """Rendered entries (bibliography entries or citations) and the findings met.

    ``keys`` gives, for a bibliography, the citation key of each entry; for citations,
    the keys of each cluster joined by ``;``.
    """

    entries: tuple[str, ...]
    keys: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    output: str = "text"

    def as_text(self) -> str:
        """The entries as one document in the output format."""
        if self.output == "html":
            inner = "".join(f'  <div class="csl-entry">{e}</div>\n' for e in self.entries)
            return f'<div class="csl-bib-body">\n{inner}</div>\n'
        separator = "\n\n" if self.output == "markdown" else "\n"
        return separator.join(self.entries) + "\n" if self.entries else ""


@attrs.frozen
class DocumentResult:
    """A document rendered in one processor run: its citations and its reference list.

    The year letters ("2024a") of ``citations`` are those of ``bibliography``.
    """

    citations: RenderResult
    bibliography: RenderResult

    def as_text(self) -> str:
        """The citations, one per line, a blank line, then the reference list."""
        cites = "".join(f"{entry}\n" for entry in self.citations.entries)
        listed = self.bibliography.as_text()
        return f"{cites}\n{listed}" if listed else cites


def check_locale(locale: str | None) -> None:
    """Raise StyleError for a locale citeproc-py has no file for (None: the style's own).

    citeproc-py falls back to the style's default-locale, then to en-US
    (policycite.defaults.DEFAULT_LOCALE), and silently to English for a locale it does not
    know: refuse those instead. A bare language ("de") takes its primary dialect ("de-DE").
    """
    known = locale is None or locale in LANGUAGE_NAMES or locale in PRIMARY_DIALECTS
    if not known:
        close = difflib.get_close_matches(str(locale), LANGUAGE_NAMES, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise StyleError(f"unknown locale {locale!r}{hint}")


@functools.lru_cache(maxsize=16)
def _style(data: bytes, locale: str | None, disabled: frozenset[str]) -> FixedStyle:
    check_locale(locale)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        try:
            style = FixedStyle(data, locale, disabled)
        except ValueError as err:
            raise StyleError(str(err)) from None
    # Entries and citations go into documents: no stray spaces at their ends.
    trim_ends(style.root)
    return style


class Renderer:
    """Renders sources of a library in one CSL style, locale and output format.

        ``disabled_fixes`` names fixes of :data:`policycite.render.fixes.FIXES` to leave out,
        to see (and test) what citeproc-py alone prints. In HTML output each web address a
        source prints becomes a link, its live URL and archived copy Robust Links (see
        :mod:`.robust`); ``links=False`` leaves the text as citeproc prints it. ``jobs``
    is the number of processes a large bibliography renders in (None: every core from
    :data:`.parallel.AUTO_MINIMUM` items on); the output is the same as with one.

        >>> renderer = Renderer(library, style="apa")          # doctest: +SKIP
        >>> print(renderer.bibliography().as_text())            # doctest: +SKIP
    """

    def __init__(
        self,
        library: Library,
        style: str = "apa",
        *,
        locale: str | None = None,
        output: str = "text",
        disabled_fixes: Iterable[str] = (),
        links: bool = True,
        jobs: int | None = 1,
    ) -> None:
        if output not in FORMATS:
            raise StyleError(f"unknown output format {output!r}; use one of {', '.join(FORMATS)}")
        self.library = library
        self.format: OutputFormat = FORMATS[output]
        data, self.style_name = resolve(style)
        self._style = _style(data, locale, frozenset(disabled_fixes))
        # APA's rules on the items (retrieval dates, news websites): see render.itemrules.
        self._apa = is_apa_style(self._style.root)
        # A title's bracketed translation upright only in the guides that say so.
        self._upright = self._apa or keeps_translations_upright(
            self._style.root.findtext(f"{{{CSL_NS}}}info/{{{CSL_NS}}}id") or ""
        )
        self._ids = {source.key: f"i{n}" for n, source in enumerate(library)}
        self._keys = {v: k for k, v in self._ids.items()}
        self._links = links and output == "html"
        # The DOIs the style was given, by key: a printed https://doi.org/ address links.
        self._dois: dict[str, str] = {}
        # Processes for large bibliographies (None: every core from parallel.AUTO_MINIMUM
        # items); the output is the one-process output (see render.parallel).
        self.jobs = jobs

    # -- building citeproc input -----------------------------------------------------

    def _item(self, source: Source, *, rules: bool = True) -> dict[str, Any]:
        """The CSL item citeproc-py gets for a source.

        ``rules=False`` leaves out the style's item rules (:mod:`.itemrules`), as
        ``benchmarks/apa_conformance.py --items raw`` measures.
        """
        csl = source_to_csl(source)
        item = {k: v for k, v in csl.items() if k in CSL_VARIABLES or k == "type"}
        if "event" in item:
            # Styles ask for CSL 1.0.2 "event-title" or the older "event"; give both.
            item["event-title"] = item["event"]
        if self._upright and source.title and source.translated_title and "title" in item:
            # The view's "Original [Translation]", with the translation kept upright.
            title = source.title_transliterated or source.title  # as the view gives it
            item["title"] = TranslatedTitle(title, source.translated_title)
        item["id"] = self._ids[source.key]
        if rules:
            apply_style_rules(source, item, apa=self._apa)
        return item

    def _bibliography(self, sources: Sequence[Source]) -> Bibliography:
        items = [self._item(s) for s in sources]
        if self._links:
            self._dois.update(
                (self._keys[i["id"]], i["DOI"]) for i in items if isinstance(i.get("DOI"), str)
            )
        data = RichTextJSON(items, self.format.formatter, self.format.encode)
        bibliography = Bibliography(self._style, data, self.format.formatter)
        bibliography.public_ids = self._keys  # disambiguation orders by citation keys
        setattr(bibliography, parallel.JOBS, self.jobs)
        return bibliography

    def _linked(self, rendered: str, keys: Iterable[str]) -> str:
        """HTML with the web addresses of the sources of ``keys`` made links."""
        if not self._links:
            return rendered
        for key in dict.fromkeys(keys):
            source = self.library.get(key)
            if source is not None:
                dois = (self._dois[key],) if key in self._dois else ()
                rendered = link_urls(rendered, source, dois)
        return rendered

    # -- running citeproc-py with warnings and failures caught ----------------------

    def _run(self, work: Callable[[], T], findings: list[Finding]) -> T:
        with warnings.catch_warnings(record=True) as caught, collector.paused():
            warnings.simplefilter("always")
            result = work()
        for warning in caught:
            message = str(warning.message)
            match = _UNSUPPORTED_RE.search(message)
            if match:
                names = {n.strip().replace("_", "-") for n in match.group("names").split(",")}
                if names <= CSL_VARIABLES | {"event-title"}:
                    continue  # stored and rendered all the same
            findings.append(
                Finding(
                    "PC101",
                    " ".join(message.split()),
                    location=Location(field=f"style {self.style_name}"),
                )
            )
        return result

    def _usable(self, sources: Sequence[Source], findings: list[Finding]) -> list[Source]:
        """The sources citeproc-py can render on their own; the others become PC103."""
        usable = []
        for source in sources:
            try:
                self._probe([source])
            except Exception as err:
                findings.append(
                    Finding(
                        "PC103",
                        f"the CSL processor failed on this item "
                        f"({type(err).__name__}: {err}); it is left out",
                        location=Location(key=source.key),
                        hint="check the item's dates, names and numbers, or the style",
                    )
                )
            else:
                usable.append(source)
        return usable

    def _probe(self, sources: Sequence[Source]) -> None:
        """Render sources once, so that a processor failure shows up before real work.

        They are rendered as a bibliography, or as citations for a style without one.
        """
        if self._style.has_bibliography():
            self._render_bibliography(sources, [])
            return
        bib = self._bibliography(sources)
        for source in sources:
            citation = Citation([CitationItem(self._ids[source.key])])
            bib.register(citation)
            bib.cite(citation, _missing)

    def _render_bibliography(
        self, sources: Sequence[Source], findings: list[Finding]
    ) -> tuple[list[str], list[str]]:
        def work() -> tuple[list[str], list[str]]:
            bib = self._bibliography(sources)
            for source in sources:
                bib.register(Citation([CitationItem(self._ids[source.key])]))
            if not self._style.has_bibliography():
                raise StyleError(f"style {self.style_name!r} has no bibliography")
            bib.sort()
            bib.disambiguate()
            return self._entries(bib, findings)

        return self._run(work, findings)

    def _entries(self, bib: Bibliography, findings: list[Finding]) -> tuple[list[str], list[str]]:
        """The reference list of a sorted and disambiguated bibliography, and its keys."""
        items = bib.items
        jobs = parallel.resolve_jobs(self.jobs, len(items))
        rendered = parallel.map_chunks(
            lambda start, stop: self._entry_range(items, start, stop), len(items), jobs
        )
        entries, keys = [], []
        for item, entry in zip(items, rendered, strict=True):
            key = self._keys[item.key]
            if entry is None:
                findings.append(
                    Finding(
                        "PC104",
                        f"style {self.style_name!r} leaves this item out of the bibliography",
                        location=Location(key=key),
                        hint="some styles (e.g. Chicago) list only works a reader can "
                        "retrieve: add its URL, publisher or archive",
                    )
                )
                continue
            entries.append(entry)
            keys.append(key)
        return entries, keys

    def _entry_range(self, items: Sequence[Any], start: int, stop: int) -> list[str | None]:
        """The entries of ``items[start:stop]`` (None: the style leaves one out).

        One item at a time: citeproc-py silently drops items that render to nothing,
        which would shift every later entry onto the wrong key. An entry compares its
        author with the one before (subsequent-author-substitute); that author does not
        depend on the entries before it, so a range starts by rendering it.
        """
        layout = self._style.root.bibliography.layout
        author = None
        if start > 0:
            # Only its author is kept: its warnings belong to the range before.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                author = layout.render_entry(items[start - 1], None)[2]
        entries: list[str | None] = []
        for item in items[start:stop]:
            first, text, author = layout.render_entry(item, author)
            if text is None and first is not None:
                # Only the first field printed (a number): citeproc-js lists it alone.
                margin = self.format.decode(str(first))
                if self.format.name == "html":
                    margin = f'<div class="csl-left-margin">{margin}</div>'
                entries.append(self._linked(margin, [self._keys[item.key]]))
                continue
            if text is None:
                entries.append(None)
                continue
            entry = self._linked(self.format.decode(str(text)), [self._keys[item.key]])
            if first is not None:
                entry = self.format.columns(self.format.decode(str(first)), entry)
            entries.append(entry)
        return entries

    # -- public API -----------------------------------------------------------------------

    def bibliography(self, keys: Iterable[str] | None = None) -> RenderResult:
        """The bibliography of ``keys`` (default: the whole library), sorted by the style."""
        findings: list[Finding] = []
        sources = self._sources(keys, findings)
        try:
            entries, order = self._render_bibliography(sources, findings)
        except StyleError:
            raise
        except Exception:
            usable = self._usable(sources, findings)
            try:
                entries, order = self._render_bibliography(usable, findings)
            except Exception as err:
                entries, order = self._render_each(usable, findings, err)
        return RenderResult(tuple(entries), tuple(order), tuple(findings), self.format.name)

    def _render_each(
        self, sources: Sequence[Source], findings: list[Finding], error: Exception
    ) -> tuple[list[str], list[str]]:
        """Every entry on its own, in the given order.

        The last resort when the processor fails on the items together (while sorting
        them, say) but on none alone.
        """
        findings.append(
            Finding(
                "PC103",
                f"the CSL processor failed on the items together ({type(error).__name__}: "
                f"{error}); entries are rendered one by one, unsorted and without year suffixes",
                hint="check the items' dates, names and numbers, or the style",
            )
        )
        entries: list[str] = []
        keys: list[str] = []
        for source in sources:
            entry, key = self._render_bibliography([source], findings)
            entries += entry
            keys += key
        return entries, keys

    def citations(
        self,
        clusters: Sequence[Cluster],
        bibliography: Iterable[str] | None = None,
        *,
        positions: bool = True,
        abbreviations: bool | None = None,
    ) -> RenderResult:
        """Render citation clusters in order.

        ``bibliography`` names the keys of the document's reference list, registered
        first and in this order (numeric styles number them so; year suffixes are
        assigned over them); by default it is the cited keys in order of first citation.
        With ``positions`` (the default) the clusters are one document: a later cite of
        a work is "subsequent" (Chicago's short notes, "Ibid."), and a group author's
        abbreviation is introduced on its first mention and used after it
        (``abbreviations``; by default for APA only: "(World Health Organization [WHO],
        2020)", then "(WHO, 2020)"). Without ``positions``, every cluster renders as a
        first citation, with no abbreviations.
        """
        return self.document(
            clusters,
            bibliography,
            positions=positions,
            abbreviations=abbreviations,
            reference_list=False,
        ).citations

    def document(
        self,
        clusters: Sequence[Cluster],
        bibliography: Iterable[str] | None = None,
        *,
        positions: bool = True,
        abbreviations: bool | None = None,
        reference_list: bool = True,
    ) -> DocumentResult:
        """A document's citations and its reference list, rendered in one processor run.

        The reference list holds the cited works (and ``bibliography``'s, e.g. the whole
        library's ``library.keys``), so the year letters ("2024a") of the citations and
        of the reference list are the same. Other arguments as for :meth:`citations`;
        with ``reference_list=False`` only the citations are rendered.
        """
        findings: list[Finding] = []
        cited_keys = [c.key for cl in clusters for c in cl.cites]
        cited = self._sources([*(bibliography or ()), *cited_keys], findings)
        if abbreviations is None:
            abbreviations = self._apa
        plans = (
            abbreviation_plan(clusters, self.library.get) if positions and abbreviations else None
        )
        bib_findings: list[Finding] = []

        def work(usable: Sequence[Source]) -> tuple[list[str], tuple[list[str], list[str]]]:
            usable_keys = {s.key for s in usable}
            bib = self._bibliography(usable)
            for source in usable:  # the reference list first, in its order
                bib.register(Citation([CitationItem(self._ids[source.key])]))
            citations = [
                Citation(
                    [
                        self._citation_item(c, plans[n][i] if plans else None)
                        for i, c in enumerate(cl.cites)
                        if c.key in usable_keys
                    ]
                )
                for n, cl in enumerate(clusters)
            ]
            for citation in citations:
                bib.register(citation)
            has_list = self._style.has_bibliography()
            if has_list:
                bib.sort()
            bib.disambiguate()
            root = self._style.root
            if positions and uses_positions(root):
                # One note per cluster in a note style; in-text citations are note 0.
                notes = root.get("class") == "note"
                numbers = [n + 1 if notes else 0 for n in range(len(citations))]
                position_document(root, citations, numbers)
                bib.disambiguate_notes(citations, numbers)
            elif uses_positions(root):
                position_all_first(citations)
            rendered = []
            for citation in citations:
                if not positions:
                    bib._cites.clear()
                    dict.__setitem__(citation, ALONE, True)
                text = bib.cite(citation, _missing) if citation.cites else ""
                cited = [self._keys[item.key] for item in citation.cites]
                rendered.append(self._linked(self.format.decode(str(text)), cited))
            bib_findings.clear()
            listed = self._entries(bib, bib_findings) if reference_list and has_list else ([], [])
            return rendered, listed

        # As for a bibliography: the real work first; items are probed one by one only
        # when it fails, so that a good run renders once.
        listed: tuple[list[str], list[str]] = ([], [])
        try:
            entries, listed = self._run(lambda: work(cited), findings)
        except StyleError:
            raise
        except Exception:
            usable = self._usable(cited, findings)
            try:
                entries, listed = self._run(lambda: work(usable), findings)
            except Exception as err:
                findings.append(
                    Finding(
                        "PC103",
                        f"the CSL processor failed on these citations together "
                        f"({type(err).__name__}: {err}); they are left empty",
                        hint="check the cited items' dates, names and numbers, or the style",
                    )
                )
                entries = [""] * len(clusters)
        keys = tuple(";".join(c.key for c in cl.cites) for cl in clusters)
        name = self.format.name
        return DocumentResult(
            RenderResult(tuple(entries), keys, tuple(findings), name),
            RenderResult(tuple(listed[0]), tuple(listed[1]), tuple(bib_findings), name),
        )

    def _citation_item(self, cite: Cite, names: CiteNames | None = None) -> CitationItem:
        extra: dict[str, Any] = {}
        if cite.locator is not None:
            extra["locator"] = Locator(cite.label, self.format.encode(cite.locator))
        if cite.prefix:
            extra["prefix"] = self.format.encode(cite.prefix) + " "
        if cite.suffix:
            # pandoc keeps the comma of "[@a, p. 4, emphasis added]" in the suffix.
            gap = "" if cite.suffix[0] in ",.;:" else " "
            extra["suffix"] = gap + self.format.encode(cite.suffix)
        item = CitationItem(self._ids[cite.key], **extra)
        # Set as keys, not keyword arguments: citeproc-py warns about unknown ones.
        if cite.mode != "normal":
            dict.__setitem__(item, intext.MODE, cite.mode)
        if names is not None and names.names:
            encoded = {k: self.format.encode(v) for k, v in names.names.items()}
            dict.__setitem__(item, intext.NAMES, encoded)
        if names is not None and names.introduce:
            dict.__setitem__(item, intext.INTRODUCE, self.format.encode(names.introduce))
        return item

    def _sources(self, keys: Iterable[str] | None, findings: list[Finding]) -> list[Source]:
        if keys is None:
            return list(self.library)
        sources: dict[str, Source] = {}
        for key in keys:
            source = self.library.get(key)
            if source is None:
                if not any(f.code == "PC102" and f.location.key == key for f in findings):
                    findings.append(
                        Finding(
                            "PC102",
                            f"no source with key {key!r}",
                            location=Location(key=key),
                            hint="add it to the library or fix the key",
                        )
                    )
                continue
            sources.setdefault(key, source)
        return list(sources.values())


def _missing(item: CitationItem) -> str:  # pragma: no cover - keys are checked beforehand
    return f"{item.key}?"


def render_bibliography(
    library: Library,
    style: str = "apa",
    *,
    locale: str | None = None,
    output: str = "text",
    keys: Iterable[str] | None = None,
) -> RenderResult:
    """Render the bibliography of a library (or of ``keys`` in it)."""
    return Renderer(library, style, locale=locale, output=output).bibliography(keys)


def render_citations(
    library: Library,
    clusters: Sequence[Cluster],
    style: str = "apa",
    *,
    locale: str | None = None,
    output: str = "text",
) -> RenderResult:
    """Render citation clusters against a library, as one document (see Renderer.citations)."""
    return Renderer(library, style, locale=locale, output=output).citations(clusters)


def render_document(
    library: Library,
    clusters: Sequence[Cluster],
    style: str = "apa",
    *,
    locale: str | None = None,
    output: str = "text",
    keys: Iterable[str] | None = None,
) -> DocumentResult:
    """A document's citations and its reference list in one run, with the same year letters.

    The reference list holds the cited works, and those of ``keys`` (e.g. ``library.keys``
    for the whole library).
    """
    renderer = Renderer(library, style, locale=locale, output=output)
    return renderer.document(clusters, keys)
