"""Speed: a macro or cs:date renders once per distinct set of values it reads, per run.

A brief's reference list cites the same issuing body, outlet and date over and over:
APA's "author" macro rendered the same ministry's name for a tenth of a 10,000-entry
synthetic list, and every cite of it in the disambiguation's probes again. What a
macro or cs:date that reads only the item's fields (the plans of :mod:`.emptyoutcomes`)
prints is decided by the *key*:

* the values of the variables on its path (:func:`path_reads`: the branches the item's
  type and set variables take, not a cs:substitute whose names print), which of the
  variables it reads are set, the item's type (not for a cs:date) and language; of a
  single date, a cs:date reads only the parts it prints (:func:`hidden_parts`: the year
  of "2021-05-06" where it prints the year);
* the run (the memo lives on citeproc-py's bibliography object): the layout, the names
  registry's version, the names and given names the disambiguation adds for the item,
  its year suffix where a date can print it, and a sort key's options;
* the entry or cite's state when it starts: the variables a substitute suppressed, the
  implicit suffix printed (``layout.repressed``), whether the author is still to be
  captured (:mod:`.collapse`), :data:`.groups.SUBSTITUTED` (kept as it is by a path
  without cs:names);
* in a cite: the cite's own fields (locator, affixes, mode), whether its item was cited
  before (et-al-subsequent options), the narrative flag, the lead-term flags
  (:mod:`.leadterm`) and the registry's open and applied flags.

The first render of a key is watched; later renders replay what it did: the output (a
copy: callers extend the lists and mark the strings they get), the enclosing group's
flags (:mod:`.groups`), :data:`.groups.SUBSTITUTED`, the state it left (suppressed
variables, the captured author, the lead-term flags), the names traces it appended for
the disambiguation (rebuilt with the item's own names), or the VariableError it raised.
A render that changed the names registry is not kept.

Never memoised: renders counting parentheses (:mod:`.braces`), cites collapsing years,
renders while names are recorded (subsequent-author-substitute, a substitute's
suppression list) or while the cs:names fixes have state pending. An element that keeps
missing (titles: a key per item) stops once fewer than 1 in 32 of its keys hit (judged
from its 256th key on, in the bibliography and in cites apart), so unique values cost
one lookup and little is kept for them.

``POLICYCITE_VERIFY_OUTCOMES=1`` renders every replay for real as well and raises
AssertionError when the two differ in output or in any effect above (used over the
style catalogue; ``tests/test_fixes.py`` runs it on five styles).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from citeproc import model
from citeproc import source as citeproc_source

from policycite.render.fixes import absentnames, braces, collapse, groups, names
from policycite.render.fixes.conditions import AMBIGUOUS, RECORDING
from policycite.render.fixes.disambiguation import (
    CONFIG,
    NAMESET,
    REGISTRY,
    TRACE,
    YEAR_SUFFIX,
    NameTrace,
    implicit_year_suffix,
)
from policycite.render.fixes.emptyoutcomes import (
    _CALLING,
    Plan,
    _keys,
    _macros,
    _read_keys,
    _reads,
    _replayed,
    on_clear_frame,
    plan_of,
)
from policycite.render.fixes.intext import NARRATIVE
from policycite.render.fixes.leadterm import STATE as LEAD
from policycite.render.fixes.sorting import shown_parts
from policycite.render.fixes.substitute import WHOLE

_CSL = "{http://purl.org/net/xbiblio/csl}"
_DATE = f"{_CSL}date"
_TEXT = f"{_CSL}text"
_MEMO = "_policycite_value_outcomes"
_CANONICAL = ("_policycite_canonical_values", "_policycite_canonical_sort_values")
#: An element's [keys, hits], in bibliography entries and in cites.
_STATS = ("_policycite_value_stats", "_policycite_value_cite_stats")
_IDS = "_policycite_value_ids"
_DATE_PLAN = "_policycite_value_date_plan"
_IMPLICIT = "_policycite_value_implicit_suffix"
_SUFFIXED = frozenset({YEAR_SUFFIX})
#: A cite's fields that name its item or its citation (positions, which plans leave
#: out, are all that is read of the citation), not what it prints.
_CITE_IDS = frozenset({"key", "id", "citation"})
#: Where a key holds the entry state it starts from, and whether it captures the author.
_STATE, _CAPTURING = 11, 12
#: Entry state a cs:date does not read: the names substitutes suppressed, and counted.
_NOT_DATES = frozenset({f"{_CSL}names", NAMESET})
_LAYOUT = "_policycite_value_layout"
#: Keys of an element after which its hits are judged: it stops being memoised once
#: fewer than one key in _HIT_SHARE has hit.
_TRIAL, _HIT_SHARE = 256, 32
#: The layout state the first cs:names of an entry or cite sets (:mod:`.collapse`).
_CAPTURED = (collapse.CAPTURE, collapse.CAPTURE_RICH, collapse.CAPTURE_NAMED)
#: A value with no canonical form here (an object this module does not know).
_OPAQUE = object()
_VERIFY = os.environ.get("POLICYCITE_VERIFY_OUTCOMES") == "1"


#: The least elements (its macros' included) a macro must hold to be memoised: a key
#: costs about what rendering a few elements does.
_MINIMUM_SIZE = 12


def applies(element: Any) -> bool:
    """Whether a cs:macro or cs:date reads nothing but the item's fields, worth a key.

    A cs:date is (localized formats, date parts, ranges): about ten keys' worth. Of the
    groups only a citation layout's own: a whole cite ("Kask & Lind, 2021") rendered
    again for every item of a clashing set in the disambiguation; those inside macros
    are cheap, and each memo lookup costs a key.
    """
    if element.tag == f"{_CSL}date":
        return _date_plan(element) is not None
    if element.tag == f"{_CSL}group":
        layout = element.getparent()
        owner = layout.getparent() if layout is not None else None
        if owner is None or owner.tag != f"{_CSL}citation":
            return False
    elif element.tag != f"{_CSL}macro":
        return False
    if plan_of(element) is None:
        return False
    return sum(1 for _ in _nodes(element)) >= _MINIMUM_SIZE


def _date_plan(element: Any) -> Any:
    """A cs:date's plan (what it reads); None when it reads more than its variable."""
    state = element.__dict__
    if _DATE_PLAN not in state:
        reads = _reads(element, _macros(element.getroottree().getroot()))
        state[_DATE_PLAN] = (
            None
            if reads is None or reads is _CALLING
            else Plan(set(reads.strict), set(reads.plain), set(reads.tested), False)
        )
    return state[_DATE_PLAN]


