"""Rules on the reference list.

URLs, APA 6 leftovers, damaged or wrong titles, dates, duplicates, order, translations,
entries the library does not hold (the style comparison is :mod:`.refstyle`'s).

Each rule is a function ``(Context) -> list[Finding]``; findings point at the entry
(its line in the brief) and name the record it matched.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

from rapidfuzz import fuzz

from policycite.anchors.pinning import shorten
from policycite.brief.refparse import ParsedReference
from policycite.capture.mojibake import diagnose, mixed_script_tokens
from policycite.findings import Edit, Finding
from policycite.model import Source
from policycite.rules.context import Context, fold
from policycite.rules.locations import located
from policycite.rules.ordering import misplaced

#: Kinds that are read on the web and so are cited with a URL.
WEB_KINDS = frozenset({"press-release", "speech", "news-article", "webpage", "statement", "post"})

Rule = Callable[[Context], list[Finding]]


def _where(ctx: Context, index: int) -> dict[str, object]:
    return {"location": ctx.entry_location(index)}


def retrieved_from(ctx: Context) -> list[Finding]:
    """PC203 "Retrieved from" with no URL; PC205 APA 6 "Retrieved from" before a URL.

    A dated "Retrieved May 20, 2020, from URL" is APA 7 for a page designed to change
    (an undated web page), so only the undated phrase is APA 6.
    """
    out = []
    for i, ref in enumerate(ctx.parsed):
        source = ctx.matched_source(i)
        if ref.retrieved_without_url:
            hint = (
                f"end the reference with the URL: {source.url}"
                if source is not None and source.url
                else "find the page's URL and give it after the title (or capture it with "
                "`policycite add`)"
            )
            out.append(
                Finding(
                    "PC203",
                    f"\u201c{ref.retrieved}\u201d is not followed by a URL",
                    hint=hint,
                    **_where(ctx, i),  # type: ignore[arg-type]
                )
            )
        elif ref.retrieved and (ref.url or ref.doi) and not _dated(ref.retrieved):
            out.append(
                Finding(
                    "PC205",
                    f"APA 6 wording \u201c{ref.retrieved}\u201d before the URL",
                    hint="APA 7: give the URL alone",
                    fix=_without_phrase(ctx, i, ref),
                    **_where(ctx, i),  # type: ignore[arg-type]
                )
            )
    return out


# "Retrieved https://…": a retrieval phrase with neither date nor "from" before the URL.
_RETRIEVED_URL = re.compile(r"\bRetrieved\s+(?=(?:https?://|www\.|doi:))", re.IGNORECASE)


def _without_phrase(ctx: Context, index: int, ref: ParsedReference) -> tuple[Edit, ...]:
    """The fix of PC205: delete the retrieval phrase and the space after it."""
    if ref.retrieved_span is None:
        return ()
    start, end = ref.retrieved_span
    while end < len(ref.text) and ref.text[end] in " \t":
        end += 1
    return ctx.entry_edit(index, (start, end), "")


def retrieved_without_date(ctx: Context) -> list[Finding]:
    """PC222: "Retrieved https://…", the broken undated retrieval phrase."""
    out = []
    for i, ref in enumerate(ctx.parsed):
        if ref.retrieved or not _RETRIEVED_URL.search(ref.text):
            continue
        url = ref.url or "the URL"
        out.append(
            Finding(
                "PC222",
                "\u201cRetrieved\u201d before the URL has neither a date nor \u201cfrom\u201d",
                hint=f"give the URL alone: \u2026 {url}; only a page designed to change "
                f"keeps \u201cRetrieved Month D, YYYY, from {url}\u201d",
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def abbreviation_in_reference(ctx: Context) -> list[Finding]:
    """PC224: a group author written with its abbreviation in the reference list.

    "World Health Organization [WHO]." always; a bare "WHO." when the matched record
    gives the full name (APA: the name as the source presents it, spelled out).
    """
    out = []
    for i, ref in enumerate(ctx.parsed):
        if not ref.authors:
            continue
        first = ref.authors[0]
        if first.abbreviation is None:
            continue
        full = first.literal
        if full is None:
            source = ctx.matched_source(i)
            names = [n for n in (source.authors if source else ()) if n.literal]
            full = next(
                (
                    n.literal
                    for n in names
                    if n.abbreviation == first.abbreviation and n.literal != first.abbreviation
                ),
                None,
            )
            if full is None:
                continue
        out.append(
            Finding(
                "PC224",
                f"the group author \u201c{first.shown}\u201d is abbreviated "
                f"({first.abbreviation}) in the reference list",
                hint=f"write \u201c{full}.\u201d and introduce {first.abbreviation} in the text: "
                f"({full} [{first.abbreviation}], {ref.year or 'n.d.'})",
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def _dated(phrase: str) -> bool:
    """Whether a retrieval phrase gives a date ("Retrieved May 20, 2020, from")."""
    return any(c.isdigit() for c in phrase)


# A newspaper entry from print or a database: pages after the newspaper's name ("*The
# Harbour Gazette*, A1, A4." / "pp. 1A, 8A." / "12(3), 4–5.") or a print-edition mark.
_PRINT_PAGES = re.compile(
    r"[*_]?,\s*(?:\d+(?:\(\d+\))?[*_]?,\s*)?(?:pp?\.\s*)?[A-Z]?\d+[A-Z]?"
    r"(?:\s*[-\u2013]\s*[A-Z]?\d+[A-Z]?|\s*,\s*[A-Z]?\d+[A-Z]?)*\.?\s*\Z"
)
_PRINT_MARK = re.compile(r"\bprint(?:\s+(?:ed\.|edition)|\s+version)\b", re.IGNORECASE)


def _print_newspaper(ref: ParsedReference, source: Source | None) -> bool:
    """A newspaper article read in print or a database, which APA cites without URL.

    APA 7 (10.1, newspaper article): the print version gives the pages after the
    newspaper's name; one from an academic database gives volume, issue and pages if
    any and ends with the newspaper's name. A record of a news article without URL, or
    with pages, is such a copy; a news website's article (no newspaper) is not.
    """
    if source is None or source.kind != "news-article":
        return False  # an entry matching no record is web-only by its description
    if _PRINT_PAGES.search(ref.text) or _PRINT_MARK.search(ref.text):
        return True
    return not source.url or any(k in source.extra for k in ("page", "volume", "issue"))


def missing_url(ctx: Context) -> list[Finding]:
    """PC204: a web source cited without URL or DOI.

    Not a newspaper article from print or a database (APA gives it no URL): only web-only
    kinds (press release, statement, web page, a news website's article) need one.
    """
    out = []
    for i, ref in enumerate(ctx.parsed):
        if ref.url or ref.doi or ref.retrieved_without_url:
            continue
        source = ctx.matched_source(i)
        web = source.kind in WEB_KINDS if source is not None else _web_description(ref.description)
        if not web or _print_newspaper(ref, source):
            continue
        hint = f"add the URL: {source.url}" if source is not None and source.url else None
        out.append(
            Finding(
                "PC204",
                "a web source without URL" + (f" ({source.kind})" if source else ""),
                hint=hint,
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def _web_description(description: str | None) -> bool:
    folded = (description or "").casefold()
    return any(w in folded for w in ("press release", "speech", "transcript", "statement"))


def mojibake(ctx: Context) -> list[Finding]:
    """PC206: encoding damage, or scripts run together, in a title."""
    out = []
    for i, ref in enumerate(ctx.parsed):
        title = ref.title or ""
        damage = diagnose(title)
        run_together = mixed_script_tokens(title)
        if damage is None and not run_together:
            continue
        source = ctx.matched_source(i)
        reasons = list(damage.reasons) if damage is not None else []
        if run_together:
            reasons.append(
                "scripts run together in " + ", ".join(f"\u201c{t}\u201d" for t in run_together[:2])
            )
        fix: tuple[Edit, ...] = ()
        if damage is not None and damage.repaired:
            hint = f"repaired: \u201c{shorten(damage.repaired, 80)}\u201d"
            fix = _retitled(ctx, i, ref, damage.repaired)
        elif source is not None and source.title:
            hint = f"the record's title: \u201c{shorten(source.title, 80)}\u201d"
            fix = _retitled(ctx, i, ref, source.title)
        else:
            hint = "copy the title again from the source"
        out.append(
            Finding(
                "PC206",
                f"the title \u201c{shorten(title, 60)}\u201d is damaged: " + "; ".join(reasons),
                hint=hint,
                fix=fix,
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def _retitled(ctx: Context, index: int, ref: ParsedReference, title: str) -> tuple[Edit, ...]:
    """The fix of PC206: the title's text replaced, when it holds no markup to keep."""
    if ref.title_span is None or any(c in ref.text[slice(*ref.title_span)] for c in "*_\\{}"):
        return ()
    return ctx.entry_edit(index, ref.title_span, title)


def _site_names(ctx: Context, index: int) -> list[str]:
    ref = ctx.parsed[index]
    names = [ref.container or ""]
    for name in ref.authors:
        names += [name.literal or "", name.abbreviation or ""]
    source = ctx.matched_source(index)
    if source is not None:
        names += [source.container_title or "", source.publisher or ""]
        names += [n.literal or "" for n in source.authors]
        names += [n.abbreviation or "" for n in source.authors]
    return [n for n in names if n]


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", text)).casefold()


def title_is_site_name(ctx: Context) -> list[Finding]:
    """PC207: the title is the site's name or banner (possibly in several languages)."""
    out = []
    for i, ref in enumerate(ctx.parsed):
        title = ref.title or ""
        if not title:
            continue
        folded_title = title.casefold()
        hit = None
        for name in _site_names(ctx, i):
            folded = name.casefold()
            if len(fold(name)) < 2:
                continue
            if fold(name) == fold(title) or (
                len(name) > 6 and fuzz.partial_ratio(folded, folded_title) >= 90
            ):
                hit = name
                break
            # "The Shanghai cooperation organisation" for the abbreviation "SCO".
            if name.isupper() and 2 <= len(name) <= 8:
                for piece in re.split(r"[^\w\s]|\d", title):
                    words = piece.split()
                    tail = " ".join(words[-len(name) - 1 :])
                    if _initials(tail).endswith(name.casefold()) and len(words) >= len(name):
                        hit = name
                        break
            if hit:
                break
        if hit is None:
            continue
        source = ctx.matched_source(i)
        if (
            source is not None
            and source.title
            and fuzz.token_set_ratio(source.title.casefold(), folded_title) >= 80
        ):
            continue  # the record's own title names the site too
        hint = (
            f"the page's title: \u201c{shorten(source.title, 80)}\u201d"
            if source is not None and source.title
            else "give the title of the page cited, not the site's banner"
        )
        out.append(
            Finding(
                "PC207",
                f"the title \u201c{shorten(title, 60)}\u201d is the name of the site ({hit})",
                hint=hint,
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def _date_text(year: int, month: int | None, day: int | None) -> str:
    return "-".join(
        [
            f"{year:04d}",
            *([f"{month:02d}"] if month else []),
            *([f"{day:02d}"] if month and day else []),
        ]
    )


def date_mismatch(ctx: Context) -> list[Finding]:
    """PC208: the reference's date is not the source's date (to the reference's precision)."""
    out = []
    for i, ref in enumerate(ctx.parsed):
        source = ctx.matched_source(i)
        if (
            source is None
            or source.issued is None
            or ref.year is None
            or source.issued.year is None
        ):
            continue
        issued = source.issued
        given = (ref.year, ref.month, ref.day if ref.month else None)
        actual = (
            issued.year,
            issued.month if ref.month else None,
            issued.day if ref.day and ref.month else None,
        )
        if given == actual or (ref.month and issued.month is None and ref.year == issued.year):
            continue
        said = _date_text(*given)
        hint = f"use {issued.iso()}, the date the source gives"
        event = source.event_date
        if (
            event is not None
            and event.year == ref.year
            and event.month in {None, ref.month}
            and (event.day in {None, ref.day})
        ):
            hint += f" ({said} is the date of the event)"
        out.append(
            Finding(
                "PC208",
                f"the reference is dated {said}; @{source.key} is dated {issued.iso()}",
                hint=hint,
                fix=_redated(ctx, i, ref, source),
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


# An APA 7 date as a reference writes it: "2021", "2021, March", "2021, March 18".
_APA_DATE = re.compile(r"\d{4}(?:, ([A-Z][a-z]+)(?: \d{1,2})?)?\Z")
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _redated(ctx: Context, index: int, ref: ParsedReference, source: Source) -> tuple[Edit, ...]:
    """The fix of PC208: the record's date, written as the entry writes its own.

    Only for a date in APA's form with a full month name (no year letter, no range), and
    only to the precision the entry gives and the record has.
    """
    issued = source.issued
    if ref.date_span is None or ref.year_suffix or issued is None or issued.year is None:
        return ()
    written = _APA_DATE.match(ref.text[slice(*ref.date_span)])
    if written is None or (written[1] is not None and written[1] not in _MONTH_NAMES):
        return ()
    text = f"{issued.year:04d}"
    if ref.month:
        if issued.month is None:
            return ()
        text += f", {_MONTH_NAMES[issued.month - 1]}"
        if ref.day:
            if issued.day is None:
                return ()
            text += f" {issued.day}"
    return ctx.entry_edit(index, ref.date_span, text)


def duplicate_reference(ctx: Context) -> list[Finding]:
    """PC214: two entries for one source (same record, or the same text)."""
    out = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(ctx.entries):
        match = ctx.matches[i]
        keys = [f"key:{match.key}"] if match else []
        keys.append("text:" + fold(entry.text))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            out.append(
                Finding(
                    "PC214",
                    f"reference {entry.number} repeats reference {ctx.entries[first].number}",
                    hint=f"delete reference {entry.number}",
                    **_where(ctx, i),  # type: ignore[arg-type]
                )
            )
            continue
        for k in keys:
            seen[k] = i
    return out


def _sort_key(ctx: Context, index: int) -> tuple[str, str]:
    ref = ctx.parsed[index]
    if ref.authors:
        first = ref.authors[0]
        name = (
            first.literal
            or " ".join(p for p in (first.family, first.given) if p)
            or first.abbreviation
            or ""
        )
    else:
        name = ref.title or ctx.entries[index].text
    name = re.sub(r"^(the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if c.isalnum() or c == " ")
    return letters, (str(ref.year) if ref.year else "0000") + (ref.year_suffix or "")


def reference_order(ctx: Context) -> list[Finding]:
    """PC215: each entry out of alphabetical (author, then date) order, and where it belongs.

    The entries outside one longest run already in order are reported (see
    :func:`.ordering.misplaced`): an entry moved out of place is one finding, and the
    entries after it, in order among themselves, none.
    """
    keys = [_sort_key(ctx, i) for i in range(len(ctx.entries))]
    moved = misplaced(keys)
    kept = [i for i in range(len(keys)) if i not in moved]
    kept_keys = [keys[k] for k in kept]  # in order: the run is sorted
    out = []
    for i in sorted(moved):
        at = bisect.bisect_right(kept_keys, keys[i])
        number = ctx.entries[i].number
        after = ctx.entries[kept[at - 1]].number if at else None
        before = ctx.entries[kept[at]].number if at < len(kept) else None
        if after is not None and before is not None:
            where = f"between references {after} and {before}"
        elif after is not None:
            where = f"after reference {after}"
        else:
            where = f"before reference {before}"
        out.append(
            Finding(
                "PC215",
                f"reference {number} is out of order: it belongs {where}",
                hint="APA orders references by the first author's name, then by date",
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def untranslated_title(ctx: Context) -> list[Finding]:
    """PC217: a title in another language with no [English translation] after it."""
    out = []
    for i, ref in enumerate(ctx.parsed):
        title = ref.title or ""
        if not title or ref.translated_title:
            continue  # "Заявление … [Statement on …]" is as APA wants it
        source = ctx.matched_source(i)
        foreign_script = _latin_share(title) < 0.5
        foreign_record = (
            source is not None
            and source.language is not None
            and not source.language.casefold().startswith("en")
            and fold(title) in {fold(source.title or ""), fold(source.title_transliterated or "")}
        )
        if not (foreign_script or foreign_record) or mixed_script_tokens(title):
            continue  # a banner with scripts run together is PC206/PC207's business
        hint = (
            f"add the translation in brackets: [{source.translated_title}]"
            if source is not None and source.translated_title
            else "add an English translation of the title in square brackets"
        )
        out.append(
            Finding(
                "PC217",
                f"the title \u201c{shorten(title, 60)}\u201d has no English translation",
                hint=hint,
                **_where(ctx, i),  # type: ignore[arg-type]
            )
        )
    return out


def unresolved_reference(ctx: Context) -> list[Finding]:
    """PC218: an entry that matches no record."""
    return [
        Finding(
            "PC218",
            f"no record of the library matches \u201c{shorten(ctx.entries[i].text, 70)}\u201d",
            hint="capture the source with `policycite add URL` to check it",
            **_where(ctx, i),  # type: ignore[arg-type]
        )
        for i in range(len(ctx.entries))
        if ctx.matches[i] is None
    ]


def no_reference_list(ctx: Context) -> list[Finding]:
    """PC219: the brief has no reference list (pandoc briefs excepted: pandoc writes it).

    Nor LaTeX briefs: biblatex or BibTeX prints the list from the cited keys.
    """
    if ctx.entries or ctx.brief.format == "latex":
        return []
    citations = ctx.brief.citations
    if citations and all(c.form == "pandoc" for c in citations):
        return []
    return [
        Finding(
            "PC219",
            "no reference list found",
            hint="add a 'References' heading followed by one entry per paragraph",
            location=located(ctx.brief, ctx.brief.span_at(0, 0)),
        )
    ]


#: The reference rules that need nothing but the context, in reporting order.
RULES: tuple[Rule, ...] = (
    no_reference_list,
    retrieved_from,
    retrieved_without_date,
    missing_url,
    mojibake,
    title_is_site_name,
    date_mismatch,
    duplicate_reference,
    reference_order,
    untranslated_title,
    abbreviation_in_reference,
    unresolved_reference,
)

__all__ = ["RULES", "WEB_KINDS"]
