"""Where a rendering of the CSL processor and style is not what APA prints: PC216's guard.

PC216 compares a reference entry with the rendering of its record. A rendering inherits
every fault of the style and the processor, and proposing it as "write: …" would then
make a right entry wrong. This module knows the faults issue 14 lists (APA 7 as the
Publication Manual and apastyle.apa.org print it) and gives, for one rendering:

- ``repaired``: the rendering with each known fault undone, which is what PC216
  proposes (APA's form, not the processor's);
- ``accepted``: the rendering as it is, and other forms APA allows that the record
  cannot tell apart (no retrieval date for an undated page the record does not say
  changes, Manual 9.16).

The faults undone (each a no-op once the style prints it right):

1. "Retrieved https://…" for an undated item without access date: APA gives the URL
   alone (Manual 9.16).
2. "Title. In *Site* [Press release]. Site." for a press release whose site differs
   from its author: APA writes "*Title* [Press release]. Site." (apastyle.apa.org,
   "Press release references").
3. "[Speech transcript]. Site. Event, Place." : APA's transcript pattern has no event
   segment, "Speaker. (Date). *Title* [Speech transcript]. Site. URL" (apastyle.apa.org,
   transcript of an audiovisual work).
4. "*Title [Translation]*": APA never italicises the bracketed translation (9.38).
5. "Title?." : a title ending in "?" or "!" takes no period after it (its mark ends the
   element).
6. "Policy with Data": CSL's title case lowercases short stop words that APA title case
   capitalises when of four letters or more (6.17); the record's own capitals are kept.
7. "(2021a)" for works whose author lists only begin alike: APA tells them apart by
   names in the citations (8.18), and letters only works of the same authors (9.47).
8. A news article whose record says its site is a news website (``container-type:
   news-site``): title in italics, site in roman, as APA's webpage on a news website.

Renderings are handled as Markdown-marked text, ``*italic*``, so that one edit moves the
words and their italics together; plain renderings have no marks and take the same
edits.
"""

from __future__ import annotations

import functools
import re

import attrs

from policycite.model import Source

_RETRIEVED_URL = re.compile(r"\bRetrieved (?=(?:https?://|www\.))")
_RETRIEVAL_DATE = re.compile(r"\bRetrieved [A-Z][a-z]+ \d{1,2}, \d{4}, from (?=\S)")
_PRESS_SITE = re.compile(
    r"(?P<lead>\)\. )(?P<title>[^*\[\]]+?)\. In (?P<mark>\*?)(?P<site>[^*\[\]]+?)(?P=mark) "
    r"(?P<genre>\[[^\[\]]+\])\. (?P=site)\. "
)
_YEAR_LETTER = re.compile(r"(?<=\()(\d{4})[a-z](?=[,)])")
_END_PUNCTUATION = re.compile(r"([?!])(\*?)\.")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@attrs.frozen
class Forms:
    """What PC216 may compare an entry with: the repaired rendering and the other forms.

    Each is Markdown-marked text (``*italic*``).
    """

    repaired: str
    accepted: tuple[str, ...]


def _speech_event(marked: str, source: Source) -> str:
    """Drop the "Event, Place." segment of a speech transcript's rendering."""
    if source.kind != "speech" or not source.event_title:
        return marked
    parts = [source.event_title]
    if source.event_place:
        parts = [f"{source.event_title}, {source.event_place}", source.event_title]
    for part in parts:
        # The last one: the title may name the event too ("Speech at the Summit [...]").
        at = marked.rfind(f" {part}.")
        if at >= 0:
            return marked[:at] + marked[at + len(part) + 2 :]
    return marked


def _translation(marked: str, source: Source) -> str:
    """Move a bracketed translation out of the title's italics."""
    translated = source.translated_title
    if not translated:
        return marked
    inside = f" [{translated}]*"
    return marked.replace(inside, f"* [{translated}]", 1) if inside in marked else marked


def _record_capitals(marked: str, source: Source) -> str:
    """Give back the capitals of the record's names and titles that title case lowered.

    Only words of four letters or more that the record capitalises and the rendering
    writes in lower case: APA title case capitalises them (6.17), CSL's stop-word list
    does not ("With", "From", "Into").
    """
    for value in (source.container_title, source.title, source.publisher, source.event_title):
        if not value:
            continue
        for word in {w for w in _WORD.findall(value) if len(w) >= 4 and w[0].isupper()}:
            lower = word.lower()
            if lower == word or not re.search(rf"\b{re.escape(lower)}\b", marked):
                continue
            # Lowered inside the value's own words only: "with" elsewhere stays.
            marked = _value_pattern(value).sub(functools.partial(_restore, word=word), marked)
    return marked


def _value_pattern(value: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in value.split())
    return re.compile(words, re.IGNORECASE)


def _restore(found: re.Match[str], word: str) -> str:
    return re.sub(rf"\b{re.escape(word.lower())}\b", word, found.group(0))


def forms(marked: str, source: Source | None, *, suffix_needed: bool = True) -> Forms:
    """The repaired rendering of ``source`` and the other forms APA allows for it.

    ``suffix_needed`` is False when no other work of the list has the same authors and
    year: a year letter the processor added to tell apart works whose author lists only
    begin alike is then dropped (APA adds names in the citations instead, 8.18; letters
    are for the same authors in the same order, 9.47).
    """
    repaired = _RETRIEVED_URL.sub("", marked)
    if not suffix_needed:
        repaired = _YEAR_LETTER.sub(r"\1", repaired, count=1)
    author = source.authors[0].literal if source is not None and source.authors else None
    repaired = _PRESS_SITE.sub(functools.partial(_press_release, author=author), repaired)
    repaired = _END_PUNCTUATION.sub(r"\1\2", repaired)
    if source is not None:
        repaired = _speech_event(repaired, source)
        repaired = _translation(repaired, source)
        repaired = _record_capitals(repaired, source)
        repaired = _news_site(repaired, source)
    accepted: list[str] = [marked] if marked != repaired else []
    undated = source is None or source.issued is None
    if undated and _RETRIEVAL_DATE.search(repaired) and not _record_flag(source, "changes"):
        accepted.append(_RETRIEVAL_DATE.sub("", repaired))
    return Forms(repaired, tuple(accepted))


def _news_site(marked: str, source: Source) -> str:
    """A webpage on a news website: the title in italics, the site in roman (issue 14)."""
    site = source.container_title
    if source.kind != "news-article" or not site or not source.title:
        return marked
    if _record_flag(source, "container-type") != "news-site":
        return marked  # a newspaper (the default): its name in italics
    if f"*{site}*" not in marked or f"*{source.title}" in marked:
        return marked
    swapped = marked.replace(f"*{site}*", site, 1)
    return swapped.replace(source.title, f"*{source.title}*", 1)


def _press_release(match: re.Match[str], author: str | None) -> str:
    title = f"*{match['title']}*" if match["mark"] else match["title"]
    # The site is left out when it is the author, as APA omits a publisher that is.
    site = "" if match["site"] == author else f"{match['site']}. "
    return f"{match['lead']}{title} {match['genre']}. {site}"


def _record_flag(source: Source | None, name: str) -> object:
    """A record's value for a field issue 14 adds, or None when the record does not say.

    "changes": the page is designed to change (Manual 9.16); "container-type":
    newspaper or news-site. Read as an attribute or under ``custom``.
    """
    if source is None:
        return None
    value = getattr(source, name.replace("-", "_"), None)
    return value if value is not None else source.custom.get(name)


__all__ = ["Forms", "forms"]