def _nodes(element: Any) -> Iterator[Any]:
    """The nodes of a subtree, those of the macros it calls included (each macro once)."""
    macros = _macros(element.getroottree().getroot())
    seen: set[str] = set()
    pending = [element]
    while pending:
        for node in pending.pop().iter():
            yield node
            name = node.get("macro") if node.tag == _TEXT else None
            if name is not None and name in macros and name not in seen:
                seen.add(name)
                pending.append(macros[name])


def canonical(value: Any) -> Any:
    """A hashable form of a field value equal for values that render alike.

    The class is part of it (rich text: a nocase or upright span renders unlike plain
    text), and so are the attributes a value carries (a translated title's original).
    _OPAQUE for what it does not know.
    """
    kind = type(value)
    if kind is str or kind is int:
        return value
    if isinstance(value, str):
        extra: list[Any] = [kind, str(value)]
        state = getattr(value, "__dict__", None)
        if state:
            extra += sorted((k, canonical(v)) for k, v in state.items())
        for cls in kind.__mro__:
            for slot in cls.__dict__.get("__slots__", ()):
                extra.append((slot, canonical(getattr(value, slot, None))))
        return _OPAQUE if any(e is _OPAQUE for e in extra) else tuple(extra)
    if isinstance(value, list):
        parts = tuple(canonical(v) for v in value)
        return _OPAQUE if any(p is _OPAQUE for p in parts) else (kind, parts)
    if isinstance(value, dict):
        pairs = tuple(sorted((str(k), canonical(v)) for k, v in value.items()))
        return _OPAQUE if any(p[1] is _OPAQUE for p in pairs) else (kind, pairs)
    if value is None or kind is bool or kind is float:
        return (kind, value)
    return _OPAQUE


