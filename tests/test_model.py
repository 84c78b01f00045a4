"""The model's invariants (ModelError naming the field) and its small behaviours."""

from __future__ import annotations

import datetime as dt
import io
import pickle

import attrs
import pytest

from policycite.errors import ModelError
from policycite.model import (
    AnchorStatus,
    Library,
    Name,
    PartialDate,
    Provenance,
    QuoteAnchor,
    Source,
)

SHA = "a" * 64


def _speech(**fields) -> Source:
    fields.setdefault("authors", [Name.person("Norov", "Vladimir")])
    return Source(key=fields.pop("key", "norov2020"), kind="speech", **fields)


# ---------------------------------------------------------------------------------------
# Name


def test_person_name():
    name = Name.person("Norov", "Vladimir")
    assert not name.is_organisation
    assert (name.family, name.given, name.literal) == ("Norov", "Vladimir", None)
    assert name.display == "Vladimir Norov"
    assert name.sort_name == "Norov, Vladimir"


def test_person_name_with_particles_and_suffix():
    name = Name.person("Beethoven", "Ludwig", non_dropping_particle="van", suffix="Jr.")
    assert name.display == "Ludwig van Beethoven, Jr."
    assert name.sort_name == "van Beethoven, Ludwig"


def test_person_without_given_name():
    name = Name.person("Plato")
    assert name.display == "Plato"
    assert name.sort_name == "Plato"


def test_organisation_name():
    name = Name.organisation("World Health Organization", "WHO")
    assert name.is_organisation
    assert name.literal == "World Health Organization"
    assert name.abbreviation == "WHO"
    assert name.display == "World Health Organization"
    assert name.sort_name == "World Health Organization"


def test_name_text_is_stripped_and_blank_is_none():
    name = Name(family="  Norov ", given="   ")
    assert name.family == "Norov"
    assert name.given is None


def test_name_needs_family_or_literal():
    with pytest.raises(ModelError, match="family name or a literal") as err:
        Name(given="Vladimir")
    assert err.value.field == "name"


def test_blank_name_is_rejected():
    with pytest.raises(ModelError, match="family name or a literal") as err:
        Name(family="  ")
    assert err.value.field == "name"


@pytest.mark.parametrize("parts", [{"family": "Norov"}, {"given": "Vladimir"}])
def test_literal_name_cannot_have_person_parts(parts):
    with pytest.raises(ModelError, match="cannot also have family/given") as err:
        Name(literal="World Health Organization", **parts)
    assert err.value.field == "name"
    assert "World Health Organization" in err.value.message


def test_abbreviation_only_on_organisations():
    with pytest.raises(ModelError, match="abbreviation") as err:
        Name(family="Norov", abbreviation="VN")
    assert err.value.field == "name.abbreviation"


def test_model_error_is_a_value_error_and_names_the_field():
    with pytest.raises(ValueError, match=r"^field 'name\.abbreviation': ") as err:
        Name(family="Norov", abbreviation="VN")
    assert isinstance(err.value, ModelError)


# ---------------------------------------------------------------------------------------
# PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", PartialDate(2020)),
        ("2020-05", PartialDate(2020, 5)),
        ("2020-05-13", PartialDate(2020, 5, 13)),
        ("2020-21", PartialDate(2020, season=1)),
        ("2020-24", PartialDate(2020, season=4)),
        ("2020~", PartialDate(2020, circa=True)),
        ("2020-05-13~", PartialDate(2020, 5, 13, circa=True)),
        (
            "2020-05-13/2020-05-14",
            PartialDate(2020, 5, 13, end=PartialDate(2020, 5, 14)),
        ),
    ],
)
def test_parse(text, expected):
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2020",
        "2020-05",
        "2020-05-13",
        "2020-21",
        "2020~",
        "2020-05-13/2020-05-14",
        "2020/2021",
        "2020-05-13~",
    ],
)
def test_iso_round_trip(text):
    date = PartialDate.parse(text)
    assert date.iso() == text
    assert str(date) == text
    assert PartialDate.parse(date.iso()) == date


def test_parse_strips_white_space():
    assert PartialDate.parse("  2020-05 ") == PartialDate(2020, 5)


def test_parsed_parts():
    date = PartialDate.parse("2020-05-13/2020-05-14")
    assert (date.year, date.month, date.day, date.circa) == (2020, 5, 13, False)
    assert date.end == PartialDate(2020, 5, 14)
    assert date.is_full
    assert date.as_date() == dt.date(2020, 5, 13)
    spring = PartialDate.parse("2020-21")
    assert (spring.year, spring.month, spring.season) == (2020, None, 1)
    assert not spring.is_full
    assert spring.as_date() is None


