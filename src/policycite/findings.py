"""Findings: problems reported as data, with a stable code, a severity and a place.

Codes follow ruff's scheme: ``PC`` + three digits, the hundreds digit naming the family,
each with a kebab-case name; a code is never reused for another meaning. This module
must not import any other policycite module: every layer depends on it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from typing import Any

import attrs


class Severity(enum.Enum):
    """How bad a finding is; ``error`` and ``warning`` make the CLI exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort rank: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@attrs.frozen
class Code:
    """One entry of the code table."""

    code: str
    name: str
    severity: Severity
    summary: str


#: Every finding code policycite emits, by code. Families: 0xx library and data files,
#: 1xx rendering, 2xx checks of a brief, 3xx capture and verification of sources, 4xx
#: quotations and copying (also reported by the checks of a brief).
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code(
            "PC001",
            "unknown-field",
            Severity.WARNING,
            "A record has a field that is neither a CSL variable nor policycite's; it is kept "
            "as it is and written back unchanged.",
        ),
        Code(
            "PC002",
            "duplicate-key",
            Severity.ERROR,
            "Two records share one citation key; only the first is used.",
        ),
        Code(
            "PC003",
            "key-case-collision",
            Severity.ERROR,
            "Two citation keys differ only in letter case; citeproc-py and case-insensitive "
            "file systems cannot tell them apart.",
        ),
        Code(
            "PC004",
            "key-file-mismatch",
            Severity.WARNING,
            "A library file's name does not match the citation key it holds.",
        ),
        Code(
            "PC005",
            "stray-file",
            Severity.INFO,
            "A file in the library folder is not a record and is left alone.",
        ),
        Code(
            "PC010",
            "bibtex-syntax-error",
            Severity.ERROR,
            "A block of a .bib file cannot be parsed (unbalanced braces, a missing comma, a "
            "truncated entry); it is not imported.",
        ),
        Code(
            "PC011",
            "duplicate-bibtex-field",
            Severity.ERROR,
            "A .bib entry gives the same field twice; the first value is used.",
        ),
        Code(
            "PC012",
            "undefined-macro",
            Severity.ERROR,
            "A .bib value uses an @string macro that is not defined; its name is kept as text.",
        ),
        Code(
            "PC013",
            "entry-not-imported",
            Severity.ERROR,
            "A .bib entry cannot become a source (no key, an invalid URL or date); it is left out.",
        ),
        Code(
            "PC014",
            "unknown-entry-type",
            Severity.WARNING,
            "A .bib entry type that policycite has no kind for; it is imported as a generic "
            "document and its type is kept for export.",
        ),
        Code(
            "PC015",
            "bibtex-field-kept",
            Severity.INFO,
            "A .bib field with no policycite meaning is kept as written and exported again.",
        ),
        Code(
            "PC016",
            "key-unusable-in-latex",
            Severity.WARNING,
            "A citation key holds a character LaTeX reads as markup (# % & $ ~ ^ \\ { }); "
            "\\cite cannot name it, so rename it before exporting to .bib.",
        ),
        Code(
            "PC017",
            "bibtex-value-not-read",
            Severity.WARNING,
            "A .bib field's value is not what the field means (a month that is no month, a "
            "day that is no day); the entry is read without it and the field is kept as "
            "written.",
        ),
        Code(
            "PC018",
            "bibtex-expansion-limit",
            Severity.ERROR,
            "A .bib value would expand through @string macros beyond 1 MiB (or all expanded "
            "macros of the file beyond 64 MiB); it is kept unexpanded. Macros no value uses "
            "are never expanded.",
        ),
        Code(
            "PC101",
            "processor-warning",
            Severity.WARNING,
            "The CSL processor warned while rendering; the output may lack something.",
        ),
        Code(
            "PC102",
            "unknown-citation-key",
            Severity.ERROR,
            "A citation names a key that is not in the library.",
        ),
        Code(
            "PC103",
            "item-not-rendered",
            Severity.ERROR,
            "The CSL processor failed on one item; it is left out of the output.",
        ),
        Code(
            "PC104",
            "empty-entry",
            Severity.WARNING,
            "The style printed nothing for an item; it is missing from the bibliography.",
        ),
        Code(
            "PC105",
            "citation-syntax",
            Severity.ERROR,
            "A citation given to `cite` cannot be read (an unclosed bracket, a key "
            "missing after @); the other citations are rendered all the same.",
        ),
        Code(
            "PC201",
            "citation-without-reference",
            Severity.ERROR,
            "An in-text citation names a work the reference list does not hold.",
        ),
        Code(
            "PC202",
            "reference-not-cited",
            Severity.WARNING,
            "An entry of the reference list is never cited in the text (APA: every reference is "
            "cited, every citation has a reference).",
        ),
        Code(
            "PC203",
            "retrieved-from-without-url",
            Severity.ERROR,
            'A reference ends in "Retrieved from" with no URL after it: the address was lost, so '
            "a reader cannot find the source.",
        ),
        Code(
            "PC204",
            "missing-url",
            Severity.WARNING,
            "A reference to a web source (press release, speech transcript, news article, web "
            "page) gives no URL or DOI.",
        ),
        Code(
            "PC205",
            "apa6-retrieved-from",
            Severity.INFO,
            'A reference keeps APA 6\'s "Retrieved from" before its URL; APA 7 gives the URL '
            "alone (and a retrieval date only for pages designed to change).",
        ),
        Code(
            "PC206",
            "mojibake",
            Severity.WARNING,
            'A reference\'s title shows encoding damage ("??" for lost characters, UTF-8 read as '
            "another encoding, scripts run together).",
        ),
        Code(
            "PC207",
            "title-is-site-name",
            Severity.WARNING,
            "A reference's title is the site's name or banner, not the title of the page cited.",
        ),
        Code(
            "PC208",
            "date-mismatch",
            Severity.WARNING,
            "A reference's date differs from the date of the source it names (record or "
            "snapshot); often the date of the event instead of the publication.",
        ),
        Code(
            "PC209",
            "author-year-mismatch",
            Severity.ERROR,
            "An in-text citation names an author of the reference list with another year (or the "
            "year with another author).",
        ),
        Code(
            "PC210",
            "ambiguous-citation",
            Severity.ERROR,
            "An author-date citation fits more than one reference: the references need year "
            "suffixes (2020a, 2020b) and the citation one of them.",
        ),
        Code(
            "PC211",
            "quote-without-locator",
            Severity.WARNING,
            'A direct quotation\'s citation gives no page or paragraph (APA: "para. 4"); the hint '
            "gives the paragraph found.",
        ),
        Code(
            "PC212",
            "wrong-locator",
            Severity.WARNING,
            "A quotation's locator names another paragraph than the one the quotation was found "
            "in.",
        ),
        Code(
            "PC213",
            "secondary-for-primary",
            Severity.WARNING,
            "A quotation cited to a news article (or to a web page that quotes the words) is in "
            "a primary source the library holds (press release, speech, statement, report) "
            "that the brief does not cite; or a quotation "
            "not in the source cited is in another record (named, with its paragraph).",
        ),
        Code(
            "PC214",
            "duplicate-reference",
            Severity.WARNING,
            "Two entries of the reference list name the same source.",
        ),
        Code(
            "PC215",
            "reference-order",
            Severity.INFO,
            "The reference list is not in APA order (alphabetical by first author, then date).",
        ),
        Code(
            "PC216",
            "reference-style",
            Severity.INFO,
            "A reference differs from the APA rendering of the record it matches; both are shown.",
        ),
        Code(
            "PC217",
            "non-english-title-untranslated",
            Severity.WARNING,
            "A reference's title is not in English and has no English translation in square "
            "brackets (APA 7, 9.38).",
        ),
        Code(
            "PC218",
            "unresolved-reference",
            Severity.WARNING,
            "A reference matches no record of the library, so it cannot be checked; capture the "
            "source with `policycite add`.",
        ),
        Code(
            "PC219",
            "no-reference-list",
            Severity.WARNING,
            "No reference list was found in the brief (no References heading and no trailing "
            "block of references).",
        ),
        Code(
            "PC220",
            "quote-not-checked",
            Severity.INFO,
            "A quotation's words could not be checked, and the message says why: its citation "
            "names no record (no reference entry, several, one that matches no record) or the "
            "record has no snapshot.",
        ),
        Code(
            "PC221",
            "primary-source-listed",
            Severity.WARNING,
            'The reference list holds a work the brief cites only "as cited in" another '
            "(a primary source it did not read); APA lists only the secondary source "
            "(APA 7, 8.6).",
        ),
        Code(
            "PC222",
            "retrieved-without-date",
            Severity.WARNING,
            'A reference reads "Retrieved https://…": a retrieval phrase with neither date nor '
            '"from". APA 7 gives the URL alone, or "Retrieved Month D, YYYY, from URL" for a '
            "page designed to change (APA 7, 9.16).",
        ),
        Code(
            "PC223",
            "citation-order",
            Severity.WARNING,
            "The works of one parenthetical citation are not in APA order: alphabetical by "
            "first author as in the reference list; one author's works undated first, then by "
            "year (APA 7, 8.12). The hint gives the citation in order.",
        ),
        Code(
            "PC224",
            "abbreviation-in-reference",
            Severity.WARNING,
            "A group author in the reference list carries its abbreviation "
            '("World Health Organization [WHO]."): APA spells the name out there and '
            "introduces the abbreviation in the text only (APA 7, 6.25, 8.21).",
        ),
        Code(
            "PC225",
            "abbreviation-before-definition",
            Severity.WARNING,
            'A group author is cited by its abbreviation, "(WHO, 2020)", before the brief '
            'gives its full name with it (APA 7, 8.21): the first citation reads "(World '
            'Health Organization [WHO], 2020)" or "World Health Organization (WHO, 2020)".',
        ),
        Code(
            "PC226",
            "abbreviation-redefined",
            Severity.INFO,
            "A group author's abbreviation is defined again after its first definition; APA "
            "introduces it once, then writes the abbreviation alone.",
        ),
        Code(
            "PC227",
            "et-al-expected",
            Severity.WARNING,
            "A citation writes out the names of a work by three or more authors; APA 7 (8.17) "
            'gives the first author and "et al." from the first citation, unless more names '
            "are needed to tell two works apart (8.18).",
        ),
        Code(
            "PC228",
            "et-al-misused",
            Severity.WARNING,
            'A citation uses "et al." for a work by one or two authors; APA 7 (8.17) names '
            "one or both authors in every citation.",
        ),
        Code(
            "PC229",
            "reference-not-transliterated",
            Severity.WARNING,
            "A reference's title or author is in a non-Latin script (Cyrillic, Chinese ...); "
            "APA writes them transliterated, the title followed by its [English translation] "
            "(APA 7, 9.38-9.39).",
        ),
        Code(
            "PC230",
            "stale-field-metadata",
            Severity.WARNING,
            "A citation made by a reference manager in Word (Zotero, Mendeley, EndNote) "
            "stores a copy of the item that differs from the library's record (date, title, "
            "URL or authors): fix the item in the reference manager and refresh; an edit in "
            "Word would be overwritten by the plugin.",
        ),
        Code(
            "PC231",
            "field-unreadable",
            Severity.WARNING,
            "A reference manager's citation field in a Word file holds data that cannot be "
            "read (malformed JSON, XML or base64); its text is checked as written, but it "
            "names no record. Insert the citation again with the plugin.",
        ),
        Code(
            "PC232",
            "field-item-not-in-library",
            Severity.WARNING,
            "A reference manager's citation field names an item that matches no record of "
            "the library (by alias, URL, DOI, or title, year and author); capture the "
            "source, or add the item's URI to the record's aliases.",
        ),
        Code(
            "PC233",
            "field-text-edited",
            Severity.WARNING,
            "The text of a reference manager's citation was edited in Word: it differs from "
            "what the plugin wrote, and the plugin's next refresh will overwrite (or ask to "
            "keep) it. Make the change in the citation dialog (prefix, suffix, locator).",
        ),
        Code(
            "PC301",
            "encoding-repaired",
            Severity.WARNING,
            "Text was damaged by a wrong encoding (UTF-8 read as cp1252 or cp1251, C1 "
            "controls) and has been repaired; the message shows it before and after.",
        ),
        Code(
            "PC302",
            "encoding-damage",
            Severity.WARNING,
            'Text has lost characters to an encoding error ("??" or U+FFFD in place of '
            "letters) that cannot be undone; take the text from another copy.",
        ),
        Code(
            "PC303",
            "charset-guessed",
            Severity.WARNING,
            "A page declared no character encoding (no BOM, HTTP charset or <meta charset>); "
            "its encoding was detected from the bytes.",
        ),
        Code(
            "PC304",
            "field-guessed",
            Severity.INFO,
            "A field was found by a heuristic on the text, not read from the page's markup; "
            "review it before citing.",
        ),
        Code(
            "PC305",
            "field-not-found",
            Severity.WARNING,
            "A field a reference needs (title, date, author or issuer) was not found in the "
            "page; give it with --set or edit the record.",
        ),
        Code(
            "PC306",
            "several-documents",
            Severity.INFO,
            "One page holds several documents (a news item and a speech transcript); each "
            "becomes a record of its own.",
        ),
        Code(
            "PC307",
            "snapshot-updated",
            Severity.INFO,
            "A source was captured again and its text has changed; a new snapshot was stored "
            "and the old one kept.",
        ),
        Code(
            "PC308",
            "paragraphs-renumbered",
            Severity.INFO,
            "A snapshot's paragraph numbers were brought to the current numbering rule "
            "(datelines, labels and delivery notes above the body are not counted); its text "
            "and hash are unchanged, but a 'para.' locator may now point elsewhere.",
        ),
        Code(
            "PC309",
            "leftover-file",
            Severity.INFO,
            "A temporary file, or a snapshot no record names, left by an interrupted run "
            "(e.g. an `add` killed after storing its snapshot); `verify --fix` removes it.",
        ),
        Code(
            "PC310",
            "snapshot-damaged",
            Severity.ERROR,
            "A stored snapshot no longer matches its SHA-256: it was edited or corrupted.",
        ),
        Code(
            "PC311",
            "snapshot-missing",
            Severity.ERROR,
            "A record names a snapshot (content-sha256) that is not in the library.",
        ),
        Code(
            "PC312",
            "url-broken",
            Severity.ERROR,
            "The source's URL answers with an HTTP error (404 Not Found, 410 Gone, 5xx).",
        ),
        Code(
            "PC313",
            "soft-404",
            Severity.ERROR,
            "The source's URL redirects to a home or index page, or answers 200 with a "
            "'page not found' text: the page is gone.",
        ),
        Code(
            "PC314",
            "content-drift",
            Severity.WARNING,
            "The live page's text differs from the snapshot the record was checked against.",
        ),
        Code(
            "PC315",
            "url-moved",
            Severity.INFO,
            "The source's URL redirects to another page that still holds the text; the "
            "record may name the new address.",
        ),
        Code(
            "PC316",
            "url-unreachable",
            Severity.WARNING,
            "The source's URL could not be fetched (time-out, connection refused, too large); "
            "its state is unknown.",
        ),
        Code(
            "PC317",
            "archived-copy-found",
            Severity.INFO,
            "An archived copy of the page exists and the record does not name one; the hint "
            "gives its address.",
        ),
        Code(
            "PC318",
            "no-archived-copy",
            Severity.WARNING,
            "No archived copy of the page was found; archive it while it is online.",
        ),
        Code(
            "PC319",
            "url-not-checked",
            Severity.INFO,
            "The record has no URL (or no snapshot), so that part of the verification was skipped.",
        ),
        Code(
            "PC320",
            "zotero-field-not-imported",
            Severity.WARNING,
            "A field of a Zotero item cannot be a record field (a URL without its scheme): "
            "the item is imported without it, the value kept under custom.zotero; the "
            "message names the item and the field to correct in Zotero.",
        ),
        Code(
            "PC321",
            "zotero-kind-fallback",
            Severity.WARNING,
            "A Zotero item lacks a field its kind needs (a press release without issuing body, "
            "a news article without newspaper), so it was imported as a generic document.",
        ),
        Code(
            "PC322",
            "zotero-date-not-understood",
            Severity.WARNING,
            "A Zotero item's date is not a date policycite can read; it is kept as text and "
            "renders as written, not sorted or checked.",
        ),
        Code(
            "PC323",
            "zotero-citation-key-changed",
            Severity.WARNING,
            "A Better BibTeX citation key is unusable as a key, or already names another "
            "record of the library, so the record was given another key.",
        ),
        Code(
            "PC324",
            "zotero-snapshot-not-read",
            Severity.WARNING,
            "A Zotero item's HTML snapshot could not be read (file missing, outside the data "
            "directory, empty): the record was imported without a snapshot to check quotations.",
        ),
        Code(
            "PC325",
            "zotero-snapshot-unavailable",
            Severity.WARNING,
            "A Zotero item's HTML snapshot could not be downloaded (file not synced, a linked "
            "file, an error); the record is imported without it.",
        ),
        Code(
            "PC326",
            "zotero-pull-incomplete",
            Severity.WARNING,
            "The Zotero API sent fewer items than it announced (Total-Results), usually "
            "because the library changed during the pull; import again to get the rest.",
        ),
        Code(
            "PC327",
            "zotero-key-generated",
            Severity.INFO,
            "A Zotero item had no Better BibTeX citation key, so an author+year key was made; "
            "the Zotero item URI is kept as an alias of the record.",
        ),
        Code(
            "PC330",
            "page-cut-short",
            Severity.WARNING,
            "The HTML parser stopped before the end of the page (elements nested more than 256 "
            "levels deep, a run of text over 10 MB): the text after that point is not captured.",
        ),
        Code(
            "PC331",
            "no-text-extracted",
            Severity.ERROR,
            "No text was extracted from a page or one of its documents, so no record was made "
            "of it: a record would point at an empty snapshot.",
        ),
        Code(
            "PC332",
            "sidecar-missing",
            Severity.ERROR,
            "A snapshot's sidecar (its paragraph map, URL and capture details) is missing; "
            "paragraph numbers are guessed from blank lines until it is captured again.",
        ),
        Code(
            "PC333",
            "sidecar-damaged",
            Severity.ERROR,
            "A snapshot's sidecar no longer matches its checksum, or its paragraph map no "
            "longer fits its text: it was edited or corrupted.",
        ),
        Code(
            "PC334",
            "anchor-offsets-wrong",
            Severity.ERROR,
            "A stored quotation anchor's offsets (start, end) do not point at its quotation in "
            "the snapshot it names; the message gives the offsets where the quotation is.",
        ),
        Code(
            "PC335",
            "derived-file-rebuilt",
            Severity.WARNING,
            "A file derived from a snapshot (its .grams 5-gram index) was damaged or of an "
            "old format without a checksum; it was rebuilt from the snapshot's text.",
        ),
        Code(
            "PC401",
            "misquote",
            Severity.WARNING,
            "A quotation is found in its source, but its words differ (the message shows a "
            "word-level diff): quote the source word for word or mark the change.",
        ),
        Code(
            "PC402",
            "quote-ambiguous",
            Severity.WARNING,
            "A quotation occurs more than once in its source and its context does not say "
            "which place is meant; the paragraph locator may point to the wrong one.",
        ),
        Code(
            "PC403",
            "quote-not-in-source",
            Severity.ERROR,
            "A quotation is not in its source (the nearest passage and its score are given).",
        ),
        Code(
            "PC404",
            "anchor-moved",
            Severity.WARNING,
            "A pinned quotation now stands in another paragraph of the source's newer "
            "snapshot: its paragraph locator has changed.",
        ),
        Code(
            "PC405",
            "anchor-changed",
            Severity.WARNING,
            "The passage a quotation was pinned to reads differently in the source's newer "
            "snapshot (the message shows the diff).",
        ),
        Code(
            "PC406",
            "anchor-removed",
            Severity.ERROR,
            "The passage a quotation was pinned to is gone from the source's newer snapshot.",
        ),
        Code(
            "PC410",
            "unquoted-copying",
            Severity.WARNING,
            "A sentence copies a run of words from a source without quotation marks; quote "
            "it, or paraphrase it and cite the source.",
        ),
        Code(
            "PC411",
            "close-paraphrase",
            Severity.INFO,
            "A sentence shares a shorter run of words with a source: a close paraphrase to review.",
        ),
    )
}