_PATHS = "_policycite_value_paths"
#: Condition attributes decided by the item's type and which variables it has.
_DECIDABLE = frozenset({"type", "variable", "match"})
#: Attributes of cs:if whose variables are read for their values.
_VALUE_TESTS = ("is-numeric", "is-uncertain-date")


def path_reads(
    element: Any, kind: str | None, present: frozenset[str], repressed: frozenset[str]
) -> tuple[tuple[str, ...], dict[str, frozenset[str]]]:
    """The set keys whose values can reach the output of ``element``'s subtree, sorted.

    For an item of type ``kind`` with the keys ``present`` set: branches its type and
    its set variables rule out are not read, nor what follows, in a cs:substitute, a
    cs:names or cs:text of a set variable (it prints instead) unless a substitute has
    suppressed it (``repressed``). A condition decided by anything else is read both
    ways. Worked out once per element, type, set of keys and suppressed keys.

    Also, by key, the fields of a single date that no element on the path prints (see
    hidden_parts): for date variables read by cs:date alone there. A presence test
    and an is-uncertain-date test (the circa flag, always kept) read no part; a
    cs:text of the variable or an is-numeric test reads it whole.
    """
    paths: dict[Any, Any] | None = element.__dict__.get(_PATHS)
    if paths is None:
        paths = element.__dict__[_PATHS] = {}
    found = paths.get((kind, present, repressed))
    if found is None:
        macros = _macros(element.getroottree().getroot())
        walk = _Walk(kind, present, present - repressed, repressed, macros, {})
        reads = _path(element, walk, set()) & present
        dates = {key: parts for key, parts in walk.dates.items() if parts and key in reads}
        found = paths[(kind, present, repressed)] = (tuple(sorted(reads)), dates)
    return found


class _Walk(NamedTuple):
    """What a path through a subtree is decided by (see path_reads)."""

    kind: str | None
    present: frozenset[str]
    #: The set keys that print where reached: not suppressed by a substitute.
    printing: frozenset[str]
    repressed: frozenset[str]
    macros: dict[str, Any]
    #: By key, the date fields no cs:date on the path prints so far (empty: read whole).
    dates: dict[str, frozenset[str]]


def repressed_keys(repressed: dict[Any, Any]) -> frozenset[str]:
    """The reference keys of the variables a substitute suppressed in this entry."""
    found: set[str] = set()
    for value in repressed.values():
        if isinstance(value, list):
            for variable in value:
                found |= _keys(str(variable))
    return frozenset(found)


def _path(element: Any, walk: _Walk, calling: set[str]) -> set[str]:
    tag = element.tag[len(_CSL) :] if isinstance(element.tag, str) else ""
    reads: set[str] = set()
    if tag == "choose":
        for branch in element.iterchildren(f"{_CSL}if", f"{_CSL}else-if", f"{_CSL}else"):
            decided = True if branch.tag == f"{_CSL}else" else _decide(branch, walk)
            if decided is False:
                continue
            if decided is None:
                for test in _VALUE_TESTS:
                    for variable in branch.get(test, "").split():
                        keys = _read_keys(variable)
                        reads |= keys
                        if test == "is-numeric":
                            walk.dates.update(dict.fromkeys(keys, _WHOLE))
            for child in branch.iterchildren():
                reads |= _path(child, walk, calling)
            if decided:
                break
        return reads
    variable = element.get("variable")
    if tag == "substitute":
        # Its first child that prints wins: none after a set role or variable is read.
        for child in element.iterchildren():
            reads |= _path(child, walk, calling)
            if child.tag in (f"{_CSL}names", _TEXT) and any(
                _keys(name) & walk.printing for name in (child.get("variable") or "").split()
            ):
                break
        return reads
    if tag == "names":
        roles = (variable or "").split()
        for role in roles:
            reads |= _read_keys(role)
        printed = any(_keys(role) & walk.printing for role in roles)
        for child in element.iterchildren():
            if child.tag != f"{_CSL}substitute" or not printed:
                reads |= _path(child, walk, calling)
        return reads
    if tag == "text" and variable is None:
        name = element.get("macro")
        if name is not None and name not in calling and name in walk.macros:
            return _path(walk.macros[name], walk, calling | {name})
    elif variable is not None:
        dates = walk.dates
        for name in variable.split():
            keys = _read_keys(name, short=element.get("form") == "short")
            reads |= keys
            hidden = hidden_parts(element) if tag == "date" else _WHOLE
            for key in keys:
                dates[key] = dates.get(key, _HIDEABLE) & hidden
    for child in element.iterchildren():
        reads |= _path(child, walk, calling)
    return reads


