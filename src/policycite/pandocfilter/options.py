"""What the document's metadata and the environment ask of the filter.

pandoc's own citation settings are honoured as its citeproc reads them: ``bibliography``
(here: a policycite library folder, or ``.json``/``.yaml``/``.bib`` files),
``csl`` (a style name such as ``apa`` or a ``.csl`` file; default APA), ``lang`` (the
locale), ``reference-section-title``, ``suppress-bibliography``, ``nocite``,
``link-citations`` and ``link-bibliography``. policycite's own sit under ``policycite:``::

    policycite:
      fail-on: error        # warning | error | never (default): exit 1 at this severity
      render: false         # check only; leave the citations to pandoc's --citeproc
      check: false          # render only

The environment variable ``POLICYCITE_FAIL_ON`` overrides ``fail-on`` (a CI job sets it
for every document); ``PANDOC_VERSION``, which pandoc sets for its filters, says which
pandoc will write the output. Paths are relative to the working directory, as pandoc reads them:
pandoc gives a JSON filter no input file name and no ``--resource-path``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import panflute as pf

from policycite.errors import InputError
from policycite.library import DEFAULT_FOLDER

FAIL_ON = ("warning", "error", "never")
#: The severities that fail the filter, for each ``fail-on`` value.
THRESHOLDS = {"warning": frozenset({"error", "warning"}), "error": frozenset({"error"})}
THRESHOLDS["never"] = frozenset()
ENVIRONMENT = "POLICYCITE_FAIL_ON"
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _paths(items: Iterable[Path]) -> tuple[Path, ...]:
    return tuple(items)


def _texts(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class FilterOptions:
    """The filter's settings for one document (see the module's docstring).

    ``nocite`` holds the keys of ``nocite`` (``"*"`` for the whole library);
    ``bibliography`` the library's folders and files, resolved (empty: none named, and
    no folder ``references`` here).
    """

    bibliography: tuple[Path, ...] = attrs.field(converter=_paths)
    style: str = "apa"
    locale: str | None = None
    fail_on: str = "never"
    render: bool = True
    check: bool = True
    section_title: str | None = None
    suppress_bibliography: bool = False
    nocite: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    link_citations: bool = False
    link_bibliography: bool = True
    pandoc_version: tuple[int, ...] | None = None


def pandoc_version(environ: dict[str, str]) -> tuple[int, ...] | None:
    """The version of the pandoc running the filter ("3.1.8" -> (3, 1, 8)), if it said."""
    found = re.match(r"\d+(?:\.\d+)*", environ.get("PANDOC_VERSION", "").strip())
    return tuple(int(part) for part in found[0].split(".")) if found else None


def _flag(value: Any, name: str, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise InputError(f"{name}: expected true or false, got {value!r}", source="metadata")


def _text(doc: pf.Doc, name: str) -> str | None:
    value = doc.get_metadata(name, default=None)
    if value is None:
        return None
    if isinstance(value, list | dict):
        raise InputError(f"{name}: expected one value, got {value!r}", source="metadata")
    return str(value).strip() or None


def _bibliography(doc: pf.Doc) -> tuple[Path, ...]:
    value = doc.get_metadata("bibliography", default=None)
    names = value if isinstance(value, list) else [] if value is None else [value]
    if not names:  # as `policycite check`: the folder "references", if there is one
        return (DEFAULT_FOLDER,) if DEFAULT_FOLDER.is_dir() else ()
    paths = []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"bibliography: not a path: {name!r}", source="metadata")
        path = Path(name.strip()).expanduser()
        if not path.exists():
            raise InputError(
                "the bibliography named in the metadata does not exist (paths are relative "
                "to the working directory)",
                source=str(path),
            )
        paths.append(path)
    return tuple(paths)


def _nocite(doc: pf.Doc) -> tuple[str, ...]:
    meta = doc.metadata.content.get("nocite") if doc.metadata is not None else None
    if meta is None:
        return ()
    keys: list[str] = []

    def visit(item: pf.Element, _doc: Any) -> None:
        if isinstance(item, pf.Citation):
            keys.append(item.id)

    meta.walk(visit)
    if not keys:  # a plain string "@*" (a MetaString is not parsed into a Cite)
        keys = [word.lstrip("[@-").rstrip("];,") for word in pf.stringify(meta).split()]
    return tuple(dict.fromkeys(k for k in keys if k))


def read_options(doc: pf.Doc, environ: dict[str, str] | None = None) -> FilterOptions:
    """The filter's options for ``doc``; InputError (one line) for a value it cannot use."""
    environ = dict(os.environ) if environ is None else environ
    own = doc.get_metadata("policycite", default=None)
    if own is None:
        own = {}
    if not isinstance(own, dict):
        raise InputError(f"policycite: expected a mapping, got {own!r}", source="metadata")
    fail_on = environ.get(ENVIRONMENT) or own.get("fail-on") or "never"
    if fail_on not in FAIL_ON:
        where = ENVIRONMENT if environ.get(ENVIRONMENT) else "policycite: fail-on"
        raise InputError(
            f"{where}: expected one of {', '.join(FAIL_ON)}, got {fail_on!r}", source="metadata"
        )
    render = _flag(own.get("render"), "policycite: render", True)
    check = _flag(own.get("check"), "policycite: check", True)
    return FilterOptions(
        bibliography=_bibliography(doc),
        style=_text(doc, "csl") or "apa",
        locale=_text(doc, "lang"),
        fail_on=fail_on,
        render=render,
        check=check,
        section_title=_text(doc, "reference-section-title"),
        suppress_bibliography=_flag(
            doc.get_metadata("suppress-bibliography", default=None), "suppress-bibliography", False
        ),
        nocite=_nocite(doc),
        link_citations=_flag(
            doc.get_metadata("link-citations", default=None), "link-citations", False
        ),
        link_bibliography=_flag(
            doc.get_metadata("link-bibliography", default=None), "link-bibliography", True
        ),
        pandoc_version=pandoc_version(environ),
    )


__all__ = [
    "ENVIRONMENT",
    "FAIL_ON",
    "THRESHOLDS",
    "FilterOptions",
    "pandoc_version",
    "read_options",
]
