"""Pandoc citation syntax -> citation clusters: ``[see @norov2020, para. 4; @mfa2020]``.

Locators follow pandoc's rules: after the comma, a known label ("para.", "p.", "sec.",
"§", …) and a number, range or list ("4", "33-35", "4, 6"); a bare number is a page; a
time ("1:02:03") is a timestamp; braces take any text as the locator ("{IV.2}"). What
follows the locator is the suffix.
"""

from __future__ import annotations

import re

import attrs

from policycite.errors import InputError
from policycite.model import Cite, Cluster

#: Locator label words (lower case) -> CSL locator type; longest match wins.
LOCATOR_LABELS: dict[str, str] = {
    "para.": "paragraph",
    "paras.": "paragraph",
    "paragraph": "paragraph",
    "paragraphs": "paragraph",
    "¶": "paragraph",
    "¶¶": "paragraph",
    "par.": "paragraph",
    "p.": "page",
    "pp.": "page",
    "page": "page",
    "pages": "page",
    "sec.": "section",
    "secs.": "section",
    "section": "section",
    "sections": "section",
    "§": "section",
    "§§": "section",
    "chap.": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "l.": "line",
    "ll.": "line",
    "line": "line",
    "lines": "line",
    "n.": "note",
    "nn.": "note",
    "note": "note",
    "notes": "note",
    "fig.": "figure",
    "figure": "figure",
    "vol.": "volume",
    "volume": "volume",
    "art.": "article",
    "article": "article",
    "at": "timestamp",
    "timestamp": "timestamp",
}
_LABELS_LONGEST_FIRST = sorted(LOCATOR_LABELS, key=len, reverse=True)

# "@" starts a key only after a non-word character, so "press@who.int" is no citation.
_KEY = r"(?<![\w.@])@(?:\{(?P<braced>[^}]+)\}|(?P<plain>\w(?:[\w:.#$%&+?<>~/-]*\w)?))"
_KEY_RE = re.compile(_KEY)
# A number, range or id ("4", "33-35", "4.2", "1:02:03"; \u2013 is the en dash), or a
# well-formed roman numeral (so that a word such as "mild" is not read as one).
_TOKEN = (
    r"(?:\d[\w.:\u2013-]*|(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})"
    r"(?:ix|iv|v?i{0,3})\b)"
)
_VALUE_RE = re.compile(
    rf"\{{(?P<braced>[^}}]*)\}}|(?P<plain>{_TOKEN}(?:\s*,\s*{_TOKEN})*)", re.IGNORECASE
)
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
            rest = rest[len(word) :].lstrip()
            break
    match = _VALUE_RE.match(rest)
    if not match or not match.group(0):
        return None, "page", f", {text.strip()}"
    value = match.group("braced") if match.group("braced") is not None else match.group("plain")
    if label is None:
        label = "timestamp" if _TIME_RE.match(value) else "page"
    suffix = rest[match.end() :].strip()
    return value, label, suffix


def _cite(text: str, base: int) -> Cite:
    match = _KEY_RE.search(text)
    if not match:
        raise InputError("each citation in brackets needs an @key", column=base + 1)
    prefix = text[: match.start()].strip()
    mode = "normal"
    if prefix.endswith("-"):  # [-@key]: the author is named in the sentence already
        mode = "suppress-author"
        prefix = prefix[:-1].rstrip()
    key = match.group("braced") or match.group("plain")
    after = text[match.end() :]
    locator: str | None = None
    label = "page"
    suffix = after.strip()
    if after.lstrip().startswith(","):
        locator, label, suffix = _locator(after.lstrip()[1:])
    return Cite(
        key=key,
        locator=locator,
        label=label,
        prefix=prefix or None,
        suffix=suffix or None,
        mode=mode,
    )


def parse_citations(text: str) -> list[Cluster]:
    """All citation clusters in ``text``, in order.

    Bracketed clusters (``[see @a, p. 4; -@b]``, ``-@key`` suppressing the author) and
    narrative citations (``@key``, the author in the sentence: "Kask (2024)"), whose
    locator may follow in brackets (``@key [p. 4]``). Brackets nest
    (``[@a, para. 4 [emphasis added]]``); a bracket group with no ``@key`` (``[sic]``,
    ``[press@who.int]``) is plain text, unless it follows a narrative key. Raises
    InputError (with the column) for unbalanced brackets.
    """
    clusters: list[Cluster] = []
    start: int | None = None
    depth = 0
    position = 0
    # The narrative cluster a following "[p. 4]" belongs to, and where its key ends.
    narrative: tuple[int, int] | None = None
    for index, char in enumerate(text):
        if char == "[":
            if depth == 0:
                narrative = _narratives(text[position:index], position, clusters)
                if narrative is not None and text[narrative[1] : index].strip():
                    narrative = None
                start = index
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                inner = text[start + 1 : index]
                if _KEY_RE.search(inner):
                    clusters.append(Cluster(_cites(inner, start + 1)))
                elif narrative is not None and inner.strip():
                    clusters[narrative[0]] = _with_locator(clusters[narrative[0]], inner)
                narrative = None
                position = index + 1
    if depth:
        raise InputError("a '[' is never closed", column=(start or 0) + 1)
    _narratives(text[position:], position, clusters)
    return clusters


def _narratives(text: str, base: int, clusters: list[Cluster]) -> tuple[int, int] | None:
    """Add the narrative citations of ``text`` (outside brackets) to ``clusters``.

    Returns the index of the last one added and the offset where its key ends, or None.
    """
    last = None
    for match in _KEY_RE.finditer(text):
        key = match.group("braced") or match.group("plain")
        clusters.append(Cluster([Cite(key=key, mode="narrative")]))
        last = (len(clusters) - 1, base + match.end())
    return last


def _with_locator(cluster: Cluster, inner: str) -> Cluster:
    """``@key [p. 4, emphasis added]``: the bracket holds the locator and a suffix."""
    cite = cluster.cites[0]
    locator, label, suffix = _locator(inner)
    if locator is None:
        suffix = inner.strip()
    return Cluster([attrs.evolve(cite, locator=locator, label=label, suffix=suffix or None)])


def _cites(inner: str, offset: int) -> list[Cite]:
    """Split a cluster's text on the semicolons that are not inside nested brackets."""
    cites = []
    depth = 0
    begin = 0
    for index, char in enumerate(inner):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == ";" and depth == 0:
            cites.append(_cite(inner[begin:index], offset + begin))
            begin = index + 1
    cites.append(_cite(inner[begin:], offset + begin))
    return cites
