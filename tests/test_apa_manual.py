"""APA Style's own reference and citation examples, rendered by policycite's APA style.

Every example under tests/golden/apa-manual/ names where APA prints it; policycite must
render it identically (text and HTML). See that folder's README for the format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import pytest
import yaml

import policycite as pc
from policycite.formats.cslyaml import loads

from conftest import GOLDEN

FOLDER = GOLDEN / "apa-manual"


def _examples() -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = []
    for path in sorted(FOLDER.glob("*.yaml")):
        for example in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            example["file"] = path.name
            examples.append(example)
    return examples


EXAMPLES = _examples()


def _cases(part: str) -> list[Any]:
    """The examples with ``part``; one with a ``limit`` (what policycite does not do yet,
    and why) is a strict expected failure, so it is seen and fails once fixed."""
    return [
        pytest.param(
            e,
            id=e["id"],
            marks=[pytest.mark.xfail(reason=e["limit"], strict=True)] if "limit" in e else [],
        )
        for e in EXAMPLES
        if part in e
    ]


_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>')


def _unlinked(entries: Iterable[str]) -> list[str]:
    """The entries as APA prints them: each link's text, once its href is checked.

    policycite's HTML makes a printed web address a link (see tests/test_robust_links.py);
    APA's examples give the text, so the link must lead where its text says.
    """
    out = []
    for entry in entries:
        for found in _ANCHOR.finditer(entry):
            assert html.unescape(found.group(1)) == html.unescape(found.group(2)), entry
        out.append(_ANCHOR.sub(lambda m: m.group(2), entry))
    return out


def _library(example: dict[str, Any]) -> pc.Library:
    text = yaml.safe_dump(example["records"], allow_unicode=True, sort_keys=False)
    result = loads(text, f"{example['file']}#{example['id']}")
    assert not result.findings, result.findings
    return result.library


def test_every_example_names_its_source_and_has_a_unique_id() -> None:
    ids = [e["id"] for e in EXAMPLES]
    assert len(ids) == len(set(ids))
    # Issue 14: at least 40 of APA's own examples, all but the named limits rendered.
    assert len([e for e in EXAMPLES if "limit" not in e]) >= 40
    for example in EXAMPLES:
        assert "apa" in example["source"].lower(), example["id"]
        assert "bibliography" in example or "citations" in example, example["id"]


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", _cases("bibliography"))
def test_reference_list_as_apa_prints_it(example: dict[str, Any], fmt: str) -> None:
    result = pc.render_bibliography(_library(example), "apa", output=fmt)
    assert not [f for f in result.findings if f.code == "PC103"]
    assert _unlinked(result.entries) == example["bibliography"][fmt]


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", _cases("citations"))
def test_citations_as_apa_prints_them(example: dict[str, Any], fmt: str) -> None:
    # One document: its citations in order, and its reference list from the same run
    # (so that the year letters agree). A citation's "html" defaults to its "text",
    # escaped.
    library = _library(example)
    clusters = []
    for citation in example["citations"]:
        found = pc.parse_citations(citation["cite"])
        assert len(found) == 1, citation["cite"]
        clusters += found
    document = pc.render_document(library, clusters, "apa", output=fmt)
    expected = [c.get(fmt, html.escape(c["text"], quote=False)) for c in example["citations"]]
    assert _unlinked(document.citations.entries) == expected
    if "bibliography" in example:
        assert _unlinked(document.bibliography.entries) == example["bibliography"][fmt]
