"""Pandoc citation syntax -> clusters: keys, prefixes, locators, suffixes and errors."""

from __future__ import annotations

import pytest

from policycite.citations import parse_citations
from policycite.errors import InputError, ModelError
from policycite.model import Cite, Cluster


def _one(text: str) -> Cite:
    """The single cite of the single cluster in ``text``."""
    clusters = parse_citations(text)
    assert len(clusters) == 1
    assert len(clusters[0].cites) == 1
    return clusters[0].cites[0]


def test_single_cluster():
    assert parse_citations("As reported [@norov2020].") == [Cluster([Cite("norov2020")])]


def test_plain_cite_defaults():
    cite = _one("[@a]")
    assert (cite.key, cite.locator, cite.label, cite.prefix, cite.suffix) == (
        "a",
        None,
        "page",
        None,
        None,
    )


def test_no_citations():
    assert parse_citations("Nothing to cite here.") == []
    assert parse_citations("") == []


def test_several_clusters_in_order():
    clusters = parse_citations("First [@a], then [@b, p. 3], last [@c].")
    assert clusters == [
        Cluster([Cite("a")]),
        Cluster([Cite("b", locator="3", label="page")]),
        Cluster([Cite("c")]),
    ]


def test_several_cites_in_one_cluster():
    clusters = parse_citations("[see @norov2020, para. 4; @mfa2020]")
    assert clusters == [
        Cluster(
            [
                Cite("norov2020", locator="4", label="paragraph", prefix="see"),
                Cite("mfa2020"),
            ]
        )
    ]


def test_three_cites_with_affixes():
    cluster = parse_citations("[see @a, p. 1; also @b; cf. @c, sec. 2]")[0]
    assert cluster.cites == (
        Cite("a", locator="1", label="page", prefix="see"),
        Cite("b", prefix="also"),
        Cite("c", locator="2", label="section", prefix="cf."),
    )


def test_prefix():
    cite = _one("[see @a]")
    assert cite.key == "a"
    assert cite.prefix == "see"
    assert cite.suffix is None


def test_multi_word_prefix():
    assert _one("[as argued in @a]").prefix == "as argued in"


@pytest.mark.parametrize(
    ("locator_text", "label", "locator"),
    [
        ("para. 4", "paragraph", "4"),
        ("paras. 4-6", "paragraph", "4-6"),
        ("¶ 4", "paragraph", "4"),
        ("¶¶ 4-5", "paragraph", "4-5"),
        ("p. 12", "page", "12"),
        ("pp. 33-35", "page", "33-35"),
        ("sec. 3.2", "section", "3.2"),
        ("§ 7", "section", "7"),
        ("§7", "section", "7"),
        ("chap. 2", "chapter", "2"),
        ("chapter 2", "chapter", "2"),
        ("Para. 4", "paragraph", "4"),
        ("at 1:02", "timestamp", "1:02"),
        ("p. iv", "page", "iv"),
    ],
)
def test_labelled_locators(locator_text, label, locator):
    cite = _one(f"[@a, {locator_text}]")
    assert (cite.key, cite.locator, cite.label, cite.suffix) == ("a", locator, label, None)


def test_bare_number_is_a_page():
    cite = _one("[@a, 33]")
    assert (cite.locator, cite.label) == ("33", "page")


def test_time_is_a_timestamp():
    cite = _one("[@a, 1:02:03]")
    assert (cite.locator, cite.label, cite.suffix) == ("1:02:03", "timestamp", None)


def test_range():
    cite = _one("[@a, 33-35]")
    assert (cite.locator, cite.label) == ("33-35", "page")


def test_en_dash_range():
    assert _one("[@a, pp. 33\u201335]").locator == "33\u201335"


def test_list():
    cite = _one("[@a, 4, 6]")
    assert (cite.locator, cite.label, cite.suffix) == ("4, 6", "page", None)


def test_labelled_list():
    cite = _one("[@a, paras. 4, 6]")
    assert (cite.locator, cite.label) == ("4, 6", "paragraph")


def test_braced_locator():
    cite = _one("[@a, {IV.2}]")
    assert (cite.locator, cite.label, cite.suffix) == ("IV.2", "page", None)


def test_braced_locator_with_label():
    cite = _one("[@a, sec. {Annex B}]")
    assert (cite.locator, cite.label) == ("Annex B", "section")


def test_suffix_after_locator():
    cite = _one("[@a, para. 4, emphasis added]")
    assert (cite.key, cite.locator, cite.label) == ("a", "4", "paragraph")
    # As in pandoc, the comma before the suffix stays in it (the renderer relies on that
    # to put no space before it).
    assert cite.suffix == ", emphasis added"


