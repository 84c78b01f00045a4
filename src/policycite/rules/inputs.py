r"""What a check is given, made ready: the brief, the library and its snapshot folder.

A brief is a :class:`Brief` or a file to read. A library is a :class:`Library`, a library
folder (records and snapshots), or a library file (``.json`` CSL-JSON, ``.yaml``,
``.bib``); when none is given, the files the brief names itself (pandoc's front matter
``bibliography:``, LaTeX's ``\addbibresource``/``\bibliography``, relative to the brief),
else the default folder ``references``. Only a folder has snapshots: a library from
files or a Library value alone has none (``folder`` is None), and the quotation rules say
so on each quotation instead of passing it silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from policycite.brief.model import Brief
from policycite.brief.readers import read_brief
from policycite.errors import InputError
from policycite.findings import Finding
from policycite.library import DEFAULT_FOLDER, library_from, load_library
from policycite.model import Library

#: What may stand for a library: the value, or where to read it.
LibraryLike = Library | Path | str


def _paths(items: Sequence[Path]) -> tuple[Path, ...]:
    return tuple(items)


def _findings(items: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(items)


@attrs.frozen
class LibraryInput:
    """A library ready to check against.

    ``folder`` holds its snapshots (None: a library file or value, which has none);
    ``paths`` are the folders and files it was read from (empty for a value);
    ``findings`` are what reading them reported.
    """

    library: Library
    folder: Path | None
    paths: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)


def brief_of(brief: Brief | Path | str) -> Brief:
    """The brief itself, read from its file when given a path."""
    return brief if isinstance(brief, Brief) else read_brief(brief)


def named_bibliography(brief: Brief) -> tuple[Path, ...]:
    """The bibliography files a brief names, resolved against the brief's folder."""
    base = Path(brief.path).parent
    return tuple(base / name for name in brief.bibliography)


def library_for(
    brief: Brief,
    library: LibraryLike | Sequence[Path | str] | None = None,
    folder: Path | str | None = None,
    *,
    cache: bool = False,
) -> LibraryInput:
    """The library to check ``brief`` against (see the module's docstring).

    ``folder`` names the snapshot folder when it is not the library's own (a Library
    value read elsewhere). ``cache`` keeps a folder's parsed records between runs (see
    :func:`policycite.library.load_library`). Raises InputError for a folder or file that
    does not exist, naming the brief when the brief named it.
    """
    snapshots = Path(folder) if folder is not None else None
    if isinstance(library, Library):
        return LibraryInput(library, snapshots)
    if library is None:
        paths = named_bibliography(brief)
        for path in paths:
            if not path.exists():
                raise InputError(
                    f"the bibliography {path} named by the brief does not exist", source=brief.path
                )
        if not paths:
            paths = (DEFAULT_FOLDER,)
    elif isinstance(library, str | Path):
        paths = (Path(library),)
    else:
        paths = tuple(Path(p) for p in library)
    if len(paths) == 1 and paths[0].is_dir():
        read = load_library(paths[0], cache=cache)
    else:
        read = library_from(paths)
    if snapshots is None:
        snapshots = next((p for p in paths if p.is_dir()), None)
    return LibraryInput(read.library, snapshots, paths, read.findings)


__all__ = ["LibraryInput", "LibraryLike", "brief_of", "library_for", "named_bibliography"]
