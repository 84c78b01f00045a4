"""The references a renderer builds are citeproc-py's, made faster.

:class:`~policycite.render.richtext.RichTextJSON` builds a large bibliography's
references in the parent process before any work is shared out (see
:mod:`policycite.render.parallel`), so it takes shortcuts around citeproc-py's
``CiteProcJSON`` loop and its ``Reference`` and ``Name`` checks. Here every reference,
value, segment and class it builds is compared with what citeproc-py's own loop builds
from the same parse methods, with the warnings raised, for values of every kind.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from citeproc.source.json import CiteProcJSON
from citeproc.string import NoCase, String

from policycite.render.output import FORMATS
from policycite.render.quotemarks import drop_markers
from policycite.render.richtext import (
    MarkupString,
    RichTextJSON,
    TranslatedTitle,
    _marked,
    markup_class,
)

ITEMS: list[dict[str, Any]] = [
    {
        "id": "Mixed-Case",
        "type": "report",
        "title": 'The "water" <i>plan</i> for <span class="nocase">iOS</span> users',
        "author": [
            {"family": "O'Neill", "given": "Máire"},
            {"literal": "Baltic Council <for> Water & Security"},
            {"family": "Berg", "given": "Jan", "non-dropping-particle": "van den"},
        ],
        "editor": [{"family": "Kask", "given": "Jaan", "nickname": "JK"}],  # Name warns
        "issued": {"date-parts": [[2020, 5, 13]]},
        "accessed": {"raw": "2021-02"},
        "page": "142-145 & 235",
        "URL": "https://example.org/a_b?c=1&d=2",
        "DOI": "10.1000/x<y>",
        "language": "en-GB",
        "shortTitle": "Water plan",
        "event-title": "Summit",  # Reference warns (CSL 1.0.2)
        "note": "1ʳᵉ édition, x² <sup>2</sup>",
        "key": "ignored",
    },
    {
        "id": "b",
        "type": "book",
        "title": TranslatedTitle("Título <b>uno</b>", "Title one"),
        "container-title": '<span class="nocase">eLife</span> weekly',
        "collection-title": "<i>Series</i>  spaced  ",
        "issued": {"date-parts": [["1999", "21"], ["2001", "22"]]},
        "volume": 3,
        "publisher": 'The "Harbour" Council\'s office',
        "director": [{"family": "Lee", "given": "Sujin"}],  # a name variable it does not know
        "custom-thing": "x",  # an unknown variable: Reference warns
    },
    {"id": "c", "type": "webpage", "title": "", "issued": {"literal": "n.d."}},
]


class _CiteprocLoop(RichTextJSON):
    """The references as citeproc-py's own loop builds them, with the same parse methods."""

    def __init__(self, items: list[dict[str, Any]], formatter: Any, encode: Any) -> None:
        self.formatter = formatter
        self.encode = encode
        self._classes: dict[tuple[str, ...], type] = {}
        CiteProcJSON.__init__(self, [{k: _marked(k, v) for k, v in i.items()} for i in items])

    def parse_names(self, json_data: list[dict[str, Any]]) -> list[Any]:
        from citeproc.source import Name

        from policycite.render.richtext import _FastName, smart_quotes

        names = [
            Name(
                **{
                    k: self.encode(smart_quotes(v)) if isinstance(v, str) else v
                    for k, v in n.items()
                }
            )
            for n in json_data
        ]
        for name in names:
            object.__setattr__(name, "__class__", _FastName)
        return names

    def rich(self, text: str, identifier: bool = False) -> Any:
        if identifier:
            return String(self.encode(text))
        return self._markup(drop_markers(text))  # the markup path, for every value

    def _segment(self, output: Any, text: str, kinds: list[str], wrappers: tuple[str, ...]) -> Any:
        if wrappers:
            segment: Any = markup_class(self.formatter, wrappers, self._classes)(text)
        elif "nocase" in kinds:
            segment = NoCase(text)
        else:
            segment = String(text)
        return output + segment


def _kind(value: Any) -> Any:
    # Each source makes its own markup classes: the same by their wrappers.
    if isinstance(value, MarkupString):
        return (MarkupString, value.wrappers)
    return type(value)


def _shape(value: Any) -> Any:
    """A value with every class and segment spelled out, for comparison."""
    if isinstance(value, dict):
        return (type(value), [(k, _shape(v)) for k, v in value.items()], vars(value))
    if isinstance(value, list):
        return (type(value), [_shape(v) for v in value])
    if isinstance(value, str):
        return (_kind(value), str.__str__(value), str(value))
    return (type(value), value)


def _build(cls: type, output: str) -> tuple[Any, list[str]]:
    fmt = FORMATS[output]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = cls(ITEMS, fmt.formatter, fmt.encode)
    return source, [str(w.message) for w in caught]


@pytest.mark.parametrize("output", sorted(FORMATS))
def test_references_are_citeproc_pys(output: str) -> None:
    fast, fast_warnings = _build(RichTextJSON, output)
    slow, slow_warnings = _build(_CiteprocLoop, output)
    assert list(fast) == list(slow) == ["mixed-case", "b", "c"]
    for key in slow:
        assert _shape(fast[key]) == _shape(slow[key]), key
    assert fast_warnings == slow_warnings
    # The comparison is not vacuous: both shortcuts and both fallbacks were taken.
    assert any("unsupported: nickname" in w for w in fast_warnings)
    assert any("unsupported: event_title" in w for w in fast_warnings)
    assert any("custom_thing" in w for w in fast_warnings)
