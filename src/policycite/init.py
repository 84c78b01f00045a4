"""``policycite init``: the files a new brief project starts from.

A ``policycite.toml`` with the style and locale every command uses, an empty library
folder ``references/`` and a short example brief that says what to do next. Files that
exist are kept as they are, never overwritten: running init again is harmless.
"""

from __future__ import annotations

from pathlib import Path

from policycite.paths import write_new_atomic

#: The library folder init creates (the one every command reads by default).
LIBRARY = "references"
BRIEF = "brief.md"
CONFIG = "policycite.toml"

_CONFIG = """\
# policycite's settings for this folder (see `policycite --help`).
# The CSL style and locale of format, cite, check (name one from `policycite styles`).
style = "{style}"
locale = "{locale}"

[check]
# The rules `policycite check` runs: "ALL", or codes and families ("PC2").
select = ["ALL"]
ignore = []
"""

_BRIEF = """\
# A policy brief

Write the brief here in Markdown, or check a Word file instead. Cite a source of the
library by its key, as pandoc does: an at sign and the key in square brackets, with a
paragraph or page after a comma for a passage. `policycite add page.html` captures a
saved page or a URL into the library and prints the key.

Quotations are checked against the text captured with each source. End the brief with
a "References" heading and one entry per paragraph.
"""


def init(folder: Path, style: str = "apa", locale: str = "en-US") -> list[tuple[Path, bool]]:
    """Create the project files in ``folder``; each path with True if it was created."""
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[Path, bool]] = []
    library = folder / LIBRARY
    made.append((library, not library.is_dir()))
    library.mkdir(exist_ok=True)
    for name, text in (
        (CONFIG, _CONFIG.format(style=style, locale=locale)),
        (BRIEF, _BRIEF),
    ):
        path = folder / name
        try:
            write_new_atomic(path, text)
        except FileExistsError:
            made.append((path, False))
        else:
            made.append((path, True))
    return made


__all__ = ["BRIEF", "CONFIG", "LIBRARY", "init"]
