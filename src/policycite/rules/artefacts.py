"""Where a rendering is not what APA prints: PC216's guard.

PC216 compares a reference entry with the rendering of its record, and proposing a
rendering's fault as "write: …" would make a right entry wrong. policycite's APA style
and engine print APA's forms (issue 14: no bare "Retrieved", a press release's host
site, speech transcripts, upright translations, APA title case, news websites, retrieval
dates); one fault is left that the rendering of a single list cannot avoid:

- "(2021a)" for works whose author lists only begin alike: the processor letters them,
  while APA tells them apart by names in the citations (Manual 8.18) and letters only
  works of the same authors in the same order (9.47).

For one rendering this gives ``repaired`` (what PC216 proposes) and ``accepted`` (the
rendering as printed, when it differs: an entry copied from it is not reported).
Renderings are Markdown-marked text (``*italic*``); plain ones take the same edits.
"""

from __future__ import annotations

import re

import attrs

_YEAR_LETTER = re.compile(r"(?<=\()(\d{4})[a-z](?=[,)])")


@attrs.frozen
class Forms:
    """What PC216 may compare an entry with: the repaired rendering and the other forms.

    Each is Markdown-marked text (``*italic*``).
    """

    repaired: str
    accepted: tuple[str, ...]


def forms(marked: str, *, suffix_needed: bool = True) -> Forms:
    """The repaired rendering and the other forms APA allows for it.

    ``suffix_needed`` is False when no other work of the list has the same authors and
    year: the year letter the processor added is then dropped.
    """
    repaired = marked if suffix_needed else _YEAR_LETTER.sub(r"\1", marked, count=1)
    return Forms(repaired, (marked,) if marked != repaired else ())


__all__ = ["Forms", "forms"]
