"""Every date field in every written form, through every reader, in every bundled style.

The record reader documents dates as text (``2020``, ``2020-05``, ``2020-05-13``, EDTF
seasons ``2020-21``, circa ``2020~``, ranges ``…/…``, ``n.d.``) besides CSL date objects
(``date-parts``, ``literal``, ``raw``). A date variable that Source keeps as a raw CSL
value (``original-date``, ``submitted`` …) once went to citeproc-py as text, which
raised: the item was left out of every rendering with PC103.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
import yaml

import policycite as pc
from policycite.errors import InputError
from policycite.formats import csljson, cslyaml

from conftest import BUNDLED_STYLES as STYLES

#: Every written form of a date the readers take (name -> value in a YAML/JSON file).
FORMS: dict[str, Any] = {
    "year": "1900",
    "year-number": 1900,
    "year-month": "1900-05",
    "full-date": "1900-05-13",
    "range-days": "1900-05-13/1900-05-14",
    "range-years": "1900/1902",
    "season": "1900-21",
    "circa": "1900~",
    "no-date": "n.d.",
    "literal": {"literal": "Spring 1900, as broadcast"},
    "date-parts": {"date-parts": [[1900, 5, 13]]},
    "date-parts-text": {"date-parts": [["1900", "5"]]},
    "date-parts-range": {"date-parts": [[1900, 5], [1900, 7]]},
    "date-parts-season": {"date-parts": [[1900]], "season": "spring"},
    "date-parts-circa": {"date-parts": [[1900]], "circa": True},
    "raw": {"raw": "1900-05-13"},
    "raw-text": {"raw": "about 1900"},
    "edtf": {"edtf": "1900-05"},
}
#: Fields that must be one full date (a retrieval or archive date is a day).
FULL_DATE_FORMS = ("full-date", "date-parts")
#: Date fields, each with a record it belongs on.
FIELDS = (
    "issued",
    "original-date",
    "event-date",
    "available-date",
    "submitted",
    "accessed",
    "archive-date",
)


def _record(field: str, value: Any, form: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "kask2020",
        "title": "Flood warnings across the border",
        "author": [{"family": "Kask", "given": "Liisa"}],
        "issued": "2020-03-02",
        "publisher": "Nordwater Institute",
        "URL": "https://www.nordwater.example/flood-warnings",
    }
    if field == "archive-date":
        record["custom"] = {
            "provenance": {
                "archive-url": "https://web.archive.example/2020/flood-warnings",
                "archive-date": value,
            }
        }
    else:
        record[field] = value
    if form == "record":
        record["kind"] = "speech"
        record["event-title"] = "Baltic Water Forum"
    else:
        record["type"] = "speech"
        record["event-title"] = "Baltic Water Forum"
    return record


def _read(field: str, value: Any, reader: str) -> pc.ReadResult:
    record = _record(field, value, reader)
    if reader == "csl-json":
        return csljson.loads(json.dumps([record]))
    return cslyaml.loads(yaml.safe_dump([record], allow_unicode=True))


def _cases() -> list[tuple[str, str]]:
    return [
        (field, form)
        for field in FIELDS
        for form in FORMS
        if field not in ("accessed", "archive-date") or form in FULL_DATE_FORMS
    ]


@pytest.mark.parametrize(("field", "form"), _cases(), ids=str)
def test_every_date_form_renders_in_every_bundled_style(field: str, form: str) -> None:
    read = _read(field, FORMS[form], "record")
    assert read.findings == ()
    library = read.library
    for style in STYLES:
        for output in ("text", "html"):
            result = pc.render_bibliography(library, style, output=output)
            assert [f for f in result.findings if f.code.startswith("PC10")] == [], style
            assert len(result.entries) == 1, style
        cites = pc.render_citations(library, pc.parse_citations("[@kask2020]"), style)
        assert [f for f in cites.findings if f.code.startswith("PC10")] == [], style
        assert cites.entries[0], style


@pytest.mark.parametrize("reader", ["csl-yaml", "csl-json"])
@pytest.mark.parametrize(("field", "form"), _cases(), ids=str)
def test_every_reader_takes_every_date_form_alike(field: str, form: str, reader: str) -> None:
    """CSL-YAML and CSL-JSON items give the source the record form gives, and render."""
    record = _read(field, FORMS[form], "record").library["kask2020"]
    read = _read(field, FORMS[form], reader)
    assert read.findings == ()
    source = read.library["kask2020"]
    assert attrs.evolve(source, csl_type=None) == attrs.evolve(record, csl_type=None)
    result = pc.render_bibliography(read.library, "apa", output="html")
    assert [f.code for f in result.findings] == []
    assert len(result.entries) == 1


@pytest.mark.parametrize("reader", ["record", "csl-yaml", "csl-json"])
@pytest.mark.parametrize(("field", "form"), _cases(), ids=str)
def test_every_date_form_round_trips_byte_for_byte(field: str, form: str, reader: str) -> None:
    """Record file -> CSL-JSON -> record file keeps the date as it was written."""
    library = _read(field, FORMS[form], reader).library
    record_text = cslyaml.dumps(library)
    again = cslyaml.loads(csljson.dumps(cslyaml.loads(record_text).library)).library
    assert cslyaml.dumps(again) == record_text


@pytest.mark.parametrize("form", ["year", "year-number", "raw", "date-parts"])
def test_original_date_in_apa_is_the_republished_work_rule(form: str) -> None:
    """APA 9.41 / 8.15: "(Original work published 1900)" and (Author, 1900/2020)."""
    value = FORMS[form]
    record = {
        "id": "freud2020",
        "kind": "book",
        "title": "The interpretation of dreams",
        "author": [{"family": "Freud", "given": "Sigmund"}],
        "issued": "2020",
        "original-date": value,
        "publisher": "Fictional Classics Press",
    }
    library = cslyaml.loads(yaml.safe_dump([record])).library
    entry = pc.render_bibliography(library, "apa").entries
    assert entry == (
        "Freud, S. (2020). The interpretation of dreams. Fictional Classics Press. "
        "(Original work published 1900)",
    )
    cite = pc.render_citations(library, pc.parse_citations("[@freud2020]"), "apa").entries
    assert cite == ("(Freud, 1900/2020)",)


@pytest.mark.parametrize("field", ["accessed", "archive-date"])
@pytest.mark.parametrize("form", ["year", "year-month", "range-days", "season", "circa"])
def test_a_day_field_refuses_a_partial_date_naming_the_field(field: str, form: str) -> None:
    with pytest.raises(InputError) as err:
        _read(field, FORMS[form], "record")
    assert field in str(err.value)
