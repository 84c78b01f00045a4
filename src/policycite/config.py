"""Settings from a configuration file: ``policycite.toml`` or ``[tool.policycite]``.

One table holds policycite's settings, with one sub-table per command, so that settings
of other commands (a default ``style``, ``locale``) can join it later without moving
anything. It holds the style and locale every rendering command uses (format, cite,
check, styles --info) and the rule selection of ``policycite check``::

    # policycite.toml                    # pyproject.toml
    style = "harvard-cite-them-right"    [tool.policycite]
    locale = "en-GB"                     style = "harvard-cite-them-right"
                                         locale = "en-GB"
    [check]                              [tool.policycite.check]
    select = ["ALL"]                     select = ["ALL"]
    ignore = ["PC216", "PC41"]           ignore = ["PC216", "PC41"]
    extend-select = []                   extend-select = []

The file is found like ruff finds its own: from the brief's folder upwards, then from
the library folder upwards; in each folder ``policycite.toml`` comes before
``pyproject.toml``, and a ``pyproject.toml`` without a ``[tool.policycite]`` table does
not count. The first file found is the one used (files are not merged). Command-line
options apply on top of it, so the order of precedence is: command line, then
``policycite.toml``, then ``pyproject.toml``.

An unknown key, a value of the wrong type, an unknown rule or a file that is not TOML
is an :class:`~policycite.errors.InputError` naming the file: a misspelt setting must
not be silently ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from policycite.errors import InputError
from policycite.selection import RuleSelection, check_selector

#: The file names looked for in each folder, in order of precedence.
CONFIG_NAMES = ("policycite.toml", "pyproject.toml")

#: The keys of the check's table and the RuleSelection field each fills.
_CHECK_KEYS = {"select": "select", "ignore": "ignore", "extend-select": "extend_select"}
#: The sub-tables of policycite's table.
_TABLES = ("check",)
#: The settings of every rendering command, at the top of the table.
_TEXT_KEYS = ("style", "locale")


@attrs.frozen
class Config:
    """The settings read from one configuration file (``path``; None: no file found).

    ``check`` is the rule selection of ``policycite check`` (an empty selection when the
    file gives none); ``style`` and ``locale`` the CSL style and locale of every rendering
    (None: the command's default, the style's own locale).
    """

    path: Path | None = None
    check: RuleSelection = attrs.field(factory=RuleSelection)
    style: str | None = None
    locale: str | None = None


def _table(path: Path) -> Mapping[str, Any] | None:
    """The policycite table of ``path``; None for a pyproject.toml without one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not valid TOML: {err}", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=str(path)) from None
    if path.name != "pyproject.toml":
        return data
    table = data.get("tool", {}).get("policycite")
    if table is not None and not isinstance(table, dict):
        raise InputError("[tool.policycite] must be a table", source=str(path))
    return table


def _prefix(path: Path) -> str:
    return "tool.policycite." if path.name == "pyproject.toml" else ""


def _unknown(keys: Iterable[str], known: Iterable[str], path: Path, table: str) -> None:
    stray = sorted(set(keys) - set(known))
    if stray:
        where = f"[{table}]" if table else "the top level"
        raise InputError(
            f"unknown key {stray[0]!r} in {where}; known: {', '.join(sorted(known))}",
            source=str(path),
        )


def load_config(path: Path | str) -> Config:
    """Read the settings of one file (a policycite.toml, or a pyproject.toml's table)."""
    path = Path(path)
    try:
        table = _table(path)
    except OSError as err:
        raise InputError(err.strerror or str(err), source=str(path)) from None
    if table is None:
        return Config(path)
    prefix = _prefix(path)
    _unknown(table, (*_TABLES, *_TEXT_KEYS), path, prefix.rstrip("."))
    texts: dict[str, str] = {}
    for key in _TEXT_KEYS:
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            where = f"[{prefix.rstrip('.')}] {key}" if prefix else key
            raise InputError(f'{key} must be a name, e.g. "en-GB"', source=str(path), place=where)
        if value is not None:
            texts[key] = value.strip()
    check = table.get("check", {})
    name = f"{prefix}check"
    if not isinstance(check, dict):
        raise InputError(f"[{name}] must be a table", source=str(path))
    _unknown(check, _CHECK_KEYS, path, name)
    values: dict[str, tuple[str, ...]] = {}
    for key, field in _CHECK_KEYS.items():
        if key not in check:
            continue
        value = check[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(
                f'{key} must be a list of rule codes or names, e.g. ["PC216"]',
                source=str(path),
                place=f"[{name}]",
            )
        values[field] = tuple(
            check_selector(v, source=str(path), place=f"[{name}] {key}") for v in value
        )
    return Config(path, RuleSelection(**values, origin=str(path), place=f"[{name}]"), **texts)


def find_config(start: Path | str) -> Path | None:
    """The configuration file for ``start`` (a folder, or a file's folder), or None.

    Looks in ``start`` and each folder above it; in each, ``policycite.toml`` before a
    ``pyproject.toml`` that has a ``[tool.policycite]`` table.
    """
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _table(path) is not None):
                return path
    return None


def discover(*starts: Path | str) -> Config:
    """The settings for a run: the first file :func:`find_config` finds from ``starts``.

    For a check, the starts are the brief and then the library folder. No file found
    gives an empty :class:`Config`.
    """
    for start in starts:
        found = find_config(start)
        if found is not None:
            return load_config(found)
    return Config()


__all__ = ["CONFIG_NAMES", "Config", "discover", "find_config", "load_config"]
