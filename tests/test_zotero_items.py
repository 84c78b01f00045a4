"""One Zotero item (API JSON) -> one Source: item types, extra, keys, kept fields."""

from __future__ import annotations

from typing import Any

import pytest

from policycite.model import PartialDate
from policycite.zotero.items import citation_key_of, item_uri, parse_extra, source_from_item


def item(item_type: str, **fields: Any) -> dict[str, Any]:
    return {"key": "ABCD2345", "version": 7, "itemType": item_type, **fields}


def person(role: str, first: str, last: str) -> dict[str, str]:
    return {"creatorType": role, "firstName": first, "lastName": last}


def test_extra_is_read_as_zotero_and_better_bibtex_read_it() -> None:
    extra = parse_extra(
        "Citation Key: smith2020\n"
        "Original Date: 1990\n"
        "event_place: Geneva\n"
        "Type: speech\n"
        "publisher: Example Press\n"
        "{:container-title: The Old Syntax}\n"
        "tex.howpublished: Speech\n"
        "A note the user wrote."
    )
    assert extra.citation_key == "smith2020"
    assert extra.csl_type == "speech"
    assert dict(extra.variables) == {
        "original-date": "1990",
        "event-place": "Geneva",
        "publisher": "Example Press",
        "container-title": "The Old Syntax",
    }
    assert extra.note == "tex.howpublished: Speech\nA note the user wrote."


def test_citation_key_from_the_field_or_extra() -> None:
    assert citation_key_of({"citationKey": "a2020"}) == "a2020"
    assert citation_key_of({"extra": "Citation Key: b2020"}) == "b2020"
    assert citation_key_of({"extra": "nothing"}) is None


def test_item_uris() -> None:
    assert item_uri("K", user_id=42) == "http://zotero.org/users/42/items/K"
    assert item_uri("K", group_id=7) == "http://zotero.org/groups/7/items/K"
    assert item_uri("K", local_user_key="L") == "http://zotero.org/users/local/L/items/K"
    with pytest.raises(ValueError, match="needs"):
        item_uri("K")


@pytest.mark.parametrize(
    ("data", "kind", "checks"),
    [
        (
            item(
                "webpage",
                title="Council adopts plan",
                websiteTitle="Example Council",
                websiteType="Press Release",
                date="2020-05-13",
            ),
            "press-release",
            {"authors": "Example Council", "container_title": None, "issued": "2020-05-13"},
        ),
        (
            item(
                "report",
                title="Minister visits",
                institution="Ministry of Examples",
                reportType="News release",
                date="13 May 2020",
            ),
            "press-release",
            {"genre": "News release", "issued": "2020-05-13"},
        ),
        (
            item(
                "presentation",
                title="Keynote",
                creators=[person("presenter", "Ana", "Lima")],
                presentationType="Keynote address",
                meetingName="Forum",
                place="Lisbon",
                date="2021-06-01",
            ),
            "speech",
            {"authors": "Ana Lima", "event_title": "Forum", "event_place": "Lisbon", "genre": None},
        ),
        (
            item(
                "presentation",
                title="Results",
                creators=[person("presenter", "Ana", "Lima")],
                presentationType="Conference paper",
            ),
            "speech",
            {"genre": "Conference paper"},
        ),
        (
            item(
                "document",
                title="Communiqué",
                creators=[{"creatorType": "author", "name": "G7"}],
                extra="genre: Statement",
            ),
            "statement",
            {"authors": "G7", "genre": None},
        ),
        (
            item("document", title="Guidance", publisher="Agency"),
            "document",
            {"publisher": "Agency"},
        ),
        (
            item("magazineArticle", title="Essay", publicationTitle="The Monthly"),
            "journal-article",
            {"csl_type": "article-magazine", "container_title": "The Monthly"},
        ),
        (
            item("journalArticle", title="Study", publicationTitle="Journal", volume="3"),
            "journal-article",
            {"container_title": "Journal"},
        ),
        (
            item("bookSection", title="Chapter", bookTitle="The Book", publisher="Press"),
            "chapter",
            {"container_title": "The Book", "publisher": "Press"},
        ),
        (
            item("book", title="The Book", publisher="Press", place="Paris"),
            "book",
            {"publisher_place": "Paris"},
        ),
        (
            item(
                "interview",
                title="On trade",
                creators=[person("interviewee", "Ana", "Lima"), person("interviewer", "Bo", "Ek")],
            ),
            "interview",
            {"authors": "Ana Lima"},
        ),
        (
            item("thesis", title="A thesis", university="Uni"),
            "document",
            {"csl_type": "thesis", "publisher": "Uni"},
        ),
    ],
    ids=lambda v: v["itemType"] if isinstance(v, dict) and "itemType" in v else None,
)
def test_item_types_map_to_kinds(data: dict[str, Any], kind: str, checks: dict[str, Any]) -> None:
    result = source_from_item(data, uri="http://zotero.org/users/1/items/ABCD2345")
    assert result.source is not None, result.findings
    source = result.source
    assert source.kind == kind
    assert source.provenance.aliases == ("http://zotero.org/users/1/items/ABCD2345",)
    for name, value in checks.items():
        actual = getattr(source, name)
        if name == "authors":
            actual = "; ".join(n.display for n in actual)
        if name == "issued":
            actual = str(actual)
        assert actual == value, name


