"""From extracted documents to records: names, kinds, keys, missing and guessed fields."""

from __future__ import annotations

import pytest

from policycite.capture.document import Block, Document, Evidence
from policycite.capture.records import (
    USER_GIVEN,
    apply_overrides,
    build_source,
    key_stem,
    new_key,
    organisation_name,
    person_name,
)
from policycite.errors import InputError
from policycite.model import Name, PartialDate, Provenance


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Petrova, Anna", Name(family="Petrova", given="Anna")),
        ("Dr. Anna Petrova", Name(family="Petrova", given="Anna")),
        ("H.E. Mr. Anders Kask", Name(family="Kask", given="Anders")),
        (
            "Ursula von der Leyen",
            Name(family="Leyen", given="Ursula", non_dropping_particle="von der"),
        ),
        ("van Dijk, Jan", Name(family="Dijk", given="Jan", non_dropping_particle="van")),
        ("Anna Petrova, Jr.", Name(family="Petrova", given="Anna", suffix="Jr.")),
        ("Мария Орлова", Name(family="Орлова", given="Мария")),
        ("王毅", Name(family="王毅")),
        ("Madonna", Name(family="Madonna")),
    ],
)
def test_person_names(printed: str, expected: Name) -> None:
    assert person_name(printed) == expected


def test_organisation_abbreviation_and_key_stems() -> None:
    assert organisation_name("Ministry of Coastal Affairs (MCA)") == Name(
        literal="Ministry of Coastal Affairs", abbreviation="MCA"
    )
    assert key_stem([organisation_name("Ministry of Coastal Affairs")], None) == "mca"
    assert key_stem([person_name("Мария Орлова")], None) == "orlova"
    assert key_stem([person_name("Željko Ćosić")], None) == "cosic"
    assert key_stem([], "Flood maps published") == "flood"
    assert new_key("mca", 2024, {"mca2024", "mca2024a"}) == "mca2024b"
    assert new_key("mca", None, set()) == "mcand"


PROVENANCE = Provenance(url="https://x.example/p", accessed=PartialDate.parse("2024-03-20"))


def _doc(**fields: list[Evidence]) -> Document:
    return Document([Block("Text.")], fields)


def test_speech_author_is_the_speaker_and_site_is_the_host() -> None:
    doc = _doc(
        kind=[Evidence("speech", "heading starts 'Speech by'", heuristic=True)],
        title=[Evidence("Speech by Minister Anders Kask", "<h1>")],
        speaker=[Evidence("Anders Kask", "honorific + name in the heading", heuristic=True)],
        issuer=[Evidence("Ministry of Coastal Affairs", "og:site_name")],
        site=[Evidence("Ministry of Coastal Affairs", "og:site_name")],
        issued=[Evidence("2024-05-02", "date line")],
    )
    source, findings = build_source(doc, provenance=PROVENANCE)
    assert source is not None
    assert source.key == "kask2024"
    assert source.speaker == Name(family="Kask", given="Anders")
    assert source.host == "Ministry of Coastal Affairs"
    assert source.provenance.extracted["author"] == "honorific + name in the heading"
    assert [f.code for f in findings] == ["PC304"]
    assert "kind, speaker" in findings[0].message


def test_press_release_without_issuer_is_not_recorded() -> None:
    doc = _doc(kind=[Evidence("press-release", "breadcrumb")], title=[Evidence("T", "h1")])
    source, findings = build_source(doc, provenance=PROVENANCE)
    assert source is None
    assert findings[-1].code == "PC305"
    assert "--set issuer" in (findings[-1].hint or "")
    fixed = apply_overrides(doc, {"issuer": "Ministry of Coastal Affairs (MCA)"})
    source, findings = build_source(fixed, provenance=PROVENANCE, taken={"mcand"})
    assert source is not None and source.key == "mcanda"
    assert source.provenance.extracted["author"] == USER_GIVEN
    assert [f.code for f in findings] == ["PC305"]  # still no date: APA prints (n.d.)


def test_unknown_override_field_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown field 'colour'"):
        apply_overrides(_doc(), {"colour": "red"})
