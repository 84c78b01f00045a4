"""HTML markup and display as citeproc-js writes them (issue 16, markup).

Every expected string is citeproc-js 2.4.63's output (tools/citeproc-js/render.js) for the
same CSL items, style (tests/data/csl/markup-*.csl) and locale (en-US), in text and HTML;
citeproc-js writes "<" and ">" as "&#60;" and "&#62;", compared here as "&lt;" and "&gt;".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer

P, D = pc.Name.person, pc.PartialDate
CSL = Path(__file__).parent / "data" / "csl"

PLAN = pc.Source(
    "a",
    "report",
    "Harbour plans",
    authors=[P("Kask", "Jaan")],
    issued=D(2020),
    publisher="Port Office Inc.",
    provenance=pc.Provenance(url="https://port.example/plan", accessed=D(2024, 2, 20)),
)


def _entries(style: str, sources: list[pc.Source], output: str) -> tuple[str, ...]:
    renderer = Renderer(pc.Library(sources), str(CSL / style), output=output, links=False)
    return renderer.bibliography().entries


def _cites(style: str, sources: list[pc.Source], cite: str, output: str) -> str:
    renderer = Renderer(pc.Library(sources), str(CSL / style), output=output, links=False)
    return renderer.citations(pc.parse_citations(cite)).entries[0]


def test_decorations_in_citeproc_js_order_affixes_escaped_underline_as_span() -> None:
    # font-style first, then text-decoration and vertical-align around it; the affix
    # ">" escaped without its ";" taking the layout's "." for a repeated punctuation mark.
    assert _entries("markup-decorations.csl", [PLAN], "html") == (
        '<b>Jaan Kask</b>, <span style="text-decoration:none;"><i>Harbour plans</i></span>, '
        '<span style="baseline"><i>Harbour plans</i></span>, Port Office Inc., '
        '&lt;<span style="text-decoration:underline;">https://port.example/plan</span>&gt;.',
    )
    assert _entries("markup-decorations.csl", [PLAN], "text") == (
        "Jaan Kask, Harbour plans, Harbour plans, Port Office Inc., <https://port.example/plan>.",
    )


def test_layout_writes_baseline_and_no_decoration() -> None:
    assert _cites("markup-decorations.csl", [PLAN], "[@a]", "html") == (
        '<span style="baseline"><span style="text-decoration:none;">'
        "<i>(Harbour plans)</i></span></span>"
    )


KASK_LEE = pc.Source(
    "a", "report", "A title", authors=[P("Kask", "Jaan"), P("Lee", "Sujin")], issued=D(2020)
)


def test_name_formatting_around_a_list_with_et_al() -> None:
    # A cs:name's formatting and affixes go round each name and, when et al. follows,
    # round the whole list; its "normal" inside cs:names's own formatting is dropped.
    html = _cites("markup-names.csl", [KASK_LEE], "[@a]", "html")
    assert html.split(" | ") == [
        "<i><i>Jaan Kask</i> et al.</i>",
        '([<i>[<i>Jaan Kask</i>] <span style="font-style:normal;">et al.</span></i>])',
        "<i>Jaan Kask</i> and <i>Sujin Lee</i>",
        '<b><span style="font-weight:normal;"><span style="font-weight:normal;">Jaan Kask</span>'
        " et al.</span></b>",
        "<i><i>Jaan Kask</i> et al.</i>",
        "<i><i>Jaan Kask</i>, <b>et al.</b></i>",
        "<i>Kask/Lee</i>",
        '<span style="font-variant:small-caps;"><span style="font-variant:small-caps;">'
        'Jaan Kask</span> <span style="font-variant:normal;">et al.</span></span>',
        '<span style="font-variant:small-caps;">Jaan Kask</span>, '
        '<span style="font-variant:small-caps;">Sujin Lee</span>',
    ]
    assert _cites("markup-names.csl", [KASK_LEE], "[@a]", "text") == (
        "Jaan Kask et al. | ([[Jaan Kask] et al.]) | Jaan Kask and Sujin Lee | Jaan Kask et al."
        " | Jaan Kask et al. | Jaan Kask, et al. | Kask/Lee | Jaan Kask et al."
        " | Jaan Kask, Sujin Lee"
    )


DISPLAYED = [
    pc.Source(
        "a",
        "report",
        "Harbour plans",
        authors=[P("Kask", "Jaan")],
        issued=D(2020),
        publisher="Port Office",
    ),
    pc.Source(
        "b",
        "report",
        "Puertos",
        translated_title="Ports",
        authors=[P("Lee", "Sujin")],
        issued=D(2021),
    ),
]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("text", ("Jaan Kask2020 Harbour plans, Port Office.", "Sujin Lee2021 Puertos [Ports].")),
        (
            "html",
            (
                '<div class="csl-block">Jaan Kask</div>\n\n    <div class="csl-left-margin">2020'
                '</div><div class="csl-right-inline"><i>Harbour plans</i>, Port Office.</div>',
                # A style whose guide does not set the translation upright italicises the
                # whole title value, as citeproc-js does.
                '<div class="csl-block">Sujin Lee</div>\n\n    <div class="csl-left-margin">2021'
                '</div><div class="csl-right-inline"><i>Puertos [Ports]</i>.</div>',
            ),
        ),
    ],
)
def test_display_on_layout_children_only_and_suffix_inside(
    output: str, expected: tuple[str, ...]
) -> None:
    # The nested display="block" is ignored; the layout's "." goes inside the last div.
    assert _entries("markup-display.csl", DISPLAYED, output) == expected


def test_upright_translation_kept_where_the_guide_says_so() -> None:
    renderer = Renderer(pc.Library(DISPLAYED[1:]), "chicago-author-date", output="html")
    assert "<i>Puertos</i> [Ports]" in renderer.bibliography().entries[0]


def test_terms_title_cased_in_any_locale_values_only_in_english() -> None:
    # da-DK style, an item without a language: citeproc-js title-cases the label and
    # the terms, not the title.
    source = pc.Source(
        "a",
        "report",
        "the harbour of the north",
        issued=D(2020),
        extra={"editor": [{"family": "Kask", "given": "Jaan"}]},
    )
    assert _cites("markup-termcase.csl", [source], "[@a]", "text") == (
        "Jaan Kask (Red.) | Red. | the harbour of the north | U.å. | I"
    )


def test_html_doubled_spaces_as_citeproc_js_writes_them() -> None:
    # citeproc-js's text_escape: two white-space characters become "\u00a0 ", in values
    # and in the style's affixes alike; text output keeps them.
    source = pc.Source("a", "report", "Harbour  plans", publisher="Port & Office")
    assert _cites("markup-spaces.csl", [source], "[@a]", "html") == (
        "Harbour\u00a0 plans,\u00a0 Port &amp; Office"
    )
    assert _cites("markup-spaces.csl", [source], "[@a]", "text") == "Harbour  plans,  Port & Office"


def test_organisation_takes_name_and_family_formatting_as_one_set() -> None:
    sources = [
        pc.Source("a", "report", "Plans", authors=[pc.Name.organisation("Ministry")]),
        pc.Source("b", "report", "Plans", authors=[P("Kask", "Jaan")]),
    ]
    assert _cites("markup-institution.csl", sources, "[@a]", "html") == (
        "<b><i>Ministry</i></b> | <i>Ministry</i> | <i>Ministry</i>"
    )
    assert _cites("markup-institution.csl", sources, "[@b]", "html") == (
        "<i>Jaan <b>Kask</b></i> | <i>Jaan <i>Kask</i></i> | Jaan <i>Kask</i>"
    )


def test_html_doubled_spaces_kept_in_the_suffix_of_a_macros_element() -> None:
    source = pc.Source("a", "report", "Plans", authors=[P("Kask", "Jaan")], issued=D(2020))
    assert _cites("markup-spaces-macro.csl", [source], "[@a]", "html") == (
        "Plans.  |Plans.  |x\u00a0 Jaan Kask.  |Jaan Kask.  |Jaan Kask.\u00a0 |Plans"
    )
    assert _entries("markup-spaces-macro.csl", [source], "html") == (
        "Jaan Kask.  |Jaan Kask.\u00a0 |Plans.\u00a0 |,\u00a0 Plans|Plans\u00a0 |Plans",
    )


# --- issue 16 (round 3): display seams, character references ---

SEAMS = [
    pc.Source(
        "a",
        "report",
        "Harbour plans",
        authors=[P("Kask", "Jaan")],
        issued=D(2020),
        publisher="Port Office",
        provenance=pc.Provenance(url="https://port.example/plan"),
    ),
    pc.Source(
        "b",
        "report",
        "Other",
        authors=[P("Lee", "Sujin")],
        issued=D(2021),
        publisher="Port Office",
        extra={"DOI": "10.1/x"},
    ),
]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            "text",
            (
                "Jaan Kask.  \n    2020. Harbour plans\nPort Office.\n https://port.example/plan",
                "Sujin Lee.  \n    2021. Other\nPort Office. doi:10.1/x.",
            ),
        ),
        (
            "html",
            (
                '<div class="csl-left-margin">Jaan Kask. </div><div class="csl-indent">2020. '
                'Harbour plans</div>\n  \n\n    <div class="csl-block">Port Office.</div>\n\n\n'
                '    <div class="csl-block"> https://port.example/plan</div>',
                '<div class="csl-left-margin">Sujin Lee. </div><div class="csl-indent">2021. '
                'Other</div>\n  \n\n    <div class="csl-block">Port Office.</div>\n doi:10.1/x.',
            ),
        ),
    ],
)
def test_displayed_children_meet_at_their_seams_before_their_layout(
    output: str, expected: tuple[str, ...]
) -> None:
    # The indent's leading " " goes after the left-margin's ". " (one space, inside the
    # left margin), the block's ". " after "Office." loses its period, and the layout's
    # suffix is lost after a text macro that prints nothing (item a), as in citeproc-js.
    assert _entries("markup-display-seams.csl", SEAMS, output) == expected


@pytest.mark.parametrize("output", ["text", "html"])
def test_escaped_character_references_are_read_twice(output: str) -> None:
    # prefix="&amp;#160;" is a no-break space, "&amp;#9;" a tab (trimmed at the start
    # of a citation), "&amp;lt;" a "<" (escaped again in HTML), as citeproc-js reads them.
    source = pc.Source("a", "report", "Harbour plans", publisher="Port Office", issued=D(2020))
    assert _entries("markup-references.csl", [source], output) == (
        "«\u00a0Harbour plans\u00a0», ‘Port Office’",
    )
    assert _cites("markup-references.csl", [source], "[@a]", output) == (
        "&lt;Harbour plans&gt;." if output == "html" else "<Harbour plans>."
    )


def test_layout_formatting_goes_round_both_columns() -> None:
    # second-field-align with a formatted layout (thieme-german): the formatting holds
    # both column divisions and the space that ended the entry's text.
    sources = SEAMS[:1]
    assert _entries("markup-columns.csl", sources, "html") == (
        '<span style="baseline">\n    <div class="csl-left-margin">[<span style="baseline">1'
        '</span>]</div><div class="csl-right-inline">Jaan Kask. Harbour plans.</div>\n   '
        "</span>",
    )
    assert _entries("markup-columns.csl", sources, "text") == ("[1] Jaan Kask. Harbour plans.",)


MARKS = [
    pc.Source(
        "a",
        "report",
        "Harbour plans",
        authors=[P("Kask", "Jaan"), P("Lee", "Sujin"), P("Zhou", "Wei")],
        issued=D(2020),
        publisher="Port Office",
    ),
    pc.Source(
        "b",
        "report",
        "Other",
        authors=[P("Kask", "Jaan"), P("Lee", "Sujin")],
        issued=D(2021),
        publisher="Port Office",
    ),
]


def test_a_mark_after_a_display_moves_into_it_unless_formatted() -> None:
    # ", Port Office" after a block: the comma goes inside the block's division; the
    # "; " after a bold block before an italic publisher stays where it is.
    assert _entries("markup-display-mark.csl", MARKS[:1], "html") == (
        '<div class="csl-block"><i>Harbour plans</i> 2020,</div>\n Port Office\n\n    '
        '<div class="csl-block"><b>Harbour plans</b></div>\n; <i>Port Office</i>.',
    )
    assert _entries("markup-display-mark.csl", MARKS[:1], "text") == (
        "Harbour plans 2020, Port Office\nHarbour plans; Port Office.",
    )


def test_et_al_formatting_makes_the_names_normal_count() -> None:
    # A cs:name's "normal" round a list ending in an et-al that sets the decorated value
    # of the same attribute is written; round a list without et al. it is not.
    assert _cites("markup-etal-normal.csl", MARKS, "[@a]", "html") == (
        '<span style="font-style:normal;">Jaan Kask <i>et al.</i></span> | Jaan Kask '
        '<i>et al.</i> | <span style="font-variant:normal;">Jaan Kask <span '
        'style="font-variant:small-caps;">et al.</span></span>'
    )
    assert _cites("markup-etal-normal.csl", MARKS, "[@b]", "html") == (
        "Jaan Kask, Sujin Lee | Jaan Kask, Sujin Lee | Jaan Kask, Sujin Lee"
    )


def test_name_part_normal_counts_only_markup_outside_its_names() -> None:
    # A name part's "normal" inside small-caps cs:names (or cs:name) is not written; a
    # group round the cs:names that sets the decorated form makes it show.
    tamm = pc.Source("a", "book", "T", authors=[P("Tamm", "Hanna")])
    assert _entries("markup-namepart-normal.csl", [tamm], "html") == (
        '<span style="font-variant:small-caps;">H. Tamm</span> | <b>Tamm</b> H. | '
        '<span style="font-variant:small-caps;"><span style="font-variant:normal;">Tamm</span>'
        ' H.</span> | <i>x <span style="font-style:normal;">Tamm</span> H.</i> | '
        '<span style="font-variant:small-caps;">Tamm H.</span>',
    )


def test_substitute_prints_without_the_names_markup() -> None:
    # A title in a cs:names's place has none of its affixes and formatting; a shorthand
    # cs:names in the substitute has the enclosing cs:names's, not its own.
    sources = [
        pc.Source("a", "report", "Harbour plans", issued=D(2020)),
        pc.Source(
            "b",
            "report",
            "B",
            extra={"editor": [{"family": "Kask", "given": "Jaan"}, {"family": "Lee"}]},
        ),
    ]
    assert _cites("markup-substitute.csl", sources, "[@a]", "html") == "Harbour plans"
    assert _cites("markup-substitute.csl", sources, "[@b]", "html") == "(<i>Kask &amp; Lee</i>)"


def test_html_entries_trimmed_at_the_ends_only() -> None:
    # citeproc-js trims the string: the spaces a tag holds at the start or end of an
    # entry or citation stay ("<b> (2020):</b>" for an entry without author).
    source = pc.Source("a", "report", "Harbour plans", issued=D(2020), publisher="Port Office")
    assert _entries("markup-trim.csl", [source], "html") == (
        "<b> (2020):</b> Harbour plans <i> Port Office </i>",
    )
    assert _cites("markup-trim.csl", [source], "[@a]", "html") == "<i> Harbour plans </i>"
    assert _cites("markup-trim.csl", [source], "[@a]", "text") == "Harbour plans"
