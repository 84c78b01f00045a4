"""Safe file writing: atomic replacement, and paths that cannot leave their folder.

Every file policycite writes into a library goes through here, so that an interrupted
write never leaves a half-written record and no path built from input data (a citation
key, a hash) can escape the library folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from policycite.errors import InputError


def inside(folder: Path, path: Path) -> Path:
    """Return path, or raise InputError when it would leave folder (``..``, symlinks)."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"path leaves the library folder: {path}", source=str(folder))
    return path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path atomically: temp file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a file keeps the mode it had, or 0644.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(tmp).chmod(mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line ends to path atomically (see write_bytes_atomic)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_new_atomic(path: Path, text: str) -> None:
    """Create path with UTF-8 text, whole or not at all; FileExistsError if it exists.

    The text goes to a temporary file first, which is then hard-linked to path: linking
    never replaces a file, so two writers choosing the same new name cannot both win.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        Path(tmp).chmod(0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network shares): create-exclusive
            with path.open("xb") as handle:
                handle.write(text.encode("utf-8"))
    finally:
        Path(tmp).unlink(missing_ok=True)


__all__ = ["inside", "write_atomic", "write_bytes_atomic", "write_new_atomic"]
