"""CSL-JSON in and out: the pivot format every CSL processor (pandoc, Zotero) reads.

Output is a valid CSL-JSON array (``custom`` carries policycite's data), so that what
``pandoc --citeproc`` prints from it is what policycite prints.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policycite.errors import InputError
from policycite.formats import (
    ReadResult,
    naming,
    read_records,
    read_text,
    refuse_surrogates_in,
)
from policycite.formats.record import source_to_csl
from policycite.formats.zoteroids import keyed_items
from policycite.model import Source
from policycite.safeparse import parse_json


def loads(text: str, name: str = "<string>") -> ReadResult:
    """Read CSL-JSON: an array of items (a single item object is accepted too).

    Items exported by Zotero get citation keys (see :mod:`policycite.formats.zoteroids`).
    """
    # Depth-limited, and integers of over 4,300 digits refused: InputError naming the file.
    data: Any = parse_json(text, name)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError("expected a CSL-JSON array of items", source=name, line=1)
    if _SURROGATE_ESCAPE_RE.search(text):  # rare: only then look at every value
        for index, item in enumerate(data):
            try:
                refuse_surrogates_in(item)
            except InputError as err:
                raise InputError(err.message, source=name, place=f"record {index + 1}") from None
    # Zotero writes item URIs or numbers as ids: give those items citation keys.
    items, notes = keyed_items(data, name)
    result = read_records(items, name)
    return ReadResult(result.library, (*notes, *result.findings)) if notes else result


# A \uD800-\uDFFF escape: a lone surrogate unless it is half of a pair (checked on reading).
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")


def load(path: Path | str) -> ReadResult:
    """Read a CSL-JSON file (see :func:`loads`)."""
    return loads(read_text(path), str(path))


def to_items(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """The CSL-JSON items (dicts) for sources; InputError for text no file can hold."""
    items = []
    for source in sources:
        with naming(source):
            item = source_to_csl(source)
            refuse_surrogates_in(item)
        items.append(item)
    return items


def dumps(sources: Iterable[Source]) -> str:
    """Sources as a CSL-JSON array, UTF-8 text, two-space indented, newline-terminated."""
    return json.dumps(to_items(sources), ensure_ascii=False, indent=2) + "\n"