def test_from_date_and_sort_key():
    date = PartialDate.from_date(dt.date(2020, 5, 13))
    assert date == PartialDate(2020, 5, 13)
    assert PartialDate(2020).sort_key == (2020, 0, 0)
    assert PartialDate(2020, 5).sort_key < date.sort_key


@pytest.mark.parametrize("text", ["May 2020", "20200513", "2020-5-13", "", "2020-05-13T10:00"])
def test_parse_rejects_non_dates(text):
    with pytest.raises(ModelError, match="not a date") as err:
        PartialDate.parse(text)
    assert err.value.field == "date"


def test_invalid_month():
    with pytest.raises(ModelError, match="month 13 is not 1-12") as err:
        PartialDate.parse("2020-13")
    assert err.value.field == "date"


def test_invalid_month_constructed():
    with pytest.raises(ModelError, match="month 0 is not 1-12") as err:
        PartialDate(2020, 0)
    assert err.value.field == "date"


def test_no_february_29_in_a_common_year():
    with pytest.raises(ModelError, match="2021-02 has no day 29") as err:
        PartialDate.parse("2021-02-29")
    assert err.value.field == "date"
    assert PartialDate.parse("2020-02-29").day == 29  # leap year


def test_day_without_month():
    with pytest.raises(ModelError, match="a day needs a month") as err:
        PartialDate(2020, day=5)
    assert err.value.field == "date"


def test_date_needs_year():
    with pytest.raises(ModelError, match="needs a year") as err:
        PartialDate(month=5)
    assert err.value.field == "date"


def test_season_with_day_rejected():
    with pytest.raises(ModelError, match="not a date") as err:
        PartialDate.parse("2020-21-05")
    assert err.value.field == "date"


def test_season_cannot_be_combined_with_month():
    with pytest.raises(ModelError, match="season") as err:
        PartialDate(2020, 5, season=1)
    assert err.value.field == "date"


def test_range_ending_before_start():
    with pytest.raises(ModelError, match="ends before it starts") as err:
        PartialDate.parse("2020-05-14/2020-05-13")
    assert err.value.field == "date"


def test_season_range_ending_before_start():
    with pytest.raises(ModelError, match="ends before it starts") as err:
        PartialDate.parse("2020-22/2020-21")
    assert err.value.field == "date"


def test_range_end_must_be_plain():
    with pytest.raises(ModelError, match="plain date") as err:
        PartialDate(2020, end=PartialDate(literal="later"))
    assert err.value.field == "date"


def test_literal_date():
    date = PartialDate(literal="  Spring 2020, as broadcast ")
    assert date.literal == "Spring 2020, as broadcast"
    assert date.iso() is None
    assert str(date) == "Spring 2020, as broadcast"
    assert date.as_date() is None
    assert date.sort_key == (0, 0, 0)


def test_literal_date_cannot_have_year():
    with pytest.raises(ModelError, match="literal date cannot also have date parts") as err:
        PartialDate(2020, literal="Spring 2020")
    assert err.value.field == "date"


def test_literal_date_cannot_have_month():
    with pytest.raises(ModelError, match="literal date cannot also have date parts") as err:
        PartialDate(month=5, literal="Spring 2020")
    assert err.value.field == "date"


# ---------------------------------------------------------------------------------------
# Provenance


def test_valid_provenance():
    prov = Provenance(
        url="https://example.org/press/1",
        accessed=PartialDate(2024, 1, 2),
        archive_url="https://web.archive.org/web/2024/https://example.org/press/1",
        archive_date=PartialDate(2024, 1, 2),
        content_sha256=SHA,
        captured_at="2024-01-02T10:00:00+00:00",
        method="html-capture",
    )
    assert prov.method.value == "html-capture"
    assert Provenance(captured_at="2024-01-02T10:00:00Z").captured_at == "2024-01-02T10:00:00Z"


def test_archive_date_needs_archive_url():
    with pytest.raises(ModelError, match="archive date needs an archive URL") as err:
        Provenance(archive_date=PartialDate(2024, 1, 2))
    assert err.value.field == "provenance.archive-date"


@pytest.mark.parametrize("value", ["abc", "A" * 64, "g" * 64, "a" * 63])
def test_bad_sha256(value):
    with pytest.raises(ModelError, match="SHA-256") as err:
        Provenance(content_sha256=value)
    assert err.value.field == "provenance.content-sha256"


