"""CSL disambiguation over a whole document, as citeproc-js does it.

citeproc-py does none. Cites are ambiguous when they render alike in their "subsequent"
form (position subsequent, near-note: what citeproc-js compares, so that a note style's
short notes decide). Each set of alike cites then goes through the style's methods in
citeproc-js's order (its ``CSL.Disambiguation``):

1. ``disNames``: with ``disambiguate-add-names``, names hidden by et-al abbreviation
   are added one at a time; with ``disambiguate-add-givenname`` and the ``by-cite``
   rule, initials then full given names are added to the names shown, name by name;
   a cite keeps the least expansion that set it apart;
2. ``disYears``: ``disambiguate-add-year-suffix`` letters the cites still alike, in
   bibliography order;
3. ``disExtraText``: cites still alike render ``cs:if disambiguate="true"`` branches.

The global ``givenname-disambiguation-rule`` values (all-names, all-names-with-initials,
primary-name, primary-name-with-initials) act before all that and for every cite: a
rendered family name standing for two people gets initials or its given name wherever
it appears (:class:`~.fixes.disambiguation.NameRegistry`).

Which cites are alike is decided as citeproc-js decides it (its "akey"): by the cite
rendered with every name at the style's given-name level, before the global rules add
initials. All "Ålund, 2018" cites are one set, whether the rules then print "C. Ålund"
or "F. Ålund", and the year suffixes are lettered over the part of it that stays alike
when suffixes come to be tried.

In a note style's document, citeproc-js runs a set again each time one of its items is
cited for the first or second time, comparing cites with their note numbers
(first-reference-note-number); :meth:`Disambiguator.rerun_notes` replays those runs and
gives each cite the config it last rendered with.

Cost: every item's cite renders once; only sets of alike cites do more work, so a large
bibliography stays linear.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from citeproc import model
from citeproc import source as citeproc_source

from policycite.render import parallel
from policycite.render.fixes.conditions import AMBIGUOUS, COUNTER, put_config
from policycite.render.fixes.disambiguation import (
    CITE_CONFIG,
    CONFIG,
    FULL,
    INITIALS,
    PROBE,
    REGISTRY,
    TRACE,
    YEAR_SUFFIX,
    Config,
    NameRegistry,
    NameTrace,
)
from policycite.render.fixes.positions import FIRST_NOTE, FIRST_NOTE_VARIABLE
from policycite.render.fixes.sorting import (
    bibliography_sort,
    casing_language,
    lowered,
    lowers_alike,
)

GLOBAL_RULES = (
    "all-names",
    "all-names-with-initials",
    "primary-name",
    "primary-name-with-initials",
)
_OTHER = "\0policycite-other"
CSL = "http://purl.org/net/xbiblio/csl"


@contextlib.contextmanager
def plain_references(items: list[Any]) -> Iterator[None]:
    """The items' references without their disambiguation while the block runs.

    citeproc-js renders sort keys before it disambiguates (``setsortkeys``): keys
    rendered again later must not see the names, condition or suffix it chose.
    """
    saved = []
    for item in items:
        reference = item.reference
        found = {
            key: reference.pop(key) for key in (CONFIG, AMBIGUOUS, YEAR_SUFFIX) if key in reference
        }
        saved.append((reference, found))
    try:
        yield
    finally:
        for reference, found in saved:
            reference.update(found)


class _Earlier:
    """An earlier cite, as position tests read one: a key, in a cluster of its own."""

    has_locator = False
    locator = None

    def __init__(self, key: str) -> None:
        self.key = key
        self.citation = self


class Disambiguator:
    """Decides every item's cite form; ``run()`` leaves it on the items' references.

    ``bibliography`` is the processor's, its items registered and sorted;
    ``make_item(key)`` builds a citation item of the processor. The name registry and
    the names trace are kept on the bibliography, where the cs:name fix finds them.
    """

    def __init__(self, bibliography: Any, make_item: Callable[[str], Any]) -> None:
        self.bibliography = bibliography
        self.style = bibliography.style
        self.root = self.style.root
        self.citation = self.root.citation
        self.layout: Any = self.citation.layout if self.citation is not None else None
        self.items = list(bibliography.items)
        self.make_item = make_item
        get = self.citation.get if self.citation is not None else (lambda *_: None)
        self.add_names = get("disambiguate-add-names") == "true"
        self.add_givenname = get("disambiguate-add-givenname") == "true"
        self.rule = get("givenname-disambiguation-rule") or "by-cite"
        # citeproc-js reads disambiguate-add-year-suffix in no numeric style.
        self.add_year_suffix = (
            get("disambiguate-add-year-suffix") == "true" and self.root.get("class") != "numeric"
        )
        self.has_condition = bool(
            self.root.xpath(
                "//cs:if[@disambiguate='true'] | //cs:else-if[@disambiguate='true']",
                namespaces={"cs": CSL},
            )
        )
        modes = []
        if self.add_names or (self.add_givenname and self.rule == "by-cite"):
            modes.append("names")
        if self.add_year_suffix:
            modes.append("years")
        if self.has_condition:
            modes.append("condition")
        self.modes = modes
        self.order = {item.key: n for n, item in enumerate(self.items)}
        #: The language the bibliography was sorted in (``order``), and the items' order
        #: of registration (citeproc-js's, for ties).
        self.lowering: str | None = getattr(bibliography, "lowering", None)
        registered = getattr(bibliography, "registered", None) or {}
        self.registered: dict[str, int] = {
            item.key: registered.get(item.key, n) for n, item in enumerate(self.items)
        }
        #: Each set of alike cites' last item rendered (by its first item's key).
        self.last_scanned: dict[str, str] = {}
        #: The item ids as the caller knows them (citation keys), for citeproc-js's order.
        self.public_ids: dict[str, str] = dict(getattr(bibliography, "public_ids", {}))
        self.traces: dict[str, list[NameTrace]] = {}
        self._renders: dict[Any, tuple[str, int, int]] = {}
        #: The disambiguate tests of the last cite rendered: (passed, evaluated).
        self.counts = (0, 0)
        #: Whether the registry holds every name a cite can render (see ``run``).
        self._complete = False
        #: Item key -> the note number its subsequent cites print, while a document's
        #: sets are run again with them (see ``rerun_notes``).
        self.notes: dict[str, int] = {}
        #: The sets of alike cites, and every item's config, as the first run left them.
        self.alike: list[list[Any]] = []
        self.configs: dict[str, Config] = {}
        #: Every set of cites alike, lone cites too (in bibliography order).
        self.groups: list[list[Any]] = []

    # -- rendering probes ------------------------------------------------------------------

    def render(self, item: Any, config: Config | None) -> str:
        """The item's cite in the subsequent form, rendered with ``config`` (memoised).

        Configs that ask for what the item cannot show (a fourth name of three) render
        as the config it can: one rendering serves them all.
        """
        key = self._signature(item, config)
        if key is None:
            return self._render(item, config)
        found = self._renders.get(key)
        if found is None:
            text = self._render(item, config)
            self._renders[key] = (text, COUNTER[0], COUNTER[1])
            self.counts = (COUNTER[0], COUNTER[1])
            return text
        text, *counts = found
        self.counts = (counts[0], counts[1])
        return text

    def _signature(self, item: Any, config: Config | None) -> Any:
        trace = self.traces.get(item.key)
        if trace is None or config is None:
            return None
        names = []
        givens = []
        for k, nameset in enumerate(trace):
            wanted = config.names[k] if k < len(config.names) else None
            shown = min(max(wanted or 0, nameset.shown), nameset.total)
            requested = config.givens[k] if k < len(config.givens) else []
            levels = tuple(
                max(requested[j] if j < len(requested) else nameset.base, nameset.base)
                for j in range(shown)
            )
            names.append(shown)
            givens.append(levels)
        registry: NameRegistry | None = getattr(self.bibliography, REGISTRY, None)
        version = registry.version if registry is not None else 0
        note = self.notes.get(item.key)
        return item.key, tuple(names), tuple(givens), config.disambiguate, version, note

    def _default(self, item: Any) -> Config:
        """The config that renders as the style does by default (from the item's trace)."""
        trace = self.traces[item.key]
        return Config([t.shown for t in trace], [list(t.levels) for t in trace])

    def _render(self, item: Any, config: Config | None) -> str:
        reference = item.reference
        if config is None:
            reference.pop(CONFIG, None)
            reference.pop(AMBIGUOUS, None)
        else:
            reference[CONFIG] = config
            reference[AMBIGUOUS] = config.disambiguate
        reference.pop(YEAR_SUFFIX, None)
        # Cited before, in another note, and something else cited since: "subsequent"
        # and "near-note", never "ibid".
        # The layout's children alone: what tells cites apart is the same, and the
        # cluster's machinery (sorting, collapsing, affixes) is skipped.
        self.citation.cites = [_Earlier(item.key), _Earlier(_OTHER)]
        cite = self.make_item(item.key)
        dict.__setitem__(cite, PROBE, True)
        citeproc_source.Citation([cite]).bibliography = item.bibliography
        layout = self.layout
        layout.repressed = {}
        note = self.notes.get(item.key) if config is not None else None
        if note is not None:
            dict.__setitem__(reference, FIRST_NOTE_VARIABLE, str(note))
        try:
            return str(layout.render_children(cite))
        except model.VariableError:
            return ""
        finally:
            if note is not None:
                dict.pop(reference, FIRST_NOTE_VARIABLE, None)

    def traced(self, item: Any) -> tuple[str, list[NameTrace]]:
        """The item's default cite and what its cs:name elements rendered."""
        trace: list[NameTrace] = []
        setattr(self.bibliography, TRACE, trace)
        try:
            return self._render(item, None), trace
        finally:
            setattr(self.bibliography, TRACE, None)

    def _remember(self, item: Any, text: str) -> None:
        """The default rendering, as the rendering of the config that asks for it."""
        key = self._signature(item, self._default(item))
        if key is not None:
            self._renders[key] = (text, 0, 0)

    # -- the whole run ---------------------------------------------------------------------

    def run(self) -> None:
        """Disambiguate: each item's Config, suffix and condition flag on its reference."""
        for item in self.items:
            for key in (CONFIG, AMBIGUOUS, YEAR_SUFFIX):
                item.reference.pop(key, None)
        setattr(self.bibliography, REGISTRY, None)
        if self.citation is None or not (self.modes or self.add_givenname):
            return
        registry = None
        if self.add_givenname and self.rule in GLOBAL_RULES:
            particle = self.root.get("demote-non-dropping-particle") == "never"
            registry = NameRegistry(self.rule, particle)
            setattr(self.bibliography, REGISTRY, registry)
        # Under the primary-name rules, the names a bibliography registers are the first
        # of each name variable: every name a cite can count. Registered up front, every
        # cite renders once, with the registry it will finally render with.
        complete = (
            registry is not None
            and self.rule.startswith("primary-")
            and self.style.has_bibliography()
        )
        if registry is not None and complete:
            self._bibliography_names(registry)
        self._complete = complete
        rendered: dict[str, str] = {}
        traces = self.traces
        # Cites are alike when they render alike with the names at the style's level:
        # citeproc-js works out its ambiguity key before the global rules apply, so
        # "(C. Ålund, 2018)" and "(F. Ålund, 2018)" are one set ("Ålund, 2018"), lettered
        # together when year suffixes are needed.
        if registry is not None:
            registry.applied = False
        try:
            remembered = self._trace_all(rendered, traces, registry)
        finally:
            if registry is not None:
                registry.applied = True
        for item in self.items:
            if item.key in remembered:  # worked out in a worker process
                key = remembered[item.key]
                if key is not None:
                    self._renders[key] = (rendered[item.key], 0, 0)
            elif registry is None or not self._raised(registry, traces[item.key]):
                self._remember(item, rendered[item.key])
        try:
            self._cites(rendered, traces)
        finally:
            if registry is not None:
                # Registered up front already (complete): the registry only grows, so a
                # second pass over 10,000s of names would change nothing.
                if self.style.has_bibliography() and not complete:
                    self._bibliography_names(registry)
                registry.open = False

    def _trace_all(
        self,
        rendered: dict[str, str],
        traces: dict[str, list[NameTrace]],
        registry: NameRegistry | None,
    ) -> dict[str, Any]:
        """Every item's default cite and names trace, in worker processes when asked.

        The texts do not depend on the order (the registry is not applied while they
        render); what the renders leave behind does: the names each registered. Workers
        return their traces, whose names the registry takes here in item order (the
        very names, and order, a render registers), and the last item renders here, so
        that the layout and the citation are left as a one-process run leaves them.

        Returned: by item key, the signature under which ``run`` remembers the item's
        default rendering (None: not remembered, the global rules raise a name), as the
        workers worked it out; empty when it is to be worked out here. A worker's
        registry holds only the names registered before the fork and those of its own
        renders; when registering every name here leaves the registry's version as it
        was at the fork, no name changed any level, and the workers' answers are this
        process's (else they are dropped).
        """
        items = self.items
        jobs = parallel.resolve_jobs(getattr(self.bibliography, parallel.JOBS, 1), len(items))
        if jobs <= 1:
            for item in items:
                rendered[item.key], traces[item.key] = self.traced(item)
            return {}

        # A trace holds the names of the item's reference (objects the workers share
        # with this process by the fork): they travel as their ids and are put back.
        # (Rich text values are lists too, of text: left out.)
        known = {
            id(name): name
            for item in items
            for value in item.reference.values()
            if type(value) is list
            for name in value
        }
        version = registry.version if registry is not None else 0

        def work(start: int, stop: int) -> list[tuple[str, list[NameTrace], Any]]:
            found = []
            for item in items[start:stop]:
                text, trace = self.traced(item)
                traces[item.key] = trace  # this process's copy, for _default
                key = None
                if registry is None or not self._raised(registry, trace):
                    key = self._signature(item, self._default(item))
                for nameset in trace:
                    nameset.names = [
                        id(name) if known.get(id(name)) is name else _plain(name)
                        for name in nameset.names
                    ]
                found.append((text, trace, key))
            return found

        found = parallel.map_chunks(work, len(items) - 1, jobs)
        register = registry if registry is not None and registry.open else None
        remembered: dict[str, Any] = {}
        for item, (text, trace, key) in zip(items, found, strict=False):
            for nameset in trace:
                nameset.names = [known[n] if isinstance(n, int) else n for n in nameset.names]
                if register is not None:
                    register.add_list(nameset.names)
            rendered[item.key], traces[item.key] = text, trace
            remembered[item.key] = key
        last = items[-1]
        rendered[last.key], traces[last.key] = self.traced(last)
        if registry is not None and registry.version != version:
            return {}
        return remembered

    def _bibliography_names(self, registry: NameRegistry) -> None:
        """Register the names a bibliography renders, as citeproc-js does on rendering it.

        citeproc-js registers every name it renders, the bibliography's too, so a
        person named only in the reference list still makes a cited namesake ambiguous
        ("Tamm, Olev" beside "Tamm, Ott"). The bibliography is rendered after the
        disambiguation run, so only the final renderings see these names.
        """
        name_type = citeproc_source.Name
        for item in self.items:
            for value in item.reference.values():
                if type(value) is list and value and isinstance(value[0], name_type):
                    registry.add_list(value)

    def _cites(self, rendered: dict[str, str], traces: dict[str, list[NameTrace]]) -> None:
        if not self.modes:
            return
        groups: dict[str, list[Any]] = {}
        for item in self.items:
            groups.setdefault(rendered[item.key], []).append(item)
        final: dict[str, Config] = {}
        alike = [group for group in groups.values() if len(group) > 1]
        # Sets of alike cites are independent of each other as long as rendering them
        # registers no name that changes another's rendering: with no registry, or one
        # that holds every name already (the primary-name rules). Then they may run in
        # worker processes.
        registry = getattr(self.bibliography, REGISTRY, None)
        jobs = 1
        if registry is None or self._complete:
            jobs = parallel.resolve_jobs(
                getattr(self.bibliography, parallel.JOBS, 1), sum(len(g) for g in alike)
            )
        runs = parallel.map_chunks(
            lambda start, stop: [
                _Run(self, group, traces).outcome() for group in alike[start:stop]
            ],
            len(alike),
            jobs,
        )
        for group, (result, last) in zip(alike, runs, strict=True):
            final.update(result)
            self.last_scanned[group[0].key] = last
        self.groups = list(groups.values())
        self.alike = alike
        for item in self.items:
            config = final.get(item.key)
            if config is not None:
                if self.rule == "by-cite":
                    _full_without_initials(config, self.traces.get(item.key) or [])
                self.configs[item.key] = config
            put_config(item.reference, config)

    def last_rendered(self) -> Any | None:
        """The item citeproc-js renders last before it sorts the bibliography (or None).

        citeproc-js registers every item, renders its sort keys in registration order,
        then runs disambiguation set by set (``setdisambigs``), in the order each set's
        first item was registered, a lone cite too, and sorts last (``sorttokens``).
        The item: the last registered without disambiguation; else the last set's lone
        item, or the last item its run rendered.
        """
        if not self.items:
            return None
        registered = self.registered
        if not self.modes or not self.groups:
            return max(self.items, key=lambda item: registered[item.key])
        last = max(self.groups, key=lambda group: min(registered[i.key] for i in group))
        if len(last) == 1:
            return last[0]
        found = self.last_scanned.get(last[0].key)
        return next((item for item in last if item.key == found), last[-1])

    def suffix_order(self, items: list[Any]) -> list[Any]:
        """Alike cites in the order their year suffixes are lettered.

        citeproc-js sorts them with the bibliography's comparator (``disYears``), its
        keys lower-cased in the language of the set's last item, which it rendered last
        (``items`` is the set in its run's order); ties in registration order. That is
        the bibliography's order unless the language lower-cases otherwise than the one
        the bibliography was sorted in.
        """
        order = self.order
        by_list = sorted(items, key=lambda item: order[item.key])
        sort = bibliography_sort(self.root)
        if self.lowering is None or sort is None or len(items) < 2:
            return by_list
        language = casing_language(items[-1], self.root)
        if lowers_alike(language, self.lowering):
            return by_list
        registered = self.registered
        ordered = sorted(items, key=lambda item: registered[item.key])
        with plain_references(ordered), lowered(sort, language):
            found: list[Any] = sort.sort(ordered, self.root.bibliography.layout)
        return found

    # -- a note style's document ------------------------------------------------------------

    def rerun_notes(self, citations: list[tuple[int, list[Any]]]) -> None:
        """Sets of alike cites run again with their note numbers, as citeproc-js does.

        ``citations`` are a note style's clusters in document order: the note number and
        the cites, their positions set (``FIRST_NOTE``). citeproc-js registers every item
        before the document and runs disambiguation without note numbers (what
        ``run`` does); then, in a note style with a disambiguate condition, each cluster
        where an item is cited for the first or second time runs the item's set again,
        comparing each cite with the note number of its first cite printed (for an item
        cited since in a later note), and renders again every cluster citing it. A set's
        run keeps what the previous run registered where it registers nothing (year
        suffixes found without note numbers stay when the numbers tell cites apart).

        Each cite whose config so comes out other than its item's gets it in
        ``CITE_CONFIG``, which the layout's note-disambiguation fix puts on the item
        while the cite renders.
        """
        if (
            not self.alike
            or not self.has_condition
            or self.rule != "by-cite"
            or self.root.get("class") != "note"
            or not self.root.xpath(
                "//cs:text[@variable='first-reference-note-number']",
                namespaces={"cs": CSL},
            )
        ):
            return
        group_of = {item.key: group for group in self.alike for item in group}
        clusters: dict[str, list[int]] = {}
        first_note: dict[str, int] = {}
        noted: dict[str, int] = {}
        for t, (_, cites) in enumerate(citations):
            for cite in cites:
                key = cite.key
                if key not in group_of:
                    continue
                seen = clusters.setdefault(key, [])
                if not seen or seen[-1] != t:
                    seen.append(t)
                number = dict.get(cite, FIRST_NOTE)
                if number and key not in noted:
                    noted[key], first_note[key] = t, int(number)
        if not noted:
            return
        # When each set runs: at an item's first and second cluster (citeproc-js's
        # citation-count crossing 2); a cluster renders last at the second cluster of
        # any item it cites, if later.
        runs: dict[int, list[list[Any]]] = {}
        for key, seen in clusters.items():
            for t in seen[:2]:
                sets = runs.setdefault(t, [])
                if not any(g is group_of[key] for g in sets):
                    sets.append(group_of[key])
        last: dict[int, int] = {}
        for c, (_, cites) in enumerate(citations):
            last[c] = max(
                [c]
                + [clusters[cite.key][1] for cite in cites if len(clusters.get(cite.key, ())) > 1]
            )
        by_time: dict[int, list[int]] = {}
        for c, t in last.items():
            by_time.setdefault(t, []).append(c)
        state: dict[str, Config | None] = {
            item.key: self.configs.get(item.key) for group in self.alike for item in group
        }
        changed = False
        for t in sorted(set(runs) | set(by_time)):
            for group in runs.get(t, ()):
                notes = {
                    item.key: first_note[item.key]
                    for item in group
                    if noted.get(item.key, len(citations)) <= t
                }
                if not notes:
                    continue  # the first run's renderings: its result
                self.notes = notes
                try:
                    result = _Run(self, group, self.traces, state).run()
                finally:
                    self.notes = {}
                for key, config in result.items():
                    _full_without_initials(config, self.traces.get(key) or [])
                    state[key] = config
                changed = True
            if not changed:
                continue
            for c in by_time.get(t, ()):
                for cite in citations[c][1]:
                    if cite.key in state and state[cite.key] is not self.configs.get(cite.key):
                        dict.__setitem__(cite, CITE_CONFIG, state[cite.key])
        # The probes left their configs on the references: the first run's back.
        for group in self.alike:
            for item in group:
                put_config(item.reference, self.configs.get(item.key))

    @staticmethod
    def _raised(registry: NameRegistry, trace: list[NameTrace]) -> bool:
        """Whether the global rules render any of the traced names above its level."""
        return any(
            registry.level(name, index, nameset.levels[index], nameset.initialize)
            != nameset.levels[index]
            for nameset in trace
            for index, name in enumerate(nameset.names)
        )


def _full_without_initials(config: Config, trace: list[NameTrace]) -> None:
    """Initials asked of a name its cite shows without initialize-with: the full name.

    The cite prints the given name in full either way, and citeproc-js then marks the
    name to be printed in full wherever it appears (its full-form-always): "Aris,
    Maren" in a reference list that otherwise initializes ("Aris, M.").
    """
    for k, levels in enumerate(config.givens):
        if k < len(trace) and not trace[k].initialize:
            config.givens[k] = [FULL if level == INITIALS else level for level in levels]


def _plain(name: Any) -> Any:
    """A name rendered from a value of its own, as a plain dict a worker can send back."""
    if not isinstance(name, dict):
        return name
    return {k: str.__str__(v) if isinstance(v, str) else v for k, v in name.items()}


class _Run:
    """citeproc-js's ``CSL.Disambiguation`` run on one set of alike cites."""

    def __init__(
        self,
        owner: Disambiguator,
        group: list[Any],
        traces: dict[str, Any],
        start: dict[str, Config | None] | None = None,
    ) -> None:
        self.owner = owner
        self.modes = owner.modes
        self.result: dict[str, Config] = {}
        self.max_names: dict[str, list[int]] = {}
        base: Config | None = None
        for item in group:
            trace = traces[item.key]
            self.max_names[item.key] = [t.total for t in trace]
            this = Config([t.shown for t in trace], [list(t.levels) for t in trace])
            # Run again, a set starts from the names its items were given (citeproc-js's
            # base only goes forward): "Kask, Lind, and Tamm" stays.
            known = start.get(item.key) if start is not None else None
            if known is not None and len(known.names) == len(this.names):
                this = Config(list(known.names), [list(g) for g in known.givens])
            if base is None:
                base = this
                continue
            if len(this.names) < len(base.names):
                base = Config(this.names, this.givens)
            for k in range(len(this.names)):
                if k < len(base.names) and (base.names[k] or 0) < (this.names[k] or 0):
                    base.names[k] = this.names[k]
                    base.givens[k] = list(this.givens[k])
        assert base is not None
        self.base = base
        self._pad(self.base)
        self.better = self.base.copy()
        # citeproc-js sorts by the name counts, then the id, both compared as JavaScript
        # compares them: arrays as their strings ("10" before "4"), ids as the caller's
        # keys (policycite's internal ids would order a set differently).
        public = owner.public_ids
        ordered = sorted(
            group,
            key=lambda i: (
                ",".join(str(n) for n in self.max_names[i.key]),
                public.get(i.key, str(i.key)),
            ),
        )
        self.lists: list[tuple[Config, list[Any]]] = [(self.base, ordered)]
        first = ordered[0]
        names_max = self.max_names[first.key]
        self.names_max: int | None = names_max[0] if names_max else None
        self.namesets_max = len(self.base.names) - 1
        self.givens_max = 2 if owner.add_givenname and owner.rule == "by-cite" else None
        self.mode = 0
        self.last: str = ordered[-1].key

    def _pad(self, config: Config) -> None:
        while len(config.givens) < len(config.names):
            config.givens.append([])
        for k, count in enumerate(config.names):
            while len(config.givens[k]) < (count or 0):
                config.givens[k].append(0)

    def register(self, item: Any, config: Config) -> None:
        self.result[item.key] = config.copy()

    def outcome(self) -> tuple[dict[str, Config], str]:
        """The run's result and the key of the item it rendered last."""
        result = self.run()
        return result, self.last

    def run(self) -> dict[str, Config]:
        self.init_givens = True
        guard = 0
        while self.lists:
            self.gnameset = 0
            self.gname = 0
            self.clashes = [1, 0]
            while self.lists[0][1]:
                guard += 1
                if guard > 10000:  # citeproc-js's loop has no bound; ours has one
                    break
                self.listpos = 0
                maxed = self.increment()
                self.scan(self.lists[0])
                self.evaluate(maxed)
            self.lists = self.lists[1:]
        return self.result

    def scan(self, entry: tuple[Config, list[Any]]) -> None:
        items = entry[1]
        render = self.render
        self.item = items[0]
        mine = render(self.item)
        self.partners = [self.item]
        self.nonpartners = []
        clashes = 0
        for other in items[1:]:
            if render(other) == mine:
                clashes += 1
                self.partners.append(other)
            else:
                self.nonpartners.append(other)
        self.clashes = [self.clashes[1], clashes]
        self.last = items[-1].key

    def render(self, item: Any) -> str:
        """The item's cite with the base config, which the rendering narrows.

        citeproc-js renders with the base config as its settings, and a nameset
        records the names it showed there: asking for more names than an item has
        leaves the base at that item's count for every later rendering (four names
        asked of a three-name item: a four-name item then shows three and "et al.").
        """
        names = self.base.names
        for k, total in enumerate(self.max_names[item.key][: len(names)]):
            wanted = names[k]
            if wanted is not None and wanted > total:
                names[k] = total
        return self.owner.render(item, self.base)

    def evaluate(self, maxed: bool) -> None:
        getattr(self, f"_{self.modes[self.mode]}")(maxed)
        if maxed:
            if self.mode < len(self.modes) - 1:
                self.mode += 1
            else:
                self._set(self.listpos + 1, (self.base, []))

    def _set(self, position: int, entry: tuple[Config, list[Any]]) -> None:
        if position < len(self.lists):
            self.lists[position] = entry
        else:
            self.lists.append(entry)

    def _capture(self) -> None:
        if self.owner.rule == "by-cite" and self.base.givens:
            k, j = self.gnameset, self.gname
            if k < len(self.base.givens) and j < len(self.base.givens[k]):
                while len(self.better.givens) <= k:
                    self.better.givens.append([])
                while len(self.better.givens[k]) <= j:
                    self.better.givens[k].append(0)
                self.better.givens[k][j] = self.base.givens[k][j]
        if self.gnameset < len(self.base.names):
            while len(self.better.names) <= self.gnameset:
                self.better.names.append(None)
            self.better.names[self.gnameset] = self.base.names[self.gnameset]

    def _names(self, maxed: bool) -> None:
        if self.clashes[1] == 0 and len(self.nonpartners) == 1:
            self._capture()
            self.register(self.nonpartners[0], self.better)
            self.register(self.partners[0], self.better)
            self.lists[self.listpos] = (self.better, [])
        elif self.clashes[1] == 0:
            self._capture()
            self.register(self.partners[0], self.better)
            self.lists[self.listpos] = (self.better, self.nonpartners)
            if self.nonpartners:
                self.init_givens = True
        elif len(self.nonpartners) == 1:
            self._capture()
            self.register(self.nonpartners[0], self.better)
            self.lists[self.listpos] = (self.better, self.partners)
        elif self.clashes[1] < self.clashes[0]:
            self._capture()
            self.lists[self.listpos] = (self.better, self.partners)
            self.lists.append((self.better, self.nonpartners))
        elif maxed:
            self.lists[self.listpos] = (self.better, self.nonpartners)
            self.lists.append((self.better, self.partners))
            if self.mode == len(self.modes) - 1:
                for item in self.partners:
                    self.register(item, self.better)
                self.lists[self.listpos] = (self.better, [])

    def _years(self, maxed: bool) -> None:
        base = self.lists[self.listpos][0]
        items = self.lists[self.listpos][1]
        if self.clashes[1]:
            for number, item in enumerate(self.owner.suffix_order(items)):
                config = base.copy()
                config.year_suffix = number
                self.result[item.key] = config
        self.lists[self.listpos] = (self.better, [])

    def _condition(self, maxed: bool) -> None:
        """citeproc-js's disExtraText: raise the disambiguate level until cites differ.

        Each level lets one more cs:if disambiguate="true" pass (in rendering order);
        it stops when the cites differ or every test evaluated passed.
        """
        done = self.clashes[1] == 0 and len(self.nonpartners) < 2
        passed, evaluated = self.owner.counts
        if not done and (not self.base.disambiguate or passed != evaluated):
            self.mode = 0
            self.base.disambiguate = self.better.disambiguate = passed
            if not self.base.disambiguate:
                self.init_givens = True
                self.base.disambiguate = 1
            else:
                self._names(False)
            return
        if done or self.mode == len(self.modes) - 1:
            base = self.lists[self.listpos][0]
            for item in self.lists[self.listpos][1]:
                self.register(item, base)
            self.lists[self.listpos] = (self.better, [])
            return
        # Year suffixes follow: keep the level (the condition may add the date).
        self.mode = len(self.modes) - 1
        base = self.lists[self.listpos][0]
        base.disambiguate = 1
        for item in self.lists[self.listpos][1]:
            self.register(item, base)

    def increment(self) -> bool:
        if self.init_givens:
            self.init_givens = False
            return False
        if self.modes[self.mode] == "condition":
            self.base.disambiguate += 1
            self.better.disambiguate += 1
            return False
        if self.modes[self.mode] != "names":
            return False
        base = self.base
        k = self.gnameset
        increment_names = self.givens_max is None
        increment_namesets = self.names_max is None
        if self.givens_max is not None:
            givens = base.givens[k] if k < len(base.givens) else None
            if givens is not None and self.gname < len(givens) and givens[self.gname] < 2:
                givens[self.gname] += 1
            else:
                increment_names = True
        if self.names_max is not None and increment_names:
            if self.owner.add_names:
                increment_namesets = False
                if self.gname < self.names_max:
                    base.names[k] = (base.names[k] or 0) + 1
                    self.gname += 1
                    # A name shown anew starts at the level its form gives it.
                    while len(base.givens) <= k:
                        base.givens.append([])
                    while len(base.givens[k]) < (base.names[k] or 0):
                        base.givens[k].append(0)
                else:
                    increment_namesets = True
            else:
                increment_namesets = True
        if increment_namesets and self.gnameset < self.namesets_max:
            self.gnameset += 1
            k = self.gnameset
            base.names[k] = 1
            self.gname = 0
        k = self.gnameset
        givens = base.givens[k] if k < len(base.givens) else None
        return (
            (self.namesets_max <= 0 or self.gnameset == self.namesets_max)
            and (not self.owner.add_names or self.names_max is None or self.gname == self.names_max)
            and (
                self.givens_max is None
                or givens is None
                or self.gname >= len(givens)
                or givens[self.gname] == self.givens_max
            )
        )