@attrs.frozen
class Location:
    """Where a finding is: a file, line and column (and span end), and/or a record key.

    ``place`` names it as the author sees the file when lines mean nothing there (a
    Word brief: "paragraph 12", "footnote 3", "reference 4"); shown instead of the line
    and column, which still count in the brief's extracted text.
    """

    path: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    field: str | None = None
    end_line: int | None = None  # where the span ends (inclusive line, exclusive column)
    end_column: int | None = None
    place: str | None = None

    def __str__(self) -> str:
        if self.place is not None:
            where = ", ".join(p for p in (self.path, self.place) if p)
        else:
            parts = [str(p) for p in (self.path, self.line, self.column) if p is not None]
            where = ":".join(parts)
        # A field that names the place itself ("reference 4") is said once.
        field = self.field if self.field != self.place else None
        inner = " ".join(p for p in (f"@{self.key}" if self.key else "", field or "") if p)
        if inner:
            where = f"{where} ({inner})" if where else inner
        return where


@attrs.frozen
class Edit:
    """One replacement in the checked text: ``text`` for the characters ``start:end``.

    Offsets count code points in the text the check read (the brief's ``text``); an
    insertion has ``start == end``, a deletion an empty ``text``.
    """

    start: int
    end: int
    text: str


def edit_tuple(items: Iterable[Edit]) -> tuple[Edit, ...]:
    """Converter for a finding's ``fix`` (typed, unlike plain ``tuple``)."""
    return tuple(items)