def test_captured_at_needs_time_zone():
    with pytest.raises(ModelError, match="needs a time zone") as err:
        Provenance(captured_at="2024-01-02T10:00:00")
    assert err.value.field == "provenance.captured-at"


def test_captured_at_must_be_a_timestamp():
    with pytest.raises(ModelError, match="not an ISO 8601 date-time") as err:
        Provenance(captured_at="yesterday")
    assert err.value.field == "provenance.captured-at"


@pytest.mark.parametrize(
    "date",
    [PartialDate(2024), PartialDate(2024, 1), PartialDate(2024, 1, 2, end=PartialDate(2024, 1, 3))],
)
def test_accessed_must_be_single_full_date(date):
    with pytest.raises(ModelError, match="single full date") as err:
        Provenance(accessed=date)
    assert err.value.field == "accessed"


def test_archive_date_must_be_full_date():
    with pytest.raises(ModelError, match="single full date") as err:
        Provenance(archive_url="https://web.archive.org/x", archive_date=PartialDate(2024))
    assert err.value.field == "provenance.archive-date"


@pytest.mark.parametrize("url", ["example.org/press", "/press/1", "https://exa mple.org/"])
def test_url_must_be_absolute(url):
    with pytest.raises(ModelError, match="URL") as err:
        Provenance(url=url)
    assert err.value.field == "URL"
    assert url in err.value.message


def test_archive_url_must_be_absolute():
    with pytest.raises(ModelError, match="not an absolute URL") as err:
        Provenance(archive_url="web.archive.org/x")
    assert err.value.field == "provenance.archive-url"


def test_urn_and_doi_urls_are_absolute():
    assert Provenance(url="urn:isbn:0451450523").url == "urn:isbn:0451450523"
    assert Provenance(url="doi:10.1000/xyz").url == "doi:10.1000/xyz"


# ---------------------------------------------------------------------------------------
# QuoteAnchor


def test_valid_anchor():
    anchor = QuoteAnchor(
        "we will act",
        start=10,
        end=21,
        paragraph=4,
        snapshot_sha256=SHA,
        status="verbatim",
        score=1.0,
    )
    assert anchor.status is AnchorStatus.VERBATIM
    assert QuoteAnchor("we will act").status is AnchorStatus.UNVERIFIED


@pytest.mark.parametrize("exact", ["", "   "])
def test_anchor_needs_exact_text(exact):
    with pytest.raises(ModelError, match="needs the quoted text") as err:
        QuoteAnchor(exact)
    assert err.value.field == "anchors.exact"


@pytest.mark.parametrize("offsets", [{"start": 3}, {"end": 3}])
def test_anchor_start_without_end(offsets):
    with pytest.raises(ModelError, match="both start and end") as err:
        QuoteAnchor("text", **offsets)
    assert err.value.field == "anchors.start"


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5), (-1, 5)])
def test_anchor_offsets_ordered(start, end):
    with pytest.raises(ModelError, match="0 <= start < end") as err:
        QuoteAnchor("text", start=start, end=end)
    assert err.value.field == "anchors.start"
    assert f"{start}..{end}" in err.value.message


def test_anchor_paragraph_starts_at_one():
    with pytest.raises(ModelError, match="paragraph numbers start at 1") as err:
        QuoteAnchor("text", paragraph=0)
    assert err.value.field == "anchors.paragraph"


@pytest.mark.parametrize("status", ["verbatim", "misquote", "ambiguous", "not-found"])
def test_checked_anchor_needs_snapshot(status):
    with pytest.raises(ModelError, match="needs the snapshot") as err:
        QuoteAnchor("text", start=0, end=4, status=status)
    assert err.value.field == "anchors.status"
    assert status in err.value.message


def test_verbatim_anchor_needs_offsets():
    with pytest.raises(ModelError, match="verbatim anchor needs its offsets") as err:
        QuoteAnchor("text", snapshot_sha256=SHA, status=AnchorStatus.VERBATIM)
    assert err.value.field == "anchors.status"
    # Other checked statuses do not need offsets.
    assert QuoteAnchor("text", snapshot_sha256=SHA, status="not-found").start is None


def test_anchor_snapshot_must_be_sha256():
    with pytest.raises(ModelError, match="SHA-256") as err:
        QuoteAnchor("text", snapshot_sha256="nope")
    assert err.value.field == "anchors.snapshot"


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_anchor_score_range(score):
    with pytest.raises(ModelError, match=r"within 0\.\.1") as err:
        QuoteAnchor("text", score=score)
    assert err.value.field == "anchors.score"


