"""Safe file reading and writing: atomic replacement, paths that cannot leave their folder.

Every file policycite writes into a library goes through here, so that an interrupted
write never leaves a half-written record and no path built from input data (a citation
key, a hash) can escape the library folder. :func:`read_regular` reads only regular files
of a bounded size (a record symlinked to ``/dev/zero`` or a FIFO is refused, never read
for ever), and :func:`write_output` writes an ``-o`` file through a symbolic link rather
than replacing the link.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from policycite.errors import InputError


def inside(folder: Path, path: Path) -> Path:
    """Return path, or raise InputError when it would leave folder (``..``, symlinks)."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"path leaves the library folder: {path}", source=str(folder))
    return path


def cache_folder() -> Path:
    """The cache folder: $POLICYCITE_CACHE_DIR, else ($XDG_CACHE_HOME or ~/.cache)/policycite."""
    own = os.environ.get("POLICYCITE_CACHE_DIR")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "policycite"


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write bytes to path atomically: temp file in the same folder, fsync, rename.

    ``durable=False`` skips the fsync, for derived caches only (5-gram files, the library
    cache): the rename still makes the write all or nothing for other processes, but a
    power cut may leave the file empty or zeroed, so its reader must verify it (a checksum)
    and rebuild it on a mismatch. An fsync per file made the first check of a library
    spend 5.7 s on 1,000 such files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a file keeps the mode it had, or 0644.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(tmp).chmod(mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
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


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported.

    Two plain renames would leave a moment with no library folder at all, in which a
    writer waiting for the library lock would create an empty folder and lock a file
    nobody else holds.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(done == 0)


def write_files_together(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write UTF-8 files into folder all or nothing: a temp folder beside it, then a swap.

    The temp folder gets the folder's present contents (hard links, so it is cheap) and
    the new files; it then changes places with the folder in one atomic exchange, so a
    failure or a kill leaves the folder as it was, or complete, and the folder never
    disappears. Where the exchange is not available (not Linux, old kernels, some network
    file systems), or the folder is the current directory, the staged files are moved in
    one by one instead, each atomically: every file is whole, and a failure before the
    moves (a value that cannot be written) leaves the folder untouched. Returns the
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
        if not existed:
            staging.replace(real)
        elif Path.cwd().is_relative_to(real.resolve()) or not _exchange(staging, real):
            for name in files:  # renaming the working directory would strand the process
                (staging / name).replace(real / name)
        shutil.rmtree(staging, ignore_errors=True)  # after an exchange: the old contents
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]


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


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; InputError for anything else.

    The file is opened without blocking (a FIFO would otherwise wait for a writer) and
    checked with ``fstat`` on the open descriptor, so what is read is what was checked;
    a device or FIFO is refused before a byte is read, and no more than ``limit`` bytes
    are read even from a file that grows meanwhile. A symbolic link is followed: what it
    points to must be a regular file.
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=name) from None
    except OSError as err:
        raise InputError(err.strerror or str(err), source=name) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{_kind(info.st_mode)}, not a regular file; not read", source=name)
        too_large = InputError(
            f"file is {info.st_size / 2**20:.0f} MiB; the limit is {limit / 2**20:g} MiB",
            source=name,
        )
        if info.st_size > limit:
            raise too_large
        # Sized to the file: read(limit + 1) allocates the whole limit (64 MiB) first,
        # which tripled the cost of reading a 10,000-record library's small files.
        data = handle.read(info.st_size + 1)
        if len(data) > info.st_size:  # grew since fstat: read on, up to the limit
            data += handle.read(limit + 1 - len(data))
        if len(data) > limit:
            raise too_large
        return data


def is_stream(path: Path) -> bool:
    """True when path is (or links to) something written into, not replaced: a device, a pipe."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_output(path: Path, text: str) -> None:
    """Write an output file named on the command line (``-o``).

    A symbolic link is written through, never replaced: the file it points to gets the
    text (atomically, as :func:`write_atomic` does), and the link stays. A path that is
    not a regular file, such as ``/dev/stdout``, a terminal or a pipe, is written into
    as it is, never replaced by a file. A link to nowhere is refused.
    """
    try:
        mode: int | None = path.stat().st_mode  # through any links
    except FileNotFoundError:
        mode = None
    if mode is None:
        if path.is_symlink():
            raise InputError("is a symbolic link to a missing file; not written", source=str(path))
        write_atomic(path, text)
    elif stat.S_ISREG(mode):
        # The link's target is replaced atomically; the link itself stays as it was.
        write_atomic(Path(os.path.realpath(path)), text)
    elif stat.S_ISDIR(mode):
        raise InputError("is a folder, not a file", source=str(path))
    else:
        # A device or pipe: written into through the name given (/dev/stdout is the
        # caller's own standard output), never truncated or replaced by a file.
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


__all__ = [
    "inside",
    "is_stream",
    "read_regular",
    "write_atomic",
    "write_bytes_atomic",
    "write_files_together",
    "write_new_atomic",
    "write_output",
]
