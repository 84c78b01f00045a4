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

from typing import Any

from policycite.model import Source


def apply_style_rules(source: Source, item: dict[str, Any], *, apa: bool) -> dict[str, Any]:
    """The CSL item as the style must see it (``item`` is changed and returned).

    For APA, ``accessed`` stays only when :attr:`Source.gets_retrieval_date`, and a
    changing page with an archived copy is cited by the archive's URL, and a host site
    given as both container and publisher is printed once (APA names the site once:
    "[Press release]. Site. URL"). For other styles,
    a news website's article is a newspaper article (unless the record sets a CSL type).
    """
    if apa:
        if not source.gets_retrieval_date:
            item.pop("accessed", None)
        if source.changes and source.provenance.archive_url is not None:
            item["URL"] = source.provenance.archive_url
        if item.get("publisher") is not None and item.get("publisher") == item.get(
            "container-title"
        ):
            del item["publisher"]
    elif source.container_type is not None and source.csl_type is None:
        item["type"] = source.spec.csl_type
    return item


__all__ = ["apply_style_rules"]