# ---------------------------------------------------------------------------------------
# Source


def test_unknown_kind():
    with pytest.raises(ModelError, match="unknown kind 'blog'") as err:
        Source(key="k", kind="blog")
    assert err.value.field == "kind"


def test_speech_needs_speaker():
    with pytest.raises(ModelError, match="speaker") as err:
        Source(key="sp", kind="speech", title="Remarks")
    assert err.value.field == "author"
    assert err.value.key == "sp"
    assert str(err.value) == "@sp, field 'author': a speech needs a speaker (author)"


def test_press_release_needs_author():
    with pytest.raises(ModelError, match="issuing body") as err:
        Source(key="pr", kind="press-release", title="Release")
    assert err.value.field == "author"


def test_news_article_needs_outlet():
    with pytest.raises(ModelError, match="outlet") as err:
        Source(key="news", kind="news-article", title="Story")
    assert err.value.field == "container-title"


def test_transcript_only_on_speeches():
    with pytest.raises(ModelError, match="only speeches have a transcript") as err:
        Source(key="rep", kind="report", transcript="transcript")
    assert err.value.field == "transcript"


def test_transcript_must_be_known():
    with pytest.raises(ModelError, match="unknown transcript kind 'draft'") as err:
        _speech(transcript="draft")
    assert err.value.field == "transcript"


@pytest.mark.parametrize("value", ["transcript", "as-delivered", "as-prepared", "audio", "video"])
def test_known_transcripts(value):
    assert _speech(transcript=value).transcript == value


def test_csl_type_must_be_csl():
    with pytest.raises(ModelError, match="'blog' is not a CSL type") as err:
        Source(key="k", kind="webpage", csl_type="blog")
    assert err.value.field == "type"
    assert Source(key="k", kind="webpage", csl_type="post-weblog").csl_type == "post-weblog"


def test_translated_title_needs_title():
    with pytest.raises(ModelError, match="needs the original title") as err:
        Source(key="k", kind="report", translated_title="Report on things")
    assert err.value.field == "translated-title"


@pytest.mark.parametrize("name", ["title", "URL", "container-title", "accessed"])
def test_extra_cannot_hold_modelled_fields(name):
    with pytest.raises(ModelError, match="modelled fields cannot be extra") as err:
        Source(key="k", kind="report", extra={name: "x"})
    assert err.value.field == "extra"
    assert name in err.value.message


def test_extra_must_be_csl_variables():
    with pytest.raises(ModelError, match="not CSL variables: colour") as err:
        Source(key="k", kind="report", extra={"colour": "red", "DOI": "10.1/x"})
    assert err.value.field == "extra"


def test_extra_is_read_only():
    source = Source(key="k", kind="report", extra={"DOI": "10.1000/xyz"})
    assert source.extra["DOI"] == "10.1000/xyz"
    with pytest.raises(TypeError):
        source.extra["DOI"] = "other"  # type: ignore[index]


@pytest.mark.parametrize("key", ["a b", "../x", "key.", "", "-key", "key:", "k@y"])
def test_bad_citation_keys(key):
    with pytest.raises(ModelError, match="not a usable citation key") as err:
        Source(key=key, kind="report")
    assert err.value.field == "id"
    assert repr(key) in err.value.message


def test_citation_key_with_trailing_newline_rejected():
    with pytest.raises(ModelError, match="not a usable citation key") as err:
        Source(key="key\n", kind="report")
    assert err.value.field == "id"


@pytest.mark.parametrize("key", ["Smith:2020", "who_2020-a", "a", "10.1000/xyz", "_x"])
def test_good_citation_keys(key):
    assert Source(key=key, kind="report").key == key


def test_speech_roles():
    speaker = Name.person("Norov", "Vladimir")
    source = _speech(authors=[speaker], publisher="SCO Secretariat")
    assert source.speaker == speaker
    assert source.host == "SCO Secretariat"
    assert source.issuing_body is None
    assert source.parent_agency is None
    assert source.outlet is None


@pytest.mark.parametrize("kind", ["press-release", "statement"])
def test_issuing_body(kind):
    body = Name.organisation("Ministry of Foreign Affairs", "MFA")
    source = Source(key="k", kind=kind, authors=[body], publisher="Government")
    assert source.issuing_body == body
    assert source.speaker is None
    assert source.host is None
    assert source.parent_agency == ("Government" if kind == "press-release" else None)