def _decide(branch: Any, walk: _Walk) -> bool | None:
    """Whether a cs:if or cs:else-if holds for the item; None when not decided here.

    Not decided either for a variable a substitute suppressed.
    """
    attrib = branch.attrib
    if not set(attrib) <= _DECIDABLE:
        return None
    match = attrib.get("match", "all")
    types = attrib.get("type", "").split()
    if len(types) > 1 and match != "any":
        return None  # how processors read "all" of several types differs
    tests = [walk.kind == t for t in types]
    for variable in attrib.get("variable", "").split():
        keys = _read_keys(variable)
        if keys != _keys(variable) or keys & walk.repressed:
            return None  # a short form or page-first: may be derived from another
        tests.append(bool(keys & walk.present))
    if match == "any":
        return any(tests)
    if match == "none":
        return not any(tests)
    return all(tests)


def _item_values(item: Any, sorting: bool) -> tuple[frozenset[str], dict[Any, int]]:
    """The item's set keys, and its values as small ints (equal for values alike).

    Kept apart for sort keys, which render names with their particles parsed.
    """
    state = item.__dict__
    found: tuple[frozenset[str], dict[Any, int]] | None = state.get(_CANONICAL[sorting])
    if found is None:
        reference = item.reference
        # Not the year suffix: the disambiguation sets it later (read as it is then).
        present = frozenset(k for k, v in reference.items() if v and k != YEAR_SUFFIX)
        found = state[_CANONICAL[sorting]] = (present, {})
    return found


def _layout_of(element: Any) -> tuple[Any, bool] | None:
    """The cs:layout ``element`` renders in, and whether it is a citation's."""
    try:
        layout = element.get_layout()
    except IndexError:  # outside a layout
        return None
    parent = layout.getparent()
    if parent is None:
        return None
    return layout, not str(parent.tag).endswith("}bibliography")


#: The fields of a single date a cs:date may leave unprinted.
_HIDEABLE = frozenset({"year", "month", "day", "season"})
_HIDDEN = "_policycite_hidden_parts"
_WHOLE: frozenset[str] = frozenset()
#: The class part of a date's form without its unprinted fields.
_SHOWN = object()


def hidden_parts(date: Any) -> frozenset[str]:
    """The fields of a single date that a cs:date does not print (worked out once).

    A localized date shows its date-parts; one of the style's its cs:date-part
    children. A season prints in place of a month; an ordinal day takes the gender of
    its month's term (see dates.DayOrdinals).
    """
    found: frozenset[str] | None = date.__dict__.get(_HIDDEN)
    if found is None:
        shown = set(shown_parts(date))
        if "day" in shown:
            shown.add("month")
        if "month" in shown:
            shown.add("season")
        found = date.__dict__[_HIDDEN] = _HIDEABLE - shown
    return found


def _shown_form(value: Any, hidden: frozenset[str]) -> Any:
    """The canonical form of a single date without the fields a cs:date does not print.

    Issue dates differ by day far more than by year: "2021" renders alike for every
    item of 2021, "6 May" for every year's. Each date-part reads its own field only.
    A nil date (year, month and day 0: citeproc-py prints no parts) and any other
    value (ranges, literal dates, whose rendering reads more) keep their whole form.
    """
    if type(value) is not citeproc_source.Date or value.is_nil():
        return canonical(value)
    fields = [(k, canonical(v)) for k, v in value.items() if k not in hidden]
    return _OPAQUE if any(f is _OPAQUE for _, f in fields) else (_SHOWN, tuple(sorted(fields)))