def test_suffix_after_locator_without_comma():
    cite = _one("[@a, pp. 33-35 and passim]")
    assert (cite.locator, cite.label, cite.suffix) == ("33-35", "page", "and passim")


def test_suffix_without_locator():
    cite = _one("[@a, emphasis added]")
    assert (cite.locator, cite.label) == (None, "page")
    assert cite.suffix is not None
    assert cite.suffix.endswith("emphasis added")


def test_suffix_without_locator_keeps_comma():
    assert _one("[@a, emphasis added]").suffix == ", emphasis added"


def test_suffix_without_comma():
    cite = _one("[@a and others]")
    assert (cite.locator, cite.suffix) == (None, "and others")


def test_label_word_without_number_is_suffix():
    cite = _one("[@a, at least in part]")
    assert (cite.locator, cite.label, cite.suffix) == (None, "page", ", at least in part")


def test_braced_key():
    cite = _one("[@{10.1000/xyz}, p. 3]")
    assert (cite.key, cite.locator, cite.label) == ("10.1000/xyz", "3", "page")


def test_key_with_internal_punctuation():
    assert _one("[@Smith:2020]").key == "Smith:2020"
    assert _one("[@who_2020-a, p. 2]").key == "who_2020-a"
    assert _one("[see @un.org/doc#3]").key == "un.org/doc#3"


def test_key_does_not_take_trailing_punctuation():
    cite = _one("[@Smith:2020.]")
    assert (cite.key, cite.suffix) == ("Smith:2020", ".")


def test_plain_brackets_are_ignored():
    assert parse_citations("He said [sic] that [@a] holds [1].") == [Cluster([Cite("a")])]
    assert parse_citations("[sic]") == []


def test_email_in_brackets_is_not_a_citation():
    assert parse_citations("[contact press@who.int]") == []


def test_nested_brackets_in_suffix():
    assert _one("[@a, para. 4 [emphasis added]]").suffix == "[emphasis added]"


def test_email_outside_brackets_is_not_narrative():
    assert parse_citations("Write to press@who.int [@a].") == [Cluster([Cite("a")])]


def test_unclosed_bracket():
    with pytest.raises(InputError, match="never closed") as err:
        parse_citations("text [@a and more")
    assert err.value.column == 6


def test_unclosed_bracket_after_cluster():
    with pytest.raises(InputError, match="never closed") as err:
        parse_citations("[@a] then [see")
    assert err.value.column == 11


def test_cite_without_key_in_cluster():
    with pytest.raises(InputError, match="needs an @key") as err:
        parse_citations("[@a; ibid.]")
    assert err.value.column == 5


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("@a says so.", ["a"]),
        ("As @norov2020 said [@b].", ["norov2020", "b"]),
        ("[@a] and @b.", ["a", "b"]),
        ("-@a says so", ["a"]),
    ],
)
def test_narrative_citations_outside_brackets(text, keys):
    clusters = parse_citations(text)
    assert [c.cites[0].key for c in clusters] == keys
    modes = [c.cites[0].mode for c in clusters]
    assert modes == ["normal" if f"[@{k}]" in text else "narrative" for k in keys]


def test_narrative_citation_with_locator_in_brackets():
    assert parse_citations("@kask2024 [p. 4] says") == [
        Cluster([Cite("kask2024", locator="4", label="page", mode="narrative")])
    ]
    cite = _one("@a [para. 2, emphasis added]")
    assert (cite.locator, cite.label, cite.suffix) == ("2", "paragraph", ", emphasis added")
    assert _one("@a [in the annex]").suffix == "in the annex"


def test_bracket_after_narrative_with_a_key_is_its_own_cluster():
    clusters = parse_citations("@a [@b, p. 3]")
    assert [(c.cites[0].key, c.cites[0].mode, c.cites[0].locator) for c in clusters] == [
        ("a", "narrative", None),
        ("b", "normal", "3"),
    ]


def test_bracket_after_words_is_no_locator():
    assert parse_citations("@a said so [sic]") == [Cluster([Cite("a", mode="narrative")])]


def test_suppressed_author():
    assert parse_citations("[-@a, p. 3]") == [
        Cluster([Cite("a", locator="3", mode="suppress-author")])
    ]


def test_suppressed_author_in_second_cite():
    cites = parse_citations("[@a; see -@b]")[0].cites
    assert [(c.key, c.mode, c.prefix) for c in cites] == [
        ("a", "normal", None),
        ("b", "suppress-author", "see"),
    ]


def test_narrative_cite_only_first_in_a_cluster():
    with pytest.raises(ModelError, match="only the first cite"):
        Cluster([Cite("a"), Cite("b", mode="narrative")])
    with pytest.raises(ModelError, match="unknown cite mode"):
        Cite("a", mode="author-only")
