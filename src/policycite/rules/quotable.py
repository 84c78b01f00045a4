"""Decide which quoted words of a brief are quotations to check against a source.

Quotation marks do more than quote: they mark scare quotes ("clean heat"), terms
("so-called …"), and the titles of works (the report "Cold homes, warm words"). Only a
quotation claims that a source has these words, so only a quotation is anchored and can
get PC401–PC403 or PC211/PC212. The evidence, in order (the first that applies decides):

1. Fewer than three words with no citation: a scare quote (decided when the brief is
   read, :mod:`policycite.brief.structure`).
2. Named, not quoted: the words follow "so-called", "called", "titled", "entitled",
   "dubbed", "named", "labelled", "known as", "the term/word/phrase/slogan/motto/label".
3. A title: the words follow the name of a kind of work ("the report", "the strategy",
   "the article", "the white paper" …; not after a colon, and not when the citation
   gives a page or paragraph: then the work is quoted), or they are the title of a work
   the brief cites (equal to it, its start, or a run of its words; for the titles of the
   reference list's entries and of the records they and the citations name).
4. In a footnote, words closed by a comma inside the marks ("Title,") or opening right
   after the note's first comma (Chicago's *Author, "Title," …*) are a title.
5. Up to three words whose citation gives no page or paragraph: a term borrowed from the
   source, not checked. With a locator the writer claims a quotation, and it is checked.

Everything else is a quotation: it is checked, or gets a finding saying why it was not
(PC211 with no citation, PC220 with a citation that names no record or snapshot).
"""

from __future__ import annotations

import re

from policycite.brief.model import Quotation

# "so-called “…”", "what the ministry calls “…”", "a plan dubbed “…”".
_NAMING_RE = re.compile(
    r"(?:\bso[-\s]called|\bcall(?:ed|s)?|\b(?:en)?titled|\bdubbed|\bnamed|\blabell?ed|"
    r"\bknown\s+as|\bbranded(?:\s+as)?|\bthe\s+(?:term|word|phrase|slogan|motto|label|"
    r"name|title|headline|expression|catchphrase))\s*[,:]?\s*\Z",
    re.IGNORECASE,
)
# "the report “…”", "its strategy “…”", "in the white paper “…”".
_WORK_RE = re.compile(
    r"\b(?:report|reports|paper|papers|study|book|article|essay|chapter|strategy|"
    r"white\s+paper|green\s+paper|briefing|brief|policy\s+brief|working\s+paper|"
    r"programme|program|campaign|initiative|series|podcast|episode|film|documentary|"
    r"guidance|handbook|manual|headline|motto|slogan)"
    r",?\s*\Z",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+")
_OPENING_MARKS = "\"“„«‘'»"

#: A quotation of this many words or fewer needs a locator to be taken for a quotation.
SHORT_WORDS = 3


def is_quotation(
    quotation: Quotation,
    text: str,
    folded: str,
    titles: frozenset[str],
    *,
    footnote: tuple[int, int] | None = None,
) -> bool:
    """Whether ``quotation`` claims a source's words (see the module's rules).

    ``text`` is the brief's text, ``folded`` the quotation folded as ``titles`` are
    (letters and digits, case-folded), ``titles`` the folded titles of the works the
    brief cites, ``footnote`` the span of the footnote holding the quotation, if any.
    """
    start = quotation.span.start
    if not quotation.block:
        before = text[max(0, start - 60) : start].rstrip().rstrip(_OPENING_MARKS).rstrip()
        if _NAMING_RE.search(before):
            return False
        # "the report “…”" names a work; "the report: “…” (…, para. 2)" quotes it.
        if _WORK_RE.search(before) and not _located(quotation):
            return False
    if len(folded) >= 8 and any(folded in title for title in titles):
        return False
    if footnote is not None and _note_title(quotation, text, footnote):
        return False
    if len(_WORD_RE.findall(quotation.text)) <= SHORT_WORDS:
        return _located(quotation)
    return True


def _located(quotation: Quotation) -> bool:
    """Whether the quotation's citation gives a page or paragraph."""
    citation = quotation.citation
    return citation is not None and any(w.locator for w in citation.works)


def _note_title(quotation: Quotation, text: str, note: tuple[int, int]) -> bool:
    """A Chicago title in a note: "Title," closed by a comma, or right after the author."""
    if quotation.text.rstrip().endswith(","):
        return True
    first_comma = text.find(",", note[0], quotation.span.start)
    if first_comma < 0:
        return False
    between = text[first_comma + 1 : quotation.span.start].strip().strip(_OPENING_MARKS)
    return not between.strip()


__all__ = ["SHORT_WORDS", "is_quotation"]