def _form_id(form: Any, ids: dict[Any, int]) -> int:
    """A number for a value's canonical form, the same for values alike (-1: opaque)."""
    if form is _OPAQUE:
        return -1
    number = ids.get(form)
    if number is None:
        number = ids[form] = len(ids)
    return number


def _read_values(
    element: Any,
    item: Any,
    plan: Plan,
    kind: str | None,
    *,
    ids: dict[Any, int],
    sorting: bool,
    suppressed: frozenset[str],
) -> tuple[frozenset[str], frozenset[str] | None, tuple[int, ...]] | None:
    """What an element reads of an item: keys set, keys set empty, values on its path.

    The values are numbers (see _form_id); None for a value with no canonical form.
    """
    reference = item.reference
    item_present, item_ids = _item_values(item, sorting)
    keys = reference.keys() & plan.keys
    present = item_present & keys
    if plan.suffixed and reference.get(YEAR_SUFFIX):
        present |= _SUFFIXED
    values = []
    reads, dates = path_reads(element, kind, present, suppressed)
    if sorting:
        dates = {}  # sort keys read whole dates
    for variable in reads:
        if variable == YEAR_SUFFIX:
            continue  # its value is part of the key (see _value_key)
        hidden = dates.get(variable)
        slot = (variable, hidden) if hidden else variable
        number = item_ids.get(slot)
        if number is None:
            value = reference[variable]
            form = _shown_form(value, hidden) if hidden else canonical(value)
            number = item_ids[slot] = _form_id(form, ids)
        if number < 0:
            return None
        values.append(number)
    empty = frozenset(keys - present) if len(keys) != len(present) else None
    return present, empty, tuple(values)


def _config(value: Any) -> Any:
    """What of the disambiguation's config reaches names: the names and given names added.

    (Its year suffix reaches dates, keyed apart; its disambiguate flag is AMBIGUOUS.)
    """
    return (tuple(value.names), tuple(tuple(g) for g in value.givens))


def _implicit_suffix(element: Any) -> bool:
    """Whether a subtree (its macros included) may print the implicit year suffix.

    Only a cs:date prints it, and only in a style that never renders year-suffix itself
    (see disambiguation.implicit_year_suffix): in APA a date's key leaves it out.
    """
    found = element.__dict__.get(_IMPLICIT)
    if found is None:
        found = element.__dict__[_IMPLICIT] = implicit_year_suffix(
            element.getroottree().getroot()
        ) and any(n.tag == _DATE for n in _nodes(element))
    return bool(found)


def _cite_key(item: Any, layout: Any, bibliography: Any, names: bool) -> Any:
    """What of a cite, besides its item's fields, reaches a subtree in a citation.

    The cite's own fields (locator, label, affixes, mode, names abbreviated), whether
    its item was cited before in the document (et-al-subsequent options), the
    narrative flag of its layout, the lead-term flags terms read (and the element that
    printed last, which a render may leave or replace), and the names
    registry's state; None where more is read (a trace that is not its names').
    """
    fields = canonical({k: v for k, v in dict.items(item) if k not in _CITE_IDS})
    if fields is _OPAQUE:
        return None
    registry = getattr(bibliography, REGISTRY, None)
    # Cited before in the document: cs:names take the et-al-subsequent options. Only a
    # subtree holding cs:names reads it (the scan is over every earlier cite).
    key = item.key
    cited = names and any(cite.key == key for cite in getattr(layout.getparent(), "cites", ()))
    return (
        fields,
        cited,
        layout.__dict__.get(NARRATIVE),
        LEAD.active and (LEAD.capitalize, LEAD.rendered, LEAD.text_variable, id(LEAD.last)),
        None if registry is None else (registry.open, registry.applied),
        getattr(bibliography, TRACE, None) is not None,
    )


def _options(sort_options: Any) -> Any:
    """A sort key's options (names-min and the like) as part of the key."""
    if not sort_options:
        return None
    return tuple(sorted((str(k), str(v)) for k, v in sort_options.items()))


