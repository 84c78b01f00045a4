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

from collections.abc import Callable
from typing import Any

import attrs

from policycite.render.fixes import (
    absentnames,
    braces,
    caching,
    collapse,
    conditions,
    dates,
    disambiguation,
    emptyoutcomes,
    entities,
    groups,
    implicitname,
    intext,
    labels,
    layout,
    leadterm,
    locales,
    namelists,
    names,
    numbers,
    periods,
    plaincase,
    positions,
    punctuation,
    rangeend,
    seams,
    sorting,
    sortnames,
    sortnumber,
    spacing,
    substitute,
    substituted,
    terms,
    textcase,
    valueoutcomes,
)


@attrs.frozen
class Fix:
    """One fix: a name, why it exists, the CSL elements it applies to, and the mixin.

    ``applies``, when given, tells from an element's tag and attributes alone whether the
    fix can change anything for it: the processor leaves the mixin out of the class of
    an element it does not apply to, which saves a call per use of its methods.
    """

    name: str
    reason: str
    elements: tuple[str, ...]
    mixin: type
    applies: Callable[[Any], bool] | None = None


def _variable_is(*names: str, tags: tuple[str, ...] = ("text",)) -> Callable[[Any], bool]:
    """A test that a fix applies to the elements of ``tags`` only for these variables.

    Elements of other tags keep the fix.
    """
    wanted = frozenset(names)

    def applies(element: Any) -> bool:
        tag = element.tag.rpartition("}")[2]
        return tag not in tags or element.get("variable") in wanted

    return applies


