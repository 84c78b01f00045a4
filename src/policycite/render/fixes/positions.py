"""``position="near-note"`` as citeproc-js decides it.

citeproc-py reads ``near-note-distance`` from the style root, which has no such option
(KeyError), and would compare the attribute's text with a number. Here the distance
comes from ``cs:citation`` (default 5, CSL 1.0.2) and is measured as citeproc-js
measures it: a cite is near-note when the item was cited before and the note of its
latest earlier cite is at most that many notes back (0 for the same note). In a note
style each citation cluster is one note; in an in-text style there are no notes, and
citeproc-js (note index 0) calls every repeated cite near-note.
"""

from __future__ import annotations

from typing import Any

DEFAULT_NEAR_NOTE_DISTANCE = 5


def near_note(key: str, citation: Any, cites: Any, distance: int, *, notes: bool) -> bool:
    """Whether ``key``, cited now in ``citation``, was cited within ``distance`` notes.

    ``cites`` are the earlier cites of the document in order, each with ``key`` and
    ``citation`` (its cluster); ``notes`` is false for an in-text style.
    """
    back = 0
    current = citation
    for cite in reversed(cites):
        if cite.citation is not current:
            back += 1
            current = cite.citation
        if cite.key == key:
            return back <= distance or not notes
    return False


class NearNote:
    """cs:if position="near-note" with the distance from cs:citation, counted in notes.

    The other positions are decided as citeproc-py decides them (the same code, which
    cannot be called for them alone: it raises on near-note in the same list).
    """

    def _position(self, item: Any, context: Any = None) -> list[bool]:
        tests = self.get("position").split()
        if "near-note" not in tests:
            return super()._position(item, context)  # type: ignore[no-any-return]
        if context is None:
            context = self
        if context.xpath_search("./ancestor::*[self::cs:bibliography]"):
            return [False]
        citation = context.get_layout().getparent()
        cites = citation.cites
        last = cites[-1] if cites else None
        cited = any(cite.key == item.key for cite in cites)
        ibid = (
            cited
            and last is not None
            and item.key == last.key
            and (item.citation is last.citation or len(last.citation.cites) == 1)
        )
        results = []
        for test in tests:
            if test == "first":
                result = not cited
            elif test == "subsequent":
                result = cited
            elif test == "ibid":
                result = bool(ibid and (item.has_locator or not last.has_locator))
            elif test == "ibid-with-locator":
                result = bool(
                    ibid
                    and item.has_locator
                    and (not last.has_locator or item.locator != last.locator)
                )
            elif test == "near-note":
                result = cited and self._near_note(item, citation)
            else:
                result = False
            results.append(result)
        return results

    def _near_note(self, item: Any, citation: Any) -> bool:
        raw = citation.get("near-note-distance")
        try:
            distance = int(raw) if raw is not None else DEFAULT_NEAR_NOTE_DISTANCE
        except ValueError:
            distance = DEFAULT_NEAR_NOTE_DISTANCE
        notes = citation.get_root().get("class") == "note"
        return near_note(item.key, item.citation, citation.cites, distance, notes=notes)