@attrs.frozen
class Finding:
    """One problem: code (``PC001``), message, severity, location and an optional fix hint.

    ``fix`` holds the edits that fix the problem when they are certain (the text to
    write is known and where it goes is known: an APA 6 phrase to delete, the record's
    date for a wrong one); empty when the fix needs a person's judgement, which the hint
    then describes. Editors offer it as a quick fix (``policycite lsp``).
    """

    code: str = attrs.field(validator=attrs.validators.in_(CODES))
    message: str
    location: Location = attrs.field(factory=Location)
    severity: Severity = attrs.field(
        default=attrs.Factory(lambda self: CODES[self.code].severity, takes_self=True)
    )
    hint: str | None = None
    fix: tuple[Edit, ...] = attrs.field(default=(), converter=edit_tuple, eq=False)

    @property
    def name(self) -> str:
        """The kebab-case name of the code, e.g. ``unknown-field``."""
        return CODES[self.code].name

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{self.code} {self.name} [{self.severity.value}] {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return f"{where}: {text}" if where else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (stable keys; absent location parts are omitted)."""
        loc = {k: v for k, v in attrs.asdict(self.location).items() if v is not None}
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "location": loc,
        }
        if self.hint:
            out["hint"] = self.hint
        return out


def finding_tuple(items: Iterable[Finding]) -> tuple[Finding, ...]:
    """Converter for attrs fields holding findings (typed, unlike plain ``tuple``)."""
    return tuple(items)


@attrs.frozen
class Report:
    """An ordered collection of findings with text and JSON output.

    ``suppressed`` holds the findings an inline ``policycite: ignore`` comment of the
    brief silenced: they are not reported, but counted, so that nothing goes unchecked
    without a trace.
    """

    findings: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)
    suppressed: tuple[Finding, ...] = attrs.field(default=(), converter=finding_tuple)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __add__(self, other: Iterable[Finding]) -> Report:
        return Report((*self.findings, *other), self.suppressed)

    @property
    def has_problems(self) -> bool:
        """True when any finding is an error or a warning."""
        return any(f.severity is not Severity.INFO for f in self.findings)

    def to_text(self) -> str:
        """One line per finding."""
        return "".join(f"{f}\n" for f in self.findings)

    def to_json(self) -> str:
        """``{"findings": [...]}`` with each finding's :meth:`Finding.to_dict`.

        A report with suppressed findings also has ``"suppressed": [...]``.
        """
        data: dict[str, Any] = {"findings": [f.to_dict() for f in self.findings]}
        if self.suppressed:
            data["suppressed"] = [f.to_dict() for f in self.suppressed]
        return json.dumps(data, ensure_ascii=False, indent=2)
