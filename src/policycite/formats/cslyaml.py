"""YAML in and out: library record files, and CSL-YAML bibliographies (pandoc's form).

Loading is ``yaml.safe_load``-level (no Python objects) with two changes: dates stay
text (``2020-05-13`` is not turned into a ``datetime.date``, so it round-trips as
written), and every mapping remembers the line of each key so that errors and findings
name the line. Output is always the record form: the one a person edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from policycite.errors import InputError
from policycite.formats import (
    ReadResult,
    naming,
    read_records,
    read_text,
    refuse_surrogates,
    refuse_surrogates_in,
)
from policycite.formats.record import source_to_csl, source_to_record
from policycite.model import Source


class LineDict(dict[str, Any]):
    """A mapping that knows the (1-based) line of each of its keys and of itself."""

    line: int = 0
    lines: dict[str, int]


# libyaml's parser (CSafeLoader) reads a 10,000-record library several times faster; the
# pure-Python SafeLoader is the fallback where PyYAML was built without it.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


# Drop the timestamp resolver: dates must stay the text the user wrote.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_STR = "tag:yaml.org,2002:str"


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    construct = loader.construct_object
    for key_node, value_node in node.value:
        # Text scalars (nearly every key and value of a record) are their node's value,
        # which is what construct_object returns for them (SafeConstructor's
        # construct_yaml_str), without its bookkeeping: parsing 10,000 record files took
        # 0.36 s of CPU instead of 0.49 s (issue 17).
        if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:
            key = key_node.value
        else:
            key = construct(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise InputError(
                "a mapping key must be text",
                line=key_node.start_mark.line + 1,
                column=key_node.start_mark.column + 1,
            )
        key = str(key)
        if key in out:
            raise InputError(
                f"key {key!r} appears twice in one mapping",
                line=key_node.start_mark.line + 1,
                column=key_node.start_mark.column + 1,
            )
        if value_node.tag == _STR and type(value_node) is yaml.ScalarNode:
            out[key] = value_node.value
        else:
            out[key] = construct(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse(text: str, name: str = "<string>") -> Any:
    """Parse YAML text safely; errors become one-line InputErrors with line and column."""
    try:
        return yaml.load(text, Loader=_Loader)
    except InputError as err:
        raise err.located(name) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "malformed YAML"
        raise InputError(
            f"malformed YAML: {problem}",
            source=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise InputError(f"malformed YAML: {err}", source=name) from None
    except ValueError as err:  # an integer of over 4,300 digits, which Python will not read
        raise InputError(f"YAML cannot be read: {err}", source=name) from None


# pandoc reads CSL-YAML strings as Markdown: "_draft_" would turn into emphasis, "$a $b"
# into maths and "@x" into a citation. Identifiers are taken literally.
_MARKDOWN_RE = re.compile(r"([\\*_`\[\]<>~^$@])")
_UNESCAPE_RE = re.compile(r"\\([\\*_`\[\]<>~^$@])")
_LITERAL = frozenset({"id", "type", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "custom"})


def _markdown(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    """Escape (or unescape) Markdown in the text values of a CSL item, names included."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_markdown(v, pattern, replacement) for v in value]
    if isinstance(value, dict) and not ({"date-parts", "raw", "literal"} & value.keys()):
        return {k: _markdown(v, pattern, replacement) for k, v in value.items()}
    return value


def _item_markdown(item: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if not isinstance(item, dict):
        return item
    for key, value in item.items():
        if key not in _LITERAL:
            item[key] = _markdown(value, pattern, replacement)
    return item


def _records(data: Any, name: str) -> list[Any]:
    if isinstance(data, dict) and "references" in data and "id" not in data:
        data = data["references"]  # pandoc's CSL-YAML: a document with references:
        if isinstance(data, list):
            data = [_item_markdown(item, _UNESCAPE_RE, r"\1") for item in data]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    if data is None:
        return []
    raise InputError("expected a record (mapping) or a list of records", source=name, line=1)


def loads(text: str, name: str = "<string>") -> ReadResult:
    """Read YAML text holding one record, a list of records, or ``references:``."""
    return read_records(_records(parse(text, name), name), name)


def load(path: Path | str) -> ReadResult:
    """Read a YAML file (see :func:`loads`)."""
    return loads(read_text(path), str(path))


def dump_record(source: Source) -> str:
    """One source as a YAML record document (what a library file holds)."""
    with naming(source):
        return _dump(source_to_record(source))


def dumps(sources: Iterable[Source]) -> str:
    """Sources as a YAML list of records (the library's own form)."""
    parts = []
    for source in sources:  # one at a time, so that an error names the record
        with naming(source):
            parts.append(_dump([source_to_record(source)]))
    return "".join(parts) or "[]\n"


def dumps_csl(sources: Iterable[Source]) -> str:
    """Sources as CSL-YAML, the form pandoc reads: ``references:`` with CSL items."""
    items = []
    for source in sources:
        with naming(source):
            item = _item_markdown(source_to_csl(source), _MARKDOWN_RE, r"\\\1")
            refuse_surrogates_in(item)
        items.append(item)
    return _dump({"references": items})


# libyaml's emitter (CSafeDumper) is used where PyYAML has it, like the loader.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


# YAML readers turn NEL and the Unicode line and paragraph separators into line breaks
# (and fold them to spaces) unless the string is double-quoted, where they are escaped.
_BREAKS_RE = re.compile("[\x85\u2028\u2029\r]")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    refuse_surrogates(value)
    style = '"' if _BREAKS_RE.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_mapping(dumper: yaml.SafeDumper, value: Any) -> yaml.MappingNode:
    # LineDict (what the reader built) and read-only mappings are plain mappings on disk.
    return dumper.represent_dict(dict(value))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(LineDict, _represent_mapping)
_Dumper.add_representer(MappingProxyType, _represent_mapping)
_Dumper.add_representer(tuple, lambda dumper, value: dumper.represent_list(list(value)))


def _dump(data: Any) -> str:
    return str(
        yaml.dump(
            data,
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
            default_flow_style=False,
        )
    )
