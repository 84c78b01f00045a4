"""Rule selection: which codes a check reports, chosen the way ruff chooses its rules.

A *selector* names rules: a code (``PC216``), a code prefix (``PC2`` for the brief
checks, ``PC21`` for PC210–PC219), a rule's kebab-case name (``quote-not-checked``) or
``ALL``. A :class:`RuleSelection` is one layer of ``select`` / ``ignore`` /
``extend-select`` lists (a configuration file, the command line, the API's arguments);
:func:`selected` applies the layers in order:

- a layer that gives ``select`` starts afresh from what it selects; a layer without one
  carries on from the layers before it (everything, before the first);
- within a layer, ``extend-select`` adds and ``ignore`` removes, the more specific
  selector winning (``ALL`` < ``PC2`` < ``PC21`` < ``PC216`` or a name), and ``ignore``
  winning between equally specific ones; so ``select = ["PC2"]`` with ``ignore =
  ["PC216"]`` keeps every brief check but PC216, and ``ignore = ["PC2"]`` with
  ``extend-select = ["PC216"]`` keeps PC216 alone of them.

A selector that names nothing is an :class:`~policycite.errors.InputError` naming where
it was written: a typo must not silently select nothing or ignore nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

import attrs

from policycite.errors import InputError
from policycite.findings import CODES

#: The selector that names every rule.
ALL = "ALL"

_CODE_PREFIX = re.compile(r"PC\d{0,3}\Z")
_NAMES = {entry.name: code for code, entry in CODES.items()}


def _selectors(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _optional_selectors(items: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


@attrs.frozen
class RuleSelection:
    """One layer of rule selection: ``select`` (None: carry on), ``ignore``, ``extend_select``.

    ``origin`` says where the layer was written (a file, ``--select``), ``place`` where
    in it (a table), for error messages.
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_selectors)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_selectors)
    extend_select: tuple[str, ...] = attrs.field(default=(), converter=_selectors)
    origin: str | None = None
    place: str | None = None

    @property
    def empty(self) -> bool:
        """True when the layer changes nothing."""
        return self.select is None and not self.ignore and not self.extend_select


def normalize(selector: str) -> str:
    """A selector as matched: codes and ``ALL`` in capitals, names in lower case."""
    text = selector.strip()
    upper = text.upper()
    if upper == ALL or _CODE_PREFIX.match(upper):
        return upper
    return text.lower()


def split(values: Iterable[str]) -> list[str]:
    """Selectors from comma- or space-separated strings (``"PC216, PC2"``), blanks dropped."""
    return [part for value in values for part in re.split(r"[\s,]+", value) if part]


def codes_of(selector: str, universe: Collection[str] = CODES) -> frozenset[str]:
    """The codes of ``universe`` a selector names (empty when it names none of them)."""
    name = normalize(selector)
    if name == ALL:
        return frozenset(universe)
    if name in _NAMES:
        return frozenset({_NAMES[name]}) & frozenset(universe)
    if _CODE_PREFIX.match(name):
        return frozenset(code for code in universe if code.startswith(name))
    return frozenset()


def check_selector(
    selector: str,
    universe: Collection[str] = CODES,
    *,
    source: str | None,
    place: str | None = None,
    line: int | None = None,
) -> str:
    """The normalized selector, or an InputError naming where it was written.

    ``source`` (a file, ``--ignore``), ``place`` (a key) and ``line`` say where.
    """
    if codes_of(selector, universe):
        return normalize(selector)
    known = "" if universe is CODES else " of `policycite check`"
    raise InputError(
        f"unknown rule {selector!r}: not a code{known}, a code prefix (PC2), a rule name "
        "or ALL (see `policycite rules`)",
        source=source,
        place=place,
        line=line,
    )


def specificity(selector: str) -> int:
    """How narrowly a selector names rules: ALL 0, a prefix its length, a code or name 9."""
    name = normalize(selector)
    if name == ALL:
        return 0
    if _CODE_PREFIX.match(name):
        return len(name) if len(name) < 5 else 9
    return 9


def selected(layers: Iterable[RuleSelection], universe: Collection[str]) -> frozenset[str]:
    """The codes of ``universe`` left selected after applying ``layers`` in order.

    Raises InputError (naming the layer's origin) for a selector that names no code of
    ``universe``.
    """
    current = frozenset(universe)
    for layer in layers:
        updates: dict[str, bool] = {}
        choices = [(s, True) for s in (*(layer.select or ()), *layer.extend_select)]
        choices += [(s, False) for s in layer.ignore]
        # Least specific first, so that narrower selectors overwrite broader ones; at equal
        # specificity an ignore comes last and wins.
        for selector, on in sorted(choices, key=lambda c: (specificity(c[0]), not c[1])):
            check_selector(selector, universe, source=layer.origin, place=layer.place)
            updates.update(dict.fromkeys(codes_of(selector, universe), on))
        base = frozenset() if layer.select is not None else current
        current = (base | {c for c, on in updates.items() if on}) - {
            c for c, on in updates.items() if not on
        }
    return current


__all__ = [
    "ALL",
    "RuleSelection",
    "check_selector",
    "codes_of",
    "normalize",
    "selected",
    "specificity",
    "split",
]
