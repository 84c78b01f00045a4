"""Named fixes to citeproc-py, each a mixin for one or more CSL element classes.

A fix is a small class whose methods override citeproc-py's for the elements named in
its ``elements`` (CSL tag names; ``*`` for every element). :mod:`..processor` builds the
element classes a style is parsed with: for each citeproc-py element class, a subclass
with every applicable fix in front of it in the MRO. Nothing here rewrites output
strings; each fix changes how an element is processed and has its own test.

:data:`FIXES` lists them in MRO order (earlier wins); each entry carries a one-line
reason, shown by ``policycite fixes`` and checked by the tests.
"""

from __future__ import annotations

import attrs

from policycite.render.fixes import (
    caching,
    collapse,
    conditions,
    dates,
    disambiguation,
    intext,
    layout,
    names,
    positions,
    punctuation,
    sorting,
    textcase,
)


@attrs.frozen
class Fix:
    """One fix: a name, why it exists, the CSL elements it applies to, and the mixin."""

    name: str
    reason: str
    elements: tuple[str, ...]
    mixin: type


# Earlier entries come first in the MRO: a fix that refines a method another fix
# defines (disambiguate-condition over condition-test) must be listed before it.
FIXES: tuple[Fix, ...] = (
    Fix(
        "bibliography-entry",
        'citeproc-py drops entries that render empty and ignores second-field-align ("[1]J. Kask")',
        ("layout",),
        layout.BibliographyEntry,
    ),
    Fix(
        "trim-layout",
        'citeproc-py keeps whitespace at the ends of an entry or citation ("Acesso em: 20 '
        'feb. 2024. ", " (2021)") where a layout ends in a space nothing follows',
        ("layout",),
        layout.TrimmedLayout,
    ),
    Fix(
        "collapse-year",
        'citeproc-py ignores collapse="year": "(Lee, 2020a; Lee, 2020b)" for "(Lee, 2020a, 2020b)"',
        ("layout",),
        collapse.CollapsingLayout,
    ),
    # --- issue 16: disambiguation ---
    # Before the other cs:name fixes: its option overrides must come before their caches.
    Fix(
        "disambiguate-names",
        'citeproc-py has no disambiguate-add-names / -add-givenname: "(Aris, 2020a)" and '
        '"(Aris, 2020b)" for "(M. Aris, 2020)" and "(W. Aris, 2020)"',
        ("name",),
        disambiguation.DisambiguatedNames,
    ),
    Fix(
        "expanded-name-parts",
        "a name expanded to tell cites apart is rendered whole; citeproc-py would format its "
        'name-parts again ("[M. [Aris]]")',
        ("name-part",),
        disambiguation.ExpandedNameParts,
    ),
    Fix(
        "implicit-year-suffix",
        "citeproc-py prints no year suffix when a style never renders the year-suffix "
        'variable: "(Gabuev 2020)" twice for "(Gabuev 2020a)" and "(Gabuev 2020b)"',
        ("date-part",),
        disambiguation.ImplicitYearSuffix,
    ),
    Fix(
        "year-suffix-date",
        "the implicit year suffix needs to know which item a cs:date renders",
        ("date",),
        disambiguation.YearSuffixDate,
    ),
    # --- end issue 16: disambiguation ---
    Fix(
        "in-text-names",
        'citeproc-py has no narrative cites ("Kask and Lind (2024)", not "Kask & Lind") and '
        'no group-author abbreviations ("World Health Organization [WHO]", then "WHO")',
        ("name",),
        intext.InTextNames,
    ),
    Fix(
        "names",
        'citeproc-py ignores initialize="false", mangles "Min-jun" to "M.-. jun .", puts '
        '"et al." into sort keys and writes CJK names as "Family, G."',
        ("name",),
        names.NameFixes,
    ),
    Fix(
        "seam-punctuation",
        'citeproc-py ignores punctuation-in-quote ("Title",) and keeps a period after '
        '"?" ("vacuum?.")',
        ("*",),
        punctuation.SeamPunctuation,
    ),
    Fix(
        "date-ranges",
        'citeproc-py raises on some date ranges and garbles others ("( 13– 14May)")',
        ("date",),
        dates.DateRanges,
    ),
    Fix(
        "season-parts",
        "citeproc-py asserts on a season date in a numeric month form (APA's sort keys)",
        ("date-part",),
        dates.SeasonParts,
    ),
    Fix(
        "nested-quotes",
        "citeproc-py keeps quotation marks inside a quoted title as they are "
        "(““We cannot…”: An interview”)",
        ("text",),
        punctuation.NestedQuotes,
    ),
    Fix(
        "collation",
        'citeproc-py sorts by code point: "Ålund" after "Zhou"',
        ("sort",),
        sorting.CollatedSort,
    ),
    Fix(
        "no-suffix-in-sort-keys",
        'citeproc-py sorts by year suffixes it assigns afterwards ("(Zhang, 2020; Lee, '
        '2020b)" for "(Lee, 2020b; Zhang, 2020)")',
        ("text",),
        sorting.NoSuffixInSortKeys,
    ),
    Fix(
        "macro-text-case",
        "citeproc-py applies text-case to a macro's output, which citeproc-js ignores, and "
        "raises ('str' object has no attribute 'capitalize_first') on macros of names",
        ("text",),
        textcase.MacroTextCase,
    ),
    Fix(
        "name-part-text-case",
        "citeproc-py raises on text-case in cs:name-part ('str' object has no attribute "
        "'capitalize_first' / 'words'), losing every item with a name",
        ("name-part",),
        textcase.NamePartTextCase,
    ),
    Fix(
        "title-case",
        'citeproc-py title-cases stop words such as "after" and "amid" and leaves '
        'hyphenated parts lower-case ("Cross-border")',
        ("text", "date-part", "label", "name-part", "number"),
        textcase.TitleCase,
    ),
    Fix(
        "disambiguate-condition",
        'citeproc-py always takes cs:if disambiguate="true": MLA added titles to every cite',
        ("if", "else-if"),
        conditions.DisambiguateCondition,
    ),
    Fix(
        "near-note",
        'citeproc-py raises KeyError on position="near-note" (it reads near-note-distance '
        "from the style root) and counts the distance off by one",
        ("if", "else-if"),
        positions.NearNote,
    ),
    Fix(
        "condition-test",
        "citeproc-py tests a cs:if only by rendering it and catching an exception, and "
        "re-reads its attributes for every item",
        ("if", "else-if"),
        conditions.ConditionTest,
    ),
    Fix(
        "choose-by-test",
        "citeproc-py raises and catches an exception for every cs:choose branch not taken",
        ("choose",),
        conditions.ChooseByTest,
    ),
    Fix(
        "is-numeric",
        'citeproc-py counts only a single number as numeric, so APA prints "Report 2019/1" '
        'for "Report No. 2019/1"',
        ("if", "else-if"),
        conditions.NumericTest,
    ),
    Fix(
        "label",
        'citeproc-py ignores text-case on labels ("(eds.)") and prints labels of empty '
        'variables ("Edition.")',
        ("label",),
        conditions.LabelFixes,
    ),
    Fix(
        "substitute-suppression",
        "citeproc-py prints a substituted title again when the substitute calls a macro",
        ("substitute",),
        conditions.SubstituteSuppression,
    ),
    Fix(
        "page-locator",
        'citeproc-py ignores page-range-format for page locators ("315–317" for "315–17")',
        ("text",),
        conditions.PageLocator,
    ),
    Fix(
        "page-ranges",
        'citeproc-py shortens "1-24" to "1–4" under page-range-format="minimal-two"',
        ("text", "number"),
        conditions.PageRanges,
    ),
    Fix(
        "substitute-recording",
        "substitute suppression needs to know which variables a substitute rendered",
        ("text",),
        conditions.RecordedText,
    ),
    Fix(
        "suppressible-author",
        "collapsed cites print their date without the author, which citeproc-py cannot do",
        ("names",),
        collapse.SuppressibleNames,
    ),
    Fix(
        "caching",
        "citeproc-py re-runs XPath for every macro, term and layout lookup (41% of its time)",
        ("*",),
        caching.CachedLookups,
    ),
    Fix(
        "caching-formatting",
        "citeproc-py reads five formatting attributes and the formatter for every piece of "
        "rendered text",
        ("*",),
        caching.CachedFormatting,
    ),
    Fix(
        "caching-language",
        "citeproc-py looks an item's language up (raising when absent) for every cs:text",
        ("text",),
        caching.CachedLanguage,
    ),
    Fix(
        "planned-markup",
        "citeproc-py re-reads strip-periods, text-case and quotes for every rendered text",
        ("text",),
        caching.PlannedMarkup,
    ),
    Fix(
        "planned-group",
        "citeproc-py asks each child of a cs:group twice per render whether it calls a variable",
        ("group",),
        caching.PlannedGroup,
    ),
    Fix(
        "caching-terms",
        "citeproc-py searches a term's children every time the term is printed",
        ("term",),
        caching.CachedTerm,
    ),
    Fix(
        "caching-conditions",
        "citeproc-py splits cs:if type and variable lists for every item it tests",
        ("if", "else-if"),
        caching.CachedConditions,
    ),
)