def _snapshot(repressed: dict[Any, Any], date: bool = False) -> tuple[Any, ...]:
    """The entry state as a key: what substitutes suppressed, the implicit suffix's flag.

    For a cs:date, without the names suppressed and counted: it reads neither.
    """
    return tuple(
        (key, tuple(value) if isinstance(value, list) else value)
        for key, value in repressed.items()
        if not (date and key in _NOT_DATES)
    )


def _restore(repressed: dict[Any, Any], before: tuple[Any, ...], after: tuple[Any, ...]) -> None:
    """Change the entry state as a render did: from ``before`` to ``after``."""
    for key, _ in before:
        repressed.pop(key, None)
    for key, value in after:
        repressed[key] = list(value) if isinstance(value, tuple) else value


def _copy(text: Any) -> Any:
    """A copy of a rendered text its caller may change (extend a list, mark a string).

    Made without the class's constructor: a formatter's tag wrapper would wrap again.
    """
    state = getattr(text, "__dict__", None)
    copied: Any
    if isinstance(text, list):
        copied = type(text)(text)
    elif isinstance(text, str) and state is not None:
        copied = str.__new__(type(text), text)
    else:
        return text
    if state:
        copied.__dict__.update(state)
    return copied


class ValueOutcomes:
    """cs:macro: rendered once per distinct key within a run (see the module)."""

    def render(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        # A macro's context comes second; a cs:date's is a keyword (its second argument
        # is the variable, given when a locale's date format renders for a style's).
        if self.tag == _DATE:
            context = None if args else kwargs.get("context")
        else:
            context = args[0] if args else kwargs.get("context")
        key = None
        if braces.COUNTER.depth is None and not (args and self.tag == _DATE):
            key = self._value_key(item, context, kwargs.get("sort_options"))
        if key is None:
            return super().render(item, *args, **kwargs)
        memo, key, layout, stats = key
        found = memo.get(key)
        if found is None:
            return self._value_watched(item, args, kwargs, memo=memo, key=key, layout=layout)
        stats[1] += 1
        if _VERIFY:
            self._value_verify(item, args, kwargs, found=found, layout=layout, key=key)
        raised, text, effect, substituted, before, after, captured, lead, traces = found
        stack = groups.STACK
        stack[-1] = self._after(stack[-1], effect)
        if substituted is not None:
            groups.SUBSTITUTED[0] = substituted
        if after != before:
            _restore(layout.repressed, before, after)
        if captured is not None:
            layout.__dict__.update(zip(_CAPTURED, captured, strict=True))
        if lead is not None:
            LEAD.rendered, LEAD.text_variable, LEAD.last = lead
        if traces:
            _replay_traces(traces, item)
        if raised:
            raise model.VariableError
        return _copy(text)

    def _value_key(
        self, item: Any, context: Any, sort_options: Any
    ) -> tuple[dict[Any, Any], Any, Any, list[int]] | None:
        """The memo, the item's key in it, the layout and the element's hit counts there.

        None when not memoised.
        """
        # The layout of the context, looked up once per context (None: outside one).
        holder = (context if context is not None else self).__dict__
        found = holder.get(_LAYOUT, ...)
        if found is ...:
            found = holder[_LAYOUT] = _layout_of(context if context is not None else self)
        if found is None or names.RECORDERS or collapse.YEARS.get() is not None:
            return None
        layout, citing = found
        # Counted per layout: an issue date repeats in cites (author-date) but hardly in
        # the bibliography, where nearly every clashing date carries its own year letter.
        state = self.__dict__
        stats = state.get(_STATS[citing])
        if stats is None:
            stats = state[_STATS[citing]] = [0, 0]
        elif stats[0] >= _TRIAL and stats[1] * _HIT_SHARE < stats[0]:
            return None  # keeps missing: values unique per item
        bibliography = getattr(item, "bibliography", None)
        layout_state = layout.__dict__
        if (
            bibliography is None
            or layout_state.get(RECORDING) is not None
            or layout_state.get(WHOLE) is not None
        ):
            return None
        plan = self._value_plan()
        if plan is None:
            return None
        cite = None
        if citing:
            cite = _cite_key(item, layout, bibliography, plan.names)
            if cite is None:
                return None
        elif LEAD.active:
            return None
        # The first cs:names of the entry captures the author (collapse): its effect on
        # the layout is kept and replayed like the entry state.
        # Not for sort keys: every entry and cite starts its own capture, so what sort
        # keys leave there is never read.
        capturing = (
            plan.names and sort_options is None and layout_state.get(collapse.CAPTURE, ...) is None
        )
        if plan.names and absentnames.pending(layout_state):
            return None
        run = bibliography.__dict__
        memo: dict[Any, Any] | None = run.get(_MEMO)
        if memo is None:
            memo = run[_MEMO] = {}
            run[_IDS] = {}
        reference = item.reference
        # A cs:date holds no condition: the item's type does not reach its output.
        date = self.tag == _DATE
        kind = None if date else dict.get(reference, "type")
        repressed = layout.repressed
        read = _read_values(
            self,
            item,
            plan,
            kind,
            ids=run[_IDS],
            sorting=sort_options is not None,
            suppressed=repressed_keys(repressed) if repressed else frozenset(),
        )
        if read is None:
            return None
        present, empty, values = read
        if date:
            # Of the disambiguation, a cs:date reads the year suffix only.
            config = registry = ambiguous = None
        else:
            registry = getattr(bibliography, REGISTRY, None)
            config = dict.get(reference, CONFIG)
            ambiguous = dict.get(reference, AMBIGUOUS)
        key = (
            id(self),
            id(layout),
            kind,
            dict.get(reference, "language"),
            present,
            empty,
            values,
            None if config is None else _config(config),
            ambiguous,
            dict.get(reference, YEAR_SUFFIX) if plan.suffixed or _implicit_suffix(self) else None,
            None if registry is None else (id(registry), registry.version),
            _snapshot(repressed, date) if repressed else (),
            capturing,
            None if sort_options is None else _options(sort_options),
            cite,
            # A render whose path holds no cs:names leaves SUBSTITUTED as it found it.
            groups.SUBSTITUTED[0] if plan.names else None,
        )
        stats[0] += 1
        return memo, key, layout, stats

    def _value_watched(
        self,
        item: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        memo: dict[Any, Any],
        key: Any,
        layout: Any,
    ) -> Any:
        """The first render of a key, its outcome kept (unless it changed the registry)."""
        outcome, _, changed = self._rendered(item, args, kwargs, layout, key[_CAPTURING])
        raised, text, effect, substituted, after, captured, lead, traces = outcome
        if traces is not None and not changed:
            memo[key] = (
                raised,
                text,
                effect,
                substituted,
                key[_STATE],
                after,
                captured,
                lead,
                traces,
            )
        if raised:
            raise model.VariableError
        return _copy(text)

    def _rendered(
        self,
        item: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        layout: Any,
        capturing: bool,
    ) -> tuple[tuple[Any, ...], int, bool]:
        """Render for real on a clear frame, with every effect a replay repeats.

        The outcome (raised, text, effect on the group, SUBSTITUTED, the entry state
        after, the captured author, the lead-term flags, the names traces appended),
        the trace's length before the render, and whether it changed the names registry.
        """
        bibliography = item.bibliography
        trace = getattr(bibliography, TRACE, None)
        start = len(trace) if trace is not None else 0
        registry = getattr(bibliography, REGISTRY, None)
        version = None if registry is None else registry.version
        raised, text, effect = on_clear_frame(
            functools.partial(super().render, item, *args, **kwargs), self._after
        )
        plan = self._value_plan()
        outcome = (
            raised,
            _copy(text),
            effect,
            groups.SUBSTITUTED[0] if plan is not None and plan.names else None,
            _snapshot(layout.repressed, self.tag == _DATE),
            _captured(layout) if capturing else None,
            (LEAD.rendered, LEAD.text_variable, LEAD.last) if LEAD.active else None,
            _traced(trace[start:], item.reference) if trace is not None else (),
        )
        return outcome, start, registry is not None and registry.version != version

    def _value_plan(self) -> Plan | None:
        return _date_plan(self) if self.tag == _DATE else plan_of(self)

    def _after(self, flags: int, effect: int) -> int:
        """The enclosing group's flags after this element had ``effect`` on a clear frame.

        A macro is a group of its own (see emptyoutcomes); a cs:date is not, and what
        it sets adds to the group's flags.
        """
        return flags | effect if self.tag == _DATE else _replayed(flags, effect)

    def _value_verify(
        self,
        item: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        found: Any,
        layout: Any,
        key: Any,
    ) -> None:
        """Render a replay for real and compare (POLICYCITE_VERIFY_OUTCOMES=1)."""
        repressed = dict(layout.repressed)
        capture = {k: layout.__dict__[k] for k in _CAPTURED if k in layout.__dict__}
        stack_top = groups.STACK[-1]
        substituted_before = groups.SUBSTITUTED[0]
        lead_before = (LEAD.rendered, LEAD.text_variable, LEAD.last)
        real, start, changed = self._rendered(item, args, kwargs, layout, key[_CAPTURING])
        trace = getattr(item.bibliography, TRACE, None)
        if trace is not None:
            del trace[start:]
        LEAD.rendered, LEAD.text_variable, LEAD.last = lead_before
        if changed:
            raise AssertionError(f"a replayed {self.tag} changed the names registry")
        for name in _CAPTURED:
            layout.__dict__.pop(name, None)
        layout.__dict__.update(capture)
        # Put the state back as it was: the replay then acts on it.
        layout.repressed.clear()
        layout.repressed.update(repressed)
        groups.STACK[-1] = stack_top
        groups.SUBSTITUTED[0] = substituted_before
        raised, text, effect, substituted, _before, after, captured, lead, traces = found
        kept = (raised, _shape(text), effect, substituted, after, _shape(captured), lead, traces)
        fresh = (
            real[0],
            _shape(real[1]),
            real[2],
            real[3],
            real[4],
            _shape(real[5]),
            real[6],
            real[7],
        )
        if kept != fresh:
            raise AssertionError(
                f"value outcome differs for {self.tag} {self.get('name') or ''} "
                f"(item {item.reference.get('key')}): kept {kept!r}, rendered {fresh!r}"
            )


def _traced(entries: list[Any], reference: Any) -> tuple[Any, ...] | None:
    """The names traces a render appended, by the variable whose names each holds.

    None when one holds names that are not the item's (not replayable as the item's).
    """
    found = []
    for entry in entries:
        variable = None
        if entry.names:
            for name, value in reference.items():
                if (
                    isinstance(value, list)
                    and len(value) >= len(entry.names)
                    and all(a is b for a, b in zip(entry.names, value, strict=False))
                ):
                    variable = name
                    break
            if variable is None:
                return None
        found.append(
            (variable, entry.shown, entry.total, tuple(entry.levels), entry.base, entry.initialize)
        )
    return tuple(found)


def _replay_traces(traces: tuple[Any, ...], item: Any) -> None:
    """Append the names traces a render of this item would append (its own names)."""
    trace = getattr(item.bibliography, TRACE)
    reference = item.reference
    for variable, shown, total, levels, base, initialize in traces:
        names = reference[variable][:shown] if variable is not None else []
        trace.append(NameTrace(shown, total, list(levels), names, base, initialize))


def _captured(layout: Any) -> tuple[Any, ...] | None:
    """What the entry's first cs:names left in the layout (collapse's capture).

    None when nothing was captured: the render left the layout's state as it was.
    """
    state = layout.__dict__
    if state.get(collapse.CAPTURE) is None:
        return None
    return tuple(state.get(name) for name in _CAPTURED)


def _shape(text: Any) -> Any:
    """A rendered text as its classes and strings, for comparing two renders."""
    if isinstance(text, (list, tuple)):
        return (type(text), tuple(_shape(t) for t in text))
    if isinstance(text, str):
        return (type(text), str(text), tuple(sorted(getattr(text, "__dict__", {}).items())))
    return (type(text), repr(text))