def test_unknown_fields_creators_and_tags_are_kept() -> None:
    data = item(
        "webpage",
        title="Page",
        rights="CC BY 4.0",
        creators=[person("author", "Ana", "Lima"), person("scriptwriter", "Bo", "Ek")],
        tags=[{"tag": "trade"}, {"tag": "eu", "type": 1}],
        extra="tex.note: x",
        abstractNote="An abstract.",
    )
    source = source_from_item(data).source
    assert source is not None
    zotero = source.custom["zotero"]
    assert zotero["item-type"] == "webpage"
    assert zotero["fields"] == {"rights": "CC BY 4.0"}
    assert zotero["creators"] == [person("scriptwriter", "Bo", "Ek")]
    assert zotero["tags"] == ["trade", "eu"]
    assert source.extra["abstract"] == "An abstract."
    assert source.extra["note"] == "tex.note: x"
    assert "version" not in zotero.get("fields", {})  # sync bookkeeping, not a field


def test_a_missing_required_field_falls_back_to_document() -> None:
    result = source_from_item(item("newspaperArticle", title="Talks", date="2020"))
    assert result.source is not None
    assert result.source.kind == "document"
    assert result.source.csl_type == "article-newspaper"
    assert [f.code for f in result.findings] == ["PC321"]
    assert "publication (newspaper) title" in (result.findings[0].hint or "")


def test_a_date_that_is_no_date_is_kept_as_text() -> None:
    result = source_from_item(item("webpage", title="Page", date="sometime in spring"))
    assert result.source is not None
    assert result.source.issued == PartialDate(literal="sometime in spring")
    assert [f.code for f in result.findings] == ["PC322"]


def test_a_field_no_record_can_hold_is_kept_aside() -> None:
    result = source_from_item(item("webpage", title="Page", url="www.example.org/no-scheme"))
    assert result.source is not None
    assert result.source.url is None
    assert result.source.custom["zotero"]["fields"] == {"URL": "www.example.org/no-scheme"}
    assert [f.code for f in result.findings] == ["PC320"]
    assert "ABCD2345" in result.findings[0].message


def test_names_in_extra_join_the_creators() -> None:
    data = item(
        "book",
        title="Book",
        creators=[person("author", "Ana", "Lima")],
        extra="author: Ek || Bo\noriginal-author: Example Society",
    )
    source = source_from_item(data).source
    assert source is not None
    assert [n.display for n in source.authors] == ["Ana Lima", "Bo Ek"]
    assert source.extra["original-author"] == [{"literal": "Example Society"}]


def test_keys_never_the_zotero_item_key() -> None:
    source = source_from_item(
        item(
            "book",
            title="Book",
            citationKey="ABCD2345",
            creators=[person("author", "A", "Li")],
            date="2001",
        )
    ).source
    assert source is not None and source.key == "li2001"
    bbt = source_from_item(item("book", title="Book", extra="Citation Key: li2001book")).source
    assert bbt is not None and bbt.key == "li2001book"
    given = source_from_item(item("book", title="Book"), key="mine").source
    assert given is not None and given.key == "mine"
