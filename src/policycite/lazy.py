"""Names a package exports but imports on first use (PEP 562).

``import policycite`` and ``import policycite.render`` cost only a table of names: each
is imported from its module the first time it is used, so that a command loads only what
it needs (start-up, issue 17).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, namespace: dict[str, Any], table: Mapping[str, tuple[str, str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` for ``table``: name -> (module, attribute)."""

    def get(name: str) -> Any:
        try:
            module, attribute = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        import importlib

        value = getattr(importlib.import_module(module), attribute)
        namespace[name] = value  # later uses skip this function
        return value

    def names() -> list[str]:
        return sorted({*namespace, *table})

    return get, names
