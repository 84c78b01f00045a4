"""Robust Links: a web reference's link that carries its archived copy and its date.

The Robust Links convention (https://robustlinks.mementoweb.org/spec/) decorates an
HTML anchor (``<a>``) with ``data-originalurl`` (the live page), ``data-versionurl`` (an
archived copy, a memento) and ``data-versiondate`` (the date of the version the link is
about, ``YYYY-MM-DD``), so that a reader whose link has rotted or drifted can reach the
version the writer cited. ``href`` stays the link the writer meant: the live page when
the reference prints it, the memento when it prints the archived copy (APA cites a page
that changes by its archived copy); ``data-originalurl`` is the live page either way.
The spec requires ``data-versiondate``: a source with no date to give (no archive date,
no date in a Wayback-style archive URL, no access date) gets a plain link.

This module decides the values from a record's provenance (:func:`robust_link`) and
turns the URLs a rendered HTML entry prints into links (:func:`link_urls`); writers (HTML
bibliographies, the check report, the pandoc filter) take them from here. No citeproc.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import attrs

from policycite.model import Source

#: A pywb/Wayback-style memento URL: ``…/20241121100333/https://…`` (a replay modifier
#: such as ``id_`` may follow the timestamp). The timestamp is the capture's date.
_MEMENTO_STAMP = re.compile(r"/(\d{4})(\d{2})(\d{2})\d{0,8}(?:[a-z]{2}_)?/https?:", re.IGNORECASE)
#: Printed forms of a DOI that are links (APA 9.34: https://doi.org/…).
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_OPEN_A = re.compile(r"<a[\s>]")


@attrs.frozen
class RobustLink:
    """The three Robust Link values of one web reference."""

    original_url: str
    version_url: str | None = None
    version_date: str | None = None

    def attributes(self) -> dict[str, str]:
        """The ``data-*`` attributes, in the order the specification lists them."""
        out = {"data-originalurl": self.original_url}
        if self.version_url:
            out["data-versionurl"] = self.version_url
        if self.version_date:
            out["data-versiondate"] = self.version_date
        return out

    def anchor(self, href: str, inner_html: str) -> str:
        """``<a href=… data-…>inner_html</a>``: attribute values escaped, inner as given."""
        return anchor_html(href, inner_html, self.attributes())


def anchor_html(href: str, inner_html: str, extra: dict[str, str] | None = None) -> str:
    """An ``<a>`` element; every attribute value is escaped (``&``, ``<``, quotes)."""
    values = {"href": href, **(extra or {})}
    attributes = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in values.items())
    return f"<a{attributes}>{inner_html}</a>"


def memento_date(url: str | None) -> str | None:
    """The capture date (``YYYY-MM-DD``) a Wayback-style memento URL holds, else None."""
    found = _MEMENTO_STAMP.search(url or "")
    if found is None:
        return None
    year, month, day = found.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def robust_link(source: Source) -> RobustLink | None:
    """The Robust Link of a source with a URL and a date (None without either).

    The version date is the archived copy's date when there is one (that is the version
    the link leads to): the record's archive date, else the capture date in a
    Wayback-style archive URL; without an archived copy it is the access date, the day
    the cited text was read.
    """
    prov = source.provenance
    if not prov.url:
        return None
    archived = prov.archive_date.iso() if prov.archive_date else memento_date(prov.archive_url)
    accessed = prov.accessed.iso() if prov.accessed else None
    date = (archived if prov.archive_url else None) or accessed
    if date is None:
        return None
    return RobustLink(prov.url, prov.archive_url, date)


def _doi_links(dois: Iterable[str]) -> list[str]:
    out = []
    for given in dois:
        doi = given.strip()
        if _HTTP.match(doi):
            out.append(doi)
        elif doi:
            out.extend(prefix + doi for prefix in _DOI_PREFIXES)
    return out


def link_urls(entry: str, source: Source, dois: Iterable[str] = ()) -> str:
    """An HTML entry with the source's printed web addresses made links.

    ``entry`` is a rendered HTML entry (text escaped as citeproc writes it: ``&amp;``,
    ``&lt;``); the text is kept exactly as the style printed it, only wrapped in
    ``<a>`` elements. The live URL and the archived copy's URL become Robust Links (href:
    the one printed); a DOI printed as a ``https://doi.org/`` address becomes a plain link
    (DOIs are persistent; Robust Links leave them alone) unless it is the record's own
    URL. Only http(s) addresses of the source are linked, each where it starts a URL in
    the text (the live URL inside a Wayback address is part of that address), never
    inside a tag. ``dois`` are the DOIs the style may print (the CSL item's ``DOI``).
    """
    prov = source.provenance
    robust = robust_link(source)
    targets: dict[str, dict[str, str]] = {}
    for doi_url in _doi_links(dois):
        targets[doi_url] = {}
    for url in (prov.archive_url, prov.url):
        if url:
            targets[url] = {}
    if robust is not None:
        for url in (prov.archive_url, prov.url):
            if url:
                targets[url] = robust.attributes()
    printed = {
        html.escape(url, quote=False): (url, extra)
        for url, extra in targets.items()
        if _HTTP.match(url)
    }
    if not printed:
        return entry
    # Longest first: of a Wayback address and the live URL it holds, the address wins.
    forms = sorted(printed, key=len, reverse=True)
    out: list[str] = []
    position = 0
    inside = 0  # open <a> elements: their text is a link already (a cluster's other cite)
    for tag in [*_TAG.finditer(entry), None]:
        end = tag.start() if tag is not None else len(entry)
        text = entry[position:end]
        out.append(text if inside else _link_text(text, forms, printed))
        if tag is not None:
            name = tag.group().lower()
            if _OPEN_A.match(name):
                inside += 1
            elif name.startswith("</a") and inside:
                inside -= 1
            out.append(tag.group())
            position = tag.end()
    return "".join(out)


def _link_text(text: str, forms: list[str], printed: dict[str, tuple[str, dict[str, str]]]) -> str:
    out: list[str] = []
    position = 0
    for start in (m.start() for m in _HTTP_ANYWHERE.finditer(text)):
        if start < position:
            continue  # inside an address linked already
        form = next((f for f in forms if text.startswith(f, start)), None)
        if form is None:
            continue
        url, extra = printed[form]
        out.append(text[position:start])
        out.append(anchor_html(url, form, extra))
        position = start + len(form)
    out.append(text[position:])
    return "".join(out)


_HTTP_ANYWHERE = re.compile(r"https?://", re.IGNORECASE)


__all__ = ["RobustLink", "anchor_html", "link_urls", "memento_date", "robust_link"]
