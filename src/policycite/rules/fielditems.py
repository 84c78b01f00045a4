"""The library record a Word field's item is, and how the plugin's copy differs from it.

A reference manager stores the cited item in the field itself (Zotero and Mendeley as
CSL-JSON, EndNote as its record XML). That item, not the display text, names the
record: by an identifier the record keeps as an alias (a Zotero item URI, a Mendeley
document URI, EndNote's database and record number), then by URL, DOI, and last by
title, year and first author together. The plugin's copy is refreshed only when the
writer asks, so it may lag behind the library: :func:`differences` says what differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from policycite.brief.model import FieldItem
from policycite.model import Library, Name, PartialDate, Source

_SCHEME = re.compile(r"\A[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOI_URL = re.compile(r"\A(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)


def url_key(url: str | None) -> str | None:
    """A URL as compared: no scheme, "www.", fragment, or trailing slash; host casefolded."""
    if not url or not url.strip():
        return None
    text = url.strip()
    if _DOI_URL.match(text):
        return "doi:" + _DOI_URL.sub("", text).casefold()
    text = _SCHEME.sub("", text).split("#", 1)[0]
    host, _, rest = text.partition("/")
    host = host.casefold().removeprefix("www.")
    path, _, query = rest.partition("?")
    key = host + "/" + unquote(path).rstrip("/")
    return key.rstrip("/") + (f"?{unquote(query)}" if query else "")


def _alias_key(alias: str) -> str:
    # Zotero writes http://zotero.org/…; an alias copied from the browser may say https.
    return _SCHEME.sub("", alias.strip()).casefold().rstrip("/")


def fold(text: str | None) -> str:
    """Letters and digits only, casefolded and without accents: titles and names compared."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def item_date(data: Mapping[str, Any]) -> PartialDate | None:
    """The item's ``issued`` date (CSL ``date-parts``, or ``raw`` as Zotero may write it)."""
    issued = data.get("issued")
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            numbers: list[int | None] = [int(p) for p in parts[0][:3]]
            numbers += [None, None]
            return PartialDate(numbers[0], numbers[1], numbers[2])
        except Exception:  # not numbers, or a date the model refuses: no date to compare
            return None
    raw = issued.get("raw") or issued.get("literal")
    if isinstance(raw, str):
        try:
            return PartialDate.parse(raw.strip())
        except Exception:  # a date the model refuses is no date to compare
            return None
    return None


def item_names(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The item's authors as written: "Holm, S.", "Fjordland Water Authority"."""
    out = []
    authors = data.get("author")
    for name in authors if isinstance(authors, list) else ():
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            out.append(str(name["literal"]))
        elif name.get("family"):
            given = str(name.get("given") or "")
            out.append(f"{name['family']}, {given}".rstrip(", "))
    return tuple(out)


def _record_names(source: Source) -> tuple[str, ...]:
    return tuple(_name(n) for n in source.authors)


def _name(name: Name) -> str:
    if name.literal:
        return name.literal
    return f"{name.family}, {name.given or ''}".rstrip(", ")


def _folded_names(names: tuple[str, ...]) -> tuple[str, ...]:
    # Compared by family name or organisation: an initial written out is no difference.
    return tuple(fold(n.split(",", 1)[0]) for n in names)


class ItemIndex:
    """The library, indexed by what a field's item can name a record by."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self._urls: dict[str, set[str]] = defaultdict(set)
        self._titles: dict[str, set[str]] = defaultdict(set)
        for source in library:
            for alias in source.provenance.aliases:
                self._aliases[_alias_key(alias)].add(source.key)
            for url in (source.url, source.provenance.archive_url):
                key = url_key(url)
                if key:
                    self._urls[key].add(source.key)
            doi = source.extra.get("DOI")
            if isinstance(doi, str) and doi.strip():
                self._urls["doi:" + doi.strip().casefold()].add(source.key)
            for title in (source.title, source.translated_title, source.title_transliterated):
                if fold(title):
                    self._titles[fold(title)].add(source.key)

    def find(self, item: FieldItem) -> tuple[Source | None, str]:
        """The record an item is and how it was found ("alias", "URL", …), or (None, "")."""
        for uri in item.uris:
            keys = self._aliases.get(_alias_key(uri), set())
            if len(keys) == 1:
                return self.library[next(iter(keys))], "alias"
        data = item.data
        url = data.get("URL")
        key = url_key(url) if isinstance(url, str) else None
        if key and len(self._urls.get(key, ())) == 1:
            return self.library[next(iter(self._urls[key]))], "URL"
        doi = data.get("DOI")
        if isinstance(doi, str) and doi.strip():
            found = self._urls.get("doi:" + doi.strip().casefold(), set())
            if len(found) == 1:
                return self.library[next(iter(found))], "DOI"
        title = data.get("title")
        candidates = self._titles.get(fold(title if isinstance(title, str) else ""), set())
        date = item_date(data)
        names = _folded_names(item_names(data))
        fitting = [
            self.library[k]
            for k in sorted(candidates)
            if _same_year(date, self.library[k].issued)
            and (not names or names[:1] == _folded_names(_record_names(self.library[k]))[:1])
        ]
        if len(fitting) == 1:
            return fitting[0], "title, date and author"
        return None, ""


def _same_year(a: PartialDate | None, b: PartialDate | None) -> bool:
    return (a.year if a else None) == (b.year if b else None)


def differences(item: FieldItem, source: Source) -> list[str]:
    """What the plugin's copy of an item says otherwise than the record.

    Date, title, URL and authors, as "date 2025-03-11 vs 2025-03-12" phrases (the plugin's
    value first); punctuation and letter case are no difference.
    """
    out = []
    data = item.data
    date = item_date(data)
    if "issued" in data and date != source.issued:
        out.append(f"date {_shown(date)} vs {_shown(source.issued)}")
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        known = {fold(t) for t in (source.title, source.translated_title) if t}
        if fold(title) not in known:
            out.append(f"title “{title.strip()}” vs “{source.title or ''}”")
    url = data.get("URL")
    if (
        isinstance(url, str)
        and url.strip()
        and source.url
        and url_key(url) not in {url_key(source.url), url_key(source.provenance.archive_url)}
    ):
        out.append(f"URL {url.strip()} vs {source.url}")
    names = item_names(data)
    if names and _folded_names(names) != _folded_names(_record_names(source)):
        out.append(f"authors {'; '.join(names)} vs {'; '.join(_record_names(source)) or 'none'}")
    return out


def _shown(date: PartialDate | None) -> str:
    return str(date) if date is not None else "no date"


__all__ = ["ItemIndex", "differences", "fold", "item_date", "item_names", "url_key"]
