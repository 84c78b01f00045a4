"""CSL-JSON in and out: the pivot format every CSL processor (pandoc, Zotero) reads.

Output is a valid CSL-JSON array (``custom`` carries policycite's data), so that what
``pandoc --citeproc`` prints from it is what policycite prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from policycite.errors import InputError
from policycite.formats import ReadResult, read_records, read_text
from policycite.formats.record import source_to_csl
from policycite.model import Source
from policycite.safeparse import parse_json


def loads(text: str, name: str = "<string>") -> ReadResult:
    """Read CSL-JSON: an array of items (a single item object is accepted too)."""
    # Depth-limited, and integers of over 4,300 digits refused: InputError naming the file.
    data: Any = parse_json(text, name)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError("expected a CSL-JSON array of items", source=name, line=1)
    return read_records(data, name)


def load(path: Path | str) -> ReadResult:
    """Read a CSL-JSON file (see :func:`loads`)."""
    return loads(read_text(path), str(path))


def to_items(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """The CSL-JSON items (dicts) for sources."""
    return [source_to_csl(s) for s in sources]


def dumps(sources: Iterable[Source]) -> str:
    """Sources as a CSL-JSON array, UTF-8 text, two-space indented, newline-terminated."""
    return json.dumps(to_items(sources), ensure_ascii=False, indent=2) + "\n"
