"""Property-based tests: every parser and every round trip, on generated data (hypothesis).

Round trips: a Source written as a YAML record, YAML list, CSL-YAML, CSL-JSON and a .bib
in each profile reads back equal, byte for byte. Parsers: any text gives a result or an
InputError, never another exception. Runs are derandomised (a fixed seed, so CI sees the
same examples every time) and the budget is small enough for the whole file to take
well under a minute.
"""

from __future__ import annotations

import contextlib
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policycite as pc
from policycite.errors import InputError, ModelError
from policycite.formats import bibtex, csljson, cslyaml
from policycite.formats.bibmap import PROFILES
from policycite.formats.latex import decode, escape
from policycite.kinds import KINDS

BUDGET = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any Unicode scalar value; surrogates cannot be written anywhere (they are refused).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
# What a .bib file can hold: no control characters but tab, line feed and carriage return.
BIB_CHARS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(" \t\n-`',<>?!{}")
BIB_TEXT = st.text(BIB_CHARS, max_size=30)
KEYS = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}(:[A-Za-z0-9]{1,4})?", fullmatch=True)
OWN = {"kind", "provenance", "anchors", "abbreviations", "transcript", "record", "bibtex"}
OWN |= {"transliteration"}


def _data(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """JSON-like nested data, as other tools keep under ``custom``."""
    leaves = st.none() | st.booleans() | st.integers() | text
    leaves |= st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=8,
    )


def _dates() -> st.SearchStrategy[pc.PartialDate]:
    def build(year: int, month: int | None, day: int | None, circa: bool) -> pc.PartialDate:
        if month is None:
            day = None
        return pc.PartialDate(year, month, day if day is None else min(day, 28), circa=circa)

    plain = st.builds(
        build,
        st.integers(-9999, 9999),
        st.none() | st.integers(1, 12),
        st.none() | st.integers(1, 28),
        st.booleans(),
    )
    literal = st.builds(
        lambda text: pc.PartialDate(literal=text),
        st.text(string.ascii_letters + " ,", min_size=1, max_size=20).filter(str.strip),
    )
    return plain | literal


def _names(text: st.SearchStrategy[str]) -> st.SearchStrategy[pc.Name]:
    person = st.builds(
        lambda family, given: pc.Name(family=family, given=given),
        text.filter(str.strip),
        st.none() | text.filter(str.strip),
    )
    organisation = st.builds(lambda literal: pc.Name(literal=literal), text.filter(str.strip))
    return person | organisation


def _sources(text: st.SearchStrategy[str], names: st.SearchStrategy[pc.Name]) -> Any:
    field_keys = text.filter(lambda k: k not in OWN)

    @st.composite
    def build(draw: st.DrawFn) -> pc.Source:
        fields = {
            attr: draw(st.none() | text)
            for attr in ("title", "container_title", "publisher", "number", "section")
        }
        values = dict(
            key=draw(KEYS),
            kind=draw(st.sampled_from(sorted(KINDS))),
            authors=draw(st.lists(names, max_size=3)),
            issued=draw(st.none() | _dates()),
            custom=draw(st.dictionaries(field_keys, _data(text), max_size=3)),
            unknown=draw(st.dictionaries(text.map(lambda k: "zz-" + k), _data(text), max_size=2)),
            **fields,
        )
        try:
            return pc.Source(**values)
        except ModelError:  # a kind's required field is missing: the generic kind has none
            return pc.Source(**{**values, "kind": "document"})

    return build()


SOURCES = _sources(ANY_TEXT, _names(ANY_TEXT))


def _one(read: Any) -> pc.Source:
    (source,) = read.library
    return source


# ---------------------------------------------------------------------------------------
# Round trips


@BUDGET
@given(SOURCES)
def test_yaml_record_round_trip(source: pc.Source) -> None:
    assert _one(cslyaml.loads(cslyaml.dump_record(source))) == source


@BUDGET
@given(st.lists(SOURCES, max_size=3, unique_by=lambda s: s.key.casefold()))
def test_yaml_list_round_trip(sources: list[pc.Source]) -> None:
    assert list(cslyaml.loads(cslyaml.dumps(sources)).library) == sources


@BUDGET
@given(SOURCES)
def test_csl_yaml_round_trip(source: pc.Source) -> None:
    assert _one(cslyaml.loads(cslyaml.dumps_csl([source]))) == source


@BUDGET
@given(SOURCES)
def test_csl_json_round_trip(source: pc.Source) -> None:
    assert _one(csljson.loads(csljson.dumps([source]))) == source


# BibTeX reads names by its own rules ("and" separates, commas split family from given,
# "von" parts are lower case): names here are words, as people and organisations have.
BIB_NAMES = _names(
    st.from_regex(r"[A-Z][a-zà-ÿ'’-]{0,8}( [A-Z][a-zà-ÿ'’.-]{0,8}){0,2}", fullmatch=True)
)


@pytest.mark.parametrize("profile", list(PROFILES))
@BUDGET
@given(source=_sources(BIB_TEXT, BIB_NAMES))
def test_bibtex_round_trip(profile: str, source: pc.Source) -> None:
    assert _one(bibtex.loads(bibtex.dumps([source], profile))) == source


@BUDGET
@given(BIB_TEXT)
def test_latex_escape_round_trip(text: str) -> None:
    assert decode(escape(text)) == text


# ---------------------------------------------------------------------------------------
# Parsers: a result or an InputError, nothing else


def _parses(load: Any, text: str) -> None:
    with contextlib.suppress(InputError):
        load(text)


@BUDGET
@given(st.text(max_size=200) | st.from_regex(r"@(string|misc|report)\{[^@]{0,80}", fullmatch=True))
def test_bibtex_parser_never_crashes(text: str) -> None:
    _parses(bibtex.loads, text)


@BUDGET
@given(st.text(max_size=200) | st.recursive(st.text(max_size=5), lambda i: st.lists(i).map(str)))
def test_yaml_parser_never_crashes(text: str) -> None:
    _parses(cslyaml.loads, text)


@BUDGET
@given(st.text(max_size=200) | st.builds(lambda d: __import__("json").dumps(d), _data(ANY_TEXT)))
def test_csl_json_parser_never_crashes(text: str) -> None:
    _parses(csljson.loads, text)


@BUDGET
@given(st.text(max_size=60))
def test_latex_decoder_never_crashes(text: str) -> None:
    assert isinstance(decode(text), str)


@BUDGET
@given(st.text(string.digits + "-/~?%", max_size=24))
def test_date_parser_gives_a_date_or_a_model_error(text: str) -> None:
    try:
        date = pc.PartialDate.parse(text)
    except ModelError:
        return
    assert pc.PartialDate.parse(str(date.iso())) == date
