"""Rules on quotations and copied passages.

Each quotation is anchored in the source its citation names (verbatim, misquote,
ambiguous, not found) and its locator compared with the paragraph found; a quotation
cited to a news article is looked for in the primary sources the library holds, and one
not in its cited source in the other records; and sentences copied without quotation
marks are found.
"""

from __future__ import annotations

import pickle
import re
from functools import cached_property

import attrs

from policycite import derived
from policycite.anchors.copying import CopyIndex, Copying, gram_hashes
from policycite.anchors.match import Anchoring, anchor
from policycite.anchors.pinning import anchoring_finding, copying_findings
from policycite.anchors.quotes import strip_quotation_marks
from policycite.brief.model import Brief, Citation, Quotation
from policycite.brief.notes import mark_label
from policycite.findings import Edit, Finding
from policycite.model import AnchorStatus, Source
from policycite.rules.context import Context, quoted_through
from policycite.rules.locations import located, placed

#: Kinds that are the primary record of what was said or decided.
PRIMARY_KINDS = frozenset({"press-release", "speech", "statement", "report"})
#: Kinds that report what a primary source said.
SECONDARY_KINDS = frozenset({"news-article"})

_PARAGRAPHS = re.compile(r"\bparas?\.?\s*(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
_PAGES = re.compile(r"\b(?:pp?\.|page|pages)\s*\d+", re.IGNORECASE)


def _paragraph_range(locator: str | None) -> tuple[int, int] | None:
    found = _PARAGRAPHS.search(locator or "")
    if found is None:
        return None
    first = int(found.group(1))
    return first, int(found.group(2) or first)


def _locator(quotation: Quotation) -> str | None:
    citation = quotation.citation
    if citation is None:
        return None
    return next((w.locator for w in citation.works if w.locator), None)


def _as_written(brief: Brief, citation: Citation | None) -> bool:
    """Whether a citation of one work stands in the brief's text as it reads it."""
    return (
        citation is not None
        and len(citation.works) == 1
        and brief.text[citation.span.start : citation.span.end] == citation.text
    )


def _with_locator(brief: Brief, citation: Citation | None, paragraph: str) -> tuple[Edit, ...]:
    """The fix of PC211: ", para. N" before the closing bracket of a one-work citation."""
    if not _as_written(brief, citation) or citation is None:
        return ()
    closing = {"parenthetical": ")", "narrative": ")", "pandoc": "]"}.get(citation.form)
    if closing is None or not citation.text.endswith(closing):
        return ()
    end = citation.span.end - 1
    return (Edit(end, end, f", {paragraph}"),)


def _relocated(
    brief: Brief, citation: Citation | None, locator: str, paragraph: str
) -> tuple[Edit, ...]:
    """The fix of PC212: the citation's locator, written once in it, replaced."""
    if not _as_written(brief, citation) or citation is None:
        return ()
    if citation.form == "note" or citation.text.count(locator) != 1:
        return ()
    start = citation.span.start + citation.text.index(locator)
    return (Edit(start, start + len(locator), paragraph),)


def _meant(quotation: Quotation, found: Anchoring) -> bool:
    """Whether the locator names exactly one of the places of an ambiguous quotation."""
    if found.status is not AnchorStatus.AMBIGUOUS:
        return False
    locator = _locator(quotation)
    given = _paragraph_range(locator)
    if given is None or _PAGES.search(locator or ""):
        return False
    first, last = given
    named = {
        p.paragraph
        for p in found.places
        if p.paragraph is not None and first <= p.paragraph <= last
    }
    return len(named) == 1


class QuotationRules:
    """Quotation and copying rules; the copy index is built once, when first needed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @cached_property
    def copy_index(self) -> CopyIndex:
        """The shingle index over the snapshots that share text with the brief.

        For a library read through its cache (see derived) the index is kept between
        runs, keyed by what it is built from: each source's label, snapshot hash and
        paragraphs. A check of the same brief, or of one drawing on the same sources,
        reads it back instead of tokenising every snapshot again.
        """
        sources = [(s.key, snap) for s, snap in self.ctx.sources_with_snapshots]
        found = derived.identity(self.ctx.library)
        if found is None or not sources:
            return CopyIndex(sources)
        made_of = [(label, snap.sha256, snap.paragraphs) for label, snap in sources]
        key = derived.digest(pickle.dumps(made_of, pickle.HIGHEST_PROTOCOL))
        state = derived.load("copyindex", found[0], key)
        if isinstance(state, dict):
            return CopyIndex.from_state(state, sources)
        index = CopyIndex(sources)
        derived.store("copyindex", found[0], key, index.state())
        return index

    def findings(self) -> list[Finding]:
        """Findings for every quotation of the brief."""
        out: list[Finding] = []
        for quotation, source, found in self.ctx.anchored:
            out.extend(self._quotation(quotation, source, found))
        return out

    def _where(self, quotation: Quotation, source: Source | None) -> dict[str, object]:
        key = source.key if source is not None else None
        return {"location": located(self.ctx.brief, quotation.span, key=key)}

    def _quotation(
        self, quotation: Quotation, source: Source | None, found: Anchoring | None
    ) -> list[Finding]:
        where = self._where(quotation, source)
        if quotation.citation is None:
            return [
                Finding(
                    "PC211",
                    "a quotation with no citation",
                    hint="cite its source with a paragraph or page, e.g. (Author, 2020, para. 4)",
                    **where,  # type: ignore[arg-type]
                )
            ]
        if source is None:
            # The citation itself is reported too (PC201, PC209, PC210, PC218); the
            # quotation must not pass as checked.
            return [
                Finding(
                    "PC220",
                    f"{self._unresolved(quotation)}: the quotation's words are not checked",
                    hint="correct the citation or its reference, or capture the source",
                    **where,  # type: ignore[arg-type]
                )
            ]
        if found is None and self.ctx.store is None:
            return [
                Finding(
                    "PC220",
                    "the library has no snapshots (it is read from a file, not a library "
                    "folder): the quotation's words are not checked",
                    hint="check against the library folder: policycite check BRIEF -l FOLDER",
                    **where,  # type: ignore[arg-type]
                )
            ]
        if found is None:
            return [
                Finding(
                    "PC220",
                    f"@{source.key} has no snapshot: the quotation's words are not checked",
                    hint=f"capture the source: policycite add {source.url or 'FILE|URL'}",
                    **where,  # type: ignore[arg-type]
                )
            ]
        out = self._secondary(quotation, source, found)
        if not out and found.status is AnchorStatus.NOT_FOUND:
            out = self._elsewhere(quotation, source)
        if found.status is AnchorStatus.VERBATIM:
            out.extend(self._locator(quotation, found, where))
        elif not (out and found.status is AnchorStatus.NOT_FOUND) and not _meant(quotation, found):
            finding = anchoring_finding(found, where["location"])  # type: ignore[arg-type]
            if finding is not None:
                out.append(finding)
        return out

    def _unresolved(self, quotation: Quotation) -> str:
        """Why a cited quotation has no source to be checked against."""
        ctx = self.ctx
        reasons = []
        for resolved in ctx.quotation_works(quotation):
            work = resolved.work
            if resolved.citation.form == "note" and not resolved.references:
                note = mark_label(resolved.citation.text)
                reasons.append(f"footnote {note} names no entry of the reference list")
                continue
            if work.key is not None:
                reasons.append(f"@{work.key} is not in the library")
                continue
            label = ", ".join(p for p in (work.authors, work.year) if p)
            if not resolved.references:
                reasons.append(f"({label}) has no entry in the reference list")
            elif len(resolved.references) > 1:
                numbers = ", ".join(str(ctx.entries[i].number) for i in resolved.references)
                reasons.append(f"({label}) fits references {numbers}")
            else:
                number = ctx.entries[resolved.references[0]].number
                reasons.append(f"reference {number} matches no record of the library")
        return "; ".join(dict.fromkeys(reasons)) or "its citation names no source"

    def _locator(
        self, quotation: Quotation, found: Anchoring, where: dict[str, object]
    ) -> list[Finding]:
        place = found.place
        if place is None or place.paragraph is None:
            return []
        paragraph = (
            f"para. {place.paragraph}"
            if not place.paragraph_end or place.paragraph_end == place.paragraph
            else f"paras. {place.paragraph}–{place.paragraph_end}"
        )
        locator = _locator(quotation)
        cited = quotation.citation
        if locator is None and cited is not None and quoted_through(cited)[1]:
            return []  # "as cited in": the reader is sent to the secondary source
        if locator is None:
            return [
                Finding(
                    "PC211",
                    "the quotation's citation gives no paragraph",
                    hint=f"the quotation is in {paragraph}: add \u201c{paragraph}\u201d",
                    fix=_with_locator(self.ctx.brief, cited, paragraph),
                    **where,  # type: ignore[arg-type]
                )
            ]
        given = _paragraph_range(locator)
        if given is None or _PAGES.search(locator):
            return []  # a page or section locator: nothing to compare with
        last = place.paragraph_end or place.paragraph
        if given[0] <= place.paragraph <= given[1] or given[0] <= last <= given[1]:
            return []
        return [
            Finding(
                "PC212",
                f"the citation says {locator}; the quotation is in {paragraph}",
                hint=f"cite {paragraph}",
                fix=_relocated(self.ctx.brief, cited, locator, paragraph),
                **where,  # type: ignore[arg-type]
            )
        ]

    def _secondary(self, quotation: Quotation, source: Source, found: Anchoring) -> list[Finding]:
        """PC213: a quotation cited to a news article that a primary source holds.

        A source of another kind that is not itself primary (a web page, a blog post)
        counts too where it gives the words in quotation marks of its own: it reports
        them, whatever kind its capture guessed.
        """
        if source.kind in PRIMARY_KINDS:
            return []
        if source.kind not in SECONDARY_KINDS and not self._quotes(source, found):
            return []
        cited = self.ctx.cited_keys()
        candidates = self._holders(quotation.text)
        for key in candidates:
            primary = self.ctx.library.get(key)
            if primary is None or primary.kind not in PRIMARY_KINDS or key in cited:
                continue
            snapshot = self.ctx.snapshot(primary)
            if snapshot is None:
                continue
            found = anchor(snapshot, quotation.text)
            if found.status in {AnchorStatus.VERBATIM, AnchorStatus.MISQUOTE} and found.place:
                return [
                    Finding(
                        "PC213",
                        f"the quotation is in @{primary.key} ({primary.kind}, para. "
                        f"{found.place.paragraph}), which the brief does not cite; it cites "
                        f"only the {_reporter(source)}",
                        hint=f"cite @{primary.key}, para. {found.place.paragraph}",
                        **self._where(quotation, source),  # type: ignore[arg-type]
                    )
                ]
        return []

    def _quotes(self, source: Source, found: Anchoring) -> bool:
        """Whether ``source`` holds the quotation inside quotation marks of its own."""
        place = found.place
        snapshot = self.ctx.snapshot(source)
        if found.status is not AnchorStatus.VERBATIM or place is None or snapshot is None:
            return False
        return quoted_at(snapshot.text, place.start, place.end)

    def _elsewhere(self, quotation: Quotation, source: Source) -> list[Finding]:
        """PC213: a quotation not in its cited source that another record holds.

        Only the records whose snapshots share a word 5-gram with the quotation are
        searched (their stored 5-gram hashes answer that): a verbatim place wins over a
        misquoted one.
        """
        stored = self.ctx.grams
        mine = set(gram_hashes(strip_quotation_marks(quotation.text)))
        if not mine or stored is None:
            return []
        best: tuple[Source, int] | None = None
        for other, snapshot in self.ctx.sources_with_snapshots:
            if other.key == source.key or mine.isdisjoint(stored.grams(snapshot.sha256)):
                continue
            found = anchor(snapshot, quotation.text)
            if found.place is None or found.place.paragraph is None:
                continue
            if found.status is AnchorStatus.VERBATIM:
                best = (other, found.place.paragraph)
                break
            if found.status is AnchorStatus.MISQUOTE and best is None:
                best = (other, found.place.paragraph)
        if best is None:
            return []
        other, number = best
        paragraph = f"para. {number}"
        return [
            Finding(
                "PC213",
                f"the quotation is not in @{source.key}, which the citation names; it is in "
                f"@{other.key} ({other.kind}, {paragraph})",
                hint=f"cite @{other.key}, {paragraph}",
                **self._where(quotation, source),  # type: ignore[arg-type]
            )
        ]

    def _holders(self, text: str) -> list[str]:
        """Keys of sources sharing a long run of words with ``text`` (quotation marks off)."""
        copies: list[Copying] = self.copy_index.find(text)
        return [hit.label for copy in copies for hit in copy.sources]

    def copying(self) -> tuple[list[Finding], list[Copying]]:
        """PC410/PC411 for sentences of the body copied without quotation marks."""
        brief = self.ctx.brief
        # Only what the author wrote counts: front matter, headings and the reference list
        # are blanked out (offsets stay as they are, so locations stay right). So are block
        # quotes: quoted text, though only Markdown's '>' shows it to the copy index (a Word,
        # HTML or LaTeX block quote leaves no mark in the text).
        chars = [" " if c != "\n" else c for c in brief.text]
        for paragraph in brief.body:
            if paragraph.kind == "blockquote":
                continue  # a block quote is quoted, whatever marks it (">", Word's style, LaTeX)
            chars[paragraph.span.start : paragraph.span.end] = brief.text[
                paragraph.span.start : paragraph.span.end
            ]
        body = "".join(chars)
        if not self.ctx.sources_with_snapshots:
            return [], []
        copies = self.copy_index.find(body)
        found = copying_findings(copies, brief.path, brief.text)
        return [attrs.evolve(f, location=placed(brief, f.location)) for f in found], copies


def _reporter(source: Source) -> str:
    """The cited secondary source as PC213 names it: "news article @key"."""
    if source.kind in SECONDARY_KINDS:
        return f"news article @{source.key}"
    return f"{source.kind} @{source.key}, which quotes it"


# Double quotation marks of the languages a source may be in: opening mark -> closing ones.
_PAIRS = {"“": "”", "„": "“”", "«": "»", "»": "«"}
_MARKS_RE = re.compile("[“”„«»]")


def quoted_at(text: str, start: int, end: int, reach: int = 600) -> bool:
    """Whether ``text[start:end]`` lies inside double quotation marks of ``text``.

    Typographic marks (English “…”, German „…“, French «…», Nordic »…«) are paired from
    the start of the paragraph (at most ``reach`` characters back): one still open at
    ``start`` and closed after ``end``. Straight marks: an odd number of them before
    ``start`` in the paragraph and one after ``end``.
    """
    low = max(0, start - reach, text.rfind("\n", 0, start) + 1)
    high = text.find("\n", end)
    high = min(len(text) if high < 0 else high, end + reach)
    before, after = text[low:start], text[end:high]
    open_mark = ""
    for mark in _MARKS_RE.findall(before):
        if not open_mark:
            open_mark = mark if mark in _PAIRS else ""
        elif mark in _PAIRS[open_mark]:
            open_mark = ""
    if open_mark:
        return any(m in after for m in _PAIRS[open_mark])
    return before.count('"') % 2 == 1 and '"' in after


__all__ = ["PRIMARY_KINDS", "SECONDARY_KINDS", "QuotationRules", "quoted_at"]
