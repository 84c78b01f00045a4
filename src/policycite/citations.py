"""Pandoc citation syntax -> citation clusters: ``[see @norov2020, para. 4; @mfa2020]``.

Locators follow pandoc's rules: after the comma, a known label ("para.", "p.", "sec.",
"§", …) and a number, range or list ("4", "33-35", "4, 6"); a bare number is a page; a
time ("1:02:03") is a timestamp; braces take any text as the locator ("{IV.2}"). What
follows the locator is the suffix.
"""

from __future__ import annotations

import re

from policycite.errors import InputError
from policycite.model import Cite, Cluster

#: Locator label words (lower case) -> CSL locator type; longest match wins.
LOCATOR_LABELS: dict[str, str] = {
    "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph",
    "paragraphs": "paragraph", "¶": "paragraph", "¶¶": "paragraph", "par.": "paragraph",
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "sec.": "section", "secs.": "section", "section": "section", "sections": "section",
    "§": "section", "§§": "section",
    "chap.": "chapter", "chapter": "chapter", "chapters": "chapter",
    "l.": "line", "ll.": "line", "line": "line", "lines": "line",
    "n.": "note", "nn.": "note", "note": "note", "notes": "note",
    "fig.": "figure", "figure": "figure", "vol.": "volume", "volume": "volume",
    "art.": "article", "article": "article",
    "at": "timestamp", "timestamp": "timestamp",
}
_LABELS_LONGEST_FIRST = sorted(LOCATOR_LABELS, key=len, reverse=True)

_KEY = r"@(?:\{(?P<braced>[^}]+)\}|(?P<plain>\w(?:[\w:.#$%&+?<>~/-]*\w)?))"
_KEY_RE = re.compile(_KEY)
_TOKEN = r"(?:\d[\w.:–-]*|[ivxlcdm]+\b)"
_VALUE_RE = re.compile(rf"\{{(?P<braced>[^}}]*)\}}|(?P<plain>{_TOKEN}(?:\s*,\s*{_TOKEN})*)",
                       re.IGNORECASE)
_TIME_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


def _locator(text: str) -> tuple[str | None, str, str]:
    """Split ", para. 4, emphasis added" into (locator, label, suffix)."""
    rest = text.strip()
    label = None
    for word in _LABELS_LONGEST_FIRST:
        if rest.lower().startswith(word) and (
            len(rest) == len(word) or not rest[len(word)].isalpha()
        ):
            label = LOCATOR_LABELS[word]
            rest = rest[len(word):].lstrip()
            break
    match = _VALUE_RE.match(rest)
    if not match:
        return None, "page", text.strip()
    value = match.group("braced") if match.group("braced") is not None else match.group("plain")
    if label is None:
        label = "timestamp" if _TIME_RE.match(value) else "page"
    suffix = rest[match.end():].strip()
    return value, label, suffix


def _cite(text: str, base: int) -> Cite:
    match = _KEY_RE.search(text)
    if not match:
        raise InputError("each citation in brackets needs an @key", column=base + 1)
    prefix = text[: match.start()].strip()
    if prefix.endswith("-"):
        raise InputError("suppressed-author citations (-@key) are not supported yet",
                         column=base + match.start())
    key = match.group("braced") or match.group("plain")
    after = text[match.end():]
    locator: str | None = None
    label = "page"
    suffix = after.strip()
    if after.lstrip().startswith(","):
        locator, label, suffix = _locator(after.lstrip()[1:])
    return Cite(key=key, locator=locator, label=label, prefix=prefix or None,
                suffix=suffix or None)


def parse_citations(text: str) -> list[Cluster]:
    """All bracketed citation clusters in ``text``, in order.

    Raises InputError (with the column) for a bracket group that holds no ``@key``, for
    unbalanced brackets, and for narrative citations (``@key`` outside brackets), which
    the CSL processor cannot render yet.
    """
    clusters: list[Cluster] = []
    depth_start: int | None = None
    position = 0
    for index, char in enumerate(text):
        if char == "[" and depth_start is None:
            outside = text[position:index]
            _no_narrative(outside, position)
            depth_start = index
        elif char == "]" and depth_start is not None:
            inner = text[depth_start + 1:index]
            if "@" in inner:
                cites = []
                offset = depth_start + 1
                for part in inner.split(";"):
                    cites.append(_cite(part, offset))
                    offset += len(part) + 1
                clusters.append(Cluster(cites))
            depth_start = None
            position = index + 1
    if depth_start is not None:
        raise InputError("a '[' is never closed", column=depth_start + 1)
    _no_narrative(text[position:], position)
    return clusters


def _no_narrative(text: str, base: int) -> None:
    match = re.search(r"(?<![\w.])" + _KEY, text)
    if match:
        raise InputError("narrative citations (@key outside brackets) are not supported yet; "
                         "write [@key]", column=base + match.start() + 1)
