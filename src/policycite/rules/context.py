"""What every rule family needs, worked out once.

Parsed references and their matches, citations resolved to references and sources,
quotations anchored in their sources.

Resolution follows APA's author–date logic: a citation names a work by its first
author (family name, organisation or its abbreviation) and year (with suffix); the
reference list entry with the same author and year is the one meant, and the record
that entry matches is the source. Pandoc citations name the record by key. A citation
made by a reference manager in Word (Zotero, Mendeley, EndNote) names its record by
the item stored in its field (:mod:`policycite.rules.fielditems`), not by its words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from pathlib import Path

import attrs

from policycite import derived
from policycite.anchors.match import Anchoring, anchor
from policycite.anchors.shingles import StoredGrams, snapshots_of
from policycite.brief.matching import MATCH_MIN, Match, ReferenceMatcher
from policycite.brief.model import Brief, Citation, CitedWork, Quotation, ReferenceEntry
from policycite.brief.refparse import ParsedReference, RefName, parse_reference
from policycite.errors import InputError
from policycite.findings import Edit, Location
from policycite.model import Library, Source
from policycite.rules.fielditems import ItemIndex
from policycite.rules.groups import Group, groups
from policycite.rules.locations import located
from policycite.rules.quotable import is_quotation
from policycite.snapshots import Snapshot, SnapshotStore

_ASCII_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Casefolded letters and digits only, accents removed: for comparing names."""
    if text.isascii():
        # The same result without a Python call per character (a check folds thousands
        # of names and titles): ASCII has no decomposition, its letters casefold to a-z.
        return _ASCII_NOT_ALNUM.sub("", text.casefold())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


_ET_AL = re.compile(r"\s+et\s+al\.?", re.IGNORECASE)
_AND = re.compile(r"\s*(?:&|\band\b|,)\s*")
_BRACKET = re.compile(r"\s*\[([^\]]+)\]")
# Small words of organisation names: a part holding one is no person's name.
_ORGANISATION_WORDS = frozenset("of for on the in to at und des du de la".split())


def cited_names(authors: str) -> tuple[str, ...]:
    """The folded names a citation's author part can stand for, the most likely first.

    "Shanghai Cooperation Organisation [SCO]" gives the organisation and "sco"; "Smith et
    al." gives "smith"; "Smith & Jones" gives "smithjones" (which names no one) and then
    "smith" (first author decides). "Ministry of Energy and Climate" is one group author:
    its whole name comes first, and since its first part "Ministry of Energy" is no
    person's name, "and" does not split it.
    """
    whole, split = _cited_names(authors)
    return tuple(dict.fromkeys((*whole, *split)))


