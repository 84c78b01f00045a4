"""What checking a brief gives: findings, the passages to highlight, the corrected list.

The output layer (text, JSON, SARIF, the HTML report) reads only this value.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from policycite.brief.model import Brief
from policycite.findings import Finding, Report


def _codes(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _texts(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _highlights(items: Iterable[Highlight]) -> tuple[Highlight, ...]:
    return tuple(items)


@attrs.frozen
class PassageLinks:
    """Text Fragment links to where a quotation was found in its source.

    ``live`` opens the source's page (its URL) scrolled to the passage and highlighting
    it, ``archived`` the archived copy likewise; either is None when the record has no
    such http(s) address. ``key`` is the source's citation key, ``paragraph`` the
    passage's paragraph in the snapshot (when known).
    """

    key: str
    live: str | None = None
    archived: str | None = None
    paragraph: int | None = None


@attrs.frozen
class Highlight:
    """A passage of the brief to mark in a report.

    ``kind`` is ``citation``, ``quotation``, ``copied`` (words copied from a source without
    quotation marks) or ``reference`` (an entry of the reference list); ``status`` says
    more where there is more to say (a quotation's ``verbatim``/``misquote``/
    ``not-found``, a reference's matched citation key); ``codes`` are the finding codes
    about this passage; ``links``, for a quotation found in its source, the Text
    Fragment links to the passage there.
    """

    start: int
    end: int
    kind: str
    status: str | None = None
    codes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    links: PassageLinks | None = None


@attrs.frozen
class ReferenceMatch:
    """The library record a reference-list entry was matched to, and how sure that is.

    ``number`` is the entry's number in the list; ``confidence`` runs from 0 to 1 (see
    :class:`policycite.brief.matching.ReferenceMatcher`); ``reasons`` say what agreed.
    """

    number: int
    key: str
    confidence: float
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_texts)


def _matches(items: Iterable[ReferenceMatch]) -> tuple[ReferenceMatch, ...]:
    return tuple(items)


@attrs.frozen
class CheckResult:
    """The outcome of checking one brief against a library.

    ``corrected`` is the reference list rendered from the matched records in the brief's
    style (plain text, one entry each), ``corrected_html`` the same as HTML; both are
    empty when nothing matched. ``style`` names the CSL style used. ``matches`` gives,
    for each entry that matched a record, the record and the confidence.
    """

    brief: Brief
    report: Report
    highlights: tuple[Highlight, ...] = attrs.field(default=(), converter=_highlights)
    corrected: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    corrected_html: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    style: str = "apa"
    matches: tuple[ReferenceMatch, ...] = attrs.field(default=(), converter=_matches)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings of the check (those of :attr:`report`), in the brief's order."""
        return self.report.findings


__all__ = ["CheckResult", "Highlight", "PassageLinks", "ReferenceMatch"]
