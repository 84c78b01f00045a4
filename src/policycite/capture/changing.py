"""Whether a page says it is designed to change over time (APA 7, Manual 9.16).

APA gives a retrieval date only to unarchived works designed to change: a live counter,
a dashboard, a FAQ, a page that says it is updated regularly or shows a "last updated"
notice. This module reads those cues from what a page says of *itself*: its title, the
last segment of its address and its main text. Site chrome (footers, menus) is never
read — a "Last updated" line in a site's footer speaks of the site, not of the press
release above it — and the caller passes the main text only. Which kinds may be marked
is the records' decision (:mod:`policycite.capture.records`).

No I/O; pure functions on text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

# Titles of pages that are kept up to date by nature.
_TITLE = re.compile(
    r"^(?:(?P<faq>frequently asked questions|faqs?)\b"
    r"|(?P<about>about(?: us)?|contact(?: us)?)$)"
    r"|\b(?P<live>dashboard|live (?:blog|updates|tracker|data|map|counter)"
    r"|population clock|real[- ]time (?:data|figures|map|tracker))\b",
    re.IGNORECASE,
)
# The last segment of a page's address: /faq, /about-us, /contact.
_SEGMENT = re.compile(r"^(?:faqs?|about(?:[-_]us)?|contact(?:[-_]us)?)(?:\.\w+)?$", re.IGNORECASE)

# What a page says of itself: "This page is updated regularly", "figures are updated daily".
_SELF = (
    r"(?:this|the|these|our) (?:page|site|website|dashboard|list|table|map|tracker|counter"
    r"|data(?:set)?|information|figures|statistics|numbers)"
)
_UPDATED_REGULARLY = re.compile(
    rf"\b{_SELF}\b[^.!?]{{0,60}}?\b(?:is|are|will be|gets?) "
    r"(?:(?:regularly|continuously|constantly|automatically|frequently) )?updated\b"
    r"|\bupdated (?:daily|hourly|weekly|monthly|every (?:day|hour|week|month|\w+day)"
    r"|in real[- ]time|continuously|regularly|constantly|as (?:new )?(?:information|data)"
    r" (?:becomes?|is) available)\b"
    r"|\b(?:live|real[- ]time) (?:data|figures|counter|count|feed|updates)\b",
    re.IGNORECASE,
)
# Every wording _UPDATED_REGULARLY matches holds one of these words: looking for them first
# costs half as much as the full pattern, tried at every word of every block.
_UPDATED_WORDS = re.compile(r"updated|live|real", re.IGNORECASE)
# A notice line of its own: "Last updated: 3 May 2024", "Page updated 12.03.2024".
_NOTICE = re.compile(
    r"^(?:this )?(?:page )?(?:last (?:updated|modified|revised)|page (?:last )?updated"
    r"|updated on)\b",
    re.IGNORECASE,
)
_NOTICE_MAX = 80  # a notice is a short line, not a sentence of the body that mentions one


def changing_cue(title: str | None, url: str | None, texts: Iterable[str]) -> str | None:
    """How the page says it is designed to change (for provenance), or None.

    ``texts`` are the blocks of the main text, site chrome already removed.
    """
    found = _TITLE.search(title or "")
    if found:
        what = next(name for name, value in found.groupdict().items() if value)
        return f"title {title!r} ({'a FAQ' if what == 'faq' else what + ' page'})"
    if url:
        segment = unquote(urlsplit(url).path).rstrip("/").rpartition("/")[2]
        if _SEGMENT.match(segment):
            return f"URL path /{segment}"
    for text in texts:
        if len(text) <= _NOTICE_MAX and _NOTICE.match(text):
            return f"notice {text!r}"
        said = _UPDATED_WORDS.search(text) and _UPDATED_REGULARLY.search(text)
        if said:
            return f"wording: {said.group()!r}"
    return None


__all__ = ["changing_cue"]