def _cited_names(authors: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the whole author part, and of its first author when it is split.

    "and", "&" and "," separate authors only between person names: a part with the small
    words of an organisation name ("of", "for") is not split off.
    """
    whole = []
    bracket = _BRACKET.search(authors)
    if bracket:
        whole.append(fold(bracket.group(1)))
        authors = _BRACKET.sub("", authors)
    authors = _ET_AL.sub("", authors).strip()
    whole.append(fold(authors))
    first = _AND.split(authors)[0]
    person = not _ORGANISATION_WORDS & {w.casefold() for w in first.split()}
    split = (fold(first),) if person else ()
    return tuple(n for n in whole if n), tuple(n for n in split if n)


def reference_names(ref: ParsedReference) -> tuple[str, ...]:
    """The folded names a reference's first author can be cited by."""
    if not ref.authors:
        return (fold(ref.title or ""),)  # APA: a work without author is cited by title
    first: RefName = ref.authors[0]
    names = [first.family or "", first.literal or "", first.abbreviation or ""]
    if first.literal:
        # "Ministry of Foreign Affairs of Russia" may be cited by its initials "MFA".
        names.append("".join(w[0] for w in first.literal.split() if w[:1].isupper()))
    return tuple(fold(n) for n in names if n and fold(n))


def reference_year(ref: ParsedReference) -> str:
    """The year label a citation uses for a reference: "2020", "2020a", "n.d.", "n.d.-a"."""
    if ref.no_date or ref.year is None:
        return "n.d." + (f"-{ref.year_suffix}" if ref.year_suffix else "")
    return f"{ref.year}{ref.year_suffix or ''}"


def _year_label(year: str | None) -> str:
    return (year or "").replace(" ", "").casefold()


# A title in quotation marks, as a note writes it.
_NOTE_TITLE_RE = re.compile(r"[“\"]([^”“\"]{3,300})[”\"]")


#: Paragraph kinds whose quotation marks mark quotations (and titles: see rules.quotable).
_QUOTING = frozenset({"body", "blockquote", "footnote"})
# A sentence ends between two citations: "… (Smith, 1990). Jones (1991) …".
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s|\n\s*\n")


def quoted_through(citation: Citation) -> tuple[set[int], set[int]]:
    """The works of a citation quoted through another, and those they are quoted in.

    In "(Marsh, 2025, as cited in Pell, 2025)" work 0 (Marsh) is the primary source the
    writer did not see, work 1 (Pell) the secondary source that holds the words: APA
    lists only the secondary source (APA 7, 8.6). Returns (primary, secondary) indices;
    the parser marks them (:attr:`CitedWork.role`).
    """
    primary = {i for i, w in enumerate(citation.works) if w.role == "primary"}
    secondary = {i for i, w in enumerate(citation.works) if w.role == "secondary"}
    return primary, secondary


def _primaries_before(citations: tuple[Citation, ...], text: str) -> set[int]:
    """Narrative citations named as primaries by a later "(as cited in Kask, 2024)".

    "Smith (1990) and Jones (1991) found … (as cited in Kask, 2024)": the citation that
    holds only the secondary work makes the narrative citations before it in the same
    sentence primaries (APA 7, 8.6).
    """
    out: set[int] = set()
    for index, citation in enumerate(citations):
        roles = {w.role for w in citation.works}
        if "secondary" not in roles or "primary" in roles:
            continue
        end = citation.span.start
        for before in range(index - 1, -1, -1):
            earlier = citations[before]
            if earlier.form != "narrative" or any(w.role for w in earlier.works):
                break
            if _SENTENCE_END.search(text, earlier.span.end, end):
                break
            out.add(before)
            end = earlier.span.start
    return out


@attrs.frozen
class Resolved:
    """What one cited work points to: reference entries (by index) and a source."""

    citation: Citation
    work: CitedWork
    references: tuple[int, ...]  # indices into Context.entries with the same author and year
    same_author: tuple[int, ...]  # indices of entries with that author and another year
    source: Source | None
    #: Quoted through another work ("as cited in"): APA lists only the other one.
    through: bool = False


class Context:
    """The brief, the library and everything worked out from them, computed lazily."""

    def __init__(self, brief: Brief, library: Library, folder: Path | str | None) -> None:
        self.brief = brief
        self.library = library
        # None: a library read from files (CSL-JSON, BibTeX) has no snapshots.
        self.folder = Path(folder) if folder is not None else None
        self.store = SnapshotStore(folder) if folder is not None else None

    @cached_property
    def entries(self) -> tuple[ReferenceEntry, ...]:
        """The brief's reference list."""
        return self.brief.references

    @cached_property
    def parsed(self) -> tuple[ParsedReference, ...]:
        """Each entry of the reference list parsed into fields."""
        return tuple(parse_reference(e.text) for e in self.entries)

    @cached_property
    def matches(self) -> tuple[Match | None, ...]:
        """The best match of each reference entry, or None below MATCH_MIN."""
        matcher = self.matcher
        out = []
        for ref in self.parsed:
            found = matcher.match(ref)
            out.append(found[0] if found and found[0].confidence >= MATCH_MIN else None)
        return tuple(out)

    @cached_property
    def matcher(self) -> ReferenceMatcher:
        """The library's reference matcher; its index kept between runs (see derived).

        The index depends on the records alone: it is keyed by the digest that names the
        version of every record file (a library read from a folder through its cache).
        """
        found = derived.identity(self.library)
        if found is None:
            return ReferenceMatcher(self.library)
        scope, key = found
        index = derived.load("matcher", scope, key)
        matcher = ReferenceMatcher(self.library, index)
        if index is None:
            derived.store("matcher", scope, key, matcher.index)
        return matcher

    def matched_source(self, index: int) -> Source | None:
        """The record reference entry ``index`` matches, if any."""
        found = self.matches[index]
        return self.library.get(found.key) if found is not None else None

    def entry_edit(self, index: int, span: tuple[int, int] | None, text: str) -> tuple[Edit, ...]:
        """The edit writing ``text`` over ``span`` of reference entry ``index``'s text.

        Empty (no certain fix) when there is no span, or when the entry is not the
        brief's text as it stands (a reader that rewrote it): an edit must land on the
        characters the author sees.
        """
        entry = self.entries[index]
        if span is None or self.brief.text[entry.span.start : entry.span.end] != entry.text:
            return ()
        start, end = span
        if not 0 <= start <= end <= len(entry.text) or entry.text[start:end] == text:
            return ()
        return (Edit(entry.span.start + start, entry.span.start + end, text),)

    def entry_location(self, index: int) -> Location:
        """Where a finding about reference entry ``index`` points (with its record's key)."""
        entry, match = self.entries[index], self.matches[index]
        return located(
            self.brief,
            entry.span,
            key=match.key if match else None,
            field=f"reference {entry.number}",
        )

    @cached_property
    def groups(self) -> tuple[Group | None, ...]:
        """Each entry's group author, its abbreviations and their definitions in the brief."""
        return groups(
            self.brief, self.parsed, [self.matched_source(i) for i in range(len(self.entries))]
        )

    @cached_property
    def _names(self) -> tuple[frozenset[str], ...]:
        """The folded names each reference can be cited by (worked out once).

        A group is cited by its abbreviation too: the record's, or one the brief defines
        ("Nordfjord Water Authority (NORWAT, 2020)"), not only its initials.
        """
        return tuple(
            frozenset(reference_names(ref)).union(
                fold(a) for a in (group.abbreviations if group is not None else ())
            )
            for ref, group in zip(self.parsed, self.groups, strict=True)
        )

    @cached_property
    def _years(self) -> tuple[str, ...]:
        """The year label each reference is cited with."""
        return tuple(_year_label(reference_year(ref)) for ref in self.parsed)

    @cached_property
    def resolved(self) -> tuple[Resolved, ...]:
        """Every cited work of every citation, resolved."""
        out = []
        citations = self.brief.citations
        named = _primaries_before(citations, self.brief.text)
        for number, citation in enumerate(citations):
            primary, _ = quoted_through(citation)
            for index, work in enumerate(citation.works):
                resolved = self._resolve(citation, work)
                if index in primary or number in named:
                    resolved = attrs.evolve(resolved, through=True)
                out.append(resolved)
        return tuple(out)

    @cached_property
    def items(self) -> ItemIndex:
        """The library indexed by what a Word field's item names a record by."""
        return ItemIndex(self.library)

    def _resolve(self, citation: Citation, work: CitedWork) -> Resolved:
        found = self._by_text(citation, work)
        if citation.field is None or work.item is None or work.item >= len(citation.field.items):
            return found
        # A reference manager's field names its record by the item it stores: the entries
        # are those matching that record, else those its words name.
        source, _ = self.items.find(citation.field.items[work.item])
        if source is None:
            return found
        refs = tuple(i for i, m in enumerate(self.matches) if m is not None and m.key == source.key)
        if refs:
            return Resolved(citation, work, refs, (), source)
        return attrs.evolve(found, source=source)

    def _by_text(self, citation: Citation, work: CitedWork) -> Resolved:
        if citation.form == "note":  # the note's words name the entry
            exact = tuple(sorted(self._note_entries(work.authors)))
            keys = {m.key if m is not None else None for m in (self.matches[i] for i in exact)}
            source = self.matched_source(exact[0]) if exact and len(keys) == 1 else None
            return Resolved(citation, work, exact, (), source)
        if work.key is not None:
            source = self.library.get(work.key)
            refs = tuple(
                i for i, m in enumerate(self.matches) if m is not None and m.key == work.key
            )
            return Resolved(citation, work, refs, (), source)
        # A group author whose name holds "and" matches as a whole before "and" splits it.
        whole, split = _cited_names(work.authors)
        same_author = [i for i, ref_names in enumerate(self._names) if ref_names & set(whole)]
        if not same_author:
            names = set(split)
            same_author = [i for i, ref_names in enumerate(self._names) if names & ref_names]
        year = _year_label(work.year)
        exact = tuple(i for i in same_author if self._years[i] == year)
        if len(exact) > 1:
            # "(Lind, Okafor, & Valk, 2021)" and "(Lind, Okafor, & Zeller, 2021)": the names
            # written after the first tell two works apart (APA 8.18).
            exact = self._by_names(work.authors, exact) or exact
        other = tuple(i for i in same_author if i not in exact)
        # One entry, or several that match one record (a duplicated entry), name a source.
        keys = {m.key if m is not None else None for m in (self.matches[i] for i in exact)}
        source = self.matched_source(exact[0]) if len(keys) == 1 else None
        return Resolved(citation, work, exact, other, source)

    def _by_names(self, authors: str, entries: tuple[int, ...]) -> tuple[int, ...]:
        """The entries whose first authors are the persons the citation writes out."""
        written = [fold(n) for n in _AND.split(_ET_AL.sub("", authors)) if fold(n)]
        if len(written) < 2:
            return ()
        return tuple(
            i
            for i in entries
            if [fold(a.family or "") for a in self.parsed[i].authors[: len(written)]] == written
        )

    def cited_entries(self) -> set[int]:
        """Indices of reference entries some citation (or footnote) resolves to."""
        return {i for r in self.resolved for i in r.references} | self._noted

    @cached_property
    def _noted(self) -> set[int]:
        """Entries a footnote cites in the notes style ("1. Norov, “Speech …,” 2020.").

        A note names the work by its first author and title words: an entry counts as
        cited when a footnote holds its author's name and the first words of its title.
        """
        out: set[int] = set()
        for paragraph in self.brief.paragraphs:
            if paragraph.kind == "footnote":
                out |= self._note_entries(paragraph.text)
        return out

    def _note_entries(self, note: str) -> set[int]:
        """The entries a note names: its author, and its title's first words or short title.

        A short title is quoted words of the title: "Valk, “Regional Forum on District
        Heating,” para. 3."
        """
        folded = fold(note)
        short = [f for f in (fold(q) for q in _NOTE_TITLE_RE.findall(note)) if len(f) >= 8]
        out = set()
        for i, (names, start, title) in enumerate(self._note_keys):
            if not any(n in folded for n in names):
                continue
            if not start or start in folded or any(q in title for q in short):
                out.add(i)
        return out

    @cached_property
    def _note_keys(self) -> tuple[tuple[tuple[str, ...], str, str], ...]:
        """Each entry's folded names (longer than two letters), first title words, title."""
        return tuple(
            (
                tuple(n for n in self._names[i] if len(n) > 2),
                fold(" ".join((ref.title or "").split()[:3])),
                fold(ref.title or ""),
            )
            for i, ref in enumerate(self.parsed)
        )

    def cited_keys(self) -> set[str]:
        """Keys of the records the brief cites (through its references or by key)."""
        keys = {r.source.key for r in self.resolved if r.source is not None}
        keys |= {m.key for m in self.matches if m is not None}
        return keys

    def snapshot(self, source: Source) -> Snapshot | None:
        """A source's current snapshot, or None (none named, missing or damaged)."""
        sha = source.provenance.content_sha256
        if sha is None or self.store is None or sha not in self.store:
            return None
        try:
            return self.store.get(sha)
        except InputError:  # damaged: `policycite verify` reports it
            return None

    @cached_property
    def titles(self) -> frozenset[str]:
        """The folded titles of the works the brief cites: entries and their records."""
        titles = {ref.title for ref in self.parsed}
        keys = {m.key for m in self.matches if m is not None}
        keys |= {r.work.key for r in self.resolved if r.work.key is not None}
        for key in keys:
            source = self.library.get(key)
            if source is not None:
                titles |= {source.title, source.translated_title, source.title_transliterated}
        return frozenset(f for f in (fold(t) for t in titles if t) if f)

    @cached_property
    def quotations(self) -> tuple[Quotation, ...]:
        """The brief's quotations to check: in the body, block quotes and footnotes.

        Scare quotes, terms and the titles of works are left out (see rules.quotable);
        quoted words in the reference list are titles.
        """
        spans = [
            (p.span.start, p.span.end, p.kind) for p in self.brief.paragraphs if p.kind in _QUOTING
        ]
        out = []
        text = self.brief.text
        for quotation in self.brief.quotations:
            start = quotation.span.start
            kind = next(((a, b, k) for a, b, k in spans if a <= start < b), None)
            if kind is None:
                continue
            note = (kind[0], kind[1]) if kind[2] == "footnote" else None
            if is_quotation(quotation, text, fold(quotation.text), self.titles, footnote=note):
                out.append(quotation)
        return tuple(out)

    @cached_property
    def anchored(self) -> tuple[tuple[Quotation, Source | None, Anchoring | None], ...]:
        """Each quotation with the source its citation names and where it was found."""
        out = []
        for quotation in self.quotations:
            source = self.quotation_source(quotation)
            snapshot = self.snapshot(source) if source is not None else None
            found = anchor(snapshot, quotation.text) if snapshot is not None else None
            out.append((quotation, source, found))
        return tuple(out)

    def quotation_source(self, quotation: Quotation) -> Source | None:
        """The source a quotation's citation names (its first resolvable work)."""
        return next((r.source for r in self.quotation_works(quotation) if r.source), None)

    def quotation_works(self, quotation: Quotation) -> tuple[Resolved, ...]:
        """The resolved works of a quotation's citation.

        Compared by place, not value: a narrative citation hands its quotation a copy
        with the locator written after the quotation ("Norov (2020) said “…” (para. 4)").
        """
        if quotation.citation is None:
            return ()
        span = quotation.citation.span
        works = tuple(r for r in self.resolved if r.citation.span == span)
        _, secondary = quoted_through(quotation.citation)
        if secondary:  # the words are checked in the work they are quoted from
            return tuple(r for i, r in enumerate(works) if i in secondary)
        return works

    @cached_property
    def sources_with_snapshots(self) -> tuple[tuple[Source, Snapshot], ...]:
        """Sources whose snapshots share a run's worth of word 5-grams with the brief.

        Only these can hold a quotation or a copied run; the stored 5-gram hashes of
        each snapshot answer that without reading every text (see anchors.shingles).
        For a library read through its cache (see derived) the answer is kept between
        runs, as the copy index is.
        """
        if self.store is None or self.grams is None:
            return ()
        remember = derived.identity(self.library) is not None
        found = snapshots_of(self.store, self.library, self.brief.text, self.grams, remember)
        return tuple(found)

    @cached_property
    def grams(self) -> StoredGrams | None:
        """The 5-gram hashes of the library's snapshots (its grams.pack); None: no folder."""
        return StoredGrams(self.store) if self.store is not None else None


__all__ = [
    "Context",
    "Resolved",
    "cited_names",
    "fold",
    "quoted_through",
    "reference_names",
    "reference_year",
]