def test_outlet():
    source = Source(
        key="k", kind="news-article", container_title="Reuters", publisher="Thomson Reuters"
    )
    assert source.outlet == "Reuters"
    assert source.host is None
    assert source.parent_agency is None
    report = Source(key="r", kind="report", container_title="Series")
    assert report.outlet is None


def test_url_reads_provenance():
    source = Source(key="k", kind="webpage", provenance=Provenance(url="https://example.org/"))
    assert source.url == "https://example.org/"
    assert Source(key="k", kind="webpage").url is None


def test_effective_genre():
    pr = Source(key="pr", kind="press-release", authors=[Name.organisation("WHO")])
    assert pr.effective_genre == "Press release"
    assert _speech().effective_genre == "Speech transcript"
    prepared = _speech(transcript="as-prepared")
    assert prepared.effective_genre == "Speech transcript, as prepared for delivery"
    assert Source(key="r", kind="report").effective_genre is None
    report = Source(key="r", kind="report", genre="Policy brief")
    assert report.effective_genre == "Policy brief"
    assert _speech(transcript="audio", genre="Podcast").effective_genre == "Podcast"


def test_source_fields_are_converted():
    source = _speech(
        title="  Remarks ", authors=[Name.person("Norov")], anchors=[QuoteAnchor("text")]
    )
    assert source.title == "Remarks"
    assert isinstance(source.authors, tuple)
    assert isinstance(source.anchors, tuple)
    assert source.spec.name == "speech"


# ---------------------------------------------------------------------------------------
# Library


def _report(key: str, title: str = "Report") -> Source:
    return Source(key=key, kind="report", title=title)


def test_library_rejects_duplicate_keys():
    with pytest.raises(ModelError, match="duplicate citation key 'a'") as err:
        Library([_report("a"), _report("b"), _report("a")])
    assert err.value.field == "id"


def test_library_lookup_and_order():
    a, b, c = _report("c"), _report("a"), _report("b")
    library = Library([a, b, c])
    assert library.keys == ("c", "a", "b")
    assert len(library) == 3
    assert list(library) == [a, b, c]
    assert "a" in library
    assert "z" not in library
    assert 1 not in library
    assert library["b"] is c
    assert library.get("c") is a
    assert library.get("z") is None
    with pytest.raises(KeyError):
        library["z"]


def test_empty_library():
    library = Library()
    assert len(library) == 0
    assert library.keys == ()


def test_with_source_replaces_in_place():
    library = Library([_report("a"), _report("b"), _report("c")])
    new = _report("b", "Second edition")
    updated = library.with_source(new)
    assert updated.keys == ("a", "b", "c")
    assert updated["b"] is new
    assert library["b"].title == "Report"  # the original is unchanged


def test_with_source_appends():
    library = Library([_report("a")])
    updated = library.with_source(_report("b"))
    assert updated.keys == ("a", "b")
    assert library.keys == ("a",)


def test_model_values_pickle_as_tuples_and_come_back_equal():
    # The library cache pickles every record: values are rebuilt from their field values
    # by a function made for the class, the same values with the same hashes, and no
    # field names stored.
    source = _speech(
        title="Remarks at the forum",
        authors=(Name(family="Norov", given="Vladimir"), Name(literal="SCO Secretariat")),
        issued=PartialDate(2020, 5, 13),
        provenance=Provenance(url="https://example.org/speech", content_sha256="a" * 64),
        extra={"note": "x"},
    )
    data = pickle.dumps(source, pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == source
    assert hash(back) == hash(source)
    assert back.extra["note"] == "x"
    assert type(back.authors[0]) is Name
    assert b"container_title" not in data  # a tuple of values, not attrs' dict state
    assert b"_restore_Source" in data
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.title = "changed"  # type: ignore[misc]


def test_model_values_pickled_the_earlier_way_still_load():
    # Before: (model._restore, (class, values)) for every value; such pickles still load.
    from policycite import model

    class Earlier(pickle.Pickler):
        def reducer_override(self, obj: object) -> object:
            if type(obj) in model._FIELD_NAMES:
                names = model._FIELD_NAMES[type(obj)]
                return model._restore, (type(obj), tuple(getattr(obj, n) for n in names))
            return NotImplemented

    name = Name(family="Norov", given="Vladimir")
    buffer = io.BytesIO()
    Earlier(buffer, pickle.HIGHEST_PROTOCOL).dump(name)
    assert b"_restore_Name" not in buffer.getvalue()
    assert pickle.loads(buffer.getvalue()) == name
