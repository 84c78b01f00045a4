"""Defaults the command line shows in its help, in a module that imports nothing.

``policycite --help`` and ``policycite styles`` print these without loading the modules
that use them (the library reader, the renderer and citeproc): a writer pays for those
only when a command needs them (issue 17). The modules that use a default import it from
here, so each is defined once.
"""

from __future__ import annotations

from pathlib import Path

#: The library folder of a brief project, relative to where a command runs.
DEFAULT_FOLDER = Path("references")

#: Used when neither the caller nor the style (``default-locale``) names a locale.
DEFAULT_LOCALE = "en-US"

__all__ = ["DEFAULT_FOLDER", "DEFAULT_LOCALE"]
