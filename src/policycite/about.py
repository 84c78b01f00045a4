"""What policycite knows about itself: its installed version."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    """The installed version of policycite ("unknown" when run from a bare source tree)."""
    try:
        return metadata.version("policycite")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


__all__ = ["version"]
