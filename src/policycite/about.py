"""What policycite knows about itself: its version, written here once."""

from __future__ import annotations

#: The one place the version is written: the package metadata is built from this line
#: (pyproject.toml's ``[tool.hatch.version]``) and ``policycite.__version__`` is this.
__version__ = "0.1.0"


def version() -> str:
    """The version of policycite (the installed one: the metadata is built from it).

    Read without importlib.metadata, whose email and zipfile modules would cost
    ``--version`` and every command that keys a cache by version more than the rest
    of their start-up (issue 17).
    """
    return __version__


__all__ = ["__version__", "version"]
