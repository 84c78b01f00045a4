r"""Which bibliography files a brief names itself, as written in the brief.

A Markdown brief for pandoc names them in its YAML front matter (``bibliography:`` with
one path or a list); a LaTeX brief with ``\addbibresource{refs.bib}`` (biblatex) or
``\bibliography{refs,more}`` (BibTeX, which adds ``.bib`` itself). Paths are returned as
written: relative ones are relative to the brief, which is for the caller to resolve.

Nothing here reads a file: text in, names out.
"""

from __future__ import annotations

import re

_FRONT_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$", re.S | re.M)
_COMMENT_RE = re.compile(r"(?<!\\)%[^\n]*")
_ADDBIBRESOURCE_RE = re.compile(r"\\addbibresource\s*(?:\[[^\]]*\])?\s*\{([^{}]+)\}")
_BIBLIOGRAPHY_RE = re.compile(r"\\bibliography\s*\{([^{}]+)\}")


def markdown_bibliography(text: str) -> tuple[str, ...]:
    """The ``bibliography:`` of a Markdown brief's YAML front matter (none: empty)."""
    front = _FRONT_RE.match(text)
    if front is None:
        return ()
    # Imported here: a brief without front matter (most) does not pay for PyYAML (issue 17).
    import yaml

    try:
        data = yaml.safe_load(front.group(1))
    except yaml.YAMLError:
        return ()  # not YAML after all: a rule line, say; pandoc would refuse it too
    except (ValueError, RecursionError):
        # An integer of over 4,300 digits, or nesting deeper than PyYAML's recursive
        # composer goes: front matter no pandoc would read either.
        return ()
    if not isinstance(data, dict):
        return ()
    value = data.get("bibliography")
    items = value if isinstance(value, list) else [value]
    return tuple(str(item).strip() for item in items if isinstance(item, str) and item.strip())


def latex_bibliography(text: str) -> tuple[str, ...]:
    r"""The files of ``\addbibresource{…}`` and ``\bibliography{…}`` (outside comments)."""
    code = _COMMENT_RE.sub("", text)
    names: list[str] = [m.group(1).strip() for m in _ADDBIBRESOURCE_RE.finditer(code)]
    for match in _BIBLIOGRAPHY_RE.finditer(code):
        for written in match.group(1).split(","):
            name = written.strip()
            if name:
                # BibTeX appends .bib to every name it is given.
                names.append(name if name.endswith(".bib") else f"{name}.bib")
    return tuple(dict.fromkeys(n for n in names if n))


__all__ = ["latex_bibliography", "markdown_bibliography"]
