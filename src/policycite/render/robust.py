"""Robust Links: a web reference's link that carries its archived copy and its date.

The Robust Links convention (https://robustlinks.mementoweb.org/spec/) decorates a link
with ``data-originalurl`` (the live page), ``data-versionurl`` (an archived copy, a
memento) and ``data-versiondate`` (when the page was read or archived, YYYY-MM-DD), so that
a reader whose link has rotted can reach the version the writer cited. This module only
decides the values from a record's provenance; writers (HTML bibliographies, the check
report, the pandoc filter) put them on their links.
"""

from __future__ import annotations

import attrs

from policycite.model import Source


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


def robust_link(source: Source) -> RobustLink | None:
    """The Robust Link of a source with a URL (None without one).

    The version date is the archived copy's date when there is one (that is the version
    the link leads to), else the access date: the day the cited text was read.
    """
    prov = source.provenance
    if not prov.url:
        return None
    date = prov.archive_date if prov.archive_url and prov.archive_date else prov.accessed
    return RobustLink(prov.url, prov.archive_url, date.iso() if date else None)


__all__ = ["RobustLink", "robust_link"]
