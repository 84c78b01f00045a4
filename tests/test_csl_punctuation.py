"""Punctuation at seams (issue 16, punctuation part): outputs are citeproc-js 2.4.63's.

Each expected string was rendered by citeproc-js (tools/citeproc-js/render.js) from the
same CSL items and locale files policycite gives citeproc-py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policycite as pc
from policycite.render.engine import Renderer

CSL = Path(__file__).parent / "data" / "csl"

SOURCES = [
    pc.Source("a", "report", "What next?", genre="Press release", publisher="Port Office"),
    pc.Source("b", "report", "The ports", genre="Press release", publisher="Port Office"),
    pc.Source("c", "report", "Who pays!", genre="Statement", publisher="Port Office"),
    pc.Source("d", "report", "What now?", publisher="Port Office"),
    pc.Source("e", "report", "The ports", publisher="Port Office"),
]


def test_period_after_a_quoted_question_in_en_gb() -> None:
    # A following element's prefix ". " is dropped after ‘…?’; a delimiter ". " is not,
    # and a quotation without its own stop keeps the period (citeproc-js, en-GB).
    renderer = Renderer(pc.Library(SOURCES), str(CSL / "quoted-period.csl"))
    assert renderer.bibliography().entries == (
        "\u2018What next?\u2019. Press release. Port Office.",
        "\u2018The ports\u2019. Press release. Port Office.",
        "\u2018Who pays!\u2019. Statement. Port Office.",
        "\u2018What now?\u2019 Port Office.",
        "\u2018The ports\u2019. Port Office.",
    )


@pytest.mark.parametrize(
    ("cite", "expected"),
    [("[@a]", "\u2018What next?\u2019."), ("[@b]", "\u2018The ports\u2019.")],
)
def test_a_quoted_element_keeps_its_own_suffix(cite: str, expected: str) -> None:
    renderer = Renderer(pc.Library(SOURCES), str(CSL / "quoted-period.csl"))
    assert renderer.citations(list(pc.parse_citations(cite))).entries == (expected,)
