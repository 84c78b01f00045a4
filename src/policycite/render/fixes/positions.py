"""Cite positions across a document (first, subsequent, ibid, near-note) as citeproc-js sets them.

citeproc-py decides a cite's position while rendering it, from the cites rendered before
(one flat list): any earlier cite of the same item right before it makes it "ibid", so
the first cite of a note after a note holding two citations, or a cite after a cite of
the same item with a locator, comes out "ibid." where citeproc-js prints the short form;
it has no note numbers, so no ``first-reference-note-number``, and it reads
``near-note-distance`` from the style root, which has no such option (KeyError).

Here the positions of a whole document are worked out beforehand, as citeproc-js's
``processCitationCluster`` works them out (:func:`assign_positions`, a port of its
position pass), and ride on the citation items; the cs:if tests read them
(:class:`DocumentPositions`, :class:`NearNote`), as do the variable
first-reference-note-number (:class:`FirstNoteNumber`). Citation items that
carry no position (a bibliography, a cite rendered on its own) are decided as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

DEFAULT_NEAR_NOTE_DISTANCE = 5

#: Keys set on a citation item by :func:`assign_positions` (read with ``dict.get``).
POSITION = "_policycite_position"
NEAR_NOTE = "_policycite_near_note"
FIRST_NOTE = "_policycite_first_note"

# citeproc-js's position codes (CSL.POSITION_*); the test suite's "position" values.
FIRST, SUBSEQUENT, IBID, IBID_WITH_LOCATOR, CONTAINER_SUBSEQUENT = 0, 1, 2, 3, 4
# citeproc-js's CSL.POSITION_MAP: a test passes when the cite's rank reaches the test's
# ("ibid" holds for ibid-with-locator too, "subsequent" for both ibids).
_RANK = {FIRST: 0, CONTAINER_SUBSEQUENT: 1, SUBSEQUENT: 2, IBID: 3, IBID_WITH_LOCATOR: 4}
_TEST_CODES = {
    "first": FIRST,
    "container-subsequent": CONTAINER_SUBSEQUENT,
    "subsequent": SUBSEQUENT,
    "ibid": IBID,
    "ibid-with-locator": IBID_WITH_LOCATOR,
}


@attrs.frozen
class NoteCitation:
    """A citation of a document for :func:`assign_positions`.

    ``note`` is its note number (0 for a citation in the text, as in an in-text style),
    ``items`` its citation items in the order they render (after the style's cite sort),
    ``mode`` citeproc-js's citation mode ("author-only" cites are always first).
    """

    note: int
    items: Sequence[Any]
    mode: str = ""


def _locator(item: Any) -> str | None:
    """The cite's locator with its label, as citeproc-js compares them ("12page")."""
    locator = dict.get(item, "locator")
    if locator is None:
        return None
    identifier = getattr(locator, "identifier", locator)
    if identifier in (None, ""):
        return None
    return f"{identifier}{getattr(locator, 'label', '') or ''}"


def assign_positions(
    citations: Sequence[NoteCitation], distance: int = DEFAULT_NEAR_NOTE_DISTANCE
) -> None:
    """Set position, near-note and first-reference-note-number on every cite, in place.

    A port of citeproc-js 2.4.63's position pass (``processCitationCluster``): citations
    in the text (note 0) and in notes are two sequences; a note number lower than the one
    before starts the count again. A first cite of a citation is ibid only when the
    previous note held exactly one cite, of the same item, in the note right before (or
    when the previous citation, in the same note, ended with it); a later cite only when
    the cite right before it is of the same item. A locator on the earlier cite and none
    on this one makes it subsequent; a different locator, ibid-with-locator.
    """
    run = _PositionPass(distance)
    for group in (
        [c for c in citations if not c.note],
        [c for c in citations if c.note],
    ):
        run.first_ref, run.last_ref = {}, {}
        for j, citation in enumerate(group):
            note = citation.note
            if j > 0 and note and group[j - 1].note > note:
                run.in_note, run.first_ref, run.last_ref = {}, {}, {}
            run.in_note[note] = run.in_note.get(note, 0) + len(citation.items)
            for k, item in enumerate(citation.items):
                position, first_note = run.position(group, j, k, item)
                near = run.near(citation.note, item.key, position)
                dict.__setitem__(item, POSITION, position)
                dict.__setitem__(item, NEAR_NOTE, near)
                if first_note:
                    dict.__setitem__(item, FIRST_NOTE, first_note)
                else:
                    dict.pop(item, FIRST_NOTE, None)


class _PositionPass:
    """The running state of :func:`assign_positions` (citeproc-js's names in comments)."""

    def __init__(self, distance: int) -> None:
        self.distance = distance
        self.in_note: dict[int, int] = {}  # citationsInNote: cites per note
        self.first_ref: dict[str, int] = {}  # first_ref: note of an item's first cite
        self.last_ref: dict[str, int] = {}  # last_ref: note of an item's latest cite

    def position(
        self, group: Sequence[NoteCitation], j: int, k: int, item: Any
    ) -> tuple[int, int | None]:
        """The position of cite ``k`` of citation ``j``, and its first note if earlier."""
        citation = group[j]
        note, key = citation.note, item.key
        if key not in self.last_ref and citation.mode != "author-only":
            self.first_ref[key] = self.last_ref[key] = note
            return FIRST, None
        position = SUBSEQUENT
        ibid = self._ibid(group, j, k, key)
        if ibid:
            # citeproc-js compares with the first cite of the previous citation here.
            before = citation.items[k - 1] if k > 0 else group[j - 1].items[0]
            earlier, locator = _locator(before), _locator(item)
            if earlier and not locator:
                ibid = False
            elif earlier is None or earlier == locator:
                position = IBID_WITH_LOCATOR if earlier is None and locator else IBID
            else:
                position = IBID_WITH_LOCATOR
        if not ibid:
            if key in self.first_ref:
                position = SUBSEQUENT
            else:
                self.first_ref[key] = note
                position = CONTAINER_SUBSEQUENT
        if citation.mode == "author-only":
            position = FIRST
        first = self.first_ref.get(key)
        return position, first if first != note else None

    def _ibid(self, group: Sequence[NoteCitation], j: int, k: int, key: str) -> bool:
        citation = group[j]
        if k > 0:
            return bool(citation.items[k - 1].key == key)
        if j == 0:
            return False
        previous = group[j - 1]
        if previous.note != citation.note:
            # The previous note held this item alone, and is the note right before.
            return bool(
                previous.items
                and previous.items[0].key == key
                and previous.note >= citation.note - 1
                and (self.in_note.get(previous.note) == 1 or previous.note == 0)
            )
        # The citation before, in the same note, ended with this item (an author-only
        # citation in between is skipped).
        back = group[j - 2] if previous.mode == "author-only" and j > 1 else previous
        return bool(previous.items and back.items and back.items[-1].key == key)

    def near(self, note: int, key: str, position: int) -> bool:
        """near-note: cited before within near-note-distance notes (always in the text)."""
        if not note:
            return position != FIRST
        last = self.last_ref.get(key)
        self.last_ref[key] = note
        return last is not None and position != FIRST and note - last <= self.distance


def position_tests(tests: Sequence[str], position: int, near: bool) -> list[bool]:
    """The results of cs:if position tests for a cite at ``position`` (citeproc-js)."""
    rank = _RANK.get(position, 0)
    results = []
    for test in tests:
        if test == "near-note":
            results.append(rank >= _RANK[SUBSEQUENT] and near)
        elif test == "far-note":
            results.append(position == SUBSEQUENT and not near)
        elif test == "first":
            results.append(position == FIRST)
        elif test in _TEST_CODES:
            results.append(rank >= _RANK[_TEST_CODES[test]])
        else:
            results.append(False)
    return results


def _in_bibliography(element: Any, context: Any) -> bool:
    try:
        layout = (context if context is not None else element).get_layout()
    except IndexError:  # a sort key
        return True
    return bool(layout.getparent().tag.endswith("bibliography"))


class DocumentPositions:
    """cs:if position: the cite's position in the document, worked out beforehand."""

    def _position(self, item: Any, context: Any = None) -> list[bool]:
        position = dict.get(item, POSITION)
        tests = self.get("position").split()
        if position is None or "near-note" in tests:  # near-note: the near-note fix
            return super()._position(item, context)  # type: ignore[no-any-return]
        if _in_bibliography(self, context):
            return [False]
        return position_tests(tests, position, bool(dict.get(item, NEAR_NOTE)))


def near_note(key: str, citation: Any, cites: Any, distance: int, *, notes: bool) -> bool:
    """Whether ``key``, cited now in ``citation``, was cited within ``distance`` notes.

    ``cites`` are the earlier cites of the document in order, each with ``key`` and
    ``citation`` (its cluster); ``notes`` is false for an in-text style. Used for cites
    rendered without positions worked out beforehand.
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


def near_note_distance(citation: Any) -> int:
    """``near-note-distance`` of a cs:citation (CSL 1.0.2: default 5)."""
    raw = citation.get("near-note-distance")
    try:
        return int(raw) if raw is not None else DEFAULT_NEAR_NOTE_DISTANCE
    except ValueError:
        return DEFAULT_NEAR_NOTE_DISTANCE


class NearNote:
    """cs:if position="near-note" with the distance from cs:citation, counted in notes.

    With positions worked out for the document, the near-note flag citeproc-js sets is
    used; otherwise the other positions are decided as citeproc-py decides them (the
    same code, which cannot be called for them alone: it raises on near-note in the
    same list).
    """

    def _position(self, item: Any, context: Any = None) -> list[bool]:
        tests = self.get("position").split()
        if "near-note" not in tests:
            return super()._position(item, context)  # type: ignore[no-any-return]
        if context is None:
            context = self
        if _in_bibliography(self, context):
            return [False]
        position = dict.get(item, POSITION)
        if position is not None:
            return position_tests(tests, position, bool(dict.get(item, NEAR_NOTE)))
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
        notes = citation.get_root().get("class") == "note"
        distance = near_note_distance(citation)
        return near_note(item.key, item.citation, citation.cites, distance, notes=notes)


FIRST_NOTE_VARIABLE = "first_reference_note_number"


class FirstNoteNumber:
    """first-reference-note-number: the note a cite's item was first cited in.

    citeproc-py looks the variable up on the item's data, where it never is. The number
    is put there while the cite renders, so cs:text and cs:if variable="…" see it (and
    no element pays for a check while bibliography entries render).
    """

    def _render_cite(self, item: Any, *args: Any, **kwargs: Any) -> Any:
        number = dict.get(item, FIRST_NOTE)
        if not number:
            return super()._render_cite(item, *args, **kwargs)
        reference = item.reference
        dict.__setitem__(reference, FIRST_NOTE_VARIABLE, str(number))
        try:
            return super()._render_cite(item, *args, **kwargs)
        finally:
            dict.pop(reference, FIRST_NOTE_VARIABLE, None)


def rendered_order(root: Any, citation: Any) -> list[Any]:
    """The cites of a registered citation in the order the style renders them (its sort)."""
    good = [cite for cite in citation.cites if not cite.is_bad()]
    sort = root.citation.sort if root.citation is not None else None
    if sort is not None and len(good) > 1:
        good = sort.sort(good, root.citation.layout)
    return good


def position_document(
    root: Any, citations: Sequence[Any], notes: Sequence[int], modes: Sequence[str] = ()
) -> None:
    """Set the positions of registered ``citations`` of a document, one note number each.

    ``root`` is the style's root element (the citation sort and near-note-distance come
    from it); ``modes`` gives citeproc-js's mode of each citation ("author-only").
    """
    if root.citation is None:
        return
    distance = near_note_distance(root.citation)
    assign_positions(
        [
            NoteCitation(note, rendered_order(root, citation), modes[n] if modes else "")
            for n, (citation, note) in enumerate(zip(citations, notes, strict=True))
        ],
        distance,
    )


_USES = "_policycite_uses_positions"


def uses_positions(root: Any) -> bool:
    """Whether a style tests positions or prints first-reference-note-number (cached)."""
    uses = root.__dict__.get(_USES)
    if uses is None:
        found = root.xpath(
            "//cs:if[@position] | //cs:else-if[@position]"
            " | //cs:*[contains(@variable, 'first-reference-note-number')]",
            namespaces={"cs": "http://purl.org/net/xbiblio/csl"},
        )
        uses = root.__dict__[_USES] = bool(found)
    return bool(uses)


def position_all_first(citations: Sequence[Any]) -> None:
    """Every cite of ``citations`` a first cite (clusters rendered each on its own)."""
    for citation in citations:
        for item in citation.cites:
            dict.__setitem__(item, POSITION, FIRST)
            dict.__setitem__(item, NEAR_NOTE, False)
            dict.pop(item, FIRST_NOTE, None)
