"""Check a brief against a library.

Runs every rule family and collects the findings, the passages to highlight and the
corrected reference list (rendered entries; :mod:`policycite.output.corrected` adds the
unmatched ones and writes it).

The one entry point is :func:`check`; :data:`RULE_CODES` lists the codes the checks can
report (``policycite rules`` prints them with their explanations).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path

from policycite import derived
from policycite.anchors.copying import Copying
from policycite.anchors.match import Anchoring
from policycite.anchors.pinning import passage_links
from policycite.brief.model import Brief
from policycite.findings import CODES, Finding, Report
from policycite.model import Library, Source
from policycite.render.styles import resolve
from policycite.rules import (
    abbreviations,
    citations,
    etal,
    fields,
    ordering,
    references,
    refstyle,
    secondary,
    transliteration,
)
from policycite.rules.context import Context
from policycite.rules.inputs import LibraryLike, brief_of, library_for
from policycite.rules.quotations import QuotationRules
from policycite.rules.result import CheckResult, Highlight, PassageLinks, ReferenceMatch
from policycite.selection import RuleSelection, selected

#: The codes :func:`check` reports: the brief checks (2xx) and the quotation and copying
#: checks it shares with `policycite anchor` and `policycite copying` (4xx).
RULE_CODES: tuple[str, ...] = tuple(
    code
    for code in CODES
    if code.startswith("PC2") or code in {"PC401", "PC402", "PC403", "PC410", "PC411"}
)

#: Findings about a reference entry that make its style comparison pointless.
_ENTRY_CODES = frozenset(
    {"PC203", "PC204", "PC205", "PC206", "PC207", "PC208", "PC214", "PC217", "PC218", "PC229"}
    | {"PC221", "PC222", "PC224"}
)


def check(
    brief: Brief | Path | str,
    library: LibraryLike | None = None,
    folder: Path | str | None = None,
    *,
    style: str = "apa",
    locale: str | None = None,
    html: bool = True,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    selection: Sequence[RuleSelection] = (),
) -> CheckResult:
    r"""Check one brief against a library: ``check("brief.docx", library="references")``.

    ``brief`` is a :class:`~policycite.brief.model.Brief` or the path of a brief file.
    ``library`` is a library folder, a library file (``.json``, ``.yaml``, ``.bib``) or a
    :class:`~policycite.model.Library`; None takes the bibliography the brief names
    (front matter, ``\addbibresource``), else the folder ``references``. ``folder`` is
    where the snapshots are, when not in the library's own folder; without snapshots the
    quotations are reported as not checked (PC220). ``style`` is the CSL style of the
    corrected reference list and the style comparison; ``html`` renders the corrected
    list as HTML too (for the HTML and JSON reports).

    ``select``, ``ignore`` and ``extend_select`` choose the rules reported, as ruff does
    (codes, code prefixes such as ``"PC2"``, rule names, ``"ALL"``); they apply after the
    ``selection`` layers (e.g. :attr:`policycite.config.Config.check`), see
    :mod:`policycite.selection`. A selector naming no rule raises InputError. Findings
    silenced by the brief's inline ``policycite: ignore`` comments go to
    ``report.suppressed``.
    """
    arguments = RuleSelection(select, ignore, extend_select, origin="check() arguments")
    chosen = selected([*selection, arguments], RULE_CODES)
    read = brief_of(brief)
    given = library_for(read, library, folder)
    ctx = Context(read, given.library, given.folder)
    findings: list[Finding] = []
    for rule in (
        *references.RULES,
        *citations.RULES,
        *secondary.RULES,
        *ordering.RULES,
        *abbreviations.RULES,
        *etal.RULES,
        *fields.RULES,
    ):
        findings.extend(rule(ctx))
    quotes = QuotationRules(ctx)
    findings.extend(quotes.findings())
    copied, copies = quotes.copying()
    findings.extend(copied)
    # One rendering of every matched record serves the style comparison and the corrected
    # list; rendered together, same-author same-year entries get their year suffixes.
    keys = list(dict.fromkeys(m.key for m in ctx.matches if m is not None))
    rendered = _bibliography(ctx.library, keys, style, locale, "text") if keys else None
    by_key = dict(zip(*rendered, strict=True)) if rendered else {}
    html_by_key: dict[str, str] = {}
    findings.extend(transliteration.untransliterated(ctx, style, by_key))

    def rendered_html() -> dict[str, str]:
        # Rendered once, when italics are compared or the HTML report needs it.
        if keys and not html_by_key:
            html_by_key.update(
                zip(*_bibliography(ctx.library, keys, style, locale, "html"), strict=True)
            )
        return html_by_key

    reported = {
        f.location.field
        for f in findings
        if f.code in _ENTRY_CODES and f.location.field is not None
    }
    skip = {i for i, e in enumerate(ctx.entries) if f"reference {e.number}" in reported}
    # Entries an ambiguous citation fits lack their year suffixes: PC210 says so already.
    skip |= {i for resolved in citations.ambiguous(ctx) for i in resolved.references}
    findings.extend(
        refstyle.reference_style(ctx, skip=skip, rendered=by_key, rendered_html=rendered_html)
    )
    findings.sort(key=lambda f: (f.location.line or 0, f.location.column or 0, f.code))
    # Text a reference manager wrote into Word is fixed in the manager, not in Word.
    findings = fields.manager_hints(read, findings)
    findings, suppressed = _suppress(read, [f for f in findings if f.code in chosen])
    corrected = rendered[1] if rendered else ()
    corrected_html = tuple(rendered_html().values()) if keys and html else ()

    highlights = _highlights(ctx, copies, findings)
    matches = [
        ReferenceMatch(entry.number, m.key, m.confidence, m.reasons)
        for entry, m in zip(ctx.entries, ctx.matches, strict=True)
        if m is not None
    ]
    return CheckResult(
        read, Report(findings, suppressed), highlights, corrected, corrected_html, style, matches
    )


def _bibliography(
    library: Library, keys: list[str], style: str, locale: str | None, output: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys rendered and their entries, kept between runs for a cached library.

    Rendering the matched records was the largest part of a warm check (0.9 s of 2 s for
    200 entries). What it depends on makes the key: the records rendered (their values
    and their places in the library, which name citeproc's items), the style's CSL
    bytes, the locale and the output format; citeproc-py and policycite's fixes are
    pinned by policycite's version (see derived). Rendered together, as the cache keeps
    them, same-author same-year entries keep their year suffixes. Plain tuples are kept,
    and the renderer loads on a miss only: citeproc and the fixes cost a warm check
    0.1–0.2 s to import.
    """
    found = derived.identity(library)
    if found is None:
        return _render(library, keys, style, locale, output)
    data, _ = resolve(style)
    position = {key: n for n, key in enumerate(library.keys)}
    sources = [(position.get(key), library.get(key)) for key in keys]
    made_of = pickle.dumps((keys, sources), pickle.HIGHEST_PROTOCOL)
    scope = f"{found[0]}\0{style}\0{locale}\0{output}"
    key = derived.digest(data, str(locale), output, made_of)
    cached = derived.load("render", scope, key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    result = _render(library, keys, style, locale, output)
    derived.store("render", scope, key, result)
    return result


def _render(
    library: Library, keys: list[str], style: str, locale: str | None, output: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from policycite.render import Renderer

    found = Renderer(library, style, locale=locale, output=output).bibliography(keys)
    return found.keys, found.entries


def _suppress(brief: Brief, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into those reported and those an inline comment of the brief silences.

    A comment covers lines of the brief only; ``ignore-file`` covers every finding.
    """
    if not brief.suppressions:
        return findings, []
    kept, suppressed = [], []
    for finding in findings:
        line = finding.location.line if _in_brief(brief, finding) else None
        if any(s.covers(finding.code, line) for s in brief.suppressions):
            suppressed.append(finding)
        else:
            kept.append(finding)
    return kept, suppressed


def _in_brief(brief: Brief, finding: Finding) -> bool:
    path = finding.location.path
    return path is None or Path(path) == Path(brief.path)


def _highlights(
    ctx: Context, copies: Sequence[Copying], findings: Sequence[Finding]
) -> list[Highlight]:
    """The passages a report marks: citations, quotations, copied sentences, references.

    Each carries the codes of the findings on its line, for the report to show beside it.
    """
    brief = ctx.brief
    highlights = [
        Highlight(
            r.citation.span.start,
            r.citation.span.end,
            "citation",
            r.source.key if r.source else None,
        )
        for r in ctx.resolved
    ]
    for quotation, source, found in ctx.anchored:
        # Every quotation has a status: one not checked has a PC220 saying why.
        status = found.status.value if found is not None else "not-checked"
        if quotation.citation is None:
            status = "uncited"
        links = _passage(source, found) if quotation.citation is not None else None
        highlights.append(
            Highlight(quotation.span.start, quotation.span.end, "quotation", status, links=links)
        )
    highlights += [
        Highlight(c.start, c.end, "copied", c.level)
        for c in copies
        if not c.formulaic or c.level == "copy"
    ]
    for i, entry in enumerate(ctx.entries):
        match = ctx.matches[i]
        highlights.append(
            Highlight(entry.span.start, entry.span.end, "reference", match.key if match else None)
        )
    by_line: dict[int, list[str]] = {}
    for f in findings:
        if f.location.line is not None:
            by_line.setdefault(f.location.line, []).append(f.code)
    # Each code once per line, in one tuple shared by the line's highlights: every code of
    # every finding, copied to each highlight, made a line of n citations cost n * n.
    codes_at = {line: tuple(dict.fromkeys(codes)) for line, codes in by_line.items()}
    highlights = [
        Highlight(
            h.start,
            h.end,
            h.kind,
            h.status,
            codes_at.get(brief.span_at(h.start, h.end).line, ()),
            h.links,
        )
        for h in sorted(highlights, key=lambda h: (h.start, -h.end))
    ]
    return highlights


def _passage(source: Source | None, found: Anchoring | None) -> PassageLinks | None:
    """Text Fragment links to where a quotation is in its source (None: not found)."""
    if source is None or found is None or found.place is None:
        return None
    live, archived = passage_links(source, found, web_only=True)
    if live is None and archived is None:
        return None
    return PassageLinks(source.key, live, archived, found.place.paragraph)


__all__ = ["RULE_CODES", "check"]