# Earlier entries come first in the MRO: a fix that refines a method another fix
# defines (disambiguate-condition over condition-test) must be listed before it.
FIXES: tuple[Fix, ...] = (
    # First: it binds the rest of the MRO as an element's render once it knows that no
    # citation renders the element, so every other fix must come after it.
    Fix(
        "marks-rendered",
        "a term opens a cite only if nothing printed before it, which citeproc-py does not track",
        ("text", "number", "label", "date", "names"),
        leadterm.MarksRendered,
    ),
    # Right after marks-rendered: it leaves out every other cs:names fix when the item
    # has none of the roles and no fix has state to act on (see its module).
    Fix(
        "absent-names",
        "a cs:names whose roles the item lacks goes through every cs:names fix and "
        "citeproc-py only to raise VariableError (most of APA's cs:names, for most items)",
        ("names",),
        absentnames.AbsentNames,
        absentnames.has_no_substitute,
    ),
    # Before every other fix of cs:group and cs:macro: a replayed outcome skips them all.
    Fix(
        "empty-outcomes",
        "a group or macro that prints nothing for an item went through all its branches, "
        "macros and groups again for every item alike (a third of an APA entry's time)",
        ("group", "macro"),
        emptyoutcomes.EmptyOutcomes,
        emptyoutcomes.applies,
    ),
    # Right after empty-outcomes (an empty outcome is replayed there, with a cheaper
    # key), before every other fix of cs:macro, which a replay skips.
    Fix(
        "value-outcomes",
        "the same issuing body, outlet or date rendered again for every entry and cite of it: "
        "names and dates were a third of an APA entry's time",
        ("macro", "date", "group"),
        valueoutcomes.ValueOutcomes,
        valueoutcomes.applies,
    ),
    # Before groups' fused render (group-flags), which does not call on: a level's
    # parentheses are counted around its whole render (round 6 punctuation).
    Fix(
        "nested-braces",
        "citeproc-py prints parentheses in parentheses as the style writes them where "
        'citeproc-js brackets the inner pair in notes: "(Meridian, 2018; originally '
        'published as Commerce (2011))" for "… Commerce [2011])"',
        ("group", "text", "date", "names", "name", "number"),
        braces.NestedBraces,
        braces.has_parentheses,
    ),
    Fix(
        "sort-citation-number",
        "citeproc-js pads a citation number in a sort key to 20 digits, citeproc-py writes it "
        'bare: "…2021…6" sorted before "…2017…48" as numbers',
        ("text",),
        sortnumber.PaddedCitationNumber,
        lambda element: element.get("variable") == "citation-number",
    ),
    # Before name-rendering, which renders a cs:name without calling on.
    Fix(
        "substitute-whole-list",
        'complete-all replaces the names but keeps their label ("———, ed."), which '
        "citeproc-py cannot do",
        ("name",),
        substitute.WholeNameList,
    ),
    # --- issue 16: sorting (before bibliography-entry, whose render_entry it refines) ---
    Fix(
        "substitute-rules",
        "citeproc-py ignores subsequent-author-substitute-rule (complete-each, partial-each, "
        'partial-first: "———, ———, and Lind") and compares names with their label',
        ("layout",),
        substitute.SubstituteRules,
    ),
    # issue 16 round 7 (punctuation): before bibliography-entry, whose _render_fields it
    # refines.
    Fix(
        "aligned-layout-prefix",
        "with second-field-align the layout's prefix went to the second field: NIST's "
        '"1]  [Ministry" for citeproc-js\'s "[1]  Ministry"',
        ("layout",),
        seams.AlignedLayoutPrefix,
    ),
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
    # --- issue 16: formatting --- (before seam-punctuation, whose wrap does not call on)
    Fix(
        "quote-levels",
        "citeproc-py copies a value's quotation marks as they are: en-GB ‘Russia”s policy’ "
        "(its apostrophe taken for a closing quote), “the pandemic” for ‘the pandemic’",
        ("layout",),
        layout.ResolvedQuotes,
    ),
    Fix(
        "display",
        'citeproc-py ignores display="left-margin", "block", "indent", "right-inline": '
        '"2021Global health" for "2021 Global health", no csl-left-margin divs in HTML',
        ("text", "group", "date", "number", "names", "label"),
        layout.Displayed,
    ),
    Fix(
        "locale-date-delimiter",
        "citeproc-py joins a localized date format's parts with the calling cs:date's "
        'delimiter (none): "2020May13" for "2020 May 13"',
        ("date",),
        dates.LocaleDelimiter,
    ),
    Fix(
        "number-formatting",
        'citeproc-py ignores the gender of ordinals ("1\u02b3\u1d49" for a French volume, '
        '"1\u1d49\u02b3") and the table of the locale defining "ordinal" ("2e" for '
        '"2\u1d49"), puts an en dash into every range ("2\u1d49\u20133\u1d49" for '
        '"2\u1d49\u20113\u1d49") and never prints number-of-volumes',
        ("number",),
        numbers.NumberFormatting,
    ),
    Fix(
        "page-range-format",
        "citeproc-py applies page-range-format to bare digits only and joins any range with "
        'the delimiter: "N110\u20135" for "N110-5", "1100\u201323" for Chicago\'s "1100\u20131123"',
        ("text", "number"),
        numbers.PageRangeFormat,
    ),
    Fix(
        "value-quotes",
        "citeproc-py prints the straight quotes of a cs:text value as they are: 'friend' for "
        "\u201cfriend\u201d",
        ("text",),
        punctuation.ValueQuotes,
    ),
    Fix(
        "normal-formatting",
        'citeproc-py ignores font-style="normal", vertical-align="baseline" and the like '
        'inside decorated text: "<sup>[1]</sup>" for "<sup>[<span style="baseline">1'
        '</span>]</sup>"',
        ("*",),
        layout.NormalFormatting,
    ),
    Fix(
        "first-term",
        "citeproc-py prints a term that starts an entry as the locale writes it: "
        '"(in T)" for "(In T)"',
        ("text",),
        layout.MarkedTerms,
    ),
    Fix(
        "date-formatting",
        'citeproc-py ignores a cs:date\'s font-style, font-weight and the like: "(2020)" for '
        '"(<b>2020</b>)"',
        ("date",),
        dates.DateFormatting,
    ),
    Fix(
        "term-apostrophes",
        "citeproc-py prints a locale term's straight apostrophe as it is (\"à l'adresse\", "
        '"pagina\'s") where citeproc-js prints \u2019',
        ("term",),
        punctuation.TypographicTerms,
    ),
    # --- issue 16: citations --- (before collapse-year: it wraps each cite's render)
    Fix(
        "note-disambiguation",
        "citeproc-js compares a note style's alike cites again with their note numbers as the "
        'document goes on: "Aris, ‘Tidal Energy…’ (n 8)" for "Aris (n 8)"',
        ("layout",),
        conditions.CiteDisambiguation,
    ),
    Fix(
        "first-note-number",
        "citeproc-py looks first-reference-note-number up on the item, where it never is: no "
        '"n 1", and cs:if variable="first-reference-note-number" never true',
        ("layout",),
        positions.FirstNoteNumber,
    ),
    # --- end issue 16: citations ---
    # --- issue 16: content (a layout fix: before seam-punctuation's render_children) ---
    Fix(
        "disambiguate-levels",
        'citeproc-py has no levels of cs:if disambiguate="true" (citeproc-js passes the first '
        'n tests at level n): "Hughes, Ports (Coastline, 2016)" for "Hughes, Ports"',
        ("layout",),
        conditions.DisambiguateLevels,
    ),
    # --- end issue 16: content ---
    # --- issue 16: punctuation (round 6): around the citation collapse-year renders ---
    Fix(
        "nested-brace-citation",
        "a note style's citation counts the parentheses of its affixes from zero "
        "(citeproc-js's checkNestedBrace, see nested-braces)",
        ("layout",),
        braces.NestedBraceCitation,
    ),
    # First of the cs:date-part fixes: it puts the attributes back after all of them.
    Fix(
        "date-part-overrides",
        "citeproc-py copies a style's cs:date-part attributes into the locale's date format "
        'for good: one month with text-case="capitalize-first" capitalised every later '
        'localized date ("Mars 2023" for "mars 2023")',
        ("date-part",),
        dates.DatePartOverrides,
    ),
    Fix(
        "collapsed-year",
        'citeproc-py cannot leave out a collapsed cite\'s year: "(Lee 2020a: 12, 2020b: 31)" '
        'for citeproc-js\'s "(Lee 2020a: 12, b: 31)" under collapse="year-suffix"',
        ("date-part",),
        collapse.CollapsedYear,
    ),
    Fix(
        "collapse-year",
        'citeproc-py ignores collapse="year": "(Lee, 2020a; Lee, 2020b)" for "(Lee, 2020a, 2020b)"',
        ("layout",),
        collapse.CollapsingLayout,
    ),
    Fix(
        "sort-key-et-al",
        "in sort keys citeproc-py keeps the last of truncated names only if et-al-use-first "
        '<= et-al-min - 2 ("Kask, L., Lind, T." for "Kask L., Lind T., Orav S.") and joins '
        'family and given with sort-separator ("Okonkwo-Bright,A.", one word)',
        ("name",),
        sortnames.SortKeyEtAl,
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
        "implicit-year-suffix",
        "citeproc-py prints no year suffix when a style never renders the year-suffix "
        'variable: "(Gabuev 2020)" twice for "(Gabuev 2020a)" and "(Gabuev 2020b)"',
        ("date-part",),
        disambiguation.ImplicitYearSuffix,
    ),
    Fix(
        "unseen-citation-number",
        "citeproc-js compares cites without their citation numbers, so a numeric style's "
        'cites are alike and get year suffixes: "(2022)" for serdica\'s "(2022b)"',
        ("text",),
        disambiguation.UnseenCitationNumber,
        lambda element: element.get("variable") == "citation-number",
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
    # --- issue 16: names ---
    Fix(
        "name-rendering",
        "citeproc-py ignores name options set on cs:citation/cs:bibliography for names in "
        'macros ("V. Norov" for "Vladimir Norov"), affixes whole name lists ("Aris S, '
        'Snetkov A."), garbles particles ("d’ Jones") and misplaces "et al." and "and"',
        ("name",),
        names.NameRendering,
    ),
    Fix(
        "hyphenated-name-variables",
        'citeproc-py never renders name variables spelled with a hyphen ("container-author", '
        '"original-author"): it stores them with an underscore and looks them up as written',
        ("names",),
        names.HyphenatedNameVariables,
        lambda element: "-" in (element.get("variable") or ""),
    ),
    Fix(
        "substitute-names",
        "citeproc-py gives a bare cs:name to cs:names in a cs:choose inside cs:substitute "
        '("A. Okonkwo-Bright, J. Lindqvist.") and prints substituted names again ("Edited by")',
        ("names",),
        namelists.SubstituteNames,
    ),
    # --- end issue 16: names ---
    # --- issue 16: groups --- (before seam-punctuation, whose render_children they replace)
    Fix(
        "implicit-groups",
        "citeproc-py prints the terms of a macro whose variables are all empty "
        '("moorings”, in , (Port of Selwyn)."): a macro called by cs:text is a group',
        ("macro",),
        groups.ImplicitGroup,
    ),
    Fix(
        "group-flags",
        "citeproc-py suppresses a group by which children mention a variable, not by what "
        'printed: "[J]" from a macro holding only a text value was lost',
        ("group",),
        groups.GroupFlags,
    ),
    Fix(
        "branch-flags",
        "citeproc-py's macros and cs:choose branches do not tell the enclosing group which "
        "variables, terms and labels printed (the flags group-flags decides by)",
        ("macro", "if", "else-if", "else"),
        groups.FlaggedChildren,
    ),
    Fix(
        "type-list",
        'citeproc-py reads cs:if type="a b" as "a and b" (never true) unless match="any": '
        "a list of types is one test, passed by any of them",
        ("if", "else-if"),
        conditions.TypeList,
    ),
    Fix(
        "long-term-form",
        'citeproc-py passes over a style\'s <term form="long"> override ("accessed" for the '
        'style\'s "retrieved on"): it looks the long form up only without a form attribute',
        ("locale",),
        terms.LongTermForm,
    ),
    Fix(
        "last-term-definition",
        "citeproc-py takes the first of two definitions of a term in a style's cs:locale, "
        'citeproc-js the last: "ed." for einaudi\'s "a cura di"',
        ("locale",),
        terms.LastTermDefinition,
        terms.defines_a_term_twice,
    ),
    Fix(
        "page-first-condition",
        'citeproc-py tests cs:if variable="page-first" on the item, where it never is '
        '(citeproc-js derives it from the page): "311–334" for "311"',
        ("if", "else-if"),
        conditions.PageFirstCondition,
    ),
    Fix(
        "locator-once",
        "citeproc-py prints the locator again where a style renders it twice (citeproc-js "
        'prints it once per cite): "13/05/2020, 3, para. 3" for "13/05/2020, 3"',
        ("text",),
        conditions.LocatorOnce,
        _variable_is("locator"),
    ),
    # --- end issue 16: groups ---
    Fix(
        "names",
        'in sort keys citeproc-py treats demote-non-dropping-particle="sort-only" as "never" '
        '("van den Berg" under V), puts "et al." in them and mangles "Min-jun" and CJK names',
        ("name",),
        names.NameFixes,
    ),
    # --- issue 16: punctuation --- (before seam-punctuation: it sets its class attribute)
    Fix(
        "quoted-sentence-period",
        "citeproc-py keeps a period after a quotation that ends a sentence when the locale "
        "keeps punctuation outside quotes: \u2018What next?\u2019. for \u2018What next?\u2019",
        ("*",),
        punctuation.QuotedSentencePeriod,
    ),
    # --- end issue 16: punctuation ---
    # --- issue 16: punctuation (round 3): before seam-punctuation, whose flag it sets ---
    Fix(
        "decorated-seams",
        "citeproc-py merges the punctuation around formatted text as around any other "
        '("reform?" for citeproc-js\'s italic "reform?.", "programme. Online" for '
        '"programme.. Online")',
        ("*",),
        punctuation.DecoratedSeams,
    ),
    # --- end issue 16: punctuation (round 3) ---
    # --- issue 16: locales (round 4) ---
    Fix(
        "primary-dialect-locale",
        "citeproc-py ignores a style's cs:locale for the primary dialect in another dialect "
        '(an en-US "et al" override in an en-GB style: "Kask et al., 2021" for "Kask et al, 2021")',
        ("style",),
        locales.PrimaryDialectLocale,
    ),
    # --- issue 16: spacing (round 4): before seam-punctuation, whose flag it sets ---
    Fix(
        "decorated-spaces",
        'citeproc-py collapses the two spaces where formatted text with a suffix " " meets '
        'a prefix " ": "Ledger 2020" for citeproc-js\'s "Ledger  2020" (italic title)',
        ("*",),
        punctuation.DecoratedSpaces,
    ),
    # --- issue 16: spacing (round 7): before seam-punctuation, whose flag it sets ---
    Fix(
        "decorated-inner-spaces",
        "citeproc-py merges the space at the edge of a formatted group's or macro's text "
        'with a space outside it: "Vasquez E. 2023" for citeproc-js\'s "Vasquez E.  2023" '
        '(a bold macro whose group has prefix " ", after a delimiter " ")',
        ("group", "text", "date"),
        punctuation.DecoratedInnerSpaces,
    ),
    Fix(
        "suffix-after-suffix",
        "citeproc-js cuts the last character of a group's suffix when the last child's "
        'suffix ends in its first one: "basin.Intergovernmental" for a group suffix ". " '
        'after a title\'s suffix "." (citeproc-py: "basin. Intergovernmental")',
        ("*",),
        punctuation.SuffixAfterSuffix,
    ),
    Fix(
        "quoted-spaces",
        'citeproc-py merges a quoted text\'s suffix " " with the next element\'s prefix " ": '
        '"\u2018Risk-based\u2019 (2019)" for citeproc-js\'s "\u2018Risk-based\u2019  (2019)"',
        ("*",),
        punctuation.QuotedSpaces,
    ),
    Fix(
        "no-break-space-seams",
        "citeproc-py merges doubled spaces only; citeproc-js merges a doubled no-break space "
        'at a delimiter or between siblings too: "p.\u00a0\u00a04" for "p.\u00a04" (a label '
        'suffix ".&#160;", a delimiter "&#160;")',
        ("*",),
        punctuation.NoBreakSpaceSeams,
    ),
    # --- end issue 16: spacing (round 4) ---
    # --- issue 16: punctuation (round 7): before seam-punctuation, whose flag and locale
    # option they set ---
    Fix(
        "decorated-prefixes",
        "citeproc-py merges a formatted element's leading punctuation with what precedes it: "
        '"\u201cPlan,\u201d The Ledger" for citeproc-js\'s "\u201cPlan\u201d, The Ledger" '
        '(italic container title with prefix ", ")',
        ("*",),
        seams.DecoratedPrefixes,
    ),
    Fix(
        "quote-option-inherited",
        "citeproc-py takes punctuation-in-quote from the first locale with style-options, "
        'set or not: a style\'s <style-options/> for "en" turned en-US\'s "true" off',
        ("*",),
        seams.InheritedQuoteOption,
    ),
    Fix(
        "suffix-repeats",
        "citeproc-py merges a group's suffix that repeats its last child's with what follows: "
        '"Act.; 2018" for citeproc-js\'s "Act. 2018" (group suffix "." around a title with '
        'suffix ".", then prefix "; ")',
        ("*",),
        seams.SuffixRepeats,
    ),
    Fix(
        "quoted-marks",
        "citeproc-py puts the marks after a quoted title in the order they come: "
        '"\u201cPlan,.\u201d" for citeproc-js\'s "\u201cPlan.,\u201d" (a title with suffix "," '
        'ending a layout with suffix "."), "\u201cPlan.\u201d," for "\u201cPlan.,\u201d"',
        ("*",),
        seams.QuotedMarks,
    ),
    Fix(
        "prefix-marks",
        "citeproc-py merges a prefix's last mark with the same mark beginning its content: "
        '"Rules, 2021" for citeproc-js\'s "Rules,, 2021" (prefix "," before a prefix ", ")',
        ("*",),
        seams.PrefixMarks,
    ),
    Fix(
        "mark-only-values",
        'citeproc-py drops a text value "." after a "." as a repeated mark: "2020." for '
        'citeproc-js\'s "2020.." (a value of punctuation alone is content, kept whole)',
        ("*",),
        seams.MarkOnlyValues,
    ),
    Fix(
        "suffix-into-text",
        'citeproc-py merges a suffix\'s "." into a last text\'s suffix ";": '
        '"Centre;" for citeproc-js\'s "Centre.;" (the period goes onto the text itself)',
        ("*",),
        seams.SuffixIntoText,
    ),
    Fix(
        "decorated-suffix",
        "citeproc-py merges a formatted text's own suffix mark with the mark its text ends "
        'in: italic "reform?" with suffix "." printed "reform?" for citeproc-js\'s '
        '"reform?." (iso690)',
        ("text", "label"),
        seams.DecoratedSuffix,
    ),
    Fix(
        "number-ends",
        "citeproc-py merges a layout's or group's mark into the mark ending a number "
        'variable\'s integer value: "Vol. 3;" for citeproc-js\'s "Vol. 3;." (MDPI: a '
        'group suffix ";" after the volume, the layout suffix ".")',
        ("text", "number", "group"),
        seams.NumberEnds,
        seams.number_blob,
    ),
    Fix(
        "value-marks",
        "citeproc-py merges a text value's leading punctuation like an affix's: "
        '"2020 ;" for citeproc-js\'s "2020 ;." (suffix " ;", then <text value=".">)',
        ("text",),
        seams.ValueMarks,
        seams.leads_with_mark,
    ),
    # --- end issue 16: punctuation (round 7) ---
    # --- issue 16: punctuation (round 6): before seam-punctuation, whose affixes it sets ---
    Fix(
        "seam-punctuation",
        'citeproc-py ignores punctuation-in-quote ("Title",) and keeps a period after '
        '"?" ("vacuum?.")',
        ("*",),
        punctuation.SeamPunctuation,
    ),
    # --- issue 16: punctuation (round 3): before date-ranges and number-formatting,
    # whose flags they set ---
    Fix(
        "number-text-ranges",
        'citeproc-py joins every part of a number with a range dash ("SSEO\u201320\u20133" '
        'for the report number "SSEO-20-3") and a locator\'s with an en dash whatever the '
        "locale's page-range-delimiter",
        ("number", "text"),
        numbers.TextNumbers,
        # On cs:text it changes a locator only (its flag is read by cs:number's fix).
        _variable_is("locator"),
    ),
    Fix(
        "date-range-affixes",
        "citeproc-py repeats the first part's prefix at the second end of a date range "
        '("(2022\u2013(2023)" for "(2022\u20132023)")',
        ("date",),
        dates.RangeAffixes,
    ),
    Fix(
        "day-ordinals",
        "citeproc-py writes a day's ordinal with the first ordinal term it finds, whatever "
        'the gender of the month ("1\u02b3\u1d49 septembre" for "1\u1d49\u02b3 septembre")',
        ("date-part",),
        dates.DayOrdinals,
    ),
    # --- end issue 16: punctuation (round 3) ---
    # --- issue 16: dates (round 6): before date-ranges, whose join_range_end it refines ---
    Fix(
        "range-end-delimiter",
        "citeproc-js joins the parts of a date range's second end with the delimiter of the "
        'last cs:date it compiled, not of the date rendered: NLM "2022 Nov\u20132023Feb"',
        ("date",),
        rangeend.RangeEndDelimiter,
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
    # --- issue 16: content ---
    Fix(
        "citation-label",
        'citeproc-py prints citation-label only when the item carries one: "[]" for '
        'citeproc-js\'s generated "[East22]" (and "[Mini22a]" with a year suffix)',
        ("text",),
        labels.CitationLabelText,
        _variable_is("citation-label"),
    ),
    Fix(
        "plain-text-case",
        "citeproc-py raises on text-case over a plain string (a locator, a long-ordinal "
        "number: 'str' object has no attribute 'capitalize_first'), losing the item or "
        'the whole citation: "" for "Segunda ed."',
        ("text", "number"),
        plaincase.PlainTextCase,
    ),
    Fix(
        "count-sort-keys",
        'citeproc-py leaves a zero count (form="count") out of a sort key: an edited '
        "book with no author sorted after the author's own works, not before",
        ("names",),
        sorting.CountSortKeys,
    ),
    Fix(
        "substituted-dates",
        "citeproc-py prints a date again after a cs:substitute printed it (a title macro "
        'holding the year): "Act 2018, 2018. 1 July 2018." for "Act 2018, 2018."',
        ("date",),
        conditions.SubstitutedDates,
    ),
    Fix(
        "short-url",
        'citeproc-py ignores form="short" on the URL variable, which citeproc-js prints '
        'without its path: "https://ledger.example/city/2020/03/02/dredging" for '
        '"https://ledger.example"',
        ("text",),
        conditions.ShortUrl,
        _variable_is("URL"),
    ),
    Fix(
        "substituted-term",
        "citeproc-py counts a term its cs:substitute printed for a missing author as a "
        'printed variable: "(anon.)" where citeproc-js leaves the macro out',
        ("names",),
        groups.SubstitutedTerm,
    ),
    # --- end issue 16: content ---
    Fix(
        "collation",
        'citeproc-py sorts by code point: "Ålund" after "Zhou"',
        ("sort",),
        sorting.CollatedSort,
    ),
    Fix(
        "last-item-lowering",
        "citeproc-js lower-cases both sort keys in the language of the item it rendered "
        'last: a Turkish style sorts a Russian item\'s "MINISTRY" with a dotless i, '
        "before \"MİNİSTRY\", and letters alike cites by their set's last item's language",
        ("sort",),
        sorting.LastItemLowering,
    ),
    # --- issue 16: sorting ---
    Fix(
        "date-macro-sort-keys",
        'citeproc-py sorts a macro holding a date by its rendered text ("2020June15" '
        'before "2020May13"); CSL sorts its dates as dates',
        ("key",),
        sorting.DateMacroKeys,
    ),
    Fix(
        "name-sort-keys",
        'citeproc-py keeps "and" in name sort keys and sorts "van der Berg" under V '
        "where citeproc-js reads the particle off and demotes it",
        ("key",),
        sorting.SortKeys,
    ),
    Fix(
        "short-name-sort-keys",
        'citeproc-py sorts a short name "van den Berg" under V where citeproc-js demotes '
        'the particle ("Berg van den")',
        ("name",),
        sorting.ShortNameSortKeys,
    ),
    Fix(
        "substitute-author-names",
        "the per-name subsequent-author-substitute rules need the names an entry renders",
        ("names",),
        substitute.SubstitutedNames,
    ),
    Fix(
        "no-labels-in-sort-keys",
        'citeproc-py puts role labels into name sort keys ("Doe, John ed." after '
        '"Doe, John Eamon")',
        ("label",),
        sorting.NoLabelsInSortKeys,
    ),
    Fix(
        "number-markup",
        "citeproc-py raises on text-case or strip-periods over citation-number or a date's "
        "day ('int' object has no attribute 'words' / 'lower' / 'replace'), losing every "
        "citation of the style or every entry with a full date",
        ("text", "date-part"),
        textcase.NumberMarkup,
    ),
    # After number-markup, whose strip_periods leaves citation numbers alone first.
    Fix(
        "strip-periods",
        "citeproc-py deletes every period under strip-periods; citeproc-js keeps one a "
        'lower-case letter follows in a variable\'s value ("e.g" for "eg") and never '
        'strips URL or DOI ("doi:105555/ocg2020" for "doi:10.5555/ocg.2020")',
        ("text",),
        periods.StripPeriods,
        applies=lambda element: (
            element.get("strip-periods") is not None and element.get("variable") is not None
        ),
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
    # --- issue 16: locales (round 4): before title-case, whose case it feeds ---
    Fix(
        "number-case-language",
        "citeproc-py cases a cs:number with no language: a Turkish style's roman volume "
        '"XVII" for citeproc-js\'s "XVİİ"',
        ("number",),
        textcase.NumberCaseLanguage,
    ),
    Fix(
        "turkic-case",
        'citeproc-py upper-cases the Turkish "i" as "I" ("Içinde" for citeproc-js\'s '
        "\"İçinde\"): Python's str.upper knows no locale, JavaScript's toLocaleUpperCase does",
        ("text", "date-part", "label", "name-part", "number"),
        textcase.TurkicCase,
    ),
    Fix(
        "sentence-case-spaces",
        'citeproc-py\'s text-case="sentence" joins the words with spaces whatever split '
        'them: fr-FR\'s "s.\u00a0d." printed "S. d." for citeproc-js\'s "S.\u00a0d."',
        ("text", "date-part", "label", "name-part", "number"),
        textcase.SentenceCaseSpaces,
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
    # --- issue 16: citations ---
    Fix(
        "document-positions",
        "citeproc-py decides positions from one flat list of earlier cites: a note after a "
        'note of two citations, or a cite after one with a locator, prints "ibid."',
        ("if", "else-if"),
        positions.DocumentPositions,
    ),
    Fix(
        "lead-term",
        'citeproc-py prints a term that opens a note as the locale has it ("ibid." for "Ibid.")',
        ("text",),
        leadterm.LeadTerm,
    ),
    # --- end issue 16: citations ---
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
    # --- issue 16: labels (round 4): before label, whose _is_plural it refines ---
    Fix(
        "number-plurals",
        'citeproc-py makes a label plural for any two numbers in the value: "nos TR-22-03" '
        'for citeproc-js\'s "no. TR-22-03" (the first value must be a number)',
        ("label",),
        conditions.NumberPlurals,
    ),
    Fix(
        "label",
        'citeproc-py ignores text-case on labels ("(eds.)") and prints the empty term '
        '"locator" for a locator label without a locator (citeproc-js: "page")',
        ("label",),
        conditions.LabelFixes,
    ),
    # --- issue 16: markup --- (before substitute-suppression, whose
    # add_to_repressed_list does not call on)
    Fix(
        "plain-substitute",
        "citeproc-py puts a cs:names's affixes and formatting round a title its substitute "
        'prints (citeproc-js: "Harbour", not "(<i>Harbour</i>)"), and a shorthand '
        "substitute cs:names's own round the names it prints",
        ("names", "substitute"),
        substituted.PlainSubstitutes,
    ),
    # --- end issue 16: markup ---
    Fix(
        "substitute-suppression",
        "citeproc-py prints a substituted title again when the substitute calls a macro",
        ("substitute",),
        conditions.SubstituteSuppression,
    ),
    # After substitute-suppression, whose render records what this one prints.
    Fix(
        "substitute-branches",
        "citeproc-py substitutes a whole cs:choose branch where citeproc-js takes its first "
        'child that prints: "Coastal Planning Portalhttps://…" for "Coastal Planning Portal"',
        ("substitute",),
        substitute.SubstituteBranches,
        applies=lambda element: any(
            child.tag.rpartition("}")[2] == "choose"
            for child in element.iterchildren()
            if isinstance(child.tag, str)
        ),
    ),
    Fix(
        "page-locator",
        'citeproc-py ignores page-range-format for page locators ("315–317" for "315–17")',
        ("text",),
        conditions.PageLocator,
        _variable_is("locator"),
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
    # --- issue 16: names (round 6): last of the cs:names fixes, next to citeproc-py ---
    Fix(
        "implicit-name",
        "citeproc-py gives a cs:names without a cs:name its bare default cs:name, so no name "
        'fix applies to those names: "王 秀英" for citeproc-js\'s "王秀英" (AMA, NLM), "van '
        'den Berg" sorted under V where demote-non-dropping-particle says B',
        ("names",),
        implicitname.ImplicitName,
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
        "caching-names",
        "citeproc-py splits a cs:names's roles and raises two exceptions for every cs:names "
        "whose roles the item lacks",
        ("names",),
        caching.CachedNames,
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
    # --- issue 16: markup ---
    Fix(
        "character-references",
        'citeproc-py prints a reference the style escapes ("&amp;#160;") as the text "&#160;"; '
        "citeproc-js decodes it a second time (a no-break space)",
        ("*",),
        entities.DecodedReferences,
    ),
    # --- end issue 16: markup ---
    # --- issue 16: punctuation (round 3) ---
    Fix(
        "narrow-spaces",
        "citeproc-py prints a value's or term's space before : ; ? ! \u00bb as it is, where "
        'citeproc-js prints a narrow no-break space ("Disponible sur\u202f: ")',
        ("text", "term"),
        spacing.NarrowSpaces,
    ),
    # Last: it replaces citeproc-py's Text._variable, below every fix refining it.
    Fix(
        "caching-variables",
        "citeproc-py reads a cs:text's variable, tag and form attributes for every variable "
        "it prints",
        ("text",),
        caching.CachedVariable,
        lambda element: element.get("variable") is not None,
    ),
    # --- end issue 16: punctuation (round 3) ---
    # --- issue 16: spacing (round 7) ---
    Fix(
        "value-spaces",
        "citeproc-py merges a cs:text value's own leading or trailing space with the space "
        'of an affix or delimiter next to it: "2020. Available from" for citeproc-js\'s '
        '"2020.  Available from" (prefix " " before the value " Available from: ")',
        ("text",),
        spacing.ValueSpaces,
        spacing.has_spaced_value,
    ),
)
