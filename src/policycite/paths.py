"""Safe file writing: atomic replacement, and paths that cannot leave their folder.

Every file policycite writes into a library goes through here, so that an interrupted
write never leaves a half-written record and no path built from input data (a citation
key, a hash) can escape the library folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
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


def _link_tree(source: Path, target: Path) -> None:
    """Fill target with source's files: hard links where the file system allows, else copies."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link, dirs_exist_ok=True)


def write_files_together(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write UTF-8 files into folder all or nothing: a temp folder beside it, then a swap.

    The temp folder gets the folder's present contents (hard links, so it is cheap) and
    the new files; it then replaces the folder with two renames, so a failure or a kill
    leaves the folder as it was, or complete. Where the folder is the current directory
    (or holds it) the files are moved in one by one instead, each atomically. Returns the
    written paths.
    """
    folder = Path(folder)
    real = folder.resolve() if folder.is_symlink() else folder.absolute()
    for name in files:
        inside(real, real / name)
    real.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent))
    try:
        existed = real.is_dir()
        staging.chmod(real.stat().st_mode & 0o7777 if existed else 0o755)
        if existed:
            _link_tree(real, staging)
        for name, text in files.items():
            write_atomic(staging / name, text)
        if existed and Path.cwd().is_relative_to(real.resolve()):
            for name in files:  # renaming the working directory would strand the process
                (staging / name).replace(real / name)
            shutil.rmtree(staging)
        elif existed:
            old = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".old", dir=real.parent))
            real.replace(old / real.name)
            staging.replace(real)
            shutil.rmtree(old)
        else:
            staging.replace(real)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]


__all__ = ["inside", "write_atomic", "write_bytes_atomic", "write_files_together"]
