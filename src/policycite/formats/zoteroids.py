"""Citation keys for items exported by Zotero, whose ``id`` is often no citation key.

Zotero's own CSL-JSON export writes the item's URI as ``id``
(``http://zotero.org/users/123/items/ABCD2345``; ``.../users/local/<key>/items/...``
for a library that never synced), older versions and other tools a number or an item key
(``ABCD2345``, ``123/ABCD2345``). None of these is a key a writer can type, and a URI
as a key would become a file name in the library. The rules here:

* a Better BibTeX key wins: ``citation-key`` (Zotero 7 and Better CSL JSON), else a
  ``Citation Key:`` line in ``note`` (Zotero's Extra field, where Better BibTeX pins keys);
* otherwise an ``id`` that is a usable key and not a Zotero identifier is kept (Better
  CSL JSON writes the Better BibTeX key as ``id``);
* otherwise the key is author + year (``who2020``, ``who2020a`` …), as ``add`` makes.

A Zotero item URI is kept in ``custom.provenance.aliases``, so that a Word document's
Zotero field that embeds it still finds the record.

This module only rewrites plain CSL dicts; reading them is
:mod:`policycite.formats.record`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from policycite.capture.records import key_stem, new_key
from policycite.errors import ModelError
from policycite.findings import Finding, Location
from policycite.formats.record import date_from_csl, names_from_csl

__all__ = ["is_zotero_identifier", "item_uri", "keyed_items"]

# Zotero item keys: 8 characters of 23456789ABCDEFGHIJKLMNPQRSTUVWXYZ (no 0, 1, O).
_ITEM_KEY = r"[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}"
_ITEM_KEY_RE = re.compile(rf"(\d+/)?{_ITEM_KEY}")
_ITEM_URI_RE = re.compile(
    rf"https?://zotero\.org/(users|groups)/(\d+|local/\w+)/items/{_ITEM_KEY}", re.IGNORECASE
)
_CITATION_KEY_LINE_RE = re.compile(r"^\s*citation key\s*:\s*(\S+)\s*$", re.IGNORECASE | re.M)
# pandoc's citation key rule, as the model checks it.
_KEY_RE = re.compile(r"\w(?:[\w:.#$%&+?<>~/-]*\w)?")


def is_zotero_identifier(value: Any) -> bool:
    """True for what Zotero writes as an ``id`` that is no citation key.

    A URI, a number, an item key (``ABCD2345``) or library/item key (``123/ABCD2345``).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return "://" in text or text.isdigit() or bool(_ITEM_KEY_RE.fullmatch(text))


def item_uri(library_type: str, library_id: int | str, item_key: str) -> str | None:
    """The URI Zotero names an item by (``http://zotero.org/users/1/items/KEY``).

    None for the local API's placeholder library ``users/0``: the real URI holds the
    user's id, which the local API does not give.
    """
    if str(library_id) in {"", "0"} or library_type not in {"user", "group"}:
        return None
    return f"http://zotero.org/{library_type}s/{library_id}/items/{item_key}"


def _usable(key: Any) -> str | None:
    if isinstance(key, str) and _KEY_RE.fullmatch(key.strip()):
        return key.strip()
    return None


def _kept_key(item: Mapping[str, Any]) -> str | None:
    """The key a Zotero user chose (Better BibTeX), or the id when it is a key."""
    explicit = _usable(item.get("citation-key"))
    if explicit:
        return explicit
    note = item.get("note")
    if isinstance(note, str):
        found = _CITATION_KEY_LINE_RE.search(note)
        if found and _usable(found.group(1)):
            return found.group(1)
    ident = item.get("id")
    if not is_zotero_identifier(ident):
        return _usable(ident)
    return None


def _is_foreign(item: Mapping[str, Any]) -> bool:
    """True for an item policycite did not write (it writes ``custom.kind``)."""
    custom = item.get("custom")
    return "kind" not in item and not (isinstance(custom, Mapping) and "kind" in custom)


def _generated_key(item: Mapping[str, Any], taken: set[str]) -> str:
    try:
        authors = names_from_csl("author", item.get("author", []))
    except ModelError:
        authors = ()
    try:
        issued = date_from_csl("issued", item["issued"]) if item.get("issued") else None
    except ModelError:
        issued = None
    title = item.get("title") if isinstance(item.get("title"), str) else None
    year = issued.year if issued is not None else None
    return new_key(key_stem(authors, title), year, taken)


def _tidy(item: dict[str, Any]) -> None:
    """Drop what Zotero's export repeats: the key line of Extra, a speech's place twice."""
    note = item.get("note")
    if isinstance(note, str) and _CITATION_KEY_LINE_RE.search(note):
        rest = _CITATION_KEY_LINE_RE.sub("", note).strip()
        if rest:
            item["note"] = re.sub(r"\n{2,}", "\n", rest)
        else:
            del item["note"]
    # Zotero writes a presentation's place as both event-place and publisher-place.
    if item.get("type") == "speech" and item.get("publisher-place") == item.get("event-place"):
        item.pop("publisher-place", None)


def keyed_items(items: Iterable[Any], name: str = "<string>") -> tuple[list[Any], list[Finding]]:
    """The items with Zotero identifiers replaced by citation keys (see the module doc).

    Items policycite wrote, and anything that is not a mapping, pass unchanged (the
    reader reports what is wrong with them). The order is kept. A PC327 finding (info)
    names each key made from author and year, so that the user can pin it in Zotero.
    """
    findings: list[Finding] = []
    items = list(items)
    plans: list[tuple[int, dict[str, Any], str | None]] = []
    taken: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if not _is_foreign(item):
            if isinstance(item.get("id"), str):
                taken.add(item["id"])
            continue
        key = _kept_key(item)
        if key is not None:
            taken.add(key)
        # An item without id is left alone: the reader reports it.
        if "citation-key" in item or is_zotero_identifier(item.get("id")):
            plans.append((index, item, key))
    out = list(items)
    for index, item, kept in plans:
        ident = item.get("id")
        key = kept if kept is not None else _generated_key(item, taken)
        taken.add(key)
        if kept is None:
            findings.append(
                Finding(
                    "PC327",
                    f"Zotero item {ident!r} has no citation key; {key!r} was made from "
                    "author and year",
                    location=Location(name, key=key, field="id"),
                    hint="to keep your own key, give the item one in Zotero (Better BibTeX: "
                    "pin the key) and export again",
                )
            )
        rewritten = {k: v for k, v in item.items() if k != "citation-key"}
        rewritten["id"] = key
        _tidy(rewritten)
        custom_in = rewritten.get("custom") or {}
        provenance_in = custom_in.get("provenance") or {} if isinstance(custom_in, dict) else None
        if (
            isinstance(ident, str)
            and _ITEM_URI_RE.fullmatch(ident.strip())
            and isinstance(provenance_in, dict)
            and isinstance(provenance_in.get("aliases") or [], list)
        ):
            custom = dict(custom_in)
            provenance = dict(provenance_in)
            aliases = list(provenance.get("aliases") or [])
            if ident.strip() not in aliases:
                aliases.append(ident.strip())
            provenance["aliases"] = aliases
            custom["provenance"] = provenance
            rewritten["custom"] = custom
        out[index] = rewritten
    return out, findings
