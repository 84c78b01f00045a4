"""Text Fragment links: syntax, encoding, long quotations, disambiguation, fragments kept."""

from __future__ import annotations

from policycite.anchors.fragments import deep_link, text_directive


def test_short_quote_is_linked_whole_and_encoded() -> None:
    assert text_directive("no river stops at a border") == (
        ":~:text=no%20river%20stops%20at%20a%20border"
    )
    # "-", "," and "&" are the directive's own syntax: always escaped.
    assert text_directive("cost-sharing, audits & reports") == (
        ":~:text=cost%2Dsharing%2C%20audits%20%26%20reports"
    )


def test_no_break_spaces_and_runs_of_white_space_read_as_one_space() -> None:
    assert text_directive("the\u00a0Council  of\nministers") == (
        ":~:text=the%20Council%20of%20ministers"
    )


def test_long_quote_uses_start_and_end_words() -> None:
    quote = "one two three four five six seven eight nine ten eleven twelve"
    assert text_directive(quote) == ":~:text=one%20two%20three%20four,nine%20ten%20eleven%20twelve"


def test_prefix_and_suffix_disambiguate() -> None:
    directive = text_directive(
        "the plan", prefix="Ministers adopted\u00a0", suffix=" for the Narva basin"
    )
    assert directive == ":~:text=Ministers%20adopted-,the%20plan,-for%20the%20Narva%20basin"


def test_deep_links_keep_the_page_fragment_and_replace_an_old_directive() -> None:
    url = "https://www.bcws.example/press/plan"
    assert deep_link(url, "joint plan") == url + "#:~:text=joint%20plan"
    assert deep_link(url + "#part-2", "joint plan") == url + "#part-2:~:text=joint%20plan"
    assert deep_link(url + "#:~:text=old", "joint plan") == url + "#:~:text=joint%20plan"
    archived = "https://web.archive.org/web/20240320101500/https://www.bcws.example/press/plan"
    assert deep_link(archived, "joint plan").endswith("/press/plan#:~:text=joint%20plan")
