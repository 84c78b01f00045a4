"""Rules on reference managers' fields in a Word brief, and where their fixes belong.

A citation or bibliography that Zotero, Mendeley or EndNote wrote into Word is remade
from the manager's item at every refresh: a correction typed in Word is lost, so the
fix belongs in the manager. The rules here compare the item stored in each field with
the library's record (PC230), report fields whose data cannot be read (PC231) or whose
item is no record (PC232), and text edited in Word (PC233). :func:`manager_hints` adds
to any other finding about plugin-made text a hint naming the manager and its refresh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import attrs

from policycite.brief.model import Brief, Span, WordField
from policycite.findings import Finding
from policycite.rules.context import Context
from policycite.rules.fielditems import differences, item_date
from policycite.rules.locations import located

Rule = Callable[[Context], list[Finding]]

#: Plugin -> (the manager a fix is made in, how its Word plugin refreshes the document).
MANAGERS = {
    "Zotero": ("Zotero", "Refresh in Word's Zotero tab"),
    "Mendeley Desktop": ("Mendeley Desktop", "Refresh in Word's Mendeley Cite-O-Matic group"),
    "Mendeley Cite": ("Mendeley Reference Manager", "refresh from the Mendeley Cite pane"),
    "EndNote": ("EndNote", "Update Citations and Bibliography in Word's EndNote tab"),
}


def manager_of(field: WordField) -> tuple[str, str]:
    """The reference manager behind a field's plugin, and its refresh command."""
    return MANAGERS.get(field.plugin, (field.plugin, "its refresh"))


def _span(field: WordField, brief: Brief) -> Span:
    if field.span is not None:
        return field.span
    # A field whose text was not found in its paragraph points at the paragraph.
    for paragraph in brief.paragraphs:
        if paragraph.place == field.place:
            return paragraph.span
    return brief.span_at(0, 0)


def _item_label(field: WordField, index: int) -> str:
    data = field.items[index].data
    title = data.get("title")
    date = item_date(data)
    shown = f"“{title}”" if isinstance(title, str) and title else "an untitled item"
    return f"{shown} ({date.year})" if date is not None and date.year else shown


def stale_field_metadata(ctx: Context) -> list[Finding]:
    """PC230: the plugin's copy of an item differs from the record; once per item."""
    out = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for field in _citation_fields(ctx):
        manager, refresh = manager_of(field)
        for item in field.items:
            source, _ = ctx.items.find(item)
            if source is None:
                continue
            differ = differences(item, source)
            if not differ or (field.plugin, source.key, tuple(differ)) in seen:
                continue
            seen.add((field.plugin, source.key, tuple(differ)))
            out.append(
                Finding(
                    "PC230",
                    f"{field.plugin}'s copy of @{source.key} is out of date: "
                    + "; ".join(differ)
                    + f" ({field.plugin} vs the library)",
                    location=located(ctx.brief, _span(field, ctx.brief), key=source.key),
                    hint=f"correct the item in {manager}, then {refresh}: the citation and "
                    f"bibliography are remade from it, and an edit made in Word would be "
                    f"overwritten by {manager}'s refresh",
                )
            )
    return out


def field_unreadable(ctx: Context) -> list[Finding]:
    """PC231: a citation field whose stored data cannot be read."""
    out = []
    for field in ctx.brief.fields:
        if field.problem is None:
            continue
        manager, _ = manager_of(field)
        out.append(
            Finding(
                "PC231",
                f"the {field.plugin} citation “{field.text}” cannot be read: {field.problem}",
                location=located(ctx.brief, _span(field, ctx.brief)),
                hint=f"insert the citation again with {manager}'s Word plugin; until then its "
                "text is checked as written",
            )
        )
    return out


def field_item_not_in_library(ctx: Context) -> list[Finding]:
    """PC232: a field's item matches no record of the library."""
    out = []
    for field in _citation_fields(ctx):
        for index, item in enumerate(field.items):
            if ctx.items.find(item)[0] is not None:
                continue
            url = item.data.get("URL")
            uri = item.uris[0] if item.uris else None
            hint = (
                f"capture it with `policycite add {url}`"
                if isinstance(url, str) and url
                else "add a record for it"
            )
            if uri:
                hint += f", or add {uri} to the aliases of the record it is"
            out.append(
                Finding(
                    "PC232",
                    f"the {field.plugin} item {_item_label(field, index)} is not in the library",
                    location=located(ctx.brief, _span(field, ctx.brief)),
                    hint=hint,
                )
            )
    return out


def field_text_edited(ctx: Context) -> list[Finding]:
    """PC233: a citation's text differs from what its plugin last wrote."""
    out = []
    for field in _citation_fields(ctx):
        if field.formatted is None or _same_text(field.formatted, field.text):
            continue
        manager, refresh = manager_of(field)
        out.append(
            Finding(
                "PC233",
                f"the {field.plugin} citation reads “{field.text}” but {field.plugin} wrote "
                f"“{field.formatted}”: it was edited in Word",
                location=located(ctx.brief, _span(field, ctx.brief)),
                hint=f"make the change in {manager}'s citation dialog (prefix, suffix, "
                f"locator) or in the item; {refresh} would overwrite the edit made in Word",
            )
        )
    return out


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _citation_fields(ctx: Context) -> Iterable[WordField]:
    return (f for f in ctx.brief.fields if f.kind == "citation" and f.problem is None)


RULES: tuple[Rule, ...] = (
    stale_field_metadata,
    field_unreadable,
    field_item_not_in_library,
    field_text_edited,
)

#: The codes whose hints already say where the fix belongs, and PC218 (a reference no
#: record matches), whose fix is a record in policycite's library, not the manager.
_OWN = frozenset({"PC230", "PC231", "PC232", "PC233", "PC218"})


def manager_hints(brief: Brief, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` with a hint added to each about text a reference manager wrote.

    A finding that starts inside a plugin's citation or bibliography is about text the
    plugin remakes at every refresh: its fix belongs in the manager, not in Word.
    """
    spans = [(f.span.start, f.span.end, f) for f in brief.fields if f.span is not None]
    if not spans:
        return list(findings)
    starts = [0, *(match.end() for match in re.finditer("\n", brief.text))]
    out = []
    for finding in findings:
        where = finding.location
        field = None
        mine = finding.code not in _OWN and where.path == brief.path
        if mine and where.line is not None and where.line - 1 < len(starts):
            offset = starts[where.line - 1] + (where.column or 1) - 1
            field = next((f for a, b, f in spans if a <= offset < b), None)
        if field is None:
            out.append(finding)
            continue
        manager, refresh = manager_of(field)
        where_fixed = (
            f"the item in {manager}"
            if field.kind == "bibliography"
            else f"{manager} (the item, or the citation dialog)"
        )
        said = (
            f"this {field.kind} was written by {field.plugin}: make the change in "
            f"{where_fixed}, then {refresh}; an edit made in Word would be overwritten"
        )
        hint = f"{finding.hint}; {said}" if finding.hint else said
        out.append(attrs.evolve(finding, hint=hint))
    return out


__all__ = ["MANAGERS", "RULES", "manager_hints", "manager_of"]
