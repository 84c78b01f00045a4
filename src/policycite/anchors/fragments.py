"""Text Fragment links: a URL that opens a page scrolled to, and highlighting, a quotation.

The syntax is the WICG/URL-fragment-text-directives one that Chromium, Edge and Safari
follow: ``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``. Long quotations use a
start and an end (the first and last few words) so the link stays short and survives
small edits in between; a prefix and suffix are added only when the quotation occurs
more than once in the source. Each part is percent-encoded, including the directive's
own syntax characters ``-``, ``,`` and ``&``. A URL that already has a fragment keeps it:
the directive follows it (``#section:~:text=…``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: Quotations of more than this many words are linked by their first and last words.
LONG_QUOTE_WORDS = 10
#: How many words textStart, textEnd, prefix and suffix hold in a long quotation's link.
EDGE_WORDS = 4

_SPACE = re.compile(r"\s+")


def _encode(text: str) -> str:
    # quote() leaves "-" alone (it is unreserved in URLs) but it is syntax here.
    return quote(text, safe="").replace("-", "%2D")


def _words(text: str) -> list[str]:
    # Browsers match rendered text, where no-break spaces read as spaces.
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip().split(" ")


def text_directive(exact: str, *, prefix: str = "", suffix: str = "") -> str:
    """The ``:~:text=`` directive (without the leading ``#``) for a passage."""
    words = _words(exact)
    if len(words) > LONG_QUOTE_WORDS:
        parts = [
            _encode(" ".join(words[:EDGE_WORDS])),
            _encode(" ".join(words[-EDGE_WORDS:])),
        ]
    else:
        parts = [_encode(" ".join(words))]
    before = [w for w in _words(prefix) if w][-EDGE_WORDS:]
    after = [w for w in _words(suffix) if w][:EDGE_WORDS]
    if before:
        parts.insert(0, _encode(" ".join(before)) + "-")
    if after:
        parts.append("-" + _encode(" ".join(after)))
    return ":~:text=" + ",".join(parts)


def deep_link(url: str, exact: str, *, prefix: str = "", suffix: str = "") -> str:
    """``url`` with a text directive for ``exact`` (an existing fragment is kept)."""
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]  # replace any earlier directive
    return f"{base}#{fragment}{text_directive(exact, prefix=prefix, suffix=suffix)}"


__all__ = ["EDGE_WORDS", "LONG_QUOTE_WORDS", "deep_link", "text_directive"]
